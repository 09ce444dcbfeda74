"""What stations and drones report, as the MQTT bridge hands it over (from its network
thread): each report in its own short transaction. A door event is stored once by its
event id, so a QoS 1 duplicate changes nothing."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from kosmos.delivery import drones, stations
from kosmos.delivery.tables import Compartment, StationEvent

log = logging.getLogger(__name__)


class StationReports:
    """The bridge's handler (kosmos.integrations.lockers.mqtt)."""

    def __init__(self, factory: sessionmaker[Session]) -> None:
        self.factory = factory

    def door(self, station: str, compartment: int, state: str, event_id: str,
             request_id: str | None, at: datetime) -> None:  # fmt: skip
        with self.factory() as session:
            row = stations.mark_online(session, station, True)
            if row is None:
                return
            session.add(StationEvent(event_uid=f"{station}:{event_id}", station_id=row.id,
                                     kind="door", compartment=compartment, state=state,
                                     request_id=request_id, at=at))  # fmt: skip
            try:
                session.flush()
            except IntegrityError:  # the same event again (QoS 1): once is enough
                session.rollback()
                return
            door = session.scalar(select(Compartment).where(
                Compartment.station_id == row.id, Compartment.number == compartment))  # fmt: skip
            if door is not None:
                door.door_open = state == "open"
            session.commit()

    def temperature(self, station: str, zone: str, celsius: float, at: datetime) -> None:
        with self.factory() as session:
            stations.record_temperature(session, station, zone, celsius)
            session.commit()

    def status(self, station: str, online: bool, at: datetime) -> None:
        with self.factory() as session:
            if stations.mark_online(session, station, online) is not None:
                session.commit()

    def report_drone(self, drone: str, state: str, *, order_ref: str | None, lat: float | None,
              lon: float | None, battery: int | None, eta_s: int | None) -> None:  # fmt: skip
        with self.factory() as session:
            drones.record_status(session, drone, state, order_ref=order_ref, lat=lat, lon=lon,
                                 battery=battery, eta_s=eta_s)  # fmt: skip
