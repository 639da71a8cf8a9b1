"""Settings of one service process, read from the environment (pydantic-settings).

Every service reads the same variables; only the service name and HTTP port differ.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

#: Default HTTP port of each service in a local run.
DEFAULT_PORTS = {"booking": 8001, "events": 8002, "notifications": 8003, "metrics": 8004,
                 "guide": 8005}

#: Default DSN base of the PostgreSQL cluster that `deploy/local.sh up` starts.
DEFAULT_PG_DSN_BASE = "postgresql://kohtaamo:kohtaamo@127.0.0.1:55432"


#: What ``KAFKA_BOOTSTRAP_SERVERS`` holds when it is not set.
DEFAULT_BOOTSTRAP_SERVERS = "127.0.0.1:9092"

_HOST_PORT = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):([0-9]{1,5})$")


def parse_bootstrap_servers(value: str | Iterable[str]) -> list[str]:
    """``"a:9092, b:9092,c:9092"`` (or a list of them) -> ``["a:9092", "b:9092", "c:9092"]``.

    Entries are separated by commas (spaces around them, or spaces alone, are allowed); each
    must be ``host:port``. An empty entry (``a:9092,,b:9092`` or a trailing comma) is an
    error, not something to skip: it is usually a list cut short by a template.
    """
    raw = value if isinstance(value, str) else ",".join(value)
    servers: list[str] = []
    for position, part in enumerate(raw.split(","), start=1):
        words = part.split()
        if not words:
            raise ValueError(
                f"KAFKA_BOOTSTRAP_SERVERS {raw!r}: entry {position} is empty "
                "(expected host:port[,host:port...])"
            )
        for word in words:
            match = _HOST_PORT.match(word)
            if not match or not 0 < int(match.group(2)) < 65536:
                raise ValueError(
                    f"KAFKA_BOOTSTRAP_SERVERS {raw!r}: {word!r} is not host:port"
                )
            servers.append(word)
    return servers


def _none_if_blank(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


class TopicSettings(BaseSettings):
    """Kafka and its topics: what every service and ``deploy/create_topics.py`` read, from
    the same variables, so a topic is made the same way whoever makes it first.

    Replication and ``min.insync.replicas`` are optional: unset (or empty), they are taken
    from the cluster's own ``default.replication.factor`` and ``min.insync.replicas``
    (``shared.kafka.resolve_topic_layout``), never a fixed 1 that would override a cluster's
    defaults.
    """

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    #: Normalised to ``host:port,host:port``; ``kafka_bootstrap`` is the list clients get.
    kafka_bootstrap_servers: str = Field(
        DEFAULT_BOOTSTRAP_SERVERS, validation_alias="KAFKA_BOOTSTRAP_SERVERS"
    )
    #: Prefix of every topic and consumer group; tests use a fresh one per run.
    topic_prefix: str = Field("", validation_alias="KOHTAAMO_TOPIC_PREFIX")
    topic_partitions: int = Field(3, validation_alias="KOHTAAMO_TOPIC_PARTITIONS", ge=1)
    #: Replicas of each partition; also the least an existing topic must have for a
    #: service to start. None: the cluster's ``default.replication.factor``.
    topic_replication: int | None = Field(
        None, validation_alias="KOHTAAMO_TOPIC_REPLICATION", ge=1
    )
    #: None: the cluster's ``min.insync.replicas``.
    topic_min_insync_replicas: int | None = Field(
        None, validation_alias="KOHTAAMO_TOPIC_MIN_INSYNC_REPLICAS", ge=1
    )
    #: -1: kept forever (the domain topics are the event log, replayed to rebuild).
    topic_retention_ms: int = Field(-1, validation_alias="KOHTAAMO_TOPIC_RETENTION_MS", ge=-1)
    dlq_retention_ms: int = Field(
        30 * 24 * 3600 * 1000, validation_alias="KOHTAAMO_DLQ_RETENTION_MS", ge=-1
    )

    #: Seconds between looks at the cluster's health (brokers, under-replicated partitions).
    kafka_health_interval: float = Field(
        10.0, validation_alias="KOHTAAMO_KAFKA_HEALTH_INTERVAL", gt=0
    )

    @field_validator("kafka_bootstrap_servers", mode="before")
    @classmethod
    def _bootstrap_list(cls, value: object) -> object:
        if isinstance(value, str) or (
            isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value)
        ):
            return ",".join(parse_bootstrap_servers(value))
        return value

    @field_validator("topic_replication", "topic_min_insync_replicas", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return _none_if_blank(value)

    @property
    def kafka_bootstrap(self) -> list[str]:
        """The bootstrap servers as a list, what every Kafka client is given."""
        return self.kafka_bootstrap_servers.split(",")

    def topic(self, name: str) -> str:
        return f"{self.topic_prefix}{name}"


class ServiceSettings(TopicSettings):
    """Configuration of one service replica.

    Database: ``KOHTAAMO_<SERVICE>_DATABASE_URL`` wins, then ``DATABASE_URL`` (when one process
    environment belongs to one service), then ``KOHTAAMO_PG_DSN_BASE`` + ``/kohtaamo_<service>``.
    """

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    service: str
    database_url: str | None = Field(None, validation_alias="DATABASE_URL")
    pg_dsn_base: str = Field(DEFAULT_PG_DSN_BASE, validation_alias="KOHTAAMO_PG_DSN_BASE")
    http_host: str = Field("127.0.0.1", validation_alias="KOHTAAMO_HTTP_HOST")
    http_port: int | None = Field(None, validation_alias="KOHTAAMO_HTTP_PORT")
    log_level: str = Field("INFO", validation_alias="KOHTAAMO_LOG_LEVEL")
    #: Replica name in logs and Kafka client ids; defaults to host and pid.
    replica: str | None = Field(None, validation_alias="KOHTAAMO_REPLICA")
    #: A consumer group other than the service's own, e.g. to replay the topics from the
    #: start into an empty database beside the running service.
    consumer_group_name: str | None = Field(None, validation_alias="KOHTAAMO_CONSUMER_GROUP")
    #: Consumer retries before a message goes to the dead-letter topic.
    consumer_max_attempts: int = Field(3, validation_alias="KOHTAAMO_CONSUMER_MAX_ATTEMPTS", ge=1)
    #: Records a consumer takes at once; their offsets are committed together, after each
    #: one's database transaction.
    consumer_batch_size: int = Field(100, validation_alias="KOHTAAMO_CONSUMER_BATCH_SIZE", ge=1)
    outbox_batch_size: int = Field(500, validation_alias="KOHTAAMO_OUTBOX_BATCH_SIZE", ge=1)
    #: How often a standby replica's outbox relay tries to take over, and the first wait after
    #: an error (seconds). The active relay looks for rows every few milliseconds.
    outbox_poll_interval: float = Field(1.0, validation_alias="KOHTAAMO_OUTBOX_POLL_INTERVAL")
    #: How long start-up waits for Kafka before serving without it (the replica then
    #: connects in the background; its writes wait in the outbox).
    kafka_start_wait: float = Field(20.0, validation_alias="KOHTAAMO_KAFKA_START_WAIT", gt=0)
    #: On SIGTERM, how long jobs that hold work (the notifications sender's deliveries in
    #: flight) may take to finish it before they are cancelled and release it; keep it
    #: well inside the pod's terminationGracePeriodSeconds (45).
    shutdown_drain_seconds: float = Field(
        25.0, validation_alias="KOHTAAMO_SHUTDOWN_DRAIN_SECONDS", ge=0)
    #: Rendered public answers a replica keeps until its data changes (shared/readcache.py);
    #: 0 turns the keeping off.
    read_cache_entries: int = Field(2048, validation_alias="KOHTAAMO_READ_CACHE_ENTRIES", ge=0)
    #: The largest request body a replica reads (413 `body_too_large` over it): a Linked
    #: Events import of a few thousand activities fits; a body of tens of megabytes is no
    #: request of ours, and was read whole and echoed back whole in its refusal.
    max_body_bytes: int = Field(4 * 1024 * 1024, validation_alias="KOHTAAMO_MAX_BODY_BYTES",
                                ge=1024)
    db_pool_min: int = Field(1, validation_alias="KOHTAAMO_DB_POOL_MIN", ge=0)
    db_pool_max: int = Field(10, validation_alias="KOHTAAMO_DB_POOL_MAX", ge=1)
    #: The address residents and staff reach this service at (``https://varaukset.kuopio.fi``):
    #: every absolute link the service writes (feeds, QR codes, emails) starts with it, and a
    #: page's form is accepted only from this origin. Never taken from the request's ``Host``.
    #: ``KOHTAAMO_<SERVICE>_PUBLIC_URL``; default ``http://127.0.0.1:<port>`` (a local run).
    public_url: str | None = Field(None, validation_alias="KOHTAAMO_PUBLIC_URL")
    #: Proxies whose ``X-Forwarded-For``/``-Proto`` are believed: IP addresses or networks,
    #: comma-separated (``10.0.0.0/8,192.168.1.5``). Default: none, so the client is the
    #: connection's peer, whatever headers it sends.
    trusted_proxies: str = Field("", validation_alias="KOHTAAMO_TRUSTED_PROXIES")
    #: Development and tests only: "now" is the wall clock plus the offset written in this
    #: file (``shared.clock.OffsetFileClock``), so every process moves forward together.
    #: Unset (the default, and always in production): the wall clock.
    clock_file: Path | None = Field(None, validation_alias="KOHTAAMO_CLOCK_FILE")

    @field_validator("clock_file", mode="before")
    @classmethod
    def _no_clock_file_if_blank(cls, value: object) -> object:
        return _none_if_blank(value)

    def model_post_init(self, __context: object) -> None:
        import os

        own = os.environ.get(f"KOHTAAMO_{self.service.upper()}_DATABASE_URL")
        if own:
            self.database_url = own
        if self.http_port is None:
            self.http_port = int(
                os.environ.get(
                    f"KOHTAAMO_{self.service.upper()}_HTTP_PORT",
                    DEFAULT_PORTS.get(self.service, 8000),
                )
            )
        public = os.environ.get(f"KOHTAAMO_{self.service.upper()}_PUBLIC_URL")
        if public:
            self.public_url = public
        if not self.public_url:
            self.public_url = f"http://127.0.0.1:{self.http_port}"
        self.public_url = self.public_url.rstrip("/")
        scheme = self.public_url.split("://", 1)[0]
        if scheme not in ("http", "https") or "://" not in self.public_url:
            raise ValueError(f"public URL {self.public_url!r}: expected http(s)://host[:port]")
        _ = self.proxy_networks  # a malformed KOHTAAMO_TRUSTED_PROXIES stops the start

    @cached_property
    def proxy_networks(self) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
        """`trusted_proxies` parsed; an entry that is no address or network is an error."""
        networks = []
        for entry in self.trusted_proxies.replace(",", " ").split():
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                raise ValueError(f"KOHTAAMO_TRUSTED_PROXIES: {entry!r} is not an IP address "
                                 "or network") from None
        return tuple(networks)

    @property
    def secure_cookies(self) -> bool:
        """Cookies are `Secure` whenever the public address is https (every deployment but a
        local run on http://127.0.0.1)."""
        return (self.public_url or "").startswith("https://")

    @cached_property
    def dsn(self) -> str:
        """The DSN of this service's own database."""
        if self.database_url:
            return self.database_url
        return f"{self.pg_dsn_base.rstrip('/')}/kohtaamo_{self.service}"

    @property
    def consumer_group(self) -> str:
        """One consumer group per service: its replicas share the partitions."""
        return self.consumer_group_name or f"{self.topic_prefix}kohtaamo-{self.service}"

    @property
    def replica_name(self) -> str:
        if self.replica:
            return self.replica
        import os
        import socket

        return f"{socket.gethostname()}-{os.getpid()}"
