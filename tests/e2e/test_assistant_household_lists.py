"""A household's shared shopping and to-do lists: typed items are parsed and matched to the
catalog, check-off works for every member, nobody else sees them."""

from __future__ import annotations

import pytest
from tests.e2e.test_households_and_friends_api import _befriend
from tests.support import make_account, page_login


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


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_first_view_of_a_list_survives_a_commit_elsewhere(client, monkeypatch, settings, anna):
    """The list is made on first view, by a GET. On SQLite a reading transaction that writes
    late fails outright if another connection committed after it began (as the parcel
    stations' reports do all the time): the page and the API view take the write lock first,
    so the other writer waits instead (CI failure of stop 13: an "Internal Server Error")."""
    import sqlite3

    from kosmos.assistant import lists

    hid = household(client, anna)
    real = lists.get_household

    def household_then_someone_commits(session, user, household_id):  # noqa: ANN001, ANN202
        found = real(session, user, household_id)
        other = sqlite3.connect(settings.database_url.removeprefix("sqlite:///"), timeout=0.2)
        try:
            other.execute("UPDATE households SET name = name || '!' WHERE id = ?", (household_id,))
            other.commit()
        except sqlite3.OperationalError:
            pass  # locked: this request holds the write lock, as it should
        finally:
            other.close()
        return found

    monkeypatch.setattr(lists, "get_household", household_then_someone_commits)
    page_login(client, "anna", anna.password)
    page = client.get(f"/assistant/households/{hid}/lists")
    assert page.status_code == 200, page.text
    r = client.get(f"/api/v1/assistant/households/{hid}/lists/todo", headers=anna.headers)
    assert r.status_code == 200, r.text
