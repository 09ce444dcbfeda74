"""Fresh delivery over the API, the hand-over: kaya of the supermarket packs, sends and
stows the order (the station opens the compartment, the hold is captured into a purchase
with a receipt), anna opens the compartment with her code at the station; codes are rate
limited and expire (the parcel goes back, the money is refunded); a silent or offline
station changes nothing or moves the order."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.delivery_support import (
    ORDERS,
    Doors,
    World,
    at_station,
    count,
    in_locker,
    locker_order,
    place,
    placed,
    problem,
    staff,
)
from tests.wallet_support import balance

from kosmos.delivery import returns, stations
from kosmos.delivery.tables import Compartment, Order, Station
from kosmos.wallet import ledger
from kosmos.wallet.tables import Hold, Payment

pytestmark = pytest.mark.postgres

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


def test_the_hand_over_commits_once_with_the_payment_named(
    http: TestClient, world: World, session_factory: Any
) -> None:
    """ "Delivered", the captured money and the order's payment reference are one commit: a
    reader never sees a delivered order without its payment (CI saw that, stop 14)."""
    from sqlalchemy import event

    from kosmos.delivery import handover

    body = locker_order(world, mode="home", address="Parkstraße 12, 12345 Musterstadt")
    r = place(http, world.folks["anna"], body)
    assert r.status_code == 201, r.text
    reference = r.json()["reference"]
    for step in ("pack", "leave"):
        assert staff(http, world, step, reference).status_code == 200
    with session_factory() as session:
        order = session.scalar(select(Order).where(Order.reference == reference))
        commits: list[str | None] = []

        def committed(s: Session) -> None:
            if s.get_nested_transaction() is None:  # not a SAVEPOINT released
                commits.append(order.payment_reference)

        event.listen(session, "after_commit", committed)
        handover.deliver_home(session, order)
    assert len(commits) == 1 and commits[0] is not None
