"""Receipts in plain Python: the lines a customer paid for, and the VAT they contain.

Prices in Kosmos are gross (German consumer prices include VAT), so a receipt works from
gross amounts down to net, the way a German till prints its VAT table:

1. Line total = unit price x quantity, rounded half up to the cent (`Money.times`).
2. Per VAT rate, the gross line totals of that rate are added up first.
3. VAT of a rate = that rate's gross sum x rate / (100 + rate), rounded half up to the cent
   (`kosmos.money.vat_included`); never computed per line and then added.
4. Net of a rate = gross sum - VAT, so net + VAT == gross exactly, per rate and in total.

`check_receipt` refuses a receipt that cannot be printed honestly (no lines, a currency
mismatch, an unknown VAT rate, a non-positive quantity, a naive datetime).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from kosmos.money import Money, vat_included
from kosmos.rules import RuleError

VAT_RATES = frozenset({0, 7, 19})
UNITS = frozenset({"piece", "kg", "g", "l", "ml", "pack"})


@dataclass(frozen=True)
class Party:
    """A merchant (seller) or a buyer, as printed on a receipt or invoice."""

    name: str
    street: str = ""
    postcode: str = ""
    city: str = ""
    country: str = "DE"
    vat_id: str | None = None  # USt-IdNr., e.g. DE123456789
    tax_number: str | None = None  # Steuernummer
    iban: str | None = None
    bic: str | None = None
    email: str | None = None

    def address_lines(self) -> list[str]:
        """Street and "postcode city" (country added when not Germany), without blanks."""
        place = " ".join(p for p in (self.postcode, self.city) if p)
        if self.country and self.country != "DE":
            place = f"{place}, {self.country}" if place else self.country
        return [line for line in (self.street, place) if line]


@dataclass(frozen=True)
class ReceiptLine:
    name: str
    quantity: Decimal  # Decimal("1.234") for kg, Decimal("2") for pieces
    unit: str  # "piece", "kg", "g", "l", "ml", "pack"
    unit_price: Money  # gross price per unit
    vat_rate: int  # percent: 0, 7 or 19
    gtin: str | None = None

    @property
    def total(self) -> Money:
        """Gross line total: unit price x quantity, rounded half up to the cent."""
        return self.unit_price.times(self.quantity)


@dataclass(frozen=True)
class VatLine:
    """One row of the VAT table: everything sold at one rate."""

    rate: int
    net: Money
    vat: Money
    gross: Money


@dataclass(frozen=True)
class Receipt:
    number: str  # e.g. "KOS-2026-000042"
    issued_at: datetime  # timezone-aware (UTC); documents show Europe/Berlin time
    merchant: Party
    lines: tuple[ReceiptLine, ...]
    payment_method: str  # e.g. "Kosmos Wallet", "Kosmos Wallet (PIN)"
    currency: str = "EUR"
    buyer: Party | None = None
    store_name: str | None = None
    refunded: Money | None = None  # total refunded so far

    @property
    def gross(self) -> Money:
        total = Money(0, self.currency)
        for line in self.lines:
            total = total + line.total
        return total

    def vat_breakdown(self) -> list[VatLine]:
        """The VAT table: per rate (ascending), VAT taken from the rate's gross sum."""
        gross_by_rate: dict[int, Money] = defaultdict(lambda: Money(0, self.currency))
        for line in self.lines:
            gross_by_rate[line.vat_rate] = gross_by_rate[line.vat_rate] + line.total
        table = []
        for rate in sorted(gross_by_rate):
            gross = gross_by_rate[rate]
            vat = vat_included(gross, rate)
            table.append(VatLine(rate=rate, net=gross - vat, vat=vat, gross=gross))
        return table

    @property
    def net(self) -> Money:
        total = Money(0, self.currency)
        for row in self.vat_breakdown():
            total = total + row.net
        return total

    @property
    def vat(self) -> Money:
        total = Money(0, self.currency)
        for row in self.vat_breakdown():
            total = total + row.vat
        return total

    @property
    def has_refund(self) -> bool:
        return self.refunded is not None and self.refunded.amount != 0


def check_receipt(receipt: Receipt) -> None:
    """Raise RuleError unless the receipt can be printed: lines, currency, rates, time."""
    if not receipt.number.strip():
        raise RuleError("number", "A receipt needs a number.", code="missing_number")
    if not receipt.merchant.name.strip():
        raise RuleError("merchant", "A receipt needs the merchant's name.", code="missing_name")
    if receipt.issued_at.tzinfo is None or receipt.issued_at.utcoffset() is None:
        raise RuleError(
            "issued_at", "The issue time must be timezone-aware.", code="naive_datetime"
        )
    if not receipt.lines:
        raise RuleError("lines", "A receipt needs at least one line.", code="no_lines")
    for line in receipt.lines:
        if line.unit_price.currency != receipt.currency:
            raise RuleError(
                "currency",
                f"Line {line.name!r} is priced in {line.unit_price.currency}, "
                f"the receipt in {receipt.currency}.",
                code="currency_mismatch",
            )
        if line.vat_rate not in VAT_RATES:
            raise RuleError(
                "vat_rate",
                f"VAT rate {line.vat_rate} % is not one of 0, 7 or 19 %.",
                code="bad_vat_rate",
            )
        if not line.quantity.is_finite() or line.quantity <= 0:
            raise RuleError(
                "quantity", f"Line {line.name!r} needs a positive quantity.", code="bad_quantity"
            )
        if line.unit not in UNITS:
            raise RuleError("unit", f"Unknown unit {line.unit!r}.", code="bad_unit")
    if receipt.refunded is not None and receipt.refunded.currency != receipt.currency:
        raise RuleError(
            "currency",
            f"The refund is in {receipt.refunded.currency}, the receipt in {receipt.currency}.",
            code="currency_mismatch",
        )
    if receipt.refunded is not None and not 0 <= receipt.refunded.amount <= receipt.gross.amount:
        raise RuleError(
            "refunded",
            "The refunded amount must be between zero and the receipt total.",
            code="bad_refund",
        )
