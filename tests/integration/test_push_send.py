"""Sending Web Push: a fake push service on 127.0.0.1 stands in for the browser vendor's
(the one real thing outside Kosmos). It checks what a real one checks (VAPID JWT, TTL,
aes128gcm) and the test decrypts the message with the browser's keys."""

import base64
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import http_ece
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils
from sqlalchemy import select
from tests.conftest import SECRET

from kosmos import config
from kosmos.accounts.tables import User
from kosmos.config import Settings
from kosmos.errors import Invalid
from kosmos.push import service, vapid
from kosmos.push.tables import PushSubscription

pytestmark = pytest.mark.postgres


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class PushService:
    """A push service: records each POST (header names lower-cased), answers with the
    status set for its path."""

    def __init__(self):
        self.calls = []
        self.status = {}
        service_ = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                headers = {k.lower(): v for k, v in self.headers.items()}
                service_.calls.append((self.path, headers, body))
                self.send_response(service_.status.get(self.path, 201))
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class Browser:
    """A browser's side of a subscription: its P-256 key pair and auth secret."""

    def __init__(self, endpoint):
        self.endpoint = endpoint
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.auth_secret = bytes(range(16))
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        self.p256dh = b64(point)
        self.auth = b64(self.auth_secret)

    def decrypt(self, body: bytes) -> dict:
        plain = http_ece.decrypt(
            body, private_key=self.private_key, auth_secret=self.auth_secret, version="aes128gcm"
        )
        return json.loads(plain)


@pytest.fixture
def settings(db_url, tmp_path):
    s = Settings(
        database_url=db_url,
        env="test",
        secret_key=SECRET,
        run_outbox_relay=False,
        vapid_private_key_path=str(tmp_path / "vapid.pem"),
        vapid_subject="mailto:push@kosmos.example",
    )
    config.configure(s)
    yield s
    config.configure(None)


@pytest.fixture
def push_service():
    fake = PushService()
    yield fake
    fake.close()


@pytest.fixture
def user(db, anna):
    return db.get(User, anna.id)


def subscribe(db, user, browser):
    return service.subscribe(
        db, user, endpoint=browser.endpoint, p256dh=browser.p256dh, auth=browser.auth
    )


def verify_vapid_jwt(token: str, public_key_b64: str) -> dict:
    """What the push service does with `Authorization: vapid t=<JWT>,k=<key>` (RFC 8292)."""
    header_b64, claims_b64, signature_b64 = token.split(".")
    assert json.loads(unb64(header_b64)) == {"typ": "JWT", "alg": "ES256"}
    raw = unb64(signature_b64)
    der = utils.encode_dss_signature(
        int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")
    )
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64(public_key_b64))
    key.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
    return json.loads(unb64(claims_b64))


def test_a_notification_reaches_the_push_service_signed_and_encrypted(
    db, user, settings, push_service
):
    # given a browser subscribed to Kosmos
    browser = Browser(f"{push_service.origin}/wpush/v2/abc")
    subscribe(db, user, browser)
    payload = {"title": "Anna", "body": "Grüß dich! 🧀", "url": "/chat/7", "tag": "chat-7"}
    # when
    delivered = service.send_to_user(db, user.id, payload, ttl=600, urgency="high")
    # then the push service got one POST, to the endpoint, with the Web Push headers
    assert delivered == 1
    assert len(push_service.calls) == 1
    path, headers, body = push_service.calls[0]
    assert path == "/wpush/v2/abc"
    assert headers["content-encoding"] == "aes128gcm"
    assert headers["ttl"] == "600"
    assert headers["urgency"] == "high"
    # and a VAPID authorization that verifies with Kosmos's public key
    scheme, params = headers["authorization"].split(" ", 1)
    assert scheme == "vapid"
    fields = dict(part.split("=", 1) for part in params.split(","))
    public_key = vapid.ensure_keys(settings.vapid_private_key_path).public_key_b64url
    assert fields["k"] == public_key
    claims = verify_vapid_jwt(fields["t"], public_key)
    assert claims["aud"] == push_service.origin
    assert claims["sub"] == "mailto:push@kosmos.example"
    assert time.time() < claims["exp"] <= time.time() + 24 * 3600
    # and the body only the browser can read: the notification as JSON
    assert browser.decrypt(body) == payload
    row = db.scalar(select(PushSubscription))
    db.refresh(row)
    assert row.last_success_at is not None
    assert row.failures == 0


def test_a_forged_signature_would_not_verify(db, user, settings, push_service):
    # given a message Kosmos sent
    browser = Browser(f"{push_service.origin}/sub/1")
    subscribe(db, user, browser)
    service.send_to_user(db, user.id, {"title": "t", "body": "b", "url": "/", "tag": "x"})
    _path, headers, _body = push_service.calls[0]
    token = dict(p.split("=", 1) for p in headers["authorization"].split(" ", 1)[1].split(","))
    # then the check above is a real one: another key does not verify it
    other = vapid.ensure_keys(settings.vapid_private_key_path + ".other").public_key_b64url
    with pytest.raises(InvalidSignature):
        verify_vapid_jwt(token["t"], other)


def test_gone_subscription_is_deleted_and_others_still_get_the_message(
    db, user, settings, push_service
):
    # given two browsers; the push service says the first one unsubscribed (410)
    gone = Browser(f"{push_service.origin}/gone")
    alive = Browser(f"{push_service.origin}/alive")
    subscribe(db, user, gone)
    subscribe(db, user, alive)
    push_service.status["/gone"] = 410
    # when
    delivered = service.send_to_user(db, user.id, {"title": "Hi", "body": "", "url": "/"})
    # then
    assert delivered == 1
    assert sorted(p for p, _h, _b in push_service.calls) == ["/alive", "/gone"]
    db.expire_all()
    assert db.scalars(select(PushSubscription.endpoint)).all() == [alive.endpoint]


def test_not_found_also_deletes_the_subscription(db, user, settings, push_service):
    browser = Browser(f"{push_service.origin}/expired")
    subscribe(db, user, browser)
    push_service.status["/expired"] = 404
    assert service.send_to_user(db, user.id, {"title": "Hi"}) == 0
    db.expire_all()
    assert db.scalars(select(PushSubscription)).all() == []


def test_a_server_error_keeps_the_subscription_and_counts_a_failure(
    db, user, settings, push_service
):
    # given a push service that fails
    browser = Browser(f"{push_service.origin}/flaky")
    subscribe(db, user, browser)
    push_service.status["/flaky"] = 500
    # when sending twice
    first = service.send_to_user(db, user.id, {"title": "Hi"})
    second = service.send_to_user(db, user.id, {"title": "Hi"})
    # then nothing was raised, nothing delivered, the row stays with two failures
    assert (first, second) == (0, 0)
    db.expire_all()
    row = db.scalar(select(PushSubscription))
    assert row.failures == 2
    assert row.last_success_at is None
    # and a success resets the count
    push_service.status["/flaky"] = 201
    assert service.send_to_user(db, user.id, {"title": "Hi"}) == 1
    db.expire_all()
    row = db.scalar(select(PushSubscription))
    assert (row.failures, row.last_success_at is not None) == (0, True)


def test_an_unreachable_push_service_counts_a_failure_without_raising(db, user, settings):
    # given an endpoint where nothing listens
    closed = PushService()
    endpoint = f"{closed.origin}/nobody"
    closed.close()
    subscribe(db, user, Browser(endpoint))
    # when / then
    assert service.send_to_user(db, user.id, {"title": "Hi"}) == 0
    db.expire_all()
    assert db.scalar(select(PushSubscription.failures)) == 1


def test_a_user_without_subscriptions_gets_nothing_sent(db, user, ben, settings, push_service):
    subscribe(db, db.get(User, ben.id), Browser(f"{push_service.origin}/ben"))
    assert service.send_to_user(db, user.id, {"title": "Hi"}) == 0
    assert push_service.calls == []


def test_an_endpoint_moves_to_the_user_who_subscribes_it_again(db, user, ben, settings):
    # given Anna's browser subscription
    browser = Browser("http://127.0.0.1:9/shared-browser")
    subscribe(db, user, browser)
    # when Ben logs in on that browser and subscribes (same endpoint, new keys)
    again = Browser(browser.endpoint)
    row = subscribe(db, db.get(User, ben.id), again)
    # then there is one subscription, Ben's, with the new keys
    db.expire_all()
    rows = db.scalars(select(PushSubscription)).all()
    assert [(r.id, r.user_id, r.p256dh) for r in rows] == [(row.id, ben.id, again.p256dh)]


def test_only_the_newest_subscriptions_of_a_user_are_kept(db, user, settings, frozen_clock):
    endpoints = [f"http://127.0.0.1:9/device/{n}" for n in range(service.MAX_PER_USER + 1)]
    for endpoint in endpoints:
        subscribe(db, user, Browser(endpoint))
        frozen_clock.advance(seconds=1)
    kept = db.scalars(select(PushSubscription.endpoint).order_by(PushSubscription.id)).all()
    assert kept == endpoints[1:]


def test_in_production_an_endpoint_must_be_https_on_a_public_host(settings):
    config.configure(settings.model_copy(update={"env": "production"}))
    for endpoint in (
        "http://push.example.org/x",
        "https://127.0.0.1/x",
        "https://localhost:8443/x",
        "https://10.0.0.8/x",
    ):
        with pytest.raises(Invalid) as err:
            service.check_endpoint(endpoint)
        assert err.value.field == "endpoint", endpoint
    assert urlsplit(service.check_endpoint(" https://8.8.8.8/push ")).hostname == "8.8.8.8"
