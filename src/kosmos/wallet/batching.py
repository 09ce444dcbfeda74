"""Group commit for payments over HTTP: the payments of the requests waiting while one
batch is written go together, in one transaction and one COMMIT.

Each payment in a batch runs the same use case as alone (`idempotency.run` around
`payments.pay_merchant`, ...); only the COMMIT is shared. `db.shared_commit` tells the
two places that would otherwise end the transaction: `payments.finish` leaves the
COMMIT to the batch, and `idempotency.run` lets a problem through without rolling back.
What the use cases already defer to the COMMIT then adds up over the batch: the cached
balances (one UPDATE per account, in account-id order), the payers' strong-customer-
authentication counters, the idempotency answers and outbox events (sent with the
COMMIT on PostgreSQL). The answers go out only after the COMMIT, so no client sees a
payment that is not durable.

Anything out of the ordinary, and the batch is done again one payment at a time, each
exactly as alone (own transaction, own answer): a problem in any of its payments (a
declined payment, a PIN needed, a key in flight or reused), a database error, a COMMIT
refused (a floor or an exemption limit passed with the others of the batch). A payment
whose key is already in the batch waits for the batch and then runs alone (it replays
the first answer, as a retry would).

Batches are written on the thread pool, one at a time on SQLite (one writer anyway), two
at a time on PostgreSQL (`BATCHES_IN_FLIGHT`); the next gathers meanwhile. Measured with
bench/ledger.py (PostgreSQL, HTTP, interleaved with the code before): the server's CPU
per payment at 200/s fell from 7.7 and 9.1 ms to 4.4 and 3.9 ms on a slow phase of the
machine (the HTTP floor's own CPU per payment was ~2 ms then); details in the closing
notes of issue 3.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from kosmos import db
from kosmos.wallet.idempotency import Answer

log = logging.getLogger(__name__)

BATCH_MAX = 16
"""At most this many payments share a COMMIT (it bounds how long the first waits)."""

BATCHES_IN_FLIGHT = 2
"""Batches written at once on PostgreSQL. A batch's statements run one after another,
each a round trip; while one batch waits for the database the other runs. Measured
(bench/ledger.py's HTTP payment on PostgreSQL, interleaved runs, 2026-11-25): 2 against
1 in flight, open loop at 200/s p50 111 and 398 ms against 541 and 984 ms; closed loop
with 8 clients 201 and 150/s against 135 and 144/s. Their locks: the payers' SCA
counters in user-id order, then the balances in account-id order, so two batches
never wait for each other in a cycle."""


@dataclass(frozen=True)
class Job:
    """One money-moving request: its idempotency key, and the use case to run for it
    in a given session (which returns the answer, or raises a problem)."""

    scope: str
    key: str
    run: Callable[[Session], Answer]


Outcome = Answer | Exception


def write(factory: sessionmaker[Session], jobs: list[Job]) -> list[Outcome]:
    """Run the jobs in one transaction if all go through; otherwise each alone."""
    first: dict[tuple[str, str], int] = {}
    together: list[int] = []
    for i, job in enumerate(jobs):
        if first.setdefault((job.scope, job.key), i) == i:
            together.append(i)
    outcomes: list[Outcome | None] = [None] * len(jobs)
    answers = _together(factory, [jobs[i] for i in together])
    if answers is not None:
        for i, answer in zip(together, answers, strict=True):
            outcomes[i] = answer
    return [
        _alone(factory, job) if outcome is None else outcome
        for job, outcome in zip(jobs, outcomes, strict=True)
    ]


def _together(factory: sessionmaker[Session], jobs: list[Job]) -> list[Answer] | None:
    if len(jobs) < 2:
        return None  # a batch of one is the payment alone
    with factory() as session:
        try:
            with db.shared_commit(session):
                answers = [job.run(session) for job in jobs]
            session.commit()
        except Exception as exc:  # any doubt: every job again, alone  # noqa: BLE001
            session.rollback()
            log.debug("payment batch of %s done one by one: %r", len(jobs), exc)
            return None
    return answers


def _alone(factory: sessionmaker[Session], job: Job) -> Outcome:
    with factory() as session:
        try:
            return job.run(session)
        except Exception as exc:  # the route raises it: a problem, or a 500  # noqa: BLE001
            return exc


class PaymentBatcher:
    """Collects the payment jobs of this process's requests into batches; up to
    `in_flight` batches are written at once, and the next gathers meanwhile (the chat's
    `SendBatcher` does the same for messages, one batch at a time)."""

    def __init__(self, factory: sessionmaker[Session], in_flight: int = 1) -> None:
        self._factory = factory
        self._in_flight = in_flight
        self._queue: asyncio.Queue[tuple[Job, asyncio.Future[Outcome]]] | None = None
        self._task: asyncio.Task[None] | None = None
        self._loop_of: asyncio.AbstractEventLoop | None = None

    async def run(self, job: Job) -> Answer:
        """The job's answer once its batch is committed; its problem raised."""
        loop = asyncio.get_running_loop()
        if self._queue is None or self._loop_of is not loop:  # a test client's new loop
            self._queue, self._loop_of = asyncio.Queue(), loop
            self._task = asyncio.create_task(self._loop(self._queue))
        future: asyncio.Future[Outcome] = loop.create_future()
        await self._queue.put((job, future))
        outcome = await future
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()

    async def _loop(self, queue: asyncio.Queue[tuple[Job, asyncio.Future[Outcome]]]) -> None:
        slots = asyncio.Semaphore(self._in_flight)
        writing: set[asyncio.Task[None]] = set()
        while True:
            first = await queue.get()
            await slots.acquire()  # the batch takes what arrived while waiting for a slot
            batch = [first]
            while len(batch) < BATCH_MAX and not queue.empty():
                batch.append(queue.get_nowait())
            task = asyncio.create_task(self._write(batch, slots))
            writing.add(task)
            task.add_done_callback(writing.discard)

    async def _write(
        self, batch: list[tuple[Job, asyncio.Future[Outcome]]], slots: asyncio.Semaphore
    ) -> None:
        try:
            jobs = [job for job, _future in batch]
            outcomes: list[Outcome] = await run_in_threadpool(write, self._factory, jobs)
        except Exception as exc:  # never leave a request waiting  # noqa: BLE001
            outcomes = [exc for _ in batch]
        finally:
            slots.release()
        for (_job, future), outcome in zip(batch, outcomes, strict=True):
            if not future.done():
                future.set_result(outcome)


async def run(state: Any, job: Job, *, together: bool) -> Answer:
    """The job's answer: in the app's next batch (`together`), or alone on the thread
    pool. Its problem is raised."""
    if together:
        return await batcher(state).run(job)
    outcome = await run_in_threadpool(_alone, state.write_factory, job)
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


def batcher(state: Any) -> PaymentBatcher:
    """The app's payment batcher (made on first use, inside the event loop). SQLite has
    one writer at a time: one batch in flight; PostgreSQL: `BATCHES_IN_FLIGHT`."""
    if not hasattr(state, "payment_batcher"):
        sqlite = state.write_factory.kw["bind"].dialect.name == "sqlite"
        in_flight = 1 if sqlite else BATCHES_IN_FLIGHT
        state.payment_batcher = PaymentBatcher(state.write_factory, in_flight)
    return state.payment_batcher  # type: ignore[no-any-return]
