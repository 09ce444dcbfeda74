"""Order ahead for pickup: the restaurants, a restaurant's order page (dishes with
quantities, a pickup time within the opening hours, the payment PIN when needed, a hidden
idempotency key) and the customer's order status page (live: `order:{id}`)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.accounts.auth import page_user
from kosmos.accounts.tables import User
from kosmos.errors import Invalid, Problem
from kosmos.places.dining import menu, ordering
from kosmos.places.dining.pages import errors_of, run, see_other
from kosmos.places.dining.pickup import pickup_choices, store_hours
from kosmos.schemas import ObjectId
from kosmos.wallet.idempotency import Answer
from kosmos.web.csrf import require_csrf
from kosmos.web.deps import get_db
from kosmos.web.render import render

router = APIRouter(include_in_schema=False)
DB = Depends(get_db)
ME = Depends(page_user)
CSRF = [Depends(require_csrf)]


@router.get("/dining")
def restaurants_page(request: Request, user: User = ME, db: Session = DB) -> Response:
    return render(request, "places/dining_restaurants.html", {
        "section": "orders", "restaurants": menu.restaurants(db),
        "orders": ordering.my_orders(db, user),
    })  # fmt: skip


def _order_page(request: Request, db: Session, merchant_id: int,
                errors: dict[str, str] | None = None, form: dict[str, Any] | None = None,
                status: int = 200) -> Response:  # fmt: skip
    merchant = menu.restaurant(db, merchant_id)
    store = menu.first_store(db, merchant.id)
    return render(request, "places/dining_order.html", {
        "section": "orders", "merchant": merchant, "store": store,
        "menu": menu.by_category(menu.dishes(db, store)),
        "times": pickup_choices(store_hours(store), clock.now()), "errors": errors or {},
        "form": form or {}, "key": str(uuid.uuid4()),
    }, status_code=status)  # fmt: skip


@router.get("/dining/order-ahead/{merchant_id}")
def order_page(merchant_id: ObjectId, request: Request, user: User = ME,
               db: Session = DB) -> Response:  # fmt: skip
    return _order_page(request, db, merchant_id)


def _quantities(product_ids: list[int], quantities: list[str]) -> list[tuple[int, int]]:
    """The dishes with a quantity (each menu row sends its product id and quantity)."""
    if len(product_ids) != len(quantities):
        raise Invalid("Enter how many of each dish you want.", field="items")
    items = []
    for product_id, raw in zip(product_ids, quantities, strict=True):
        text = raw.strip()
        if text in ("", "0"):
            continue
        if not text.isdigit():
            raise Invalid("Enter how many of each dish you want.", field="items")
        items.append((product_id, int(text)))
    return items


@router.post("/dining/order-ahead/{merchant_id}", dependencies=CSRF)
def order_ahead(merchant_id: ObjectId, request: Request, product_id: list[int] = Form([]),
                quantity: list[str] = Form([]), pickup_at: str = Form(""), pin: str = Form(""),
                idempotency_key: str = Form(""), user: User = ME,
                db: Session = DB) -> Response:  # fmt: skip
    chosen = dict(zip(product_id, [x.strip() for x in quantity], strict=False))
    shown = {"pickup_at": pickup_at, "quantities": chosen}
    try:
        items = _quantities(product_id, quantity)
        try:
            pickup = datetime.fromisoformat(pickup_at)
        except ValueError as err:
            raise Invalid("Choose a pickup time.", field="pickup_at") from err
        answer = run(
            request, db, user, idempotency_key,
            {"items": sorted(items), "pickup_at": pickup.isoformat()},
            lambda p: Answer(303, {"order": ordering.order_paid_by(db, p).id}),
            lambda idem: ordering.place_order(
                db, user, merchant_id=merchant_id, pickup_at=pickup, items=items,
                pin=pin or None, idem=idem),
        )  # fmt: skip
    except Problem as exc:
        if exc.status == 404 and exc.field is None:
            raise
        return _order_page(request, db, merchant_id, errors_of(exc), shown, exc.status)
    if answer.status >= 400:
        detail = {"_form": str(answer.body.get("detail"))}
        return _order_page(request, db, merchant_id, detail, shown, answer.status)
    return see_other(f"/dining/orders/{answer.body['order']}")


@router.get("/dining/orders/{order_id}")
def order_status_page(order_id: ObjectId, request: Request, user: User = ME,
                      db: Session = DB) -> Response:  # fmt: skip
    order = ordering.order_for(db, user, order_id)
    return render(request, "places/dining_order_status.html", {
        "section": "orders", "order": order, "lines": ordering.order_lines(db, order.id),
        "merchant": menu.restaurant(db, order.merchant_id),
    })  # fmt: skip
