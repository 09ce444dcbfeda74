"""Object-level authorization: user B never reads or changes user A's objects.

One test per endpoint that takes an object id; plus every non-public API operation
refuses a caller without credentials.
"""

import re

import pytest
from sqlalchemy import select

from kosmos.accounts.tables import AccessToken

PUBLIC = {
    ("POST", "/api/v1/accounts"),
    ("POST", "/api/v1/auth/token"),
    ("POST", "/api/v1/auth/password-reset"),
    ("POST", "/api/v1/auth/password-reset/confirm"),
    ("GET", "/api/v1/push/vapid-public-key"),  # what browsers subscribe with: public
    # a parcel station's own screen: the pickup code is the credential (rate limited)
    ("POST", "/api/v1/delivery/stations/{code}/open"),
    ("POST", "/api/v1/delivery/stations/{code}/confirm"),
}
PUBLIC_PREFIXES = ("/api/v1/products", "/api/v1/merchants", "/api/v1/stores", "/api/v1/barcodes")


def _anna_household(client, anna):
    return client.post("/api/v1/households", headers=anna.headers, json={"name": "WG"}).json()


def test_every_private_operation_needs_credentials(client, app):
    # given every operation in the OpenAPI document
    spec = client.get("/api/openapi.json").json()
    checked = 0
    for path, ops in spec["paths"].items():
        for method in ops:
            if (method.upper(), path) in PUBLIC or path.startswith(PUBLIC_PREFIXES):
                continue
            url = re.sub(r"\{[^}]+\}", "1", path)
            # when called without credentials
            response = client.request(method.upper(), url, json={})
            # then
            assert response.status_code == 401, (method, path, response.text)
            assert response.headers["content-type"] == "application/problem+json"
            checked += 1
    assert checked >= 15


def test_b_cannot_read_a_token_of_a(client, db, anna, ben):
    token_id = db.scalar(select(AccessToken.id).where(AccessToken.user_id == anna.id))
    assert client.get(f"/api/v1/me/tokens/{token_id}", headers=ben.headers).status_code == 404


def test_b_cannot_revoke_a_token_of_a(client, db, anna, ben):
    token_id = db.scalar(select(AccessToken.id).where(AccessToken.user_id == anna.id))
    assert client.delete(f"/api/v1/me/tokens/{token_id}", headers=ben.headers).status_code == 404
    assert client.get("/api/v1/me", headers=anna.headers).status_code == 200


def test_b_cannot_read_the_household_of_a(client, anna, ben):
    hid = _anna_household(client, anna)["id"]
    assert client.get(f"/api/v1/households/{hid}", headers=ben.headers).status_code == 404


def test_b_cannot_rename_the_household_of_a(client, anna, ben):
    hid = _anna_household(client, anna)["id"]
    response = client.patch(f"/api/v1/households/{hid}", headers=ben.headers, json={"name": "X"})
    assert response.status_code == 404
    assert client.get(f"/api/v1/households/{hid}", headers=anna.headers).json()["name"] == "WG"


def test_b_cannot_add_himself_to_the_household_of_a(client, anna, ben):
    hid = _anna_household(client, anna)["id"]
    response = client.post(
        f"/api/v1/households/{hid}/members", headers=ben.headers, json={"username": "ben"}
    )
    assert response.status_code == 404
    assert len(client.get(f"/api/v1/households/{hid}", headers=anna.headers).json()["members"]) == 1


def test_b_cannot_remove_a_from_her_household(client, anna, ben):
    hid = _anna_household(client, anna)["id"]
    response = client.delete(f"/api/v1/households/{hid}/members/{anna.id}", headers=ben.headers)
    assert response.status_code == 404
    assert len(client.get(f"/api/v1/households/{hid}", headers=anna.headers).json()["members"]) == 1


def test_b_cannot_revoke_an_invite_of_a(client, anna, ben):
    invite = client.post("/api/v1/friends/invites", headers=anna.headers).json()
    assert (
        client.delete(f"/api/v1/friends/invites/{invite['id']}", headers=ben.headers).status_code
        == 404
    )
    assert [
        i["id"] for i in client.get("/api/v1/friends/invites", headers=anna.headers).json()["items"]
    ] == [invite["id"]]


def test_b_cannot_remove_a_friendship_between_a_and_c(client, db, anna, ben):
    from tests.support import make_account

    cem = make_account(db, "cem")
    code = client.post("/api/v1/friends/invites", headers=anna.headers).json()["code"]
    client.post("/api/v1/friends/accept", headers=cem.headers, json={"code": code})
    assert client.delete(f"/api/v1/friends/{cem.id}", headers=ben.headers).status_code == 404
    assert len(client.get("/api/v1/friends", headers=anna.headers).json()["items"]) == 1


@pytest.mark.parametrize("path", ["/profile", "/friends", "/household"])
def test_pages_redirect_guests_to_login(client, path):
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/login?next={path}"
