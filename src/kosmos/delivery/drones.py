"""Drone delivery: who may fly (model.drone_check), daylight from the sun's position
(astral), the staff's weather switch, sending the mission and following its status."""

from __future__ import annotations

import logging
from datetime import datetime

from astral import LocationInfo
from astral.sun import sun
from sqlalchemy import select
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.catalog.tables import Store
from kosmos.db import on_commit
from kosmos.delivery import links, model, timeline
from kosmos.delivery.tables import DroneBase, DroneFlight, Order
from kosmos.errors import NotFound

log = logging.getLogger(__name__)

# drone state -> order status it implies
_ORDER_STATUS = {"launched": "on_the_way", "delivered": "delivered"}


def is_daylight(at: datetime, where: model.Location) -> bool:
    place = LocationInfo("", "", "Europe/Berlin", where.lat, where.lon)
    times = sun(place.observer, date=clock.to_local(at).date(), tzinfo=clock.BERLIN)
    return times["sunrise"] <= at <= times["sunset"]


def base_of(session: Session, store_id: int) -> DroneBase | None:
    return session.get(DroneBase, store_id)


def eligibility(session: Session, store: Store, target: model.Location,
                weight_g: int) -> model.DroneCheck:  # fmt: skip
    base = base_of(session, store.id)
    here = model.Location(store.lat, store.lon)
    return model.drone_check(
        weight_g=weight_g, store=here if base else None, target=target,
        daylight=is_daylight(clock.now(), here), weather_ok=bool(base and base.weather_ok),
    )  # fmt: skip


def set_weather(session: Session, store_id: int, ok: bool) -> DroneBase:
    base = base_of(session, store_id)
    if base is None:
        raise NotFound("This store flies no drones.")
    base.weather_ok = ok
    base.updated_at = clock.now()
    session.commit()
    return base


def dispatch_after_commit(session: Session, order: Order) -> None:
    """Record the flight now; send the mission once the order is committed."""
    base = base_of(session, order.store_id)
    if base is None:
        return
    store = session.get(Store, order.store_id)
    assert store is not None
    session.add(DroneFlight(order_id=order.id, drone_code=base.drone_code, state="assigned",
                            lat=store.lat, lon=store.lon, updated_at=clock.now()))  # fmt: skip
    mission = {
        "order": order.reference, "from": {"lat": store.lat, "lon": store.lon},
        "to": {"lat": order.lat, "lon": order.lon},
    }  # fmt: skip

    def send() -> None:
        link = links.drones()
        if link is None:
            log.warning("no drone link: order %s waits for a drone", order.reference)
            return
        link.send_mission(base.drone_code, mission)

    on_commit(session, send)


def record_status(session: Session, drone_code: str, state: str, *, order_ref: str | None,
                  lat: float | None, lon: float | None, battery: int | None,
                  eta_s: int | None) -> None:  # fmt: skip
    """A drone's status report (over MQTT): the flight's latest, and the order's status."""
    query = select(DroneFlight).where(DroneFlight.drone_code == drone_code)
    if order_ref:
        query = query.join(Order, Order.id == DroneFlight.order_id).where(
            Order.reference == order_ref
        )
    flight = session.scalars(query.order_by(DroneFlight.updated_at.desc())).first()
    if flight is None:
        return
    flight.state, flight.lat, flight.lon = state, lat, lon
    flight.battery, flight.eta_s, flight.updated_at = battery, eta_s, clock.now()
    order = session.get(Order, flight.order_id)
    assert order is not None
    target = _ORDER_STATUS.get(state)
    if target == "on_the_way" and order.status == "placed":
        timeline.move(session, order, "packed", "drone loaded")
    if target and target in model.NEXT.get(order.status, frozenset()):
        timeline.move(session, order, target)
        if target == "delivered":
            from kosmos.delivery import handover  # a drone's drop is its hand-over

            handover.capture(session, order)  # commits the move with the money
            return
    else:
        timeline.touch(session, order)
    session.commit()
