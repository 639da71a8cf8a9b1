"""Demo data: Kuopio's libraries from the resident activity model (seed 001, section 6).

Areas follow the seed's division: the city (centre, Neulamäki, Puijonlaakso, Jynkkä, Pyörö),
the rural north (Juankoski, Nilsiä, Maaninka) and the rural south (Riistavesi, Vehmersalmi,
Karttula). KANTTI's spaces are the ones the seed lists. The seed gives no capacities, prices
or opening hours, so those are SAMPLE values (a branch library's "group room" too), to be
replaced by the desk. Ids are derived from names, so loading twice changes nothing.

What the libraries lend follows the seed's "välineiden lainaus" (sports equipment and games
to take home, season cards); the items and how many are SAMPLE values, as the hours are.

Every library closes on the public holidays of this year and the next (`shared.holidays`),
through the desk's own use case, once a year for each library (`unless_done`): a day the
desk has given an exception of its own keeps it, a holiday the desk opened since stays
open, and a start in a new year closes the year after it.

No accessibility features (migration 008) are marked: the seed says nothing of entrances,
lifts, toilets, induction loops or parking, and a feature listed means it is known to be
there, so they are left unknown for the desk to fill in (`/desk/spaces`, `PATCH /venues`).

No street addresses either: the seeds name the libraries but give no address of any, and a
guessed one would send a resident to the wrong door; the city adds them (`PATCH /venues`).
"""

from __future__ import annotations

import asyncio
import sys
from datetime import time
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from services.booking import usecases
from services.booking.domain import Resource, WeeklyHours
from services.booking.schemas import SpaceIn, Text, VenueIn
from services.booking.store import BookingStore
from services.booking.usecases.common import local_day
from shared.areas import KUOPIO_LIBRARIES as LIBRARIES
from shared.clock import SYSTEM_CLOCK, Clock
from shared.db import create_pool, migrate
from shared.identity import Principal
from shared.settings import ServiceSettings
from shared.uow import PgUnitOfWork


def demo_id(*parts: str) -> UUID:
    return uuid5(NAMESPACE_URL, "https://kohtaamo.example/demo/" + "/".join(parts))


def _t(fi: str, sv: str, en: str) -> dict[str, str]:
    return {"fi": fi, "sv": sv, "en": en}


KANTTI_SPACES: list[dict[str, Any]] = [
    {"key": "children-workshop", "name": _t("Lastenosaston työpajatila",
     "Barnavdelningens verkstadsrum", "Children's section workshop room"), "capacity": 20},
    {"key": "children-stage", "name": _t("Lastenosaston lava", "Barnavdelningens scen",
     "Children's section stage"), "capacity": 60},
    {"key": "children-pedagogical", "name": _t("Lastenosaston pedagoginen tila",
     "Barnavdelningens pedagogiska rum", "Children's section pedagogical room"),
     "capacity": 25, "equipment": ["projector", "screen"]},
    {"key": "adults-stage", "name": _t("Aikuistenosaston lava", "Vuxenavdelningens scen",
     "Adults' section stage"), "capacity": 100, "equipment": ["sound_system"], "paid": True,
     "rules": {"price_per_hour": "60.00"}},
    {"key": "kohtaamo", "name": _t("Kohtaamo", "Kohtaamo", "Kohtaamo meeting place"),
     "capacity": 30},
    {"key": "meeting-hall", "name": _t("Kokoussali", "Mötessal", "Meeting hall"),
     "capacity": 40, "equipment": ["projector", "screen"], "paid": True,
     "rules": {"price_per_hour": "30.00"}},
    {"key": "quiet-group-room", "name": _t("Hiljainen ryhmätila", "Tyst grupprum",
     "Quiet group room"), "capacity": 8, "paid": True, "rules": {"price_per_hour": "15.00"}},
]


BRANCH_SPACE = {"key": "group-room", "name": _t("Ryhmätila", "Grupprum", "Group room"),
                "capacity": 12, "rules": {"self_service": True}}

# SAMPLE opening hours (ISO weekday, opens, closes, kind): staffed hours, and for branch
# libraries the self-service library (omatoimikirjasto) from early morning to late evening.
KANTTI_HOURS = [(d, time(9), time(20), "staffed") for d in range(1, 6)] + [
    (6, time(10), time(16), "staffed")]
BRANCH_HOURS = [(d, time(12), time(19), "staffed") for d in range(1, 5)] + [
    (5, time(10), time(16), "staffed")] + [(d, time(7), time(21), "self_service")
                                           for d in range(1, 8)]


# SAMPLE lendables (seed 001: "Kirjastolla on lainattavissa koteihin liikuntavälineitä, pelejä,
# kausikortteja"): (key, name, how many at KANTTI, how many at a branch library; 0: none).
LENDABLES = [
    ("board-games", _t("Lautapelit", "Sällskapsspel", "Board games"), 30, 10),
    ("sports-equipment", _t("Liikuntavälineet", "Motionsredskap", "Sports equipment"), 20, 6),
    ("snowshoes", _t("Lumikengät", "Snöskor", "Snowshoes"), 8, 0),
    ("season-cards", _t("Kausikortit", "Säsongskort", "Season cards"), 5, 0),
]


def demo_lendables(key: str) -> list[Resource]:
    """What the library `key` lends (its venue's id is set when it is loaded)."""
    return [Resource(id=demo_id("resource", key, item), venue_id=demo_id("venue", key),
                     name=name, quantity=kantti if key == "kantti" else branch)
            for item, name, kantti, branch in LENDABLES if (kantti if key == "kantti" else branch)]


def demo_venues() -> list[tuple[UUID, VenueIn, list[UUID]]]:
    venues = []
    for key, fi, sv, en, area in LIBRARIES:
        spaces = KANTTI_SPACES if key == "kantti" else [BRANCH_SPACE]
        body = VenueIn(
            name=Text(**_t(fi, sv, en)),
            kind="library",
            area=area,
            municipality="Kuopio",
            has_paid_space=key == "kantti",
            spaces=[SpaceIn(**{k: v for k, v in s.items() if k != "key"}) for s in spaces],
        )
        venues.append((demo_id("venue", key), body,
                       [demo_id("space", key, str(s["key"])) for s in spaces]))
    return venues


async def load_demo(uow: usecases.Uow, clock: Clock = SYSTEM_CLOCK) -> int:
    """Register the demo venues that are not there yet, their hours where none are set, and
    close each library on the coming public holidays of this year and the next, each year
    once (a library loaded before holidays were closed so is closed on the next start);
    return how many venues were added. Each venue is one use case (one transaction), each
    year's holidays another."""
    added = 0
    keys = [key for key, *_ in LIBRARIES]
    years = usecases.holiday_years(local_day(clock.now()))
    for key, (venue_id, body, space_ids) in zip(keys, demo_venues(), strict=True):
        hours = KANTTI_HOURS if key == "kantti" else BRANCH_HOURS
        if await usecases.load_venue(
                uow, clock, body.to_venue(venue_id),
                [s.to_space(venue_id, i) for s, i in zip(body.spaces, space_ids, strict=True)],
                [WeeklyHours(*h) for h in hours], demo_lendables(key)):
            added += 1
        # As the library's desk would: the same rule (a day's own exception wins).
        desk = Principal("demo-loader", frozenset({"desk"}), frozenset({venue_id}), "Demo")
        for year in years:
            await usecases.close_on_public_holidays(uow, clock, desk, venue_id, year,
                                                    unless_done=True)
    return added


async def _main() -> None:
    settings = ServiceSettings(service="booking")
    pool = await create_pool(settings.dsn, 1, 2)
    try:
        async with pool.acquire() as conn:
            await migrate(conn, "booking")
        added = await load_demo(PgUnitOfWork(pool, BookingStore))
    finally:
        await pool.close()
    print(f"[demo] Kuopio libraries: {added} added, {len(LIBRARIES) - added} already there",
          file=sys.stderr)


if __name__ == "__main__":
    asyncio.run(_main())
