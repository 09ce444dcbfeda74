"""The customer's Scan & Pay tab: scan (camera) or type a code, see merchant, amount and
lines, confirm (payment PIN when asked) and have paid; pay a typed amount at a store's
static code; show one's own rotating code; pay a chat payment request with a PIN."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.accounts.tables import User
from kosmos.catalog.backoffice import staff_roles
from kosmos.catalog.tables import Merchant, Store
from kosmos.errors import NotFound, Problem
from kosmos.places import customer_codes, money_requests, qrpay
from kosmos.places.codes import show_customer_code
from kosmos.places.page_support import CSRF, DB, ME, errors_of, redirect, run_form
from kosmos.places.qr_image import svg
from kosmos.wallet import payments, requests, sca
from kosmos.web.forms import parse_cents
from kosmos.web.render import render

router = APIRouter(include_in_schema=False)


def _scan_page(request: Request, db: Session, user: User, errors: dict[str, str] | None = None,
               code: str = "", status: int = 200) -> Response:  # fmt: skip
    """The tab; staff also find their point of sale, exit gate and kitchen here."""
    roles = staff_roles(db, user)
    workplaces = [m for m in db.scalars(select(Merchant).where(Merchant.id.in_(roles)))]
    return render(request, "places/scan.html", {
        "section": "scan", "errors": errors or {}, "code": code, "workplaces": workplaces,
    }, status)  # fmt: skip


@router.get("/scan")
def scan_page(request: Request, user: User = ME, db: Session = DB) -> Response:
    return _scan_page(request, db, user)


@router.post("/scan", dependencies=CSRF)
def scan(request: Request, code: str = Form(""), user: User = ME, db: Session = DB) -> Response:
    try:
        found = qrpay.resolve(db, user, code)
    except Problem as exc:
        return _scan_page(request, db, user, errors_of(exc, "code"), code, exc.status)
    if found.request is not None:
        return redirect(f"/scan/pay/{found.request.reference}")
    if found.store is not None:
        return redirect(f"/scan/stores/{found.store.id}")
    return redirect(found.url)


# --- pay a dynamic request ---------------------------------------------------------------


def _pay_page(request: Request, db: Session, user: User, reference: str,
              errors: dict[str, str] | None = None, status: int = 200) -> Response:  # fmt: skip
    req = requests.get_request(db, reference)
    merchant, store = qrpay.place_of(db, req)
    return render(request, "places/pay.html", {
        "section": "scan", "req": req, "merchant": merchant, "store": store,
        "expired": req.expires_at <= clock.now(), "errors": errors or {},
        "balance": payments.wallet_balance(db, user).amount, "pin_set": sca.has_pin(db, user),
        "key": str(uuid.uuid4()),
    }, status)  # fmt: skip


@router.get("/scan/pay/{reference}")
def pay_page(reference: str, request: Request, user: User = ME, db: Session = DB) -> Response:
    return _pay_page(request, db, user, reference)


@router.post("/scan/pay/{reference}", dependencies=CSRF)
def pay(
    reference: str, request: Request, pin: str = Form(""), idempotency_key: str = Form(""),
    user: User = ME, db: Session = DB,
) -> Response:  # fmt: skip
    try:
        answer = run_form(
            request, db, f"user:{user.id}", idempotency_key, {},
            lambda idem: qrpay.pay(db, user, reference, pin=pin or None, idem=idem),
        )  # fmt: skip
    except Problem as exc:
        return _pay_page(request, db, user, reference, errors_of(exc, "pin"), exc.status)
    if answer.status >= 400:
        return _pay_page(request, db, user, reference, {"pin": str(answer.body.get("detail"))},
                         answer.status)  # fmt: skip
    return redirect(f"/wallet/receipts/{answer.body['reference']}")


# --- a store's static code: the customer types the amount --------------------------------


def _store_page(request: Request, db: Session, user: User, store_id: int,
                errors: dict[str, str] | None = None, form: dict[str, str] | None = None,
                status: int = 200) -> Response:  # fmt: skip
    store = db.get(Store, store_id)
    if store is None:
        raise NotFound("No such store.")
    return render(request, "places/pay_store.html", {
        "section": "scan", "store": store, "merchant": store.merchant, "errors": errors or {},
        "form": form or {}, "balance": payments.wallet_balance(db, user).amount,
        "key": str(uuid.uuid4()),
    }, status)  # fmt: skip


@router.get("/scan/stores/{store_id:int}")
def store_page(store_id: int, request: Request, user: User = ME, db: Session = DB) -> Response:
    return _store_page(request, db, user, store_id)


@router.post("/scan/stores/{store_id:int}", dependencies=CSRF)
def pay_store(
    store_id: int, request: Request, amount: str = Form(""), pin: str = Form(""),
    idempotency_key: str = Form(""), user: User = ME, db: Session = DB,
) -> Response:  # fmt: skip
    try:
        cents = parse_cents(amount, "amount", highest=payments.SEND_LIMIT)
        answer = run_form(
            request, db, f"user:{user.id}", idempotency_key, {"amount": cents},
            lambda idem: qrpay.pay_static(db, user, store_id, amount=cents, pin=pin or None,
                                          idem=idem),
        )  # fmt: skip
    except Problem as exc:
        return _store_page(request, db, user, store_id, errors_of(exc, "amount"),
                           {"amount": amount}, exc.status)  # fmt: skip
    if answer.status >= 400:
        return _store_page(request, db, user, store_id,
                           {"amount": str(answer.body.get("detail"))}, {"amount": amount},
                           answer.status)  # fmt: skip
    return redirect(f"/wallet/receipts/{answer.body['reference']}")


# --- my code (customer-presented) ----------------------------------------------------------


@router.get("/scan/my-code")
def my_code(request: Request, user: User = ME, db: Session = DB) -> Response:
    row = customer_codes.issue(db, user)
    last = customer_codes.last_payment(db, user)
    return render(request, "places/my_code.html", {
        "section": "scan", "code": row.code, "display": show_customer_code(row.code),
        "qr": svg(row.code, scale=6, title="Kosmos"), "expires_at": row.expires_at,
        "seconds": int(customer_codes.LIFETIME.total_seconds()), "last": last,
        "live_key": customer_codes.my_code_key(user.id),
        "merchant_name": _merchant_name(db, last),
    })  # fmt: skip


def _merchant_name(db: Session, payment: Any) -> str:
    from kosmos.catalog.tables import Merchant

    merchant = db.get(Merchant, payment.merchant_id) if payment and payment.merchant_id else None
    return merchant.name if merchant else ""


@router.get("/scan/my-code/qr.svg")
def my_code_svg(code: str, user: User = ME, db: Session = DB) -> Response:
    """The QR of the caller's current code (the page swaps it in every 30 seconds)."""
    from sqlalchemy import select

    from kosmos.places.tables import CustomerCode

    row = db.scalar(select(CustomerCode).where(CustomerCode.code == code,
                                               CustomerCode.user_id == user.id))  # fmt: skip
    if row is None:
        raise NotFound("No such code.")
    return Response(svg(row.code, scale=6, title="Kosmos"), media_type="image/svg+xml")


# --- a chat payment request, with the PIN field --------------------------------------------


def _money_page(request: Request, db: Session, user: User, request_id: int,
                errors: dict[str, str] | None = None, status: int = 200) -> Response:  # fmt: skip
    req = money_requests.visible(db, user, request_id)
    return render(request, "places/money_request.html", {
        "section": "chats", "req": req, "errors": errors or {},
        "requester": db.get(User, req.requester_id),
        "balance": payments.wallet_balance(db, user).amount,
    }, status)  # fmt: skip


@router.get("/pay/money-requests/{request_id:int}")
def money_page(request_id: int, request: Request, user: User = ME, db: Session = DB) -> Response:
    return _money_page(request, db, user, request_id)


@router.post("/pay/money-requests/{request_id:int}", dependencies=CSRF)
def pay_money(
    request_id: int, request: Request, pin: str = Form(""), user: User = ME, db: Session = DB
) -> Response:
    try:
        req = money_requests.visible(db, user, request_id)
        money_requests.pay(db, user, req, pin=pin or None)
    except Problem as exc:
        return _money_page(request, db, user, request_id, errors_of(exc, "pin"), exc.status)
    return redirect(f"/chats/{req.conversation_id}")
