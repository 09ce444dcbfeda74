"""After the pickup window: the parcel goes back, the compartments are free again, the
money comes back (a captured locker order is refunded; a click & collect order that was
never handed over releases its hold). A day before, a reminder goes into the chat."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.chat import messages
from kosmos.delivery import cards, model, stations, timeline
from kosmos.delivery.tables import Order, Parcel, Station
from kosmos.wallet import holds, payments


def send_back(session: Session, order: Order) -> Order:
    """One overdue order goes back. The refund (or release) comes last: its commit is
    the commit of everything before it."""
    timeline.move(session, order, "returned", "pickup window over")
    stations.free(session, session.scalars(select(Parcel).where(Parcel.order_id == order.id)))
    order.pickup_code = None
    if order.station_id is not None:
        station = session.get(Station, order.station_id)
        assert station is not None
        cards.refresh_card(session, order)
        cards.say(session, order, "returned", station=station.name,
                  amount=f"{order.amount / 100:.2f} EUR".replace(".", ","))  # fmt: skip
    if order.payment_reference:
        refund = payments.refund(session, order.merchant_id, order.payment_reference,
                                 reason=f"Nicht abgeholt: {order.reference}")  # fmt: skip
        order.refund_reference = refund.reference  # known only once the refund committed
        session.commit()
    else:
        holds.release(session, holds.merchant_hold(session, order.merchant_id,
                                                   order.hold_reference))  # fmt: skip
    return order


def send_back_overdue(session: Session) -> int:
    due = list(
        session.scalars(
            select(Order).where(
                Order.status.in_(("in_locker", "ready")), Order.pickup_until <= clock.now()
            )  # fmt: skip
        )
    )
    for order in due:
        send_back(session, order)
    return len(due)


def remind_due(session: Session) -> int:
    """The chat hears once, a day before the deadline."""
    soon = clock.now() + model.REMINDER_BEFORE
    due = list(
        session.scalars(
            select(Order).where(
                Order.status == "in_locker", Order.reminded_at.is_(None), Order.pickup_until <= soon
            )  # fmt: skip
        )
    )
    for order in due:
        order.reminded_at = clock.now()
        if order.conversation_id is not None:
            messages.post_as_kosmos(
                session,
                order.conversation_id,
                text=cards.reminder_text(session, order),
                commit=False,
            )
    session.commit()
    return len(due)
