"""Real Kafka and PostgreSQL for the tests, and fresh databases and topics for each test.

Endpoints come, in this order, from
1. the environment: ``KAFKA_BOOTSTRAP_SERVERS`` and ``KOHTAAMO_TEST_PG_DSN`` (or ``DATABASE_URL``),
   a DSN of a server role allowed to create databases;
2. testcontainers, when a Docker engine answers;
3. the project's own ``deploy/local.sh up`` (Kafka from its jars, PostgreSQL from Debian).

Every test gets its own topic prefix and its own databases, so tests never see each other's
events or rows, and the suite can run against a long-lived shared Kafka.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
import pytest_asyncio

from shared.db import (
    SERVICES_DIR,
    SHARED_MIGRATIONS,
    drop_database,
    ensure_database,
    migrate_dsn,
    migration_files,
)

if TYPE_CHECKING:
    from playwright.async_api import Browser, Page

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy" / "local.sh"
LOG_DIR = ROOT / ".local" / "test-logs"
_STARTED: list[Infra] = []


@dataclass
class Infra:
    kafka_bootstrap: str
    pg_server_dsn: str
    how: str
    #: Stops and starts the broker (only when this run controls it).
    broker_control: Callable[[str], None] | None = None
    _cleanup: list[Callable[[], None]] = field(default_factory=list)

    def dsn_for(self, database: str) -> str:
        base, _, _ = self.pg_server_dsn.rpartition("/")
        return f"{base}/{database}"


def _docker_reachable() -> bool:
    if not shutil.which("docker") and not os.path.exists("/var/run/docker.sock"):
        return False
    try:
        import docker  # type: ignore[import-untyped]

        docker.from_env(timeout=3).ping()
        return True
    except Exception:
        return False


def _from_testcontainers() -> Infra:
    from testcontainers.kafka import KafkaContainer
    from testcontainers.postgres import PostgresContainer

    kafka = KafkaContainer("confluentinc/cp-kafka:7.6.0").with_kraft()
    postgres = PostgresContainer("postgres:16", username="kohtaamo", password="kohtaamo",
                                 dbname="postgres", driver=None)
    kafka.start()
    postgres.start()
    infra = Infra(
        kafka_bootstrap=kafka.get_bootstrap_server(),
        pg_server_dsn=postgres.get_connection_url(),
        how="testcontainers",
    )
    infra._cleanup += [kafka.stop, postgres.stop]
    return infra


def _deploy(*args: str) -> dict[str, str]:
    env = {**os.environ, "PYTHON": sys.executable, "KOHTAAMO_PG_FAST": "1"}
    proc = subprocess.run(
        ["bash", str(DEPLOY), *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=900,
    )
    if proc.returncode != 0:
        raise RuntimeError(
            f"deploy/local.sh {' '.join(args)} failed ({proc.returncode}):\n"
            f"{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
        )
    found = {}
    for line in proc.stdout.splitlines():
        key, sep, value = line.partition("=")
        if sep and key.isupper() and " " not in key:
            found[key] = value.strip()
    return found


def _from_local_scripts() -> Infra:
    endpoints = _deploy("up")
    base = endpoints["KOHTAAMO_PG_DSN_BASE"]
    return Infra(
        kafka_bootstrap=endpoints["KAFKA_BOOTSTRAP_SERVERS"],
        pg_server_dsn=f"{base}/postgres",
        how="deploy/local.sh",
        broker_control=lambda action: _deploy(f"kafka-{action}") and None,
    )


@pytest.fixture(scope="session")
def infra() -> Iterator[Infra]:
    kafka = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    pg = os.environ.get("KOHTAAMO_TEST_PG_DSN") or os.environ.get("DATABASE_URL")
    if kafka and pg:
        found = Infra(kafka_bootstrap=kafka, pg_server_dsn=pg, how="environment")
    elif _docker_reachable():
        found = _from_testcontainers()
    else:
        found = _from_local_scripts()
    _STARTED.append(found)
    yield found
    for stop in found._cleanup:
        with contextlib.suppress(Exception):
            stop()


@pytest.fixture(scope="session")
def run_id() -> str:
    return secrets.token_hex(3)


#: Numbers a run's topic prefixes and databases. Topics outlive their test, so a random suffix
#: would sooner or later hand a test an earlier test's topics (four hex digits did: about a
#: dozen pairs of ~1,300 tests shared a prefix per run) and its consumer read their events.
_SERIAL = itertools.count(1)


def new_topic_prefix(run_id: str) -> str:
    return f"t{run_id}{next(_SERIAL):05d}."


@pytest.fixture
def topic_prefix(run_id: str) -> str:
    """A fresh prefix for every test: its own topics and consumer groups, unique in the run."""
    return new_topic_prefix(run_id)


#: Migrated template databases of this run, one per service: a test's fresh database is a
#: copy (CREATE DATABASE … TEMPLATE), which takes milliseconds instead of running every
#: migration again.
_TEMPLATES: dict[str, str] = {}
_TEMPLATE_LOCK = asyncio.Lock()


async def _template(infra: Infra, run_id: str, service: str) -> str:
    async with _TEMPLATE_LOCK:
        name = _TEMPLATES.get(service)
        if name is None:
            name = f"kt_{run_id}_tpl_{service}"
            await ensure_database(infra.pg_server_dsn, name)
            await migrate_dsn(infra.dsn_for(name), service)
            _TEMPLATES[service] = name
        return name


async def _copy_database(infra: Infra, template: str, name: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(infra.pg_server_dsn)
    try:
        await conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    finally:
        await conn.close()


@pytest_asyncio.fixture
async def fresh_database(
    infra: Infra, run_id: str
) -> AsyncIterator[Callable[[str], Awaitable[str]]]:
    """Factory: ``dsn = await fresh_database("events")`` -> a new, migrated database (a copy
    of this run's migrated template of the service)."""
    created: list[str] = []

    async def make(service: str) -> str:
        template = await _template(infra, run_id, service)
        name = f"kt_{run_id}_{service}_{next(_SERIAL)}"
        await _copy_database(infra, template, name)
        created.append(name)
        return infra.dsn_for(name)

    yield make
    for name in created:
        with contextlib.suppress(Exception):
            await drop_database(infra.pg_server_dsn, name)


@contextlib.asynccontextmanager
async def database_before(infra: Infra, service: str,
                          version: int) -> AsyncIterator[tuple[Any, str]]:
    """A new database of `service` as its code left it before migration `version` (the
    shared migrations and the service's earlier ones applied), and that migration's SQL, for
    a test to put old rows in and run it; dropped afterwards."""
    import asyncpg

    name = f"kt_{service}_{version:03d}_{secrets.token_hex(6)}"
    await ensure_database(infra.pg_server_dsn, name)
    conn = await asyncpg.connect(infra.dsn_for(name))
    try:
        folder = SERVICES_DIR / service / "migrations"
        for _, path in migration_files(SHARED_MIGRATIONS):
            await conn.execute(path.read_text())
        for earlier, path in migration_files(folder):
            if earlier < version:
                await conn.execute(path.read_text())
        [sql] = [path.read_text() for found, path in migration_files(folder) if found == version]
        yield conn, sql
    finally:
        await conn.close()
        await drop_database(infra.pg_server_dsn, name)


class ServiceClient(httpx.AsyncClient):
    runtime: Any


@pytest_asyncio.fixture
async def start_service(
    infra: Infra, topic_prefix: str, fresh_database: Callable[[str], Awaitable[str]],
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[Callable[..., Awaitable[ServiceClient]]]:
    """Factory: ``client = await start_service(spec)`` runs the service in this process against
    the real Kafka (this test's topic prefix) and a fresh database of its own. Its scheduled
    jobs are off: tests call them explicitly, so a timer never races an assertion."""
    monkeypatch.setenv("KOHTAAMO_BOOKING_JOB_INTERVAL", "0")
    monkeypatch.setenv("KOHTAAMO_METRICS_JOB_INTERVAL", "0")
    monkeypatch.setenv("KOHTAAMO_NOTIFICATIONS_JOB_INTERVAL", "0")
    # The residents' digests and clean-up too: a pass at start-up once sent a digest while
    # a test was still writing the subscriptions it then counted.
    monkeypatch.setenv("KOHTAAMO_REACH_JOB_INTERVAL", "0")
    from shared.service import ServiceSpec, create_app
    from shared.settings import ServiceSettings

    started: list[tuple[Any, ServiceClient]] = []

    async def start(spec: ServiceSpec, database_url: str | None = None,
                    **settings: Any) -> ServiceClient:
        dsn = database_url or await fresh_database(spec.name)
        config = ServiceSettings(
            service=spec.name,
            database_url=dsn,
            kafka_bootstrap_servers=infra.kafka_bootstrap,
            topic_prefix=topic_prefix,
            outbox_poll_interval=0.2,
            **settings,
        )
        app = create_app(spec, config)
        runtime = app.state.runtime
        await runtime.start()
        client = ServiceClient(transport=httpx.ASGITransport(app=app), base_url="http://test")
        client.runtime = runtime
        started.append((runtime, client))
        return client

    yield start
    for runtime, client in reversed(started):
        await client.aclose()
        await runtime.stop()


#: Ports `free_port` has handed out in this run. The kernel may give a port it just let go
#: again at the next bind: once it gave two of a test's four services the same port, the
#: second could not bind, and the first answered the second's readiness and requests.
_HANDED_OUT: set[int] = set()


def free_port() -> int:
    """A port free now and not handed out before in this run."""
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port: int = s.getsockname()[1]
        if port not in _HANDED_OUT:
            _HANDED_OUT.add(port)
            return port


class ServiceProcess:
    """A service replica as a real process: `python -m services.<name>`."""

    def __init__(self, service: str, env: dict[str, str], name: str,
                 port: int | None = None) -> None:
        self.service = service
        #: Given when other processes must know the address before this one starts (their
        #: KOHTAAMO_PUBLIC_<SERVICE>_URL), e.g. two services that link to each other.
        self.port = port or free_port()
        self.name = name
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        self.log_path = LOG_DIR / f"{name}.log"
        self._log = self.log_path.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", f"services.{service}"],
            cwd=ROOT,
            env={**os.environ, **env, "KOHTAAMO_HTTP_PORT": str(self.port),
                 "KOHTAAMO_REPLICA": name},
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self.url = f"http://127.0.0.1:{self.port}"

    async def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        async with httpx.AsyncClient() as client:
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    break
                with contextlib.suppress(httpx.HTTPError):
                    r = await client.get(f"{self.url}/health/ready", timeout=2)
                    if r.status_code == 200:
                        return
                await asyncio.sleep(0.2)
        raise RuntimeError(
            f"{self.name} did not become ready (exit={self.proc.poll()}):\n{self.tail()}"
        )

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()
        self._log.close()


@pytest_asyncio.fixture
async def spawn_service(
    infra: Infra, topic_prefix: str
) -> AsyncIterator[Callable[..., Awaitable[ServiceProcess]]]:
    """Factory: ``proc = await spawn_service("metrics", dsn)`` starts a replica process."""
    procs: list[ServiceProcess] = []

    async def spawn(service: str, database_url: str, name: str | None = None,
                    log_level: str = "INFO", env: dict[str, str] | None = None,
                    port: int | None = None) -> ServiceProcess:
        env = {
            "KAFKA_BOOTSTRAP_SERVERS": infra.kafka_bootstrap,
            "DATABASE_URL": database_url,
            "KOHTAAMO_TOPIC_PREFIX": topic_prefix,
            "KOHTAAMO_OUTBOX_POLL_INTERVAL": "0.2",
            "KOHTAAMO_LOG_LEVEL": log_level,
            **(env or {}),
        }
        proc = ServiceProcess(service, env, name or f"{topic_prefix}{service}-{len(procs)}",
                              port)
        procs.append(proc)
        await proc.wait_ready()
        return proc

    yield spawn
    for proc in procs:
        proc.stop()


async def eventually(
    check: Callable[[], Awaitable[Any]], timeout: float = 30.0, interval: float = 0.1
) -> Any:
    """Poll `check` until it returns a truthy value; fail with its last value."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = await check()
        if last:
            return last
        await asyncio.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s; last value: {last!r}")


async def produce(bootstrap: str, topic: str, events: Iterable[Any]) -> None:
    """Send domain events to `topic` as CloudEvents in the Kafka binary binding, keyed by
    aggregate, as a service's outbox relay would."""
    from shared.kafka import make_producer

    producer = make_producer(bootstrap, "test-producer")
    await producer.start()
    try:
        for event in events:
            envelope = event.to_envelope()
            await producer.send(topic, envelope.kafka_value(), key=envelope.kafka_key(),
                                headers=[(k, v.encode()) for k, v in
                                         envelope.kafka_headers().items()])
        await producer.flush()
    finally:
        await producer.stop()


async def _polls(bootstrap: str, topic: str, timeout: float) -> AsyncIterator[list[Any]]:
    """`topic` read from the start: the records of each poll (none when nothing came), until
    `timeout` seconds passed or the caller stops."""
    from aiokafka import AIOKafkaConsumer

    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest",
        enable_auto_commit=False, group_id=None,
    )
    await consumer.start()
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=100)
            yield [r for part in batch.values() for r in part]
    finally:
        await consumer.stop()


async def _read(bootstrap: str, topic: str, timeout: float, settle: float,
                take: Callable[[list[Any]], bool]) -> None:
    """Each poll's records of `topic`, from its start, to `take`, until it says enough came
    (then `settle` seconds more, so a test sees one too many as well) or time ran out."""
    until: float | None = None
    polls = _polls(bootstrap, topic, timeout)
    try:
        async for batch in polls:
            if take(batch) and until is None:
                until = time.monotonic() + settle
            if until is not None and time.monotonic() >= until:
                break
    finally:
        await polls.aclose()


async def read_topic(
    bootstrap: str, topic: str, expect: int, timeout: float = 30.0, settle: float = 0.0
) -> list[Any]:
    """Read `topic` from the start until `expect` records came (or time ran out), then
    `settle` seconds more."""
    records: list[Any] = []

    def take(batch: list[Any]) -> bool:
        records.extend(batch)
        return len(records) >= expect

    await _read(bootstrap, topic, timeout, settle, take)
    return records


async def events_on_topic(runtime: Any, topic: str, expect: int, *, event_type: str | None = None,
                         keys: Collection[str] = (), where: Callable[[Any], bool] | None = None,
                         timeout: float = 30.0, settle: float = 0.5) -> list[Any]:
    """The events a running service (`runtime`) published to `topic` that are of
    `event_type`, (given `keys`) have one of those keys and (given `where`) pass it: read from
    the topic's start (its run's prefix), in each partition's order, until `expect` of them
    came, then `settle` seconds more, so a test sees one too many as well. The relay deletes
    an outbox row as soon as Kafka has it: what a service told the others is read where they
    read it."""
    from shared.envelope import Envelope

    settings = runtime.settings
    found: list[tuple[int, int, Any]] = []

    def take(batch: list[Any]) -> bool:
        for r in batch:
            envelope = Envelope.from_kafka(r.key, r.value, r.headers)
            if ((event_type is None or envelope.type == event_type)
                    and (not keys or envelope.partitionkey in keys)
                    and (where is None or where(envelope))):
                found.append((r.partition, r.offset, envelope))
        return len(found) >= expect

    await _read(settings.kafka_bootstrap_servers, settings.topic(topic), timeout, settle, take)
    return [envelope for _, _, envelope in sorted(found, key=lambda f: f[:2])]


@pytest_asyncio.fixture(scope="session", loop_scope="session", autouse=True)
async def _delete_run_topics(run_id: str) -> AsyncIterator[None]:
    """After the session, delete the topics this run created, so a shared broker stays lean."""
    yield
    if not _STARTED:
        return  # this session never needed the real servers
    infra = _STARTED[0]
    from aiokafka.admin import AIOKafkaAdminClient

    for template in _TEMPLATES.values():
        with contextlib.suppress(Exception):
            await drop_database(infra.pg_server_dsn, template)
    admin = AIOKafkaAdminClient(bootstrap_servers=infra.kafka_bootstrap)
    try:
        await admin.start()
        mine = [t for t in await admin.list_topics() if t.startswith(f"t{run_id}")]
        if mine:
            await admin.delete_topics(mine)
    except Exception:
        pass
    finally:
        await admin.close()


def bearer(*roles: str, venues: tuple[Any, ...] = (), subject: str = "test-user",
           name: str | None = "Testi Henkilö", email: str | None = None,
           email_verified: bool | None = None) -> dict[str, str]:
    """Authorization header with a token from the local issuer."""
    from shared.auth import mint_token

    return {"Authorization": "Bearer " + mint_token(subject, list(roles), list(venues), name,
                                                    email=email,
                                                    email_verified=email_verified)}


#: A test's tier follows from the fixtures it uses (ADR 0002): `unit` tests need none of the
#: real servers and run alone with `-m unit`; `db` tests need PostgreSQL; `kafka` tests run
#: services on the real broker (and browsers). `infra` marks both of the latter.
_KAFKA_FIXTURES = {"start_service", "spawn_service", "topic_prefix", "kafka_cluster",
                   "chromium_path", "chromium"}
_TIERS = ("unit", "db", "kafka", "deploy")
_DB_FIXTURES = {"infra", "fresh_database"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        marked = [t for t in _TIERS if item.get_closest_marker(t)]
        if marked:
            tier = marked[0]  # a test that names its tier (e.g. real sockets, no fixture)
        elif item.nodeid.startswith("tests/test_deployment.py"):
            tier = "deploy"  # offline checks of deploy/ that run kubectl and linters
        elif names & _KAFKA_FIXTURES:
            tier = "kafka"
        elif names & _DB_FIXTURES:
            tier = "db"
        else:
            tier = "unit"
        item.add_marker(getattr(pytest.mark, tier))
        if tier in ("db", "kafka"):
            item.add_marker(pytest.mark.infra)


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture
def chromium_path() -> str:
    """Debian's Chromium for page tests (Playwright's own browser download cannot work here)."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: ./kohtaamo test installs Debian's chromium")
        pytest.skip("Debian's chromium is not installed (./kohtaamo test installs it)")
    return CHROMIUM


#: The arguments of every page test's Chromium.
CHROMIUM_ARGS = ("--no-sandbox", "--disable-background-networking", "--disable-gpu")


@contextlib.asynccontextmanager
async def launch_chromium(path: str, *extra_args: str) -> AsyncIterator[Browser]:
    """Headless Chromium at ``path`` (the ``chromium_path`` fixture) under Playwright, with
    ``CHROMIUM_ARGS`` and any ``extra_args`` (e.g. ``--lang=sv``); the browser and Playwright
    are closed on leaving. A test whose pages come from a server it starts opens the browser
    inside the test, so the browser is gone before the server stops."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=path, headless=True, args=[*CHROMIUM_ARGS, *extra_args])
        try:
            yield browser
        finally:
            await browser.close()


@pytest_asyncio.fixture
async def chromium(chromium_path: str) -> AsyncIterator[Browser]:
    """A browser for the whole test (``launch_chromium`` with no extra arguments)."""
    async with launch_chromium(chromium_path) as browser:
        yield browser


async def focused_id(page: Page) -> str:
    """The id of the element that has focus once the page has drawn two frames. Chromium
    runs ``autofocus`` when it next updates the rendering, which can come after the load event
    Playwright waits for: reading ``document.activeElement`` straight after ``goto`` raced it
    (a CI run read '' where the refusal summary takes focus)."""
    return str(await page.evaluate(
        """() => new Promise((resolve) => requestAnimationFrame(() =>
               requestAnimationFrame(() => resolve(document.activeElement
                                                   ? document.activeElement.id : ''))))"""))
