"""Order ahead for pickup: order and pay in the app (API with an Idempotency-Key, and the
page with a hidden key), the kitchen display shows the pickup order next to the tables,
staff mark it ready (the customer's status page follows), a time outside the opening hours
is refused, and the pay-at-the-table pages work with a form (tip, receipt)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select
from tests.dining_support import add, dining_world, dish, english, join, payment_of, read_tab
from tests.support import page_login
from tests.wallet_support import balance, set_pin, top_up

from kosmos.places.dining.tables_orders import FoodOrder
from kosmos.wallet import ledger

NOON = "2026-11-22T12:30:00+01:00"  # Sunday: the pizzeria opens 12:00-14:30


@pytest.fixture
def world(db):
    return dining_world(db)


def orders(db):
    db.rollback()
    return db.scalar(select(func.count()).select_from(FoodOrder))


def order_ahead(client, who, key, **body):
    return client.post("/api/v1/dining/orders", json=body,
                       headers={**who.headers, "Idempotency-Key": key})  # fmt: skip


def test_order_ahead_pay_once_kitchen_marks_ready(client, db, world):
    anna, ben, luigi, pizzeria = world["anna"], world["ben"], world["luigi"], world["pizzeria"]
    top_up(client, anna, 5000)
    margherita, cola = dish(db, pizzeria, "Pizza Margherita"), dish(db, pizzeria, "Cola")
    menu = client.get(f"/api/v1/dining/restaurants/{pizzeria.id}/menu", headers=anna.headers)
    assert menu.status_code == 200
    assert menu.json()["pickup_times"][0] == "2026-11-22T12:00:00+01:00"
    assert NOON in menu.json()["pickup_times"]
    body = {"merchant_id": pizzeria.id, "pickup_at": NOON,
            "items": [{"product_id": margherita.id, "quantity": 2},
                      {"product_id": cola.id, "quantity": 1}]}  # fmt: skip
    r = order_ahead(client, anna, "order-1", **body)
    assert r.status_code == 201, r.text
    order = r.json()
    assert (order["status"], order["total_cents"], order["customer"]) == (
        "placed", 2290, "Anna Schmidt")  # fmt: skip
    again = order_ahead(client, anna, "order-1", **body)
    assert again.headers.get("Idempotent-Replayed") == "true" and again.json() == order
    assert balance(client, anna) == 5000 - 2290 and orders(db) == 1
    lines = payment_of(db, order["payment_reference"]).lines
    assert [(x["name"], x["quantity"], x["vat_rate"]) for x in lines] == [
        ("Pizza Margherita", "2", 7), ("Cola", "1", 19)]  # fmt: skip
    # only the customer and the restaurant see it
    assert (
        client.get(f"/api/v1/dining/orders/{order['id']}", headers=ben.headers).status_code == 404
    )
    assert (
        client.get(f"/api/v1/dining/orders/{order['id']}", headers=luigi.headers).status_code == 200
    )
    assert client.post(f"/api/v1/dining/orders/{order['id']}/status", headers=anna.headers,
                       json={"status": "ready"}).status_code == 403  # fmt: skip
    # the kitchen display shows pickup orders next to the tables
    queue = client.get(f"/api/v1/dining/merchants/{pizzeria.id}/kitchen", headers=luigi.headers)
    assert [p["id"] for p in queue.json()["pickups"]] == [order["id"]]
    token = page_login(client, "luigi", luigi.password)
    english(client)
    page = client.get(f"/backoffice/merchants/{pizzeria.id}/kitchen")
    assert f'data-order="{order["id"]}"' in page.text and "12:30" in page.text
    ready = client.post(f"/backoffice/merchants/{pizzeria.id}/kitchen/orders/{order['id']}/ready",
                        data={"csrf_token": token}, follow_redirects=False)  # fmt: skip
    assert ready.status_code == 303
    twice = client.post(f"/backoffice/merchants/{pizzeria.id}/kitchen/orders/{order['id']}/ready",
                        data={"csrf_token": token})  # fmt: skip
    assert twice.status_code == 409 and "already marked ready" in twice.text
    client.cookies.clear()
    page_login(client, "anna", anna.password)
    status = client.get(f"/dining/orders/{order['id']}")
    assert (
        'data-status="ready"' in status.text and f'data-live="order:{order["id"]}"' in status.text
    )
    assert client.get("/dining").status_code == 200
    assert ledger.verify(db) == []


def test_order_ahead_refuses_closed_times_bad_dishes_and_asks_for_the_pin(client, db, world):
    anna, pizzeria = world["anna"], world["pizzeria"]
    top_up(client, anna, 10000)
    margherita = dish(db, pizzeria, "Pizza Margherita")
    base = {"merchant_id": pizzeria.id, "items": [{"product_id": margherita.id, "quantity": 1}]}
    r = order_ahead(client, anna, "k1", **base, pickup_at="2026-11-22T15:30:00+01:00")
    assert (r.status_code, r.json()["code"]) == (422, "pickup_closed")
    r = order_ahead(client, anna, "k2", **base, pickup_at="2026-11-22T10:05:00+01:00")
    assert (r.status_code, r.json()["code"]) == (422, "pickup_too_soon")
    r = order_ahead(client, anna, "k3", **{**base, "merchant_id": world["burger"].id},
                    pickup_at=NOON)  # fmt: skip
    assert (r.status_code, r.json()["code"]) == (422, "not_on_menu")
    r = order_ahead(client, anna, "k4", **base, pickup_at="2026-11-22T12:30:00")
    assert r.status_code == 422  # no time zone
    big = {**base, "items": [{"product_id": margherita.id, "quantity": 6}]}
    set_pin(client, anna, "4711")
    r = order_ahead(client, anna, "k5", **big, pickup_at=NOON)
    assert (r.status_code, r.json()["code"]) == (403, "sca_required")
    assert orders(db) == 0 and balance(client, anna) == 10000
    r = order_ahead(client, anna, "k5", **big, pickup_at=NOON, pin="4711")
    assert r.status_code == 201, r.text
    assert orders(db) == 1 and balance(client, anna) == 10000 - 5700


def test_order_ahead_page(client, db, world):
    anna, pizzeria = world["anna"], world["pizzeria"]
    top_up(client, anna, 5000)
    token = page_login(client, "anna", anna.password)
    english(client)
    page = client.get(f"/dining/order-ahead/{pizzeria.id}")
    assert page.status_code == 200 and "Pizza Margherita" in page.text
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page.text).group(1)
    ids = re.findall(r'name="product_id" value="(\d+)"', page.text)
    margherita = str(dish(db, pizzeria, "Pizza Margherita").id)
    quantities = ["2" if i == margherita else "" for i in ids]
    form = {"csrf_token": token, "idempotency_key": key, "pickup_at": NOON,
            "product_id": ids, "quantity": quantities}  # fmt: skip
    r = client.post(f"/dining/order-ahead/{pizzeria.id}", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text
    assert re.fullmatch(r"/dining/orders/\d+", r.headers["location"])
    again = client.post(f"/dining/order-ahead/{pizzeria.id}", data=form, follow_redirects=False)
    assert again.headers["location"] == r.headers["location"]  # a double click pays once
    assert orders(db) == 1 and balance(client, anna) == 5000 - 1900
    # nothing chosen: a message next to the dishes, nothing paid
    empty = client.post(f"/dining/order-ahead/{pizzeria.id}", data={
        **form, "idempotency_key": "other", "quantity": [""] * len(ids)})  # fmt: skip
    assert empty.status_code == 422 and "Choose at least one dish." in empty.text
    assert orders(db) == 1


def test_the_tab_pages_add_a_dish_and_pay_by_form_with_a_tip(client, db, world):
    anna, pizzeria, table = world["anna"], world["pizzeria"], world["tables"][3]
    top_up(client, anna, 5000)
    token = page_login(client, "anna", anna.password)
    english(client)
    opened = client.get(f"/t/{table.token}", follow_redirects=False)
    tab_url = opened.headers["location"]
    page = client.get(tab_url)
    assert (
        page.status_code == 200
        and "Tisch 4" in page.text
        and "Menu" in page.text
        and "/static/live.js" in page.text
    )
    tab_id = int(tab_url.rsplit("/", 1)[1])
    assert f'data-live="tab:{tab_id}"' in page.text
    margherita = dish(db, pizzeria, "Pizza Margherita")
    r = client.post(f"{tab_url}/items", data={"csrf_token": token, "product_id": margherita.id},
                    follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    unknown = client.post(f"{tab_url}/items", data={"csrf_token": token, "product_id": 999999})
    assert unknown.status_code == 422 and "not on this restaurant" in unknown.text
    item = read_tab(client, anna, tab_id).json()["items"][0]["id"]
    pay_page = client.get(f"{tab_url}/pay")
    assert pay_page.status_code == 200 and 'name="pin"' in pay_page.text
    key = re.search(r'name="idempotency_key" value="([^"]+)"', pay_page.text).group(1)
    form = {"csrf_token": token, "idempotency_key": key, "mode": "items", "item_ids": [item],
            "tip": "custom", "tip_amount": "1,50"}  # fmt: skip
    bad = client.post(f"{tab_url}/pay", data={**form, "tip_amount": "zehn"})
    assert bad.status_code == 422 and "Enter a price like 1,49." in bad.text
    paid = client.post(f"{tab_url}/pay", data=form, follow_redirects=False)
    assert paid.status_code == 303 and paid.headers["location"].startswith("/wallet/receipts/")
    receipt = client.get(paid.headers["location"])
    assert "Trinkgeld" in receipt.text and "Pizza Margherita" in receipt.text
    again = client.post(f"{tab_url}/pay", data=form, follow_redirects=False)
    assert again.headers["location"] == paid.headers["location"]
    assert balance(client, anna) == 5000 - 950 - 150
    closed = client.get(tab_url)
    assert 'data-testid="tab-closed"' in closed.text
    add_after = add(client, anna, tab_id, (margherita.id, 1))
    assert add_after.status_code == 409
    assert join(client, anna, table.token)["id"] != tab_id
