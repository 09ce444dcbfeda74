"""The chat list and a chat's summary as the caller sees it: pinned first, then by last
activity, each with its unread count and a preview of the last message they may see."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.accounts.tables import User
from kosmos.chat import model
from kosmos.chat.conversations import _conversation, membership
from kosmos.chat.tables import Conversation, Member, Message


def list_conversations(
    session: Session, user: User, *, archived: bool = False
) -> list[dict[str, Any]]:
    """The caller's chats: pinned first, then by last activity; each with its unread count
    and a preview of the last message the caller may see."""
    rows = session.execute(
        select(Member, Conversation)
        .join(Conversation, Conversation.id == Member.conversation_id)
        .where(Member.user_id == user.id, Member.archived.is_(archived))
    ).all()
    if not rows:
        return []
    unread = _unread_counts(session, user.id)
    last_ids = {c.id: (c.last_message_id if m.active else m.visible_until_id) for m, c in rows}
    wanted = [i for i in last_ids.values() if i]
    last = {m.id: m for m in session.scalars(select(Message).where(Message.id.in_(wanted)))}
    names = _direct_names(session, user.id, [c.id for _m, c in rows if c.kind == "direct"])
    out = []
    for member, conversation in rows:
        message = last.get(last_ids[conversation.id] or 0)
        if message is not None and not model.can_see(
            message.id, member.history_from_id, member.visible_until_id
        ):
            message = None
        out.append(
            summary(conversation, member, unread.get(conversation.id, 0), message,
                    names.get(conversation.id))
        )  # fmt: skip
    out.sort(key=lambda c: c["last_activity_at"], reverse=True)
    out.sort(key=lambda c: not c["pinned"])
    return out


def _unread_counts(session: Session, user_id: int) -> dict[int, int]:
    query = (
        select(Member.conversation_id, func.count(Message.id))
        .join(Message, Message.conversation_id == Member.conversation_id)
        .where(
            Member.user_id == user_id,
            Message.id > Member.last_read_id,
            Message.id > Member.history_from_id,
            (Member.visible_until_id.is_(None)) | (Message.id <= Member.visible_until_id),
            (Message.sender_id.is_(None)) | (Message.sender_id != user_id),
            Message.deleted_at.is_(None),
        )
        .group_by(Member.conversation_id)
    )
    return {conversation_id: int(n) for conversation_id, n in session.execute(query)}


def _direct_names(
    session: Session, user_id: int, conversation_ids: list[int]
) -> dict[int, dict[str, Any]]:
    if not conversation_ids:
        return {}
    rows = session.execute(
        select(Member.conversation_id, User)
        .join(User, User.id == Member.user_id)
        .where(Member.conversation_id.in_(conversation_ids), Member.user_id != user_id)
    ).all()
    return {c: {"id": u.id, "name": u.display_name, "initials": u.initials} for c, u in rows}


def summary(
    conversation: Conversation,
    member: Member,
    unread: int,
    last: Message | None,
    other: dict[str, Any] | None = None,
) -> dict[str, Any]:
    name = conversation.name if conversation.kind == "group" else (other or {}).get("name", "")
    return {
        "id": conversation.id,
        "kind": conversation.kind,
        "name": name,
        "initials": (other or {}).get("initials") or _initials(name),
        "other_user_id": (other or {}).get("id"),
        "avatar_url": (
            f"/api/v1/chat/attachments/{conversation.avatar_id}/thumbnail"
            if conversation.avatar_id
            else None
        ),
        "role": member.role,
        "active": member.active,
        "unread": unread,
        "muted": model.is_muted(clock.now(), member.muted_until, member.muted_forever),
        "muted_until": member.muted_until,
        "muted_forever": member.muted_forever,
        "pinned": member.pinned,
        "archived": member.archived,
        "last_read_id": member.last_read_id,
        "last_activity_at": conversation.last_activity_at,
        "last_message": _preview(last),
    }


def _initials(name: str) -> str:
    words = [w for w in name.split() if w[:1].isalnum()]
    return "".join(w[0] for w in words[:2]).upper() or "#"


def _preview(message: Message | None) -> dict[str, Any] | None:
    if message is None:
        return None
    if message.deleted_at is not None:
        text = "Message deleted"
    elif message.kind == "card":
        text = (message.card or {}).get("title", "")
    elif message.kind == "image":
        text = "📷 " + message.body if message.body else "📷"
    else:
        text = model.preview(message.body)
    return {"id": message.id, "sender_id": message.sender_id, "text": text,
            "created_at": message.created_at}  # fmt: skip


def get_summary(session: Session, user: User, conversation_id: int) -> dict[str, Any]:
    member = membership(session, user.id, conversation_id)
    conversation = _conversation(session, conversation_id)
    last_id = conversation.last_message_id if member.active else member.visible_until_id
    last = session.get(Message, last_id) if last_id else None
    names = _direct_names(
        session, user.id, [conversation.id] if conversation.kind == "direct" else []
    )
    unread = _unread_counts(session, user.id).get(conversation.id, 0)
    out = summary(conversation, member, unread, last, names.get(conversation.id))
    out["members"] = members_of(session, conversation_id)
    return out


def members_of(session: Session, conversation_id: int) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Member, User)
        .join(User, User.id == Member.user_id)
        .where(Member.conversation_id == conversation_id, Member.active.is_(True))
        .order_by(Member.id)
    ).all()
    return [
        {"user_id": u.id, "username": u.username, "name": u.display_name,
         "initials": u.initials, "role": m.role, "last_read_id": m.last_read_id,
         "last_delivered_id": m.last_delivered_id}
        for m, u in rows
    ]  # fmt: skip
