"""Fresh delivery over the API, ordering: slots and stations, an order to a locker near the
Stadtpark (one chilled compartment, the money held in the wallet), idempotent replay,
bad input as 4xx problems that leave nothing behind, and who may see or handle an order."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from tests.delivery_support import (
    ORDERS,
    World,
    booked,
    count,
    locker_order,
    place,
    placed,
    problem,
    staff,
)
from tests.wallet_support import balance

from kosmos.delivery import slots
from kosmos.delivery.tables import Compartment, Order, Slot
from kosmos.wallet import ledger
from kosmos.wallet.tables import Hold

pytestmark = pytest.mark.postgres

# --- slots and stations --------------------------------------------------------------------


def test_slots_say_which_can_be_booked(http: TestClient, world: World) -> None:
    r = http.get(f"/api/v1/delivery/stores/{world.store}/slots",
                 headers=world.folks["anna"].headers)  # fmt: skip

    assert r.status_code == 200
    items = r.json()["items"]
    # Sunday 10:00 in Berlin: the 10-12 window is running (closed), 12-14 closed at 10:00
    assert [s["starts_at"] for s in items[:3]] == [
        "2026-11-22T09:00:00Z", "2026-11-22T11:00:00Z", "2026-11-22T13:00:00Z",
    ]  # fmt: skip
    assert [(s["bookable"], s["reason"]) for s in items[:3]] == [
        (False, "slot_closed"), (False, "slot_closed"), (True, None),
    ]  # fmt: skip
    assert items[2]["cutoff_at"] == "2026-11-22T11:00:00Z"
    assert items[2]["remaining"] == items[2]["capacity"] == 12
    # the rest of today (from 10-12), then 7 windows a day up to two weeks ahead
    assert len(items) == 6 + 7 * (slots.DAYS_OPEN - 1)


def test_slots_of_an_unknown_store_are_a_404(http: TestClient, world: World) -> None:
    r = http.get("/api/v1/delivery/stores/999999/slots", headers=world.folks["anna"].headers)

    problem(r, 404, "not_found")


def test_stations_near_the_stadtpark(http: TestClient, world: World) -> None:
    r = http.get("/api/v1/delivery/stations", params={"near": "Stadtpark"},
                 headers=world.folks["anna"].headers)  # fmt: skip

    assert r.status_code == 200, r.text
    items = r.json()["items"]
    assert [s["code"] for s in items] == [
        "packstation-stadtpark", "packstation-marktplatz", "packstation-bahnhof",
    ]  # fmt: skip
    nearest = items[0]
    assert nearest["online"] is True
    assert nearest["distance_km"] == pytest.approx(0.05, abs=0.02)
    assert nearest["free"] == {
        "ambient": {"S": 2, "M": 2, "L": 2},
        "chilled": {"S": 2, "M": 2, "L": 2},
        "frozen": {"S": 2, "M": 2, "L": 0},
    }


@pytest.mark.parametrize(("near", "code"), [
    ("Parkstraße 12, 10115 Berlin", "out_of_area"),
    ("Hauptstraße 1, 12345 Musterstadt", "unknown_street"),
    ("Eiffelturm", "unknown_place"),
])  # fmt: skip
def test_stations_near_an_unknown_place_are_a_422(
    http: TestClient, world: World, near: str, code: str
) -> None:
    r = http.get("/api/v1/delivery/stations", params={"near": near},
                 headers=world.folks["anna"].headers)  # fmt: skip

    problem(r, 422, code, "near")


# --- placing an order ----------------------------------------------------------------------


def test_an_order_to_a_locker_near_the_stadtpark(
    http: TestClient, db: Session, world: World
) -> None:
    # given
    anna = world.folks["anna"]
    before = balance(http, anna)

    # when
    r = place(http, anna, locker_order(world))

    # then one chilled compartment at Packstation Stadtpark takes salad and water
    assert r.status_code == 201, r.text
    order = r.json()
    assert order["status"] == "placed"
    assert order["amount"] == 229 + 2 * 59
    assert order["station"]["code"] == "packstation-stadtpark"
    assert order["compartments"] == [{"number": 7, "size": "S", "zone": "chilled"}]
    assert order["slot"]["id"] == world.slot
    assert order["eta"] == order["slot"]["ends_at"] == "2026-11-22T15:00:00Z"
    assert [line["zone"] for line in order["lines"]] == ["chilled", "ambient"]
    assert [e["status"] for e in order["timeline"]] == ["placed"]
    assert order["pickup_code"] is None
    # and the money is held: not spendable, not yet paid
    assert balance(http, anna) == before - 347
    db.rollback()
    hold = db.scalar(select(Hold).join(Order, Order.hold_reference == Hold.reference)
                     .where(Order.reference == order["reference"]))  # fmt: skip
    assert hold is not None and (hold.status, hold.amount) == ("authorized", 347)
    assert booked(db, world.slot) == 1
    assert ledger.verify(db) == []


def test_the_same_key_answers_the_first_order_again(
    http: TestClient, db: Session, world: World
) -> None:
    anna = world.folks["anna"]
    before = balance(http, anna)
    key = str(uuid.uuid4())

    first = place(http, anna, locker_order(world), key)
    again = place(http, anna, locker_order(world), key)
    other = place(http, anna, locker_order(world, place="Marktplatz"), key)

    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    problem(other, 422, "idempotency_key_reused")
    assert balance(http, anna) == before - 347
    assert count(db, Order) == 1
    assert booked(db, world.slot) == 1


def test_an_order_needs_an_idempotency_key(http: TestClient, db: Session, world: World) -> None:
    r = http.post(ORDERS, json=locker_order(world), headers=world.folks["anna"].headers)

    problem(r, 400, "idempotency_key_required")
    assert count(db, Order) == 0


@pytest.mark.parametrize(("change", "status", "code", "field"), [
    ({"mode": "home", "address": "Parkstraße 12, 10115 Berlin"}, 422, "out_of_area", "address"),
    ({"mode": "home", "address": "Hauptstraße 1"}, 422, "unknown_street", "address"),
    ({"place": "", "address": "Parkstraße 12, 99999 Irgendwo"}, 422, "out_of_area", "address"),
    ({"place": "Eiffelturm"}, 422, "unknown_place", "address"),
    ({"mode": "teleport"}, 422, "bad_mode", "mode"),
    ({"slot_id": None}, 422, "slot_required", "slot_id"),
    ({"slot_id": 999999}, 404, "not_found", "slot_id"),
    ({"store_id": 999999}, 404, "not_found", "store_id"),
    ({"lines": []}, 422, "empty_order", "lines"),
    ({"conversation_id": 999999}, 404, "not_found", None),
])  # fmt: skip
def test_bad_orders_are_problems_that_leave_nothing(
    http: TestClient, db: Session, world: World, change: dict[str, Any], status: int, code: str,
    field: str | None,
) -> None:  # fmt: skip
    anna = world.folks["anna"]
    before = balance(http, anna)

    r = place(http, anna, locker_order(world, **change))

    problem(r, status, code, field)
    assert balance(http, anna) == before
    assert count(db, Order) == 0 and count(db, Hold) == 0
    assert booked(db, world.slot) == 0


def test_a_full_slot_is_a_409(http: TestClient, db: Session, world: World) -> None:
    # given the slot has its last place taken
    db.rollback()
    db.execute(update(Slot).where(Slot.id == world.slot).values(booked=Slot.capacity))
    db.commit()

    r = place(http, world.folks["anna"], locker_order(world))

    problem(r, 409, "slot_full", "slot_id")
    assert count(db, Order) == 0 and count(db, Hold) == 0


def test_a_slot_past_its_cutoff_is_a_422(http: TestClient, db: Session, world: World) -> None:
    r = place(http, world.folks["anna"], locker_order(world, slot_id=world.closed_slot))

    problem(r, 422, "slot_closed", "slot_id")
    assert booked(db, world.closed_slot) == 0 and count(db, Order) == 0


def test_no_fitting_compartment_is_a_409_that_gives_the_slot_place_back(
    http: TestClient, db: Session, world: World
) -> None:
    # given 40 kg of frozen fries: an L parcel, and no station has a large frozen door
    body = locker_order(world, lines=[{"product_id": world.fries, "quantity": 40}])

    r = place(http, world.folks["anna"], body)

    problem(r, 409, "no_fitting_compartment", "station_id")
    assert booked(db, world.slot) == 0
    assert count(db, Order) == 0 and count(db, Hold) == 0
    assert count(db, Compartment, Compartment.parcel_id.is_not(None)) == 0


def test_an_order_too_big_for_any_compartment_is_a_422(
    http: TestClient, world: World, db: Session
) -> None:
    body = locker_order(world, lines=[{"product_id": world.water, "quantity": 70}])

    problem(place(http, world.folks["anna"], body), 422, "too_big_for_locker", "lines")
    assert booked(db, world.slot) == 0


def test_products_of_another_merchant_or_by_weight_are_refused(
    http: TestClient, db: Session, world: World
) -> None:
    anna = world.folks["anna"]
    foreign = locker_order(world, lines=[{"product_id": world.butchers_sausage, "quantity": 1}])
    by_weight = locker_order(world, lines=[{"product_id": world.cheese_by_weight,
                                            "quantity": 1}])  # fmt: skip
    too_many = locker_order(world, lines=[{"product_id": world.salad, "quantity": 100}])

    problem(place(http, anna, foreign), 404, "not_found", "lines")
    problem(place(http, anna, by_weight), 422, "sold_by_weight", "lines")
    problem(place(http, anna, too_many), 422, "bad_quantity", "lines")
    assert count(db, Order) == 0 and booked(db, world.slot) == 0


def test_an_order_from_a_chat_needs_a_member(http: TestClient, world: World) -> None:
    anna, ben = world.folks["anna"], world.folks["ben"]
    chat = http.post("/api/v1/chat/groups", headers=ben.headers,
                     json={"name": "Ohne Anna", "member_ids": [world.folks["cem"].id]})  # fmt: skip
    assert chat.status_code == 201, chat.text

    r = place(http, anna, locker_order(world, conversation_id=chat.json()["id"]))
    ok = place(http, ben, locker_order(world, conversation_id=chat.json()["id"]))

    problem(r, 404, "not_found")
    assert ok.status_code == 201, ok.text


# --- who may see and handle it -------------------------------------------------------------


def test_only_the_customer_sees_the_order(http: TestClient, world: World) -> None:
    order = placed(http, world)

    mine = http.get(f"{ORDERS}/{order['reference']}", headers=world.folks["anna"].headers)
    theirs = http.get(f"{ORDERS}/{order['reference']}", headers=world.folks["ben"].headers)
    staff_view = http.get(f"{ORDERS}/{order['reference']}", headers=world.folks["kaya"].headers)

    assert mine.status_code == 200 and mine.json()["reference"] == order["reference"]
    problem(theirs, 404, "not_found")
    problem(staff_view, 404, "not_found")
    problem(http.get(f"{ORDERS}/dlv_nothing", headers=world.folks["anna"].headers), 404,
            "not_found")  # fmt: skip


def test_only_staff_of_the_orders_merchant_handle_it(
    http: TestClient, db: Session, world: World
) -> None:
    reference = placed(http, world)["reference"]

    customer = staff(http, world, "pack", reference, who="ben")
    own = staff(http, world, "pack", reference, who="anna")
    butcher = staff(http, world, "pack", reference, who="huber")

    problem(customer, 403, "not_merchant_staff")
    problem(own, 403, "not_merchant_staff")
    problem(butcher, 404, "not_found")
    db.rollback()
    assert db.scalar(select(Order.status).where(Order.reference == reference)) == "placed"
