"""Public catalog API and pages over HTTP: products, search, barcodes, merchants, stores."""

import pytest
from biip.checksums import gs1_price_weight_check_digit, gs1_standard_check_digit

from kosmos import clock
from kosmos.catalog.backoffice import apply_search_text
from kosmos.catalog.tables import Merchant, Product, Store, StoreProduct

HOURS = {"mon": [["07:00", "18:00"]], "sun": [["08:00", "12:00"]]}


def scale_label(prefix, item, value):
    body = f"{prefix}{item}{gs1_price_weight_check_digit(value)}{value}"
    return body + str(gs1_standard_check_digit(body))


@pytest.fixture
def shop(db):
    now = clock.now()
    merchant = Merchant(
        slug="metzgerei-huber",
        name="Metzgerei Huber",
        kind="butcher",
        description="Seit 1962",
        created_at=now,
    )
    store = Store(
        slug="huber-markt",
        name="Huber am Markt",
        street="Marktplatz 3",
        postcode="12345",
        city="Musterstadt",
        lat=52.5203,
        lon=13.4047,
        phone="",
        opening_hours=HOURS,
        created_at=now,
    )
    other_store = Store(
        slug="huber-nord",
        name="Huber Nord",
        street="Ring 1",
        postcode="12345",
        city="Musterstadt",
        lat=52.53,
        lon=13.40,
        phone="",
        opening_hours={},
        created_at=now,
    )
    merchant.stores += [store, other_store]
    db.add(merchant)
    db.flush()
    products = {}
    for name, gtin, rcn, unit, price, weight in (
        ("Wiener Würstchen", "4012345000016", None, "piece", 649, 400),
        ("Nackensteak", None, "1001", "kg", 1290, None),
    ):
        p = Product(
            merchant_id=merchant.id,
            name=name,
            gtin=gtin,
            rcn_item=rcn,
            unit=unit,
            price_cents=price,
            currency="EUR",
            vat_rate=7,
            weight_g=weight,
            category="Wurst",
            brand="Metzgerei Huber",
            min_age=0,
            description="",
            created_at=now,
            updated_at=now,
        )
        apply_search_text(p)
        db.add(p)
        db.flush()
        db.add(StoreProduct(store_id=store.id, product_id=p.id, stock=12, updated_at=now))
        products[name] = p
    db.commit()
    return {"merchant": merchant, "store": store, "other_store": other_store, **products}


def test_search_api_returns_items_with_merchant(client, shop):
    # when
    response = client.get("/api/v1/products", params={"q": "wuerstchen"})
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["next_cursor"] is None
    assert body["items"] == [
        {
            "id": shop["Wiener Würstchen"].id,
            "name": "Wiener Würstchen",
            "gtin": "4012345000016",
            "price_cents": 649,
            "currency": "EUR",
            "vat_rate": 7,
            "unit": "piece",
            "brand": "Metzgerei Huber",
            "category": "Wurst",
            "merchant": {
                "id": shop["merchant"].id,
                "name": "Metzgerei Huber",
                "slug": "metzgerei-huber",
            },
            "store_id": None,
            "stock": None,
        }
    ]


def test_list_api_paginates_and_filters_by_store(client, shop):
    # when
    first = client.get("/api/v1/products", params={"limit": 1}).json()
    second = client.get("/api/v1/products", params={"limit": 1, "cursor": first["next_cursor"]})
    in_store = client.get("/api/v1/products", params={"store": shop["store"].id}).json()
    # then
    assert [i["name"] for i in first["items"]] == ["Nackensteak"]
    assert [i["name"] for i in second.json()["items"]] == ["Wiener Würstchen"]
    assert second.json()["next_cursor"] is None
    assert {(i["name"], i["stock"]) for i in in_store["items"]} == {
        ("Nackensteak", 12),
        ("Wiener Würstchen", 12),
    }


def test_bad_cursor_is_400(client, shop):
    response = client.get("/api/v1/products", params={"cursor": "garbage!!"})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "invalid_cursor"


def test_product_by_gtin_accepts_other_spelling(client, shop):
    response = client.get("/api/v1/products/by-gtin/4012345000016")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Wiener Würstchen"
    assert (body["unit_price_cents"], body["unit_price_unit"]) == (1623, "kg")
    assert body["offers"] == [
        {
            "store": {
                "id": shop["store"].id,
                "slug": "huber-markt",
                "name": "Huber am Markt",
                "street": "Marktplatz 3",
                "postcode": "12345",
                "city": "Musterstadt",
            },
            "price_cents": 649,
            "stock": 12,
        }
    ]


def test_bad_gtin_check_digit_is_400_problem(client, shop):
    response = client.get("/api/v1/products/by-gtin/4012345000017")
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "invalid_gtin"
    assert response.json()["errors"] == [
        {"field": "gtin", "message": "The check digit of this GTIN is wrong."}
    ]


def test_unknown_gtin_and_product_are_404(client, shop):
    assert client.get("/api/v1/products/by-gtin/4006381333931").json()["code"] == "unknown_gtin"
    assert client.get("/api/v1/products/999999").status_code == 404


def test_weight_label_resolves_to_line_price(client, shop):
    # given 1.234 kg Nackensteak at 12.90 EUR/kg
    code = scale_label("28", "1001", "01234")
    # when
    response = client.get(f"/api/v1/barcodes/{code}", params={"store_id": shop["store"].id})
    # then
    assert response.status_code == 200
    body = response.json()
    assert (body["kind"], body["weight_kg"], body["line_price_cents"]) == ("weight", "1.234", 1592)
    assert body["product"]["name"] == "Nackensteak"
    assert body["product"]["stock"] == 12


def test_price_label_resolves_to_encoded_price(client, shop):
    response = client.get(f"/api/v1/barcodes/{scale_label('22', '1001', '00349')}")
    assert response.json()["kind"] == "price"
    assert response.json()["line_price_cents"] == 349


@pytest.mark.parametrize(
    ("code", "status", "problem"),
    [
        ("4012345000017", 400, "invalid_check_digit"),
        ("12ab", 400, "invalid_barcode"),
        ("4006381333931", 404, "unknown_barcode"),
    ],
)
def test_barcode_errors(client, shop, code, status, problem):
    response = client.get(f"/api/v1/barcodes/{code}")
    assert response.status_code == status
    assert response.json()["code"] == problem


def test_barcode_of_product_not_in_store_is_404(client, shop):
    response = client.get(
        "/api/v1/barcodes/4012345000016", params={"store_id": shop["other_store"].id}
    )
    assert response.status_code == 404
    assert response.json()["code"] == "not_sold_in_store"


def test_merchants_and_store_with_hours_and_open_now(client, shop):
    # given the frozen clock: Sunday 10:00 in Berlin; the store opens Sundays 08:00-12:00
    # when
    merchants = client.get("/api/v1/merchants").json()
    merchant = client.get(f"/api/v1/merchants/{shop['merchant'].id}").json()
    store = client.get(f"/api/v1/stores/{shop['store'].id}").json()
    # then
    assert merchants == {
        "items": [
            {"id": shop["merchant"].id, "name": "Metzgerei Huber", "slug": "metzgerei-huber"}
        ],
        "next_cursor": None,
    }
    assert [s["name"] for s in merchant["stores"]] == ["Huber am Markt", "Huber Nord"]
    assert store["opening_hours"] == HOURS
    assert store["open_now"] is True
    assert [s["open_now"] for s in merchant["stores"]] == [True, False]


def test_search_page_renders_results_with_vat_note(client, shop):
    # when
    page = client.get("/search", params={"q": "wuerstchen"})
    partial = client.get("/search/results", params={"q": "wurstchen"})
    # then
    assert page.status_code == 200
    assert 'hx-get="/search/results"' in page.text
    assert '<li class="result">' in partial.text
    assert "Wiener Würstchen" in partial.text
    assert "6,49\xa0€" in partial.text
    assert "inkl. MwSt." in partial.text or "incl. VAT" in partial.text


def test_product_merchant_store_and_home_pages(client, shop):
    product = client.get(f"/products/{shop['Wiener Würstchen'].id}")
    merchant = client.get("/merchants/metzgerei-huber")
    store = client.get(f"/stores/{shop['store'].id}")
    home = client.get("/")
    assert product.status_code == merchant.status_code == store.status_code == 200
    assert "16,23\xa0€ / kg" in product.text
    assert "4012345000016" in product.text
    assert "openstreetmap.org/?mlat=52.5203&amp;mlon=13.4047" in store.text
    assert "Sonntag" in store.text
    assert "/merchants/metzgerei-huber" in home.text
    assert client.get("/merchants/nope", headers={"accept": "text/html"}).status_code == 404


def test_search_page_filters_by_shop_and_category(client, shop, db):
    # given a second shop that also sells Würstchen
    from tests.support import add_merchant

    other = add_merchant(db, "frischmarkt", "Frischmarkt", kind="supermarket")
    poultry = Product(
        merchant_id=other.id,
        name="Hähnchen-Würstchen",
        unit="piece",
        price_cents=299,
        currency="EUR",
        vat_rate=7,
        category="Geflügel",
        min_age=0,
        description="",
        created_at=clock.now(),
        updated_at=clock.now(),
    )
    apply_search_text(poultry)
    db.add(poultry)
    db.commit()
    # when the form is sent with and without a shop (an empty choice means all shops)
    every = client.get("/search/results", params={"q": "wurstchen", "merchant": ""})
    only = client.get(
        "/search/results", params={"q": "wurstchen", "merchant": str(shop["merchant"].id)}
    )
    by_category = client.get("/search/results", params={"q": "wurstchen", "category": "Geflügel"})
    # then
    assert "Wiener Würstchen" in every.text and "Hähnchen-Würstchen" in every.text
    assert "Wiener Würstchen" in only.text and "Hähnchen-Würstchen" not in only.text
    assert "Hähnchen-Würstchen" in by_category.text and "Wiener Würstchen" not in by_category.text


@pytest.mark.parametrize("unit", ["piece", "l"])
def test_weight_label_needs_a_product_sold_by_the_kg(client, db, shop, unit):
    # given a product with scale item number 2002 that is not sold by the kg
    now = clock.now()
    product = Product(
        merchant_id=shop["merchant"].id,
        name="Frikadelle",
        rcn_item="2002",
        unit=unit,
        price_cents=250,
        currency="EUR",
        vat_rate=7,
        category="Imbiss",
        min_age=0,
        description="",
        created_at=now,
        updated_at=now,
    )
    apply_search_text(product)
    db.add(product)
    db.commit()
    # when
    weight = client.get(f"/api/v1/barcodes/{scale_label('28', '2002', '01234')}")
    price = client.get(f"/api/v1/barcodes/{scale_label('22', '2002', '00349')}")
    # then: 1.234 is not multiplied into a piece price; a price label is fine
    assert weight.status_code == 422
    assert (weight.json()["code"], weight.json()["detail"]) == (
        "not_sold_by_weight",
        "This label carries a weight, but its product is not sold by the kg.",
    )
    assert price.status_code == 200
    assert (price.json()["kind"], price.json()["line_price_cents"]) == ("price", 349)
    assert price.json()["product"]["name"] == "Frikadelle"


def test_product_page_shows_each_price_with_its_own_vat(client, db, shop):
    # given the Würstchen at the list price 6,49 € and at 5,99 € in Huber Nord
    product = shop["Wiener Würstchen"]
    db.add(
        StoreProduct(
            store_id=shop["other_store"].id,
            product_id=product.id,
            stock=3,
            price_cents=599,
            updated_at=clock.now(),
        )
    )
    db.commit()
    # when
    page = client.get(f"/products/{product.id}")
    # then: 7 % VAT of 6,49 € is 0,42 €, of 5,99 € it is 0,39 €
    assert page.status_code == 200
    assert "<dd>7 % (MwSt. enthalten: 0,42\xa0€)</dd>" in page.text
    assert (
        'Huber Nord</a>:\n      5,99\xa0€ <small class="vat-note">(MwSt. enthalten: 0,39\xa0€)'
        "</small> ·" in page.text
    )
    assert "Huber am Markt</a>:\n      6,49\xa0€ ·" in page.text
    assert page.text.count("MwSt. enthalten") == 2


@pytest.mark.parametrize("merchant", ["²", "١", "0", "999999999999"])
def test_search_page_ignores_an_odd_shop_choice(client, shop, merchant):
    # when
    page = client.get("/search", params={"q": "wurstchen", "merchant": merchant})
    partial = client.get("/search/results", params={"q": "wurstchen", "merchant": merchant})
    # then: all shops, as for an empty choice
    assert (page.status_code, partial.status_code) == (200, 200)
    assert partial.text.count('<li class="result">') == 1
    assert "Wiener Würstchen" in partial.text
