"""Delivery's periodic work, run by the relay worker: parcels past their pickup window
go back, and a day before it the chat is reminded."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from kosmos import bus
from kosmos.delivery import returns


@bus.every(60, "delivery.returns_and_reminders")
def returns_and_reminders(factory: sessionmaker[Session]) -> None:
    with factory() as session:
        returns.remind_due(session)
    with factory() as session:
        returns.send_back_overdue(session)


@bus.every(3600, "delivery.open_slots")
def open_slots(factory: sessionmaker[Session]) -> None:
    """Keep two weeks of slots open at the delivery stores."""
    from kosmos.delivery import demo, slots

    with factory() as session:
        for store in demo.delivery_stores(session):
            slots.ensure_days(session, store.id)
        session.commit()
