"""Settings of one service process, read from the environment (pydantic-settings).

Every service reads the same variables; only the service name and HTTP port differ.
"""

from __future__ import annotations

from functools import cached_property

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

#: Default HTTP port of each service in a local run.
DEFAULT_PORTS = {"booking": 8001, "events": 8002, "notifications": 8003, "metrics": 8004}

#: Default DSN base of the PostgreSQL cluster that `deploy/local.sh up` starts.
DEFAULT_PG_DSN_BASE = "postgresql://kohtaamo:kohtaamo@127.0.0.1:55432"


class ServiceSettings(BaseSettings):
    """Configuration of one service replica.

    Database: ``KOHTAAMO_<SERVICE>_DATABASE_URL`` wins, then ``DATABASE_URL`` (when one process
    environment belongs to one service), then ``KOHTAAMO_PG_DSN_BASE`` + ``/kohtaamo_<service>``.
    """

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    service: str
    kafka_bootstrap_servers: str = Field(
        "127.0.0.1:9092", validation_alias="KAFKA_BOOTSTRAP_SERVERS"
    )
    database_url: str | None = Field(None, validation_alias="DATABASE_URL")
    pg_dsn_base: str = Field(DEFAULT_PG_DSN_BASE, validation_alias="KOHTAAMO_PG_DSN_BASE")
    #: Prefix of every topic and consumer group; tests use a fresh one per run.
    topic_prefix: str = Field("", validation_alias="KOHTAAMO_TOPIC_PREFIX")
    topic_partitions: int = Field(3, validation_alias="KOHTAAMO_TOPIC_PARTITIONS", ge=1)
    topic_replication: int = Field(1, validation_alias="KOHTAAMO_TOPIC_REPLICATION", ge=1)
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
    db_pool_min: int = Field(1, validation_alias="KOHTAAMO_DB_POOL_MIN", ge=0)
    db_pool_max: int = Field(10, validation_alias="KOHTAAMO_DB_POOL_MAX", ge=1)

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

    @cached_property
    def dsn(self) -> str:
        """The DSN of this service's own database."""
        if self.database_url:
            return self.database_url
        return f"{self.pg_dsn_base.rstrip('/')}/kohtaamo_{self.service}"

    def topic(self, name: str) -> str:
        return f"{self.topic_prefix}{name}"

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
