"""Placing a delivery order: lines priced by the server from the catalog, a slot booked,
the nearest fitting parcel station chosen and its compartments reserved, the money held.
All of it commits together or not at all (the hold's commit is the order's commit)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.accounts.tables import User
from kosmos.catalog.services import effective_price
from kosmos.catalog.tables import Product, Store, StoreProduct
from kosmos.chat.conversations import active_member
from kosmos.delivery import drones, geo, model, slots, stations, timeline
from kosmos.delivery.tables import Order, Parcel, Slot
from kosmos.errors import Conflict, Invalid, NotFound, Problem
from kosmos.wallet import holds
from kosmos.wallet.idempotency import Claim
from kosmos.wallet.payments import new_reference


@dataclass(frozen=True)
class OrderLine:
    product_id: int
    quantity: int


@dataclass(frozen=True)
class Destination:
    """Where the order goes: an address (home, drone, or near which to find a station),
    a named place (an event's "Stadtpark"), or a station the customer picked."""

    address: str = ""
    place: str = ""
    station_id: int | None = None


def _problem(err: model.DeliveryRuleError, field: str | None = None) -> Invalid:
    return Invalid(str(err), code=err.code, field=field or err.field)


def priced_lines(
    session: Session, store: Store, wanted: Sequence[OrderLine]
) -> tuple[list[dict[str, Any]], list[model.Item]]:
    """Receipt lines and the rules' items, priced from the catalog (never the client)."""
    if not wanted:
        raise Invalid("Choose at least one product.", code="empty_order", field="lines")
    if len(wanted) > model.MAX_LINES:
        raise Invalid("An order has at most 40 lines.", field="lines")
    lines: list[dict[str, Any]] = []
    items: list[model.Item] = []
    for want in wanted:
        try:
            model.check_quantity(want.quantity)
        except model.DeliveryRuleError as err:
            raise _problem(err, "lines") from err
        product = session.get(Product, want.product_id)
        if product is None or product.merchant_id != store.merchant_id:
            raise NotFound("This product is not sold here.", field="lines")
        if product.unit != "piece":
            raise Invalid(
                "%(name)s is sold by weight at the counter and cannot be delivered.",
                params={"name": product.name}, code="sold_by_weight", field="lines",
            )  # fmt: skip
        offer = session.get(StoreProduct, (store.id, product.id))
        unit_price = effective_price(product, offer)
        zone = model.zone_of(product.category)
        lines.append({
            "product_id": product.id, "name": product.name, "quantity": str(want.quantity),
            "unit": "piece", "unit_price": unit_price, "vat_rate": product.vat_rate,
            "gtin": product.gtin, "total": unit_price * want.quantity, "zone": zone,
            "min_age": product.min_age,
        })  # fmt: skip
        items.append(model.Item(
            product.id, want.quantity, zone,
            model.item_volume_ml(product.volume_ml, product.weight_g),
            product.weight_g or model.item_volume_ml(product.volume_ml, None),
        ))  # fmt: skip
    return lines, items


def place_order(
    session: Session,
    user: User,
    *,
    store_id: int,
    lines: Sequence[OrderLine],
    mode: str,
    slot_id: int | None = None,
    to: Destination = Destination(),
    conversation_id: int | None = None,
    event_id: int | None = None,
    pin: str | None = None,
    idem: Claim | None = None,
) -> Order:
    """One use case: order from a store for delivery. Commits once, or leaves nothing."""
    try:
        return _place(session, user, store_id, lines, mode, slot_id, to, conversation_id,
                      event_id, pin, idem)  # fmt: skip
    except Problem:
        session.rollback()
        raise


def _place(session: Session, user: User, store_id: int, wanted: Sequence[OrderLine],
           mode: str, slot_id: int | None, to: Destination, conversation_id: int | None,
           event_id: int | None, pin: str | None, idem: Claim | None) -> Order:  # fmt: skip
    try:
        model.check_mode(mode)
    except model.DeliveryRuleError as err:
        raise _problem(err) from err
    store = session.get(Store, store_id)
    if store is None:
        raise NotFound("No such store.", field="store_id")
    if conversation_id is not None:  # the locker card goes there: only into one's own chat
        active_member(session, user.id, conversation_id)
    lines, items = priced_lines(session, store, wanted)
    amount = sum(int(line["total"]) for line in lines)
    weight = model.total_weight_g(items)
    now = clock.now()
    address, target = _destination(mode, to)

    slot: Slot | None = None
    eta = None
    if mode == "drone":
        check = drones.eligibility(session, store, target, weight) if target else None
        if check is None or not check.eligible:
            reasons = "; ".join(check.reasons) if check else "no address"
            raise Invalid(
                "This order cannot go by drone: %(reasons)s.",
                params={"reasons": reasons},
                code="drone_not_possible",
                field="mode",
            )
        eta = now + timedelta(minutes=check.eta_minutes)
    else:
        if slot_id is None:
            raise Invalid("Choose a delivery slot.", code="slot_required", field="slot_id")
        slot = slots.book(session, store.id, slot_id)

    needed: list[model.Parcel] = []
    choice = None
    if mode == "locker":
        try:
            needed = model.parcels(items)
        except model.DeliveryRuleError as err:
            raise _problem(err, "lines") from err
        if target is None and to.station_id is None:
            raise Invalid("Tell us near which address or place to deliver.",
                          code="destination_required", field="address")  # fmt: skip
        try:
            choice = stations.choose(session, target or model.Location(store.lat, store.lon),
                                     needed, station_id=to.station_id)  # fmt: skip
        except model.DeliveryRuleError as err:
            raise Conflict(str(err), code=err.code, field="station_id") from err

    order = Order(
        reference=new_reference("dlv"), user_id=user.id, merchant_id=store.merchant_id,
        store_id=store.id, mode=mode, status="placed", slot_id=slot.id if slot else None,
        address=address.line() if address else store.street if mode == "pickup" else "",
        lat=target.lat if target else None, lon=target.lon if target else None,
        station_id=choice.station_id if choice else None, conversation_id=conversation_id,
        event_id=event_id, lines=lines, amount=amount, currency="EUR", weight_g=weight,
        hold_reference=new_reference("hold"), eta_at=eta, created_at=now, updated_at=now,
    )  # fmt: skip
    session.add(order)
    session.flush()
    if choice is not None:
        rows = [Parcel(order_id=order.id, zone=p.zone, size=p.size, volume_ml=p.volume_ml)
                for p in needed]  # fmt: skip
        session.add_all(rows)
        session.flush()
        stations.reserve(session, rows, choice)
    timeline.log(session, order, "placed")
    session.flush()  # the answer shows the compartments and the timeline (no autoflush)
    if idem is not None:
        idem.remember_result(session, order)
    if mode == "drone":
        drones.dispatch_after_commit(session, order)  # the flight row, the mission after commit
    # the hold's commit is the order's: money, slot place and compartments, or nothing
    ends = slot.ends_at if slot else now
    ttl = min(ends - now + model.PICKUP_WINDOW + timedelta(days=1), holds.MAX_TTL)
    holds.authorize(
        session, user, merchant_id=store.merchant_id, amount=amount,
        description=f"Lieferung {order.reference}", ttl=max(ttl, timedelta(hours=1)), pin=pin,
        reference=order.hold_reference,
    )  # fmt: skip
    return order


def _destination(mode: str, to: Destination) -> tuple[geo.Address | None, model.Location | None]:
    coder = geo.geocoder()
    if mode in ("home", "drone"):
        if not to.address.strip():
            raise Invalid("Enter the delivery address.", code="address_required", field="address")
        try:
            address = coder.address(to.address)
        except model.DeliveryRuleError as err:
            raise _problem(err, "address") from err
        return address, address.location
    if mode == "locker" and to.station_id is None:
        if to.place.strip():
            found = coder.place(to.place)
            if found is None:
                raise Invalid("We do not know the place %(place)s.", params={"place": to.place},
                              code="unknown_place", field="address")  # fmt: skip
            return None, found
        if to.address.strip():
            try:
                address = coder.address(to.address)
            except model.DeliveryRuleError as err:
                raise _problem(err, "address") from err
            return None, address.location
    return None, None


def visible_order(session: Session, user: User, reference: str) -> Order:
    """The caller's own order (anyone else's is a 404)."""
    order = session.scalar(select(Order).where(Order.reference == reference))
    if order is None or order.user_id != user.id:
        raise NotFound("No such order.")
    return order
