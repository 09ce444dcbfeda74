"""Payment requests between people in a chat: "Ben asks 23.50 EUR for the meat" with Pay.

`ask` posts the card into the chat (from Kosmos, on the asker's behalf). Pay (the card's
button, or the page with a PIN field when the amount needs one) moves the money with
`wallet.payments.send_to_friend(asked=True)`: the asker asked for it in a chat both are in,
so they need not be friends. Right before the wallet's commit, the request is marked paid
(a conditional UPDATE: one winner, a double tap moves nothing twice), the card is
rewritten, and a `source` hook runs in the same transaction (the assistant's cost split
marks its settlement paid).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from babel.numbers import format_currency
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.accounts.tables import User
from kosmos.chat import hooks, messages
from kosmos.chat.conversations import active_member, membership
from kosmos.chat.tables import Message
from kosmos.errors import Conflict, Forbidden, Invalid, NotFound, Problem
from kosmos.places.tables import MoneyRequest
from kosmos.wallet import model, payments
from kosmos.wallet.idempotency import Answer, Claim
from kosmos.wallet.model import LedgerRuleError
from kosmos.wallet.tables import Payment

HANDLER = "places"
SCOPE = "places.money_request"
TEXTS = {
    "de": {"asks": "{who} bittet um {amount}", "for": "{who} bittet um {amount} für {note}",
           "from": "Von", "anyone": "jemandem aus dem Chat", "pay": "{amount} zahlen",
           "pin_pay": "Mit PIN zahlen", "paid": "Bezahlt von {who} ✓",
           "cancelled": "Zurückgezogen"},
    "en": {"asks": "{who} asks {amount}", "for": "{who} asks {amount} for {note}",
           "from": "From", "anyone": "anyone in the chat", "pay": "Pay {amount}",
           "pin_pay": "Pay with PIN", "paid": "Paid by {who} ✓", "cancelled": "Withdrawn"},
}  # fmt: skip

PaidHook = Callable[[Session, MoneyRequest], None]
_paid_hooks: dict[str, PaidHook] = {}


def on_paid(source: str) -> Callable[[PaidHook], PaidHook]:
    """Register what else must happen, in the same transaction, when a request with this
    `source` is paid (raise a Problem to refuse the payment)."""

    def register(hook: PaidHook) -> PaidHook:
        _paid_hooks[source] = hook
        return hook

    return register


def money_text(cents: int, locale: str) -> str:
    return format_currency(Decimal(cents).scaleb(-2), "EUR",
                           locale="en_IE" if locale == "en" else "de_DE")  # fmt: skip


def _name(session: Session, user_id: int | None) -> str:
    user = session.get(User, user_id) if user_id is not None else None
    return user.display_name if user else "?"


def card(session: Session, req: MoneyRequest, locale: str) -> dict[str, Any]:
    words = TEXTS["en" if locale == "en" else "de"]
    amount = money_text(req.amount, locale)
    who = _name(session, req.requester_id)
    title = (words["for"] if req.note else words["asks"]).format(who=who, amount=amount,
                                                                 note=req.note)  # fmt: skip
    payer = _name(session, req.payer_id) if req.payer_id else words["anyone"]
    out: dict[str, Any] = {
        "type": "payment_request", "title": title, "status": req.status,
        "fields": [{"label": words["from"], "value": payer}],
        "handler": HANDLER, "ref": {"money_request": req.id}, "locale": locale,
        "amount_cents": req.amount, "requester_id": req.requester_id, "payer_id": req.payer_id,
    }  # fmt: skip
    if req.status == "open":
        out["buttons"] = [{"action": "pay", "value": str(req.id),
                           "label": words["pay"].format(amount=amount)}]  # fmt: skip
        out["links"] = [{"label": words["pin_pay"], "url": f"/pay/money-requests/{req.id}"}]
    elif req.status == "paid":
        out["note"] = words["paid"].format(who=_name(session, req.paid_by_id))
    else:
        out["note"] = words["cancelled"]
    return out


def ask(
    session: Session,
    requester: User,
    conversation_id: int,
    *,
    amount: int,
    note: str = "",
    payer_id: int | None = None,
    source: str | None = None,
    source_id: int | None = None,
    commit: bool = True,
) -> MoneyRequest:
    """Post a payment request card into a chat the requester is in."""
    active_member(session, requester.id, conversation_id)
    try:
        model.check_amount(amount, highest=payments.SEND_LIMIT)
    except LedgerRuleError as err:
        raise Invalid.from_rule(err) from err
    if payer_id is not None:
        if payer_id == requester.id:
            raise Invalid("You cannot ask yourself for money.", field="payer_id")
        try:
            active_member(session, payer_id, conversation_id)
        except NotFound:
            raise NotFound("This person is not in the chat.", field="payer_id") from None
    req = MoneyRequest(
        conversation_id=conversation_id, requester_id=requester.id, payer_id=payer_id,
        amount=amount, currency="EUR", note=note.strip()[:200], status="open",
        source=source, source_id=source_id, created_at=clock.now(),
    )  # fmt: skip
    session.add(req)
    session.flush()
    body = card(session, req, requester.locale)
    out = messages.post_as_kosmos(session, conversation_id, card=body, commit=False)
    req.message_id = out["id"]
    if commit:
        session.commit()
    return req


def visible(session: Session, user: User, request_id: int) -> MoneyRequest:
    """A request of a chat the caller is (or was) in; anyone else gets a 404."""
    req = session.get(MoneyRequest, request_id)
    if req is None:
        raise NotFound("No such payment request.")
    try:
        membership(session, user.id, req.conversation_id)
    except NotFound:
        raise NotFound("No such payment request.") from None
    return req


def _locale(req: MoneyRequest, session: Session) -> str:
    message = session.get(Message, req.message_id) if req.message_id else None
    return str((message.card or {}).get("locale", "de")) if message else "de"


def _refresh_card(session: Session, req: MoneyRequest) -> None:
    if req.message_id is not None:
        messages.update_card(session, req.message_id, card(session, req, _locale(req, session)))


@dataclass
class _PayClaim(Claim):
    request_id: int = 0
    payer_id: int = 0

    def remember_result(self, session: Session, result: Any) -> Answer:
        taken = session.execute(
            update(MoneyRequest)
            .where(MoneyRequest.id == self.request_id, MoneyRequest.status == "open")
            .values(status="paid", paid_by_id=self.payer_id, paid_at=clock.now(),
                    payment_reference=result.reference)
        )  # fmt: skip
        if taken.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict("This request was paid already.", code="already_paid")
        req = session.get(MoneyRequest, self.request_id, populate_existing=True)
        assert req is not None
        hook = _paid_hooks.get(req.source or "")
        if hook is not None:
            hook(session, req)
        _refresh_card(session, req)
        return super().remember_result(session, result)


def _render(payment: Payment) -> Answer:
    return Answer(201, {"payment": payment.reference, "amount": payment.amount})


def pay(
    session: Session, user: User, req: MoneyRequest, *, pin: str | None = None
) -> Payment | None:
    """The payer pays the request from their wallet; None when it was paid already (a
    double tap moves nothing). Commits inside the wallet's payment."""
    if req.status == "paid":
        return None
    if req.status != "open":
        raise Conflict("This request was withdrawn.", code="request_withdrawn")
    if user.id == req.requester_id:
        raise Forbidden("You cannot pay your own request.", code="own_request")
    if req.payer_id is not None and req.payer_id != user.id:
        raise Forbidden("This request is for %(who)s.", code="not_your_request",
                        params={"who": _name(session, req.payer_id)})  # fmt: skip
    active_member(session, user.id, req.conversation_id)
    active_member(session, req.requester_id, req.conversation_id)
    material = f"{req.id}:{user.id}:{req.requester_id}:{req.amount}"
    digest = hashlib.sha256(material.encode()).hexdigest()
    claim = _PayClaim(SCOPE, f"money-request-{req.id}", digest, _render, request_id=req.id,
                      payer_id=user.id)  # fmt: skip
    try:
        return payments.send_to_friend(
            session, user, friend_id=req.requester_id, amount=req.amount,
            note=req.note or "Kosmos", pin=pin, idem=claim, asked=True,
        )  # fmt: skip
    except Problem:
        session.rollback()
        raise
    except IntegrityError:  # this request's key exists: paid a moment ago
        session.rollback()
        return None


def withdraw(session: Session, user: User, req: MoneyRequest) -> None:
    if user.id != req.requester_id:
        raise Forbidden("Only who asked can withdraw the request.", code="not_your_request")
    done = session.execute(
        update(MoneyRequest)
        .where(MoneyRequest.id == req.id, MoneyRequest.status == "open")
        .values(status="cancelled")
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise Conflict("This request is no longer open.", code="request_not_open")
    session.refresh(req)
    _refresh_card(session, req)
    session.commit()


def for_source(session: Session, source: str, source_id: int) -> MoneyRequest | None:
    return session.scalar(
        select(MoneyRequest).where(
            MoneyRequest.source == source, MoneyRequest.source_id == source_id
        )
    )


@hooks.card_handler(HANDLER)
def press(session: Session, user: User, message: Message, action: str, value: str) -> None:
    """Pay on a payment-request card; the chat pushes the rewritten card."""
    if action != "pay" or not value.isdigit():
        raise Invalid("This card has no such button.", field="action")
    req = visible(session, user, int(value))
    if req.message_id != message.id:
        raise NotFound("No such payment request.")
    if pay(session, user, req) is None:
        session.refresh(req)


def close_for_source(
    session: Session,
    source: str,
    source_id: int,
    *,
    status: str,
    paid_by_id: int | None = None,
    payment_reference: str | None = None,
) -> bool:
    """The thing a request stood for was settled another way (status "paid") or is gone
    ("cancelled"): close the open request and rewrite its card. The caller commits."""
    req = for_source(session, source, source_id)
    if req is None:
        return False
    values: dict[str, Any] = {"status": status}
    if status == "paid":
        values.update(paid_by_id=paid_by_id, payment_reference=payment_reference,
                      paid_at=clock.now())  # fmt: skip
    done = session.execute(
        update(MoneyRequest)
        .where(MoneyRequest.id == req.id, MoneyRequest.status == "open")
        .values(**values)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        return False
    session.refresh(req)
    _refresh_card(session, req)
    return True
