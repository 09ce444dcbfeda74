"""Signed webhooks: a payment reaches the merchant's URL through the outbox, signed with
HMAC-SHA256 over timestamp and body; failures are retried with backoff and logged."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from sqlalchemy import select
from tests.backoffice_support import add_staffed_merchant
from tests.support import page_login
from tests.wallet_support import top_up, with_key

from kosmos import bus
from kosmos.db import make_engine, make_session_factory
from kosmos.wallet import webhooks
from kosmos.wallet.tables import WebhookDelivery

pytestmark = pytest.mark.postgres


class Receiver:
    """A merchant's endpoint: answers with the queued status codes, records requests."""

    def __init__(self, statuses):
        self.statuses = list(statuses)
        self.calls = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.calls.append((dict(self.headers), body))
                self.send_response(receiver.statuses.pop(0) if receiver.statuses else 200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


@pytest.fixture
def receiver():
    r = Receiver([500, 200])
    yield r
    r.close()


def test_payment_webhook_is_signed_retried_and_logged(
    client, anna, ben, db, settings, frozen_clock, receiver
):
    shop = add_staffed_merchant(db, "metzgerei", ben.id)
    setup = client.put(
        f"/api/v1/merchants/{shop.id}/webhook", json={"url": receiver.url}, headers=ben.headers
    )
    assert setup.status_code == 200, setup.text
    secret = setup.json()["secret"]
    top_up(client, anna, 3000)
    paid = client.post(
        "/api/v1/wallet/payments", json={"merchant_id": shop.id, "amount": 1200},
        headers=with_key(anna),
    )  # fmt: skip
    assert paid.status_code == 201
    factory = make_session_factory(make_engine(settings.database_url), write=True)
    bus.relay_once(factory)  # outbox -> one delivery per endpoint
    assert webhooks.send_due(factory) == 0  # the receiver answers 500 first
    assert webhooks.send_due(factory) == 0  # not due yet: backoff
    frozen_clock.advance(seconds=3)
    assert webhooks.send_due(factory) == 1
    assert len(receiver.calls) == 2
    headers, body = receiver.calls[-1]
    now = frozen_clock.now().timestamp()
    assert webhooks.verify(secret, headers["Kosmos-Signature"], body, now=now)
    assert not webhooks.verify("whsec_wrong", headers["Kosmos-Signature"], body, now=now)
    assert not webhooks.verify(secret, headers["Kosmos-Signature"], body + b" ", now=now)
    assert not webhooks.verify(secret, headers["Kosmos-Signature"], body, now=now + 301)
    event = json.loads(body)
    assert event["type"] == "wallet.payment_succeeded"
    assert event["data"]["payment"] == paid.json()["reference"]
    assert "user_id" not in event["data"]
    assert headers["Kosmos-Event-Id"] == event["id"]
    # the owner sees both attempts in the delivery log
    page_login(client, "ben", ben.password)
    log = client.get(f"/backoffice/merchants/{shop.id}/payments")
    assert log.status_code == 200
    assert "wallet.payment_succeeded" in log.text
    assert "500" in log.text and "200" in log.text


def test_only_the_owner_sets_the_webhook_and_only_http_urls(client, anna, ben, db):
    shop = add_staffed_merchant(db, "metzgerei", ben.id)
    bad = client.put(
        f"/api/v1/merchants/{shop.id}/webhook", json={"url": "ftp://example.org/x"},
        headers=ben.headers,
    )  # fmt: skip
    assert bad.status_code == 422
    other = client.put(
        f"/api/v1/merchants/{shop.id}/webhook", json={"url": "https://example.org/x"},
        headers=anna.headers,
    )  # fmt: skip
    assert other.status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/hooks",  # not https
        "https://127.0.0.1/hooks",  # loopback
        "https://10.1.2.3/hooks",  # private
        "https://169.254.169.254/latest/meta-data",  # link-local (cloud metadata)
        "https://[::1]/hooks",
        "https://localhost/hooks",
    ],
)
def test_production_refuses_webhooks_into_our_own_network(url):
    from kosmos.errors import Invalid

    with pytest.raises(Invalid):
        webhooks.check_url(url, production=True)


def test_production_accepts_a_public_https_address():
    assert webhooks.check_url("https://93.184.215.14/hooks", production=True)


def test_nothing_due_makes_no_http_client(session_factory, monkeypatch) -> None:
    """The sender runs every second in every server process; an httpx client loads the CA
    bundle (~50 ms of CPU, holding the GIL), so it is made only when a delivery is due."""

    def no_client(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("an HTTP client was made with nothing to send")

    monkeypatch.setattr(webhooks.httpx, "Client", no_client)
    assert webhooks.send_due(session_factory) == 0


def test_a_relay_lot_asks_for_each_shops_endpoint_once(
    client, anna, ben, db, settings, monkeypatch
) -> None:
    hooked = add_staffed_merchant(db, "metzgerei", ben.id)
    plain = add_staffed_merchant(db, "baeckerei", ben.id)
    setup = client.put(
        f"/api/v1/merchants/{hooked.id}/webhook", json={"url": "http://127.0.0.1:9/hooks"},
        headers=ben.headers,
    )  # fmt: skip
    assert setup.status_code == 200, setup.text
    top_up(client, anna, 3000)
    for shop in (hooked, plain, hooked, plain, hooked):
        paid = client.post(
            "/api/v1/wallet/payments", json={"merchant_id": shop.id, "amount": 100},
            headers=with_key(anna),
        )  # fmt: skip
        assert paid.status_code == 201
    asked: list[object] = []
    real = webhooks._ENDPOINT_ID.scalar
    monkeypatch.setattr(webhooks._ENDPOINT_ID, "scalar", lambda s, p: asked.append(p) or real(s, p))
    factory = make_session_factory(make_engine(settings.database_url), write=True)
    bus.relay_once(factory)
    assert len(asked) == 2  # one question per shop, not per payment
    with factory() as s:
        deliveries = s.scalars(select(WebhookDelivery)).all()
    assert len(deliveries) == 3  # one per payment to the shop with a webhook
    assert {json.loads(d.body)["data"]["merchant_id"] for d in deliveries} == {hooked.id}
