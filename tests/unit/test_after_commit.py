"""db.on_commit runs side effects after the real commit only: releasing a SAVEPOINT is
not a commit (a till was told "paid" while the payment was still uncommitted), and
rolling one back drops only what was registered inside it."""

from __future__ import annotations

from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from kosmos.db import on_commit


def _session() -> Session:
    return Session(create_engine("sqlite://"))


def test_a_released_savepoint_runs_nothing_the_commit_runs_everything() -> None:
    ran: list[str] = []
    with _session() as session:
        session.execute(text("SELECT 1"))
        on_commit(session, lambda: ran.append("before"))
        with session.begin_nested():
            on_commit(session, lambda: ran.append("inside"))
        assert ran == []
        session.commit()
    assert ran == ["before", "inside"]


def test_a_rolled_back_savepoint_drops_only_its_own_callbacks() -> None:
    ran: list[str] = []
    with _session() as session:
        session.execute(text("SELECT 1"))
        on_commit(session, lambda: ran.append("before"))
        nested = session.begin_nested()
        on_commit(session, lambda: ran.append("inside"))
        nested.rollback()
        on_commit(session, lambda: ran.append("after"))
        session.commit()
    assert ran == ["before", "after"]


def test_a_rollback_runs_nothing() -> None:
    ran: list[str] = []
    with _session() as session:
        session.execute(text("SELECT 1"))
        on_commit(session, lambda: ran.append("lost"))
        session.rollback()
        session.commit()
    assert ran == []
