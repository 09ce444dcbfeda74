"""A delivery-drone simulator: takes a mission, flies it and reports each step.

On a mission it takes off at the mission's `from` and publishes launched -> en_route (several
positions) -> delivered -> returning -> landed, then idle. A round trip takes
`flight_seconds / speed` seconds (tests use a high speed). One mission at a time; a mission
that arrives while flying waits its turn.
"""

from __future__ import annotations

import logging
import queue
import threading
from typing import Any

import paho.mqtt.client as mqtt
from pydantic import ValidationError

from kosmos.integrations.lockers.mqtt import connection
from kosmos.integrations.lockers.mqtt.protocol import (
    DroneState,
    DroneStatus,
    Mission,
    Position,
    drone_topic,
)

log = logging.getLogger(__name__)

HOME = Position(lat=52.5200, lon=13.4050)


class DroneSimulator:
    def __init__(
        self,
        drone: str,
        url: str,
        *,
        speed: float = 1.0,
        flight_seconds: float = 20.0,
        en_route_steps: int = 4,
        home: Position = HOME,
    ) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.drone = drone
        self.address = connection.parse_url(url)
        self.speed = speed
        self.flight_seconds = flight_seconds
        self.en_route_steps = max(1, en_route_steps)
        self.position = home
        self.battery = 100.0
        self.state: DroneState = "idle"
        self._missions: queue.Queue[Mission | None] = queue.Queue()
        self._stopping = threading.Event()
        self._ready = threading.Event()
        self._subscribe_mid: int | None = None
        self._worker: threading.Thread | None = None
        self._client = connection.make_client(self.address, f"kosmos-drone-{drone}")
        self._client.on_connect = self._on_connect
        self._client.on_subscribe = self._on_subscribe
        self._client.on_disconnect = lambda *_args: self._ready.clear()
        self._client.on_message = self._on_message

    def start(self, wait: float = 5.0) -> DroneSimulator:
        connection.connect_async(self._client, self.address)
        if not self._ready.wait(wait):
            log.warning("drone %s: broker not reachable yet, retrying", self.drone)
        self._worker = threading.Thread(target=self._fly, name=f"drone-{self.drone}", daemon=True)
        self._worker.start()
        return self

    def wait_ready(self, timeout: float) -> bool:
        return self._ready.wait(timeout)

    def stop(self) -> None:
        self._stopping.set()
        self._missions.put(None)
        connection.graceful_disconnect(self._client, self.address)

    # --- flying ----------------------------------------------------------------------------

    def _fly(self) -> None:
        while not self._stopping.is_set():
            mission = self._missions.get()
            if mission is None:
                return
            try:
                self._fly_mission(mission)
            except _Stopped:
                return

    def _fly_mission(self, mission: Mission) -> None:
        start, target = mission.origin, mission.destination
        self.position = start
        leg = self.flight_seconds / 2  # there and back, at nominal speed
        step = leg / (self.en_route_steps + 1)
        ref = mission.order_ref
        self._report("launched", ref, eta=leg)
        self._sleep(step)
        for i in range(1, self.en_route_steps + 1):
            self.position = _between(start, target, i / (self.en_route_steps + 1))
            self.battery -= 3.0
            self._report("en_route", ref, eta=leg - i * step)
            self._sleep(step)
        self.position = target
        self._report("delivered", ref, eta=0.0)
        self._sleep(step)
        self.position = _between(target, start, 0.5)
        self.battery -= 6.0
        self._report("returning", ref, eta=leg / 2)
        self._sleep(leg / 2)
        self.position = start
        self._report("landed", ref, eta=0.0)
        self.battery = 100.0  # swapped on landing
        self._report("idle", None)

    def _sleep(self, nominal_seconds: float) -> None:
        if self._stopping.wait(nominal_seconds / self.speed):
            raise _Stopped

    def _report(self, state: DroneState, order_ref: str | None, eta: float | None = None) -> None:
        self.state = state
        log.info("drone %s: %s", self.drone, state)
        status = DroneStatus(
            state=state,
            position=self.position,
            battery=max(0.0, round(self.battery, 1)),
            eta_seconds=None if eta is None else round(eta / self.speed, 2),
            order_ref=order_ref,
        )
        self._client.publish(drone_topic(self.drone, "status"), status.to_bytes(), qos=1)

    # --- MQTT ------------------------------------------------------------------------------

    def _on_connect(
        self, client: mqtt.Client, _userdata: Any, _flags: Any, reason: Any, _props: Any
    ) -> None:
        if reason.is_failure:
            log.warning("drone %s: broker refused the connection: %s", self.drone, reason)
            return
        _result, self._subscribe_mid = client.subscribe([(drone_topic(self.drone, "cmd"), 1)])

    def _on_subscribe(
        self, _client: mqtt.Client, _userdata: Any, mid: int, _reasons: Any, _props: Any
    ) -> None:
        if mid == self._subscribe_mid:
            self._ready.set()
            if self.state == "idle":
                self._report("idle", None)

    def _on_message(self, _client: mqtt.Client, _userdata: Any, msg: mqtt.MQTTMessage) -> None:
        if msg.topic != drone_topic(self.drone, "cmd"):
            log.warning("drone %s: unexpected message on %s", self.drone, msg.topic)
            return
        try:
            self._missions.put(Mission.model_validate_json(msg.payload))
        except ValidationError as exc:
            log.warning("drone %s: malformed mission: %s", self.drone, exc)


class _Stopped(Exception):
    pass


def _between(a: Position, b: Position, fraction: float) -> Position:
    fraction = min(1.0, max(0.0, fraction))
    lat = a.lat + (b.lat - a.lat) * fraction
    lon = a.lon + (b.lon - a.lon) * fraction
    return Position(lat=round(lat, 6), lon=round(lon, 6))
