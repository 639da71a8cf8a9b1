"""The guide's own settings, from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache

from services.guide.domain import Links, StaffHours


@dataclass(frozen=True)
class GuideSettings:
    links: Links
    staff_hours: StaffHours
    retention_days: int
    job_interval: float

    @classmethod
    def from_env(cls) -> GuideSettings:
        env = os.environ.get
        return cls(
            links=Links(
                events=env("KOHTAAMO_PUBLIC_EVENTS_URL", "http://127.0.0.1:8002").rstrip("/"),
                booking=env("KOHTAAMO_PUBLIC_BOOKING_URL", "http://127.0.0.1:8001").rstrip("/")),
            staff_hours=StaffHours.parse(env("KOHTAAMO_GUIDE_STAFF_HOURS", "1-5 09:00-16:00")),
            retention_days=max(1, int(env("KOHTAAMO_GUIDE_RETENTION_DAYS", "30"))),
            job_interval=float(env("KOHTAAMO_GUIDE_JOB_INTERVAL", "3600")))


@lru_cache(maxsize=1)
def settings() -> GuideSettings:
    """The settings, read once per process: the HTTP edge, the pages and the jobs share them."""
    return GuideSettings.from_env()
