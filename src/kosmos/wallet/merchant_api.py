"""Merchant JSON routes: payment requests, holds (capture/release), payments, refunds,
webhook endpoint. Staff of the merchant only (`catalog.backoffice.merchant_for`): anybody
else gets 403 (not staff anywhere) or 404 (staff of another merchant). Refunds and the
webhook endpoint need the owner role. Idempotency keys are scoped per merchant.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from kosmos.accounts.auth import api_user
from kosmos.accounts.tables import User
from kosmos.catalog.backoffice import merchant_for, require_owner
from kosmos.schemas import ObjectId, Page, after_id, id_page
from kosmos.wallet import holds, payments, requests, schemas, webhooks
from kosmos.wallet.http import created_payment, hold_out, idempotent, payment_out
from kosmos.wallet.idempotency import Answer
from kosmos.wallet.tables import PaymentRequest
from kosmos.web.deps import get_db

router = APIRouter(prefix="/merchants/{merchant_id}", tags=["merchant payments"])
DB = Depends(get_db)
ME = Depends(api_user)


def request_out(db: Session, request: PaymentRequest) -> dict[str, Any]:
    paid = requests.request_payment(db, request)
    data = schemas.PaymentRequestOut.model_validate(request, from_attributes=True)
    data.payment = paid.reference if paid else None
    data.girocode_url = f"/wallet/requests/{request.reference}/girocode.png"
    return data.model_dump(mode="json")


def _staff(db: Session, user: User, merchant_id: int) -> int:
    return merchant_for(db, user, merchant_id)


def _scope(merchant_id: int) -> str:
    return f"merchant:{merchant_id}"


@router.post("/payment-requests", status_code=201, response_model=schemas.PaymentRequestOut)
def create_request(
    merchant_id: ObjectId, body: schemas.PaymentRequestIn, user: User = ME, db: Session = DB
) -> dict[str, Any]:
    _staff(db, user, merchant_id)
    lines = [line.model_dump(mode="json") for line in body.lines] if body.lines else None
    request = requests.create_request(
        db, user, merchant_id, amount=body.amount, lines=lines, description=body.description,
        store_id=body.store_id, ttl=timedelta(seconds=body.expires_in),
    )  # fmt: skip
    return request_out(db, request)


@router.get("/payment-requests/{reference}", response_model=schemas.PaymentRequestOut)
def get_request(
    merchant_id: ObjectId, reference: str, user: User = ME, db: Session = DB
) -> dict[str, Any]:
    _staff(db, user, merchant_id)
    return request_out(db, requests.merchant_request(db, merchant_id, reference))


@router.post("/payment-requests/{reference}/cancel", response_model=schemas.PaymentRequestOut)
def cancel_request(
    merchant_id: ObjectId, reference: str, user: User = ME, db: Session = DB
) -> dict[str, Any]:
    _staff(db, user, merchant_id)
    return request_out(db, requests.cancel_request(db, merchant_id, reference))


@router.get("/payments", response_model=Page[schemas.PaymentOut])
def list_payments(
    merchant_id: ObjectId,
    kind: str | None = Query(None, pattern="^(purchase|refund)$"),
    cursor: str | None = Query(None, max_length=200),
    limit: int = Query(50, ge=1, le=200),
    user: User = ME,
    db: Session = DB,
) -> dict[str, Any]:
    _staff(db, user, merchant_id)
    rows = requests.list_merchant_payments(
        db, merchant_id, kind=kind, before_id=after_id(cursor), limit=limit + 1
    )
    page = id_page(rows, limit, key=lambda p: p.id)
    page["items"] = [payment_out(p) for p in page["items"]]
    return page


@router.get("/payments/{reference}", response_model=schemas.PaymentOut)
def get_payment(
    merchant_id: ObjectId, reference: str, user: User = ME, db: Session = DB
) -> dict[str, Any]:
    _staff(db, user, merchant_id)
    return payment_out(requests.merchant_payment(db, merchant_id, reference))


@router.post("/payments/{reference}/refunds", status_code=201, response_model=schemas.PaymentOut)
def refund(
    merchant_id: ObjectId,
    reference: str,
    body: schemas.RefundIn,
    request: Request,
    user: User = ME,
    db: Session = DB,
) -> JSONResponse:
    _staff(db, user, merchant_id)
    require_owner(db, user, merchant_id)
    return idempotent(
        request, db, scope=_scope(merchant_id), body=body, render=created_payment(),
        action=lambda idem: payments.refund(
            db, merchant_id, reference, amount=body.amount, reason=body.reason, idem=idem
        ),
    )  # fmt: skip


@router.post("/holds/{reference}/capture", status_code=201, response_model=schemas.PaymentOut)
def capture(
    merchant_id: ObjectId,
    reference: str,
    body: schemas.CaptureIn,
    request: Request,
    user: User = ME,
    db: Session = DB,
) -> JSONResponse:
    _staff(db, user, merchant_id)
    lines = [line.model_dump(mode="json") for line in body.lines] if body.lines else None
    return idempotent(
        request, db, scope=_scope(merchant_id), body=body, render=created_payment(),
        action=lambda idem: holds.capture(
            db, merchant_id, reference, amount=body.amount, lines=lines,
            description=body.description, idem=idem,
        ),
    )  # fmt: skip


@router.post("/holds/{reference}/release", response_model=schemas.HoldOut)
def release(
    merchant_id: ObjectId, reference: str, request: Request, user: User = ME, db: Session = DB
) -> JSONResponse:
    _staff(db, user, merchant_id)
    return idempotent(
        request, db, scope=_scope(merchant_id), body=None,
        render=lambda h: Answer(200, hold_out(h)),
        action=lambda idem: holds.release(
            db, holds.merchant_hold(db, merchant_id, reference), idem=idem
        ),
    )  # fmt: skip


@router.put("/webhook", response_model=schemas.WebhookOut)
def set_webhook(
    merchant_id: ObjectId, body: schemas.WebhookIn, user: User = ME, db: Session = DB
) -> dict[str, Any]:
    _staff(db, user, merchant_id)
    require_owner(db, user, merchant_id)
    endpoint = webhooks.set_endpoint(db, merchant_id, body.url)
    return {"url": endpoint.url, "secret": endpoint.secret}
