"""Locker stations and drones over a real broker: the bridge against the simulators.

Runs against KOSMOS_TEST_MQTT_URL (Mosquitto, MQTT 5, under CI) or the embedded broker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from tests.locker_support import Recorder, unique

from kosmos.integrations.lockers.mqtt import (
    Bridge,
    Compartment,
    StationNotAnswering,
    StationOffline,
    StationRefused,
    connection,
)
from kosmos.integrations.lockers.mqtt.drone_sim import DroneSimulator
from kosmos.integrations.lockers.mqtt.protocol import DoorEvent, in_band, station_topic
from kosmos.integrations.lockers.mqtt.station_sim import StationSimulator

StationFactory = Callable[..., StationSimulator]


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def bridge(mqtt_url: str, recorder: Recorder) -> Iterator[Bridge]:
    b = Bridge(mqtt_url, recorder, client_id=unique("test-bridge")).start(wait=5)
    assert b.connected
    yield b
    b.stop()


@pytest.fixture
def station(mqtt_url: str, bridge: Bridge) -> Iterator[StationFactory]:
    """station(**options) -> a started simulator with a fresh id; stopped and its retained
    topics cleared afterwards."""
    made: list[StationSimulator] = []

    def make(**options: object) -> StationSimulator:
        options.setdefault("temperature_interval", 0)
        options.setdefault("heartbeat_interval", 0)
        sim = StationSimulator(unique("st"), mqtt_url, **options)  # type: ignore[arg-type]
        made.append(sim)
        assert sim.start(wait=5).wait_ready(0)
        return sim

    yield make
    for sim in made:
        sim.stop()
        bridge.forget_station(sim.station)


def test_open_is_acked_and_the_door_opens_then_closes(
    station: StationFactory, bridge: Bridge, recorder: Recorder
) -> None:
    sim = station(close_after=0.2)

    request_id = bridge.open_compartment(sim.station, 3, timeout=3)

    doors = recorder.wait_for(
        lambda: len(recorder.of("door", sim.station)) >= 2 and recorder.of("door", sim.station)
    )
    assert [(c[2], c[3], c[5]) for c in doors] == [
        (3, "open", request_id),
        (3, "closed", request_id),
    ]
    assert doors[0][4] != doors[1][4]  # distinct event ids
    assert doors[0][6].tzinfo is not None
    assert recorder.of("status", sim.station)[0][2] is True
    assert bridge.station_online(sim.station) is True


def test_a_door_left_open_stays_open_until_closed(
    station: StationFactory, bridge: Bridge, recorder: Recorder
) -> None:
    sim = station(close_after=0)
    bridge.open_compartment(sim.station, 1, timeout=3)
    recorder.wait_for(lambda: recorder.of("door", sim.station))
    assert sim.open_doors == [1]
    bridge.open_compartment(sim.station, 1, timeout=3)  # pressed again: still open, no error
    assert sim.open_doors == [1] and len(recorder.of("door", sim.station)) == 1

    sim.close(1)
    recorder.wait_for(lambda: len(recorder.of("door", sim.station)) == 2)
    assert recorder.of("door", sim.station)[-1][3] == "closed"


def test_a_jammed_station_refuses(
    station: StationFactory, bridge: Bridge, recorder: Recorder
) -> None:
    sim = station(fail_open=True)
    with pytest.raises(StationRefused, match="door jammed"):
        bridge.open_compartment(sim.station, 2, timeout=3)
    time.sleep(0.2)
    assert recorder.of("door", sim.station) == []


def test_a_muted_station_makes_open_fail_within_the_timeout(
    station: StationFactory, bridge: Bridge, recorder: Recorder
) -> None:
    sim = station(mute=True)
    started = time.monotonic()
    with pytest.raises(StationNotAnswering, match="did not answer within 0.5 s"):
        bridge.open_compartment(sim.station, 2, timeout=0.5)
    # a muted station never answers: the bound only tells "gave up" from "kept waiting"
    # (speed is for benchmarks; a tight bound fails on a loaded CI machine)
    assert time.monotonic() - started < 10
    assert sim.open_doors == []
    assert recorder.of("door", sim.station) == []


def test_a_duplicate_event_reaches_the_handler_once(
    mqtt_url: str, bridge: Bridge, recorder: Recorder
) -> None:
    name = unique("st")
    address = connection.parse_url(mqtt_url)
    client = connection.make_client(address, unique("test-pub"))
    connection.connect_async(client, address)
    deadline = time.monotonic() + 5
    while not client.is_connected() and time.monotonic() < deadline:
        time.sleep(0.02)
    event = DoorEvent(compartment=4, state="open")
    other = DoorEvent(compartment=4, state="closed")
    try:
        for payload in (event, event, other):  # a QoS 1 redelivery repeats the event id
            info = client.publish(station_topic(name, "events"), payload.to_bytes(), qos=1)
            info.wait_for_publish(3)
    finally:
        connection.graceful_disconnect(client, address)

    recorder.wait_for(lambda: len(recorder.of("door", name)) >= 2)
    time.sleep(0.2)
    assert [c[4] for c in recorder.of("door", name)] == [event.event_id, other.event_id]


def test_two_server_processes_each_get_their_own_ack(
    mqtt_url: str, station: StationFactory, bridge: Bridge
) -> None:
    other = Bridge(mqtt_url, Recorder(), client_id=unique("test-bridge")).start(wait=5)
    sim = station(close_after=0)
    try:
        first = bridge.open_compartment(sim.station, 1, timeout=3)
        second = other.open_compartment(sim.station, 2, timeout=3)
    finally:
        other.stop()
    assert first != second
    assert sim.open_doors == [1, 2]


def test_a_killed_station_goes_offline_by_its_last_will(
    station: StationFactory, bridge: Bridge, recorder: Recorder
) -> None:
    sim = station()
    recorder.wait_for(lambda: recorder.of("status", sim.station))

    sim.kill()

    recorder.wait_for(lambda: [c for c in recorder.of("status", sim.station) if c[2] is False])
    assert bridge.station_online(sim.station) is False
    with pytest.raises(StationOffline, match="offline"):
        bridge.open_compartment(sim.station, 1, timeout=3)


def test_the_sim_command_killed_with_sigkill_goes_offline(
    mqtt_url: str, bridge: Bridge, recorder: Recorder
) -> None:
    name = unique("st")
    proc = subprocess.Popen(
        [sys.executable, "-m", "kosmos.cli", "sim", "locker", "--station", name, "--url", mqtt_url],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        recorder.wait_for(lambda: recorder.of("status", name), timeout=15)
        assert bridge.open_compartment(name, 1, timeout=3)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(5)
        recorder.wait_for(lambda: [c for c in recorder.of("status", name) if c[2] is False])
    finally:
        if proc.poll() is None:
            proc.kill()
        bridge.forget_station(name)


def test_temperatures_arrive_for_every_zone(station: StationFactory, recorder: Recorder) -> None:
    sim = station(temperature_interval=0.2)
    readings = recorder.wait_for(
        lambda: (
            len(recorder.of("temperature", sim.station)) >= 6
            and recorder.of("temperature", sim.station)
        )
    )
    assert {r[2] for r in readings} == {"ambient", "chilled", "frozen"}
    assert all(in_band(r[2], r[3]) for r in readings)


def test_the_station_adopts_the_retained_config(
    mqtt_url: str, bridge: Bridge, recorder: Recorder
) -> None:
    name = unique("st")
    layout = [Compartment(number=1, size="L", zone="frozen"), Compartment(number=2, size="S")]
    bridge.publish_config(name, layout)  # before the station is even up: retained
    sim = StationSimulator(name, mqtt_url, temperature_interval=0.2, heartbeat_interval=0)
    try:
        sim.start(wait=5)
        assert sim.config_received.wait(3)
        adopted = datetime.now(UTC)
        assert [(c.number, c.size, c.zone) for c in sim.layout.compartments] == [
            (1, "L", "frozen"),
            (2, "S", "ambient"),
        ]
        with pytest.raises(StationRefused, match="no compartment 5"):
            bridge.open_compartment(name, 5, timeout=3)

        def after_adoption() -> list[tuple[object, ...]]:
            readings = [r for r in recorder.of("temperature", name) if r[4] > adopted]
            return readings if len(readings) >= 2 else []

        readings = recorder.wait_for(after_adoption)
        assert {r[2] for r in readings} == {"ambient", "frozen"}
    finally:
        sim.stop()
        bridge.forget_station(name)


def test_heartbeats_update_last_seen(station: StationFactory, bridge: Bridge) -> None:
    sim = station(heartbeat_interval=0.2)
    deadline = time.monotonic() + 3
    while bridge.last_seen(sim.station) is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert bridge.last_seen(sim.station) is not None


def test_drone_mission_statuses_arrive_in_order(
    mqtt_url: str, bridge: Bridge, recorder: Recorder
) -> None:
    name = unique("drone")
    drone = DroneSimulator(name, mqtt_url, speed=20, flight_seconds=10, en_route_steps=3)
    try:
        drone.start(wait=5)
        recorder.wait_for(lambda: recorder.of("drone", name))  # idle on connect
        bridge.send_drone_mission(
            name, order_ref="ORD-1", origin=(52.52, 13.405), destination=(52.53, 13.42)
        )
        recorder.wait_for(
            lambda: any(c[2].state == "landed" for c in recorder.of("drone", name)), timeout=5
        )
    finally:
        drone.stop()
    statuses = [c[2] for c in recorder.of("drone", name)]
    states = [s.state for s in statuses]
    assert states[: states.index("landed") + 1] == [
        "idle",
        "launched",
        "en_route",
        "en_route",
        "en_route",
        "delivered",
        "returning",
        "landed",
    ]
    delivered = next(s for s in statuses if s.state == "delivered")
    assert (delivered.position.lat, delivered.position.lon) == (52.53, 13.42)
    assert delivered.order_ref == "ORD-1"
    assert len({s.event_id for s in statuses}) == len(statuses)
    assert statuses[-1].battery <= 100
