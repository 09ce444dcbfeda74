"""Helpers for the back-office tests: a staffed merchant, a valid new product, events."""

from sqlalchemy import select
from tests.support import add_merchant

from kosmos import clock
from kosmos.bus import OutboxEvent
from kosmos.catalog.tables import MerchantStaff


def add_staffed_merchant(db, slug, owner_id):
    merchant = add_merchant(db, slug)
    db.add(
        MerchantStaff(
            user_id=owner_id, merchant_id=merchant.id, role="owner", created_at=clock.now()
        )
    )
    db.commit()
    return merchant


NEW = {
    "name": "Wiener Würstchen",
    "gtin": "4012345000016",
    "category": "Wurst",
    "price_cents": 649,
    "vat_rate": 7,
    "weight_g": 400,
}


def events(db):
    return db.scalars(
        select(OutboxEvent.payload)
        .where(OutboxEvent.topic == "catalog.product_changed")
        .order_by(OutboxEvent.id)
    ).all()
