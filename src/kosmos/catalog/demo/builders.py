"""Turn the rows of the product tables into product dicts (GTIN, VAT, size, age)."""

from __future__ import annotations

import re
from typing import Any

from kosmos.catalog.demo.categories import CATEGORY_MIN_AGE, CATEGORY_VAT
from kosmos.catalog.demo.helpers import gtin_check_digit

Row = tuple[str, str, int, str, str]  # name, category, price_cents, size, description
CounterRow = tuple[str, str, str, int, str]  # rcn_item, name, category, cents/kg, description


_SIZE_RE = re.compile(r"^(?:(\d+) x )?(\d+(?:,\d+)?) (g|kg|ml|l)$")


def _size(size: str) -> tuple[int | None, int | None]:
    """Parse a German pack size ("400 g", "1,5 l", "20 x 0,5 l") into (weight_g, volume_ml)."""
    if not size:
        return None, None
    match = _SIZE_RE.match(size)
    if match is None:
        raise ValueError(f"unparsable size: {size!r}")
    count = int(match.group(1) or 1)
    amount = float(match.group(2).replace(",", "."))
    unit = match.group(3)
    total = round(count * amount * (1000 if unit in ("kg", "l") else 1))
    return (total, None) if unit in ("g", "kg") else (None, total)


_serials: dict[str, int] = {}


def _next_gtin(prefix: str, length: int) -> str:
    """Next GTIN of a company prefix: prefix + zero-padded serial + check digit."""
    serial = _serials.get(prefix, 0) + 1
    _serials[prefix] = serial
    body = prefix + str(serial).zfill(length - 1 - len(prefix))
    if len(body) != length - 1:
        raise ValueError(f"serial range of prefix {prefix} exhausted")
    return body + gtin_check_digit(body)


def _product(
    merchant: str,
    brand: str,
    row: Row,
    *,
    unit: str = "piece",
    gtin: str | None = None,
    rcn_item: str | None = None,
) -> dict[str, Any]:
    name, category, price_cents, size, description = row
    weight_g, volume_ml = _size(size)
    min_age = CATEGORY_MIN_AGE.get(category, 0)
    return {
        "merchant": merchant,
        "gtin": gtin,
        "name": name,
        "brand": brand,
        "category": category,
        "unit": unit,
        "price_cents": price_cents,
        "vat_rate": CATEGORY_VAT[category],
        "weight_g": weight_g,
        "volume_ml": volume_ml,
        "min_age": min_age,
        "age_restricted": min_age > 0,
        "rcn_item": rcn_item,
        "description": description,
    }


def packed(
    merchant: str, brand: str, prefix: str, length: int, rows: list[Row]
) -> list[dict[str, Any]]:
    """Packed goods, each with the next GTIN of ``prefix`` (``length`` digits long)."""
    return [_product(merchant, brand, row, gtin=_next_gtin(prefix, length)) for row in rows]


def counter(merchant: str, brand: str, rows: list[CounterRow]) -> list[dict[str, Any]]:
    """Loose counter goods sold by weight: no GTIN, priced per kg, with an ``rcn_item``."""
    return [
        _product(merchant, brand, (name, category, price, "", description), unit="kg", rcn_item=rcn)
        for rcn, name, category, price, description in rows
    ]


def menu(merchant: str, brand: str, rows: list[Row]) -> list[dict[str, Any]]:
    """Restaurant dishes, drinks served by the glass and services: no barcode."""
    return [_product(merchant, brand, row) for row in rows]
