"""Restaurant rules in plain Python (integer cents, no framework, no database).

- **Even split**: a tab's open amount in `parts` shares to the cent by the largest
  remainder (Hamilton): everyone gets the floor of the exact quota, the cents left over go
  one each to the largest remainders (ties: the earlier share). The shares add up exactly.
- **VAT of a share**: a receipt must say how much of a share is food (7 %) and how much is
  drinks (19 %). `share_parts` gives each share its part of every rate's gross so that the
  parts of a share add up to the share and the parts of a rate add up to that rate's gross
  (each share in turn takes its largest-remainder part of what is still left per rate).
- **Tip** ("Trinkgeld"): a preset percent of what the payer pays (rounded half up to the
  cent) or an amount typed by the payer; never negative, at most as much again as the bill.
  On the receipt it is a line of its own with VAT 0 %: a tip given voluntarily for the
  staff is not payment for a supply of the restaurant (in Germany not part of the taxable
  amount, UStAE 10.1 Abs. 5; tax-free for the staff, § 3 Nr. 51 EStG). The restaurant
  receives it with the payment and passes it on to the staff.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from kosmos.rules import RuleError

TIP_PRESETS = (0, 5, 10, 15)
"""Percent presets the pay page offers (a custom amount is the other way)."""
MAX_TIP_PERCENT = 100
MAX_PARTS = 20
MAX_QUANTITY = 50
MAX_LINES = 30
FOOD_VAT, DRINK_VAT, TIP_VAT = 7, 19, 0
TIP_NAME = "Trinkgeld"
PAY_MODES = ("whole", "items", "share")


class DiningRuleError(RuleError):
    """A broken restaurant rule (field names the input, code is stable)."""


def new_token() -> str:
    """An unguessable table token (128 random bits, URL-safe)."""
    return secrets.token_urlsafe(16)


def largest_remainder(amount: int, weights: Sequence[int]) -> list[int]:
    """`amount` cents apportioned by `weights` (floors, then one cent each to the largest
    remainders; ties: the earlier position). Sums to `amount`."""
    total = sum(weights)
    if total <= 0 or any(w < 0 for w in weights):
        raise DiningRuleError("parts", "Nothing to share.", code="nothing_to_split")
    floors = [amount * w // total for w in weights]
    remainders = [amount * w % total for w in weights]
    left = amount - sum(floors)
    for i in sorted(range(len(weights)), key=lambda i: (-remainders[i], i))[:left]:
        floors[i] += 1
    return floors


def check_parts(parts: int) -> int:
    if not 2 <= parts <= MAX_PARTS:
        raise DiningRuleError("parts", "Split between 2 and 20 people.", code="bad_parts")
    return parts


def split_evenly(total: int, parts: int) -> list[int]:
    """`total` cents in `parts` even shares to the cent (the first ones a cent more)."""
    check_parts(parts)
    if total <= 0:
        raise DiningRuleError("parts", "Nothing to share.", code="nothing_to_split")
    return largest_remainder(total, [1] * parts)


def share_parts(by_rate: Mapping[int, int], shares: Sequence[int]) -> list[dict[int, int]]:
    """Each share's gross per VAT rate. Rows add up to the shares, columns to `by_rate`."""
    if sum(by_rate.values()) != sum(shares):
        raise DiningRuleError("parts", "The shares do not add up.", code="bad_parts")
    rates = sorted(r for r, v in by_rate.items() if v > 0)
    left = {r: by_rate[r] for r in rates}
    out: list[dict[int, int]] = []
    for share in shares:
        weights = [left[r] for r in rates]
        parts = largest_remainder(share, weights) if share else [0] * len(rates)
        for r, part in zip(rates, parts, strict=True):
            left[r] -= part
        out.append({r: p for r, p in zip(rates, parts, strict=True) if p})
    return out


def tip_cents(base: int, *, percent: int | None = None, amount: int | None = None) -> int:
    """The tip on `base` cents: a percent (rounded half up) or an amount, not both."""
    if percent is not None and amount is not None:
        raise DiningRuleError("tip", "Choose a tip percent or an amount, not both.",
                              code="tip_twice")  # fmt: skip
    if percent is not None:
        if not 0 <= percent <= MAX_TIP_PERCENT:
            raise DiningRuleError("tip", "The tip percent must be 0 to 100.", code="bad_tip")
        cents = Decimal(base) * percent / 100
        return int(cents.quantize(Decimal(1), ROUND_HALF_UP))
    if amount is None:
        return 0
    if not 0 <= amount <= max(base, 0):
        raise DiningRuleError("tip", "The tip can be at most the amount of the bill.",
                              code="bad_tip")  # fmt: skip
    return amount


def check_quantity(quantity: int) -> int:
    if not 1 <= quantity <= MAX_QUANTITY:
        raise DiningRuleError("quantity", "Order 1 to 50 of a dish at a time.",
                              code="bad_quantity")  # fmt: skip
    return quantity


def check_order(items: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """(product id, quantity) pairs: 1 to 30 lines, each quantity 1 to 20; the same dish
    twice is one line with both quantities."""
    if not items:
        raise DiningRuleError("items", "Choose at least one dish.", code="no_items")
    if len(items) > MAX_LINES:
        raise DiningRuleError("items", "At most 30 different dishes at a time.",
                              code="too_many_items")  # fmt: skip
    merged: dict[int, int] = {}
    for product_id, quantity in items:
        merged[product_id] = merged.get(product_id, 0) + check_quantity(quantity)
    for quantity in merged.values():
        check_quantity(quantity)
    return list(merged.items())


def item_lines(items: Iterable[tuple[str, int, int, int]]) -> list[dict[str, Any]]:
    """Receipt lines (kosmos.wallet.lines form) of (name, quantity, unit price, VAT) rows;
    the same dish at the same price is one line."""
    merged: dict[tuple[str, int, int], int] = {}
    for name, quantity, price, vat in items:
        key = (name[:120], price, vat)
        merged[key] = merged.get(key, 0) + quantity
    return [
        {"name": name, "quantity": quantity, "unit": "piece", "unit_price": price,
         "vat_rate": vat, "gtin": None}
        for (name, price, vat), quantity in merged.items()
    ]  # fmt: skip


SHARE_NAMES = {FOOD_VAT: "Speisen", DRINK_VAT: "Getränke", TIP_VAT: "Sonstiges"}


def share_lines(number: int, parts: int, by_rate: Mapping[int, int]) -> list[dict[str, Any]]:
    """A share's receipt lines: one per VAT rate ("Anteil 2/3 · Speisen (7 %)")."""
    return [
        {"name": f"Anteil {number}/{parts} · {SHARE_NAMES.get(rate, 'Sonstiges')} ({rate} %)",
         "quantity": 1, "unit": "piece", "unit_price": cents, "vat_rate": rate, "gtin": None}
        for rate, cents in sorted(by_rate.items()) if cents > 0
    ]  # fmt: skip


def tip_line(cents: int) -> list[dict[str, Any]]:
    """The tip as a receipt line of its own (VAT 0 %), or nothing."""
    if cents <= 0:
        return []
    return [{"name": TIP_NAME, "quantity": 1, "unit": "piece", "unit_price": cents,
             "vat_rate": TIP_VAT, "gtin": None}]  # fmt: skip


def by_rate(rows: Iterable[tuple[int, int]]) -> dict[int, int]:
    """(gross cents, VAT rate) rows summed per rate."""
    out: dict[int, int] = {}
    for cents, rate in rows:
        out[rate] = out.get(rate, 0) + cents
    return out
