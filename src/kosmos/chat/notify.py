"""After messages are stored: a Web Push to each member who has no open connection and
has not muted the chat (`chat.messages_sent` consumer, run by the outbox relay). Members
without a push subscription cost nothing more than one query per batch."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kosmos import bus, clock, push
from kosmos.accounts.tables import User
from kosmos.bus import OutboxEvent
from kosmos.chat import hub, model
from kosmos.chat.sending import MESSAGES_SENT
from kosmos.chat.tables import Conversation, Member, Message
from kosmos.push.tables import PushSubscription


@bus.subscribe(MESSAGES_SENT, "chat.push_to_offline_members")
def push_to_offline_members(session: Session, event: OutboxEvent) -> None:
    found = session.scalars(
        select(Message).where(
            Message.id.in_(event.payload["message_ids"]), Message.deleted_at.is_(None)
        )
    ).all()
    if not found:
        return
    conversation_ids = {m.conversation_id for m in found}
    members = session.scalars(
        select(Member).where(Member.conversation_id.in_(conversation_ids), Member.active.is_(True))
    ).all()
    reachable = set(
        session.scalars(
            select(PushSubscription.user_id).where(
                PushSubscription.user_id.in_({m.user_id for m in members})
            )
        )
    )
    if not reachable:
        return
    now = clock.now()
    conversations = {
        c.id: c
        for c in session.scalars(select(Conversation).where(Conversation.id.in_(conversation_ids)))
    }
    sends: list[tuple[int, dict[str, str]]] = []
    for message in found:
        conversation = conversations[message.conversation_id]
        sender = session.get(User, message.sender_id) if message.sender_id else None
        name = sender.display_name if sender else "Kosmos"
        title = name if conversation.kind == "direct" else f"{name} @ {conversation.name}"
        for member in members:
            if (
                member.conversation_id != message.conversation_id
                or member.user_id == message.sender_id
                or member.user_id not in reachable
                or model.is_muted(now, member.muted_until, member.muted_forever)
                or hub.current().online(member.user_id)
            ):
                continue
            sends.append((member.user_id, {
                "title": title, "body": model.preview(message.body or "📷", 120),
                "url": f"/chats/{conversation.id}", "tag": f"chat-{conversation.id}"}))  # fmt: skip
    for user_id, note in sends:  # send_to_user commits: gather first, then send
        push.send_to_user(session, user_id, note)
