"""How other contexts hear the chat without the chat knowing them (the assistant reads new
messages; a card's buttons can belong to the context that posted the card).

- `on_messages(listener)`: `listener(engine, sent)` runs after the commit that stored
  `sent` (each a `SentMessage`), in the sender's thread. A listener opens its own session
  on `engine`; an exception in it is logged and never undoes the message.
- `card_handler(name)`: a card whose JSON has `"handler": name` sends its button presses
  to the registered function `(session, user, message, action, value)`, which checks the
  presser's rights, does its work and may replace `message.card`; the chat then commits and
  pushes the changed card to every member.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SentMessage:
    id: int
    conversation_id: int
    sender_id: int
    text: str
    created_at: datetime


Listener = Callable[[Engine, list[SentMessage]], None]
CardHandler = Callable[[Session, Any, Any, str, str], None]

_listeners: list[Listener] = []
_handlers: dict[str, CardHandler] = {}


def on_messages(listener: Listener) -> Listener:
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def card_handler(name: str) -> Callable[[CardHandler], CardHandler]:
    def register(handler: CardHandler) -> CardHandler:
        _handlers[name] = handler
        return handler

    return register


def handler_for(card: dict[str, Any]) -> CardHandler | None:
    name = card.get("handler")
    return _handlers.get(name) if isinstance(name, str) else None


def has_listeners() -> bool:
    return bool(_listeners)


def deliver(engine: Engine, sent: list[SentMessage]) -> None:
    for listener in list(_listeners):
        try:
            listener(engine, sent)
        except Exception:  # the message stands; the listener logs its own loss
            log.exception("chat message listener failed")
