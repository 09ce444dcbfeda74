"""Fixtures shared by the back-office tests: two merchants with their staff."""

import pytest
from tests.backoffice_support import add_staffed_merchant
from tests.support import make_account

from kosmos import clock
from kosmos.catalog.tables import Product


@pytest.fixture
def world(db, anna):
    huber, kaya = make_account(db, "huber"), make_account(db, "kaya")
    a = add_staffed_merchant(db, "huber", huber.id)
    b = add_staffed_merchant(db, "markt", kaya.id)
    foreign = Product(
        merchant_id=b.id,
        name="Senf",
        category="Saucen",
        unit="piece",
        price_cents=99,
        currency="EUR",
        vat_rate=7,
        min_age=0,
        description="",
        search_name="senf",
        search_extra="",
        created_at=clock.now(),
        updated_at=clock.now(),
    )
    db.add(foreign)
    db.commit()
    return {
        "huber": huber,
        "kaya": kaya,
        "anna": anna,
        "a": a,
        "b": b,
        "foreign": foreign,
        "store_a": a.stores[0].id,
        "store_b": b.stores[0].id,
    }
