"""Holds: reserve money now, take it later (a delivery, the walk-out store).

authorize:  wallet -> holds account (the money is no longer spendable)
capture:    holds -> merchant (the captured part) and holds -> wallet (the rest), one
            transfer; the capture is a purchase with a receipt
release:    holds -> wallet (all of it); also what expiry does
Every state change is a conditional UPDATE on the hold's status, so a capture racing a
release or an expiry has exactly one winner.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from kosmos import bus, clock
from kosmos.accounts.tables import User
from kosmos.catalog.tables import Merchant
from kosmos.errors import Conflict, Invalid, NotFound
from kosmos.money import Money
from kosmos.wallet import accounts, model, sca
from kosmos.wallet.idempotency import Claim
from kosmos.wallet.ledger import post_transfer
from kosmos.wallet.lines import purchase_lines
from kosmos.wallet.model import LedgerRuleError, Posting
from kosmos.wallet.payments import (
    complete,
    new_payment,
    new_reference,
)
from kosmos.wallet.tables import Hold, Payment

DEFAULT_TTL = timedelta(days=7)
MAX_TTL = timedelta(days=30)
HOLD_CLOSED = "wallet.hold_closed"


def authorize(
    session: Session,
    user: User,
    *,
    merchant_id: int,
    amount: int,
    description: str = "",
    ttl: timedelta = DEFAULT_TTL,
    pin: str | None = None,
    idem: Claim | None = None,
    reference: str | None = None,
) -> Hold:
    """Reserve `amount` of the user's wallet for a merchant until `ttl` has passed. A
    caller that must record the hold before this commits passes its `reference`."""
    if session.get(Merchant, merchant_id) is None:
        raise NotFound("No such merchant.", field="merchant_id")
    try:
        model.check_amount(amount)
    except LedgerRuleError as err:
        raise Invalid.from_rule(err) from err
    if not timedelta(minutes=1) <= ttl <= MAX_TTL:
        raise Invalid("A hold lasts between a minute and 30 days.", field="expires_in")
    how = sca.authorize_payment(session, user.id, amount, pin)
    now = clock.now()
    hold = Hold(
        reference=reference or new_reference("hold"), user_id=user.id, merchant_id=merchant_id,
        amount=amount, currency="EUR", captured=0, released=0, status="authorized",
        description=description.strip()[:200], expires_at=now + ttl, created_at=now,
    )  # fmt: skip
    post_transfer(
        session,
        [
            Posting(accounts.wallet_of(session, user.id).id, Money(-amount)),
            Posting(accounts.holds(session).id, Money(amount)),
        ],
        kind="hold",
        description=f"Hold {hold.reference}",
        details={"hold": hold.reference, "sca": how},
    )
    session.add(hold)
    session.flush()
    if idem is not None:
        idem.remember_result(session, hold)
    session.commit()
    return hold


def _close(session: Session, hold: Hold, status: str, captured: int) -> None:
    """Move the hold out of `authorized`; only one caller can."""
    done = session.execute(
        update(Hold)
        .where(Hold.id == hold.id, Hold.status == "authorized")
        .values(
            status=status,
            captured=captured,
            released=hold.amount - captured,
            closed_at=clock.now(),
        )
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise Conflict("This hold is no longer open.", code="hold_closed")
    session.refresh(hold)


def merchant_hold(session: Session, merchant_id: int, reference: str) -> Hold:
    hold = session.scalar(
        select(Hold).where(Hold.reference == reference, Hold.merchant_id == merchant_id)
    )
    if hold is None:
        raise NotFound("No such hold.")
    return hold


def capture(
    session: Session,
    merchant_id: int,
    reference: str,
    *,
    amount: int | None = None,
    lines: list[dict[str, Any]] | None = None,
    description: str = "",
    idem: Claim | None = None,
    with_payment: Callable[[Payment], None] | None = None,
) -> Payment:
    """Take all or part of a hold; the rest goes back to the wallet at once.
    `with_payment(payment)` runs before the commit, so the caller's rows that name the
    payment commit together with it."""
    hold = merchant_hold(session, merchant_id, reference)
    if hold.status != "authorized":
        raise Conflict("This hold is no longer open.", code="hold_closed")
    if hold.expires_at <= clock.now():
        raise Conflict("This hold has expired.", code="hold_expired")
    total, receipt_lines = purchase_lines(
        amount if amount is not None or lines else hold.amount,
        lines,
        description or hold.description,
    )
    try:
        model.capturable(hold.amount, total)
    except LedgerRuleError as err:
        raise Invalid.from_rule(err) from err
    _close(session, hold, "captured", total)
    holds_account = accounts.holds(session)
    postings = [
        Posting(holds_account.id, Money(-hold.amount)),
        Posting(accounts.merchant_account(session, merchant_id).id, Money(total)),
    ]
    if hold.amount > total:
        postings.append(
            Posting(accounts.wallet_of(session, hold.user_id).id, Money(hold.amount - total))
        )
    payment = new_payment(
        kind="purchase", status="succeeded", user_id=hold.user_id, merchant_id=merchant_id,
        amount=total, currency=hold.currency, method="wallet", sca="hold",
        description=(description or hold.description)[:200], lines=receipt_lines,
        hold_id=hold.id,
    )  # fmt: skip
    transfer_id = post_transfer(
        session,
        postings,
        kind="capture",
        description=f"Capture {hold.reference}",
        details={"hold": hold.reference, "payment": payment.reference},
    )
    if with_payment is not None:
        with_payment(payment)
    return complete(session, payment, transfer_id, idem, receipt=True)


def release(
    session: Session, hold: Hold, *, status: str = "released", idem: Claim | None = None
) -> Hold:
    """Give the whole hold back to the wallet (cancel, or expiry)."""
    _close(session, hold, status, 0)
    post_transfer(
        session,
        [
            Posting(accounts.holds(session).id, Money(-hold.amount)),
            Posting(accounts.wallet_of(session, hold.user_id).id, Money(hold.amount)),
        ],
        kind="release",
        description=f"Release {hold.reference} ({status})",
        details={"hold": hold.reference},
    )
    bus.publish(
        session,
        HOLD_CLOSED,
        {"hold": hold.reference, "status": status, "merchant_id": hold.merchant_id},
    )
    if idem is not None:
        idem.remember_result(session, hold)
    session.commit()
    return hold


def user_hold(session: Session, user: User, reference: str) -> Hold:
    hold = session.scalar(select(Hold).where(Hold.reference == reference, Hold.user_id == user.id))
    if hold is None:
        raise NotFound("No such hold.")
    return hold


def open_holds(session: Session, user: User) -> list[Hold]:
    return list(
        session.scalars(
            select(Hold)
            .where(Hold.user_id == user.id, Hold.status == "authorized")
            .order_by(Hold.id.desc())
        )
    )


def held_total(session: Session, user: User) -> int:
    """What the user's open holds reserve (not spendable, not in the balance)."""
    total = session.scalar(
        select(func.coalesce(func.sum(Hold.amount), 0)).where(
            Hold.user_id == user.id, Hold.status == "authorized"
        )
    )
    return int(total or 0)


def expire_due(session: Session) -> int:
    """Release every hold past its expiry. Safe to run from several processes."""
    due = session.scalars(
        select(Hold).where(Hold.status == "authorized", Hold.expires_at <= clock.now())
    ).all()
    expired = 0
    for hold in due:
        try:
            release(session, hold, status="expired")
            expired += 1
        except Conflict:
            continue  # captured or released meanwhile
    return expired
