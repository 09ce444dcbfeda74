"""The transactional outbox: stored with the change, relayed after commit, at most once
per consumer even when delivered again."""

import threading

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import func, select, text

from kosmos import bus
from kosmos.bus import ConsumerReceipt, OutboxEvent
from kosmos.db import make_engine, make_session_factory


@pytest.fixture(params=[False, True], ids=["own_transaction", "in_batch"])
def recorder(request):
    """A consumer that records what it saw and can be told to fail; it writes an echo
    event of its own first (work a failure must undo). Every test runs it both ways:
    a transaction per event, and a relay pass's events in one transaction."""
    seen: list[int] = []
    state = {"fail": False, "delivered": threading.Event(), "fail_on": set()}
    registry = bus.Registry()

    @registry.subscribe("test.happened", "test.recorder", in_batch=request.param)
    def _record(session, event):
        bus.publish(session, "test.echo", {"n": event.payload["n"]})
        if state["fail"] or event.payload["n"] in state["fail_on"]:
            raise RuntimeError("consumer down")
        seen.append(event.payload["n"])
        state["delivered"].set()

    original = bus.registry
    bus.registry = registry
    yield seen, state
    bus.registry = original


def test_an_event_rolled_back_with_its_change_is_never_relayed(db, session_factory, recorder):
    seen, _ = recorder
    bus.publish(db, "test.happened", {"n": 1})
    db.rollback()
    assert bus.relay_once(session_factory) == 0
    assert seen == []


def test_a_committed_event_survives_a_crash_before_relay(db, session_factory, recorder):
    # given an event committed by one process that then died before relaying
    seen, _ = recorder
    bus.publish(db, "test.happened", {"n": 1})
    db.commit()
    db.close()
    # when a relay starts later (fresh sessions, same database)
    relayed = bus.relay_once(session_factory)
    # then
    assert relayed == 1
    assert seen == [1]


def test_redelivery_is_harmless(db, session_factory, recorder):
    seen, _ = recorder
    event_id = bus.publish(db, "test.happened", {"n": 7})
    db.commit()
    bus.relay_once(session_factory)
    # when the same event is delivered again (e.g. a relay crashed before marking it)
    with session_factory() as s:
        s.get(OutboxEvent, event_id).relayed_at = None
        s.commit()
    bus.relay_once(session_factory)
    # then the consumer ran once
    assert seen == [7]
    assert db.scalar(select(func.count()).select_from(ConsumerReceipt)) == 1


def test_a_failing_consumer_is_retried_later(db, session_factory, recorder, frozen_clock):
    seen, state = recorder
    bus.publish(db, "test.happened", {"n": 3})
    db.commit()
    state["fail"] = True
    assert bus.relay_once(session_factory) == 0
    with session_factory() as s:
        row = s.scalar(select(OutboxEvent))
        assert row.relayed_at is None and row.attempts == 1 and "consumer down" in row.last_error
    state["fail"] = False
    # not before its backoff has passed
    assert bus.relay_once(session_factory) == 0
    frozen_clock.advance(seconds=2)
    assert bus.relay_once(session_factory) == 1
    assert seen == [3]


def test_events_are_relayed_in_order(db, session_factory, recorder):
    seen, _ = recorder
    for n in range(5):
        bus.publish(db, "test.happened", {"n": n})
    db.commit()
    bus.relay_once(session_factory)
    assert seen == [0, 1, 2, 3, 4]


def test_relay_worker_thread_delivers_in_the_background(db, session_factory, recorder):
    seen, state = recorder
    worker = bus.RelayWorker(session_factory, poll_seconds=0.01)
    worker.start()
    try:
        bus.publish(db, "test.happened", {"n": 9})
        db.commit()
        assert state["delivered"].wait(timeout=5)
    finally:
        worker.stop()
    assert seen == [9]


def test_the_relay_gathers_after_a_busy_pass_and_polls_when_idle(
    db, session_factory, recorder, monkeypatch
):
    seen, _state = recorder
    worker = bus.RelayWorker(session_factory, poll_seconds=0.5, gather_seconds=0.2)
    waits: list[float] = []

    class Clock:  # the worker's stop event: records each wait, stops after the fourth
        def is_set(self):
            return len(waits) >= 4

        def wait(self, seconds):
            waits.append(seconds)
            if len(waits) == 1:  # events arrive while the relay waits
                for n in (1, 2):
                    bus.publish(db, "test.happened", {"n": n})
                db.commit()

    monkeypatch.setattr(worker, "_stop", Clock())
    worker.run_forever()
    # idle; a busy pass (1, 2); another (the consumer's echoes of them); idle again
    assert waits == [0.5, 0.2, 0.2, 0.5]
    assert seen == [1, 2]
    assert bus.RelayWorker(session_factory, 0.05, 0.2)._gather == 0.05  # never above the poll


def test_failing_events_do_not_stall_the_ones_behind_them(db, session_factory, recorder):
    # given five events a consumer keeps failing on, then a good one
    seen, state = recorder
    state["fail_on"] = {0, 1, 2, 3, 4}
    for n in range(6):
        bus.publish(db, "test.happened", {"n": n})
    db.commit()
    # when the relay takes three at a time
    bus.relay_once(session_factory, batch=3)
    bus.relay_once(session_factory, batch=3)
    # then the good event got through
    assert seen == [5]


def test_an_event_is_parked_after_the_last_attempt(db, session_factory, recorder, frozen_clock):
    seen, state = recorder
    state["fail"] = True
    event_id = bus.publish(db, "test.happened", {"n": 1})
    db.commit()
    for _ in range(bus.MAX_ATTEMPTS):
        bus.relay_once(session_factory)
        frozen_clock.advance(hours=1)
    with session_factory() as s:
        row = s.get(OutboxEvent, event_id)
        assert row.attempts == bus.MAX_ATTEMPTS
        assert row.dead_at is not None
    state["fail"] = False
    assert bus.relay_once(session_factory) == 0
    assert seen == []


def _echoes(session_factory):
    with session_factory() as s:
        rows = s.scalars(select(OutboxEvent).where(OutboxEvent.topic == "test.echo"))
        return sorted(row.payload["n"] for row in rows)


def test_a_failing_event_undoes_its_own_work_and_no_one_elses(db, session_factory, recorder):
    seen, state = recorder
    state["fail_on"] = {1}
    for n in range(3):
        bus.publish(db, "test.happened", {"n": n})
    db.commit()
    assert bus.relay_once(session_factory) == 2
    # in a batch, 0 ran again after 1 failed the lot: only the run that committed counts
    assert sorted(set(seen)) == [0, 2]
    assert _echoes(session_factory) == [0, 2]
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(ConsumerReceipt)) == 2


def test_an_in_batch_consumer_commits_once_per_relay_pass(db, session_factory):
    registry = bus.Registry()
    registry.subscribe("test.happened", "test.batch", in_batch=True)(
        lambda session, event: bus.publish(session, "test.echo", {"n": event.payload["n"]})
    )
    registry.subscribe("test.happened", "test.each")(lambda session, event: None)
    for n in range(5):
        bus.publish(db, "test.happened", {"n": n})
    db.commit()
    commits = {"commit": 0, "savepoint": 0}

    def count(conn, *_args):
        commits["savepoint" if _args else "commit"] += 1

    engine = session_factory.kw["bind"]
    original, bus.registry = bus.registry, registry
    sa_event.listen(engine, "commit", count)
    sa_event.listen(engine, "savepoint", count)
    try:
        assert bus.relay_once(session_factory) == 5
    finally:
        sa_event.remove(engine, "commit", count)
        sa_event.remove(engine, "savepoint", count)
        bus.registry = original
    # 1 ending the read (a COMMIT, see db.end_read), 1 for the batch consumer, 5 for the
    # one with a transaction per event, 1 marking
    assert commits == {"commit": 1 + 1 + 5 + 1, "savepoint": 0}  # SAVEPOINTs only on failure
    assert _echoes(session_factory) == [0, 1, 2, 3, 4]


def test_a_lot_is_ten_events_on_sqlite_and_the_whole_pass_on_postgresql(db, session_factory):
    registry = bus.Registry()
    registry.subscribe("test.happened", "test.batch", in_batch=True)(lambda session, e: None)
    for n in range(25):
        bus.publish(db, "test.happened", {"n": n})
    db.commit()
    commits = {"n": 0}

    def count(conn):
        commits["n"] += 1

    engine = session_factory.kw["bind"]
    original, bus.registry = bus.registry, registry
    sa_event.listen(engine, "commit", count)
    try:
        assert bus.relay_once(session_factory) == 25
    finally:
        sa_event.remove(engine, "commit", count)
        bus.registry = original
    # 1 ending the read, the lots, then 1 marking: SQLite keeps its one writer lock short
    assert commits["n"] == 1 + (3 if engine.dialect.name == "sqlite" else 1) + 1


def test_relay_passes_leave_the_connections_prepared_statements(pg_database):
    # given one pooled PostgreSQL connection (psycopg prepares statements), on which the
    # relay's reads got prepared
    engine = make_engine(pg_database, pool_size=1, max_overflow=0)
    factory = make_session_factory(engine)
    try:
        for _ in range(8):  # psycopg prepares a statement on its 5th execution
            bus.relay_once(factory)

        # when the relay keeps finding nothing to do (a server polls several times a second)
        for _ in range(3):
            assert bus.relay_once(factory) == 0

        # then they are still prepared: its reads end with COMMIT, not with a ROLLBACK,
        # at which psycopg drops every statement it prepared (DEALLOCATE ALL)
        with engine.connect() as conn:
            prepared = conn.execute(text("SELECT count(*) FROM pg_prepared_statements"))
            assert prepared.scalar_one() > 0
    finally:
        engine.dispose()
