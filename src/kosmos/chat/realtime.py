"""Services push events to members' open connections only after their transaction
commits (nothing is pushed for work that rolled back)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from kosmos.chat import hub
from kosmos.db import on_commit


def publish_after_commit(session: Session, user_ids: Iterable[int], event: dict[str, Any]) -> None:
    users = list(user_ids)
    on_commit(session, lambda: hub.current().publish(users, event))


def publish_now(user_ids: Iterable[int], event: dict[str, Any]) -> None:
    """For callers that have already committed."""
    hub.current().publish(list(user_ids), event)


def ephemeral(user_ids: Iterable[int], event: dict[str, Any]) -> None:
    hub.current().ephemeral(list(user_ids), event)
