"""Small food orders through the chat: "Bestell 3 Pizza Margherita bei Luigi für 19 Uhr"
becomes an order card (items, catalog prices, total, pickup time); only the author may
confirm; Confirm pays the restaurant from the wallet exactly once and places the order;
the restaurant's staff see it on their orders page and mark it ready, which updates the
card in the chat. Wallet problems, unknown dishes, missing restaurants and closed times
offer no way to pay, and leave nothing half-written."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest
from sqlalchemy import func, select
from tests.assistant_support import (
    GRILL_PASSWORDS,
    card_of,
    demo_accounts,
    group,
    kosmo_messages,
    say,
)
from tests.support import page_login
from tests.wallet_support import balance, set_pin, top_up

import kosmos.assistant.ordering  # noqa: F401 - registers the order_food skill
from kosmos.accounts.tables import User
from kosmos.assistant import pickup
from kosmos.assistant.tables import Proposal
from kosmos.assistant.tables_orders import FoodOrder, FoodOrderLine
from kosmos.catalog.model import parse_opening_hours
from kosmos.catalog.tables import Merchant, Product
from kosmos.wallet import ledger
from kosmos.wallet.tables import Payment

ORDER = "Bestell 3 Pizza Margherita bei Luigi für 19 Uhr"


@pytest.fixture
def people(db):
    passwords = {**GRILL_PASSWORDS, "luigi": "pizza-luigi-2026", "jonas": "burger-jonas-2026"}
    return demo_accounts(db, passwords)


@pytest.fixture
def chat(client, people):
    return group(client, people, "Pizzaabend")


@pytest.fixture
def pizzeria(db, people):
    return db.scalar(select(Merchant).where(Merchant.slug == "pizzeria-da-luigi"))


def press(client, who, message_id, action, value):
    return client.post(f"/api/v1/chat/messages/{message_id}/actions", headers=who.headers,
                       json={"action": action, "value": value})  # fmt: skip


def fields(card):
    return {f["label"]: f["value"] for f in card["fields"]}


def confirm_value(card):
    [button] = [b for b in card["buttons"] if b["action"] == "confirm"]
    return button["value"]


def purchases(db, user_id):
    db.rollback()  # a fresh snapshot: see what the app committed
    return list(db.scalars(select(Payment).where(Payment.user_id == user_id,
                                                 Payment.kind == "purchase")))  # fmt: skip


def orders_count(db):
    db.rollback()  # a fresh snapshot: see what the app committed
    return db.scalar(select(func.count()).select_from(FoodOrder))


def test_the_pizzeria_is_open_at_seven_on_the_test_sunday(pizzeria):
    moment = datetime.fromisoformat("2026-11-22T19:00:00+01:00")
    assert moment.strftime("%A") == "Sunday"
    hours = parse_opening_hours(pizzeria.stores[0].opening_hours)
    assert pickup.pickup_problem(hours, moment, datetime.fromisoformat(
        "2026-11-22T10:00:00+01:00")) is None  # fmt: skip


def test_order_pizza_pay_once_and_the_restaurant_marks_it_ready(client, people, chat, db, pizzeria):
    anna, ben, luigi, jonas = (people[n] for n in ("anna", "ben", "luigi", "jonas"))
    top_up(client, anna, 5000)
    price = db.scalar(
        select(Product.price_cents).where(
            Product.merchant_id == pizzeria.id, Product.name == "Pizza Margherita"
        )
    )
    total = 3 * price

    say(client, anna, chat, ORDER)
    proposal = card_of(client, ben, chat, "food_order_proposal")
    card = proposal["card"]
    assert card["title"] == "Bestellung bei Pizzeria Da Luigi"
    assert fields(card) == {
        "3× Pizza Margherita": "3 × 9,50\xa0€ = 28,50\xa0€",
        "Summe": "28,50\xa0€",
        "Abholung": "19:00 · Pizzeria Da Luigi, Kirchgasse 5",
    }
    assert total == 2850
    assert [b["label"] for b in card["buttons"]] == ["Bestätigen", "Verwerfen"]

    refused = press(client, ben, proposal["id"], "confirm", confirm_value(card))
    assert refused.status_code == 403
    assert refused.json()["code"] == "not_your_claim"
    assert balance(client, anna) == 5000 and orders_count(db) == 0

    confirmed = press(client, anna, proposal["id"], "confirm", confirm_value(card))
    assert confirmed.status_code == 200, confirmed.text
    paid_card = confirmed.json()["card"]
    assert paid_card["type"] == "food_order" and paid_card["buttons"] == []
    order_id = paid_card["ref"]["order"]
    assert paid_card["note"] == (
        f"✓ Bezahlt, Abholung 19:00 bei Pizzeria Da Luigi · Bestellung Nr. {order_id}"
    )
    assert fields(paid_card)["Summe"] == "28,50\xa0€"
    assert balance(client, anna) == 5000 - total
    [payment] = purchases(db, anna.id)
    assert (payment.amount, payment.merchant_id) == (total, pizzeria.id)
    assert [(x["name"], x["quantity"], x["unit_price"], x["vat_rate"]) for x in payment.lines] == [
        ("Pizza Margherita", "3", price, 7)
    ]
    order = db.get(FoodOrder, order_id)
    assert (order.status, order.total_cents, order.payment_reference) == (
        "placed", total, payment.reference)  # fmt: skip
    assert order.pickup_at.isoformat() == "2026-11-22T18:00:00+00:00"  # 19:00 in Berlin
    assert ledger.verify(db) == []

    # a double tap pays nothing more
    again = press(client, anna, proposal["id"], "confirm", confirm_value(card))
    assert again.status_code in (409, 422), again.text
    assert balance(client, anna) == 5000 - total
    assert len(purchases(db, anna.id)) == 1 and orders_count(db) == 1

    # the orderer and the restaurant's staff read the order; anyone else gets 404
    mine = client.get(f"/api/v1/assistant/orders/{order_id}", headers=anna.headers)
    assert mine.status_code == 200, mine.text
    body = mine.json()
    assert (body["status"], body["total_cents"], body["pickup_at"], body["customer"]) == (
        "placed", total, "2026-11-22T18:00:00+00:00", "Anna Schmidt")  # fmt: skip
    assert [(x["name"], x["quantity"], x["total_cents"]) for x in body["lines"]] == [
        ("Pizza Margherita", 3, total)
    ]
    assert client.get(f"/api/v1/assistant/orders/{order_id}", headers=luigi.headers
                      ).status_code == 200  # fmt: skip
    for other in (ben, jonas):
        r = client.get(f"/api/v1/assistant/orders/{order_id}", headers=other.headers)
        assert r.status_code == 404
    assert client.get("/api/v1/assistant/orders/999999", headers=anna.headers).status_code == 404

    # the staff page: only the pizzeria's staff
    page_login(client, "ben", ben.password)
    assert client.get(f"/backoffice/merchants/{pizzeria.id}/orders").status_code == 403
    client.cookies.clear()
    page_login(client, "jonas", jonas.password)
    assert client.get(f"/backoffice/merchants/{pizzeria.id}/orders").status_code == 404
    client.cookies.clear()
    token = page_login(client, "luigi", luigi.password)
    redirect = client.get("/backoffice/orders", follow_redirects=False)
    assert redirect.headers["location"] == f"/backoffice/merchants/{pizzeria.id}/orders"
    page = client.get(f"/backoffice/merchants/{pizzeria.id}/orders")
    assert page.status_code == 200
    assert "Anna Schmidt" in page.text and "Pizza Margherita" in page.text
    assert "19:00" in page.text and f'data-order="{order_id}"' in page.text

    ready_url = f"/backoffice/merchants/{pizzeria.id}/orders/{order_id}/ready"
    assert client.post(ready_url, data={}, follow_redirects=False).status_code == 403  # no CSRF
    marked = client.post(ready_url, data={"csrf_token": token}, follow_redirects=False)
    assert marked.status_code == 303, marked.text
    ready_card = card_of(client, anna, chat, "food_order")["card"]
    assert ready_card["status"] == "ready"
    assert ready_card["note"].startswith("🍽️ Deine Bestellung ist fertig – Abholung 19:00")
    texts = [m["text"] for m in kosmo_messages(client, anna, chat) if not m["card"]]
    assert f"Deine Bestellung Nr. {order_id} bei Pizzeria Da Luigi ist fertig! 🍽️" in texts
    twice = client.post(ready_url, data={"csrf_token": token}, follow_redirects=False)
    assert twice.status_code == 409
    picked = client.post(
        f"/backoffice/merchants/{pizzeria.id}/orders/{order_id}/picked-up",
        data={"csrf_token": token}, follow_redirects=False,
    )  # fmt: skip
    assert picked.status_code == 303
    assert card_of(client, anna, chat, "food_order")["card"]["status"] == "picked_up"
    # another merchant's order ids are not found on this page
    client.cookies.clear()
    other_token = page_login(client, "jonas", jonas.password)
    burger = db.scalar(select(Merchant).where(Merchant.slug == "burgerwerk"))
    foreign = client.post(
        f"/backoffice/merchants/{burger.id}/orders/{order_id}/ready",
        data={"csrf_token": other_token}, follow_redirects=False,
    )  # fmt: skip
    assert foreign.status_code == 404
    assert balance(client, anna) == 5000 - total and ledger.verify(db) == []


def test_not_enough_money_is_a_problem_and_writes_nothing(client, people, chat, db):
    anna = people["anna"]
    top_up(client, anna, 1000)
    say(client, anna, chat, ORDER)
    proposal = card_of(client, anna, chat, "food_order_proposal")
    r = press(client, anna, proposal["id"], "confirm", confirm_value(proposal["card"]))
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["code"] == "insufficient_funds"
    assert balance(client, anna) == 1000
    assert purchases(db, anna.id) == [] and orders_count(db) == 0
    assert db.scalar(select(func.count()).select_from(FoodOrderLine)) == 0
    db.rollback()  # a fresh snapshot: see what the app committed
    assert db.get(Proposal, int(confirm_value(proposal["card"]))).status == "open"
    # after a top-up the same card pays (the failed try left no idempotency answer)
    top_up(client, anna, 5000)
    again = press(client, anna, proposal["id"], "confirm", confirm_value(proposal["card"]))
    assert again.status_code == 200, again.text
    assert balance(client, anna) == 6000 - 2850 and orders_count(db) == 1


def test_a_large_order_needs_the_payment_pin(client, people, chat, db):
    anna = people["anna"]
    top_up(client, anna, 10000)
    say(client, anna, chat, "Bestell 6 Pizza Margherita bei Luigi für 19 Uhr")
    proposal = card_of(client, anna, chat, "food_order_proposal")
    assert fields(proposal["card"])["Summe"] == "57,00\xa0€"
    value = confirm_value(proposal["card"])
    r = press(client, anna, proposal["id"], "confirm", value)
    assert r.status_code == 403
    assert r.json()["code"] == "pin_not_set"
    url = r.json()["confirm_url"]
    assert url == f"/api/v1/assistant/orders/proposals/{value}/confirm"
    set_pin(client, anna, "4711")
    r = press(client, anna, proposal["id"], "confirm", value)
    assert (r.status_code, r.json()["code"]) == (403, "sca_required")
    assert purchases(db, anna.id) == [] and orders_count(db) == 0

    wrong = client.post(url, json={"pin": "0000"}, headers=anna.headers)
    assert (wrong.status_code, wrong.json()["code"]) == (403, "pin_wrong")
    assert purchases(db, anna.id) == [] and orders_count(db) == 0
    assert client.post(url, json={"pin": "4711"}, headers=people["ben"].headers
                       ).status_code == 404  # fmt: skip
    ok = client.post(url, json={"pin": "4711"}, headers=anna.headers)
    assert ok.status_code == 201, ok.text
    assert (ok.json()["status"], ok.json()["total_cents"]) == ("placed", 5700)
    assert balance(client, anna) == 10000 - 5700
    card = card_of(client, anna, chat, "food_order")["card"]
    assert card["buttons"] == [] and card["note"].startswith("✓ Bezahlt, Abholung 19:00")
    again = client.post(url, json={"pin": "4711"}, headers=anna.headers)
    assert again.status_code == 422
    assert len(purchases(db, anna.id)) == 1 and ledger.verify(db) == []


def test_an_unknown_dish_offers_no_confirm(client, people, chat, db):
    anna = people["anna"]
    top_up(client, anna, 5000)
    say(client, anna, chat, "Bestell 2 Sushi und 1 Pizza Hawaii bei Luigi für 19 Uhr")
    proposal = card_of(client, anna, chat, "food_order_proposal")
    card = proposal["card"]
    assert fields(card)["2× Sushi"] == "nicht auf der Karte"
    assert fields(card)["1× Pizza Hawaii"] == "11,50\xa0€"
    assert "Summe" not in fields(card)
    assert "„Sushi“ steht nicht auf der Karte von Pizzeria Da Luigi." in card["note"]
    assert [b["action"] for b in card["buttons"]] == ["dismiss"]
    r = press(client, anna, proposal["id"], "confirm", str(card["ref"]["proposal"]))
    assert r.status_code == 422
    assert balance(client, anna) == 5000 and orders_count(db) == 0


def test_an_ambiguous_dish_asks_which(client, people, chat):
    anna = people["anna"]
    say(client, anna, chat, "Bestell 2 Pizza bei Luigi für 19 Uhr")
    card = card_of(client, anna, chat, "food_order_proposal")["card"]
    assert fields(card)["2× Pizza"] == "welches genau?"
    assert card["note"].startswith("„Pizza“: welches genau? Pizza Calzone, Pizza Capricciosa")
    assert [b["action"] for b in card["buttons"]] == ["dismiss"]


def test_no_restaurant_said_or_a_closed_time_offers_no_confirm(client, people, chat):
    anna = people["anna"]
    say(client, anna, chat, "Bestell 2 Pizza Hawaii für 19 Uhr")
    card = card_of(client, anna, chat, "food_order_proposal")["card"]
    assert card["note"].startswith("Bei welchem Restaurant?")
    assert "Pizzeria Da Luigi" in card["note"] and "Burgerwerk" in card["note"]
    assert [b["action"] for b in card["buttons"]] == ["dismiss"]

    say(client, anna, chat, "Bestell 2 Pizza Hawaii bei Luigi für 23 Uhr")
    card = card_of(client, anna, chat, "food_order_proposal")["card"]
    assert card["note"] == (
        "Pizzeria Da Luigi hat So 22.11. um 23:00 geschlossen (geöffnet 12:00-14:30, 17:00-22:00)."
    )
    assert [b["action"] for b in card["buttons"]] == ["dismiss"]

    say(client, anna, chat, "Bestell 2 Pizza Hawaii bei Mario für 19 Uhr")
    card = card_of(client, anna, chat, "food_order_proposal")["card"]
    assert card["note"].startswith("Kein Restaurant „Mario“ gefunden.")


def test_no_time_said_picks_the_earliest_open_pickup(client, people, chat):
    anna = people["anna"]
    say(client, anna, chat, "Bestell eine Pizza Hawaii bei Luigi")
    card = card_of(client, anna, chat, "food_order_proposal")["card"]
    # Sunday 10:00 + 30 min is before the pizzeria opens at 12:00
    assert fields(card)["Abholung"] == "12:00 · Pizzeria Da Luigi, Kirchgasse 5"
    assert [b["action"] for b in card["buttons"]] == ["confirm", "dismiss"]


def test_burgerwerk_in_english(client, people, chat):
    cem = people["cem"]
    say(client, cem, chat, "order 2 cheeseburgers from Burgerwerk at 8pm")
    card = card_of(client, cem, chat, "food_order_proposal")["card"]
    assert card["title"] == "Order from Burgerwerk"
    assert fields(card)["2× Cheeseburger"] == "2 × €11.90 = €23.80"
    assert fields(card)["Pickup"] == "20:00 · Burgerwerk am Bahnhof, Bahnhofstraße 2"


def test_pickup_rules():
    hours = parse_opening_hours({"sun": [["12:00", "14:30"], ["17:00", "22:00"]]})
    now = datetime.fromisoformat("2026-11-22T13:52:10+01:00")
    assert pickup.round_up(now).isoformat() == "2026-11-22T13:55:00+01:00"
    assert pickup.earliest_pickup(hours, now).isoformat() == "2026-11-22T14:25:00+01:00"
    late = datetime.fromisoformat("2026-11-22T14:10:00+01:00")
    assert pickup.earliest_pickup(hours, late).isoformat() == "2026-11-22T17:00:00+01:00"
    at = datetime.fromisoformat
    assert pickup.pickup_problem(hours, at("2026-11-22T13:00:00+01:00"), now) == "past"
    assert pickup.pickup_problem(hours, at("2026-11-22T14:00:00+01:00"), now) == "too_soon"
    assert pickup.pickup_problem(hours, at("2026-11-22T15:00:00+01:00"), now) == "closed"
    assert pickup.pickup_problem(hours, at("2026-11-22T22:00:00+01:00"), now) == "closed"
    assert pickup.pickup_problem(hours, at("2026-12-06T18:00:00+01:00"), now) == "too_far"
    assert pickup.pickup_problem(hours, at("2026-11-22T21:59:00+01:00"), now) is None


def test_two_simultaneous_confirms_pay_once(client, app, people, chat, db):
    """Two taps at the same moment (two requests in parallel): one order, one payment."""
    from kosmos.chat import messages
    from kosmos.errors import Problem

    anna = people["anna"]
    top_up(client, anna, 5000)
    say(client, anna, chat, ORDER)
    proposal = card_of(client, anna, chat, "food_order_proposal")
    value = confirm_value(proposal["card"])
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def tap() -> None:
        barrier.wait(timeout=30)
        with app.state.write_factory() as session:  # SQLite: queues on the writer lock
            user = session.get(User, anna.id)
            try:
                messages.press_button(session, user, proposal["id"], "confirm", value)
                outcomes.append("paid")
            except Problem as exc:
                outcomes.append(exc.status)

    threads = [threading.Thread(target=tap) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(outcomes) == 2, outcomes
    assert outcomes.count("paid") == 1 and {o for o in outcomes if o != "paid"} <= {409, 422}
    assert balance(client, anna) == 5000 - 2850
    assert len(purchases(db, anna.id)) == 1 and orders_count(db) == 1
    assert ledger.verify(db) == []


def test_confirming_after_the_pickup_time_passed_is_refused(client, people, chat, db,
                                                            frozen_clock):  # fmt: skip
    anna = people["anna"]
    top_up(client, anna, 5000)
    say(client, anna, chat, ORDER)
    proposal = card_of(client, anna, chat, "food_order_proposal")
    frozen_clock.advance(hours=8, minutes=50)  # 18:50, ten minutes before pickup
    r = press(client, anna, proposal["id"], "confirm", confirm_value(proposal["card"]))
    assert (r.status_code, r.json()["code"]) == (422, "pickup_too_soon")
    assert balance(client, anna) == 5000 and orders_count(db) == 0
