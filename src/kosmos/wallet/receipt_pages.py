"""Receipt pages: the list, one receipt (lines, VAT table, totals), its PDF, and an
e-invoice (Factur-X) for a business buyer. Payer or merchant staff only."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from kosmos.accounts.auth import page_user
from kosmos.accounts.tables import User
from kosmos.errors import Problem
from kosmos.wallet import receipts
from kosmos.wallet.http import pdf_response
from kosmos.wallet.receipt import Party
from kosmos.web.csrf import require_csrf
from kosmos.web.deps import get_db
from kosmos.web.i18n import current_locale
from kosmos.web.render import render

router = APIRouter(include_in_schema=False)
DB = Depends(get_db)
ME = Depends(page_user)
CSRF = [Depends(require_csrf)]


def _errors(exc: Problem, default: str = "_form") -> dict[str, str]:
    return {exc.field or default: exc.localized()}


@router.get("/wallet/receipts")
def receipts_page(request: Request, user: User = ME, db: Session = DB) -> Response:
    return render(
        request,
        "wallet/receipts.html",
        {"section": "wallet", "receipts": receipts.list_receipts(db, user)},
    )


def _receipt_page(
    request: Request,
    db: Session,
    user: User,
    reference: str,
    errors: dict[str, str],
    form: dict[str, str],
    status: int = 200,
) -> Response:
    payment = receipts.receipt_payment(db, user, reference)
    return render(
        request,
        "wallet/receipt.html",
        {
            "section": "wallet",
            "payment": payment,
            "receipt": receipts.build_receipt(db, payment),
            "errors": errors,
            "form": form,
        },
        status_code=status,
    )


@router.get("/wallet/receipts/{reference}")
def receipt_page(reference: str, request: Request, user: User = ME, db: Session = DB) -> Response:
    return _receipt_page(request, db, user, reference, {}, {})


@router.get("/wallet/receipts/{reference}/pdf")
def receipt_pdf(reference: str, user: User = ME, db: Session = DB) -> Response:
    payment = receipts.receipt_payment(db, user, reference)
    pdf = receipts.receipt_pdf(db, payment, locale=current_locale.get())
    return pdf_response(pdf, f"{payment.receipt_number}.pdf")


@router.post("/wallet/receipts/{reference}/invoice", dependencies=CSRF)
def invoice(
    reference: str,
    request: Request,
    name: str = Form(""),
    street: str = Form(""),
    postcode: str = Form(""),
    city: str = Form(""),
    vat_id: str = Form(""),
    user: User = ME,
    db: Session = DB,
) -> Response:
    form = {"name": name, "street": street, "postcode": postcode, "city": city, "vat_id": vat_id}
    payment = receipts.receipt_payment(db, user, reference)
    buyer = Party(
        name=name.strip(), street=street.strip(), postcode=postcode.strip(), city=city.strip(),
        vat_id=vat_id.strip() or None,
    )  # fmt: skip
    try:
        pdf = receipts.invoice_pdf(db, payment, buyer, locale=current_locale.get())
    except Problem as exc:
        errors = _errors(exc, "name")
        errors = {k.removeprefix("buyer."): v for k, v in errors.items()}
        return _receipt_page(request, db, user, reference, errors, form, exc.status)
    return pdf_response(pdf, f"Rechnung-{payment.receipt_number}.pdf", download=True)


@router.post("/wallet/requests/{reference}/invoice", dependencies=CSRF)
def request_invoice(
    reference: str,
    name: str = Form(""),
    street: str = Form(""),
    postcode: str = Form(""),
    city: str = Form(""),
    vat_id: str = Form(""),
    user: User = ME,
    db: Session = DB,
) -> Response:
    """An invoice to pay a merchant's request by bank transfer (GiroCode inside)."""
    from kosmos.wallet.requests import get_request

    payment_request = get_request(db, reference)
    buyer = Party(
        name=name.strip(), street=street.strip(), postcode=postcode.strip(), city=city.strip(),
        vat_id=vat_id.strip() or None,
    )  # fmt: skip
    pdf = receipts.request_invoice_pdf(db, payment_request, buyer, locale=current_locale.get())
    return pdf_response(pdf, f"Rechnung-{reference}.pdf", download=True)
