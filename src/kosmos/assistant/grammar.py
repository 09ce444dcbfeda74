"""Reading one clause: tries the readers of grammar_*.py from the most specific (a rating, an
expense) to the most general and returns the intents found (docs/assistant-understanding.md).
An event is read twice: first only with a proposal cue or a known activity, last (after
items, claims and RSVPs had their turn) from any day or time with an activity-like rest."""

from __future__ import annotations

from collections.abc import Callable

from kosmos.assistant.clauses import Clause
from kosmos.assistant.grammar_common import Context, Intent
from kosmos.assistant.grammar_events import read_event
from kosmos.assistant.grammar_items import read_items
from kosmos.assistant.grammar_money import read_expense, read_food_order, read_rating
from kosmos.assistant.grammar_replies import read_appointment, read_rsvp
from kosmos.assistant.grammar_tasks import read_claim_or_own_task, read_task
from kosmos.assistant.when import When, find_time

__all__ = ["Context", "Intent", "read_clause", "time_of"]


def read_clause(clause: Clause, ctx: Context) -> list[Intent]:
    when = time_of(clause, ctx)
    readers: tuple[Callable[[], Intent | None], ...] = (
        lambda: read_rating(clause, ctx),
        lambda: read_expense(clause, ctx),
        lambda: read_food_order(clause, ctx, when),
        lambda: read_appointment(clause, ctx, when),
        lambda: read_task(clause, ctx, when),
        lambda: read_event(clause, ctx, when),
        lambda: read_items(clause, ctx, when),
        lambda: read_claim_or_own_task(clause, ctx, when),
        lambda: read_rsvp(clause, ctx),
        lambda: read_event(clause, ctx, when, cue_needed=False),
    )
    for read in readers:
        intent = read()
        if intent is not None:
            return [intent]
    return []


def time_of(clause: Clause, ctx: Context) -> When | None:
    return find_time(clause.low, ctx.now, ctx.zone, english=ctx.english)
