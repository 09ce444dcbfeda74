"""SQLAlchemy mapping of the messenger.

A conversation has members (one row per person, kept after they leave so history stays
attributable); a member sees the messages with `history_from_id < id <= visible_until_id`
(`visible_until_id` is NULL while they are in the chat). Messages are never deleted: a
deletion leaves a tombstone (`deleted_at`, body emptied). The message id is the one total
order of a conversation.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from kosmos.db import Base, UTCDateTime

ID = BigInteger().with_variant(Integer, "sqlite")


class Conversation(Base):
    __tablename__ = "chat_conversations"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # direct, group
    name: Mapped[str] = mapped_column(String(80), default="")
    avatar_id: Mapped[int | None] = mapped_column(ID)  # a chat_attachments row
    direct_key: Mapped[str | None] = mapped_column(String(40), unique=True)  # "small:big" ids
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_message_id: Mapped[int | None] = mapped_column(ID)
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class Member(Base):
    __tablename__ = "chat_members"
    __table_args__ = (UniqueConstraint("conversation_id", "user_id"),)

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("chat_conversations.id", ondelete="CASCADE")
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(10))  # admin, member
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime())
    history_from_id: Mapped[int] = mapped_column(ID, default=0)
    visible_until_id: Mapped[int | None] = mapped_column(ID)
    last_read_id: Mapped[int] = mapped_column(ID, default=0)
    last_delivered_id: Mapped[int] = mapped_column(ID, default=0)
    muted_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    muted_forever: Mapped[bool] = mapped_column(Boolean, default=False)
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)


class Message(Base):
    __tablename__ = "chat_messages"
    __table_args__ = (
        Index("ix_chat_messages_conversation_id_id", "conversation_id", "id"),
        UniqueConstraint("sender_id", "client_id"),
    )

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("chat_conversations.id", ondelete="CASCADE")
    )
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: Kosmos itself
    kind: Mapped[str] = mapped_column(String(10))  # text, image, card, system
    body: Mapped[str] = mapped_column(Text, default="")
    card: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("chat_attachments.id"))
    reply_to_id: Mapped[int | None] = mapped_column(ForeignKey("chat_messages.id"))
    mentions: Mapped[list[int]] = mapped_column(JSON, default=list)
    client_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Reaction(Base):
    __tablename__ = "chat_reactions"
    __table_args__ = (UniqueConstraint("message_id", "user_id", "emoji"),)

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("chat_messages.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    emoji: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CardResponse(Base):
    """A button pressed on a card (a poll vote): one answer per person and card."""

    __tablename__ = "chat_card_responses"
    __table_args__ = (UniqueConstraint("message_id", "user_id"),)

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("chat_messages.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Invite(Base):
    __tablename__ = "chat_invites"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("chat_conversations.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Attachment(Base):
    """An uploaded image (metadata stripped) and its thumbnail, stored in the database so
    every server process serves them without a shared disk."""

    __tablename__ = "chat_attachments"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("chat_conversations.id", ondelete="CASCADE"), index=True
    )
    uploader_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    mime: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column()
    thumb_mime: Mapped[str] = mapped_column(String(40))
    thumbnail: Mapped[bytes] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Notification(Base):
    """The in-app notification list: mentions, added to a chat."""

    __tablename__ = "chat_notifications"
    __table_args__ = (Index("ix_chat_notifications_user_id_id", "user_id", "id"),)

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))  # mention, added
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("chat_conversations.id", ondelete="CASCADE")
    )
    message_id: Mapped[int | None] = mapped_column(ForeignKey("chat_messages.id"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
