"""PostgreSQL: a pooled connection is checked before use only after sitting idle, and a
dead one is replaced before the caller sees it."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from kosmos import db


def _backend_pid(engine: Any) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())


def test_a_connection_killed_while_idle_is_replaced(
    pg_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = db.make_engine(pg_database, pool_size=1, max_overflow=0)
    other = db.make_engine(pg_database, pool_size=1, max_overflow=0)
    try:
        first = _backend_pid(engine)
        with other.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
            conn.commit()
        monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", 0.0)  # as if a second went by
        second = _backend_pid(engine)  # no error: the ping found it dead, a new one came
        assert second != first
    finally:
        engine.dispose()
        other.dispose()


def test_a_connection_back_from_the_pool_just_now_is_not_pinged(
    pg_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = db.make_engine(pg_database, pool_size=1, max_overflow=0)
    pings: list[Any] = []
    real_ping = engine.dialect.do_ping
    monkeypatch.setattr(engine.dialect, "do_ping", lambda c: pings.append(c) or real_ping(c))
    try:
        first = _backend_pid(engine)  # a new connection: alive, not pinged
        assert _backend_pid(engine) == first
        assert pings == []
        monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", 0.0)
        assert _backend_pid(engine) == first
        assert len(pings) == 1
    finally:
        engine.dispose()
