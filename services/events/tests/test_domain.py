"""Activity event rules without a database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from services.events.domain import (
    DRAFT_NAME,
    check_attendance,
    check_length,
    check_publishable,
    check_transition,
    check_url,
    draft_kind,
    draft_name,
    event_refusals,
    may_edit,
    safe_url,
)
from shared.clock import HELSINKI, helsinki_time
from shared.errors import Conflict, Invalid
from shared.identity import Principal
from shared.l10n import text_in as text  # the stored-text rule the events' pages use

START = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)


def test_draft_publishes_and_published_cancels() -> None:
    check_transition("draft", "published")
    check_transition("published", "cancelled")


@pytest.mark.parametrize(("current", "target"), [("published", "published"),
                                                 ("cancelled", "published"),
                                                 ("draft", "cancelled"),
                                                 ("postponed", "published")])
def test_other_transitions_conflict(current: str, target: str) -> None:
    with pytest.raises(Conflict):
        check_transition(current, target)


def event(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {"name": {"fi": "Lukupiiri"}, "starts_at": START,
                               "ends_at": START + timedelta(hours=1), "place_kind": "outdoors",
                               "venue_id": None, "online_url": None,
                               "place_name": {"fi": "Väinölänniemi"}}
    base.update(changes)
    return base


def test_publishing_needs_a_finnish_name_sane_times_and_a_place() -> None:
    check_publishable(event())
    with pytest.raises(Invalid, match="Finnish name") as no_name:
        check_publishable(event(name={"fi": "  ", "en": "Reading"}))
    assert no_name.value.field == "name.fi"
    with pytest.raises(Invalid, match="end after"):
        check_publishable(event(ends_at=START))
    with pytest.raises(Invalid, match="needs its venue"):
        check_publishable(event(place_kind="venue"))
    with pytest.raises(Invalid, match="online link"):
        check_publishable(event(place_kind="hybrid", venue_id=uuid4()))
    # Outdoors, at a pop-up or elsewhere only the place name says where: none, or one
    # without its Finnish words, leaves residents only the area.
    for kind in ("outdoors", "pop_up", "other_place"):
        for name in (None, {"fi": "  ", "en": "The shore"}):
            with pytest.raises(Invalid, match="needs its place name") as nameless:
                check_publishable(event(place_kind=kind, place_name=name))
            assert nameless.value.field == "place_name.fi"
    # Online or at a venue the link or the venue says it.
    check_publishable(event(place_kind="online", place_name=None,
                            online_url="https://meet.example/k"))
    check_publishable(event(place_kind="venue", venue_id=uuid4(), place_name=None))


def test_who_may_edit() -> None:
    venue = uuid4()
    owner = Principal("maija", frozenset({"organiser"}))
    assert may_edit(owner, "maija", None)
    assert not may_edit(Principal("matti", frozenset({"organiser"})), "maija", venue)
    assert may_edit(Principal("d", frozenset({"desk"}), frozenset({venue})), None, venue)
    assert not may_edit(Principal("d", frozenset({"desk"}), frozenset({uuid4()})), None, venue)
    assert may_edit(Principal("c", frozenset({"communications"})), None, venue)
    assert not may_edit(Principal(None), None, venue)


def test_attendance_only_once_the_activity_started() -> None:
    # The argument is the activity's start: a report is taken from then on (#14).
    check_attendance("published", START, START + timedelta(minutes=1))
    check_attendance("rescheduled", START, START)
    with pytest.raises(Conflict, match="once the activity has started"):
        check_attendance("published", START, START - timedelta(minutes=1))
    for status in ("cancelled", "draft", "awaiting_approval", "withdrawn", "postponed"):
        with pytest.raises(Conflict, match="took place"):
            check_attendance(status, START, START + timedelta(days=1))


def test_draft_kind_follows_cooperation() -> None:
    assert draft_kind(True) == "open_guided"
    assert draft_kind(False) == "other"


@pytest.mark.parametrize("url", ["https://example.org/kuva.jpg", "http://kuopio.fi",
                                 "HTTPS://EXAMPLE.ORG/a?b=c#d"])
def test_links_are_http_or_https(url: str) -> None:
    assert check_url(url, "image_url") == url and safe_url(url) == url


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd",
                                 "data:text/html,x", "http://", "https:// example.org",
                                 "https://example.org/\x00", "//example.org", "x" * 3000,
                                 "https://:80/", "https://[x/kuva.png",
                                 "https://example.org:99999/kuva.png"])
def test_other_links_are_refused_and_never_shown(url: str) -> None:
    with pytest.raises(Invalid) as refused:
        check_url(url, "image_url")
    assert refused.value.field == "image_url"
    assert safe_url(url) is None


def test_stored_texts_are_read_without_failing() -> None:
    assert text({"fi": "Satu", "sv": "Saga"}, "sv") == "Saga"
    assert text({"fi": "Satu", "sv": None}, "sv") == "Satu"
    assert text({"fi": ""}, "en") == "" and text(None, "fi") == "" and text("x", "fi") == ""


def test_a_booking_title_becomes_a_name_by_the_rules_of_a_name() -> None:
    assert draft_name("  Kuoro\n treenit ") == {"fi": "Kuoro treenit"}
    assert draft_name("") == draft_name(None) == DRAFT_NAME
    assert draft_name("\x00\ud800") == DRAFT_NAME
    assert len(draft_name("x" * 10_000)["fi"]) == 500


def test_an_activitys_length_is_the_time_that_passes() -> None:
    """Across the spring's change of time, Helsinki's clock faces are an hour ahead of what
    passes: 13 d 23.5 h of an activity is within 14 days, 14 d 0.5 h is not."""
    start = datetime(2027, 3, 20, 10, 0, tzinfo=HELSINKI)
    check_length(start, datetime(2027, 4, 3, 10, 30, tzinfo=HELSINKI), "open_guided")
    with pytest.raises(Invalid) as refused:
        check_length(start, datetime(2027, 4, 3, 11, 30, tzinfo=HELSINKI), "open_guided")
    assert refused.value.field == "ends_at"


def test_a_time_the_clocks_skip_is_refused() -> None:
    with pytest.raises(Invalid) as refused:
        helsinki_time(datetime(2027, 3, 28, 3, 30), "starts_at")
    assert refused.value.field == "starts_at"
    assert helsinki_time(datetime(2027, 3, 28, 4, 30), "ends_at") == datetime(
        2027, 3, 28, 1, 30, tzinfo=UTC)
    # The hour the autumn repeats is summer time's (the first of the two).
    assert helsinki_time(datetime(2027, 10, 31, 3, 30), "starts_at") == datetime(
        2027, 10, 31, 0, 30, tzinfo=UTC)


@pytest.mark.parametrize("field, value", [("kind", "meeting\n"), ("topics", ["games\n"]),
                                          ("area", "kuopio.keskusta\n")])
def test_a_code_is_matched_whole_not_up_to_a_line_break(field: str, value: object) -> None:
    """`re.match` with `$` takes a code followed by a line break ("games\\n"), which the
    database's own check then refuses with a 500 on whichever way in skipped its pattern;
    the domain's rule matches the code whole, so the refusal names the field instead."""
    found = event_refusals({"name": {"fi": "Pelit"}, "starts_at": datetime(2027, 1, 5, 10,
                            tzinfo=UTC), "ends_at": datetime(2027, 1, 5, 12, tzinfo=UTC),
                            "kind": "meeting", "place_kind": "venue", field: value})
    assert [e.field for e in found] == [field if field != "topics" else "topics.0"]


def test_one_person_is_one_organiser_whether_they_booked_or_created_the_activity() -> None:
    from services.events.domain import organiser_ref

    booking_own_id = uuid4()  # the booking service's id for the person
    created = organiser_ref({"owner_subject": "kuoro-ry", "organiser_id": None})
    from_booking = organiser_ref({"owner_subject": "kuoro-ry", "organiser_id": booking_own_id})
    assert created == from_booking and created is not None
    assert organiser_ref({"owner_subject": "toinen", "organiser_id": None}) != created
    # A desk's walk-in booking has no one signed in: the booking's id is the organiser.
    walk_in = organiser_ref({"owner_subject": None, "organiser_id": booking_own_id})
    assert walk_in == booking_own_id
    assert organiser_ref({"owner_subject": None, "organiser_id": None}) is None
