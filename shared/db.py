"""asyncpg pools and the migration runner every service uses.

Migrations are plain SQL files named ``NNN_description.sql``: first ``shared/migrations`` (the
outbox and inbox tables every service has), then the service's own ``migrations/`` folder.
Each file runs once, in its own transaction, under an advisory lock, so replicas starting at
the same moment do not race.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

import asyncpg

from shared.errors import Unavailable

if TYPE_CHECKING:
    from asyncpg.pool import PoolConnectionProxy

    #: A connection straight from asyncpg or one borrowed from a pool: store code takes either.
    Connection: TypeAlias = (
        asyncpg.Connection[asyncpg.Record] | PoolConnectionProxy[asyncpg.Record]
    )
else:
    Connection = asyncpg.Connection

log = logging.getLogger(__name__)

SHARED_MIGRATIONS = Path(__file__).parent / "migrations"
SERVICES_DIR = Path(__file__).parent.parent / "services"
_MIGRATION_LOCK = 0x6B6F6874_6D696772  # "kohtmigr": one lock id for migrations in any database
_FILE = re.compile(r"^(\d{3,})_[\w-]+\.sql$")


#: What a lost, refused or restarting database raises, whatever the statement was.
_OUTAGE_ERRORS: tuple[type[Exception], ...] = (
    OSError,  # refused, reset, timed out, no route, a name that does not resolve right now
    asyncpg.PostgresConnectionError,  # 08xxx: the connection failed or is gone
    asyncpg.OperatorInterventionError,  # 57xxx: shutting down, starting up, terminated
    asyncpg.TooManyConnectionsError,
)
#: Every class `is_outage` may say yes to (besides its own `DatabaseOutage`): the HTTP edge
#: installs its outage handler on these.
MAY_BE_OUTAGE: tuple[type[Exception], ...] = (
    *_OUTAGE_ERRORS, asyncpg.ObjectNotInPrerequisiteStateError, asyncpg.InterfaceError,
    asyncpg.InternalClientError,
)


def is_outage(exc: BaseException) -> bool:
    """True when `exc` says the database cannot be used now (down, restarting, refusing
    connections, a connection cut mid-request), not that a statement or a value was wrong:
    the request is worth trying again later, and nothing of it was stored."""
    if isinstance(exc, DatabaseOutage):  # a unit of work's own, already told
        return True
    if isinstance(exc, asyncpg.QueryCanceledError):
        # 57014 (statement_timeout, pg_cancel_backend): about the statement, not the
        # database; the same statement would be cancelled again.
        return False
    if isinstance(exc, _OUTAGE_ERRORS):
        # OSError includes TimeoutError (no answer within the pool's or the statement's
        # timeout) and asyncio's "Multiple exceptions" (no errno: each address refused).
        return True
    if isinstance(exc, asyncpg.ObjectNotInPrerequisiteStateError):
        # 55000 is also "a table is in use"; only this one means "not now, try later".
        return "not currently accepting connections" in str(exc)
    if isinstance(exc, asyncpg.InterfaceError):
        text = str(exc)
        return any(said in text for said in ("connection is closed", "pool is closing",
                                             "pool is closed"))
    if isinstance(exc, asyncpg.InternalClientError):
        # A pooled connection the server terminated while it sat idle: its protocol state
        # is left mid-message ("cannot switch to state 15; another operation is in
        # progress").
        return "cannot switch to state" in str(exc)
    return False


def log_failed_pass(logger: logging.Logger, what: str, exc: Exception) -> None:
    """A scheduled pass (a job, the outbox relay) that failed, and will come again: an outage
    is expected while it lasts and says so in one warning line; anything else is a bug and
    is logged with its trace."""
    if is_outage(exc):
        # The message whole, not a template: repeated lines are folded by their message,
        # and each loop's must stay its own.
        logger.warning(f"{what}: the database is not available",
                       extra={"error": repr(getattr(exc, "cause", exc))})
    else:
        logger.error(what, exc_info=exc)


class DatabaseOutage(Unavailable):
    """Raised instead of the driver's error when the database cannot be used now; the HTTP
    edge answers 503 with Retry-After in the reader's language (shared.http). Nothing of
    the request was stored: its transaction did not commit."""

    def __init__(self, cause: BaseException, retry_after: int = 10) -> None:
        super().__init__("the service's database is not available right now; try again "
                         "in a moment", retry_after=retry_after, reason="database")
        self.cause = cause


async def init_connection(conn: Connection) -> None:
    # JSON columns in and out as Python objects, the same way everywhere.
    for name in ("json", "jsonb"):
        await conn.set_type_codec(
            name, encoder=json.dumps, decoder=json.loads, schema="pg_catalog"
        )


async def _keep_session(conn: Connection) -> None:
    """What a connection needs on its way back to the pool beyond what asyncpg always does
    (roll back a transaction left open, drop listeners): nothing. Pooled connections carry no
    session state (the outbox relay's advisory lock lives on its own connection,
    migrations unlock in `finally`), so the default reset, one more round trip on every
    release (UNLISTEN, RESET ALL, unlock all advisory locks), is skipped."""


async def create_pool(dsn: str, min_size: int = 1, max_size: int = 10) -> asyncpg.Pool:
    pool = await asyncpg.create_pool(
        dsn, min_size=min_size, max_size=max_size, init=init_connection, command_timeout=30,
        reset=_keep_session,
    )
    assert pool is not None
    return pool


def migration_files(folder: Path) -> list[tuple[int, Path]]:
    found = []
    for path in sorted(folder.glob("*.sql")):
        match = _FILE.match(path.name)
        if not match:
            raise ValueError(f"migration file name not of the form NNN_name.sql: {path}")
        found.append((int(match.group(1)), path))
    versions = [v for v, _ in found]
    if len(set(versions)) != len(versions):
        raise ValueError(f"two migrations share a number in {folder}")
    return found


async def migrate(conn: Connection, service: str) -> list[str]:
    """Apply pending migrations of `shared` and of the service; return the names applied."""
    applied: list[str] = []
    await conn.execute("SELECT pg_advisory_lock($1)", _MIGRATION_LOCK)
    try:
        await conn.execute(
            """CREATE TABLE IF NOT EXISTS schema_migrations (
                   namespace text NOT NULL,
                   version integer NOT NULL,
                   name text NOT NULL,
                   applied_at timestamptz NOT NULL DEFAULT now(),
                   PRIMARY KEY (namespace, version))"""
        )
        for namespace, folder in (
            ("shared", SHARED_MIGRATIONS),
            (service, SERVICES_DIR / service / "migrations"),
        ):
            done = {
                r["version"]
                for r in await conn.fetch(
                    "SELECT version FROM schema_migrations WHERE namespace = $1", namespace
                )
            }
            for version, path in migration_files(folder):
                if version in done:
                    continue
                async with conn.transaction():
                    await conn.execute(path.read_text())
                    await conn.execute(
                        "INSERT INTO schema_migrations (namespace, version, name)"
                        " VALUES ($1, $2, $3)",
                        namespace,
                        version,
                        path.name,
                    )
                applied.append(f"{namespace}/{path.name}")
                log.info("migration applied", extra={"migration": f"{namespace}/{path.name}"})
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", _MIGRATION_LOCK)
    return applied


async def migrate_dsn(dsn: str, service: str) -> list[str]:
    conn = await asyncpg.connect(dsn)
    try:
        return await migrate(conn, service)
    finally:
        await conn.close()


async def ensure_database(server_dsn: str, name: str) -> bool:
    """Create database `name` on the server if missing; True when it was created."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise ValueError(f"not a plain database name: {name!r}")
    conn = await asyncpg.connect(server_dsn)
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if exists:
            return False
        await conn.execute(f'CREATE DATABASE "{name}"')
        return True
    finally:
        await conn.close()


async def drop_database(server_dsn: str, name: str) -> None:
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise ValueError(f"not a plain database name: {name!r}")
    conn = await asyncpg.connect(server_dsn)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()
