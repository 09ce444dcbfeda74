"""Pickup times of an order ahead: the earliest possible one (now + 30 min, rounded up to
5 min, while the store is open), why a chosen time cannot be one, and the times the
order-ahead page offers (every 15 minutes while open, up to two days ahead)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from kosmos.catalog.model import (
    WEEKDAYS,
    CatalogRuleError,
    OpeningHours,
    is_open_at,
    parse_opening_hours,
)
from kosmos.catalog.tables import Store
from kosmos.clock import BERLIN

ASAP_LEAD = timedelta(minutes=30)
"""No time said: the earliest pickup is now + 30 minutes (rounded up to 5), when open."""
MIN_NOTICE = timedelta(minutes=15)
"""A chosen time must be at least this far ahead (when offered and when paying)."""
MAX_AHEAD = timedelta(days=7)
CHOICE_STEP = 15
CHOICE_DAYS = 2

PICKUP_PROBLEMS = {
    "past": "The pickup time has passed. Please order again.",
    "too_soon": "The pickup time is too close now. Please order again for later.",
    "too_far": "Orders go at most 7 days ahead.",
    "closed": "The restaurant is closed at the pickup time. Please order again.",
}
"""Why paying refuses a pickup time (English msgids)."""


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


def pickup_choices(hours: OpeningHours, now: datetime) -> list[datetime]:
    """Every 15 minutes from the earliest pickup while open, today and tomorrow."""
    first = earliest_pickup(hours, now)
    if first is None:
        return []
    out: list[datetime] = []
    day = first.astimezone(BERLIN).date()
    for offset in range(CHOICE_DAYS):
        for opens, closes in _spans(hours, day + timedelta(days=offset)):
            moment = round_up(max(first, opens), CHOICE_STEP)
            while moment < closes:
                if pickup_problem(hours, moment, now) is None:
                    out.append(moment)
                moment += timedelta(minutes=CHOICE_STEP)
    return out


def store_hours(store: Store) -> OpeningHours:
    try:
        return parse_opening_hours(store.opening_hours or {})
    except CatalogRuleError:
        return {}
