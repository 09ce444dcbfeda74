"""Customer-presented payments: the customer's phone shows a one-time code (QR and 12
digits) that rotates every 30 seconds; the point of sale scans or types it and charges.

A code is single use (a conditional UPDATE takes it) and only one is live per customer.
There is no PIN at the till, so a charge must stay within the strong-customer-auth
exemption (50 EUR each, 150 EUR since the last PIN): beyond it the till is told to let the
customer scan and pay on their phone instead.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.accounts.tables import User
from kosmos.catalog.tables import Store
from kosmos.errors import Conflict, Invalid, NotFound
from kosmos.places import codes, guesses, live
from kosmos.places.tables import CustomerCode
from kosmos.wallet import payments
from kosmos.wallet.idempotency import Claim
from kosmos.wallet.sca import PinLocked, PinNotSet, ScaRequired
from kosmos.wallet.tables import Payment

LIFETIME = timedelta(seconds=30)


def my_code_key(user_id: int) -> str:
    return f"mycode:{user_id}"


def issue(session: Session, user: User) -> CustomerCode:
    """A fresh code for the customer's phone; the previous one stops working."""
    now = clock.now()
    session.execute(
        update(CustomerCode)
        .where(CustomerCode.user_id == user.id, CustomerCode.used_at.is_(None),
               CustomerCode.expires_at > now)
        .values(expires_at=now)
    )  # fmt: skip
    for attempt in range(3):
        row = CustomerCode(code=codes.new_customer_code(), user_id=user.id, created_at=now,
                           expires_at=now + LIFETIME)  # fmt: skip
        try:
            with session.begin_nested():
                session.add(row)
            session.commit()
            return row
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def charge(
    session: Session,
    staff: User,
    merchant_id: int,
    *,
    code: str,
    amount: int,
    description: str = "",
    store_id: int | None = None,
    lines: list[dict[str, Any]] | None = None,
    idem: Claim | None = None,
) -> Payment:
    """The till charges a customer's code. The caller has checked that `staff` works for
    the merchant."""
    guesses.check(session, staff.id)
    try:
        typed = codes.typed_customer_code(code)
    except codes.CodeError as err:
        raise Invalid.from_rule(err) from err
    if store_id is not None:
        store = session.get(Store, store_id)
        if store is None or store.merchant_id != merchant_id:
            raise NotFound("No such store.", field="store_id")
    now = clock.now()
    row = session.scalar(select(CustomerCode).where(CustomerCode.code == typed))
    if row is None or row.used_at is not None or row.expires_at <= now:
        guesses.miss(session, staff.id, "customer_code")
        raise NotFound("This code is unknown or no longer valid. Ask for the current one.",
                       code="unknown_code", field="code")  # fmt: skip
    taken = session.execute(
        update(CustomerCode)
        .where(CustomerCode.id == row.id, CustomerCode.used_at.is_(None))
        .values(used_at=now)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise Conflict("This code was used a moment ago.", code="code_used", field="code")
    customer = session.get(User, row.user_id)
    assert customer is not None
    live.changed(session, [customer.id], my_code_key(customer.id), status="paid")
    live.changed(session, live.staff_ids(session, merchant_id), f"pos:merchant:{merchant_id}")
    try:
        payment = payments.pay_merchant(
            session, customer, merchant_id=merchant_id, amount=None if lines else amount,
            lines=lines, description=description, store_id=store_id, pin=None, idem=idem,
        )  # fmt: skip
    except (ScaRequired, PinNotSet, PinLocked):
        session.rollback()
        raise Conflict(
            "This amount needs the customer's PIN: let the customer scan your code and pay "
            "on their phone.", code="customer_must_confirm", field="amount",
        ) from None  # fmt: skip
    # Only for the customer's screen ("paid 12,80 € at ..."), so a second small commit.
    session.execute(update(CustomerCode).where(CustomerCode.id == row.id)
                    .values(payment_reference=payment.reference))  # fmt: skip
    session.commit()
    return payment


def last_payment(session: Session, user: User) -> Payment | None:
    """The customer's most recent code payment in the last minutes (shown on their phone)."""
    since = clock.now() - timedelta(minutes=5)
    row = session.scalar(
        select(CustomerCode)
        .where(CustomerCode.user_id == user.id, CustomerCode.used_at > since)
        .order_by(CustomerCode.used_at.desc())
    )
    if row is None or row.payment_reference is None:
        return None
    return session.scalar(select(Payment).where(Payment.reference == row.payment_reference))
