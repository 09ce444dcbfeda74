"""QR payments over the API: merchant-presented (dynamic and static), customer-presented,
tampering, replay, expiry, guessing limits and who may do what."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from tests.places_support import ask_qr, butcher_id, people
from tests.wallet_support import balance, set_pin, top_up, with_key

from kosmos.catalog.tables import Store
from kosmos.places import emvco


@pytest.fixture
def world(db, client):  # noqa: ANN001, ANN201
    folks = people(db)
    top_up(client, folks["ben"], 20000)
    return folks, butcher_id(db)


def test_scan_and_pay_a_dynamic_request_once(client, world) -> None:  # noqa: ANN001
    folks, shop = world
    huber, ben, cem = folks["huber"], folks["ben"], folks["cem"]
    lines = [
        {
            "name": "Nackensteak",
            "quantity": "1.234",
            "unit": "kg",
            "unit_price": 1490,
            "vat_rate": 7,
        },
        {"name": "Grillkohle", "unit_price": 599, "vat_rate": 19},
    ]
    req = ask_qr(client, huber, shop, lines=lines)
    assert req["amount"] == 1839 + 599 and req["status"] == "open"
    payload = emvco.parse(req["payload"])
    assert payload.dynamic and payload.amount_cents == req["amount"]
    assert payload.reference == req["reference"] and payload.short_code == req["short_code"]

    seen = client.post("/api/v1/places/scan", headers=ben.headers, json={"text": req["payload"]})
    assert seen.status_code == 200, seen.text
    view = seen.json()["request"]
    assert view["amount"] == 2438 and view["merchant"]["name"].startswith("Metzgerei")
    assert [line["name"] for line in view["lines"]] == ["Nackensteak", "Grillkohle"]
    assert "short_code" not in view

    headers = with_key(ben)
    paid = client.post(f"/api/v1/places/requests/{req['reference']}/pay", headers=headers, json={})
    assert paid.status_code == 201, paid.text
    again = client.post(f"/api/v1/places/requests/{req['reference']}/pay", headers=headers, json={})
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == paid.json()
    replay = client.post(
        f"/api/v1/places/requests/{req['reference']}/pay", headers=with_key(cem), json={}
    )
    assert replay.status_code == 409 and replay.json()["code"] == "request_not_open"
    assert balance(client, ben) == 20000 - 2438
    status = client.get(
        f"/api/v1/places/merchants/{shop}/requests/{req['reference']}", headers=huber.headers
    ).json()
    assert status["status"] == "paid" and status["payment"] == paid.json()["reference"]


def test_a_changed_payload_is_refused(client, world) -> None:  # noqa: ANN001
    folks, shop = world
    ben = folks["ben"]
    req = ask_qr(client, folks["huber"], shop)
    body = req["payload"][:-4]
    cheaper = body.replace("540523.50", "540501.00")
    assert cheaper != body
    forged = cheaper + emvco.crc16(cheaper)  # a valid checksum over the changed amount
    r = client.post("/api/v1/places/scan", headers=ben.headers, json={"text": forged})
    assert r.status_code == 422 and r.json()["code"] == "qr_tampered"
    broken = body.replace("540523.50", "540501.00") + req["payload"][-4:]
    r = client.post("/api/v1/places/scan", headers=ben.headers, json={"text": broken})
    assert r.status_code == 422 and r.json()["code"] == "bad_qr_checksum"
    other = ask_qr(client, folks["huber"], shop, amount=100)  # another request's reference
    swapped = body.replace(req["reference"], other["reference"])
    swapped += emvco.crc16(swapped)
    r = client.post("/api/v1/places/scan", headers=ben.headers, json={"text": swapped})
    assert r.status_code == 422 and r.json()["code"] == "qr_tampered"
    assert balance(client, ben) == 20000


def test_an_expired_request_cannot_be_paid(client, world, frozen_clock) -> None:  # noqa: ANN001
    folks, shop = world
    req = ask_qr(client, folks["huber"], shop)
    frozen_clock.advance(minutes=15, seconds=1)
    r = client.post(
        f"/api/v1/places/requests/{req['reference']}/pay", headers=with_key(folks["ben"]), json={}
    )
    assert r.status_code == 422 and r.json()["code"] == "request_expired"
    assert balance(client, folks["ben"]) == 20000


def test_typed_short_code_and_the_guessing_limit(client, world) -> None:  # noqa: ANN001
    folks, shop = world
    ben = folks["ben"]
    req = ask_qr(client, folks["huber"], shop)
    typed = f"{req['short_code'][:4].lower()}-{req['short_code'][4:]}"
    r = client.post("/api/v1/places/scan", headers=ben.headers, json={"text": typed})
    assert r.status_code == 200 and r.json()["request"]["reference"] == req["reference"]
    for _ in range(10):
        r = client.post("/api/v1/places/scan", headers=ben.headers, json={"text": "ZZZZ-ZZZZ"})
        assert r.status_code == 404 and r.json()["code"] == "unknown_code"
    r = client.post("/api/v1/places/scan", headers=ben.headers, json={"text": typed})
    assert r.status_code == 429 and r.json()["code"] == "too_many_code_guesses"
    # the limit is per person: anna still scans
    r = client.post("/api/v1/places/scan", headers=folks["anna"].headers, json={"text": typed})
    assert r.status_code == 200


def test_a_request_needs_staff_of_that_merchant(client, db, world) -> None:  # noqa: ANN001
    folks, shop = world
    r = client.post(
        f"/api/v1/places/merchants/{shop}/requests",
        headers=folks["ben"].headers,
        json={"amount": 100},
    )
    assert r.status_code == 403
    r = client.post(
        f"/api/v1/places/merchants/{shop}/requests",
        headers=folks["kaya"].headers,
        json={"amount": 100},
    )
    assert r.status_code == 404
    req = ask_qr(client, folks["huber"], shop)
    r = client.get(
        f"/api/v1/places/merchants/{shop}/requests/{req['reference']}",
        headers=folks["kaya"].headers,
    )
    assert r.status_code == 404
    store = db.scalar(select(Store).where(Store.merchant_id == shop))
    r = client.get(f"/api/v1/places/stores/{store.id}/static-code", headers=folks["ben"].headers)
    assert r.status_code in (403, 404)
    r = client.post(
        f"/api/v1/places/merchants/{shop}/charges",
        headers=with_key(folks["kaya"]),
        json={"code": "1234 5678 9012", "amount": 100},
    )
    assert r.status_code == 404


def test_static_code_the_customer_types_the_amount(client, db, world) -> None:  # noqa: ANN001
    folks, shop = world
    store = db.scalar(select(Store).where(Store.merchant_id == shop))
    code = client.get(
        f"/api/v1/places/stores/{store.id}/static-code", headers=folks["huber"].headers
    )
    assert code.status_code == 200, code.text
    parsed = emvco.parse(code.json()["payload"])
    assert parsed.initiation == emvco.STATIC and parsed.amount_cents is None
    seen = client.post(
        "/api/v1/places/scan", headers=folks["ben"].headers, json={"text": code.json()["payload"]}
    )
    assert seen.json()["kind"] == "store" and seen.json()["store"]["id"] == store.id
    r = client.post(
        f"/api/v1/places/stores/{store.id}/pay",
        headers=with_key(folks["ben"]),
        json={"amount": 450},
    )
    assert r.status_code == 201, r.text
    assert r.json()["amount"] == 450 and r.json()["merchant_id"] == shop
    assert balance(client, folks["ben"]) == 20000 - 450


def test_customer_presented_code(client, world, frozen_clock) -> None:  # noqa: ANN001
    folks, shop = world
    huber, ben = folks["huber"], folks["ben"]
    first = client.post("/api/v1/places/customer-codes", headers=ben.headers).json()
    code = client.post("/api/v1/places/customer-codes", headers=ben.headers).json()
    assert len(code["code"]) == 12 and code["seconds"] == 30 and code["code"] != first["code"]
    url = f"/api/v1/places/merchants/{shop}/charges"
    r = client.post(url, headers=with_key(huber), json={"code": first["code"], "amount": 100})
    assert r.status_code == 404  # rotated away: only the newest code works
    typo = code["code"][:-1] + str((int(code["code"][-1]) + 1) % 10)
    r = client.post(url, headers=with_key(huber), json={"code": typo, "amount": 100})
    assert r.status_code == 422 and r.json()["code"] == "bad_check_digit"
    r = client.post(url, headers=with_key(huber), json={"code": code["code"], "amount": 5001})
    assert r.status_code == 409 and r.json()["code"] == "customer_must_confirm"
    r = client.post(url, headers=with_key(huber), json={"code": code["display"], "amount": 1280})
    assert r.status_code == 201, r.text
    assert r.json()["amount"] == 1280 and r.json()["merchant_id"] == shop
    r = client.post(url, headers=with_key(huber), json={"code": code["code"], "amount": 1280})
    assert r.status_code == 404  # single use
    late = client.post("/api/v1/places/customer-codes", headers=ben.headers).json()
    frozen_clock.advance(seconds=31)
    r = client.post(url, headers=with_key(huber), json={"code": late["code"], "amount": 100})
    assert r.status_code == 404
    assert balance(client, ben) == 20000 - 1280


def test_a_pin_is_asked_above_the_limit(client, world) -> None:  # noqa: ANN001
    folks, shop = world
    ben = folks["ben"]
    set_pin(client, ben, "4711")
    req = ask_qr(client, folks["huber"], shop, amount=6000)
    url = f"/api/v1/places/requests/{req['reference']}/pay"
    r = client.post(url, headers=with_key(ben), json={})
    assert r.status_code == 403 and r.json()["code"] == "sca_required"
    r = client.post(url, headers=with_key(ben), json={"pin": "4711"})
    assert r.status_code == 201, r.text
    assert balance(client, ben) == 20000 - 6000


def test_bad_input_is_a_clear_4xx(client, world) -> None:  # noqa: ANN001
    folks, shop = world
    ben = folks["ben"]
    for text in ("", "000201garbage", "https://evil.example/go/x", "hello"):
        r = client.post("/api/v1/places/scan", headers=ben.headers, json={"text": text})
        assert 400 <= r.status_code < 500, (text, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
    r = client.post(
        f"/api/v1/places/merchants/{shop}/requests",
        headers=folks["huber"].headers,
        json={"amount": -5},
    )
    assert r.status_code == 422
    r = client.post("/api/v1/places/requests/req_nothing/pay", headers=with_key(ben), json={})
    assert r.status_code == 404
