"""Venues, their spaces, rules and lendable resources."""

from __future__ import annotations

from uuid import UUID, uuid4

from fastapi import APIRouter, status

from services.booking import usecases
from services.booking.deps import Uow
from services.booking.domain import Resource
from services.booking.schemas import (
    Area,
    ResourceIn,
    ResourceOut,
    SpaceDetailsIn,
    SpaceIn,
    SpaceOut,
    SpaceRulesIn,
    VenueIn,
    VenueOut,
    VenuePatch,
)
from shared.auth import SignedIn
from shared.contracts import VenueKind
from shared.service import CurrentClock

router = APIRouter(tags=["venues"])


@router.post("/venues", status_code=status.HTTP_201_CREATED)
async def register_venue(body: VenueIn, uow: Uow, clock: CurrentClock,
                         principal: SignedIn) -> VenueOut:
    venue = body.to_venue()
    return VenueOut.of(await usecases.register_venue(
        uow, clock, principal, venue, [s.to_space(venue.id) for s in body.spaces]))


@router.get("/venues")
async def list_venues(uow: Uow, area: Area | None = None,
                      kind: VenueKind | None = None) -> list[VenueOut]:
    return [VenueOut.of(v) for v in await usecases.list_venues(uow, area, kind)]


@router.get("/venues/{venue_id}")
async def get_venue(venue_id: UUID, uow: Uow) -> VenueOut:
    return VenueOut.of(await usecases.get_venue(uow, venue_id))


@router.patch("/venues/{venue_id}")
async def update_venue(venue_id: UUID, body: VenuePatch, uow: Uow, clock: CurrentClock,
                       principal: SignedIn) -> VenueOut:
    """Change a venue's details; other services hear it as `venue.updated`."""
    return VenueOut.of(await usecases.update_venue(uow, clock, principal, venue_id,
                                                   body.changes()))


@router.post("/venues/{venue_id}/spaces", status_code=status.HTTP_201_CREATED)
async def add_space(venue_id: UUID, body: SpaceIn, uow: Uow, clock: CurrentClock,
                    principal: SignedIn) -> VenueOut:
    return VenueOut.of(await usecases.add_space(uow, clock, principal,
                                                body.to_space(venue_id)))


@router.put("/spaces/{space_id}/rules")
async def set_space_rules(space_id: UUID, body: SpaceRulesIn, uow: Uow, clock: CurrentClock,
                          principal: SignedIn) -> SpaceOut:
    return SpaceOut.of(await usecases.set_space_rules(uow, clock, principal, space_id,
                                                      body.to_rules()))


@router.put("/spaces/{space_id}/details")
async def set_space_details(space_id: UUID, body: SpaceDetailsIn, uow: Uow,
                            principal: SignedIn) -> SpaceOut:
    """The space's description, equipment and photos (each photo an https address with its
    alternative text, Finnish at least), replacing what it had: the venue's desk only."""
    return SpaceOut.of(await usecases.set_space_details(uow, principal, space_id,
                                                        body.to_details()))


@router.post("/venues/{venue_id}/resources", status_code=status.HTTP_201_CREATED)
async def add_resource(venue_id: UUID, body: ResourceIn, uow: Uow, clock: CurrentClock,
                       principal: SignedIn) -> ResourceOut:
    return ResourceOut.of(await usecases.add_resource(uow, clock, principal, Resource(
        id=uuid4(), venue_id=venue_id, name=body.name.model_dump(), quantity=body.quantity)))
