"""The locker card in the chat ("Eure Lieferung liegt in Packstation Stadtpark, Fach 7,
Code 483920, bis Di 18:00"), its reminder a day before the deadline, and the notes when
a parcel moves to another station or goes back."""

from __future__ import annotations

from typing import Any

from babel.dates import format_datetime
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.chat import messages
from kosmos.delivery import stations
from kosmos.delivery.tables import Order, Station

TEXTS = {
    "de": {
        "title": "Eure Lieferung liegt in {station}, {compartments}, Code {code}, bis {until}",
        "fach": "Fach", "faecher": "Fächer", "station": "Station", "code": "Code",
        "until": "Abholen bis", "track": "Sendung verfolgen", "open": "Zur Station",
        "reminder": "Erinnerung: Die Lieferung in {station} ({compartments}, Code {code}) "
                    "wartet nur noch bis {until}. Danach geht sie zurück.",
        "moved": "Die Station {old} ist gerade nicht erreichbar. Eure Lieferung kommt "
                 "stattdessen in {new}.",
        "flagged": "Die Station {old} ist gerade nicht erreichbar und keine andere Station "
                   "hat Platz. Der Kurier meldet sich.",
        "returned": "Die Lieferung aus {station} wurde nicht abgeholt und geht zurück. "
                    "Das Geld ({amount}) ist zurück in der Wallet.",
        "picked": "Abgeholt ✓",
        "done_title": "Lieferung in {station}, {compartments}",
        "gone_back": "Nicht abgeholt: zurückgeschickt, Geld erstattet.",
    },
    "en": {
        "title": "Your delivery is in {station}, {compartments}, code {code}, until {until}",
        "fach": "Compartment", "faecher": "Compartments", "station": "Station",
        "code": "Code", "until": "Pick up by", "track": "Track", "open": "To the station",
        "reminder": "Reminder: the delivery in {station} ({compartments}, code {code}) "
                    "waits only until {until}. Then it goes back.",
        "moved": "Station {old} cannot be reached right now. Your delivery goes to {new} "
                 "instead.",
        "flagged": "Station {old} cannot be reached right now and no other station has "
                   "room. The courier will be in touch.",
        "returned": "The delivery in {station} was not picked up and goes back. The "
                    "money ({amount}) is back in the wallet.",
        "picked": "Picked up ✓",
        "done_title": "Delivery in {station}, {compartments}",
        "gone_back": "Not picked up: sent back, money refunded.",
    },
}  # fmt: skip


def _words(locale: str) -> dict[str, str]:
    return TEXTS["en" if locale == "en" else "de"]


def compartments_text(numbers: list[int], locale: str) -> str:
    words = _words(locale)
    if len(numbers) == 1:
        return f"{words['fach']} {numbers[0]}"
    return f"{words['faecher']} {', '.join(str(n) for n in numbers)}"


def until_text(order: Order, locale: str) -> str:
    assert order.pickup_until is not None
    local = clock.to_local(order.pickup_until)
    return format_datetime(local, "EEE HH:mm", locale="en" if locale == "en" else "de_DE")


def locker_card(session: Session, order: Order, locale: str = "de") -> dict[str, Any]:
    words = _words(locale)
    station = session.get(Station, order.station_id)
    assert station is not None
    numbers = [c.number for c in stations.compartments_of(session, order.id)]
    where = compartments_text(numbers, locale)
    until = until_text(order, locale)
    card: dict[str, Any] = {
        "type": "locker", "locale": locale,
        "title": words["title"].format(station=station.name, compartments=where,
                                       code=order.pickup_code, until=until),
        "fields": [
            {"label": words["station"], "value": f"{station.name}, {station.street}"},
            {"label": words["code"], "value": order.pickup_code},
            {"label": words["until"], "value": until},
        ],
        "image": {"url": f"/delivery/orders/{order.reference}/pickup-qr.svg",
                  "alt": f"{words['code']} {order.pickup_code}", "size": 140},
        "links": [{"label": words["open"], "url": f"/stations/{station.code}"}],
        "ref": {"delivery_order": order.reference},
    }  # fmt: skip
    if order.status in ("picked_up", "returned"):
        card["title"] = words["done_title"].format(station=station.name, compartments=where)
        card["fields"] = card["fields"][:1]
        card["note"] = words["picked"] if order.status == "picked_up" else words["gone_back"]
        del card["image"]
    return card


def post_locker_card(session: Session, order: Order) -> None:
    """Into the chat the order came from (caller commits)."""
    if order.conversation_id is None:
        return
    out = messages.post_as_kosmos(
        session, order.conversation_id, card=locker_card(session, order), commit=False
    )
    order.card_message_id = out["id"]


def refresh_card(session: Session, order: Order) -> None:
    if order.card_message_id is not None:
        messages.update_card(session, order.card_message_id, locker_card(session, order))


def say(session: Session, order: Order, key: str, **values: str) -> None:
    """A plain note from Kosmos into the order's chat (caller commits)."""
    if order.conversation_id is None:
        return
    text = _words("de")[key].format(**values)
    messages.post_as_kosmos(session, order.conversation_id, text=text, commit=False)


def reminder_text(session: Session, order: Order) -> str:
    station = session.get(Station, order.station_id)
    assert station is not None
    numbers = [c.number for c in stations.compartments_of(session, order.id)]
    return _words("de")["reminder"].format(
        station=station.name, compartments=compartments_text(numbers, "de"),
        code=order.pickup_code, until=until_text(order, "de"),
    )  # fmt: skip
