"""SQLite sessions: a writing one takes the write lock at BEGIN, a reading one never does,
even when it is made from a writing session's bind (as the chat's listeners are); the
next writer is let in only once the one before it has committed."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import event, text

from kosmos import db, sqlite_writers


def test_reading_session_from_a_writing_bind_takes_no_write_lock(sqlite_url: str) -> None:
    engine = db.make_engine(sqlite_url)
    try:
        with db.make_session_factory(engine, write=True)() as writing:
            writing.execute(text("SELECT 1"))
            assert db.holds_writer_lock(writing.connection())
            bind = writing.get_bind()
        with db.make_session_factory(bind)() as reading:  # type: ignore[arg-type]
            reading.execute(text("SELECT 1"))
            assert not db.holds_writer_lock(reading.connection())
            with db.make_session_factory(engine, write=True)() as other:
                other.execute(text("SELECT 1"))  # would wait 30 s behind the reader
                other.commit()
    finally:
        engine.dispose()


def test_the_next_writer_is_let_in_only_after_the_commit_ran(sqlite_url: str) -> None:
    """SQLite's busy timeout set to 0: a BEGIN IMMEDIATE that met another writer's COMMIT
    still running would fail with "database is locked" instead of waiting in SQLite's
    busy handler. Writers queue on the engine's lock, which goes back after COMMIT."""
    engine = db.make_engine(sqlite_url)

    @event.listens_for(engine, "connect")
    def _no_busy_wait(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute("PRAGMA busy_timeout=0")

    seen_in_commit: list[bool] = []

    @event.listens_for(engine, "commit")
    def _before_driver_commit(conn: Any) -> None:
        seen_in_commit.append(db.holds_writer_lock(conn))

    factory = db.make_session_factory(engine, write=True)
    with factory() as s:
        s.execute(text("CREATE TABLE IF NOT EXISTS t_writes (n INTEGER)"))
        s.commit()
    failures: list[BaseException] = []

    def write(worker: int) -> None:
        for n in range(60):
            try:
                with factory() as s:
                    s.execute(text("INSERT INTO t_writes (n) VALUES (:n)"), {"n": worker * 100 + n})
                    s.commit()
            except BaseException as exc:  # noqa: BLE001 (collected and asserted below)
                failures.append(exc)

    try:
        threads = [threading.Thread(target=write, args=(w,)) for w in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert failures == []
        assert all(seen_in_commit)  # still held when the driver's COMMIT starts
        with db.make_session_factory(engine)() as s:
            assert s.execute(text("SELECT count(*) FROM t_writes")).scalar() == 240
    finally:
        engine.dispose()


def test_begin_writing_takes_the_turn_before_the_connection_and_gives_it_back(
    sqlite_url: str,
) -> None:
    engine = db.make_engine(sqlite_url)
    queue = sqlite_writers.queue_of(engine.dialect)
    try:
        with db.make_session_factory(engine, write=True)() as writing:
            db.begin_writing(writing)
            assert queue.lock.locked()
            assert db.holds_writer_lock(writing.connection())
            db.begin_writing(writing)  # in a transaction already: nothing more
            writing.commit()
            assert not queue.lock.locked()
        with db.make_session_factory(engine)() as reading:
            db.begin_writing(reading)  # a reading session: begins, takes no turn
            assert reading.in_transaction()
            assert not queue.lock.locked()
    finally:
        engine.dispose()


def test_begin_writing_gives_the_turn_back_when_no_connection_came(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = db.make_engine(sqlite_url)
    queue = sqlite_writers.queue_of(engine.dialect)
    try:
        with db.make_session_factory(engine, write=True)() as writing:

            def no_connection(*_a: Any, **_k: Any) -> Any:
                raise TimeoutError("pool exhausted")

            monkeypatch.setattr(writing, "connection", no_connection)
            with pytest.raises(TimeoutError):
                db.begin_writing(writing)
            assert not queue.lock.locked()
        with db.make_session_factory(engine, write=True)() as other:
            db.begin_writing(other)  # would wait 30 s for a lost turn
            assert queue.lock.locked()
            other.rollback()
            assert not queue.lock.locked()
    finally:
        engine.dispose()
