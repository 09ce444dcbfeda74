"""Form input in the page's locale: money amounts typed by people."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from babel.numbers import NumberFormatError, format_decimal, parse_decimal

from kosmos.errors import Invalid
from kosmos.web.format import babel_locale

_PRICE_TEXT = re.compile(r"-?[0-9][0-9.,]*")
_EITHER_MARK = re.compile(r"-?[0-9]+[.,][0-9]{1,2}")


def price_input(cents: int | None) -> str:
    """A price for a form field, in the page's locale and without grouping: 1234,50."""
    if cents is None:
        return ""
    return format_decimal(Decimal(cents).scaleb(-2), format="0.00", locale=babel_locale())


def parse_cents(text: str, field: str, *, highest: int) -> int:
    """Euros typed in the page's locale ("6,49" in German, "6.49" in English) as cents.

    A lone "." or "," followed by one or two digits can only be a decimal mark, so either
    is accepted; anything else is read strictly in the locale ("1.490" is 1490 EUR in
    German). Sub-cent amounts, NaN, infinities and exponents are refused, never rounded.
    """
    text = text.strip()
    if not _PRICE_TEXT.fullmatch(text):
        raise Invalid("Enter a price like 1,49.", field=field)
    try:
        euros = parse_decimal(text, locale=babel_locale(), strict=True)
    except NumberFormatError as err:
        if not _EITHER_MARK.fullmatch(text):
            raise Invalid("Enter a price like 1,49.", field=field) from err
        euros = Decimal(text.replace(",", "."))
    if not euros.is_finite():
        raise Invalid("Enter a price like 1,49.", field=field)
    if abs(euros) > Decimal(highest).scaleb(-2):
        raise Invalid("The price must be between 0 and 100,000.00 EUR.", field=field)
    try:
        cents = euros.scaleb(2)
        whole = cents.to_integral_value()
    except InvalidOperation as err:
        raise Invalid("Enter a price like 1,49.", field=field) from err
    if cents != whole:
        raise Invalid("Enter a price like 1,49.", field=field)
    return int(whole)
