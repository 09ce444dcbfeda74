"""JSON routes of QR payments and chat payment requests.

Merchant routes need staff of that merchant (`catalog.backoffice.merchant_for`: 403 when
not staff anywhere, 404 for another merchant); money-moving POSTs take an
Idempotency-Key (Stripe semantics, `wallet.http.idempotent`).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.accounts.auth import api_user
from kosmos.accounts.tables import User
from kosmos.catalog.backoffice import merchant_for, staff_store
from kosmos.errors import Invalid
from kosmos.places import customer_codes, money_requests, qrpay, schemas
from kosmos.places.codes import show_customer_code
from kosmos.places.tables import MoneyRequest
from kosmos.schemas import ObjectId
from kosmos.wallet import requests
from kosmos.wallet.http import created_payment, idempotent
from kosmos.wallet.tables import PaymentRequest
from kosmos.web.deps import get_db

router = APIRouter(prefix="/places", tags=["pay places"])
DB = Depends(get_db)
ME = Depends(api_user)


def released(db: Session, out: dict[str, Any]) -> dict[str, Any]:
    """End the request's transaction before FastAPI serializes the answer. A POST gets a
    writing session (on SQLite: the process's writer lock from its first statement); a
    read after the service's commit would hold that lock while the answer waits for a
    worker thread, and with every worker thread waiting for the lock, nothing moves."""
    db.rollback()
    return out


def request_out(db: Session, request: PaymentRequest) -> dict[str, Any]:
    paid = requests.request_payment(db, request)
    return schemas.QrRequestOut(
        reference=request.reference, status=request.status, merchant_id=request.merchant_id,
        store_id=request.store_id, amount=request.amount, currency=request.currency,
        description=request.description, lines=request.lines, expires_at=request.expires_at,
        short_code=request.short_code or "", payload=qrpay.payload_for(db, request),
        payment=paid.reference if paid else None,
    ).model_dump(mode="json")  # fmt: skip


def customer_view(db: Session, request: PaymentRequest) -> dict[str, Any]:
    """What the customer sees after scanning: no short code, no payload."""
    merchant, store = qrpay.place_of(db, request)
    return {
        "reference": request.reference, "status": request.status,
        "merchant": {"id": merchant.id, "name": merchant.name},
        "store": {"id": store.id, "name": store.name, "city": store.city} if store else None,
        "amount": request.amount, "currency": request.currency,
        "description": request.description, "lines": request.lines,
        "expires_at": request.expires_at.isoformat(),
        "expired": request.expires_at <= clock.now(),
    }  # fmt: skip


# --- point of sale (staff) -------------------------------------------------------------------


@router.post("/merchants/{merchant_id}/requests", status_code=201,
             response_model=schemas.QrRequestOut)  # fmt: skip
def create_request(
    merchant_id: ObjectId, body: schemas.QrRequestIn, user: User = ME, db: Session = DB
) -> dict[str, Any]:
    merchant_for(db, user, merchant_id)
    lines = [line.model_dump(mode="json") for line in body.lines] if body.lines else None
    request = qrpay.create_request(
        db, user, merchant_id, amount=body.amount, lines=lines, description=body.description,
        store_id=body.store_id, ttl=timedelta(seconds=body.expires_in),
    )  # fmt: skip
    return released(db, request_out(db, request))


@router.get("/merchants/{merchant_id}/requests/{reference}", response_model=schemas.QrRequestOut)
def get_request(
    merchant_id: ObjectId, reference: str, user: User = ME, db: Session = DB
) -> dict[str, Any]:
    merchant_for(db, user, merchant_id)
    return request_out(db, requests.merchant_request(db, merchant_id, reference))


@router.get("/stores/{store_id}/static-code")
def static_code(store_id: ObjectId, user: User = ME, db: Session = DB) -> dict[str, Any]:
    store = staff_store(db, user, store_id)
    return {"store_id": store.id, "payload": qrpay.static_payload(db, store)}


@router.post("/merchants/{merchant_id}/charges", status_code=201)
def charge(
    merchant_id: ObjectId, body: schemas.ChargeIn, request: Request, user: User = ME,
    db: Session = DB,
) -> JSONResponse:  # fmt: skip
    merchant_for(db, user, merchant_id)
    lines = [line.model_dump(mode="json") for line in body.lines] if body.lines else None
    if body.amount is None and not lines:
        raise Invalid("Give an amount or lines.", field="amount")
    return idempotent(
        request, db, scope=f"merchant:{merchant_id}", body=body, render=created_payment(),
        action=lambda idem: customer_codes.charge(
            db, user, merchant_id, code=body.code, amount=body.amount or 0, lines=lines,
            description=body.description, store_id=body.store_id, idem=idem,
        ),
    )  # fmt: skip


# --- customer ----------------------------------------------------------------------------


@router.post("/scan", response_model=schemas.ScanOut)
def scan(body: schemas.ScanIn, user: User = ME, db: Session = DB) -> dict[str, Any]:
    found = qrpay.resolve(db, user, body.text)
    if found.request is not None:
        return released(db, {"kind": "request", "request": customer_view(db, found.request)})
    if found.store is not None:
        s = found.store
        return released(db, {"kind": "store", "store": {
            "id": s.id, "name": s.name, "city": s.city, "merchant": s.merchant.name}})  # fmt: skip
    return released(db, {"kind": "link", "url": found.url})


@router.get("/requests/{reference}")
def view_request(reference: str, user: User = ME, db: Session = DB) -> dict[str, Any]:
    return customer_view(db, requests.get_request(db, reference))


@router.post("/requests/{reference}/pay", status_code=201)
def pay_request(
    reference: str, body: schemas.PayIn, request: Request, user: User = ME, db: Session = DB
) -> JSONResponse:
    return idempotent(
        request, db, scope=f"user:{user.id}", body=body, render=created_payment(user.id),
        action=lambda idem: qrpay.pay(db, user, reference, pin=body.pin, idem=idem),
    )  # fmt: skip


@router.post("/stores/{store_id}/pay", status_code=201)
def pay_static(
    store_id: ObjectId, body: schemas.StaticPayIn, request: Request, user: User = ME,
    db: Session = DB,
) -> JSONResponse:  # fmt: skip
    return idempotent(
        request, db, scope=f"user:{user.id}", body=body, render=created_payment(user.id),
        action=lambda idem: qrpay.pay_static(db, user, store_id, amount=body.amount,
                                             pin=body.pin, idem=idem),
    )  # fmt: skip


@router.post("/customer-codes", status_code=201, response_model=schemas.CustomerCodeOut)
def new_customer_code(user: User = ME, db: Session = DB) -> dict[str, Any]:
    row = customer_codes.issue(db, user)
    return released(db, {"code": row.code, "display": show_customer_code(row.code),
                         "expires_at": row.expires_at,
                         "seconds": int(customer_codes.LIFETIME.total_seconds())})  # fmt: skip


# --- payment requests in chats ---------------------------------------------------------------


def money_out(req: MoneyRequest) -> dict[str, Any]:
    return schemas.MoneyRequestOut.model_validate(req, from_attributes=True).model_dump(mode="json")


@router.post("/conversations/{conversation_id}/money-requests", status_code=201,
             response_model=schemas.MoneyRequestOut)  # fmt: skip
def ask(
    conversation_id: ObjectId, body: schemas.MoneyRequestIn, user: User = ME, db: Session = DB
) -> dict[str, Any]:
    req = money_requests.ask(db, user, conversation_id, amount=body.amount, note=body.note,
                             payer_id=body.payer_id)  # fmt: skip
    return released(db, money_out(req))


@router.get("/money-requests/{request_id}", response_model=schemas.MoneyRequestOut)
def get_money_request(request_id: ObjectId, user: User = ME, db: Session = DB) -> dict[str, Any]:
    return money_out(money_requests.visible(db, user, request_id))


@router.post("/money-requests/{request_id}/pay", response_model=schemas.MoneyRequestOut)
def pay_money_request(
    request_id: ObjectId, body: schemas.PayIn, user: User = ME, db: Session = DB
) -> dict[str, Any]:
    """Idempotent by nature: one request is paid at most once (a repeat answers with the
    paid request)."""
    req = money_requests.visible(db, user, request_id)
    money_requests.pay(db, user, req, pin=body.pin)
    db.refresh(req)
    return released(db, money_out(req))


@router.post("/money-requests/{request_id}/withdraw", response_model=schemas.MoneyRequestOut)
def withdraw(request_id: ObjectId, user: User = ME, db: Session = DB) -> dict[str, Any]:
    req = money_requests.visible(db, user, request_id)
    money_requests.withdraw(db, user, req)
    return released(db, money_out(req))
