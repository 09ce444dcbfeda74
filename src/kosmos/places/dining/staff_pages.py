"""Staff pages under /backoffice: the kitchen display (live: table orders grouped by
table, newest last, and today's pickup orders; "done", "ready", "picked up") and the
tables with their QR codes to print. Only staff of that merchant: others get 403 (not
staff at all) or 404 (another merchant's page)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from kosmos.accounts.auth import page_user
from kosmos.accounts.tables import User
from kosmos.catalog.backoffice import merchant_for
from kosmos.catalog.tables import Merchant
from kosmos.errors import Problem
from kosmos.places import qr_image
from kosmos.places.dining import kitchen, ordering, setup
from kosmos.places.dining.pages import see_other
from kosmos.schemas import ObjectId
from kosmos.web.csrf import require_csrf
from kosmos.web.deps import get_db
from kosmos.web.render import render

router = APIRouter(prefix="/backoffice/merchants/{merchant_id}", include_in_schema=False)
DB = Depends(get_db)
STAFF = Depends(page_user)
CSRF = [Depends(require_csrf)]


def _kitchen_url(merchant_id: int) -> str:
    return f"/backoffice/merchants/{merchant_id}/kitchen"


def _kitchen_page(request: Request, db: Session, user: User, merchant_id: int,
                  error: str = "", status: int = 200) -> Response:  # fmt: skip
    tables, pickups = kitchen.queue(db, user, merchant_id)
    return render(request, "places/dining_kitchen.html", {
        "merchant": db.get(Merchant, merchant_id), "tables": tables, "pickups": pickups,
        "error": error,
    }, status_code=status)  # fmt: skip


@router.get("/kitchen")
def kitchen_page(merchant_id: ObjectId, request: Request, user: User = STAFF,
                 db: Session = DB) -> Response:  # fmt: skip
    return _kitchen_page(request, db, user, merchant_id)


def _after(request: Request, db: Session, user: User, merchant_id: int, exc: Problem) -> Response:
    if exc.status in (403, 404):
        raise exc
    return _kitchen_page(request, db, user, merchant_id, exc.localized(), exc.status)


@router.post("/kitchen/items/{item_id}/done", dependencies=CSRF)
def item_done(merchant_id: ObjectId, item_id: ObjectId, request: Request, user: User = STAFF,
              db: Session = DB) -> Response:  # fmt: skip
    try:
        kitchen.mark_done(db, user, merchant_id, item_id)
    except Problem as exc:
        return _after(request, db, user, merchant_id, exc)
    return see_other(_kitchen_url(merchant_id))


def _order_status(request: Request, db: Session, user: User, merchant_id: int, order_id: int,
                  status: str) -> Response:  # fmt: skip
    try:
        ordering.set_status(db, user, merchant_id, order_id, status)
    except Problem as exc:
        return _after(request, db, user, merchant_id, exc)
    return see_other(_kitchen_url(merchant_id))


@router.post("/kitchen/orders/{order_id}/ready", dependencies=CSRF)
def order_ready(merchant_id: ObjectId, order_id: ObjectId, request: Request,
                user: User = STAFF, db: Session = DB) -> Response:  # fmt: skip
    return _order_status(request, db, user, merchant_id, order_id, "ready")


@router.post("/kitchen/orders/{order_id}/picked-up", dependencies=CSRF)
def order_picked_up(merchant_id: ObjectId, order_id: ObjectId, request: Request,
                    user: User = STAFF, db: Session = DB) -> Response:  # fmt: skip
    return _order_status(request, db, user, merchant_id, order_id, "picked_up")


# --- tables and their QR codes ---------------------------------------------------------------


def _tables_page(request: Request, db: Session, user: User, merchant_id: int,
                 errors: dict[str, str] | None = None, label: str = "",
                 status: int = 200) -> Response:  # fmt: skip
    rows = []
    for table in setup.list_tables(db, user, merchant_id):
        url = setup.table_url(table.token)
        rows.append({"table": table, "url": url, "svg": qr_image.svg(url, title=table.label)})
    return render(request, "places/dining_tables.html", {
        "merchant": db.get(Merchant, merchant_id), "rows": rows, "errors": errors or {},
        "label": label,
    }, status_code=status)  # fmt: skip


@router.get("/tables")
def tables_page(merchant_id: ObjectId, request: Request, user: User = STAFF,
                db: Session = DB) -> Response:  # fmt: skip
    return _tables_page(request, db, user, merchant_id)


@router.post("/tables", dependencies=CSRF)
def add_table(merchant_id: ObjectId, request: Request, label: str = Form(""),
              user: User = STAFF, db: Session = DB) -> Response:  # fmt: skip
    try:
        setup.create_table(db, user, merchant_id, label)
    except Problem as exc:
        if exc.status in (403, 404) and exc.field is None:
            raise
        errors = {exc.field or "label": exc.localized()}
        return _tables_page(request, db, user, merchant_id, errors, label, exc.status)
    return see_other(f"/backoffice/merchants/{merchant_id}/tables")


@router.post("/tables/{table_id}/retire", dependencies=CSRF)
def retire_table(merchant_id: ObjectId, table_id: ObjectId, user: User = STAFF,
                 db: Session = DB) -> Response:  # fmt: skip
    setup.retire_table(db, user, merchant_id, table_id)
    return see_other(f"/backoffice/merchants/{merchant_id}/tables")


@router.get("/tables/{table_id}/qr.svg")
def table_qr(merchant_id: ObjectId, table_id: ObjectId, user: User = STAFF,
             db: Session = DB) -> Response:  # fmt: skip
    """The table's QR code as an SVG file (to print at any size)."""
    table = setup.staff_table(db, user, merchant_id, table_id)
    merchant_for(db, user, merchant_id)
    svg = qr_image.svg(setup.table_url(table.token), scale=10, title=table.label)
    return Response(svg, media_type="image/svg+xml", headers={
        "Content-Disposition": f'attachment; filename="table-{table.id}.svg"'})  # fmt: skip
