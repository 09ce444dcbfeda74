"""What every clause reader shares: the reading context, the intent type and small text
helpers that keep character positions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
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
    return _names_alternation(ctx.members)


@lru_cache(maxsize=1024)
def _names_alternation(members: tuple[str, ...]) -> str:
    return "|".join(re.escape(m) for m in sorted(members, key=len, reverse=True)) or "(?!)"


def with_names(template: str, ctx: Context) -> re.Pattern[str]:
    """`template` with its `{names}` filled by the chat's members, compiled once per chat.
    (Left to `re`'s own cache of 512, a few hundred chats' patterns push everything out of
    it, and every message then compiles its patterns again.)"""
    return _compiled_with_names(template, names_pattern(ctx))


@lru_cache(maxsize=2048)
def _compiled_with_names(template: str, names: str) -> re.Pattern[str]:
    return re.compile(template.replace("{names}", names))


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text
