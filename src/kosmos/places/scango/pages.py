"""Scan&Go pages of the customer: check in (/go/{store}), the cart with the scanner, pay,
and the exit pass. Thin: parse the form, call a service, Post/Redirect/Get. A problem is
shown next to its field with the problem's status; the cart stays as it was.

The Pay form carries a hidden idempotency key made when the page was rendered, so a
double tap or a resubmitted form pays once.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.accounts.auth import page_user
from kosmos.accounts.tables import User
from kosmos.catalog.backoffice import staff_roles
from kosmos.catalog.tables import Store
from kosmos.config import get_settings
from kosmos.errors import Invalid, NotFound, Problem
from kosmos.places import qr_image
from kosmos.places.scango import model, passes, services
from kosmos.places.scango.checkout import pay_visit
from kosmos.places.scango.tables import ExitPass
from kosmos.schemas import ObjectId
from kosmos.wallet import idempotency, payments, sca
from kosmos.wallet.idempotency import Answer
from kosmos.web.csrf import require_csrf
from kosmos.web.deps import get_db
from kosmos.web.i18n import _
from kosmos.web.render import render

router = APIRouter(include_in_schema=False)
DB = Depends(get_db)
ME = Depends(page_user)
CSRF = [Depends(require_csrf)]


def redirect(url: str) -> Response:
    return RedirectResponse(url, status_code=303)


def cart_url(visit_id: int) -> str:
    return f"/scango/visits/{visit_id}"


# --- check in ------------------------------------------------------------------------------


@router.get("/go/{store_slug}")
def checkin_page(store_slug: str, request: Request, user: User = ME, db: Session = DB) -> Response:
    """What the store's QR code opens: the open visit resumes; else a button starts one."""
    store = services.store_by_slug(db, store_slug[:80])
    visit = services.open_visit(db, user, store.id)
    if visit is not None and not model.is_stale(visit.created_at, clock.now()):
        return redirect(cart_url(visit.id))
    return render(request, "places/scango_checkin.html", {"section": "scan", "store": store})


@router.post("/go/{store_slug}", dependencies=CSRF)
def checkin(store_slug: str, user: User = ME, db: Session = DB) -> Response:
    visit, _created = services.check_in(db, user, store_slug[:80])
    return redirect(cart_url(visit.id))


@router.get("/scango")
def my_visits(request: Request, user: User = ME, db: Session = DB) -> Response:
    visits = services.my_visits(db, user)
    ids = {v.store_id for v in visits}
    stores = {s.id: s for s in db.scalars(select(Store).where(Store.id.in_(ids)))}
    return render(request, "places/scango_visits.html",
                  {"section": "scan", "visits": visits, "stores": stores})  # fmt: skip


# --- the cart ------------------------------------------------------------------------------


def _cart_page(
    request: Request,
    db: Session,
    user: User,
    visit_id: int,
    *,
    errors: dict[str, str] | None = None,
    code: str = "",
    status: int = 200,
) -> Response:
    db.rollback()  # a failed change: show the cart as it is now
    cart = services.get_cart(db, user, visit_id)
    if cart.visit.status == "paid" and status == 200:
        return redirect(f"{cart_url(visit_id)}/pass")
    context: dict[str, Any] = {
        "section": "scan", "cart": cart, "visit": cart.visit, "store": cart.store,
        "rows": [(x, services.cart_line(x).total) for x in cart.lines],
        "errors": errors or {}, "code": code, "key": str(uuid.uuid4()),
        "balance": payments.wallet_balance(db, user).amount, "pin_set": sca.has_pin(db, user),
        "live_key": services.visit_key(visit_id),
    }  # fmt: skip
    return render(request, "places/scango_cart.html", context, status_code=status)


@router.get("/scango/visits/{visit_id}")
def cart_page(visit_id: ObjectId, request: Request, user: User = ME, db: Session = DB) -> Response:
    return _cart_page(request, db, user, visit_id)


@router.post("/scango/visits/{visit_id}/scan", dependencies=CSRF)
def scan(
    visit_id: ObjectId, request: Request, code: str = Form(""), user: User = ME, db: Session = DB
) -> Response:
    try:
        services.scan(db, user, visit_id, code[:64])
    except Problem as exc:
        if exc.status == 404 and exc.field is None:  # the visit itself
            raise
        return _cart_page(request, db, user, visit_id, errors={"code": exc.localized()},
                          code=code[:64], status=exc.status)  # fmt: skip
    return redirect(cart_url(visit_id))


@router.post("/scango/visits/{visit_id}/lines/{line_id}", dependencies=CSRF)
def set_quantity(
    visit_id: ObjectId,
    line_id: ObjectId,
    request: Request,
    quantity: str = Form(""),
    user: User = ME,
    db: Session = DB,
) -> Response:
    try:
        if not quantity.strip().isdigit():
            raise Invalid("Enter a whole number.", field="quantity")
        services.set_quantity(db, user, visit_id, line_id, int(quantity.strip()[:3]))
    except Problem as exc:
        if exc.status == 404 and exc.field is None:
            raise
        return _cart_page(request, db, user, visit_id, errors={f"line-{line_id}": exc.localized()},
                          status=exc.status)  # fmt: skip
    return redirect(cart_url(visit_id))


@router.post("/scango/visits/{visit_id}/lines/{line_id}/remove", dependencies=CSRF)
def remove_line(
    visit_id: ObjectId, line_id: ObjectId, request: Request, user: User = ME, db: Session = DB
) -> Response:
    try:
        services.remove_line(db, user, visit_id, line_id)
    except Problem as exc:
        if exc.status == 404:
            raise
        return _cart_page(request, db, user, visit_id, errors={f"line-{line_id}": exc.localized()},
                          status=exc.status)  # fmt: skip
    return redirect(cart_url(visit_id))


@router.post("/scango/visits/{visit_id}/pay", dependencies=CSRF)
def pay(
    visit_id: ObjectId,
    request: Request,
    pin: str = Form(""),
    idempotency_key: str = Form(""),
    user: User = ME,
    db: Session = DB,
) -> Response:
    try:
        answer = idempotency.run(
            db, scope=f"user:{user.id}", key=idempotency_key[:255] or None,
            fingerprint=idempotency.fingerprint("POST", request.url.path, {}),
            render=lambda paid: Answer(303, {"visit": paid.visit_id}),
            action=lambda idem: pay_visit(db, user, visit_id, pin=pin[:12] or None, idem=idem),
        )  # fmt: skip
    except Problem as exc:
        if exc.status == 404 and exc.field is None:
            raise
        field = "pin" if exc.field == "pin" else "pay"
        return _cart_page(request, db, user, visit_id, errors={field: exc.localized()},
                          status=exc.status)  # fmt: skip
    if answer.status >= 400:  # this form's key already answered a refusal: the cart again
        return redirect(cart_url(visit_id))
    return redirect(f"{cart_url(visit_id)}/pass")


# --- the exit pass -------------------------------------------------------------------------


@router.get("/scango/visits/{visit_id}/pass")
def pass_page(visit_id: ObjectId, request: Request, user: User = ME, db: Session = DB) -> Response:
    row = passes.pass_of_visit(db, user, visit_id)
    cart = services.get_cart(db, user, visit_id)
    url = model.pass_url(get_settings().base_url, row.token)
    state = passes.state_of(row)
    context = {
        "section": "scan", "cart": cart, "store": cart.store, "pass": row, "state": state,
        "qr": qr_image.svg(url, scale=6, title=_("Exit pass")) if state != "used" else "",
        "code": model.short_code_text(row.short_code), "live_key": services.pass_key(row.id),
    }  # fmt: skip
    return render(request, "places/scango_pass.html", context)


@router.post("/scango/visits/{visit_id}/pass/renew", dependencies=CSRF)
def renew(visit_id: ObjectId, user: User = ME, db: Session = DB) -> Response:
    passes.renew_pass(db, user, visit_id)
    return redirect(f"{cart_url(visit_id)}/pass")


@router.get("/scango/exit/{token}")
def exit_link(token: str, user: User = ME, db: Session = DB) -> Response:
    """What the pass's QR code opens: its owner sees the pass; staff of its store get the
    gate with the pass filled in (checking it is a POST there). Others: 404."""
    row = db.scalar(select(ExitPass).where(ExitPass.token == token[:40]))
    if row is not None and row.user_id == user.id:
        return redirect(f"{cart_url(row.visit_id)}/pass")
    store = db.get(Store, row.store_id) if row is not None else None
    if row is None or store is None or store.merchant_id not in staff_roles(db, user):
        raise NotFound("No such exit pass.")
    return redirect(f"/scango/gate/{store.id}?code={token[:40]}")
