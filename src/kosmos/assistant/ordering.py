"""Small food orders: "Bestell 3 Pizza Margherita bei Luigi für 19 Uhr".

Kosmo answers an `order_food` intent with an order card: the restaurant (fuzzy match among
restaurant merchants), each dish matched to that restaurant's menu (never invented: an
unknown or ambiguous dish makes the card say so and offer no Confirm), catalog prices
(never the client's), the total and the pickup time (the said time, else the earliest
possible one; a time in the past or outside the opening hours offers no Confirm).

Confirm (the author only) writes the order, pays the restaurant from the author's wallet
with `pay_merchant` and commits both together: the order row is flushed first (its unique
`proposal_id` decides a double tap), the payment's idempotency answer (deterministic key
per proposal) links the payment reference right before the wallet's single commit. A
wallet problem (not enough money, payment PIN needed) rolls everything back.

Staff of the restaurant mark an order ready / picked up; Kosmo updates the order card in
the chat and says the order is ready. This module is the assistant's `orders` context for
now; a restaurant order-ahead flow can call `place_order` / `set_status` directly.
The quote (restaurant, dishes, prices, pickup) is built in `order_quote.py`, pickup times in
`pickup.py`, the card texts live in `order_texts.py`.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.accounts.tables import User
from kosmos.assistant import cards, registry
from kosmos.assistant.order_quote import Quote, make_quote
from kosmos.assistant.order_texts import PICKUP_PROBLEMS, STATUS_CONFLICTS, t
from kosmos.assistant.pickup import pickup_problem, store_hours, time_text
from kosmos.assistant.tables import Proposal
from kosmos.assistant.tables_orders import FoodOrder, FoodOrderLine
from kosmos.catalog.backoffice import merchant_for, staff_roles
from kosmos.catalog.tables import Merchant, Product, Store, StoreProduct
from kosmos.chat import messages
from kosmos.chat.tables import Message
from kosmos.errors import Conflict, Invalid, NotFound, Problem
from kosmos.wallet.idempotency import Answer, Claim
from kosmos.wallet.idempotency import fingerprint as request_fingerprint
from kosmos.wallet.payments import pay_merchant
from kosmos.wallet.sca import PinNotSet, ScaRequired

BERLIN = cards.BERLIN
INTENT = "order_food"

STATUS_FROM = {"ready": ("placed",), "picked_up": ("placed", "ready")}


# --- cards -----------------------------------------------------------------------------------


def _line_value(quantity: int, unit_price: int, locale: str) -> str:
    total = cards.money_text(quantity * unit_price, locale)
    if quantity == 1:
        return total
    return f"{quantity} × {cards.money_text(unit_price, locale)} = {total}"


def _pickup_value(pickup: datetime, store: Store, now: datetime, locale: str) -> str:
    return f"{time_text(pickup, now, locale)} · {store.name}, {store.street}"


def quote_card(proposal_id: int, quote: Quote, locale: str, now: datetime) -> dict[str, Any]:
    fields = []
    for line in quote.lines:
        label = f"{line.quantity or '?'}× {line.name or line.said}"
        value = line.problem or (
            _line_value(line.quantity, line.unit_price, locale) if line.product_id else "–"
        )
        fields.append({"label": label, "value": value})
    if quote.ok:
        fields.append({"label": t(locale, "total"), "value": cards.money_text(quote.total,
                                                                              locale)})  # fmt: skip
    if quote.pickup_at is not None and quote.store is not None:
        pickup = _pickup_value(quote.pickup_at, quote.store, now, locale)
        fields.append({"label": t(locale, "pickup"), "value": pickup})
    buttons = cards.proposal_buttons(proposal_id, locale)
    if not quote.ok:
        buttons = [b for b in buttons if b["action"] != "confirm"]
    title = (t(locale, "title", merchant=quote.merchant.name) if quote.merchant
             else t(locale, "title_unknown"))  # fmt: skip
    return {
        "type": "food_order_proposal", "title": title, "fields": fields,
        "note": t(locale, "pay_note") if quote.ok else " ".join(quote.problems),
        "problems": quote.problems, "buttons": buttons,
        "handler": cards.HANDLER, "ref": {"proposal": proposal_id},
    }  # fmt: skip


def order_lines(session: Session, order_id: int) -> list[FoodOrderLine]:
    return list(
        session.scalars(
            select(FoodOrderLine).where(FoodOrderLine.order_id == order_id).order_by(
                FoodOrderLine.id)
        )
    )  # fmt: skip


def status_note(order: FoodOrder, merchant: Merchant, now: datetime) -> str:
    when = time_text(order.pickup_at, now, order.locale)
    key = {"placed": "paid"}.get(order.status, order.status)
    return t(order.locale, key, time=when, merchant=merchant.name, number=order.id)


def order_card(session: Session, order: FoodOrder, now: datetime) -> dict[str, Any]:
    locale = order.locale
    merchant = session.get(Merchant, order.merchant_id)
    store = session.get(Store, order.store_id)
    assert merchant is not None and store is not None
    fields = [{"label": f"{line.quantity}× {line.name}",
               "value": _line_value(line.quantity, line.unit_price_cents, locale)}
              for line in order_lines(session, order.id)]  # fmt: skip
    fields.append({"label": t(locale, "total"), "value": cards.money_text(order.total_cents,
                                                                          locale)})  # fmt: skip
    fields.append({"label": t(locale, "pickup"),
                   "value": _pickup_value(order.pickup_at, store, now, locale)})  # fmt: skip
    ref: dict[str, int] = {"order": order.id}
    if order.proposal_id is not None:
        ref["proposal"] = order.proposal_id
    return {
        "type": "food_order", "title": t(locale, "title", merchant=merchant.name),
        "fields": fields, "note": status_note(order, merchant, now), "status": order.status,
        "buttons": [], "links": [], "handler": cards.HANDLER, "ref": ref,
    }  # fmt: skip


# --- the skill: card and Confirm -------------------------------------------------------------


def card(session: Session, proposal: Proposal, author: User, locale: str) -> dict[str, Any]:
    now = clock.now()
    quote = make_quote(session, proposal.payload, locale, now)
    if quote.ok:
        proposal.payload = {**proposal.payload, "quote": quote.frozen()}
    return quote_card(proposal.id, quote, locale, now)


def confirm(session: Session, user: User, proposal: Proposal) -> str:
    """Registry hook: place and pay the order; returns the note of the resolved card."""
    order = place_order(session, user, proposal)
    merchant = session.get(Merchant, order.merchant_id)
    assert merchant is not None
    return status_note(order, merchant, clock.now())


def place_order(session: Session, user: User, proposal: Proposal, *, pin: str | None = None
                ) -> FoodOrder:  # fmt: skip
    """Pay the order and write it in one commit (the wallet's). Any problem rolls back:
    no order without payment, no payment without order. A wrong PIN is the only thing the
    wallet commits on its own (its try counter), before anything of the order exists."""
    frozen = proposal.payload.get("quote")
    if not isinstance(frozen, dict):
        raise Invalid("This order is incomplete and cannot be confirmed.", field="action",
                      code="order_incomplete")  # fmt: skip
    now = clock.now()
    merchant = session.get(Merchant, frozen["merchant_id"])
    store = session.get(Store, frozen["store_id"])
    if merchant is None or store is None or store.merchant_id != merchant.id:
        raise NotFound("No such restaurant.")
    pickup = datetime.fromisoformat(frozen["pickup_at"])
    problem = pickup_problem(store_hours(store), pickup, now)
    if problem is not None:
        raise Invalid(PICKUP_PROBLEMS[problem], field="pickup_at", code=f"pickup_{problem}")
    lines = _current_lines(session, store, frozen["lines"])
    total = sum(q * price for _p, _n, q, price, _v in lines)
    if total != frozen["total"]:
        raise Conflict("The menu prices changed since the card was made. Please order again.",
                       code="prices_changed")  # fmt: skip
    if session.scalar(select(FoodOrder.id).where(FoodOrder.proposal_id == proposal.id)):
        raise Conflict("This order was already placed.", code="already_ordered")
    order = FoodOrder(
        merchant_id=merchant.id, store_id=store.id, user_id=proposal.author_id,
        conversation_id=proposal.conversation_id, proposal_id=proposal.id,
        card_message_id=proposal.card_message_id, status="placed", pickup_at=pickup,
        total_cents=total, currency="EUR", locale=proposal.locale, created_at=now,
        updated_at=now,
    )  # fmt: skip
    _pay(session, user, proposal, order, merchant, lines, pin)
    return order


def _write_order(session: Session, order: FoodOrder,
                 lines: list[tuple[int, str, int, int, int]]) -> None:  # fmt: skip
    """The order, its lines and its card, in the payment's transaction (before its commit;
    a concurrent second Confirm fails here on the unique proposal_id)."""
    session.add(order)
    session.flush()
    for product_id, name, quantity, price, vat in lines:
        session.add(
            FoodOrderLine(order_id=order.id, product_id=product_id, name=name,
                          quantity=quantity, unit_price_cents=price, vat_rate=vat)
        )  # fmt: skip
    session.flush()
    if order.card_message_id is not None:  # pushed after the payment's commit
        messages.update_card(session, order.card_message_id,
                             order_card(session, order, clock.now()))  # fmt: skip


def _current_lines(session: Session, store: Store, frozen: list[dict[str, Any]]
                   ) -> list[tuple[int, str, int, int, int]]:  # fmt: skip
    """(product id, name, quantity, unit price, VAT) at today's catalog prices."""
    ids = [int(line["product_id"]) for line in frozen]
    rows = {
        pid: (name, price, store_price, vat)
        for pid, name, price, store_price, vat in session.execute(
            select(Product.id, Product.name, Product.price_cents, StoreProduct.price_cents,
                   Product.vat_rate)
            .join(StoreProduct, (StoreProduct.product_id == Product.id)
                  & (StoreProduct.store_id == store.id))
            .where(Product.id.in_(ids), Product.merchant_id == store.merchant_id)
        )
    }  # fmt: skip
    out = []
    for line in frozen:
        row = rows.get(int(line["product_id"]))
        if row is None:
            raise Conflict("A dish is no longer on the menu. Please order again.",
                           code="menu_changed")  # fmt: skip
        name, price, store_price, vat = row
        out.append((int(line["product_id"]), name, int(line["quantity"]),
                    store_price if store_price is not None else price, vat))  # fmt: skip
    return out


def _pay(session: Session, user: User, proposal: Proposal, order: FoodOrder, merchant: Merchant,
         lines: list[tuple[int, str, int, int, int]], pin: str | None) -> None:  # fmt: skip
    def render(payment: Any) -> Answer:
        # runs after strong customer authentication and the ledger transfer, right before
        # the wallet's one commit: the order exists exactly when its payment does
        order.payment_reference = payment.reference
        _write_order(session, order, lines)
        return Answer(201, {"order": order.id, "payment": payment.reference})

    material = {"order": proposal.id, "lines": [list(x) for x in lines]}
    claim = Claim(
        scope=f"user:{user.id}", key=f"assistant-order:{proposal.id}",
        fingerprint=request_fingerprint("POST", f"/assistant/orders/{proposal.id}", material),
        render=render,
    )  # fmt: skip
    receipt = [{"name": name[:120], "quantity": q, "unit": "piece", "unit_price": price,
                "vat_rate": vat} for _p, name, q, price, vat in lines]  # fmt: skip
    try:
        pay_merchant(
            session, user, merchant_id=merchant.id, store_id=order.store_id,
            amount=order.total_cents, lines=receipt, pin=pin, idem=claim,
            description=f"Essensbestellung · {merchant.name}",
        )  # fmt: skip
    except (ScaRequired, PinNotSet) as exc:
        session.rollback()
        message = (
            "This order needs your payment PIN. Set one up in the wallet, then confirm the "
            "order with it at %(url)s." if isinstance(exc, PinNotSet) else
            "This order needs your payment PIN: confirm it with your PIN at %(url)s."
        )  # fmt: skip
        url = confirm_url(proposal.id)
        raise type(exc)(message, field="pin", params={"url": url},
                        extra={"confirm_url": url}) from exc  # fmt: skip
    except Problem:
        session.rollback()
        raise
    except IntegrityError as err:  # the same proposal's key paid meanwhile
        session.rollback()
        raise Conflict("This order was already placed.", code="already_ordered") from err


def confirm_url(proposal_id: int) -> str:
    return f"/api/v1/assistant/orders/proposals/{proposal_id}/confirm"


ORDER_SKILL = registry.register(
    registry.Skill(intent=INTENT, card=card, confirm=confirm, author_only=True)
)


# --- reading and staff actions ---------------------------------------------------------------


def order_for(session: Session, user: User, order_id: int) -> FoodOrder:
    """The orderer or staff of the restaurant; anyone else gets 404."""
    order = session.get(FoodOrder, order_id)
    if order is None or (
        order.user_id != user.id and order.merchant_id not in staff_roles(session, user)
    ):
        raise NotFound("No such order.")
    return order


def todays_orders(session: Session, merchant_id: int) -> list[FoodOrder]:
    """The merchant's orders to pick up today (Europe/Berlin), by pickup time."""
    today = clock.now().astimezone(BERLIN).date()
    start = datetime.combine(today, time(0), BERLIN)
    return list(
        session.scalars(
            select(FoodOrder)
            .where(
                FoodOrder.merchant_id == merchant_id,
                FoodOrder.pickup_at >= start,
                FoodOrder.pickup_at < start + timedelta(days=1),
                FoodOrder.status != "cancelled",
            )
            .order_by(FoodOrder.pickup_at, FoodOrder.id)
        )
    )


def set_status(session: Session, user: User, merchant_id: int, order_id: int, status: str
               ) -> FoodOrder:  # fmt: skip
    """Staff mark an order ready or picked up; the chat card follows. Commits."""
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
    if order.card_message_id is not None:
        messages.update_card(session, order.card_message_id, order_card(session, order, now))
        if status == "ready" and order.conversation_id is not None:
            merchant = session.get(Merchant, merchant_id)
            assert merchant is not None
            messages.post_as_kosmos(
                session, order.conversation_id, reply_to_id=order.card_message_id,
                text=t(order.locale, "ready_message", number=order.id, merchant=merchant.name),
                commit=False,
            )  # fmt: skip
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


def confirm_with_pin(session: Session, user: User, proposal_id: int, pin: str | None
                     ) -> FoodOrder:  # fmt: skip
    """Confirm an order card outside the chat, with the payment PIN that orders above the
    strong-customer-authentication limit need (the chat's Confirm button cannot carry it).
    Only the author sees the proposal; anyone else gets 404."""
    proposal = session.get(Proposal, proposal_id)
    if proposal is None or proposal.kind != INTENT or proposal.author_id != user.id:
        raise NotFound("No such order.")
    if proposal.status != "open":
        raise Invalid("This was already decided.", field="action", code="already_decided")
    order = place_order(session, user, proposal, pin=pin)  # commits order and payment
    proposal.status, proposal.resolved_by, proposal.resolved_at = "done", user.id, clock.now()
    if proposal.card_message_id is not None:
        card_message = session.get(Message, proposal.card_message_id)
        if card_message is not None and card_message.card:
            merchant = session.get(Merchant, order.merchant_id)
            assert merchant is not None
            note = status_note(order, merchant, clock.now())
            messages.update_card(session, card_message.id, cards.resolved(card_message.card, note))
    session.commit()
    return order
