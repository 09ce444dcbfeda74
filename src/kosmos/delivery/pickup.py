"""At the station: the customer types or scans the code, the compartment opens (over
MQTT), the customer takes the parcel and confirms. Wrong codes are counted per station:
5 within 15 minutes and the station asks to wait. Click & collect: the store's staff
take the same code at the counter."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.delivery import cards, handover, model, stations, timeline
from kosmos.delivery.tables import CodeMiss, Order, Parcel, Station
from kosmos.errors import Conflict, Invalid, NotFound, TooManyRequests


def _too_many(session: Session, station: Station) -> None:
    since = clock.now() - model.WRONG_CODE_WINDOW
    misses = session.scalar(
        select(func.count()).where(CodeMiss.station_id == station.id, CodeMiss.at > since)
    )
    if (misses or 0) >= model.MAX_WRONG_CODES:
        raise TooManyRequests(
            "Too many wrong codes. Please wait a few minutes and try again.",
            code="too_many_wrong_codes",
            extra={"retry_after": int(model.WRONG_CODE_WINDOW.total_seconds())},
        )


def _miss(session: Session, station: Station) -> None:
    session.rollback()
    now = clock.now()
    session.execute(
        delete(CodeMiss).where(
            CodeMiss.station_id == station.id, CodeMiss.at < now - model.WRONG_CODE_WINDOW
        )
    )
    session.add(CodeMiss(station_id=station.id, at=now))
    session.commit()


def order_for_code(session: Session, station: Station, typed: str) -> Order:
    """The parcel waiting here for this code, or a clear problem (a miss is counted)."""
    _too_many(session, station)
    try:
        code = model.code_from_scan(typed.strip())
    except model.DeliveryRuleError as err:
        raise Invalid(str(err), code=err.code, field="code") from err
    order = session.scalar(
        select(Order).where(
            Order.station_id == station.id,
            Order.pickup_code == code,
            Order.status.in_(("in_locker", "returned")),
        )  # fmt: skip
    )
    if order is None:
        _miss(session, station)
        raise NotFound("This code is not valid at this station.", code="wrong_code", field="code")
    if order.status == "returned" or (order.pickup_until and order.pickup_until <= clock.now()):
        raise Conflict("This code has expired; the parcel went back and the money was "
                       "refunded.", code="code_expired", field="code")  # fmt: skip
    return order


def open_for_pickup(session: Session, station_code: str, typed: str) -> tuple[Order, list[int]]:
    station = stations.station_by_code(session, station_code)
    order = order_for_code(session, station, typed)
    numbers = handover.open_doors(session, station, order)
    timeline.touch(session, order)
    session.commit()
    return order, numbers


def confirm_pickup(session: Session, station_code: str, typed: str) -> Order:
    station = stations.station_by_code(session, station_code)
    order = order_for_code(session, station, typed)
    timeline.move(session, order, "picked_up", station.name)
    stations.free(session, session.scalars(select(Parcel).where(Parcel.order_id == order.id)))
    order.pickup_code = None
    cards.refresh_card(session, order)
    session.commit()
    return order


def collect_at_store(session: Session, store_id: int, typed: str) -> Order:
    """Click & collect at the counter: staff type the customer's code."""
    try:
        code = model.code_from_scan(typed.strip())
    except model.DeliveryRuleError as err:
        raise Invalid(str(err), code=err.code, field="code") from err
    order = session.scalar(
        select(Order).where(
            Order.store_id == store_id,
            Order.mode == "pickup",
            Order.status == "ready",
            Order.pickup_code == code,
        )  # fmt: skip
    )
    if order is None:
        raise NotFound("No order waits here for this code.", code="wrong_code", field="code")
    timeline.move(session, order, "picked_up")
    handover.capture(session, order)
    return order
