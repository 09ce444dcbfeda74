"""What delivery needs from the outside: a link to the parcel stations (MQTT in Kosmos,
see kosmos.integrations.lockers.mqtt) and a way to tell a drone where to fly."""

from __future__ import annotations

from typing import Any, Protocol


class StationNotAnswering(Exception):
    """The station did not confirm the command in time (offline, or no network)."""


class StationRefused(Exception):
    """The station answered, but could not do it (a jammed door)."""


class StationLink(Protocol):
    def open_compartment(self, station: str, compartment: int, *, timeout: float = 5.0) -> str:
        """Open a door; returns the request id once the station confirmed it. Raises
        StationNotAnswering or StationRefused."""
        ...

    def publish_config(self, station: str, layout: list[dict[str, Any]]) -> None:
        """Tell a station its compartments (retained)."""
        ...


class DroneLink(Protocol):
    def send_mission(self, drone: str, mission: dict[str, Any]) -> None: ...
