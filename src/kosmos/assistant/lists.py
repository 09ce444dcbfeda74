"""Shared lists of a chat: the shopping list and the to-do list of its current event (or of
the chat itself when no event is coming). Items are matched to catalog products with a
suggested merchant and an estimated price; an item with no match stays free text. Every
change rewrites the list's card in the chat, so every member sees it live."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.accounts.households import get_household
from kosmos.accounts.tables import HouseholdMember, User
from kosmos.assistant import cards, model
from kosmos.assistant.items import parse_items
from kosmos.assistant.tables import Event, ItemList, ListItem
from kosmos.catalog.search import search_products
from kosmos.catalog.tables import Merchant
from kosmos.chat import messages, realtime
from kosmos.chat.conversations import active_member, membership
from kosmos.chat.tables import Member
from kosmos.errors import Invalid, NotFound

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


def _household_names(session: Session, household_id: int) -> dict[int, str]:
    rows = session.execute(
        select(User.id, User.display_name)
        .join(HouseholdMember, HouseholdMember.user_id == User.id)
        .where(HouseholdMember.household_id == household_id)
    ).all()
    return {user_id: name for user_id, name in rows}


def names_for(session: Session, item_list: ItemList) -> dict[int, str]:
    """Everyone who shares the list (the chat's members or the household's), by id."""
    if item_list.conversation_id is not None:
        return display_names(session, item_list.conversation_id)
    return _household_names(session, item_list.household_id or 0)


def check_access(session: Session, user: User, item_list: ItemList, *, write: bool) -> None:
    """Members of the list's chat (active ones to change it) or of its household; anyone
    else gets 404."""
    try:
        if item_list.conversation_id is not None:
            (active_member if write else membership)(session, user.id, item_list.conversation_id)
        else:
            get_household(session, user, item_list.household_id or 0)
    except NotFound:
        raise NotFound("No such list.") from None


def visible_list(session: Session, user: User, list_id: int, *, write: bool = False) -> ItemList:
    item_list = session.get(ItemList, list_id)
    if item_list is None:
        raise NotFound("No such list.")
    check_access(session, user, item_list, write=write)
    return item_list


def household_list(session: Session, user: User, household_id: int, kind: str) -> ItemList:
    """The household's shopping or to-do list (made on first use)."""
    household = get_household(session, user, household_id)
    if kind not in ("shopping", "todo"):
        raise NotFound("No such list.")
    found = session.scalar(
        select(ItemList).where(ItemList.household_id == household.id, ItemList.kind == kind)
    )
    if found is None:
        locale = "en" if user.locale == "en" else "de"
        found = ItemList(
            household_id=household.id, kind=kind, locale=locale, created_at=clock.now(),
            title=f"{cards.t(locale, kind)} · {household.name}",
        )  # fmt: skip
        session.add(found)
        try:
            session.flush()
        except IntegrityError:  # made by another member at the same moment
            session.rollback()
            return household_list(session, user, household_id, kind)
    return found


def add_items(session: Session, user: User, item_list: ItemList, text: str) -> list[ListItem]:
    """ "2 kg Äpfel, Milch und 6 Eier" -> three items, matched to the catalog. The caller
    commits."""
    check_access(session, user, item_list, write=True)
    parsed = parse_items(text[:500])
    if not parsed:
        raise Invalid("Name at least one thing for the list.", field="text")
    if item_list.kind == "todo":
        return [new_item(session, item_list, user.id, text.strip()[:160], None, None,
                         match=False)]  # fmt: skip
    return [
        new_item(session, item_list, user.id, p["name"], cards.quantity_value(p["quantity"]),
                 p["unit"])
        for p in parsed
    ]  # fmt: skip


def refresh_card(session: Session, item_list: ItemList, locale: str) -> None:
    """Rewrite the list's card (post it the first time); a household list tells its members'
    open pages instead. The caller commits."""
    session.flush()
    if item_list.conversation_id is None:
        realtime.publish_after_commit(
            session, list(names_for(session, item_list)),
            {"type": "list_updated", "list_id": item_list.id},
        )  # fmt: skip
        return
    card = cards.list_card(
        item_list, items_of(session, item_list.id), names_for(session, item_list), locale
    )
    if item_list.card_message_id is None:
        out = messages.post_as_kosmos(session, item_list.conversation_id, card=card, commit=False)
        item_list.card_message_id = out["id"]
    else:
        messages.update_card(session, item_list.card_message_id, card)


def toggle(session: Session, user: User, list_id: int, item_id: int) -> ListItem:
    """Check an item off (or on again). Any active member of the list's chat may."""
    item_list = visible_list(session, user, list_id, write=True)
    item = session.get(ListItem, item_id)
    if item is None or item.list_id != item_list.id:
        raise NotFound("No such list item.")
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
    names = names_for(session, item_list)
    return {
        "id": item_list.id, "kind": item_list.kind, "title": item_list.title,
        "event_id": item_list.event_id, "household_id": item_list.household_id,
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
