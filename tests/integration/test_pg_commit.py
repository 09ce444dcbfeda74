"""PostgreSQL: a statement queued with `fast_sql.Statement.execute_with_commit` runs
with the COMMIT (one pipeline), is dropped by a rollback, and a failure in it fails the
commit with nothing of the transaction written. Inside a SAVEPOINT it is not queued."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, bindparam, exc, insert, select, update
from sqlalchemy.orm import Session

from kosmos import db, fast_sql, pg_commit

_META = MetaData()
_COUNTERS = Table(
    "pg_commit_counters",
    _META,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("n", Integer, nullable=False),
)
_ADD = fast_sql.Statement(
    update(_COUNTERS)
    .where(_COUNTERS.c.id == bindparam("id"))
    .values(n=_COUNTERS.c.n + bindparam("d"))
)
_SET = fast_sql.Statement(
    update(_COUNTERS).where(_COUNTERS.c.id == bindparam("id")).values(n=bindparam("n"))
)


@pytest.fixture
def engine(pg_database: str) -> Iterator[Any]:
    engine = db.make_engine(pg_database, pool_size=1, max_overflow=0)  # one connection
    _META.drop_all(engine)
    _META.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(_COUNTERS), [{"id": 1, "n": 0}])
    yield engine
    _META.drop_all(engine)
    engine.dispose()


def _n(engine: Any, counter: int = 1) -> int | None:
    with Session(engine) as s:
        return s.scalar(select(_COUNTERS.c.n).where(_COUNTERS.c.id == counter))


def test_the_connections_are_psycopg_with_a_commit_queue(engine: Any) -> None:
    with engine.connect() as conn:
        assert isinstance(conn.connection.driver_connection, pg_commit.Connection)


def test_a_queued_statement_runs_with_the_commit_not_before(engine: Any) -> None:
    with Session(engine) as s:
        _ADD.execute_with_commit(s, {"id": 1, "d": 5})
        assert s.scalar(select(_COUNTERS.c.n)) == 0  # not sent yet
        s.commit()
        assert s.scalar(select(_COUNTERS.c.n)) == 5  # the same connection, out of the pipeline
        s.commit()
    assert _n(engine) == 5


def test_a_rollback_or_a_session_closed_without_commit_drops_the_queue(engine: Any) -> None:
    with Session(engine) as s:
        _ADD.execute_with_commit(s, {"id": 1, "d": 5})
        s.rollback()
        s.execute(insert(_COUNTERS).values(id=2, n=0))
        s.commit()  # the next transaction on the same connection
    with Session(engine) as s:
        _ADD.execute_with_commit(s, {"id": 1, "d": 7})
    with Session(engine) as s:  # the pool's one connection again (reset by a rollback)
        s.execute(insert(_COUNTERS).values(id=3, n=0))
        s.commit()
    assert _n(engine) == 0
    assert _n(engine, 2) == 0 and _n(engine, 3) == 0


def test_a_failing_queued_statement_fails_the_commit_and_writes_nothing(engine: Any) -> None:
    with Session(engine) as s:
        s.execute(insert(_COUNTERS).values(id=2, n=0))  # sent at once
        _ADD.execute_with_commit(s, {"id": 1, "d": 5})
        _SET.execute_with_commit(s, {"id": 1, "n": None})  # NOT NULL: refused
        with pytest.raises(exc.IntegrityError):
            s.commit()
        s.rollback()
    assert _n(engine) == 0
    assert _n(engine, 2) is None  # the insert went with the failed transaction
    with Session(engine) as s:  # the connection works on
        _ADD.execute_with_commit(s, {"id": 1, "d": 1})
        s.commit()
    assert _n(engine) == 1


def test_inside_a_savepoint_it_runs_at_once_so_rolling_back_to_it_undoes_it(
    engine: Any,
) -> None:
    with Session(engine) as s:
        _ADD.execute_with_commit(s, {"id": 1, "d": 1})  # queued: before the SAVEPOINT
        with pytest.raises(RuntimeError), s.begin_nested():
            _ADD.execute_with_commit(s, {"id": 1, "d": 10})
            assert s.scalar(select(_COUNTERS.c.n)) == 10  # sent at once, not queued
            raise RuntimeError("the savepoint's work is undone")
        with s.begin_nested():
            _ADD.execute_with_commit(s, {"id": 1, "d": 100})  # kept: the SAVEPOINT is released
        s.commit()
    assert _n(engine) == 101
