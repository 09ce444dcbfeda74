"""SQLAlchemy mapping of the cost split: expenses of a chat, the transfers that settle them,
and the chat's one live balances card."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from kosmos.chat.tables import ID
from kosmos.db import Base, UTCDateTime


class Expense(Base):
    """Money one member paid for the group, shared by `split` (see assistant/split.py):
    {"participants": [user ids in order], "shares": {"<id>": weight},
    "fixed": {"<id>": cents}}."""

    __tablename__ = "assistant_expenses"
    __table_args__ = (CheckConstraint("amount_cents > 0", name="positive"),)

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("chat_conversations.id", ondelete="CASCADE"), index=True
    )
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("assistant_events.id", ondelete="SET NULL")
    )
    payer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    description: Mapped[str] = mapped_column(String(160), default="")
    split_mode: Mapped[str] = mapped_column(String(10), default="equal")  # equal, shares, fixed
    split: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    proposal_id: Mapped[int | None] = mapped_column(
        ForeignKey("assistant_proposals.id", ondelete="SET NULL"), unique=True
    )
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"), unique=True)
    """The wallet purchase this expense was made from (each purchase counts once)."""


class Settlement(Base):
    """One suggested transfer: `from_user_id` pays `to_user_id`. Open ones are replaced
    (status "void") when an expense changes the balances; paid ones count in them."""

    __tablename__ = "assistant_settlements"
    __table_args__ = (CheckConstraint("amount_cents > 0", name="positive"),)

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("chat_conversations.id", ondelete="CASCADE"), index=True
    )
    from_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    to_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    status: Mapped[str] = mapped_column(String(10), default="open")  # open, paid, void
    method: Mapped[str | None] = mapped_column(String(10))  # wallet, girocode
    payment_reference: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class BalanceCard(Base):
    """The one live balances card Kosmo keeps per chat."""

    __tablename__ = "assistant_balance_cards"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("chat_conversations.id", ondelete="CASCADE"), unique=True
    )
    card_message_id: Mapped[int | None] = mapped_column(ID)
    locale: Mapped[str] = mapped_column(String(5), default="de")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
