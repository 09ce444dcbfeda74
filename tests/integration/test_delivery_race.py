"""Checkouts at the same moment, on real parallel connections (SQLite and PostgreSQL):
six customers for the last two places of a slot get exactly two orders, and the slot
ends exactly full; four checkouts for the only fitting compartment give it to one, and
the others leave nothing behind (no order, no hold, their slot place given back)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from tests.places_support import people
from tests.support import Account

from kosmos import clock
from kosmos.accounts.tables import User
from kosmos.catalog.tables import Product, Store
from kosmos.delivery import checkout, stations
from kosmos.delivery.checkout import Destination, OrderLine
from kosmos.delivery.demo import seed_delivery, station_codes
from kosmos.delivery.tables import Compartment, Order, Parcel, Slot, Station
from kosmos.errors import Conflict
from kosmos.wallet import ledger, payments, sca, topups
from kosmos.wallet.tables import Hold

pytestmark = pytest.mark.postgres
Race = Callable[[int, Callable[[Session, int], Any]], list[Any]]
GOOD_CARD = "4242 4242 4242 4242"
STORE = "frischmarkt-musterstadt-zentrum"
CUSTOMERS = ("anna", "ben", "cem", "dora", "huber", "kaya")


def user(session: Session, account: Account) -> User:
    found = session.get(User, account.id)
    assert found is not None
    return found


@pytest.fixture
def folks(db: Session) -> dict[str, Account]:
    """The demo world with delivery, its stations online and six funded customers."""
    accounts = people(db)
    seed_delivery(db)
    for code in station_codes(db):
        stations.mark_online(db, code, True)
    db.commit()
    for name in CUSTOMERS:
        topups.top_up(db, user(db, accounts[name]), amount=5000, source=GOOD_CARD)
        sca.security_of(db, accounts[name].id)
        db.commit()
    return accounts


def store_id(db: Session) -> int:
    found = db.scalar(select(Store.id).where(Store.slug == STORE))
    assert found is not None
    return found


def bookable_slots(db: Session) -> list[int]:
    """Today's slots still open (Sunday 10:00 in Berlin: 14-16, 16-18, 18-20, 20-22)."""
    rows = db.scalars(select(Slot.id).where(Slot.store_id == store_id(db),
                                            Slot.cutoff_at > clock.now())
                      .order_by(Slot.starts_at).limit(4))  # fmt: skip
    return list(rows)


def product(db: Session, name: str) -> int:
    found = db.scalar(select(Product.id).where(Product.name == name))
    assert found is not None
    return found


def count(db: Session, model: Any) -> int:
    return db.scalar(select(func.count()).select_from(model)) or 0


def settle(db: Session) -> None:
    db.rollback()
    db.expire_all()
    assert ledger.verify(db) == []


def test_the_last_places_of_a_slot_go_to_exactly_as_many(
    db: Session, folks: dict[str, Account], race: Race
) -> None:
    # given a slot with two places left, and six customers ordering at once
    shop, slot = store_id(db), bookable_slots(db)[0]
    db.execute(update(Slot).where(Slot.id == slot).values(booked=Slot.capacity - 2))
    db.commit()
    salad = product(db, "Kartoffelsalat mit Gurke")

    def order(session: Session, i: int) -> Any:
        return checkout.place_order(
            session, user(session, folks[CUSTOMERS[i]]), store_id=shop, mode="home",
            slot_id=slot, lines=[OrderLine(salad, 1)],
            to=Destination(address=f"Parkstraße {i + 1}, 12345 Musterstadt"),
        )  # fmt: skip

    # when
    results = race(len(CUSTOMERS), order)

    # then exactly two orders, and the slot is exactly full
    won = [r for r in results if isinstance(r, Order)]
    lost = [r for r in results if not isinstance(r, Order)]
    assert len(won) == 2, results
    assert all(isinstance(r, Conflict) and r.code == "slot_full" for r in lost), lost
    settle(db)
    capacity, booked = db.execute(select(Slot.capacity, Slot.booked).where(Slot.id == slot)).one()
    assert booked == capacity
    assert count(db, Order) == 2 and count(db, Hold) == 2
    spent = sum(5000 - payments.wallet_balance(db, user(db, folks[n])).amount for n in CUSTOMERS)
    assert spent == 2 * 229


def test_the_only_fitting_compartment_goes_to_one_checkout(
    db: Session, folks: dict[str, Account], race: Race
) -> None:
    # given every chilled compartment in town is taken but compartment 7 at the Stadtpark
    stadtpark = db.scalar(select(Station.id).where(Station.code == "packstation-stadtpark"))
    db.execute(
        update(Compartment)
        .where(Compartment.zone == "chilled",
               ~((Compartment.station_id == stadtpark) & (Compartment.number == 7)))
        .values(parcel_id=1_000_000 + Compartment.id)
    )  # fmt: skip
    db.commit()
    shop, slots = store_id(db), bookable_slots(db)
    salad = product(db, "Kartoffelsalat mit Gurke")
    racers = CUSTOMERS[:4]  # each in a slot of their own: only the compartment is contended

    def order(session: Session, i: int) -> Any:
        return checkout.place_order(
            session, user(session, folks[racers[i]]), store_id=shop, mode="locker",
            slot_id=slots[i], lines=[OrderLine(salad, 1)], to=Destination(place="Stadtpark"),
        )  # fmt: skip

    # when
    results = race(len(racers), order)

    # then one order has the compartment; the others got a clear conflict
    won = [r for r in results if isinstance(r, Order)]
    lost = [r for r in results if not isinstance(r, Order)]
    assert len(won) == 1, results
    assert all(isinstance(r, Conflict) for r in lost), lost
    assert {r.code for r in lost} <= {"no_fitting_compartment", "compartment_taken"}
    assert all(r.status == 409 for r in lost)
    # and nothing half-booked is left: one order, one parcel, one hold, one slot place
    settle(db)
    winner = won[0].id
    assert count(db, Order) == 1 and count(db, Parcel) == 1 and count(db, Hold) == 1
    parcel = db.scalar(select(Parcel.id).where(Parcel.order_id == winner))
    seven = db.scalar(select(Compartment).where(Compartment.station_id == stadtpark,
                                                Compartment.number == 7))  # fmt: skip
    assert seven is not None and seven.parcel_id == parcel
    assert db.scalar(select(func.sum(Slot.booked)).where(Slot.id.in_(slots))) == 1
    assert sum(payments.wallet_balance(db, user(db, folks[n])).amount for n in racers) == (
        4 * 5000 - 229
    )
