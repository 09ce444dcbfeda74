"""Scan&Go over the API: ben checks in at the butcher, scans plain codes and scale labels,
changes quantities, and pays from the wallet (server-side lines, SCA, Idempotency-Key);
bad codes are 4xx problems that leave the cart alone; nobody sees another's visit;
open pages hear about every change (after the commit only)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select
from tests.assistant_support import GRILL_PASSWORDS, demo_accounts
from tests.wallet_support import balance, set_pin, top_up, with_key

from kosmos.catalog.demo.helpers import gtin_check_digit
from kosmos.catalog.demo.products import DEMO_SCALE_LABEL, PRODUCTS
from kosmos.chat import hub
from kosmos.places.scango.tables import ExitPass, Visit
from kosmos.wallet import ledger
from kosmos.wallet.tables import Payment

pytestmark = pytest.mark.postgres

BUTCHER = "metzgerei-huber-marktplatz"
MARKET = "frischmarkt-musterstadt-zentrum"


def gtin_of(name: str) -> str:
    return next(p["gtin"] for p in PRODUCTS if p["name"] == name)


WIENER = gtin_of("Wiener Würstchen")  # 6.49 EUR, 7 %
PILS = gtin_of("Musterbräu Pils")  # 1.09 EUR, 19 %, from 16 (supermarket)
MAIS = gtin_of("Maiskolben vorgegart, 2 Stück")  # 1.99 EUR, 7 % (supermarket)
UNKNOWN = "400999999999" + gtin_check_digit("400999999999")
WRONG_DIGIT = WIENER[:-1] + str((int(WIENER[-1]) + 1) % 10)


@pytest.fixture(autouse=True)
def no_rescan(settings):
    settings.scango_rescan_one_in = 0  # deterministic: a pass is valid unless a rule says so


@pytest.fixture
def people(db):
    return demo_accounts(db, {**GRILL_PASSWORDS, "huber": "metzger-huber-2026",
                              "kaya": "markt-kaya-2026"})  # fmt: skip


@pytest.fixture
def published(monkeypatch):
    """What the hub is asked to push (it is asked only after a commit)."""
    sent: list[tuple[list[int], dict]] = []

    class Recorder:
        def publish(self, user_ids, event):
            sent.append((sorted(user_ids), event))

    monkeypatch.setattr(hub, "current", lambda: Recorder())
    return sent


def check_in(client, who, store=BUTCHER):
    r = client.post("/api/v1/scango/checkins", json={"store": store}, headers=who.headers)
    assert r.status_code in (200, 201), r.text
    return r.json()


def scan(client, who, visit_id, code):
    return client.post(f"/api/v1/scango/visits/{visit_id}/lines", json={"code": code},
                       headers=who.headers)  # fmt: skip


def pay(client, who, visit_id, key=None, **body):
    return client.post(f"/api/v1/scango/visits/{visit_id}/pay", json=body,
                       headers=with_key(who, key))  # fmt: skip


def count(db, table, *where):
    db.rollback()
    return db.scalar(select(func.count()).select_from(table).where(*where))


# --- check in ----------------------------------------------------------------------------


def test_check_in_starts_a_visit_and_a_second_check_in_resumes_it(client, people):
    ben = people["ben"]
    first = client.post("/api/v1/scango/checkins", json={"store": BUTCHER}, headers=ben.headers)
    again = client.post("/api/v1/scango/checkins", json={"store": BUTCHER}, headers=ben.headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["store"] == "Metzgerei Huber am Marktplatz"
    assert (first.json()["status"], first.json()["total"], first.json()["lines"]) == ("open", 0, [])
    # another customer gets a visit of their own
    assert check_in(client, people["anna"])["id"] != first.json()["id"]


def test_check_in_at_an_unknown_store_is_404(client, people):
    r = client.post(
        "/api/v1/scango/checkins", json={"store": "nope"}, headers=people["ben"].headers
    )
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")


def test_yesterdays_open_cart_is_not_resumed(client, people, frozen_clock):
    old = check_in(client, people["ben"])
    scan(client, people["ben"], old["id"], WIENER)
    frozen_clock.advance(hours=13)
    fresh = check_in(client, people["ben"])
    assert fresh["id"] != old["id"] and fresh["lines"] == []


# --- scanning ----------------------------------------------------------------------------


def test_a_weight_label_is_priced_by_its_label_and_pieces_add_up(client, people, db):
    ben = people["ben"]
    visit = check_in(client, ben)
    # the 1.234 kg pack of Nackensteak (12.90 EUR/kg)
    r = scan(client, ben, visit["id"], DEMO_SCALE_LABEL["ean_weight"])
    assert r.status_code == 201, r.text
    [steak] = r.json()["lines"]
    assert (steak["name"], steak["kind"], steak["weight_g"]) == ("Nackensteak", "weight", 1234)
    assert (steak["unit_price"], steak["total"]) == (1290, DEMO_SCALE_LABEL["price_cents"])
    # the same pack's price label, and two packs of Wiener Würstchen
    scan(client, ben, visit["id"], DEMO_SCALE_LABEL["ean_price"])
    scan(client, ben, visit["id"], WIENER)
    body = scan(client, ben, visit["id"], WIENER).json()
    kinds = [(x["kind"], x["quantity"], x["total"]) for x in body["lines"]]
    assert kinds == [("weight", 1, 1592), ("price", 1, 1592), ("gtin", 2, 1298)]
    assert body["total"] == 1592 + 1592 + 1298
    assert body["items"] == 4
    # all 7 %: the VAT contained in 44.82 EUR is 2.93 EUR
    assert body["vat"] == [{"rate": 7, "gross": 4482, "vat": 293, "net": 4189}]
    # the same label again is another pack (a line of its own)
    body = scan(client, ben, visit["id"], DEMO_SCALE_LABEL["ean_weight"]).json()
    assert [x["kind"] for x in body["lines"]] == ["weight", "price", "gtin", "weight"]


def test_vat_is_shown_per_rate_at_the_supermarket(client, people):
    ben = people["ben"]
    visit = check_in(client, ben, MARKET)
    scan(client, ben, visit["id"], PILS)
    scan(client, ben, visit["id"], PILS)
    body = scan(client, ben, visit["id"], MAIS).json()
    assert body["total"] == 2 * 109 + 199
    assert body["vat"] == [
        {"rate": 7, "gross": 199, "vat": 13, "net": 186},
        {"rate": 19, "gross": 218, "vat": 35, "net": 183},
    ]


@pytest.mark.parametrize(
    ("code", "status", "problem"),
    [
        (UNKNOWN, 404, "unknown_barcode"),
        (WRONG_DIGIT, 400, "invalid_check_digit"),
        (PILS, 404, "not_sold_in_store"),  # the supermarket's beer at the butcher
        ("12345", 400, "invalid_barcode"),
        ("abcdefghijklm", 400, "invalid_barcode"),
    ],
)
def test_bad_codes_are_problems_and_leave_the_cart_alone(client, people, db, code, status, problem):
    ben = people["ben"]
    visit = check_in(client, ben)
    scan(client, ben, visit["id"], WIENER)
    r = scan(client, ben, visit["id"], code)
    assert r.status_code == status
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["code"] == problem
    assert r.json()["errors"][0]["field"] == "code"
    after = client.get(f"/api/v1/scango/visits/{visit['id']}", headers=ben.headers).json()
    assert [(x["name"], x["quantity"]) for x in after["lines"]] == [("Wiener Würstchen", 1)]
    db.rollback()
    assert db.get(Visit, visit["id"]).version == 1  # only the first scan changed the cart


def test_quantities_change_and_lines_go(client, people):
    ben = people["ben"]
    visit = check_in(client, ben)
    wiener = scan(client, ben, visit["id"], WIENER).json()["lines"][0]["id"]
    label = scan(client, ben, visit["id"], DEMO_SCALE_LABEL["ean_weight"]).json()["lines"][1]["id"]
    url = f"/api/v1/scango/visits/{visit['id']}/lines"
    r = client.patch(f"{url}/{wiener}", json={"quantity": 3}, headers=ben.headers)
    assert r.status_code == 200
    assert r.json()["total"] == 3 * 649 + 1592
    # a labelled pack counts once
    r = client.patch(f"{url}/{label}", json={"quantity": 2}, headers=ben.headers)
    assert (r.status_code, r.json()["code"]) == (422, "label_quantity")
    for bad in (-1, 100, "3"):
        r = client.patch(f"{url}/{wiener}", json={"quantity": bad}, headers=ben.headers)
        assert r.status_code == 422
    r = client.delete(f"{url}/{label}", headers=ben.headers)
    assert [x["id"] for x in r.json()["lines"]] == [wiener]
    r = client.patch(f"{url}/{wiener}", json={"quantity": 0}, headers=ben.headers)
    assert (r.json()["lines"], r.json()["total"]) == ([], 0)
    assert client.delete(f"{url}/{wiener}", headers=ben.headers).status_code == 404


# --- authorization -----------------------------------------------------------------------


def test_another_users_visit_is_404_everywhere(client, people, db):
    ben, anna = people["ben"], people["anna"]
    visit = check_in(client, ben)
    line = scan(client, ben, visit["id"], WIENER).json()["lines"][0]["id"]
    base = f"/api/v1/scango/visits/{visit['id']}"
    assert client.get(base, headers=anna.headers).status_code == 404
    assert scan(client, anna, visit["id"], WIENER).status_code == 404
    assert client.patch(f"{base}/lines/{line}", json={"quantity": 5},
                        headers=anna.headers).status_code == 404  # fmt: skip
    assert client.delete(f"{base}/lines/{line}", headers=anna.headers).status_code == 404
    assert pay(client, anna, visit["id"]).status_code == 404
    assert client.get(f"{base}/pass", headers=anna.headers).status_code == 404
    # ben's cart is as he left it
    assert client.get(base, headers=ben.headers).json()["lines"][0]["quantity"] == 1
    assert count(db, Payment) == 0


def test_the_api_needs_a_login_and_a_writing_token(client, people, db):
    from kosmos.accounts import services
    from kosmos.accounts.tables import User

    visit = check_in(client, people["ben"])
    assert client.get(f"/api/v1/scango/visits/{visit['id']}").status_code == 401
    user = db.get(User, people["ben"].id)
    _tok, raw = services.create_access_token(
        db, user, name="ro", scopes=["read"], expires_in_days=None
    )
    r = client.post(f"/api/v1/scango/visits/{visit['id']}/lines", json={"code": WIENER},
                    headers={"Authorization": f"Bearer {raw}"})  # fmt: skip
    assert (r.status_code, r.json()["code"]) == (403, "insufficient_scope")


# --- paying ------------------------------------------------------------------------------


def test_pay_charges_the_servers_cart_once_and_gives_an_exit_pass(client, people, db):
    ben = people["ben"]
    top_up(client, ben, 50_00)
    visit = check_in(client, ben)
    scan(client, ben, visit["id"], DEMO_SCALE_LABEL["ean_weight"])
    scan(client, ben, visit["id"], WIENER)
    # no key: refused
    r = client.post(f"/api/v1/scango/visits/{visit['id']}/pay", json={}, headers=ben.headers)
    assert (r.status_code, r.json()["code"]) == (400, "idempotency_key_required")
    # an amount from the client is not even accepted
    r = pay(client, ben, visit["id"], amount=1)
    assert r.status_code == 422
    key = str(uuid.uuid4())
    first = pay(client, ben, visit["id"], key)
    assert first.status_code == 201, first.text
    body = first.json()
    assert (body["amount"], body["visit_id"]) == (1592 + 649, visit["id"])
    assert body["pass"]["state"] == "valid"
    assert body["pass"]["qr"].startswith("http://127.0.0.1:8000/scango/exit/")
    assert len(body["pass"]["code"]) == 9  # ABCD-EF23
    # the same key again: the first answer, money moved once
    again = pay(client, ben, visit["id"], key)
    assert (again.status_code, again.json()) == (201, body)
    assert again.headers["Idempotent-Replayed"] == "true"
    # a second tap with another key: the visit is paid already
    other = pay(client, ben, visit["id"])
    assert (other.status_code, other.json()["code"]) == (409, "visit_paid")
    assert balance(client, ben) == 50_00 - 2241
    [payment] = db.scalars(select(Payment).where(Payment.kind == "purchase")).all()
    assert payment.amount == 2241 and payment.store_id == visit["store_id"]
    assert [(x["name"], x["quantity"], x["unit"], x["total"]) for x in payment.lines] == [
        ("Nackensteak", "1.234", "kg", 1592),
        ("Wiener Würstchen", "1", "piece", 649),
    ]
    assert count(db, ExitPass) == 1
    assert ledger.verify(db) == []
    # the paid cart cannot change any more
    r = scan(client, ben, visit["id"], WIENER)
    assert (r.status_code, r.json()["code"]) == (409, "visit_closed")
    shown = client.get(f"/api/v1/scango/visits/{visit['id']}/pass", headers=ben.headers).json()
    assert shown == body["pass"]


def test_an_empty_cart_cannot_be_paid(client, people, db):
    visit = check_in(client, people["ben"])
    r = pay(client, people["ben"], visit["id"])
    assert (r.status_code, r.json()["code"]) == (422, "cart_empty")
    assert count(db, Payment) == 0


def test_not_enough_money_leaves_the_visit_open(client, people, db):
    ben = people["ben"]
    top_up(client, ben, 5_00)
    visit = check_in(client, ben)
    scan(client, ben, visit["id"], WIENER)
    r = pay(client, ben, visit["id"])
    assert (r.status_code, r.json()["code"]) == (422, "insufficient_funds")
    db.rollback()
    assert db.get(Visit, visit["id"]).status == "open"
    assert count(db, ExitPass) == 0
    assert balance(client, ben) == 5_00


def test_over_50_eur_the_payment_pin_is_asked_and_then_it_pays(client, people, db):
    ben = people["ben"]
    top_up(client, ben, 100_00)
    set_pin(client, ben, "4711")
    visit = check_in(client, ben)
    for _ in range(4):  # 4 x 15.92 = 63.68 EUR
        scan(client, ben, visit["id"], DEMO_SCALE_LABEL["ean_weight"])
    key = str(uuid.uuid4())
    asked = pay(client, ben, visit["id"], key)
    assert (asked.status_code, asked.json()["code"]) == (403, "sca_required")
    wrong = pay(client, ben, visit["id"], key, pin="0000")
    assert (wrong.status_code, wrong.json()["code"]) == (403, "pin_wrong")
    assert count(db, Payment, Payment.kind == "purchase") == 0
    paid = pay(client, ben, visit["id"], key, pin="4711")
    assert paid.status_code == 201, paid.text
    assert paid.json()["amount"] == 6368
    assert balance(client, ben) == 100_00 - 6368


def test_pages_hear_each_change_after_its_commit_only(client, people, db, published):
    ben, huber = people["ben"], people["huber"]
    top_up(client, ben, 20_00)
    visit = check_in(client, ben)
    key = f"scango:visit:{visit['id']}"
    scan(client, ben, visit["id"], WIENER)
    assert published[-1] == ([ben.id], {"type": "page_updated", "key": key})
    before = len(published)
    scan(client, ben, visit["id"], UNKNOWN)  # refused: nothing to hear
    assert len(published) == before
    pay(client, ben, visit["id"])
    assert ([ben.id], {"type": "page_updated", "key": key}) in published[before:]
    gate = f"scango:gate:{visit['store_id']}"
    assert ([huber.id], {"type": "page_updated", "key": gate}) in published[before:]
