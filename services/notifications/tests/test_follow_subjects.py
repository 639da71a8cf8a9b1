"""A follower's mail of one activity names it in its subject (testers read "A new event for
you" and "A change to an event we told you about" and could not tell their mails apart); the
weekly digest keeps its own subject."""

from __future__ import annotations

from typing import Any

import pytest

from services.notifications import domain, reach_text

FACTS: dict[str, Any] = {
    "name": {"fi": "Satutunti", "sv": "Sagostund", "en": "Story time"},
    "starts_at": "2026-12-12T08:00:00+00:00", "ends_at": "2026-12-12T09:00:00+00:00"}
LINKS = {"prefs_url": "p", "unsubscribe_url": "u", "ics_url": "i", "rss_url": "r"}


@pytest.mark.parametrize(("lang", "new", "cancelled", "changed"), [
    ("fi", "Uusi tapahtuma: Satutunti 12.12.2026", "Peruttu: Satutunti 12.12.2026",
     "Muuttunut: Satutunti 12.12.2026"),
    ("sv", "Nytt evenemang: Sagostund 2026-12-12", "Inställt: Sagostund 2026-12-12",
     "Ändrat: Sagostund 2026-12-12"),
    ("en", "New event: Story time 12 Dec 2026", "Cancelled: Story time 12 Dec 2026",
     "Changed: Story time 12 Dec 2026"),
])
def test_a_mail_of_one_activity_names_it_and_its_day(lang: str, new: str, cancelled: str,
                                                     changed: str) -> None:
    def subject(kind: reach_text.FollowMail, **extra: Any) -> str:
        return reach_text.digest_email(lang, ["block"], kind=kind, **LINKS, **extra).subject

    assert subject("new", about=FACTS) == new
    assert subject("change", about=FACTS, change="cancelled") == cancelled
    assert subject("change", about=FACTS) == changed
    # The weekly digest is of many: its subject stays its own.
    assert subject("digest") == reach_text.T[lang]["digest_subject"]


def test_the_day_is_helsinkis_and_a_name_missing_in_the_language_is_the_finnish_one() -> None:
    late = {"name": {"fi": "Yökahvila"}, "starts_at": "2026-12-12T22:30:00+00:00",
            "ends_at": "2026-12-13T01:00:00+00:00"}
    assert reach_text.follow_subject("change", "sv", late, "postponed") == (
        "Uppskjutet: Yökahvila 2026-12-13")


def test_a_changes_kind_is_what_its_notice_calls_it() -> None:
    def kind(purpose: str, status: str, moved: bool = False,
             retimed: bool = False) -> str:
        return domain.follow_change(purpose, status, moved=moved, retimed=retimed)

    assert kind("cancellation", "cancelled") == "cancelled"
    assert kind("change", "postponed") == "postponed"
    assert kind("change", "published", moved=True) == "relocated"
    assert kind("change", "published", moved=True, retimed=True) == "rescheduled"
    assert kind("change", "published", retimed=True) == "rescheduled"
    words = {lang: reach_text.follow_subject("change", lang, FACTS, "relocated")
             for lang in ("fi", "sv", "en")}
    assert words == {"fi": "Uusi paikka: Satutunti 12.12.2026",
                     "sv": "Ny plats: Sagostund 2026-12-12",
                     "en": "New place: Story time 12 Dec 2026"}
