"""Receipts and invoices for completed purchases, built from the payment row.

Who may see one: the payer, and staff of the merchant. Anyone else gets 404.
The merchant's address is the store's where the purchase happened, else its first store.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.accounts.tables import User
from kosmos.catalog.backoffice import staff_roles
from kosmos.catalog.tables import Merchant, Store
from kosmos.errors import Conflict, Invalid, NotFound
from kosmos.money import Money
from kosmos.rules import RuleError
from kosmos.wallet.documents.einvoice import facturx_pdf
from kosmos.wallet.documents.receipt_pdf import render_receipt_pdf
from kosmos.wallet.receipt import Party, Receipt, ReceiptLine
from kosmos.wallet.tables import Payment, PaymentRequest

METHODS = {"exempt": "Kosmos Wallet", "pin": "Kosmos Wallet (PIN)", "hold": "Kosmos Wallet"}


def receipt_payment(session: Session, user: User, reference: str) -> Payment:
    payment = session.scalar(
        select(Payment).where(Payment.reference == reference, Payment.kind == "purchase")
    )
    if payment is None or payment.receipt_number is None:
        raise NotFound("No such receipt.")
    if payment.user_id != user.id and payment.merchant_id not in staff_roles(session, user):
        raise NotFound("No such receipt.")
    return payment


def list_receipts(session: Session, user: User, *, limit: int = 100) -> list[Payment]:
    return list(
        session.scalars(
            select(Payment)
            .where(
                Payment.user_id == user.id,
                Payment.kind == "purchase",
                Payment.receipt_number.is_not(None),
            )
            .order_by(Payment.id.desc())
            .limit(limit)
        )
    )


def _seller(session: Session, merchant_id: int, store_id: int | None) -> tuple[Party, Store | None]:
    merchant = session.get(Merchant, merchant_id)
    assert merchant is not None  # noqa: S101 - payments and requests always have one
    store = session.get(Store, store_id) if store_id else None
    if store is None:
        store = session.scalar(
            select(Store).where(Store.merchant_id == merchant.id).order_by(Store.id)
        )
    party = Party(
        name=merchant.name,
        street=store.street if store else "",
        postcode=store.postcode if store else "",
        city=store.city if store else "",
        vat_id=merchant.vat_id,
        tax_number=merchant.tax_number,
        iban=merchant.iban,
    )
    return party, store


def _lines(raw: list[dict[str, Any]], currency: str) -> tuple[ReceiptLine, ...]:
    return tuple(
        ReceiptLine(
            name=line["name"],
            quantity=Decimal(line["quantity"]),
            unit=line["unit"],
            unit_price=Money(int(line["unit_price"]), currency),
            vat_rate=int(line["vat_rate"]),
            gtin=line.get("gtin"),
        )
        for line in raw
    )


def build_receipt(session: Session, payment: Payment, *, buyer: Party | None = None) -> Receipt:
    seller, store = _seller(session, payment.merchant_id or 0, payment.store_id)
    return Receipt(
        number=payment.receipt_number or payment.reference,
        issued_at=payment.completed_at or payment.created_at,
        merchant=seller,
        lines=_lines(payment.lines, payment.currency),
        payment_method=METHODS.get(payment.sca or "", "Kosmos Wallet"),
        currency=payment.currency,
        buyer=buyer,
        store_name=store.name if store and payment.store_id else None,
        refunded=Money(payment.refunded, payment.currency) if payment.refunded else None,
    )


def request_invoice_pdf(
    session: Session, request: PaymentRequest, buyer: Party, *, locale: str
) -> bytes:
    """An unpaid e-invoice for an open payment request, for a business that pays by bank
    transfer: due in 14 days, with the merchant's IBAN and a GiroCode."""
    if request.status != "open":
        raise Conflict("This payment request is no longer open.", code="request_not_open")
    seller, store = _seller(session, request.merchant_id, request.store_id)
    if not seller.iban:
        raise NotFound("This merchant takes no bank transfers.")
    receipt = Receipt(
        number=request.reference,
        issued_at=clock.now(),
        merchant=seller,
        lines=_lines(request.lines, request.currency),
        payment_method="SEPA credit transfer",
        currency=request.currency,
        buyer=buyer,
        store_name=store.name if store and request.store_id else None,
    )
    try:
        return facturx_pdf(receipt, locale=locale, paid=False)
    except RuleError as err:
        raise Invalid.from_rule(err) from err


def receipt_pdf(session: Session, payment: Payment, *, locale: str) -> bytes:
    return render_receipt_pdf(build_receipt(session, payment), locale=locale)


def invoice_pdf(session: Session, payment: Payment, buyer: Party, *, locale: str) -> bytes:
    """A ZUGFeRD / Factur-X (EN 16931) invoice: PDF/A-3 with the CII XML embedded."""
    try:
        return facturx_pdf(build_receipt(session, payment, buyer=buyer), locale=locale)
    except RuleError as err:
        raise Invalid.from_rule(err) from err
