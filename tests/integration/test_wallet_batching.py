"""Payments that share one COMMIT (`wallet.batching`), on SQLite and PostgreSQL: the same
outcomes as one at a time, one COMMIT when all go through, and each alone again when
anything in the batch does not."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session
from tests.support import Account, make_account, run_async
from tests.wallet_races import count, fund, shop_balance, user, wallet
from tests.wallet_support import set_pin

from kosmos.db import make_session_factory
from kosmos.wallet import accounts, batching, idempotency, ledger, payments
from kosmos.wallet.batching import Job
from kosmos.wallet.http import created_payment
from kosmos.wallet.idempotency import Answer
from kosmos.wallet.sca import ScaRequired
from kosmos.wallet.tables import IdempotencyKey, Payment, WalletSecurity

pytestmark = pytest.mark.postgres


def pay_job(account: Account, shop: int, cents: int, key: str | None = None) -> Job:
    """What POST /api/v1/wallet/payments queues: pay_merchant under an Idempotency-Key."""
    scope, key = f"user:{account.id}", key or str(uuid.uuid4())
    digest = idempotency.fingerprint("POST", "/api/v1/wallet/payments", {"amount": cents})

    def run(session: Session) -> Answer:
        return idempotency.run(
            session, scope=scope, key=key, fingerprint=digest,
            render=created_payment(account.id),
            action=lambda claim: payments.pay_merchant(
                session, user(session, account), merchant_id=shop, amount=cents, idem=claim
            ),
        )  # fmt: skip

    return Job(scope, key, run)


@pytest.fixture
def writers(session_factory):  # noqa: ANN001, ANN201
    """Writing sessions, as the app's batcher has (SQLite: BEGIN IMMEDIATE)."""
    return make_session_factory(session_factory.kw["bind"], write=True)


@pytest.fixture
def commits() -> Iterator[list[int]]:
    """How many transactions committed (SAVEPOINTs released are not commits)."""
    seen: list[int] = []

    def counted(session: Session) -> None:
        if session.get_nested_transaction() is None:
            seen.append(1)

    event.listen(Session, "after_commit", counted)
    yield seen
    event.remove(Session, "after_commit", counted)


@pytest.fixture
def cem(db: Session) -> Account:
    return make_account(db, "cem")


def test_payments_that_all_go_through_share_one_commit(db, writers, anna, ben, cem, shop, commits):
    for payer in (anna, ben, cem):
        fund(db, payer, 20_00)
    commits.clear()

    outcomes = batching.write(
        writers,
        [pay_job(anna, shop, 5_00), pay_job(ben, shop, 7_00), pay_job(cem, shop, 9_00),
         pay_job(anna, shop, 1_00)],
    )  # fmt: skip

    assert [type(o) for o in outcomes] == [Answer] * 4
    assert [o.status for o in outcomes] == [201] * 4
    assert [o.body["amount"] for o in outcomes] == [5_00, 7_00, 9_00, 1_00]
    assert len(commits) == 1
    assert (wallet(db, anna), wallet(db, ben), wallet(db, cem)) == (14_00, 13_00, 11_00)
    assert shop_balance(db, shop) == 22_00
    # every answer is stored with its payment, and the receipts are numbered apart
    keys = db.scalars(select(IdempotencyKey).where(IdempotencyKey.response_status == 201)).all()
    assert len(keys) == 4 and all(k.payment_id is not None for k in keys)
    numbers = db.scalars(select(Payment.receipt_number).where(Payment.kind == "purchase")).all()
    assert len(set(numbers)) == 4
    security = db.get(WalletSecurity, anna.id)
    assert (security.unchallenged_total, security.unchallenged_count) == (6_00, 2)
    assert ledger.verify(db) == []


def test_a_declined_payment_sends_the_batch_one_by_one(db, writers, anna, ben, shop, commits):
    fund(db, anna, 10_00)
    fund(db, ben, 1_00)
    commits.clear()
    declined = pay_job(ben, shop, 5_00)

    outcomes = batching.write(
        writers, [pay_job(anna, shop, 5_00), declined, pay_job(anna, shop, 3_00)]
    )

    assert [getattr(o, "status", None) for o in outcomes] == [201, 422, 201]
    assert isinstance(outcomes[1], ledger.NotEnoughMoney)
    assert len(commits) == 3  # the batch was rolled back: each committed alone
    assert (wallet(db, anna), wallet(db, ben), shop_balance(db, shop)) == (2_00, 1_00, 8_00)
    # the refusal is remembered under its key, as for a payment alone
    db.rollback()
    again = batching.write(writers, [declined])[0]
    assert isinstance(again, Answer) and again.replayed
    assert (again.status, again.body["code"]) == (422, "insufficient_funds")
    assert count(db, Payment.kind == "purchase") == 2
    assert ledger.verify(db) == []


def test_a_commit_refused_for_the_batch_is_done_one_by_one(
    db, writers, client, anna, shop, commits
):
    # given Anna (with a PIN) 6 EUR short of the 150 EUR she may pay without it
    set_pin(client, anna)
    fund(db, anna, 100_00)
    db.execute(update(WalletSecurity).values(unchallenged_total=144_00))
    db.commit()
    commits.clear()

    # when two payments of 5 EUR share a batch: each is exempt alone, not both
    outcomes = batching.write(writers, [pay_job(anna, shop, 5_00), pay_job(anna, shop, 5_00)])

    # then the COMMIT was refused, and one at a time the first pays, the second needs the PIN
    assert isinstance(outcomes[0], Answer) and outcomes[0].status == 201
    assert isinstance(outcomes[1], ScaRequired)
    assert len(commits) == 1  # the one that paid; the refused batch committed nothing
    assert wallet(db, anna) == 95_00
    assert db.get(WalletSecurity, anna.id).unchallenged_total == 149_00
    assert ledger.verify(db) == []


def test_the_same_key_twice_in_a_batch_pays_once(db, writers, anna, ben, shop):
    fund(db, anna, 10_00)
    fund(db, ben, 10_00)
    first = pay_job(anna, shop, 4_00, key="double-tap")

    outcomes = batching.write(
        writers, [first, pay_job(ben, shop, 2_00), pay_job(anna, shop, 4_00, key="double-tap")]
    )

    assert [o.status for o in outcomes] == [201, 201, 201]  # type: ignore[union-attr]
    assert not outcomes[0].replayed and outcomes[2].replayed  # type: ignore[union-attr]
    assert outcomes[2].body == outcomes[0].body  # type: ignore[union-attr]
    assert wallet(db, anna) == 6_00
    assert count(db, Payment.kind == "purchase") == 2
    assert ledger.verify(db) == []


def test_concurrent_requests_are_batched_and_spend_exactly_the_wallet(app, db, anna, shop, commits):
    # given a wallet that covers 6 of 10 payments of 5 EUR sent at once over HTTP
    fund(db, anna, 30_00)
    db.commit()
    commits.clear()

    async def burst() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            return await asyncio.gather(*[
                c.post(
                    "/api/v1/wallet/payments",
                    json={"merchant_id": shop, "amount": 5_00, "description": f"Wurst {i}"},
                    headers={**anna.headers, "Idempotency-Key": f"burst-{i}"},
                )
                for i in range(10)
            ])  # fmt: skip

    responses = run_async(burst())

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] * 6 + [422] * 4
    refused = [r.json() for r in responses if r.status_code == 422]
    assert {r["code"] for r in refused} == {"insufficient_funds"}
    assert all(r.headers["content-type"].startswith("application/problem+json")
               for r in responses if r.status_code == 422)  # fmt: skip
    assert wallet(db, anna) == 0
    assert count(db, Payment.kind == "purchase") == 6
    assert ledger.verify(db) == []


def test_jobs_waiting_together_go_in_one_batch(db, writers, anna, ben, shop, commits):
    fund(db, anna, 50_00)
    fund(db, ben, 50_00)
    db.commit()
    commits.clear()
    jobs = [pay_job(anna if i % 2 else ben, shop, 1_00) for i in range(12)]

    async def together() -> list[Answer]:
        batcher = batching.PaymentBatcher(writers)
        try:  # all twelve are queued before the batcher's task first runs
            return await asyncio.gather(*[batcher.run(job) for job in jobs])
        finally:
            await batcher.stop()

    answers = run_async(together())

    assert [a.status for a in answers] == [201] * 12
    assert len({a.body["reference"] for a in answers}) == 12
    assert len(commits) == 1
    assert (wallet(db, anna), wallet(db, ben)) == (44_00, 44_00)
    assert ledger.verify(db) == []


def test_two_batches_in_flight_pay_everything_once(db, writers, anna, ben, cem, shop, commits):
    for payer in (anna, ben, cem):
        fund(db, payer, 50_00)
    db.commit()
    commits.clear()
    payers = (anna, ben, cem)
    jobs = [pay_job(payers[i % 3], shop, 1_00) for i in range(batching.BATCH_MAX + 5)]

    async def two_batches() -> list[Answer]:
        batcher = batching.PaymentBatcher(writers, in_flight=2)
        try:  # a full batch and the rest, written at the same time
            return await asyncio.gather(*[batcher.run(job) for job in jobs])
        finally:
            await batcher.stop()

    answers = run_async(two_batches())

    assert [a.status for a in answers] == [201] * len(jobs)
    assert len(commits) == 2
    assert [wallet(db, p) for p in payers] == [43_00, 43_00, 43_00]
    assert shop_balance(db, shop) == 21_00
    assert count(db, Payment.kind == "purchase") == 21
    assert ledger.verify(db) == []


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)  # SQLite: one writer
def test_batches_committing_at_once_lock_payers_in_one_order(db, writers, anna, ben, shop, commits):
    # given two batches with the same two payers in opposite order (the shop's account
    # opened: two batches opening it would wait for each other's COMMIT)
    fund(db, anna, 10_00)
    fund(db, ben, 10_00)
    accounts.merchant_account(db, shop)
    db.commit()
    commits.clear()
    batches = [
        [pay_job(anna, shop, 1_00), pay_job(ben, shop, 1_00)],
        [pay_job(ben, shop, 2_00), pay_job(anna, shop, 2_00)],
    ]
    both_at_commit = threading.Barrier(2, timeout=10)

    def meet(session: Session) -> None:  # runs before the counters and balances are locked
        if session.info.get("kosmos_sca_at_commit"):
            both_at_commit.wait()

    # when both reach their COMMIT at the same moment
    event.listen(Session, "before_commit", meet, insert=True)
    try:
        with ThreadPoolExecutor(2) as pool:
            outcomes = list(pool.map(lambda jobs: batching.write(writers, jobs), batches))
    finally:
        event.remove(Session, "before_commit", meet)

    # then neither waited for the other in a cycle (PostgreSQL would have broken a
    # deadlock by failing one, which then went one payment at a time): two commits
    assert [[getattr(a, "status", a) for a in answers] for answers in outcomes] == [[201, 201]] * 2
    assert len(commits) == 2
    assert (wallet(db, anna), wallet(db, ben)) == (7_00, 7_00)
    assert ledger.verify(db) == []


def test_a_payment_with_a_pin_runs_alone(client, db, anna, shop):
    set_pin(client, anna)
    fund(db, anna, 10_00)
    response = client.post(
        "/api/v1/wallet/payments",
        json={"merchant_id": shop, "amount": 2_00, "pin": "4711"},
        headers={**anna.headers, "Idempotency-Key": "with-pin"},
    )
    assert response.status_code == 201, response.text
    assert response.json()["sca"] == "pin"
