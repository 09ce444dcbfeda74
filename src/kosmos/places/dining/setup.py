"""Staff set up their restaurant's tables: list them (each with the absolute URL its QR
code encodes), add one, take one out of service. Also the demo's tables."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.accounts.tables import User
from kosmos.catalog.backoffice import merchant_for
from kosmos.catalog.tables import Merchant, Store
from kosmos.config import get_settings
from kosmos.errors import Invalid, NotFound
from kosmos.places.dining import menu, model
from kosmos.places.dining.tables import DiningTable

DEMO_TABLES = 6


def table_url(token: str) -> str:
    """What the table's QR code encodes: `{base_url}/t/{token}`."""
    return f"{get_settings().base_url.rstrip('/')}/t/{token}"


def list_tables(session: Session, user: User, merchant_id: int) -> list[DiningTable]:
    """The merchant's tables in service (staff of the merchant only)."""
    merchant_for(session, user, merchant_id)
    return list(
        session.scalars(
            select(DiningTable)
            .where(DiningTable.merchant_id == merchant_id, DiningTable.active.is_(True))
            .order_by(DiningTable.id)
        )
    )


def staff_table(session: Session, user: User, merchant_id: int, table_id: int) -> DiningTable:
    merchant_for(session, user, merchant_id)
    table = session.get(DiningTable, table_id)
    if table is None or table.merchant_id != merchant_id or not table.active:
        raise NotFound("No such table.")
    return table


def create_table(session: Session, user: User, merchant_id: int, label: str,
                 store_id: int | None = None) -> DiningTable:  # fmt: skip
    """A new table with a fresh unguessable token. Commits."""
    merchant_for(session, user, merchant_id)
    merchant = menu.restaurant(session, merchant_id)
    label = " ".join(label.split())
    if not 1 <= len(label) <= 40:
        raise Invalid("Name the table with 1 to 40 characters.", field="label")
    if store_id is None:
        store = menu.first_store(session, merchant.id)
    else:
        found = session.get(Store, store_id)
        if found is None or found.merchant_id != merchant.id:
            raise NotFound("No such store.", field="store_id")
        store = found
    taken = session.scalar(
        select(DiningTable.id).where(DiningTable.merchant_id == merchant.id,
                                     DiningTable.label == label, DiningTable.active.is_(True))
    )  # fmt: skip
    if taken is not None:
        raise Invalid("A table with this name exists already.", field="label",
                      code="table_exists")  # fmt: skip
    table = _new_table(merchant.id, store.id, label)
    session.add(table)
    session.commit()
    return table


def retire_table(session: Session, user: User, merchant_id: int, table_id: int) -> None:
    """Take a table out of service: its QR code no longer opens a tab. Commits."""
    table = staff_table(session, user, merchant_id, table_id)
    session.execute(update(DiningTable).where(DiningTable.id == table.id).values(active=False))
    session.commit()


def _new_table(merchant_id: int, store_id: int, label: str) -> DiningTable:
    return DiningTable(merchant_id=merchant_id, store_id=store_id, label=label,
                       token=model.new_token(), active=True, created_at=clock.now())  # fmt: skip


def seed_tables(session: Session) -> int:
    """The demo restaurants' tables ("Tisch 1" to "Tisch 6" each), where a restaurant has
    none yet. Returns how many were created. Commits."""
    created = 0
    for merchant in session.scalars(
        select(Merchant).where(Merchant.kind.in_(menu.RESTAURANT_KINDS)).order_by(Merchant.id)
    ):
        has = session.scalar(select(DiningTable.id).where(DiningTable.merchant_id == merchant.id))
        store = session.scalar(
            select(Store).where(Store.merchant_id == merchant.id).order_by(Store.id).limit(1)
        )
        if has is not None or store is None:
            continue
        for number in range(1, DEMO_TABLES + 1):
            session.add(_new_table(merchant.id, store.id, f"Tisch {number}"))
            created += 1
    session.commit()
    return created
