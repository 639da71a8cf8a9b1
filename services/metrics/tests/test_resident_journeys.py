"""What a reviewer found walking residents' and analysts' journeys in the metrics service:

- the feedback survey offered its form before the activity had ended, and what a resident
  sent then was refused and gone: now the page says, in their language, from when feedback
  is taken (the end, as Babel writes it), and an answer sent anyway comes back in the form,
  filled in, to send once the activity has ended; nor is what a resident wrote after the
  end lost to the hourly ceiling or a second answer (nor to a long comment's line breaks);
- the activity line read "…novellit , tiistai";
- the dashboard's CSV opened in one column in a Finnish Excel, ä and ö garbled: a
  spreadsheet's CSV in the reader's language sits next to the machine-readable one.
"""

from __future__ import annotations

import csv
import dataclasses
import html
import io
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from services.metrics import feedback, handlers
from services.metrics.app import spec
from services.metrics.domain import INDICATORS, MAX_COMMENT
from shared import l10n
from shared.clock import FixedClock
from shared.contracts import ActivityEventPublished, AttendanceReported, LocalizedText
from tests.infra import bearer

pytestmark = pytest.mark.infra

#: Tuesday 1 December 2026, 18.00–19.30 in Kuopio.
START = datetime(2026, 12, 1, 16, 0, tzinfo=UTC)
END = START + timedelta(minutes=90)
FORM = {"satisfaction": "4", "wellbeing": "yes", "age_group": "65_plus"}
EARLY = {"fi": "Palautetta voi antaa, kun toiminta on päättynyt ({when}).",
         "sv": "Respons kan ges när verksamheten har avslutats ({when}).",
         "en": "Feedback can be given once the activity has ended ({when})."}


async def _activity(pool: Any, name: LocalizedText, area: str = "kuopio.jynkka",
                    participants: int | None = None) -> UUID:
    event = ActivityEventPublished(
        event_id=uuid4(), revision=1, name=name, kind="open_guided", area=area,
        organiser_id=uuid4(), starts_at=START, ends_at=END)
    async with pool.acquire() as conn, conn.transaction():
        await handlers.on_activity_event(conn, event, event.to_envelope())
        if participants is not None:
            report = AttendanceReported(
                event_id=event.event_id, report_revision=1, participants=participants,
                visitors=0, starts_at=START, ends_at=END, area=area, kind="open_guided")
            await handlers.on_attendance(conn, report, report.to_envelope())
    return event.event_id


def _text(page: str) -> str:
    """What a reader sees of `page`: tags gone, white space collapsed as a browser does."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", page))).strip()


async def _answers(pool: Any) -> list[Any]:
    async with pool.acquire() as conn:
        return list(await conn.fetch("SELECT satisfaction, wellbeing, comment, age_group "
                                     "FROM feedback"))


async def test_before_the_end_the_survey_says_when_it_takes_answers(start_service) -> None:
    """A poster read at the door: no form whose answers would be lost, but when feedback can
    be given, in the reader's language, the end as Babel writes it."""
    client = await start_service(spec)
    event_id = await _activity(client.runtime.pool, LocalizedText(fi="Kauhunovellit"))
    client.runtime.clock = FixedClock(END - timedelta(minutes=30))  # it is on now
    for lang in ("fi", "sv", "en"):
        page = await client.get(f"/feedback/{event_id}", params={"lang": lang})
        assert page.status_code == 200
        assert "<form" not in page.text and 'name="satisfaction"' not in page.text
        when = l10n.day_and_time(END, lang)
        assert EARLY[lang].format(when=when) in _text(page.text), _text(page.text)
    assert "ti 1.12. klo 19.30" in l10n.day_and_time(END, "fi")  # Helsinki, Finnish digits
    # The poster's short link leads to the same page.
    short = await client.get(f"/f/{event_id.hex[:10]}", params={"lang": "fi"},
                             follow_redirects=True)
    assert "<form" not in short.text and "kun toiminta on päättynyt" in short.text
    # From its end the form is there.
    client.runtime.clock = FixedClock(END)
    assert "<form" in (await client.get(f"/feedback/{event_id}?lang=fi")).text


async def test_an_answer_sent_before_the_end_is_kept_in_the_form(start_service) -> None:
    """A form loaded earlier and sent before the end: a 409 page saying when feedback is
    taken, the answer filled in again (nothing the resident wrote is lost), and the same form
    sent after the end is taken."""
    client = await start_service(spec)
    pool = client.runtime.pool
    event_id = await _activity(pool, LocalizedText(fi="Kauhunovellit"))
    client.runtime.clock = FixedClock(END - timedelta(minutes=5))
    sent = {**FORM, "comment": "Hyvä piiri <3\r\nKiitos!"}
    early = await client.post(f"/feedback/{event_id}?lang=fi", data=sent)
    assert early.status_code == 409 and early.headers["content-type"].startswith("text/html")
    text = _text(early.text)
    assert EARLY["fi"].format(when=l10n.day_and_time(END, "fi")) in text, text
    assert "Vastaustasi ei ole vielä tallennettu" in text
    assert f'action="/feedback/{event_id}?lang=fi"' in early.text
    assert ">\nHyvä piiri &lt;3\nKiitos!</textarea>" in early.text  # one line break each
    assert re.search(r'value="4"\s+required checked', early.text)
    assert re.search(r'value="yes"\s+required checked', early.text)
    assert '<option value="65_plus" selected>' in early.text
    assert await _answers(pool) == []
    client.runtime.clock = FixedClock(END + timedelta(minutes=1))
    taken = await client.post(f"/feedback/{event_id}?lang=fi", data=sent)
    assert taken.status_code == 201 and "Kiitos palautteestasi" in taken.text
    assert [tuple(r) for r in await _answers(pool)] == [
        (4, "yes", "Hyvä piiri <3\nKiitos!", "65_plus")]


async def test_a_full_comment_with_line_breaks_is_taken(start_service) -> None:
    """The textarea lets a resident write MAX_COMMENT characters counting a line break as
    one; the browser sends each as CR LF. Taken (`shared.forms` makes them LF before the
    length is checked): a guard on the after-the-end path, not a change of this round."""
    client = await start_service(spec)
    pool = client.runtime.pool
    event_id = await _activity(pool, LocalizedText(fi="Kauhunovellit"))
    client.runtime.clock = FixedClock(END + timedelta(hours=1))
    lines = ["x" * 199] * 10
    written = "\n".join(lines) + "\n"
    assert len(written) == MAX_COMMENT  # what the browser let through
    sent = await client.post(f"/feedback/{event_id}?lang=fi",
                             data={**FORM, "comment": written.replace("\n", "\r\n")})
    assert sent.status_code == 201, _text(sent.text)[:300]
    assert (await _answers(pool))[0]["comment"] == written
    # Longer than the form allows is still refused.
    client.cookies.set(feedback.COOKIE, "another-browser")
    other = await client.post(f"/feedback/{event_id}?lang=fi",
                              data={**FORM, "comment": "y" * (MAX_COMMENT + 1)})
    assert other.status_code == 422


async def test_answers_not_taken_after_the_end_are_shown_back(
        start_service, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second answer from one browser: its words shown back, not silently dropped; over
    the network's hourly ceiling: the answer stays in the form, to send again then."""
    client = await start_service(spec)
    pool = client.runtime.pool
    first = await _activity(pool, LocalizedText(fi="Kauhunovellit"))
    second = await _activity(pool, LocalizedText(fi="Runopiiri"))
    client.runtime.clock = FixedClock(END + timedelta(hours=1))
    given = await client.post(f"/feedback/{first}?lang=fi", data={**FORM, "comment": "Hyvä!"})
    assert given.status_code == 201
    client.cookies.set(feedback.COOKIE, given.cookies[feedback.COOKIE])
    again = await client.post(f"/feedback/{first}?lang=fi",
                              data={**FORM, "comment": "Vielä yksi ajatus"})
    assert again.status_code == 409 and "Olet jo vastannut" in again.text
    assert "Vielä yksi ajatus" in _text(again.text)
    monkeypatch.setattr(feedback, "POLICY", dataclasses.replace(feedback.POLICY,
                                                                hourly_limit=1))
    busy = await client.post(f"/feedback/{second}?lang=fi",
                             data={**FORM, "comment": "Runot <3"})
    assert busy.status_code == 429 and "Voit vastata" in busy.text
    assert "<form" in busy.text and ">\nRunot &lt;3</textarea>" in busy.text
    assert "Vastaustasi ei ole vielä tallennettu" in _text(busy.text)
    assert len(await _answers(pool)) == 1


async def test_the_activity_line_has_no_space_before_the_comma(start_service) -> None:
    """ "Toiminta: Kauhunovellit, tiistai 1. joulukuuta 2026 18.00–19.30", never
    "Kauhunovellit , tiistai": the line break after the name was read as a space (and a
    name arriving with a space at its end is shown without it)."""
    client = await start_service(spec)
    pool = client.runtime.pool
    plain = await _activity(pool, LocalizedText(fi="Kauhunovellit", sv="Skräcknoveller",
                                                en="Horror short stories"))
    padded = await _activity(pool, LocalizedText(fi="Kauhunovellit "))
    client.runtime.clock = FixedClock(END + timedelta(hours=1))
    for event_id, lang, name in ((plain, "fi", "Kauhunovellit"), (plain, "sv", "Skräcknoveller"),
                                 (plain, "en", "Horror short stories"),
                                 (padded, "fi", "Kauhunovellit")):
        text = _text((await client.get(f"/feedback/{event_id}?lang={lang}")).text)
        when = l10n.time_span(START, END, lang)
        assert f"{name}, {when}" in text, text
        assert " ," not in text, text
    assert "tiistai 1. joulukuuta 2026" in l10n.time_span(START, END, "fi")


async def test_the_dashboard_offers_a_csv_for_finnish_spreadsheets(start_service) -> None:
    """Excel in a Finnish or Swedish locale splits a CSV at `;`, reads `2,5` as a number
    and UTF-8 only after a byte order mark; in English `,` and `2.5`. The machine-readable
    CSV stays as it was."""
    client = await start_service(spec)
    pool = client.runtime.pool
    await _activity(pool, LocalizedText(fi="Kauhunovellit"), participants=5)
    await _activity(pool, LocalizedText(fi="Runopiiri"), area="kuopio.pyoro", participants=3)
    await _activity(pool, LocalizedText(fi="Kuoro"), area="=HYPERLINK(1)")
    assert (await client.put("/areas/kuopio.jynkka/population", headers=bearer("analyst"),
                             json={"population": 2000, "year": 2026})).status_code == 200
    words = {"fi": ("Lataa taulukkolaskentaan (Excel)", ";", "Alue", "Jynkkä", "kaupunki",
                    "2,5", "kyllä", "ei"),
             "sv": ("Ladda ner för kalkylprogram (Excel)", ";", "Område", "Jynkkä", "stad",
                    "2,5", "ja", "nej"),
             "en": ("Download for spreadsheets (Excel)", ",", "Area", "Jynkkä", "city", "2.5",
                    "yes", "no")}
    participants = next(i for i in INDICATORS if i.code == "participants")
    for lang, (link, separator, area, jynkka, city, rate, yes, no) in words.items():
        dashboard = await client.get("/dashboard", params={"lang": lang, "year": 2026})
        found = re.search(r'<a href="(/indicators/summary\?format=excel[^"]*)">([^<]*)</a>',
                          dashboard.text)
        assert found and found.group(2) == link, dashboard.text[:2000]
        href = html.unescape(found.group(1))
        assert f"lang={lang}" in href and "from=2026-01-01" in href and "to=2027-01-01" in href
        sheet = await client.get(href)
        assert sheet.status_code == 200 and sheet.headers["content-type"].startswith("text/csv")
        assert sheet.headers["content-disposition"] == (
            f'attachment; filename="kohtaamo-indicators-{lang}.csv"')
        assert sheet.content.startswith(b"\xef\xbb\xbf")  # UTF-8's byte order mark
        text = sheet.content.decode("utf-8-sig")
        assert text.splitlines()[0].split(separator)[0] == area
        rows = list(csv.reader(io.StringIO(text), delimiter=separator))
        header = rows[0]
        assert len(header) == len(rows[1]) and len(header) > len(INDICATORS)
        row = next(r for r in rows if r[0] == jynkka)
        per_1000 = {"fi": "/ 1 000 as.", "sv": "/ 1 000 inv.", "en": "per 1,000"}[lang]
        column = header.index(f"{participants.name[lang]} {per_1000}")
        assert row[1] == city and row[2] == "2000" and row[3] == "2026"
        assert row[4] == no and row[header.index(participants.name[lang])] == "5"
        assert row[column] == rate, (header, row)
        pyoro = next(r for r in rows if r[0] == "Pyörö")
        assert pyoro[4] == yes  # the sample population Kuopio's areas ship with
        evil = next(r for r in rows if "HYPERLINK" in r[0])
        assert evil[0].startswith("'=")  # a text cell never becomes a formula
    # Without a `lang`, the reader's language.
    swedish = await client.get("/indicators/summary", params={"format": "excel"},
                               headers={"Accept-Language": "sv-FI,sv;q=0.9"})
    assert swedish.content.decode("utf-8-sig").startswith("Område;")
    # The machine-readable CSV is unchanged: codes, commas, decimal points, no mark.
    machine = await client.get("/indicators/summary", params={
        "format": "csv", "from": "2026-01-01", "to": "2027-01-01"})
    assert machine.content.startswith(b"area,area_group,population,")
    assert any(line.startswith("kuopio.jynkka,city,2000,2026,False,")
               for line in machine.text.splitlines())
    assert (await client.get("/indicators/summary", params={
        "format": "excel", "lang": "de"})).status_code == 422

