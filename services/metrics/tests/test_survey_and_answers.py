"""The feedback survey as residents reach and answer it, and its answers as analysts read
and download them: a short link typed in any case, a form given back filled in when a field
is refused, the answers' spreadsheet in the reader's language."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID, uuid4

import pytest

from services.metrics import usecases
from services.metrics.tests.test_usecases import World, published
from shared.errors import NotFound
from shared.identity import PUBLIC
from tests.apps import unstarted_app


@pytest.mark.unit
async def test_a_short_code_is_read_in_any_case() -> None:
    """A code read off a poster is typed as it looks: upper case finds the activity too."""
    w = World()
    event_id = UUID("4eb9208a-9c1d-4e5f-8a7b-6c5d4e3f2a1b")  # the tester's code
    await w.handle(published(event_id, start=w.clock.now() - timedelta(hours=3)))
    code = "4eb9208a9c"
    for typed in (code, code.upper(), code[:5].upper() + code[5:]):
        assert await usecases.resolve_short_code(w.uow, w.clock, PUBLIC, typed) == event_id
    # Typed in groups, or copied from a sentence with its punctuation or a space: found
    # (they were "page not found").
    for typed in ("4EB9 208A 9C", "4eb9-208a-9c", f"{code}.", f"{code},", f" {code} ",
                  f"({code})"):
        assert await usecases.resolve_short_code(w.uow, w.clock, PUBLIC, typed) == event_id, (
            typed)
    # Another code is still no activity.
    with pytest.raises(NotFound):
        await usecases.resolve_short_code(w.uow, w.clock, PUBLIC, "4eb9208a9d.")


@pytest.mark.unit
async def test_openapi_says_the_pages_answer_html() -> None:
    """The dashboard, the report and the survey answer pages, refusals included (a 422 is a
    page naming the input): OpenAPI says text/html, not JSON."""
    import httpx


    app = unstarted_app("metrics")  # not started: no I/O
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://kohtaamo.internal") as http:
        paths = (await http.get("/openapi.json")).json()["paths"]
    own = {"/report/{year}.pdf": "application/pdf", "/feedback/{event_id}/qr.svg":
           "image/svg+xml"}
    for path, method in (("/dashboard", "get"), ("/report/{year}", "get"),
                         ("/report/{year}.pdf", "get"), ("/feedback/{event_id}", "get"),
                         ("/feedback/{event_id}", "post"), ("/feedback/{event_id}/qr.svg", "get")):
        answers = paths[path][method]["responses"]
        assert "422" in answers, (path, answers)
        for status, answer in answers.items():
            expected = own.get(path, "text/html") if status.startswith("2") else "text/html"
            assert list(answer["content"]) == [expected], (path, method, status, answer)
    assert "200" not in paths["/feedback/{event_id}"]["post"]["responses"]  # 201: taken
    # The JSON API stays JSON.
    assert "application/json" in paths["/indicators/summary"]["get"]["responses"]["422"][
        "content"]


@pytest.mark.infra
async def test_the_answers_open_in_a_spreadsheet_in_the_readers_language(start_service) -> None:  # type: ignore[no-untyped-def]
    """The analysts' CSV had no byte order mark and raw codes, so Excel broke ä and ö: the
    page links a spreadsheet (`format=excel`) in its language, as the indicators' is, and
    the API gives the same; the machine CSV stays as it was. The page's dates are the
    language's ("3 dec. 2026"), not ISO's."""
    import csv
    import html
    import io
    import re

    from services.metrics.app import spec
    from services.metrics.tests.test_answers_page import (
        ANALYST,
        BROWSER,
        PAGE,
        SCRIPT,
        _answered,
    )

    client = await start_service(spec)
    ids = await _answered(client)
    words = {"fi": (";", "Toiminta", "Käsityökerho", "Jynkkä", "joulukuu 2026", "kyllä",
                    "65 tai yli", "suomi", "3.12.2026", "3.12.2026"),
             "sv": (";", "Verksamhet", "Hantverksklubb", "Jynkkä", "december 2026", "ja",
                    "65 eller äldre", "finska", "2026-12-03", "3 dec. 2026"),
             "en": (",", "Activity", "Craft club", "Jynkkä", "December 2026", "yes",
                    "65 or over", "Finnish", "03/12/2026", "3 Dec 2026")}
    for lang, (separator, header, crafts, area, month, yes, age, language, day,
               shown) in words.items():
        page = await client.get(PAGE, params={"lang": lang}, headers={**BROWSER, **ANALYST})
        assert f'<td class="nowrap">{shown}</td>' in page.text
        assert "2026-12-03" not in page.text and "03/12/2026" not in page.text
        found = re.search(r'<a href="([^"]*format=excel[^"]*)">([^<]*)</a>', page.text)
        assert found, page.text[-3000:]
        href = html.unescape(found.group(1))
        assert f"lang={lang}" in href
        for sheet in (await client.get(href, headers=ANALYST),
                      await client.get("/feedback/answers", params={
                          "format": "excel", "lang": lang}, headers=ANALYST)):
            assert sheet.status_code == 200, sheet.text[:300]
            assert sheet.headers["content-disposition"] == (
                f'attachment; filename="kohtaamo-feedback-{lang}.csv"')
            assert sheet.content.startswith(b"\xef\xbb\xbf")
            rows = list(csv.reader(io.StringIO(sheet.content.decode("utf-8-sig")),
                                   delimiter=separator))
            assert rows[0][0] == header and len(rows) == 4
            row = next(r for r in rows if r[0] == crafts and r[5] == age)
            assert row[1:4] == [area, month, "5"] and row[4] == yes and row[6] == language
            assert row[7] == SCRIPT  # the resident's words as they wrote them
            assert row[8] == day and row[9] == str(ids["crafts"])
    # The machine CSV is as it was: codes, commas, ISO dates, no byte order mark.
    machine = await client.get("/feedback/answers", params={"format": "csv"}, headers=ANALYST)
    assert machine.content.startswith(b"activity_event_id,name_fi,area,month,satisfaction")
    assert "kuopio.jynkka" in machine.text and "2026-12-03" in machine.text


@pytest.mark.infra
async def test_a_refused_field_gives_the_form_back_filled_in(start_service) -> None:  # type: ignore[no-untyped-def]
    """An answer with one field off (an age group the form does not offer, a comment too
    long) was a bare page naming the raw field and lost what the resident wrote: now the form
    comes back filled in, what to fix next to the field, in the resident's language (422)."""
    from datetime import UTC, datetime

    from services.metrics.app import spec
    from services.metrics.tests.test_handlers import apply
    from shared.clock import FixedClock
    from shared.contracts import ActivityEventPublished, LocalizedText

    client = await start_service(spec)
    event_id, start = uuid4(), datetime(2026, 12, 3, 15, tzinfo=UTC)
    await apply(client.runtime.pool, ActivityEventPublished(
        event_id=event_id, revision=1, name=LocalizedText(fi="Kuoro"), kind="open_guided",
        area="kuopio.nilsia", starts_at=start, ends_at=start + timedelta(hours=2)))
    client.runtime.clock = FixedClock(start + timedelta(hours=3))
    said = {"fi": ("Valitse ikäryhmä listasta tai jätä se tyhjäksi.",
                   "Palautteessa voi olla enintään 2\xa0000 merkkiä"),
            "sv": ("Välj en åldersgrupp i listan eller lämna den tom.",
                   "Responsen kan vara högst 2\xa0000 tecken"),
            "en": ("Choose an age group from the list, or leave it empty.",
                   "The comment can be at most 2,000 characters")}
    for lang, (age_said, comment_said) in said.items():
        answer = await client.post(f"/feedback/{event_id}?lang={lang}", data={
            "satisfaction": "4", "wellbeing": "no", "comment": "Mukavaa & <lämmintä>",
            "age_group": "old"})
        assert answer.status_code == 422 and answer.headers["content-type"].startswith(
            "text/html")
        page = answer.text
        assert f'<p class="error" id="age_group-error">{age_said}</p>' in page, page
        assert 'name="age_group" aria-invalid="true"' in page
        assert 'value="4"\n required checked' in page and 'value="no" required checked' in page
        assert "Mukavaa &amp; &lt;lämmintä&gt;</textarea>" in page
        assert "<code>" not in page  # no raw field names
        # The status saying what to fix takes focus, as on every form of the platform.
        assert '<p role="status" id="status" tabindex="-1" autofocus>' in page
        assert page.count("autofocus") == 1
        long = await client.post(f"/feedback/{event_id}?lang={lang}", data={
            "satisfaction": "5", "wellbeing": "yes", "comment": "x" * 2001,
            "age_group": "65_plus"})
        assert long.status_code == 422 and comment_said in long.text, long.text
        assert 'value="65_plus" selected' in long.text and "x" * 2001 in long.text
    # A score with a separator character around it (the fuzzer's "0\x1c") is read as
    # stripped: a refusal, not a 500.
    odd = await client.post(f"/feedback/{event_id}", data={"satisfaction": "0\x1c",
                                                            "wellbeing": "yes"})
    assert odd.status_code == 422 and "Valitse tyytyväisyytesi asteikolta 1–5." in odd.text
    missing = await client.post(f"/feedback/{event_id}", data={"wellbeing": "yes"})
    assert missing.status_code == 422 and "Valitse tyytyväisyytesi asteikolta 1–5." in (
        missing.text)
    async with client.runtime.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM feedback") == 0
    taken = await client.post(f"/feedback/{event_id}", data={"satisfaction": "4",
                                                             "wellbeing": "no"})
    assert taken.status_code == 201
