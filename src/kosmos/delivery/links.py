"""The process's links to stations and drones (installed by the app's lifespan: the MQTT
bridge; None until then, and then station commands fail with a clear message)."""

from __future__ import annotations

from kosmos.delivery.ports import DroneLink, StationLink, StationNotAnswering

_stations: StationLink | None = None
_drones: DroneLink | None = None


def install(stations: StationLink | None, drones: DroneLink | None) -> None:
    global _stations, _drones
    _stations, _drones = stations, drones


def stations() -> StationLink:
    if _stations is None:
        raise StationNotAnswering("no connection to the parcel stations")
    return _stations


def drones() -> DroneLink | None:
    return _drones
