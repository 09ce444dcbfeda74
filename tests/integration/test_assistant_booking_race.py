"""Two people booking the same salon slot at the same moment, each in a thread with its own
writing session and connection (SQLite and PostgreSQL): exactly one wins, the other gets
SlotTaken (409). Overlapping bookings race the same way. The database itself refuses a
second claim of a slot, whatever the service code checked before."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import kosmos.assistant.booking  # noqa: F401 - registers the skill
from kosmos import clock
from kosmos.accounts.tables import User
from kosmos.assistant import booking
from kosmos.assistant.tables_bookings import Booking, BookingSlot, Service
from kosmos.catalog.seed import seed_demo
from kosmos.catalog.tables import Merchant, Store

pytestmark = pytest.mark.postgres

TUESDAY_10 = datetime.fromisoformat("2026-11-24T10:00:00+01:00")


@pytest.fixture
def world(db: Session) -> dict[str, Any]:
    seed_demo(db)
    booking.seed_services(db)
    salon = db.scalar(select(Merchant).where(Merchant.slug == "salon-haarmonie"))
    rows = db.scalars(select(Service).where(Service.merchant_id == salon.id))
    services = {s.name: s.id for s in rows}
    users = {u.username: u.id for u in db.scalars(select(User))}
    store = db.scalar(select(Store).where(Store.merchant_id == salon.id))
    db.commit()
    return {"services": services, "users": users, "store": store.id}


def _booker(world: dict[str, Any], plan: list[tuple[str, str, datetime]]
            ) -> Callable[[Session, int], int]:  # fmt: skip
    def call(session: Session, i: int) -> int:
        username, service_name, start = plan[i]
        user = session.get(User, world["users"][username])
        service = session.get(Service, world["services"][service_name])
        store = session.get(Store, world["store"])
        made = booking.book(session, user, service, store, start)
        session.commit()
        return made.id

    return call


def _count(session_factory: Any) -> int:
    with session_factory() as session:
        return session.scalar(
            select(func.count()).select_from(Booking).where(Booking.status == "booked")
        )


def test_two_people_booking_the_same_slot_one_wins(world, race, session_factory):
    plan = [("anna", "Haarschnitt", TUESDAY_10), ("ben", "Haarschnitt", TUESDAY_10)]
    for _round in range(3):  # a few rounds, each on a fresh slot
        results = race(2, _booker(world, plan))
        wins = [r for r in results if isinstance(r, int)]
        losses = [r for r in results if isinstance(r, Exception)]
        assert len(wins) == 1, results
        assert len(losses) == 1 and isinstance(losses[0], booking.SlotTaken), results
        assert losses[0].status == 409
        plan = [(u, s, start + timedelta(hours=1)) for u, s, start in plan]
    assert _count(session_factory) == 3


def test_overlapping_services_cannot_both_be_booked(world, race, session_factory):
    # a 90-minute colouring at 10:00 and a haircut at 10:30 overlap
    plan = [("anna", "Färben", TUESDAY_10),
            ("ben", "Haarschnitt", TUESDAY_10 + timedelta(minutes=30))]  # fmt: skip
    results = race(2, _booker(world, plan))
    assert sum(isinstance(r, int) for r in results) == 1, results
    assert _count(session_factory) == 1


def test_the_database_refuses_a_second_claim_of_a_slot(world, session_factory):
    start = TUESDAY_10.astimezone(UTC)
    with session_factory() as session:
        for username in ("anna", "ben"):
            row = Booking(
                service_id=world["services"]["Haarschnitt"], merchant_id=session.get(
                    Store, world["store"]).merchant_id, store_id=world["store"],
                user_id=world["users"][username], starts_at=start,
                ends_at=start + timedelta(minutes=30), status="booked", created_at=clock.now(),
            )  # fmt: skip
            session.add(row)
            if username == "anna":
                session.flush()
                session.add(BookingSlot(store_id=world["store"], slot_start=start,
                                        booking_id=row.id))  # fmt: skip
                session.commit()
        with pytest.raises(IntegrityError):  # same store and start, both booked
            session.commit()
        session.rollback()
        session.add(BookingSlot(store_id=world["store"], slot_start=start, booking_id=1))
        with pytest.raises(IntegrityError):  # the slot claim itself
            session.commit()


def test_when_both_checks_pass_the_slot_claims_decide(world, race, session_factory, monkeypatch):
    # both see the slot free (as two PostgreSQL transactions can): the claim insert decides
    monkeypatch.setattr(booking.slots, "is_free", lambda *a, **k: True)
    plan = [("anna", "Färben", TUESDAY_10),
            ("ben", "Bart", TUESDAY_10 + timedelta(minutes=75))]  # fmt: skip
    results = race(2, _booker(world, plan))
    assert sum(isinstance(r, int) for r in results) == 1, results
    assert sum(isinstance(r, booking.SlotTaken) for r in results) == 1, results
    assert _count(session_factory) == 1
