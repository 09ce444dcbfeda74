"""Helpers for the wallet race tests (tests/integration/test_*_concurrency.py): the
figures each test checks after its threads have raced (`race` fixture, conftest)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.support import Account
from tests.wallet_support import GOOD_CARD

from kosmos.accounts.tables import User
from kosmos.wallet import accounts, ledger, payments, sca, topups
from kosmos.wallet.tables import Payment


def user(session: Session, account: Account) -> User:
    found = session.get(User, account.id)
    assert found is not None
    return found


def fund(db: Session, account: Account, cents: int, *, paid_before: bool = True) -> None:
    """Top up the wallet. `paid_before` also creates the payer's SCA row (what the first
    payment does), so the race is about money; the first-payment race has its own test."""
    topups.top_up(db, user(db, account), amount=cents, source=GOOD_CARD)
    if paid_before:
        sca.security_of(db, account.id)
        db.commit()


def fresh(db: Session) -> Session:
    """The test's own session, forgetting what it read before the race."""
    db.rollback()
    db.expire_all()
    return db


def wallet(db: Session, account: Account) -> int:
    fresh(db)
    return payments.wallet_balance(db, user(db, account)).amount


def shop_balance(db: Session, merchant_id: int) -> int:
    fresh(db)
    account = accounts.merchant_account(db, merchant_id)
    result = ledger.balance(db, account.id).amount
    db.commit()
    return result


def count(db: Session, *where: Any) -> int:
    fresh(db)
    return db.scalar(select(func.count()).select_from(Payment).where(*where)) or 0


def winners(outcomes: list[Any], kind: type) -> list[Any]:
    return [o for o in outcomes if isinstance(o, kind)]


def only(outcomes: list[Any], *kinds: type) -> None:
    """Every outcome is one of the expected kinds (no 500-style surprise)."""
    strange = [o for o in outcomes if not isinstance(o, kinds)]
    assert strange == [], f"unexpected outcomes: {strange!r}"
