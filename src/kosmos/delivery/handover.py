"""From the store to the customer: packed, on the way, into the locker (or to the door,
or ready at the store), and the money: the hold is captured at the hand-over.

Putting a parcel into a locker opens its compartments over MQTT first. A station that
does not answer changes nothing: the courier is told, and `reroute` moves the order to
the next fitting station (or flags it for staff) and tells the customer in the chat."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.delivery import cards, courier, links, model, stations, timeline
from kosmos.delivery.ports import StationNotAnswering, StationRefused
from kosmos.delivery.tables import Order, Parcel, Station
from kosmos.errors import Conflict, Problem
from kosmos.wallet import holds
from kosmos.wallet.tables import Payment

OPEN_TIMEOUT = 5.0
log = logging.getLogger(__name__)


class StationProblem(Problem):
    status, code, title = 503, "station_not_answering", "Station not answering"
    remembered = False


def capture(session: Session, order: Order) -> None:
    """Take the held money for the order's lines; one commit with the caller's work and
    the order's payment reference."""

    def name_it(payment: Payment) -> None:
        order.payment_reference = payment.reference

    holds.capture(
        session, order.merchant_id, order.hold_reference,
        lines=[{k: line[k] for k in ("name", "quantity", "unit", "unit_price", "vat_rate",
                                      "gtin")} for line in order.lines],
        description=f"Lieferung {order.reference}", with_payment=name_it,
    )  # fmt: skip


def pack(session: Session, order: Order) -> Order:
    """The store packed it; a click & collect order is then ready with its code."""
    timeline.move(session, order, "packed")
    if order.mode == "pickup":
        order.pickup_code = model.new_pickup_code()
        order.stored_at = clock.now()
        order.pickup_until = model.pickup_deadline(order.stored_at)
        timeline.move(session, order, "ready")
    session.commit()
    return order


def leave(session: Session, order: Order) -> Order:
    """The courier set off with it."""
    timeline.move(session, order, "on_the_way")
    session.commit()
    return order


def deliver_home(session: Session, order: Order) -> Order:
    if order.mode not in ("home", "drone"):
        raise Conflict("This order goes to a parcel station.", code="wrong_mode")
    timeline.move(session, order, "delivered")
    courier.mark_done(session, order)
    capture(session, order)
    return order


def open_doors(session: Session, station: Station, order: Order) -> list[int]:
    """Open every compartment of the order; raises StationProblem and changes nothing if
    the station does not answer or refuses. No transaction stays open while the station
    is asked (on SQLite it would hold the write lock that the station's own door reports
    wait for): whatever the caller writes afterwards starts afresh and re-checks."""
    numbers = [c.number for c in stations.compartments_of(session, order.id)]
    name, code = station.name, station.code
    session.rollback()
    link = links.stations()
    try:
        for number in numbers:
            link.open_compartment(code, number, timeout=OPEN_TIMEOUT)
    except StationNotAnswering as err:
        raise StationProblem(
            "%(station)s does not answer. Nothing was opened; try again in a minute.",
            params={"station": name}, extra={"station": code},
        ) from err  # fmt: skip
    except StationRefused as err:
        log.warning("station %s refused to open for %s: %s", code, order.reference, err)
        raise StationProblem(
            "%(station)s could not open the compartment. Please call support.",
            params={"station": name}, code="station_refused",
        ) from err  # fmt: skip
    return numbers


def stow(session: Session, order: Order) -> Order:
    """The courier puts the parcel into its compartments: the station opens them, the
    order is in the locker with a pickup code and deadline, the money is captured and
    the locker card goes into the chat."""
    if order.mode != "locker" or order.station_id is None:
        raise Conflict("This order does not go to a parcel station.", code="wrong_mode")
    if order.status != "on_the_way":
        raise Conflict("Only an order on its way goes into the locker.", code="bad_transition")
    station = session.get(Station, order.station_id)
    assert station is not None
    open_doors(session, station, order)
    order.pickup_code = model.new_pickup_code()
    order.stored_at = clock.now()
    order.pickup_until = model.pickup_deadline(order.stored_at)
    timeline.move(session, order, "in_locker", station.name)
    cards.post_locker_card(session, order)
    courier.mark_done(session, order)
    capture(session, order)
    return order


def reroute(session: Session, order: Order) -> Order:
    """The station is offline at delivery time: the next fitting station takes the order,
    or it is flagged for staff; the customer hears about it in the chat."""
    if order.mode != "locker" or order.status not in ("placed", "packed", "on_the_way"):
        raise Conflict("Only a locker order on its way can move.", code="wrong_mode")
    old = session.get(Station, order.station_id)
    assert old is not None
    parcels = list(session.scalars(select(Parcel).where(Parcel.order_id == order.id)))
    needed = [model.Parcel(p.zone, p.size, (), p.volume_ml) for p in parcels]
    target = model.Location(order.lat or old.lat, order.lon or old.lon)
    try:
        choice = stations.choose(session, target, needed, skip=[old.id])
    except model.DeliveryRuleError:  # it keeps its compartments at the old station
        order.flag = f"{old.name} offline, no other station free"
        timeline.log(session, order, order.status, order.flag)
        cards.say(session, order, "flagged", old=old.name)
        session.commit()
        return order
    stations.free(session, parcels)
    stations.reserve(session, parcels, choice)
    order.station_id = choice.station_id
    new = session.get(Station, choice.station_id)
    assert new is not None
    order.flag = None
    timeline.log(session, order, order.status, f"{old.name} offline, moved to {new.name}")
    cards.say(session, order, "moved", old=old.name, new=new.name)
    session.commit()
    return order
