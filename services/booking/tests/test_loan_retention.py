"""A loan's borrower (migration 013) is personal data kept as long as a booking's contact:
`KOHTAAMO_BOOKING_RETENTION_DAYS` after the loan's time, or after its return or cancelling
when that came later, the organisers' job erases the borrower's name, phone and email; the
loan and its counts stay.
A loan still out keeps whom it is out to, however overdue: the borrower it names, and the
contact of the booking it goes with. On the real PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from services.booking.app import spec
from services.booking.jobs import anonymise_organisers
from services.booking.store import BookingStore
from shared.clock import FixedClock
from tests.plans import RecordingConnection, generic_plan

from .test_api import MAIJA, TOMORROW, booking, venue

pytestmark = pytest.mark.infra


async def test_a_borrower_is_kept_while_the_loan_is_out_and_as_long_as_a_contact_after(
        start_service) -> None:
    client = await start_service(spec)
    v, desk = await venue(client)
    stage = v["spaces"][1]["id"]
    laptops = (await client.post(f"/venues/{v['id']}/resources", headers=desk, json={
        "name": {"fi": "Kannettava"}, "quantity": 10})).json()["id"]

    async def lend(name: str | None, start: Any = TOMORROW, **changes: Any) -> str:
        made = await client.post("/loans", headers=desk, json={
            "resource_id": laptops, "quantity": 2, "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=2)).isoformat(),
            **({"borrower": {"name": name, "phone": "040 123 4567",
                             "email": f"{name.lower()}@example.fi"}} if name else {}),
            **changes})
        assert made.status_code == 201, made.text
        return str(made.json()["id"])

    returned = await lend("Kalle")
    overdue = await lend("Liisa")  # never brought back
    recent = await lend("Pekka", TOMORROW + timedelta(days=2, hours=1))
    asked = (await client.post("/bookings", headers=MAIJA, json={
        **booking(stage, hours=3), "title": "Lukupiiri"})).json()
    theirs = await lend(None, booking_id=asked["id"])  # the booking's contact borrows
    for loan, action in ((returned, "return"), (recent, "cancel")):
        done = await client.post(f"/loans/{loan}/{action}", headers=desk)
        assert done.status_code == 200, done.text
    pool = client.runtime.pool

    async def borrowers() -> dict[str, tuple[Any, ...]]:
        rows = await pool.fetch(
            "SELECT id, borrower_name, borrower_phone, borrower_email, quantity, status"
            " FROM resource_loans")
        return {str(r["id"]): tuple(r)[1:] for r in rows}

    async def maija() -> tuple[Any, ...]:
        row = await pool.fetchrow(
            "SELECT o.name, b.contact_name, b.contact_email FROM organisers o"
            " JOIN bookings b ON b.organiser_id = o.id WHERE b.id = $1::uuid", asked["id"])
        return tuple(row)

    # Three days on, with a retention of one day: the cutoff falls after the first loans'
    # time and before the last one's.
    client.runtime.clock = FixedClock(TOMORROW + timedelta(days=3))
    assert await anonymise_organisers(client.runtime, retention_days=1) == 1
    assert await borrowers() == {
        returned: (None, None, None, 2, "returned"),
        overdue: ("Liisa", "040 123 4567", "liisa@example.fi", 2, "active"),
        recent: ("Pekka", "040 123 4567", "pekka@example.fi", 2, "cancelled"),
        theirs: (None, None, None, 2, "active")}
    # Maija's booking ended long enough ago, but its loan is still out: she is kept.
    assert await maija() == ("Maija Meikäläinen", "Maija Meikäläinen", "maija@example.fi")
    page = await client.get("/desk/loans", headers=desk,
                            params={"venue_id": v["id"], "lang": "en"})
    assert "Maija Meikäläinen" in page.text and "Liisa" in page.text

    # Brought back, days late: Maija and the desk person who lent have nothing out now, so
    # the next pass erases them; Liisa is kept for the retention period from her return
    # (migration 015), not from the loan's end, which is long enough ago already.
    for loan in (overdue, theirs):
        assert (await client.post(f"/loans/{loan}/return", headers=desk)).status_code == 200
    assert await pool.fetchval("SELECT settled_at FROM resource_loans WHERE id = $1::uuid",
                               overdue) == TOMORROW + timedelta(days=3)
    assert await anonymise_organisers(client.runtime, retention_days=1) == 2
    kept = await borrowers()
    assert kept[overdue] == ("Liisa", "040 123 4567", "liisa@example.fi", 2, "returned")
    assert kept[recent] == ("Pekka", "040 123 4567", "pekka@example.fi", 2, "cancelled")
    assert await maija() == ("anonymised", None, None)

    # A day after the return, and after the cancelled loan's time: both go; nothing is left
    # to erase.
    client.runtime.clock = FixedClock(TOMORROW + timedelta(days=4))
    assert await anonymise_organisers(client.runtime, retention_days=1) == 2
    assert {row[0] for row in (await borrowers()).values()} == {None}
    assert len(await borrowers()) == 4  # the loans themselves stay
    assert await anonymise_organisers(client.runtime, retention_days=1) == 0


async def test_the_job_finds_the_borrowers_to_erase_by_its_index_not_by_reading_every_loan(
        start_service) -> None:
    """Each pass of the job (every 15 s) asks for the loans back or cancelled whose
    borrower is still named: by the partial index (migration 014, by the later of end and
    settling since 015), which holds only those, not a scan of every loan the city has lent
    (with seq scans off, as a city's table would be too big for one)."""
    client = await start_service(spec)
    async with client.runtime.pool.acquire() as conn:
        recording = RecordingConnection(conn)
        await BookingStore(recording).erase_borrowers(TOMORROW, 100)  # type: ignore[arg-type]
        await conn.execute("SET enable_seqscan = off")
        plan = await generic_plan(conn, *recording.statement("borrower_name IS NOT NULL"))
    assert "resource_loans_borrowers_to_erase" in plan, plan
