"""Couriers: plan a slot's routes for N vans with the VRP solver (pyvroom, see
routing/), and the driver's list of stops in order with their ETAs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.catalog.tables import Store
from kosmos.delivery.routing import model as routing
from kosmos.delivery.routing.solver import solve
from kosmos.delivery.tables import Order, Route, RouteStop, Slot, Station
from kosmos.errors import Conflict, NotFound
from kosmos.places import live

VAN_CAPACITY_KG = 800  # payload of a small electric van
SERVICE_SECONDS = {"home": 240, "locker": 120}  # at the door / at a station
PLANNED = ("placed", "packed")


@dataclass(frozen=True)
class PlannedStop:
    order: Order
    stop: RouteStop
    where: str


def _place_of(session: Session, order: Order) -> tuple[routing.Place, str]:
    if order.station_id is not None:
        station = session.get(Station, order.station_id)
        assert station is not None
        return routing.Place.at(station.lat, station.lon), station.name
    assert order.lat is not None and order.lon is not None
    return routing.Place.at(order.lat, order.lon), order.address


def plan_slot(session: Session, slot_id: int, *, vans: int = 2) -> list[Route]:
    """Plan (or plan again) the slot's routes. Orders no van can take are flagged."""
    slot = session.get(Slot, slot_id)
    if slot is None:
        raise NotFound("No such slot.")
    store = session.get(Store, slot.store_id)
    assert store is not None
    orders = list(session.scalars(
        select(Order).where(Order.slot_id == slot.id, Order.mode.in_(("home", "locker")),
                            Order.status.in_(PLANNED)).order_by(Order.id)
    ))  # fmt: skip
    if not orders:
        raise Conflict("No orders to plan in this slot.", code="nothing_to_plan")
    depot = routing.Place.at(store.lat, store.lon)
    # seconds from an hour before the slot: vans load and leave, stops wait for the window
    zero = slot.starts_at - timedelta(hours=1)
    start_s = 3600
    end_s = start_s + int((slot.ends_at - slot.starts_at).total_seconds())
    stops = []
    for order in orders:
        place, _ = _place_of(session, order)
        kilos = max(1, order.weight_g // 1000)
        stops.append(routing.Stop(order.id, place, kilos, start_s, end_s,
                                  SERVICE_SECONDS[order.mode]))  # fmt: skip
    fleet = [routing.Van(i + 1, VAN_CAPACITY_KG, depot, depot, 0, end_s + 3600)
             for i in range(vans)]  # fmt: skip
    plan = solve(stops, fleet, timeout=2.0)
    old = select(Route.id).where(Route.slot_id == slot.id)
    session.execute(delete(RouteStop).where(RouteStop.route_id.in_(old)))
    session.execute(delete(Route).where(Route.slot_id == slot.id))
    now = clock.now()
    routes = []
    by_id = {o.id: o for o in orders}
    for planned in plan.routes:
        route = Route(slot_id=slot.id, van=planned.van_id, distance_m=round(planned.distance),
                      duration_s=round(planned.duration), planned_at=now)  # fmt: skip
        session.add(route)
        session.flush()
        for seq, stop in enumerate(planned.stops, start=1):
            eta = zero + timedelta(seconds=stop.arrival)
            session.add(RouteStop(route_id=route.id, order_id=stop.stop_id, seq=seq, eta_at=eta))
            by_id[stop.stop_id].eta_at = eta
        routes.append(route)
    for order_id in plan.unassigned:
        by_id[order_id].flag = "no van can take it in this slot"
    session.commit()
    return routes


def route_stops(session: Session, route_id: int) -> tuple[Route, list[PlannedStop]]:
    route = session.get(Route, route_id)
    if route is None:
        raise NotFound("No such route.")
    rows = session.execute(
        select(RouteStop, Order).join(Order, Order.id == RouteStop.order_id)
        .where(RouteStop.route_id == route.id).order_by(RouteStop.seq)
    ).all()  # fmt: skip
    return route, [PlannedStop(order, stop, _place_of(session, order)[1]) for stop, order in rows]


def route_key(route_id: int) -> str:
    return f"route:{route_id}"


def mark_done(session: Session, order: Order) -> None:
    """The stop is done (caller commits with the hand-over); driver pages refresh."""
    stop = session.scalar(select(RouteStop).where(RouteStop.order_id == order.id))
    if stop is not None:
        stop.done_at = clock.now()
        live.changed(session, live.staff_ids(session, order.merchant_id),
                     route_key(stop.route_id))  # fmt: skip
