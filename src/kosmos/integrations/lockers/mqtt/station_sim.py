"""A parcel-locker station simulator that behaves like the real thing on the wire.

It announces itself online (retained status, last will offline), adopts the retained config
Kosmos publishes (a default layout until then), acks "open" commands, opens the door and
closes it `close_after` seconds later (0: it stays open until `close()` is called), reports
temperatures per zone with a little noise and sends a heartbeat. `fail_open` refuses every
open (a jammed station); `mute` never answers. `kill()` drops the connection without a
DISCONNECT, so the broker publishes the last will, as with a power cut.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections import OrderedDict
from typing import Any

import paho.mqtt.client as mqtt
from pydantic import ValidationError

from kosmos.integrations.lockers.mqtt import connection
from kosmos.integrations.lockers.mqtt.protocol import (
    Ack,
    DoorEvent,
    Heartbeat,
    OpenCommand,
    StationConfig,
    Status,
    Temperature,
    default_layout,
    now,
    station_topic,
)

log = logging.getLogger(__name__)

NOMINAL_CELSIUS = {"ambient": 20.0, "chilled": 4.5, "frozen": -20.0}
NOISE_CELSIUS = {"ambient": 1.0, "chilled": 0.6, "frozen": 0.8}


class StationSimulator:
    def __init__(
        self,
        station: str,
        url: str,
        *,
        close_after: float = 3.0,
        temperature_interval: float = 10.0,
        heartbeat_interval: float = 30.0,
        fail_open: bool = False,
        mute: bool = False,
        seed: int | None = None,
    ) -> None:
        self.station = station
        self.address = connection.parse_url(url)
        self.close_after = close_after
        self.temperature_interval = temperature_interval
        self.heartbeat_interval = heartbeat_interval
        self.fail_open = fail_open
        self.mute = mute
        self.layout: StationConfig = default_layout()
        self.config_received = threading.Event()
        self._open: dict[int, str | None] = {}  # compartment -> request id that opened it
        self._answered: OrderedDict[str, Ack] = OrderedDict()  # QoS 1 redelivered commands
        self._lock = threading.RLock()
        self._random = random.Random(seed)  # noqa: S311 - noise, not secrets
        self._started_at = time.monotonic()
        self._stopping = threading.Event()
        self._ready = threading.Event()
        self._subscribe_mid: int | None = None
        self._ticker: threading.Thread | None = None
        self._timers: list[threading.Timer] = []
        self._client = connection.make_client(self.address, f"kosmos-station-{station}")
        self._client.will_set(
            self._topic("status"), Status(online=False).to_bytes(), qos=1, retain=True
        )
        self._client.on_connect = self._on_connect
        self._client.on_subscribe = self._on_subscribe
        self._client.on_disconnect = self._on_disconnect
        self._client.on_message = self._on_message

    # --- lifecycle -------------------------------------------------------------------------

    def start(self, wait: float = 5.0) -> StationSimulator:
        """Connect, subscribe, announce online; returns once subscribed (or after `wait`)."""
        connection.connect_async(self._client, self.address)
        if not self._ready.wait(wait):
            log.warning(
                "station %s: broker %s:%s not reachable yet, retrying",
                self.station,
                self.address.host,
                self.address.port,
            )
        self._ticker = threading.Thread(
            target=self._tick, name=f"station-{self.station}", daemon=True
        )
        self._ticker.start()
        return self

    def wait_ready(self, timeout: float) -> bool:
        return self._ready.wait(timeout)

    def stop(self) -> None:
        """A clean shutdown: publish offline (retained), then disconnect."""
        connected = self._ready.is_set()
        self._halt()
        if connected:
            info = self._client.publish(
                self._topic("status"), Status(online=False, at=now()).to_bytes(), qos=1, retain=True
            )
            info.wait_for_publish(2.0)
        connection.graceful_disconnect(self._client, self.address)

    def kill(self) -> None:
        """Vanish without a DISCONNECT: the broker publishes the last will (offline)."""
        self._halt()
        connection.drop_connection(self._client)

    def _halt(self) -> None:
        self._stopping.set()
        with self._lock:
            for timer in self._timers:
                timer.cancel()
        self._ready.clear()

    # --- doors -----------------------------------------------------------------------------

    @property
    def open_doors(self) -> list[int]:
        with self._lock:
            return sorted(self._open)

    def close(self, compartment: int) -> None:
        """Someone shut the door (for close_after=0)."""
        with self._lock:
            if compartment not in self._open:
                return
            request_id = self._open.pop(compartment)
        log.info("station %s: door %d closed", self.station, compartment)
        self._publish_event(
            DoorEvent(compartment=compartment, state="closed", request_id=request_id)
        )

    def _handle_open(self, command: OpenCommand) -> None:
        if self.mute:
            log.info("station %s (muted) ignores %s", self.station, command.request_id)
            return
        with self._lock:
            previous = self._answered.get(command.request_id)
            if previous is not None:  # a redelivered command: same answer, nothing re-opened
                self._send_ack(previous)
                return
            ack, opened = self._decide(command)
            self._answered[command.request_id] = ack
            while len(self._answered) > 256:
                self._answered.popitem(last=False)
            if opened:
                self._open[command.compartment] = command.request_id
        self._send_ack(ack)
        log.info(
            "station %s: open %d -> %s",
            self.station,
            command.compartment,
            "opened" if opened else "already open" if ack.ok else f"refused ({ack.reason})",
        )
        if opened:
            self._publish_event(
                DoorEvent(
                    compartment=command.compartment, state="open", request_id=command.request_id
                )
            )
            if self.close_after > 0:
                timer = threading.Timer(self.close_after, self.close, args=(command.compartment,))
                timer.daemon = True
                with self._lock:
                    self._timers = [t for t in self._timers if t.is_alive()] + [timer]
                timer.start()

    def _decide(self, command: OpenCommand) -> tuple[Ack, bool]:
        def refuse(reason: str) -> tuple[Ack, bool]:
            return Ack(request_id=command.request_id, ok=False, reason=reason), False

        if command.expires_at is not None and now() > command.expires_at:
            return refuse("expired")
        if self.fail_open:
            return refuse("door jammed")
        if command.compartment not in {c.number for c in self.layout.compartments}:
            return refuse(f"no compartment {command.compartment}")
        if command.compartment in self._open:  # opening an open door is no error
            return Ack(request_id=command.request_id, ok=True), False
        return Ack(request_id=command.request_id, ok=True), True

    # --- periodic --------------------------------------------------------------------------

    def _tick(self) -> None:
        # The first reading waits one interval, so the retained config is adopted by then.
        next_heartbeat = time.monotonic()
        next_temperature = next_heartbeat + self.temperature_interval
        while not self._stopping.is_set():
            moment = time.monotonic()
            if self._ready.is_set():
                if self.temperature_interval > 0 and moment >= next_temperature:
                    self.report_temperatures()
                    next_temperature = moment + self.temperature_interval
                if self.heartbeat_interval > 0 and moment >= next_heartbeat:
                    self._heartbeat()
                    next_heartbeat = moment + self.heartbeat_interval
            waits = [i for i in (self.temperature_interval, self.heartbeat_interval) if i > 0]
            self._stopping.wait(min([0.5, *waits]) / 2)

    def report_temperatures(self) -> None:
        zones = sorted({c.zone for c in self.layout.compartments})
        for zone in zones:
            celsius = NOMINAL_CELSIUS[zone] + self._random.uniform(-1, 1) * NOISE_CELSIUS[zone]
            self._publish_event(Temperature(zone=zone, celsius=round(celsius, 2)))

    def _heartbeat(self) -> None:
        beat = Heartbeat(
            uptime_seconds=round(time.monotonic() - self._started_at, 1), open_doors=self.open_doors
        )
        self._client.publish(self._topic("heartbeat"), beat.to_bytes(), qos=0)

    # --- MQTT ------------------------------------------------------------------------------

    def _topic(self, leaf: str) -> str:
        return station_topic(self.station, leaf)

    def _publish_event(self, event: DoorEvent | Temperature) -> None:
        self._client.publish(self._topic("events"), event.to_bytes(), qos=1)

    def _send_ack(self, ack: Ack) -> None:
        self._client.publish(self._topic("ack"), ack.to_bytes(), qos=1)

    def _on_connect(
        self, client: mqtt.Client, _userdata: Any, _flags: Any, reason: Any, _props: Any
    ) -> None:
        if reason.is_failure:
            log.warning("station %s: broker refused the connection: %s", self.station, reason)
            return
        _result, self._subscribe_mid = client.subscribe(
            [(self._topic("cmd"), 1), (self._topic("config"), 1)]
        )

    def _on_subscribe(
        self, client: mqtt.Client, _userdata: Any, mid: int, _reasons: Any, _props: Any
    ) -> None:
        # "online" only once the broker has the command subscription: a command sent on
        # seeing "online" would otherwise be dropped if it reached the broker first
        if mid == self._subscribe_mid:
            client.publish(
                self._topic("status"), Status(online=True, at=now()).to_bytes(), qos=1, retain=True
            )
            self._ready.set()

    def _on_disconnect(
        self, _client: mqtt.Client, _userdata: Any, _flags: Any, _reason: Any, _props: Any
    ) -> None:
        self._ready.clear()

    def _on_message(self, _client: mqtt.Client, _userdata: Any, msg: mqtt.MQTTMessage) -> None:
        try:
            if msg.topic == self._topic("cmd"):
                self._handle_open(OpenCommand.model_validate_json(msg.payload))
            elif msg.topic == self._topic("config") and msg.payload:  # empty: cleared
                self.layout = StationConfig.model_validate_json(msg.payload)
                self.config_received.set()
                log.info(
                    "station %s adopted a layout of %d compartments",
                    self.station,
                    len(self.layout.compartments),
                )
        except ValidationError as exc:
            log.warning("station %s: malformed message on %s: %s", self.station, msg.topic, exc)
        except Exception:
            log.exception("station %s failed on %s", self.station, msg.topic)
