"""The merchant side over HTTP: payment requests, refunds, holds, receipts and
invoices, and who may do what."""

import io

import facturx
import pytest
from pypdf import PdfReader
from tests.backoffice_support import add_staffed_merchant
from tests.support import make_account
from tests.wallet_support import balance, top_up, with_key

from kosmos import clock
from kosmos.catalog.tables import Merchant
from kosmos.wallet import holds, ledger

pytestmark = pytest.mark.postgres

LINES = [
    {"name": "Nackensteak", "quantity": "1.234", "unit": "kg", "unit_price": 1499, "vat_rate": 7},
    {
        "name": "Grillkohle 3 kg",
        "quantity": "1",
        "unit": "piece",
        "unit_price": 599,
        "vat_rate": 19,
    },
]
LINES_TOTAL = 1850 + 599  # 14.99 x 1.234 = 18.49766 -> 18.50


@pytest.fixture
def shop(db, ben):
    merchant = add_staffed_merchant(db, "metzgerei", ben.id)
    merchant.vat_id = "DE123456789"
    db.commit()
    return merchant


def _request(client, staff, shop, **body):
    response = client.post(
        f"/api/v1/merchants/{shop.id}/payment-requests",
        json=body or {"lines": LINES, "description": "Grillfleisch"},
        headers=staff.headers,
    )
    assert response.status_code == 201, response.text
    return response.json()


def test_a_customer_pays_a_request_once(client, anna, ben, shop, db):
    top_up(client, anna, 5000)
    request = _request(client, ben, shop)
    assert request["amount"] == LINES_TOTAL
    seen = client.get(f"/api/v1/wallet/requests/{request['reference']}", headers=anna.headers)
    assert seen.json()["lines"][0]["total"] == 1850
    paid = client.post(
        "/api/v1/wallet/payments", json={"request": request["reference"]}, headers=with_key(anna)
    )
    assert paid.status_code == 201, paid.text
    assert paid.json()["receipt_number"].startswith("KOS-2026-")
    again = client.post(
        "/api/v1/wallet/payments", json={"request": request["reference"]}, headers=with_key(anna)
    )
    assert again.status_code == 409
    assert again.json()["code"] == "request_not_open"
    assert balance(client, anna) == 5000 - LINES_TOTAL
    status = client.get(
        f"/api/v1/merchants/{shop.id}/payment-requests/{request['reference']}", headers=ben.headers
    ).json()
    assert status["status"] == "paid"
    assert status["payment"] == paid.json()["reference"]
    assert ledger.verify(db) == []


def test_an_expired_request_cannot_be_paid(client, anna, ben, shop, frozen_clock):
    top_up(client, anna, 5000)
    request = _request(client, ben, shop, amount=1000, expires_in=60)
    frozen_clock.advance(seconds=61)
    late = client.post(
        "/api/v1/wallet/payments", json={"request": request["reference"]}, headers=with_key(anna)
    )
    assert late.status_code == 422
    assert late.json()["code"] == "request_expired"
    assert balance(client, anna) == 5000


def test_refunds_full_or_partial_never_more_than_paid(client, anna, ben, shop, db):
    top_up(client, anna, 5000)
    request = _request(client, ben, shop)
    ref = client.post(
        "/api/v1/wallet/payments", json={"request": request["reference"]}, headers=with_key(anna)
    ).json()["reference"]
    url = f"/api/v1/merchants/{shop.id}/payments/{ref}/refunds"
    part = client.post(url, json={"amount": 599, "reason": "Kohle"}, headers=with_key(ben))
    assert part.status_code == 201, part.text
    too_much = client.post(url, json={"amount": 1851}, headers=with_key(ben))
    assert too_much.status_code == 422
    assert too_much.json()["code"] == "refund_exceeds_payment"
    rest = client.post(url, json={}, headers=with_key(ben))
    assert rest.status_code == 201
    assert rest.json()["amount"] == 1850
    assert client.post(url, json={"amount": 1}, headers=with_key(ben)).status_code == 422
    assert balance(client, anna) == 5000
    history = client.get("/api/v1/wallet/payments?kind=refund", headers=anna.headers).json()
    assert [p["amount"] for p in history["items"]] == [1850, 599]
    assert ledger.verify(db) == []


def test_only_the_merchants_own_staff_and_owner_act(client, anna, ben, shop, db):
    top_up(client, anna, 5000)
    request = _request(client, ben, shop)
    ref = client.post(
        "/api/v1/wallet/payments", json={"request": request["reference"]}, headers=with_key(anna)
    ).json()["reference"]
    # anna is staff nowhere: 403; cem works for another merchant: 404
    assert (
        client.get(f"/api/v1/merchants/{shop.id}/payments", headers=anna.headers).status_code == 403
    )
    cem = make_account(db, "cem")
    add_staffed_merchant(db, "andere", cem.id)
    for method, url in [
        ("get", f"/api/v1/merchants/{shop.id}/payments"),
        ("get", f"/api/v1/merchants/{shop.id}/payments/{ref}"),
        ("post", f"/api/v1/merchants/{shop.id}/payment-requests"),
    ]:
        kwargs = {"json": {"amount": 100}} if method == "post" else {}
        response = getattr(client, method)(url, headers=cem.headers, **kwargs)
        assert response.status_code == 404, url
    refund = client.post(
        f"/api/v1/merchants/{shop.id}/payments/{ref}/refunds", json={}, headers=with_key(cem)
    )
    assert refund.status_code == 404
    # ben's receipt is not cem's to read; anna's payment list shows nothing of ben's shop
    assert (
        client.get(f"/api/v1/wallet/payments/{ref}/receipt.pdf", headers=cem.headers).status_code
        == 404
    )
    listed = client.get(f"/api/v1/merchants/{shop.id}/payments", headers=ben.headers).json()
    assert [p["reference"] for p in listed["items"]] == [ref]


def test_holds_authorize_capture_part_and_release_the_rest(client, anna, ben, shop, db):
    top_up(client, anna, 5000)
    hold = client.post(
        "/api/v1/wallet/holds",
        json={"merchant_id": shop.id, "amount": 3000, "description": "Lieferung"},
        headers=with_key(anna),
    )
    assert hold.status_code == 201, hold.text
    assert balance(client, anna) == 2000
    assert client.get("/api/v1/wallet", headers=anna.headers).json()["held"] == 3000
    assert ledger.verify(db) == []
    ref = hold.json()["reference"]
    captured = client.post(
        f"/api/v1/merchants/{shop.id}/holds/{ref}/capture",
        json={"amount": 2450},
        headers=with_key(ben),
    )
    assert captured.status_code == 201, captured.text
    assert balance(client, anna) == 2550
    late = client.post(f"/api/v1/merchants/{shop.id}/holds/{ref}/release", headers=with_key(ben))
    assert late.status_code == 409
    assert client.get("/api/v1/wallet", headers=anna.headers).json()["held"] == 0
    assert ledger.verify(db) == []


def test_a_capture_cannot_exceed_the_hold(client, anna, ben, shop):
    top_up(client, anna, 5000)
    ref = client.post(
        "/api/v1/wallet/holds", json={"merchant_id": shop.id, "amount": 1000},
        headers=with_key(anna),
    ).json()["reference"]  # fmt: skip
    over = client.post(
        f"/api/v1/merchants/{shop.id}/holds/{ref}/capture", json={"amount": 1001},
        headers=with_key(ben),
    )  # fmt: skip
    assert over.status_code == 422
    assert over.json()["code"] == "capture_exceeds_hold"


def test_holds_expire_on_their_own(client, anna, ben, shop, db, frozen_clock, session_factory):
    top_up(client, anna, 5000)
    client.post(
        "/api/v1/wallet/holds", json={"merchant_id": shop.id, "amount": 1000, "expires_in": 3600},
        headers=with_key(anna),
    )  # fmt: skip
    with session_factory() as session:
        assert holds.expire_due(session) == 0
    frozen_clock.advance(seconds=3601)
    with session_factory() as session:
        assert holds.expire_due(session) == 1
    assert balance(client, anna) == 5000
    assert client.get("/api/v1/wallet/holds", headers=anna.headers).json() == []
    assert ledger.verify(db) == []


def test_receipt_pdf_and_facturx_invoice(client, anna, ben, shop):
    top_up(client, anna, 5000)
    request = _request(client, ben, shop)
    ref = client.post(
        "/api/v1/wallet/payments", json={"request": request["reference"]}, headers=with_key(anna)
    ).json()["reference"]
    pdf = client.get(f"/api/v1/wallet/payments/{ref}/receipt.pdf", headers=anna.headers)
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Metzgerei" in text and "Nackensteak" in text and "DE123456789" in text
    buyer = {
        "name": "Anna GmbH",
        "street": "Hauptstr. 5",
        "postcode": "12345",
        "city": "Musterstadt",
    }
    invoice = client.post(
        f"/api/v1/wallet/payments/{ref}/invoice", json=buyer, headers=anna.headers
    )
    assert invoice.status_code == 200, invoice.text
    _name, xml = facturx.get_xml_from_pdf(invoice.content, check_xsd=False)
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    assert b"Anna GmbH" in xml and b"24.49" in xml


def test_invoice_needs_the_merchants_tax_id(client, anna, ben, db):
    plain = add_staffed_merchant(db, "stand", ben.id)
    top_up(client, anna, 5000)
    ref = client.post(
        "/api/v1/wallet/payments", json={"merchant_id": plain.id, "amount": 500},
        headers=with_key(anna),
    ).json()["reference"]  # fmt: skip
    buyer = {
        "name": "Anna GmbH",
        "street": "Hauptstr. 5",
        "postcode": "12345",
        "city": "Musterstadt",
    }
    response = client.post(
        f"/api/v1/wallet/payments/{ref}/invoice", json=buyer, headers=anna.headers
    )
    assert response.status_code == 422
    assert db.get(Merchant, plain.id).vat_id is None
    assert clock.now()  # the clock is frozen; nothing else moved
