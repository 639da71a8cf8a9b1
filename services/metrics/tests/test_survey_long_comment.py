"""A feedback comment over a megabyte (only by tampering: the textarea's maxlength is
MAX_COMMENT) was past Starlette's 1 MB a form field, so the answer was the shared 400 page
("the request could not be handled"), with a link to the dashboard, and the answer lost.
Now it is the survey's own refusal by its input, in its language: the comment's limit said
with Babel's numbers, the answer's choices kept, the comment given back as much as the
textarea holds, nothing stored."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from typing import Any

import pytest

from services.metrics import feedback
from services.metrics.app import spec
from services.metrics.domain import MAX_COMMENT
from services.metrics.tests.test_reflow_browser import _fits
from services.metrics.tests.test_survey_input import END, _activity, _comments, _textarea
from shared.clock import FixedClock
from tests.infra import focused_id

#: Over a megabyte, its start told apart from the rest: what comes back is the first
#: MAX_COMMENT characters, not any 2,000.
LONG = "Alku: mukava ilta, kiitos! " + "".join(f"{i % 10}" for i in range(1024 * 1024))
CUT = {"fi": "Palautteessa voi olla enintään 2\xa0000 merkkiä tavallista tekstiä. "
             "Lähettämäsi palaute oli paljon pidempi: lomakkeessa on sen 2\xa0000 "
             "ensimmäistä merkkiä.",
       "sv": "Responsen kan vara högst 2\xa0000 tecken vanlig text. Din respons var mycket "
             "längre: formuläret har dess 2\xa0000 första tecken.",
       "en": "The comment can be at most 2,000 characters of plain text. Yours was far "
             "longer: the form keeps its first 2,000 characters."}
NOT_SAVED = {"fi": "Vastaustasi ei tallennettu", "sv": "Ditt svar sparades inte",
             "en": "Your answer was not saved"}


@pytest.mark.unit
def test_a_comment_past_what_is_given_back_whole_comes_back_as_the_textarea_holds() -> None:
    given, off = feedback._read_form("5", "unsure", LONG, "30_64")
    assert off == {"comment": "comment_cut"}
    assert given.comment == LONG[:MAX_COMMENT] and len(given.comment) == MAX_COMMENT
    assert (given.satisfaction, given.wellbeing, given.age_group) == (5, "unsure", "30_64")
    # A comment a little too long is still given back whole, to shorten as the resident
    # chooses; only the bound of what the page echoes cuts it.
    whole = "x" * feedback.GIVEN_BACK_WHOLE
    given, off = feedback._read_form("5", "unsure", whole, "")
    assert off == {"comment": "comment"} and given.comment == whole


@pytest.mark.infra
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_a_comment_over_a_megabyte_is_the_surveys_refusal_with_the_answer_kept(
        start_service: Any, chromium: Any, lang: str) -> None:
    client = await start_service(spec)
    pool = client.runtime.pool
    event_id = await _activity(pool)
    client.runtime.clock = FixedClock(END + timedelta(hours=1))
    assert len(LONG.encode()) > 1024 * 1024  # past what Starlette reads of a field
    sent = await client.post(f"/feedback/{event_id}?lang={lang}", data={
        "satisfaction": "2", "wellbeing": "no", "comment": LONG, "age_group": "65_plus"})
    assert sent.status_code == 422, sent.text[:500]
    page = sent.text
    assert f'<html lang="{lang}">' in page
    assert NOT_SAVED[lang] in page
    # Said next to the comment, in the survey's words, the limit in the language's numbers.
    assert f'<p class="error" id="comment-error">{html.escape(CUT[lang])}</p>' in page
    assert 'aria-invalid="true"\n aria-describedby="comment-error"' in page
    # The choices kept, the comment as much as the textarea holds: its start.
    assert 'value="2"\n required checked' in page
    assert 'value="no" required checked' in page
    assert 'value="65_plus" selected' in page
    assert _textarea(page) == LONG[:MAX_COMMENT]
    assert len(page) < 20_000  # the page, not the megabyte echoed back
    assert await _comments(pool) == []
    # Nothing of the shared 400 page, nor its way to the dashboard.
    assert "/dashboard" not in page and not re.search(r"<h1>[^<]*(kunde inte|could not)", page)
    # In Chromium: the status takes focus, the textarea holds what was kept, axe-clean at a
    # phone's and a desktop's width with 200 % text.
    tab = await chromium.new_page()
    await tab.set_content(page)
    assert await focused_id(tab) == "status"
    assert await tab.input_value("textarea[name=comment]") == LONG[:MAX_COMMENT]
    assert await tab.is_checked("input[name=satisfaction][value='2']")
    assert await tab.is_checked("input[name=wellbeing][value=no]")
    assert await tab.input_value("select[name=age_group]") == "65_plus"
    await _fits(tab, page, f"survey, a comment over a megabyte, {lang}")
    await tab.close()
    # What was kept is an answer the survey takes as it is.
    again = await client.post(f"/feedback/{event_id}?lang={lang}", data={
        "satisfaction": "2", "wellbeing": "no", "comment": _textarea(page),
        "age_group": "65_plus"})
    assert again.status_code == 201, again.text[:300]
    assert await _comments(pool) == [LONG[:MAX_COMMENT]]
