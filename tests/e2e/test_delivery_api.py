"""Fresh delivery over the API: anna orders a chilled salad and drinks to a parcel locker
near the Stadtpark (one chilled compartment, the money held in her wallet), kaya of the
supermarket packs, sends and stows it (the station opens the compartment, the hold is
captured into a purchase with a receipt), and anna opens the compartment with her code
at the station. Bad input is a 4xx problem that leaves nothing behind; nobody sees or
handles another's order; codes are rate limited and expire; a silent station changes
nothing."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from tests.places_support import people
from tests.support import Account
from tests.wallet_support import balance, top_up, with_key

from kosmos.catalog.tables import Merchant, Product, Store
from kosmos.delivery import api as delivery_api
from kosmos.delivery import links, returns, slots, stations
from kosmos.delivery.demo import seed_delivery, station_codes
from kosmos.delivery.ports import StationNotAnswering
from kosmos.delivery.tables import Compartment, Order, Slot, Station
from kosmos.wallet import ledger
from kosmos.wallet.tables import Hold, Payment

pytestmark = pytest.mark.postgres

STORE = "frischmarkt-musterstadt-zentrum"
ORDERS = "/api/v1/delivery/orders"


# --- the world -----------------------------------------------------------------------------


@dataclass
class World:
    folks: dict[str, Account]
    store: int
    slot: int  # the first slot that can be booked
    closed_slot: int  # today's slot past its cut-off
    salad: int  # chilled, 2.29 EUR
    water: int  # ambient, 0.59 EUR, 1.5 l
    fries: int  # frozen, 2.29 EUR, 1 kg
    cheese_by_weight: int
    butchers_sausage: int


class Doors:
    """The parcel stations, as a test double behind the StationLink port."""

    def __init__(self) -> None:
        self.opened: list[tuple[str, int]] = []
        self.silent = False

    def open_compartment(self, station: str, compartment: int, *, timeout: float = 5.0) -> str:
        if self.silent:
            raise StationNotAnswering(f"{station} did not answer within {timeout} s")
        self.opened.append((station, compartment))
        return f"req-{len(self.opened)}"

    def publish_config(self, station: str, layout: list[dict[str, Any]]) -> None:
        pass


def product(db: Session, name: str, merchant: str = "frischmarkt-musterstadt") -> int:
    found = db.scalar(
        select(Product.id).join(Merchant, Merchant.id == Product.merchant_id)
        .where(Product.name == name, Merchant.slug == merchant)
    )  # fmt: skip
    assert found is not None, name
    return found


@pytest.fixture
def http(app: Any) -> Iterator[TestClient]:
    """The app's client, with the delivery routes mounted if app.py does not yet."""
    if not any(getattr(r, "path", "").startswith(ORDERS) for r in app.routes):
        app.include_router(delivery_api.router, prefix="/api/v1")
    with TestClient(app, base_url="http://testserver", client=("127.0.0.1", 50000)) as c:
        yield c


@pytest.fixture
def world(db: Session, http: TestClient) -> World:
    folks = people(db)
    seed_delivery(db)  # the demo seed does not make stations and slots (yet)
    for code in station_codes(db):
        stations.mark_online(db, code, True)
    db.commit()
    store = db.scalar(select(Store.id).where(Store.slug == STORE))
    assert store is not None
    slots = http.get(f"/api/v1/delivery/stores/{store}/slots", headers=folks["anna"].headers)
    assert slots.status_code == 200, slots.text
    items = slots.json()["items"]
    for who in ("anna", "ben"):
        top_up(http, folks[who], 5000)
    return World(
        folks=folks, store=store,
        slot=next(s["id"] for s in items if s["bookable"]),
        closed_slot=next(s["id"] for s in items if s["reason"] == "slot_closed"),
        salad=product(db, "Kartoffelsalat mit Gurke"), water=product(db, "Mineralwasser Classic"),
        fries=product(db, "Pommes frites"),
        cheese_by_weight=db.scalar(select(Product.id).join(Merchant).where(
            Merchant.slug == "frischmarkt-musterstadt", Product.unit == "kg").limit(1)) or 0,
        butchers_sausage=product(db, "Wiener Würstchen", "metzgerei-huber"),
    )  # fmt: skip


@pytest.fixture
def doors() -> Iterator[Doors]:
    link = Doors()
    links.install(link, None)
    yield link
    links.install(None, None)


def locker_order(w: World, **change: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "store_id": w.store, "mode": "locker", "place": "im Stadtpark", "slot_id": w.slot,
        "lines": [{"product_id": w.salad, "quantity": 1}, {"product_id": w.water, "quantity": 2}],
    }  # fmt: skip
    body.update(change)
    return body


def place(http: TestClient, who: Account, body: dict[str, Any], key: str | None = None) -> Any:
    return http.post(ORDERS, json=body, headers=with_key(who, key))


def placed(http: TestClient, w: World, who: str = "anna") -> dict[str, Any]:
    r = place(http, w.folks[who], locker_order(w))
    assert r.status_code == 201, r.text
    return dict(r.json())


def staff(http: TestClient, w: World, step: str, reference: str, who: str = "kaya") -> Any:
    return http.post(f"{ORDERS}/{reference}/{step}", headers=w.folks[who].headers)


def in_locker(http: TestClient, w: World, reference: str) -> dict[str, Any]:
    for step in ("pack", "leave", "stow"):
        r = staff(http, w, step, reference)
        assert r.status_code == 200, (step, r.text)
        assert r.json()["pickup_code"] is None  # staff never see the customer's code
    r = http.get(f"{ORDERS}/{reference}", headers=w.folks["anna"].headers)
    return dict(r.json())


def at_station(http: TestClient, station: str, step: str, code: str) -> Any:
    return http.post(f"/api/v1/delivery/stations/{station}/{step}", json={"code": code})


def count(db: Session, model: Any, *where: Any) -> int:
    db.rollback()
    return db.scalar(select(func.count()).select_from(model).where(*where)) or 0


def booked(db: Session, slot_id: int) -> int:
    db.rollback()
    return db.scalar(select(Slot.booked).where(Slot.id == slot_id)) or 0


def problem(r: Any, status: int, code: str, field: str | None = None) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = dict(r.json())
    assert body["code"] == code, body
    if field is not None:
        assert body["errors"][0]["field"] == field, body
    return body


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


# --- the hand-over and pickup --------------------------------------------------------------


def test_stowed_picked_up_and_the_compartment_free_again(
    http: TestClient, db: Session, world: World, doors: Doors
) -> None:
    # given anna's order, packed and on its way
    anna = world.folks["anna"]
    start = balance(http, anna)
    reference = placed(http, world)["reference"]

    # when kaya stows it
    order = in_locker(http, world, reference)

    # then it waits in compartment 7 with a code, and the money is taken
    assert order["status"] == "in_locker"
    assert len(order["pickup_code"]) == 6 and order["pickup_code"].isdigit()
    assert order["pickup_until"] == "2026-11-25T09:00:00Z"
    assert [e["status"] for e in order["timeline"]] == [
        "placed", "packed", "on_the_way", "in_locker",
    ]  # fmt: skip
    assert doors.opened == [("packstation-stadtpark", 7)]
    db.rollback()
    payment = db.scalar(select(Payment).where(Payment.reference == order["payment"]))
    assert payment is not None
    assert (payment.kind, payment.status, payment.amount) == ("purchase", "succeeded", 347)
    assert payment.receipt_number
    assert db.scalar(select(Hold.status).join(Order, Order.hold_reference == Hold.reference)
                     .where(Order.reference == reference)) == "captured"  # fmt: skip
    assert balance(http, anna) == start - 347

    # when anna types her code at the station, and takes the parcel
    opened = at_station(http, "packstation-stadtpark", "open", order["pickup_code"])
    confirmed = at_station(http, "packstation-stadtpark", "confirm", order["pickup_code"])

    # then
    assert opened.status_code == 200, opened.text
    assert opened.json() == {"station": "packstation-stadtpark", "compartments": [7],
                             "status": "in_locker"}  # fmt: skip
    assert doors.opened[-1] == ("packstation-stadtpark", 7)
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["status"] == "picked_up"
    after = http.get(f"{ORDERS}/{reference}", headers=anna.headers).json()
    assert after["status"] == "picked_up" and after["pickup_code"] is None
    assert count(db, Compartment, Compartment.parcel_id.is_not(None)) == 0
    # the code is used up
    problem(at_station(http, "packstation-stadtpark", "open", order["pickup_code"]), 404,
            "wrong_code", "code")  # fmt: skip
    assert ledger.verify(db) == []


def test_staff_steps_keep_their_order(http: TestClient, world: World, doors: Doors) -> None:
    reference = placed(http, world)["reference"]

    problem(staff(http, world, "stow", reference), 409, "bad_transition")
    problem(staff(http, world, "leave", reference), 409, "bad_transition")
    problem(staff(http, world, "deliver", reference), 409, "wrong_mode")
    assert staff(http, world, "pack", reference).status_code == 200
    problem(staff(http, world, "pack", reference), 409, "bad_transition")
    assert doors.opened == []


def test_wrong_codes_are_404_then_the_station_asks_to_wait(
    http: TestClient, world: World, doors: Doors, frozen_clock: Any
) -> None:
    code = in_locker(http, world, placed(http, world)["reference"])["pickup_code"]
    wrong = "100000" if code != "100000" else "100001"

    misses = [at_station(http, "packstation-stadtpark", "open", wrong) for _ in range(5)]
    sixth = at_station(http, "packstation-stadtpark", "open", wrong)
    right = at_station(http, "packstation-stadtpark", "open", code)

    for r in misses:
        problem(r, 404, "wrong_code", "code")
    problem(sixth, 429, "too_many_wrong_codes")
    problem(right, 429, "too_many_wrong_codes")
    # another station counts its own misses
    problem(at_station(http, "packstation-bahnhof", "open", wrong), 404, "wrong_code")
    # a quarter of an hour later the right code opens the door
    frozen_clock.advance(minutes=16)
    assert at_station(http, "packstation-stadtpark", "open", code).status_code == 200


def test_bad_codes_and_stations_at_the_screen(http: TestClient, world: World) -> None:
    problem(at_station(http, "packstation-stadtpark", "open", "12345"), 422, "bad_code_format",
            "code")  # fmt: skip
    problem(at_station(http, "packstation-nirgendwo", "open", "123456"), 404, "not_found")
    r = http.post("/api/v1/delivery/stations/packstation-stadtpark/open", json={"code": ""})
    problem(r, 422, "validation_error")


def test_an_expired_code_and_the_parcel_goes_back_with_the_money(
    http: TestClient, db: Session, world: World, doors: Doors, frozen_clock: Any
) -> None:
    # given anna's parcel in the locker
    anna = world.folks["anna"]
    start = balance(http, anna)
    reference = placed(http, world)["reference"]
    code = in_locker(http, world, reference)["pickup_code"]
    assert balance(http, anna) == start - 347

    # when the three days are over
    frozen_clock.advance(days=3, minutes=1)
    late = at_station(http, "packstation-stadtpark", "open", code)
    db.rollback()
    sent_back = returns.send_back_overdue(db)

    # then the code is refused, the parcel went back and the money is refunded
    problem(late, 409, "code_expired", "code")
    assert sent_back == 1
    order = http.get(f"{ORDERS}/{reference}", headers=anna.headers).json()
    assert order["status"] == "returned" and order["pickup_code"] is None
    assert balance(http, anna) == start
    assert count(db, Payment, Payment.kind == "refund", Payment.amount == 347) == 1
    refund = db.scalar(select(Payment).where(Payment.reference == order["refund"]))
    assert refund is not None and refund.kind == "refund"
    assert count(db, Compartment, Compartment.parcel_id.is_not(None)) == 0
    assert ledger.verify(db) == []
    # and nothing is overdue any more
    assert returns.send_back_overdue(db) == 0


def test_a_station_that_never_answers_changes_nothing(
    http: TestClient, db: Session, world: World, doors: Doors
) -> None:
    # given an order on its way, and a station that does not answer
    reference = placed(http, world)["reference"]
    for step in ("pack", "leave"):
        assert staff(http, world, step, reference).status_code == 200
    doors.silent = True

    # when the courier tries to stow it
    r = staff(http, world, "stow", reference)

    # then
    body = problem(r, 503, "station_not_answering")
    assert body["station"] == "packstation-stadtpark"
    order = http.get(f"{ORDERS}/{reference}", headers=world.folks["anna"].headers).json()
    assert order["status"] == "on_the_way" and order["pickup_code"] is None
    assert order["payment"] is None
    assert count(db, Payment, Payment.kind == "purchase") == 0
    assert db.scalar(select(Hold.status).join(Order, Order.hold_reference == Hold.reference)
                     .where(Order.reference == reference)) == "authorized"  # fmt: skip
    # the station answers again: stowing works
    doors.silent = False
    assert staff(http, world, "stow", reference).json()["status"] == "in_locker"


def test_an_offline_station_moves_the_order_to_the_next(
    http: TestClient, db: Session, world: World
) -> None:
    reference = placed(http, world)["reference"]
    db.rollback()
    stations.mark_online(db, "packstation-stadtpark", False)
    db.commit()

    r = staff(http, world, "reroute", reference)

    assert r.status_code == 200, r.text
    assert r.json()["station"]["code"] == "packstation-marktplatz"
    assert r.json()["compartments"] == [{"number": 7, "size": "S", "zone": "chilled"}]
    db.rollback()
    old = db.scalar(select(Station.id).where(Station.code == "packstation-stadtpark"))
    assert count(db, Compartment, Compartment.station_id == old,
                 Compartment.parcel_id.is_not(None)) == 0  # fmt: skip
