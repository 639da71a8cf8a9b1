"""Venues, their spaces, rules and lendable resources."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any
from uuid import UUID

from services.booking import domain
from services.booking.domain import (
    Resource,
    Space,
    SpaceRules,
    Venue,
    WeeklyHours,
)
from services.booking.store import BookingStore
from services.booking.usecases.common import (
    Uow,
    announce_venue,
    local_day,
    require,
    require_desk,
    run,
    space_or_404,
)
from shared.areas import area_refusals
from shared.clock import Clock
from shared.errors import Invalid, NotFound, flattened, refuse
from shared.identity import Principal


@dataclass(frozen=True)
class VenueView:
    venue: Venue
    spaces: list[Space]
    resources: list[Resource]


async def venue_view(store: BookingStore, venue_id: UUID) -> VenueView:
    """The venue with its spaces and what it lends, in the caller's transaction; NotFound
    when there is no such venue."""
    venue = await store.get_venue(venue_id)
    if venue is None:
        raise NotFound("no such venue", venue_id=str(venue_id))
    return VenueView(venue, await store.list_spaces([venue_id]),
                     await store.list_resources([venue_id]))


def _placed(refusals: Sequence[Invalid], where: str) -> list[Invalid]:
    """`refusals` naming their field within the request (`where`: "spaces.1." for the
    second space of a venue registered with its spaces; "" for a space added alone)."""
    return [Invalid(e.message, f"{where}{e.field}" if e.field else where.rstrip(".") or None,
                    **e.details) for e in flattened(refusals)] if where else list(refusals)


def _venue_refusals(venue: Venue, spaces: Sequence[Space]) -> list[Invalid]:
    """Every rule a venue registered with its spaces breaks, each by its place in the
    request (`area`, `name.fi`, `spaces.1.name.fi`)."""
    refusals = domain.venue_refusals({"area": venue.area, "name": venue.name,
                                      "description": venue.description,
                                      "accessibility": venue.accessibility,
                                      "contact": venue.contact})
    for i, space in enumerate(spaces):
        refusals += _placed(domain.space_refusals(space), f"spaces.{i}.")
    return refusals


async def _add_space(store: BookingStore, space: Space, where: str = "") -> None:
    """Add the space, its rules checked already (`domain.space_refusals`: `_venue_refusals`
    for a venue's, `add_space` for one more); `where`, its place in the request, which a
    refusal names (`_placed`)."""
    if space.parent_id is not None:
        parent = await store.get_space(space.parent_id)
        if parent is None or parent.venue_id != space.venue_id:
            raise Invalid("the parent space must be a space of the same venue",
                          field=f"{where}parent_id", code="parent_space")
    # The same rules of description, equipment and photos as when the desk changes them.
    details = domain.check_space_details(domain.SpaceDetails(
        space.description, space.equipment, space.photos, space.accessibility_features))
    await store.insert_space(replace(
        space, rules=replace(space.rules, paid=space.paid), description=details.description,
        equipment=details.equipment, photos=details.photos,
        accessibility_features=details.accessibility_features))
    if space.parent_id is not None:
        # Bookings of the whole made before the split hold the new part too (same
        # transaction), so neither a booking of the part nor a new one of the whole
        # can take their time.
        await store.claim_new_part(space.id, space.parent_id)


async def register_venue(uow: Uow, clock: Clock, principal: Principal, venue: Venue,
                         spaces: Sequence[Space]) -> VenueView:
    """An admin registers a venue with its spaces (`venue.registered`); every rule its
    details and its spaces break refused at once, each by its place in the request."""
    require(principal, "admin")
    refuse(_venue_refusals(venue, spaces))

    async def work(uow: Uow) -> VenueView:
        await _register(uow, clock, venue, spaces)
        return await venue_view(uow.store, venue.id)

    return await run(uow, work)


async def _register(uow: Uow, clock: Clock, venue: Venue, spaces: Sequence[Space]) -> None:
    await uow.store.insert_venue(replace(
        venue, contact=domain.check_venue_contact(venue.contact),
        accessibility_features=domain.check_features(venue.accessibility_features)))
    for i, space in enumerate(spaces):
        await _add_space(uow.store, replace(space, venue_id=venue.id), f"spaces.{i}.")
    await announce_venue(uow, clock, venue.id, registered=True)


async def load_venue(uow: Uow, clock: Clock, venue: Venue, spaces: Sequence[Space],
                     hours: Sequence[WeeklyHours], lendables: Sequence[Resource] = ()) -> bool:
    """Reference data (the demo's libraries): the venue when it is not there yet, its weekly
    hours where none are set, what it lends where it lends nothing yet; True when the venue
    was added."""
    refuse(_venue_refusals(venue, spaces))
    for resource in lendables:
        domain.check_resource(resource)

    async def work(uow: Uow) -> bool:
        added = await uow.store.get_venue(venue.id) is None
        if added:
            await _register(uow, clock, venue, spaces)
        changed = False
        if not await uow.store.has_weekly_hours(venue.id):
            await uow.store.replace_weekly_hours(venue.id, None, hours)
            changed = True
        if lendables and not await uow.store.venue_resources(venue.id):
            for resource in lendables:
                await uow.store.insert_resource(replace(resource, venue_id=venue.id))
            changed = True
        if changed:
            await announce_venue(uow, clock, venue.id, registered=False)
        return added

    return await run(uow, work)


async def list_venues(uow: Uow, area: str | None, kind: str | None) -> list[VenueView]:
    """The venues, of an area (one of Kuopio's, else `unknown_area`) and a kind if asked."""
    refuse(area_refusals([area] if area else [], "area"))

    async def work(uow: Uow) -> list[VenueView]:
        venues = await uow.store.list_venues(area, kind)
        ids = [v.id for v in venues]
        spaces = await uow.store.list_spaces(ids)
        resources = await uow.store.list_resources(ids)
        return [VenueView(v, [s for s in spaces if s.venue_id == v.id],
                          [r for r in resources if r.venue_id == v.id]) for v in venues]

    return await run(uow, work)


async def get_venue(uow: Uow, venue_id: UUID) -> VenueView:
    async def work(uow: Uow) -> VenueView:
        return await venue_view(uow.store, venue_id)

    return await run(uow, work)


async def update_venue(uow: Uow, clock: Clock, principal: Principal, venue_id: UUID,
                       changes: dict[str, Any]) -> VenueView:
    """Change a venue's details; other services hear it as `venue.updated`."""
    require_desk(principal, venue_id)
    if not changes:
        raise Invalid("nothing to change", field=None)
    refuse(domain.venue_refusals(changes))
    if "accessibility_features" in changes:
        changes = {**changes, "accessibility_features": list(domain.check_features(
            changes["accessibility_features"] or ()))}
    if "contact" in changes:
        changes = {**changes, "contact": domain.check_venue_contact(changes["contact"])}

    async def work(uow: Uow) -> VenueView:
        if await uow.store.get_venue(venue_id, for_update=True) is None:
            raise NotFound("no such venue", venue_id=str(venue_id))
        await uow.store.update_venue(venue_id, changes, clock.now())
        await uow.publish(await uow.store.venue_event(venue_id, registered=False,
                                                      today=local_day(clock.now())))
        return await venue_view(uow.store, venue_id)

    return await run(uow, work)


async def add_space(uow: Uow, clock: Clock, principal: Principal, space: Space) -> VenueView:
    require_desk(principal, space.venue_id)

    async def work(uow: Uow) -> VenueView:
        if space.parent_id is not None:
            # The whole's bookings first (a decision or a move locks its booking, then
            # writes claims: the same order). Then the claims: a booking being placed
            # meanwhile sees the part or is seen when it is added (`_add_space`); before
            # the venue's row, which a booking's insert waits for (its foreign key) while
            # holding its own lock on the claims.
            await uow.store.lock_bookings_above(space.parent_id)
            await uow.store.lock_claims()
        if await uow.store.get_venue(space.venue_id, for_update=True) is None:
            raise NotFound("no such venue", venue_id=str(space.venue_id))
        refuse(domain.space_refusals(space))
        await _add_space(uow.store, space)
        await announce_venue(uow, clock, space.venue_id, registered=False)
        return await venue_view(uow.store, space.venue_id)

    return await run(uow, work)


async def set_space_rules(uow: Uow, clock: Clock, principal: Principal, space_id: UUID,
                          rules: SpaceRules) -> Space:
    """The space's rules; a rental price changed, whether it is rented at all, or whether it
    is bookable beyond staffed hours, is part of what other services know of the venue (the
    guide quotes prices, metrics counts the hours a space could be booked), so the venue is
    announced then."""
    domain.check_space_rules(rules)

    async def work(uow: Uow) -> Space:
        space = await space_or_404(uow.store, space_id)
        require_desk(principal, space.venue_id)
        await uow.store.set_space_rules(space_id, rules)
        changed = await space_or_404(uow.store, space_id)
        told = (changed.rental_price, changed.rented, changed.beyond_staffed_hours)
        if told != (space.rental_price, space.rented, space.beyond_staffed_hours):
            await announce_venue(uow, clock, space.venue_id, registered=False)
        return changed

    return await run(uow, work)


async def add_resource(uow: Uow, clock: Clock, principal: Principal, resource: Resource
                       ) -> Resource:
    """Something the venue lends; other services hear it in `venue.updated` (the guide tells
    residents what the venue lends)."""
    require_desk(principal, resource.venue_id)
    domain.check_resource(resource)

    async def work(uow: Uow) -> Resource:
        # The venue's row first, as every change that announces the venue: two desks adding
        # at once announce one after the other, each with what the other added.
        if await uow.store.get_venue(resource.venue_id, for_update=True) is None:
            raise NotFound("no such venue", venue_id=str(resource.venue_id))
        await uow.store.insert_resource(resource)
        await announce_venue(uow, clock, resource.venue_id, registered=False)
        return resource

    return await run(uow, work)


async def set_space_details(uow: Uow, principal: Principal, space_id: UUID,
                            details: domain.SpaceDetails) -> Space:
    """A space's description, equipment and photos, as its venue's desk sets them (the API's
    `PUT /spaces/{id}/details` and the desk's spaces page): refused naming the field."""
    checked = domain.check_space_details(details)

    async def work(uow: Uow) -> Space:
        space = await space_or_404(uow.store, space_id)
        require_desk(principal, space.venue_id)
        await uow.store.set_space_details(space_id, checked.description, checked.equipment,
                                          checked.photos, checked.accessibility_features)
        return await space_or_404(uow.store, space_id)

    return await run(uow, work)
