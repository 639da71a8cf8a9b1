"""The rules that keep a replica useful through an outage, without the real servers:
repeated log lines folded into a count, backoff with jitter (also for aiokafka's reconnects),
the 503 a database outage answers in the reader's language, a unit of work that turns a lost
database into that 503, the outbox relay's one-line warning for an outage, the boards' last
good content, and the sender's claims released at shutdown. The same behaviour on the real
Kafka and PostgreSQL: tests/test_outages.py."""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from uuid import uuid4

import asyncpg
import httpx
import pytest
from fastapi import FastAPI, Request, Response

from shared.db import DatabaseOutage, is_outage
from shared.http import install_error_handlers, reader_language, wants_html, weighted
from shared.kafka import backoff_delay, install_reconnect_backoff
from shared.logging import RepeatFilter
from shared.uow import PgUnitOfWork

if TYPE_CHECKING:
    from playwright.async_api import Browser


def record(msg: str, *args: Any, level: int = logging.ERROR, name: str = "aiokafka",
           **extra: Any) -> logging.LogRecord:
    made = logging.LogRecord(name, level, __file__, 1, msg, args, None)
    made.__dict__.update(extra)
    return made


def test_a_repeated_failure_is_one_line_per_interval_with_a_count() -> None:
    now = [0.0]
    repeats = RepeatFilter(interval=30, clock=lambda: now[0])
    written = []
    # 95 lines a second for 60 seconds, two kinds of them, as aiokafka wrote during an outage.
    for tick in range(60 * 95):
        now[0] = tick / 95
        for line in (record("Unable connect to node with id %s: %s", 1, "refused"),
                     record("Unable to update metadata from %s", [1])):
            if repeats.filter(line):
                written.append(line)
    assert len(written) == 4  # each kind: at 0 s and at 30 s
    later = [r for r in written if getattr(r, "repeated", 0)]
    assert len(later) == 2 and all(getattr(r, "repeated", 0) == 30 * 95 - 1 for r in later)
    assert repeats.drain() == 2 * (30 * 95 - 1)  # still held back: reported by "recovered"
    assert repeats.drain() == 0


def test_distinct_failures_info_lines_and_dead_letters_are_never_held_back() -> None:
    repeats = RepeatFilter(interval=30, clock=lambda: 0.0)
    assert repeats.filter(record("a %s", 1)) and not repeats.filter(record("a %s", 2))
    assert repeats.filter(record("b %s", 1))  # another failure
    assert repeats.filter(record("a %s", 1, name="shared.outbox"))  # another logger
    assert all(repeats.filter(record("handled", level=logging.INFO)) for _ in range(5))
    assert all(repeats.filter(record("event dead-lettered", name="shared.consumer",
                                     log_every=True)) for _ in range(5))


def test_backoff_grows_with_failures_up_to_its_cap_with_jitter() -> None:
    delays = [backoff_delay(n, 0.5, 10.0) for n in range(1, 10) for _ in range(20)]
    assert all(0.25 <= d <= 10.0 for d in delays)
    assert max(backoff_delay(1, 0.5, 10.0) for _ in range(50)) <= 0.5
    assert min(backoff_delay(9, 0.5, 10.0) for _ in range(50)) >= 5.0
    assert len({round(backoff_delay(6, 0.5, 10.0), 6) for _ in range(20)}) > 10, "jitter"


@pytest.mark.kafka  # aiokafka's own reconnect loop against a real socket, seconds of backoff
async def test_aiokafka_reconnects_to_a_broker_that_is_away_with_backoff(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Before: a connect (and an error line) per node every 100 ms per client loop."""
    from aiokafka import client as aiokafka_client
    from aiokafka.structs import BrokerMetadata

    install_reconnect_backoff(base=0.5, cap=2.0)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed once the block ends: nobody listens there
    attempts = 0
    create_conn = aiokafka_client.create_conn

    async def counting(*args: Any, **kwargs: Any) -> Any:
        nonlocal attempts
        attempts += 1
        return await create_conn(*args, **kwargs)

    monkeypatch.setattr(aiokafka_client, "create_conn", counting)
    client = aiokafka_client.AIOKafkaClient(bootstrap_servers=f"127.0.0.1:{port}")
    monkeypatch.setattr(client.cluster, "broker_metadata",
                        lambda node_id: BrokerMetadata(node_id, "127.0.0.1", port, None))
    monkeypatch.setattr(client, "force_metadata_update", lambda: None)
    try:
        began = time.monotonic()
        while time.monotonic() - began < 3.0:
            assert not await client.ready(0)
            await asyncio.sleep(0.01)  # a caller's loop, tighter than aiokafka's own
    finally:
        await client.close()
    # Waits of 0.25-0.5, 0.5-1, 1-2, 1-2 s: at most 5 connects in 3 s, not 300.
    assert 2 <= attempts <= 5


def test_what_counts_as_a_database_outage() -> None:
    assert is_outage(ConnectionRefusedError(111, "refused"))
    assert is_outage(TimeoutError())
    assert is_outage(asyncpg.CannotConnectNowError("the database system is starting up"))
    assert is_outage(asyncpg.AdminShutdownError("terminating connection"))
    assert is_outage(asyncpg.ConnectionDoesNotExistError("connection was closed"))
    assert is_outage(asyncpg.ObjectNotInPrerequisiteStateError(
        'database "x" is not currently accepting connections'))
    assert is_outage(asyncpg.InterfaceError("connection is closed"))
    assert not is_outage(asyncpg.ObjectNotInPrerequisiteStateError("lock not available"))
    assert not is_outage(asyncpg.UniqueViolationError("duplicate key"))
    assert not is_outage(asyncpg.InterfaceError("another operation is in progress"))
    assert not is_outage(ValueError("no"))
    assert is_outage(DatabaseOutage(ConnectionRefusedError(111, "refused")))
    # Each address of a host refused: asyncio's summary has no errno.
    assert is_outage(OSError("Multiple exceptions: [Errno 111] Connect call failed, "
                             "[Errno 101] Network is unreachable"))
    assert is_outage(asyncpg.InterfaceError("pool is closed"))
    # A cancelled statement is the statement's: it would be cancelled again.
    assert not is_outage(asyncpg.QueryCanceledError("canceling statement due to statement "
                                                    "timeout"))


async def test_the_outbox_relay_tells_an_outage_from_a_bug_in_its_log(
        caplog: pytest.LogCaptureFixture) -> None:
    from shared.outbox import OutboxRelay

    failures = [
        asyncpg.InternalClientError("cannot switch to state 12; another operation (2) is in "
                                    "progress"),  # its connection cut mid-poll
        asyncpg.ObjectNotInPrerequisiteStateError(
            'database "x" is not currently accepting connections'),
        ConnectionRefusedError(111, "Connection refused"),
        KeyError("a bug"),
    ]
    relay = OutboxRelay(dsn="postgresql://unused", producer=None,  # type: ignore[arg-type]
                        service="booking", poll_interval=0.001)

    async def connect() -> Any:
        if failures:
            raise failures.pop(0)
        raise asyncio.CancelledError

    relay.connect = connect  # type: ignore[method-assign]
    with caplog.at_level(logging.WARNING, logger="shared.outbox"), \
            pytest.raises(asyncio.CancelledError):
        await relay.run()
    lines = [(r.levelname, r.getMessage()) for r in caplog.records]
    assert lines == [
        ("WARNING", "outbox relay stopped; restarting: the database is not available")] * 3 + [
        ("ERROR", "outbox relay stopped; restarting")]
    assert caplog.records[-1].exc_info is not None, "a bug keeps its trace"


class _DownPool:
    """A pool whose database refuses connections, or cuts one mid-statement."""

    def __init__(self, mid_statement: bool = False) -> None:
        self.mid_statement = mid_statement
        self.released = 0

    async def acquire(self) -> Any:
        if not self.mid_statement:
            raise ConnectionRefusedError(111, "Connection refused")
        class Tx:
            async def start(self) -> None: ...
            async def commit(self) -> None:
                raise asyncpg.ConnectionDoesNotExistError("connection was closed")
            async def rollback(self) -> None:
                raise asyncpg.ConnectionDoesNotExistError("connection was closed")

        class Conn:
            terminated = False

            def transaction(self, isolation: str) -> Tx:
                return Tx()

            def terminate(self) -> None:
                self.terminated = True

            async def fetch(self, *_: Any) -> Any:
                raise asyncpg.AdminShutdownError("terminating connection due to "
                                                 "administrator command")
        return Conn()

    async def release(self, conn: Any) -> None:
        self.released += 1


async def test_a_unit_of_work_turns_a_lost_database_into_unavailable() -> None:
    with pytest.raises(DatabaseOutage) as refused:
        async with PgUnitOfWork(_DownPool(), lambda conn: conn):  # type: ignore[arg-type]
            pass
    assert refused.value.retry_after > 0
    pool = _DownPool(mid_statement=True)
    with pytest.raises(DatabaseOutage):
        async with PgUnitOfWork(pool, lambda conn: conn) as uow:  # type: ignore[arg-type]
            await uow.store.fetch("SELECT 1")
    assert pool.released == 1
    with pytest.raises(ValueError):  # anything else passes through as it was
        async with PgUnitOfWork(_DownPool(mid_statement=True),  # type: ignore[arg-type]
                                lambda conn: conn):
            raise ValueError("a bug")
    told = DatabaseOutage(ConnectionResetError(104, "reset"))
    with pytest.raises(DatabaseOutage) as passed_on:  # an outage told already, told once
        async with PgUnitOfWork(_DownPool(mid_statement=True),  # type: ignore[arg-type]
                                lambda conn: conn):
            raise told
    assert passed_on.value is told


async def test_a_scheduled_job_through_an_outage_logs_one_warning_a_pass_not_a_trace(
        caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    from types import SimpleNamespace

    from services.booking import jobs
    from shared.clock import SYSTEM_CLOCK

    monkeypatch.setenv("KOHTAAMO_BOOKING_JOB_INTERVAL", "0.01")
    runtime = SimpleNamespace(pool=_DownPool(), clock=SYSTEM_CLOCK, stopping=False,
                              pause=asyncio.sleep, spec=SimpleNamespace(name="booking"))
    with caplog.at_level(logging.WARNING, logger="services.booking.jobs"):
        loop = asyncio.create_task(jobs.run_jobs(runtime))  # type: ignore[arg-type]
        await asyncio.sleep(0.005)  # the first pass (every job fails at once)
        loop.cancel()
        with pytest.raises(asyncio.CancelledError):
            await loop
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        ("WARNING", f"booking job {job} failed: the database is not available")
        for job in ("expire_holds", "release_no_shows", "announce_endings",
                    "anonymise_organisers")]
    assert all(r.exc_info is None for r in caplog.records)


def _app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/uow")
    async def through_a_unit_of_work() -> None:
        raise DatabaseOutage(ConnectionRefusedError(111, "refused"))

    @app.post("/uow")
    async def a_form_post() -> None:
        raise DatabaseOutage(ConnectionRefusedError(111, "refused"))

    @app.get("/pool")
    async def straight_from_the_pool() -> None:
        raise asyncpg.CannotConnectNowError("the database system is shutting down")

    @app.get("/host")
    async def no_address_of_the_host_answers() -> None:
        raise OSError("Multiple exceptions: [Errno 111] Connect call failed")

    @app.get("/bug")
    async def a_bug() -> None:
        raise asyncpg.InterfaceError("another operation is in progress")

    return app


def _request(headers: dict[str, str], query: str = "") -> Any:
    from starlette.requests import Request

    return Request({"type": "http", "method": "GET", "path": "/", "query_string":
                    query.encode(), "headers": [(k.lower().encode(), v.encode())
                                                for k, v in headers.items()]})


def test_the_readers_language_query_then_cookie_then_accept_language() -> None:
    assert reader_language(_request({})) == "fi"
    assert reader_language(_request({"Accept-Language": "sv-FI,sv;q=0.9,en;q=0.8"})) == "sv"
    assert reader_language(_request({"Accept-Language": "de, en;q=0.5, fi;q=0.7"})) == "fi"
    assert reader_language(_request({"Accept-Language": "en-GB"})) == "en"
    assert reader_language(_request({"Accept-Language": "sv;q=0, en"})) == "en"
    assert reader_language(_request({"Cookie": "kohtaamo_lang=sv",
                                     "Accept-Language": "en"})) == "sv"
    assert reader_language(_request({"Cookie": "kohtaamo_lang=sv"}, "lang=en")) == "en"
    assert reader_language(_request({}, "lang=de")) == "fi"
    # q anywhere among the parameters, in any case; a malformed q is not a preference.
    assert reader_language(_request({"Accept-Language": "en;q=0.4, sv;x=1;Q=0.8"})) == "sv"
    assert reader_language(_request({"Accept-Language": "sv;q=2, en;q=0.1"})) == "en"
    assert reader_language(_request({"Accept-Language": "sv;q=nan, en;q=0.001"})) == "en"


@pytest.mark.parametrize(("accept", "page"), [
    ("text/html,application/xhtml+xml,*/*;q=0.8", True),  # a browser
    ("application/json", False), ("", False), ("*/*", False),
    ("TEXT/HTML", True), ("text/html;level=1;q=0.5", True),
    ("text/html;q=0", False), ("text/html; q=0.000", False), ("text/html;level=1;q=0", False),
    ("text/html;q=oops", False), ("text/html;q=1.5", False),
    ("application/json, text/html;q=0.1", True)])
def test_a_page_is_for_whoever_accepts_html(accept: str, page: bool) -> None:
    """One reading of weighted lists (RFC 9110) for pages and languages alike."""
    assert wants_html(_request({"Accept": accept})) is page


def test_a_weighted_list_keeps_the_clients_order_and_drops_what_it_refuses() -> None:
    assert weighted("fi-FI, sv;q=0.9, EN;q=0.5, de;q=0, x;q=bad") == [
        ("fi-fi", 1.0), ("sv", 0.9), ("en", 0.5)]


async def test_a_database_outage_answers_503_with_retry_after_in_the_readers_language(
        ) -> None:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=_app()),
                                 base_url="http://test") as http:
        api = await http.get("/uow", headers={"Accept-Language": "sv"})
        assert api.status_code == 503 and int(api.headers["retry-after"]) > 0
        assert api.json()["lang"] == "sv" and "databas" in api.json()["message"]

        page = await http.get("/pool?lang=en", headers={
            "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
        assert page.status_code == 503 and page.headers["retry-after"]
        assert page.headers["content-type"].startswith("text/html")
        assert '<html lang="en">' in page.text and "nothing was saved" in page.text
        assert 'href="/pool?lang=en"' in page.text  # "Try again" goes to the same page

        host = await http.get("/host")
        assert host.status_code == 503 and host.headers["retry-after"]

        form = await http.post("/uow", headers={"Accept": "text/html",
                                                "Referer": "http://test/staff?lang=fi"})
        assert form.status_code == 503 and '<html lang="fi">' in form.text
        assert "Yritä uudelleen" in form.text and 'href="/staff?lang=fi"' in form.text

        # Not an outage: still the server's error, not a misleading "try again".
        bug = httpx.AsyncClient(transport=httpx.ASGITransport(app=_app(),
                                                              raise_app_exceptions=False),
                                base_url="http://test")
        async with bug:
            assert (await bug.get("/bug")).status_code == 500


# --- the boards' last good content -----------------------------------------------------------

async def test_a_board_serves_its_last_good_content_while_the_database_is_away() -> None:
    from services.notifications import boards

    app = FastAPI()
    install_error_handlers(app)
    database_up = [True]
    calls = [0]

    @app.get("/boards/{board}/feed.json")
    async def feed(board: str, request: Request) -> Response:
        async def render() -> tuple[str, str, str]:
            calls[0] += 1
            if not database_up[0]:
                raise DatabaseOutage(ConnectionRefusedError(111, "refused"))
            return f'{{"board": "{board}"}}', "application/json", "max-age=30"

        return await boards._serve(request, render)

    board = str(uuid4())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://test") as http:
        good = await http.get(f"/boards/{board}/feed.json", params={"lang": "fi"})
        assert good.status_code == 200 and "stale-if-error=" in good.headers["cache-control"]
        database_up[0] = False
        stale = await http.get(f"/boards/{board}/feed.json", params={"lang": "fi"})
        assert stale.status_code == 200 and stale.text == good.text
        assert stale.headers["x-kohtaamo-stale"] == "0"
        again = await http.get(f"/boards/{board}/feed.json", params={"lang": "fi"},
                               headers={"If-None-Match": good.headers["etag"]})
        assert again.status_code == 304
        # Never served here: nothing to show, so the 503 that says when to try again.
        other = await http.get(f"/boards/{uuid4()}/feed.json")
        assert other.status_code == 503 and other.headers["retry-after"]
        database_up[0] = True
        fresh = await http.get(f"/boards/{board}/feed.json", params={"lang": "fi"})
        assert fresh.status_code == 200 and "x-kohtaamo-stale" not in fresh.headers


# --- the sender at shutdown ------------------------------------------------------------------

async def test_claims_released_at_shutdown_are_recovered_at_once_by_the_lost_lease_rule(
        ) -> None:
    from services.notifications import usecases
    from services.notifications.tests.fakes import NOW, FakeNotificationStore
    from shared.clock import FixedClock
    from shared.uow import FakeUnitOfWork

    clock = FixedClock(NOW)
    store = FakeNotificationStore(clock)
    ids: list[Any] = []
    for platform in ("facebook", "mastodon"):
        account = uuid4()
        store.accounts[account] = {"id": account, "platform": platform, "enabled": True,
                                   "state": "active", "paused_until": None,
                                   "base_url": "http://x", "account_ref": "", "secret_ref":
                                   "env:KOHTAAMO_CHANNEL_X", "name": platform}
        delivery = uuid4()
        store.deliveries[delivery] = {
            "id": delivery, "account_id": account, "channel": platform, "status": "sending",
            "claimed_by": "replica-a", "lease_until": clock.now() + timedelta(seconds=60),
            "order": len(ids), "due_at": clock.now(), "activity_event_id": uuid4(),
            "purpose": "announcement", "revision": 1, "attempts": 1}
        ids.append(delivery)
    uow: Any = FakeUnitOfWork(store)
    assert await usecases.release_claims(uow, clock, ids, "replica-b") == 0  # not its own
    assert await usecases.release_claims(uow, clock, ids, "replica-a") == 2
    clock.advance(timedelta(milliseconds=1))  # the next pass of any replica
    lost = await store.lost_leases(clock.now())
    assert sorted(r["id"] for r in lost) == sorted(ids)


async def test_a_send_cancelled_at_shutdown_releases_its_claim(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The sender's drain time is over while a platform still has not answered: the task is
    cancelled, and the delivery's lease ends now instead of in a minute."""
    from types import SimpleNamespace

    from services.notifications import jobs
    from services.notifications.tests.fakes import NOW, FakeNotificationStore
    from shared.clock import FixedClock
    from shared.uow import FakeUnitOfWork

    clock = FixedClock(NOW)
    store = FakeNotificationStore(clock)
    delivery = uuid4()
    row = {"id": delivery, "account_id": None, "channel": "facebook", "status": "sending",
           "claimed_by": "replica-a", "lease_until": NOW + timedelta(seconds=60),
           "traceparent": None, "purpose": "announcement", "attempts": 1,
           "base_url": "http://x", "order": 0}
    store.deliveries[delivery] = row
    monkeypatch.setattr(jobs, "uow", lambda pool: FakeUnitOfWork(store))
    sending = asyncio.Event()

    async def platform_never_answers(*_: Any, **__: Any) -> Any:
        sending.set()
        await asyncio.sleep(3600)

    monkeypatch.setattr(jobs, "send_one", platform_never_answers)
    runtime = SimpleNamespace(pool=None, clock=clock)
    task = asyncio.create_task(jobs.deliver(runtime, row, None, "replica-a",  # type: ignore[arg-type]
                                            jobs.SenderSettings()))
    await sending.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert store.deliveries[delivery]["lease_until"] == NOW  # over: any replica decides now
    assert store.deliveries[delivery]["status"] == "sending"  # not guessed either way


async def test_the_unavailable_page_passes_axe_in_every_language(chromium: Browser) -> None:
    """The 503 page a person sees while the database is away: WCAG 2.1 AA by axe-core, in
    Chromium."""
    from tests.axe import violations
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=_app()),
                                 base_url="http://test") as http:
        pages = {lang: (await http.get(f"/uow?lang={lang}",
                                       headers={"Accept": "text/html"})).text
                 for lang in ("fi", "sv", "en")}
    page = await chromium.new_page()
    for lang, body in pages.items():
        await page.set_content(body)
        assert await page.get_attribute("html", "lang") == lang
        found = await violations(page, impacts=None)
        assert [v["id"] for v in found] == [], (lang, found)
