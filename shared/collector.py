"""The garbage collector's pauses on a serving replica.

A full collection walks every container object the collector tracks, with the event loop
stopped. Start-up makes about 120,000 of them (modules, routes, pools) that live as long as the
process, so a replica freezes them once it has started: the collector no longer walks them.
Serving then makes more that live as long: modules imported on first use, caches, schemas
built for the first request of a route. In a booking replica about 15,000 of them were left to
walk, and each full collection (every 10 s or so at 200 requests/s) stopped the loop for 17-35
ms of CPU: more than the p99 the service is held to (bench/, README "Performance").

So every full collection that leaves more than ``LONG_LIVED`` objects behind freezes them as
well: they have just survived one, and are what the process keeps. The price is that a cycle
among them that becomes garbage later is never collected (its objects are still freed when
nothing refers to them). It is paid rarely: after a freeze the collector walks a few thousand
objects (the requests in flight), and the limit is crossed again only when what the process
keeps grows by that much.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

#: Survivors of a full collection past which they are frozen: a full pass over this many
#: takes a few milliseconds of CPU.
LONG_LIVED = 10_000


def _freeze_survivors(phase: str, info: dict[str, Any]) -> None:
    if phase == "stop" and info["generation"] == 2 and len(gc.get_objects(2)) > LONG_LIVED:
        gc.freeze()


@contextmanager
def short_full_collections() -> Iterator[None]:
    """For a replica's serving life: what exists now is frozen, and so is whatever later
    outlives a full collection in numbers (above)."""
    gc.collect()
    gc.freeze()
    gc.callbacks.append(_freeze_survivors)
    try:
        yield
    finally:
        gc.callbacks.remove(_freeze_survivors)
