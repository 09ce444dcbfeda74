"""Broker URLs and paho-mqtt clients shared by the bridge and the simulators.

URL form: ``mqtt://[user[:password]@]host[:port][?protocol=5|3.1.1]`` (``mqtts://`` for TLS).

MQTT 5 is the default (Mosquitto). The embedded broker (amqtt 0.12) speaks only MQTT 3.1.1
and refuses an MQTT 5 CONNECT, so its URL carries ``?protocol=3.1.1`` and every client here
falls back to 3.1.1 for it: no session expiry interval, no message expiry on commands (the
command's ``expires_at`` field covers that), and a clean session (the demo broker keeps no
sessions worth resuming).
"""

from __future__ import annotations

import contextlib
import logging
import threading
from dataclasses import dataclass
from urllib.parse import parse_qs, urlparse

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

log = logging.getLogger(__name__)

MQTT_311_NAMES = frozenset({"3.1.1", "311", "3", "4"})


@dataclass(frozen=True, slots=True)
class BrokerAddress:
    host: str
    port: int
    mqtt5: bool = True
    tls: bool = False
    username: str | None = None
    password: str | None = None

    @property
    def protocol_name(self) -> str:
        return "MQTT 5" if self.mqtt5 else "MQTT 3.1.1"


def parse_url(url: str) -> BrokerAddress:
    """`mqtt://host:port?protocol=3.1.1` -> BrokerAddress; raises ValueError on other schemes."""
    parsed = urlparse(url)
    if parsed.scheme not in ("mqtt", "mqtts", "tcp"):
        raise ValueError(f"not an MQTT URL (mqtt://host:port expected): {url!r}")
    tls = parsed.scheme == "mqtts"
    protocol = parse_qs(parsed.query).get("protocol", ["5"])[0].strip().lower()
    return BrokerAddress(
        host=parsed.hostname or "127.0.0.1",
        port=parsed.port or (8883 if tls else 1883),
        mqtt5=protocol not in MQTT_311_NAMES,
        tls=tls,
        username=parsed.username,
        password=parsed.password,
    )


def make_client(
    address: BrokerAddress,
    client_id: str,
    *,
    persistent: bool = False,
) -> mqtt.Client:
    """A paho v2 client for `address`; `persistent` asks for a resumable session (MQTT 5:
    clean_start False with a session expiry interval set at connect; 3.1.1: ignored)."""
    protocol = mqtt.MQTTv5 if address.mqtt5 else mqtt.MQTTv311
    client = mqtt.Client(
        CallbackAPIVersion.VERSION2,
        client_id=client_id,
        protocol=protocol,
        clean_session=None if address.mqtt5 else True,
    )
    if address.username:
        client.username_pw_set(address.username, address.password)
    if address.tls:
        client.tls_set()
    client.reconnect_delay_set(min_delay=1, max_delay=15)
    return client


def connect_async(
    client: mqtt.Client,
    address: BrokerAddress,
    *,
    keepalive: int = 15,
    session_expiry: int | None = None,
) -> None:
    """Start connecting in the background (paho's loop thread reconnects on its own)."""
    if address.mqtt5:
        props = Properties(PacketTypes.CONNECT)  # type: ignore[no-untyped-call]
        if session_expiry:
            props.SessionExpiryInterval = session_expiry
        client.connect_async(
            address.host,
            address.port,
            keepalive=keepalive,
            clean_start=not session_expiry,
            properties=props,
        )
    else:
        client.connect_async(address.host, address.port, keepalive=keepalive)
    client.loop_start()


def publish_properties(
    address: BrokerAddress, *, expiry_seconds: float | None
) -> Properties | None:
    """MQTT 5 PUBLISH properties (message expiry); None for 3.1.1."""
    if not address.mqtt5 or expiry_seconds is None:
        return None
    props = Properties(PacketTypes.PUBLISH)  # type: ignore[no-untyped-call]
    props.MessageExpiryInterval = max(1, round(expiry_seconds))
    return props


def drop_connection(client: mqtt.Client) -> None:
    """Lose the connection without a DISCONNECT packet, as a crash or power cut would:
    the broker then publishes the client's last will."""
    sock = client.socket()
    client.loop_stop()
    if sock is not None:
        with contextlib.suppress(OSError):  # already gone
            sock.close()


def graceful_disconnect(client: mqtt.Client, address: BrokerAddress) -> None:
    """DISCONNECT (MQTT 5: ending the session now) and stop the loop thread."""
    try:
        if address.mqtt5:
            props = Properties(PacketTypes.DISCONNECT)  # type: ignore[no-untyped-call]
            props.SessionExpiryInterval = 0
            client.disconnect(properties=props)
        else:
            client.disconnect()
    finally:
        if threading.current_thread() is not getattr(client, "_thread", None):
            client.loop_stop()
