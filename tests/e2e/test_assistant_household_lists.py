"""A household's shared shopping and to-do lists: typed items are parsed and matched to the
catalog, check-off works for every member, nobody else sees them."""

from __future__ import annotations

from tests.e2e.test_households_and_friends_api import _befriend
from tests.support import make_account


def household(client, owner, *members):
    r = client.post("/api/v1/households", headers=owner.headers, json={"name": "WG Parkstraße"})
    assert r.status_code == 201, r.text
    hid = r.json()["id"]
    for m in members:
        _befriend(client, owner, m)
        r = client.post(f"/api/v1/households/{hid}/members", headers=owner.headers,
                        json={"username": m.username})  # fmt: skip
        assert r.status_code in (200, 201), r.text
    return hid


def test_household_lists_are_shared_and_private(client, db, anna, ben):
    eve = make_account(db, "eve")
    hid = household(client, anna, ben)
    shopping = client.get(f"/api/v1/assistant/households/{hid}/lists/shopping",
                          headers=anna.headers).json()  # fmt: skip
    assert shopping["kind"] == "shopping" and shopping["items"] == []
    r = client.post(f"/api/v1/assistant/lists/{shopping['id']}/items", headers=ben.headers,
                    json={"text": "2 kg Äpfel, Milch und 6 Eier"})  # fmt: skip
    assert r.status_code == 201, r.text
    items = r.json()["items"]
    assert [(i["title"], i["quantity"], i["unit"]) for i in items] == [
        ("Äpfel", 2.0, "kg"), ("Milch", None, None), ("Eier", 6.0, "piece")]  # fmt: skip
    same = client.get(f"/api/v1/assistant/households/{hid}/lists/shopping",
                      headers=ben.headers).json()  # fmt: skip
    assert same["id"] == shopping["id"]
    milk = items[1]["id"]
    toggled = client.post(f"/api/v1/assistant/lists/{shopping['id']}/items/{milk}/toggle",
                          headers=anna.headers).json()  # fmt: skip
    assert [i["done"] for i in toggled["items"]] == [False, True, False]
    for url in (f"/api/v1/assistant/households/{hid}/lists/shopping",
                f"/api/v1/assistant/lists/{shopping['id']}"):  # fmt: skip
        assert client.get(url, headers=eve.headers).status_code == 404
    assert client.post(f"/api/v1/assistant/lists/{shopping['id']}/items", headers=eve.headers,
                       json={"text": "Bier"}).status_code == 404  # fmt: skip
    bad = client.post(f"/api/v1/assistant/lists/{shopping['id']}/items", headers=anna.headers,
                      json={"text": "!!!"})  # fmt: skip
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
