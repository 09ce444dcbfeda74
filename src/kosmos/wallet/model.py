"""Ledger rules in plain Python: balanced transfers and balance limits.

Convention: every entry carries a signed amount in minor units; an account's balance is
the sum of its entries. A transfer's entries sum to zero in each currency, so money is
never created or lost, only moved. Nothing is ever updated or deleted: a correction is
a new transfer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from kosmos.money import Money
from kosmos.rules import RuleError


class LedgerRuleError(RuleError):
    """A broken ledger rule."""


class InsufficientFunds(LedgerRuleError):
    def __init__(self, account_id: int, available: int, needed: int) -> None:
        super().__init__(
            "amount", "The balance does not cover this amount.", code="insufficient_funds"
        )
        self.account_id = account_id
        self.available = available
        self.needed = needed


@dataclass(frozen=True)
class Posting:
    """One leg of a transfer: money into (positive) or out of (negative) an account."""

    account_id: int
    amount: Money


def check_balanced(postings: Iterable[Posting]) -> None:
    """A transfer needs two or more legs, no zero legs, and sums to zero per currency."""
    legs = list(postings)
    if len(legs) < 2:
        raise LedgerRuleError("postings", "A transfer needs at least two postings.")
    if any(p.amount.amount == 0 for p in legs):
        raise LedgerRuleError("postings", "A posting of zero moves nothing.")
    sums: dict[str, int] = defaultdict(int)
    for p in legs:
        sums[p.amount.currency] += p.amount.amount
    unbalanced = sorted(c for c, total in sums.items() if total != 0)
    if unbalanced:
        raise LedgerRuleError("postings", "The postings do not sum to zero in every currency.")


def net_by_account(postings: Iterable[Posting]) -> dict[int, int]:
    """What the transfer does to each account (several legs on one account add up)."""
    net: dict[int, int] = defaultdict(int)
    for p in postings:
        net[p.account_id] += p.amount.amount
    return dict(net)


def check_limits(
    balances: Mapping[int, int],
    floors: Mapping[int, int | None],
    postings: Iterable[Posting],
) -> dict[int, int]:
    """The balances after the transfer; refuses to take an account below its floor.

    `floors[account]` is the lowest balance allowed (0 for a wallet, minus the credit
    line where there is one, None for accounts that mirror outside money).
    """
    after = dict(balances)
    for account_id, delta in sorted(net_by_account(postings).items()):
        new = after.get(account_id, 0) + delta
        floor = floors.get(account_id)
        if delta < 0 and floor is not None and new < floor:
            raise InsufficientFunds(account_id, after.get(account_id, 0) - floor, -delta)
        after[account_id] = new
    return after


# --- Strong customer authentication (PSD2 RTS art. 11, contactless-style exemption) ---

SCA_SINGLE_LIMIT = 50_00
"""A payment above 50 EUR always asks for the payment PIN."""
SCA_CUMULATIVE_LIMIT = 150_00
"""The counter Kosmos uses: the running total paid without a challenge since the last
challenge may not pass 150 EUR (the alternative, 5 payments in a row, is not used)."""


def needs_challenge(amount: int, unchallenged_total: int) -> bool:
    """Whether this payment must be confirmed with the payment PIN."""
    room = exempt_room(amount)
    return room is None or unchallenged_total > room


def exempt_room(amount: int) -> int | None:
    """The highest total paid without a challenge that still lets this payment go
    without one (the same rule as `needs_challenge`, as a bound a database can check);
    None when the amount alone needs the PIN."""
    if amount > SCA_SINGLE_LIMIT:
        return None
    return SCA_CUMULATIVE_LIMIT - amount


PIN_MAX_ATTEMPTS = 5
"""Wrong PINs in a row before the PIN locks (a new PIN, set with the password, unlocks)."""


def check_pin(pin: str) -> str:
    """A payment PIN: 4 to 6 digits, not one digit repeated, not a plain run (1234)."""
    if not (pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 6):
        raise LedgerRuleError("pin", "The PIN must be 4 to 6 digits.", code="pin_format")
    digits = [int(c) for c in pin]
    steps = {b - a for a, b in zip(digits, digits[1:], strict=False)}
    if steps in ({0}, {1}, {-1}):
        raise LedgerRuleError("pin", "This PIN is too easy to guess.", code="pin_weak")
    return pin


def refundable(paid: int, refunded: int, amount: int) -> None:
    """A refund is positive and never more than what is left of the payment."""
    if amount <= 0:
        raise LedgerRuleError("amount", "The amount must be positive.", code="invalid_amount")
    if refunded + amount > paid:
        raise LedgerRuleError(
            "amount", "A refund cannot exceed what was paid.", code="refund_exceeds_payment"
        )


def capturable(authorized: int, amount: int) -> None:
    if amount <= 0:
        raise LedgerRuleError("amount", "The amount must be positive.", code="invalid_amount")
    if amount > authorized:
        raise LedgerRuleError(
            "amount", "A capture cannot exceed the authorized amount.", code="capture_exceeds_hold"
        )


# --- Purchase lines (what a receipt lists) ---

VAT_RATES = (0, 7, 19)
UNITS = ("piece", "kg", "g", "l", "ml", "pack")


@dataclass(frozen=True)
class Line:
    name: str
    quantity: Decimal
    unit: str
    unit_price: int  # gross, minor units
    vat_rate: int
    gtin: str | None = None

    @property
    def total(self) -> int:
        return int((self.quantity * self.unit_price).quantize(Decimal(1), ROUND_HALF_UP))


def check_lines(lines: Iterable[Line]) -> int:
    """Lines of a purchase are sane; returns their gross total in minor units."""
    items = list(lines)
    if not items:
        raise LedgerRuleError("lines", "A purchase needs at least one line.")
    if len(items) > 200:
        raise LedgerRuleError("lines", "A purchase has at most 200 lines.")
    for line in items:
        if not 1 <= len(line.name.strip()) <= 120:
            raise LedgerRuleError("lines", "Each line needs a name of 1 to 120 characters.")
        if not Decimal(0) < line.quantity <= Decimal(9999):
            raise LedgerRuleError("lines", "Quantities are between 0 and 9999.")
        if not 0 < line.unit_price <= 1_000_000_00:
            raise LedgerRuleError("lines", "Unit prices are positive.")
        if line.vat_rate not in VAT_RATES:
            raise LedgerRuleError("lines", "The VAT rate must be 0, 7 or 19 percent.")
        if line.unit not in UNITS:
            raise LedgerRuleError("lines", "Unknown unit.")
    total = sum(line.total for line in items)
    if total <= 0:
        raise LedgerRuleError("lines", "A purchase must cost something.")
    return total


def check_amount(amount: int, *, lowest: int = 1, highest: int = 10_000_00) -> int:
    if not lowest <= amount <= highest:
        raise LedgerRuleError("amount", "This amount is not allowed here.", code="invalid_amount")
    return amount
