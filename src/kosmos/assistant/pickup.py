"""Pickup times as the chat says them. The rules (earliest pickup, why a time cannot be
one) belong to the restaurants' order ahead (`kosmos.places.dining.pickup`)."""

from __future__ import annotations

from datetime import datetime

from kosmos.assistant import cards
from kosmos.assistant.understanding import short_day
from kosmos.places.dining.pickup import (
    ASAP_LEAD,
    MAX_AHEAD,
    MIN_NOTICE,
    earliest_pickup,
    pickup_problem,
    round_up,
    store_hours,
)

__all__ = [
    "ASAP_LEAD", "MAX_AHEAD", "MIN_NOTICE", "earliest_pickup", "pickup_problem", "round_up",
    "store_hours", "time_text",
]  # fmt: skip

BERLIN = cards.BERLIN


def time_text(moment: datetime, now: datetime, locale: str) -> str:
    """ "19:00" today, "Mo 23.11., 12:00" on another day (Europe/Berlin)."""
    local = moment.astimezone(BERLIN)
    if local.date() == now.astimezone(BERLIN).date():
        return f"{local:%H:%M}"
    return f"{short_day(local, locale)}, {local:%H:%M}"
