"""SQLAlchemy mapping of the assistant: events with RSVPs, shared lists (shopping and to-do)
with their items, and proposals (a card Kosmo posted that waits for Confirm)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kosmos.chat.tables import ID
from kosmos.db import Base, UTCDateTime


class Event(Base):
    __tablename__ = "assistant_events"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("chat_conversations.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(120))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    place: Mapped[str | None] = mapped_column(String(160))
    status: Mapped[str] = mapped_column(String(10), default="active")  # active, cancelled
    locale: Mapped[str] = mapped_column(String(5), default="de")  # of its cards
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    card_message_id: Mapped[int | None] = mapped_column(ID)
    reminded_day_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminded_hours_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Rsvp(Base):
    __tablename__ = "assistant_rsvps"
    __table_args__ = (UniqueConstraint("event_id", "user_id"),)

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("assistant_events.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    answer: Mapped[str] = mapped_column(String(5))  # yes, no, maybe
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ItemList(Base):
    """A shopping or to-do list of a chat (of one of its events, or the chat's own) or of a
    household."""

    __tablename__ = "assistant_lists"
    __table_args__ = (
        UniqueConstraint("conversation_id", "event_id", "kind"),
        UniqueConstraint("household_id", "kind"),
    )

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("chat_conversations.id", ondelete="CASCADE"), index=True
    )
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("assistant_events.id", ondelete="CASCADE")
    )
    household_id: Mapped[int | None] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(10))  # shopping, todo
    title: Mapped[str] = mapped_column(String(160))
    locale: Mapped[str] = mapped_column(String(5), default="de")
    card_message_id: Mapped[int | None] = mapped_column(ID)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ListItem(Base):
    __tablename__ = "assistant_list_items"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    list_id: Mapped[int] = mapped_column(
        ForeignKey("assistant_lists.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(160))
    quantity: Mapped[Decimal | None] = mapped_column(Numeric(12, 3))
    unit: Mapped[str | None] = mapped_column(String(5))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id", ondelete="SET NULL"))
    product_name: Mapped[str | None] = mapped_column(String(200))
    category: Mapped[str | None] = mapped_column(String(80))
    merchant_id: Mapped[int | None] = mapped_column(ForeignKey("merchants.id", ondelete="SET NULL"))
    merchant_name: Mapped[str | None] = mapped_column(String(120))
    estimate_cents: Mapped[int | None] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    fulfilment: Mapped[str | None] = mapped_column(String(10))  # store, delivery, locker
    fulfilment_at: Mapped[str | None] = mapped_column(String(120))  # where ("Metzgerei Huber")
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Proposal(Base):
    """What Kosmo understood in a message, waiting in a card for Confirm."""

    __tablename__ = "assistant_proposals"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("chat_conversations.id", ondelete="CASCADE"), index=True
    )
    source_message_id: Mapped[int] = mapped_column(ID)
    card_message_id: Mapped[int | None] = mapped_column(ID, unique=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(20))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    locale: Mapped[str] = mapped_column(String(5))
    status: Mapped[str] = mapped_column(String(10), default="open")  # open, done, dismissed
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    note: Mapped[str] = mapped_column(Text, default="")
