"""fast_sql: Core statements run on the driver's cursor, in the session's transaction,
with the values converted exactly as SQLAlchemy converts them (SQLite and PostgreSQL)."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import (
    JSON,
    Column,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    exc,
    func,
    insert,
    select,
    update,
)

from kosmos import fast_sql
from kosmos.db import UTCDateTime

metadata = MetaData()
things = Table(
    "fast_sql_things",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(40), nullable=False, unique=True),
    Column("data", JSON, nullable=True),
    Column("at", UTCDateTime, nullable=True),
    Column("kind", String(10), nullable=False),
    Column("tries", Integer, nullable=False, default=0),  # a Python-side default
)

INSERT = fast_sql.Statement(
    insert(things)
    .values(
        name=bindparam("name"),
        data=bindparam("data"),
        at=bindparam("at"),
        kind="plain",
        tries=bindparam("tries"),
    )  # fmt: skip
    .returning(things.c.id, things.c.at)
)
BY_NAME = fast_sql.Statement(
    select(things.c.id, things.c.data, things.c.at, things.c.kind).where(
        things.c.name == bindparam("name"), things.c.kind == "plain"
    )
)
COUNT = fast_sql.Statement(select(func.count()).select_from(things))
TRY_AGAIN = fast_sql.Statement(
    update(things).where(things.c.name == bindparam("name")).values(tries=things.c.tries + 1)
)
AT = datetime(2026, 11, 22, 9, 0, 0, 123456, tzinfo=UTC)


@pytest.fixture
def table(db, session_factory):
    engine = session_factory.kw["bind"]
    metadata.create_all(engine)
    yield things
    db.close()  # its transaction would hold the table
    metadata.drop_all(engine)


def _row(name, **extra):
    return {"name": name, "data": {"lines": [1, 2], "ok": True}, "at": AT, "tries": 0, **extra}


def test_values_go_in_and_come_out_as_sqlalchemy_converts_them(db, table):
    berlin = AT.astimezone(timezone(timedelta(hours=1)))
    inserted = INSERT.execute(db, _row("a", at=berlin)).one()
    assert inserted.at == AT and inserted.at.tzinfo is not None
    got = BY_NAME.first(db, {"name": "a"})
    assert got == (inserted.id, {"lines": [1, 2], "ok": True}, AT, "plain")
    assert (got.data, got.kind) == ({"lines": [1, 2], "ok": True}, "plain")
    # the same rows read through SQLAlchemy's own execution
    plain = db.execute(select(things.c.id, things.c.data, things.c.at, things.c.kind)).one()
    assert tuple(plain) == tuple(got)
    assert BY_NAME.first(db, {"name": "nobody"}) is None
    assert COUNT.scalar(db) == 1


def test_statements_run_in_the_sessions_transaction(db, session_factory, table):
    INSERT.execute(db, _row("kept"))
    db.commit()
    INSERT.execute(db, _row("dropped"))
    assert COUNT.scalar(db) == 2
    db.rollback()
    with session_factory() as other:
        assert [r.id for r in BY_NAME.all(other, {"name": "kept"})]
        assert BY_NAME.first(other, {"name": "dropped"}) is None
    assert TRY_AGAIN.execute(db, {"name": "kept"}).rowcount == 1
    assert TRY_AGAIN.execute(db, {"name": "nobody"}).rowcount == 0


def test_a_rolled_back_savepoint_takes_its_statements_with_it(db, table):
    """SQLAlchemy emits SAVEPOINT only when the session's connection is next asked for:
    a statement right after begin_nested() must still land inside the SAVEPOINT."""
    INSERT.execute(db, _row("before"))
    with pytest.raises(RuntimeError), db.begin_nested():
        INSERT.execute(db, _row("inside"))
        raise RuntimeError("the nested step failed")
    with db.begin_nested():
        INSERT.execute(db, _row("released"))
    INSERT.execute(db, _row("after"))
    db.commit()
    names = set(db.scalars(select(things.c.name)))
    assert names == {"before", "released", "after"}


def test_many_rows_in_one_call(db, table):
    INSERT.executemany(db, [_row(f"n{i}") for i in range(3)])
    assert COUNT.scalar(db) == 3


def test_driver_errors_come_out_as_sqlalchemy_errors_and_the_session_recovers(db, table):
    INSERT.execute(db, _row("twice"))
    db.commit()
    with pytest.raises(exc.IntegrityError):
        INSERT.execute(db, _row("twice"))
    db.rollback()
    assert COUNT.scalar(db) == 1


def test_the_columns_types_still_guard_their_values(db, table):
    with pytest.raises(ValueError, match="naive datetime"):
        INSERT.execute(db, _row("naive", at=datetime(2026, 11, 22, 9, 0)))  # noqa: DTZ001


def test_a_missing_value_is_named(db, table):
    with pytest.raises(exc.ArgumentError, match="'data'"):
        INSERT.execute(db, {"name": "x", "at": AT, "tries": 0})


def test_what_it_cannot_do_is_refused_when_first_compiled(db, table):
    leaves_out_a_default = fast_sql.Statement(
        insert(things).values(name=bindparam("name"), kind="plain")
    )
    with pytest.raises(exc.ArgumentError, match="tries"):
        leaves_out_a_default.execute(db, {"name": "x"})
    expanding = fast_sql.Statement(
        select(things.c.id).where(things.c.name.in_(bindparam("names", expanding=True)))
    )
    with pytest.raises(exc.ArgumentError, match="expanding"):
        expanding.all(db, {"names": ["a"]})


def test_together_runs_them_in_order_and_each_sees_the_ones_before(db, table):
    """One round trip on PostgreSQL (a pipeline), one by one on SQLite: the same results."""
    inserted, counted, found, missing = fast_sql.together(
        db,
        (INSERT, _row("t1")),
        (COUNT, None),
        (BY_NAME, {"name": "t1"}),
        (BY_NAME, {"name": "nobody"}),
    )
    new_id = inserted.scalar_one()
    assert counted.first()[0] == 1
    assert found.first().id == new_id
    assert missing.first() is None
    (alone,) = fast_sql.together(db, (COUNT, None))
    assert alone.first()[0] == 1
    db.commit()
    assert COUNT.scalar(db) == 1


def test_together_an_error_comes_out_translated_and_the_rest_did_not_run(db, table):
    INSERT.execute(db, _row("dup"))
    db.commit()
    with pytest.raises(exc.IntegrityError):
        fast_sql.together(
            db, (TRY_AGAIN, {"name": "dup"}), (INSERT, _row("dup")), (INSERT, _row("z"))
        )
    db.rollback()
    assert BY_NAME.first(db, {"name": "z"}) is None
    assert db.scalar(select(things.c.tries).where(things.c.name == "dup")) == 0
    INSERT.execute(db, _row("works again"))
    db.commit()
    assert COUNT.scalar(db) == 2
