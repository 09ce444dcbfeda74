"""Pickup times of a food order: the earliest possible one (now + 30 min,
rounded up to 5 min, while the store is open) and why a said time cannot be one."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from kosmos.assistant import cards
from kosmos.assistant.understanding import short_day
from kosmos.catalog.model import (
    WEEKDAYS,
    CatalogRuleError,
    OpeningHours,
    is_open_at,
    parse_opening_hours,
)
from kosmos.catalog.tables import Store

BERLIN = cards.BERLIN
ASAP_LEAD = timedelta(minutes=30)
"""No time said: the earliest pickup is now + 30 minutes (rounded up to 5), when open."""
MIN_NOTICE = timedelta(minutes=15)
"""A said time must be at least this far ahead (when the card is made and on Confirm)."""
MAX_AHEAD = timedelta(days=7)


def round_up(moment: datetime, minutes: int = 5) -> datetime:
    """Up to the next full `minutes` (19:02:10 -> 19:05; 19:05:00 stays)."""
    whole = moment.replace(second=0, microsecond=0)
    if whole != moment:
        whole += timedelta(minutes=1)
    return whole + timedelta(minutes=-whole.minute % minutes)


def _spans(hours: OpeningHours, day: date) -> list[tuple[datetime, datetime]]:
    out = []
    for interval in hours.get(WEEKDAYS[day.weekday()], ()):
        opens = datetime.combine(day, time(0), BERLIN) + timedelta(minutes=interval.start_minutes)
        closes = datetime.combine(day, time(0), BERLIN) + timedelta(minutes=interval.end_minutes)
        out.append((opens, closes))
    return out


def earliest_pickup(hours: OpeningHours, now: datetime) -> datetime | None:
    """The first time from now + 30 min (rounded up to 5 min) at which the store is open."""
    start = round_up(now + ASAP_LEAD)
    first_day = start.astimezone(BERLIN).date()
    for offset in range(8):
        for opens, closes in _spans(hours, first_day + timedelta(days=offset)):
            candidate = round_up(max(start, opens))
            if candidate < closes:
                return candidate
    return None


def pickup_problem(hours: OpeningHours, pickup: datetime, now: datetime) -> str | None:
    """Why `pickup` cannot be the pickup time: "past", "too_soon", "too_far", "closed"."""
    if pickup <= now:
        return "past"
    if pickup < now + MIN_NOTICE:
        return "too_soon"
    if pickup > now + MAX_AHEAD:
        return "too_far"
    if not is_open_at(hours, pickup):
        return "closed"
    return None


def store_hours(store: Store) -> OpeningHours:
    try:
        return parse_opening_hours(store.opening_hours or {})
    except CatalogRuleError:
        return {}


def time_text(moment: datetime, now: datetime, locale: str) -> str:
    """ "19:00" today, "Mo 23.11., 12:00" on another day (Europe/Berlin)."""
    local = moment.astimezone(BERLIN)
    if local.date() == now.astimezone(BERLIN).date():
        return f"{local:%H:%M}"
    return f"{short_day(local, locale)}, {local:%H:%M}"
