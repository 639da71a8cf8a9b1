"""Benchmarks of the event flow through real service processes: `python -m bench.flow`.

Each service runs as it does in production, `python -m services.<name>` in its own process
with a fresh migrated database and a fresh topic prefix (so its own topics and consumer group),
against the real Kafka broker and PostgreSQL server. Everything made here (processes,
databases, topics) is removed afterwards, also on errors.

- `bench_board_latency`: a venue's notice board exists (one venue.registered), then
  `event.published` CloudEvents for that venue are produced at a fixed rate (scheduled by the
  clock: event i is due at start + i / rate). Latency runs from the moment an event is handed
  to the producer (the same idempotent `acks=all` producer the outbox relay uses, linger 5 ms)
  until its row is in `board_items`, which the board's `feed.json` reads; the table is polled
  every 5 ms for the ids not yet seen, so a latency is at most ~5 ms + one query late. A few
  real `GET /boards/{id}/feed.json` during the run check that the feed serves exactly what the
  table shows (ids in the table before the GET ⊆ ids in the feed ⊆ ids in the table after).
- `bench_consumers`: for each service in `CONSUMING` (events, notifications, metrics; booking
  consumes only its saga's `booking.move_requested` and `event.cancelled`, and the guide's
  consumer is not measured), a topic is
  pre-filled with N events that service handles, spread over its 3 partitions by key; then
  one replica starts and reads them from the earliest offset. Its throughput is taken from the
  `inbox.processed_at` of the N events (each the start of the event's transaction):
  (N - 1) / (last - first), so start-up is not counted. The baseline, on the same topic with a
  fresh group, is the least a consumer must do: an aiokafka `getmany` loop that inserts each
  record's (id, payload) into a plain table, one transaction per record, committing offsets
  after each batch (in this process, timed the same way). Then the scaling: the running
  replica gets a warm-up and a burst of N new events produced as fast as possible (1 replica),
  a second replica joins the group, both are warmed up until each has handled events (so the
  rebalance is over), and a second burst of N is timed the same way (2 replicas). CPU use over
  each burst comes from /proc: the whole machine (/proc/stat) and each process (utime + stime
  of the replicas, PostgreSQL's backends, the Kafka broker and this process), in % of one core.
- RSS: idle (the second replica, ready and assigned partitions, before any event reaches it)
  and loaded (the first replica after its two runs: VmRSS now and VmHWM, the peak).

Set `KOHTAAMO_BENCH_PROFILE=<dir>` to record the first replica's pre-filled run of each service
with py-spy (`.venv/bin/py-spy`, a development dependency); the
collapsed stacks go to `<dir>/<service>.txt` and the top frames are printed on stderr. `bench
booking` records the booking service the same way, in one more closed loop of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import httpx

from bench.common import ROOT, Rows, endpoints, pct, print_rows, share
from shared.contracts import (
    ActivityEventPublished,
    BookingConfirmed,
    DomainEvent,
    LocalizedText,
    VenueRegistered,
)
from shared.envelope import Envelope

#: Events per consumer run (pre-fill, and each burst of the scaling runs). 3,000: with 600, a
#: service's run lasted under a second and the raw loop's a third of one, too short to time.
EVENTS = int(os.environ.get("KOHTAAMO_BENCH_FLOW_EVENTS", "3000"))
#: event.published per second into the board latency run, and for how long.
BOARD_RATE = float(os.environ.get("KOHTAAMO_BENCH_BOARD_RATE", "100"))
BOARD_SECONDS = float(os.environ.get("KOHTAAMO_BENCH_BOARD_SECONDS", "10"))
#: A second run at a rate the consumer keeps up with (0: none). 15 s at 20/s: 300 events,
#: so its p99 is not simply the slowest of 100.
LOW_RATE = float(os.environ.get("KOHTAAMO_BENCH_BOARD_LOW_RATE", "20"))
LOW_SECONDS = float(os.environ.get("KOHTAAMO_BENCH_BOARD_LOW_SECONDS", "15"))
#: Partitions of the pre-filled topic (the services create theirs with 3).
PARTITIONS = int(os.environ.get("KOHTAAMO_BENCH_FLOW_PARTITIONS", "6"))
PROFILE_DIR = os.environ.get("KOHTAAMO_BENCH_PROFILE")
#: Replicas scaled again with a CPU limit each (cores), as containers have: on a machine too
#: small for two uncapped replicas and their database, this measures the service's scaling
#: rather than the machine (0.3: two such replicas still leave PostgreSQL and Kafka room on
#: two cores). 0 skips it.
REPLICA_CPU = float(os.environ.get("KOHTAAMO_BENCH_REPLICA_CPU", "0.3"))
CLK_TCK = os.sysconf("SC_CLK_TCK")
AREA = "kuopio.keskusta"







# --- what a run makes, and takes down again ----------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _cpu_cgroup(name: str, cores: float) -> Path | None:
    """A cgroup letting its processes use at most `cores` CPUs (v2 `cpu.max`, or v1's CFS
    quota), as a container's CPU limit does; None where this process may not make one."""
    period = 100_000
    quota = int(cores * period)
    v2 = Path("/sys/fs/cgroup")
    with contextlib.suppress(OSError):
        if "cpu" in (v2 / "cgroup.subtree_control").read_text().split():
            group = v2 / f"kohtaamo-bench-{name}"
            group.mkdir(exist_ok=True)
            (group / "cpu.max").write_text(f"{quota} {period}")
            return group
    with contextlib.suppress(OSError):
        group = v2 / "cpu" / f"kohtaamo-bench-{name}"
        group.mkdir(exist_ok=True)
        (group / "cpu.cfs_period_us").write_text(str(period))
        (group / "cpu.cfs_quota_us").write_text(str(quota))
        return group
    return None


class Replica:
    """One service replica as a real process, its output in a temporary log file; with
    `cpu_limit`, held to that many cores as a container with a CPU limit would be."""

    def __init__(self, service: str, env: dict[str, str], name: str,
                 cpu_limit: float | None = None, module: str | None = None) -> None:
        self.service = service
        self.name = name
        self.cgroup = _cpu_cgroup(name.replace(".", "-"), cpu_limit) if cpu_limit else None
        if cpu_limit and self.cgroup is None:
            raise PermissionError("no cgroup for a CPU limit here (needs root and a writable "
                                  "/sys/fs/cgroup)")
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed in stop)
            "w+", prefix=f"{name}-", suffix=".log", delete=False)
        # A benchmark, not a server: a blocking Popen is fine here.
        self.proc = subprocess.Popen(
            [sys.executable, "-m", module or f"services.{service}"], cwd=ROOT,
            env={**os.environ, **env, "KOHTAAMO_HTTP_PORT": str(self.port),
                 "KOHTAAMO_REPLICA": name},
            stdout=self._log, stderr=subprocess.STDOUT)
        if self.cgroup is not None:
            (self.cgroup / "cgroup.procs").write_text(str(self.proc.pid))

    @property
    def pid(self) -> int:
        return self.proc.pid

    async def ready(self, timeout: float = 90.0) -> dict[str, Any]:
        """Wait for /health/ready; its checks (events_handled among them)."""
        deadline = time.monotonic() + timeout
        async with httpx.AsyncClient() as http:
            while time.monotonic() < deadline and self.proc.poll() is None:
                with contextlib.suppress(httpx.HTTPError):
                    r = await http.get(f"{self.url}/health/ready", timeout=5)
                    if r.status_code == 200:
                        checks: dict[str, Any] = r.json()
                        return checks
                await asyncio.sleep(0.1)
        raise RuntimeError(f"{self.name} not ready (exit {self.proc.poll()}):\n{self.tail()}")

    def tail(self, lines: int = 30) -> str:
        text = Path(self._log.name).read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def memory(self) -> tuple[float, float]:
        """(VmRSS, VmHWM) in MB."""
        status = Path(f"/proc/{self.pid}/status").read_text()
        kb = {line.split(":")[0]: int(line.split()[1]) for line in status.splitlines()
              if line.startswith(("VmRSS", "VmHWM"))}
        return kb["VmRSS"] / 1024, kb["VmHWM"] / 1024

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self._log.close()
        with contextlib.suppress(OSError):
            os.unlink(self._log.name)
        if self.cgroup is not None:
            with contextlib.suppress(OSError):
                self.cgroup.rmdir()


@dataclass
class Scratch:
    """Databases, topic prefixes and processes of one benchmark; `close` removes them all."""

    env: dict[str, str]
    databases: list[str] = field(default_factory=list)
    prefixes: list[str] = field(default_factory=list)
    replicas: list[Replica] = field(default_factory=list)

    @property
    def bootstrap(self) -> str:
        return self.env["KAFKA_BOOTSTRAP_SERVERS"]

    @property
    def base(self) -> str:
        return self.env["KOHTAAMO_PG_DSN_BASE"]

    def prefix(self) -> str:
        prefix = f"bflow{secrets.token_hex(3)}."
        self.prefixes.append(prefix)
        return prefix

    async def database(self, service: str | None) -> str:
        """A fresh database, migrated for `service` (None: empty)."""
        from shared.db import ensure_database, migrate_dsn

        name = f"bench_flow_{service or 'raw'}_{secrets.token_hex(3)}"
        await ensure_database(f"{self.base}/postgres", name)
        self.databases.append(name)
        if service:
            await migrate_dsn(f"{self.base}/{name}", service)
        return f"{self.base}/{name}"

    def replica(self, service: str, dsn: str, prefix: str,
                cpu_limit: float | None = None, extra: dict[str, str] | None = None,
                module: str | None = None) -> Replica:
        n = sum(r.service == service for r in self.replicas)
        replica = Replica(service, {
            **self.env,
            "DATABASE_URL": dsn,
            "KOHTAAMO_TOPIC_PREFIX": prefix,
            "KOHTAAMO_LOG_LEVEL": "WARNING",
            # No scheduled passes: only the consumer (and the outbox relay) work.
            "KOHTAAMO_BOOKING_JOB_INTERVAL": "0",
            "KOHTAAMO_METRICS_JOB_INTERVAL": "0",
            "KOHTAAMO_NOTIFICATIONS_JOB_INTERVAL": "0",
            **(extra or {}),
        }, f"{prefix}{service}-{n}", cpu_limit, module)
        self.replicas.append(replica)
        return replica

    async def close(self) -> None:
        from aiokafka.admin import AIOKafkaAdminClient

        from shared.db import drop_database

        for replica in self.replicas:
            with contextlib.suppress(Exception):
                replica.stop()
        for name in self.databases:
            with contextlib.suppress(Exception):
                await drop_database(f"{self.base}/postgres", name)
        if self.prefixes:
            admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap)
            try:
                await admin.start()
                mine = [t for t in await admin.list_topics()
                        if t.startswith(tuple(self.prefixes))]
                if mine:
                    await admin.delete_topics(mine)
            except Exception:
                pass  # best effort: a left topic is small and prefixed
            finally:
                await admin.close()


# --- producing ----------------------------------------------------------------------------------


def _send_args(envelope: Envelope) -> dict[str, Any]:
    return {"value": envelope.kafka_value(), "key": envelope.kafka_key(),
            "headers": [(k, v.encode()) for k, v in envelope.kafka_headers().items()]}


async def produce(bootstrap: str, topic: str, envelopes: Sequence[Envelope]) -> None:
    """Send all as fast as the producer takes them, then wait for every acknowledgement."""
    from shared.kafka import make_producer

    producer = make_producer(bootstrap, "bench-flow")
    await producer.start()
    try:
        for envelope in envelopes:
            await producer.send(topic, **_send_args(envelope))
        await producer.flush()
    finally:
        await producer.stop()


async def create_topic(bootstrap: str, topic: str) -> None:
    from shared.kafka import ensure_topics

    await ensure_topics(bootstrap, [topic], PARTITIONS, 1)


def tomorrow(i: int) -> datetime:
    return (datetime.now(UTC).replace(microsecond=0, second=0, minute=0)
            + timedelta(days=1, minutes=i))


def activity(i: int, venue_id: UUID | None, area: str = AREA,
             starts: datetime | None = None) -> ActivityEventPublished:
    starts = starts or tomorrow(i % 600)
    return ActivityEventPublished(
        event_id=uuid4(), revision=1, name=LocalizedText(fi=f"Tapahtuma {i}", en=f"Event {i}"),
        starts_at=starts, ends_at=starts + timedelta(hours=1), kind="open_unguided",
        venue_id=venue_id, area=area)


def venue(venue_id: UUID, i: int) -> VenueRegistered:
    return VenueRegistered(venue_id=venue_id, name=LocalizedText(fi=f"Kirjasto {i}"),
                           kind="library", area=AREA, municipality="Kuopio")


#: Kuopio's areas (services/metrics/migrations), each with three venues (a library, a youth
#: centre, a school), as the city's activity is spread.
AREAS = ("kuopio.keskusta", "kuopio.jynkka", "kuopio.neulamaki", "kuopio.puijonlaakso",
         "kuopio.pyoro", "kuopio.nilsia", "kuopio.juankoski", "kuopio.karttula",
         "kuopio.maaninka", "kuopio.riistavesi", "kuopio.vehmersalmi")
VENUES = [(uuid4(), AREAS[k % len(AREAS)]) for k in range(3 * len(AREAS))]


def upcoming(i: int) -> datetime:
    """Activities of the coming three months, at different hours: published ahead, as the
    city's are (all on one day would make every transaction update the same aggregate rows)."""
    return tomorrow(0) + timedelta(days=(7 * i) % 90, minutes=(53 * i) % 720)


def workload(service: str, i: int) -> DomainEvent:
    """An event of a type the service handles, of the work it does in production."""
    venue_id, area = VENUES[i % len(VENUES)]
    if service == "events":  # a confirmed booking becomes its organiser's draft event
        s = upcoming(i)
        return BookingConfirmed(booking_id=uuid4(), venue_id=venue_id, space_id=uuid4(),
                                starts_at=s, ends_at=s + timedelta(hours=1),
                                title=f"Kerho {i}", organiser_id=uuid4())
    # notifications: on its venue's and area's boards (no social accounts configured);
    # metrics: a fact and its aggregates.
    return activity(i, venue_id, area, upcoming(i))


# --- CPU from /proc -----------------------------------------------------------------------------


def _ticks(pid: int) -> int:
    with contextlib.suppress(OSError, ValueError, IndexError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime
    return 0


def _pids(match: Callable[[str, str], bool]) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                comm = (entry / "comm").read_text().strip()
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(
                    errors="replace")
                if match(comm, cmdline):
                    found.append(int(entry.name))
    return found


def _machine() -> tuple[int, int]:
    """(busy, total) jiffies of all cores."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return sum(values[:8]) - idle, sum(values[:8])


class CpuWindow:
    """CPU used between `__init__` and `done()`: the machine's busy share of all cores, and
    each group of processes (and all the others together) in % of one core."""

    def __init__(self, groups: Callable[[], dict[str, list[int]]]) -> None:
        # The processes alive at the start (PostgreSQL backends come and go).
        self.groups = groups()
        self._start = {pid: _ticks(pid) for pids in self.groups.values() for pid in pids}
        self._machine = _machine()
        self._t = time.monotonic()

    def used(self) -> dict[str, float]:
        """Each group's CPU since the window opened, in cores (1.0: one core all along)."""
        seconds = time.monotonic() - self._t
        # A process that ended in the window (a pool connection) is left out.
        return {name: sum(max(0, _ticks(p) - self._start[p]) for p in pids) / CLK_TCK / seconds
                for name, pids in self.groups.items()}

    def done(self) -> str:
        groups = self.used()
        busy, total = _machine()
        share = (busy - self._machine[0]) / max(1, total - self._machine[1])
        parts = [f"machine {share:.0%} of {os.cpu_count()} cores busy"]
        ours = 0.0
        for name, used in groups.items():
            ours += used
            parts.append(f"{name} {used:.0%}")
        # Everything else on the machine: other people's tests, the kernel.
        parts.append(f"others {max(0.0, share * (os.cpu_count() or 1) - ours):.0%}")
        return ", ".join(parts)


def cpu_groups(replicas: Sequence[Replica]) -> Callable[[], dict[str, list[int]]]:
    """Which processes to count, found when the window opens."""

    def find() -> dict[str, list[int]]:
        groups = {f"replica {i + 1}": [r.pid] for i, r in enumerate(replicas)}
        groups["postgres"] = _pids(lambda comm, _: comm.startswith("postgres"))
        groups["kafka"] = _pids(lambda comm, cmd: comm == "java" and "kafka" in cmd.lower())
        groups["bench"] = [os.getpid()]
        return groups

    return find


# --- consuming and timing -----------------------------------------------------------------------


async def wait_handled(dsn: str, table: str, ids: list[UUID], replicas: Sequence[Replica],
                       timeout: float, cpu: Callable[[], dict[str, list[int]]] | None = None
                       ) -> tuple[float, str]:
    """Wait until every id is in `table` (inbox, or the raw loop's table); (events per second
    from the first to the last processed_at, CPU use from when the first was handled).

    Each poll asks only for the ids still pending, and polls are spaced at least 20 times
    their own duration apart: asking for all 10,000 ids every 50 ms cost PostgreSQL 20 ms a
    poll, 40 % of a core taken from the service being measured, so the observer stays under
    5 %. The rate comes from processed_at, so the spacing does not change it."""
    column = "event_id" if table == "inbox" else "id"
    conn = await asyncpg.connect(dsn)
    window: CpuWindow | None = None
    pending = list(ids)
    first: datetime | None = None
    last: datetime | None = None
    try:
        deadline = time.monotonic() + timeout
        while True:
            asked = time.monotonic()
            rows = await conn.fetch(
                f"SELECT {column} AS id, processed_at FROM {table}"
                f" WHERE {column} = ANY($1::uuid[])", pending)
            took = time.monotonic() - asked
            if rows:
                if window is None and cpu is not None:
                    window = CpuWindow(cpu)
                found = {r["id"] for r in rows}
                pending = [i for i in pending if i not in found]
                times = [r["processed_at"] for r in rows]
                if first and last:
                    times += [first, last]
                first, last = min(times), max(times)
            if not pending:
                break
            for replica in replicas:
                if replica.proc.poll() is not None:
                    raise RuntimeError(f"{replica.name} exited:\n{replica.tail()}")
            if time.monotonic() > deadline:
                tails = "\n".join(r.tail() for r in replicas)
                raise RuntimeError(f"only {len(ids) - len(pending)} of {len(ids)} handled in"
                                   f" {timeout:.0f} s\n{tails}")
            await asyncio.sleep(max(0.05, 20 * took))
        assert first is not None and last is not None
        span = (last - first).total_seconds()
        return (len(ids) - 1) / max(span, 1e-6), window.done() if window else ""
    finally:
        await conn.close()


async def raw_loop(bootstrap: str, topic: str, group: str, dsn: str, n: int,
                   commit_each: bool = False) -> None:
    """The least a consumer does: read the records, one transaction per record inserting its
    (id, payload), commit the offsets after each batch (`commit_each`: one record at a time,
    its offset committed after it, as FastStream's NACK_ON_ERROR acknowledgement does)."""
    from aiokafka import AIOKafkaConsumer

    conn = await asyncpg.connect(dsn)
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=group,
                                auto_offset_reset="earliest", enable_auto_commit=False)
    await consumer.start()
    try:
        done = 0
        deadline = time.monotonic() + 120
        while done < n and time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=500, max_records=1 if commit_each else None)
            for records in batch.values():
                for record in records:
                    event_id = UUID(dict(record.headers)["ce_id"].decode())
                    async with conn.transaction():
                        await conn.execute(
                            "INSERT INTO raw_events (id, payload) VALUES ($1, $2::jsonb)"
                            " ON CONFLICT DO NOTHING", event_id, record.value.decode())
                    done += 1
            if batch:
                await consumer.commit()
    finally:
        await consumer.stop()
        await conn.close()


async def raw_table(dsn: str) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("""CREATE TABLE IF NOT EXISTS raw_events (
            id uuid PRIMARY KEY, payload jsonb NOT NULL,
            processed_at timestamptz NOT NULL DEFAULT now())""")
    finally:
        await conn.close()


async def timed_raw(scratch: Scratch, topic: str, group: str, ids: list[UUID],
                    commit_each: bool = False) -> tuple[float, str]:
    """The raw loop over `ids` (the first records of the topic) into a table of its own, in
    a new database: (events/s, CPU use)."""
    dsn = await scratch.database(None)
    await raw_table(dsn)
    raw = asyncio.create_task(raw_loop(scratch.bootstrap, topic, group, dsn, len(ids),
                                       commit_each))
    try:
        return await wait_handled(dsn, "raw_events", ids, [], 120, cpu_groups([]))
    finally:
        if not raw.done():
            raw.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await raw


async def handled_by(replicas: Sequence[Replica]) -> list[int]:
    return [int((await r.ready())["events_handled"]) for r in replicas]


async def warm_up(bootstrap: str, topic: str, service: str, dsn: str,
                  replicas: Sequence[Replica]) -> None:
    """Small batches until every replica has handled some of them: the group is settled (no
    rebalance pending) and each replica's connections and caches are warm."""
    before = await handled_by(replicas)
    for _ in range(20):
        batch = [workload(service, i).to_envelope() for i in range(60)]
        await produce(bootstrap, topic, batch)
        await wait_handled(dsn, "inbox", [e.id for e in batch], replicas, 60)
        now = await handled_by(replicas)
        if all(a > b for a, b in zip(now, before, strict=True)):
            return
        await asyncio.sleep(0.5)
    raise RuntimeError(f"the replicas did not all get partitions: handled {before} → {now}")


async def burst(scratch: Scratch, topic: str, service: str, dsn: str,
                replicas: Sequence[Replica]) -> tuple[float, str]:
    """N events produced as fast as possible to running replicas: (events/s, CPU use)."""
    envelopes = [workload(service, i).to_envelope() for i in range(EVENTS)]
    groups = cpu_groups(replicas)
    producing = asyncio.create_task(produce(scratch.bootstrap, topic, envelopes))
    result = await wait_handled(dsn, "inbox", [e.id for e in envelopes], replicas,
                                max(90.0, EVENTS / 20), groups)
    await producing
    return result


def profile_start(pid: int, service: str, *, pausing: bool = False
                  ) -> subprocess.Popen[bytes] | None:
    """py-spy on `pid` for 6 s, when KOHTAAMO_BENCH_PROFILE is set. Without `pausing` it
    reads the stacks while the process runs, which slows a measured run least but leaves
    some stacks cut short; `pausing` stops the process for each sample, for whole stacks
    in a run that is not measured."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not PROFILE_DIR or not Path(spy).exists():
        return None
    Path(PROFILE_DIR).mkdir(parents=True, exist_ok=True)
    return subprocess.Popen([spy, "record", "--pid", str(pid), "--format", "raw", "--rate", "200",
                             "--duration", "6", *([] if pausing else ["--nonblocking"]),
                             "-o", f"{PROFILE_DIR}/{service}.txt"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def profile_report(spy: subprocess.Popen[bytes] | None, service: str) -> None:
    """The frames with the most samples (inclusive) and the most own samples, on stderr."""
    if spy is None:
        return
    with contextlib.suppress(subprocess.TimeoutExpired):
        spy.wait(30)
    path = Path(f"{PROFILE_DIR}/{service}.txt")
    if not path.exists():
        return
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        frames = stack.split(";")
        total += int(count)
        own[frames[-1]] += int(count)
        for frame in set(frames):
            inclusive[frame] += int(count)
    print(f"[profile] {service}: {total} samples", file=sys.stderr)
    for title, counter in (("inclusive", inclusive), ("own", own)):
        print(f"[profile]  top {title}:", file=sys.stderr)
        for frame, n in counter.most_common(25):
            print(f"[profile]   {n / max(total, 1):6.1%}  {frame}", file=sys.stderr)


# --- the benchmarks -----------------------------------------------------------------------------


async def bench_board_latency(env: dict[str, str]) -> Rows:
    """event.published produced at a fixed rate → visible in the venue board's feed."""
    from services.notifications.domain import board_id_for_venue
    from shared.contracts import EVENTS_TOPIC
    from shared.kafka import make_producer

    scratch = Scratch(env)
    try:
        prefix = scratch.prefix()
        dsn = await scratch.database("notifications")
        replica = scratch.replica("notifications", dsn, prefix)
        await replica.ready()
        topic = prefix + EVENTS_TOPIC
        venue_id = uuid4()
        board_id = board_id_for_venue(venue_id)
        await produce(scratch.bootstrap, prefix + VenueRegistered.TOPIC,
                      [venue(venue_id, 0).to_envelope()])
        conn = await asyncpg.connect(dsn)
        producer = make_producer(scratch.bootstrap, "bench-flow-board")
        await producer.start()
        try:
            for _ in range(300):  # the board exists before the timed run
                if await conn.fetchval("SELECT 1 FROM notice_boards WHERE id = $1", board_id):
                    break
                await asyncio.sleep(0.05)
            else:
                raise RuntimeError(f"no board for the venue:\n{replica.tail()}")
            # Warm up the path (connections, statements) with a few events, not timed.
            warm = [activity(i, venue_id).to_envelope() for i in range(20)]
            for envelope in warm:
                await producer.send(topic, **_send_args(envelope))
            await producer.flush()
            warm_ids = [e.id for e in warm]
            for _ in range(400):
                if await conn.fetchval(
                        "SELECT count(*) FROM board_items WHERE board_id = $1"
                        " AND activity_event_id = ANY($2::uuid[])", board_id, warm_ids
                ) == len(warm):
                    break
                await asyncio.sleep(0.05)

            async def run(rate: float, seconds: float) -> Rows:
                """One fixed-rate run: its latency row and the feed check's row."""
                n = int(rate * seconds)
                # The payloads are ready before the clock starts: the run times the flow.
                events = [activity(i, venue_id) for i in range(n)]
                envelopes = [e.to_envelope() for e in events]
                sent: dict[UUID, float] = {}
                seen: dict[UUID, float] = {}
                lateness: list[float] = []
                sending_done = asyncio.Event()

                async def send() -> None:
                    begin = time.perf_counter()
                    for i, (event, envelope) in enumerate(zip(events, envelopes, strict=True)):
                        due = begin + i / rate
                        await asyncio.sleep(max(0.0, due - time.perf_counter()))
                        now = time.perf_counter()
                        lateness.append((now - due) * 1000)
                        sent[event.event_id] = now
                        await producer.send(topic, **_send_args(envelope))
                    await producer.flush()
                    sending_done.set()

                async def watch() -> None:
                    deadline = None
                    while len(seen) < n:
                        pending = [i for i in sent if i not in seen]
                        if pending:
                            rows = await conn.fetch(
                                "SELECT activity_event_id FROM board_items WHERE board_id = $1"
                                " AND activity_event_id = ANY($2::uuid[])", board_id, pending)
                            now = time.perf_counter()
                            for r in rows:
                                seen[r["activity_event_id"]] = now
                        if sending_done.is_set():
                            deadline = deadline or time.perf_counter() + 90
                            if time.perf_counter() > deadline:
                                raise RuntimeError(f"{n - len(seen)} events never reached the board"
                                                   f"\n{replica.tail()}")
                        await asyncio.sleep(0.005)

                checks: list[str] = []

                async def check_feed() -> None:
                    """Does the feed serve what the table shows? Five GETs over the run."""
                    async with httpx.AsyncClient() as http:
                        for _ in range(5):
                            await asyncio.sleep(seconds / 6)
                            query = ("SELECT activity_event_id FROM board_items WHERE board_id = $1"
                                     " AND status <> 'withdrawn'")
                            async with db_lock:
                                before = {r[0] for r in await feed_conn.fetch(query, board_id)}
                            r = await http.get(f"{replica.url}/boards/{board_id}/feed.json")
                            r.raise_for_status()
                            async with db_lock:
                                after = {r[0] for r in await feed_conn.fetch(query, board_id)}
                            feed = {UUID(item["id"]) for item in r.json()["items"]}
                            checks.append("ok" if before <= feed <= after else
                                          f"MISMATCH (db {len(before)}-{len(after)},"
                                          f" feed {len(feed)})")

                db_lock = asyncio.Lock()
                feed_conn = await asyncpg.connect(dsn)
                cpu = CpuWindow(cpu_groups([replica]))
                begin = time.perf_counter()
                try:
                    await asyncio.gather(send(), watch(), check_feed())
                finally:
                    await feed_conn.close()
                elapsed = time.perf_counter() - begin
                usage = cpu.done()
                latencies = [(seen[i] - sent[i]) * 1000 for i in sent]
                achieved = n / (max(sent.values()) - min(sent.values()) + 1 / rate)
                feed_ok = sum(c == "ok" for c in checks)
                return [
                    (f"event → board feed, {n:,} event.published at {rate:.0f}/s",
                     f"p50 {pct(latencies, .5):.0f} ms",
                     f"p99 {pct(latencies, .99):.0f} ms, max {max(latencies):.0f} ms, sent at "
                     f"{achieved:.1f}/s (sender late p99 {pct(lateness, .99):.1f} ms), all seen "
                     f"{elapsed:.1f} s after the first send; target p99 < 300 ms at 100/s",
                     pct(latencies, .99) < 300),
                    ("  feed.json serves what board_items shows", f"{feed_ok}/{len(checks)} GETs",
                     "; ".join(c for c in checks if c != "ok") or f"CPU over the run: {usage}",
                     feed_ok == len(checks)),
                ]

            rows = await run(BOARD_RATE, BOARD_SECONDS)
            if LOW_RATE > 0:  # below saturation: the latency of the path itself
                rows += await run(LOW_RATE, LOW_SECONDS)
        finally:
            await producer.stop()
            await conn.close()
        return rows
    finally:
        await scratch.close()


CONSUMING = ("events", "notifications", "metrics")


async def bench_consumers(env: dict[str, str], services: Sequence[str] = CONSUMING) -> Rows:
    """Consumer throughput per service next to a raw consume + insert loop; 2 replicas against
    1; idle and loaded RSS."""
    from services.booking.app import spec as booking

    rows: Rows = []
    if not booking.handlers:
        rows.append(("consumer, booking", "—", "booking consumes no events (it only "
                     "publishes): nothing to measure"))
    if services == CONSUMING:
        rows += await _commit_cost(env)
    for service in services:
        print(f"[bench.flow]   {service} …", file=sys.stderr)
        rows += await _consumer(env, service)
    return rows


async def _commit_cost(env: dict[str, str]) -> Rows:
    """What committing the offset after every record costs the raw loop: the services'
    consumer (FastStream, AckPolicy.NACK_ON_ERROR) does that for each message."""
    scratch = Scratch(env)
    try:
        prefix = scratch.prefix()
        topic = prefix + ActivityEventPublished.TOPIC
        await create_topic(scratch.bootstrap, topic)
        envelopes = [activity(i, None).to_envelope() for i in range(min(EVENTS, 500))]
        await produce(scratch.bootstrap, topic, envelopes)
        ids = [e.id for e in envelopes]
        rates = []
        for commit_each in (False, True):
            rates.append((await timed_raw(scratch, topic, f"{prefix}raw{commit_each:d}", ids,
                                         commit_each))[0])
    finally:
        await scratch.close()
    return [
        (f"raw loop, {len(ids)} records, offsets committed per batch", f"{rates[0]:,.0f}/s", ""),
        ("raw loop, one record at a time, offset committed after each", f"{rates[1]:,.0f}/s",
         f"a commit costs {1000 / rates[1] - 1000 / rates[0]:.1f} ms per record: why the"
         " services commit once per batch (shared/consumer.py)"),
    ]


async def _consumer(env: dict[str, str], service: str) -> Rows:
    scratch = Scratch(env)
    try:
        prefix = scratch.prefix()
        source = workload(service, 0)
        topic = prefix + source.TOPIC
        await create_topic(scratch.bootstrap, topic)
        envelopes = [workload(service, i).to_envelope() for i in range(EVENTS)]
        await produce(scratch.bootstrap, topic, envelopes)
        ids = [e.id for e in envelopes]

        # The raw loop on the same topic (a group and a table of its own) right before the
        # service and again right after it: it waits on the disk once per record, and this
        # machine's flush latency drifts by 2-3x within minutes, so one raw run alone made the
        # ratio swing with whichever moment it ran in. Bracketed, a drift weighs on both sides.
        before_rate, raw_cpu = await timed_raw(scratch, topic, f"{prefix}raw0", ids)

        # One replica reads the pre-filled topic from the earliest offset.
        dsn = await scratch.database(service)
        first = scratch.replica(service, dsn, prefix)
        spy = profile_start(first.pid, service)
        service_rate, service_cpu = await wait_handled(
            dsn, "inbox", ids, [first], max(120.0, EVENTS / 10), cpu_groups([first]))
        profile_report(spy, service)

        after_rate, _ = await timed_raw(scratch, topic, f"{prefix}raw1", ids)
        raw_rate = (before_rate + after_rate) / 2

        # Scaling: one replica, then two in one group, each timed on a burst of N.
        await warm_up(scratch.bootstrap, topic, service, dsn, [first])
        one_rate, one_cpu = await burst(scratch, topic, service, dsn, [first])
        second = scratch.replica(service, dsn, prefix)
        await second.ready()
        await asyncio.sleep(2)  # settled: it has its partitions, and no event yet
        idle_rss, _ = second.memory()
        await warm_up(scratch.bootstrap, topic, service, dsn, [first, second])
        two_rate, two_cpu = await burst(scratch, topic, service, dsn, [first, second])
        handled = await handled_by([first, second])
        loaded_rss, peak = first.memory()
        second_rss, _ = second.memory()
        capped = await _capped_scaling(scratch, topic, service, dsn, prefix, [first, second])
    finally:
        await scratch.close()
    return [
        (f"consumer, {service}: 1 replica, {EVENTS:,} pre-filled {source.EVENT_TYPE[12:]}",
         f"{service_rate:,.0f}/s", f"CPU: {service_cpu}"),
        ("  raw aiokafka getmany + 1-row insert txn, same topic", f"{raw_rate:,.0f}/s",
         f"the mean of a run right before ({before_rate:,.0f}/s) and right after "
         f"({after_rate:,.0f}/s); CPU: {raw_cpu}"),
        (f"  ratio {service} / raw", share(service_rate / raw_rate, 0.5), "target ≥ 50 %",
         service_rate / raw_rate >= 0.5),
        (f"  {service} burst of {EVENTS:,}, 1 replica", f"{one_rate:,.0f}/s", f"CPU: {one_cpu}"),
        (f"  {service} burst of {EVENTS:,}, 2 replicas", f"{two_rate:,.0f}/s",
         f"handled per replica (all runs) {handled}; CPU: {two_cpu}"),
        ("  ratio 2 replicas / 1", f"{two_rate / one_rate:.2f}×",
         f"target ≥ 1.6×; {PARTITIONS} partitions split "
         f"{(PARTITIONS + 1) // 2}:{PARTITIONS // 2}", two_rate / one_rate >= 1.6),
        *capped,
        (f"  RSS {service}", f"{loaded_rss:.0f} MB loaded",
         f"peak (VmHWM) {peak:.0f} MB, 2nd replica after its burst {second_rss:.0f} MB; "
         f"idle {idle_rss:.0f} MB (target idle < 120 MB)", idle_rss < 120),
    ]


async def _capped_scaling(scratch: Scratch, topic: str, service: str, dsn: str, prefix: str,
                          uncapped: Sequence[Replica]) -> Rows:
    """1 and 2 replicas again, each held to REPLICA_CPU cores."""
    if not REPLICA_CPU:
        return []
    for replica in uncapped:
        replica.stop()
    try:
        first = scratch.replica(service, dsn, prefix, cpu_limit=REPLICA_CPU)
    except PermissionError as exc:
        return [(f"  {service} replicas held to {REPLICA_CPU} CPU each", "—", str(exc))]
    await first.ready()
    await warm_up(scratch.bootstrap, topic, service, dsn, [first])
    one_rate, one_cpu = await burst(scratch, topic, service, dsn, [first])
    second = scratch.replica(service, dsn, prefix, cpu_limit=REPLICA_CPU)
    await second.ready()
    await asyncio.sleep(2)
    await warm_up(scratch.bootstrap, topic, service, dsn, [first, second])
    two_rate, two_cpu = await burst(scratch, topic, service, dsn, [first, second])
    cap = f"each held to {REPLICA_CPU:g} CPU (a container's CPU limit)"
    return [
        (f"  {service} burst, 1 replica {cap}", f"{one_rate:,.0f}/s", f"CPU: {one_cpu}"),
        (f"  {service} burst, 2 replicas {cap}", f"{two_rate:,.0f}/s", f"CPU: {two_cpu}"),
        ("  ratio 2 replicas / 1, each held to the same CPU", f"{two_rate / one_rate:.2f}×",
         "target ≥ 1.6×", two_rate / one_rate >= 1.6),
    ]


async def main() -> None:
    """`python -m bench.flow` runs both; `python -m bench.flow board` the latency alone;
    `python -m bench.flow consumers [service ...]` the consumers (of the services named)."""
    env = endpoints()
    which = sys.argv[1] if len(sys.argv) > 1 else None
    results: Rows = []
    if which in (None, "board"):
        print("[bench.flow] bench_board_latency …", file=sys.stderr)
        results += await bench_board_latency(env)
    if which in (None, "consumers"):
        print("[bench.flow] bench_consumers …", file=sys.stderr)
        results += await bench_consumers(env, tuple(sys.argv[2:]) or CONSUMING)
    print_rows(results)


if __name__ == "__main__":
    asyncio.run(main())
