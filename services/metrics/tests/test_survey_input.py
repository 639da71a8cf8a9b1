"""What a resident may send the feedback survey that its form does not offer: a control
character pasted into the comment (a BEL, an escape, a right-to-left override), which was
taken and shown to the analysts as written (invisible, or the comment turned backwards on
their page and in their CSV); the same answer sent twice by a double click; and a short
link copied with the sentence's full stop."""

from __future__ import annotations

import asyncio
import html
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from services.metrics import feedback, handlers
from services.metrics.app import spec
from services.metrics.domain import FeedbackAnswer, check_answer, short_code
from services.metrics.tests.test_reflow_browser import _fits
from shared.clock import FixedClock
from shared.contracts import ActivityEventPublished, LocalizedText
from shared.errors import Invalid

START = datetime(2026, 12, 1, 16, 0, tzinfo=UTC)
END = START + timedelta(minutes=90)
FORM = {"satisfaction": "4", "wellbeing": "yes"}
REMOVED = {"fi": "Palautteessa oli merkkejä, joita ei voi näyttää (ohjausmerkkejä).",
           "sv": "Responsen hade tecken som inte kan visas (styrtecken).",
           "en": "The comment had characters that cannot be shown (control characters)."}


@pytest.mark.unit
@pytest.mark.parametrize("comment", ["Hyvä\x07", "\x1b[31mpunainen", "abc\u202edef", "\x7f"])
def test_the_answers_rule_refuses_a_comment_with_a_control_character(comment: str) -> None:
    answer = FeedbackAnswer(event_id=uuid4(), satisfaction=4, wellbeing="yes",
                            comment=comment, browser_token="t")
    with pytest.raises(Invalid) as refused:
        check_answer(answer)
    assert refused.value.field == "comment" and refused.value.details["code"] == "text_chars"
    # Line breaks and tabs are a comment's own.
    check_answer(FeedbackAnswer(event_id=uuid4(), satisfaction=4, wellbeing="yes",
                                comment="Hyvä!\n\tKiitos", browser_token="t"))


async def _activity(pool: Any) -> UUID:
    event = ActivityEventPublished(
        event_id=uuid4(), revision=1, name=LocalizedText(fi="Runopiiri"), kind="open_guided",
        area="kuopio.jynkka", organiser_id=uuid4(), starts_at=START, ends_at=END)
    async with pool.acquire() as conn, conn.transaction():
        await handlers.on_activity_event(conn, event, event.to_envelope())
    return event.event_id


async def _comments(pool: Any) -> list[str | None]:
    async with pool.acquire() as conn:
        return [r["comment"] for r in await conn.fetch("SELECT comment FROM feedback")]


def _textarea(page: str) -> str:
    found = re.search(r'<textarea name="comment"[^>]*>\n?(.*?)</textarea>', page, re.S)
    assert found, page[:500]
    return html.unescape(found.group(1))


@pytest.mark.infra
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_a_control_character_in_the_comment_is_refused_and_taken_out(
        start_service: Any, chromium: Any, lang: str) -> None:
    client = await start_service(spec)
    pool = client.runtime.pool
    event_id = await _activity(pool)
    client.runtime.clock = FixedClock(END + timedelta(hours=1))
    sent = await client.post(f"/feedback/{event_id}?lang={lang}", headers={
        "Accept": "text/html"}, data={**FORM, "comment": "Hyvä\x07 ilta \u202eniiloK"})
    assert sent.status_code == 422, sent.text[:300]
    assert f'<html lang="{lang}">' in sent.text
    assert REMOVED[lang] in html.unescape(sent.text)
    # Said next to the comment, the rest of the answer kept, the comment without them.
    assert 'aria-describedby="comment-error"' in sent.text
    assert 'value="4"\n required checked' in sent.text
    assert _textarea(sent.text) == "Hyvä ilta niiloK"
    assert await _comments(pool) == []
    # Read on a phone at 200 % text, and by axe-core, as the survey's other pages are.
    page = await chromium.new_page()
    await _fits(page, sent.text, f"survey, a control character refused, {lang}")
    await page.close()
    again = await client.post(f"/feedback/{event_id}?lang={lang}",
                              data={**FORM, "comment": _textarea(sent.text)})
    assert again.status_code == 201, again.text[:300]
    assert await _comments(pool) == ["Hyvä ilta niiloK"]


@pytest.mark.infra
async def test_a_double_click_on_send_counts_one_answer(start_service: Any) -> None:
    """A resident's first answer, sent twice at once (a double click): the browser is known
    from the form it was given, so both carry its token and one counts. Before, the token
    came with the first answer's response only: both went without one, and two counted."""
    client = await start_service(spec)
    pool = client.runtime.pool
    event_id = await _activity(pool)
    client.runtime.clock = FixedClock(END + timedelta(hours=1))
    form = await client.get(f"/feedback/{event_id}?lang=sv", headers={"Accept": "text/html"})
    assert form.status_code == 200 and "<form" in form.text
    assert form.cookies.get(feedback.COOKIE)
    assert "no-store" in form.headers["cache-control"]  # the cookie is this browser's
    # Both leave before either is answered: each with what the browser had then.
    sent = await asyncio.gather(*[client.post(f"/feedback/{event_id}?lang=sv", data={
        **FORM, "comment": "Trevligt"}) for _ in range(2)])
    assert sorted(s.status_code for s in sent) == [201, 409], [s.text[:200] for s in sent]
    assert any("Du har redan svarat" in s.text for s in sent)
    assert await _comments(pool) == ["Trevligt"]
    # A survey that takes no answers (before the end) gives no cookie.
    client.cookies.clear()
    client.runtime.clock = FixedClock(START)
    early = await client.get(f"/feedback/{event_id}?lang=sv", headers={"Accept": "text/html"})
    assert early.status_code == 200 and feedback.COOKIE not in early.cookies


@pytest.mark.infra
async def test_a_form_given_back_keeps_the_browser(start_service: Any) -> None:
    """A refused field gives the form back with the browser's token: the corrected answer
    sent twice counts once."""
    client = await start_service(spec)
    pool = client.runtime.pool
    event_id = await _activity(pool)
    client.runtime.clock = FixedClock(END + timedelta(hours=1))
    refused = await client.post(f"/feedback/{event_id}?lang=en", data={"wellbeing": "yes"})
    assert refused.status_code == 422 and refused.cookies.get(feedback.COOKIE)
    sent = await asyncio.gather(*[client.post(f"/feedback/{event_id}?lang=en", data=FORM)
                                  for _ in range(2)])
    assert sorted(s.status_code for s in sent) == [201, 409]
    assert len(await _comments(pool)) == 1


@pytest.mark.infra
async def test_a_short_link_copied_with_its_full_stop_leads_to_the_survey(
        start_service: Any) -> None:
    """"Anna palautetta: https://…/f/4eb9208a9c." copied with the sentence's full stop (or
    a space, or typed in groups) was "page not found"."""
    client = await start_service(spec)
    event_id = await _activity(client.runtime.pool)
    code = short_code(event_id)
    for typed in (f"{code}.", f"{code}%20", f"{code[:4].upper()}%20{code[4:].upper()}"):
        found = await client.get(f"/f/{typed}?lang=sv", headers={"Accept": "text/html"},
                                 follow_redirects=False)
        assert found.status_code == 302, (typed, found.text[:200])
        assert found.headers["location"] == f"/feedback/{event_id}?lang=sv"
    other = await client.get(f"/f/{code[:-1]}x.?lang=sv", headers={"Accept": "text/html"})
    assert other.status_code == 404 and '<html lang="sv">' in other.text


@pytest.mark.infra
async def test_the_report_and_the_analysts_page_typed_without_the_rest(
        start_service: Any) -> None:
    """`/report` without its year and `/analysts` alone were "page not found": this year's
    report (in Helsinki: 31 December 23.30 UTC is already the next year there) and the
    answers page, whose 401 page says how to sign in; the language asked kept."""
    client = await start_service(spec)
    client.runtime.clock = FixedClock(datetime(2026, 12, 31, 22, 30, tzinfo=UTC))
    for path, to in (("/report", "/report/2027"), ("/analysts", "/analysts/answers")):
        for lang in ("fi", "sv", "en"):
            moved = await client.get(path, params={"lang": lang}, follow_redirects=False)
            assert moved.status_code == 303, (path, moved.text[:200])
            assert moved.headers["location"] == f"{to}?lang={lang}"
        assert (await client.get(path, params={"lang": "xx"}, follow_redirects=False)
                ).headers["location"] == to
    shown = await client.get("/analysts?lang=sv", headers={"Accept": "text/html"},
                             follow_redirects=True)
    assert shown.status_code == 401 and '<html lang="sv">' in shown.text
    assert "/analysts/login?lang=sv" in shown.text
    report = await client.get("/report?lang=en", headers={"Accept": "text/html"},
                              follow_redirects=True)
    assert report.status_code == 200 and "yearly report 2027" in report.text
