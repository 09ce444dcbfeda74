"""The customer's delivery pages: order from the supermarket (home, parcel station, click
& collect, drone), deliver an event's list to a station near its place, follow an order
live (timeline and a small map), and the pickup QR."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from kosmos.accounts.tables import User
from kosmos.catalog.tables import Product, Store
from kosmos.chat.conversations import membership
from kosmos.delivery import checkout, demo, from_event, maps, model, slots, stations, timeline
from kosmos.delivery.checkout import Destination, OrderLine
from kosmos.delivery.tables import DroneFlight, Order, Station
from kosmos.errors import Invalid, NotFound, Problem
from kosmos.places.page_support import CSRF, DB, ME, errors_of, redirect, run_form
from kosmos.places.qr_image import svg
from kosmos.wallet.idempotency import Answer
from kosmos.web.render import render

router = APIRouter(include_in_schema=False)
ROWS = 6


def _ordered(order: Any) -> Answer:
    return Answer(303, {"reference": order.reference, "status": order.status})


def _lines(form: dict[str, Any]) -> list[OrderLine]:
    lines = []
    for i in range(40):
        product, quantity = str(form.get(f"product_{i}", "")), str(form.get(f"quantity_{i}", ""))
        if not product or form.get(f"take_{i}", "on") != "on":
            continue
        if not product.isdigit() or not quantity.strip().isdigit():
            raise Invalid("Enter a whole number of pieces.", field="lines")
        if int(quantity) > 0:
            lines.append(OrderLine(int(product), int(quantity)))
    return lines


def _int(value: Any) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() else None


# --- order from the supermarket --------------------------------------------------------------


def _shop_page(request: Request, db: Session, user: User, errors: dict[str, str] | None = None,
               form: dict[str, Any] | None = None, status: int = 200) -> Response:  # fmt: skip
    stores = demo.delivery_stores(db)
    if not stores:
        raise NotFound("No store delivers here yet.")
    form = form or {}
    store = next((s for s in stores if s.id == _int(form.get("store_id"))), stores[0])
    products = list(db.scalars(
        select(Product).where(Product.merchant_id == store.merchant_id, Product.unit == "piece")
        .order_by(Product.category, Product.name)
    ))  # fmt: skip
    return render(request, "delivery/shop.html", {
        "section": "delivery", "stores": stores, "store": store, "products": products,
        "slots": slots.orderable(db, store.id), "stations": db.scalars(select(Station)).all(),
        "errors": errors or {}, "form": form, "rows": ROWS, "key": str(uuid.uuid4()),
    }, status)  # fmt: skip


@router.get("/delivery")
def shop(request: Request, user: User = ME, db: Session = DB) -> Response:
    return _shop_page(request, db, user, form=dict(request.query_params))


@router.post("/delivery", dependencies=CSRF)
async def order(request: Request, user: User = ME, db: Session = DB) -> Response:
    form = dict(await request.form())
    try:
        to = Destination(address=str(form.get("address", "")), place=str(form.get("place", "")),
                         station_id=_int(form.get("station_id")))  # fmt: skip
        lines = _lines(form)
        answer = run_form(
            request, db, f"user:{user.id}", str(form.get("idempotency_key", "")), {},
            lambda idem: checkout.place_order(
                db, user, store_id=_int(form.get("store_id")) or 0, lines=lines,
                mode=str(form.get("mode", "")), slot_id=_int(form.get("slot_id")), to=to,
                pin=str(form.get("pin", "")) or None, idem=idem,
            ),
            render_answer=_ordered,
        )  # fmt: skip
    except Problem as exc:
        return _shop_page(request, db, user, errors_of(exc), form, exc.status)
    if answer.status >= 400:
        return _shop_page(
            request,
            db,
            user,
            {str(answer.body.get("field") or "_form"): str(answer.body.get("detail"))},
            form,
            answer.status,
        )
    return redirect(f"/delivery/orders/{answer.body['reference']}")


# --- from an event ---------------------------------------------------------------------------


def _event_page(request: Request, db: Session, user: User, event_id: int,
                errors: dict[str, str] | None = None, status: int = 200) -> Response:  # fmt: skip
    plan = from_event.plan(db, user, event_id)
    return render(request, "delivery/from_event.html", {
        "section": "delivery", "plan": plan, "errors": errors or {}, "key": str(uuid.uuid4()),
    }, status)  # fmt: skip


@router.get("/delivery/events/{event_id:int}")
def event_page(event_id: int, request: Request, user: User = ME, db: Session = DB) -> Response:
    return _event_page(request, db, user, event_id)


@router.post("/delivery/events/{event_id:int}", dependencies=CSRF)
async def event_order(event_id: int, request: Request, user: User = ME,
                      db: Session = DB) -> Response:  # fmt: skip
    form = dict(await request.form())
    event = from_event.visible_event(db, user, event_id)
    try:
        lines = _lines(form)
        answer = run_form(
            request, db, f"user:{user.id}", str(form.get("idempotency_key", "")), {},
            lambda idem: checkout.place_order(
                db, user, store_id=_int(form.get("store_id")) or 0, lines=lines, mode="locker",
                slot_id=_int(form.get("slot_id")),
                to=Destination(place=event.place or "", station_id=_int(form.get("station_id"))),
                conversation_id=event.conversation_id, event_id=event.id,
                pin=str(form.get("pin", "")) or None, idem=idem,
            ),
            render_answer=_ordered,
        )  # fmt: skip
    except Problem as exc:
        return _event_page(request, db, user, event_id, errors_of(exc), exc.status)
    if answer.status >= 400:
        return _event_page(request, db, user, event_id, {
            str(answer.body.get("field") or "_form"): str(answer.body.get("detail"))
        }, answer.status)  # fmt: skip
    return redirect(f"/delivery/orders/{answer.body['reference']}")


# --- tracking --------------------------------------------------------------------------------


@router.get("/delivery/orders")
def my_orders(request: Request, user: User = ME, db: Session = DB) -> Response:
    orders = db.scalars(select(Order).where(Order.user_id == user.id)
                        .order_by(Order.id.desc()).limit(50)).all()  # fmt: skip
    return render(request, "delivery/orders.html", {"section": "delivery", "orders": orders})


@router.get("/delivery/orders/{reference}")
def track(reference: str, request: Request, user: User = ME, db: Session = DB) -> Response:
    order = checkout.visible_order(db, user, reference)
    station = db.get(Station, order.station_id) if order.station_id else None
    store = db.get(Store, order.store_id)
    assert store is not None
    flight = db.get(DroneFlight, order.id)
    return render(request, "delivery/track.html", {
        "section": "delivery", "order": order, "station": station, "store": store,
        "entries": timeline.entries(db, order), "flight": flight,
        "compartments": stations.compartments_of(db, order.id),
        "steps": _steps(order), "live_key": timeline.order_key(order),
        "map": maps.town_map(store=store, station=station, order=order, flight=flight),
    })  # fmt: skip


def _steps(order: Order) -> list[tuple[str, bool]]:
    """The timeline's fixed steps for the order's mode, and which are reached."""
    path = {
        "locker": ["placed", "packed", "on_the_way", "in_locker", "picked_up"],
        "home": ["placed", "packed", "on_the_way", "delivered"],
        "drone": ["placed", "packed", "on_the_way", "delivered"],
        "pickup": ["placed", "packed", "ready", "picked_up"],
    }[order.mode]
    reached = path.index(order.status) if order.status in path else -1
    return [(step, i <= reached) for i, step in enumerate(path)]


def _may_see_code(db: Session, user: User, order: Order) -> bool:
    if order.user_id == user.id:
        return True
    if order.conversation_id is None:
        return False
    try:
        membership(db, user.id, order.conversation_id)
    except NotFound:
        return False
    return True


@router.get("/delivery/orders/{reference}/pickup-qr.svg")
def pickup_qr(reference: str, user: User = ME, db: Session = DB) -> Response:
    """The pickup QR: for the orderer and the chat the locker card went to."""
    order = db.scalar(select(Order).where(Order.reference == reference))
    if order is None or order.pickup_code is None or not _may_see_code(db, user, order):
        raise NotFound("No such pickup code.")
    station = db.get(Station, order.station_id) if order.station_id else None
    payload = model.code_qr_payload(station.code if station else "store", order.pickup_code)
    return Response(svg(payload, scale=4, title=order.pickup_code), media_type="image/svg+xml",
                    headers={"Cache-Control": "private, no-store"})  # fmt: skip
