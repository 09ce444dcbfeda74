"""Helpers for the restaurant tests: the demo world with its tables, demo accounts with
tokens, joining a table, adding dishes, paying (with an Idempotency-Key)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.assistant_support import GRILL_PASSWORDS, demo_accounts
from tests.support import Account

from kosmos.catalog.tables import Merchant, Product
from kosmos.places.dining.setup import seed_tables
from kosmos.places.dining.tables import DiningTable
from kosmos.wallet.receipts import build_receipt
from kosmos.wallet.tables import Payment

PASSWORDS = {**GRILL_PASSWORDS, "luigi": "pizza-luigi-2026", "jonas": "burger-jonas-2026"}


def dining_world(db: Session) -> dict[str, Any]:
    """The demo world, its restaurant tables, tokens for anna, ben, cem, dora, luigi, jonas."""
    people = demo_accounts(db, PASSWORDS)
    seed_tables(db)
    pizzeria = db.scalar(select(Merchant).where(Merchant.slug == "pizzeria-da-luigi"))
    burger = db.scalar(select(Merchant).where(Merchant.slug == "burgerwerk"))
    tables = list(db.scalars(select(DiningTable).where(DiningTable.merchant_id == pizzeria.id)
                             .order_by(DiningTable.id)))  # fmt: skip
    return {**people, "pizzeria": pizzeria, "burger": burger, "tables": tables}


def dish(db: Session, merchant: Merchant, name: str) -> Product:
    product = db.scalar(select(Product).where(Product.merchant_id == merchant.id,
                                              Product.name == name))  # fmt: skip
    assert product is not None, name
    return product


def join(client: Any, who: Account, token: str) -> dict[str, Any]:
    r = client.post(f"/api/v1/dining/tables/{token}/join", headers=who.headers)
    assert r.status_code == 200, r.text
    return dict(r.json())


def add(client: Any, who: Account, tab_id: int, *pairs: tuple[int, int]) -> Any:
    return client.post(
        f"/api/v1/dining/tabs/{tab_id}/items",
        headers=who.headers,
        json={"items": [{"product_id": p, "quantity": q} for p, q in pairs]},
    )


def read_tab(client: Any, who: Account, tab_id: int) -> Any:
    return client.get(f"/api/v1/dining/tabs/{tab_id}", headers=who.headers)


def pay(client: Any, who: Account, tab_id: int, key: str | None = None, **body: Any) -> Any:
    headers = {**who.headers, "Idempotency-Key": key or str(uuid.uuid4())}
    return client.post(f"/api/v1/dining/tabs/{tab_id}/payments", headers=headers, json=body)


def payment_of(db: Session, reference: str) -> Payment:
    db.rollback()  # a fresh snapshot: see what the app committed
    payment = db.scalar(select(Payment).where(Payment.reference == reference))
    assert payment is not None
    return payment


def vat_table(db: Session, reference: str) -> dict[int, tuple[int, int]]:
    """Rate -> (gross, VAT) of the payment's receipt."""
    receipt = build_receipt(db, payment_of(db, reference))
    return {row.rate: (row.gross.amount, row.vat.amount) for row in receipt.vat_breakdown()}


def english(client: Any) -> None:
    """Pages in English (their msgids), so text checks hold whatever the translations say."""
    client.cookies.set("kosmos_locale", "en")
