"""The wire protocol between Kosmos and parcel-locker stations and delivery drones.

All payloads are UTF-8 JSON objects; times are ISO 8601 in UTC. QoS 1 everywhere except the
heartbeat (QoS 0); QoS 1 means "at least once", so every event carries an `event_id` and
receivers de-duplicate on it.

| topic                              | direction       | retained | payload               |
|------------------------------------|-----------------|----------|-----------------------|
| kosmos/lockers/{station}/cmd       | Kosmos->station | no       | OpenCommand           |
| kosmos/lockers/{station}/ack       | station->Kosmos | no       | Ack                   |
| kosmos/lockers/{station}/events    | station->Kosmos | no       | DoorEvent, Temperature|
| kosmos/lockers/{station}/heartbeat | station->Kosmos | no (QoS0)| Heartbeat             |
| kosmos/lockers/{station}/status    | station->Kosmos | yes      | Status (last will:    |
|                                    |                 |          |   {"online": false})  |
| kosmos/lockers/{station}/config    | Kosmos->station | yes      | StationConfig         |
| kosmos/drones/{drone}/cmd          | Kosmos->drone   | no       | Mission               |
| kosmos/drones/{drone}/status       | drone->Kosmos   | no       | DroneStatus           |
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

PREFIX = "kosmos"
ZONES = ("ambient", "chilled", "frozen")
Zone = Literal["ambient", "chilled", "frozen"]
Size = Literal["S", "M", "L"]
DoorState = Literal["open", "closed"]
DroneState = Literal["idle", "launched", "en_route", "delivered", "returning", "landed"]

# Target band per zone in °C (None: unbounded): chilled 2-7, frozen at most -18.
ZONE_LIMITS: dict[str, tuple[float | None, float | None]] = {
    "ambient": (None, None),
    "chilled": (2.0, 7.0),
    "frozen": (None, -18.0),
}


def now() -> datetime:
    """Wire time is wall-clock UTC (stations compare `expires_at` with their own clock)."""
    return datetime.now(UTC)


def new_id() -> str:
    return uuid.uuid4().hex


def in_band(zone: str, celsius: float) -> bool:
    low, high = ZONE_LIMITS.get(zone, (None, None))
    return (low is None or celsius >= low) and (high is None or celsius <= high)


# --- topics ------------------------------------------------------------------------------


def station_topic(station: str, leaf: str) -> str:
    if not station or any(c in station for c in "/+#"):
        raise ValueError(f"invalid station id {station!r}")
    return f"{PREFIX}/lockers/{station}/{leaf}"


def drone_topic(drone: str, leaf: str) -> str:
    if not drone or any(c in drone for c in "/+#"):
        raise ValueError(f"invalid drone id {drone!r}")
    return f"{PREFIX}/drones/{drone}/{leaf}"


def split_topic(topic: str) -> tuple[str, str, str] | None:
    """'kosmos/lockers/S1/events' -> ('lockers', 'S1', 'events'); None if not ours."""
    parts = topic.split("/")
    if len(parts) != 4 or parts[0] != PREFIX or parts[1] not in ("lockers", "drones"):
        return None
    return parts[1], parts[2], parts[3]


# --- payloads ----------------------------------------------------------------------------


class Message(BaseModel):
    # Unknown fields are ignored so either side can add fields first.
    model_config = ConfigDict(extra="ignore", populate_by_name=True, frozen=True)

    def to_bytes(self) -> bytes:
        return self.model_dump_json(by_alias=True, exclude_none=True).encode()


class OpenCommand(Message):
    request_id: str = Field(default_factory=new_id)
    action: Literal["open"] = "open"
    compartment: int = Field(ge=1)
    # A station ignores a command it receives after this moment (a late open would be a
    # door opening nobody waits for). MQTT 5 also sets the message expiry interval.
    expires_at: datetime | None = None


class Ack(Message):
    request_id: str
    ok: bool
    reason: str | None = None


class DoorEvent(Message):
    event_id: str = Field(default_factory=new_id)
    type: Literal["door"] = "door"
    compartment: int
    state: DoorState
    request_id: str | None = None
    at: datetime = Field(default_factory=now)


class Temperature(Message):
    event_id: str = Field(default_factory=new_id)
    type: Literal["temperature"] = "temperature"
    zone: Zone
    celsius: float
    at: datetime = Field(default_factory=now)


StationEvent = Annotated[DoorEvent | Temperature, Field(discriminator="type")]
station_event = TypeAdapter(StationEvent)


class Heartbeat(Message):
    at: datetime = Field(default_factory=now)
    uptime_seconds: float = 0.0
    open_doors: list[int] = Field(default_factory=list)


class Status(Message):
    online: bool
    at: datetime | None = None  # absent in the last will (written at connect time)


class Compartment(Message):
    number: int = Field(ge=1)
    size: Size
    zone: Zone = "ambient"


class StationConfig(Message):
    compartments: list[Compartment]


def default_layout() -> StationConfig:
    """What a station uses until Kosmos publishes its config: 12 compartments, 4 S, 4 M
    ambient, 2 M chilled, 1 L chilled, 1 M frozen."""
    small: tuple[Size, Zone] = ("S", "ambient")
    medium: tuple[Size, Zone] = ("M", "ambient")
    cool: tuple[Size, Zone] = ("M", "chilled")
    sizes = [small] * 4 + [medium] * 4 + [cool] * 2 + [("L", "chilled"), ("M", "frozen")]
    return StationConfig(
        compartments=[
            Compartment(number=i, size=size, zone=zone) for i, (size, zone) in enumerate(sizes, 1)
        ]
    )


class Position(Message):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class Mission(Message):
    request_id: str = Field(default_factory=new_id)
    action: Literal["mission"] = "mission"
    order_ref: str
    origin: Position = Field(alias="from")
    destination: Position = Field(alias="to")


class DroneStatus(Message):
    event_id: str = Field(default_factory=new_id)
    state: DroneState
    position: Position
    battery: float = Field(ge=0, le=100)  # percent
    eta_seconds: float | None = None
    order_ref: str | None = None
    at: datetime = Field(default_factory=now)
