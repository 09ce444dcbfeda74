"""Where the assistant's skills plug in (cost split, appointments, food orders, ratings ...).

A skill registers, on import, what Kosmo does with one intent type:
- `card(session, proposal, author, locale) -> card JSON`: the proposal card (its buttons are
  Confirm / Dismiss, made by `cards.proposal_buttons`);
- `confirm(session, user, proposal) -> str`: carry it out (the caller commits) and return
  the note the resolved card shows;
- `author_only`: only the one who said it may confirm (anything that moves their money).
Cards that are not proposals (a settle-up card, an order card) name their skill in
`card["ref"]["skill"]`, and their buttons go to `buttons[skill](session, user, message,
action, value)`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from kosmos.accounts.tables import User
from kosmos.assistant.tables import Proposal
from kosmos.chat.tables import Message

CardMaker = Callable[[Session, Proposal, User, str], dict[str, Any]]
Confirmer = Callable[[Session, User, Proposal], str]
ButtonHandler = Callable[[Session, User, Message, str, str], None]


@dataclass(frozen=True)
class Skill:
    intent: str  # the intent type it acts on, e.g. "expense"
    card: CardMaker
    confirm: Confirmer
    author_only: bool = False


skills: dict[str, Skill] = {}
buttons: dict[str, ButtonHandler] = {}


def register(skill: Skill) -> Skill:
    skills[skill.intent] = skill
    return skill


def button_handler(name: str) -> Callable[[ButtonHandler], ButtonHandler]:
    def add(handler: ButtonHandler) -> ButtonHandler:
        buttons[name] = handler
        return handler

    return add
