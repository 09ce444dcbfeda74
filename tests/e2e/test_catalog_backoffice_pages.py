"""Merchant back office through the pages: forms, CSRF, prices in the page's locale,
errors next to the field."""

import html
import re

import pytest
from sqlalchemy import func, select
from tests.backoffice_support import NEW, add_staffed_merchant
from tests.support import page_login

from kosmos.catalog.tables import Product, Store, StoreProduct


def log_in(client, account):
    return page_login(client, account.username, account.password)


def test_staff_pages_create_product_and_set_stock(client, db, world):
    token = log_in(client, world["huber"])
    # when
    bad = client.post(
        "/backoffice/products",
        data={
            "csrf_token": token,
            "name": "Würstchen",
            "category": "Wurst",
            "unit": "piece",
            "price": "6,49",
            "vat_rate": "7",
            "gtin": "4012345000017",
        },
    )
    good = client.post(
        "/backoffice/products",
        data={
            "csrf_token": token,
            "name": "Würstchen",
            "category": "Wurst",
            "unit": "piece",
            "price": "6,49",
            "vat_rate": "7",
            "gtin": "4012345000016",
        },
        follow_redirects=False,
    )
    pid = int(good.headers["location"].rsplit("/", 1)[1])
    stock = client.post(
        f"/backoffice/stores/{world['store_a']}/stock/{pid}",
        data={"csrf_token": token, "stock": "4", "price": ""},
        follow_redirects=False,
    )
    hours_bad = client.post(
        f"/backoffice/stores/{world['store_a']}/hours",
        data={"csrf_token": token, "hours_mon": "8 bis 12"},
    )
    overview = client.get("/backoffice")
    # then
    assert bad.status_code == 422
    assert 'id="e-gtin"' in bad.text and "Die Prüfziffer dieser GTIN ist falsch." in bad.text
    assert good.status_code == 303
    assert db.get(Product, pid).price_cents == 649
    assert stock.status_code == 303
    assert db.get(StoreProduct, (world["store_a"], pid)).stock == 4
    assert hours_bad.status_code == 422 and 'id="e-hours_mon"' in hours_bad.text
    assert "Würstchen" in overview.text


def test_pages_refuse_other_merchants_and_missing_csrf(client, world):
    token = log_in(client, world["huber"])
    html = {"accept": "text/html"}
    assert client.get(f"/backoffice/stores/{world['store_b']}", headers=html).status_code == 404
    assert (
        client.get(f"/backoffice/products/{world['foreign'].id}", headers=html).status_code == 404
    )
    assert (
        client.post(
            f"/backoffice/products/{world['foreign'].id}/delete",
            data={"csrf_token": token},
            headers=html,
        ).status_code
        == 404
    )
    assert client.post("/backoffice/products", data={"name": "x"}, headers=html).status_code == 403


def form_fields(page):
    """The fields of the product form as a browser would send them back."""
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page))
    fields.update(
        re.findall(r'<select[^>]*name="([^"]+)"[\s\S]*?<option value="([^"]*)" selected', page)
    )
    fields["description"] = re.search(r"<textarea[^>]*>([\s\S]*?)</textarea>", page).group(1)
    return {name: html.unescape(value) for name, value in fields.items()}


def product_form(token, **changes):
    form = {
        "csrf_token": token,
        "name": "Wiener Würstchen",
        "gtin": "",
        "rcn_item": "",
        "brand": "",
        "category": "Wurst",
        "unit": "piece",
        "price": "6,49",
        "vat_rate": "7",
        "weight_g": "",
        "volume_ml": "",
        "min_age": "",
        "description": "",
    }
    return {**form, **changes}


@pytest.mark.parametrize(("locale", "shown"), [("de", "6,49"), ("en", "6.49")])
def test_saving_the_edit_form_unchanged_keeps_the_price(client, db, world, locale, shown):
    # given a product at 6,49 € and a staff member reading the back office in `locale`
    pid = client.post("/api/v1/backoffice/products", json=NEW, headers=world["huber"].headers)
    pid = pid.json()["id"]
    token = log_in(client, world["huber"])
    client.post("/locale", data={"locale": locale, "csrf_token": token, "next": "/"})
    # when they open the form and press Save
    form = form_fields(client.get(f"/backoffice/products/{pid}").text)
    saved = client.post(f"/backoffice/products/{pid}", data=form, follow_redirects=False)
    # then
    assert form["price"] == shown
    assert saved.status_code == 303
    db.expire_all()
    assert db.get(Product, pid).price_cents == 649


@pytest.mark.parametrize(
    ("locale", "typed", "cents"),
    [
        ("de", "6,49", 649),
        ("de", "6.49", 649),
        ("de", "6,5", 650),
        ("de", "1.234,50", 123450),
        ("de", "1234,50", 123450),
        ("en", "6.49", 649),
        ("en", "6,49", 649),
        ("en", "1,234.50", 123450),
        ("en", "7", 700),
    ],
)
def test_prices_are_read_in_the_page_locale_or_by_an_unambiguous_mark(
    client, db, world, locale, typed, cents
):
    # given
    pid = client.post("/api/v1/backoffice/products", json=NEW, headers=world["huber"].headers)
    pid = pid.json()["id"]
    token = log_in(client, world["huber"])
    client.post("/locale", data={"locale": locale, "csrf_token": token, "next": "/"})
    # when
    saved = client.post(
        f"/backoffice/products/{pid}",
        data=product_form(token, gtin=NEW["gtin"], price=typed),
        follow_redirects=False,
    )
    # then
    assert saved.status_code == 303
    db.expire_all()
    assert db.get(Product, pid).price_cents == cents


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("NaN", "Gib einen Preis wie 1,49 ein."),
        ("sNaN", "Gib einen Preis wie 1,49 ein."),
        ("Infinity", "Gib einen Preis wie 1,49 ein."),
        ("-Infinity", "Gib einen Preis wie 1,49 ein."),
        ("1E+999999", "Gib einen Preis wie 1,49 ein."),
        ("0,005", "Gib einen Preis wie 1,49 ein."),
        ("1,2,3", "Gib einen Preis wie 1,49 ein."),
        ("9" * 5000, "Der Preis muss zwischen 0 und 100.000,00 EUR liegen."),
    ],
)
def test_odd_prices_are_a_field_error(client, db, world, typed, message):
    # given
    pid = client.post("/api/v1/backoffice/products", json=NEW, headers=world["huber"].headers)
    pid = pid.json()["id"]
    token = log_in(client, world["huber"])
    # when
    response = client.post(
        f"/backoffice/products/{pid}", data=product_form(token, gtin=NEW["gtin"], price=typed)
    )
    # then
    assert response.status_code == 422
    assert f'<p id="e-price" class="error" role="alert">{message}</p>' in response.text
    db.expire_all()
    assert db.get(Product, pid).price_cents == 649


@pytest.mark.parametrize(
    ("field", "typed"),
    [
        ("weight_g", "²"),
        ("weight_g", "9" * 5000),
        ("vat_rate", "٧"),
        ("min_age", "1²"),
        ("volume_ml", "-5"),
    ],
)
def test_odd_whole_numbers_are_a_field_error(client, db, world, field, typed):
    # given
    token = log_in(client, world["huber"])
    # when
    response = client.post("/backoffice/products", data=product_form(token, **{field: typed}))
    # then
    assert response.status_code == 422
    assert (
        f'<p id="e-{field}" class="error" role="alert">Gib eine ganze Zahl ein.</p>'
        in response.text
    )
    assert db.scalar(select(func.count()).select_from(Product)) == 1


@pytest.mark.parametrize("typed", ["²", "9" * 5000])
def test_odd_stock_is_a_field_error(client, db, world, typed):
    # given
    pid = client.post("/api/v1/backoffice/products", json=NEW, headers=world["huber"].headers)
    pid = pid.json()["id"]
    token = log_in(client, world["huber"])
    # when
    response = client.post(
        f"/backoffice/stores/{world['store_a']}/stock/{pid}",
        data={"csrf_token": token, "stock": typed, "price": ""},
    )
    # then
    assert response.status_code == 422
    assert '<p class="error" role="alert">Gib eine ganze Zahl ein.</p>' in response.text
    assert db.get(StoreProduct, (world["store_a"], pid)) is None


def test_the_store_price_field_shows_the_price_in_the_page_locale(client, db, world):
    # given a store price of 1.234,50 €
    h = world["huber"].headers
    pid = client.post("/api/v1/backoffice/products", json=NEW, headers=h).json()["id"]
    client.put(
        f"/api/v1/backoffice/stores/{world['store_a']}/products/{pid}",
        json={"stock": 2, "price_cents": 123450},
        headers=h,
    )
    token = log_in(client, world["huber"])
    # when
    german = client.get(f"/backoffice/stores/{world['store_a']}").text
    client.post("/locale", data={"locale": "en", "csrf_token": token, "next": "/"})
    english = client.get(f"/backoffice/stores/{world['store_a']}").text
    # then
    assert f'id="price-{pid}" name="price" inputmode="decimal" size="7" value="1234,50"' in german
    assert f'id="price-{pid}" name="price" inputmode="decimal" size="7" value="1234.50"' in english


def test_coordinates_accept_a_decimal_comma(client, db, world):
    # given
    token = log_in(client, world["huber"])
    form = {
        "csrf_token": token,
        "name": "Huber",
        "slug": "huber-1",
        "street": "Marktplatz 1",
        "postcode": "12345",
        "city": "Musterstadt",
        "lat": "52,5201",
        "lon": "13,4",
        "phone": "",
    }
    # when
    saved = client.post(f"/backoffice/stores/{world['store_a']}", data=form, follow_redirects=False)
    odd = client.post(f"/backoffice/stores/{world['store_a']}", data={**form, "lon": "NaN"})
    # then: 13,4 is 13.4, never 134
    assert saved.status_code == 303
    db.expire_all()
    store = db.get(Store, world["store_a"])
    assert (store.lat, store.lon) == (52.5201, 13.4)
    assert odd.status_code == 422
    assert '<p id="e-lon" class="error" role="alert">Gib eine Zahl wie 52.5201 ein.</p>' in odd.text


def test_new_product_form_keeps_the_chosen_merchant_after_an_error(client, db, world):
    # given a staff member of two merchants
    second = add_staffed_merchant(db, "huber-zwei", world["huber"].id)
    token = log_in(client, world["huber"])
    # when the form for the second merchant is sent with a bad price, then corrected
    bad = client.post(
        f"/backoffice/products?merchant={second.id}", data=product_form(token, price="abc")
    )
    form = form_fields(bad.text)
    action = re.search(r'<form method="post" action="([^"]*)" novalidate', bad.text).group(1)
    good = client.post(
        html.unescape(action), data={**form, "price": "6,49"}, follow_redirects=False
    )
    # then
    assert bad.status_code == 422
    assert action == f"/backoffice/products?merchant={second.id}"
    assert form["merchant_id"] == str(second.id)
    assert good.status_code == 303
    created = db.scalar(select(Product).where(Product.name == "Wiener Würstchen"))
    assert created.merchant_id == second.id


def test_new_product_without_a_merchant_shows_the_error_at_the_merchant_field(client, db, world):
    # given a staff member of two merchants
    add_staffed_merchant(db, "huber-zwei", world["huber"].id)
    token = log_in(client, world["huber"])
    # when the form is sent without choosing one
    response = client.post("/backoffice/products", data=product_form(token, merchant_id=""))
    # then
    assert response.status_code == 422
    assert (
        '<p id="e-merchant_id" class="error" role="alert">Wähle den Händler.</p>' in response.text
    )
    assert db.scalar(select(func.count()).select_from(Product)) == 1


def test_store_slug_null_is_422(client, db, world):
    # when
    response = client.patch(
        f"/api/v1/backoffice/stores/{world['store_a']}",
        json={"slug": None},
        headers=world["huber"].headers,
    )
    # then
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "slug", "message": "Use at least 3 letters or digits."}
    ]
    db.expire_all()
    assert db.get(Store, world["store_a"]).slug == "huber-1"


def test_store_postcode_needs_ascii_digits(client, db, world):
    # when
    response = client.patch(
        f"/api/v1/backoffice/stores/{world['store_a']}",
        json={"postcode": "١٢٣٤٥"},
        headers=world["huber"].headers,
    )
    # then
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "postcode", "message": "A German postcode has 5 digits."}
    ]
    db.expire_all()
    assert db.get(Store, world["store_a"]).postcode == "12345"
