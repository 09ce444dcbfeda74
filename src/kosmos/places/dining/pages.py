"""Customer pages at the table: the QR opens /t/{token} (joins the tab), the tab with the
menu (live), paying it (whole, even share or by dishes, with a tip; a hidden idempotency
key so a double click pays once). Order ahead is in `order_pages.py`. Thin: parse the
form, call a service, redirect (Post/Redirect/Get) or show the problem next to the field."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from kosmos.accounts.auth import page_user
from kosmos.accounts.tables import User
from kosmos.catalog.tables import Store
from kosmos.errors import Invalid, Problem
from kosmos.places.dining import menu, model, paying, tabs
from kosmos.schemas import ObjectId
from kosmos.wallet import idempotency, payments
from kosmos.wallet.idempotency import Answer, Claim
from kosmos.web.csrf import require_csrf
from kosmos.web.deps import get_db, get_write_db
from kosmos.web.forms import parse_cents
from kosmos.web.render import render

router = APIRouter(include_in_schema=False)
DB = Depends(get_db)
ME = Depends(page_user)
CSRF = [Depends(require_csrf)]


def see_other(url: str) -> Response:
    return RedirectResponse(url, status_code=303)


def errors_of(exc: Problem, default: str = "_form") -> dict[str, str]:
    return {exc.field or default: exc.localized()}


def run(request: Request, db: Session, user: User, key: str, params: dict[str, Any],
        render_answer: Callable[[Any], Answer],
        action: Callable[[Claim], Any]) -> Answer:  # fmt: skip
    return idempotency.run(
        db, scope=f"user:{user.id}", key=key or None,
        fingerprint=idempotency.fingerprint("POST", request.url.path, params),
        render=render_answer, action=action,
    )  # fmt: skip


# --- the tab ---------------------------------------------------------------------------------


@router.get("/t/{token}")
def open_table(token: str, user: User = ME, db: Session = Depends(get_write_db)) -> Response:
    """The table's QR code: join its open tab (or open one) and show it (a GET that
    writes, so it gets a writing session)."""
    tab = tabs.join_table(db, user, token[:64])
    return see_other(f"/dining/tabs/{tab.id}")


def _tab_page(request: Request, db: Session, user: User, tab_id: int, error: str = "",
              status: int = 200) -> Response:  # fmt: skip
    tab = tabs.tab_for(db, user, tab_id)
    seen = tabs.view(db, tab)
    store = db.get(Store, tab.store_id)
    assert store is not None
    return render(request, "places/dining_tab.html", {
        "section": "orders", "seen": seen, "me": user.id, "error": error,
        "menu": menu.by_category(menu.dishes(db, store)) if tab.status == "open" else [],
    }, status_code=status)  # fmt: skip


@router.get("/dining/tabs/{tab_id}")
def tab_page(tab_id: ObjectId, request: Request, user: User = ME, db: Session = DB) -> Response:
    return _tab_page(request, db, user, tab_id)


@router.post("/dining/tabs/{tab_id}/items", dependencies=CSRF)
def add_dish(tab_id: ObjectId, request: Request, product_id: int = Form(...),
             quantity: int = Form(1), user: User = ME, db: Session = DB) -> Response:  # fmt: skip
    try:
        tabs.add_items(db, user, tab_id, [(product_id, quantity)])
    except Problem as exc:
        if exc.status == 404:
            raise
        return _tab_page(request, db, user, tab_id, exc.localized(), exc.status)
    return see_other(f"/dining/tabs/{tab_id}#tab")


# --- paying ----------------------------------------------------------------------------------


def _pay_page(request: Request, db: Session, user: User, tab_id: int,
              errors: dict[str, str] | None = None, form: dict[str, Any] | None = None,
              status: int = 200) -> Response:  # fmt: skip
    tab = tabs.tab_for(db, user, tab_id)
    seen = tabs.view(db, tab)
    return render(request, "places/dining_pay.html", {
        "section": "orders", "seen": seen, "me": user.id, "errors": errors or {},
        "form": form or {}, "presets": model.TIP_PRESETS, "key": str(uuid.uuid4()),
        "members": max(2, len(tabs.member_ids(db, tab.id))),
        "balance": payments.wallet_balance(db, user).amount,
    }, status_code=status)  # fmt: skip


@router.get("/dining/tabs/{tab_id}/pay")
def pay_page(tab_id: ObjectId, request: Request, user: User = ME, db: Session = DB) -> Response:
    return _pay_page(request, db, user, tab_id)


@router.post("/dining/tabs/{tab_id}/split", dependencies=CSRF)
def split(tab_id: ObjectId, request: Request, parts: int = Form(...), user: User = ME,
          db: Session = DB) -> Response:  # fmt: skip
    try:
        paying.create_split(db, user, tab_id, parts)
    except Problem as exc:
        if exc.status == 404:
            raise
        return _pay_page(request, db, user, tab_id, errors_of(exc, "parts"), status=exc.status)
    return see_other(f"/dining/tabs/{tab_id}/pay")


def _tip(choice: str, amount: str) -> paying.Tip:
    if choice == "custom":
        return paying.Tip(amount=parse_cents(amount or "0", "tip", highest=1_000_00))
    try:
        return paying.Tip(percent=int(choice or 0))
    except ValueError as err:
        raise Invalid("Choose a tip.", field="tip") from err


@router.post("/dining/tabs/{tab_id}/pay", dependencies=CSRF)
def pay(tab_id: ObjectId, request: Request, mode: str = Form("whole"),
        item_ids: list[int] = Form([]), share_id: int | None = Form(None),
        tip: str = Form("0"), tip_amount: str = Form(""), pin: str = Form(""),
        idempotency_key: str = Form(""), user: User = ME,
        db: Session = DB) -> Response:  # fmt: skip
    form = {"mode": mode, "item_ids": item_ids, "share_id": share_id, "tip": tip,
            "tip_amount": tip_amount}  # fmt: skip
    try:
        chosen = _tip(tip, tip_amount)
        answer = run(
            request, db, user, idempotency_key,
            {"mode": mode, "items": sorted(item_ids), "share": share_id,
             "tip": [chosen.percent, chosen.amount]},
            lambda p: Answer(303, {"reference": p.reference}),
            lambda idem: paying.pay(db, user, tab_id, mode, item_ids=item_ids,
                                    share_id=share_id, tip=chosen, pin=pin or None, idem=idem),
        )  # fmt: skip
    except Problem as exc:
        if exc.status == 404 and exc.field is None:
            raise
        return _pay_page(request, db, user, tab_id, errors_of(exc), form, exc.status)
    if answer.status >= 400:  # the same form sent again after it failed
        return _pay_page(request, db, user, tab_id, {"_form": str(answer.body.get("detail"))},
                         form, answer.status)  # fmt: skip
    return see_other(f"/wallet/receipts/{answer.body['reference']}")
