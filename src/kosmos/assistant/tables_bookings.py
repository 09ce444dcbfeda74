"""SQLAlchemy mapping of two assistant skills: ratings (one review per user and merchant)
and appointments (a merchant's bookable services, bookings, and the slot claims that make a
double booking impossible in the database).

A booking claims every 15-minute grid unit (`slots.GRID`) it covers in its store, one row
per unit in `booking_slots` keyed (store_id, slot_start): two bookings that overlap in the
same store, whoever commits first, can never both be stored. Cancelling deletes the claims
(the booking row stays, status "cancelled"). A partial unique index on bookings
(store_id, starts_at) WHERE status = 'booked' backs this up for equal starts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from kosmos.chat.tables import ID
from kosmos.db import Base, UTCDateTime


class Review(Base):
    __tablename__ = "reviews"
    __table_args__ = (
        UniqueConstraint("merchant_id", "user_id"),
        CheckConstraint("stars BETWEEN 1 AND 5", name="stars_1_to_5"),
    )

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    merchant_id: Mapped[int] = mapped_column(ForeignKey("merchants.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    stars: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Service(Base):
    """Something a merchant's customers can book (a haircut, 30 minutes)."""

    __tablename__ = "services"
    __table_args__ = (
        UniqueConstraint("merchant_id", "name"),
        CheckConstraint("duration_minutes > 0", name="duration_positive"),
        CheckConstraint("slot_step_minutes > 0", name="step_positive"),
        CheckConstraint("price_cents >= 0", name="price_not_negative"),
    )

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    merchant_id: Mapped[int] = mapped_column(
        ForeignKey("merchants.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(80))
    keywords: Mapped[str] = mapped_column(String(200), default="")
    """Other words for it, space separated ("haircut cut schneiden")."""
    duration_minutes: Mapped[int] = mapped_column(Integer)
    price_cents: Mapped[int] = mapped_column(Integer, default=0)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    slot_step_minutes: Mapped[int] = mapped_column(Integer, default=30)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Booking(Base):
    __tablename__ = "bookings"
    __table_args__ = (
        CheckConstraint("status IN ('booked', 'cancelled')", name="status_known"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        Index(
            "uq_bookings_store_id_starts_at_booked",
            "store_id",
            "starts_at",
            unique=True,
            postgresql_where=text("status = 'booked'"),
            sqlite_where=text("status = 'booked'"),
        ),
    )

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"))
    merchant_id: Mapped[int] = mapped_column(
        ForeignKey("merchants.id", ondelete="CASCADE"), index=True
    )
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(10), default="booked")  # booked, cancelled
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("chat_conversations.id", ondelete="SET NULL")
    )
    card_message_id: Mapped[int | None] = mapped_column(ID)
    locale: Mapped[str] = mapped_column(String(5), default="de")


class BookingSlot(Base):
    """One grid unit of a store's time, claimed by one booking."""

    __tablename__ = "booking_slots"

    store_id: Mapped[int] = mapped_column(
        ForeignKey("stores.id", ondelete="CASCADE"), primary_key=True
    )
    slot_start: Mapped[datetime] = mapped_column(UTCDateTime(), primary_key=True)
    booking_id: Mapped[int] = mapped_column(
        ForeignKey("bookings.id", ondelete="CASCADE"), index=True
    )
