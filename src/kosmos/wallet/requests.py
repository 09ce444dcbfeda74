"""Merchant side: payment requests (ask a customer for an amount) and the payment list.

The caller (route) has already checked that the user works for the merchant
(`catalog.backoffice.merchant_for`); these functions only ever touch that merchant's rows.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.accounts.tables import User
from kosmos.catalog.tables import Store
from kosmos.errors import Conflict, Invalid, NotFound
from kosmos.wallet.lines import purchase_lines
from kosmos.wallet.payments import new_reference
from kosmos.wallet.tables import Payment, PaymentRequest

DEFAULT_TTL = timedelta(minutes=15)


def create_request(
    session: Session,
    staff: User,
    merchant_id: int,
    *,
    amount: int | None = None,
    lines: list[dict[str, Any]] | None = None,
    description: str = "",
    store_id: int | None = None,
    ttl: timedelta = DEFAULT_TTL,
    short_code: str | None = None,
) -> PaymentRequest:
    if store_id is not None:
        store = session.get(Store, store_id)
        if store is None or store.merchant_id != merchant_id:
            raise NotFound("No such store.", field="store_id")
    if not timedelta(minutes=1) <= ttl <= timedelta(days=30):
        raise Invalid("A request is valid between a minute and 30 days.", field="expires_in")
    total, receipt_lines = purchase_lines(amount, lines, description)
    now = clock.now()
    request = PaymentRequest(
        reference=new_reference("req"), merchant_id=merchant_id, store_id=store_id,
        created_by_id=staff.id, amount=total, currency="EUR",
        description=description.strip()[:200], lines=receipt_lines, status="open",
        expires_at=now + ttl, created_at=now, short_code=short_code,
    )  # fmt: skip
    session.add(request)
    session.commit()
    return request


def get_request(session: Session, reference: str) -> PaymentRequest:
    """A request by its unguessable reference (what the customer's QR carries)."""
    request = session.scalar(select(PaymentRequest).where(PaymentRequest.reference == reference))
    if request is None:
        raise NotFound("No such payment request.")
    return request


def merchant_request(session: Session, merchant_id: int, reference: str) -> PaymentRequest:
    request = get_request(session, reference)
    if request.merchant_id != merchant_id:
        raise NotFound("No such payment request.")
    return request


def cancel_request(session: Session, merchant_id: int, reference: str) -> PaymentRequest:
    request = merchant_request(session, merchant_id, reference)
    done = session.execute(
        update(PaymentRequest)
        .where(PaymentRequest.id == request.id, PaymentRequest.status == "open")
        .values(status="cancelled")
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise Conflict("This payment request is no longer open.", code="request_not_open")
    session.commit()
    session.refresh(request)
    return request


def request_payment(session: Session, request: PaymentRequest) -> Payment | None:
    return session.scalar(select(Payment).where(Payment.request_id == request.id))


def list_merchant_payments(
    session: Session,
    merchant_id: int,
    *,
    kind: str | None = None,
    since: datetime | None = None,
    before_id: int | None = None,
    limit: int = 50,
) -> list[Payment]:
    """Newest first; `before_id` pages back."""
    query = select(Payment).where(Payment.merchant_id == merchant_id)
    if kind is not None:
        query = query.where(Payment.kind == kind)
    if since is not None:
        query = query.where(Payment.created_at >= since)
    if before_id is not None:
        query = query.where(Payment.id < before_id)
    return list(session.scalars(query.order_by(Payment.id.desc()).limit(limit)))


def merchant_payment(session: Session, merchant_id: int, reference: str) -> Payment:
    payment = session.scalar(
        select(Payment).where(Payment.reference == reference, Payment.merchant_id == merchant_id)
    )
    if payment is None:
        raise NotFound("No such payment.")
    return payment
