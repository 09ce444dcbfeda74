"""Domain events through a transactional outbox.

`publish()` stores an event in the caller's transaction, so it exists exactly when the
change it describes was committed. The relay (a thread inside `kosmos serve`, or
`kosmos worker` on its own) hands each stored event to its subscribers after commit.
Each subscriber runs in its own transaction together with a receipt row
(consumer, event id); the receipt's primary key makes a redelivery harmless. A
subscriber registered `in_batch=True` (it only writes through the session it is given:
no commit, no network) handles a relay pass's events in lots (`_lot_size`), each in
one transaction with one COMMIT; only when that fails, each event again in a SAVEPOINT
with its receipt (`_deliver_batch`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Integer,
    String,
    Text,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from kosmos import clock, db, fast_sql
from kosmos.db import Base, UTCDateTime

log = logging.getLogger(__name__)


class OutboxEvent(Base):
    __tablename__ = "outbox_events"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    topic: Mapped[str] = mapped_column(String(100), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    relayed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    dead_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ConsumerReceipt(Base):
    __tablename__ = "consumer_receipts"

    consumer: Mapped[str] = mapped_column(String(100), primary_key=True)
    event_id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True
    )
    handled_at: Mapped[datetime] = mapped_column(UTCDateTime())


Handler = Callable[[Session, OutboxEvent], None]


@dataclass
class _Subscription:
    name: str
    topic: str
    handler: Handler
    in_batch: bool = False

    def wants(self, event: OutboxEvent) -> bool:
        return self.topic in (event.topic, "*")


Job = Callable[[sessionmaker[Session]], object]


@dataclass
class _Periodic:
    name: str
    seconds: float
    job: Job
    next_run: float = 0.0


@dataclass
class Registry:
    subscriptions: list[_Subscription] = field(default_factory=list)
    periodic: list[_Periodic] = field(default_factory=list)

    def every(self, seconds: float, name: str) -> Callable[[Job], Job]:
        """Run `job(session_factory)` from the relay worker about every `seconds`."""

        def register(fn: Job) -> Job:
            if any(p.name == name for p in self.periodic):
                raise ValueError(f"duplicate periodic job {name!r}")
            self.periodic.append(_Periodic(name, seconds, fn))
            return fn

        return register

    def subscribe(
        self, topic: str, name: str, *, in_batch: bool = False
    ) -> Callable[[Handler], Handler]:
        """Hand every event of `topic` ("*": all) to the decorated handler, once.
        `in_batch`: the handler only writes through its session (no commit, no network
        call), so a whole relay pass of its events can share one transaction."""

        def register(fn: Handler) -> Handler:
            if any(s.name == name for s in self.subscriptions):
                raise ValueError(f"duplicate consumer name {name!r}")
            self.subscriptions.append(_Subscription(name, topic, fn, in_batch))
            return fn

        return register


registry = Registry()
subscribe = registry.subscribe
every = registry.every


def run_periodic(factory: sessionmaker[Session], *, now: float | None = None) -> int:
    """Run the periodic jobs that are due; returns how many ran."""
    moment = time.monotonic() if now is None else now
    ran = 0
    for job in registry.periodic:
        if moment < job.next_run:
            continue
        job.next_run = moment + job.seconds
        try:
            job.job(factory)
        except Exception:
            log.exception("periodic job %s failed", job.name)
        ran += 1
    return ran


def publish(session: Session, topic: str, payload: dict[str, Any]) -> int:
    """Store an event in the current transaction (one INSERT, at once, not at flush);
    returns its id. Nothing is delivered until commit."""
    values = {"topic": topic, "payload": payload, "created_at": clock.now(), "attempts": 0}
    return int(_INSERT_EVENT.execute(session, values).scalar_one())


def publish_at_commit(session: Session, topic: str, payload: dict[str, Any]) -> None:
    """`publish()` for a hot path: the INSERT goes with the transaction's COMMIT, in one
    round trip where the driver can (`fast_sql.Statement.execute_with_commit`); no id
    back. An event is only visible after the commit either way."""
    values = {"topic": topic, "payload": payload, "created_at": clock.now(), "attempts": 0}
    _QUEUE_EVENT.execute_with_commit(session, values)


_EVENTS = OutboxEvent.__table__
_EVENT_COLUMNS = ("topic", "payload", "created_at", "attempts")
_INSERT_EVENT = fast_sql.Statement(
    fast_sql.insert_into(_EVENTS, _EVENT_COLUMNS).returning(_EVENTS.c.id)
)
_QUEUE_EVENT = fast_sql.Statement(fast_sql.insert_into(_EVENTS, _EVENT_COLUMNS))


MAX_ATTEMPTS = 20
"""After this many failed deliveries an event is parked (dead_at set) and logged."""


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: 2 s, 4 s, 8 s ... capped at one hour."""
    return timedelta(seconds=min(2**attempts, 3600))


def relay_once(factory: sessionmaker[Session], batch: int = 100) -> int:
    """Deliver the events that are due to their subscribers. Returns how many were relayed.

    An event whose consumer fails waits (backoff) while later events go ahead, so one
    broken consumer cannot stall the outbox.
    """
    now = clock.now()
    with factory() as session:
        events = session.scalars(
            select(OutboxEvent)
            .where(
                OutboxEvent.relayed_at.is_(None),
                OutboxEvent.dead_at.is_(None),
                or_(OutboxEvent.next_attempt_at.is_(None), OutboxEvent.next_attempt_at <= now),
            )
            .order_by(OutboxEvent.id)
            .limit(batch)
        ).all()
        if not events:
            db.end_read(session)
            return 0
        handled = {
            (row.consumer, row.event_id)
            for row in session.execute(
                select(ConsumerReceipt.consumer, ConsumerReceipt.event_id).where(
                    ConsumerReceipt.event_id.in_([e.id for e in events])
                )
            )
        }
        db.end_read(session)
    failed: dict[int, list[str]] = {}
    lot = _lot_size(factory, batch)
    for sub in registry.subscriptions:
        todo = [e for e in events if sub.wants(e) and (sub.name, e.id) not in handled]
        if sub.in_batch:
            for start in range(0, len(todo), lot):
                _deliver_batch(factory, sub, todo[start : start + lot], failed)
        else:
            for event in todo:
                _deliver(factory, sub, event, failed)
    for event_id, errors in failed.items():
        _record_failure(factory, event_id, "; ".join(errors))
    done = [event.id for event in events if event.id not in failed]
    if done:  # one commit marks the whole batch (a crash before it only redelivers)
        with factory() as session:
            session.execute(
                update(OutboxEvent)
                .where(OutboxEvent.id.in_(done))
                .values(relayed_at=clock.now(), attempts=OutboxEvent.attempts + 1)
            )
            session.commit()
    return len(done)


IN_BATCH_EVENTS = 10
"""Events an `in_batch` consumer handles per transaction on SQLite: few enough that the
writer lock is not held long (bench/ledger.py: with 100, the p99 of a payment over HTTP
at 200/s rose from ~6 to ~55 ms), many enough to save most commits. PostgreSQL has no
database-wide writer lock: there a pass's events are one lot (with 100 instead of 10,
p99 21.9/21.9 -> 18.2/13.9 ms, server CPU 3.23 -> 3.05 ms a payment)."""


def _lot_size(factory: sessionmaker[Session], batch: int) -> int:
    bind = factory.kw.get("bind")
    return batch if bind is not None and bind.dialect.name != "sqlite" else IN_BATCH_EVENTS


_RECEIPTS = ConsumerReceipt.__table__
_INSERT_RECEIPT = fast_sql.Statement(
    fast_sql.insert_into(_RECEIPTS, ("consumer", "event_id", "handled_at"))
)


def _receipt(sub: _Subscription, event: OutboxEvent) -> ConsumerReceipt:
    return ConsumerReceipt(consumer=sub.name, event_id=event.id, handled_at=clock.now())


def _failure(
    failed: dict[int, list[str]], sub: _Subscription, event_id: int, exc: Exception
) -> None:
    log.error("consumer %s failed on event %s", sub.name, event_id, exc_info=exc)
    failed.setdefault(event_id, []).append(f"{sub.name}: {exc!r}")


def _deliver(
    factory: sessionmaker[Session],
    sub: _Subscription,
    event: OutboxEvent,
    failed: dict[int, list[str]],
) -> None:
    with factory() as session:
        try:
            sub.handler(session, event)
            session.add(_receipt(sub, event))
            session.commit()
        except IntegrityError:
            session.rollback()  # another relay handled it first: harmless
        except Exception as exc:  # a failing consumer is retried later
            session.rollback()
            _failure(failed, sub, event.id, exc)


def _deliver_batch(
    factory: sessionmaker[Session],
    sub: _Subscription,
    events: list[OutboxEvent],
    failed: dict[int, list[str]],
) -> None:
    """One transaction for the lot. First without SAVEPOINTs (two round trips less per
    event) and the receipts in one statement; if anything in it fails, it is rolled
    back and done again with each event in a SAVEPOINT, so one failing event leaves
    the others' work standing. A consumer may so see an event twice; only the run
    that commits counts, as with any redelivery."""
    if _deliver_batch_at_once(factory, sub, events):
        return
    failed_here: dict[int, list[str]] = {}
    with factory() as session:
        for event in events:
            try:
                with session.begin_nested():
                    sub.handler(session, event)
                    _INSERT_RECEIPT.execute(
                        session,
                        {"consumer": sub.name, "event_id": event.id, "handled_at": clock.now()},
                    )
            except IntegrityError:
                pass  # another relay handled it first: harmless
            except Exception as exc:  # a failing consumer is retried later
                _failure(failed_here, sub, event.id, exc)
        try:
            session.commit()
        except Exception as exc:  # nothing of the lot stands: all are retried later
            session.rollback()
            for event in events:
                _failure(failed_here, sub, event.id, exc)
    for event_id, errors in failed_here.items():
        failed.setdefault(event_id, []).extend(errors)


def _deliver_batch_at_once(
    factory: sessionmaker[Session], sub: _Subscription, events: list[OutboxEvent]
) -> bool:
    with factory() as session:
        try:
            for event in events:
                sub.handler(session, event)
            now = clock.now()
            _INSERT_RECEIPT.executemany(
                session,
                [
                    {"consumer": sub.name, "event_id": event.id, "handled_at": now}
                    for event in events
                ],
            )
            session.commit()
        except Exception:  # a consumer failed, or another relay handled one: one at a time
            session.rollback()
            return False
    return True


def _record_failure(factory: sessionmaker[Session], event_id: int, error: str) -> None:
    with factory() as session:
        event = session.get(OutboxEvent, event_id)
        if event is None:
            return
        now = clock.now()
        event.attempts += 1
        event.last_error = error[:2000]
        event.next_attempt_at = now + retry_delay(event.attempts)
        if event.attempts >= MAX_ATTEMPTS:
            event.dead_at = now
            log.error(
                "outbox event %s parked after %s attempts: %s", event_id, event.attempts, error
            )
        session.commit()


class RelayWorker:
    """Polls the outbox in a background thread until stopped.

    After a pass that relayed events it waits `gather_seconds` (at most the poll
    interval) before the next, so that under load events are relayed in lots: each pass
    has a fixed cost (reading the due events and the receipts, marking them relayed, a
    transaction per consumer), and passes right after each other, a few events each,
    took the CPU and the GIL from the requests (bench/ledger.py, HTTP on PostgreSQL at
    200 payments/s: server CPU 4.3 -> 3.4 ms a payment, p50 23 -> 4 ms). An event
    waits at most that long more; idle, the poll interval decides as before."""

    def __init__(
        self,
        factory: sessionmaker[Session],
        poll_seconds: float = 0.5,
        gather_seconds: float = 0.2,
    ) -> None:
        self._factory = factory
        self._poll = poll_seconds
        self._gather = min(gather_seconds, poll_seconds)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run_forever, name="outbox-relay", daemon=True)
        self._thread.start()

    def run_forever(self) -> None:
        while not self._stop.is_set():
            try:
                busy = relay_once(self._factory)
            except Exception:
                log.exception("outbox relay pass failed")
                busy = 0
            run_periodic(self._factory)
            self._stop.wait(self._gather if busy else self._poll)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
