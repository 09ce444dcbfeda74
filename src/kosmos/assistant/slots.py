"""Appointment slots in plain Python (no framework): which starts of a service are free on
a day, and the free starts nearest to a requested time.

Opening hours are the catalog's JSON ({"mon": [["09:00", "18:30"]], ...}; "24:00" closes
at midnight), read as Europe/Berlin wall times. Starts step from each opening by the
service's slot step; a start fits when the service ends (real elapsed time) by the closing
time. On the spring-forward day the wall times that do not exist are skipped; on the
fall-back day a repeated wall time means its first occurrence. All results are UTC.

A store serves one customer at a time. Its time is cut into 15-minute grid units (`GRID`,
aligned in UTC; Berlin's offsets are whole hours, so the grid is aligned in local time
too): a booking occupies every unit it touches, and a start is free when none of its units
is occupied. The database stores the same units as claims, so what is free here is exactly
what can be booked there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
GRID = timedelta(minutes=15)
MIN_LEAD = timedelta(hours=1)
"""A booking starts at least this long from now."""
CANCEL_CUTOFF = timedelta(hours=24)
"""A booking can be cancelled until this long before its start."""
HORIZON_DAYS = 14
"""How many days before and after the requested day `nearest_free` looks."""

_HHMM = re.compile(r"^([01][0-9]|2[0-4]):([0-5][0-9])$")

Span = tuple[int, int]  # minutes after local midnight: opens, closes (closes may be 1440)
Hours = dict[str, list[Span]]
Busy = Iterable[tuple[datetime, datetime]]


class SlotRuleError(ValueError):
    """Opening hours or a request this module cannot work with."""


def parse_hours(raw: Mapping[str, Any] | None) -> Hours:
    """The catalog's opening hours JSON as minutes per weekday; a missing day is closed."""
    hours: Hours = {}
    for day, spans in (raw or {}).items():
        if day not in WEEKDAYS:
            raise SlotRuleError(f"Unknown weekday {day!r}.")
        out = []
        for span in spans or []:
            if isinstance(span, Mapping):
                span = [span.get("opens"), span.get("closes")]
            if not isinstance(span, list | tuple) or len(span) != 2:
                raise SlotRuleError("An interval is an opening and a closing time.")
            opens, closes = _minutes(span[0]), _minutes(span[1])
            if closes <= opens:
                raise SlotRuleError("Closing time must be after opening time.")
            out.append((opens, closes))
        if out:
            hours[day] = sorted(out)
    return hours


def _minutes(raw: object) -> int:
    match = _HHMM.match(raw.strip()) if isinstance(raw, str) else None
    if match is None or (match.group(1) == "24" and match.group(2) != "00"):
        raise SlotRuleError("Use the form HH:MM, e.g. 08:30.")
    return int(match.group(1)) * 60 + int(match.group(2))


def wall_time(day: date, minute: int) -> datetime | None:
    """The UTC moment of `minute` after midnight of `day` on Berlin's wall clock; None if
    that wall time does not exist (skipped by the switch to summer time)."""
    naive = datetime.combine(day, time()) + timedelta(minutes=minute)
    moment = naive.replace(tzinfo=BERLIN).astimezone(UTC)
    if moment.astimezone(BERLIN).replace(tzinfo=None) != naive:
        return None
    return moment


def candidates(day: date, hours: Hours, *, duration: int, step: int) -> list[datetime]:
    """Every start of a `duration`-minute service on `day` that fits the opening hours."""
    if duration <= 0 or step <= 0:
        raise SlotRuleError("Duration and step must be positive.")
    length = timedelta(minutes=duration)
    out: list[datetime] = []
    for opens, closes in hours.get(WEEKDAYS[day.weekday()], []):
        close = wall_time(day, closes)
        if close is None:  # closing inside the skipped hour: when that hour ends
            close = wall_time(day, (closes // 60 + 1) * 60)
        assert close is not None
        for minute in range(opens, closes, step):
            start = wall_time(day, minute)
            if start is None:
                continue
            if start + length > close:
                break
            out.append(start)
    return out


def units(start: datetime, end: datetime) -> list[datetime]:
    """The grid units (their UTC starts) that the time from `start` to `end` touches."""
    step = int(GRID.total_seconds())
    first = int(start.timestamp()) // step * step
    out = []
    moment = first
    while moment < end.timestamp():
        out.append(datetime.fromtimestamp(moment, UTC))
        moment += step
    return out


def occupied(busy: Busy) -> set[datetime]:
    return {unit for start, end in busy for unit in units(start, end)}


def free_slots(
    day: date, hours: Hours, *, duration: int, step: int, busy: Busy, not_before: datetime
) -> list[datetime]:
    """The free starts on `day` (a Berlin date), at or after `not_before`, in time order."""
    taken = occupied(busy)
    length = timedelta(minutes=duration)
    return [
        start
        for start in candidates(day, hours, duration=duration, step=step)
        if start >= not_before and taken.isdisjoint(units(start, start + length))
    ]


def is_free(
    start: datetime, hours: Hours, *, duration: int, step: int, busy: Busy, not_before: datetime
) -> bool:
    day = start.astimezone(BERLIN).date()
    slots = free_slots(day, hours, duration=duration, step=step, busy=busy, not_before=not_before)
    return start in slots


def nearest_free(
    requested: datetime, hours: Hours, *, duration: int, step: int, busy: Busy,
    not_before: datetime, count: int = 3, horizon_days: int = HORIZON_DAYS,
) -> list[datetime]:  # fmt: skip
    """Up to `count` free starts nearest to `requested`, nearest first (an earlier start
    wins a tie): the requested start itself when it is free."""
    if requested.tzinfo is None:
        raise SlotRuleError("The requested time needs a time zone.")
    taken = list(busy)
    day = requested.astimezone(BERLIN).date()
    found: list[datetime] = []
    for offset in range(-horizon_days, horizon_days + 1):
        found += free_slots(day + timedelta(days=offset), hours, duration=duration, step=step,
                            busy=taken, not_before=not_before)  # fmt: skip
    found.sort(key=lambda s: (abs(s - requested), s))
    return found[:count]


def window(requested: datetime, horizon_days: int = HORIZON_DAYS) -> tuple[datetime, datetime]:
    """The UTC range `nearest_free` may look at (to load the bookings that matter)."""
    margin = timedelta(days=horizon_days + 2)
    return requested - margin, requested + margin


def can_cancel(starts_at: datetime, now: datetime, cutoff: timedelta = CANCEL_CUTOFF) -> bool:
    return now <= starts_at - cutoff
