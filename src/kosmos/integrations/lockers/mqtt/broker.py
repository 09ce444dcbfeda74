"""An embedded MQTT broker (amqtt) so the demo runs without installing Mosquitto.

It runs in its own thread with its own asyncio loop, bound to 127.0.0.1 only. amqtt 0.12
speaks MQTT 3.1.1 only (it refuses an MQTT 5 CONNECT), so `url` ends in `?protocol=3.1.1`
and the clients in this package connect with 3.1.1 to it. Production uses a real broker
(Mosquitto, MQTT 5) through KOSMOS_MQTT_URL.

A quirk of amqtt 0.12.1: on every CONNECT it sends the new client each retained message that
matches *any* client's subscription (broker.py, "pre-existing session's subscriptions"). The
bridge and simulators therefore check every incoming topic against what they subscribed to.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
from types import TracebackType

log = logging.getLogger(__name__)


class BrokerStartError(RuntimeError):
    pass


class EmbeddedBroker:
    def __init__(self, host: str = "127.0.0.1", port: int = 1884) -> None:
        self.host, self.port = host, port
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._started = threading.Event()
        self._error: BaseException | None = None

    @property
    def url(self) -> str:
        return f"mqtt://{self.host}:{self.port}?protocol=3.1.1"

    def start(self, timeout: float = 10.0) -> str:
        """Start listening; returns the URL clients use. Raises BrokerStartError (e.g. the
        port is taken)."""
        if _port_taken(self.host, self.port):
            raise BrokerStartError(
                f"port {self.host}:{self.port} is in use; set KOSMOS_EMBEDDED_MQTT_PORT or point "
                "KOSMOS_MQTT_URL at a running broker"
            )
        for name in ("amqtt", "transitions"):  # both log every packet at INFO/DEBUG
            logging.getLogger(name).setLevel(logging.WARNING)
        self._thread = threading.Thread(target=self._run, name="embedded-mqtt", daemon=True)
        self._thread.start()
        if not self._started.wait(timeout):
            raise BrokerStartError(f"embedded MQTT broker did not start within {timeout:g} s")
        if self._error is not None:
            raise BrokerStartError(f"embedded MQTT broker failed: {self._error}") from self._error
        log.info("embedded MQTT broker (amqtt, MQTT 3.1.1) on %s:%s", self.host, self.port)
        return self.url

    def stop(self, timeout: float = 10.0) -> None:
        if self._loop is not None and self._stop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def __enter__(self) -> EmbeddedBroker:
        self.start()
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _exc: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self._serve())
        except BaseException as exc:  # noqa: BLE001 - reported to start()
            self._error = exc
        finally:
            self._started.set()
            loop.close()

    async def _serve(self) -> None:
        from amqtt.broker import Broker  # type: ignore[import-untyped]

        self._stop = asyncio.Event()
        broker = Broker(
            {
                "listeners": {"default": {"type": "tcp", "bind": f"{self.host}:{self.port}"}},
                "plugins": {
                    "amqtt.plugins.authentication.AnonymousAuthPlugin": {"allow_anonymous": True}
                },
            },
            loop=asyncio.get_running_loop(),
        )
        await broker.start()
        self._started.set()
        try:
            await self._stop.wait()
        finally:
            await broker.shutdown()


def _port_taken(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((host, port)) == 0


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on right now (for tests)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])
