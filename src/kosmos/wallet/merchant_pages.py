"""Back-office pages for a merchant's money: recent payments, the webhook endpoint and
its delivery log (every attempt with status code, error and duration)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from kosmos.accounts.auth import page_user
from kosmos.accounts.tables import User
from kosmos.catalog.backoffice import merchant_for, require_owner, staff_roles
from kosmos.catalog.tables import Merchant
from kosmos.errors import Problem
from kosmos.schemas import ObjectId
from kosmos.wallet import requests, webhooks
from kosmos.web.csrf import require_csrf
from kosmos.web.deps import get_db
from kosmos.web.render import render

router = APIRouter(prefix="/backoffice/merchants/{merchant_id}", include_in_schema=False)
DB = Depends(get_db)
STAFF = Depends(page_user)


def _page(
    request: Request,
    db: Session,
    user: User,
    merchant_id: int,
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    endpoint = webhooks.get_endpoint(db, merchant_id)
    is_owner = staff_roles(db, user).get(merchant_id) == "owner"
    return render(
        request,
        "wallet/merchant_payments.html",
        {
            "merchant": db.get(Merchant, merchant_id),
            "payments": requests.list_merchant_payments(db, merchant_id, limit=50),
            "endpoint": endpoint,
            "show_secret": is_owner,
            "is_owner": is_owner,
            "deliveries": webhooks.list_deliveries(db, merchant_id),
            "errors": errors,
        },
        status_code=status,
    )


@router.get("/payments")
def payments_page(
    merchant_id: ObjectId, request: Request, user: User = STAFF, db: Session = DB
) -> Response:
    merchant_for(db, user, merchant_id)
    return _page(request, db, user, merchant_id, {})


@router.post("/webhook", dependencies=[Depends(require_csrf)])
def set_webhook(
    merchant_id: ObjectId,
    request: Request,
    url: str = Form(""),
    user: User = STAFF,
    db: Session = DB,
) -> Response:
    merchant_for(db, user, merchant_id)
    try:
        require_owner(db, user, merchant_id)
        webhooks.set_endpoint(db, merchant_id, url)
    except Problem as exc:
        return _page(
            request, db, user, merchant_id, {exc.field or "url": exc.localized()}, exc.status
        )
    return RedirectResponse(f"/backoffice/merchants/{merchant_id}/payments", status_code=303)
