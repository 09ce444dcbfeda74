"""SQLAlchemy mapping of the catalog context.

The full-text index is made by hand in the migration, per backend: an FTS5 table
`product_fts` over `search_name`/`search_extra` on SQLite, a generated `search_vector`
tsvector column with a GIN index on PostgreSQL. Neither is mapped here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kosmos.accounts.tables import User
from kosmos.catalog import model
from kosmos.db import Base, UTCDateTime


class Merchant(Base):
    __tablename__ = "merchants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(30))
    description: Mapped[str] = mapped_column(Text, default="")
    vat_id: Mapped[str | None] = mapped_column(String(20))
    """USt-IdNr. printed on receipts and invoices (or `tax_number`, the Steuernummer)."""
    tax_number: Mapped[str | None] = mapped_column(String(20))
    iban: Mapped[str | None] = mapped_column(String(34))
    """Where bank transfers go (GiroCode on invoices and payment requests)."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    stores: Mapped[list[Store]] = relationship(
        back_populates="merchant", order_by="Store.id", cascade="all, delete-orphan"
    )


class Store(Base):
    __tablename__ = "stores"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    merchant_id: Mapped[int] = mapped_column(
        ForeignKey("merchants.id", ondelete="CASCADE"), index=True
    )
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    street: Mapped[str] = mapped_column(String(120))
    postcode: Mapped[str] = mapped_column(String(10))
    city: Mapped[str] = mapped_column(String(80))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    phone: Mapped[str] = mapped_column(String(40), default="")
    opening_hours: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    merchant: Mapped[Merchant] = relationship(back_populates="stores", lazy="joined")

    @property
    def hours(self) -> model.OpeningHours:
        return model.parse_opening_hours(self.opening_hours or {})


class Product(Base):
    __tablename__ = "products"
    __table_args__ = (
        UniqueConstraint("merchant_id", "gtin"),
        UniqueConstraint("merchant_id", "rcn_item"),
        CheckConstraint("price_cents >= 0", name="price_not_negative"),
        CheckConstraint("vat_rate IN (7, 19)", name="vat_rate_german"),
        CheckConstraint("unit IN ('piece', 'kg', 'l')", name="unit_known"),
        Index("ix_products_name_id", "name", "id"),
        Index("ix_products_merchant_name", "merchant_id", "name", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    merchant_id: Mapped[int] = mapped_column(ForeignKey("merchants.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    gtin: Mapped[str | None] = mapped_column(String(14), index=True)
    rcn_item: Mapped[str | None] = mapped_column(String(4))
    brand: Mapped[str | None] = mapped_column(String(80))
    category: Mapped[str] = mapped_column(String(80), index=True)
    unit: Mapped[str] = mapped_column(String(5), default="piece")
    price_cents: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    vat_rate: Mapped[int] = mapped_column(Integer)
    weight_g: Mapped[int | None] = mapped_column(Integer)
    volume_ml: Mapped[int | None] = mapped_column(Integer)
    min_age: Mapped[int] = mapped_column(Integer, default=0)
    description: Mapped[str] = mapped_column(Text, default="")
    search_name: Mapped[str] = mapped_column(Text, default="")
    search_extra: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    merchant: Mapped[Merchant] = relationship(lazy="joined")


class StoreProduct(Base):
    """A product's availability in one store: stock and an optional price override."""

    __tablename__ = "store_products"
    __table_args__ = (
        CheckConstraint("stock >= 0", name="stock_not_negative"),
        CheckConstraint("price_cents IS NULL OR price_cents >= 0", name="price_not_negative"),
    )

    store_id: Mapped[int] = mapped_column(
        ForeignKey("stores.id", ondelete="CASCADE"), primary_key=True
    )
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    price_cents: Mapped[int | None] = mapped_column(Integer)
    stock: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    store: Mapped[Store] = relationship(lazy="joined")


class MerchantStaff(Base):
    """A user who works for a merchant (role owner or staff) and may use the back office."""

    __tablename__ = "merchant_staff"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    merchant_id: Mapped[int] = mapped_column(
        ForeignKey("merchants.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(10), default="staff")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    merchant: Mapped[Merchant] = relationship(lazy="joined")
    user: Mapped[User] = relationship(lazy="joined")
