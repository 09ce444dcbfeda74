"""Order ahead for pickup: choose dishes and a pickup time within the opening hours, pay in
the app, pick up. Kosmo's chat orders use the same path (`place_order` with a `ChatLink`).

`place_order` pays the restaurant with `pay_merchant` and writes the order and its lines
right before the wallet's one commit (`commit_hook`): no order without payment, no payment
without order. Staff mark an order ready, then picked up (`set_status`, a conditional
UPDATE: a second "ready" is a 409); listeners registered with `on_status` (the assistant's
chat card) run in that transaction. The kitchen display and the customer's status page
stay live (`kitchen:{merchant}`, `order:{id}`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.accounts.tables import User
from kosmos.catalog.backoffice import merchant_for, staff_roles
from kosmos.catalog.tables import Merchant, Store
from kosmos.clock import BERLIN
from kosmos.errors import Conflict, Invalid, NotFound, Problem
from kosmos.places import live
from kosmos.places.dining import menu, model
from kosmos.places.dining.commit_hook import before_commit
from kosmos.places.dining.pickup import PICKUP_PROBLEMS, pickup_problem, store_hours
from kosmos.places.dining.tables_orders import FoodOrder, FoodOrderLine
from kosmos.places.dining.tabs import kitchen_key
from kosmos.wallet.idempotency import Claim
from kosmos.wallet.payments import pay_merchant

STATUS_FROM = {"ready": ("placed",), "picked_up": ("placed", "ready")}
STATUS_CONFLICTS = {
    "ready": "This order is already marked ready.",
    "picked_up": "This order was already picked up.",
    "cancelled": "This order was cancelled.",
}
StatusListener = Callable[[Session, FoodOrder, str], None]
_listeners: list[StatusListener] = []


def on_status(listener: StatusListener) -> StatusListener:
    """Register `listener(session, order, status)`: runs in `set_status`'s transaction."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def order_key(order_id: int) -> str:
    return f"order:{order_id}"


@dataclass(frozen=True)
class ChatLink:
    """Where an order placed from a chat came from (all optional)."""

    conversation_id: int | None = None
    proposal_id: int | None = None
    card_message_id: int | None = None
    locale: str = "de"


def place_order(session: Session, user: User, *, merchant_id: int, pickup_at: datetime,
                items: list[tuple[int, int]], store_id: int | None = None,
                pin: str | None = None, idem: Claim | None = None,
                expected_total: int | None = None, link: ChatLink = ChatLink(),
                on_written: Callable[[FoodOrder], None] | None = None) -> FoodOrder:  # fmt: skip
    """Pay and write the order (one commit, the wallet's). Any problem changes nothing."""
    merchant = menu.restaurant(session, merchant_id)
    store = _store(session, merchant, store_id)
    now = clock.now()
    if pickup_at.tzinfo is None:
        raise Invalid("Give the pickup time with its time zone.", field="pickup_at")
    problem = pickup_problem(store_hours(store), pickup_at, now)
    if problem is not None:
        raise Invalid(PICKUP_PROBLEMS[problem], field="pickup_at", code=f"pickup_{problem}")
    priced = menu.price(session, store, items)
    total = sum(p.quantity * p.unit_price for p in priced)
    if expected_total is not None and total != expected_total:
        raise Conflict("The menu prices changed since the card was made. Please order again.",
                       code="prices_changed")  # fmt: skip
    if link.proposal_id is not None and session.scalar(
        select(FoodOrder.id).where(FoodOrder.proposal_id == link.proposal_id)
    ):
        raise Conflict("This order was already placed.", code="already_ordered")
    order = FoodOrder(
        merchant_id=merchant.id, store_id=store.id, user_id=user.id,
        conversation_id=link.conversation_id, proposal_id=link.proposal_id,
        card_message_id=link.card_message_id, status="placed", pickup_at=pickup_at,
        total_cents=total, currency="EUR", locale=link.locale, created_at=now, updated_at=now,
    )  # fmt: skip

    def write(payment: Any) -> None:  # right before the wallet's commit
        order.payment_reference = payment.reference
        session.add(order)
        session.flush()  # a second order of the same proposal fails here (unique)
        session.add_all([
            FoodOrderLine(order_id=order.id, product_id=p.product_id, name=p.name,
                          quantity=p.quantity, unit_price_cents=p.unit_price,
                          vat_rate=p.vat_rate)
            for p in priced
        ])  # fmt: skip
        session.flush()
        if on_written is not None:
            on_written(order)
        live.changed(session, live.staff_ids(session, merchant.id), kitchen_key(merchant.id))
        live.changed(session, [user.id], order_key(order.id))

    lines = model.item_lines((p.name, p.quantity, p.unit_price, p.vat_rate) for p in priced)
    try:
        pay_merchant(
            session, user, merchant_id=merchant.id, store_id=store.id, amount=total,
            lines=lines, pin=pin, idem=before_commit(idem, write),
            description=f"Essensbestellung · {merchant.name}",
        )  # fmt: skip
    except Problem:
        session.rollback()
        raise
    except IntegrityError as err:  # the same proposal (or key) paid meanwhile
        session.rollback()
        raise Conflict("This order was already placed.", code="already_ordered") from err
    return order


def _store(session: Session, merchant: Merchant, store_id: int | None) -> Store:
    if store_id is None:
        return menu.first_store(session, merchant.id)
    store = session.get(Store, store_id)
    if store is None or store.merchant_id != merchant.id:
        raise NotFound("No such store.", field="store_id")
    return store


# --- reading and staff actions --------------------------------------------------------------


def order_for(session: Session, user: User, order_id: int) -> FoodOrder:
    """The orderer or staff of the restaurant; anyone else gets 404."""
    order = session.get(FoodOrder, order_id)
    if order is None or (
        order.user_id != user.id and order.merchant_id not in staff_roles(session, user)
    ):
        raise NotFound("No such order.")
    return order


def order_paid_by(session: Session, payment: Any) -> FoodOrder:
    """The order a payment paid (in the payment's transaction: the claim's answer)."""
    order = session.scalar(
        select(FoodOrder).where(FoodOrder.payment_reference == payment.reference)
    )
    assert order is not None
    return order


def order_lines(session: Session, order_id: int) -> list[FoodOrderLine]:
    return list(session.scalars(select(FoodOrderLine).where(FoodOrderLine.order_id == order_id)
                                .order_by(FoodOrderLine.id)))  # fmt: skip


def my_orders(session: Session, user: User, limit: int = 20) -> list[FoodOrder]:
    return list(session.scalars(select(FoodOrder).where(FoodOrder.user_id == user.id)
                                .order_by(FoodOrder.id.desc()).limit(limit)))  # fmt: skip


def todays_orders(session: Session, merchant_id: int, *, open_only: bool = False
                  ) -> list[FoodOrder]:  # fmt: skip
    """The merchant's orders to pick up today (Europe/Berlin), by pickup time."""
    start = datetime.combine(clock.now().astimezone(BERLIN).date(), time(0), BERLIN)
    statuses = ("placed", "ready") if open_only else ("placed", "ready", "picked_up")
    return list(
        session.scalars(
            select(FoodOrder)
            .where(FoodOrder.merchant_id == merchant_id, FoodOrder.pickup_at >= start,
                   FoodOrder.pickup_at < start + timedelta(days=1),
                   FoodOrder.status.in_(statuses))
            .order_by(FoodOrder.pickup_at, FoodOrder.id)
        )
    )  # fmt: skip


def set_status(session: Session, user: User, merchant_id: int, order_id: int, status: str
               ) -> FoodOrder:  # fmt: skip
    """Staff mark an order ready or picked up. Commits."""
    merchant_for(session, user, merchant_id)
    if status not in STATUS_FROM:
        raise Invalid("Unknown order status.", field="status")
    order = session.get(FoodOrder, order_id)
    if order is None or order.merchant_id != merchant_id:
        raise NotFound("No such order.")
    now = clock.now()
    values: dict[str, Any] = {"status": status, "updated_at": now}
    values["ready_at" if status == "ready" else "picked_up_at"] = now
    changed = session.execute(
        update(FoodOrder)
        .where(FoodOrder.id == order.id, FoodOrder.status.in_(STATUS_FROM[status]))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise Conflict(STATUS_CONFLICTS.get(order.status, "The order cannot change like this."),
                       code="order_status")  # fmt: skip
    session.refresh(order)
    for listener in list(_listeners):
        listener(session, order, status)
    live.changed(session, live.staff_ids(session, merchant_id), kitchen_key(merchant_id))
    live.changed(session, [order.user_id], order_key(order.id))
    session.commit()
    return order


def order_out(session: Session, order: FoodOrder) -> dict[str, Any]:
    merchant = session.get(Merchant, order.merchant_id)
    store = session.get(Store, order.store_id)
    customer = session.get(User, order.user_id)
    return {
        "id": order.id, "status": order.status,
        "merchant": {"id": order.merchant_id, "name": merchant.name if merchant else None},
        "store": {"id": order.store_id, "name": store.name if store else None,
                  "street": store.street if store else None},
        "customer": customer.display_name if customer else None,
        "pickup_at": order.pickup_at.isoformat(), "total_cents": order.total_cents,
        "currency": order.currency, "payment_reference": order.payment_reference,
        "conversation_id": order.conversation_id, "created_at": order.created_at.isoformat(),
        "ready_at": order.ready_at.isoformat() if order.ready_at else None,
        "picked_up_at": order.picked_up_at.isoformat() if order.picked_up_at else None,
        "lines": [
            {"product_id": x.product_id, "name": x.name, "quantity": x.quantity,
             "unit_price_cents": x.unit_price_cents, "vat_rate": x.vat_rate,
             "total_cents": x.quantity * x.unit_price_cents}
            for x in order_lines(session, order.id)
        ],
    }  # fmt: skip
