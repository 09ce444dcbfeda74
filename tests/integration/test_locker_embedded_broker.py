"""The embedded broker (amqtt, MQTT 3.1.1) carries the whole locker protocol, so `make run`
works without Mosquitto; `kosmos serve` starts it and hands its URL on."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from tests.locker_support import Recorder, unique

from kosmos import config
from kosmos.integrations.lockers.mqtt import Bridge, StationNotAnswering
from kosmos.integrations.lockers.mqtt.broker import BrokerStartError, EmbeddedBroker, free_port
from kosmos.integrations.lockers.mqtt.connection import parse_url
from kosmos.integrations.lockers.mqtt.drone_sim import DroneSimulator
from kosmos.integrations.lockers.mqtt.station_sim import StationSimulator


@pytest.fixture
def embedded() -> Iterator[EmbeddedBroker]:
    with EmbeddedBroker(port=free_port()) as broker:
        yield broker


def test_bridge_and_simulators_work_over_the_embedded_broker(embedded: EmbeddedBroker) -> None:
    assert parse_url(embedded.url).mqtt5 is False  # amqtt speaks MQTT 3.1.1 only
    recorder = Recorder()
    bridge = Bridge(embedded.url, recorder, client_id=unique("test-bridge")).start(wait=5)
    station = StationSimulator(
        unique("st"), embedded.url, close_after=0.1, temperature_interval=0.2
    )
    muted = StationSimulator(unique("st"), embedded.url, mute=True, temperature_interval=0)
    drone = DroneSimulator(unique("drone"), embedded.url, speed=50, flight_seconds=5)
    try:
        station.start(wait=5)
        muted.start(wait=5)
        drone.start(wait=5)
        request_id = bridge.open_compartment(station.station, 1, timeout=3)
        recorder.wait_for(lambda: len(recorder.of("door", station.station)) == 2)
        assert {c[5] for c in recorder.of("door", station.station)} == {request_id}
        recorder.wait_for(lambda: recorder.of("temperature", station.station))
        with pytest.raises(StationNotAnswering):
            bridge.open_compartment(muted.station, 1, timeout=0.3)

        bridge.send_drone_mission(
            drone.drone, order_ref="ORD-2", origin=(52.5, 13.4), destination=(52.51, 13.41)
        )
        recorder.wait_for(
            lambda: any(c[2].state == "landed" for c in recorder.of("drone", drone.drone))
        )

        station.kill()  # the last will works on amqtt too
        recorder.wait_for(
            lambda: [c for c in recorder.of("status", station.station) if c[2] is False]
        )
    finally:
        muted.stop()
        drone.stop()
        bridge.stop()


def test_a_taken_port_is_a_clear_error(embedded: EmbeddedBroker) -> None:
    with pytest.raises(BrokerStartError, match="in use"):
        EmbeddedBroker(port=embedded.port).start()


def test_serve_starts_the_embedded_broker_and_exports_its_url(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from kosmos.cli import _start_embedded_mqtt

    port = free_port()
    monkeypatch.delenv("KOSMOS_MQTT_URL", raising=False)
    monkeypatch.setenv("KOSMOS_EMBEDDED_MQTT_PORT", str(port))
    config._from_environment.cache_clear()
    broker = _start_embedded_mqtt()
    try:
        assert broker is not None
        assert os.environ["KOSMOS_MQTT_URL"] == f"mqtt://127.0.0.1:{port}?protocol=3.1.1"
        assert config.get_settings().mqtt_url == os.environ["KOSMOS_MQTT_URL"]
    finally:
        if broker is not None:
            broker.stop()
        monkeypatch.undo()
        config._from_environment.cache_clear()


def test_serve_uses_a_configured_broker_instead(monkeypatch: pytest.MonkeyPatch) -> None:
    from kosmos.cli import _start_embedded_mqtt

    monkeypatch.setenv("KOSMOS_MQTT_URL", "mqtt://127.0.0.1:1883")
    config._from_environment.cache_clear()
    try:
        assert _start_embedded_mqtt() is None
    finally:
        monkeypatch.undo()
        config._from_environment.cache_clear()
