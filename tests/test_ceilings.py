"""The public forms' ceilings (`shared.ceilings`): who a sender is, counted, and when a
refused one may try again; and the moment as each language writes it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shared import l10n
from shared.ceilings import Counted, client_network
from shared.errors import TooManyRequests

T0 = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def test_a_client_is_its_ipv4_address_or_its_ipv6_network() -> None:
    assert client_network("10.1.2.3") == "10.1.2.3"
    assert client_network("::ffff:10.1.2.3") == "10.1.2.3"
    assert client_network("2001:db8:1:2::5") == client_network("2001:db8:1:2:ffff::6") == \
        "2001:db8:1:2::/64"
    assert client_network("2001:db8:1:3::5") != client_network("2001:db8:1:2::5")
    assert client_network("testclient") == "testclient"


def test_under_the_ceiling_there_is_room() -> None:
    counted = Counted.of([T0, T0 + timedelta(minutes=5)], 3)
    assert (counted.count, counted.full, counted.making_room) == (2, False, None)
    counted.check(HOUR, T0, "never raised")
    assert Counted.of([], 1).making_room is None


def test_at_the_ceiling_the_oldest_leaving_makes_room() -> None:
    counted = Counted.of([T0 + timedelta(minutes=20), T0, T0 + timedelta(minutes=40)], 3)
    assert counted.full and counted.making_room == T0
    now = T0 + timedelta(minutes=50)
    assert counted.retry_after(HOUR, now) == 10 * 60 + 1  # T0 + 1 h, and a second past it
    with pytest.raises(TooManyRequests) as refused:
        counted.check(HOUR, now, "too many", code="too_many")
    assert refused.value.retry_after == 601 and refused.value.details == {"code": "too_many"}


def test_past_the_ceiling_the_one_bringing_the_count_under_it_makes_room() -> None:
    """Requests that raced past the ceiling: five counted against three; room comes when
    three have left, so the third oldest is the one to wait for."""
    times = [T0 + timedelta(minutes=m) for m in (0, 10, 20, 30, 40)]
    counted = Counted.of(times, 3)
    assert counted.making_room == T0 + timedelta(minutes=20)
    assert counted.retry_after(HOUR, T0 + timedelta(minutes=45)) == 35 * 60 + 1


def test_a_retry_is_never_sooner_than_a_second() -> None:
    counted = Counted.of([T0], 1)
    assert counted.retry_after(HOUR, T0 + timedelta(hours=2)) == 1
    assert Counted(1, 1, None).retry_after(HOUR, T0) == 1


@pytest.mark.parametrize(("lang", "shown"), [
    ("fi", "pe 4.12. klo 14.30"), ("sv", "fre 4 dec. kl. 14:30"), ("en", "Fri 4 Dec at 14:30")])
def test_when_to_try_again_reads_as_each_language_writes_it(lang: str, shown: str) -> None:
    moment = datetime(2026, 12, 4, 12, 30, tzinfo=UTC)  # 14.30 in Kuopio
    assert l10n.day_and_time(moment, lang) == shown
