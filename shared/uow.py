"""Unit of work: one transaction that a use case runs in, and the events it publishes.

A use case takes a unit of work and a clock, reads and writes through ``uow.store`` (the
service's SQL, bound to the transaction's connection) and publishes with ``uow.publish``:
the events go into the outbox inside the same transaction, so a change and its events
commit together or not at all. ``PgUnitOfWork`` opens its own connection and transaction;
``JoinedUnitOfWork`` joins one already open (a Kafka handler's, which the idempotent consumer
commits with the event id); ``FakeUnitOfWork`` holds an in-memory store for fast tests.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar

import asyncpg

from shared.contracts import DomainEvent
from shared.db import Connection, DatabaseOutage, is_outage
from shared.outbox import enqueue

if TYPE_CHECKING:
    from asyncpg.pool import PoolConnectionProxy

S = TypeVar("S")


class UnitOfWork(Generic[S]):
    """What every use case sees: ``async with uow:`` commits on success, rolls back on error."""

    store: S

    async def __aenter__(self) -> Self:
        raise NotImplementedError

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        raise NotImplementedError

    async def publish(self, *events: DomainEvent) -> None:
        raise NotImplementedError


class PgUnitOfWork(UnitOfWork[S]):
    """A connection from the pool and one transaction for the length of the ``async with``."""

    def __init__(self, pool: asyncpg.Pool, make_store: Callable[[Connection], S],
                 isolation: str = "read_committed") -> None:
        self._pool = pool
        self._make_store = make_store
        self._isolation = isolation
        self._conn: PoolConnectionProxy[asyncpg.Record] | None = None
        self._tx: Any = None

    @property
    def conn(self) -> PoolConnectionProxy[asyncpg.Record]:
        if self._conn is None:
            raise RuntimeError("the unit of work is not open")
        return self._conn

    async def __aenter__(self) -> Self:
        # Twice: a pooled connection the server cut while it sat idle (a restart, a failover)
        # fails only when used; the second try gets a new one.
        for attempt in (1, 2):
            try:
                conn = await self._pool.acquire()
            except Exception as exc:
                if is_outage(exc):
                    raise DatabaseOutage(exc) from exc
                raise
            try:
                self._tx = conn.transaction(isolation=self._isolation)  # type: ignore[arg-type]
                await self._tx.start()
            except BaseException as exc:
                broken = isinstance(exc, Exception) and is_outage(exc)
                await self._release(conn, broken)
                if broken and attempt == 1:
                    continue
                if broken:
                    raise DatabaseOutage(exc) from exc
                raise
            self._conn = conn
            self.store = self._make_store(conn)
            return self
        raise AssertionError("unreachable")

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        """Commit or roll back. A database that went away (mid-statement or at the commit)
        becomes `DatabaseOutage`, which the HTTP edge answers with 503 and Retry-After.
        Only a connection lost during the COMMIT itself leaves it unknown whether the
        transaction committed, as with any database client."""
        conn, tx = self._conn, self._tx
        self._conn, self._tx = None, None
        assert conn is not None and tx is not None
        try:
            if exc_type is None:
                await tx.commit()
            else:
                await tx.rollback()
        except Exception as failure:
            await self._release(conn, is_outage(failure))
            if exc is not None and not _to_tell(exc):
                return  # the block's own error goes on; the failed rollback adds nothing
            cause = exc if exc is not None else failure
            if is_outage(cause):
                raise DatabaseOutage(cause) from cause
            raise
        await self._release(conn)
        if exc is not None and _to_tell(exc):
            raise DatabaseOutage(exc) from exc

    async def _release(self, conn: PoolConnectionProxy[asyncpg.Record],
                       broken: bool = False) -> None:
        """Back to the pool; a connection the database cut is closed first, so the pool
        makes a new one instead of lending it out again."""
        try:
            if broken:
                # InterfaceError: asyncpg gave it back to the pool itself when it read the
                # server's goodbye mid-statement; it is closed already.
                with contextlib.suppress(asyncpg.InterfaceError):
                    conn.terminate()
            await self._pool.release(conn)
        except Exception as exc:  # a broken connection: the pool replaces it
            if not is_outage(exc):
                raise

    async def publish(self, *events: DomainEvent) -> None:
        for event in events:
            await enqueue(self.conn, event)


def _to_tell(exc: BaseException) -> bool:
    """An outage the block met that is not yet told as `DatabaseOutage`."""
    return isinstance(exc, Exception) and is_outage(exc) and not isinstance(exc, DatabaseOutage)


class JoinedUnitOfWork(UnitOfWork[S]):
    """A unit of work inside a transaction someone else opened and will commit (the
    idempotent consumer's, so the handler's effect commits with the event's id)."""

    def __init__(self, conn: Connection, make_store: Callable[[Connection], S]) -> None:
        if not conn.is_in_transaction():
            raise RuntimeError("JoinedUnitOfWork needs an open transaction")
        self.conn = conn
        self.store = make_store(conn)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        # The owner of the transaction commits or rolls back; an error propagates to it.
        return None

    async def publish(self, *events: DomainEvent) -> None:
        for event in events:
            await enqueue(self.conn, event)


class FakeUnitOfWork(UnitOfWork[S]):
    """An in-memory store and a list of published events; ``commits`` counts successes and a
    failed block drops what it published, as a rolled-back transaction would."""

    def __init__(self, store: S) -> None:
        self.store = store
        self.published: list[DomainEvent] = []
        self._pending: list[DomainEvent] = []
        self.commits = 0
        self.rollbacks = 0

    async def __aenter__(self) -> Self:
        self._pending = []
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        if exc_type is None:
            self.published.extend(self._pending)
            self.commits += 1
        else:
            self.rollbacks += 1
        self._pending = []

    async def publish(self, *events: DomainEvent) -> None:
        self._pending.extend(events)
