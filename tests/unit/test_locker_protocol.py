"""The locker wire protocol and the station's decisions, without a broker."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from kosmos.integrations.lockers.mqtt.connection import parse_url
from kosmos.integrations.lockers.mqtt.protocol import (
    DoorEvent,
    Mission,
    OpenCommand,
    Position,
    default_layout,
    in_band,
    now,
    split_topic,
    station_event,
    station_topic,
)
from kosmos.integrations.lockers.mqtt.station_sim import StationSimulator


def test_urls_choose_the_protocol() -> None:
    assert parse_url("mqtt://127.0.0.1:1883").mqtt5 is True
    embedded = parse_url("mqtt://127.0.0.1:1884?protocol=3.1.1")
    assert (embedded.host, embedded.port, embedded.mqtt5) == ("127.0.0.1", 1884, False)
    secure = parse_url("mqtts://kosmos:pw@broker.example")
    assert (secure.port, secure.tls, secure.username, secure.password) == (
        8883,
        True,
        "kosmos",
        "pw",
    )
    with pytest.raises(ValueError, match="not an MQTT URL"):
        parse_url("http://127.0.0.1")


def test_topics() -> None:
    assert station_topic("S1", "cmd") == "kosmos/lockers/S1/cmd"
    assert split_topic("kosmos/drones/D1/status") == ("drones", "D1", "status")
    assert split_topic("other/lockers/S1/cmd") is None
    with pytest.raises(ValueError, match="invalid station"):
        station_topic("S1/#", "cmd")


def test_payloads_round_trip_as_json() -> None:
    event = DoorEvent(compartment=7, state="open", request_id="r1")
    wire = json.loads(event.to_bytes())
    assert wire["type"] == "door" and wire["at"].endswith("Z")
    assert station_event.validate_json(event.to_bytes()) == event

    mission = Mission.model_validate(
        {"order_ref": "O1", "from": Position(lat=1, lon=2), "to": {"lat": 3, "lon": 4}}
    )
    wire = json.loads(mission.to_bytes())
    assert wire["from"] == {"lat": 1.0, "lon": 2.0} and wire["to"]["lat"] == 3.0
    assert Mission.model_validate_json(mission.to_bytes()) == mission
    assert (
        "unknown"
        not in OpenCommand.model_validate({"compartment": 1, "unknown": 1}).to_bytes().decode()
    )


def test_default_layout_and_zone_bands() -> None:
    layout = default_layout()
    assert [c.number for c in layout.compartments] == list(range(1, 13))
    assert {c.zone for c in layout.compartments} == {"ambient", "chilled", "frozen"}
    assert in_band("chilled", 4) and not in_band("chilled", 8) and not in_band("chilled", 1.5)
    assert in_band("frozen", -18) and not in_band("frozen", -17.9)


def test_the_station_refuses_an_expired_command() -> None:
    sim = StationSimulator("S1", "mqtt://127.0.0.1:1")  # never started
    late = OpenCommand(compartment=1, expires_at=now() - timedelta(seconds=1))
    ack, opened = sim._decide(late)
    assert (ack.ok, ack.reason, opened) == (False, "expired", False)
    ack, opened = sim._decide(OpenCommand(compartment=1, expires_at=now() + timedelta(seconds=5)))
    assert (ack.ok, opened) == (True, True)
    ack, _ = sim._decide(OpenCommand(compartment=99))
    assert ack.reason == "no compartment 99"
