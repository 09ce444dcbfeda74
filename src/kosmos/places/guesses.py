"""Rate limit on guessing codes: a person whose typed or scanned codes matched nothing 10
times within 10 minutes must wait (429). Misses are rows, so every server process counts
them together."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.errors import TooManyRequests
from kosmos.places.tables import CodeMiss

WINDOW = timedelta(minutes=10)
MAX_MISSES = 10


def check(session: Session, user_id: int) -> None:
    since = clock.now() - WINDOW
    misses = session.scalar(
        select(func.count()).where(CodeMiss.user_id == user_id, CodeMiss.at > since)
    )
    if (misses or 0) >= MAX_MISSES:
        raise TooManyRequests(
            "Too many codes that matched nothing. Wait a few minutes and try again.",
            code="too_many_code_guesses",
            extra={"retry_after": int(WINDOW.total_seconds())},
        )


def miss(session: Session, user_id: int, kind: str) -> None:
    """Count a miss in its own commit (the caller raises its problem afterwards)."""
    session.rollback()
    now = clock.now()
    session.execute(delete(CodeMiss).where(CodeMiss.user_id == user_id, CodeMiss.at < now - WINDOW))
    session.add(CodeMiss(user_id=user_id, kind=kind, at=now))
    session.commit()
