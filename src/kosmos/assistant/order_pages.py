"""The restaurant's orders page for its staff: today's orders with their lines, pickup
time and customer, and the "ready" / "picked up" marks (form POSTs with CSRF). Only staff
of that merchant: others get 403 (not staff at all) or 404 (another merchant's page)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from kosmos.accounts.auth import page_user
from kosmos.accounts.tables import User
from kosmos.assistant import ordering
from kosmos.catalog.backoffice import merchant_for
from kosmos.catalog.tables import Merchant
from kosmos.errors import Problem
from kosmos.schemas import ObjectId
from kosmos.web.csrf import require_csrf
from kosmos.web.deps import get_db
from kosmos.web.render import render

router = APIRouter(prefix="/backoffice", include_in_schema=False)
DB = Depends(get_db)
STAFF = Depends(page_user)


def _url(merchant_id: int) -> str:
    return f"/backoffice/merchants/{merchant_id}/orders"


def _page(request: Request, db: Session, merchant_id: int, error: str = "",
          status: int = 200) -> Response:  # fmt: skip
    orders = ordering.todays_orders(db, merchant_id)
    names = dict(
        db.execute(
            select(User.id, User.display_name).where(User.id.in_({o.user_id for o in orders}))
        ).all()
    )
    rows = [
        {"order": o, "customer": names.get(o.user_id, "?"),
         "lines": ordering.order_lines(db, o.id)}
        for o in orders
    ]  # fmt: skip
    return render(
        request,
        "assistant/orders.html",
        {"merchant": db.get(Merchant, merchant_id), "rows": rows, "error": error},
        status_code=status,
    )


@router.get("/orders")
def my_orders(user: User = STAFF, db: Session = DB) -> Response:
    """The orders page of the one merchant the staff member works for."""
    return RedirectResponse(_url(merchant_for(db, user, None)), status_code=303)


@router.get("/merchants/{merchant_id}/orders")
def orders_page(
    merchant_id: ObjectId, request: Request, user: User = STAFF, db: Session = DB
) -> Response:
    merchant_for(db, user, merchant_id)
    return _page(request, db, merchant_id)


def _mark(request: Request, db: Session, user: User, merchant_id: int, order_id: int,
          status: str) -> Response:  # fmt: skip
    merchant_for(db, user, merchant_id)
    try:
        ordering.set_status(db, user, merchant_id, order_id, status)
    except Problem as exc:
        if exc.status in (403, 404):
            raise
        return _page(request, db, merchant_id, exc.localized(), exc.status)
    return RedirectResponse(_url(merchant_id), status_code=303)


@router.post("/merchants/{merchant_id}/orders/{order_id}/ready",
             dependencies=[Depends(require_csrf)])  # fmt: skip
def mark_ready(
    merchant_id: ObjectId, order_id: ObjectId, request: Request, user: User = STAFF,
    db: Session = DB,
) -> Response:  # fmt: skip
    return _mark(request, db, user, merchant_id, order_id, "ready")


@router.post("/merchants/{merchant_id}/orders/{order_id}/picked-up",
             dependencies=[Depends(require_csrf)])  # fmt: skip
def mark_picked_up(
    merchant_id: ObjectId, order_id: ObjectId, request: Request, user: User = STAFF,
    db: Session = DB,
) -> Response:  # fmt: skip
    return _mark(request, db, user, merchant_id, order_id, "picked_up")
