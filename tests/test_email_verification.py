"""Issue #13: the city mails only addresses known to reach the organiser. Booking and
notifications on the real broker and databases, the real SMTP client and the fake SMTP
server: an address the identity provider vouches for gets its booking mail at once; one an
organiser merely typed gets a one-time link and nothing else until the link is used, and
can have it sent again within the limits."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
import pytest_asyncio

from deploy.fake_platforms import FakePlatforms, running_fake_platforms
from services.booking import domain
from services.booking.app import spec as booking_spec
from services.notifications import jobs
from services.notifications.app import spec as notifications_spec
from shared.clock import FixedClock
from tests.infra import bearer, eventually

pytestmark = pytest.mark.infra

BOOKING_URL = "https://varaukset.kuopio.example"
ADDRESS = "Kerho.Vetaja@example.fi"


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[FakePlatforms]:
    async with running_fake_platforms() as running:
        yield running


async def _mail_and_library(booking: Any, notifications: Any, fake: FakePlatforms,
                            tmp_path: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """The city's mail account on the fake platform, and Jynkkä's library open every day
    08–20: the library and its desk's headers."""
    (tmp_path / "email").write_text(str(fake.tokens.smtp))
    account = await notifications.post("/channels", headers=bearer("admin"), json={
        "platform": "email", "name": "Kirjasto", "base_url": fake.base_url("email"),
        "account_ref": "asukastoiminta@kuopio.example", "secret_ref": f"file:{tmp_path}/email"})
    assert account.status_code == 201, account.text
    venue = (await booking.post("/venues", headers=bearer("admin"), json={
        "name": {"fi": "Jynkän kirjasto"}, "kind": "library", "area": "kuopio.jynkka",
        "municipality": "Kuopio", "spaces": [{"name": {"fi": "Ryhmätila"}, "capacity": 12}],
    })).json()
    desk = bearer("desk", venues=(venue["id"],), subject="jynkka-desk")
    await booking.put(f"/venues/{venue['id']}/hours", headers=desk, json={"weekly": [
        {"weekday": d, "opens": "08:00", "closes": "20:00"} for d in range(1, 8)]})
    return venue, desk


async def test_mail_goes_only_to_verified_addresses(
    start_service: Any, fake: FakePlatforms, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KOHTAAMO_CHANNEL_SECRETS_DIR", str(tmp_path))
    booking = await start_service(booking_spec, public_url=BOOKING_URL)
    notifications = await start_service(notifications_spec)
    venue, desk = await _mail_and_library(booking, notifications, fake, tmp_path)
    day = (datetime.now(UTC) + timedelta(days=3)).date()

    async def request(who: dict[str, str], hour: int, email: str) -> str:
        start = datetime.combine(day, time(hour), ZoneInfo("Europe/Helsinki"))
        made = await booking.post("/bookings", headers=who, json={
            "space_id": venue["spaces"][0]["id"], "title": f"Kerho {hour}",
            "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=1)).isoformat(),
            "organiser": {"name": "Kerho", "email": email}, "library_contact": "Sari",
            "accept_house_rules": True})
        assert made.status_code == 201, made.text
        confirmed = await booking.post(f"/bookings/{made.json()['id']}/confirm", headers=desk)
        assert confirmed.status_code == 200
        return str(made.json()["id"])

    # Proved by the identity provider: mailed at once. Typed by hand (or a claim the provider
    # does not vouch for): only a link.
    await request(bearer("organiser", subject="a", email="Aino@example.fi",
                         email_verified=True), 10, "aino@example.fi")
    typed = await request(bearer("organiser", subject="b", email="bertta@example.fi",
                                 email_verified=False), 12, "bertta@example.fi")
    await request(bearer("organiser", subject="c"), 14, "victim@example.org")

    # No fault is injected here: a stall of the fakes must not fail a send.
    http = httpx.AsyncClient(timeout=httpx.Timeout(15.0))
    settings = jobs.SenderSettings()

    async def mails() -> list[dict[str, Any]]:
        await jobs.send_due(notifications.runtime, http, settings)
        return fake.posts("email")

    await eventually(lambda: _count(mails, 3))
    await asyncio.sleep(1.0)  # nothing more is on its way
    sent = await mails()
    by_address = {m["to"]: m for m in sent}
    assert sorted(by_address) == ["aino@example.fi", "bertta@example.fi", "victim@example.org"]
    assert by_address["aino@example.fi"]["subject"].startswith("Varauksesi on vahvistettu")
    for address in ("bertta@example.fi", "victim@example.org"):
        link_mail = by_address[address]
        assert link_mail["subject"] == "Vahvista sähköpostiosoitteesi"
        assert f"{BOOKING_URL}/contact/verify?token=" in link_mail["text"]
    # The link is forgotten by notifications once sent.
    rows = await notifications.runtime.pool.fetch(
        "SELECT content, recipient FROM deliveries WHERE purpose = 'contact_verification'")
    assert len(rows) == 2 and all(r["recipient"] is None and "token=" not in
                                  str(r["content"]) for r in rows)

    # Opening the link shows a button (a mail scanner fetching it verifies nothing) ...
    link = next(line for line in by_address["bertta@example.fi"]["text"].splitlines()
                if "token=" in line)
    path = link.removeprefix(BOOKING_URL)
    token = path.split("token=")[1].split("&")[0]
    shown = await booking.get(path)
    assert shown.status_code == 200 and "Vahvista osoite" in shown.text
    # ... another site cannot press it for them, and the form does it once.
    assert (await booking.post("/contact/verify", data={"token": token}, headers={
        "Origin": "https://evil.example"})).status_code == 403
    done = await booking.post("/contact/verify?lang=en", data={"token": token},
                              headers={"Origin": BOOKING_URL})
    assert done.status_code == 200 and "bertta@example.fi is confirmed" in done.text
    # Pressed again (the page reloaded, the link opened later): done, not "not valid".
    again = await booking.post("/contact/verify?lang=sv", data={"token": token})
    assert again.status_code == 200, again.text
    assert "bertta@example.fi är redan bekräftad" in again.text
    unknown = await booking.post("/contact/verify?lang=en", data={"token": "y" * 43})
    assert unknown.status_code == 404 and "not valid" in unknown.text

    # From now on her booking's messages reach her: the desk cancels, she is told.
    cancelled = await booking.post(f"/bookings/{typed}/cancel", headers=desk,
                                   json={"reason": "Vesivahinko"})
    assert cancelled.status_code == 200, cancelled.text
    await eventually(lambda: _count(mails, 4))
    last = (await mails())[-1]
    assert last["to"] == "bertta@example.fi" and "Vesivahinko" in last["text"]
    assert all(m["to"] != "victim@example.org" or "token=" in m["text"] for m in await mails())
    await http.aclose()


async def _count(mails: Any, n: int) -> bool:
    return len(await mails()) >= n


async def test_a_resend_mails_a_new_working_link_and_the_limits_hold(
    start_service: Any, fake: FakePlatforms, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """"Send the link again": asking again at once is refused and mails nothing; ten minutes
    later a new link is mailed, the lost one no longer works and the new one does. The
    day's ceiling holds on PostgreSQL's count (`links_sent`), and two presses at once send
    one link (the organiser's row is locked). Booking's clock is a fixed one the test moves."""
    monkeypatch.setenv("KOHTAAMO_CHANNEL_SECRETS_DIR", str(tmp_path))
    booking = await start_service(booking_spec, public_url=BOOKING_URL)
    clock = FixedClock(datetime.now(UTC))
    booking.runtime.clock = clock
    notifications = await start_service(notifications_spec)
    venue, desk = await _mail_and_library(booking, notifications, fake, tmp_path)
    start = datetime.combine((clock.now() + timedelta(days=3)).date(), time(12),
                             ZoneInfo("Europe/Helsinki"))
    kerho = bearer("organiser", subject="kerho", email="kerho@example.fi",
                   email_verified=False)  # a claim the provider does not vouch for
    made = await booking.post("/bookings", headers=kerho, json={
        "space_id": venue["spaces"][0]["id"], "title": "Kerho",
        "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=1)).isoformat(),
        "organiser": {"name": "Kerho", "email": ADDRESS, "language": "sv"},
        "library_contact": "Sari", "accept_house_rules": True})
    assert made.status_code == 201, made.text
    again = f"/bookings/{made.json()['id']}/contact-link"

    http = httpx.AsyncClient(timeout=httpx.Timeout(15.0))
    settings = jobs.SenderSettings()

    async def links() -> list[str]:
        """The links mailed to the address, oldest first."""
        await jobs.send_due(notifications.runtime, http, settings)
        return [next(line for line in m["text"].splitlines() if "token=" in line)
                for m in fake.posts("email") if m["to"] == ADDRESS]

    async def mailed(n: int) -> bool:
        return len(await links()) >= n

    await eventually(lambda: mailed(1))
    first = (await links())[0]
    assert first.startswith(f"{BOOKING_URL}/contact/verify?token=") and first.endswith("lang=sv")

    # At once: refused, saying when, and nothing more is mailed.
    soon = await booking.post(again, headers={**kerho, "Accept-Language": "fi"})
    assert soon.status_code == 429, soon.text
    assert soon.headers["Retry-After"] == str(int(domain.LINK_AGAIN_AFTER.total_seconds()))
    assert soon.json()["code"] == "link_sent_recently" and ADDRESS in soon.json()["message"]

    # Ten minutes on: a new link, in the booking's language, mailed by notifications.
    clock.advance(domain.LINK_AGAIN_AFTER)
    sent = await booking.post(again, headers=kerho)
    assert sent.status_code == 202, sent.text
    assert sent.json()["email"] == ADDRESS and sent.json()["sent"] is True
    await eventually(lambda: mailed(2))
    await asyncio.sleep(1.0)  # nothing more is on its way
    mails = await links()
    assert len(mails) == 2 and mails[1] != first and mails[1].endswith("lang=sv")
    assert all(m["subject"] == "Bekräfta din e-postadress"
               for m in fake.posts("email") if m["to"] == ADDRESS)

    # The ceiling on PostgreSQL's count: five links a day, and two presses at once send one.
    # Each mailed before the next is asked for: the mails' order is the links'.
    for n in (3, 4):
        clock.advance(domain.LINK_AGAIN_AFTER)
        assert (await booking.post(again, headers=kerho)).status_code == 202
        await eventually(lambda n=n: mailed(n))
    clock.advance(domain.LINK_AGAIN_AFTER)
    both = await asyncio.gather(booking.post(again, headers=kerho),
                                booking.post(again, headers=kerho))
    assert sorted(r.status_code for r in both) == [202, 429], [r.text for r in both]
    clock.advance(domain.LINK_AGAIN_AFTER)
    full = await booking.post(again, headers={**kerho, "Accept-Language": "en"})
    assert full.status_code == 429 and full.json()["code"] == "link_sent_recently"
    # The sixth when the first (sent at the test's start) is a day old.
    assert datetime.fromisoformat(full.json()["again_at"]) == \
        clock.now() - 5 * domain.LINK_AGAIN_AFTER + domain.LINKS_WINDOW
    await eventually(lambda: mailed(domain.LINKS_A_DAY))
    await asyncio.sleep(1.0)
    mails = await links()
    assert len(mails) == domain.LINKS_A_DAY and len(set(mails)) == domain.LINKS_A_DAY

    # Only the newest link works: each older one is refused, the newest proves the address.
    def token(link: str) -> str:
        return link.split("token=")[1].split("&")[0]

    for old in mails[:-1]:
        refused = await booking.post("/contact/verify?lang=en", data={"token": token(old)})
        assert refused.status_code == 404 and "not valid" in refused.text
    done = await booking.post("/contact/verify?lang=en", data={"token": token(mails[-1])},
                              headers={"Origin": BOOKING_URL})
    assert done.status_code == 200 and f"{ADDRESS.lower()} is confirmed" in done.text
    # Proved: the booking waits on no link, and its mail now reaches the address.
    proved = await booking.post(again, headers=kerho)
    assert proved.status_code == 409 and proved.json()["code"] == "not_awaiting_verification"
    confirmed = await booking.post(f"/bookings/{made.json()['id']}/confirm", headers=desk)
    assert confirmed.status_code == 200, confirmed.text

    async def told() -> bool:
        await jobs.send_due(notifications.runtime, http, settings)
        return any(m["to"] == ADDRESS and "token=" not in m["text"]
                   for m in fake.posts("email"))

    await eventually(told)
    await http.aclose()
