"""The communications staff's page in a real browser (Debian's Chromium, via Playwright):
what needs a person is listed, and their decisions take effect."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest

from services.notifications.domain import board_id_for_venue
from services.notifications.store import NotificationStore
from shared.clock import HELSINKI
from shared.contracts import ActivityEventPublished, LocalizedText
from shared.db import create_pool
from shared.l10n import clock_time, day_short
from tests.axe import violations
from tests.infra import bearer, focused_id, launch_chromium

pytestmark = pytest.mark.infra

CLOSED = "Jynkän kirjasto on suljettu torstaina."
STÄNGT = "Jynkkä bibliotek är stängt på torsdag."

#: The failed post's activity: in a few days.
STARTS = (datetime.now(UTC) + timedelta(days=3)).replace(hour=15, minute=0, second=0,
                                                          microsecond=0)
#: The activity's picture (a data: URL: the page may show it without any network).
IMAGE = ("data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHdp"
         "ZHRoPSI4IiBoZWlnaHQ9IjgiLz4=")


async def _refused(page: Any, invalid: str) -> None:
    """Send the notice form in Swedish: refused (422), the `invalid` input marked."""
    async with page.expect_response(lambda r: "/staff/notices/" in r.url) as answer:
        await page.get_by_role("button", name="Skicka meddelandet").click()
    assert (await answer.value).status == 422
    await page.wait_for_selector(f"{invalid}[aria-invalid=true]")


async def test_staff_see_what_needs_them_and_decide(chromium_path: str, spawn_service: Any,
                                                    fresh_database: Any, tmp_path: Path) -> None:
    dsn = await fresh_database("notifications")
    proc = await spawn_service("notifications", dsn,
                               env={"KOHTAAMO_NOTIFICATIONS_JOB_INTERVAL": "0"})
    staff = bearer("communications", subject="viestinta", name="Viestintä")
    async with httpx.AsyncClient(base_url=proc.url) as http:
        # An admin makes the account (it chooses where a token goes); staff see it after.
        account = (await http.post("/channels", headers=bearer("admin"), json={
            "platform": "facebook", "name": "Kuopion kirjastot", "account_ref": "1001",
            "base_url": "https://graph.facebook.com/v21.0",
            "secret_ref": "env:KOHTAAMO_CHANNEL_FACEBOOK_TOKEN"})).json()
        forbidden = await http.get("/channels", headers=bearer("organiser"))
        assert forbidden.status_code == 403
    pool = await create_pool(dsn)
    try:
        ids: dict[str, UUID] = {}
        async with pool.acquire() as conn:
            db = NotificationStore(conn)
            # The failed post's activity and its venue's board, as the handlers keep them.
            venue_id, activity_id = uuid4(), uuid4()
            await conn.execute(
                """INSERT INTO notice_boards (id, venue_id, area, name, venue_revision)
                   VALUES ($1, $2, $3, $4, 1)""",
                board_id_for_venue(venue_id), venue_id, "kuopio.jynkka",
                {"fi": "Jynkän kirjasto", "sv": "Jynkkä bibliotek"})  # jsonb: the pool's codec
            await conn.execute(
                """INSERT INTO activity_events (id, revision, status, venue_id, area, facts)
                   VALUES ($1, 1, 'published', $2, 'kuopio.jynkka', $3)""",
                activity_id, venue_id, ActivityEventPublished(
                    event_id=activity_id, revision=1,
                    name=LocalizedText(fi="Kuorokonsertti", en="Choir concert"),
                    starts_at=STARTS, ends_at=STARTS + timedelta(hours=2),
                    kind="open_guided", venue_id=venue_id, area="kuopio.jynkka",
                    image_url=IMAGE, image_alt=LocalizedText(fi="Kuoro laulaa lavalla",
                                                             en="A choir on stage"),
                    ).model_dump(mode="json"))
            for status, text in (("failed", "Kuorokonsertti"), ("unconfirmed", "Satutunti")):
                delivery_id = await db.add_delivery(
                    activity_event_id=activity_id if status == "failed" else None,
                    key=status, channel="facebook", target=f"{account['id']}:a",
                    revision=1, purpose="announcement", status=status,
                    due_at=datetime.now(UTC), content={"text": f"{text}\n3.12. 17.00"},
                    language="fi", account_id=UUID(account["id"]),
                    error_class="permanent" if status == "failed" else "unconfirmed",
                    last_error='facebook feed: HTTP 400: {"error": {"message": "(#100)"}}'
                    if status == "failed" else "timeout")
                assert delivery_id is not None
                ids[status] = delivery_id
            await db.set_account_state(UUID(account["id"]), "reauth_needed",
                                          "Error validating access token")

        token = staff["Authorization"].removeprefix("Bearer ")
        async with launch_chromium(chromium_path) as browser:
            page = await browser.new_page(locale="fi-FI")
            await page.goto(f"{proc.url}/staff")
            assert "/staff/login" in page.url  # signed out: asked to sign in
            await page.fill("input[name=token]", token)
            await page.click("button")
            await page.wait_for_url(f"{proc.url}/staff?lang=fi")
            await page.goto(f"{proc.url}/staff?lang=en")
            assert await page.title() == "Communications: posts"
            rows = page.locator("tr.delivery")
            assert await rows.count() == 2
            failed = page.locator(f"tr.delivery[data-id='{ids['failed']}']")
            # Named by its activity, start and venue; why, in a few words; the platform's own
            # answer folded away.
            assert await failed.locator("td.activity").inner_text() == \
                f"Choir concert\n{day_short(STARTS.date(), 'en')} {clock_time(STARTS, 'en')}" \
                "\nJynkän kirjasto"
            assert await failed.locator(".reason").inner_text() == "The platform refused the post."
            raw = failed.locator("details pre")
            assert not await raw.is_visible()
            await failed.get_by_text("Technical detail").click()
            assert "HTTP 400" in await raw.inner_text()
            for width in (1024, 1920):
                await page.set_viewport_size({"width": width, "height": 900})
                assert await violations(page) == [], width
            # An account to sign in again: said in a sentence of the page's language, the
            # platform's own answer folded away.
            account_row = page.locator("tr.account")
            assert await account_row.locator(".reason").inner_text() == (
                "The platform no longer accepts the account's sign-in: sign in to the "
                "account on the platform again, then press Signed in again.")
            assert not await account_row.locator("details pre").is_visible()
            await account_row.get_by_text("Technical detail").click()
            assert await account_row.locator("details pre").inner_text() == \
                "Error validating access token"
            unconfirmed = page.locator(f"tr.delivery[data-id='{ids['unconfirmed']}']")
            assert "unconfirmed" in await unconfirmed.inner_text()
            await unconfirmed.locator("input[name=remote_url]").fill(
                "https://www.facebook.com/1001_77")
            await unconfirmed.get_by_role("button", name="It is on the channel").click()
            await page.wait_for_selector("p.msg")
            assert await page.locator("p.msg").inner_text() == "Marked as posted."
            # The answer after the redirect is announced: its region takes focus.
            assert await focused_id(page) == "status"
            # Edited before it goes again: over the platform's limit is refused, in words, by
            # the textarea, the text as typed kept (422, nothing sent).
            textarea = failed.locator("textarea")
            await failed.get_by_text("Edit the text").click()
            await textarea.fill("x" * 70_000)
            async with page.expect_response(lambda r: "/retry" in r.url) as answer:
                await failed.get_by_role("button", name="Send as edited").click()
            assert (await answer.value).status == 422
            await page.wait_for_selector("textarea[aria-invalid=true]")
            assert await textarea.input_value() == "x" * 70_000
            assert await failed.locator(".field-error").inner_text() == \
                "The text has 70,000 characters; the platform takes 63,206."  # Babel's
            assert await textarea.get_attribute("aria-describedby") == \
                await failed.locator(".field-error").get_attribute("id")
            await page.wait_for_selector("textarea[name=text]:focus", timeout=5000)  # autofocus
            assert await violations(page) == []
            # Nothing to read (spaces and zero-width spaces), or a blank edit: refused the
            # same way, in the page's language; the original is never sent in its place.
            await page.goto(f"{proc.url}/staff?lang=sv")
            # The events service's staff pages are one link away, in the page's language.
            assert (await page.get_by_role("link", name="Vokabulär").get_attribute("href")
                    ).endswith("/approvals/vocabulary?lang=sv")
            await failed.get_by_text("Redigera texten").click()
            for typed in ("   \u200b\u200b ", ""):  # the refused form comes back open
                await textarea.fill(typed)
                async with page.expect_response(lambda r: "/retry" in r.url) as answer:
                    await failed.get_by_role("button", name="Skicka redigerad").click()
                assert (await answer.value).status == 422
                await page.wait_for_selector("textarea[aria-invalid=true]")
                assert await failed.locator(".field-error").inner_text() == (
                    "Texten har inget att läsa. Den ursprungliga texten skickas med knappen "
                    "Försök igen."), typed
                assert await textarea.input_value() == typed
                await page.wait_for_selector("textarea[name=text]:focus", timeout=5000)  # autofocus
            assert await pool.fetchval("SELECT status FROM deliveries WHERE id = $1",
                                       ids["failed"]) == "failed"
            await page.goto(f"{proc.url}/staff?lang=en")
            await failed.get_by_text("Edit the text").click()
            await failed.locator("textarea").fill("Kuorokonsertti lauantaina!")
            await failed.get_by_role("button", name="Send as edited").click()
            await page.wait_for_selector("p.msg:not(.error)")
            assert await page.locator("p.msg").inner_text() == "Sending again."
            assert await page.locator("tr.delivery").count() == 0
            # A notice of the staff's own, to the chosen channel, by the same sender, and onto
            # the library's notice board (from now to the end of the day).
            board = board_id_for_venue(venue_id)
            feed_url = f"{proc.url}/boards/{board}/feed.json"
            async with httpx.AsyncClient() as http:
                before = await http.get(feed_url)
            # The library's screen is on before the notice is sent: it polls feed.json with
            # If-None-Match every second, and a changed ETag brings the notice in.
            screen = await browser.new_page(viewport={"width": 1920, "height": 1080})
            await screen.goto(f"{proc.url}/boards/{board}/screen?refresh=1")
            assert await screen.locator(".slide").count() == 0
            await page.fill("#notice-text", CLOSED)
            await page.fill("#notice-text-sv", STÄNGT)
            await page.get_by_label("facebook: Kuopion kirjastot").check()
            await page.get_by_label("Jynkän kirjasto").check()
            await page.get_by_role("button", name="Send the notice").click()
            await page.wait_for_selector("p.msg:not(.error)")
            assert await page.locator("p.msg").inner_text() == \
                "The notice goes out on one channel. The notice is on one notice board."
            notice = page.locator("tr.planned", has_text="notice")
            assert await notice.count() == 1
            # The week's times are when posts go out, not when something changed.
            heads = await page.locator("table.week th").all_inner_texts()
            assert heads[:2] == ["Goes out", "Channel"], heads
            on_board = page.locator("tr.board-notice")
            assert await on_board.count() == 1
            assert "Jynkän kirjasto" in await on_board.inner_text()
            for width in (1024, 1920):
                await page.set_viewport_size({"width": width, "height": 900})
                assert await violations(page) == [], width
            # The board's screen shows it first, in the board's languages it was written in,
            # without being reloaded.
            await screen.wait_for_selector(".slide.status-notice", timeout=15_000)
            first = screen.locator(".slide:not([hidden])")
            assert await first.get_attribute("class") == "slide status-notice"
            assert await first.locator(".banner").inner_text() == "TIEDOTE"
            assert await first.locator(".notice-text").all_inner_texts() == [CLOSED, STÄNGT]
            for width in (1920, 1024):
                await screen.set_viewport_size({"width": width, "height": 1080 * width // 1920})
                assert await violations(screen) == [], width
            async with httpx.AsyncClient() as http:
                shown = await http.get(feed_url, headers={"If-None-Match": before.headers["etag"]})
                swedish = (await http.get(feed_url, params={"lang": "sv"})).json()["items"][0]
            assert shown.status_code == 200 and shown.headers["etag"] != before.headers["etag"]
            assert shown.json()["items"][0]["content_text"] == CLOSED
            assert (swedish["title"], swedish["content_text"]) == ("MEDDELANDE", STÄNGT)
            # Taken off: gone from the feed at once, under a new ETag, and off the screen.
            await on_board.get_by_role("button", name="Take off the boards").click()
            await page.wait_for_selector("p.msg:not(.error)")
            assert await page.locator("p.msg").inner_text() == \
                "The notice was taken off the notice boards."
            assert await page.locator("tr.board-notice").count() == 0
            async with httpx.AsyncClient() as http:
                gone = await http.get(feed_url, headers={"If-None-Match": shown.headers["etag"]})
            assert gone.status_code == 200 and gone.json()["items"] == []
            await screen.wait_for_selector(".slide.status-notice", state="detached",
                                           timeout=15_000)
            assert await screen.locator("p.empty").count() == 1
            await screen.close()
            # A window that ends before it starts: refused in the staff's language, nothing
            # stored.
            await page.goto(f"{proc.url}/staff?lang=sv")
            await page.fill("#notice-text", CLOSED)
            await page.get_by_label("Jynkkä bibliotek").check()  # the board's Swedish name
            day = (datetime.now(HELSINKI) + timedelta(days=2)).date().isoformat()
            await page.fill("#shown-from", f"{day}T10:00")
            await page.fill("#shown-until", f"{day}T09:00")
            await page.fill("#notice-text-en", "The library is closed on Thursday.")
            # The form as typed, the refusal by the end time, which takes focus.
            await _refused(page, "#shown-until")
            assert await page.locator("#error-notice-shown_until").inner_text() == \
                "Meddelandet måste sluta efter att det börjar."
            assert await page.locator("#shown-until").get_attribute("aria-describedby") == \
                "error-notice-shown_until"
            assert await focused_id(page) == "shown-until"
            assert await page.input_value("#notice-text") == CLOSED
            assert await page.input_value("#notice-text-en") == \
                "The library is closed on Thursday."
            assert await page.input_value("#shown-from") == f"{day}T10:00"
            assert await page.input_value("#shown-until") == f"{day}T09:00"
            assert await page.get_by_label("Jynkkä bibliotek").is_checked()
            assert await page.locator("#notice-refusals a").get_attribute("href") == \
                "#shown-until"
            assert await violations(page) == []
            # Several refused at once (no Finnish text, no channel): each by its input, the
            # summary takes focus; the Swedish text typed stays.
            await page.fill("#notice-text", " \u200b ")
            await page.fill("#notice-text-sv", STÄNGT)
            await page.get_by_label("Jynkkä bibliotek").uncheck()
            await _refused(page, "#notice-text")
            assert await page.locator("#error-notice-text").inner_text() == \
                "Skriv meddelandet åtminstone på finska."
            assert await page.locator("#error-notice-account").inner_text() == \
                "Välj minst en kanal eller anslagstavla."
            assert await focused_id(page) == "notice-refusals"
            assert await page.input_value("#notice-text-sv") == STÄNGT
            assert await violations(page) == []
            # No Finnish text at all (a browser that skips `required`): the same form, not a
            # page of its own that lost the Swedish text typed.
            await page.evaluate(
                "document.querySelector('#notice-text').removeAttribute('required')")
            await page.fill("#notice-text", "")
            await _refused(page, "#notice-text")
            assert await page.locator("#error-notice-text").inner_text() == \
                "Skriv meddelandet åtminstone på finska."
            assert await page.input_value("#notice-text-sv") == STÄNGT
            await page.goto(f"{proc.url}/staff?lang=en")
            # Due now again: in the week's calendar, and its preview a click away.
            planned = page.locator("tr.planned", has_text="Choir concert")
            assert await planned.count() == 1
            assert "Choir concert" in await planned.inner_text()
            await planned.get_by_role("link", name="Choir concert").click()
            await page.wait_for_selector("article.preview")
            assert await page.title() == "Preview: Choir concert"
            facebook = page.locator("article.preview[data-platform=facebook]")
            # The account posts in Finnish (its languages), the staff read the page in English.
            post = await facebook.locator("pre").inner_text()
            assert post.startswith("Kuorokonsertti\n") and "17.00" in post
            assert await facebook.locator("img").get_attribute("alt") == "Kuoro laulaa lavalla"
            assert await facebook.locator("figcaption").inner_text() == \
                "The image's alt text: Kuoro laulaa lavalla"
            # The activity as its venue's board shows it: the screen's own slide, in each of
            # the board's languages (Swedish falls back to the Finnish name).
            frames = page.locator("figure.board-frame")
            assert await frames.evaluate_all("fs => fs.map(f => f.dataset.lang)") == [
                "fi", "sv", "en"]
            names = page.locator("figure.board-frame .slide .name")
            assert await names.all_inner_texts() == ["Kuorokonsertti", "Kuorokonsertti",
                                                     "Choir concert"]
            english = page.locator("figure.board-frame[data-lang=en] .slide")
            assert await english.locator(".time").inner_text() == \
                f"{clock_time(STARTS, 'en')}–{clock_time(STARTS + timedelta(hours=2), 'en')}"
            assert await english.locator(".place").inner_text() == "Jynkän kirjasto"
            assert await english.get_attribute("class") == "slide status-published"
            for width in (1024, 1920):
                await page.set_viewport_size({"width": width, "height": 900})
                assert await violations(page) == [], width
            await page.get_by_role("link", name="Back").click()
            await page.wait_for_selector("h1")
            await page.locator("tr.account").get_by_role("button",
                                                         name="Signed in again").click()
            await page.wait_for_selector("p.msg")
            assert await page.locator("tr.account").count() == 0
            await page.goto(f"{proc.url}/staff?lang=sv")
            assert await page.locator("h1").inner_text() == "Kommunikation: publiceringar"

        rows_now = {r["id"]: r for r in await pool.fetch("SELECT * FROM deliveries")}
        confirmed = rows_now[ids["unconfirmed"]]
        assert (confirmed["status"], confirmed["remote_url"], confirmed["decided_by"]) == (
            "published", "https://www.facebook.com/1001_77", "viestinta")
        assert rows_now[ids["failed"]]["status"] == "pending"
        assert rows_now[ids["failed"]]["content"]["text"] == \
            "Kuorokonsertti lauantaina!"
        assert await pool.fetchval("SELECT state FROM channel_accounts") == "active"
        # The refused notice left nothing; the sent one is on no board any more.
        assert await pool.fetchval("SELECT count(*) FROM board_notices") == 1
        assert await pool.fetchval(
            "SELECT count(*) FROM board_notice_boards WHERE withdrawn_at IS NULL") == 0
    finally:
        await pool.close()
