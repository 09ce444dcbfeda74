"""SQLAlchemy mapping of QR payments' own rows: customer-presented one-time codes, missed
code guesses (the rate limit), and payment requests between people in a chat."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from kosmos.chat.tables import ID
from kosmos.db import Base, UTCDateTime


class CustomerCode(Base):
    """A one-time code the customer's phone shows (QR and 12 digits) for 30 seconds."""

    __tablename__ = "places_customer_codes"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    payment_reference: Mapped[str | None] = mapped_column(String(40))


class CodeMiss(Base):
    """A typed or scanned code that matched nothing; too many in a while is a 429."""

    __tablename__ = "places_code_misses"
    __table_args__ = (Index("ix_places_code_misses_user_at", "user_id", "at"),)

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class MoneyRequest(Base):
    """ "Ben asks 23.50 EUR for the meat": one person asks another (or anyone) in a chat."""

    __tablename__ = "places_money_requests"
    __table_args__ = (
        CheckConstraint("amount > 0", name="positive"),
        Index("ux_places_money_requests_source", "source", "source_id", unique=True),
    )

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("chat_conversations.id", ondelete="CASCADE"), index=True
    )
    message_id: Mapped[int | None] = mapped_column(ID)
    requester_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    payer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    note: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(10))  # open, paid, cancelled
    paid_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    payment_reference: Mapped[str | None] = mapped_column(String(40))
    # Who else cares when it is paid: e.g. ("split", settlement id); see money_requests.
    source: Mapped[str | None] = mapped_column(String(20))
    source_id: Mapped[int | None] = mapped_column(ID)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
