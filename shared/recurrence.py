"""Recurring times, the same for bookings and activity events: weekly at the same local
wall-clock time in Helsinki, whatever daylight saving time does in between."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from shared.errors import Invalid

HELSINKI = ZoneInfo("Europe/Helsinki")


#: How many weeks apart a series' occurrences may be: every week up to every fourth.
EVERY_WEEKS = (1, 2, 3, 4)


def weekly_occurrences(starts_at: datetime, ends_at: datetime, *, until: date | None = None,
                       count: int | None = None, every: int = 1,
                       limit: int = 60) -> list[tuple[datetime, datetime]]:
    """Occurrences every `every` weeks by end date (inclusive) or count, at most `limit`."""
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise Invalid("times must carry a time zone offset", field="starts_at")
    if ends_at <= starts_at:
        raise Invalid("it must end after it starts", field="ends_at")
    if until is None and count is None:
        raise Invalid("a series needs an end date or a number of occurrences", field="repeat",
                      code="series_end")
    if every not in EVERY_WEEKS:
        raise Invalid("a series repeats every 1 to 4 weeks", field="repeat.every",
                      code="series_every", low=EVERY_WEEKS[0], high=EVERY_WEEKS[-1])
    n = min(count or limit, limit)
    local_start = starts_at.astimezone(HELSINKI)
    length = ends_at - starts_at
    result = []
    for week in range(n):
        day = local_start.date() + timedelta(weeks=week * every)
        if until is not None and day > until:
            break
        start = datetime.combine(day, local_start.time(), tzinfo=HELSINKI)
        result.append((start, start + length))
    if not result:
        raise Invalid("the series has no occurrences before its end date", field="repeat.until",
                      code="series_empty")
    return result
