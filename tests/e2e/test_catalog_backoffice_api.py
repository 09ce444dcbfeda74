"""Merchant back office through the API: staff manage their own stores, hours, products and
stock; other merchants' ids answer 404, non-staff 403; failed writes change nothing."""

import pytest
from sqlalchemy import func, select
from tests.backoffice_support import NEW, events

from kosmos.catalog.tables import Product, Store, StoreProduct


def test_staff_create_update_delete_product_with_events(client, db, world):
    h = world["huber"].headers
    # when
    created = client.post("/api/v1/backoffice/products", json=NEW, headers=h)
    pid = created.json()["id"]
    updated = client.patch(
        f"/api/v1/backoffice/products/{pid}", json={"price_cents": 699}, headers=h
    )
    found = client.get("/api/v1/products", params={"q": "wuerstchen"}).json()["items"]
    deleted = client.delete(f"/api/v1/backoffice/products/{pid}", headers=h)
    # then
    assert created.status_code == 201
    assert created.json()["merchant"]["slug"] == "huber"
    assert updated.json()["price_cents"] == 699
    assert [i["price_cents"] for i in found] == [699]
    assert deleted.status_code == 204
    assert client.get(f"/api/v1/products/{pid}").status_code == 404
    assert [(e["change"], e["price_cents"]) for e in events(db)] == [
        ("created", 649),
        ("updated", 699),
        ("deleted", 699),
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**NEW, "gtin": "4012345000017"}, "gtin"),
        ({**NEW, "vat_rate": 16}, "vat_rate"),
        ({**NEW, "price_cents": -1}, "price_cents"),
        ({**NEW, "price_cents": 1.5}, "price_cents"),
        ({**NEW, "unit": "box"}, "unit"),
        ({**NEW, "colour": "red"}, "colour"),
    ],
)
def test_invalid_product_is_422_and_changes_nothing(client, db, world, body, field):
    # when
    response = client.post("/api/v1/backoffice/products", json=body, headers=world["huber"].headers)
    # then
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert field in [e["field"] for e in response.json()["errors"]]
    assert db.scalar(select(func.count()).select_from(Product)) == 1
    assert events(db) == []


def test_duplicate_gtin_is_409(client, world):
    h = world["huber"].headers
    client.post("/api/v1/backoffice/products", json=NEW, headers=h)
    response = client.post("/api/v1/backoffice/products", json=NEW, headers=h)
    assert response.status_code == 409
    assert response.json()["code"] == "gtin_taken"


def test_staff_manage_store_hours_and_stock(client, db, world):
    h, sid = world["huber"].headers, world["store_a"]
    pid = client.post("/api/v1/backoffice/products", json=NEW, headers=h).json()["id"]
    # when
    store = client.patch(f"/api/v1/backoffice/stores/{sid}", json={"phone": "+49 30 1"}, headers=h)
    hours = client.put(
        f"/api/v1/backoffice/stores/{sid}/opening-hours",
        json={"sun": [["08:00", "12:00"]]},
        headers=h,
    )
    offer = client.put(
        f"/api/v1/backoffice/stores/{sid}/products/{pid}",
        json={"stock": 7, "price_cents": 599},
        headers=h,
    )
    listed = client.get("/api/v1/products", params={"store": sid}).json()["items"]
    removed = client.delete(f"/api/v1/backoffice/stores/{sid}/products/{pid}", headers=h)
    # then
    assert store.json()["phone"] == "+49 30 1"
    assert (hours.json()["opening_hours"], hours.json()["open_now"]) == (
        {"sun": [["08:00", "12:00"]]},
        True,
    )
    assert offer.json() == {"store_id": sid, "product_id": pid, "stock": 7, "price_cents": 599}
    assert [(i["price_cents"], i["stock"]) for i in listed] == [(599, 7)]
    assert removed.status_code == 204
    assert db.scalar(select(func.count()).select_from(StoreProduct)) == 0


def test_bad_opening_hours_are_422_with_field(client, world):
    response = client.put(
        f"/api/v1/backoffice/stores/{world['store_a']}/opening-hours",
        json={"mon": [["18:00", "08:00"]]},
        headers=world["huber"].headers,
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "opening_hours.mon.0", "message": "Closing time must be after opening time."}
    ]


def test_owner_creates_and_deletes_store(client, db, world):
    h = world["huber"].headers
    created = client.post(
        "/api/v1/backoffice/stores",
        json={
            "name": "Huber Nord",
            "street": "Ring 2",
            "postcode": "12345",
            "city": "Musterstadt",
            "lat": 52.53,
            "lon": 13.41,
            "opening_hours": {"mon": [["08:00", "12:00"]]},
        },
        headers=h,
    )
    assert created.status_code == 201
    assert created.json()["slug"] == "huber-ring-2"
    assert (
        client.delete(f"/api/v1/backoffice/stores/{created.json()['id']}", headers=h).status_code
        == 204
    )


OTHER_MERCHANT_CALLS = [
    ("get", "/api/v1/backoffice/stores/{store_b}", None),
    ("patch", "/api/v1/backoffice/stores/{store_b}", {"name": "Mine"}),
    ("put", "/api/v1/backoffice/stores/{store_b}/opening-hours", {}),
    ("delete", "/api/v1/backoffice/stores/{store_b}", None),
    ("put", "/api/v1/backoffice/stores/{store_b}/products/{foreign}", {"stock": 1}),
    ("delete", "/api/v1/backoffice/stores/{store_b}/products/{foreign}", None),
    ("put", "/api/v1/backoffice/stores/{store_a}/products/{foreign}", {"stock": 1}),
    ("get", "/api/v1/backoffice/products/{foreign}", None),
    ("patch", "/api/v1/backoffice/products/{foreign}", {"price_cents": 1}),
    ("delete", "/api/v1/backoffice/products/{foreign}", None),
    ("get", "/api/v1/backoffice/products?merchant={b}", None),
    ("post", "/api/v1/backoffice/products", {**NEW, "merchant_id": "{b}"}),
    (
        "post",
        "/api/v1/backoffice/stores",
        {
            "merchant_id": "{b}",
            "name": "X",
            "street": "Y 1",
            "postcode": "12345",
            "city": "Z",
            "lat": 1,
            "lon": 1,
        },
    ),
]


def _fill(value, world):
    ids = {
        "store_a": world["store_a"],
        "store_b": world["store_b"],
        "foreign": world["foreign"].id,
        "b": world["b"].id,
    }
    if isinstance(value, str):
        text = value.format(**ids)
        return int(text) if value == "{b}" else text
    if isinstance(value, dict):
        return {k: _fill(v, world) for k, v in value.items()}
    return value


@pytest.mark.parametrize(("method", "path", "body"), OTHER_MERCHANT_CALLS)
def test_staff_of_another_merchant_get_404_and_nothing_changes(
    client, db, world, method, path, body
):
    # when
    kwargs = {"json": _fill(body, world)} if body is not None else {}
    response = client.request(
        method.upper(), _fill(path, world), headers=world["huber"].headers, **kwargs
    )
    # then
    assert response.status_code == 404
    db.expire_all()
    assert db.get(Product, world["foreign"].id).price_cents == 99
    assert db.get(Store, world["store_b"]).name == "Markt"
    assert db.scalar(select(func.count()).select_from(Store)) == 2
    assert events(db) == []


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/backoffice/merchants"),
        ("get", "/api/v1/backoffice/stores"),
        ("get", "/api/v1/backoffice/products"),
        ("get", "/api/v1/backoffice/stores/{store_b}"),
        ("delete", "/api/v1/backoffice/products/{foreign}"),
    ],
)
def test_non_staff_get_403(client, world, method, path):
    response = client.request(method.upper(), _fill(path, world), headers=world["anna"].headers)
    assert response.status_code == 403
    assert response.json()["code"] == "not_merchant_staff"


def test_backoffice_needs_authentication(client, world):
    assert client.get("/api/v1/backoffice/stores").status_code == 401
