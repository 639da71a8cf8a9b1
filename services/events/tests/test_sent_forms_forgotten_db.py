"""Against PostgreSQL: the events service's pass forgets the "New activity" forms sent more
than `domain.SENT_FORM_KEPT` (30 days) ago (`new_activity_forms`, migration 018, would
otherwise grow for good), in bounded batches, newer ones kept; a form sent again after its
sending is forgotten is refused as too old, not made anew."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from services.events import domain, jobs, usecases
from services.events.app import spec
from services.events.tests.test_usecases import ORGANISER, fields
from shared.clock import FixedClock
from shared.errors import Conflict

pytestmark = pytest.mark.infra


def _a_second_ago() -> datetime:
    """A second ago, read when the test starts (not when the module is collected, minutes
    before in a whole run): the service's own pass reads its real clock a moment later, so
    a row at this minus 30 days is past its limit and one a minute later is not."""
    return datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=1)


async def _start(start_service: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    # The pass at start-up off: it would race the counts below.
    monkeypatch.setenv("KOHTAAMO_EVENTS_JOB_INTERVAL", "0")
    return await start_service(spec)


async def test_sent_forms_are_forgotten_after_a_month_in_bounded_batches(
        start_service: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    client = await _start(start_service, monkeypatch)
    pool = client.runtime.pool
    now = _a_second_ago()
    limit = now - domain.SENT_FORM_KEPT
    old = [limit - timedelta(minutes=1 + i) for i in range(23)]
    kept = [limit, limit + timedelta(minutes=1), now - timedelta(days=1), now]
    await pool.executemany("INSERT INTO new_activity_forms (draft_id, sent_at) VALUES ($1, $2)",
                           [(uuid4(), at) for at in old + kept])

    async def left() -> list[datetime]:
        return [r["sent_at"] for r in await pool.fetch(
            "SELECT sent_at FROM new_activity_forms ORDER BY sent_at")]

    clock = FixedClock(now)
    # Ten a transaction, two transactions a pass: the oldest twenty go, three old wait.
    assert await usecases.forget_sent_forms(usecases.unit_of_work(pool), clock, batch=10,
                                            batches=2) == 20
    assert await left() == sorted(old)[-3:] + kept
    # The next pass takes the rest, and then nothing: a short batch ends the pass.
    assert await usecases.forget_sent_forms(usecases.unit_of_work(pool), clock, batch=10,
                                            batches=2) == 3
    assert await left() == kept
    assert await usecases.forget_sent_forms(usecases.unit_of_work(pool), clock) == 0
    # The service's own pass, at its real time and batches: `limit` is a month old by now.
    assert await jobs.forget_sent_forms(client.runtime) == 1
    assert await left() == kept[1:]
    # And the service's periodic pass runs it.
    given: list[Any] = []

    async def run_every(runtime: Any, interval: float, each: list[Any], log: Any) -> None:
        given.extend(each)

    monkeypatch.setattr(jobs, "run_every", run_every)
    await jobs.run_jobs(client.runtime)
    assert jobs.forget_sent_forms in given


async def test_a_form_sent_again_after_it_is_forgotten_is_too_old(
        start_service: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Sent, its draft deleted, a month on its sending forgotten by the pass: the same form
    sent again (Back a month later) is refused as too old, nothing made."""
    client = await _start(start_service, monkeypatch)
    pool = client.runtime.pool
    now = _a_second_ago()
    token = domain.new_form_token(now)
    made = await usecases.create_event_once(usecases.unit_of_work(pool), FixedClock(now),
                                            ORGANISER, fields(), token, as_published=True)
    await usecases.delete_draft(usecases.unit_of_work(pool), FixedClock(now), ORGANISER,
                                made["id"])
    later = FixedClock(now + domain.SENT_FORM_KEPT + timedelta(seconds=1))
    assert await usecases.forget_sent_forms(usecases.unit_of_work(pool), later) == 1
    assert await pool.fetchval("SELECT count(*) FROM new_activity_forms") == 0
    with pytest.raises(Conflict) as refused:
        await usecases.create_event_once(usecases.unit_of_work(pool), later, ORGANISER,
                                         fields(), token, as_published=True)
    assert refused.value.details["code"] == "form_too_old"
    assert await usecases.form_sent(usecases.unit_of_work(pool), later, ORGANISER, token) \
        == usecases.SentForm(None, too_old=True)
    assert await pool.fetchval("SELECT count(*) FROM activity_events") == 0
