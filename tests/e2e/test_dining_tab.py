"""A table's shared tab over HTTP: two friends scan the table's QR, each adds dishes from
their own phone, both see the whole tab, the pizzeria's kitchen gets the orders grouped by
table and marks them done, both pay their own dishes with a tip, the receipts carry the
right VAT per rate (food 7 %, drinks 19 %, tip 0 %), and the tab closes. Then: an even
split of a tab by three, shares to the cent."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from tests.dining_support import add, dining_world, dish, join, pay, payment_of, read_tab, vat_table
from tests.support import page_login
from tests.wallet_support import balance, top_up

from kosmos.places.dining.setup import table_url
from kosmos.places.dining.tables import Tab
from kosmos.wallet import accounts, ledger


@pytest.fixture
def world(db):
    return dining_world(db)


def shop_balance(db, merchant_id):
    db.rollback()
    amount = ledger.balance(db, accounts.merchant_account(db, merchant_id).id).amount
    db.commit()  # merchant_account may create the account: do not hold the writer lock
    return amount


def test_two_friends_share_a_tab_the_kitchen_cooks_and_both_pay_their_dishes(client, db, world):
    anna, ben, luigi = world["anna"], world["ben"], world["luigi"]
    pizzeria, table = world["pizzeria"], world["tables"][0]
    margherita, salami = dish(db, pizzeria, "Pizza Margherita"), dish(db, pizzeria, "Pizza Salami")
    cola, beer = dish(db, pizzeria, "Cola"), dish(db, pizzeria, "Birra alla spina")
    top_up(client, anna, 5000)
    top_up(client, ben, 5000)
    before = shop_balance(db, pizzeria.id)
    assert table_url(table.token) == f"http://127.0.0.1:8000/t/{table.token}"

    # both scan the table's QR code: one tab
    tab = join(client, anna, table.token)
    assert join(client, ben, table.token)["id"] == tab["id"]
    tab_id = tab["id"]
    assert join(client, anna, table.token)["id"] == tab_id  # scanning again is harmless

    # each adds dishes from their own phone; prices come from the catalog
    assert add(client, anna, tab_id, (margherita.id, 1), (cola.id, 1)).status_code == 201
    r = add(client, ben, tab_id, (salami.id, 1), (beer.id, 1))
    assert r.status_code == 201, r.text
    for who in (anna, ben):
        seen = read_tab(client, who, tab_id).json()
        assert [(i["name"], i["ordered_by"]["name"], i["unit_price_cents"], i["vat_rate"])
                for i in seen["items"]] == [
            ("Pizza Margherita", "Anna Schmidt", 950, 7), ("Cola", "Anna Schmidt", 390, 19),
            ("Pizza Salami", "Ben Müller", 1090, 7), ("Birra alla spina", "Ben Müller", 490, 19),
        ]  # fmt: skip
        assert (seen["total_cents"], seen["open_cents"], seen["status"]) == (2920, 2920, "open")
        assert {m["name"] for m in seen["members"]} == {"Anna Schmidt", "Ben Müller"}

    # the kitchen sees the table's orders, newest last, and marks them done
    queue = client.get(f"/api/v1/dining/merchants/{pizzeria.id}/kitchen", headers=luigi.headers)
    assert queue.status_code == 200, queue.text
    [group] = queue.json()["tables"]
    assert group["table"] == table.label and group["tab_id"] == tab_id
    assert [i["name"] for i in group["items"]] == [
        "Pizza Margherita", "Cola", "Pizza Salami", "Birra alla spina"]  # fmt: skip
    items = read_tab(client, anna, tab_id).json()["items"]
    kitchen = f"/api/v1/dining/merchants/{pizzeria.id}/kitchen"
    for item in items[:3]:
        done = client.post(f"{kitchen}/items/{item['id']}/done", headers=luigi.headers)
        assert done.status_code == 200 and done.json()["status"] == "done"
    again = client.post(f"{kitchen}/items/{items[0]['id']}/done", headers=luigi.headers)
    assert (again.status_code, again.json()["code"]) == (409, "already_done")
    statuses = [i["status"] for i in read_tab(client, ben, tab_id).json()["items"]]
    assert statuses == ["done", "done", "done", "ordered"]
    [left] = client.get(f"/api/v1/dining/merchants/{pizzeria.id}/kitchen",
                        headers=luigi.headers).json()["tables"]  # fmt: skip
    assert [i["name"] for i in left["items"]] == ["Birra alla spina"]
    # the kitchen display page shows it too
    page_login(client, "luigi", luigi.password)
    page = client.get(f"/backoffice/merchants/{pizzeria.id}/kitchen")
    assert page.status_code == 200 and "Birra alla spina" in page.text
    assert f'data-live="kitchen:{pizzeria.id}"' in page.text and "/static/live.js" in page.text
    client.cookies.clear()

    # anna pays her dishes with a 10 % tip
    mine = [i["id"] for i in items if i["ordered_by"]["id"] == anna.id]
    r = pay(client, anna, tab_id, mode="items", item_ids=mine, tip_percent=10)
    assert r.status_code == 201, r.text
    assert r.json()["tab"]["status"] == "open"
    paid = r.json()["payment"]
    assert paid["amount"] == 1340 + 134
    lines = payment_of(db, paid["reference"]).lines
    assert [(x["name"], x["unit_price"], x["vat_rate"]) for x in lines] == [
        ("Pizza Margherita", 950, 7), ("Cola", 390, 19), ("Trinkgeld", 134, 0)]  # fmt: skip
    assert vat_table(db, paid["reference"]) == {0: (134, 0), 7: (950, 62), 19: (390, 62)}
    seen = read_tab(client, ben, tab_id).json()
    assert (seen["paid_cents"], seen["open_cents"]) == (1340, 1580)

    # ben pays his with a tip he types: the tab closes
    his = [i["id"] for i in items if i["ordered_by"]["id"] == ben.id]
    r = pay(client, ben, tab_id, mode="items", item_ids=his, tip_cents=200)
    assert r.status_code == 201, r.text
    assert r.json()["tab"]["status"] == "closed"
    reference = r.json()["payment"]["reference"]
    assert vat_table(db, reference) == {0: (200, 0), 7: (1090, 71), 19: (490, 78)}
    seen = read_tab(client, anna, tab_id).json()
    assert (seen["status"], seen["open_cents"], seen["paid_cents"]) == ("closed", 0, 2920)
    assert all(i["paid"] for i in seen["items"])

    # money: each paid their own, the pizzeria got everything, the ledger balances
    assert balance(client, anna) == 5000 - 1474
    assert balance(client, ben) == 5000 - 1780
    assert shop_balance(db, pizzeria.id) - before == 1474 + 1780
    assert ledger.verify(db) == []
    # the receipts are the payers' own
    for who, ref in ((anna, paid["reference"]), (ben, reference)):
        assert client.get(f"/api/v1/wallet/payments/{ref}", headers=who.headers).status_code == 200
    assert client.get(f"/api/v1/wallet/payments/{reference}", headers=anna.headers
                      ).status_code == 404  # fmt: skip

    # the next guests at the table get a new tab
    assert join(client, world["cem"], table.token)["id"] != tab_id


def test_an_even_split_by_three_shares_to_the_cent(client, db, world):
    anna, ben, cem = world["anna"], world["ben"], world["cem"]
    pizzeria, table = world["pizzeria"], world["tables"][1]
    for who in (anna, ben, cem):
        top_up(client, who, 3000)
    tab_id = join(client, anna, table.token)["id"]
    join(client, ben, table.token)
    join(client, cem, table.token)
    margherita, salami = dish(db, pizzeria, "Pizza Margherita"), dish(db, pizzeria, "Pizza Salami")
    beer = dish(db, pizzeria, "Birra alla spina")
    add(client, anna, tab_id, (margherita.id, 1), (beer.id, 1))
    add(client, ben, tab_id, (salami.id, 1))

    # anna splits 25.30 EUR (20.40 food, 4.90 drinks) by three
    r = client.post(f"/api/v1/dining/tabs/{tab_id}/splits", headers=anna.headers,
                    json={"parts": 3})  # fmt: skip
    assert r.status_code == 201, r.text
    [split] = r.json()["splits"]
    assert [s["amount_cents"] for s in split["shares"]] == [844, 843, 843]
    # nothing is left to pay dish by dish, nor to split again
    assert pay(client, ben, tab_id, mode="items",
               item_ids=[r.json()["items"][0]["id"]]).status_code == 409  # fmt: skip
    again = client.post(f"/api/v1/dining/tabs/{tab_id}/splits", headers=ben.headers,
                        json={"parts": 2})  # fmt: skip
    assert (again.status_code, again.json()["code"]) == (409, "nothing_to_split")

    # each pays one share, with or without a tip
    refs = []
    for who, share, tip in zip((anna, ben, cem), split["shares"], ({"tip_percent": 5}, {},
                               {"tip_cents": 57}), strict=True):  # fmt: skip
        r = pay(client, who, tab_id, mode="share", share_id=share["id"], **tip)
        assert r.status_code == 201, r.text
        refs.append(r.json()["payment"]["reference"])
    assert r.json()["tab"]["status"] == "closed"
    tables = [vat_table(db, ref) for ref in refs]
    assert tables[0] == {0: (42, 0), 7: (681, 45), 19: (163, 26)}
    assert [t.get(7, (0, 0))[0] + t.get(19, (0, 0))[0] for t in tables] == [844, 843, 843]
    assert sum(t[7][0] for t in tables) == 2040 and sum(t[19][0] for t in tables) == 490
    lines = payment_of(db, refs[1]).lines
    assert [x["name"] for x in lines] == ["Anteil 2/3 · Speisen (7 %)",
                                          "Anteil 2/3 · Getränke (19 %)"]  # fmt: skip
    assert [balance(client, w) for w in (anna, ben, cem)] == [3000 - 886, 3000 - 843, 3000 - 900]
    seen = read_tab(client, cem, tab_id).json()
    assert seen["status"] == "closed" and all(i["paid"] for i in seen["items"])
    assert all(s["paid"] for s in seen["splits"][0]["shares"])
    db.rollback()
    assert db.scalar(select(func.count()).select_from(Tab).where(Tab.status == "open")) == 0
    assert ledger.verify(db) == []
