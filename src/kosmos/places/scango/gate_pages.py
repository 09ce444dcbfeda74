"""Scan&Go pages of merchant staff: the store's printable check-in QR code, and the exit
gate (scan or type a pass; "OK, goodbye", a clear refusal, or the age check / re-scan to
confirm). Every page checks the store through the caller (`catalog.backoffice`): a
non-staff account gets 403, staff of another merchant 404."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from kosmos.accounts.auth import page_user
from kosmos.accounts.tables import User
from kosmos.catalog.backoffice import list_stores, staff_store
from kosmos.config import get_settings
from kosmos.errors import Problem
from kosmos.places import qr_image
from kosmos.places.scango import model, passes, services
from kosmos.places.scango.pages import redirect
from kosmos.schemas import ObjectId
from kosmos.web.csrf import require_csrf
from kosmos.web.deps import get_db
from kosmos.web.i18n import _
from kosmos.web.render import render

router = APIRouter(include_in_schema=False)
DB = Depends(get_db)
ME = Depends(page_user)
CSRF = [Depends(require_csrf)]


def gate_url(store_id: int) -> str:
    return f"/scango/gate/{store_id}"


@router.get("/scango/staff")
def staff_home(request: Request, user: User = ME, db: Session = DB) -> Response:
    """The caller's stores, each with its check-in QR code and exit gate."""
    return render(request, "places/scango_staff.html",
                  {"section": "scan", "stores": list_stores(db, user)})  # fmt: skip


@router.get("/scango/stores/{store_id}/qr")
def store_qr(store_id: ObjectId, request: Request, user: User = ME, db: Session = DB) -> Response:
    store = staff_store(db, user, store_id)
    url = model.checkin_url(get_settings().base_url, store.slug)
    title = _("Scan&Go at %(store)s") % {"store": store.name}
    context = {"section": "scan", "store": store, "url": url,
               "qr": qr_image.svg(url, scale=8, title=title)}  # fmt: skip
    return render(request, "places/scango_store_qr.html", context)


def _gate_page(
    request: Request,
    db: Session,
    user: User,
    store_id: int,
    *,
    code: str = "",
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    db.rollback()
    store = staff_store(db, user, store_id)
    context = {
        "section": "scan", "store": store, "rows": passes.gate_passes(db, user, store.id),
        "code": code, "errors": errors or {}, "live_key": services.gate_key(store.id),
    }  # fmt: skip
    return render(request, "places/scango_gate.html", context, status_code=status)


@router.get("/scango/gate/{store_id}")
def gate(
    store_id: ObjectId,
    request: Request,
    code: str = Query("", max_length=300),
    user: User = ME,
    db: Session = DB,
) -> Response:
    return _gate_page(request, db, user, store_id, code=code)


@router.post("/scango/gate/{store_id}/check", dependencies=CSRF)
def check(
    store_id: ObjectId, request: Request, code: str = Form(""), user: User = ME, db: Session = DB
) -> Response:
    try:
        view = passes.check_pass(db, user, store_id, code[:300])
    except Problem as exc:
        if exc.field is None:  # not staff of this store
            raise
        return _gate_page(request, db, user, store_id, code=code[:300],
                          errors={"code": exc.localized()}, status=exc.status)  # fmt: skip
    return redirect(f"{gate_url(store_id)}/passes/{view.exit_pass.id}")


def _pass_page(
    request: Request,
    db: Session,
    user: User,
    store_id: int,
    pass_id: int,
    *,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    db.rollback()
    view = passes.gate_pass(db, user, store_id, pass_id)
    context = {
        "section": "scan", "store": staff_store(db, user, store_id), "view": view,
        "totals": model.cart_totals(services.cart_line(x) for x in view.lines),
        "errors": errors or {}, "live_key": services.pass_key(pass_id),
    }  # fmt: skip
    return render(request, "places/scango_gate_pass.html", context, status_code=status)


@router.get("/scango/gate/{store_id}/passes/{pass_id}")
def gate_pass(
    store_id: ObjectId, pass_id: ObjectId, request: Request, user: User = ME, db: Session = DB
) -> Response:
    return _pass_page(request, db, user, store_id, pass_id)


@router.post("/scango/gate/{store_id}/passes/{pass_id}/confirm", dependencies=CSRF)
def confirm(
    store_id: ObjectId,
    pass_id: ObjectId,
    request: Request,
    age: str = Form(""),
    rescan: str = Form(""),
    user: User = ME,
    db: Session = DB,
) -> Response:
    try:
        passes.confirm_checks(db, user, store_id, pass_id, age=age == "yes", rescan=rescan == "yes")
    except Problem as exc:
        if exc.field is None and exc.status in (403, 404):
            raise
        errors = {exc.field or "confirm": exc.localized()}
        return _pass_page(request, db, user, store_id, pass_id, errors=errors, status=exc.status)
    return redirect(f"{gate_url(store_id)}/passes/{pass_id}")
