"""SQLite group commit (`kosmos.sqlite_writers`): a writer that finishes while others
wait for the turn hands its open transaction on; its commit returns only once the
group's COMMIT is on disk. A writer's rollback undoes its own work alone, and a failed
group COMMIT fails every writer in it."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from kosmos import db, sqlite_writers


@pytest.fixture
def engine(sqlite_url: str) -> Iterator[Engine]:
    engine = db.make_engine(sqlite_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t_parent (id INTEGER PRIMARY KEY)")
        conn.exec_driver_sql(
            "CREATE TABLE t_rows (name TEXT, parent_id INTEGER REFERENCES t_parent (id)"
            " DEFERRABLE INITIALLY DEFERRED)"
        )
    yield engine
    engine.dispose()


def committed(engine: Engine) -> set[str]:
    """What another connection sees: only what is committed."""
    path = engine.url.database
    assert path is not None
    with sqlite3.connect(path) as other:
        return {row[0] for row in other.execute("SELECT name FROM t_rows")}


def wait_until(check: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 10
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


class Writer(threading.Thread):
    """A writing session in its own thread: begins (waiting for the turn), inserts `name`,
    then waits for `go` and ends as `end` says: commit, rollback, or its connection
    invalidated (which the pool closes without a rollback)."""

    def __init__(self, engine: Engine, name: str, *, parent: int | None = None) -> None:
        super().__init__(daemon=True)
        self.factory = db.make_session_factory(engine, write=True)
        self.name_, self.parent = name, parent
        self.began, self.go, self.done = threading.Event(), threading.Event(), threading.Event()
        self.end = "commit"
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with self.factory() as session:
                session.execute(
                    text("INSERT INTO t_rows (name, parent_id) VALUES (:n, :p)"),
                    {"n": self.name_, "p": self.parent},
                )
                self.began.set()
                self.go.wait(10)
                if self.end == "commit":
                    session.commit()
                elif self.end == "rollback":
                    session.rollback()
                else:
                    session.connection().invalidate()
        except BaseException as exc:  # noqa: BLE001 (asserted by the test)
            self.error = exc
        finally:
            self.done.set()


def two_in_a_group(engine: Engine, second: Writer) -> Writer:
    """`first` holds the turn, `second` waits for it; `first` commits and hands over."""
    queue = sqlite_writers.queue_of(engine.dialect)
    assert queue is not None
    first = Writer(engine, "first")
    first.start()
    assert first.began.wait(10)
    second.start()
    wait_until(lambda: queue._waiting == 1)
    first.go.set()
    assert second.began.wait(10)  # the turn went on while first's commit is still open
    return first


def test_a_writer_handed_on_returns_only_with_the_groups_commit(engine: Engine) -> None:
    second = Writer(engine, "second")
    first = two_in_a_group(engine, second)
    time.sleep(0.05)
    assert not first.done.is_set()  # its commit waits for the group's
    assert committed(engine) == set()  # and nothing is on disk yet
    second.go.set()
    assert first.done.wait(10) and second.done.wait(10)
    assert first.error is None and second.error is None
    assert committed(engine) == {"first", "second"}


@pytest.mark.parametrize("end", ["rollback", "invalidate"])
def test_a_writer_that_does_not_commit_in_a_group_undoes_only_its_own_work(
    engine: Engine, end: str
) -> None:
    """Rolled back, or its connection invalidated (closed by the pool without a
    rollback): the other writer's row is kept, and the queue is idle afterwards."""
    second = Writer(engine, "second")
    second.end = end
    first = two_in_a_group(engine, second)
    second.go.set()
    assert first.done.wait(10) and second.done.wait(10)
    assert first.error is None and second.error is None
    assert committed(engine) == {"first"}
    queue = sqlite_writers.queue_of(engine.dialect)
    assert queue is not None and queue.idle()


def test_a_failed_group_commit_fails_every_writer_in_it(engine: Engine) -> None:
    """The second writer's row breaks a deferred foreign key: SQLite refuses the
    COMMIT, so the first writer, whose own row was fine, must hear it too."""
    second = Writer(engine, "second", parent=404)
    first = two_in_a_group(engine, second)
    second.go.set()
    assert first.done.wait(10) and second.done.wait(10)
    assert isinstance(first.error, OperationalError)
    assert isinstance(second.error, OperationalError)
    assert committed(engine) == set()
    with db.make_session_factory(engine, write=True)() as session:  # the writer goes on
        session.execute(text("INSERT INTO t_rows (name) VALUES ('after')"))
        session.commit()
    assert committed(engine) == {"after"}


def test_a_lone_writer_commits_at_once_and_a_lone_rollback_leaves_nothing(
    engine: Engine,
) -> None:
    factory = db.make_session_factory(engine, write=True)
    with factory() as session:
        session.execute(text("INSERT INTO t_rows (name) VALUES ('kept')"))
        session.commit()
        assert committed(engine) == {"kept"}
    with factory() as session:
        session.execute(text("INSERT INTO t_rows (name) VALUES ('undone')"))
        session.rollback()
    assert committed(engine) == {"kept"}
    queue = sqlite_writers.queue_of(engine.dialect)
    assert queue is not None and not queue.lock.locked()


def test_a_group_holds_at_most_group_limit_writers(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_writers, "GROUP_LIMIT", 2)
    third = Writer(engine, "third")
    second = Writer(engine, "second")
    first = two_in_a_group(engine, second)
    queue = sqlite_writers.queue_of(engine.dialect)
    assert queue is not None
    third.start()
    wait_until(lambda: queue._waiting == 1)
    second.go.set()  # the group is full: it commits although `third` waits
    assert first.done.wait(10) and second.done.wait(10)
    assert committed(engine) == {"first", "second"}
    third.go.set()
    assert third.done.wait(10) and third.error is None
    assert committed(engine) == {"first", "second", "third"}


def test_a_writer_waits_for_its_group_only_so_long(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second writer, holding the turn, waits for the first (which waits for the
    group's COMMIT): the first gives up with an error that says the outcome is unknown,
    as after a COMMIT whose answer was lost. Its row is committed with the group."""
    monkeypatch.setattr(sqlite_writers, "GROUP_WAIT_SECONDS", 0.2)
    second = Writer(engine, "second")
    first = two_in_a_group(engine, second)
    assert first.done.wait(10)
    assert isinstance(first.error, OperationalError)
    assert "unknown" in str(first.error)
    second.go.set()
    assert second.done.wait(10) and second.error is None
    assert committed(engine) == {"first", "second"}


def test_a_writer_that_gave_up_waiting_is_not_handed_the_group(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second writer gives up waiting for the turn; the first, when done, must then
    commit its group itself, not leave it open for a writer that is gone."""
    monkeypatch.setattr(sqlite_writers, "WRITER_WAIT_SECONDS", 0.2)
    queue = sqlite_writers.queue_of(engine.dialect)
    assert queue is not None
    first = Writer(engine, "first")
    first.start()
    assert first.began.wait(10)
    second = Writer(engine, "second")
    second.start()
    assert second.done.wait(10)
    assert isinstance(second.error, OperationalError)  # "database is locked"
    first.go.set()
    assert first.done.wait(10) and first.error is None
    assert committed(engine) == {"first"}
    assert not queue.lock.locked() and queue._group is None


def test_a_writer_whose_connection_is_invalidated_gives_the_turn_on(engine: Engine) -> None:
    """The pool closes an invalidated connection without a rollback (and checks it in
    as None): the writer's work must be undone and the turn go on, or the file would
    stay write-locked for every connection, in this process and others."""
    queue = sqlite_writers.queue_of(engine.dialect)
    assert queue is not None
    factory = db.make_session_factory(engine, write=True)
    with factory() as session:
        session.execute(text("INSERT INTO t_rows (name) VALUES ('lost')"))
        assert queue.lock.locked()
        session.connection().invalidate()
    assert queue.idle()
    with sqlite3.connect(engine.url.database or "", timeout=0.1) as other:  # no write lock
        other.execute("INSERT INTO t_rows (name) VALUES ('other')")
    assert committed(engine) == {"other"}
