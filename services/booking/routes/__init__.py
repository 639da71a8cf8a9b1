"""The booking service's HTTP API, one module per resource; `app.py` wires the routers."""

from __future__ import annotations

from fastapi import APIRouter

from services.booking.routes import bookings, calendars, hours, loans, series, venues

ROUTERS: list[APIRouter] = [venues.router, hours.router, bookings.router, series.router,
                            loans.router, calendars.router]
