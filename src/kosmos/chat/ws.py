"""The WebSocket: /api/v1/chat/events?queue_id=Q&last_event_id=N

Authentication: the web session cookie (the page; the Origin must be this site), or, for
API clients, a first frame `{"type": "auth", "token": "kos_..."}` within 10 seconds.

Server frames: `hello` {queue_id, last_event_id, user_id}, or `queue_expired` {queue_id,
last_event_id} when the queue cannot give what was missed (reload over REST, then go on
from there); then events, each with its `id` (increasing, per user, no gaps), and
ephemeral ones without an id (`typing`); `sent` / `error` answer a `send`; `pong`.

Client frames: `send` {conversation_id, text, client_id, reply_to_id?}, `typing`
{conversation_id}, `read` / `delivered` {conversation_id, message_id}, `ping`.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.websockets import WebSocketDisconnected

from kosmos.accounts import services as account_services
from kosmos.accounts.auth import SESSION_COOKIE
from kosmos.accounts.tables import User
from kosmos.chat import conversations, hub, limits, messages, realtime
from kosmos.chat.api import limiter
from kosmos.chat.sending import Outgoing, SendBatcher
from kosmos.errors import Problem, problem_body

router = APIRouter()
log = logging.getLogger(__name__)

AUTH_TIMEOUT = 10.0
WRITE_FRAMES = frozenset({"send", "read", "delivered", "typing"})
MAX_FRAME = 64 * 1024


@router.websocket("/api/v1/chat/events")
async def events(ws: WebSocket) -> None:
    cookie = ws.cookies.get(SESSION_COOKIE)
    if cookie and not _same_origin(ws):
        await ws.close(code=1008, reason="origin")
        return
    await ws.accept()
    state = ws.app.state
    caller = await _authenticate(ws, state.session_factory, cookie)
    if caller is None:
        await ws.close(code=1008, reason="unauthorized")
        return
    user_id = caller.user_id
    queue_id = ws.query_params.get("queue_id") or None
    last = _int(ws.query_params.get("last_event_id"))
    the_hub = hub.current()
    conn = hub.Connection(user_id, asyncio.get_running_loop())
    resume = await the_hub.attach(conn, queue_id, last)
    writer: asyncio.Task[None] | None = None
    try:
        if resume.backlog is None:
            await ws.send_text(hub.encode({"type": "queue_expired", "queue_id": resume.queue_id,
                                           "last_event_id": resume.head}))  # fmt: skip
        else:
            await ws.send_text(hub.encode({"type": "hello", "queue_id": resume.queue_id,
                                           "last_event_id": resume.head,
                                           "user_id": user_id}))  # fmt: skip
            for _id, text in resume.backlog:
                await ws.send_text(text)
        conn.last_sent = resume.head
        conn.queue_id = resume.queue_id
        writer = asyncio.create_task(_write(ws, conn, the_hub))
        await _read(ws, caller, state.write_factory, state.session_factory, limiter(ws))
    except (WebSocketDisconnect, WebSocketDisconnected):
        pass  # the client went away (possibly while its answer was on the way)
    finally:
        the_hub.detach(conn)
        if writer is not None:
            writer.cancel()


def sender(ws: WebSocket) -> SendBatcher:
    """The app's group-commit sender (made on first use, inside the event loop)."""
    state = ws.app.state
    if not hasattr(state, "chat_sender"):
        state.chat_sender = SendBatcher(state.write_factory)
    return state.chat_sender  # type: ignore[no-any-return]


def _same_origin(ws: WebSocket) -> bool:
    origin = ws.headers.get("origin")
    if origin is None:
        return True  # not a browser: a cookie was not sent ambiently by a web page
    return urlsplit(origin).netloc == ws.headers.get("host")


def _int(raw: str | None) -> int | None:
    try:
        return int(raw) if raw is not None else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Caller:
    user_id: int
    can_write: bool  # a read-only token may listen, not send or move pointers


async def _authenticate(
    ws: WebSocket, factory: sessionmaker[Session], cookie: str | None
) -> Caller | None:
    def by_cookie() -> Caller | None:
        with factory() as s:
            user = account_services.user_for_session(s, cookie or "")
            return Caller(user.id, True) if user else None

    def by_token(token: str) -> Caller | None:
        with factory() as s:
            found = account_services.user_for_bearer(s, token)
            return Caller(found[0].id, "write" in found[1]) if found else None

    if cookie:
        caller = await run_in_threadpool(by_cookie)
        if caller is not None:
            return caller
    try:
        first = json.loads(await asyncio.wait_for(ws.receive_text(), AUTH_TIMEOUT))
    except (TimeoutError, ValueError, WebSocketDisconnect):
        return None
    if not isinstance(first, dict) or first.get("type") != "auth":
        return None
    token = first.get("token")
    if not isinstance(token, str) or len(token) > 200:
        return None
    return await run_in_threadpool(by_token, token)


async def _write(ws: WebSocket, conn: hub.Connection, the_hub: hub.Hub) -> None:
    """The only sender of events on this socket: in id order, no gaps, no repeats."""
    try:
        while True:
            event_id, text = await conn.inbox.get()
            if event_id is None:
                await ws.send_text(text)
                continue
            if event_id <= conn.last_sent:
                continue
            if event_id == conn.last_sent + 1:
                await ws.send_text(text)
                conn.last_sent = event_id
                continue
            missing = await the_hub.fetch(conn.user_id, conn.last_sent, event_id)
            if missing is None:
                await ws.send_text(hub.encode({"type": "queue_expired", "queue_id": conn.queue_id,
                                               "last_event_id": event_id}))  # fmt: skip
                conn.last_sent = event_id
                continue
            for missed_id, missed in missing:
                if missed_id > conn.last_sent:
                    await ws.send_text(missed)
                    conn.last_sent = missed_id
    except (WebSocketDisconnect, RuntimeError):
        return
    except asyncio.CancelledError:
        raise
    except Exception:
        log.exception("chat: writer failed")


async def _read(
    ws: WebSocket,
    caller: Caller,
    write_factory: sessionmaker[Session],
    factory: sessionmaker[Session],
    send_limiter: limits.SendLimiter,
) -> None:
    while True:
        raw = await ws.receive_text()
        if len(raw) > MAX_FRAME:
            await ws.send_text(hub.encode({"type": "error", "code": "frame_too_large"}))
            continue
        try:
            frame = json.loads(raw)
        except ValueError:
            await ws.send_text(hub.encode({"type": "error", "code": "bad_frame"}))
            continue
        if not isinstance(frame, dict):
            continue
        kind = frame.get("type")
        user_id = caller.user_id
        if kind in WRITE_FRAMES and not caller.can_write:
            await ws.send_text(hub.encode({"type": "error", "code": "insufficient_scope",
                                           "client_id": frame.get("client_id")}))  # fmt: skip
            continue
        if kind == "ping":
            await ws.send_text('{"type":"pong"}')
        elif kind == "send":
            answer = await _send(sender(ws), user_id, frame, send_limiter)
            await ws.send_text(hub.encode(answer))
        elif kind in ("read", "delivered"):
            await run_in_threadpool(_mark, write_factory, user_id, frame, kind)
        elif kind == "typing":
            await _typing(factory, user_id, frame)


async def _send(
    sender: SendBatcher, user_id: int, frame: dict[str, Any], send_limiter: limits.SendLimiter
) -> dict[str, Any]:
    client_id = frame.get("client_id")
    try:
        conversation_id, text = frame.get("conversation_id"), frame.get("text", "")
        if type(conversation_id) is not int or not isinstance(text, str):
            raise Problem("conversation_id (number) and text (string) are needed.", status=422,
                          code="invalid")  # fmt: skip
        if client_id is not None and (not isinstance(client_id, str) or len(client_id) > 64):
            raise Problem("client_id is a string of at most 64 characters.", status=422,
                          code="invalid")  # fmt: skip
        reply_to = frame.get("reply_to_id")
        if reply_to is not None and type(reply_to) is not int:
            raise Problem("reply_to_id is a number.", status=422, code="invalid")
        send_limiter.take(user_id)
        result = await sender.send(
            Outgoing(
                sender_id=user_id,
                conversation_id=conversation_id,
                text=text,
                client_id=client_id,
                reply_to_id=reply_to,
            )  # fmt: skip
        )
        if isinstance(result, Problem):
            raise result
        return {"type": "sent", "client_id": client_id, "message_id": result["id"]}
    except Problem as exc:
        return {"type": "error", "client_id": client_id, "problem": problem_body(exc)}


def _mark(factory: sessionmaker[Session], user_id: int, frame: dict[str, Any], kind: str) -> None:
    conversation_id, message_id = frame.get("conversation_id"), frame.get("message_id")
    if type(conversation_id) is not int or type(message_id) is not int:
        return
    try:
        with factory() as s:
            user = s.get(User, user_id)
            if user is not None:
                messages.mark(s, user, conversation_id,
                              read=message_id if kind == "read" else None,
                              delivered=message_id if kind == "delivered" else None)  # fmt: skip
    except Problem:
        return


async def _typing(factory: sessionmaker[Session], user_id: int, frame: dict[str, Any]) -> None:
    conversation_id = frame.get("conversation_id")
    if type(conversation_id) is not int:
        return

    def others() -> list[int] | None:
        with factory() as s:
            try:
                conversations.active_member(s, user_id, conversation_id)
            except Problem:
                return None
            return [u for u in conversations.active_user_ids(s, conversation_id) if u != user_id]

    recipients = await run_in_threadpool(others)
    if recipients is None:
        return
    realtime.ephemeral(
        recipients, {"type": "typing", "conversation_id": conversation_id, "user_id": user_id}
    )
