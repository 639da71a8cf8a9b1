"""The events service's move request is refused with every reason, as the desk hears them:
`booking.move_refused` lists each refusal (its code, English words, field and the details a
page says it by) beside the first one's `rule`, which older readers keep reading. Against the
in-memory store and a fixed clock."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import uuid4

import pytest

from services.booking import usecases
from services.booking.tests.test_moves import _confirmed, _request
from services.booking.tests.test_usecases import DESK, MATTI, TOMORROW_2PM, world
from shared.clock import HELSINKI
from shared.contracts import BookingMoveRefused, MoveRefusalReason, parse_event
from shared.errors import Refusals


async def test_a_move_request_too_long_and_past_closing_is_refused_for_both() -> None:
    uow, store, space, clock = world()
    booking = await _confirmed(uow, clock, store, space)
    evening = TOMORROW_2PM.replace(hour=19, minute=30) + timedelta(days=1)
    # The desk's own move of the same time: the refusals the answer must list as well.
    with pytest.raises(Refusals) as desk:
        await usecases.move_booking(uow, clock, DESK, booking.id, evening,
                                    evening + timedelta(hours=5), None)
    heard = [(e.details["code"], e.field) for e in desk.value.each]
    assert heard == [("too_long", "ends_at"), ("closed", "starts_at")]

    await usecases.move_on_request(uow, clock, _request(booking.id, evening, hours=5))
    answer = store.state.outbox[-1]
    assert isinstance(answer, BookingMoveRefused)
    # What older readers read is as it was: the first rule.
    assert (answer.code, answer.rule) == ("rule", "too_long")
    assert [(r.code, r.field) for r in answer.refusals] == heard
    too_long, closed = answer.refusals
    assert too_long.details == {"max_minutes": space.rules.max_minutes}
    assert "at most" in too_long.reason
    assert closed.details["day"] == evening.date().isoformat()
    # The day's hours in UTC (`Z`), as every moment booking writes: 8–20 in Helsinki.
    assert [(datetime.fromisoformat(o["starts_at"]).astimezone(HELSINKI).strftime("%H:%M"),
             datetime.fromisoformat(o["ends_at"]).astimezone(HELSINKI).strftime("%H:%M"))
            for o in closed.details["open"]] == [("08:00", "20:00")]
    assert all(o["starts_at"].endswith("Z") for o in closed.details["open"])
    assert "opening hours" in closed.reason
    # On the bus: the details are plain JSON, read back as sent.
    parsed = parse_event(answer.to_envelope())
    assert isinstance(parsed, BookingMoveRefused) and parsed.refusals == answer.refusals
    assert store.state.bookings[booking.id].starts_at == TOMORROW_2PM


async def test_a_refusal_of_another_kind_is_listed_as_the_one_it_is() -> None:
    uow, store, space, clock = world()
    booking = await _confirmed(uow, clock, store, space)
    other = await _confirmed(uow, clock, store, space, TOMORROW_2PM + timedelta(hours=3), MATTI)
    await usecases.move_on_request(uow, clock, _request(booking.id, other.starts_at))
    taken = store.state.outbox[-1]
    assert isinstance(taken, BookingMoveRefused) and taken.refusals == [MoveRefusalReason(
        code="taken", reason="the space is already booked for that time")]
    await usecases.move_on_request(uow, clock, _request(uuid4(), TOMORROW_2PM))
    gone = store.state.outbox[-1]
    assert isinstance(gone, BookingMoveRefused) and [r.code for r in gone.refusals] == ["gone"]


def test_an_answer_from_before_the_list_reads_as_it_did() -> None:
    old = BookingMoveRefused.model_validate({
        "booking_id": str(uuid4()), "request_id": str(uuid4()), "code": "rule",
        "reason": "the booking cannot start in the past", "rule": "past"})
    assert old.refusals == [] and old.rule == "past"

