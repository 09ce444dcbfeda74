"""Delivery's ports on the MQTT bridge (kosmos.integrations.lockers.mqtt): open doors,
publish layouts, send drone missions; and what stations report goes to
station_events.StationReports. `connect` is called by the app's lifespan."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

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
    """The bridge's handler: its drone call carries the protocol's status object."""

    def drone(self, drone: str, status: DroneStatus) -> None:
        super().report_drone(
            drone, status.state, order_ref=status.order_ref, lat=status.position.lat,
            lon=status.position.lon, battery=round(status.battery),
            eta_s=round(status.eta_seconds) if status.eta_seconds is not None else None,
        )  # fmt: skip


def connect(settings: Settings, factory: sessionmaker[Session]) -> Callable[[], None] | None:
    """Start the bridge, install the links, tell every station its layout; returns the
    stop function (None without a broker)."""
    try:
        bridge = mqtt.start(settings, _Reports(factory))
    except errors.LockerError as err:
        log.warning("parcel stations not connected: %s", err)
        return None
    if bridge is None:
        return None
    link = MqttLink(bridge)
    links.install(link, link)
    try:
        with factory() as session:
            for station in session.query(Station).all():
                link.publish_config(station.code, stations.layout(session, station))
    except errors.LockerError as err:
        log.warning("station layouts not published: %s", err)

    def stop() -> None:
        links.install(None, None)
        bridge.stop()

    return stop
