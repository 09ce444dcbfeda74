"""Receipts and invoices for completed purchases, built from the payment row.

Who may see one: the payer, and staff of the merchant. Anyone else gets 404.
The merchant's address is the store's where the purchase happened, else its first store.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from kosmos.accounts.tables import User
from kosmos.catalog.backoffice import staff_roles
from kosmos.catalog.tables import Merchant, Store
from kosmos.errors import Invalid, NotFound
from kosmos.money import Money
from kosmos.rules import RuleError
from kosmos.wallet.documents.einvoice import facturx_pdf
from kosmos.wallet.documents.receipt_pdf import render_receipt_pdf
from kosmos.wallet.receipt import Party, Receipt, ReceiptLine
from kosmos.wallet.tables import Payment

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


def build_receipt(session: Session, payment: Payment, *, buyer: Party | None = None) -> Receipt:
    merchant = session.get(Merchant, payment.merchant_id)
    assert merchant is not None  # noqa: S101 - a purchase always has a merchant
    store = session.get(Store, payment.store_id) if payment.store_id else None
    if store is None:
        store = session.scalar(
            select(Store).where(Store.merchant_id == merchant.id).order_by(Store.id)
        )
    seller = Party(
        name=merchant.name,
        street=store.street if store else "",
        postcode=store.postcode if store else "",
        city=store.city if store else "",
        vat_id=merchant.vat_id,
        tax_number=merchant.tax_number,
    )
    lines = tuple(
        ReceiptLine(
            name=line["name"],
            quantity=Decimal(line["quantity"]),
            unit=line["unit"],
            unit_price=Money(int(line["unit_price"]), payment.currency),
            vat_rate=int(line["vat_rate"]),
            gtin=line.get("gtin"),
        )
        for line in payment.lines
    )
    return Receipt(
        number=payment.receipt_number or payment.reference,
        issued_at=payment.completed_at or payment.created_at,
        merchant=seller,
        lines=lines,
        payment_method=METHODS.get(payment.sca or "", "Kosmos Wallet"),
        currency=payment.currency,
        buyer=buyer,
        store_name=store.name if store and payment.store_id else None,
        refunded=Money(payment.refunded, payment.currency) if payment.refunded else None,
    )


def receipt_pdf(session: Session, payment: Payment, *, locale: str) -> bytes:
    return render_receipt_pdf(build_receipt(session, payment), locale=locale)


def invoice_pdf(session: Session, payment: Payment, buyer: Party, *, locale: str) -> bytes:
    """A ZUGFeRD / Factur-X (EN 16931) invoice: PDF/A-3 with the CII XML embedded."""
    try:
        return facturx_pdf(build_receipt(session, payment, buyer=buyer), locale=locale)
    except RuleError as err:
        raise Invalid.from_rule(err) from err
