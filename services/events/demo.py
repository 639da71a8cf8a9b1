"""Demo activities for the local run, published by the demo organiser: a family nature walk
in Väinölänniemi park that needs registration (12 places), so a new user can sign up on the
notifications service's page, see the confirmation at the fake platforms and the list of
participants as its organiser; and open digital help in KANTTI's Kohtaamo space, so KANTTI's
notice board screen shows an activity from the start. SAMPLE data; loading twice changes
nothing.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from datetime import datetime, time, timedelta
from uuid import NAMESPACE_URL, UUID, uuid5

from services.events import usecases
from shared.clock import HELSINKI, SYSTEM_CLOCK, Clock
from shared.db import create_pool, migrate
from shared.errors import Invalid, NotFound
from shared.identity import Principal
from shared.settings import ServiceSettings

#: The organiser of the demo's activity: the organiser whose token `./kohtaamo up` prints.
DEMO_ORGANISER = Principal(subject="demo-organiser", roles=frozenset({"organiser"}),
                           name="Demo Organiser")


def demo_id(*parts: str) -> UUID:
    return uuid5(NAMESPACE_URL, "https://kohtaamo.example/demo/events/" + "/".join(parts))


#: Communications staff who approve it: outdoors and without a booking, the organiser's
#: activity waits in the area's approval queue (issue #14).
DEMO_COMMUNICATIONS = Principal(subject="demo-communications",
                                roles=frozenset({"communications"}), name="Demo Viestintä")

NATURE_WALK = demo_id("event", "nature-walk")
DIGITAL_HELP = demo_id("event", "kantti-digital-help")
#: KANTTI and its Kohtaamo space as the booking service's demo names them (its `demo_id`):
#: this service knows the venue only from the booking service's venue.registered.
KANTTI = uuid5(NAMESPACE_URL, "https://kohtaamo.example/demo/venue/kantti")
KANTTI_KOHTAAMO = uuid5(NAMESPACE_URL, "https://kohtaamo.example/demo/space/kantti/kohtaamo")


def nature_walk(now: datetime) -> dict[str, object]:
    """Next Saturday 10–12 in Helsinki (at least two days away)."""
    day = now.astimezone(HELSINKI).date() + timedelta(days=2)
    day += timedelta(days=(5 - day.weekday()) % 7)
    starts = datetime.combine(day, time(10), tzinfo=HELSINKI)
    return {
        "id": NATURE_WALK,
        "name": {"fi": "Perheiden luontoretki Väinölänniemellä (SAMPLE)",
                 "sv": "Naturvandring för familjer på Väinölänniemi (SAMPLE)",
                 "en": "Family nature walk in Väinölänniemi (SAMPLE)"},
        "short_description": {"fi": "Opastettu retki lapsiperheille. Ilmoittaudu, paikkoja 12.",
                              "sv": "Guidad vandring för barnfamiljer. Anmäl dig, 12 platser.",
                              "en": "A guided walk for families. Sign up, 12 places."},
        "starts_at": starts, "ends_at": starts + timedelta(hours=2), "kind": "open_guided",
        "place_kind": "outdoors", "area": "kuopio.keskusta",
        "place_name": {"fi": "Väinölänniemen puisto", "sv": "Väinölänniemi park",
                       "en": "Väinölänniemi park"},
        "topics": ["nature"], "audiences": ["families", "children"],
        "languages": ["fi", "sv", "en"], "free": True, "registration_required": True,
        "capacity": 12,
    }


def digital_help(now: datetime) -> dict[str, object]:
    """Open guided digital help (seed 001: the libraries' digital help, "digiauttaminen") in
    KANTTI's Kohtaamo space, the next weekday 13–15 in Helsinki at least a day away."""
    day = now.astimezone(HELSINKI).date() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    starts = datetime.combine(day, time(13), tzinfo=HELSINKI)
    return {
        "id": DIGITAL_HELP,
        "name": {"fi": "Digiopastus KANTTIssa (SAMPLE)", "sv": "Digihjälp på KANTTI (SAMPLE)",
                 "en": "Digital help at KANTTI (SAMPLE)"},
        "short_description": {
            "fi": "Apua puhelimen, tabletin ja tietokoneen käyttöön. Tule, kun ehdit.",
            "sv": "Hjälp med telefon, surfplatta och dator. Kom när det passar dig.",
            "en": "Help with your phone, tablet and computer. Drop in any time."},
        "starts_at": starts, "ends_at": starts + timedelta(hours=2), "kind": "open_guided",
        "place_kind": "venue", "venue_id": KANTTI, "space_id": KANTTI_KOHTAAMO,
        "topics": ["digital_skills"], "audiences": ["seniors", "everyone"],
        "languages": ["fi", "en"], "free": True,
    }


async def _publish(make: Callable[[], usecases.Uow], clock: Clock, event_id: UUID,
                   fields: dict[str, object]) -> None:
    """Created, published and approved, each its own unit of work: a load that stopped
    between them is carried on from where it stopped."""
    try:
        row = await usecases.get_event(make(), DEMO_ORGANISER, event_id)
    except NotFound:
        row = await usecases.create_event(make(), clock, DEMO_ORGANISER, fields)
    if row["status"] == "draft":
        row = await usecases.publish_event(make(), clock, DEMO_ORGANISER, event_id)
    if row["status"] == "awaiting_approval":
        await usecases.approve_event(make(), clock, DEMO_COMMUNICATIONS, event_id)


async def load_demo(make: Callable[[], usecases.Uow], clock: Clock = SYSTEM_CLOCK, *,
                    venue_wait: float = 60.0) -> list[UUID]:
    """Create and publish the demo activities (`make` gives a unit of work), unless they
    exist; the ids of those published. KANTTI reaches this service over Kafka from the
    booking service's demo, loaded just before: until it has, its activity is refused as at
    an unknown venue, so it is tried again for `venue_wait` seconds, then left out with a
    word on stderr."""
    await _publish(make, clock, NATURE_WALK, nature_walk(clock.now()))
    loop = asyncio.get_running_loop()
    give_up = loop.time() + venue_wait
    while True:
        try:
            await _publish(make, clock, DIGITAL_HELP, digital_help(clock.now()))
            return [NATURE_WALK, DIGITAL_HELP]
        except Invalid as error:
            if error.field != "venue_id":
                raise
            if loop.time() >= give_up:
                print("[demo] events: KANTTI is not known yet (is the booking service's demo"
                      " loaded?); its digital help was left out", file=sys.stderr)
                return [NATURE_WALK]
            await asyncio.sleep(0.5)


async def _main() -> None:
    pool = await create_pool(ServiceSettings(service="events").dsn, 1, 2)
    try:
        async with pool.acquire() as conn:
            await migrate(conn, "events")
        published = await load_demo(lambda: usecases.unit_of_work(pool))
    finally:
        await pool.close()
    print(f"[demo] events: a published activity that needs registration ({NATURE_WALK})"
          + (", and digital help at KANTTI" if DIGITAL_HELP in published else ""),
          file=sys.stderr)
