"""Shared lists of a chat: the shopping list and the to-do list of its current event (or of
the chat itself when no event is coming). Items are matched to catalog products with a
suggested merchant and an estimated price; an item with no match stays free text. Every
change rewrites the list's card in the chat, so every member sees it live."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.accounts.tables import User
from kosmos.assistant import cards, model
from kosmos.assistant.tables import Event, ItemList, ListItem
from kosmos.catalog.search import search_products
from kosmos.catalog.tables import Merchant
from kosmos.chat import messages
from kosmos.chat.conversations import active_member
from kosmos.chat.tables import Member

MERCHANT_WORDS = {
    "metzger": "butcher", "metzgerei": "butcher", "fleischer": "butcher",
    "fleischerei": "butcher", "butcher": "butcher", "butcher's": "butcher",
    "supermarkt": "supermarket", "supermarket": "supermarket", "markt": "supermarket",
    "bäcker": "bakery", "bäckerei": "bakery", "baker": "bakery", "bakery": "bakery",
    "drogerie": "drugstore", "drugstore": "drugstore",
}  # fmt: skip


def current_event(session: Session, conversation_id: int) -> Event | None:
    """The chat's next event still to come (or the latest one when none is ahead)."""
    now = clock.now()
    events = list(
        session.scalars(
            select(Event)
            .where(Event.conversation_id == conversation_id, Event.status == "active")
            .order_by(Event.starts_at)
        )
    )
    ahead = [e for e in events if e.starts_at >= now]
    if ahead:
        return ahead[0]
    return events[-1] if events else None


def list_for(session: Session, conversation_id: int, kind: str, locale: str) -> ItemList:
    event = current_event(session, conversation_id)
    event_id = event.id if event else None
    found = session.scalar(
        select(ItemList).where(
            ItemList.conversation_id == conversation_id,
            ItemList.kind == kind,
            ItemList.event_id.is_(None) if event_id is None else ItemList.event_id == event_id,
        )
    )
    if found is not None:
        return found
    title = cards.t(locale, kind)
    if event is not None:
        title = f"{title} · {event.title}"
    found = ItemList(
        conversation_id=conversation_id, event_id=event_id, kind=kind, title=title,
        created_at=clock.now(),
    )  # fmt: skip
    session.add(found)
    session.flush()
    return found


def candidates(session: Session, query: str) -> list[model.Candidate]:
    page = search_products(session, query, limit=20)
    kinds = dict(
        session.execute(
            select(Merchant.id, Merchant.kind).where(
                Merchant.id.in_({p.merchant.id for p in page.items})
            )
        ).all()
    )
    return [
        model.Candidate(
            p.id, p.name, p.category, p.merchant.id, p.merchant.name, kinds.get(p.merchant.id, ""),
            p.unit, p.price_cents, p.weight_g, p.volume_ml,
        )
        for p in page.items
    ]  # fmt: skip


def match_item(session: Session, name: str) -> model.Candidate | None:
    words = model.stems(name)
    found = model.best_match(name, candidates(session, name))
    if found is None and words:
        # "Nackensteaks" is indexed as "Nackensteak": try the stems too
        found = model.best_match(name, candidates(session, " ".join(words)))
    return found


def new_item(
    session: Session, item_list: ItemList, user_id: int, name: str,
    quantity: Decimal | None, unit: str | None, *, match: bool = True,
) -> ListItem:  # fmt: skip
    item = ListItem(
        list_id=item_list.id, title=name[:160], quantity=quantity, unit=unit,
        created_by=user_id, created_at=clock.now(),
    )  # fmt: skip
    if match and item_list.kind == "shopping":
        product = match_item(session, name)
        if product is not None:
            item.product_id, item.product_name = product.product_id, product.name
            item.category = product.category
            item.merchant_id, item.merchant_name = product.merchant_id, product.merchant_name
            item.estimate_cents = model.estimate_cents(quantity, unit, product)
    session.add(item)
    return item


def resolve_merchant(session: Session, said: str | None) -> str | None:
    """ "Metzger" -> "Metzgerei Huber" (the merchant of that kind), else as said."""
    if not said:
        return None
    kind = MERCHANT_WORDS.get(said.lower().strip())
    if kind is not None:
        name = session.scalar(
            select(Merchant.name).where(Merchant.kind == kind).order_by(Merchant.id).limit(1)
        )
        if name:
            return name
    return said


def items_of(session: Session, list_id: int) -> list[ListItem]:
    return list(
        session.scalars(select(ListItem).where(ListItem.list_id == list_id).order_by(ListItem.id))
    )


def display_names(session: Session, conversation_id: int) -> dict[int, str]:
    rows = session.execute(
        select(User.id, User.display_name)
        .join(Member, Member.user_id == User.id)
        .where(Member.conversation_id == conversation_id)
    ).all()
    return {user_id: name for user_id, name in rows}


def refresh_card(session: Session, item_list: ItemList, locale: str) -> None:
    """Rewrite the list's card (post it the first time). The caller commits."""
    session.flush()
    card = cards.list_card(
        item_list, items_of(session, item_list.id),
        display_names(session, item_list.conversation_id), locale,
    )  # fmt: skip
    if item_list.card_message_id is None:
        out = messages.post_as_kosmos(session, item_list.conversation_id, card=card, commit=False)
        item_list.card_message_id = out["id"]
    else:
        messages.update_card(session, item_list.card_message_id, card)


def toggle(session: Session, user: User, list_id: int, item_id: int) -> ListItem:
    """Check an item off (or on again). Any active member of the list's chat may."""
    item_list = session.get(ItemList, list_id)
    item = session.get(ListItem, item_id)
    if item_list is None or item is None or item.list_id != item_list.id:
        from kosmos.errors import NotFound

        raise NotFound("No such list item.")
    active_member(session, user.id, item_list.conversation_id)
    if item.done_at is None:
        item.done_at, item.done_by = clock.now(), user.id
    else:
        item.done_at, item.done_by = None, None
    return item


def claim(
    session: Session, item_list: ItemList, user_id: int, what: list[str] | str,
    mode: str | None, merchant: str | None,
) -> list[ListItem]:  # fmt: skip
    """Give the items `what` names to `user_id` (adding the ones not on the list yet)."""
    open_items = [i for i in items_of(session, item_list.id) if i.done_at is None]
    if what == "all":
        chosen = open_items
    else:
        rows = [(i.id, i.title, i.category) for i in open_items]
        ids: list[int] = []
        for word in what:
            found = model.items_for_claim(word, rows)
            if not found:
                new = new_item(session, item_list, user_id, word, None, None)
                session.flush()
                found = [new.id]
                open_items.append(new)
            ids.extend(i for i in found if i not in ids)
        chosen = [i for i in open_items if i.id in ids]
    where = resolve_merchant(session, merchant)
    for item in chosen:
        item.assignee_id = user_id
        item.fulfilment = mode or ("store" if where else None)
        item.fulfilment_at = where or (item.merchant_name if mode == "store" else None)
    return chosen


def list_out(session: Session, item_list: ItemList) -> dict[str, Any]:
    names = display_names(session, item_list.conversation_id)
    return {
        "id": item_list.id, "kind": item_list.kind, "title": item_list.title,
        "event_id": item_list.event_id,
        "items": [
            {"id": i.id, "title": i.title,
             "quantity": float(i.quantity) if i.quantity is not None else None,
             "unit": i.unit, "product_id": i.product_id, "product_name": i.product_name,
             "merchant_name": i.merchant_name, "estimate_cents": i.estimate_cents,
             "assignee": names.get(i.assignee_id) if i.assignee_id else None,
             "fulfilment": i.fulfilment, "fulfilment_at": i.fulfilment_at,
             "done": i.done_at is not None, "due_at": _iso(i.due_at)}
            for i in items_of(session, item_list.id)
        ],
    }  # fmt: skip


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
