"""Messages: send (text, reply, card), edit, delete (a tombstone stays), react, read and
delivered pointers, history in both directions, search, card buttons.

Only active members write; a past member reads only what they could see while in the
chat. Each change is pushed to the members after commit.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.accounts.tables import User
from kosmos.chat import hooks, model, realtime
from kosmos.chat.conversations import active_member, active_user_ids, membership, rule
from kosmos.chat.model import ChatRuleError
from kosmos.chat.tables import Attachment, CardResponse, Conversation, Message, Reaction
from kosmos.errors import Forbidden, Invalid, NotFound, Problem

# --- send -------------------------------------------------------------------------------------


def send_message(
    session: Session,
    user: User,
    conversation_id: int,
    *,
    text: str = "",
    reply_to_id: int | None = None,
    client_id: str | None = None,
    card: dict[str, Any] | None = None,
    attachment_id: int | None = None,
) -> dict[str, Any]:
    """Post a message; a retry with the same `client_id` returns the first one."""
    from kosmos.chat.sending import Outgoing, send_many

    item = Outgoing(
        sender_id=user.id, conversation_id=conversation_id, text=text, reply_to_id=reply_to_id,
        client_id=client_id, card=card, attachment_id=attachment_id,
    )  # fmt: skip
    result = send_many(session, [item])[0]
    if isinstance(result, Problem):
        session.rollback()
        raise result
    return result


def post_as_kosmos(
    session: Session,
    conversation_id: int,
    *,
    text: str = "",
    card: dict[str, Any] | None = None,
    reply_to_id: int | None = None,
    commit: bool = True,
) -> dict[str, Any]:
    """A message from Kosmos itself (the assistant, payments, lockers): no sender. With
    `commit=False` it joins the caller's transaction (and is pushed when that commits)."""
    now = clock.now()
    message = Message(
        conversation_id=conversation_id, sender_id=None, kind="card" if card else "system",
        body=text, card=card, mentions=[], created_at=now, reply_to_id=reply_to_id,
    )  # fmt: skip
    session.add(message)
    session.flush()
    session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id)
        .values(last_message_id=message.id, last_activity_at=now)
    )
    out = message_out(session, message)
    realtime.publish_after_commit(
        session, active_user_ids(session, conversation_id), {"type": "message", "message": out}
    )
    if commit:
        session.commit()
    return out


# --- edit, delete, react --------------------------------------------------------------------------


def _own_message(session: Session, user: User, message_id: int) -> Message:
    message = _visible_message(session, user, message_id, write=True)
    if message.sender_id != user.id:
        raise Forbidden("You can only change your own messages.", code="not_your_message")
    if message.deleted_at is not None:
        raise NotFound("This message was deleted.", code="message_deleted")
    return message


def _visible_message(session: Session, user: User, message_id: int, *, write: bool) -> Message:
    message = session.get(Message, message_id)
    if message is None:
        raise NotFound("No such message.")
    member = (active_member if write else membership)(session, user.id, message.conversation_id)
    if not model.can_see(message.id, member.history_from_id, member.visible_until_id):
        raise NotFound("No such message.")
    return message


def edit_message(session: Session, user: User, message_id: int, text: str) -> dict[str, Any]:
    message = _own_message(session, user, message_id)
    if message.kind not in ("text", "image"):
        raise Invalid("This message cannot be edited.", field="text")
    try:
        message.body = model.clean_text(text)
    except ChatRuleError as err:
        raise rule(err) from err
    message.edited_at = clock.now()
    return _changed(session, message)


def delete_message(session: Session, user: User, message_id: int) -> dict[str, Any]:
    message = _own_message(session, user, message_id)
    message.deleted_at = clock.now()
    message.body = ""
    message.card = None
    message.attachment_id = None
    session.execute(delete(Reaction).where(Reaction.message_id == message.id))
    return _changed(session, message)


def toggle_reaction(session: Session, user: User, message_id: int, emoji: str) -> dict[str, Any]:
    """Add the reaction, or take it back if the caller already reacted with it."""
    message = _visible_message(session, user, message_id, write=True)
    if message.deleted_at is not None:
        raise NotFound("This message was deleted.", code="message_deleted")
    try:
        value = model.clean_reaction(emoji)
    except ChatRuleError as err:
        raise rule(err) from err
    mine = session.scalar(
        select(Reaction).where(
            Reaction.message_id == message.id, Reaction.user_id == user.id, Reaction.emoji == value
        )
    )
    if mine is not None:
        session.delete(mine)
    else:
        session.add(
            Reaction(message_id=message.id, user_id=user.id, emoji=value, created_at=clock.now())
        )
    try:
        session.flush()
    except IntegrityError:  # a double tap raced: the reaction is there
        session.rollback()
        message = _visible_message(session, user, message_id, write=True)
    return _changed(session, message)


def press_button(
    session: Session, user: User, message_id: int, action: str, value: str
) -> dict[str, Any]:
    """A card button, pressed by an active member of the card's chat (a poll vote: one
    per person; pressing another option moves the vote)."""
    message = _visible_message(session, user, message_id, write=True)
    if message.kind != "card" or not message.card or message.deleted_at is not None:
        raise NotFound("This message has no buttons.")
    try:
        model.check_card_action(message.card, action, value)
    except ChatRuleError as err:
        raise rule(err) from err
    handler = hooks.handler_for(message.card)
    if handler is not None:  # the card belongs to another context (the assistant ...)
        handler(session, user, message, action, value)
        return _changed(session, message)
    response = session.scalar(
        select(CardResponse).where(
            CardResponse.message_id == message.id, CardResponse.user_id == user.id
        )
    )
    if response is None:
        session.add(
            CardResponse(
                message_id=message.id,
                user_id=user.id,
                action=action,
                value=value,
                created_at=clock.now(),
            )  # fmt: skip
        )
    else:
        response.action, response.value, response.created_at = action, value, clock.now()
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        return press_button(session, user, message_id, action, value)
    return _changed(session, message)


def update_card(session: Session, message_id: int, card: dict[str, Any]) -> None:
    """Replace the card of a message Kosmos posted and push it to the members after commit
    (a live list, an event whose RSVPs changed). The caller commits."""
    message = session.get(Message, message_id)
    if message is None or message.sender_id is not None:
        return
    message.card = card
    out = message_out(session, message)
    realtime.publish_after_commit(
        session,
        active_user_ids(session, message.conversation_id),
        {"type": "message_updated", "message": out},
    )


def _changed(session: Session, message: Message) -> dict[str, Any]:
    out = message_out(session, message)
    realtime.publish_after_commit(
        session,
        active_user_ids(session, message.conversation_id),
        {"type": "message_updated", "message": out},
    )
    session.commit()
    return out


# --- read and delivered -----------------------------------------------------------------------


def mark(
    session: Session, user: User, conversation_id: int, *, read: int | None, delivered: int | None
) -> dict[str, Any]:
    """Move the caller's read / delivered pointers forward (never back)."""
    member = active_member(session, user.id, conversation_id)
    newest = session.scalar(
        select(Conversation.last_message_id).where(Conversation.id == conversation_id)
    )
    newest = newest or 0
    changed = False
    if read is not None and read > member.last_read_id:
        member.last_read_id = min(read, newest)
        changed = True
    top_delivered = max(delivered or 0, member.last_read_id)
    if top_delivered > member.last_delivered_id:
        member.last_delivered_id = min(top_delivered, newest)
        changed = True
    receipt = {
        "type": "receipt",
        "conversation_id": conversation_id,
        "user_id": user.id,
        "last_read_id": member.last_read_id,
        "last_delivered_id": member.last_delivered_id,
    }
    if changed:
        realtime.publish_after_commit(session, active_user_ids(session, conversation_id), receipt)
    session.commit()
    return receipt


# --- reading ----------------------------------------------------------------------------------


def history(
    session: Session,
    user: User,
    conversation_id: int,
    *,
    before: int | None = None,
    after: int | None = None,
    limit: int = 50,
) -> dict[str, Any]:
    """A page of messages in id order: the newest (default), those before an id (scrolling
    back) or after an id (catching up)."""
    member = membership(session, user.id, conversation_id)
    limit = max(1, min(limit, model.HISTORY_PAGE_MAX))
    query = select(Message).where(
        Message.conversation_id == conversation_id, Message.id > member.history_from_id
    )
    if member.visible_until_id is not None:
        query = query.where(Message.id <= member.visible_until_id)
    if after is not None:
        rows = list(
            session.scalars(query.where(Message.id > after).order_by(Message.id).limit(limit + 1))
        )
        more_after, items = len(rows) > limit, rows[:limit]
        more_before = bool(items) or after > member.history_from_id
    else:
        if before is not None:
            query = query.where(Message.id < before)
        rows = list(session.scalars(query.order_by(Message.id.desc()).limit(limit + 1)))
        more_before, items = len(rows) > limit, list(reversed(rows[:limit]))
        more_after = before is not None
    out = messages_out(session, items)
    return {
        "items": out,
        "before_cursor": out[0]["id"] if out and more_before else None,
        "after_cursor": out[-1]["id"] if out and more_after else None,
    }


def search(
    session: Session, user: User, conversation_id: int, query_text: str, *, limit: int = 50
) -> list[dict[str, Any]]:
    """Messages of one chat containing the words (case-insensitive), newest first."""
    member = membership(session, user.id, conversation_id)
    words = [w for w in query_text.lower().split() if w][:5]
    if not words or len(query_text) > 200:
        raise Invalid("Search for one to five words.", field="q")
    query = select(Message).where(
        Message.conversation_id == conversation_id,
        Message.id > member.history_from_id,
        Message.deleted_at.is_(None),
    )
    if member.visible_until_id is not None:
        query = query.where(Message.id <= member.visible_until_id)
    for word in words:
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(func.lower(Message.body).like(f"%{escaped}%", escape="\\"))
    rows = session.scalars(query.order_by(Message.id.desc()).limit(min(limit, 100)))
    return messages_out(session, list(rows))


def get_message(session: Session, user: User, message_id: int) -> dict[str, Any]:
    return message_out(session, _visible_message(session, user, message_id, write=False))


# --- output -----------------------------------------------------------------------------------


def message_out(
    session: Session, message: Message, *, sender: User | None = None
) -> dict[str, Any]:
    return messages_out(session, [message], senders={sender.id: sender} if sender else None)[0]


def messages_out(
    session: Session,
    messages: list[Message],
    *,
    senders: dict[int, User] | None = None,
    fresh: bool = False,
) -> list[dict[str, Any]]:
    """Messages as the API and the events show them, with a handful of queries per page
    (`fresh`: just stored, so no reactions or votes to look up)."""
    if not messages:
        return []
    ids = [m.id for m in messages]
    reply_ids = {m.reply_to_id for m in messages if m.reply_to_id}
    replies = (
        {m.id: m for m in session.scalars(select(Message).where(Message.id.in_(reply_ids)))}
        if reply_ids
        else {}
    )
    user_ids = {m.sender_id for m in [*messages, *replies.values()] if m.sender_id}
    users = dict(senders or {})
    if missing := user_ids - users.keys():
        users.update({u.id: u for u in session.scalars(select(User).where(User.id.in_(missing)))})
    reactions: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    votes: dict[int, list[tuple[str, int]]] = defaultdict(list)
    if not fresh and any(m.deleted_at is None for m in messages):
        for r in session.scalars(
            select(Reaction).where(Reaction.message_id.in_(ids)).order_by(Reaction.id)
        ):
            reactions[r.message_id][r.emoji].append(r.user_id)
        card_ids = [m.id for m in messages if m.kind == "card"]
        if card_ids:
            for c in session.scalars(
                select(CardResponse).where(CardResponse.message_id.in_(card_ids))
            ):
                votes[c.message_id].append((c.value, c.user_id))
    attachments: dict[int, Attachment] = {}
    if attachment_ids := {m.attachment_id for m in messages if m.attachment_id}:
        attachments = {
            a.id: a
            for a in session.scalars(select(Attachment).where(Attachment.id.in_(attachment_ids)))
        }
    return [
        _one(m, users, replies.get(m.reply_to_id or 0), reactions.get(m.id, {}),
             votes.get(m.id, []), attachments.get(m.attachment_id or 0))
        for m in messages
    ]  # fmt: skip


def _person(user: User | None) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.id, "username": user.username, "name": user.display_name,
            "initials": user.initials}  # fmt: skip


def _one(
    m: Message,
    users: dict[int, User],
    reply: Message | None,
    reactions: dict[str, list[int]],
    votes: list[tuple[str, int]],
    attachment: Attachment | None,
) -> dict[str, Any]:
    deleted = m.deleted_at is not None
    card = None
    if m.card and not deleted:
        card = dict(m.card)
        if card.get("type") == "poll":
            card["tally"] = model.poll_tally(card, votes)
    return {
        "id": m.id,
        "conversation_id": m.conversation_id,
        "sender": _person(users.get(m.sender_id or 0)),
        "kind": m.kind,
        "text": "" if deleted else m.body,
        "card": card,
        "image": _image(attachment) if attachment and not deleted else None,
        "reply_to": _reply(reply, users) if m.reply_to_id else None,
        "mentions": m.mentions or [],
        "created_at": m.created_at.isoformat(),
        "edited": m.edited_at is not None,
        "deleted": deleted,
        "reactions": [
            {"emoji": e, "count": len(who), "user_ids": who} for e, who in reactions.items()
        ],
        "client_id": m.client_id,
    }


def _reply(reply: Message | None, users: dict[int, User]) -> dict[str, Any] | None:
    if reply is None:
        return None
    sender = users.get(reply.sender_id or 0)
    return {
        "id": reply.id,
        "sender_name": sender.display_name if sender else "Kosmos",
        "text": "" if reply.deleted_at else model.preview(reply.body or "📷", 120),
        "deleted": reply.deleted_at is not None,
    }


def _image(a: Attachment) -> dict[str, Any]:
    return {
        "url": f"/api/v1/chat/attachments/{a.id}",
        "thumbnail_url": f"/api/v1/chat/attachments/{a.id}/thumbnail",
        "width": a.width,
        "height": a.height,
    }
