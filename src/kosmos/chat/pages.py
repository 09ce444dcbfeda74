"""Chat pages: the chat list with a "new group" form, a conversation, joining by an
invite link. The conversation itself is drawn and kept live by /static/chat.js over the
JSON API and the WebSocket; the pages render the shell and what works without it."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from kosmos.accounts.auth import page_user
from kosmos.accounts.friends import list_friends
from kosmos.accounts.secrets import digest
from kosmos.accounts.tables import User
from kosmos.chat import conversations, model, notifications, summaries
from kosmos.chat.tables import Conversation, Invite
from kosmos.errors import NotFound, Problem
from kosmos.web.csrf import require_csrf
from kosmos.web.deps import get_db
from kosmos.web.render import render

router = APIRouter(include_in_schema=False)
DB = Depends(get_db)
ME = Depends(page_user)
CSRF = [Depends(require_csrf)]
EMOJI = ["😀", "😂", "😍", "🥳", "😎", "🤔", "😢", "🙏", "👍", "👎", "👏", "🎉", "❤️",
         "🔥", "🍖", "🌭", "🥗", "🍺", "🥤", "☀️", "🌧️", "⏰", "📍", "✅"]  # fmt: skip


def _list_page(
    request: Request, db: Session, user: User, errors: dict[str, str] | None = None
) -> Response:
    friends = [f for f, _row in list_friends(db, user)]
    notes = notifications.list_notifications(db, user, limit=10)
    return render(
        request,
        "chat/list.html",
        {"section": "chats", "chats": summaries.list_conversations(db, user),
         "archived": summaries.list_conversations(db, user, archived=True),
         "friends": friends, "errors": errors or {}, "notifications": notes,
         "unread_notes": [n for n in notes if n.read_at is None]},
        status_code=422 if errors else 200,
    )  # fmt: skip


@router.get("/chats")
def chat_list(request: Request, user: User = ME, db: Session = DB) -> Response:
    return _list_page(request, db, user)


@router.post("/chats", dependencies=CSRF)
def new_group(
    request: Request,
    name: str = Form(""),
    member_ids: list[int] = Form(default_factory=list),
    user: User = ME,
    db: Session = DB,
) -> Response:
    friend_ids = {f.id for f, _row in list_friends(db, user)}
    try:
        conversation = conversations.create_group(
            db, user, name=name, member_ids=[m for m in member_ids if m in friend_ids]
        )
    except Problem as exc:
        db.rollback()
        return _list_page(request, db, user, {exc.field or "name": exc.localized()})
    return RedirectResponse(f"/chats/{conversation.id}", status_code=303)


@router.post("/chats/notifications/read", dependencies=CSRF)
def notifications_read(up_to_id: int = Form(...), user: User = ME, db: Session = DB) -> Response:
    notifications.mark_notifications_read(db, user, up_to_id)
    return RedirectResponse("/chats", status_code=303)


@router.post("/chats/direct/{other_id}", dependencies=CSRF)
def open_direct(other_id: int, user: User = ME, db: Session = DB) -> Response:
    conversation = conversations.open_direct(db, user, other_id)
    return RedirectResponse(f"/chats/{conversation.id}", status_code=303)


@router.get("/chats/{conversation_id}")
def conversation_page(
    conversation_id: int, request: Request, user: User = ME, db: Session = DB
) -> Response:
    if not 0 < conversation_id < 2**31:
        raise NotFound("No such conversation.")
    chat = summaries.get_summary(db, user, conversation_id)
    return render(
        request,
        "chat/conversation.html",
        {"section": "chats", "chat": chat, "emoji": EMOJI, "max_text": model.MAX_TEXT},
    )


@router.get("/chats/join/{token}")
def join_page(token: str, request: Request, user: User = ME, db: Session = DB) -> Response:
    invite = db.scalar(select(Invite).where(Invite.token_hash == digest(token)))
    conversation = db.get(Conversation, invite.conversation_id) if invite else None
    return render(request, "chat/join.html",
                  {"section": "chats", "token": token, "conversation": conversation})  # fmt: skip


@router.post("/chats/join/{token}", dependencies=CSRF)
def join(token: str, request: Request, user: User = ME, db: Session = DB) -> Response:
    try:
        conversation = conversations.join_by_invite(db, user, token)
    except Problem as exc:
        return render(request, "chat/join.html",
                      {"section": "chats", "token": token, "conversation": None,
                       "error": exc.localized()}, status_code=exc.status)  # fmt: skip
    return RedirectResponse(f"/chats/{conversation.id}", status_code=303)
