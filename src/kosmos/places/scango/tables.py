"""SQLAlchemy mapping of Scan&Go: visits (a customer's cart at one store), their lines,
and exit passes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from kosmos.chat.tables import ID
from kosmos.db import Base, UTCDateTime

_OPEN = text("status = 'open'")


class Visit(Base):
    """A customer checked in at a store: open (scanning), paid, or abandoned (stale).
    `version` counts cart changes; paying names the version it charged for."""

    __tablename__ = "scango_visits"
    __table_args__ = (
        # at most one open visit per customer and store (a double check-in resumes it)
        Index(
            "ux_scango_visits_open",
            "user_id",
            "store_id",
            unique=True,
            sqlite_where=_OPEN,
            postgresql_where=_OPEN,
        ),  # fmt: skip
    )

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    merchant_id: Mapped[int] = mapped_column(ForeignKey("merchants.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(10))  # open, paid, abandoned
    version: Mapped[int] = mapped_column(Integer, default=0)
    total_cents: Mapped[int | None] = mapped_column(Integer)
    payment_reference: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Line(Base):
    """A scanned product: pieces of a plain code, or one labelled pack (weight or price
    from the scale label). Name, prices, VAT and age are kept as they were when scanned."""

    __tablename__ = "scango_lines"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    visit_id: Mapped[int] = mapped_column(
        ForeignKey("scango_visits.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id", ondelete="SET NULL"))
    code: Mapped[str] = mapped_column(String(14))
    kind: Mapped[str] = mapped_column(String(6))  # gtin, weight, price
    name: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int] = mapped_column(Integer)
    weight_g: Mapped[int | None] = mapped_column(Integer)
    unit_price_cents: Mapped[int] = mapped_column(Integer)
    vat_rate: Mapped[int] = mapped_column(Integer)
    gtin: Mapped[str | None] = mapped_column(String(14))
    min_age: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ExitPass(Base):
    """Proof of payment shown at the exit: an unguessable single-use id (in the QR) and a
    short code to type. Staff at the gate check it; used once, good for 10 minutes."""

    __tablename__ = "scango_passes"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    visit_id: Mapped[int] = mapped_column(
        ForeignKey("scango_visits.id", ondelete="CASCADE"), unique=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(String(40), unique=True)
    short_code: Mapped[str] = mapped_column(String(8), unique=True)
    min_age: Mapped[int] = mapped_column(Integer, default=0)
    needs_rescan: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    presented_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    age_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    rescanned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
