"""Demo activity for the local run: a family nature walk in Väinölänniemi park that needs
registration (12 places), published by the demo organiser, so a new user can sign up on the
notifications service's page, see the confirmation at the fake platforms and the list of
participants as its organiser. SAMPLE data; loading twice changes nothing.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime, time, timedelta
from uuid import NAMESPACE_URL, UUID, uuid5

from services.events import usecases
from shared.clock import HELSINKI, SYSTEM_CLOCK, Clock
from shared.db import create_pool, migrate
from shared.errors import NotFound
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


async def load_demo(make: Callable[[], usecases.Uow], clock: Clock = SYSTEM_CLOCK) -> UUID:
    """Create and publish the demo activity (`make` gives a unit of work), unless it exists."""
    try:
        await usecases.get_event(make(), DEMO_ORGANISER, NATURE_WALK)
        return NATURE_WALK
    except NotFound:
        pass
    await usecases.create_event(make(), clock, DEMO_ORGANISER, nature_walk(clock.now()))
    row = await usecases.publish_event(make(), clock, DEMO_ORGANISER, NATURE_WALK)
    if row["status"] == "awaiting_approval":
        await usecases.approve_event(make(), clock, DEMO_COMMUNICATIONS, NATURE_WALK)
    return NATURE_WALK


async def _main() -> None:
    pool = await create_pool(ServiceSettings(service="events").dsn, 1, 2)
    try:
        async with pool.acquire() as conn:
            await migrate(conn, "events")
        event_id = await load_demo(lambda: usecases.unit_of_work(pool))
    finally:
        await pool.close()
    print(f"[demo] events: a published activity that needs registration ({event_id})",
          file=sys.stderr)
