"""Who may see what, and bad input: a tab only for those who joined it through the table's
token, kitchen and tables only for the restaurant's staff, an order only for its customer
and the restaurant; unknown dishes, another restaurant's dish, a paid tab, odd payments:
a clear 4xx problem+json and nothing changes."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from tests.dining_support import add, dining_world, dish, english, join, pay, read_tab
from tests.support import page_login
from tests.wallet_support import balance, top_up

from kosmos.places.dining.tables import TabItem
from kosmos.wallet import ledger
from kosmos.wallet.tables import Payment


@pytest.fixture
def world(db):
    return dining_world(db)


@pytest.fixture
def tab(client, db, world):
    """anna's tab at table 1 with a Pizza Margherita and a Cola."""
    top_up(client, world["anna"], 5000)
    tab_id = join(client, world["anna"], world["tables"][0].token)["id"]
    pizzeria = world["pizzeria"]
    r = add(client, world["anna"], tab_id, (dish(db, pizzeria, "Pizza Margherita").id, 1),
            (dish(db, pizzeria, "Cola").id, 1))  # fmt: skip
    assert r.status_code == 201, r.text
    return tab_id


def problem(r, status, code=None):
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    if code is not None:
        assert r.json()["code"] == code, r.json()


def items(db):
    db.rollback()
    return db.scalar(select(func.count()).select_from(TabItem))


def purchases(db):
    db.rollback()
    return db.scalar(select(func.count()).select_from(Payment).where(Payment.kind == "purchase"))


def test_only_who_joined_sees_the_tab(client, db, world, tab):
    ben, cem = world["ben"], world["cem"]
    problem(read_tab(client, ben, tab), 404)
    problem(add(client, ben, tab, (dish(db, world["pizzeria"], "Cola").id, 1)), 404)
    problem(pay(client, ben, tab, mode="whole"), 404)
    problem(client.post(f"/api/v1/dining/tabs/{tab}/splits", headers=ben.headers,
                        json={"parts": 2}), 404)  # fmt: skip
    assert items(db) == 2 and purchases(db) == 0
    # pages too
    page_login(client, "cem", cem.password)
    assert client.get(f"/dining/tabs/{tab}").status_code == 404
    assert client.get(f"/dining/tabs/{tab}/pay").status_code == 404
    # scanning the table's code is what lets you in
    opened = client.get(f"/t/{world['tables'][0].token}", follow_redirects=False)
    assert (opened.status_code, opened.headers["location"]) == (303, f"/dining/tabs/{tab}")
    assert client.get(f"/dining/tabs/{tab}").status_code == 200
    assert read_tab(client, cem, tab).status_code == 200
    # an unknown or guessed token opens nothing
    problem(client.post("/api/v1/dining/tables/not-a-token/join", headers=ben.headers), 404)
    assert client.get("/t/not-a-token").status_code == 404


def test_a_page_asks_to_log_in_first(client, world):
    r = client.get(f"/t/{world['tables'][0].token}", follow_redirects=False)
    assert r.status_code in (302, 303) and "/login" in r.headers["location"]


def test_kitchen_and_tables_are_for_the_restaurants_staff(client, db, world, tab):
    pizzeria, anna, jonas, luigi = world["pizzeria"], world["anna"], world["jonas"], world["luigi"]
    kitchen = f"/api/v1/dining/merchants/{pizzeria.id}/kitchen"
    tables = f"/api/v1/dining/merchants/{pizzeria.id}/tables"
    problem(client.get(kitchen, headers=anna.headers), 403, "not_merchant_staff")
    problem(client.get(kitchen, headers=jonas.headers), 404)
    problem(client.get(tables, headers=jonas.headers), 404)
    problem(client.post(tables, headers=jonas.headers, json={"label": "Tisch 99"}), 404)
    item = read_tab(client, anna, tab).json()["items"][0]["id"]
    problem(client.post(f"{kitchen}/items/{item}/done", headers=anna.headers), 403)
    problem(client.post(f"/api/v1/dining/merchants/{world['burger'].id}/kitchen/items/{item}/done",
                        headers=jonas.headers), 404)  # fmt: skip
    assert client.get(kitchen, headers=luigi.headers).status_code == 200
    # luigi adds a table; its QR encodes the absolute URL with an unguessable token
    r = client.post(tables, headers=luigi.headers, json={"label": "Terrasse 1"})
    assert r.status_code == 201, r.text
    assert r.json()["url"] == f"http://127.0.0.1:8000/t/{r.json()['token']}"
    assert len(r.json()["token"]) >= 22
    problem(client.post(tables, headers=luigi.headers, json={"label": "Terrasse 1"}), 422,
            "table_exists")  # fmt: skip
    assert [t["label"] for t in client.get(tables, headers=luigi.headers).json()][
        -1
    ] == "Terrasse 1"
    # pages: 403 for customers, 404 for another restaurant's staff
    page_login(client, "anna", anna.password)
    assert client.get(f"/backoffice/merchants/{pizzeria.id}/kitchen").status_code == 403
    assert client.get(f"/backoffice/merchants/{pizzeria.id}/tables").status_code == 403
    client.cookies.clear()
    page_login(client, "jonas", jonas.password)
    assert client.get(f"/backoffice/merchants/{pizzeria.id}/kitchen").status_code == 404
    assert client.get(f"/backoffice/merchants/{pizzeria.id}/tables").status_code == 404
    client.cookies.clear()
    token = page_login(client, "luigi", luigi.password)
    english(client)
    page = client.get(f"/backoffice/merchants/{pizzeria.id}/tables")
    assert (
        page.status_code == 200 and page.text.count('<svg xmlns="http://www.w3.org/2000/svg"') >= 7
    )
    svg = client.get(f"/backoffice/merchants/{pizzeria.id}/tables/{r.json()['id']}/qr.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml") and "<svg" in svg.text
    added = client.post(f"/backoffice/merchants/{pizzeria.id}/tables",
                        data={"label": "", "csrf_token": token})  # fmt: skip
    assert added.status_code == 422 and "1 to 40 characters" in added.text


def test_bad_dishes_are_refused_and_nothing_changes(client, db, world, tab):
    anna = world["anna"]
    before = read_tab(client, anna, tab).json()
    problem(add(client, anna, tab, (999999, 1)), 422, "not_on_menu")
    burger = dish(db, world["burger"], "Cheeseburger")
    r = add(client, anna, tab, (dish(db, world["pizzeria"], "Cola").id, 1), (burger.id, 1))
    problem(r, 422, "not_on_menu")
    assert str(burger.id) in r.json()["detail"]
    problem(add(client, anna, tab, (burger.id, 0)), 422)
    problem(add(client, anna, tab, (burger.id, 51)), 422)
    problem(
        client.post(
            f"/api/v1/dining/tabs/{tab}/items",
            headers=anna.headers,
            json={"items": [{"product_id": 1, "quantity": 1, "price": 1}]},
        ),
        422,
    )
    assert read_tab(client, anna, tab).json() == before and items(db) == 2


def test_odd_payments_are_refused_and_move_no_money(client, db, world, tab):
    anna = world["anna"]
    item = read_tab(client, anna, tab).json()["items"][0]["id"]
    problem(pay(client, anna, tab, mode="items", item_ids=[]), 422, "no_items")
    problem(pay(client, anna, tab, mode="items", item_ids=[999999]), 422, "unknown_item")
    problem(pay(client, anna, tab, mode="share", share_id=999999), 422, "unknown_share")
    problem(pay(client, anna, tab, mode="whole", tip_percent=10, tip_cents=100), 422, "tip_twice")
    problem(pay(client, anna, tab, mode="whole", tip_cents=999_99), 422, "bad_tip")
    problem(pay(client, anna, tab, mode="all"), 422)
    problem(client.post(f"/api/v1/dining/tabs/{tab}/payments", headers=anna.headers,
                        json={"mode": "whole"}), 400, "idempotency_key_required")  # fmt: skip
    problem(client.post(f"/api/v1/dining/tabs/{tab}/splits", headers=anna.headers,
                        json={"parts": 1}), 422)  # fmt: skip
    assert purchases(db) == 0 and balance(client, anna) == 5000
    # the same key twice pays once
    first = pay(client, anna, tab, key="tab-key-1", mode="items", item_ids=[item])
    second = pay(client, anna, tab, key="tab-key-1", mode="items", item_ids=[item])
    assert first.status_code == second.status_code == 201
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert first.json() == second.json() and purchases(db) == 1
    problem(pay(client, anna, tab, mode="items", item_ids=[item]), 409, "item_not_open")
    assert pay(client, anna, tab, mode="whole").status_code == 201
    # the tab is paid: nothing more to pay or add
    problem(pay(client, anna, tab, mode="whole"), 409, "tab_closed")
    problem(add(client, anna, tab, (dish(db, world["pizzeria"], "Cola").id, 1)), 409, "tab_closed")
    assert purchases(db) == 2 and balance(client, anna) == 5000 - 1340 and items(db) == 2
    assert ledger.verify(db) == []


def test_a_large_tab_needs_the_payment_pin(client, db, world):
    from tests.wallet_support import set_pin

    anna = world["anna"]
    top_up(client, anna, 10000)
    tab = join(client, anna, world["tables"][2].token)["id"]
    add(client, anna, tab, (dish(db, world["pizzeria"], "Lambrusco, Flasche").id, 3))
    problem(pay(client, anna, tab, key="big", mode="whole"), 403, "pin_not_set")
    set_pin(client, anna, "4711")
    problem(pay(client, anna, tab, key="big", mode="whole"), 403, "sca_required")
    problem(pay(client, anna, tab, key="big", mode="whole", pin="0000"), 403, "pin_wrong")
    assert purchases(db) == 0 and read_tab(client, anna, tab).json()["open_cents"] == 7470
    r = pay(client, anna, tab, key="big", mode="whole", pin="4711")
    assert r.status_code == 201, r.text
    assert r.json()["tab"]["status"] == "closed" and balance(client, anna) == 10000 - 7470
