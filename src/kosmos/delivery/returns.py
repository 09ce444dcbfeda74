"""After the pickup window: the parcel goes back, the compartments are free again, the
money comes back (a captured locker order is refunded; a click & collect order that was
never handed over releases its hold). A day before, a reminder goes into the chat."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.chat import messages
from kosmos.delivery import cards, model, stations, timeline
from kosmos.delivery.tables import Order, Parcel, Station
from kosmos.wallet import holds, payments
from kosmos.wallet.tables import Payment

log = logging.getLogger(__name__)


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
    paid = order.payment_reference or _captured(session, order)
    if paid:
        refund = payments.refund(session, order.merchant_id, paid,
                                 reason=f"Nicht abgeholt: {order.reference}")  # fmt: skip
        order.refund_reference = refund.reference  # known only once the refund committed
        session.commit()
    else:
        holds.release(session, holds.merchant_hold(session, order.merchant_id,
                                                   order.hold_reference))  # fmt: skip
    return order


def _captured(session: Session, order: Order) -> str | None:
    """The purchase the hold became (also when a crash came between the capture's commit
    and recording its reference on the order)."""
    hold = holds.merchant_hold(session, order.merchant_id, order.hold_reference)
    return session.scalar(
        select(Payment.reference).where(Payment.hold_id == hold.id, Payment.kind == "purchase")
    )


def send_back_overdue(session: Session) -> int:
    due = list(
        session.scalars(
            select(Order).where(
                Order.status.in_(("in_locker", "ready")), Order.pickup_until <= clock.now()
            )  # fmt: skip
        )
    )
    done = 0
    for order in due:
        try:
            send_back(session, order)
            done += 1
        except Exception:  # one broken order must not keep the others in their lockers
            session.rollback()
            log.exception("could not send back %s", order.reference)
    return done


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
