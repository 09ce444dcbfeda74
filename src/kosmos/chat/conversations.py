"""Conversations and their members: direct chats, groups, roles, add/remove/leave,
invite links, and each member's own settings (mute, pin, archive).

Every lookup goes through the caller's membership: a chat the caller is not in is a 404.
Changes are pushed to the members' open connections after commit (`realtime`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.accounts.secrets import digest, new_token
from kosmos.accounts.tables import User
from kosmos.chat import model, realtime
from kosmos.chat.model import ChatRuleError
from kosmos.chat.tables import Attachment, Conversation, Invite, Member, Message, Notification
from kosmos.errors import Conflict, Forbidden, Invalid, NotFound


def rule(err: ChatRuleError) -> Invalid:
    return Invalid.from_rule(err)


# --- lookups through the caller ---------------------------------------------------------------


def membership(session: Session, user_id: int, conversation_id: int) -> Member:
    """The caller's membership (current or past); 404 if they were never in the chat."""
    member = session.scalar(
        select(Member).where(Member.conversation_id == conversation_id, Member.user_id == user_id)
    )
    if member is None:
        raise NotFound("No such conversation.")
    return member


def active_member(session: Session, user_id: int, conversation_id: int) -> Member:
    """The caller's membership if they are in the chat now; a past member may read what
    they saw but not write: 403."""
    member = membership(session, user_id, conversation_id)
    if not member.active:
        raise Forbidden("You are no longer a member of this conversation.", code="not_a_member")
    return member


def admin_member(session: Session, user_id: int, conversation_id: int) -> Member:
    member = active_member(session, user_id, conversation_id)
    conversation = session.get(Conversation, conversation_id)
    if conversation is not None and conversation.kind == "direct":
        raise Conflict("A direct chat has no admins.", code="direct_chat")
    if member.role != "admin":
        raise Forbidden("Only admins can do that.", code="admin_only")
    return member


def active_user_ids(session: Session, conversation_id: int) -> list[int]:
    return list(
        session.scalars(
            select(Member.user_id).where(
                Member.conversation_id == conversation_id, Member.active.is_(True)
            )
        )
    )


# --- create -------------------------------------------------------------------------------------


def _new_conversation(session: Session, user: User, kind: str, name: str) -> Conversation:
    now = clock.now()
    conversation = Conversation(
        kind=kind, name=name, created_by=user.id, created_at=now, last_activity_at=now
    )
    session.add(conversation)
    session.flush()
    return conversation


def _add(session: Session, conversation: Conversation, user_id: int, role: str) -> Member:
    now = clock.now()
    member = session.scalar(
        select(Member).where(Member.conversation_id == conversation.id, Member.user_id == user_id)
    )
    history_from = conversation.last_message_id or 0 if conversation.kind == "group" else 0
    if member is None:
        member = Member(
            conversation_id=conversation.id, user_id=user_id, role=role, active=True,
            joined_at=now, history_from_id=history_from, visible_until_id=None,
            last_read_id=history_from, last_delivered_id=history_from,
            muted_forever=False, pinned=False, archived=False,
        )  # fmt: skip
        session.add(member)
    elif not member.active:  # back in the chat: sees what is sent from now on
        member.active, member.role, member.joined_at = True, role, now
        member.history_from_id = history_from
        member.visible_until_id = None
        member.last_read_id = member.last_delivered_id = history_from
    session.flush()
    return member


def open_direct(session: Session, user: User, other_id: int) -> Conversation:
    """The 1:1 chat with another person, created on first use."""
    try:
        key = model.direct_key(user.id, other_id)
    except ChatRuleError as err:
        raise rule(err) from err
    other = session.get(User, other_id)
    if other is None or not other.is_active:
        raise NotFound("No such user.")
    found = session.scalar(select(Conversation).where(Conversation.direct_key == key))
    if found is not None:
        return found
    try:
        conversation = _new_conversation(session, user, "direct", "")
        conversation.direct_key = key
        _add(session, conversation, user.id, "member")
        _add(session, conversation, other_id, "member")
        session.commit()
    except IntegrityError:  # both opened it at the same moment
        session.rollback()
        found = session.scalar(select(Conversation).where(Conversation.direct_key == key))
        if found is None:
            raise
        return found
    _announce(session, conversation.id, [user.id, other_id])
    return conversation


def create_group(session: Session, user: User, *, name: str, member_ids: list[int]) -> Conversation:
    try:
        clean = model.clean_name(name)
    except ChatRuleError as err:
        raise rule(err) from err
    others = sorted(set(member_ids) - {user.id})
    if len(others) + 1 > model.MAX_GROUP_MEMBERS:
        raise Invalid("A group can have at most 256 members.", field="member_ids")
    _check_users_exist(session, others)
    conversation = _new_conversation(session, user, "group", clean)
    _add(session, conversation, user.id, "admin")
    for other in others:
        _add(session, conversation, other, "member")
        _notify(session, other, "added", conversation.id, actor_id=user.id, text=clean)
    session.commit()
    _announce(session, conversation.id, [user.id, *others])
    return conversation


def _check_users_exist(session: Session, user_ids: list[int]) -> None:
    if not user_ids:
        return
    found = set(
        session.scalars(select(User.id).where(User.id.in_(user_ids), User.is_active.is_(True)))
    )
    if missing := [u for u in user_ids if u not in found]:
        raise NotFound("No such user: %(ids)s.", field="member_ids",
                       params={"ids": ", ".join(map(str, missing))})  # fmt: skip


# --- change membership --------------------------------------------------------------------------


def rename(session: Session, user: User, conversation_id: int, name: str) -> Conversation:
    admin_member(session, user.id, conversation_id)
    try:
        clean = model.clean_name(name)
    except ChatRuleError as err:
        raise rule(err) from err
    conversation = _conversation(session, conversation_id)
    conversation.name = clean
    session.commit()
    _announce(session, conversation_id, active_user_ids(session, conversation_id))
    return conversation


def set_avatar(
    session: Session, user: User, conversation_id: int, attachment_id: int | None
) -> Conversation:
    """A group's picture: an image the admin uploaded into this chat (None: initials)."""
    admin_member(session, user.id, conversation_id)
    if attachment_id is not None:
        attachment = session.get(Attachment, attachment_id)
        if (
            attachment is None
            or attachment.conversation_id != conversation_id
            or attachment.uploader_id != user.id
        ):
            raise NotFound("No such upload.", field="attachment_id")
    conversation = _conversation(session, conversation_id)
    conversation.avatar_id = attachment_id
    session.commit()
    _announce(session, conversation_id, active_user_ids(session, conversation_id))
    return conversation


def add_members(
    session: Session, user: User, conversation_id: int, user_ids: list[int]
) -> Conversation:
    admin_member(session, user.id, conversation_id)
    conversation = _conversation(session, conversation_id)
    new = sorted(set(user_ids))
    _check_users_exist(session, new)
    count = len(active_user_ids(session, conversation_id))
    if count + len(new) > model.MAX_GROUP_MEMBERS:
        raise Invalid("A group can have at most 256 members.", field="user_ids")
    for other in new:
        _add(session, conversation, other, "member")
        _notify(session, other, "added", conversation_id, actor_id=user.id, text=conversation.name)
    session.commit()
    _announce(session, conversation_id, active_user_ids(session, conversation_id))
    return conversation


def remove_member(session: Session, user: User, conversation_id: int, user_id: int) -> None:
    """An admin removes someone, or (user_id == caller) the caller leaves."""
    if user_id != user.id:
        admin_member(session, user.id, conversation_id)
    else:
        active_member(session, user.id, conversation_id)
    conversation = _conversation(session, conversation_id)
    if conversation.kind == "direct":
        raise Conflict("You cannot leave a direct chat; archive it instead.", code="direct_chat")
    target = membership(session, user_id, conversation_id)
    if not target.active:
        raise NotFound("This person is not in the conversation.")
    target.active = False
    target.visible_until_id = conversation.last_message_id or 0
    target.pinned = False
    session.flush()
    _keep_an_admin(session, conversation_id)
    session.commit()
    realtime.publish_now([user_id], {"type": "removed", "conversation_id": conversation_id})
    _announce(session, conversation_id, active_user_ids(session, conversation_id))


def _keep_an_admin(session: Session, conversation_id: int) -> None:
    """A group without admins promotes its longest-standing member."""
    members = session.scalars(
        select(Member)
        .where(Member.conversation_id == conversation_id, Member.active.is_(True))
        .order_by(Member.joined_at, Member.id)
    ).all()
    if members and not any(m.role == "admin" for m in members):
        members[0].role = "admin"


def set_role(session: Session, user: User, conversation_id: int, user_id: int, role: str) -> Member:
    admin_member(session, user.id, conversation_id)
    try:
        model.check_role(role)
    except ChatRuleError as err:
        raise rule(err) from err
    target = membership(session, user_id, conversation_id)
    if not target.active:
        raise NotFound("This person is not in the conversation.")
    target.role = role
    session.flush()
    _keep_an_admin(session, conversation_id)
    session.commit()
    _announce(session, conversation_id, active_user_ids(session, conversation_id))
    return target


# --- invite links -------------------------------------------------------------------------------


def create_invite(
    session: Session, user: User, conversation_id: int, *, expires_at: datetime | None = None
) -> tuple[Invite, str]:
    """A link anyone who has it can join with; returns the row and the raw token (shown
    once, only its hash is stored)."""
    admin_member(session, user.id, conversation_id)
    if expires_at is not None and expires_at <= clock.now():
        raise Invalid("The expiry must be in the future.", field="expires_at")
    raw = new_token()
    invite = Invite(
        conversation_id=conversation_id, token_hash=digest(raw), created_by=user.id,
        created_at=clock.now(), expires_at=expires_at,
    )  # fmt: skip
    session.add(invite)
    session.commit()
    return invite, raw


def revoke_invite(session: Session, user: User, conversation_id: int, invite_id: int) -> None:
    admin_member(session, user.id, conversation_id)
    invite = session.get(Invite, invite_id)
    if invite is None or invite.conversation_id != conversation_id:
        raise NotFound("No such invite.")
    if invite.revoked_at is None:
        invite.revoked_at = clock.now()
        session.commit()


def join_by_invite(session: Session, user: User, token: str) -> Conversation:
    invite = session.scalar(select(Invite).where(Invite.token_hash == digest(token)))
    if invite is None or invite.revoked_at is not None:
        raise NotFound("This invite link is not valid (any more).", code="invite_invalid")
    if invite.expires_at is not None and invite.expires_at <= clock.now():
        raise NotFound("This invite link has expired.", code="invite_expired")
    conversation = _conversation(session, invite.conversation_id)
    if len(active_user_ids(session, conversation.id)) >= model.MAX_GROUP_MEMBERS:
        raise Conflict("This group is full.", code="group_full")
    _add(session, conversation, user.id, "member")
    session.commit()
    _announce(session, conversation.id, active_user_ids(session, conversation.id))
    return conversation


# --- the member's own settings ------------------------------------------------------------------


def update_settings(
    session: Session,
    user: User,
    conversation_id: int,
    *,
    muted_until: datetime | None = None,
    muted_forever: bool | None = None,
    unmute: bool = False,
    pinned: bool | None = None,
    archived: bool | None = None,
) -> Member:
    member = membership(session, user.id, conversation_id)
    if unmute:
        member.muted_until, member.muted_forever = None, False
    if muted_until is not None:
        if muted_until <= clock.now():
            raise Invalid("Mute until a time in the future.", field="muted_until")
        member.muted_until, member.muted_forever = muted_until, False
    if muted_forever is not None:
        member.muted_forever = muted_forever
        if muted_forever:
            member.muted_until = None
    if pinned is not None:
        member.pinned = pinned
    if archived is not None:
        member.archived = archived
    session.commit()
    realtime.publish_now([user.id], {"type": "settings", "conversation_id": conversation_id})
    return member


# --- the chat list ------------------------------------------------------------------------------


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


# --- helpers ------------------------------------------------------------------------------------


def _conversation(session: Session, conversation_id: int) -> Conversation:
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        raise NotFound("No such conversation.")
    return conversation


def _notify(
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


def _announce(session: Session, conversation_id: int, user_ids: list[int]) -> None:
    """Tell the members' open connections that the chat changed (they refetch it)."""
    realtime.publish_now(user_ids, {"type": "conversation", "conversation_id": conversation_id})


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
