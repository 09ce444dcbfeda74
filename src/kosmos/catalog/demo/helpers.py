"""GS1 check digits and the in-store scale labels of the demo data. Standard library only."""

from __future__ import annotations


def gtin_check_digit(body: str) -> str:
    """Return the GS1 check digit for ``body`` (a GTIN without its last digit).

    Works for every GTIN length (EAN-8, UPC-A, EAN-13, GTIN-14): digits are weighted
    3, 1, 3, 1 ... starting from the right-most digit of the body.
    """
    if not body.isdigit():
        raise ValueError(f"GTIN body must be digits only: {body!r}")
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


_FIVE_PLUS = (0, 5, 1, 6, 2, 7, 3, 8, 4, 9)
_TWO_MINUS = (0, 2, 4, 6, 8, 9, 1, 3, 5, 7)
_FIVE_MINUS = (0, 5, 9, 4, 8, 3, 7, 2, 6, 1)


def price_weight_check_digit(value: str) -> str:
    """GS1 check digit of a 5-digit price or weight (weights 5+, 2-, 5-, 5+, 2-)."""
    if len(value) != 5 or not value.isdigit():
        raise ValueError(f"value must be 5 digits: {value!r}")
    tables = (_FIVE_PLUS, _TWO_MINUS, _FIVE_MINUS, _FIVE_PLUS, _TWO_MINUS)
    total = sum(table[int(d)] for table, d in zip(tables, value, strict=True))
    return str(_FIVE_MINUS.index((10 - total % 10) % 10))


def variable_measure_ean(rcn_item: str, value: int, prefix: str = "28") -> str:
    """Build the in-store EAN-13 a German shop scale prints on a label.

    GS1 Germany layout ``PP IIII C VVVVV K``: prefix, 4-digit item reference
    (``rcn_item``), check digit of the value, 5-digit value, GS1 check digit. With prefix
    28/29 the value is the net weight in grams, with 22/23 the price in cents.
    """
    if prefix not in ("22", "23", "28", "29"):
        raise ValueError(f"unsupported variable-measure prefix: {prefix!r}")
    if len(rcn_item) != 4 or not rcn_item.isdigit():
        raise ValueError(f"rcn_item must be 4 digits: {rcn_item!r}")
    if not 0 <= value <= 99999:
        raise ValueError(f"value out of range: {value}")
    measure = f"{value:05d}"
    body = prefix + rcn_item + price_weight_check_digit(measure) + measure
    return body + gtin_check_digit(body)
