"""The booking service's HTTP API, one module per resource; `app.py` wires the routers."""

from __future__ import annotations

from fastapi import APIRouter

from services.booking.routes import bookings, calendars, hours, loans, series, venues

# Routes are matched in order, one by one: the organisers' requests, the busiest path, first.
ROUTERS: list[APIRouter] = [bookings.router, venues.router, hours.router, series.router,
                            loans.router, calendars.router]
