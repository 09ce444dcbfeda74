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

One batch is written at a time per process (the next gathers meanwhile), on the thread
pool. Measured with bench/ledger.py (PostgreSQL, HTTP, 200 payments/s): see the closing
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
    """Collects the payment jobs of this process's requests; while one batch is being
    written, the next gathers (the chat's `SendBatcher` does the same for messages)."""

    def __init__(self, factory: sessionmaker[Session]) -> None:
        self._factory = factory
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
        while True:
            batch = [await queue.get()]
            while len(batch) < BATCH_MAX and not queue.empty():
                batch.append(queue.get_nowait())
            jobs = [job for job, _future in batch]
            try:
                outcomes = await run_in_threadpool(write, self._factory, jobs)
            except Exception as exc:  # never leave a request waiting  # noqa: BLE001
                outcomes = [exc for _ in batch]
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
    """The app's payment batcher (made on first use, inside the event loop)."""
    if not hasattr(state, "payment_batcher"):
        state.payment_batcher = PaymentBatcher(state.write_factory)
    return state.payment_batcher  # type: ignore[no-any-return]
