"""Create Kohtaamo's Kafka topics for one environment, with their partitions and configs.

    python deploy/create_topics.py                      # settings from the environment
    python deploy/create_topics.py --partitions 12 --replication 3 --min-insync-replicas 2

Every topic in ``shared.contracts.ALL_TOPICS`` and its dead-letter topic (``<topic>.dlq``),
each with the environment's prefix. Idempotent: a missing topic is created (through
``shared.kafka.ensure_topics``, the same call the services make on start, so both agree on
partitions and replication), then every topic's configs (``retention.ms``,
``min.insync.replicas``, ``cleanup.policy``) are set to what is asked and the result is
checked. Run it as often as you like; the Kubernetes Job ``kohtaamo-create-topics`` and the
compose service ``topics`` run it on every deployment.

An existing topic is never shrunk or deleted. More partitions than it has are added only with
``--allow-partition-increase``: the events are keyed by aggregate id, and a key maps to a
different partition after the change, so an aggregate's events from before and after it may
be consumed out of order while the consumers catch up. A replication factor cannot be changed
here (that is a partition reassignment, ``kafka-reassign-partitions.sh``); a difference is
reported and makes the exit status 2.

Settings (an argument wins over its variable; the variables are read by
``shared.settings.TopicSettings``, as the services read them):

| argument | variable | default |
|---|---|---|
| ``--bootstrap-servers`` | ``KAFKA_BOOTSTRAP_SERVERS`` | ``127.0.0.1:9092`` |
| ``--prefix`` | ``KOHTAAMO_TOPIC_PREFIX`` | empty |
| ``--partitions`` | ``KOHTAAMO_TOPIC_PARTITIONS`` | 3 |
| ``--replication`` | ``KOHTAAMO_TOPIC_REPLICATION`` | the cluster's default (*) |
| ``--min-insync-replicas`` | ``KOHTAAMO_TOPIC_MIN_INSYNC_REPLICAS`` | the cluster's default (*) |
| ``--retention-ms`` | ``KOHTAAMO_TOPIC_RETENTION_MS`` | -1 (kept forever: the log is replayed) |
| ``--dlq-retention-ms`` | ``KOHTAAMO_DLQ_RETENTION_MS`` | 2592000000 (30 days) |

``KAFKA_BOOTSTRAP_SERVERS`` is a comma-separated list. (*) Unset, replication is the cluster's
``default.replication.factor`` and ``min.insync.replicas`` its own, except that a default of
1 on a cluster of several brokers becomes ``min(3, brokers)`` replicas with
``min.insync.replicas`` 2 (``shared.kafka.resolve_topic_layout``), as the services do.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from aiokafka.admin import AIOKafkaAdminClient, NewPartitions
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from pydantic import ValidationError

from shared.contracts import ALL_TOPICS, dlq_topic
from shared.kafka import Bootstrap, bootstrap_list, ensure_topics, make_admin, resolve_topic_layout
from shared.settings import TopicSettings, parse_bootstrap_servers

log = logging.getLogger("kohtaamo.create_topics")
T = TypeVar("T")

THIRTY_DAYS_MS = 30 * 24 * 3600 * 1000  # TopicSettings.dlq_retention_ms's default


@dataclass(frozen=True)
class TopicPlan:
    name: str
    partitions: int
    replication: int
    configs: dict[str, str]


@dataclass
class Outcome:
    created: list[str]
    altered: list[str]
    grown: list[str]
    problems: list[str]


def plan(
    prefix: str,
    partitions: int,
    replication: int,
    min_insync: int,
    retention_ms: int,
    dlq_retention_ms: int,
) -> list[TopicPlan]:
    """What the environment should have: the domain topics and their dead-letter topics."""
    if min_insync > replication:
        raise ValueError(
            f"min.insync.replicas {min_insync} > replication {replication}: "
            "no acks=all write could ever succeed"
        )
    common = {"min.insync.replicas": str(min_insync), "cleanup.policy": "delete"}
    topics: list[TopicPlan] = []
    for topic in ALL_TOPICS:
        topics.append(TopicPlan(prefix + topic, partitions, replication,
                                {**common, "retention.ms": str(retention_ms)}))
        topics.append(TopicPlan(prefix + dlq_topic(topic), partitions, replication,
                                {**common, "retention.ms": str(dlq_retention_ms)}))
    return topics


def _partition_counts(described: list[dict[str, Any]]) -> dict[str, tuple[int, int]]:
    """Topic name -> (partitions, replication factor) from a metadata response."""
    counts: dict[str, tuple[int, int]] = {}
    for topic in described:
        parts = topic["partitions"]
        replicas = max((len(p["replicas"]) for p in parts), default=0)
        counts[topic["topic"]] = (len(parts), replicas)
    return counts


async def _asked_again(ask: Callable[[], Awaitable[T]], lagging: Callable[[T], bool],
                       wait: float) -> T:
    """`ask()` again while its answer is `lagging`, for up to `wait` seconds, and the last
    answer. The broker answers from its metadata cache, which follows the controller a
    moment later: a topic just created or changed may not show yet."""
    deadline = asyncio.get_running_loop().time() + wait
    while True:
        answer = await ask()
        if not lagging(answer) or asyncio.get_running_loop().time() > deadline:
            return answer
        await asyncio.sleep(0.2)


async def _topic_shapes(admin: AIOKafkaAdminClient, names: list[str],
                        wait: float = 15.0) -> dict[str, tuple[int, int]]:
    """(partitions, replication factor) of each topic; one still missing after `wait`
    seconds is reported as it is (0 partitions)."""
    async def ask() -> dict[str, tuple[int, int]]:
        described = await admin.describe_topics(names)
        return _partition_counts([t for t in described if not t["error_code"]])

    return await _asked_again(ask, lambda counts: not all(
        counts.get(n, (0, 0))[0] for n in names), wait)


#: UNKNOWN_TOPIC_OR_PARTITION: from DescribeConfigs, a topic created a moment ago that the
#: answering broker's metadata does not have yet.
_NOT_KNOWN_YET = 3


async def _topic_configs(
    admin: AIOKafkaAdminClient, names: list[str], keys: list[str], wait: float = 15.0
) -> dict[str, dict[str, str]]:
    """The `keys` of each topic's config. A topic the broker does not know yet (just created)
    is asked about again for up to `wait` seconds; any other error is raised at once."""
    resources = [ConfigResource(ConfigResourceType.TOPIC, n, dict.fromkeys(keys)) for n in names]

    async def ask() -> tuple[dict[str, dict[str, str]], list[str]]:
        found: dict[str, dict[str, str]] = {}
        unknown: list[str] = []
        for response in await admin.describe_configs(resources):
            for resource in response.to_object()["resources"]:
                name, code = resource["resource_name"], resource["error_code"]
                if code == _NOT_KNOWN_YET:
                    unknown.append(name)
                elif code:
                    raise RuntimeError(f"describe configs of {name}: "
                                       f"{resource['error_message']} (error {code})")
                else:
                    found[name] = {e["config_names"]: e["config_value"]
                                   for e in resource["config_entries"]}
        return found, unknown

    found, unknown = await _asked_again(ask, lambda answer: bool(answer[1]), wait)
    if unknown:
        raise RuntimeError(f"describe configs of {', '.join(unknown)}: the broker does "
                           f"not know the topic after {wait:.0f} s")
    return found


def _config_differences(
    wanted: list[TopicPlan], current: dict[str, dict[str, str]]
) -> list[str]:
    return [f"{t.name}: {key} is {current.get(t.name, {}).get(key)}, {value} wanted"
            for t in wanted for key, value in t.configs.items()
            if current.get(t.name, {}).get(key) != value]


async def apply(
    bootstrap_servers: Bootstrap,
    wanted: list[TopicPlan],
    *,
    allow_partition_increase: bool = False,
    timeout: float = 90.0,
) -> Outcome:
    outcome = Outcome([], [], [], [])
    bootstrap_servers = bootstrap_list(bootstrap_servers)
    # Create what is missing, with the retry-until-Kafka-answers loop the services use.
    admin = make_admin(bootstrap_servers, request_timeout_ms=15000)
    await admin.start()
    try:
        before = set(await admin.list_topics())
        outcome.created = [t.name for t in wanted if t.name not in before]
    finally:
        await admin.close()
    by_shape: dict[tuple[int, int, int], list[str]] = {}
    for t in wanted:
        min_insync = int(t.configs.get("min.insync.replicas", "1"))
        by_shape.setdefault((t.partitions, t.replication, min_insync), []).append(t.name)
    for (partitions, replication, min_insync), names in by_shape.items():
        # An existing topic's replication is compared below and reported, not refused.
        await ensure_topics(bootstrap_servers, names, partitions, replication, timeout,
                            min_insync_replicas=min_insync, check_existing=False)

    admin = make_admin(bootstrap_servers, request_timeout_ms=15000)
    await admin.start()
    try:
        names = [t.name for t in wanted]
        counts = await _topic_shapes(admin, names)
        grow: dict[str, NewPartitions] = {}
        for t in wanted:
            have_partitions, have_replication = counts.get(t.name, (0, 0))
            if have_partitions < t.partitions:
                if allow_partition_increase:
                    grow[t.name] = NewPartitions(t.partitions)
                else:
                    outcome.problems.append(
                        f"{t.name} has {have_partitions} partitions, {t.partitions} wanted "
                        "(rerun with --allow-partition-increase; see the module docstring)"
                    )
            elif have_partitions > t.partitions:
                log.warning("%s has %d partitions, more than the %d asked; left as it is",
                            t.name, have_partitions, t.partitions)
            if have_replication != t.replication:
                outcome.problems.append(
                    f"{t.name} has replication factor {have_replication}, {t.replication} "
                    "wanted (reassign its partitions with kafka-reassign-partitions.sh)"
                )
        if grow:
            await admin.create_partitions(grow)
            outcome.grown = sorted(grow)

        keys = sorted({k for t in wanted for k in t.configs})
        current = await _topic_configs(admin, names, keys)
        to_alter = [t for t in wanted if any(
            current.get(t.name, {}).get(k) != v for k, v in t.configs.items())]
        if to_alter:
            # AlterConfigs (not the incremental kind, which aiokafka lacks) sets the topic's
            # whole dynamic config: every key this script manages is sent each time.
            responses = await admin.alter_configs([
                ConfigResource(ConfigResourceType.TOPIC, t.name, dict(t.configs))
                for t in to_alter])
            for response in responses:
                for resource in response.to_object()["resources"]:
                    if resource["error_code"]:
                        outcome.problems.append(
                            f"configs of {resource['resource_name']}: "
                            f"{resource['error_message']} (error {resource['error_code']})")
            outcome.altered = [t.name for t in to_alter]
            # Looked at again for a while before a difference is called a problem.
            current = await _asked_again(lambda: _topic_configs(admin, names, keys),
                                         lambda c: bool(_config_differences(wanted, c)),
                                         wait=10.0)
        outcome.problems.extend(_config_differences(wanted, current))
    finally:
        await admin.close()
    return outcome


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="create_topics", description=__doc__.split("\n\n")[0] if __doc__ else None)
    try:
        env = TopicSettings()
    except ValidationError as exc:
        p.error(str(exc))
    p.add_argument("--bootstrap-servers", default=env.kafka_bootstrap_servers,
                   type=lambda v: ",".join(parse_bootstrap_servers(v)))
    p.add_argument("--prefix", default=env.topic_prefix)
    p.add_argument("--partitions", type=int, default=env.topic_partitions)
    p.add_argument("--replication", type=int, default=env.topic_replication,
                   help="default: KOHTAAMO_TOPIC_REPLICATION, else the cluster's "
                        "default.replication.factor")
    p.add_argument("--min-insync-replicas", type=int, default=env.topic_min_insync_replicas,
                   help="default: KOHTAAMO_TOPIC_MIN_INSYNC_REPLICAS, else the cluster's "
                        "min.insync.replicas")
    p.add_argument("--retention-ms", type=int, default=env.topic_retention_ms)
    p.add_argument("--dlq-retention-ms", type=int, default=env.dlq_retention_ms)
    p.add_argument("--allow-partition-increase", action="store_true")
    p.add_argument("--timeout", type=float, default=120.0,
                   help="seconds to wait for Kafka to answer (default 120)")
    p.add_argument("--dry-run", action="store_true", help="print the plan and exit")
    args = p.parse_args(argv)
    for name in ("partitions", "replication", "min_insync_replicas"):
        if getattr(args, name) is not None and getattr(args, name) < 1:
            p.error(f"--{name.replace('_', '-')} must be at least 1")
    return args


async def _start_within(admin: AIOKafkaAdminClient, timeout: float) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        try:
            await admin.start()
            return
        except Exception:
            if asyncio.get_running_loop().time() > deadline:
                raise
            log.info("waiting for Kafka")
            await asyncio.sleep(1.0)


async def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="[create_topics] %(message)s",
                        stream=sys.stderr)
    args = parse_args(argv)
    from_cluster = False
    if args.replication is None or args.min_insync_replicas is None:
        if args.dry_run:
            from_cluster = True
            log.info("replication %s, min.insync.replicas %s (unset: the cluster's defaults, "
                     "read when run without --dry-run)", args.replication or "default",
                     args.min_insync_replicas or "default")
            args.replication = args.replication or 1
            args.min_insync_replicas = args.min_insync_replicas or 1
        else:
            admin = make_admin(args.bootstrap_servers, request_timeout_ms=15000)
            try:
                await _start_within(admin, args.timeout)
                layout = await resolve_topic_layout(admin, args.replication,
                                                    args.min_insync_replicas)
            except Exception as exc:
                log.error("could not read the cluster's defaults: %s", exc)
                return 2
            finally:
                await admin.close()
            log.info("replication %d, min.insync.replicas %d (%s, %d brokers)",
                     layout.replication, layout.min_insync_replicas, layout.source,
                     layout.brokers)
            args.replication = layout.replication
            args.min_insync_replicas = layout.min_insync_replicas
    try:
        wanted = plan(args.prefix, args.partitions, args.replication, args.min_insync_replicas,
                      args.retention_ms, args.dlq_retention_ms)
    except ValueError as exc:
        log.error("%s", exc)
        return 2
    for t in wanted:
        log.info("%s: %d partitions, replication %s, %s", t.name, t.partitions,
                 t.replication if not from_cluster else "(the cluster's)",
                 ", ".join(f"{k}={v}" for k, v in sorted(t.configs.items())
                           if not (from_cluster and k == "min.insync.replicas")))
    if args.dry_run:
        return 0
    outcome = await apply(args.bootstrap_servers, wanted, timeout=args.timeout,
                          allow_partition_increase=args.allow_partition_increase)
    log.info("created: %s", ", ".join(outcome.created) or "none")
    log.info("partitions added: %s", ", ".join(outcome.grown) or "none")
    log.info("configs set: %s", ", ".join(outcome.altered) or "none")
    for problem in outcome.problems:
        log.error("%s", problem)
    return 2 if outcome.problems else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
