"""Scan&Go exit passes at the gate: staff of the store verify a pass (by its QR or typed
code) server-side; a valid pass lets one person out once; used, expired, unknown and
foreign passes are refused; age-restricted carts and drawn re-scans wait for staff to
confirm. Paying a visit twice at the same moment pays once."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select
from tests.assistant_support import GRILL_PASSWORDS, demo_accounts
from tests.wallet_support import top_up, with_key

from kosmos.accounts.tables import User
from kosmos.catalog.demo.products import DEMO_SCALE_LABEL, PRODUCTS
from kosmos.db import make_engine, make_session_factory
from kosmos.errors import Conflict
from kosmos.places.scango import checkout
from kosmos.places.scango.checkout import PaidVisit, pay_visit
from kosmos.places.scango.tables import ExitPass, Visit
from kosmos.wallet import ledger
from kosmos.wallet.tables import Payment

pytestmark = pytest.mark.postgres

BUTCHER = "metzgerei-huber-marktplatz"
MARKET = "frischmarkt-musterstadt-zentrum"
WIENER = next(p["gtin"] for p in PRODUCTS if p["name"] == "Wiener Würstchen")
PILS = next(p["gtin"] for p in PRODUCTS if p["name"] == "Musterbräu Pils")
LABEL = DEMO_SCALE_LABEL["ean_weight"]


@pytest.fixture
def people(db):
    return demo_accounts(db, {**GRILL_PASSWORDS, "huber": "metzger-huber-2026",
                              "kaya": "markt-kaya-2026"})  # fmt: skip


@pytest.fixture
def no_rescan(settings):
    settings.scango_rescan_one_in = 0  # deterministic: no random re-scan


def cart(client, who, store, *codes):
    r = client.post("/api/v1/scango/checkins", json={"store": store}, headers=who.headers)
    visit = r.json()
    for code in codes:
        r = client.post(f"/api/v1/scango/visits/{visit['id']}/lines", json={"code": code},
                        headers=who.headers)  # fmt: skip
        assert r.status_code == 201, r.text
    return visit


def paid(client, who, store, *codes):
    """A paid visit: (visit, exit pass as the API shows it)."""
    top_up(client, who, 40_00)
    visit = cart(client, who, store, *codes)
    r = client.post(f"/api/v1/scango/visits/{visit['id']}/pay", json={}, headers=with_key(who))
    assert r.status_code == 201, r.text
    return visit, r.json()["pass"]


def check(client, staff, store_id, code):
    return client.post(f"/api/v1/scango/gate/{store_id}/checks", json={"code": code},
                       headers=staff.headers)  # fmt: skip


def confirm(client, staff, store_id, pass_id, **body):
    return client.post(f"/api/v1/scango/gate/{store_id}/passes/{pass_id}/confirm", json=body,
                       headers=staff.headers)  # fmt: skip


def ben_pass(client, ben, visit):
    return client.get(f"/api/v1/scango/visits/{visit['id']}/pass", headers=ben.headers).json()


# --- a valid pass ------------------------------------------------------------------------


def test_a_valid_pass_lets_the_customer_go_once(client, people, no_rescan):
    ben, huber = people["ben"], people["huber"]
    visit, exit_pass = paid(client, ben, BUTCHER, LABEL, WIENER)
    r = check(client, huber, visit["store_id"], exit_pass["code"])  # typed: "ABCD-EF23"
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["state"], body["pending"], body["customer"]) == ("used", [], "Ben Müller")
    assert body["total"] == 1592 + 649
    assert [x["name"] for x in body["lines"]] == ["Nackensteak", "Wiener Würstchen"]
    assert ben_pass(client, ben, visit)["state"] == "used"
    # shown again (a second person with a copy): refused
    again = check(client, huber, visit["store_id"], exit_pass["qr"])
    assert (again.status_code, again.json()["code"]) == (409, "pass_used")
    assert again.headers["content-type"].startswith("application/problem+json")


def test_the_scanned_qr_url_works_like_the_typed_code(client, people, no_rescan):
    visit, exit_pass = paid(client, people["ben"], BUTCHER, WIENER)
    r = check(client, people["huber"], visit["store_id"], exit_pass["qr"])
    assert (r.status_code, r.json()["state"]) == (200, "used")


def test_an_expired_pass_is_refused_and_a_renewed_one_works(
    client, people, no_rescan, frozen_clock
):
    ben, huber = people["ben"], people["huber"]
    visit, old = paid(client, ben, BUTCHER, WIENER)
    frozen_clock.advance(minutes=10)
    r = check(client, huber, visit["store_id"], old["code"])
    assert (r.status_code, r.json()["code"]) == (409, "pass_expired")
    assert ben_pass(client, ben, visit)["state"] == "expired"
    renewed = client.post(f"/api/v1/scango/visits/{visit['id']}/pass/renew", headers=ben.headers)
    assert renewed.status_code == 200
    new = renewed.json()
    assert new["state"] == "valid" and new["code"] != old["code"] and new["qr"] != old["qr"]
    # the old code is gone; the new one lets ben go
    assert check(client, huber, visit["store_id"], old["qr"]).json()["code"] == "unknown_pass"
    assert check(client, huber, visit["store_id"], new["code"]).json()["state"] == "used"
    # a valid or used pass is not renewed
    r = client.post(f"/api/v1/scango/visits/{visit['id']}/pass/renew", headers=ben.headers)
    assert (r.status_code, r.json()["code"]) == (409, "pass_not_expired")


@pytest.mark.parametrize(
    ("code", "status", "problem"),
    [("ABCD-EFGH", 404, "unknown_pass"), ("hello", 422, "invalid_pass_code"),
     ("http://127.0.0.1:8000/scango/exit/" + "x" * 24, 404, "unknown_pass")],
)  # fmt: skip
def test_unknown_and_malformed_codes_are_refused(client, people, code, status, problem):
    store = cart(client, people["ben"], BUTCHER)["store_id"]
    r = check(client, people["huber"], store, code)
    assert (r.status_code, r.json()["code"]) == (status, problem)


# --- who may check -----------------------------------------------------------------------


def test_the_gate_is_for_the_stores_staff_only(client, people, db, no_rescan):
    ben, anna, kaya, huber = people["ben"], people["anna"], people["kaya"], people["huber"]
    visit, exit_pass = paid(client, ben, BUTCHER, WIENER)
    store = visit["store_id"]
    # a customer: 403; staff of another merchant: 404
    r = check(client, anna, store, exit_pass["code"])
    assert (r.status_code, r.json()["code"]) == (403, "not_merchant_staff")
    assert check(client, ben, store, exit_pass["code"]).status_code == 403
    assert check(client, kaya, store, exit_pass["code"]).status_code == 404
    [pass_id] = db.scalars(select(ExitPass.id)).all()
    for who, status in ((anna, 403), (kaya, 404)):
        url = f"/api/v1/scango/gate/{store}/passes/{pass_id}"
        assert client.get(url, headers=who.headers).status_code == status
        assert confirm(client, who, store, pass_id).status_code == status
        url = f"/api/v1/scango/stores/{store}/checkin"
        assert client.get(url, headers=who.headers).status_code == status
    # nothing was used up by them
    assert ben_pass(client, ben, visit)["state"] == "valid"
    # huber sees the store's check-in address
    r = client.get(f"/api/v1/scango/stores/{store}/checkin", headers=huber.headers)
    assert r.json()["url"] == f"http://127.0.0.1:8000/go/{BUTCHER}"


def test_a_pass_of_another_store_is_refused(client, people, no_rescan):
    visit, exit_pass = paid(client, people["ben"], MARKET, PILS)
    butcher = cart(client, people["anna"], BUTCHER)["store_id"]
    r = check(client, people["huber"], butcher, exit_pass["code"])
    assert (r.status_code, r.json()["code"]) == (409, "pass_other_store")
    # the supermarket's other branch is refused too, although kaya works for the merchant
    north = cart(client, people["anna"], "frischmarkt-musterstadt-nord")["store_id"]
    r = check(client, people["kaya"], north, exit_pass["code"])
    assert (r.status_code, r.json()["code"]) == (409, "pass_other_store")


# --- age check and re-scan ---------------------------------------------------------------


def test_beer_needs_the_age_check_before_the_pass_is_valid(client, people, no_rescan, frozen_clock):
    ben, kaya = people["ben"], people["kaya"]
    visit, exit_pass = paid(client, ben, MARKET, PILS)
    assert (exit_pass["state"], exit_pass["age_check"]) == ("checks", True)
    frozen_clock.advance(minutes=9)
    r = check(client, kaya, visit["store_id"], exit_pass["code"])
    assert r.status_code == 200
    body = r.json()
    assert (body["state"], body["pending"], body["min_age"]) == ("checks", ["age"], 16)
    # staff take their time: shown in time, the pass stays good
    frozen_clock.advance(minutes=5)
    r = confirm(client, kaya, visit["store_id"], body["pass_id"])
    assert (r.status_code, r.json()["code"]) == (422, "age_unconfirmed")
    assert ben_pass(client, ben, visit)["state"] == "checks"
    r = confirm(client, kaya, visit["store_id"], body["pass_id"], age_checked=True)
    assert (r.status_code, r.json()["state"]) == (200, "used")
    assert ben_pass(client, ben, visit)["state"] == "used"
    r = confirm(client, kaya, visit["store_id"], body["pass_id"], age_checked=True)
    assert (r.status_code, r.json()["code"]) == (409, "pass_used")


def test_a_drawn_visit_is_re_scanned_by_staff(client, people, settings):
    settings.scango_rescan_one_in = 1  # every visit
    visit, exit_pass = paid(client, people["ben"], BUTCHER, WIENER, WIENER)
    assert exit_pass["state"] == "checks"
    body = check(client, people["huber"], visit["store_id"], exit_pass["code"]).json()
    assert (body["state"], body["pending"], body["rescan"]) == ("checks", ["rescan"], True)
    assert [(x["name"], x["quantity"]) for x in body["lines"]] == [("Wiener Würstchen", 2)]
    r = confirm(client, people["huber"], visit["store_id"], body["pass_id"], age_checked=True)
    assert (r.status_code, r.json()["code"]) == (422, "rescan_unconfirmed")
    r = confirm(client, people["huber"], visit["store_id"], body["pass_id"], rescanned=True)
    assert r.json()["state"] == "used"


def test_the_rescan_share_is_a_setting_and_the_draw_is_injectable(db, client, people, settings):
    ben = db.get(User, people["ben"].id)
    top_up(client, people["ben"], 40_00)
    flags = []
    for draw_result, one_in in ((0, 20), (7, 20), (0, 0)):
        settings.scango_rescan_one_in = one_in
        visit = cart(client, people["ben"], BUTCHER, WIENER)
        seen: list[int] = []

        def draw(n, seen=seen, result=draw_result):
            seen.append(n)
            return result

        db.rollback()  # a fresh snapshot: see the visit the app committed
        paid_visit = pay_visit(db, ben, visit["id"], draw=draw)
        flags.append((paid_visit.exit_pass.needs_rescan, seen))
    assert flags == [(True, [20]), (False, [20]), (False, [])]


# --- paying once -------------------------------------------------------------------------


def test_two_taps_on_pay_at_the_same_moment_pay_once(client, people, db, settings, no_rescan):
    ben = people["ben"]
    top_up(client, ben, 80_00)  # enough for both: the visit, not the money, decides
    visit = cart(client, ben, BUTCHER, LABEL, WIENER)
    engine = make_engine(settings.database_url, pool_size=4)
    factory = make_session_factory(engine, write=True)
    barrier = threading.Barrier(2)

    def tap(i):
        with factory() as session:
            barrier.wait(timeout=30)
            try:
                user = session.get(User, ben.id)
                return pay_visit(session, user, visit["id"])
            except Exception as exc:  # noqa: BLE001 - the outcome is what the test inspects
                session.rollback()
                return exc

    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            outcomes = list(pool.map(tap, range(2)))
    finally:
        engine.dispose()
    won = [o for o in outcomes if isinstance(o, PaidVisit)]
    lost = [o for o in outcomes if isinstance(o, Conflict)]
    assert (len(won), len(lost)) == (1, 1), outcomes
    assert lost[0].code == "visit_paid"
    db.rollback()
    assert (
        db.scalar(select(func.count()).select_from(Payment).where(Payment.kind == "purchase")) == 1
    )
    assert db.scalar(select(func.count()).select_from(ExitPass)) == 1
    assert ledger.verify(db) == []


def stale_visit(monkeypatch, **changes):
    """Pay as a second tap does that read the visit before the first tap committed."""
    real = checkout.get_visit

    def read_earlier(session, user, visit_id):
        v = real(session, user, visit_id)
        return SimpleNamespace(id=v.id, store_id=v.store_id, merchant_id=v.merchant_id,
                               status="open", version=v.version + changes.get("dv", 0))  # fmt: skip

    monkeypatch.setattr(checkout, "get_visit", read_earlier)


def test_the_conditional_update_refuses_a_tap_that_read_the_visit_as_open(
    client, people, db, monkeypatch, no_rescan
):
    ben = people["ben"]
    top_up(client, ben, 40_00)
    visit = cart(client, ben, BUTCHER, WIENER)
    user = db.get(User, ben.id)
    pay_visit(db, user, visit["id"])
    stale_visit(monkeypatch)
    with pytest.raises(Conflict) as err:
        pay_visit(db, user, visit["id"], idem=None)
    assert err.value.code == "visit_paid"
    assert err.value.__cause__ is None  # refused by the conditional UPDATE, not a unique key
    db.rollback()
    assert (
        db.scalar(select(func.count()).select_from(Payment).where(Payment.kind == "purchase")) == 1
    )
    assert ledger.verify(db) == []


def test_a_cart_changed_while_paying_is_not_charged(client, people, db, monkeypatch, no_rescan):
    ben = people["ben"]
    top_up(client, ben, 40_00)
    visit = cart(client, ben, BUTCHER, WIENER)
    stale_visit(monkeypatch, dv=-1)  # priced the cart one change ago
    r = client.post(f"/api/v1/scango/visits/{visit['id']}/pay", json={},
                    headers=with_key(ben, str(uuid.uuid4())))  # fmt: skip
    assert (r.status_code, r.json()["code"]) == (409, "cart_changed")
    db.rollback()
    assert db.get(Visit, visit["id"]).status == "open"
    assert (
        db.scalar(select(func.count()).select_from(Payment).where(Payment.kind == "purchase")) == 0
    )
    assert db.scalar(select(func.count()).select_from(ExitPass)) == 0
