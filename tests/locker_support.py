"""Helpers for the parcel-locker MQTT tests: a recording handler and unique device ids."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kosmos.integrations.lockers.mqtt.protocol import DroneStatus


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


@dataclass
class Recorder:
    """A StationEvents handler that records every call (from the MQTT network thread)."""

    calls: list[tuple[Any, ...]] = field(default_factory=list)
    _changed: threading.Condition = field(default_factory=threading.Condition)

    def _add(self, *call: Any) -> None:
        with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    def door(
        self,
        station: str,
        compartment: int,
        state: str,
        event_id: str,
        request_id: str | None,
        at: datetime,
    ) -> None:
        self._add("door", station, compartment, state, event_id, request_id, at)

    def temperature(self, station: str, zone: str, celsius: float, at: datetime) -> None:
        self._add("temperature", station, zone, celsius, at)

    def status(self, station: str, online: bool, at: datetime) -> None:
        self._add("status", station, online, at)

    def drone(self, drone: str, status: DroneStatus) -> None:
        self._add("drone", drone, status)

    def of(self, kind: str, name: str) -> list[tuple[Any, ...]]:
        with self._changed:
            return [c for c in self.calls if c[0] == kind and c[1] == name]

    def wait_for(self, check: Callable[[], Any], timeout: float = 3.0) -> Any:
        """Wait until check() returns something truthy; returns it (fails on timeout)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                result = check()
                if result:
                    return result
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out after {timeout} s; calls: {self.calls[-10:]}")
                self._changed.wait(min(left, 0.1))
