"""Image uploads into a chat: checked, re-encoded without metadata, thumbnailed
(`images.prepare_image`), stored, and served only to members who may see them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.accounts.tables import User
from kosmos.chat import model
from kosmos.chat.conversations import active_member, membership
from kosmos.chat.images import prepare_image
from kosmos.chat.tables import Attachment, Message
from kosmos.errors import NotFound


def upload_image(session: Session, user: User, conversation_id: int, data: bytes) -> Attachment:
    active_member(session, user.id, conversation_id)
    image = prepare_image(data)
    attachment = Attachment(
        conversation_id=conversation_id, uploader_id=user.id, mime=image.mime,
        size=len(image.content), width=image.width, height=image.height, content=image.content,
        thumb_mime=image.thumb_mime, thumbnail=image.thumbnail, created_at=clock.now(),
    )  # fmt: skip
    session.add(attachment)
    session.commit()
    return attachment


def get_attachment(session: Session, user: User, attachment_id: int) -> Attachment:
    """The uploader, or a member who can see a message that carries it (or the chat's
    avatar, for current members)."""
    attachment = session.get(Attachment, attachment_id)
    if attachment is None:
        raise NotFound("No such file.")
    member = membership(session, user.id, attachment.conversation_id)
    if attachment.uploader_id == user.id:
        return attachment
    carriers = session.scalars(
        select(Message.id).where(Message.attachment_id == attachment_id)
    ).all()
    if any(model.can_see(i, member.history_from_id, member.visible_until_id) for i in carriers):
        return attachment
    if member.active and not carriers:
        return attachment  # a group avatar
    raise NotFound("No such file.")
