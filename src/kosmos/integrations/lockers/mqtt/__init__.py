"""Parcel lockers and drones over MQTT: protocol, bridge into Kosmos, embedded broker,
simulators. The domain implements `StationEvents` and calls `start(settings, handler)`."""

from kosmos.integrations.lockers.mqtt.bridge import Bridge, start
from kosmos.integrations.lockers.mqtt.errors import (
    BrokerUnavailable,
    LockerError,
    StationNotAnswering,
    StationOffline,
    StationRefused,
)
from kosmos.integrations.lockers.mqtt.handler import StationEvents
from kosmos.integrations.lockers.mqtt.protocol import (
    Compartment,
    DroneStatus,
    Position,
    StationConfig,
)

__all__ = [
    "Bridge",
    "BrokerUnavailable",
    "Compartment",
    "DroneStatus",
    "LockerError",
    "Position",
    "StationConfig",
    "StationEvents",
    "StationNotAnswering",
    "StationOffline",
    "StationRefused",
    "start",
]
