"""Parcel stations: which one takes an order, reserving and freeing compartments, and
what a station reports (online, doors, temperatures)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.delivery import model
from kosmos.delivery.tables import Compartment, Parcel, Station
from kosmos.errors import Conflict, NotFound


def station_by_code(session: Session, code: str) -> Station:
    station = session.scalar(select(Station).where(Station.code == code))
    if station is None:
        raise NotFound("No such parcel station.")
    return station


def location(station: Station) -> model.Location:
    return model.Location(station.lat, station.lon)


def _compartment(row: Compartment) -> model.Compartment:
    return model.Compartment(row.id, row.number, row.size, row.zone)


def offers(session: Session) -> list[model.StationOffer]:
    """Every station with its free compartments, as the rules see them."""
    free: dict[int, list[model.Compartment]] = {}
    for row in session.scalars(select(Compartment).where(Compartment.parcel_id.is_(None))):
        free.setdefault(row.station_id, []).append(_compartment(row))
    return [
        model.StationOffer(s.id, location(s), s.online, tuple(free.get(s.id, ())))
        for s in session.scalars(select(Station).order_by(Station.id))
    ]


def choose(
    session: Session,
    target: model.Location,
    needed: Sequence[model.Parcel],
    *,
    station_id: int | None = None,
    skip: Iterable[int] = (),
) -> model.StationChoice:
    """The nearest fitting station, or the one the customer picked if it fits."""
    all_offers = offers(session)
    if station_id is not None:
        picked = [o for o in all_offers if o.station_id == station_id]
        if not picked:
            raise NotFound("No such parcel station.", field="station_id")
        all_offers = picked
    return model.nearest_station(
        target,
        all_offers,
        needed,
        skip=skip,
        max_km=model.MAX_STATION_KM if station_id is None else 50.0,
    )


def reserve(session: Session, parcels: Sequence[Parcel], choice: model.StationChoice) -> None:
    """Give each parcel its compartment (conditional: a compartment another checkout took
    a moment ago fails this one, which the caller reports as a conflict)."""
    for parcel, compartment in zip(parcels, choice.compartments, strict=True):
        taken = session.execute(
            update(Compartment)
            .where(Compartment.id == compartment.id, Compartment.parcel_id.is_(None))
            .values(parcel_id=parcel.id)
        )
        if taken.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict(
                "That compartment was just taken. Please try again.",
                code="compartment_taken",
                field="station_id",
            )
        parcel.compartment_id = compartment.id


def free(session: Session, parcels: Iterable[Parcel]) -> None:
    """Give the parcels' compartments back (pickup, return, cancel). Caller commits."""
    ids = [p.id for p in parcels]
    if ids:
        session.execute(
            update(Compartment).where(Compartment.parcel_id.in_(ids)).values(parcel_id=None)
        )


def compartments_of(session: Session, order_id: int) -> list[Compartment]:
    return list(
        session.scalars(
            select(Compartment)
            .join(Parcel, Parcel.compartment_id == Compartment.id)
            .where(Parcel.order_id == order_id)
            .order_by(Compartment.number)
        )
    )


def layout(session: Session, station: Station) -> list[dict[str, Any]]:
    """The station's compartments as its controller needs them (MQTT config message)."""
    rows = session.scalars(
        select(Compartment).where(Compartment.station_id == station.id).order_by(Compartment.number)
    )
    return [{"number": c.number, "size": c.size, "zone": c.zone} for c in rows]


# --- what stations report ---------------------------------------------------------------------


def mark_online(session: Session, code: str, online: bool) -> Station | None:
    station = session.scalar(select(Station).where(Station.code == code))
    if station is None:
        return None
    station.online = online
    station.last_seen_at = clock.now()
    return station


def record_temperature(session: Session, code: str, zone: str, celsius: float) -> None:
    station = session.scalar(select(Station).where(Station.code == code))
    if station is None:
        return
    temps = dict(station.temperatures or {})
    temps[zone] = {"celsius": round(celsius, 1), "at": clock.now().isoformat(),
                   "ok": model.zone_ok(zone, celsius)}  # fmt: skip
    station.temperatures = temps
    station.online = True
    station.last_seen_at = clock.now()
