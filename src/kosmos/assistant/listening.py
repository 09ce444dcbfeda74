"""Kosmo listens to group chats: each new text message is read with `understand`; what it
finds becomes a proposal card in the chat (an RSVP is recorded straight away, as the sender
said it of themselves). Chit-chat gets no reply. Runs after the message's commit, in a
session of its own; a failure here never touches the message."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from kosmos.accounts.tables import User
from kosmos.assistant import cards, events, lists, registry
from kosmos.assistant.llm import understand_message
from kosmos.assistant.tables import Proposal
from kosmos.assistant.understanding import Understanding
from kosmos.chat import hooks, messages
from kosmos.chat.tables import Conversation, Member
from kosmos.db import make_session_factory

PROPOSAL_KINDS = {"create_event": "event", "add_items": "items", "claim": "claim",
                  "add_task": "task"}  # fmt: skip


@hooks.on_messages
def heard(engine: Engine, sent: list[hooks.SentMessage]) -> None:
    """Reads the batch in a reading session; only messages that ask for something get a
    writing one (on SQLite a reading transaction that writes late fails with "database is
    locked" when another writer committed meanwhile, and chat writers commit all the time)."""
    with make_session_factory(engine)() as reading:  # (a sender's bind writes on SQLite)
        groups = _usernames_by_chat(reading, {m.conversation_id for m in sent})
    asks = []
    for message in sent:
        members = groups.get(message.conversation_id)
        if members:  # Kosmo listens in group chats only
            result = understand_message(
                message.text, now=message.created_at, members=tuple(members.values())
            )
            if result.intents:
                asks.append((message, members, result))
    if not asks:
        return
    with make_session_factory(engine, write=True)() as session:
        for message, members, result in asks:
            handle(session, message, members, result)


def handle(
    session: Session,
    message: hooks.SentMessage,
    members: dict[int, str] | None = None,
    result: Understanding | None = None,
) -> list[dict[str, Any]]:
    """Read one message and post what Kosmo proposes; returns the cards posted. `members`:
    the chat's active members by id (looked up when not given; empty for a direct chat);
    `result`: the message already understood."""
    if members is None:
        members = _usernames(session, message.conversation_id)
    if not members:  # not a group chat: Kosmo listens in groups only
        return []
    if result is None:
        result = understand_message(
            message.text, now=message.created_at, members=tuple(members.values())
        )
    if not result.intents:
        return []
    author = session.get(User, message.sender_id)
    if author is None:
        return []
    posted = []
    for intent in result.intents:
        kind = intent["type"]
        if kind == "rsvp":
            event = lists.current_event(session, message.conversation_id)
            if event is not None:
                events.answer(session, author, event, intent["answer"])
                events.refresh_card(session, event, event.locale)
            continue
        skill = registry.skills.get(kind)
        if kind not in PROPOSAL_KINDS and skill is None:
            continue  # no skill for it (yet)
        proposal = Proposal(
            conversation_id=message.conversation_id, source_message_id=message.id,
            author_id=author.id, kind=PROPOSAL_KINDS.get(kind, kind), payload=dict(intent),
            locale=result.locale,
        )  # fmt: skip
        session.add(proposal)
        session.flush()
        if skill is not None:
            card = skill.card(session, proposal, author, result.locale)
        else:
            card = _card(session, proposal, intent, result, members, author)
        out = messages.post_as_kosmos(
            session, message.conversation_id, card=card, reply_to_id=message.id, commit=False
        )
        proposal.card_message_id = out["id"]
        posted.append(card)
    session.commit()
    return posted


def _usernames(session: Session, conversation_id: int) -> dict[int, str]:
    """The active members of a group chat (none for a direct chat), in one query."""
    return _usernames_by_chat(session, {conversation_id}).get(conversation_id, {})


def _usernames_by_chat(session: Session, chat_ids: set[int]) -> dict[int, dict[int, str]]:
    """The active members of each group chat among `chat_ids`, in one query (direct
    chats are left out)."""
    rows = session.execute(
        select(Member.conversation_id, User.id, User.username)
        .join(Member, Member.user_id == User.id)
        .join(Conversation, Conversation.id == Member.conversation_id)
        .where(
            Member.conversation_id.in_(chat_ids),
            Member.active.is_(True),
            Conversation.kind == "group",
        )
    ).all()
    found: dict[int, dict[int, str]] = {}
    for chat_id, user_id, name in rows:
        found.setdefault(chat_id, {})[user_id] = name
    return found


def _display(session: Session, name: str | None, author: User, locale: str) -> str:
    if name is None:
        return cards.t(locale, "nobody")
    if name == "me":
        return author.display_name
    user = session.scalar(select(User).where(User.username == name))
    return user.display_name if user else name


def _card(session: Session, proposal: Proposal, intent: dict[str, Any], result: Any,
          members: dict[int, str], author: User) -> dict[str, Any]:  # fmt: skip
    locale = result.locale
    if proposal.kind == "event":
        if result.ask is not None:
            return cards.ask_card(proposal.id, intent, result.ask.question,
                                  list(result.ask.options), locale)  # fmt: skip
        return cards.event_proposal(proposal.id, intent, locale)
    if proposal.kind == "items":
        lines = []
        for item in intent["items"]:
            quantity = cards.quantity_value(item["quantity"])
            label = f"{cards.format_quantity(quantity, item['unit'])} {item['name']}".strip()
            product = lists.match_item(session, item["name"])
            if product is None:
                lines.append((label, cards.t(locale, "free_text")))
                continue
            detail = f"{product.name} · {product.merchant_name}"
            estimate = lists.model.estimate_cents(quantity, item["unit"], product)
            if estimate is not None:
                detail += f" · ~{cards.money_text(estimate, locale)}"
            lines.append((label, detail))
        return cards.items_proposal(proposal.id, lines, locale)
    if proposal.kind == "claim":
        what = intent["what"]
        what_text = ("alles" if locale == "de" else "everything") if what == "all" else ", ".join(
            what)  # fmt: skip
        how = ""
        if intent.get("mode"):
            how = cards.t(locale, intent["mode"])
        merchant = lists.resolve_merchant(session, intent.get("merchant"))
        if merchant:
            how = f"{how} {cards.t(locale, 'at')} {merchant}".strip()
        who = _display(session, intent["who"], author, locale)
        return cards.claim_proposal(proposal.id, who, what_text, how, locale)
    tasks = [
        (task["title"], _display(session, task.get("assignee"), author, locale) + _due(task))
        for task in intent["tasks"]
    ]
    return cards.task_proposal(proposal.id, tasks, locale)


def _due(task: dict[str, Any]) -> str:
    if not task.get("due"):
        return ""
    return f" · {cards.when_text(datetime.fromisoformat(task['due']), None, 'de')}"
