"""Wallet use cases that move money: top up, pay a merchant, send to a friend, refund.

Each function owns its transaction. The order inside is always the same: strong
customer authentication (may commit a wrong-PIN try and raise; the payer's counters
change at the commit), the ledger transfer (checks the floors; the balances
change at the commit, locked in a fixed order), the payment row, the outbox event, the
idempotency answer, one commit. A problem raised before the
commit leaves nothing behind.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, inspect, select, update
from sqlalchemy.orm import Session, make_transient_to_detached

from kosmos import bus, clock, db, fast_sql
from kosmos.accounts.friends import are_friends
from kosmos.accounts.tables import User
from kosmos.catalog.tables import Merchant, Store
from kosmos.errors import Conflict, Invalid, NotFound
from kosmos.money import Money
from kosmos.rules import RuleError
from kosmos.wallet import accounts, model, sca
from kosmos.wallet.idempotency import Claim
from kosmos.wallet.ledger import post_transfer
from kosmos.wallet.lines import purchase_lines
from kosmos.wallet.model import LedgerRuleError, Posting
from kosmos.wallet.tables import LedgerAccount, LedgerBalance, Payment, PaymentRequest

PAYMENT_SUCCEEDED = "wallet.payment_succeeded"
REFUND_SUCCEEDED = "wallet.refund_succeeded"
SEND_LIMIT = 1_000_00


def new_reference(prefix: str) -> str:
    return f"{prefix}_{secrets.token_urlsafe(12)}"


def rule_problem(err: RuleError) -> Invalid:
    return Invalid.from_rule(err)


def finish(session: Session, payment: Payment, idem: Claim | None) -> Payment:
    """Store the idempotency answer and commit; in a batch the batch commits
    (`wallet.batching`)."""
    if idem is not None:
        idem.remember_result(session, payment)
    if not db.commit_is_shared(session):
        session.commit()
    return payment


def new_payment(**fields: Any) -> Payment:
    now = clock.now()
    fields.setdefault("refunded", 0)
    fields.setdefault("lines", [])
    return Payment(reference=new_reference("pay"), created_at=now, **fields)


def complete(
    session: Session,
    payment: Payment,
    transfer_id: int,
    idem: Claim | None,
    *,
    topic: str = PAYMENT_SUCCEEDED,
    receipt: bool = False,
) -> Payment:
    """The common end of every money movement: link the transfer, store the payment,
    publish its event, store the idempotency answer, commit."""
    payment.transfer_id = transfer_id
    payment.completed_at = clock.now()
    if receipt:
        payment.receipt_number = receipt_number_for(payment, transfer_id)
    if inspect(payment).transient:
        _insert_payment(session, payment)
    else:
        session.add(payment)
        session.flush()
    bus.publish_at_commit(session, topic, event_payload(payment))
    return finish(session, payment, idem)


_PAYMENTS = Payment.__table__
_PAYMENT_COLUMNS = [c.key for c in _PAYMENTS.columns if c.key != "id"]
_INSERT_PAYMENT = fast_sql.Statement(
    fast_sql.insert_into(_PAYMENTS, _PAYMENT_COLUMNS).returning(_PAYMENTS.c.id)
)


def _insert_payment(session: Session, payment: Payment) -> None:
    """A new payment row in one INSERT (no unit-of-work flush). The object becomes a
    detached copy of the row, every column loaded: reading it needs no query, and the
    session's commit has no object to look at (a money movement does not change the
    payment after this)."""
    loaded = payment.__dict__  # the instance's state: set without attribute events
    for key in _PAYMENT_COLUMNS:
        loaded.setdefault(key, None)  # NULL, so reading it later needs no query
    values = {key: loaded[key] for key in _PAYMENT_COLUMNS}
    loaded["id"] = _INSERT_PAYMENT.execute(session, values).scalar_one()
    make_transient_to_detached(payment)


def receipt_number_for(payment: Payment, transfer_id: int) -> str:
    """Unique per purchase: the number of the ledger transfer that paid it."""
    return f"KOS-{payment.created_at.year}-{transfer_id:06d}"


def event_payload(payment: Payment) -> dict[str, Any]:
    return {
        "payment": payment.reference,
        "kind": payment.kind,
        "status": payment.status,
        "amount": payment.amount,
        "currency": payment.currency,
        "merchant_id": payment.merchant_id,
        "user_id": payment.user_id,
        "refund_of": payment.refund_of_id,
    }


# --- pay a merchant -------------------------------------------------------------------------


def pay_merchant(
    session: Session,
    user: User,
    *,
    merchant_id: int,
    amount: int | None = None,
    lines: Sequence[dict[str, Any]] | None = None,
    description: str = "",
    store_id: int | None = None,
    pin: str | None = None,
    idem: Claim | None = None,
) -> Payment:
    """Pay a merchant from the wallet (a market stall: the payer types the amount)."""
    found = accounts.purchase_rows(session, user.id, merchant_id)
    merchant_name = found.merchant_name  # None: no account yet, or no such merchant
    if merchant_name is None:
        merchant_name = _MERCHANT_NAME.scalar(session, {"id": merchant_id})
    if merchant_name is None:
        raise NotFound("No such merchant.")
    if store_id is not None:
        store = session.get(Store, store_id)
        if store is None or store.merchant_id != merchant_id:
            raise NotFound("No such store.")
    total, receipt_lines = purchase_lines(amount, lines, description)
    return _purchase(
        session, user, merchant_id=merchant_id, store_id=store_id, amount=total,
        lines=receipt_lines, description=description or merchant_name, pin=pin, idem=idem,
        found=found,
    )  # fmt: skip


_MERCHANT_NAME = fast_sql.Statement(
    select(Merchant.__table__.c.name).where(Merchant.__table__.c.id == bindparam("id"))
)


def pay_request(
    session: Session,
    user: User,
    reference: str,
    *,
    pin: str | None = None,
    idem: Claim | None = None,
) -> Payment:
    """Pay a merchant's payment request; a request is paid at most once."""
    request = session.scalar(select(PaymentRequest).where(PaymentRequest.reference == reference))
    if request is None:
        raise NotFound("No such payment request.")
    if request.status != "open":
        raise Conflict("This payment request is no longer open.", code="request_not_open")
    if request.expires_at <= clock.now():
        raise Invalid("This payment request has expired.", code="request_expired")
    return _purchase(
        session, user, merchant_id=request.merchant_id, store_id=request.store_id,
        amount=request.amount, lines=request.lines, description=request.description,
        pin=pin, idem=idem, request=request,
    )  # fmt: skip


def _purchase(
    session: Session,
    user: User,
    *,
    merchant_id: int,
    store_id: int | None,
    amount: int,
    lines: list[dict[str, Any]],
    description: str,
    pin: str | None,
    idem: Claim | None,
    request: PaymentRequest | None = None,
    hold_id: int | None = None,
    found: accounts.PurchaseRows | None = None,
) -> Payment:
    how = sca.authorize_payment(session, user.id, amount, pin)
    wallet, shop, balances = accounts.wallet_and_merchant(
        session, user.id, merchant_id, found=found
    )
    payment = new_payment(
        kind="purchase", status="succeeded", user_id=user.id, merchant_id=merchant_id,
        store_id=store_id, amount=amount, currency="EUR", method="wallet", sca=how,
        description=description[:200], lines=lines,
        request_id=request.id if request else None, hold_id=hold_id,
    )  # fmt: skip
    transfer_id = post_transfer(
        session,
        [Posting(wallet, Money(-amount)), Posting(shop, Money(amount))],
        kind="purchase",
        description=f"Purchase {payment.reference}",
        details={"payment": payment.reference},
        known=balances,
    )
    if request is not None:
        paid = session.execute(
            update(PaymentRequest)
            .where(PaymentRequest.id == request.id, PaymentRequest.status == "open")
            .values(status="paid")
        )
        if paid.rowcount != 1:  # type: ignore[attr-defined]
            session.rollback()
            raise Conflict("This payment request is no longer open.", code="request_not_open")
    return complete(session, payment, transfer_id, idem, receipt=True)


# --- send money to a friend -----------------------------------------------------------------


def send_to_friend(
    session: Session,
    user: User,
    *,
    friend_id: int,
    amount: int,
    note: str = "",
    pin: str | None = None,
    idem: Claim | None = None,
    asked: bool = False,
) -> Payment:
    """Settle up: move money from the sender's wallet to a friend's. `asked=True`: the
    receiver asked the sender for this amount (a payment request in a shared chat, checked
    by the caller), so they need not be friends."""
    if friend_id == user.id:
        raise Invalid("You cannot send money to yourself.", field="friend_id")
    if not asked and not are_friends(session, user.id, friend_id):
        raise NotFound("No such friend.", field="friend_id")
    try:
        model.check_amount(amount, highest=SEND_LIMIT)
    except LedgerRuleError as err:
        raise rule_problem(err) from err
    how = sca.authorize_payment(session, user.id, amount, pin)
    mine = accounts.wallet_of(session, user.id)
    theirs = accounts.wallet_of(session, friend_id)
    payment = new_payment(
        kind="transfer", status="succeeded", user_id=user.id, counterparty_user_id=friend_id,
        amount=amount, currency="EUR", method="wallet", sca=how, description=note.strip()[:200],
    )  # fmt: skip
    transfer_id = post_transfer(
        session,
        [Posting(mine.id, Money(-amount)), Posting(theirs.id, Money(amount))],
        kind="transfer",
        description=f"Transfer {payment.reference}",
        details={"payment": payment.reference},
    )
    return complete(session, payment, transfer_id, idem)


# --- refunds (merchant side) ----------------------------------------------------------------


def refund(
    session: Session,
    merchant_id: int,
    reference: str,
    *,
    amount: int | None = None,
    reason: str = "",
    idem: Claim | None = None,
) -> Payment:
    """Give back all or part of a purchase; never more than was paid in total. The
    caller has checked that the user may act for `merchant_id`."""
    original = session.scalar(
        select(Payment).where(
            Payment.reference == reference,
            Payment.merchant_id == merchant_id,
            Payment.kind == "purchase",
        )
    )
    if original is None or original.status != "succeeded":
        raise NotFound("No such payment.")
    if amount is None:
        amount = original.amount - original.refunded
        if amount == 0:
            raise Invalid("This payment is refunded in full.", code="refund_exceeds_payment")
    try:
        model.refundable(original.amount, original.refunded, amount)
    except LedgerRuleError as err:
        raise rule_problem(err) from err
    # The guard is in the UPDATE itself, so two refunds at once cannot both pass it.
    taken = session.execute(
        update(Payment)
        .where(Payment.id == original.id, Payment.refunded + amount <= Payment.amount)
        .values(refunded=Payment.refunded + amount)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise Invalid("A refund cannot exceed what was paid.", code="refund_exceeds_payment")
    shop = accounts.merchant_account(session, merchant_id)
    wallet = accounts.wallet_of(session, original.user_id)
    payment = new_payment(
        kind="refund", status="succeeded", user_id=original.user_id, merchant_id=merchant_id,
        store_id=original.store_id, amount=amount, currency=original.currency, method="wallet",
        description=(reason.strip() or f"Refund {original.receipt_number}")[:200],
        refund_of_id=original.id,
    )  # fmt: skip
    transfer_id = post_transfer(
        session,
        [Posting(shop.id, Money(-amount)), Posting(wallet.id, Money(amount))],
        kind="refund",
        description=f"Refund {payment.reference} of {original.reference}",
        reverses_id=original.transfer_id,
        details={"payment": payment.reference, "refund_of": original.reference},
    )
    return complete(session, payment, transfer_id, idem, topic=REFUND_SUCCEEDED)


# --- reads ----------------------------------------------------------------------------------


def _own_payment(session: Session, user: User, reference: str) -> Payment:
    payment = session.scalar(select(Payment).where(Payment.reference == reference))
    if payment is None or user.id not in (payment.user_id, payment.counterparty_user_id):
        raise NotFound("No such payment.")
    return payment


def get_payment(session: Session, user: User, reference: str) -> Payment:
    """A payment the user made or received; anyone else's is a 404."""
    return _own_payment(session, user, reference)


def wallet_balance(session: Session, user: User) -> Money:
    """The spendable balance (held money is not in it). Opens nothing."""
    row = session.execute(
        select(LedgerBalance.balance)
        .join(LedgerAccount, LedgerAccount.id == LedgerBalance.account_id)
        .where(LedgerAccount.code == accounts.wallet_code(user.id))
    ).scalar()
    return Money(int(row or 0))
