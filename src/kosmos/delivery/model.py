"""Delivery rules in plain Python (no framework, no database).

- **Temperature zones**: goods are ambient, chilled (2-7 °C) or frozen (-18 °C or colder)
  by their catalog category. An order becomes one parcel per zone it needs, except that
  ambient goods ride along in the chilled parcel when there is one (cold drinks do no
  harm; one compartment is easier to collect). Chilled and frozen parcels only go into a
  compartment of their own zone; an ambient parcel goes into an ambient one.
- **Sizes**: a parcel's volume is estimated from the catalog (volume_ml, else weight_g as
  1 ml per gram, else 1 litre per piece) plus 20 % for packing; it takes the smallest
  compartment size (S, M, L, inner dimensions below) that holds it.
- **Slots**: same-day windows of two hours; each has an order cut-off and a capacity.
  A slot is bookable before its cut-off while it has room.
- **Pickup**: a 6-digit code (random, never starting with 0) and a QR; the parcel waits
  3 days in the locker, then goes back and the payment is refunded.
- **Stations**: the nearest online station with a free fitting compartment for every
  parcel, at most `MAX_STATION_KM` away.
- **Drones**: at most 2.3 kg, within 12 km of a drone-enabled store, in daylight, and
  only while staff have not grounded the fleet for the weather.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from kosmos.delivery.routing.model import Place, haversine_m
from kosmos.rules import RuleError

ZONES = ("ambient", "chilled", "frozen")
SIZES = ("S", "M", "L")
# Inner dimensions (width, height, depth) in mm, like a parcel station's compartments.
INNER_MM: dict[str, tuple[int, int, int]] = {
    "S": (380, 90, 640),
    "M": (380, 190, 640),
    "L": (380, 390, 640),
}
PACKING = 1.2
PICKUP_WINDOW = timedelta(days=3)
REMINDER_BEFORE = timedelta(days=1)
SLOT_LENGTH = timedelta(hours=2)
CUTOFF_BEFORE = timedelta(hours=2)
MAX_STATION_KM = 5.0
DRONE_MAX_GRAMS = 2300
DRONE_MAX_KM = 12.0
DRONE_KMH = 60.0
MAX_WRONG_CODES = 5
WRONG_CODE_WINDOW = timedelta(minutes=15)
MAX_LINES = 40
MAX_QUANTITY = 99

CHILLED_CATEGORIES = frozenset({
    "Fleisch", "Geflügel", "Wurst", "Fisch", "Käse", "Molkereiprodukte", "Eier",
    "Feinkost & Salate", "Saucen & Dips", "Vegan & Vegetarisch",
})  # fmt: skip
FROZEN_CATEGORIES = frozenset({"Tiefkühlkost", "Eis"})

# The order of a delivery's life. Home and drone orders end at "delivered", locker
# orders at "picked_up" (or "returned" after the pickup window), click & collect at
# "picked_up" from the store.
STATUSES = (
    "placed", "packed", "on_the_way", "in_locker", "ready", "delivered", "picked_up",
    "returned", "cancelled",
)  # fmt: skip
NEXT: dict[str, frozenset[str]] = {
    "placed": frozenset({"packed", "cancelled"}),
    "packed": frozenset({"on_the_way", "ready", "cancelled"}),
    "on_the_way": frozenset({"in_locker", "delivered"}),
    "in_locker": frozenset({"picked_up", "returned"}),
    "ready": frozenset({"picked_up", "returned"}),
    "delivered": frozenset(),
    "picked_up": frozenset(),
    "returned": frozenset(),
    "cancelled": frozenset(),
}
MODES = ("home", "locker", "pickup", "drone")


class DeliveryRuleError(RuleError):
    """A broken delivery rule (field names the input, code is stable)."""


# --- goods and parcels -------------------------------------------------------------------


def zone_ok(zone: str, celsius: float) -> bool:
    """Whether a zone's reading is within its range (ambient: anything above freezing)."""
    if zone == "chilled":
        return 2.0 <= celsius <= 7.0
    if zone == "frozen":
        return celsius <= -18.0
    return celsius > 0.0


def zone_of(category: str) -> str:
    if category in FROZEN_CATEGORIES:
        return "frozen"
    if category in CHILLED_CATEGORIES:
        return "chilled"
    return "ambient"


@dataclass(frozen=True)
class Item:
    """One order line as the rules see it."""

    product_id: int
    quantity: int
    zone: str
    volume_ml: int
    weight_g: int


def item_volume_ml(volume_ml: int | None, weight_g: int | None) -> int:
    """One unit's volume: the catalog's, else its weight as water, else a litre."""
    if volume_ml:
        return volume_ml
    if weight_g:
        return weight_g
    return 1000


@dataclass(frozen=True)
class Parcel:
    zone: str
    size: str
    product_ids: tuple[int, ...]
    volume_ml: int


def size_for(volume_ml: int) -> str:
    for size in SIZES:
        w, h, d = INNER_MM[size]
        if volume_ml * PACKING <= w * h * d / 1000:
            return size
    raise DeliveryRuleError(
        "lines", "This order is too big for a locker compartment. Choose home delivery "
        "or split it.", code="too_big_for_locker",
    )  # fmt: skip


def parcels(items: Sequence[Item]) -> list[Parcel]:
    """The compartments an order needs: one per zone, ambient joining chilled."""
    if not items:
        raise DeliveryRuleError("lines", "The order has no items.", code="empty_order")
    zones = {item.zone for item in items}
    groups: dict[str, list[Item]] = {}
    for item in items:
        zone = "chilled" if item.zone == "ambient" and "chilled" in zones else item.zone
        groups.setdefault(zone, []).append(item)
    result = []
    for zone in ZONES:
        group = groups.get(zone)
        if not group:
            continue
        volume = sum(i.volume_ml * i.quantity for i in group)
        result.append(Parcel(zone, size_for(volume), tuple(i.product_id for i in group), volume))
    return result


def total_weight_g(items: Iterable[Item]) -> int:
    return sum(i.weight_g * i.quantity for i in items)


def check_quantity(quantity: int) -> None:
    if not 1 <= quantity <= MAX_QUANTITY:
        raise DeliveryRuleError(
            "quantity", f"A quantity is between 1 and {MAX_QUANTITY}.", code="bad_quantity"
        )


# --- compartments --------------------------------------------------------------------------


@dataclass(frozen=True)
class Compartment:
    id: int
    number: int
    size: str
    zone: str


def fits(parcel: Parcel, compartment: Compartment) -> bool:
    return compartment.zone == parcel.zone and SIZES.index(compartment.size) >= SIZES.index(
        parcel.size
    )


def assign(needed: Sequence[Parcel], free: Sequence[Compartment]) -> list[Compartment] | None:
    """A free compartment for every parcel (the smallest that fits, lowest number first),
    or None when the station cannot take the order."""
    left = sorted(free, key=lambda c: (SIZES.index(c.size), c.number))
    chosen: dict[int, Compartment] = {}
    # the biggest parcels choose first, so a small one does not take the only large fit
    for index in sorted(range(len(needed)), key=lambda i: -SIZES.index(needed[i].size)):
        match = next((c for c in left if fits(needed[index], c)), None)
        if match is None:
            return None
        left.remove(match)
        chosen[index] = match
    return [chosen[i] for i in range(len(needed))]


# --- places --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Location:
    lat: float
    lon: float


def km_between(a: Location, b: Location) -> float:
    """Great-circle distance (the route planner's haversine, in km)."""
    return haversine_m(Place.at(a.lat, a.lon), Place.at(b.lat, b.lon)) / 1000


@dataclass(frozen=True)
class StationOffer:
    station_id: int
    location: Location
    online: bool
    free: tuple[Compartment, ...]


@dataclass(frozen=True)
class StationChoice:
    station_id: int
    km: float
    compartments: tuple[Compartment, ...]


def nearest_station(
    target: Location, stations: Iterable[StationOffer], needed: Sequence[Parcel],
    *, max_km: float = MAX_STATION_KM, skip: Iterable[int] = (),
) -> StationChoice:  # fmt: skip
    """The nearest online station that can take every parcel."""
    skipped = set(skip)
    ranked = sorted(
        ((km_between(target, s.location), s) for s in stations if s.station_id not in skipped),
        key=lambda pair: (pair[0], pair[1].station_id),
    )
    for km, station in ranked:
        if km > max_km:
            break
        if not station.online:
            continue
        compartments = assign(needed, station.free)
        if compartments is not None:
            return StationChoice(station.station_id, round(km, 2), tuple(compartments))
    raise DeliveryRuleError(
        "station", "No parcel station nearby has a free compartment that fits this order.",
        code="no_fitting_compartment",
    )  # fmt: skip


# --- slots ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SlotState:
    starts_at: datetime
    ends_at: datetime
    cutoff_at: datetime
    capacity: int
    booked: int


def check_bookable(slot: SlotState, now: datetime) -> None:
    if now >= slot.cutoff_at:
        raise DeliveryRuleError(
            "slot", "Orders for this slot closed at its cut-off. Choose a later slot.",
            code="slot_closed",
        )  # fmt: skip
    if slot.booked >= slot.capacity:
        raise DeliveryRuleError("slot", "This slot is full. Choose another one.", code="slot_full")


def day_windows(
    day_start_local: datetime, *, first_hour: int = 8, last_hour: int = 22
) -> list[tuple[datetime, datetime, datetime]]:
    """(start, end, cut-off) of a day's two-hour windows, in the day's own timezone."""
    windows = []
    hour = first_hour
    while hour + 2 <= last_hour:
        start = day_start_local.replace(hour=hour, minute=0, second=0, microsecond=0)
        windows.append((start, start + SLOT_LENGTH, start - CUTOFF_BEFORE))
        hour += 2
    return windows


def slot_before(
    slots: Iterable[SlotState], deadline: datetime, now: datetime, *, margin: timedelta
) -> SlotState | None:
    """The latest bookable slot that ends at least `margin` before `deadline`."""
    fitting = [
        s for s in slots
        if s.ends_at + margin <= deadline and now < s.cutoff_at and s.booked < s.capacity
    ]  # fmt: skip
    return max(fitting, key=lambda s: s.starts_at, default=None)


# --- order life ----------------------------------------------------------------------------


def check_transition(current: str, new: str) -> None:
    if new not in NEXT.get(current, frozenset()):
        raise DeliveryRuleError(
            "status", f"An order that is {current} cannot become {new}.", code="bad_transition"
        )


def check_mode(mode: str) -> None:
    if mode not in MODES:
        raise DeliveryRuleError("mode", "Choose home, locker, pickup or drone.", code="bad_mode")


# --- pickup codes --------------------------------------------------------------------------


def new_pickup_code() -> str:
    """Six digits, never a leading zero (people drop it when typing)."""
    return str(100_000 + secrets.randbelow(900_000))


def normalize_code(typed: str) -> str:
    digits = "".join(ch for ch in typed if ch.isdigit())
    if len(digits) != 6:
        raise DeliveryRuleError("code", "A pickup code has 6 digits.", code="bad_code_format")
    return digits


def pickup_deadline(stored_at: datetime) -> datetime:
    return stored_at + PICKUP_WINDOW


def code_qr_payload(station_code: str, code: str) -> str:
    """What the pickup QR holds: the station and the code (the station page reads it)."""
    return f"KOSMOS-PICKUP:{station_code}:{code}"


def code_from_scan(text: str) -> str:
    """The code from a scanned pickup QR, or the typed digits."""
    if text.startswith("KOSMOS-PICKUP:"):
        text = text.rsplit(":", 1)[-1]
    return normalize_code(text)


# --- drones --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DroneCheck:
    eligible: bool
    reasons: list[str] = field(default_factory=list)
    km: float = 0.0
    eta_minutes: int = 0


def drone_check(
    *, weight_g: int, store: Location | None, target: Location, daylight: bool,
    weather_ok: bool,
) -> DroneCheck:  # fmt: skip
    """Whether a drone may fly this order, and why not."""
    reasons = []
    if weight_g > DRONE_MAX_GRAMS:
        reasons.append(f"too heavy for a drone ({weight_g / 1000:.1f} kg, at most 2.3 kg)")
    km = km_between(store, target) if store is not None else math.inf
    if store is None:
        reasons.append("no drone-enabled store")
    elif km > DRONE_MAX_KM:
        reasons.append(f"too far for a drone ({km:.1f} km, at most 12 km)")
    if not daylight:
        reasons.append("drones fly in daylight only")
    if not weather_ok:
        reasons.append("drones are grounded for the weather")
    eta = 0 if math.isinf(km) else math.ceil(km / DRONE_KMH * 60) + 5  # + take-off, landing
    return DroneCheck(not reasons, reasons, 0.0 if math.isinf(km) else round(km, 2), eta)
