"""Issue #16's series from /my and the accessibility features on the real PostgreSQL:
migration 008 keeps the features a fixed vocabulary (the database refuses any other word),
the store reads back what the use cases wrote, and a series made from the organiser's hold
lets the hold go in the same transaction as it books the times: all of it or, refused,
nothing (the hold kept with its claim)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from uuid import uuid4

import asyncpg
import pytest

from services.booking import domain, usecases
from services.booking.domain import HELSINKI, Space, SpaceDetails, SpaceRules, Venue, WeeklyHours
from services.booking.store import BookingStore
from services.booking.tests.test_usecases import DESK, MAIJA, MATTI, VENUE, details
from services.booking.usecases import organiser as my
from shared.clock import SYSTEM_CLOCK
from shared.errors import Conflict, Invalid
from shared.uow import PgUnitOfWork

pytestmark = pytest.mark.db


async def _library(pool: asyncpg.Pool, **rules: object
                   ) -> tuple[usecases.Uow, Venue, Space]:
    uow: usecases.Uow = PgUnitOfWork(pool, BookingStore)
    venue = Venue(VENUE, {"fi": "Kuopion pääkirjasto"}, "library", "kuopio.keskusta", "Kuopio",
                  has_paid_space=False, accessibility_features=("step_free_entrance", "lift"))
    space = Space(uuid4(), VENUE, {"fi": "Kokoussali"}, SpaceRules(**rules),  # type: ignore[arg-type]
                  capacity=40, accessibility_features=("induction_loop",))
    assert await usecases.load_venue(uow, SYSTEM_CLOCK, venue, [space], [
        WeeklyHours(d, time(6), time(23), "staffed") for d in range(1, 8)])
    return uow, venue, space


def _start(days: int) -> datetime:
    day = datetime.now(HELSINKI).date() + timedelta(days=days)
    return datetime.combine(day, time(14), tzinfo=HELSINKI)


async def test_the_database_keeps_the_features_a_fixed_vocabulary(pool: asyncpg.Pool) -> None:
    uow, _, space = await _library(pool)
    view = await usecases.get_venue(uow, VENUE)
    assert view.venue.accessibility_features == ("step_free_entrance", "lift")
    assert view.spaces[0].accessibility_features == ("induction_loop",)
    for table, row in (("venues", VENUE), ("spaces", space.id)):
        with pytest.raises(asyncpg.CheckViolationError):
            await pool.execute(f"UPDATE {table} SET accessibility_features = '{{ramp}}'"
                               " WHERE id = $1", row)
    # The desk's details replace the space's own; an odd word is refused, nothing stored.
    changed = await usecases.set_space_details(uow, DESK, space.id, SpaceDetails(
        None, ("projector",), (), ("lift", "accessible_toilet", "lift")))
    assert changed.accessibility_features == ("lift", "accessible_toilet")
    with pytest.raises(Invalid) as odd:
        await usecases.set_space_details(uow, DESK, space.id, SpaceDetails(
            {"fi": "Uusi kuvaus"}, (), (), ("elevator",)))
    assert odd.value.field == "accessibility_features"
    kept = await pool.fetchrow("SELECT description, accessibility_features FROM spaces"
                               " WHERE id = $1", space.id)
    assert kept["description"] is None and kept["accessibility_features"] == [
        "lift", "accessible_toilet"]
    # A venue's features change as its other details do (`PATCH /venues/{id}`).
    patched = await usecases.update_venue(uow, SYSTEM_CLOCK, DESK, VENUE, {
        "accessibility_features": ["accessible_parking", "step_free_entrance"]})
    assert patched.venue.accessibility_features == ("step_free_entrance",
                                                    "accessible_parking")
    # Other services hear the venue's own features (not its spaces') on register and on a
    # change of the features alone.
    sent = await pool.fetch("SELECT event_type, payload FROM outbox WHERE key = $1"
                            " ORDER BY id", str(VENUE))
    first, last = sent[0], sent[-1]
    assert first["event_type"] == "fi.kohtaamo.venue.registered.v1"
    assert first["payload"]["accessibility_features"] == ["step_free_entrance", "lift"]
    assert last["event_type"] == "fi.kohtaamo.venue.updated.v1"
    assert last["payload"]["accessibility_features"] == ["step_free_entrance",
                                                         "accessible_parking"]
    assert last["payload"]["revision"] > sent[-2]["payload"]["revision"]
    # The search reads them together.
    found = await my.find_spaces(uow, SYSTEM_CLOCK, my.SpaceSearch(
        day=_start(2).date(), features=("accessible_parking", "accessible_toilet")))
    assert [f.space.id for f in found.spaces] == [space.id]
    assert found.spaces[0].features == ("step_free_entrance", "lift", "accessible_toilet",
                                        "accessible_parking")
    assert (await my.find_spaces(uow, SYSTEM_CLOCK, my.SpaceSearch(
        day=_start(2).date(), features=("induction_loop",)))).spaces == []


async def test_a_series_from_a_hold_is_all_booked_with_the_hold_let_go_or_nothing(
        pool: asyncpg.Pool) -> None:
    uow, _, space = await _library(pool, max_open_requests=5)
    held = await usecases.hold_slot(uow, SYSTEM_CLOCK, MAIJA, usecases.HoldCommand(
        space.id, _start(3), _start(3) + timedelta(hours=1)))
    # Matti has the second week's time.
    await usecases.request_booking(uow, SYSTEM_CLOCK, MATTI, usecases.BookingCommand(
        space.id, _start(10), _start(10) + timedelta(hours=1), details()))
    preview = await my.preview_my_series(uow, SYSTEM_CLOCK, MAIJA, held.id, my.Repeat(count=5))
    assert [p.free for p in preview.times] == [True, False, True, True, True]
    # Five times as the limit counts them (a clash too): the hold is let go when sent.
    assert preview.limit is None
    over = await my.preview_my_series(uow, SYSTEM_CLOCK, MAIJA, held.id, my.Repeat(count=6))
    assert over.limit is not None and over.limit.details["code"] == "open_requests"

    async def state() -> tuple[str, int, int]:
        return (await pool.fetchval("SELECT status FROM bookings WHERE id = $1", held.id),
                await pool.fetchval("SELECT count(*) FROM booking_claims WHERE booking_id = $1",
                                    held.id),
                await pool.fetchval("SELECT count(*) FROM booking_series"))

    with pytest.raises(Conflict) as refused:
        await my.submit_my_series(uow, SYSTEM_CLOCK, MAIJA, held.id, details(),
                                  my.Repeat(count=6))
    assert refused.value.details["code"] == "open_requests"
    assert await state() == ("held", 1, 0)  # nothing half-stored: the hold and its claim
    result = await my.submit_my_series(uow, SYSTEM_CLOCK, MAIJA, held.id, details(),
                                       my.Repeat(count=5))
    assert [b.starts_at for b in result.created] == [
        _start(d) for d in (3, 17, 24, 31)]
    assert [s["reason"] for s in result.skipped] == ["taken"]
    assert await state() == ("cancelled", 0, 1)
    rule = await pool.fetchval("SELECT rule FROM booking_series WHERE id = $1",
                               result.series_id)
    assert rule == {"until": None, "count": 5, "every": 1}
    # Cancelled from /my: every time of it, in one transaction.
    cancelled = await my.cancel_my_series(uow, SYSTEM_CLOCK, MAIJA, result.series_id, None)
    assert len(cancelled) == 4
    assert await pool.fetchval(
        "SELECT count(*) FROM bookings WHERE series_id = $1 AND status = 'cancelled'",
        result.series_id) == 4
    assert domain.check_features(()) == ()
