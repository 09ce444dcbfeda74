"""An order's status changes: checked against the rules, logged for the tracking page's
timeline, and announced to open pages after the commit (live tracking, driver page)."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.delivery import model
from kosmos.delivery.tables import Order, StatusEntry
from kosmos.errors import Conflict
from kosmos.places import live


def order_key(order: Order) -> str:
    return f"delivery:{order.reference}"


def log(session: Session, order: Order, status: str, note: str = "") -> None:
    session.add(StatusEntry(order_id=order.id, status=status, note=note[:200], at=clock.now()))
    live.changed(session, [order.user_id], order_key(order), status=status)


def touch(session: Session, order: Order) -> None:
    """Open pages of the order refresh after the commit (no new timeline entry)."""
    live.changed(session, [order.user_id], order_key(order), status=order.status)


def move(session: Session, order: Order, new: str, note: str = "") -> None:
    """Move the order on, in the caller's transaction; only one caller wins a race."""
    try:
        model.check_transition(order.status, new)
    except model.DeliveryRuleError as err:
        raise Conflict(str(err), code=err.code) from err
    session.flush()  # the caller's pending changes to the order survive the refresh below
    moved = session.execute(
        update(Order)
        .where(Order.id == order.id, Order.status == order.status)
        .values(status=new, updated_at=clock.now())
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise Conflict("This order changed meanwhile. Reload and try again.", code="order_changed")
    session.refresh(order)
    log(session, order, new, note)


def entries(session: Session, order: Order) -> list[StatusEntry]:
    return list(
        session.scalars(
            select(StatusEntry).where(StatusEntry.order_id == order.id).order_by(StatusEntry.id)
        )
    )
