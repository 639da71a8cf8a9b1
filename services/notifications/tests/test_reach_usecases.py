"""Registration and following as use cases, on the in-memory store (no I/O): the rules of
seats, the waiting list, the sign-up window, questions, links, digests and unsubscribing."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from services.notifications import domain, reach_text, usecases
from services.notifications.store import NotificationStore
from services.notifications.tests.fakes import NOW, FakeNotificationStore
from services.notifications.tests.test_usecases import ADMIN, World, activity
from shared.clock import FixedClock
from shared.contracts import (
    ActivityEventCancelled,
    ActivityEventPostponed,
    ActivityEventUpdated,
    LocalizedText,
    RegistrationCounts,
    VenueRegistered,
)
from shared.errors import Conflict, Forbidden, Invalid, NotFound, Refusals, TooManyRequests
from shared.identity import Principal
from shared.uow import FakeUnitOfWork

pytestmark = pytest.mark.unit

LINKS = domain.ReachLinks("https://osallistu.kuopio.example", b"test-key")
EVENTS_URL = "https://tapahtumat.kuopio.example"


@pytest.fixture
def world() -> World:
    return World()


async def _published(world: World, capacity: int | None = 2, **extra: Any) -> Any:
    event = activity(registration_required=True, capacity=capacity, **extra)
    await usecases.plan_activity_event(world.uow, world.clock, event, EVENTS_URL, LINKS)
    return event


async def _sign(world: World, event: Any, address: str, seats: int = 1,
                **answers: str) -> usecases.SignedUp:
    return await usecases.register(world.uow, world.clock, LINKS, EVENTS_URL, usecases.SignUp(
        activity_event_id=event.event_id, name=address.split("@")[0], email=address,
        seats=seats, answers=answers))


async def test_seats_then_a_waiting_list_in_order(world: World) -> None:
    await world.account("email")
    event = await _published(world, capacity=3)
    first = await _sign(world, event, "a@example.fi", seats=2)
    group = await _sign(world, event, "b@example.fi", seats=2)
    late = await _sign(world, event, "c@example.fi", seats=1)
    # The single seat left is not given past the group waiting before.
    assert [first.position, group.position, late.position] == [None, 1, 2]
    assert [s.registration["status"] for s in (first, group, late)] == [
        "confirmed", "waiting", "waiting"]
    counts = [e for e in world.published if isinstance(e, RegistrationCounts)]
    assert [(c.sequence, c.confirmed_seats, c.waiting_seats) for c in counts] == [
        (1, 2, 0), (2, 2, 2), (3, 2, 3)]
    assert {d["purpose"] for d in world.deliveries()} == {
        "registration_confirmed", "registration_waiting"}
    # Cancelling moves the group up (it fits now), and the single person after it.
    await usecases.cancel_registration(world.uow, world.clock, LINKS, EVENTS_URL, first.token)
    statuses = {r["email"]: r["status"] for r in world.store.registrations.values()}
    assert statuses == {"a@example.fi": "cancelled", "b@example.fi": "confirmed",
                        "c@example.fi": "confirmed"}
    assert len(world.deliveries(purpose="registration_promoted")) == 2


def _two_lines(lines: list[str], first: str, second: str) -> bool:
    """Whether the mail's `lines` say `first`, then `second` on the next line."""
    return first in lines and lines[lines.index(first) + 1:][:1] == [second]


async def test_the_waiting_lists_mail_says_why_it_waits_with_places_free(world: World
                                                                          ) -> None:
    """With places free a sign-up may still wait: its group larger than the places, or
    others before it (first come, first served). Its mail says which, in its language, with
    its place; an event full says only the place, as before."""
    await world.account("email")
    event = await _published(world, capacity=10)
    await _sign(world, event, "kuoro@example.fi", seats=6)
    for address, seats, lang in (("perhe@example.fi", 5, "fi"), ("pari@example.fi", 2, "en"),
                                 ("trio@example.fi", 3, "sv")):
        await usecases.register(world.uow, world.clock, LINKS, EVENTS_URL, usecases.SignUp(
            activity_event_id=event.event_id, name="x", email=address, seats=seats,
            language=lang))
    mails = {d["recipient"]: d["content"]["text"].splitlines()
             for d in world.deliveries(purpose="registration_waiting")}
    assert _two_lines(mails["perhe@example.fi"],
        "Tapahtumassa on vapaita paikkoja (4), mutta ryhmäsi on suurempi (5): saat paikat, "
        "kun niitä vapautuu tarpeeksi.",
        "Paikkasi jonossa: 1. Saat viestin, jos paikka vapautuu.")
    assert _two_lines(mails["pari@example.fi"],
        "The event has places free (4), but sign-ups were already waiting before you (1): "
        "places go in the order people signed up.",
        "Your place in the queue: 2. We will tell you if a place comes free.")
    assert ("Evenemanget har lediga platser (4), men anmälningar stod redan i kö före dig "
            "(2): platserna går i anmälningsordning.") in mails["trio@example.fi"]
    # Full: the place alone, no places free to explain.
    full = await _published(world, capacity=1)
    await _sign(world, full, "a@example.fi")
    await _sign(world, full, "b@example.fi")
    [waits] = [d["content"]["text"] for d in world.deliveries(purpose="registration_waiting")
               if d["recipient"] == "b@example.fi"]
    assert "Paikkasi jonossa: 1." in waits and "vapaita paikkoja" not in waits


async def test_the_rules_of_a_sign_up(world: World) -> None:
    event = await _published(world)
    with pytest.raises(Invalid):
        await _sign(world, event, "not an address")
    with pytest.raises(Invalid):
        await _sign(world, event, "big@example.fi", seats=7)
    await _sign(world, event, "a@example.fi")
    with pytest.raises(Conflict):
        await _sign(world, event, "A@Example.fi")
    with pytest.raises(NotFound):
        await usecases.register(world.uow, world.clock, LINKS, EVENTS_URL, usecases.SignUp(
            activity_event_id=uuid4(), name="x", email="x@example.fi"))
    no_registration = activity()
    await usecases.plan_activity_event(world.uow, world.clock, no_registration, EVENTS_URL)
    with pytest.raises(Conflict):
        await _sign(world, no_registration, "b@example.fi")


async def test_the_sign_up_window_and_the_organisers_questions(world: World) -> None:
    event = await _published(world, organiser_subject="org-1")
    other = Principal(subject="org-2", roles=frozenset({"organiser"}))
    command = usecases.RegistrationSettingsCommand(
        opens_at=NOW + timedelta(hours=1), closes_at=NOW + timedelta(days=1), max_group=2,
        questions=({"id": "diet", "text": {"fi": "Ruokavalio"}, "required": True},))
    with pytest.raises(Forbidden):
        await usecases.save_registration_settings(world.uow, world.clock, other, LINKS,
                                                  EVENTS_URL, event.event_id, command)
    owner = Principal(subject="org-1", roles=frozenset({"organiser"}))
    await usecases.save_registration_settings(world.uow, world.clock, owner, LINKS,
                                              EVENTS_URL, event.event_id, command)
    with pytest.raises(Conflict) as early:
        await _sign(world, event, "a@example.fi", diet="vegaani")
    assert early.value.details["code"] == "not_open"
    world.clock.set(NOW + timedelta(hours=2))
    with pytest.raises(Invalid) as unanswered:
        await _sign(world, event, "a@example.fi")
    assert unanswered.value.details["code"] == "answer"
    signed = await _sign(world, event, "a@example.fi", diet="vegaani", other="dropped")
    assert signed.registration["answers"] == {"diet": "vegaani"}
    world.clock.set(NOW + timedelta(days=1))
    with pytest.raises(Conflict):
        await _sign(world, event, "b@example.fi", diet="-")


async def test_more_seats_move_the_waiting_list_up_and_registrants_hear_of_changes(
        world: World) -> None:
    await world.account("email")
    event = await _published(world, capacity=1)
    await _sign(world, event, "a@example.fi")
    waiting = await _sign(world, event, "b@example.fi")
    assert waiting.position == 1
    await usecases.save_registration_settings(
        world.uow, world.clock, ADMIN, LINKS, EVENTS_URL, event.event_id,
        usecases.RegistrationSettingsCommand(capacity=2))
    assert world.store.registrations[waiting.registration["id"]]["status"] == "confirmed"
    updated = ActivityEventUpdated(**{**event.model_dump(), "revision": 2,
                                      "name": LocalizedText(fi="Uusi nimi")})
    await usecases.plan_activity_event(world.uow, world.clock, updated, EVENTS_URL, LINKS)
    cancelled = ActivityEventCancelled(**{**event.model_dump(), "revision": 3})
    await usecases.plan_activity_event(world.uow, world.clock, cancelled, EVENTS_URL, LINKS)
    notices = world.deliveries(purpose="registration_change")
    assert sorted((d["recipient"], d["revision"]) for d in notices) == [
        ("a@example.fi", 2), ("a@example.fi", 3), ("b@example.fi", 2), ("b@example.fi", 3)]


async def _sign_in(world: World, event: Any, address: str, lang: str,
                   seats: int = 1) -> usecases.SignedUp:
    return await usecases.register(world.uow, world.clock, LINKS, EVENTS_URL, usecases.SignUp(
        activity_event_id=event.event_id, name="Aino", email=address, seats=seats,
        language=lang))


async def _named(world: World, name: LocalizedText) -> Any:
    """An activity of 10 places taking registrations, by `name`."""
    event = activity(registration_required=True, capacity=10).model_copy(
        update={"name": name})
    await usecases.plan_activity_event(world.uow, world.clock, event, EVENTS_URL, LINKS)
    return event


async def _edited(world: World, event: Any, revision: int, **changes: Any) -> dict[str, Any]:
    """The activity edited (event.updated): each registrant's mail of it, by address."""
    updated = ActivityEventUpdated(**{**event.model_dump(), "revision": revision, **changes})
    await usecases.plan_activity_event(world.uow, world.clock, updated, EVENTS_URL, LINKS)
    return {d["recipient"]: d["content"] for d in world.deliveries(
        purpose="registration_change") if d["revision"] == revision}


#: A tester's finding: a capacity-only edit mailed everyone "details changed" and no more.
PLACES_CUT = {
    "fi": ("Tapahtuman tiedot ovat muuttuneet: Kuoro (paikkamäärä)",
           "Muuttui: paikkamäärä", "Paikkoja tapahtumassa: 4 (aiemmin 10)"),
    "sv": ("Evenemangets uppgifter har ändrats: Kör (antal platser)",
           "Ändrat: antal platser", "Platser i evenemanget: 4 (tidigare 10)"),
    "en": ("The event's details have changed: Choir (number of places)",
           "What changed: number of places", "Places at the event: 4 (was 10)")}
OVER = {"fi": ("Tapahtumassa on nyt vähemmän paikkoja (4) kuin ilmoittautumisessasi (6). "
               "Ilmoittautumisesi pysyy silti vahvistettuna",
               "Tapahtumassa on nyt vähemmän paikkoja (4) kuin ryhmässäsi (5), joten "
               "ryhmäsi ei pääse jonosta mukaan, ellei paikkoja lisätä."),
        "sv": ("Evenemanget har nu färre platser (4) än din anmälan (6). Din anmälan "
               "förblir ändå bekräftad",
               "Evenemanget har nu färre platser (4) än din grupp (5), så gruppen kan inte "
               "få platser från kön om inte fler platser läggs till."),
        "en": ("The event now has fewer places (4) than your registration (6). Your "
               "registration stays confirmed all the same",
               "The event now has fewer places (4) than your group (5), so your group "
               "cannot move up from the waiting list unless places are added.")}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_an_edit_of_the_places_says_so_and_what_it_means_for_each_registration(
        world: World, lang: str) -> None:
    """Cut from 10 places to 4: each registrant is told the places changed, from what to
    what; one whose group is larger than the places now is told what the system does: a
    confirmed one stays confirmed, one waiting cannot move up while there are so few."""
    await world.account("email")
    event = await _named(world, LocalizedText(fi="Kuoro", sv="Kör", en="Choir"))
    small = await _sign_in(world, event, "pieni@example.fi", lang, seats=3)
    large = await _sign_in(world, event, "suuri@example.fi", lang, seats=6)
    waiting = await _sign_in(world, event, "jono@example.fi", lang, seats=5)
    assert waiting.position == 1
    mails = await _edited(world, event, 2, capacity=4)
    assert set(mails) == {"pieni@example.fi", "suuri@example.fi", "jono@example.fi"}
    subject, changed, places = PLACES_CUT[lang]
    for address, mail in mails.items():
        lines = mail["text"].splitlines()
        assert mail["subject"] == subject and changed in lines and places in lines, address
        assert "10 000" not in mail["text"]
    text = {address: " ".join(mail["text"].split()) for address, mail in mails.items()}
    confirmed_over, waiting_over = OVER[lang]
    assert confirmed_over in text["suuri@example.fi"]
    assert waiting_over in text["jono@example.fi"]
    assert "(4)" not in text["pieni@example.fi"]
    # As said: nobody's seats cancelled, nobody moved up.
    statuses = {world.store.registrations[r.registration["id"]]["status"]
                for r in (small, large)}
    assert statuses == {"confirmed"}
    assert world.store.registrations[waiting.registration["id"]]["status"] == "waiting"


async def test_an_edit_of_nothing_a_registrant_reads_mails_no_one(world: World) -> None:
    """Its description, a topic, the name in another language than theirs, the activity's
    own places where the sign-up's settings set others: no mail. The name in theirs: one,
    saying what it was."""
    await world.account("email")
    event = await _named(world, LocalizedText(fi="Kuoro", sv="Kör"))
    await _sign_in(world, event, "fi@example.fi", "fi")
    await _sign_in(world, event, "sv@example.fi", "sv")
    assert await _edited(world, event, 2, short_description=LocalizedText(
        fi="Laulamme yhdessä."), topics=["music"]) == {}
    renamed = await _edited(world, event, 3, name=LocalizedText(fi="Kuoro", sv="Körsång"))
    assert list(renamed) == ["sv@example.fi"]
    assert renamed["sv@example.fi"]["subject"] == \
        "Evenemangets uppgifter har ändrats: Körsång (namn)"
    assert "Evenemangets uppgifter har ändrats: Körsång (tidigare Kör)" in \
        renamed["sv@example.fi"]["text"].splitlines()
    await usecases.save_registration_settings(
        world.uow, world.clock, ADMIN, LINKS, EVENTS_URL, event.event_id,
        usecases.RegistrationSettingsCommand(capacity=8))
    assert await _edited(world, event, 4, name=LocalizedText(fi="Kuoro", sv="Körsång"),
                         capacity=20) == {}


async def test_an_edit_of_the_time_says_what_it_was(world: World) -> None:
    await world.account("email")
    event = await _published(world, capacity=10)
    await _sign_in(world, event, "a@example.fi", "en")
    later = event.starts_at + timedelta(hours=2)
    mails = await _edited(world, event, 2, starts_at=later,
                          ends_at=event.ends_at + timedelta(hours=2))
    lines = mails["a@example.fi"]["text"].splitlines()
    assert "What changed: time" in lines
    [when] = [line for line in lines if line.startswith("When: ")]
    assert "(was " in when
    assert mails["a@example.fi"]["subject"].endswith("(time)")


def test_links_are_signed_and_cannot_be_made_up() -> None:
    row_id = uuid4()
    token = LINKS.token("registration", row_id)
    assert LINKS.read("registration", token) == row_id
    assert LINKS.read("subscription", token) is None  # a cancel link is no unsubscribe link
    other = domain.ReachLinks(LINKS.base_url, b"another key")
    assert other.read("registration", token) is None
    assert LINKS.read("registration", token[:-1] + ("0" if token[-1] != "0" else "1")) is None
    assert LINKS.read("registration", "../../etc") is None


def test_who_moves_up_keeps_the_order() -> None:
    a, b, c = uuid4(), uuid4(), uuid4()
    assert domain.promotions(3, 1, [(a, 3), (b, 1), (c, 1)]) == []
    assert domain.promotions(3, 0, [(a, 3), (b, 1)]) == [a]
    assert domain.promotions(None, 99, [(a, 3), (b, 1)]) == [a, b]
    assert domain.placement(2, 1, [], 1) == "confirmed"
    assert domain.placement(2, 1, [1], 1) == "waiting"
    # A group larger than all the places never fits: it holds nobody back.
    assert domain.promotions(2, 0, [(a, 3), (b, 1), (c, 1)]) == [b, c]
    assert domain.placement(2, 0, [3], 1) == "confirmed"


def test_a_later_smaller_group_waits_behind_an_earlier_one() -> None:
    """A tester's activity: 4 places free, a group of 5 on the waiting list as #1; a later
    group of 2 waited too (#2). First come, first served, as the list moves up: were the 2
    to take the places, the 5 would need three more cancellations instead of one, and a large
    group could wait for ever behind small ones. The pages say so (why_waiting)."""
    a, b = uuid4(), uuid4()
    assert domain.placement(10, 6, [5], 2) == "waiting"
    assert domain.waiting_before(10, [5]) == 1
    assert domain.why_waiting(4, 1) == "queue"
    # One place comes free: the 5 moves up first, then the 2 waits for its own.
    assert domain.promotions(10, 5, [(a, 5), (b, 2)]) == [a]
    # No one waiting: a group that fits takes the places; one larger waits for its own.
    assert domain.placement(10, 6, [], 4) == "confirmed"
    assert domain.placement(10, 6, [], 5) == "waiting"
    assert domain.why_waiting(4, 0) == "group"
    assert domain.why_waiting(0, 0) == domain.why_waiting(0, 3) == "full"
    # A group larger than all the places is never waited behind (promotions passes it by).
    assert domain.waiting_before(4, [5, 2, 1]) == 2
    assert domain.waiting_before(None, [50, 2]) == 2


def test_a_group_is_held_to_the_places_there_are() -> None:
    """A tester signed up 3 for 2 places: they waited for ever, and everyone after them."""
    now = datetime(2026, 3, 1, 12, tzinfo=UTC)
    rules = domain.RegistrationRules(status="published", registration_required=True,
                                     starts_at=now + timedelta(days=3), capacity=2)
    assert rules.largest_group == 2
    with pytest.raises(Refusals) as refused:
        domain.check_signup(rules, now, 3, {})
    [seats] = refused.value.each
    assert (seats.field, seats.details["code"], seats.details["max_group"]) == (
        "seats", "seats", 2)
    assert domain.check_signup(rules, now, 2, {}) == {}
    assert replace(rules, capacity=None).largest_group == domain.DEFAULT_MAX_GROUP
    assert replace(rules, capacity=40).largest_group == domain.DEFAULT_MAX_GROUP


def test_what_a_subscription_matches() -> None:
    facts = {"venue_id": "v1", "area": "kuopio.nilsia", "topics": ["crafts", "music"],
             "audiences": ["seniors"], "kind": "open_guided"}
    assert domain.subscription_matches({"topics": ["music"]}, facts)
    assert domain.subscription_matches({"areas": ["kuopio.nilsia"], "audiences": ["seniors"]},
                                       facts)
    assert not domain.subscription_matches({"areas": ["kuopio.nilsia"], "kinds": ["course"]},
                                           facts)
    assert not domain.subscription_matches({"venue_ids": [UUID(int=1)]}, facts)
    with pytest.raises(Invalid):
        domain.check_following({"areas": [], "topics": []})


async def test_double_opt_in_then_weekly_digests_until_unsubscribed() -> None:
    clock = FixedClock(NOW)
    store = FakeNotificationStore(clock)
    uow: FakeUnitOfWork[NotificationStore] = FakeUnitOfWork(store)
    world = World()
    world.clock, world.store, world.uow = clock, store, uow
    await world.account("email")
    event = activity(topics=["crafts"])
    await usecases.plan_activity_event(uow, clock, event, EVENTS_URL, LINKS)
    row = await usecases.subscribe(uow, clock, LINKS, usecases.Following(
        email="k@example.fi", language="en", topics=("crafts",)))
    token = LINKS.token("subscription", row["id"])
    assert await usecases.send_digests(uow, clock, LINKS, EVENTS_URL) == 0  # not confirmed
    await usecases.confirm_subscription(uow, clock, LINKS, token)
    assert await usecases.send_digests(uow, clock, LINKS, EVENTS_URL) == 1
    clock.set(NOW + timedelta(days=3))
    assert await usecases.send_digests(uow, clock, LINKS, EVENTS_URL) == 0  # within the week
    digest = world.deliveries(purpose="subscription_digest")[0]
    assert digest["content"]["headers"]["List-Unsubscribe-Post"] == \
        "List-Unsubscribe=One-Click"
    assert digest["content"]["reach"][0]["activity_event_id"] == str(event.event_id)
    await usecases.unsubscribe(uow, clock, LINKS, token)
    clock.set(NOW + timedelta(days=8))
    assert await usecases.send_digests(uow, clock, LINKS, EVENTS_URL) == 0
    # Unsubscribed long enough ago, the address is forgotten.
    assert await usecases.anonymise_registrations(
        uow, FixedClock(NOW + timedelta(days=40)), 30) == 1
    assert store.subscriptions == {}


async def test_an_address_cannot_be_flooded_with_confirmations(world: World) -> None:
    """The same follow repeated is one subscription whose confirmation is mailed again, each
    mail counted: past the day's few, refused; other choices count with them."""
    await world.account("email")
    follow = usecases.Following(email="target@example.fi", areas=("kuopio.nilsia",))
    for _ in range(domain.FOLLOW_PER_DAY):
        await usecases.subscribe(world.uow, world.clock, LINKS, follow)
        world.clock.advance(timedelta(seconds=1))
    with pytest.raises(TooManyRequests):
        await usecases.subscribe(world.uow, world.clock, LINKS, follow)
    with pytest.raises(TooManyRequests):  # nor another subscription of the address
        await usecases.subscribe(world.uow, world.clock, LINKS,
                                 replace(follow, areas=("kuopio.keskusta",)))
    assert len(world.deliveries(purpose="subscription_confirm")) == domain.FOLLOW_PER_DAY
    assert len(world.store.subscriptions) == 1
    world.clock.set(NOW + timedelta(days=1, minutes=1))
    await usecases.subscribe(world.uow, world.clock, LINKS, follow)
    assert len(world.deliveries(purpose="subscription_confirm")) == domain.FOLLOW_PER_DAY + 1
    assert len(world.store.subscriptions) == 1


async def test_following_again_what_is_followed_mails_its_owner_and_says_nothing(
        world: World) -> None:
    """The form's answer is the same whether or not the address follows these already: its
    owner is mailed, in the subscription's language, with its links, each mail counted in
    the address's day as a confirmation is."""
    await world.account("email")
    row = await usecases.subscribe(world.uow, world.clock, LINKS, usecases.Following(
        email="Oma@Example.fi", language="sv", areas=("kuopio.nilsia",)))
    await usecases.confirm_subscription(world.uow, world.clock, LINKS,
                                        LINKS.token("subscription", row["id"]))
    world.clock.advance(timedelta(seconds=1))
    # Another case of the address, another language asked for: the same address, told in
    # the subscription's own language; no second subscription.
    again = await usecases.subscribe(world.uow, world.clock, LINKS, usecases.Following(
        email="oma@example.FI", language="en", areas=("kuopio.nilsia",)))
    assert again["id"] == row["id"] and len(world.store.subscriptions) == 1
    [known] = world.deliveries(purpose="subscription_known")
    assert known["recipient"] == "Oma@example.fi" and known["language"] == "sv"
    urls = usecases.subscriber_links(LINKS, row["id"], "sv")
    text = known["content"]["text"]
    assert "Du följer redan" in known["content"]["subject"]
    assert urls["prefs"] in text and urls["unsubscribe"] in text
    assert known["content"]["headers"]["List-Unsubscribe"] == f"<{urls['unsubscribe']}>"
    # The day's mails: the confirmation and this one; one more, then refused.
    world.clock.advance(timedelta(seconds=1))
    await usecases.subscribe(world.uow, world.clock, LINKS, usecases.Following(
        email="oma@example.fi", areas=("kuopio.nilsia",)))
    with pytest.raises(TooManyRequests):
        await usecases.subscribe(world.uow, world.clock, LINKS, usecases.Following(
            email="oma@example.fi", areas=("kuopio.nilsia",)))
    assert len(world.deliveries(purpose="subscription_known")) == 2


def test_a_removal_outranks_every_calendar_entry_of_its_revision() -> None:
    import icalendar

    event = activity()
    facts = event.model_dump(mode="json")
    common: dict[str, Any] = {"lang": "fi", "name": "Aino", "where": None,
                              "page_url": "https://x.example/e", "cancel_url": "https://x/c",
                              "registration_id": "r1"}
    moved = reach_text.change_email("rescheduled", facts, facts, revision=2, confirmed=True,
                                    **common)
    gone = reach_text.registration_email("cancelled", facts, seats=1, waiting=None,
                                         revision=2, **common)
    sequences = [int(icalendar.Calendar.from_ical(m.ics).walk("VEVENT")[0]["SEQUENCE"])
                 for m in (moved, gone) if m.ics]
    assert sequences[0] < sequences[1]


@pytest.mark.parametrize(("lang", "said"), [
    ("fi", "Järjestäjän ilmoittama syy: ”Ohjaaja sairastui.”"),
    ("sv", "Orsak enligt arrangören: ”Ohjaaja sairastui.”"),
    ("en", "The organiser's reason: “Ohjaaja sairastui.”"),
])
@pytest.mark.parametrize("change", [ActivityEventCancelled, ActivityEventPostponed])
async def test_a_cancellation_or_postponement_tells_registrants_the_organisers_reason(
        world: World, lang: str, said: str,
        change: type[ActivityEventCancelled | ActivityEventPostponed]) -> None:
    await world.account("email")
    event = await _published(world)
    await usecases.register(world.uow, world.clock, LINKS, EVENTS_URL, usecases.SignUp(
        activity_event_id=event.event_id, name="Aino", email="a@example.fi", language=lang))
    changed = change(**{**event.model_dump(), "revision": 2,
                        "reason": " Ohjaaja sairastui. "})
    await usecases.plan_activity_event(world.uow, world.clock, changed, EVENTS_URL, LINKS)
    [notice] = world.deliveries(purpose="registration_change")
    assert said in notice["content"]["text"].splitlines()


async def test_a_cancellation_without_a_reason_gives_none(world: World) -> None:
    await world.account("email")
    event = await _published(world)
    await _sign(world, event, "a@example.fi")
    cancelled = ActivityEventCancelled(**{**event.model_dump(), "revision": 2})
    await usecases.plan_activity_event(world.uow, world.clock, cancelled, EVENTS_URL, LINKS)
    [notice] = world.deliveries(purpose="registration_change")
    assert "syy" not in notice["content"]["text"].lower()


async def test_registrants_hear_of_a_change_with_one_read_of_the_venues_board(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each registrant's mail says where the activity is in their language, from the venue's
    board read once for all of them, not once per registrant."""
    await world.account("email")
    venue_id = uuid4()
    await usecases.register_venue(world.uow, world.clock, VenueRegistered(
        venue_id=venue_id, name=LocalizedText(fi="Kirjasto KANTTI", sv="Biblioteket KANTTI",
                                              en="KANTTI library"),
        kind="library", area="kuopio.keskusta", municipality="Kuopio"))
    event = await _published(world, capacity=10, venue_id=venue_id)
    for lang in ("fi", "sv", "en", "fi"):
        await usecases.register(world.uow, world.clock, LINKS, EVENTS_URL, usecases.SignUp(
            activity_event_id=event.event_id, name="Aino", email=f"{uuid4().hex}@example.fi",
            language=lang))
    reads: list[UUID] = []
    get_board = world.store.get_board

    async def counted(board_id: UUID) -> Any:
        reads.append(board_id)
        return await get_board(board_id)

    monkeypatch.setattr(world.store, "get_board", counted)
    cancelled = ActivityEventCancelled(**{**event.model_dump(), "revision": 2})
    await usecases.plan_activity_event(world.uow, world.clock, cancelled, EVENTS_URL, LINKS)
    notices = world.deliveries(purpose="registration_change")
    assert sorted(n["language"] for n in notices) == ["en", "fi", "fi", "sv"]
    said = {"fi": "Paikka: Kirjasto KANTTI", "sv": "Plats: Biblioteket KANTTI",
            "en": "Where: KANTTI library"}
    for notice in notices:
        assert said[notice["language"]] in notice["content"]["text"].splitlines()
    assert reads == [domain.board_id_for_venue(venue_id)]


@pytest.mark.parametrize(("lang", "name"), [
    ("fi", "Satutunti"), ("sv", "Sagostund"), ("en", "Story hour")])
def test_the_calendar_entry_is_named_in_the_registrants_language(lang: str, name: str) -> None:
    import icalendar

    facts = {**activity().model_dump(mode="json"),
             "name": {"fi": "Satutunti", "sv": "Sagostund", "en": "Story hour"}}
    common: dict[str, Any] = {"lang": lang, "name": "Aino", "where": None,
                              "page_url": "https://x.example/e", "cancel_url": "https://x/c",
                              "registration_id": "r1", "revision": 1}
    signed = reach_text.registration_email("confirmed", facts, seats=1, waiting=None,
                                           **common)
    moved = reach_text.change_email("rescheduled", facts, facts, confirmed=True, **common)
    for message in (signed, moved):
        assert message.ics is not None
        calendar = icalendar.Calendar.from_ical(message.ics)
        assert str(calendar["X-WR-CALNAME"]) == name
        assert str(calendar.walk("VEVENT")[0]["SUMMARY"]) == name


@pytest.mark.parametrize(("lang", "was", "now"), [
    ("fi", "Aiemmin ilmoitettu aika: ", "Aika: "), ("sv", "Tidigare meddelad tid: ", "Tid: "),
    ("en", "Previously announced time: ", "When: ")])
def test_a_postponement_says_its_time_was_the_earlier_one(lang: str, was: str,
                                                          now: str) -> None:
    """A tester read a postponement's "When: 3 Dec" as the activity's time: it has none now."""
    facts = activity().model_dump(mode="json")
    common: dict[str, Any] = {"lang": lang, "name": "Aino", "where": None,
                              "page_url": "https://x.example/e", "cancel_url": "https://x/c",
                              "registration_id": "r1", "revision": 2, "confirmed": True}
    postponed = reach_text.change_email("postponed", facts, None, **common).text.split("\n")
    assert any(line.startswith(was) for line in postponed)
    assert not any(line.startswith(now) for line in postponed)
    updated = reach_text.change_email("updated", facts, None, **common).text.split("\n")
    assert any(line.startswith(now) for line in updated)
