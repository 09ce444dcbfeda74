"""Delivery's ports on the MQTT bridge (kosmos.integrations.lockers.mqtt): open doors,
publish layouts, send drone missions; and what stations report goes to
station_events.StationReports. `connect` is called by the app's lifespan."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from kosmos.config import Settings
from kosmos.delivery import links, ports, stations
from kosmos.delivery.station_events import StationReports
from kosmos.delivery.tables import Station
from kosmos.integrations.lockers import mqtt
from kosmos.integrations.lockers.mqtt import errors
from kosmos.integrations.lockers.mqtt.protocol import Compartment, DroneStatus

log = logging.getLogger(__name__)


class MqttLink:
    """StationLink and DroneLink over the bridge, with delivery's own exceptions."""

    def __init__(self, bridge: mqtt.Bridge) -> None:
        self.bridge = bridge

    def open_compartment(self, station: str, compartment: int, *, timeout: float = 5.0) -> str:
        try:
            return self.bridge.open_compartment(station, compartment, timeout=timeout)
        except errors.StationRefused as err:
            raise ports.StationRefused(str(err)) from err
        except errors.LockerError as err:  # not answering, offline, no broker
            raise ports.StationNotAnswering(str(err)) from err

    def publish_config(self, station: str, layout: list[dict[str, Any]]) -> None:
        self.bridge.publish_config(station, [Compartment(**c) for c in layout])

    def send_mission(self, drone: str, mission: dict[str, Any]) -> None:
        self.bridge.send_drone_mission(
            drone, order_ref=mission["order"],
            origin=(mission["from"]["lat"], mission["from"]["lon"]),
            destination=(mission["to"]["lat"], mission["to"]["lon"]),
        )  # fmt: skip


class _Reports(StationReports):
    """The bridge's handler. The bridge calls it on its network thread, which must never
    wait for the database (acks queue behind it): each report is written in order on a
    thread of its own."""

    def __init__(self, factory: sessionmaker[Session]) -> None:
        super().__init__(factory)
        self.writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="station-reports")

    def _later(self, fn: Callable[..., None], *args: Any, **kwargs: Any) -> None:
        def run() -> None:
            try:
                fn(*args, **kwargs)
            except Exception:
                log.exception("station report failed")

        self.writer.submit(run)

    def door(self, station: str, compartment: int, state: str, event_id: str,
             request_id: str | None, at: datetime) -> None:  # fmt: skip
        self._later(super().door, station, compartment, state, event_id, request_id, at)

    def temperature(self, station: str, zone: str, celsius: float, at: datetime) -> None:
        self._later(super().temperature, station, zone, celsius, at)

    def status(self, station: str, online: bool, at: datetime) -> None:
        self._later(super().status, station, online, at)

    def drone(self, drone: str, status: DroneStatus) -> None:
        self._later(
            self.report_drone, drone, status.state, order_ref=status.order_ref,
            lat=status.position.lat, lon=status.position.lon, battery=round(status.battery),
            eta_s=round(status.eta_seconds) if status.eta_seconds is not None else None,
        )  # fmt: skip


def connect(settings: Settings, factory: sessionmaker[Session]) -> Callable[[], None] | None:
    """Start the bridge, install the links, tell every station its layout; returns the
    stop function (None without a broker)."""
    reports = _Reports(factory)
    try:
        bridge = mqtt.start(settings, reports)
    except errors.LockerError as err:
        log.warning("parcel stations not connected: %s", err)
        reports.writer.shutdown()
        return None
    if bridge is None:
        reports.writer.shutdown()
        return None
    link = MqttLink(bridge)
    links.install(link, link)
    # Read first, publish after: the bridge's thread writes station reports to the
    # database, so it must not wait for a transaction held open here.
    with factory() as session:
        layouts = {s.code: stations.layout(session, s) for s in session.scalars(select(Station))}
    try:
        for code, layout in layouts.items():
            link.publish_config(code, layout)
    except errors.LockerError as err:
        log.warning("station layouts not published: %s", err)

    def stop() -> None:
        links.install(None, None)
        bridge.stop()
        reports.writer.shutdown(wait=True)

    return stop
