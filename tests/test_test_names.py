"""Each test's topics, databases and ports are its own. Topics outlive their test (the run
deletes them at its end), so a prefix handed out twice gives a later test an earlier one's
events: CI once failed on a sixth email from a booking another test had published."""

from __future__ import annotations

import re

import pytest

from tests.infra import free_port, new_topic_prefix

pytestmark = pytest.mark.unit


def test_no_two_tests_of_a_run_share_a_topic_prefix() -> None:
    # More prefixes than four random hex digits could tell apart.
    prefixes = [new_topic_prefix("abc123") for _ in range(70_000)]
    assert len(set(prefixes)) == len(prefixes)
    # Still a valid Kafka topic prefix, and one the run's clean-up finds by its run id.
    assert all(re.fullmatch(r"tabc123[0-9]+\.", p) for p in prefixes)


def test_no_port_is_handed_out_twice() -> None:
    # Ports asked for one after another, as a test asks for its services' before starting
    # any: each is free when handed out, and none is handed out again.
    ports = [free_port() for _ in range(2000)]
    assert len(set(ports)) == len(ports)
