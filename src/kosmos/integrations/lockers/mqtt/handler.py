"""The narrow interface the delivery domain implements to hear from stations and drones."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from kosmos.integrations.lockers.mqtt.protocol import DroneStatus


class StationEvents(Protocol):
    """Called by the bridge on the MQTT network thread, one message at a time.

    Keep each call short (a DB transaction, no waiting on the bridge). QoS 1 delivers at
    least once and every server process hears every message, so `door` and `drone` must be
    idempotent on `event_id` (a unique constraint); the bridge only drops exact repeats it
    has just seen in this process. If a call raises, the bridge logs it and forgets the
    event id, so a redelivery is handled again.
    """

    def door(
        self,
        station: str,
        compartment: int,
        state: str,
        event_id: str,
        request_id: str | None,
        at: datetime,
    ) -> None: ...

    def temperature(self, station: str, zone: str, celsius: float, at: datetime) -> None: ...

    def status(self, station: str, online: bool, at: datetime) -> None: ...

    def drone(self, drone: str, status: DroneStatus) -> None: ...
