"""Top up the wallet from a card or bank account at a payment provider (the sandbox
built in), including the 3-D Secure round trip. Direct debit top-ups live in `sepa.py`."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.accounts.tables import User
from kosmos.errors import Conflict, NotFound, Problem
from kosmos.money import Money
from kosmos.rules import RuleError
from kosmos.wallet import accounts, model
from kosmos.wallet.idempotency import Claim
from kosmos.wallet.ledger import post_transfer
from kosmos.wallet.model import LedgerRuleError, Posting
from kosmos.wallet.payments import (
    complete,
    finish,
    get_payment,
    new_payment,
    rule_problem,
)
from kosmos.wallet.providers import provider
from kosmos.wallet.tables import Payment

TOPUP_LIMIT = 1_000_00


class PaymentDeclined(Problem):
    status, code, title = 402, "payment_declined", "Payment declined"


def top_up(
    session: Session,
    user: User,
    *,
    amount: int,
    source: str,
    provider_name: str = "sandbox",
    idem: Claim | None = None,
) -> Payment:
    """Charge a card or bank account at the provider and credit the wallet. A declined
    charge is kept as a failed payment (the person sees it) and raises PaymentDeclined;
    a charge that asks for 3-D Secure waits in `requires_action` for `confirm_top_up`.

    The sandbox answers in-process, so the charge happens inside this transaction. A
    networked provider must not be called with the database transaction open: commit the
    pending payment first (a recovery point), charge with the payment reference as the
    provider's idempotency key, then settle in a second transaction."""
    try:
        model.check_amount(amount, lowest=1_00, highest=TOPUP_LIMIT)
    except LedgerRuleError as err:
        raise rule_problem(err) from err
    psp = provider(provider_name)
    payment = new_payment(
        kind="topup", status="pending", user_id=user.id, amount=amount, currency="EUR",
        method="card" if source.replace(" ", "").isdigit() else "bank",
        provider=psp.name, description="Top-up",
    )  # fmt: skip
    try:
        charge = psp.charge(reference=payment.reference, amount=Money(amount), source=source)
    except RuleError as err:
        raise rule_problem(err) from err
    payment.provider_ref = charge.provider_ref
    payment.source_hint = charge.source_hint
    session.add(payment)
    if charge.status == "requires_action":
        payment.status = "requires_action"
        session.flush()
        return finish(session, payment, idem)
    return _settle_top_up(session, payment, charge.status, charge.failure_code, idem)


def confirm_top_up(
    session: Session, user: User, reference: str, *, approve: bool, idem: Claim | None = None
) -> Payment:
    """The payer's answer to the provider's 3-D Secure challenge."""
    payment = get_payment(session, user, reference)
    if payment.kind != "topup" or payment.user_id != user.id:
        raise NotFound("No such payment.")
    claimed = session.execute(
        update(Payment)
        .where(Payment.id == payment.id, Payment.status == "requires_action")
        .values(status="pending")
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise Conflict("This top-up is not waiting for confirmation.", code="not_requires_action")
    session.refresh(payment)
    charge = provider(payment.provider or "sandbox").authenticate(
        provider_ref=payment.provider_ref or "", approve=approve
    )
    return _settle_top_up(session, payment, charge.status, charge.failure_code, idem)


def _settle_top_up(
    session: Session, payment: Payment, status: str, failure: str | None, idem: Claim | None
) -> Payment:
    payment.completed_at = clock.now()
    if status != "succeeded":
        payment.status = "failed"
        payment.failure_code = failure or "declined"
        session.flush()
        problem = PaymentDeclined(
            "The payment was declined (%(reason)s).",
            params={"reason": payment.failure_code},
            field="source",
            extra={"payment": payment.reference, "decline_code": payment.failure_code},
        )
        if idem is not None:
            idem.remember_problem(session, problem)
        session.commit()
        raise problem
    wallet = accounts.wallet_of(session, payment.user_id)
    clearing = accounts.clearing(session, payment.provider or "sandbox")
    transfer_id = post_transfer(
        session,
        [Posting(clearing.id, Money(-payment.amount)), Posting(wallet.id, Money(payment.amount))],
        kind="topup",
        description=f"Top-up {payment.reference}",
        details={"payment": payment.reference},
    )
    payment.status = "succeeded"
    return complete(session, payment, transfer_id, idem)
