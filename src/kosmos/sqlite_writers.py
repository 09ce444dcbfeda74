"""SQLite writers in one process: a queue for the writer turn, and group commit.

SQLite has one writer at a time, and with `synchronous=FULL` every COMMIT waits for the
disk (fsync). Writing transactions here (BEGIN IMMEDIATE: the writing sessions of
`db.make_session_factory(..., write=True)`) therefore:

- **Queue** on a lock in this process before BEGIN: the next writer wakes as soon as
  the one before it is done, instead of SQLite's busy handler polling with sleeps of
  up to 100 ms (which made the tail latency seconds long). Other processes still meet
  SQLite's own lock.
- **Commit in groups.** Every writing transaction runs on the queue's one shared driver
  connection, inside a SAVEPOINT of one real transaction. When a writer is done it
  RELEASEs its SAVEPOINT (or rolls back to it) and, if other writers are waiting, hands
  the turn on without committing; the last one of the group (nobody waiting, or
  `GROUP_LIMIT` writers in it) COMMITs for all. Each writer's COMMIT, as its caller
  sees it, returns only once that real COMMIT is on disk, and fails if it failed: a
  writer never reports (or acts after commit on) anything that is not durable. What
  one writer did is undone alone by its rollback; a failed group COMMIT fails every
  writer in the group. PostgreSQL does the same inside the server (a commit's WAL flush
  carries the others waiting for it); on SQLite it has to be done here.
- Reading transactions (plain BEGIN) use the pooled connection's own driver
  connection, as before: WAL readers run beside the writer and see only what is
  committed.

A writer holding the turn must not wait for another thread (a reply over MQTT, a
signal): that thread may need the turn itself, or, if it is an earlier writer of the
group, be waiting for this one's COMMIT.

The pool's connections are `Connection` objects (installed through the engine's
`do_connect` hook): the driver connection of their own, lent the shared writer
connection from BEGIN IMMEDIATE to the end of that transaction.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import weakref
from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.exc import OperationalError

WRITER_WAIT_SECONDS = 30
GROUP_LIMIT = 16
"""At most this many writing transactions share one COMMIT (it bounds how long the first
of them waits for the others)."""

GROUP_WAIT_SECONDS = 60
"""How long a writer waits for its group's COMMIT. Only a writer that, holding the turn,
waits for something this one would do after its commit can make it wait that long: like
a COMMIT whose answer was lost on a network, the outcome is then unknown to the caller."""

_SAVEPOINT = "kosmos_writer"


class Connection:
    """A pooled SQLite connection: its own driver connection, or the writers' shared one
    while its writing transaction runs (`lend` / `give_back`). Everything else is the
    driver connection's own (settings, functions, close)."""

    __slots__ = ("own", "active")

    def __init__(self, own: sqlite3.Connection) -> None:
        object.__setattr__(self, "own", own)
        object.__setattr__(self, "active", own)

    def lend(self, shared: sqlite3.Connection) -> None:
        object.__setattr__(self, "active", shared)

    def give_back(self) -> sqlite3.Connection:
        shared = self.active
        object.__setattr__(self, "active", self.own)
        return shared

    def cursor(self, *args: Any) -> sqlite3.Cursor:
        return self.active.cursor(*args)

    def execute(self, *args: Any) -> sqlite3.Cursor:
        return self.active.execute(*args)

    def executemany(self, *args: Any) -> sqlite3.Cursor:
        return self.active.executemany(*args)

    def commit(self) -> None:
        self.active.commit()

    def rollback(self) -> None:
        self.active.rollback()

    @property
    def in_transaction(self) -> bool:
        return self.active.in_transaction

    def close(self) -> None:
        self.own.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.own, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self.own, name, value)


class _Group:
    """Writing transactions that share one real transaction and its COMMIT."""

    __slots__ = ("members", "done", "error")

    def __init__(self) -> None:
        self.members = 0
        self.done = threading.Event()
        self.error: BaseException | None = None

    def settle(self, error: BaseException | None) -> None:
        self.error = error
        self.done.set()


class WriterQueue:
    """One SQLite engine's writers in this process: the turn, and the group it writes in."""

    def __init__(self, open_shared: Callable[[], sqlite3.Connection]) -> None:
        self.lock = threading.Lock()
        self.driver_conn: Connection | None = None  # whose transaction holds the turn
        self.handed = threading.local()  # .turn: this thread took the lock for its BEGIN
        self._open_shared = open_shared
        self._shared: sqlite3.Connection | None = None
        self._group: _Group | None = None
        self._waiting = 0
        self._count = threading.Lock()

    # --- the turn -----------------------------------------------------------------------

    def acquire(self) -> None:
        with self._count:
            self._waiting += 1
        got = False
        try:
            got = self.lock.acquire(timeout=WRITER_WAIT_SECONDS)
        finally:
            with self._count:
                self._waiting -= 1
                # `let_go` decides to hand an open group on, and gives the turn back,
                # under this same lock: a writer may have chosen this thread just as it
                # gave up. If the turn is free now, it is taken to commit that group, so
                # a group is never left open with nobody to end it.
                rescue = not got and self.lock.acquire(blocking=False)
        if rescue:
            self.let_go()
        if not got:
            raise OperationalError(
                "BEGIN IMMEDIATE", None, sqlite3.OperationalError("database is locked")
            )

    def let_go(self) -> None:
        """Give the turn back (it is held): to a waiting writer with the group still
        open, or after committing the group."""
        self.driver_conn = None
        group = self._group
        if group is not None:
            with self._count:  # no waiter can give up between the choice and the release
                if self._waiting and group.members < GROUP_LIMIT:
                    self.lock.release()
                    return
            self._group = None
            group.settle(self._commit_shared())
        self.lock.release()

    # --- a writing transaction ----------------------------------------------------------

    def begin(self, conn: Connection) -> None:
        """With the turn held: start `conn`'s writing transaction in the group."""
        shared = self._shared
        if shared is None:
            shared = self._shared = self._open_shared()
        if self._group is None:
            shared.execute("BEGIN IMMEDIATE")
            self._group = _Group()
        else:  # (a SAVEPOINT makes SQLite copy each page before changing it: not for the first)
            shared.execute(f"SAVEPOINT {_SAVEPOINT}")
        self._group.members += 1
        self.driver_conn = conn
        conn.lend(shared)

    def end(self, conn: Connection, *, commit: bool, wait: bool = True) -> None:
        """`conn`'s writing transaction ends (the driver's commit or rollback): keep or
        undo its work, give the turn on, and (wait=True) return once the group's COMMIT
        is done. A commit whose group failed raises that error."""
        shared = conn.give_back()
        group = self._group
        assert group is not None
        error: BaseException | None = None
        try:
            if group.members == 1:  # the first: no SAVEPOINT, the transaction is its own
                if not commit:
                    shared.rollback()
                    self._group = None
                    group.settle(None)
            else:
                if not commit:
                    shared.execute(f"ROLLBACK TO {_SAVEPOINT}")
                shared.execute(f"RELEASE {_SAVEPOINT}")
            if self._group is not None and not shared.in_transaction:
                error = sqlite3.OperationalError("SQLite rolled the writers' transaction back")
        except sqlite3.Error as err:
            error = err
        if error is not None:  # the group cannot be trusted: none of it is kept
            self._group = None
            if shared.in_transaction:
                _try(shared.rollback)
            group.settle(error)
        self.let_go()
        if not wait:
            return
        if not group.done.wait(GROUP_WAIT_SECONDS):  # a writer of the group waits on this one
            raise sqlite3.OperationalError(
                "the group's COMMIT did not come in time; whether it will is unknown"
            )
        if commit and group.error is not None:
            raise sqlite3.OperationalError(f"commit failed: {group.error}") from group.error

    def _commit_shared(self) -> BaseException | None:
        shared = self._shared
        assert shared is not None
        try:
            shared.commit()
        except sqlite3.Error as err:
            _try(shared.rollback)
            return err
        return None

    def idle(self) -> bool:
        """No writer holds the turn and no group is open."""
        return self._group is None and not self.lock.locked()

    def close(self) -> None:
        """Close the shared connection (the engine was disposed); reopened when needed."""
        if self._shared is not None and self._group is None:
            _try(self._shared.close)
            self._shared = None


def _try(call: Callable[[], Any]) -> None:
    with contextlib.suppress(sqlite3.Error):
        call()


_QUEUES: weakref.WeakKeyDictionary[Dialect, WriterQueue] = weakref.WeakKeyDictionary()


def queue_of(dialect: Dialect) -> WriterQueue | None:
    return _QUEUES.get(dialect)


def busy_queues() -> list[WriterQueue]:
    """This process's writer queues that are not idle (the tests check after each test
    that none is: a turn or group left behind would lock the file for good)."""
    return [queue for queue in list(_QUEUES.values()) if not queue.idle()]


def install(engine: Engine) -> WriterQueue:
    """Pool connections become `Connection`s; BEGIN IMMEDIATE takes the turn and joins
    the group; the dialect's driver commit and rollback end it."""
    engine_ref = weakref.ref(engine)

    def open_shared() -> sqlite3.Connection:
        """A connection set up as the pool's are (its connect events ran), then taken
        out of the pool for good."""
        live = engine_ref()
        assert live is not None
        fairy = live.raw_connection()
        conn = fairy.dbapi_connection
        fairy.detach()
        assert isinstance(conn, Connection)
        return conn.own

    queue = _QUEUES[engine.dialect] = WriterQueue(open_shared)

    @event.listens_for(engine, "do_connect")
    def _connect(dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Connection:
        return Connection(dialect.loaded_dbapi.connect(*cargs, **cparams))

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Writers that must not race (money, capacity) ask for BEGIN IMMEDIATE via
        # session.connection(execution_options={"sqlite_begin": "IMMEDIATE"}).
        mode = conn.get_execution_options().get("sqlite_begin", "")
        if mode != "IMMEDIATE":
            conn.exec_driver_sql(f"BEGIN {mode}".strip())
            return
        if getattr(queue.handed, "turn", False):  # taken by `db.begin_writing`
            queue.handed.turn = False
        else:
            queue.acquire()
        try:
            queue.begin(conn.connection.dbapi_connection)
        except BaseException:
            queue.let_go()
            raise

    def ending(call: Callable[[Any], None], *, commit: bool) -> Callable[[Any], None]:
        def wrapped(proxied: Any) -> None:  # the pool's proxy (or, once, the bare driver's)
            conn = getattr(proxied, "dbapi_connection", proxied)
            if conn is not None and conn is queue.driver_conn:
                queue.end(conn, commit=commit)
            else:
                call(proxied)

        return wrapped

    dialect = engine.dialect
    dialect.do_commit = ending(dialect.do_commit, commit=True)  # type: ignore[method-assign]
    dialect.do_rollback = ending(dialect.do_rollback, commit=False)  # type: ignore[method-assign]

    def _abandoned(dbapi_conn: Any, *_args: Any) -> None:
        """Backstop: a connection returned to the pool, closed or invalidated (the pool
        closes it without a rollback, and checks it in as None) in the middle of its
        writing transaction. Its work is undone and the turn goes on, so the group
        never stays open with nobody to end it."""
        if dbapi_conn is not None and dbapi_conn is queue.driver_conn:
            queue.end(dbapi_conn, commit=False, wait=False)

    for name in ("checkin", "close", "close_detached"):
        event.listen(engine, name, _abandoned)

    @event.listens_for(engine, "engine_disposed")
    def _on_dispose(_engine: Any) -> None:
        queue.close()

    return queue
