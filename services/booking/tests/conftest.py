"""Fixtures of the booking service's tests on the real PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import asyncpg
import pytest

from shared.db import create_pool


@pytest.fixture
async def pool(fresh_database: Callable[[str], Awaitable[str]]
               ) -> AsyncIterator[asyncpg.Pool]:
    """A pool on a new, migrated booking database of its own."""
    p = await create_pool(await fresh_database("booking"), 1, 4)
    yield p
    await p.close()
