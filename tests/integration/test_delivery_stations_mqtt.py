"""Delivery with real parcel stations and a real drone: the MQTT bridge of the app and the
simulators on the test broker (Mosquitto under CI). Putting a parcel into the locker
opens the compartment over MQTT and the door events are stored once; a station that
does not answer changes nothing, and the order moves to the next station with a note in
the chat; a station that vanishes is offline by its last will; a drone flies an order
and its status reports deliver it."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import paho.mqtt.client as paho
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.assistant_support import demo_accounts

from kosmos import clock
from kosmos.accounts.tables import User
from kosmos.catalog.tables import Product, Store
from kosmos.chat import conversations
from kosmos.chat.tables import Message
from kosmos.db import make_engine, make_session_factory
from kosmos.delivery import checkout, demo, handover, mqtt_link, slots
from kosmos.delivery.checkout import Destination, OrderLine
from kosmos.delivery.tables import DroneBase, Order, Station, StationEvent
from kosmos.integrations.lockers.mqtt.connection import parse_url
from kosmos.integrations.lockers.mqtt.drone_sim import DroneSimulator
from kosmos.integrations.lockers.mqtt.station_sim import StationSimulator
from kosmos.wallet import topups
from kosmos.wallet.tables import Hold

STORE = "frischmarkt-musterstadt-zentrum"


def _fresh(db: Session) -> None:
    """End the read transaction (SQLite shows a snapshot until then) and forget loaded rows."""
    db.rollback()
    db.expire_all()


def _wait(check: Callable[[], bool], seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.fixture
def wdb(settings: Any) -> Iterator[Session]:
    """A writing session, as the app gives every POST (BEGIN IMMEDIATE on SQLite)."""
    engine = make_engine(settings.database_url)
    with make_session_factory(engine, write=True)() as session:
        yield session
    engine.dispose()


@pytest.fixture
def world(wdb: Session, settings: Any, mqtt_url: str) -> Iterator[dict[str, Any]]:
    """Two stations of this test's own (unique MQTT names) near the Stadtpark, the
    app's bridge connected (its reports written as the app writes them), and cem with
    money in his wallet."""
    db = wdb
    folks = demo_accounts(db)
    tag = uuid.uuid4().hex[:6]
    near = demo.add_station(db, f"t-{tag}-park", "Packstation Park", "Am Stadtpark 2",
                            52.5270, 13.3957)  # fmt: skip
    next_ = demo.add_station(db, f"t-{tag}-markt", "Packstation Markt", "Marktplatz 1",
                             52.5203, 13.4046)  # fmt: skip
    store = db.scalar(select(Store).where(Store.slug == STORE))
    assert store is not None
    slots.ensure_days(db, store.id)
    db.add(DroneBase(store_id=store.id, drone_code=f"t-{tag}-drone", weather_ok=True,
                     updated_at=store.created_at))  # fmt: skip
    db.commit()
    cem = db.get(User, folks["cem"].id)
    assert cem is not None
    topups.top_up(db, cem, amount=100_00, source="4242424242424242")
    settings.mqtt_url = mqtt_url
    engine = make_engine(settings.database_url)
    stop = mqtt_link.connect(settings, make_session_factory(engine, write=True))
    assert stop is not None
    try:
        yield {"folks": folks, "near": near, "next": next_, "store": store, "cem": cem,
               "tag": tag}  # fmt: skip
    finally:
        stop()
        engine.dispose()
        _forget(mqtt_url, near.code, next_.code)


def _forget(mqtt_url: str, *codes: str) -> None:
    """Clear the retained status and config of this test's stations on the shared broker."""
    address = parse_url(mqtt_url)
    raw = paho.Client(paho.CallbackAPIVersion.VERSION2, client_id=f"forget-{uuid.uuid4().hex}")
    raw.connect(address.host, address.port)
    raw.loop_start()
    for code in codes:
        for leaf in ("status", "config"):
            raw.publish(f"kosmos/lockers/{code}/{leaf}", b"", qos=1, retain=True).wait_for_publish(
                5
            )
    raw.loop_stop()
    raw.disconnect()


def _product(db: Session, store: Store, name: str) -> int:
    pid = db.scalar(select(Product.id).where(Product.merchant_id == store.merchant_id,
                                             Product.name == name))  # fmt: skip
    assert pid is not None
    return int(pid)


def _order(db: Session, w: dict[str, Any], station: Station | None = None,
           conversation_id: int | None = None) -> Order:  # fmt: skip
    _fresh(db)  # a request's session starts fresh: see what stations reported meanwhile
    store = w["store"]
    slot = next(s for s in slots.upcoming(db, store.id)
                if s.cutoff_at > clock.now() and s.booked < s.capacity)  # fmt: skip
    return checkout.place_order(
        db, w["cem"], store_id=store.id, mode="locker", slot_id=slot.id,
        lines=[OrderLine(_product(db, store, "Kartoffelsalat mit Gurke"), 2),
               OrderLine(_product(db, store, "Mineralwasser Classic"), 6)],
        to=Destination(place="Stadtpark", station_id=station.id if station else None),
        conversation_id=conversation_id,
    )  # fmt: skip


def _online(db: Session, *stations: Station) -> None:
    def check() -> bool:
        _fresh(db)
        return all(getattr(db.get(Station, s.id), "online", False) for s in stations)

    _wait(check)


def _on_the_way(db: Session, order: Order) -> Order:
    handover.pack(db, order)
    handover.leave(db, order)
    return order


def _events(db: Session, station: Station) -> int:
    _fresh(db)
    return int(db.scalar(select(func.count()).select_from(StationEvent)
                         .where(StationEvent.station_id == station.id)) or 0)  # fmt: skip


def test_the_station_opens_the_compartment_and_door_events_count_once(
    db: Session, wdb: Session, world: dict[str, Any], mqtt_url: str
) -> None:
    near = world["near"]
    sim = StationSimulator(near.code, mqtt_url, close_after=0.3, temperature_interval=0.2).start()
    try:
        _wait(lambda: (_fresh(db), db.get(Station, near.id).online)[1])  # type: ignore[union-attr]
        order = _on_the_way(wdb, _order(wdb, world, near))
        assert order.station_id == near.id
        handover.stow(wdb, order)
        assert order.status == "in_locker" and order.pickup_code and order.payment_reference
        _wait(lambda: _events(db, near) >= 2)  # the door opened and closed again
        # a QoS 1 duplicate of the last door event changes nothing
        last = db.scalars(select(StationEvent).where(StationEvent.station_id == near.id)
                          .order_by(StationEvent.id.desc())).first()  # fmt: skip
        assert last is not None
        event_id = last.event_uid.split(":", 1)[1]
        address = parse_url(mqtt_url)
        raw = paho.Client(paho.CallbackAPIVersion.VERSION2, client_id=f"dup-{uuid.uuid4().hex}")
        raw.connect(address.host, address.port)
        raw.loop_start()
        body = {"event_id": event_id, "type": "door", "compartment": last.compartment,
                "state": last.state, "at": last.at.isoformat()}  # fmt: skip
        for _ in range(2):
            raw.publish(
                f"kosmos/lockers/{near.code}/events", json.dumps(body), qos=1
            ).wait_for_publish(5)
        time.sleep(0.5)
        raw.loop_stop()
        raw.disconnect()
        count = _events(db, near)
        time.sleep(0.3)
        assert _events(db, near) == count
        # the station's temperatures arrive per zone
        _wait(lambda: (_fresh(db), bool(db.get(Station, near.id).temperatures))[1])  # type: ignore[union-attr]
    finally:
        sim.stop()


def test_a_silent_station_changes_nothing_and_the_order_moves_to_the_next_station(
    db: Session, wdb: Session, world: dict[str, Any], mqtt_url: str
) -> None:
    near, next_ = world["near"], world["next"]
    folks = world["folks"]
    chat = conversations.create_group(wdb, world["cem"], name="Grill",
                                      member_ids=[folks["anna"].id])  # fmt: skip
    wdb.commit()
    muted = StationSimulator(near.code, mqtt_url, mute=True).start()
    other = StationSimulator(next_.code, mqtt_url, close_after=0.3).start()
    try:
        _online(db, near, next_)
        order = _on_the_way(wdb, _order(wdb, world, conversation_id=chat.id))
        assert order.station_id == near.id  # the nearest to the Stadtpark
        with pytest.raises(handover.StationProblem) as problem:
            handover.stow(wdb, order)
        assert problem.value.code == "station_not_answering"
        _fresh(db)
        order = db.get(Order, order.id)
        assert order is not None
        assert (order.status, order.pickup_code, order.payment_reference) == (
            "on_the_way",
            None,
            None,
        )
        hold = db.scalar(select(Hold).where(Hold.reference == order.hold_reference))
        assert hold is not None and hold.status == "authorized"
        # the courier moves it: the next fitting station, and the chat hears about it
        order = wdb.get(Order, order.id)
        assert order is not None
        handover.reroute(wdb, order)
        assert order.station_id == next_.id and order.flag is None
        _fresh(db)
        note = db.scalars(select(Message).where(Message.conversation_id == chat.id)
                          .order_by(Message.id.desc())).first()  # fmt: skip
        assert note is not None and "Packstation Markt" in note.body
        handover.stow(wdb, order)
        assert order.status == "in_locker"
    finally:
        muted.stop()
        other.stop()


def test_a_station_that_vanishes_is_offline_by_its_last_will(
    db: Session, world: dict[str, Any], mqtt_url: str
) -> None:
    near = world["near"]
    sim = StationSimulator(near.code, mqtt_url).start()

    def online() -> bool | None:
        _fresh(db)
        station = db.get(Station, near.id)
        return station.online if station else None

    _wait(lambda: online() is True)
    sim.kill()
    _wait(lambda: online() is False, seconds=10)


def test_a_drone_flies_the_order_and_its_reports_deliver_it(
    db: Session, wdb: Session, world: dict[str, Any], mqtt_url: str
) -> None:
    store = world["store"]
    drone = DroneSimulator(f"t-{world['tag']}-drone", mqtt_url, speed=20.0).start()
    try:
        order = checkout.place_order(
            wdb, world["cem"], store_id=store.id, mode="drone",
            lines=[OrderLine(_product(db, store, "Kartoffelsalat mit Gurke"), 1)],
            to=Destination(address="Parkstraße 12, 12345 Musterstadt"),
        )  # fmt: skip
        assert order.eta_at is not None

        def status() -> str:
            _fresh(db)
            row = db.get(Order, order.id)
            return row.status if row else ""

        _wait(lambda: status() == "delivered", seconds=15)
        _fresh(db)
        row = db.get(Order, order.id)
        assert row is not None and row.payment_reference  # captured at the drop
    finally:
        drone.stop()
