"""Paying a tab on real parallel connections (SQLite and PostgreSQL): people paying the same
dishes, the whole tab or the same share at the same moment. Exactly one pays, the others
get 409, no money moves twice, and the ledger balances."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.support import Account, add_merchant, make_account
from tests.wallet_support import GOOD_CARD

from kosmos import clock
from kosmos.accounts.tables import User
from kosmos.catalog.tables import Product
from kosmos.errors import Conflict
from kosmos.places.dining import model, paying, tabs
from kosmos.places.dining.tables import DiningTable, Tab, TabItem, TabShare
from kosmos.wallet import accounts, ledger, payments, sca, topups
from kosmos.wallet.tables import Payment

pytestmark = pytest.mark.postgres
NAMES = ("anna", "ben", "cem", "dora")


def user(session: Session, account: Account) -> User:
    found = session.get(User, account.id)
    assert found is not None
    return found


@pytest.fixture
def tab(db):
    """A pizzeria's tab with four guests (30 EUR each in the wallet) and 2 pizzas on it."""
    merchant = add_merchant(db, "luigi", "Pizzeria", kind="restaurant")
    now = clock.now()
    pizza = Product(
        merchant_id=merchant.id,
        name="Pizza",
        category="Pizza",
        unit="piece",
        price_cents=1000,
        currency="EUR",
        vat_rate=7,
        min_age=0,
        description="",
        search_name="pizza",
        search_extra="",
        created_at=now,
        updated_at=now,
    )
    table = DiningTable(merchant_id=merchant.id, store_id=merchant.stores[0].id, label="Tisch 1",
                        token=model.new_token(), active=True, created_at=now)  # fmt: skip
    db.add_all([pizza, table])
    db.commit()
    people = [make_account(db, name) for name in NAMES]
    for account in people:
        topups.top_up(db, user(db, account), amount=3000, source=GOOD_CARD)
        sca.security_of(db, account.id)  # what the first payment does: the race is about money
        db.commit()
        opened = tabs.join_table(db, user(db, account), table.token)
    tabs.add_items(db, user(db, people[0]), opened.id, [(pizza.id, 2)])
    return {"id": opened.id, "people": people, "merchant": merchant.id}


def fresh(db: Session) -> Session:
    db.rollback()
    db.expire_all()
    return db


def wallets(db: Session, people: list[Account]) -> list[int]:
    fresh(db)
    out = [payments.wallet_balance(db, user(db, a)).amount for a in people]
    db.commit()
    return out


def shop(db: Session, merchant_id: int) -> int:
    fresh(db)
    amount = ledger.balance(db, accounts.merchant_account(db, merchant_id).id).amount
    db.commit()
    return amount


def purchases(db: Session) -> int:
    fresh(db)
    return db.scalar(select(func.count()).select_from(Payment).where(Payment.kind == "purchase"))


@pytest.mark.parametrize("mode", ["items", "whole"])
def test_four_guests_paying_the_same_dishes_at_once_pay_once(db, tab, race, mode):
    # given the tab's dishes, seen by everyone
    [item] = fresh(db).scalars(select(TabItem.id).where(TabItem.tab_id == tab["id"])).all()
    people = tab["people"]

    # when all four pay them at the same moment, each on their own connection
    def pay(session, i):
        return paying.pay(session, user(session, people[i]), tab["id"], mode,
                          item_ids=[item] if mode == "items" else None,
                          tip=paying.Tip(percent=10))  # fmt: skip

    outcomes = race(4, pay)

    # then exactly one paid, three got 409, and only the winner's money moved
    paid = [o for o in outcomes if isinstance(o, Payment)]
    refused = [o for o in outcomes if isinstance(o, Conflict)]
    assert (len(paid), len(refused)) == (1, 3), outcomes
    assert {o.status for o in refused} == {409}
    winner = outcomes.index(paid[0])
    assert wallets(db, people) == [3000 - 2200 * (i == winner) for i in range(4)]
    assert shop(db, tab["merchant"]) == 2200 and purchases(db) == 1
    row = fresh(db).get(TabItem, item)
    assert (row.payment_reference, row.paid_by) == (paid[0].reference, people[winner].id)
    assert fresh(db).get(Tab, tab["id"]).status == "closed"
    assert ledger.verify(db) == []


def test_two_guests_paying_the_same_share_at_once_pay_once(db, tab, race):
    # given the tab split evenly by two (10 EUR each)
    people = tab["people"]
    paying.create_split(db, user(db, people[0]), tab["id"], 2)
    shares = fresh(db).scalars(select(TabShare.id).order_by(TabShare.number)).all()

    # when ben and cem both pay share 1 at the same moment
    def pay(session, i):
        return paying.pay(session, user(session, people[1 + i]), tab["id"], "share",
                          share_id=shares[0])  # fmt: skip

    outcomes = race(2, pay)

    # then one of them paid it; the other paid nothing
    paid = [o for o in outcomes if isinstance(o, Payment)]
    assert len(paid) == 1 and len([o for o in outcomes if isinstance(o, Conflict)]) == 1
    assert sorted(wallets(db, people)[1:3]) == [2000, 3000]
    assert shop(db, tab["merchant"]) == 1000 and purchases(db) == 1
    assert fresh(db).get(Tab, tab["id"]).status == "open"
    # the other share is still there to pay; then the tab closes
    paying.pay(db, user(db, people[3]), tab["id"], "share", share_id=shares[1])
    assert fresh(db).get(Tab, tab["id"]).status == "closed"
    assert fresh(db).scalar(select(func.count()).select_from(TabItem)
                            .where(TabItem.paid_at.is_(None))) == 0  # fmt: skip
    assert ledger.verify(db) == []
