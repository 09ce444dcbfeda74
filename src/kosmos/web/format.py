"""Display formatting: money with babel, times in Europe/Berlin."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from babel.dates import format_datetime as _babel_datetime
from babel.numbers import format_currency, format_decimal

from kosmos.clock import BERLIN
from kosmos.web.i18n import current_locale

_BABEL_LOCALE = {"de": "de_DE", "en": "en_GB"}


def babel_locale() -> str:
    return _BABEL_LOCALE.get(current_locale.get(), "de_DE")


def price(cents: int | None, currency: str = "EUR") -> str:
    if cents is None:
        return ""
    return format_currency(Decimal(cents).scaleb(-2), currency, locale=babel_locale())


def number(value: float | Decimal | int, digits: int = 3) -> str:
    return format_decimal(value, locale=babel_locale(), format=f"#,##0.{'#' * digits}")


def local_datetime(moment: datetime | None, fmt: str = "medium") -> str:
    if moment is None:
        return ""
    return _babel_datetime(moment, fmt, tzinfo=BERLIN, locale=babel_locale())
