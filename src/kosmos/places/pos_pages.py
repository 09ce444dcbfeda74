"""The merchant's point of sale (staff only): ask for an amount or lines and show the QR
and short code, watch it turn to "paid" live; charge a customer's code; print a store's
static code; see the last payments."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.accounts.tables import User
from kosmos.catalog.backoffice import merchant_for, staff_roles
from kosmos.catalog.tables import Merchant, Product, Store
from kosmos.errors import Invalid, Problem
from kosmos.places import customer_codes, qrpay
from kosmos.places.codes import show_short_code
from kosmos.places.page_support import CSRF, DB, ME, errors_of, redirect, run_form
from kosmos.places.qr_image import png, svg
from kosmos.wallet import payments, requests
from kosmos.web.forms import parse_cents
from kosmos.web.render import render

router = APIRouter(include_in_schema=False)
LINE_ROWS = 4


@router.get("/pos")
def pos_home(user: User = ME, db: Session = DB) -> Response:
    return redirect(f"/pos/{merchant_for(db, user, None)}")


def _products(db: Session, merchant_id: int) -> list[Product]:
    return list(db.scalars(select(Product).where(Product.merchant_id == merchant_id)
                           .order_by(Product.name).limit(300)))  # fmt: skip


def _pos_page(request: Request, db: Session, user: User, merchant_id: int, *,
              errors: dict[str, str] | None = None, form: dict[str, str] | None = None,
              flash: str = "", status: int = 200) -> Response:  # fmt: skip
    merchant = db.get(Merchant, merchant_id)
    recent = requests.list_merchant_payments(db, merchant_id, limit=8)
    return render(request, "places/pos.html", {
        "section": "scan", "merchant": merchant, "products": _products(db, merchant_id),
        "stores": list(db.scalars(select(Store).where(Store.merchant_id == merchant_id))),
        "recent": recent, "errors": errors or {}, "form": form or {}, "flash": flash,
        "rows": range(LINE_ROWS), "key": str(uuid.uuid4()),
        "live_key": qrpay.merchant_key(merchant_id), "many": len(staff_roles(db, user)) > 1,
    }, status)  # fmt: skip


@router.get("/pos/{merchant_id:int}")
def pos(merchant_id: int, request: Request, user: User = ME, db: Session = DB) -> Response:
    merchant_for(db, user, merchant_id)
    return _pos_page(request, db, user, merchant_id)


def _lines(db: Session, merchant_id: int, form: Any) -> list[dict[str, Any]]:
    """Lines chosen from the merchant's own products; prices from the catalog."""
    lines = []
    for i in range(LINE_ROWS):
        product_id, quantity = form.get(f"product_{i}", ""), form.get(f"quantity_{i}", "").strip()
        if not product_id:
            continue
        product = db.get(Product, int(product_id)) if str(product_id).isdigit() else None
        if product is None or product.merchant_id != merchant_id:
            raise Invalid("No such product.", field=f"product_{i}")
        try:
            amount = float((quantity or "1").replace(",", "."))
        except ValueError:
            raise Invalid("Enter a quantity like 2 or 0,5.", field=f"quantity_{i}") from None
        if not 0 < amount <= 999:
            raise Invalid("Enter a quantity like 2 or 0,5.", field=f"quantity_{i}")
        lines.append({"name": product.name, "quantity": str(quantity or "1").replace(",", "."),
                      "unit": product.unit, "unit_price": product.price_cents,
                      "vat_rate": product.vat_rate, "gtin": product.gtin})  # fmt: skip
    return lines


@router.post("/pos/{merchant_id:int}/requests", dependencies=CSRF)
async def create(merchant_id: int, request: Request, user: User = ME, db: Session = DB) -> Response:
    merchant_for(db, user, merchant_id)
    form = await request.form()
    values = {k: str(v) for k, v in form.items() if isinstance(v, str)}
    try:
        lines = _lines(db, merchant_id, values)
        amount_text = values.get("amount", "").strip()
        amount = (
            parse_cents(amount_text, "amount", highest=payments.SEND_LIMIT) if amount_text else None
        )
        if amount is None and not lines:
            raise Invalid("Enter an amount or choose products.", field="amount")
        store = values.get("store_id", "")
        req = qrpay.create_request(
            db, user, merchant_id, amount=None if lines else amount, lines=lines or None,
            description=values.get("description", "")[:200],
            store_id=int(store) if store.isdigit() else None,
        )  # fmt: skip
    except Problem as exc:
        return _pos_page(request, db, user, merchant_id, errors=errors_of(exc, "amount"),
                         form=values, status=exc.status)  # fmt: skip
    return redirect(f"/pos/{merchant_id}/requests/{req.reference}")


@router.get("/pos/{merchant_id:int}/requests/{reference}")
def show(merchant_id: int, reference: str, request: Request, user: User = ME,
         db: Session = DB) -> Response:  # fmt: skip
    merchant_for(db, user, merchant_id)
    req = requests.merchant_request(db, merchant_id, reference)
    payload = qrpay.payload_for(db, req)
    paid = requests.request_payment(db, req)
    return render(request, "places/pos_request.html", {
        "section": "scan", "merchant": db.get(Merchant, merchant_id), "req": req, "paid": paid,
        "qr": svg(payload, scale=5, title="Kosmos Pay"), "payload": payload,
        "short_code": show_short_code(req.short_code or ""),
        "expired": req.status == "open" and req.expires_at <= clock.now(),
        "live_key": qrpay.pos_key(req.reference),
    })  # fmt: skip


@router.get("/pos/{merchant_id:int}/requests/{reference}/qr.png")
def qr_png(merchant_id: int, reference: str, user: User = ME, db: Session = DB) -> Response:
    merchant_for(db, user, merchant_id)
    req = requests.merchant_request(db, merchant_id, reference)
    return Response(png(qrpay.payload_for(db, req)), media_type="image/png")


@router.post("/pos/{merchant_id:int}/requests/{reference}/cancel", dependencies=CSRF)
def cancel(merchant_id: int, reference: str, user: User = ME, db: Session = DB) -> Response:
    merchant_for(db, user, merchant_id)
    requests.cancel_request(db, merchant_id, reference)
    return redirect(f"/pos/{merchant_id}")


@router.post("/pos/{merchant_id:int}/charge", dependencies=CSRF)
def charge(
    merchant_id: int, request: Request, code: str = Form(""), charge_amount: str = Form(""),
    idempotency_key: str = Form(""), user: User = ME, db: Session = DB,
) -> Response:  # fmt: skip
    merchant_for(db, user, merchant_id)
    form = {"code": code, "charge_amount": charge_amount}
    try:
        cents = parse_cents(charge_amount, "charge_amount", highest=payments.SEND_LIMIT)
        answer = run_form(
            request, db, f"merchant:{merchant_id}", idempotency_key,
            {"code": code, "amount": cents},
            lambda idem: customer_codes.charge(db, user, merchant_id, code=code, amount=cents,
                                               idem=idem),
        )  # fmt: skip
    except Problem as exc:
        field = "charge_amount" if exc.field == "amount" else (exc.field or "code")
        return _pos_page(request, db, user, merchant_id, errors={field: exc.localized()},
                         form=form, status=exc.status)  # fmt: skip
    if answer.status >= 400:
        return _pos_page(request, db, user, merchant_id,
                         errors={"code": str(answer.body.get("detail"))}, form=form,
                         status=answer.status)  # fmt: skip
    return redirect(f"/pos/{merchant_id}?charged={answer.body['reference']}")


@router.get("/pos/{merchant_id:int}/static")
def static_codes(merchant_id: int, request: Request, user: User = ME,
                 db: Session = DB) -> Response:  # fmt: skip
    merchant_for(db, user, merchant_id)
    stores = list(db.scalars(select(Store).where(Store.merchant_id == merchant_id)))
    codes = [(s, svg(qrpay.static_payload(db, s), scale=6, title=s.name)) for s in stores]
    return render(request, "places/pos_static.html", {
        "section": "scan", "merchant": db.get(Merchant, merchant_id), "codes": codes,
    })  # fmt: skip
