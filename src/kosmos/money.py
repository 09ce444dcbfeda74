"""Money: integer minor units plus a currency. VAT helpers with commercial rounding."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

MINOR_UNITS = {"EUR": 2}


@dataclass(frozen=True, slots=True)
class Money:
    amount: int  # minor units (cents)
    currency: str = "EUR"

    def __post_init__(self) -> None:
        if not isinstance(self.amount, int) or isinstance(self.amount, bool):
            raise TypeError("Money.amount must be an int of minor units")
        if self.currency not in MINOR_UNITS:
            raise ValueError(f"unsupported currency {self.currency!r}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def times(self, factor: Decimal | int) -> Money:
        """Multiply (e.g. price per kg times weight), rounded half up to the minor unit."""
        value = (Decimal(self.amount) * Decimal(factor)).quantize(Decimal(1), ROUND_HALF_UP)
        return Money(int(value), self.currency)

    def _same(self, other: Money) -> None:
        if self.currency != other.currency:
            raise ValueError(f"currency mismatch: {self.currency} vs {other.currency}")

    def as_decimal(self) -> Decimal:
        return Decimal(self.amount).scaleb(-MINOR_UNITS[self.currency])


def vat_included(gross: Money, rate_percent: int) -> Money:
    """VAT contained in a gross amount, commercially rounded (German receipts)."""
    vat = Decimal(gross.amount) * rate_percent / (100 + rate_percent)
    return Money(int(vat.quantize(Decimal(1), ROUND_HALF_UP)), gross.currency)


def net_of(gross: Money, rate_percent: int) -> Money:
    return gross - vat_included(gross, rate_percent)
