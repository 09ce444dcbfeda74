"""JSON API of the ratings and appointments skills under /api/v1/assistant: a merchant's
reviews (average, count, list) and the caller's own review (PUT: create or edit); a
merchant's bookable services and free slots; a booking (its maker or members of the chat
it was booked in) and its cancellation (its maker, until the cut-off)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Depends, Query
from pydantic import Field
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.accounts.auth import api_user
from kosmos.accounts.tables import User
from kosmos.assistant import booking, reviewing, slots
from kosmos.assistant.tables_bookings import Service
from kosmos.catalog import services as catalog
from kosmos.errors import Invalid, NotFound
from kosmos.schemas import MAX_ID, ObjectId, StrictModel
from kosmos.web.deps import get_db

router = APIRouter(prefix="/assistant", tags=["assistant"])
DB = Depends(get_db)
ME = Depends(api_user)


class ReviewIn(StrictModel):
    stars: int = Field(ge=1, le=5)
    comment: str | None = Field(default=None, max_length=reviewing.MAX_COMMENT)


@router.get("/merchants/{merchant_id}/reviews")
def merchant_reviews(
    merchant_id: ObjectId, limit: int = Query(50, ge=1, le=100), user: User = ME,
    db: Session = DB,
) -> dict[str, Any]:  # fmt: skip
    merchant = catalog.get_merchant(db, merchant_id)
    return reviewing.reviews_out(db, merchant, viewer_id=user.id, limit=limit)


@router.put("/merchants/{merchant_id}/reviews/mine")
def put_my_review(
    merchant_id: ObjectId, body: ReviewIn, user: User = ME, db: Session = DB
) -> dict[str, Any]:
    merchant = catalog.get_merchant(db, merchant_id)
    review, created = reviewing.save_review(db, user, merchant.id, body.stars, body.comment)
    db.commit()
    total = reviewing.summary(db, merchant.id)
    return {
        "id": review.id, "stars": review.stars, "comment": review.comment, "created": created,
        "updated_at": review.updated_at.isoformat(),
        "average": float(total.average) if total.average is not None else None,
        "count": total.count,
    }  # fmt: skip


def _service_out(service: Service) -> dict[str, Any]:
    return {"id": service.id, "name": service.name, "duration_minutes": service.duration_minutes,
            "price_cents": service.price_cents, "currency": service.currency,
            "slot_step_minutes": service.slot_step_minutes}  # fmt: skip


@router.get("/merchants/{merchant_id}/services")
def merchant_services(merchant_id: ObjectId, user: User = ME, db: Session = DB) -> dict[str, Any]:
    merchant = catalog.get_merchant(db, merchant_id)
    return {"items": [_service_out(s) for s in booking.services_of(db, merchant.id)]}


@router.get("/merchants/{merchant_id}/slots")
def free_slots(
    merchant_id: ObjectId, service_id: int = Query(ge=1, le=MAX_ID),
    day: date = Query(), user: User = ME, db: Session = DB,
) -> dict[str, Any]:  # fmt: skip
    """The free starts of a service on a day (Europe/Berlin date), UTC."""
    merchant = catalog.get_merchant(db, merchant_id)
    service = db.get(Service, service_id)
    if service is None or service.merchant_id != merchant.id or not service.active:
        raise NotFound("No such service.")
    today = clock.now().astimezone(slots.BERLIN).date()
    if not today - timedelta(days=1) <= day <= today + timedelta(days=366):
        raise Invalid("Ask for a day within the next year.", field="day")
    store = booking.store_of(db, merchant.id)
    if store is None:
        return {"day": day.isoformat(), "slots": []}
    start = datetime.combine(day, datetime.min.time(), slots.BERLIN).astimezone(UTC)
    taken = booking.busy(db, store.id, start - timedelta(days=1), start + timedelta(days=2))
    free = slots.free_slots(
        day, booking.hours_of(store), duration=service.duration_minutes,
        step=service.slot_step_minutes, busy=taken, not_before=clock.now() + slots.MIN_LEAD,
    )  # fmt: skip
    return {"day": day.isoformat(), "service": _service_out(service), "store_id": store.id,
            "slots": [s.isoformat() for s in free]}  # fmt: skip


@router.get("/bookings/{booking_id}")
def get_booking(booking_id: ObjectId, user: User = ME, db: Session = DB) -> dict[str, Any]:
    return booking.booking_out(db, booking.visible_booking(db, user, booking_id))


@router.post("/bookings/{booking_id}/cancel")
def cancel_booking(booking_id: ObjectId, user: User = ME, db: Session = DB) -> dict[str, Any]:
    found = booking.visible_booking(db, user, booking_id)
    booking.cancel(db, user, found)
    booking.refresh_booking_card(db, found)
    db.commit()
    return booking.booking_out(db, found)
