"""What every clause reader shares: the reading context, the intent type and small text
helpers that keep character positions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

Intent = dict[str, Any]


@dataclass(frozen=True)
class Context:
    now: datetime
    zone: ZoneInfo
    locale: str
    members: tuple[str, ...]

    @property
    def english(self) -> bool:
        return self.locale == "en"


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def without(text: str, spans: tuple[tuple[int, int], ...] | list[tuple[int, int]]) -> str:
    """`text` with the spans blanked out (positions kept)."""
    chars = list(text)
    for start, end in spans:
        for i in range(max(start, 0), min(end, len(chars))):
            chars[i] = " "
    return "".join(chars)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def names_pattern(ctx: Context) -> str:
    return "|".join(re.escape(m) for m in sorted(ctx.members, key=len, reverse=True)) or "(?!)"


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text
