"""Delivery request and response bodies, and the read views the JSON routes answer with.
Amounts are integer cents (EUR); times are UTC (ISO 8601)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.delivery import model, slots, stations, timeline
from kosmos.delivery.tables import Order, Slot, Station
from kosmos.schemas import MAX_ID, StrictModel
from kosmos.wallet.schemas import Pin

Id = Field(ge=1, le=MAX_ID, strict=True)
OptionalId = Field(default=None, ge=1, le=MAX_ID, strict=True)


# --- requests ------------------------------------------------------------------------------


class LineIn(StrictModel):
    product_id: int = Id
    quantity: int = Field(strict=True, ge=-(2**31), le=2**31 - 1, description="1 to 99")


class OrderIn(StrictModel):
    """What to order, how and where. Prices come from the catalog, never from here."""

    store_id: int = Id
    mode: str = Field(max_length=12, description="home, locker, pickup or drone")
    lines: list[LineIn] = Field(max_length=model.MAX_LINES)
    slot_id: int | None = OptionalId
    address: str = Field(default="", max_length=200, description="home/drone, or near which")
    place: str = Field(default="", max_length=120, description="a named place (locker)")
    station_id: int | None = OptionalId
    conversation_id: int | None = OptionalId
    pin: Pin = None


class CodeIn(StrictModel):
    code: str = Field(min_length=1, max_length=120, description="Typed digits or scanned QR")


# --- responses -----------------------------------------------------------------------------


class SlotOut(BaseModel):
    id: int
    starts_at: datetime
    ends_at: datetime
    cutoff_at: datetime
    capacity: int
    remaining: int
    bookable: bool
    reason: str | None = Field(description="slot_closed or slot_full when not bookable")


class StationOut(BaseModel):
    id: int
    code: str
    name: str
    street: str
    lat: float
    lon: float
    online: bool
    distance_km: float | None
    free: dict[str, dict[str, int]] = Field(description="zone -> size -> free compartments")


class CompartmentOut(BaseModel):
    number: int
    size: str
    zone: str


class OrderStationOut(BaseModel):
    id: int
    code: str
    name: str
    street: str


class OrderSlotOut(BaseModel):
    id: int
    starts_at: datetime
    ends_at: datetime


class OrderLineOut(BaseModel):
    product_id: int
    name: str
    quantity: int
    unit_price: int
    total: int
    zone: str


class StatusOut(BaseModel):
    status: str
    note: str
    at: datetime


class OrderOut(BaseModel):
    reference: str
    status: str
    mode: str
    store_id: int
    amount: int
    currency: str
    lines: list[OrderLineOut]
    slot: OrderSlotOut | None
    station: OrderStationOut | None
    compartments: list[CompartmentOut]
    address: str
    eta: datetime | None
    pickup_code: str | None = Field(description="the customer's only, once it is stored")
    pickup_until: datetime | None
    payment: str | None
    refund: str | None
    flag: str | None
    created_at: datetime
    timeline: list[StatusOut]


class PickupOut(BaseModel):
    station: str
    compartments: list[int]
    status: str


# --- views ---------------------------------------------------------------------------------


def slot_out(slot: Slot) -> dict[str, Any]:
    reason = None
    try:
        model.check_bookable(slots.state(slot), clock.now())
    except model.DeliveryRuleError as err:
        reason = err.code
    return SlotOut(
        id=slot.id, starts_at=slot.starts_at, ends_at=slot.ends_at, cutoff_at=slot.cutoff_at,
        capacity=slot.capacity, remaining=max(slot.capacity - slot.booked, 0),
        bookable=reason is None, reason=reason,
    ).model_dump(mode="json")  # fmt: skip


def free_by_zone(free: tuple[model.Compartment, ...]) -> dict[str, dict[str, int]]:
    counts = {zone: dict.fromkeys(model.SIZES, 0) for zone in model.ZONES}
    for compartment in free:
        counts[compartment.zone][compartment.size] += 1
    return counts


def stations_out(session: Session, near: model.Location | None) -> list[dict[str, Any]]:
    """Every station with its free compartments, nearest first when `near` is given."""
    offers = {offer.station_id: offer for offer in stations.offers(session)}
    rows = session.scalars(select(Station).order_by(Station.id))
    out = []
    for row in rows:
        offer = offers[row.id]
        km = round(model.km_between(near, offer.location), 2) if near else None
        out.append(StationOut(
            id=row.id, code=row.code, name=row.name, street=row.street, lat=row.lat,
            lon=row.lon, online=row.online, distance_km=km, free=free_by_zone(offer.free),
        ).model_dump(mode="json"))  # fmt: skip
    if near is not None:
        out.sort(key=lambda s: (s["distance_km"], s["id"]))
    return out


def order_out(session: Session, order: Order, *, owner: bool) -> dict[str, Any]:
    """The order as its customer (owner=True: with the pickup code) or staff see it."""
    slot = session.get(Slot, order.slot_id) if order.slot_id else None
    station = session.get(Station, order.station_id) if order.station_id else None
    eta = order.eta_at or (slot.ends_at if slot else None)
    return OrderOut(
        reference=order.reference, status=order.status, mode=order.mode,
        store_id=order.store_id, amount=order.amount, currency=order.currency,
        lines=[OrderLineOut(product_id=line["product_id"], name=line["name"],
                            quantity=int(line["quantity"]), unit_price=line["unit_price"],
                            total=line["total"], zone=line["zone"]) for line in order.lines],
        slot=OrderSlotOut(id=slot.id, starts_at=slot.starts_at, ends_at=slot.ends_at)
        if slot else None,
        station=OrderStationOut(id=station.id, code=station.code, name=station.name,
                                street=station.street) if station else None,
        compartments=[CompartmentOut(number=c.number, size=c.size, zone=c.zone)
                      for c in stations.compartments_of(session, order.id)],
        address=order.address, eta=eta,
        pickup_code=order.pickup_code if owner else None, pickup_until=order.pickup_until,
        payment=order.payment_reference, refund=order.refund_reference, flag=order.flag,
        created_at=order.created_at,
        timeline=[StatusOut(status=e.status, note=e.note, at=e.at)
                  for e in timeline.entries(session, order)],
    ).model_dump(mode="json")  # fmt: skip
