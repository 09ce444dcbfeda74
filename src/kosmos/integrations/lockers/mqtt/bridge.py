"""The Kosmos side of the locker protocol: station and drone messages in, commands out.

One Bridge per server process. It holds one MQTT connection (MQTT 5: clean_start False with a
session expiry, so a network blip loses no QoS 1 event; paho reconnects on its own), parses
what stations and drones publish and calls a `StationEvents` handler on the network thread.
It has no DB code: the domain's handler writes and de-duplicates on `event_id`.

Several server processes may run at once: each has its own client id and hears every ack;
`open_compartment` matches the ack by its request id and ignores the others.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections import OrderedDict
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import paho.mqtt.client as mqtt
from pydantic import ValidationError

from kosmos.integrations.lockers.mqtt import connection
from kosmos.integrations.lockers.mqtt.errors import (
    BrokerUnavailable,
    StationNotAnswering,
    StationOffline,
    StationRefused,
)
from kosmos.integrations.lockers.mqtt.handler import StationEvents
from kosmos.integrations.lockers.mqtt.protocol import (
    Ack,
    Compartment,
    DoorEvent,
    DroneStatus,
    Heartbeat,
    Mission,
    OpenCommand,
    Position,
    StationConfig,
    Status,
    Temperature,
    drone_topic,
    now,
    split_topic,
    station_event,
    station_topic,
)

if TYPE_CHECKING:
    from kosmos.config import Settings

log = logging.getLogger(__name__)

SUBSCRIPTIONS = (
    "kosmos/lockers/+/ack",
    "kosmos/lockers/+/events",
    "kosmos/lockers/+/status",
    "kosmos/lockers/+/heartbeat",
    "kosmos/drones/+/status",
)


def default_client_id() -> str:
    """Stable for the life of this process, distinct between processes and hosts."""
    return f"kosmos-{socket.gethostname()[:16]}-{os.getpid()}"


class _Pending:
    __slots__ = ("ack", "done")

    def __init__(self) -> None:
        self.done = threading.Event()
        self.ack: Ack | None = None


class Bridge:
    def __init__(
        self,
        url: str,
        handler: StationEvents,
        *,
        client_id: str | None = None,
        session_expiry: int = 300,
        dedupe_size: int = 4096,
    ) -> None:
        self.address = connection.parse_url(url)
        self.handler = handler
        self.client_id = client_id or default_client_id()
        self._session_expiry = session_expiry if self.address.mqtt5 else None
        self._client = connection.make_client(self.address, self.client_id)
        self._client.on_connect = self._on_connect
        self._client.on_subscribe = self._on_subscribe
        self._client.on_disconnect = self._on_disconnect
        self._client.on_message = self._on_message
        self._ready = threading.Event()
        self._subscribe_mid: int | None = None
        self._network_thread: int | None = None
        self._lock = threading.Lock()
        self._pending: dict[str, _Pending] = {}
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._dedupe_size = dedupe_size
        self._online: dict[str, bool] = {}
        self._last_seen: dict[str, datetime] = {}

    # --- lifecycle -----------------------------------------------------------------------

    def start(self, wait: float = 5.0) -> Bridge:
        """Connect and subscribe; waits up to `wait` seconds for the subscriptions, then
        returns either way (a missing broker is logged and retried in the background)."""
        connection.connect_async(self._client, self.address, session_expiry=self._session_expiry)
        if not self.wait_ready(wait):
            log.warning(
                "MQTT broker %s:%s not reachable yet; the locker bridge keeps retrying",
                self.address.host,
                self.address.port,
            )
        return self

    def wait_ready(self, timeout: float) -> bool:
        return self._ready.wait(timeout)

    @property
    def connected(self) -> bool:
        return self._ready.is_set()

    def stop(self) -> None:
        """Disconnect (ending the broker session) and stop the network thread."""
        self._ready.clear()
        connection.graceful_disconnect(self._client, self.address)

    # --- what the bridge knows -------------------------------------------------------------

    def station_online(self, station: str) -> bool | None:
        """The station's last status (retained on the broker); None if never heard of."""
        return self._online.get(station)

    def last_seen(self, station: str) -> datetime | None:
        """When the station last published anything (its own clock)."""
        return self._last_seen.get(station)

    # --- commands ------------------------------------------------------------------------

    def open_compartment(self, station: str, compartment: int, *, timeout: float = 5.0) -> str:
        """Open a compartment and wait for the station's ack; returns the request id.

        Raises StationRefused (ok=false), StationNotAnswering (no ack within `timeout`;
        the command expires with it, so nothing opens later), StationOffline (known
        offline, nothing sent) or BrokerUnavailable (not connected, nothing sent).
        """
        self._refuse_on_network_thread("open_compartment")
        command = OpenCommand(
            compartment=compartment, expires_at=now() + timedelta(seconds=timeout)
        )
        request_id = command.request_id
        if not self.connected:
            raise BrokerUnavailable(f"not connected to the MQTT broker; {station!r} not asked")
        if self._online.get(station) is False:
            raise StationOffline(station, request_id)
        pending = _Pending()
        with self._lock:
            self._pending[request_id] = pending
        try:
            info = self._client.publish(
                station_topic(station, "cmd"),
                command.to_bytes(),
                qos=1,
                properties=connection.publish_properties(self.address, expiry_seconds=timeout),
            )
            if info.rc != mqtt.MQTT_ERR_SUCCESS:
                raise BrokerUnavailable(
                    f"could not send to {station!r}: {mqtt.error_string(info.rc)}"
                )
            if not pending.done.wait(timeout):
                raise StationNotAnswering(station, request_id, timeout)
        finally:
            with self._lock:
                self._pending.pop(request_id, None)
        assert pending.ack is not None
        if not pending.ack.ok:
            raise StationRefused(station, request_id, pending.ack.reason)
        return request_id

    def publish_config(
        self, station: str, layout: StationConfig | Iterable[Compartment], *, timeout: float = 5.0
    ) -> None:
        """Publish the station's layout, retained, so the station adopts it whenever it
        (re)connects."""
        config = (
            layout
            if isinstance(layout, StationConfig)
            else StationConfig(compartments=list(layout))
        )
        self._publish(
            station_topic(station, "config"), config.to_bytes(), retain=True, timeout=timeout
        )

    def forget_station(self, station: str, *, timeout: float = 5.0) -> None:
        """Clear the station's retained config and status (a decommissioned station)."""
        for leaf in ("config", "status"):
            self._publish(station_topic(station, leaf), b"", retain=True, timeout=timeout)
        self._online.pop(station, None)
        self._last_seen.pop(station, None)

    def send_drone_mission(
        self,
        drone: str,
        *,
        order_ref: str,
        origin: Position | tuple[float, float],
        destination: Position | tuple[float, float],
        timeout: float = 5.0,
    ) -> str:
        """Send a mission; the drone's progress arrives as `StationEvents.drone` calls.
        Returns the mission's request id."""
        mission = Mission.model_validate(
            {"order_ref": order_ref, "from": _position(origin), "to": _position(destination)}
        )
        self._publish(drone_topic(drone, "cmd"), mission.to_bytes(), retain=False, timeout=timeout)
        return mission.request_id

    def _publish(self, topic: str, payload: bytes, *, retain: bool, timeout: float) -> None:
        if not self.connected:
            raise BrokerUnavailable(f"not connected to the MQTT broker; {topic} not published")
        info = self._client.publish(topic, payload, qos=1, retain=retain)
        if info.rc != mqtt.MQTT_ERR_SUCCESS:
            raise BrokerUnavailable(f"could not publish {topic}: {mqtt.error_string(info.rc)}")
        if threading.get_ident() == self._network_thread:
            return  # waiting for PUBACK here would block the thread that receives it
        try:
            info.wait_for_publish(timeout)
        except (RuntimeError, ValueError) as exc:
            raise BrokerUnavailable(f"could not publish {topic}: {exc}") from exc
        if not info.is_published():
            raise BrokerUnavailable(f"broker did not confirm {topic} within {timeout:g} s")

    def _refuse_on_network_thread(self, what: str) -> None:
        if threading.get_ident() == self._network_thread:
            raise RuntimeError(
                f"{what} waits for the MQTT network thread; call it from another thread, "
                "not from a StationEvents handler"
            )

    # --- paho callbacks (network thread) ----------------------------------------------------

    def _on_connect(
        self, client: mqtt.Client, _userdata: Any, _flags: Any, reason: Any, _props: Any
    ) -> None:
        self._network_thread = threading.get_ident()
        if reason.is_failure:
            log.warning("MQTT broker refused the locker bridge: %s", reason)
            return
        log.info(
            "locker bridge connected to %s:%s (%s)",
            self.address.host,
            self.address.port,
            self.address.protocol_name,
        )
        _result, self._subscribe_mid = client.subscribe([(topic, 1) for topic in SUBSCRIPTIONS])

    def _on_subscribe(
        self, _client: mqtt.Client, _userdata: Any, mid: int, reasons: Any, _props: Any
    ) -> None:
        if mid != self._subscribe_mid:
            return
        failed = [r for r in reasons if r.is_failure]
        if failed:
            log.error("MQTT broker refused locker subscriptions: %s", failed)
            return
        self._ready.set()

    def _on_disconnect(
        self, _client: mqtt.Client, _userdata: Any, _flags: Any, reason: Any, _props: Any
    ) -> None:
        self._ready.clear()
        if reason.is_failure:
            log.warning("locker bridge lost the MQTT broker (%s); reconnecting", reason)

    def _on_message(self, _client: mqtt.Client, _userdata: Any, msg: mqtt.MQTTMessage) -> None:
        self._network_thread = threading.get_ident()
        parts = split_topic(msg.topic)
        if parts is None or not msg.payload:
            return  # not ours, or a cleared retained message
        kind, name, leaf = parts
        try:
            if kind == "lockers":
                self._station_message(name, leaf, bytes(msg.payload))
            elif leaf == "status":
                self._drone_status(name, bytes(msg.payload))
        except ValidationError as exc:
            log.warning("ignoring malformed message on %s: %s", msg.topic, exc.errors()[:3])
        except Exception:
            log.exception("locker handler failed on %s", msg.topic)

    def _station_message(self, station: str, leaf: str, payload: bytes) -> None:
        if leaf == "ack":
            ack = Ack.model_validate_json(payload)
            with self._lock:
                pending = self._pending.get(ack.request_id)
            if pending is not None:  # else another process's request, or given up on
                pending.ack = ack
                pending.done.set()
        elif leaf == "events":
            event = station_event.validate_json(payload)
            self._last_seen[station] = event.at
            self._once(event.event_id, lambda: self._dispatch_event(station, event))
        elif leaf == "heartbeat":
            self._last_seen[station] = Heartbeat.model_validate_json(payload).at
        elif leaf == "status":
            status = Status.model_validate_json(payload)
            self._online[station] = status.online
            self.handler.status(station, status.online, status.at or now())

    def _dispatch_event(self, station: str, event: DoorEvent | Temperature) -> None:
        if isinstance(event, DoorEvent):
            self.handler.door(
                station, event.compartment, event.state, event.event_id, event.request_id, event.at
            )
        else:
            self.handler.temperature(station, event.zone, event.celsius, event.at)

    def _drone_status(self, drone: str, payload: bytes) -> None:
        status = DroneStatus.model_validate_json(payload)
        self._once(status.event_id, lambda: self.handler.drone(drone, status))

    def _once(self, event_id: str, call: Any) -> None:
        """Drop an event id seen moments ago (QoS 1 redelivery); the domain's unique
        constraint is the real guard. A failed call is forgotten so a redelivery retries."""
        with self._lock:
            if event_id in self._seen:
                self._seen.move_to_end(event_id)
                return
            self._seen[event_id] = None
            while len(self._seen) > self._dedupe_size:
                self._seen.popitem(last=False)
        try:
            call()
        except Exception:
            with self._lock:
                self._seen.pop(event_id, None)
            raise


def _position(value: Position | tuple[float, float]) -> Position:
    return value if isinstance(value, Position) else Position(lat=value[0], lon=value[1])


def start(settings: Settings, handler: StationEvents, *, wait: float = 5.0) -> Bridge | None:
    """Start the process's bridge (app lifespan); None when no broker is configured
    (`KOSMOS_MQTT_URL` unset: `kosmos serve` sets it to the embedded broker)."""
    if not settings.mqtt_url:
        log.info("KOSMOS_MQTT_URL not set: parcel lockers are not connected")
        return None
    return Bridge(settings.mqtt_url, handler).start(wait=wait)
