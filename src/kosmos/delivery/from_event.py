"""From an event: "deliver these list items to a locker near the event's place before the
start". The plan takes the open items of the event's shopping list that the delivery
store sells (the person's own claims and the unclaimed ones), the latest slot that ends
at least an hour before the start, and the nearest fitting station to the place. The
person can change items, slot and station before ordering; the locker card then goes into
the event's chat."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.accounts.tables import User
from kosmos.assistant.tables import Event, ItemList, ListItem
from kosmos.catalog.search import Filters, search_products
from kosmos.catalog.tables import Product, Store
from kosmos.chat.conversations import active_member
from kosmos.delivery import checkout, demo, geo, model, slots, stations
from kosmos.delivery.tables import Slot, Station
from kosmos.errors import NotFound

MARGIN = timedelta(hours=1)


@dataclass
class PlannedLine:
    product_id: int
    name: str
    quantity: int
    unit_price: int
    item_title: str


@dataclass
class EventPlan:
    event: Event
    store: Store
    place: model.Location | None
    lines: list[PlannedLine] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # items the store does not sell
    slots: list[Slot] = field(default_factory=list)
    slot: Slot | None = None
    stations: list[tuple[Station, float]] = field(default_factory=list)
    station: Station | None = None
    problem: str | None = None


def visible_event(session: Session, user: User, event_id: int) -> Event:
    event = session.get(Event, event_id)
    if event is None:
        raise NotFound("No such event.")
    try:
        active_member(session, user.id, event.conversation_id)
    except NotFound:
        raise NotFound("No such event.") from None
    return event


def _product_for(session: Session, item: ListItem, merchant_id: int) -> Product | None:
    if item.product_id is not None:
        product = session.get(Product, item.product_id)
        if product is not None and product.merchant_id == merchant_id and product.unit == "piece":
            return product
    found = search_products(session, item.product_name or item.title,
                            Filters(merchant_id=merchant_id), limit=5)  # fmt: skip
    for summary in found.items:
        product = session.get(Product, summary.id)
        if product is not None and product.unit == "piece":
            return product
    return None


def _quantity(item: ListItem) -> int:
    if item.quantity is not None and item.unit in (None, "", "piece", "x"):
        return max(1, min(model.MAX_QUANTITY, int(Decimal(item.quantity))))
    return 1


def plan(session: Session, user: User, event_id: int) -> EventPlan:
    event = visible_event(session, user, event_id)
    stores = demo.delivery_stores(session)
    if not stores:
        raise NotFound("No store delivers here.")
    place = geo.geocoder().place(event.place or "")
    store = min(stores, key=lambda s: model.km_between(model.Location(s.lat, s.lon), place)) \
        if place else stores[0]  # fmt: skip
    result = EventPlan(event, store, place)
    items = session.scalars(
        select(ListItem)
        .join(ItemList, ItemList.id == ListItem.list_id)
        .where(ItemList.event_id == event.id, ItemList.kind == "shopping",
               ListItem.done_at.is_(None))
        .where((ListItem.assignee_id == user.id) | ListItem.assignee_id.is_(None))
        .order_by(ListItem.id)
    )  # fmt: skip
    for item in items:
        product = _product_for(session, item, store.merchant_id)
        if product is None:
            result.skipped.append(item.title)
            continue
        result.lines.append(PlannedLine(product.id, product.name, _quantity(item),
                                        product.price_cents, item.title))  # fmt: skip
    result.slots = [s for s in slots.orderable(session, store.id, until=event.starts_at)
                    if s.ends_at + MARGIN <= event.starts_at]  # fmt: skip
    best = model.slot_before([slots.state(s) for s in result.slots], event.starts_at,
                             clock.now(), margin=MARGIN)  # fmt: skip
    result.slot = next((s for s in result.slots if best and s.starts_at == best.starts_at), None)
    if place is None:
        result.problem = "We do not know where the event's place is. Choose a station."
    if result.slot is None:
        result.problem = "No delivery slot ends an hour before the start any more."
    result.stations = sorted(
        ((s, model.km_between(place, stations.location(s))) if place else (s, 0.0)
         for s in session.scalars(select(Station).order_by(Station.id))),
        key=lambda pair: pair[1],
    )  # fmt: skip
    if result.lines and place is not None:
        try:
            items_ = checkout.priced_lines(
                session, store, [checkout.OrderLine(ln.product_id, ln.quantity)
                                 for ln in result.lines],
            )[1]  # fmt: skip
            choice = stations.choose(session, place, model.parcels(items_))
            result.station = session.get(Station, choice.station_id)
        except model.DeliveryRuleError as err:
            result.problem = str(err)
    return result
