"""Staff pages of a delivering store: the day's slots with their orders (pack, plan the
routes), the driver's page (stops in order with ETAs: set off, into the locker, at the
door, another station), click & collect at the counter, and the drone weather switch."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from kosmos.accounts.tables import User
from kosmos.catalog.backoffice import staff_roles
from kosmos.catalog.tables import Store
from kosmos.delivery import courier, demo, drones, handover, pickup, slots
from kosmos.delivery.tables import DroneBase, Order, Route, Slot, Station
from kosmos.errors import Invalid, NotFound, Problem
from kosmos.places.page_support import CSRF, DB, ME, redirect
from kosmos.web.render import render

router = APIRouter(include_in_schema=False)

ACTIONS = {
    "pack": handover.pack, "leave": handover.leave, "stow": handover.stow,
    "deliver": handover.deliver_home, "reroute": handover.reroute,
}  # fmt: skip


def _stores(db: Session, user: User) -> list[Store]:
    roles = staff_roles(db, user)
    stores = [s for s in demo.delivery_stores(db) if s.merchant_id in roles]
    if not stores:
        raise NotFound("You do not work for a store that delivers.")
    return stores


def _staff_order(db: Session, user: User, reference: str) -> Order:
    order = db.scalar(select(Order).where(Order.reference == reference))
    if order is None or order.merchant_id not in staff_roles(db, user):
        raise NotFound("No such order.")
    return order


def _back(url: str, message: str = "", error: str = "") -> Response:
    sep = "&" if "?" in url else "?"
    if error:
        return redirect(f"{url}{sep}error={quote(error)}")
    return redirect(f"{url}{sep}done={quote(message)}" if message else url)


@router.get("/courier")
def day(request: Request, user: User = ME, db: Session = DB) -> Response:
    stores = _stores(db, user)
    board = []
    for store in stores:
        rows = []
        for slot in slots.upcoming(db, store.id):
            orders = db.scalars(select(Order).where(Order.slot_id == slot.id)
                                .order_by(Order.id)).all()  # fmt: skip
            routes = db.scalars(select(Route).where(Route.slot_id == slot.id)
                                .order_by(Route.van)).all()  # fmt: skip
            if orders or routes:
                rows.append((slot, orders, routes))
        pickups = db.scalars(
            select(Order).where(
                Order.store_id == store.id,
                Order.mode == "pickup",
                Order.status.in_(("placed", "ready")),
            )
        ).all()
        board.append((store, rows, pickups, db.get(DroneBase, store.id)))
    stations_by_id = {s.id: s for s in db.scalars(select(Station))}
    return render(request, "delivery/courier.html", {
        "section": "scan", "board": board, "stations": stations_by_id,
        "done": request.query_params.get("done", ""),
        "error": request.query_params.get("error", ""),
    })  # fmt: skip


@router.post("/courier/slots/{slot_id:int}/plan", dependencies=CSRF)
def plan(slot_id: int, vans: int = Form(2), user: User = ME, db: Session = DB) -> Response:
    stores = {s.id for s in _stores(db, user)}
    row = db.get(Slot, slot_id)
    if row is None or row.store_id not in stores:
        raise NotFound("No such slot.")
    try:
        routes = courier.plan_slot(db, slot_id, vans=max(1, min(vans, 10)))
    except Problem as exc:
        return _back("/courier", error=exc.localized())
    return redirect(f"/courier/routes/{routes[0].id}" if routes else "/courier")


@router.get("/courier/routes/{route_id:int}")
def driver(route_id: int, request: Request, user: User = ME, db: Session = DB) -> Response:
    route, stops = courier.route_stops(db, route_id)
    slot = db.get(Slot, route.slot_id)
    if slot is None or slot.store_id not in {s.id for s in _stores(db, user)}:
        raise NotFound("No such route.")
    return render(request, "delivery/driver.html", {
        "section": "scan", "route": route, "stops": stops, "slot": slot,
        "done": request.query_params.get("done", ""),
        "error": request.query_params.get("error", ""),
        "live_key": courier.route_key(route.id),
    })  # fmt: skip


@router.post("/courier/orders/{reference}/{action}", dependencies=CSRF)
def act(reference: str, action: str, back: str = Form("/courier"), user: User = ME,
        db: Session = DB) -> Response:  # fmt: skip
    if action not in ACTIONS:
        raise NotFound("No such action.")
    back = back if back.startswith("/courier") else "/courier"
    order = _staff_order(db, user, reference)
    try:
        ACTIONS[action](db, order)
    except Problem as exc:
        db.rollback()
        return _back(back, error=exc.localized())
    return _back(back, message=f"{reference}: {order.status}")


@router.post("/courier/stores/{store_id:int}/collect", dependencies=CSRF)
def collect(store_id: int, code: str = Form(""), user: User = ME, db: Session = DB) -> Response:
    if store_id not in {s.id for s in _stores(db, user)}:
        raise NotFound("No such store.")
    try:
        order = pickup.collect_at_store(db, store_id, code)
    except Problem as exc:
        return _back("/courier", error=exc.localized())
    return _back("/courier", message=f"{order.reference}: {order.status}")


@router.post("/courier/stores/{store_id:int}/weather", dependencies=CSRF)
def weather(store_id: int, fly: str = Form(""), user: User = ME, db: Session = DB) -> Response:
    if store_id not in {s.id for s in _stores(db, user)}:
        raise NotFound("No such store.")
    if fly not in ("yes", "no"):
        raise Invalid("Choose yes or no.", field="fly")
    drones.set_weather(db, store_id, fly == "yes")
    return _back("/courier")
