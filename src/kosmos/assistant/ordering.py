"""Small food orders from the chat: "Bestell 3 Pizza Margherita bei Luigi für 19 Uhr".

Kosmo answers an `order_food` intent with an order card: the restaurant (fuzzy match among
restaurant merchants), each dish matched to that restaurant's menu (never invented: an
unknown or ambiguous dish makes the card say so and offer no Confirm), catalog prices
(never the client's), the total and the pickup time (the said time, else the earliest
possible one; a time in the past or outside the opening hours offers no Confirm).

Confirm (the author only) places and pays the order through the restaurants' order ahead
(`kosmos.places.dining.ordering.place_order`, which owns the `food_orders` tables, the
payment and the staff's ready / picked-up marks): the order is written right before the
wallet's single commit (its unique `proposal_id` decides a double tap; the deterministic
idempotency key per proposal does too). A wallet problem (not enough money, payment PIN
needed) rolls everything back. This module keeps the chat side: the cards, their texts
(`order_texts.py`), the quote (`order_quote.py`), and the card that follows the order's
status (a `dining.ordering.on_status` listener: the card changes, Kosmo says it is ready).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.accounts.tables import User
from kosmos.assistant import cards, registry
from kosmos.assistant.order_quote import Quote, make_quote
from kosmos.assistant.order_texts import t
from kosmos.assistant.pickup import time_text
from kosmos.assistant.tables import Proposal
from kosmos.catalog.tables import Merchant, Store
from kosmos.chat import messages
from kosmos.chat.tables import Message
from kosmos.errors import Conflict, Invalid, NotFound, Problem
from kosmos.places.dining import ordering as dining
from kosmos.places.dining.ordering import (
    order_for,
    order_lines,
    order_out,
    set_status,
    todays_orders,
)
from kosmos.places.dining.tables_orders import FoodOrder
from kosmos.wallet.idempotency import Answer, Claim
from kosmos.wallet.idempotency import fingerprint as request_fingerprint
from kosmos.wallet.sca import PinNotSet, ScaRequired

BERLIN = cards.BERLIN
INTENT = "order_food"

__all__ = ["order_for", "order_lines", "order_out", "set_status", "todays_orders"]


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
    """Pay the order and write it in one commit (the wallet's), through the restaurants'
    order ahead. Any problem rolls back: no order without payment, no payment without
    order. A wrong PIN is the only thing the wallet commits on its own (its try counter),
    before anything of the order exists."""
    frozen = proposal.payload.get("quote")
    if not isinstance(frozen, dict):
        raise Invalid("This order is incomplete and cannot be confirmed.", field="action",
                      code="order_incomplete")  # fmt: skip
    items = [(int(x["product_id"]), int(x["quantity"])) for x in frozen["lines"]]
    material = {"order": proposal.id, "lines": [list(x) for x in items],
                "total": frozen["total"]}  # fmt: skip
    claim = Claim(
        scope=f"user:{user.id}", key=f"assistant-order:{proposal.id}",
        fingerprint=request_fingerprint("POST", f"/assistant/orders/{proposal.id}", material),
        render=lambda payment: Answer(201, {"payment": payment.reference}),
    )  # fmt: skip

    def update_card(order: FoodOrder) -> None:  # pushed after the payment's commit
        if order.card_message_id is not None:
            messages.update_card(session, order.card_message_id,
                                 order_card(session, order, clock.now()))  # fmt: skip

    link = dining.ChatLink(
        conversation_id=proposal.conversation_id, proposal_id=proposal.id,
        card_message_id=proposal.card_message_id, locale=proposal.locale,
    )  # fmt: skip
    try:
        return dining.place_order(
            session, user, merchant_id=frozen["merchant_id"], store_id=frozen["store_id"],
            pickup_at=datetime.fromisoformat(frozen["pickup_at"]), items=items, pin=pin,
            idem=claim, expected_total=frozen["total"], link=link, on_written=update_card,
        )  # fmt: skip
    except (ScaRequired, PinNotSet) as exc:
        message = (
            "This order needs your payment PIN. Set one up in the wallet, then confirm the "
            "order with it at %(url)s." if isinstance(exc, PinNotSet) else
            "This order needs your payment PIN: confirm it with your PIN at %(url)s."
        )  # fmt: skip
        url = confirm_url(proposal.id)
        raise type(exc)(message, field="pin", params={"url": url},
                        extra={"confirm_url": url}) from exc  # fmt: skip
    except Problem as exc:
        if exc.code == "not_on_menu":
            raise Conflict("A dish is no longer on the menu. Please order again.",
                           code="menu_changed") from exc  # fmt: skip
        raise


def confirm_url(proposal_id: int) -> str:
    return f"/api/v1/assistant/orders/proposals/{proposal_id}/confirm"


ORDER_SKILL = registry.register(
    registry.Skill(intent=INTENT, card=card, confirm=confirm, author_only=True)
)


# --- the card follows the order -----------------------------------------------------------


@dining.on_status
def _card_follows(session: Session, order: FoodOrder, status: str) -> None:
    """In `set_status`'s transaction: the chat card shows the status; "ready" is said."""
    if order.card_message_id is None:
        return
    now = clock.now()
    messages.update_card(session, order.card_message_id, order_card(session, order, now))
    if status == "ready" and order.conversation_id is not None:
        merchant = session.get(Merchant, order.merchant_id)
        assert merchant is not None
        messages.post_as_kosmos(
            session, order.conversation_id, reply_to_id=order.card_message_id,
            text=t(order.locale, "ready_message", number=order.id, merchant=merchant.name),
            commit=False,
        )  # fmt: skip


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
