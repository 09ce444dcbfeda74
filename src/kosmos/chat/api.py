"""Messenger JSON API under /api/v1/chat (the WebSocket lives in `ws.py`)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, Request, Response, UploadFile
from pydantic import Field
from sqlalchemy.orm import Session
from starlette.requests import HTTPConnection

from kosmos.accounts.auth import api_user
from kosmos.accounts.tables import User
from kosmos.chat import (
    attachments,
    conversations,
    limits,
    messages,
    model,
    notifications,
    summaries,
)
from kosmos.chat.images import MAX_UPLOAD_BYTES
from kosmos.chat.model import ChatRuleError
from kosmos.errors import Problem
from kosmos.schemas import MAX_ID, ObjectId, StrictModel
from kosmos.web.deps import get_db

router = APIRouter(prefix="/chat", tags=["chat"])
DB = Depends(get_db)
ME = Depends(api_user)
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def limiter(connection: HTTPConnection) -> limits.SendLimiter:
    """The app's send limiter (one per app, so tests and apps do not share buckets)."""
    state = connection.app.state
    if not hasattr(state, "send_limiter"):
        state.send_limiter = limits.SendLimiter()
    return state.send_limiter  # type: ignore[no-any-return]


class TooLarge(Problem):
    status, code, title = 413, "file_too_large", "File too large"


class DirectIn(StrictModel):
    user_id: Id


class GroupIn(StrictModel):
    name: str = Field(max_length=200)
    member_ids: list[Id] = Field(default_factory=list, max_length=model.MAX_GROUP_MEMBERS)


class RenameIn(StrictModel):
    name: str = Field(max_length=200)


class MembersIn(StrictModel):
    user_ids: list[Id] = Field(min_length=1, max_length=model.MAX_GROUP_MEMBERS)


class RoleIn(StrictModel):
    role: str = Field(max_length=10)


class AvatarIn(StrictModel):
    attachment_id: Id | None


class SettingsIn(StrictModel):
    muted_until: datetime | None = None
    muted_forever: bool | None = None
    unmute: bool = False
    pinned: bool | None = None
    archived: bool | None = None


class InviteIn(StrictModel):
    expires_at: datetime | None = None


class JoinIn(StrictModel):
    token: str = Field(min_length=10, max_length=100)


class MessageIn(StrictModel):
    text: str = Field(default="", max_length=model.MAX_TEXT * 4)
    reply_to_id: Id | None = None
    client_id: str | None = Field(default=None, min_length=1, max_length=64)
    attachment_id: Id | None = None


class PollIn(StrictModel):
    question: str = Field(max_length=400)
    options: list[Annotated[str, Field(max_length=200)]] = Field(max_length=20)
    client_id: str | None = Field(default=None, min_length=1, max_length=64)


class EditIn(StrictModel):
    text: str = Field(max_length=model.MAX_TEXT * 4)


class ReactionIn(StrictModel):
    emoji: str = Field(min_length=1, max_length=64)


class ActionIn(StrictModel):
    action: str = Field(max_length=40)
    value: str = Field(max_length=80)


class MarkIn(StrictModel):
    read: Id | None = None
    delivered: Id | None = None


# --- conversations ------------------------------------------------------------------------------


@router.get("/conversations")
def list_conversations(archived: bool = False, user: User = ME, db: Session = DB) -> dict[str, Any]:
    return {"items": summaries.list_conversations(db, user, archived=archived)}


@router.post("/direct", status_code=200)
def open_direct(body: DirectIn, user: User = ME, db: Session = DB) -> dict[str, Any]:
    conversation = conversations.open_direct(db, user, body.user_id)
    return summaries.get_summary(db, user, conversation.id)


@router.post("/groups", status_code=201)
def create_group(body: GroupIn, user: User = ME, db: Session = DB) -> dict[str, Any]:
    conversation = conversations.create_group(db, user, name=body.name, member_ids=body.member_ids)
    return summaries.get_summary(db, user, conversation.id)


@router.get("/conversations/{conversation_id}")
def get_conversation(
    conversation_id: ObjectId, user: User = ME, db: Session = DB
) -> dict[str, Any]:
    return summaries.get_summary(db, user, conversation_id)


@router.patch("/conversations/{conversation_id}")
def rename(
    conversation_id: ObjectId, body: RenameIn, user: User = ME, db: Session = DB
) -> dict[str, Any]:
    conversations.rename(db, user, conversation_id, body.name)
    return summaries.get_summary(db, user, conversation_id)


@router.put("/conversations/{conversation_id}/avatar")
def set_avatar(
    conversation_id: ObjectId, body: AvatarIn, user: User = ME, db: Session = DB
) -> dict[str, Any]:
    """Upload the image to the chat first (attachments), then make it the avatar."""
    conversations.set_avatar(db, user, conversation_id, body.attachment_id)
    return summaries.get_summary(db, user, conversation_id)


@router.put("/conversations/{conversation_id}/settings")
def update_settings(
    conversation_id: ObjectId, body: SettingsIn, user: User = ME, db: Session = DB
) -> dict[str, Any]:
    conversations.update_settings(db, user, conversation_id, **body.model_dump())
    return summaries.get_summary(db, user, conversation_id)


@router.post("/conversations/{conversation_id}/members")
def add_members(
    conversation_id: ObjectId, body: MembersIn, user: User = ME, db: Session = DB
) -> dict[str, Any]:
    conversations.add_members(db, user, conversation_id, body.user_ids)
    return summaries.get_summary(db, user, conversation_id)


@router.delete("/conversations/{conversation_id}/members/{user_id}", status_code=204)
def remove_member(
    conversation_id: ObjectId, user_id: ObjectId, user: User = ME, db: Session = DB
) -> Response:
    """Remove someone (admins), or leave (your own user id)."""
    conversations.remove_member(db, user, conversation_id, user_id)
    return Response(status_code=204)


@router.put("/conversations/{conversation_id}/members/{user_id}/role")
def set_role(
    conversation_id: ObjectId, user_id: ObjectId, body: RoleIn, user: User = ME, db: Session = DB
) -> dict[str, Any]:
    conversations.set_role(db, user, conversation_id, user_id, body.role)
    return summaries.get_summary(db, user, conversation_id)


@router.post("/conversations/{conversation_id}/invites", status_code=201)
def create_invite(
    conversation_id: ObjectId, body: InviteIn, user: User = ME, db: Session = DB
) -> dict[str, Any]:
    invite, token = conversations.create_invite(
        db, user, conversation_id, expires_at=body.expires_at
    )
    return {"id": invite.id, "token": token, "url": f"/chats/join/{token}",
            "expires_at": invite.expires_at}  # fmt: skip


@router.delete("/conversations/{conversation_id}/invites/{invite_id}", status_code=204)
def revoke_invite(
    conversation_id: ObjectId, invite_id: ObjectId, user: User = ME, db: Session = DB
) -> Response:
    conversations.revoke_invite(db, user, conversation_id, invite_id)
    return Response(status_code=204)


@router.post("/join")
def join(body: JoinIn, user: User = ME, db: Session = DB) -> dict[str, Any]:
    conversation = conversations.join_by_invite(db, user, body.token)
    return summaries.get_summary(db, user, conversation.id)


# --- messages -----------------------------------------------------------------------------------


@router.get("/conversations/{conversation_id}/messages")
def history(
    conversation_id: ObjectId,
    before: int | None = Query(None, ge=1, le=MAX_ID),
    after: int | None = Query(None, ge=0, le=MAX_ID),
    limit: int = Query(50, ge=1, le=model.HISTORY_PAGE_MAX),
    user: User = ME,
    db: Session = DB,
) -> dict[str, Any]:
    return messages.history(db, user, conversation_id, before=before, after=after, limit=limit)


@router.get("/conversations/{conversation_id}/search")
def search(
    conversation_id: ObjectId,
    q: str = Query(max_length=200),
    user: User = ME,
    db: Session = DB,
) -> dict[str, Any]:
    return {"items": messages.search(db, user, conversation_id, q)}


@router.post("/conversations/{conversation_id}/messages", status_code=201)
def send(
    conversation_id: ObjectId,
    body: MessageIn,
    request: Request,
    user: User = ME,
    db: Session = DB,
) -> dict[str, Any]:
    limiter(request).take(user.id)
    return messages.send_message(
        db, user, conversation_id, text=body.text, reply_to_id=body.reply_to_id,
        client_id=body.client_id, attachment_id=body.attachment_id,
    )  # fmt: skip


@router.post("/conversations/{conversation_id}/polls", status_code=201)
def create_poll(
    conversation_id: ObjectId, body: PollIn, request: Request, user: User = ME, db: Session = DB
) -> dict[str, Any]:
    try:
        card = model.poll_card(body.question, body.options)
    except ChatRuleError as err:
        raise conversations.rule(err) from err
    limiter(request).take(user.id)
    return messages.send_message(db, user, conversation_id, card=card, client_id=body.client_id)


@router.post("/conversations/{conversation_id}/read")
def mark(
    conversation_id: ObjectId, body: MarkIn, user: User = ME, db: Session = DB
) -> dict[str, Any]:
    return messages.mark(db, user, conversation_id, read=body.read, delivered=body.delivered)


@router.get("/messages/{message_id}")
def get_message(message_id: ObjectId, user: User = ME, db: Session = DB) -> dict[str, Any]:
    return messages.get_message(db, user, message_id)


@router.patch("/messages/{message_id}")
def edit(message_id: ObjectId, body: EditIn, user: User = ME, db: Session = DB) -> dict[str, Any]:
    return messages.edit_message(db, user, message_id, body.text)


@router.delete("/messages/{message_id}")
def delete(message_id: ObjectId, user: User = ME, db: Session = DB) -> dict[str, Any]:
    return messages.delete_message(db, user, message_id)


@router.post("/messages/{message_id}/reactions")
def react(
    message_id: ObjectId, body: ReactionIn, user: User = ME, db: Session = DB
) -> dict[str, Any]:
    """Toggle: the same emoji again takes the reaction back."""
    return messages.toggle_reaction(db, user, message_id, body.emoji)


@router.post("/messages/{message_id}/actions")
def press(
    message_id: ObjectId, body: ActionIn, user: User = ME, db: Session = DB
) -> dict[str, Any]:
    return messages.press_button(db, user, message_id, body.action, body.value)


# --- images -------------------------------------------------------------------------------------


@router.post("/conversations/{conversation_id}/attachments", status_code=201)
async def upload(
    conversation_id: ObjectId,
    file: UploadFile = File(...),
    user: User = ME,
    db: Session = DB,
) -> dict[str, Any]:
    data = await file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise TooLarge("The file is larger than 10 MB.", field="file")
    from starlette.concurrency import run_in_threadpool

    attachment = await run_in_threadpool(attachments.upload_image, db, user, conversation_id, data)
    return {"id": attachment.id, "mime": attachment.mime, "width": attachment.width,
            "height": attachment.height,
            "url": f"/api/v1/chat/attachments/{attachment.id}",
            "thumbnail_url": f"/api/v1/chat/attachments/{attachment.id}/thumbnail"}  # fmt: skip


@router.get("/attachments/{attachment_id}")
def attachment(attachment_id: ObjectId, user: User = ME, db: Session = DB) -> Response:
    found = attachments.get_attachment(db, user, attachment_id)
    return _image_response(found.content, found.mime)


@router.get("/attachments/{attachment_id}/thumbnail")
def thumbnail(attachment_id: ObjectId, user: User = ME, db: Session = DB) -> Response:
    found = attachments.get_attachment(db, user, attachment_id)
    return _image_response(found.thumbnail, found.thumb_mime)


def _image_response(content: bytes, mime: str) -> Response:
    return Response(
        content,
        media_type=mime,
        headers={"Cache-Control": "private, max-age=86400", "X-Content-Type-Options": "nosniff"},
    )


# --- notifications ------------------------------------------------------------------------------


@router.get("/notifications")
def my_notifications(user: User = ME, db: Session = DB) -> dict[str, Any]:
    rows = notifications.list_notifications(db, user)
    return {
        "items": [
            {"id": n.id, "kind": n.kind, "conversation_id": n.conversation_id,
             "message_id": n.message_id, "text": n.text, "created_at": n.created_at,
             "read": n.read_at is not None}
            for n in rows
        ]
    }  # fmt: skip


class NotificationsReadIn(StrictModel):
    up_to_id: Id


@router.post("/notifications/read")
def notifications_read(
    body: NotificationsReadIn, user: User = ME, db: Session = DB
) -> dict[str, Any]:
    return {"marked": notifications.mark_notifications_read(db, user, body.up_to_id)}
