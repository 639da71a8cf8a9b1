"""A replica's full collections stay short: what it keeps is frozen out of them."""

from __future__ import annotations

import gc

import pytest

from shared.collector import LONG_LIVED, short_full_collections

pytestmark = pytest.mark.unit


def kept(n: int) -> list[list[int]]:
    return [[i] for i in range(n)]  # lists: containers the collector tracks


def test_start_up_is_frozen_and_what_serving_keeps_in_numbers_too() -> None:
    before = gc.get_freeze_count()
    start_up = kept(1000)
    with short_full_collections():
        assert gc.get_freeze_count() >= before + len(start_up)
        assert len(gc.get_objects(2)) < 100

        few = kept(LONG_LIVED // 4)
        gc.collect()
        # Below the limit: left to the collector, which still walks them.
        assert len(gc.get_objects(2)) >= len(few)
        frozen = gc.get_freeze_count()

        many = kept(LONG_LIVED)
        gc.collect()
        assert gc.get_freeze_count() >= frozen + len(few) + len(many)
        assert len(gc.get_objects(2)) < 100
    del start_up, few, many


def test_a_replica_that_stopped_leaves_the_collector_as_it_was() -> None:
    with short_full_collections(), short_full_collections():
        pass
    frozen = gc.get_freeze_count()
    many = kept(2 * LONG_LIVED)
    gc.collect()
    assert gc.get_freeze_count() == frozen
    assert len(gc.get_objects(2)) >= len(many)
    gc.freeze()  # not this test's garbage for the rest of the run to walk
