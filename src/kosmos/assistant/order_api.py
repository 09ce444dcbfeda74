"""Food orders over JSON under /api/v1/assistant/orders: read an order (the orderer or
staff of its restaurant; anyone else gets 404), confirm an order card with the payment PIN
(orders above the strong-customer-authentication limit), and the staff's ready / picked-up
marks."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends
from pydantic import Field
from sqlalchemy.orm import Session

from kosmos.accounts.auth import api_user
from kosmos.accounts.tables import User
from kosmos.assistant import ordering
from kosmos.schemas import ObjectId, StrictModel
from kosmos.web.deps import get_db

router = APIRouter(prefix="/assistant/orders", tags=["assistant"])
DB = Depends(get_db)
ME = Depends(api_user)


class PinIn(StrictModel):
    pin: str | None = Field(default=None, min_length=4, max_length=12)


class StatusIn(StrictModel):
    status: Literal["ready", "picked_up"]


@router.get("/{order_id}")
def read_order(order_id: ObjectId, user: User = ME, db: Session = DB) -> dict[str, Any]:
    return ordering.order_out(db, ordering.order_for(db, user, order_id))


@router.post("/proposals/{proposal_id}/confirm", status_code=201)
def confirm_order(
    proposal_id: ObjectId, body: PinIn, user: User = ME, db: Session = DB
) -> dict[str, Any]:
    """The author confirms their order card (with the payment PIN when one is needed)."""
    order = ordering.confirm_with_pin(db, user, proposal_id, body.pin)
    return ordering.order_out(db, order)


@router.post("/{order_id}/status")
def set_order_status(
    order_id: ObjectId, body: StatusIn, user: User = ME, db: Session = DB
) -> dict[str, Any]:
    """Staff of the restaurant: the order is ready, or was picked up."""
    order = ordering.order_for(db, user, order_id)
    order = ordering.set_status(db, user, order.merchant_id, order.id, body.status)
    return ordering.order_out(db, order)
