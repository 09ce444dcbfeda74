"""A person's wallet history: what they paid, received, topped up, got refunded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from kosmos.accounts.tables import User
from kosmos.wallet.tables import Payment

KINDS = ("topup", "purchase", "transfer", "refund")
DIRECTIONS = ("in", "out")


@dataclass(frozen=True)
class HistoryFilter:
    kind: str | None = None
    direction: str | None = None  # in: money came in; out: money went out
    status: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def signed_amount(payment: Payment, user_id: int) -> int:
    """The payment from this user's point of view: + came in, - went out."""
    if payment.kind in ("topup", "refund"):
        return payment.amount
    if payment.kind == "transfer" and payment.counterparty_user_id == user_id:
        return payment.amount
    return -payment.amount


def list_history(
    session: Session,
    user: User,
    filters: HistoryFilter = HistoryFilter(),
    *,
    before_id: int | None = None,
    limit: int = 50,
) -> list[Payment]:
    """Newest first; `before_id` pages back (keyset)."""
    mine = or_(Payment.user_id == user.id, Payment.counterparty_user_id == user.id)
    query = select(Payment).where(mine)
    if filters.kind:
        query = query.where(Payment.kind == filters.kind)
    if filters.status:
        query = query.where(Payment.status == filters.status)
    if filters.direction == "in":
        query = query.where(
            or_(
                Payment.kind.in_(("topup", "refund")),
                (Payment.kind == "transfer") & (Payment.counterparty_user_id == user.id),
            )
        )
    elif filters.direction == "out":
        query = query.where(
            or_(
                Payment.kind == "purchase",
                (Payment.kind == "transfer") & (Payment.user_id == user.id),
            )
        )
    if filters.since:
        query = query.where(Payment.created_at >= filters.since)
    if filters.until:
        query = query.where(Payment.created_at < filters.until)
    if before_id is not None:
        query = query.where(Payment.id < before_id)
    return list(session.scalars(query.order_by(Payment.id.desc()).limit(limit)))
