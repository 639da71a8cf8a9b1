"""CloudEvents envelope and contracts: pure, no servers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from pydantic import ValidationError

from shared import tracing
from shared.accessibility import known_features
from shared.contracts import (
    EVENT_TYPES,
    ActivityEventPublished,
    BookingCancelled,
    BookingConfirmed,
    BookingEnded,
    BookingMoved,
    BookingRequested,
    LocalizedText,
    VenueRegistered,
    parse_event,
)
from shared.envelope import Envelope, EnvelopeError


def confirmed() -> BookingConfirmed:
    start = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)
    return BookingConfirmed(
        booking_id=uuid4(), venue_id=uuid4(), space_id=uuid4(), starts_at=start,
        ends_at=start + timedelta(hours=2), title="Lukupiiri", organiser_id=uuid4(),
    )


def test_envelope_round_trips_through_the_kafka_binding() -> None:
    event = confirmed()
    envelope = event.to_envelope()
    headers = [(k, v.encode()) for k, v in envelope.kafka_headers().items()]
    back = Envelope.from_kafka(envelope.kafka_key(), envelope.kafka_value(), headers)
    assert back == envelope
    assert back.type == "fi.kohtaamo.booking.confirmed.v1"
    assert back.partitionkey == str(event.booking_id)  # ordered per booking
    assert parse_event(back) == event


def test_headers_follow_the_cloudevents_kafka_binding() -> None:
    headers = confirmed().to_envelope().kafka_headers()
    assert headers["ce_specversion"] == "1.0"
    assert {"ce_id", "ce_source", "ce_type", "ce_time", "ce_subject", "traceparent"} <= set(headers)
    assert headers["content-type"] == "application/json"


@pytest.mark.parametrize(
    ("value", "headers", "why"),
    [
        (b"{}", [], "not a CloudEvents"),
        (b"not json", [("ce_specversion", b"1.0"), ("ce_id", b"1"), ("ce_source", b"/x"),
                       ("ce_type", b"t"), ("ce_time", b"2026-01-01T00:00:00Z")], "unreadable"),
        (b"[1]", [("ce_specversion", b"1.0"), ("ce_id", b"1"), ("ce_source", b"/x"),
                  ("ce_type", b"t"), ("ce_time", b"2026-01-01T00:00:00Z")], "JSON object"),
        (b"{}", [("ce_specversion", b"1.0"), ("ce_source", b"/x")], "unreadable"),
    ],
)
def test_unreadable_records_raise_envelope_error(
    value: bytes, headers: list[tuple[str, bytes]], why: str
) -> None:
    with pytest.raises(EnvelopeError, match=why):
        Envelope.from_kafka(b"k", value, headers)


def test_consumers_ignore_unknown_fields_and_unknown_types() -> None:
    envelope = confirmed().to_envelope()
    envelope.data["added_in_a_later_version"] = 42
    assert isinstance(parse_event(envelope), BookingConfirmed)
    unknown = envelope.model_copy(update={"type": "fi.kohtaamo.something.new.v1"})
    assert parse_event(unknown) is None


def test_every_event_type_is_versioned_and_unique() -> None:
    assert EVENT_TYPES
    for name in EVENT_TYPES:
        assert name.startswith("fi.kohtaamo.") and name.rsplit(".", 1)[1].startswith("v")


@pytest.mark.parametrize("exporting", [True, False])
def test_an_event_continues_the_trace_of_the_work_that_caused_it_in_a_span_of_its_own(
        exporting: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whether or not spans are exported, the event's context is a new span of the caller's
    trace; its sampled flag says whether that span was recorded."""
    monkeypatch.setattr(tracing._sampler, "exporting", exporting)
    parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    event = VenueRegistered(venue_id=uuid4(), name=LocalizedText(fi="Nilsiän kirjasto"),
                            kind="library", area="kuopio.nilsia", municipality="Kuopio")
    child = event.to_envelope(parent).traceparent.split("-")
    assert child[1] == "0af7651916cd43dd8448eb211c80319c"
    assert child[2] != "b7ad6b7169203331" and len(child[2]) == 16
    assert child[3] == ("01" if exporting else "00")
    fresh = event.to_envelope().traceparent.split("-")
    assert len(fresh[1]) == 32 and fresh[1] != child[1]


def test_activity_event_must_end_after_it_starts() -> None:
    start = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)
    with pytest.raises(ValidationError, match="ends_at must be after starts_at"):
        ActivityEventPublished(event_id=uuid4(), revision=1, name=LocalizedText(fi="x"),
                               starts_at=start, ends_at=start, kind="open_guided")


def test_localized_text_falls_back_to_finnish() -> None:
    text = LocalizedText(fi="Lukupiiri", en="Reading circle")
    assert text.get("en") == "Reading circle"
    assert text.get("sv") == "Lukupiiri"
    with pytest.raises(ValidationError):
        LocalizedText(fi="")


def test_venue_events_carry_accessibility_features_and_older_copies_still_parse() -> None:
    venue = VenueRegistered(venue_id=uuid4(), name=LocalizedText(fi="Nilsiän kirjasto"),
                            kind="library", area="kuopio.nilsia", municipality="Kuopio",
                            accessibility_features=["lift", "step_free_entrance"])
    envelope = venue.to_envelope()
    parsed = parse_event(envelope)
    assert isinstance(parsed, VenueRegistered)
    assert parsed.accessibility_features == ["lift", "step_free_entrance"]
    # A copy published before the field existed: no features known.
    del envelope.data["accessibility_features"]
    older = parse_event(envelope)
    assert isinstance(older, VenueRegistered) and older.accessibility_features == []
    # A word booking learns later still parses for an older reader (no dead letter); the
    # reader keeps the words it knows.
    envelope.data["accessibility_features"] = ["ramp_to_stage", "lift"]
    newer = parse_event(envelope)
    assert isinstance(newer, VenueRegistered)
    assert known_features(newer.accessibility_features) == ("lift",)


def test_booking_events_carry_the_titles_language_and_older_copies_still_parse() -> None:
    """Every booking event says the language its title is written in, for the draft's name;
    a copy from before the field (an older producer, a replay) reads as Finnish, as the
    draft was named then; a language a later booking offers is no dead letter."""
    swedish = BookingConfirmed.model_validate(
        {**confirmed().model_dump(), "title": "Läsecirkel", "title_language": "sv"})
    envelope = swedish.to_envelope()
    assert envelope.data["title_language"] == "sv"
    headers = [(k, v.encode()) for k, v in envelope.kafka_headers().items()]
    parsed = parse_event(Envelope.from_kafka(envelope.kafka_key(), envelope.kafka_value(),
                                             headers))
    assert isinstance(parsed, BookingConfirmed)
    assert (parsed.title, parsed.title_language) == ("Läsecirkel", "sv")
    for model in (BookingRequested, BookingMoved, BookingCancelled, BookingEnded):
        assert "title_language" in model.model_fields
    # Written before the field: Finnish.
    del envelope.data["title_language"]
    older = parse_event(envelope)
    assert isinstance(older, BookingConfirmed) and older.title_language == "fi"
    assert confirmed().title_language == "fi"
    envelope.data["title_language"] = "se"
    later = parse_event(envelope)
    assert isinstance(later, BookingConfirmed) and later.title_language == "se"
