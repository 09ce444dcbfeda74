"""SQLAlchemy mapping of restaurant tables and their tabs: a table (with its QR token), the
tab open at it (one at a time: `open_table_id` is unique and cleared on closing), who
joined the tab, the dishes on it, and even splits of it into shares."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kosmos.chat.tables import ID
from kosmos.db import Base, UTCDateTime


class DiningTable(Base):
    __tablename__ = "dining_tables"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    merchant_id: Mapped[int] = mapped_column(
        ForeignKey("merchants.id", ondelete="CASCADE"), index=True
    )
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(40))
    token: Mapped[str] = mapped_column(String(40), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Tab(Base):
    __tablename__ = "dining_tabs"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    table_id: Mapped[int] = mapped_column(
        ForeignKey("dining_tables.id", ondelete="CASCADE"), index=True
    )
    open_table_id: Mapped[int | None] = mapped_column(ID, unique=True)
    """The table's id while the tab is open (NULL once closed): one open tab per table."""
    merchant_id: Mapped[int] = mapped_column(ForeignKey("merchants.id"), index=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    status: Mapped[str] = mapped_column(String(10), default="open")  # open, closed
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class TabMember(Base):
    __tablename__ = "dining_tab_members"

    tab_id: Mapped[int] = mapped_column(
        ForeignKey("dining_tabs.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime())


class TabSplit(Base):
    """The tab's open dishes at one moment, shared evenly by `parts` people."""

    __tablename__ = "dining_splits"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    tab_id: Mapped[int] = mapped_column(ForeignKey("dining_tabs.id", ondelete="CASCADE"),
                                        index=True)  # fmt: skip
    parts: Mapped[int] = mapped_column(Integer)
    total_cents: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class TabShare(Base):
    __tablename__ = "dining_shares"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    split_id: Mapped[int] = mapped_column(
        ForeignKey("dining_splits.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)  # 1 .. parts
    amount_cents: Mapped[int] = mapped_column(Integer)
    by_rate: Mapped[dict[str, Any]] = mapped_column(JSON)  # {"7": cents, "19": cents}
    paid_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    payment_reference: Mapped[str | None] = mapped_column(String(40))
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class TabItem(Base):
    """A dish on the tab: who ordered it, the catalog price then, kitchen and payment state.
    Paid means `paid_at` is set: by a payment of items (`payment_reference`) or when the
    last share of its split was paid."""

    __tablename__ = "dining_tab_items"
    __table_args__ = (Index("ix_dining_tab_items_tab_paid", "tab_id", "paid_at"),)

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    tab_id: Mapped[int] = mapped_column(ForeignKey("dining_tabs.id", ondelete="CASCADE"))
    merchant_id: Mapped[int] = mapped_column(ForeignKey("merchants.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price_cents: Mapped[int] = mapped_column(Integer)
    vat_rate: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="ordered")  # ordered, done
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    split_id: Mapped[int | None] = mapped_column(
        ForeignKey("dining_splits.id", ondelete="SET NULL")
    )
    payment_reference: Mapped[str | None] = mapped_column(String(40))
    paid_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def total(self) -> int:
        return self.quantity * self.unit_price_cents
