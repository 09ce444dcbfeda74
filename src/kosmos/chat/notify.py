"""After a message is stored: a Web Push to each member who has no open connection and
has not muted the chat (`chat.message_sent` consumer, run by the outbox relay)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kosmos import bus, clock, push
from kosmos.accounts.tables import User
from kosmos.bus import OutboxEvent
from kosmos.chat import hub, model
from kosmos.chat.messages import MESSAGE_SENT
from kosmos.chat.tables import Conversation, Member, Message


def offline_recipients(session: Session, message: Message) -> list[int]:
    members = session.scalars(
        select(Member).where(
            Member.conversation_id == message.conversation_id,
            Member.active.is_(True),
            Member.user_id != message.sender_id,
        )
    ).all()
    now = clock.now()
    return [
        m.user_id
        for m in members
        if not model.is_muted(now, m.muted_until, m.muted_forever)
        and not hub.current().online(m.user_id)
    ]


@bus.subscribe(MESSAGE_SENT, "chat.push_to_offline_members")
def push_to_offline_members(session: Session, event: OutboxEvent) -> None:
    message = session.get(Message, event.payload["message_id"])
    if message is None or message.deleted_at is not None:
        return
    conversation = session.get(Conversation, message.conversation_id)
    sender = session.get(User, message.sender_id) if message.sender_id else None
    if conversation is None:
        return
    recipients = offline_recipients(session, message)
    sender_name = sender.display_name if sender else "Kosmos"
    title = sender_name if conversation.kind == "direct" else f"{sender_name} @ {conversation.name}"
    body = model.preview(message.body or "📷", 120)
    for user_id in recipients:
        push.send_to_user(
            session,
            user_id,
            {"title": title, "body": body, "url": f"/chats/{conversation.id}",
             "tag": f"chat-{conversation.id}"},
        )  # fmt: skip
