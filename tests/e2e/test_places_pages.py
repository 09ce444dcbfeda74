"""Pay Places pages over HTTP: the point of sale asks, the customer scans (the served QR
decoded with zxing-cpp) or types the code and pays, the point of sale shows "paid";
customer-presented codes; chat payment requests; who may open what."""

from __future__ import annotations

import io
import re

import pytest
import zxingcpp
from fastapi.testclient import TestClient
from PIL import Image
from tests.places_support import butcher_id, people
from tests.support import page_login
from tests.wallet_support import balance, top_up

from kosmos.places import emvco


def _key(html: str) -> str:
    found = re.search(r'name="idempotency_key" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


@pytest.fixture
def shop(db, client, app):  # noqa: ANN001, ANN201
    folks = people(db)
    top_up(client, folks["ben"], 20000)
    till = TestClient(app, base_url="http://testserver")
    phone = TestClient(app, base_url="http://testserver")
    till_token = page_login(till, "huber", folks["huber"].password)
    phone_token = page_login(phone, "ben", folks["ben"].password)
    for c in (till, phone):
        c.cookies.set("kosmos_locale", "en")
    return folks, butcher_id(db), (till, till_token), (phone, phone_token)


def test_point_of_sale_to_paid(shop) -> None:  # noqa: ANN001
    folks, merchant, (till, till_token), (phone, phone_token) = shop
    page = till.get(f"/pos/{merchant}")
    assert page.status_code == 200 and "Point of sale" in page.text
    made = till.post(
        f"/pos/{merchant}/requests",
        follow_redirects=False,
        data={"csrf_token": till_token, "amount": "23.50", "description": "Fleisch"},
    )
    assert made.status_code == 303, made.text
    url = made.headers["location"]
    reference = url.rsplit("/", 1)[1]
    shown = till.get(url)
    assert 'data-status="open"' in shown.text and "<svg" in shown.text
    short = re.search(r'data-testid="short-code">([^<]+)<', shown.text).group(1)

    image = till.get(f"{url}/qr.png")
    assert image.headers["content-type"] == "image/png"
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(image.content)))
    payload = emvco.parse(decoded[0].text)  # checks the CRC
    assert payload.dynamic and payload.amount_cents == 2350 and payload.reference == reference
    assert payload.currency == "EUR" and payload.merchant_name.startswith("Metzgerei")
    assert payload.short_code == short.replace("-", "")

    scanned = phone.post(
        "/scan", data={"csrf_token": phone_token, "code": decoded[0].text}, follow_redirects=False
    )
    assert scanned.headers["location"] == f"/scan/pay/{reference}"
    typed = phone.post(
        "/scan", data={"csrf_token": phone_token, "code": short.lower()}, follow_redirects=False
    )
    assert typed.headers["location"] == f"/scan/pay/{reference}"
    pay_page = phone.get(f"/scan/pay/{reference}")
    assert "23.50" in pay_page.text and "Metzgerei" in pay_page.text
    giro = re.search(r'src="(/wallet/requests/[^"]+/girocode.png)"', pay_page.text).group(1)
    epc = zxingcpp.read_barcodes(Image.open(io.BytesIO(phone.get(giro).content)))[0].text
    fields = epc.split("\n")
    assert fields[:3] == ["BCD", "002", "1"] and fields[3] == "SCT"
    assert fields[7] == "EUR23.50" and reference in epc  # amount and the request's reference
    data = {"csrf_token": phone_token, "idempotency_key": _key(pay_page.text)}
    paid = phone.post(f"/scan/pay/{reference}", data=data, follow_redirects=False)
    assert paid.status_code == 303 and paid.headers["location"].startswith("/wallet/receipts/")
    again = phone.post(f"/scan/pay/{reference}", data=data, follow_redirects=False)
    assert again.headers["location"] == paid.headers["location"]  # a resubmit pays once
    assert balance(phone, folks["ben"]) == 20000 - 2350
    assert 'data-status="paid"' in till.get(url).text


def test_scan_page_shows_the_problem_next_to_the_field(shop) -> None:  # noqa: ANN001
    _folks, _merchant, _till, (phone, token) = shop
    page = phone.post("/scan", data={"csrf_token": token, "code": "ZZZZ-ZZZZ"})
    assert page.status_code == 404
    assert 'class="field has-error"' in page.text and "No payment has this code" in page.text


def test_customer_code_charged_at_the_till(shop) -> None:  # noqa: ANN001
    folks, merchant, (till, till_token), (phone, _phone_token) = shop
    mine = phone.get("/scan/my-code")
    code = re.search(r'data-code="(\d{12})"', mine.text).group(1)
    pos = till.get(f"/pos/{merchant}")
    data = {
        "csrf_token": till_token,
        "code": code,
        "charge_amount": "12.80",
        "idempotency_key": _key(pos.text),
    }
    charged = till.post(f"/pos/{merchant}/charge", data=data, follow_redirects=False)
    assert charged.status_code == 303 and "charged=" in charged.headers["location"]
    assert balance(phone, folks["ben"]) == 20000 - 1280
    assert 'data-testid="last-paid"' in phone.get("/scan/my-code").text
    wrong = till.post(f"/pos/{merchant}/charge", data={**data, "idempotency_key": "other-key"})
    assert wrong.status_code == 404 and "has-error" in wrong.text


def test_only_staff_open_the_point_of_sale(shop) -> None:  # noqa: ANN001
    _folks, merchant, _till, (phone, token) = shop
    assert phone.get(f"/pos/{merchant}").status_code in (403, 404)
    assert phone.get(f"/pos/{merchant}/static").status_code in (403, 404)
    r = phone.post(f"/pos/{merchant}/requests", data={"csrf_token": token, "amount": "1.00"})
    assert r.status_code in (403, 404)
