"""Helpers for the Pay Places tests: the demo world with a butcher's staff account."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.assistant_support import GRILL_PASSWORDS, demo_accounts
from tests.support import Account

from kosmos.catalog.tables import Merchant

STAFF_PASSWORDS = {"huber": "metzger-huber-2026", "kaya": "markt-kaya-2026"}


def people(db: Session) -> dict[str, Account]:
    """anna, ben, cem, dora, the butcher's owner huber and the supermarket's kaya."""
    return demo_accounts(db, {**GRILL_PASSWORDS, **STAFF_PASSWORDS})


def butcher_id(db: Session) -> int:
    merchant = db.scalar(select(Merchant).where(Merchant.kind == "butcher"))
    assert merchant is not None
    return merchant.id


def ask_qr(client: Any, staff: Account, merchant_id: int, **body: Any) -> dict[str, Any]:
    r = client.post(f"/api/v1/places/merchants/{merchant_id}/requests", headers=staff.headers,
                    json=body or {"amount": 2350, "description": "Nackensteak"})  # fmt: skip
    assert r.status_code == 201, r.text
    return dict(r.json())
