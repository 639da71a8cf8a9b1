"""The feedback survey as residents reach and answer it, and its answers as analysts read
and download them: a short link typed in any case, a form given back filled in when a field
is refused, the answers' spreadsheet in the reader's language."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

import pytest

from services.metrics import usecases
from services.metrics.tests.test_usecases import World, published
from shared.identity import PUBLIC


@pytest.mark.unit
async def test_a_short_code_is_read_in_any_case() -> None:
    """A code read off a poster is typed as it looks: upper case finds the activity too."""
    w = World()
    event_id = UUID("4eb9208a-9c1d-4e5f-8a7b-6c5d4e3f2a1b")  # the tester's code
    await w.handle(published(event_id, start=w.clock.now() - timedelta(hours=3)))
    code = "4eb9208a9c"
    for typed in (code, code.upper(), code[:5].upper() + code[5:]):
        assert await usecases.resolve_short_code(w.uow, w.clock, PUBLIC, typed) == event_id
