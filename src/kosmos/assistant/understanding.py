"""`understand(text, now=...)`: one chat message in, the intents it carries out.

Pure: no database, no network, no clock of its own. The JSON form and every default are
written down in docs/assistant-understanding.md."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from kosmos.assistant.clauses import detect_locale, normalize, split_clauses
from kosmos.assistant.grammar import Context, Intent, read_clause, time_of

MAX_LENGTH = 2000  # longer messages are read up to here
_WEEKDAY_SHORT = {"de": ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"],
                  "en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]}  # fmt: skip
_MONTH_SHORT_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                   "Dec"]  # fmt: skip


@dataclass(frozen=True)
class Ask:
    """A question back to the sender instead of a guess."""

    question: str
    options: tuple[str, ...]


@dataclass(frozen=True)
class Understanding:
    intents: tuple[Intent, ...]
    locale: str
    ask: Ask | None = None
    source: str = "rules"  # or "llm"
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"intents": [dict(i) for i in self.intents]}
        if self.ask is not None:
            out["ask"] = {"question": self.ask.question, "options": list(self.ask.options)}
        return out

    def to_json(self, **kwargs: Any) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)


def short_day(moment: datetime, locale: str) -> str:
    """ "Sa 28.11." / "Sat 28 Nov"."""
    weekday = _WEEKDAY_SHORT["en" if locale == "en" else "de"][moment.weekday()]
    if locale == "en":
        return f"{weekday} {moment.day} {_MONTH_SHORT_EN[moment.month - 1]}"
    return f"{weekday} {moment.day}.{moment.month}."


def _ask(options: list[datetime], locale: str) -> Ask:
    labels = [short_day(o, locale) for o in options]
    if locale == "en":
        question = f"Do you mean {labels[0]} or {labels[1]}?"
    else:
        question = f"Meinst du {labels[0]} oder {labels[1]}?"
    return Ask(question, tuple(o.isoformat() for o in options))


def understand(
    text: str,
    *,
    now: datetime,
    tz: str = "Europe/Berlin",
    locale: str | None = None,
    members: tuple[str, ...] | list[str] = (),
) -> Understanding:
    """The intents in `text`, said at `now` (timezone-aware) by a member of a chat whose
    members are `members` (lower-case user names)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    zone = ZoneInfo(tz)
    text = normalize(text or "")[:MAX_LENGTH]
    found_locale = locale if locale in ("de", "en") else detect_locale(text)
    ctx = Context(now, zone, found_locale, tuple(m.lower() for m in members if m))
    intents: list[Intent] = []
    ask: Ask | None = None
    for clause in split_clauses(text, ctx.members):
        read = read_clause(clause, ctx)
        if any(i["type"] == "rsvp" for i in intents):  # one answer per message
            read = [i for i in read if i["type"] != "rsvp"]
        for intent in read:
            if intent["type"] in ("create_event", "book_appointment") and ask is None:
                when = time_of(clause, ctx)
                if when is not None and when.alternatives:
                    ask = _ask([when.start, *when.alternatives], found_locale)
        intents.extend(read)
    return Understanding(tuple(intents), found_locale, ask)
