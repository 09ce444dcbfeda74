"""Sending messages, one or many in one transaction.

`send_many` stores a batch of messages from any senders into any chats with a fixed
number of queries and one commit (one fsync), then pushes each to its chat's members.
The WebSocket path gathers the frames that arrive while the previous batch is being
written (`SendBatcher`: group commit); the REST path sends a batch of one. Each item
gets its own answer: the message, or the problem that stopped it (others go on).
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from kosmos import bus, clock, db
from kosmos.accounts.tables import User
from kosmos.chat import hooks, hub, model, realtime
from kosmos.chat.model import ChatRuleError
from kosmos.chat.notifications import notify as _notify
from kosmos.chat.tables import Attachment, Conversation, Member, Message
from kosmos.errors import Forbidden, Invalid, NotFound, Problem

MESSAGES_SENT = "chat.messages_sent"
BATCH_MAX = 200


@dataclass(frozen=True)
class Outgoing:
    sender_id: int
    conversation_id: int
    text: str = ""
    reply_to_id: int | None = None
    client_id: str | None = None
    card: dict[str, Any] | None = None
    attachment_id: int | None = None

    @property
    def kind(self) -> str:
        if self.card is not None:
            return "card"
        return "image" if self.attachment_id is not None else "text"


Result = dict[str, Any] | Problem


def send_many(session: Session, items: list[Outgoing]) -> list[Result]:
    """Store every valid item, commit once, push after commit. A retry with a known
    `client_id` answers with the message stored the first time."""
    from kosmos.chat.messages import messages_out

    results: list[Result | None] = [None] * len(items)
    members = _members(session, items)
    earlier = _earlier(session, items)
    replies = _replies(session, items)
    senders = {u.id: u for u in session.scalars(select(User).where(User.id.in_(
        {i.sender_id for i in items})))}  # fmt: skip
    new: list[tuple[int, Message, Member]] = []
    seen_client_ids: dict[tuple[int, str], int] = {}
    now = clock.now()
    for index, item in enumerate(items):
        if item.client_id is not None:
            key = (item.sender_id, item.client_id)
            if key in earlier:
                results[index] = earlier[key]
                continue
            if key in seen_client_ids:  # the same retry twice in one batch
                results[index] = ("same", seen_client_ids[key])  # type: ignore[assignment]
                continue
            seen_client_ids[key] = index
        try:
            member = members.get((item.conversation_id, item.sender_id))
            message = _prepare(session, item, member, replies, now)
        except Problem as exc:
            results[index] = exc
            continue
        assert member is not None
        new.append((index, message, member))
    if new:
        session.add_all([m for _i, m, _member in new])
        try:
            session.flush()
        except IntegrityError:  # a client_id raced in from another process: one by one
            session.rollback()
            if len(items) == 1:
                raise
            return [send_many(session, [item])[0] for item in items]
        _after_insert(session, new, senders, now)
        outs = messages_out(session, [m for _i, m, _member in new], senders=senders, fresh=True)
        audience = _audiences(session, {m.conversation_id for _i, m, _member in new})
        for (index, message, _member), out in zip(new, outs, strict=True):
            results[index] = out
            realtime.publish_after_commit(
                session, audience[message.conversation_id], {"type": "message", "message": out}
            )
        if _someone_to_push(session, new, audience):
            bus.publish(session, MESSAGES_SENT, {"message_ids": [m.id for _i, m, _mb in new]})
        _tell_listeners(session, new)
        session.commit()
    earlier_outs = {id(v): v for v in results if isinstance(v, Message)}
    if earlier_outs:
        rendered = messages_out(session, list(earlier_outs.values()), senders=senders)
        by_id = {id(m): out for m, out in zip(earlier_outs.values(), rendered, strict=True)}
        results = [by_id[id(r)] if isinstance(r, Message) else r for r in results]
    return [_resolve(results, r) for r in results]


def _tell_listeners(session: Session, new: list[tuple[int, Message, Member]]) -> None:
    if not hooks.has_listeners():
        return
    sent = [
        hooks.SentMessage(m.id, m.conversation_id, m.sender_id or 0, m.body, m.created_at)
        for _i, m, _member in new
        if m.kind == "text" and m.body
    ]
    if sent:
        engine = session.get_bind()
        db.on_commit(session, lambda: hooks.deliver(engine, sent))  # type: ignore[arg-type]


def _resolve(results: list[Any], value: Any) -> Result:
    if isinstance(value, tuple) and value and value[0] == "same":
        return _resolve(results, results[value[1]])
    return value  # type: ignore[no-any-return]


def _members(session: Session, items: list[Outgoing]) -> dict[tuple[int, int], Member]:
    rows = session.scalars(
        select(Member).where(
            Member.conversation_id.in_({i.conversation_id for i in items}),
            Member.user_id.in_({i.sender_id for i in items}),
        )
    )
    return {(m.conversation_id, m.user_id): m for m in rows}


def _earlier(session: Session, items: list[Outgoing]) -> dict[tuple[int, str], Message]:
    wanted = {(i.sender_id, i.client_id) for i in items if i.client_id is not None}
    if not wanted:
        return {}
    rows = session.scalars(
        select(Message).where(
            Message.sender_id.in_({s for s, _c in wanted}),
            Message.client_id.in_({c for _s, c in wanted}),
        )
    )
    found = {(m.sender_id or 0, m.client_id or ""): m for m in rows}
    return {k: v for k, v in found.items() if k in wanted}


def _replies(session: Session, items: list[Outgoing]) -> dict[int, Message]:
    ids = {i.reply_to_id for i in items if i.reply_to_id is not None}
    if not ids:
        return {}
    return {m.id: m for m in session.scalars(select(Message).where(Message.id.in_(ids)))}


def _prepare(
    session: Session,
    item: Outgoing,
    member: Member | None,
    replies: dict[int, Message],
    now: Any,
) -> Message:
    if member is None:
        raise NotFound("No such conversation.")
    if not member.active:
        raise Forbidden("You are no longer a member of this conversation.", code="not_a_member")
    try:
        body = model.clean_text(item.text) if item.kind == "text" or item.text.strip() else ""
    except ChatRuleError as err:
        raise Invalid.from_rule(err) from err
    if item.attachment_id is not None:
        attachment = session.get(Attachment, item.attachment_id)
        if (
            attachment is None
            or attachment.uploader_id != item.sender_id
            or attachment.conversation_id != item.conversation_id
        ):
            raise NotFound("No such upload.", field="attachment_id")
    if item.reply_to_id is not None:
        original = replies.get(item.reply_to_id)
        if (
            original is None
            or original.conversation_id != item.conversation_id
            or not model.can_see(original.id, member.history_from_id, member.visible_until_id)
        ):
            raise NotFound("The message you reply to does not exist.", field="reply_to_id")
    return Message(
        conversation_id=item.conversation_id, sender_id=item.sender_id, kind=item.kind,
        body=body, card=item.card, attachment_id=item.attachment_id,
        reply_to_id=item.reply_to_id, mentions=_mentions(session, item, body),
        client_id=item.client_id, created_at=now,
    )  # fmt: skip


def _mentions(session: Session, item: Outgoing, body: str) -> list[int]:
    names = model.mentioned_usernames(body)
    if not names:
        return []
    from sqlalchemy import func

    rows = session.execute(
        select(User.id, func.lower(User.username))
        .join(Member, Member.user_id == User.id)
        .where(
            Member.conversation_id == item.conversation_id,
            Member.active.is_(True),
            func.lower(User.username).in_(names),
        )
    ).all()
    by_name = {name: user_id for user_id, name in rows}
    return [by_name[n] for n in names if n in by_name and by_name[n] != item.sender_id]


def _after_insert(
    session: Session,
    new: list[tuple[int, Message, Member]],
    senders: dict[int, User],
    now: Any,
) -> None:
    """The chats' last activity, the senders' own pointers (one's own is read), and the
    mention notifications."""
    newest: dict[int, int] = {}
    for _i, message, member in new:
        newest[message.conversation_id] = max(newest.get(message.conversation_id, 0), message.id)
        member.last_read_id = max(member.last_read_id, message.id)
        member.last_delivered_id = max(member.last_delivered_id, message.id)
        for user_id in message.mentions or []:
            _notify(session, user_id, "mention", message.conversation_id,
                    actor_id=message.sender_id, message_id=message.id,
                    text=model.preview(message.body, 160))  # fmt: skip
    table = Conversation.__table__
    for conversation_id, message_id in newest.items():
        session.execute(
            update(table)
            .where(table.c.id == conversation_id)
            .values(last_message_id=message_id, last_activity_at=now)
        )


def _someone_to_push(
    session: Session, new: list[tuple[int, Message, Member]], audience: dict[int, list[int]]
) -> bool:
    """Whether a recipient is offline and has a browser to push to: only then does the
    relay get work (`notify.push_to_offline_members` decides mute and presence again)."""
    recipients = {u for _i, m, _mb in new for u in audience[m.conversation_id] if u != m.sender_id}
    offline = hub.current().offline(recipients)
    if not offline:
        return False
    from kosmos.push.tables import PushSubscription

    found = session.scalar(
        select(PushSubscription.id).where(PushSubscription.user_id.in_(offline)).limit(1)
    )
    return found is not None


def _audiences(session: Session, conversation_ids: set[int]) -> dict[int, list[int]]:
    audience: dict[int, list[int]] = defaultdict(list)
    rows = session.execute(
        select(Member.conversation_id, Member.user_id).where(
            Member.conversation_id.in_(conversation_ids), Member.active.is_(True)
        )
    )
    for conversation_id, user_id in rows:
        audience[conversation_id].append(user_id)
    return audience


# --- group commit for the WebSocket -------------------------------------------------------------


class SendBatcher:
    """Collects `send` frames from every socket of this process; while one batch is
    being written, the next gathers. One transaction and one fsync per batch."""

    def __init__(self, factory: sessionmaker[Session]) -> None:
        self._factory = factory
        self._queue: asyncio.Queue[tuple[Outgoing, asyncio.Future[Result]]] | None = None
        self._task: asyncio.Task[None] | None = None

    async def send(self, item: Outgoing) -> Result:
        if self._queue is None:
            self._queue = asyncio.Queue()
            self._task = asyncio.create_task(self._run())
        future: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        await self._queue.put((item, future))
        return await future

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()

    async def _run(self) -> None:
        assert self._queue is not None
        while True:
            batch = [await self._queue.get()]
            while len(batch) < BATCH_MAX and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            try:
                results = await run_in_threadpool(self._write, [item for item, _f in batch])
            except Exception as exc:  # never leave a sender waiting
                results = [exc for _ in batch]  # type: ignore[misc]
            for (_item, future), result in zip(batch, results, strict=True):
                if future.done():
                    continue
                if isinstance(result, Exception) and not isinstance(result, Problem):
                    future.set_exception(result)
                else:
                    future.set_result(result)

    def _write(self, items: list[Outgoing]) -> list[Result]:
        with self._factory() as session:
            return send_many(session, items)
