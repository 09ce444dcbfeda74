"""Engine and session factory, SQLite pragmas, naming convention, UTC timestamps."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, MetaData, create_engine, event, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase, Session, SessionTransaction, sessionmaker
from sqlalchemy.types import TypeDecorator

from kosmos import sqlite_writers

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC, returns aware UTC datetimes on every backend; refuses naive values."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: store timezone-aware values")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def make_engine(url: str, **kwargs: Any) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        # Keep enough connections for the server's worker threads: a connection opened
        # beyond the pool is closed again after use, and opening one costs the pragmas.
        kwargs.setdefault("pool_size", 20)
        kwargs.setdefault("max_overflow", 20)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs
        )
        _install_sqlite_hooks(engine)
        return engine
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 40)  # the thread pool runs up to 40 sync requests
    engine = create_engine(url, **kwargs)
    if parsed.get_driver_name() == "psycopg":
        from kosmos import pg_commit

        event.listen(engine, "do_connect", pg_commit.connect)
    if not kwargs.get("pool_pre_ping"):
        _install_idle_ping(engine)
    return engine


PING_AFTER_IDLE_SECONDS = 1.0
_LAST_ALIVE = "kosmos_last_alive"


def _install_idle_ping(engine: Engine) -> None:
    """Check a pooled connection before use only when it sat idle for a second or more
    (pgbouncer's `server_check_delay`): `pool_pre_ping` costs a round trip on every
    checkout, one of the dozen or so a payment makes. A connection back in the pool
    for less than that was alive when it came back: the pool's reset (ROLLBACK) ran
    on it. A dead one is replaced before the caller sees it."""

    @event.listens_for(engine, "connect")
    def _born(_dbapi_conn: Any, record: Any) -> None:
        record.info[_LAST_ALIVE] = time.monotonic()

    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_conn: Any, record: Any) -> None:
        if record is not None:
            record.info[_LAST_ALIVE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        last = record.info.get(_LAST_ALIVE)
        if last is not None and time.monotonic() - last < PING_AFTER_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_conn)
        except engine.dialect.loaded_dbapi.Error as err:
            raise DisconnectionError("the pooled connection was lost while idle") from err
        record.info[_LAST_ALIVE] = time.monotonic()


def _install_sqlite_hooks(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy emit BEGIN itself (pysqlite's own handling is broken).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=FULL")  # a commit survives power loss (money)
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    sqlite_writers.install(engine)


def holds_writer_lock(conn: Connection) -> bool:
    """Whether this connection's transaction holds its SQLite engine's writer turn."""
    queue = sqlite_writers.queue_of(conn.dialect)
    return queue is not None and queue.driver_conn is conn.connection.dbapi_connection


def begin_writing(session: Session) -> None:
    """Begin the session's writing transaction now, and on SQLite take this process's
    writer turn before the session even asks the pool for a connection. A money
    movement calls this first: its transaction then runs from checkout to COMMIT
    without another thread's setup in between. With 8 paying threads that interleaving
    cost a tenth of the throughput (GIL hand-offs while the turn was held). No-op when
    the session is in a transaction already, or is not a writing SQLite session."""
    if session.in_transaction():
        return
    bind = session.get_bind()
    queue = sqlite_writers.queue_of(bind.dialect)
    if queue is None or bind.get_execution_options().get("sqlite_begin") != "IMMEDIATE":
        session.connection()
        return
    queue.acquire()
    queue.handed.turn = True
    try:
        session.connection()  # BEGIN IMMEDIATE: `_on_begin` takes the turn over
    finally:
        if getattr(queue.handed, "turn", False):  # the BEGIN did not happen
            queue.handed.turn = False
            queue.let_go()


def make_session_factory(engine: Engine, *, write: bool = False) -> sessionmaker[Session]:
    """Sessions for reading, or (write=True) for use cases that write.

    On SQLite a writing transaction starts with BEGIN IMMEDIATE: it takes the write lock
    first (waiting up to the busy timeout) instead of reading and then failing to upgrade
    with "database is locked" when another writer committed in between. PostgreSQL needs
    nothing extra (MVCC, with unique constraints and row locks where rules demand).
    """
    bind = engine
    if engine.dialect.name == "sqlite":  # (`engine` may be a writing session's bind)
        bind = engine.execution_options(sqlite_begin="IMMEDIATE" if write else "")
    return sessionmaker(bind=bind, expire_on_commit=False, autoflush=False)


def end_read(session: Session) -> None:
    """End a transaction that only read with COMMIT rather than ROLLBACK (the same for
    a read). On PostgreSQL psycopg forgets every statement it prepared on the connection
    at a ROLLBACK (and sends DEALLOCATE ALL): the outbox relay, reading several times a
    second, would leave pooled connections unprepared for the payments that take them
    next."""
    session.commit()


def ping(engine: Engine) -> None:
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))


# --- a commit shared by several use cases ------------------------------------------------------

_SHARED_COMMIT = "kosmos_shared_commit"


@contextmanager
def shared_commit(session: Session) -> Iterator[None]:
    """Inside it, use cases that own their transaction leave its end to the caller:
    they neither commit (`commit_is_shared`) nor roll back on a problem. The caller
    (`wallet.batching`) commits once for all of them, or rolls back and does each again
    alone."""
    session.info[_SHARED_COMMIT] = True
    try:
        yield
    finally:
        session.info.pop(_SHARED_COMMIT, None)


def commit_is_shared(session: Session) -> bool:
    return bool(session.info.get(_SHARED_COMMIT))


# --- after commit -------------------------------------------------------------------------------

_AFTER_COMMIT = "kosmos_after_commit"
_SAVEPOINT_MARKS = "kosmos_savepoint_marks"
_FOLLOWING: list[str] = [_AFTER_COMMIT]


def transaction_list(session: Session, key: str) -> list[Any]:
    """A list in `session.info` that follows the transaction: what was appended inside a
    SAVEPOINT goes when the SAVEPOINT rolls back, everything when the transaction rolls
    back or commits. `key` must have been registered with `follow_transaction`."""
    return session.info.setdefault(key, [])  # type: ignore[no-any-return]


def follow_transaction(key: str) -> None:
    if key not in _FOLLOWING:
        _FOLLOWING.append(key)


def on_commit(session: Session, callback: Callable[[], None]) -> None:
    """Run `callback` once the session's current transaction commits; never if it rolls
    back (Django's transaction.on_commit). For side effects that must not run for
    work that did not happen, like pushing a chat message to open connections."""
    transaction_list(session, _AFTER_COMMIT).append(callback)


@event.listens_for(Session, "after_transaction_create")
def _mark_savepoint(session: Session, transaction: SessionTransaction) -> None:
    # A SAVEPOINT remembers how long each list was when it began: rolling it back drops
    # only what was appended inside it.
    if transaction.nested:
        marks = session.info.setdefault(_SAVEPOINT_MARKS, {})
        marks[id(transaction)] = {key: len(session.info.get(key, [])) for key in _FOLLOWING}


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    nested = session.get_nested_transaction()
    if nested is not None:  # a SAVEPOINT released: nothing is committed yet
        session.info.get(_SAVEPOINT_MARKS, {}).pop(id(nested), None)
        return
    session.info.pop(_SAVEPOINT_MARKS, None)
    callbacks = session.info.pop(_AFTER_COMMIT, [])
    for key in _FOLLOWING:
        session.info.pop(key, None)
    for callback in callbacks:
        try:
            callback()
        except Exception:  # the commit stands; a lost push is recovered by a resync
            logging.getLogger(__name__).exception("after-commit callback failed")


@event.listens_for(Session, "after_rollback")
def _drop_after_commit(session: Session) -> None:
    nested = session.get_nested_transaction()
    if nested is not None:  # a SAVEPOINT rolled back: the work before it still stands
        marks = session.info.get(_SAVEPOINT_MARKS, {}).pop(id(nested), None)
        for key, mark in (marks or {}).items():
            del session.info.get(key, [])[mark:]
        return
    session.info.pop(_SAVEPOINT_MARKS, None)
    for key in _FOLLOWING:
        session.info.pop(key, None)
