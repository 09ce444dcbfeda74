"""Injectable clock: code asks the clock, tests set it. Always timezone-aware."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")


class Clock:
    """Wall clock in UTC. Tests use FrozenClock instead of sleeping."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FrozenClock(Clock):
    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FrozenClock needs a timezone-aware datetime")
        self._at = at.astimezone(UTC)

    def now(self) -> datetime:
        return self._at

    def advance(self, **kwargs: float) -> None:
        self._at += timedelta(**kwargs)


_clock: Clock = Clock()


def now() -> datetime:
    return _clock.now()


def set_clock(clock: Clock) -> None:
    global _clock
    _clock = clock


def to_local(moment: datetime, tz: ZoneInfo = BERLIN) -> datetime:
    """UTC is stored; Europe/Berlin is shown."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return moment.astimezone(tz)
