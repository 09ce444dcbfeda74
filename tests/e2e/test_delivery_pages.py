"""The delivery order page: it lists the store's products, slots and stations; a bad
address comes back as a message next to the field with nothing booked; a good order goes
to its tracking page, which only its customer sees."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.assistant_support import demo_accounts
from tests.support import page_login

from kosmos.accounts.tables import User
from kosmos.catalog.tables import Product
from kosmos.delivery.demo import seed_delivery
from kosmos.delivery.tables import Order, Station
from kosmos.wallet import topups

pytestmark = pytest.mark.postgres


def _form(page: str, token: str, **values: str) -> dict[str, str]:
    store = re.search(r'name="store_id" value="(\d+)"', page)
    slot = re.search(r'<option value="(\d+)"\s*>', page.split('id="f-slot_id"')[1])
    assert store and slot
    return {"csrf_token": token, "idempotency_key": str(uuid.uuid4()), "store_id": store[1],
            "slot_id": slot[1], **values}  # fmt: skip


def test_order_page_error_next_to_the_field_then_tracking(client: Any, db: Session) -> None:
    folks = demo_accounts(db)
    seed_delivery(db)
    db.execute(Station.__table__.update().values(online=True))
    db.commit()
    anna = db.get(User, folks["anna"].id)
    assert anna is not None
    topups.top_up(db, anna, amount=50_00, source="4242424242424242")
    salad = db.scalar(select(Product.id).where(Product.name == "Kartoffelsalat mit Gurke"))
    token = page_login(client, "anna", folks["anna"].password)
    page = client.get("/delivery")
    assert page.status_code == 200
    assert "Kartoffelsalat mit Gurke" in page.text and "Packstation Stadtpark" in page.text

    bad = client.post("/delivery", data=_form(page.text, token, product_0=str(salad),
                                              quantity_0="2", mode="home",
                                              address="Hauptstraße 1, 10115 Berlin"))  # fmt: skip
    assert bad.status_code == 422
    assert re.search(r'id="e-address"[^>]*>[^<]*Musterstadt \(12345\)', bad.text)
    assert db.scalar(select(func.count()).select_from(Order)) == 0

    form = _form(
        page.text, token, product_0=str(salad), quantity_0="2", mode="locker", place="Stadtpark"
    )
    good = client.post("/delivery", data=form, follow_redirects=False)
    assert good.status_code == 303
    tracking = client.get(good.headers["location"])
    assert 'data-status="placed"' in tracking.text and "Packstation Stadtpark" in tracking.text
    client.cookies.clear()
    page_login(client, "ben", folks["ben"].password)
    assert client.get(good.headers["location"]).status_code == 404
