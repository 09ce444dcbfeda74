"""Same-day slots: two-hour windows per store with a cut-off and a capacity. Booking is
one conditional UPDATE (`booked < capacity`), so a full slot cannot be booked however
many people try at once; the database's CHECK is the second line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.delivery import model
from kosmos.delivery.tables import Slot
from kosmos.errors import Conflict, Invalid, NotFound

DEFAULT_CAPACITY = 12
DAYS_OPEN = 14  # slots exist this many days ahead (seed, then the hourly job)


def ensure_days(session: Session, store_id: int, *, days: int = DAYS_OPEN,
                capacity: int = DEFAULT_CAPACITY) -> None:  # fmt: skip
    """Create the windows of today and the next days where missing (caller commits)."""
    today = clock.to_local(clock.now()).replace(hour=0, minute=0, second=0, microsecond=0)
    have = set(
        session.scalars(
            select(Slot.starts_at).where(
                Slot.store_id == store_id, Slot.starts_at >= today.astimezone(UTC)
            )
        )
    )
    for offset in range(days):
        day = (today + timedelta(days=offset)).replace(tzinfo=None)
        local_day = day.replace(tzinfo=clock.BERLIN)  # the day's own offset (summer time)
        for start, end, cutoff in model.day_windows(local_day):
            start_utc = start.astimezone(UTC)
            if start_utc in have:
                continue
            session.add(Slot(store_id=store_id, starts_at=start_utc,
                             ends_at=end.astimezone(UTC),
                             cutoff_at=cutoff.astimezone(UTC), capacity=capacity,
                             booked=0))  # fmt: skip


def state(slot: Slot) -> model.SlotState:
    return model.SlotState(slot.starts_at, slot.ends_at, slot.cutoff_at, slot.capacity,
                           slot.booked)  # fmt: skip


def upcoming(session: Session, store_id: int, *, until: datetime | None = None) -> list[Slot]:
    """The store's slots from now on (bookable or not), earliest first."""
    now = clock.now()
    query = select(Slot).where(Slot.store_id == store_id, Slot.ends_at > now)
    if until is not None:
        query = query.where(Slot.starts_at < until)
    return list(session.scalars(query.order_by(Slot.starts_at)))


def orderable(session: Session, store_id: int, *, until: datetime | None = None) -> list[Slot]:
    """The slots a customer can still choose: before their cut-off (full ones included,
    shown as full)."""
    now = clock.now()
    return [s for s in upcoming(session, store_id, until=until) if s.cutoff_at > now]


def book(session: Session, store_id: int, slot_id: int) -> Slot:
    """Take one place in the slot, in the caller's transaction."""
    slot = session.get(Slot, slot_id)
    if slot is None or slot.store_id != store_id:
        raise NotFound("No such delivery slot.", field="slot_id")
    try:
        model.check_bookable(state(slot), clock.now())
    except model.DeliveryRuleError as err:
        if err.code == "slot_full":
            raise Conflict(str(err), code=err.code, field="slot_id") from err
        raise Invalid(str(err), code=err.code, field="slot_id") from err
    taken = session.execute(
        update(Slot)
        .where(Slot.id == slot_id, Slot.booked < Slot.capacity)
        .values(booked=Slot.booked + 1)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict("This slot is full. Choose another one.", code="slot_full",
                       field="slot_id")  # fmt: skip
    return slot


def give_back(session: Session, slot_id: int | None) -> None:
    """Free the place of a cancelled order (caller commits)."""
    if slot_id is not None:
        session.execute(
            update(Slot).where(Slot.id == slot_id, Slot.booked > 0).values(booked=Slot.booked - 1)
        )
