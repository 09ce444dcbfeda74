"""The in-app notification list (mentions, added to a group); each new one is also pushed
to the person's open connections after commit."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.accounts.tables import User
from kosmos.chat import realtime
from kosmos.chat.tables import Notification


def notify(
    session: Session,
    user_id: int,
    kind: str,
    conversation_id: int,
    *,
    actor_id: int | None = None,
    message_id: int | None = None,
    text: str = "",
) -> None:
    notification = Notification(
        user_id=user_id, kind=kind, conversation_id=conversation_id, message_id=message_id,
        actor_id=actor_id, text=text[:200], created_at=clock.now(),
    )  # fmt: skip
    session.add(notification)
    session.flush()
    realtime.publish_after_commit(
        session, [user_id],
        {"type": "notification", "notification": {
            "id": notification.id, "kind": kind, "conversation_id": conversation_id,
            "message_id": message_id, "text": notification.text}},
    )  # fmt: skip


def mark_notifications_read(session: Session, user: User, up_to_id: int) -> int:
    result = session.execute(
        update(Notification)
        .where(
            Notification.user_id == user.id,
            Notification.id <= up_to_id,
            Notification.read_at.is_(None),
        )
        .values(read_at=clock.now())
    )
    session.commit()
    return int(getattr(result, "rowcount", 0) or 0)


def list_notifications(
    session: Session, user: User, *, before: int | None = None, limit: int = 50
) -> list[Notification]:
    query = select(Notification).where(Notification.user_id == user.id)
    if before is not None:
        query = query.where(Notification.id < before)
    return list(session.scalars(query.order_by(Notification.id.desc()).limit(limit)))
