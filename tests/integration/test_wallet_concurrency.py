"""Wallet use cases racing on real parallel connections (SQLite and PostgreSQL).

Every test releases its threads at the same moment (a barrier), each with its own
session and connection, and then checks real figures: how many calls won, the
balances, the rows written and `ledger.verify`. Amounts stay at or below 50 EUR and
each payer's total below 150 EUR, so strong customer authentication exempts every
payment and the race is about money, not PINs.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.support import make_account
from tests.wallet_races import count, fresh, fund, only, shop_balance, user, wallet, winners
from tests.wallet_support import make_friends

from kosmos.errors import Conflict, Invalid
from kosmos.wallet import holds, idempotency, ledger, payments, requests
from kosmos.wallet.http import created_payment
from kosmos.wallet.idempotency import Answer, KeyInFlight
from kosmos.wallet.ledger import NotEnoughMoney
from kosmos.wallet.tables import (
    Hold,
    IdempotencyKey,
    LedgerTransfer,
    Payment,
    PaymentRequest,
    WalletSecurity,
)

pytestmark = pytest.mark.postgres

Race = Callable[[int, Callable[[Session, int], Any]], list[Any]]


# --- pay a merchant ----------------------------------------------------------------------------


def test_parallel_payments_spend_exactly_what_the_wallet_holds(db, anna, shop, race):
    # given a wallet that covers exactly 5 payments of 10.00 EUR
    fund(db, anna, 50_00)

    # when 20 payments of 10.00 EUR race, each on its own connection
    def pay(session, i):
        return payments.pay_merchant(
            session, user(session, anna), merchant_id=shop, amount=10_00, description=f"Wurst {i}"
        )

    outcomes = race(20, pay)

    # then exactly 5 are paid and 15 refused for want of money
    only(outcomes, Payment, NotEnoughMoney)
    paid, refused = winners(outcomes, Payment), winners(outcomes, NotEnoughMoney)
    assert (len(paid), len(refused)) == (5, 15)
    assert {r.code for r in refused} == {"insufficient_funds"}
    assert len({p.reference for p in paid}) == 5
    # and the money, the rows and the ledger agree
    assert wallet(db, anna) == 0
    assert shop_balance(db, shop) == 50_00
    assert count(db, Payment.kind == "purchase") == 5
    assert set(db.scalars(select(Payment.sca).where(Payment.kind == "purchase"))) == {"exempt"}
    # the SCA counter saw exactly the paid ones (refused payments roll their count back)
    security = db.get(WalletSecurity, anna.id)
    assert (security.unchallenged_total, security.unchallenged_count) == (50_00, 5)
    assert ledger.verify(db) == []


def test_parallel_payments_leave_the_right_change(db, anna, shop, race):
    # given 47.50 EUR and 12 payments of 7.00 EUR (6 fit, 5.50 EUR stays)
    fund(db, anna, 47_50)
    outcomes = race(
        12,
        lambda s, i: payments.pay_merchant(
            s, user(s, anna), merchant_id=shop, amount=7_00, description=f"Käse {i}"
        ),
    )
    only(outcomes, Payment, NotEnoughMoney)
    assert len(winners(outcomes, Payment)) == 6
    # every refusal tells how much was really available when it was checked
    assert {r.extra["available"] for r in winners(outcomes, NotEnoughMoney)} == {5_50}
    assert wallet(db, anna) == 5_50
    assert shop_balance(db, shop) == 42_00
    assert ledger.verify(db) == []


def test_the_first_payments_of_a_new_wallet_can_run_at_once(db, anna, shop, race):
    # given a funded wallet that has never paid (no SCA row yet: the first payment makes it)
    fund(db, anna, 50_00, paid_before=False)
    assert db.get(WalletSecurity, anna.id) is None

    # when ten payments of 5.00 EUR arrive at once (double tap, two devices)
    outcomes = race(
        10,
        lambda s, i: payments.pay_merchant(
            s, user(s, anna), merchant_id=shop, amount=5_00, description=f"Brötchen {i}"
        ),
    )

    # then all of them are paid: the wallet covers them all (the SCA row is created
    # once, in a savepoint, and the losers of that race lock the winner's row)
    only(outcomes, Payment)
    assert wallet(db, anna) == 0
    assert count(db, Payment.kind == "purchase") == 10
    security = db.get(WalletSecurity, anna.id)
    assert (security.unchallenged_total, security.unchallenged_count) == (50_00, 10)
    assert ledger.verify(db) == []


# --- send to a friend --------------------------------------------------------------------------


def test_parallel_transfers_to_a_friend_never_overdraw(db, anna, ben, race):
    # given friends Anna (50.00 EUR) and Ben (nothing)
    make_friends(db, anna, ben)
    fund(db, anna, 50_00)

    # when Anna sends 10.00 EUR twenty times at once
    outcomes = race(
        20,
        lambda s, i: payments.send_to_friend(
            s, user(s, anna), friend_id=ben.id, amount=10_00, note=f"Pizza {i}"
        ),
    )

    # then exactly five go through
    only(outcomes, Payment, NotEnoughMoney)
    assert len(winners(outcomes, Payment)) == 5
    assert wallet(db, anna) == 0
    assert wallet(db, ben) == 50_00
    assert count(db, Payment.kind == "transfer") == 5
    assert ledger.verify(db) == []


def test_crossing_transfers_neither_deadlock_nor_lose_money(db, anna, ben, race):
    # given friends with 50.00 EUR each, sending 10.00 EUR to each other at once
    make_friends(db, anna, ben)
    fund(db, anna, 50_00)
    fund(db, ben, 50_00)

    def send(session, i):
        sender, receiver = (anna, ben) if i % 2 == 0 else (ben, anna)
        return payments.send_to_friend(
            session, user(session, sender), friend_id=receiver.id, amount=10_00, note=f"x{i}"
        )

    outcomes = race(20, send)

    # then no deadlock or lock error: each either paid or lacked money at that instant
    only(outcomes, Payment, NotEnoughMoney)
    from_anna = sum(1 for o in outcomes if isinstance(o, Payment) and o.user_id == anna.id)
    from_ben = sum(1 for o in outcomes if isinstance(o, Payment) and o.user_id == ben.id)
    # each could always afford her or his first five
    assert from_anna >= 5 and from_ben >= 5
    # and the money is where the successful transfers put it, none created or lost
    assert wallet(db, anna) == 50_00 - 10_00 * from_anna + 10_00 * from_ben
    assert wallet(db, ben) == 50_00 - 10_00 * from_ben + 10_00 * from_anna
    assert wallet(db, anna) >= 0 and wallet(db, ben) >= 0
    assert count(db, Payment.kind == "transfer") == from_anna + from_ben
    assert ledger.verify(db) == []


# --- refunds -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("each", "threads", "expected"),
    [(10_00, 6, 3), (None, 4, 1), (7_00, 8, 4)],
    ids=["6x10-of-30", "4x-rest-of-30", "8x7-of-30"],
)
def test_parallel_refunds_never_exceed_what_was_paid(db, anna, shop, race, each, threads, expected):
    # given a purchase of 30.00 EUR
    fund(db, anna, 40_00)
    purchase = payments.pay_merchant(
        db, user(db, anna), merchant_id=shop, amount=30_00, description="Grillpaket"
    )

    # when the shop refunds part of it from several tills at once
    outcomes = race(
        threads,
        lambda s, i: payments.refund(s, shop, purchase.reference, amount=each, reason=f"R{i}"),
    )

    # then exactly as many refunds pass as fit into 30.00 EUR
    only(outcomes, Payment, Invalid)
    refunds = winners(outcomes, Payment)
    refused = [o for o in outcomes if not isinstance(o, Payment)]
    assert len(refunds) == expected
    # "the rest" of a fully refunded purchase is nothing: refused as a zero amount
    allowed = {"refund_exceeds_payment"}
    assert {r.code for r in refused} <= allowed
    assert len(refused) == threads - expected
    given_back = sum(r.amount for r in refunds)
    assert given_back == (30_00 if each is None else each * expected)
    fresh(db)
    assert db.get(Payment, purchase.id).refunded == given_back
    assert count(db, Payment.kind == "refund", Payment.refund_of_id == purchase.id) == expected
    assert wallet(db, anna) == 10_00 + given_back
    assert shop_balance(db, shop) == 30_00 - given_back
    assert ledger.verify(db) == []


# --- payment requests --------------------------------------------------------------------------


def test_a_payment_request_is_paid_once_when_several_payers_race(db, anna, ben, shop, race):
    # given three payers with money (two of them on two devices each) and an open request
    cara = make_account(db, "cara")
    payers = [anna, ben, cara]
    for payer in payers:
        fund(db, payer, 50_00)
    request = requests.create_request(
        db, user(db, anna), shop, amount=25_00, description="Wochenmarkt"
    )

    # when all six try to pay it at the same moment
    outcomes = race(
        6, lambda s, i: payments.pay_request(s, user(s, payers[i % 3]), request.reference)
    )

    # then exactly one pays; the others hear that the request is no longer open
    only(outcomes, Payment, Conflict)
    paid = winners(outcomes, Payment)
    assert len(paid) == 1
    assert {c.code for c in winners(outcomes, Conflict)} == {"request_not_open"}
    fresh(db)
    assert db.get(PaymentRequest, request.id).status == "paid"
    assert count(db, Payment.request_id == request.id) == 1
    assert count(db, Payment.kind == "purchase") == 1
    # one debit only: the payers together are exactly 25.00 EUR poorer
    assert sum(wallet(db, p) for p in payers) == 3 * 50_00 - 25_00
    assert wallet(db, next(p for p in payers if p.id == paid[0].user_id)) == 25_00
    assert shop_balance(db, shop) == 25_00
    fresh(db)
    purchases = db.scalar(
        select(func.count()).select_from(LedgerTransfer).where(LedgerTransfer.kind == "purchase")
    )
    assert purchases == 1
    assert ledger.verify(db) == []


# --- idempotency keys --------------------------------------------------------------------------


@pytest.mark.parametrize("guard", ["in-process", "database-only"])
def test_one_key_sent_many_times_at_once_moves_money_once(db, anna, shop, race, monkeypatch, guard):
    # given a funded wallet and one client request retried eight times at the same moment
    fund(db, anna, 50_00)
    if guard == "database-only":
        # as if the copies reached different server processes: only the database
        # (advisory lock on PostgreSQL, the writer lock on SQLite) can keep them apart
        monkeypatch.setattr(idempotency, "_in_process_guard", lambda scope, key: nullcontext())
    scope, key = f"user:{anna.id}", "race-key-0001"
    params = {"merchant_id": shop, "amount": 12_34, "description": "Brot"}
    fingerprint = idempotency.fingerprint("POST", "/api/v1/wallet/payments", params)

    def call(session, _i):
        me = user(session, anna)
        return idempotency.run(
            session,
            scope=scope,
            key=key,
            fingerprint=fingerprint,
            render=created_payment(me.id),
            action=lambda claim: payments.pay_merchant(session, me, **params, idem=claim),
        )

    outcomes = race(8, call)

    # then one copy ran; every other one replayed its answer or was told it is in flight
    only(outcomes, Answer, KeyInFlight)
    answers = winners(outcomes, Answer)
    first = [a for a in answers if not a.replayed]
    assert len(first) == 1
    assert first[0].status == 201
    assert all(a.status == 201 and a.body == first[0].body for a in answers)
    assert {o.status for o in winners(outcomes, KeyInFlight)} <= {409}
    # and the money moved exactly once
    assert count(db, Payment.kind == "purchase") == 1
    assert wallet(db, anna) == 50_00 - 12_34
    assert shop_balance(db, shop) == 12_34
    stored = db.scalars(select(IdempotencyKey)).all()
    assert [(k.scope, k.key, k.response_status) for k in stored] == [(scope, key, 201)]
    assert stored[0].response_body["reference"] == first[0].body["reference"]
    assert ledger.verify(db) == []


# --- holds -------------------------------------------------------------------------------------


def test_capture_racing_release_has_exactly_one_winner(db, anna, shop, race):
    # given three open holds of 40.00 EUR (120.00 EUR of 150.00 EUR reserved)
    fund(db, anna, 150_00)
    refs = [
        holds.authorize(
            db, user(db, anna), merchant_id=shop, amount=40_00, description=f"Lieferung {n}"
        ).reference
        for n in range(3)
    ]
    assert wallet(db, anna) == 30_00

    # when, for every hold, two tills capture 25.00 EUR while the buyer releases it twice
    def act(session, i):
        ref = refs[i % 3]
        if (i // 3) % 2 == 0:
            return holds.capture(session, shop, ref, amount=25_00, description="Lieferung")
        return holds.release(session, holds.user_hold(session, user(session, anna), ref))

    outcomes = race(12, act)

    # then each hold was closed exactly once; everyone else was told it is closed
    only(outcomes, Payment, Hold, Conflict)
    assert {c.code for c in winners(outcomes, Conflict)} == {"hold_closed"}
    captured = winners(outcomes, Payment)
    released = winners(outcomes, Hold)
    assert len(captured) + len(released) == 3
    assert {p.hold_id for p in captured}.isdisjoint({h.id for h in released})
    fresh(db)
    rows = {h.reference: h for h in db.scalars(select(Hold))}
    assert sorted(h.status for h in rows.values()) == sorted(
        ["captured"] * len(captured) + ["released"] * len(released)
    )
    for hold in rows.values():
        if hold.status == "captured":
            assert (hold.captured, hold.released) == (25_00, 15_00)
            assert count(db, Payment.hold_id == hold.id) == 1
        else:
            assert (hold.status, hold.captured, hold.released) == ("released", 0, 40_00)
            assert count(db, Payment.hold_id == hold.id) == 0
    # the buyer paid 25.00 EUR per capture and got the rest back
    assert wallet(db, anna) == 150_00 - 25_00 * len(captured)
    assert shop_balance(db, shop) == 25_00 * len(captured)
    assert ledger.verify(db) == []  # includes: the holds account equals the open holds
