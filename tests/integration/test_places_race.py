"""Two phones pay the same QR request at once; a till charges one customer code twice at
once; two taps pay one chat request at once. Real parallel connections on SQLite and
PostgreSQL: exactly one wins and no money moves twice."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.places_support import butcher_id, people
from tests.support import Account

from kosmos.accounts.tables import User
from kosmos.chat import conversations
from kosmos.errors import Problem
from kosmos.places import customer_codes, money_requests, qrpay
from kosmos.wallet import accounts, ledger, payments, sca, topups
from kosmos.wallet.tables import Payment

pytestmark = pytest.mark.postgres
Race = Callable[[int, Callable[[Session, int], Any]], list[Any]]
GOOD_CARD = "4242 4242 4242 4242"


def user(session: Session, account: Account) -> User:
    found = session.get(User, account.id)
    assert found is not None
    return found


def fund(db: Session, account: Account, cents: int) -> None:
    topups.top_up(db, user(db, account), amount=cents, source=GOOD_CARD)
    sca.security_of(db, account.id)
    db.commit()


def settle(db: Session) -> None:
    db.rollback()
    db.expire_all()
    assert ledger.verify(db) == []


def purchases(db: Session) -> int:
    return (
        db.scalar(select(func.count()).select_from(Payment).where(Payment.kind == "purchase")) or 0
    )


def test_two_phones_pay_one_request(db: Session, race: Race) -> None:
    folks = people(db)
    shop = butcher_id(db)
    phones = [folks["ben"], folks["cem"], folks["dora"], folks["anna"]]
    for phone in phones:
        fund(db, phone, 5000)
    request = qrpay.create_request(db, user(db, folks["huber"]), shop, amount=2350)
    reference = request.reference

    def pay(session: Session, i: int) -> Any:
        return qrpay.pay(session, user(session, phones[i]), reference)

    results = race(len(phones), pay)
    won = [r for r in results if isinstance(r, Payment)]
    lost = [r for r in results if isinstance(r, Problem)]
    assert len(won) == 1 and len(lost) == len(phones) - 1, results
    assert all(p.code == "request_not_open" for p in lost)
    settle(db)
    assert purchases(db) == 1
    assert ledger.balance(db, accounts.merchant_account(db, shop).id).amount == 2350
    total = sum(payments.wallet_balance(db, user(db, p)).amount for p in phones)
    assert total == 4 * 5000 - 2350


def test_a_customer_code_is_charged_once(db: Session, race: Race) -> None:
    folks = people(db)
    shop = butcher_id(db)
    fund(db, folks["ben"], 5000)
    code = customer_codes.issue(db, user(db, folks["ben"])).code

    def charge(session: Session, i: int) -> Any:
        return customer_codes.charge(
            session, user(session, folks["huber"]), shop, code=code, amount=1280
        )

    results = race(4, charge)
    assert sum(isinstance(r, Payment) for r in results) == 1, results
    settle(db)
    assert payments.wallet_balance(db, user(db, folks["ben"])).amount == 5000 - 1280


def test_two_taps_pay_one_chat_request(db: Session, race: Race) -> None:
    folks = people(db)
    anna, ben = user(db, folks["anna"]), user(db, folks["ben"])
    fund(db, folks["anna"], 5000)
    chat = conversations.create_group(db, anna, name="Grill", member_ids=[ben.id])
    db.commit()
    req = money_requests.ask(db, ben, chat.id, amount=1500, payer_id=anna.id)
    request_id = req.id

    def tap(session: Session, i: int) -> Any:
        found = money_requests.visible(session, user(session, folks["anna"]), request_id)
        return money_requests.pay(session, user(session, folks["anna"]), found)

    results = race(4, tap)
    assert sum(isinstance(r, Payment) for r in results) == 1, results
    assert all(r is None or isinstance(r, Payment | Problem) for r in results)
    settle(db)
    assert payments.wallet_balance(db, anna).amount == 5000 - 1500
    assert payments.wallet_balance(db, ben).amount == 1500
