"""Wallet JSON routes for people: balance, history, top-up, pay, send, holds, PIN.

Every money-moving POST needs an `Idempotency-Key` header (see `idempotency`). Bearer
token (scope write for POST) or session cookie with the CSRF header, via `api_user`.
A payment, hold or receipt of somebody else answers 404.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from kosmos.accounts.auth import api_caller, api_user
from kosmos.accounts.tables import User
from kosmos.errors import Invalid
from kosmos.schemas import Page, after_id, id_page
from kosmos.wallet import (
    batching,
    holds,
    payments,
    receipts,
    requests,
    sca,
    schemas,
    sepa,
    topups,
)
from kosmos.wallet.history import DIRECTIONS, KINDS, HistoryFilter, list_history
from kosmos.wallet.http import (
    created_hold,
    created_payment,
    hold_out,
    idempotent,
    money_job,
    payment_out,
    pdf_response,
    respond,
)
from kosmos.wallet.idempotency import Answer
from kosmos.wallet.receipt import Party
from kosmos.web.deps import get_db
from kosmos.web.i18n import current_locale

router = APIRouter(prefix="/wallet", tags=["wallet"])
DB = Depends(get_db)
ME = Depends(api_user)
CALLER = Depends(api_caller)  # no request session: the payment runs in its batch's


def scope_of(user: User) -> str:
    return f"user:{user.id}"


@router.get("", response_model=schemas.BalanceOut)
def get_wallet(user: User = ME, db: Session = DB) -> dict[str, Any]:
    return {
        "balance": payments.wallet_balance(db, user).amount,
        "held": holds.held_total(db, user),
        "currency": "EUR",
        "pin_set": sca.has_pin(db, user),
    }


@router.get("/payments", response_model=Page[schemas.PaymentOut])
def history(
    kind: str | None = Query(None, description="topup, purchase, transfer or refund"),
    direction: str | None = Query(None, description="in or out"),
    status: str | None = Query(None, max_length=20),
    cursor: str | None = Query(None, max_length=200),
    limit: int = Query(50, ge=1, le=200),
    user: User = ME,
    db: Session = DB,
) -> dict[str, Any]:
    if kind is not None and kind not in KINDS:
        raise Invalid("Unknown kind.", field="kind")
    if direction is not None and direction not in DIRECTIONS:
        raise Invalid("Direction is in or out.", field="direction")
    rows = list_history(
        db,
        user,
        HistoryFilter(kind=kind, direction=direction, status=status),
        before_id=after_id(cursor),
        limit=limit + 1,
    )
    page = id_page(rows, limit, key=lambda p: p.id)
    page["items"] = [payment_out(p, viewer_id=user.id) for p in page["items"]]
    return page


@router.get("/payments/{reference}", response_model=schemas.PaymentOut)
def get_payment(reference: str, user: User = ME, db: Session = DB) -> dict[str, Any]:
    return payment_out(payments.get_payment(db, user, reference), viewer_id=user.id)


@router.post(
    "/topups",
    status_code=201,
    response_model=schemas.PaymentOut,
    responses={202: {"description": "waits for 3-D Secure"}, 402: {"description": "declined"}},
)
def top_up(
    body: schemas.TopUpIn, request: Request, user: User = ME, db: Session = DB
) -> JSONResponse:
    def action(idem: Any) -> Any:
        if (body.source is None) == (body.mandate is None):
            raise Invalid("Give a card or IBAN, or a direct-debit mandate.", field="source")
        if body.mandate is not None:
            return sepa.top_up_by_debit(
                db, user, mandate=body.mandate, amount=body.amount, idem=idem
            )
        return topups.top_up(db, user, amount=body.amount, source=body.source or "", idem=idem)

    return idempotent(
        request, db, scope=scope_of(user), body=body, render=created_payment(user.id),
        action=action,
    )  # fmt: skip


@router.get("/mandates", response_model=list[schemas.MandateOut])
def list_mandates(user: User = ME, db: Session = DB) -> list[Any]:
    return list(sepa.list_mandates(db, user))


@router.post("/mandates", status_code=201, response_model=schemas.MandateOut)
def create_mandate(body: schemas.MandateIn, user: User = ME, db: Session = DB) -> Any:
    return sepa.create_mandate(db, user, debtor_name=body.debtor_name, iban=body.iban, bic=body.bic)


@router.post("/topups/{reference}/confirm", response_model=schemas.PaymentOut)
def confirm_top_up(
    reference: str, body: schemas.ConfirmIn, request: Request, user: User = ME, db: Session = DB
) -> JSONResponse:
    return idempotent(
        request, db, scope=scope_of(user), body=body,
        render=lambda p: Answer(200, payment_out(p, viewer_id=user.id)),
        action=lambda idem: topups.confirm_top_up(
            db, user, reference, approve=body.approve, idem=idem
        ),
    )  # fmt: skip


@router.post("/payments", status_code=201, response_model=schemas.PaymentOut)
async def pay(body: schemas.PaymentIn, request: Request, user: User = CALLER) -> JSONResponse:
    """A payment to a merchant without a PIN (the common case) shares its COMMIT with
    the others waiting (`batching`); a payment request or a PIN runs alone."""

    def action(db: Session, idem: Any) -> Any:
        if body.request is not None:
            if body.merchant_id is not None or body.amount is not None:
                raise Invalid("Pay either a request or a merchant.", field="request")
            return payments.pay_request(db, user, body.request, pin=body.pin, idem=idem)
        if body.merchant_id is None:
            raise Invalid("Give a payment request or a merchant.", field="merchant_id")
        return payments.pay_merchant(
            db, user, merchant_id=body.merchant_id, amount=body.amount,
            description=body.description, store_id=body.store_id, pin=body.pin, idem=idem,
        )  # fmt: skip

    job = money_job(
        request, scope=scope_of(user), body=body, render=created_payment(user.id), action=action
    )
    together = body.request is None and body.merchant_id is not None and body.pin is None
    return respond(await batching.run(request.app.state, job, together=together))


@router.post("/transfers", status_code=201, response_model=schemas.PaymentOut)
def send(
    body: schemas.TransferIn, request: Request, user: User = ME, db: Session = DB
) -> JSONResponse:
    return idempotent(
        request, db, scope=scope_of(user), body=body, render=created_payment(user.id),
        action=lambda idem: payments.send_to_friend(
            db, user, friend_id=body.friend_id, amount=body.amount, note=body.note,
            pin=body.pin, idem=idem,
        ),
    )  # fmt: skip


@router.get("/payments/{reference}/receipt.pdf", response_class=Response)
def receipt_pdf(reference: str, request: Request, user: User = ME, db: Session = DB) -> Response:
    payment = receipts.receipt_payment(db, user, reference)
    pdf = receipts.receipt_pdf(db, payment, locale=current_locale.get())
    return pdf_response(pdf, f"{payment.receipt_number}.pdf")


@router.post("/payments/{reference}/invoice", response_class=Response)
def invoice_pdf(
    reference: str, body: schemas.InvoiceIn, user: User = ME, db: Session = DB
) -> Response:
    """An e-invoice (Factur-X EN 16931, PDF/A-3 with the XML inside) for a business buyer."""
    payment = receipts.receipt_payment(db, user, reference)
    buyer = Party(**body.model_dump())
    pdf = receipts.invoice_pdf(db, payment, buyer, locale=current_locale.get())
    return pdf_response(pdf, f"Rechnung-{payment.receipt_number}.pdf")


@router.get("/holds", response_model=list[schemas.HoldOut])
def list_holds(user: User = ME, db: Session = DB) -> list[dict[str, Any]]:
    return [hold_out(h) for h in holds.open_holds(db, user)]


@router.post("/holds", status_code=201, response_model=schemas.HoldOut)
def authorize_hold(
    body: schemas.HoldIn, request: Request, user: User = ME, db: Session = DB
) -> JSONResponse:
    return idempotent(
        request, db, scope=scope_of(user), body=body, render=created_hold,
        action=lambda idem: holds.authorize(
            db, user, merchant_id=body.merchant_id, amount=body.amount,
            description=body.description, ttl=timedelta(seconds=body.expires_in),
            pin=body.pin, idem=idem,
        ),
    )  # fmt: skip


@router.post("/holds/{reference}/release", response_model=schemas.HoldOut)
def release_hold(
    reference: str, request: Request, user: User = ME, db: Session = DB
) -> JSONResponse:
    return idempotent(
        request, db, scope=scope_of(user), body=None,
        render=lambda h: Answer(200, hold_out(h)),
        action=lambda idem: holds.release(db, holds.user_hold(db, user, reference), idem=idem),
    )  # fmt: skip


@router.get("/requests/{reference}", response_model=schemas.PaymentRequestOut)
def view_request(reference: str, user: User = ME, db: Session = DB) -> dict[str, Any]:
    """What a payer sees before paying a merchant's request."""
    from kosmos.wallet.merchant_api import request_out

    return request_out(db, requests.get_request(db, reference))


@router.post("/requests/{reference}/invoice", response_class=Response)
def request_invoice(
    reference: str, body: schemas.InvoiceIn, user: User = ME, db: Session = DB
) -> Response:
    """An unpaid e-invoice (Factur-X, with the merchant's IBAN and a GiroCode) for paying an
    open payment request by bank transfer."""
    request = requests.get_request(db, reference)
    pdf = receipts.request_invoice_pdf(
        db, request, Party(**body.model_dump()), locale=current_locale.get()
    )
    return pdf_response(pdf, f"Rechnung-{reference}.pdf")


@router.put("/pin", status_code=204)
def set_pin(body: schemas.PinIn, user: User = ME, db: Session = DB) -> Response:
    sca.set_pin(db, user, password=body.password, pin=body.pin)
    return Response(status_code=204)
