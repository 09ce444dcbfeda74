"""SQLAlchemy mapping of orders ahead for pickup: an order placed with a restaurant (paid
from the wallet, picked up at a time) and its lines. The restaurant's order-ahead page and
Kosmo's chat orders both create them (same tables as before, `food_orders`).

The chat links (conversation, proposal, card message) are plain columns: the proposal
belongs to the assistant, which this layer must not know, so `proposal_id` carries no
foreign key (its unique index still decides a double Confirm); the conversation is the
chat's, a layer below, so it keeps its foreign key."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kosmos.chat.tables import ID
from kosmos.db import Base, UTCDateTime

ORDER_STATUSES = ("placed", "ready", "picked_up", "cancelled")


class FoodOrder(Base):
    __tablename__ = "food_orders"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    merchant_id: Mapped[int] = mapped_column(ForeignKey("merchants.id"), index=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("chat_conversations.id", ondelete="SET NULL")
    )
    proposal_id: Mapped[int | None] = mapped_column(ID, unique=True)
    """Kosmo's proposal this order confirms (no foreign key: see the module docstring)."""
    card_message_id: Mapped[int | None] = mapped_column(ID)
    status: Mapped[str] = mapped_column(String(10), default="placed")  # ORDER_STATUSES
    pickup_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    total_cents: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    payment_reference: Mapped[str | None] = mapped_column(String(40), unique=True)
    locale: Mapped[str] = mapped_column(String(5), default="de")  # of its card
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ready_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    picked_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class FoodOrderLine(Base):
    __tablename__ = "food_order_lines"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("food_orders.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price_cents: Mapped[int] = mapped_column(Integer)
    vat_rate: Mapped[int] = mapped_column(Integer)
