"""Scan&Go pages: the store's QR code opens the check-in; the cart takes typed codes and
shows refusals next to the field; quantities change; Pay (hidden idempotency key, PIN
field) leads to the exit pass; staff verify it at the exit gate. Each page checks the
object through the caller."""

from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import func, select
from tests.assistant_support import GRILL_PASSWORDS, demo_accounts
from tests.support import page_login
from tests.wallet_support import set_pin, top_up

from kosmos.catalog.demo.helpers import gtin_check_digit
from kosmos.catalog.demo.products import DEMO_SCALE_LABEL, PRODUCTS
from kosmos.places import qr_image
from kosmos.places.scango.tables import ExitPass, Line
from kosmos.wallet.tables import Payment

pytestmark = pytest.mark.postgres

BUTCHER = "metzgerei-huber-marktplatz"
MARKET = "frischmarkt-musterstadt-zentrum"
WIENER = next(p["gtin"] for p in PRODUCTS if p["name"] == "Wiener Würstchen")
PILS = next(p["gtin"] for p in PRODUCTS if p["name"] == "Musterbräu Pils")
LABEL = DEMO_SCALE_LABEL["ean_weight"]
UNKNOWN = "400999999999" + gtin_check_digit("400999999999")


@pytest.fixture
def people(db, settings):
    settings.scango_rescan_one_in = 0
    return demo_accounts(db, {**GRILL_PASSWORDS, "huber": "metzger-huber-2026",
                              "kaya": "markt-kaya-2026"})  # fmt: skip


def english(client):
    client.cookies.set("kosmos_locale", "en")


def checked_in(client, csrf, store=BUTCHER) -> int:
    r = client.post(f"/go/{store}", data={"csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303, r.text
    return int(r.headers["location"].rsplit("/", 1)[1])


def type_code(client, csrf, visit_id, code):
    return client.post(f"/scango/visits/{visit_id}/scan", data={"csrf_token": csrf, "code": code},
                       follow_redirects=False)  # fmt: skip


def hidden(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert match, name
    return match.group(1)


def lines(db):
    db.rollback()
    return db.scalar(select(func.count()).select_from(Line))


def test_the_store_qr_opens_the_check_in_which_starts_then_resumes_the_visit(client, people):
    csrf = page_login(client, "ben", "grillen-ben-2026")
    english(client)
    page = client.get(f"/go/{BUTCHER}")
    assert page.status_code == 200
    assert "<h1>Scan&Go at Metzgerei Huber am Marktplatz</h1>" in page.text
    assert f'action="/go/{BUTCHER}"' in page.text
    visit = checked_in(client, csrf)
    # opening the QR again resumes the open visit
    r = client.get(f"/go/{BUTCHER}", follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, f"/scango/visits/{visit}")
    assert checked_in(client, csrf) == visit
    assert client.get("/go/no-such-store").status_code == 404


def test_the_check_in_asks_a_guest_to_log_in_first(client, people):
    r = client.get(f"/go/{BUTCHER}", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == f"/login?next=/go/{BUTCHER}"


def test_typed_codes_fill_the_cart_and_refusals_show_next_to_the_field(client, people, db):
    csrf = page_login(client, "ben", "grillen-ben-2026")
    english(client)
    visit = checked_in(client, csrf)
    assert type_code(client, csrf, visit, LABEL).status_code == 303
    assert type_code(client, csrf, visit, WIENER).status_code == 303
    page = client.get(f"/scango/visits/{visit}").text
    assert 'data-live="scango:visit:' in page and "/static/live.js" in page
    assert 'data-scanner="ean_13,ean_8,upc_a"' in page and "/static/scango.js" in page
    assert "1.234 kg × €12.90/kg" in page
    assert re.search(r'data-testid="total">€22.41<', page)
    assert "incl. 7 % VAT on €22.41" in page
    for code, status, message in (
        (UNKNOWN, 404, "No product has this code."),
        (WIENER[:-1] + str((int(WIENER[-1]) + 1) % 10), 400, "check digit"),
        (PILS, 404, "This product is not sold at Metzgerei Huber am Marktplatz."),
    ):
        r = type_code(client, csrf, visit, code)
        assert r.status_code == status
        error = re.search(r'<p id="e-code" class="error" role="alert">([^<]*)</p>', r.text)
        assert error and message in error.group(1)
        assert f'value="{code}"' in r.text  # what was typed stays in the field
    assert lines(db) == 2


def test_quantity_buttons_and_remove(client, people, db):
    csrf = page_login(client, "ben", "grillen-ben-2026")
    visit = checked_in(client, csrf)
    type_code(client, csrf, visit, WIENER)
    [line_id] = db.scalars(select(Line.id)).all()
    url = f"/scango/visits/{visit}/lines/{line_id}"
    r = client.post(url, data={"csrf_token": csrf, "quantity": "3"}, follow_redirects=False)
    assert r.status_code == 303
    db.rollback()
    assert db.get(Line, line_id).quantity == 3
    r = client.post(url, data={"csrf_token": csrf, "quantity": "x"})
    assert r.status_code == 422 and 'role="alert"' in r.text
    r = client.post(f"{url}/remove", data={"csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303 and lines(db) == 0
    # without the CSRF token nothing changes
    r = client.post(f"/scango/visits/{visit}/scan", data={"code": WIENER})
    assert r.status_code == 403 and lines(db) == 0


def test_another_customers_cart_and_pass_are_404(client, people):
    csrf = page_login(client, "ben", "grillen-ben-2026")
    visit = checked_in(client, csrf)
    client.cookies.clear()
    csrf = page_login(client, "anna", "grillen-anna-2026")
    assert client.get(f"/scango/visits/{visit}").status_code == 404
    assert client.get(f"/scango/visits/{visit}/pass").status_code == 404
    assert type_code(client, csrf, visit, WIENER).status_code == 404
    r = client.post(
        f"/scango/visits/{visit}/pay", data={"csrf_token": csrf, "idempotency_key": "k"}
    )
    assert r.status_code == 404


def test_pay_with_the_forms_key_pays_once_and_shows_the_exit_pass(client, people, db):
    csrf = page_login(client, "ben", "grillen-ben-2026")
    english(client)
    top_up(client, people["ben"], 30_00)
    visit = checked_in(client, csrf)
    type_code(client, csrf, visit, LABEL)
    page = client.get(f"/scango/visits/{visit}").text
    form = {"csrf_token": csrf, "idempotency_key": hidden(page, "idempotency_key"), "pin": ""}
    first = client.post(f"/scango/visits/{visit}/pay", data=form, follow_redirects=False)
    again = client.post(f"/scango/visits/{visit}/pay", data=form, follow_redirects=False)
    assert first.status_code == again.status_code == 303
    assert first.headers["location"] == again.headers["location"] == f"/scango/visits/{visit}/pass"
    db.rollback()
    assert (
        db.scalar(select(func.count()).select_from(Payment).where(Payment.kind == "purchase")) == 1
    )
    # the cart now leads to the pass
    r = client.get(f"/scango/visits/{visit}", follow_redirects=False)
    assert r.headers["location"] == f"/scango/visits/{visit}/pass"
    page = client.get(f"/scango/visits/{visit}/pass").text
    exit_pass = db.scalars(select(ExitPass)).one()
    assert f'data-live="scango:pass:{exit_pass.id}"' in page
    assert re.search(r'<svg [^>]*class="qr"', page)
    code = f"{exit_pass.short_code[:4]}-{exit_pass.short_code[4:]}"
    assert f'data-testid="pass-code">{code}<' in page
    assert "Valid until 10:10, once." in page  # Berlin time


def test_over_50_eur_the_pin_error_shows_next_to_its_field(client, people, db):
    csrf = page_login(client, "ben", "grillen-ben-2026")
    english(client)
    top_up(client, people["ben"], 100_00)
    set_pin(client, people["ben"], "4711")
    visit = checked_in(client, csrf)
    for _ in range(4):
        type_code(client, csrf, visit, LABEL)
    key = str(uuid.uuid4())
    r = client.post(f"/scango/visits/{visit}/pay",
                    data={"csrf_token": csrf, "idempotency_key": key, "pin": ""})  # fmt: skip
    assert r.status_code == 403
    assert re.search(r'<p id="e-pin" class="error" role="alert">[^<]*PIN', r.text)
    r = client.post(f"/scango/visits/{visit}/pay",
                    data={"csrf_token": csrf, "idempotency_key": key, "pin": "4711"},
                    follow_redirects=False)  # fmt: skip
    assert r.status_code == 303


def _paid_pass(client, people, db, store=BUTCHER, code=WIENER):
    csrf = page_login(client, "ben", "grillen-ben-2026")
    top_up(client, people["ben"], 30_00)
    visit = checked_in(client, csrf, store)
    type_code(client, csrf, visit, code)
    r = client.post(f"/scango/visits/{visit}/pay",
                    data={"csrf_token": csrf, "idempotency_key": str(uuid.uuid4())},
                    follow_redirects=False)  # fmt: skip
    assert r.status_code == 303, r.text
    db.rollback()
    exit_pass = db.scalars(select(ExitPass)).one()
    client.cookies.clear()
    return visit, exit_pass


def test_the_exit_gate_says_goodbye_once_then_refuses(client, people, db):
    visit, exit_pass = _paid_pass(client, people, db)
    csrf = page_login(client, "huber", "metzger-huber-2026")
    english(client)
    gate = f"/scango/gate/{exit_pass.store_id}"
    page = client.get(gate).text
    assert 'data-scanner="qr_code"' in page and 'data-live="scango:gate:' in page
    assert "Ben Müller" in page  # the paid pass waits in the list
    r = client.post(f"{gate}/check", data={"csrf_token": csrf, "code": exit_pass.short_code},
                    follow_redirects=False)  # fmt: skip
    assert r.headers["location"] == f"{gate}/passes/{exit_pass.id}"
    page = client.get(r.headers["location"]).text
    assert "OK, goodbye!" in page and 'data-state="used"' in page
    r = client.post(f"{gate}/check", data={"csrf_token": csrf, "code": exit_pass.short_code})
    assert r.status_code == 409
    assert re.search(
        r'id="e-code" class="error" role="alert">This exit pass was already used', r.text
    )


def test_the_gate_pages_need_the_stores_staff(client, people, db):
    visit, exit_pass = _paid_pass(client, people, db)
    gate = f"/scango/gate/{exit_pass.store_id}"
    for name, password, status in (("anna", "grillen-anna-2026", 403),
                                   ("kaya", "markt-kaya-2026", 404)):  # fmt: skip
        client.cookies.clear()
        csrf = page_login(client, name, password)
        assert client.get(gate).status_code == status
        assert client.get(f"{gate}/passes/{exit_pass.id}").status_code == status
        assert client.get(f"/scango/stores/{exit_pass.store_id}/qr").status_code == status
        r = client.post(f"{gate}/check", data={"csrf_token": csrf, "code": exit_pass.short_code})
        assert r.status_code == status
    db.rollback()
    assert db.get(ExitPass, exit_pass.id).used_at is None


def test_staff_print_the_stores_check_in_qr_code(client, people, db, settings):
    visit, exit_pass = _paid_pass(client, people, db)
    page_login(client, "huber", "metzger-huber-2026")
    english(client)
    page = client.get(f"/scango/stores/{exit_pass.store_id}/qr").text
    url = f"{settings.base_url}/go/{BUTCHER}"
    assert url in page
    title = "Scan&Go at Metzgerei Huber am Marktplatz"
    assert qr_image.svg(url, scale=8, title=title) in page
    staff = client.get("/scango/staff").text
    assert f'href="/scango/gate/{exit_pass.store_id}"' in staff


def test_the_age_check_is_confirmed_on_the_gate_page(client, people, db):
    visit, exit_pass = _paid_pass(client, people, db, MARKET, PILS)
    csrf = page_login(client, "kaya", "markt-kaya-2026")
    english(client)
    gate = f"/scango/gate/{exit_pass.store_id}"
    r = client.post(f"{gate}/check", data={"csrf_token": csrf, "code": exit_pass.token})
    assert 'data-state="checks"' in r.text and 'name="age"' in r.text
    assert 'name="rescan"' not in r.text
    url = f"{gate}/passes/{exit_pass.id}/confirm"
    r = client.post(url, data={"csrf_token": csrf})
    assert r.status_code == 422 and "Check the customer&#39;s ID first." in r.text
    r = client.post(url, data={"csrf_token": csrf, "age": "yes"})
    assert "OK, goodbye!" in r.text


def test_the_pass_link_leads_its_owner_to_the_pass_and_staff_to_the_gate(client, people, db):
    visit, exit_pass = _paid_pass(client, people, db)
    link = f"/scango/exit/{exit_pass.token}"
    page_login(client, "ben", "grillen-ben-2026")
    r = client.get(link, follow_redirects=False)
    assert r.headers["location"] == f"/scango/visits/{visit}/pass"
    client.cookies.clear()
    page_login(client, "huber", "metzger-huber-2026")
    r = client.get(link, follow_redirects=False)
    assert r.headers["location"] == f"/scango/gate/{exit_pass.store_id}?code={exit_pass.token}"
    client.cookies.clear()
    page_login(client, "anna", "grillen-anna-2026")
    assert client.get(link).status_code == 404
    db.rollback()
    assert db.get(ExitPass, exit_pass.id).used_at is None  # opening the link checks nothing


def test_the_scanner_script_is_served_from_the_same_origin(client):
    r = client.get("/static/scango.js")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/javascript")
    assert "BarcodeDetector" in r.text
