"""Kosmo's proposals and the buttons of every card it posts.

A message Kosmo understood becomes a proposal card (event, items, claim, to-do) with
Confirm / Dismiss; nothing happens before Confirm. A claim is confirmed only by the one who
said it. Event cards take RSVPs, list cards take check-offs; each press rewrites the card,
and the chat pushes it to every member."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.accounts.tables import User
from kosmos.assistant import cards, events, lists, model, registry
from kosmos.assistant.cards import quantity_value
from kosmos.assistant.tables import Event, ItemList, Proposal
from kosmos.chat import hooks
from kosmos.chat.tables import Member, Message
from kosmos.errors import Forbidden, Invalid, NotFound


def user_id_by_name(session: Session, conversation_id: int, name: str) -> int | None:
    return session.scalar(
        select(User.id)
        .join(Member, Member.user_id == User.id)
        .where(
            Member.conversation_id == conversation_id,
            Member.active.is_(True),
            User.username == name.lower(),
        )
    )


@hooks.card_handler(cards.HANDLER)
def press(session: Session, user: User, message: Message, action: str, value: str) -> None:
    ref: dict[str, int] = (message.card or {}).get("ref", {})
    if "proposal" in ref:
        _proposal_button(session, user, message, ref["proposal"], action, value)
    elif "event" in ref and action == "rsvp":
        event = session.get(Event, ref["event"])
        if event is None:
            raise NotFound("No such event.")
        events.answer(session, user, event, value)
        events.refresh_card(session, event, event.locale)
    elif "skill" in ref and ref["skill"] in registry.buttons:
        registry.buttons[ref["skill"]](session, user, message, action, value)
    elif "list" in ref and action == "toggle":
        item_list = session.get(ItemList, ref["list"])
        if item_list is None or not value.isdigit():
            raise NotFound("No such list item.")
        lists.toggle(session, user, item_list.id, int(value))
        lists.refresh_card(session, item_list, item_list.locale)
    else:
        raise Invalid("This card has no such button.", field="action")
    session.flush()  # `message` is the card updated above (one identity per session)


def _proposal_button(session: Session, user: User, message: Message, proposal_id: int,
                     action: str, value: str) -> None:  # fmt: skip
    proposal = session.get(Proposal, proposal_id)
    if proposal is None or proposal.card_message_id != message.id:
        raise NotFound("No such proposal.")
    if proposal.status != "open":
        raise Invalid("This was already decided.", field="action", code="already_decided")
    skill = registry.skills.get(proposal.kind)
    author_only = proposal.kind == "claim" or (skill is not None and skill.author_only)
    if author_only and user.id != proposal.author_id:
        author = session.get(User, proposal.author_id)
        raise Forbidden(
            cards.t(proposal.locale, "only_author", who=author.display_name if author else "?"),
            code="not_your_claim",
        )
    if action == "dismiss":
        proposal.status = "dismissed"
        note = cards.t(proposal.locale, "dismissed", who=user.display_name)
    elif action == "choose" and proposal.kind == "event":
        proposal.payload = {**proposal.payload, "start": value}
        confirm(session, user, proposal)
        return
    elif action == "confirm":
        confirm(session, user, proposal)
        return
    else:
        raise Invalid("This card has no such button.", field="action")
    proposal.resolved_by, proposal.resolved_at = user.id, clock.now()
    messages_update(session, proposal, cards.resolved(message.card or {}, note))


def messages_update(session: Session, proposal: Proposal, card: dict[str, Any]) -> None:
    from kosmos.chat import messages

    if proposal.card_message_id is not None:
        messages.update_card(session, proposal.card_message_id, card)


def confirm(session: Session, user: User, proposal: Proposal) -> None:
    """Carry the proposal out. The caller (the chat's button press) commits."""
    payload, locale, chat = proposal.payload, proposal.locale, proposal.conversation_id
    proposal.status, proposal.resolved_by, proposal.resolved_at = "done", user.id, clock.now()
    if proposal.kind == "event":
        event = events.create(
            session, user, chat, title=payload["title"],
            start=datetime.fromisoformat(payload["start"]),
            end=datetime.fromisoformat(payload["end"]) if payload.get("end") else None,
            place=payload.get("place"),
        )  # fmt: skip
        event.locale = locale
        event.card_message_id = proposal.card_message_id  # the card becomes the event's
        events.refresh_card(session, event, locale)
        for kind in ("shopping", "todo"):
            item_list = lists.list_for(session, chat, kind, locale)
            item_list.locale = locale
        return
    author = proposal.author_id
    skill = registry.skills.get(proposal.kind)
    if skill is not None:
        note = skill.confirm(session, user, proposal)
    elif proposal.kind == "items":
        item_list = lists.list_for(session, chat, "shopping", locale)
        for item in payload["items"]:
            lists.new_item(session, item_list, author, item["name"],
                           quantity_value(item["quantity"]), item["unit"])  # fmt: skip
        lists.refresh_card(session, item_list, locale)
        note = cards.t(locale, "added")
    elif proposal.kind == "claim":
        who = _who(session, chat, payload["who"], author)
        item_list = lists.list_for(session, chat, "shopping", locale)
        lists.claim(session, item_list, who, payload["what"], payload.get("mode"),
                    payload.get("merchant"))  # fmt: skip
        lists.refresh_card(session, item_list, locale)
        note = cards.t(locale, "confirmed", who=user.display_name)
    elif proposal.kind == "task":
        item_list = lists.list_for(session, chat, "todo", locale)
        for task in payload["tasks"]:
            item = lists.new_item(session, item_list, author, task["title"], None, None,
                                  match=False)  # fmt: skip
            assignee = task.get("assignee")
            item.assignee_id = _who(session, chat, assignee, author) if assignee else None
            item.due_at = datetime.fromisoformat(task["due"]) if task.get("due") else None
            goods = model.delivered_goods(task["title"])
            if goods:  # "Getränke liefern lassen": the shopping list records the wish
                shopping = lists.list_for(session, chat, "shopping", locale)
                who = item.assignee_id or author
                lists.claim(session, shopping, who, [goods], "delivery", None)
                lists.refresh_card(session, shopping, locale)
        lists.refresh_card(session, item_list, locale)
        note = cards.t(locale, "added")
    else:  # pragma: no cover - proposals are made by listening.py only
        raise Invalid("Unknown proposal.", field="action")
    proposal_message = session.get(Message, proposal.card_message_id)
    if proposal_message is not None and proposal_message.card:
        messages_update(session, proposal, cards.resolved(proposal_message.card, note))


def _who(session: Session, chat: int, name: str, author: int) -> int:
    if name == "me":
        return author
    return user_id_by_name(session, chat, name) or author
