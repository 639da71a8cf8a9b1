"""Kafka clients shared by the outbox relay, the dead-letter path and topic set-up, and a
watch on the cluster's health.

Every client takes the bootstrap servers as a list (``shared.settings.parse_bootstrap_servers``
splits ``KAFKA_BOOTSTRAP_SERVERS`` once); a string is accepted and split the same way.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.errors import KafkaConnectionError, KafkaError, TopicAlreadyExistsError
from prometheus_client import CollectorRegistry, Gauge

from shared.settings import parse_bootstrap_servers

log = logging.getLogger(__name__)

Bootstrap = str | Iterable[str]


def bootstrap_list(servers: Bootstrap) -> list[str]:
    return parse_bootstrap_servers(servers)


def backoff_delay(failures: int, base: float, cap: float,
                  rng: Callable[[float, float], float] = random.uniform) -> float:
    """Exponential backoff with jitter: after `failures` failures in a row, a delay between
    half and all of ``min(cap, base * 2 ** (failures - 1))``, so replicas that lost the same
    server do not all come back to it in step."""
    ceiling = min(cap, base * 2 ** max(0, failures - 1))
    return rng(ceiling / 2, ceiling)


#: Reconnect backoff of the Kafka clients (seconds): the first wait, the longest.
RECONNECT_BASE, RECONNECT_CAP = 0.5, 10.0


def install_reconnect_backoff(base: float = RECONNECT_BASE, cap: float = RECONNECT_CAP,
                              ) -> None:
    """Give aiokafka's client a reconnect backoff with jitter (idempotent).

    aiokafka 0.14 connects again to a broker it cannot reach whenever one of its loops asks,
    every ``retry_backoff_ms`` (100 ms) per client and loop, and logs each failure: about 95
    lines a second per service while a broker was down. Java's client waits
    ``reconnect.backoff.ms`` growing to ``reconnect.backoff.max.ms``, with jitter; this does
    the same: after a failed connect to a node, asking for it again before its delay
    (`backoff_delay`) has passed answers at once "no connection", as a failed connect does,
    so the callers go on with their own retry pauses; a connection made resets the delay."""
    from aiokafka.client import AIOKafkaClient, ConnectionGroup

    original = AIOKafkaClient._get_conn
    if getattr(original, "_kohtaamo_backoff", False):
        return

    async def _get_conn(self: Any, node_id: Any, *, group: Any = ConnectionGroup.DEFAULT,
                        no_hint: bool = False) -> Any:
        key = (node_id, group)
        state: dict[Any, tuple[int, float]] = self.__dict__.setdefault(
            "_kohtaamo_reconnect", {})
        failures, not_before = state.get(key, (0, 0.0))
        if key not in self._conns and time.monotonic() < not_before:
            return None
        conn = await original(self, node_id, group=group, no_hint=no_hint)
        if conn is None:
            failures += 1
            state[key] = (failures, time.monotonic() + backoff_delay(failures, base, cap))
        else:
            state.pop(key, None)
        return conn

    _get_conn._kohtaamo_backoff = True  # type: ignore[attr-defined]
    AIOKafkaClient._get_conn = _get_conn


def make_producer(bootstrap_servers: Bootstrap, client_id: str) -> AIOKafkaProducer:
    """Idempotent producer, every in-sync replica acknowledges: nothing lost, no duplicates
    from the producer's own retries, and each partition keeps the order of sends."""
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap_list(bootstrap_servers),
        client_id=client_id,
        acks="all",
        enable_idempotence=True,
        linger_ms=5,
        request_timeout_ms=15000,
        retry_backoff_ms=200,
    )


def make_admin(bootstrap_servers: Bootstrap, request_timeout_ms: int = 10000,
               ) -> AIOKafkaAdminClient:
    return AIOKafkaAdminClient(bootstrap_servers=bootstrap_list(bootstrap_servers),
                               request_timeout_ms=request_timeout_ms)


class TopicLayoutError(RuntimeError):
    """The cluster or an existing topic cannot give the durability asked for; the service
    must not start (its writes would fail, or be kept by fewer brokers than promised)."""


@dataclass(frozen=True)
class TopicLayout:
    """Replication and ``min.insync.replicas`` for this cluster, and where they came from."""

    replication: int
    min_insync_replicas: int
    brokers: int
    #: "configured" or "cluster default" (or "raised: ..." when a default of 1 on a
    #: multi-broker cluster was not taken as it is).
    source: str


async def _broker_defaults(admin: AIOKafkaAdminClient, broker_id: int) -> dict[str, str]:
    keys = ["default.replication.factor", "min.insync.replicas"]
    resource = ConfigResource(ConfigResourceType.BROKER, str(broker_id), dict.fromkeys(keys))
    found: dict[str, str] = {}
    for response in await admin.describe_configs([resource]):
        for res in response.to_object()["resources"]:
            if res["error_code"]:
                # E.g. no DESCRIBE_CONFIGS right on a managed cluster: not worth retrying.
                raise TopicLayoutError(
                    f"could not read broker {broker_id}'s default.replication.factor and "
                    f"min.insync.replicas ({res['error_message'] or res['error_code']}): set "
                    "KOHTAAMO_TOPIC_REPLICATION and KOHTAAMO_TOPIC_MIN_INSYNC_REPLICAS")
            for entry in res["config_entries"]:
                found[entry["config_names"]] = entry["config_value"]
    return found


async def resolve_topic_layout(
    admin: AIOKafkaAdminClient, replication: int | None, min_insync: int | None
) -> TopicLayout:
    """What a new topic gets: the configured values, else the cluster's defaults.

    A cluster whose ``default.replication.factor`` was left at Kafka's 1 is not taken at its
    word when it has more than one broker: the topics get ``min(3, brokers)`` replicas and
    ``min.insync.replicas`` 2 where there are 3 or more (with a warning), so nothing is
    silently kept by one broker. Set the variables to override."""
    cluster = await admin.describe_cluster()
    brokers = sorted(b["node_id"] for b in cluster["brokers"])
    defaults: dict[str, str] = {}
    if replication is None or min_insync is None:
        controller = cluster.get("controller_id", -1)
        defaults = await _broker_defaults(admin, controller if controller in brokers
                                          else brokers[0])
    notes: list[str] = []
    replication_set, min_insync_set = replication is not None, min_insync is not None
    if replication is None:
        replication = int(defaults.get("default.replication.factor") or 1)
        if replication == 1 and len(brokers) > 1:
            replication = min(3, len(brokers))
            notes.append(f"default.replication.factor 1 on {len(brokers)} brokers raised "
                         f"to {replication}")
    if min_insync is None:
        min_insync = int(defaults.get("min.insync.replicas") or 1)
        if min_insync == 1 and replication >= 3:
            min_insync = 2
            notes.append("min.insync.replicas 1 raised to 2 for replication "
                         f"{replication}")
    origin = [f"replication {'configured' if replication_set else 'cluster default'}",
              f"min ISR {'configured' if min_insync_set else 'cluster default'}", *notes]
    source = "; ".join(origin)
    if notes:
        log.warning("topic layout: the cluster's defaults were raised",
                    extra={"notes": notes, "brokers": brokers})
    if min_insync > replication:
        raise TopicLayoutError(
            f"min.insync.replicas {min_insync} > replication {replication}: no acks=all "
            "write could ever succeed (KOHTAAMO_TOPIC_MIN_INSYNC_REPLICAS, "
            "KOHTAAMO_TOPIC_REPLICATION)")
    if replication > len(brokers):
        log.warning("replication %d > the %d brokers that answer now: creating topics fails "
                    "until the others are back", replication, len(brokers))
    return TopicLayout(replication, min_insync, len(brokers), source)


def _replication_of(described: list[dict[str, Any]]) -> dict[str, int]:
    """Topic -> its smallest partition replica count."""
    return {t["topic"]: min((len(p["replicas"]) for p in t["partitions"]), default=0)
            for t in described if t["partitions"]}


async def _check_existing(admin: AIOKafkaAdminClient, topics: list[str],
                          layout: TopicLayout, required: int) -> None:
    if not topics:
        return
    replication = _replication_of(await admin.describe_topics(topics))
    short = {t: r for t, r in replication.items() if r < required}
    if short:
        listed = ", ".join(f"{t} has {r}" for t, r in sorted(short.items()))
        raise TopicLayoutError(
            f"topics with fewer replicas than the {required} required "
            f"(KOHTAAMO_TOPIC_REPLICATION, else the cluster's default.replication.factor; "
            f"min.insync.replicas {layout.min_insync_replicas}): {listed}. Acknowledged "
            "events would be kept by fewer brokers than promised. Reassign the partitions "
            "(kafka-reassign-partitions.sh, docs/operations.md 'Moving the topics to a "
            "cluster') or lower the setting on purpose.")


async def ensure_topics(
    bootstrap_servers: Bootstrap,
    topics: list[str],
    partitions: int,
    replication: int | None = None,
    timeout: float = 90.0,
    *,
    min_insync_replicas: int | None = None,
    check_existing: bool = True,
) -> TopicLayout:
    """Create the topics with their partition counts up front (idempotent).

    Consumers subscribe before anyone has produced, and an auto-created topic would get the
    broker's default partition count, so every service creates what it uses on start.
    Replication and ``min.insync.replicas`` are the given ones, else the cluster's defaults
    (`resolve_topic_layout`); a created topic gets ``min.insync.replicas`` as its own config.
    With `check_existing`, a topic that exists with fewer replicas than that replication
    raises `TopicLayoutError` (not retried: a person must decide).
    """
    servers = bootstrap_list(bootstrap_servers)
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        admin = make_admin(servers)
        try:
            await admin.start()
            layout = await resolve_topic_layout(admin, replication, min_insync_replicas)
            existing = set(await admin.list_topics())
            missing = [t for t in topics if t not in existing]
            if check_existing:
                await _check_existing(admin, [t for t in topics if t in existing], layout,
                                      layout.replication)
            if missing:
                configs = {"min.insync.replicas": str(layout.min_insync_replicas)}
                # TopicAlreadyExists: another replica won the race.
                with contextlib.suppress(TopicAlreadyExistsError):
                    await admin.create_topics(
                        [NewTopic(t, partitions, layout.replication, topic_configs=configs)
                         for t in missing]
                    )
                log.info("topics created", extra={
                    "topics": missing, "replication": layout.replication,
                    "min_insync_replicas": layout.min_insync_replicas})
            return layout
        except TopicLayoutError:
            raise
        except (KafkaConnectionError, KafkaError, OSError) as exc:
            if asyncio.get_running_loop().time() > deadline:
                raise RuntimeError(
                    f"Kafka at {','.join(servers)} did not answer within {timeout:.0f} s: "
                    f"{exc!r}"
                ) from exc
            log.warning("waiting for Kafka", extra={"error": repr(exc)})
            await asyncio.sleep(1.0)
        finally:
            await admin.close()


# --- cluster health ---------------------------------------------------------------------------


@dataclass
class ClusterHealth:
    """What the last look at the cluster found, for this service's topics."""

    status: str = "unknown"  # ok | degraded | unknown (not looked yet, or Kafka unreachable)
    brokers: list[int] = field(default_factory=list)
    #: Brokers that hold replicas of our topics but are not in the cluster's metadata.
    missing_brokers: list[int] = field(default_factory=list)
    under_replicated_partitions: int = 0
    #: Partitions with no leader: nobody can write or read them.
    offline_partitions: int = 0
    checked_at: float = 0.0
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "status": self.status, "brokers": self.brokers,
            "missing_brokers": self.missing_brokers,
            "under_replicated_partitions": self.under_replicated_partitions,
            "offline_partitions": self.offline_partitions,
            "checked_age_s": round(time.monotonic() - self.checked_at, 1)
            if self.checked_at else None,
        }
        if self.error:
            found["error"] = self.error
        return found


def assess(cluster: dict[str, Any], described: list[dict[str, Any]]) -> ClusterHealth:
    """Health from a metadata response (the brokers the controller lists as alive) and our
    topics' partitions (replicas, in-sync replicas, leader)."""
    alive = sorted(b["node_id"] for b in cluster["brokers"])
    referenced: set[int] = set()
    under = offline = 0
    for topic in described:
        for part in topic["partitions"]:
            replicas = set(part["replicas"])
            referenced |= replicas
            if len(part["isr"]) < len(replicas):
                under += 1
            if part["leader"] < 0:
                offline += 1
    missing = sorted(referenced - set(alive))
    degraded = bool(missing or under or offline)
    return ClusterHealth("degraded" if degraded else "ok", alive, missing, under, offline,
                         time.monotonic())


class ClusterMonitor:
    """Looks at the cluster every `interval` seconds and keeps the result for readiness and
    Prometheus. A degraded cluster (a broker down, under-replicated partitions) is reported,
    never a reason to make the replica unready: with replication 3 and min ISR 2 it still
    takes writes, and restarting pods would not bring a broker back."""

    def __init__(self, bootstrap_servers: Bootstrap, topics: Iterable[str],
                 registry: CollectorRegistry | None = None, interval: float = 10.0) -> None:
        self.servers = bootstrap_list(bootstrap_servers)
        self.topics = sorted(topics)
        self.interval = interval
        self.health = ClusterHealth()
        self._gauges: dict[str, Gauge] = {}
        if registry is not None:
            for name, doc in (
                ("kohtaamo_kafka_brokers", "Kafka brokers alive in the cluster's metadata"),
                ("kohtaamo_kafka_brokers_missing",
                 "Brokers holding replicas of this service's topics that are not alive"),
                ("kohtaamo_kafka_under_replicated_partitions",
                 "Partitions of this service's topics with fewer in-sync replicas than "
                 "replicas"),
                ("kohtaamo_kafka_offline_partitions",
                 "Partitions of this service's topics without a leader"),
                ("kohtaamo_kafka_cluster_degraded",
                 "1 while a broker is down or a partition is under-replicated or offline"),
            ):
                self._gauges[name] = Gauge(name, doc, registry=registry)
            self._gauges["kohtaamo_kafka_reachable"] = Gauge(
                "kohtaamo_kafka_reachable",
                "1 while this replica reaches Kafka; 0 while it does not (the outbox holds "
                "the writes). Reported, never part of readiness", registry=registry)
            self._gauges["kohtaamo_kafka_unreachable_seconds"] = Gauge(
                "kohtaamo_kafka_unreachable_seconds",
                "How long this replica has not reached Kafka (0 while it does)",
                registry=registry)
        #: None until the first look; then whether the last look reached a broker.
        self.reachable: bool | None = None
        #: monotonic time of the first failed look of the current outage
        self.unreachable_since: float | None = None

    def unreachable_for(self) -> float:
        if self.unreachable_since is None:
            return 0.0
        return time.monotonic() - self.unreachable_since

    def as_detail(self) -> str:
        """Kafka as /health/ready reports it (detail, not readiness)."""
        if self.reachable is None:
            return "not checked yet"
        if self.reachable:
            return "ok"
        return f"unreachable for {self.unreachable_for():.0f} s"

    def mark_reachable(self) -> None:
        """Another client just reached Kafka (the service's start-up)."""
        self._observe(True)

    def _observe(self, reached: bool, error: str | None = None) -> None:
        """One line when Kafka is lost, one "recovered after N s" line when it is back."""
        from shared.logging import REPEATS

        now = time.monotonic()
        if not reached and self.reachable is not False:
            self.unreachable_since = now
            log.warning("kafka unreachable; the outbox keeps the writes until it is back",
                        extra={"kafka": self.servers, "error": error})
        elif reached and self.reachable is False and self.unreachable_since is not None:
            log.warning("kafka recovered after %.0f s", now - self.unreachable_since,
                        extra={"kafka": self.servers,
                               "outage_s": round(now - self.unreachable_since, 1),
                               "log_lines_held_back": REPEATS.drain(), "log_every": True})
            self.unreachable_since = None
        self.reachable = reached
        if self._gauges:
            self._gauges["kohtaamo_kafka_reachable"].set(1 if reached else 0)
            self._gauges["kohtaamo_kafka_unreachable_seconds"].set(
                round(self.unreachable_for(), 1))

    async def check(self, admin: AIOKafkaAdminClient) -> ClusterHealth:
        try:
            cluster = await admin.describe_cluster()
            described = await admin.describe_topics(self.topics) if self.topics else []
            health = assess(cluster, described)
        except Exception as exc:  # reported, never raised: this is only a watch
            health = ClusterHealth(status="unknown", checked_at=time.monotonic(),
                                   error=repr(exc))
        self._observe(health.error is None, health.error)
        if health.status != self.health.status and health.error is None:
            level = logging.WARNING if health.status != "ok" else logging.INFO
            log.log(level, "kafka cluster %s", health.status, extra=health.as_dict())
        self.health = health
        self._export(health)
        return health

    def _export(self, health: ClusterHealth) -> None:
        if not self._gauges:
            return
        self._gauges["kohtaamo_kafka_brokers"].set(len(health.brokers))
        self._gauges["kohtaamo_kafka_brokers_missing"].set(len(health.missing_brokers))
        self._gauges["kohtaamo_kafka_under_replicated_partitions"].set(
            health.under_replicated_partitions)
        self._gauges["kohtaamo_kafka_offline_partitions"].set(health.offline_partitions)
        self._gauges["kohtaamo_kafka_cluster_degraded"].set(
            0 if health.status == "ok" else 1)

    async def run(self) -> None:
        admin = make_admin(self.servers, request_timeout_ms=5000)
        started = False
        try:
            while True:
                if not started:
                    try:
                        await admin.start()
                        started = True
                    except Exception as exc:
                        self.health = ClusterHealth(status="unknown", error=repr(exc),
                                                    checked_at=time.monotonic())
                        self._observe(False, repr(exc))
                        self._export(self.health)
                        await admin.close()
                        admin = make_admin(self.servers, request_timeout_ms=5000)
                if started:
                    await self.check(admin)
                await asyncio.sleep(self.interval)
        finally:
            with contextlib.suppress(Exception):
                await admin.close()
