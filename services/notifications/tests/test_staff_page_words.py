"""The staff page's words where the journey review found them wrong: the week's table heads
its times by when a post goes out (they are planned send times, not changes), the table of
deliveries needing a decision keeps "changed", and what a delivery is for (a cancelled
booking's mail among them) is said in the page's language, not in English."""

from __future__ import annotations

import re
from uuid import uuid4

import pytest

from services.notifications.staff import LABELS, _templates

GOES_OUT = {"fi": "Lähtee", "sv": "Skickas", "en": "Goes out"}
CHANGED = {"fi": "Muuttunut", "sv": "Ändrad", "en": "Changed"}
BOOKING_CANCELLED = {"fi": "varauksen peruutus", "sv": "avbokning", "en": "booking cancelled"}


def _page(lang: str) -> str:
    t = LABELS[lang]
    delivery = {"id": uuid4(), "when": "3.12. 10.00", "activity": "Satutunti", "channel": "email",
                "account_name": "Kirjasto", "purpose": "booking_cancelled", "subject": None,
                "text": "Hei", "status": "failed", "reason": "", "content": {"text": "Hei"},
                "language_label": "", "last_error": None, "activity_event_id": None}
    week = {"ti 8.12.": [{"time": "10.00", "channel": "facebook", "account": "Kirjastot",
                          "purpose": t["purposes"]["booking_cancelled"],
                          "activity": "Satutunti", "activity_id": None}]}
    return _templates.get_template("staff.html").render(
        lang=lang, t=t, deliveries=[delivery], accounts=[], msg=None, error=False, csrf="x",
        week=week, notice_id=uuid4(), social=[], boards=[], on_boards=[], edit=None,
        notice={"form": {}, "invalid": {}, "refusals": [], "focus": ""})


def _heads(html: str, table: str) -> list[str]:
    found = re.search(table + r"\s*<tr>(.*?)</tr>", html, re.S)
    assert found, table
    return re.findall(r"<th>([^<]*)</th>", found.group(1))


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_weeks_times_are_headed_by_when_they_go_out(lang: str) -> None:
    html = _page(lang)
    assert _heads(html, r'<table class="week">')[0] == GOES_OUT[lang]
    # The deliveries needing a decision show when they last changed: that head stays.
    assert _heads(html, r"<h2 id=\"attention\">.*?<table>")[0] == CHANGED[lang]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_cancelled_bookings_mail_is_named_in_the_pages_language(lang: str) -> None:
    assert LABELS[lang]["purposes"]["booking_cancelled"] == BOOKING_CANCELLED[lang]
    html = _page(lang)
    assert html.count(BOOKING_CANCELLED[lang]) == 2  # needing a decision, and in the week
    if lang != "en":
        assert BOOKING_CANCELLED["en"] not in html


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_no_purpose_is_left_in_english(lang: str) -> None:
    purposes, english = LABELS[lang]["purposes"], LABELS["en"]["purposes"]
    assert set(purposes) == set(english)
    assert [p for p in purposes if purposes[p] == english[p]] == []
