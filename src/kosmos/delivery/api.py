"""Delivery JSON routes (under /api/v1/delivery): slots, stations near a place, placing
and tracking an order (the customer's own: anyone else's is a 404), the store's hand-over
steps (staff of the order's merchant: 403 when not staff anywhere, 404 for another
merchant's order) and the station screen's open/confirm (no login: the station's own
screen; wrong codes are rate limited per station).

Placing an order moves money (a wallet hold): it needs an `Idempotency-Key` header
(Stripe semantics, see `wallet.idempotency`). The staff steps are idempotent by nature:
each is a status move that only one request wins (a repeat is a 409 `bad_transition`).
"""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from kosmos.accounts.auth import api_user
from kosmos.accounts.tables import User
from kosmos.catalog.backoffice import require_staff
from kosmos.catalog.tables import Store
from kosmos.delivery import checkout, geo, handover, model, pickup, slots
from kosmos.delivery.checkout import Destination, OrderLine
from kosmos.delivery.schemas import (
    CodeIn,
    OrderIn,
    OrderOut,
    PickupOut,
    order_out,
    slot_out,
    stations_out,
)
from kosmos.delivery.tables import Order
from kosmos.errors import Invalid, NotFound
from kosmos.schemas import ObjectId
from kosmos.wallet.http import idempotent
from kosmos.wallet.idempotency import Answer, Claim
from kosmos.web.deps import get_db

router = APIRouter(prefix="/delivery", tags=["delivery"])
T = TypeVar("T")
DB = Depends(get_db)
ME = Depends(api_user)
Reference = Annotated[str, Path(min_length=1, max_length=40)]
StationCode = Annotated[str, Path(min_length=1, max_length=40)]


def released(db: Session, out: T) -> T:
    """End the request's transaction before the answer is serialized (a writing session
    would otherwise keep SQLite's writer lock while the answer waits for a thread)."""
    db.rollback()
    return out


def _near(text: str | None) -> model.Location | None:
    """Where `near` is: a named place ("Stadtpark", "im Stadtpark") or an address."""
    if text is None or not text.strip():
        return None
    coder = geo.geocoder()
    found = coder.place(text)
    if found is not None:
        return found
    if any(ch.isdigit() for ch in text):  # an address: say what is wrong with it
        try:
            coder.address(text)
        except model.DeliveryRuleError as err:
            raise Invalid(str(err), code=err.code, field="near") from err
    raise Invalid("We do not know the place %(place)s.", params={"place": text.strip()},
                  code="unknown_place", field="near")  # fmt: skip


def _staff_order(db: Session, user: User, reference: str) -> Order:
    """The order, for staff of its merchant only."""
    roles = require_staff(db, user)
    order = db.scalar(select(Order).where(Order.reference == reference))
    if order is None or order.merchant_id not in roles:
        raise NotFound("No such order.")
    return order


# --- customer ------------------------------------------------------------------------------


@router.get("/stores/{store_id}/slots")
def store_slots(store_id: ObjectId, user: User = ME, db: Session = DB) -> dict[str, Any]:
    """The store's delivery windows from now on, earliest first, with whether each can
    still be booked (`reason`: slot_closed after its cut-off, slot_full)."""
    if db.get(Store, store_id) is None:
        raise NotFound("No such store.", field="store_id")
    return {"store_id": store_id, "items": [slot_out(s) for s in slots.upcoming(db, store_id)]}


@router.get("/stations")
def list_stations(
    near: Annotated[str | None, Query(max_length=200)] = None, user: User = ME, db: Session = DB
) -> dict[str, Any]:
    """Parcel stations with their free compartments per zone and size; nearest first
    when `near` (an address in the delivery area or a named place) is given."""
    return {"items": stations_out(db, _near(near))}


@router.post("/orders", status_code=201, response_model=OrderOut)
def place_order(body: OrderIn, request: Request, user: User = ME, db: Session = DB) -> JSONResponse:
    """Order for delivery: 201 with the order. The money is held in the wallet and
    taken at the hand-over. Needs `Idempotency-Key`; `pin` when the wallet asks."""

    def action(idem: Claim) -> Order:
        return checkout.place_order(
            db, user, store_id=body.store_id, mode=body.mode, slot_id=body.slot_id,
            lines=[OrderLine(line.product_id, line.quantity) for line in body.lines],
            to=Destination(address=body.address, place=body.place, station_id=body.station_id),
            conversation_id=body.conversation_id, pin=body.pin, idem=idem,
        )  # fmt: skip

    def render(order: Order) -> Answer:
        return Answer(201, order_out(db, order, owner=True))

    response = idempotent(request, db, scope=f"user:{user.id}", body=body, render=render,
                          action=action)  # fmt: skip
    return released(db, response)


@router.get("/orders/{reference}", response_model=OrderOut)
def get_order(reference: Reference, user: User = ME, db: Session = DB) -> dict[str, Any]:
    """The caller's order with its status timeline."""
    return order_out(db, checkout.visible_order(db, user, reference), owner=True)


# --- store staff ---------------------------------------------------------------------------


@router.post("/orders/{reference}/pack", response_model=OrderOut)
def pack(reference: Reference, user: User = ME, db: Session = DB) -> dict[str, Any]:
    """Packed (a click & collect order is then ready, with its pickup code)."""
    order = handover.pack(db, _staff_order(db, user, reference))
    return released(db, order_out(db, order, owner=False))


@router.post("/orders/{reference}/leave", response_model=OrderOut)
def leave(reference: Reference, user: User = ME, db: Session = DB) -> dict[str, Any]:
    """The courier set off with it."""
    order = handover.leave(db, _staff_order(db, user, reference))
    return released(db, order_out(db, order, owner=False))


@router.post("/orders/{reference}/stow", response_model=OrderOut)
def stow(reference: Reference, user: User = ME, db: Session = DB) -> dict[str, Any]:
    """Into the locker: the station opens the compartments (503 `station_not_answering`
    and nothing changes when it does not), the money is captured."""
    order = handover.stow(db, _staff_order(db, user, reference))
    return released(db, order_out(db, order, owner=False))


@router.post("/orders/{reference}/deliver", response_model=OrderOut)
def deliver(reference: Reference, user: User = ME, db: Session = DB) -> dict[str, Any]:
    """Handed over at the door (home and drone orders); the money is captured."""
    order = handover.deliver_home(db, _staff_order(db, user, reference))
    return released(db, order_out(db, order, owner=False))


@router.post("/orders/{reference}/reroute", response_model=OrderOut)
def reroute(reference: Reference, user: User = ME, db: Session = DB) -> dict[str, Any]:
    """The station is offline: the next fitting one takes the order, or it is flagged."""
    order = handover.reroute(db, _staff_order(db, user, reference))
    return released(db, order_out(db, order, owner=False))


# --- the station's screen (no login) ---------------------------------------------------------


@router.post("/stations/{code}/open", response_model=PickupOut)
def open_compartment(code: StationCode, body: CodeIn, db: Session = DB) -> dict[str, Any]:
    """The pickup code typed or scanned at the station: its compartments open. A wrong
    code is a 404 `wrong_code`; after 5 within 15 minutes the station answers 429."""
    order, numbers = pickup.open_for_pickup(db, code, body.code)
    out = PickupOut(station=code, compartments=numbers, status=order.status)
    return released(db, out.model_dump(mode="json"))


@router.post("/stations/{code}/confirm", response_model=PickupOut)
def confirm_pickup(code: StationCode, body: CodeIn, db: Session = DB) -> dict[str, Any]:
    """The customer took the parcel: picked up, the compartments are free again."""
    order = pickup.confirm_pickup(db, code, body.code)
    out = PickupOut(station=code, compartments=[], status=order.status)
    return released(db, out.model_dump(mode="json"))
