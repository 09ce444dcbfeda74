"""Fixtures of the delivery API tests (helpers in tests/delivery_support.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.delivery_support import (
    STORE,
    Doors,
    World,
    product,
)
from tests.places_support import people
from tests.wallet_support import top_up

from kosmos.catalog.tables import Merchant, Product, Store
from kosmos.delivery import links, stations
from kosmos.delivery.demo import seed_delivery, station_codes


@pytest.fixture
def http(app: Any) -> Iterator[TestClient]:
    """The app's client."""
    with TestClient(app, base_url="http://testserver", client=("127.0.0.1", 50000)) as c:
        yield c


@pytest.fixture
def world(db: Session, http: TestClient) -> World:
    folks = people(db)
    seed_delivery(db)  # the demo seed does not make stations and slots (yet)
    for code in station_codes(db):
        stations.mark_online(db, code, True)
    db.commit()
    store = db.scalar(select(Store.id).where(Store.slug == STORE))
    assert store is not None
    slots = http.get(f"/api/v1/delivery/stores/{store}/slots", headers=folks["anna"].headers)
    assert slots.status_code == 200, slots.text
    items = slots.json()["items"]
    for who in ("anna", "ben"):
        top_up(http, folks[who], 5000)
    return World(
        folks=folks, store=store,
        slot=next(s["id"] for s in items if s["bookable"]),
        closed_slot=next(s["id"] for s in items if s["reason"] == "slot_closed"),
        salad=product(db, "Kartoffelsalat mit Gurke"), water=product(db, "Mineralwasser Classic"),
        fries=product(db, "Pommes frites"),
        cheese_by_weight=db.scalar(select(Product.id).join(Merchant).where(
            Merchant.slug == "frischmarkt-musterstadt", Product.unit == "kg").limit(1)) or 0,
        butchers_sausage=product(db, "Wiener Würstchen", "metzgerei-huber"),
    )  # fmt: skip


@pytest.fixture
def doors() -> Iterator[Doors]:
    link = Doors()
    links.install(link, None)
    yield link
    links.install(None, None)
