"""Conversations and their members: direct chats, groups, roles, add/remove/leave,
invite links, and each member's own settings (mute, pin, archive).

Every lookup goes through the caller's membership: a chat the caller is not in is a 404.
Changes are pushed to the members' open connections after commit (`realtime`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.accounts.secrets import digest, new_token
from kosmos.accounts.tables import User
from kosmos.chat import model, realtime
from kosmos.chat.model import ChatRuleError
from kosmos.chat.notifications import notify as _notify
from kosmos.chat.tables import Attachment, Conversation, Invite, Member
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


# --- helpers ------------------------------------------------------------------------------------


def _conversation(session: Session, conversation_id: int) -> Conversation:
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        raise NotFound("No such conversation.")
    return conversation


def _announce(session: Session, conversation_id: int, user_ids: list[int]) -> None:
    """Tell the members' open connections that the chat changed (they refetch it)."""
    realtime.publish_now(user_ids, {"type": "conversation", "conversation_id": conversation_id})
