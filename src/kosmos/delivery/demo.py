"""The demo town's parcel stations, delivery slots and drone base (idempotent)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.catalog.tables import Merchant, Store
from kosmos.delivery import model, slots
from kosmos.delivery.tables import Compartment, DroneBase, Station

SUPERMARKET = "frischmarkt-musterstadt"
DRONE_STORE = "frischmarkt-musterstadt-zentrum"

STATIONS = [
    ("packstation-stadtpark", "Packstation Stadtpark", "Am Stadtpark 2", 52.5270, 13.3957),
    ("packstation-bahnhof", "Packstation Bahnhof", "Bahnhofstraße 1", 52.5231, 13.4115),
    ("packstation-marktplatz", "Packstation Marktplatz", "Marktplatz 1", 52.5203, 13.4046),
]
# number -> (size, zone): ambient 1-6, chilled 7-12, frozen 13-16
LAYOUT: dict[int, tuple[str, str]] = {
    1: ("S", "ambient"), 2: ("S", "ambient"), 3: ("M", "ambient"), 4: ("M", "ambient"),
    5: ("L", "ambient"), 6: ("L", "ambient"),
    7: ("S", "chilled"), 8: ("M", "chilled"), 9: ("M", "chilled"), 10: ("L", "chilled"),
    11: ("S", "chilled"), 12: ("L", "chilled"),
    13: ("S", "frozen"), 14: ("S", "frozen"), 15: ("M", "frozen"), 16: ("M", "frozen"),
}  # fmt: skip


def add_station(session: Session, code: str, name: str, street: str, lat: float, lon: float,
                layout: dict[int, tuple[str, str]] = LAYOUT) -> Station:  # fmt: skip
    station = session.scalar(select(Station).where(Station.code == code))
    if station is not None:
        return station
    station = Station(code=code, name=name, street=street, lat=lat, lon=lon, online=False,
                      temperatures={})  # fmt: skip
    session.add(station)
    session.flush()
    for number, (size, zone) in layout.items():
        w, h, d = model.INNER_MM[size]
        session.add(Compartment(station_id=station.id, number=number, size=size, zone=zone,
                                width_mm=w, height_mm=h, depth_mm=d))  # fmt: skip
    return station


def delivery_stores(session: Session) -> list[Store]:
    merchant = session.scalar(select(Merchant).where(Merchant.slug == SUPERMARKET))
    return list(merchant.stores) if merchant else []


def seed_delivery(session: Session) -> None:
    for row in STATIONS:
        add_station(session, *row)
    for store in delivery_stores(session):
        slots.ensure_days(session, store.id)
        if store.slug == DRONE_STORE and session.get(DroneBase, store.id) is None:
            session.add(DroneBase(store_id=store.id, drone_code="drohne-zentrum-1",
                                  weather_ok=True, updated_at=clock.now()))  # fmt: skip
    session.commit()


def station_codes(session: Session) -> list[str]:
    return list(session.scalars(select(Station.code).order_by(Station.id)))


def drone_codes(session: Session) -> list[str]:
    return list(session.scalars(select(DroneBase.drone_code).order_by(DroneBase.store_id)))
