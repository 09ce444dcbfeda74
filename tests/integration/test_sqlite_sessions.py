"""SQLite sessions: a writing one takes the write lock at BEGIN, a reading one never does,
even when it is made from a writing session's bind (as the chat's listeners are)."""

from __future__ import annotations

from sqlalchemy import text

from kosmos import db


def test_reading_session_from_a_writing_bind_takes_no_write_lock(sqlite_url: str) -> None:
    engine = db.make_engine(sqlite_url)
    try:
        with db.make_session_factory(engine, write=True)() as writing:
            writing.execute(text("SELECT 1"))
            assert writing.connection().info.get(db._HOLDS_WRITER)
            bind = writing.get_bind()
        with db.make_session_factory(bind)() as reading:  # type: ignore[arg-type]
            reading.execute(text("SELECT 1"))
            assert not reading.connection().info.get(db._HOLDS_WRITER)
            with db.make_session_factory(engine, write=True)() as other:
                other.execute(text("SELECT 1"))  # would wait 30 s behind the reader
                other.commit()
    finally:
        engine.dispose()
