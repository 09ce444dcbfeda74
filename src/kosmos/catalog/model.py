"""Catalog rules in plain Python: GTINs, German variable-measure codes, opening hours, VAT.

No framework imports: the rules are unit-tested without a database or an app.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal
from enum import StrEnum
from typing import Literal

import biip
from biip.gtin import Gtin, GtinFormat
from biip.rcn import Rcn, RcnRegion

from kosmos.clock import BERLIN
from kosmos.money import Money, net_of, vat_included
from kosmos.rules import RuleError

VAT_RATES = (7, 19)
UNITS = ("piece", "kg", "l")
MERCHANT_KINDS = (
    "butcher",
    "supermarket",
    "bakery",
    "restaurant",
    "drugstore",
    "hair_salon",
    "beauty_salon",
    "pharmacy",
    "florist",
    "repair_shop",
    "other_service",
)
STAFF_ROLES = ("owner", "staff")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_PRICE_CENTS = 10_000_000
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$|^24:00$")
_GERMANY = biip.ParseConfig(rcn_region=RcnRegion.GERMANY)
_SLUG = re.compile(r"[^a-z0-9]+")
_CODE_DIGITS = re.compile(r"[0-9]{8}|[0-9]{12,13}")  # ASCII only: "²" and "٣" are digits too


class CatalogRuleError(RuleError):
    """A broken catalog rule."""


def check_slug(raw: str) -> str:
    """A URL name: ASCII words joined by dashes ("Bäckerei Brandl" -> baeckerei-brandl)."""
    spelled = raw.lower().translate(_SPELL_OUT)
    slug = _SLUG.sub("-", spelled).strip("-")[:80].strip("-")
    if len(slug) < 3:
        raise CatalogRuleError("slug", "Use at least 3 letters or digits.")
    return slug


_SPELL_OUT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


# --- GTINs -------------------------------------------------------------------------------


class GtinKind(StrEnum):
    EAN_13 = "ean13"
    EAN_8 = "ean8"
    UPC_A = "upca"
    VARIABLE_WEIGHT = "variable_weight"
    VARIABLE_PRICE = "variable_price"
    RESTRICTED = "restricted"


def _parse(code: str) -> Gtin:
    digits = code.strip()
    if not _CODE_DIGITS.fullmatch(digits):
        raise CatalogRuleError(
            "gtin", "A GTIN has 8, 12 or 13 digits (EAN-8, UPC-A, EAN-13).", "invalid_gtin"
        )
    try:
        return Gtin.parse(digits, config=_GERMANY)
    except biip.ParseError as err:
        if "check digit" in str(err).lower():
            raise CatalogRuleError(
                "gtin", "The check digit of this GTIN is wrong.", "invalid_gtin"
            ) from err
        raise CatalogRuleError("gtin", f"Not a valid GTIN: {err}", "invalid_gtin") from err


def classify_gtin(code: str) -> GtinKind:
    """What kind of code this is; raises CatalogRuleError on a bad length or check digit."""
    gtin = _parse(code)
    if isinstance(gtin, Rcn):
        if gtin.weight is not None:
            return GtinKind.VARIABLE_WEIGHT
        if gtin.price is not None:
            return GtinKind.VARIABLE_PRICE
        return GtinKind.RESTRICTED
    if gtin.format == GtinFormat.GTIN_8:
        return GtinKind.EAN_8
    if gtin.format == GtinFormat.GTIN_12:
        return GtinKind.UPC_A
    return GtinKind.EAN_13


def normalize_gtin(code: str) -> str:
    """A product's GTIN in stored form: EAN-8 as 8, UPC-A as 12, EAN-13 as 13 digits.

    A UPC-A written as EAN-13 with a leading zero is stored as its 12 digits, so either
    spelling finds the same product. Restricted (in-store) numbers are refused.
    """
    gtin = _parse(code)
    if isinstance(gtin, Rcn):
        raise CatalogRuleError(
            "gtin",
            "Codes starting with 02 or 20-29 are in-store numbers, not product GTINs.",
            "invalid_gtin",
        )
    if gtin.format == GtinFormat.GTIN_8:
        return gtin.as_gtin_8()
    if gtin.format == GtinFormat.GTIN_12:
        return gtin.as_gtin_12()
    return gtin.as_gtin_13()


# --- German variable-measure codes (PP IIII C VVVVV K) ------------------------------------


@dataclass(frozen=True)
class ScannedCode:
    """A decoded barcode: a plain GTIN, or a German variable-measure label."""

    kind: Literal["gtin", "weight", "price"]
    gtin: str | None = None
    item_reference: str | None = None  # 4 digits (IIII) for variable-measure labels
    weight_kg: Decimal | None = None
    price: Money | None = None


def decode_barcode(code: str) -> ScannedCode:
    """Decode a scanned EAN/UPC; prefixes 28/29 carry a weight, 22/23 a price (Germany)."""
    digits = code.strip()
    if not _CODE_DIGITS.fullmatch(digits):
        raise CatalogRuleError("code", "A barcode has 8, 12 or 13 digits.", "invalid_barcode")
    try:
        gtin = Gtin.parse(digits, config=_GERMANY)
    except biip.ParseError as err:
        message = _check_digit_message(str(err))
        raise CatalogRuleError("code", message, "invalid_check_digit") from err
    if isinstance(gtin, Rcn) and gtin.region == RcnRegion.GERMANY:
        if gtin.weight is not None:
            return ScannedCode("weight", item_reference=gtin.item_reference, weight_kg=gtin.weight)
        if gtin.price is not None:
            cents = int((gtin.price * 100).to_integral_value())
            return ScannedCode("price", item_reference=gtin.item_reference, price=Money(cents))
    return ScannedCode("gtin", gtin=normalize_gtin(digits))


def _check_digit_message(error: str) -> str:
    if "variable measure" in error:
        return "The check digit of the weight or price on this label is wrong."
    if "check digit" in error.lower():
        return "The check digit of this barcode is wrong."
    return f"Not a valid barcode: {error}"


def normalize_rcn_item(raw: str) -> str:
    """The 4-digit item reference (IIII) a variable-measure label names a product by."""
    item = raw.strip()
    if not re.fullmatch(r"[0-9]{4}", item):
        raise CatalogRuleError("rcn_item", "Enter the 4-digit item number of the scale label.")
    return item


def line_price(price_per_unit: Money, weight_kg: Decimal) -> Money:
    """Price of a weighed item: price per kg times weight, rounded half up to the cent."""
    return price_per_unit.times(weight_kg)


# --- prices ------------------------------------------------------------------------------


def check_price_cents(value: int, field: str = "price_cents") -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise CatalogRuleError(field, "Enter the price in whole cents.")
    if not 0 <= value <= MAX_PRICE_CENTS:
        raise CatalogRuleError(field, "The price must be between 0 and 100,000.00 EUR.")
    return value


def check_vat_rate(value: int) -> int:
    if value not in VAT_RATES:
        raise CatalogRuleError("vat_rate", "German VAT is 7 or 19 percent.")
    return value


def check_unit(value: str) -> str:
    if value not in UNITS:
        raise CatalogRuleError("unit", "The unit is piece, kg or l.")
    return value


@dataclass(frozen=True)
class VatBreakdown:
    gross: Money
    net: Money
    vat: Money
    rate: int


def vat_breakdown(gross_cents: int, rate: int) -> VatBreakdown:
    """Gross (what the customer pays, incl. VAT) split into net and VAT."""
    gross = Money(gross_cents)
    return VatBreakdown(gross, net_of(gross, rate), vat_included(gross, rate), rate)


def unit_price(
    price_cents: int, *, weight_g: int | None, volume_ml: int | None
) -> tuple[Money, Literal["kg", "l"]] | None:
    """Grundpreis: the price per kg or per litre, when the pack's weight or volume is known."""
    if weight_g:
        return Money(price_cents).times(Decimal(1000) / Decimal(weight_g)), "kg"
    if volume_ml:
        return Money(price_cents).times(Decimal(1000) / Decimal(volume_ml)), "l"
    return None


# --- opening hours -----------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Interval:
    opens: time
    closes: time  # time(0, 0) as closing time means midnight (written "24:00")

    @property
    def end_minutes(self) -> int:
        minutes = self.closes.hour * 60 + self.closes.minute
        return minutes or 24 * 60

    @property
    def start_minutes(self) -> int:
        return self.opens.hour * 60 + self.opens.minute

    @property
    def opens_text(self) -> str:
        return self.opens.strftime("%H:%M")

    @property
    def closes_text(self) -> str:
        return "24:00" if self.end_minutes == 24 * 60 else self.closes.strftime("%H:%M")

    def label(self) -> str:
        return f"{self.opens_text}–{self.closes_text}"


OpeningHours = dict[str, tuple[Interval, ...]]
"""Weekday ("mon" .. "sun") to its intervals, sorted; a missing or empty day is closed."""


def _clock_time(raw: object, field: str) -> time:
    if not isinstance(raw, str) or not _HHMM.match(raw.strip()):
        raise CatalogRuleError(field, "Use the form HH:MM, e.g. 08:30.")
    text = raw.strip()
    if text == "24:00":
        return time(0, 0)
    return time(int(text[:2]), int(text[3:]))


def parse_opening_hours(raw: Mapping[str, object]) -> OpeningHours:
    """Validate {"mon": [["08:00", "12:00"], ...], ...}; intervals may not overlap.

    An interval also accepts {"opens": ..., "closes": ...}. Closing is after opening on
    the same day; "24:00" closes at midnight.
    """
    unknown = sorted(set(raw) - set(WEEKDAYS))
    if unknown:
        raise CatalogRuleError("opening_hours", f"Unknown weekday {unknown[0]!r}.")
    hours: OpeningHours = {}
    for day in WEEKDAYS:
        spans = raw.get(day) or []
        if not isinstance(spans, list | tuple):
            raise CatalogRuleError(f"opening_hours.{day}", "Give a list of intervals.")
        intervals = sorted(
            _interval(span, f"opening_hours.{day}.{i}") for i, span in enumerate(spans)
        )
        for before, after in zip(intervals, intervals[1:], strict=False):
            if after.start_minutes < before.end_minutes:
                raise CatalogRuleError(f"opening_hours.{day}", "The intervals overlap.")
        if intervals:
            hours[day] = tuple(intervals)
    return hours


def _interval(span: object, field: str) -> Interval:
    if isinstance(span, Mapping):
        span = [span.get("opens"), span.get("closes")]
    if not isinstance(span, list | tuple) or len(span) != 2:
        raise CatalogRuleError(field, "An interval is an opening and a closing time.")
    opens, closes = _clock_time(span[0], field), _clock_time(span[1], field)
    if opens == time(0, 0) and str(span[0]).strip() == "24:00":
        raise CatalogRuleError(field, "A day cannot open at 24:00.")
    interval = Interval(opens, closes)
    if interval.end_minutes <= interval.start_minutes:
        raise CatalogRuleError(field, "Closing time must be after opening time.")
    return interval


def parse_day_text(text: str, field: str) -> tuple[Interval, ...]:
    """A form field like "08:00-12:00, 14:00-18:30" ("" means closed)."""
    spans: list[list[str]] = []
    for part in filter(None, (p.strip() for p in text.replace(";", ",").split(","))):
        opens, sep, closes = part.replace("–", "-").partition("-")
        if not sep:
            raise CatalogRuleError(field, "Write intervals as HH:MM-HH:MM, separated by commas.")
        spans.append([opens.strip(), closes.strip()])
    day = field.rsplit("_", 1)[-1]
    try:
        return parse_opening_hours({day: spans}).get(day, ())
    except CatalogRuleError as err:
        raise CatalogRuleError(field, str(err)) from err


def hours_to_json(hours: OpeningHours) -> dict[str, list[list[str]]]:
    return {day: [[i.opens_text, i.closes_text] for i in spans] for day, spans in hours.items()}


def day_text(spans: tuple[Interval, ...]) -> str:
    return ", ".join(f"{i.opens_text}-{i.closes_text}" for i in spans)


def is_open_at(hours: OpeningHours, moment: datetime) -> bool:
    """Whether the store is open at `moment` (aware), judged in Europe/Berlin."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    local = moment.astimezone(BERLIN)
    minutes = local.hour * 60 + local.minute
    spans = hours.get(WEEKDAYS[local.weekday()], ())
    return any(i.start_minutes <= minutes < i.end_minutes for i in spans)
