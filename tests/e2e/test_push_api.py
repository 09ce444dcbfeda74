"""Push subscriptions through the API, in the shape browsers send them."""

import base64

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import select
from tests.conftest import SECRET

from kosmos import config
from kosmos.config import Settings
from kosmos.push.tables import PushSubscription

ENDPOINT = "https://fcm.googleapis.com/fcm/send/dGVzdA:APA91b"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def browser_subscription(endpoint: str = ENDPOINT) -> dict:
    """What `PushSubscription.toJSON()` gives in a browser."""
    point = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    return {
        "endpoint": endpoint,
        "expirationTime": None,
        "keys": {"p256dh": b64(point), "auth": b64(b"0123456789abcdef")},
    }


@pytest.fixture
def settings(db_url, tmp_path):
    s = Settings(
        database_url=db_url,
        env="test",
        secret_key=SECRET,
        run_outbox_relay=False,
        vapid_private_key_path=str(tmp_path / "keys" / "vapid.pem"),
    )
    config.configure(s)
    yield s
    config.configure(None)


def endpoints(db):
    db.rollback()  # end the test's read transaction: see what the app committed
    return db.execute(
        select(PushSubscription.user_id, PushSubscription.endpoint).order_by(PushSubscription.id)
    ).all()


def test_the_vapid_public_key_is_public_and_stable(client, settings, tmp_path):
    first = client.get("/api/v1/push/vapid-public-key")
    second = client.get("/api/v1/push/vapid-public-key")
    assert first.status_code == 200
    key = first.json()["public_key"]
    assert second.json()["public_key"] == key
    assert base64.urlsafe_b64decode(key + "=")[:1] == b"\x04"
    assert (tmp_path / "keys" / "vapid.pem").exists()


def test_subscribe_and_unsubscribe(client, anna, db):
    # when Anna's browser subscribes
    body = browser_subscription()
    created = client.post(
        "/api/v1/push/subscriptions",
        json=body,
        headers={**anna.headers, "User-Agent": "Firefox/140"},
    )
    # then
    assert created.status_code == 201, created.text
    assert created.json()["endpoint"] == ENDPOINT
    assert created.json()["user_agent"] == "Firefox/140"
    assert endpoints(db) == [(anna.id, ENDPOINT)]
    listed = client.get("/api/v1/push/subscriptions", headers=anna.headers)
    assert [s["endpoint"] for s in listed.json()] == [ENDPOINT]
    # when the same browser subscribes again: still one subscription
    again = client.post("/api/v1/push/subscriptions", json=body, headers=anna.headers)
    assert again.status_code == 201
    assert again.json()["id"] == created.json()["id"]
    assert endpoints(db) == [(anna.id, ENDPOINT)]
    # when it unsubscribes (endpoint in the body)
    gone = client.request(
        "DELETE", "/api/v1/push/subscriptions", json={"endpoint": ENDPOINT}, headers=anna.headers
    )
    assert gone.status_code == 204
    assert endpoints(db) == []


def test_unsubscribe_by_query_parameter(client, anna, db):
    client.post("/api/v1/push/subscriptions", json=browser_subscription(), headers=anna.headers)
    gone = client.delete(
        "/api/v1/push/subscriptions", params={"endpoint": ENDPOINT}, headers=anna.headers
    )
    assert gone.status_code == 204
    assert endpoints(db) == []


def test_someone_elses_subscription_cannot_be_deleted(client, anna, ben, db):
    # given Anna's subscription
    client.post("/api/v1/push/subscriptions", json=browser_subscription(), headers=anna.headers)
    # when Ben tries to delete it
    response = client.delete(
        "/api/v1/push/subscriptions", params={"endpoint": ENDPOINT}, headers=ben.headers
    )
    # then it is as if it did not exist, and it is still there
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "not_found"
    assert endpoints(db) == [(anna.id, ENDPOINT)]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"keys": {"p256dh": b64(b"\x04" + bytes(63)), "auth": b64(bytes(16))}}, "keys.p256dh"),
        ({"keys": {"p256dh": b64(b"\x04" + bytes(64)), "auth": b64(bytes(16))}}, "keys.p256dh"),
        ({"keys": {"p256dh": "not base64!", "auth": b64(bytes(16))}}, "keys.p256dh"),
        ({"auth": b64(bytes(8))}, "keys.auth"),
        ({"auth": "%%%%"}, "keys.auth"),
        ({"endpoint": "ftp://push.example.org/x"}, "endpoint"),
        ({"endpoint": "not a url"}, "endpoint"),
        ({"endpoint": "https://push.example.org/" + "x" * 2048}, "endpoint"),
    ],
)
def test_bad_subscriptions_are_refused_with_the_field(client, anna, db, change, field):
    body = browser_subscription()
    if "auth" in change:
        body["keys"]["auth"] = change["auth"]
    else:
        body.update(change)
    response = client.post("/api/v1/push/subscriptions", json=body, headers=anna.headers)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "invalid"
    assert [e["field"] for e in problem["errors"]] == [field]
    assert endpoints(db) == []


def test_subscriptions_need_a_token(client, db):
    body = browser_subscription()
    assert client.post("/api/v1/push/subscriptions", json=body).status_code == 401
    assert client.get("/api/v1/push/subscriptions").status_code == 401
    response = client.delete("/api/v1/push/subscriptions", params={"endpoint": ENDPOINT})
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"
    assert endpoints(db) == []


def test_a_read_only_token_cannot_subscribe(client, db):
    from tests.support import make_account

    reader = make_account(db, "leser", scopes=["read"])
    response = client.post(
        "/api/v1/push/subscriptions", json=browser_subscription(), headers=reader.headers
    )
    assert response.status_code == 403
    assert endpoints(db) == []
