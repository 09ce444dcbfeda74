"""Scan&Go rules in plain Python: cart lines and their totals (VAT per rate through the
catalog's `vat_breakdown`), quantities, the exit pass's state, the re-scan draw and the
pass codes a gate accepts.

Cart lines: a plain product code (EAN-13, EAN-8, UPC-A) is a piece line; scanning it again
adds one to that line. A German scale label (28/29 weight, 22/23 price) is one labelled
pack: each scan of a label adds a line of its own (two packs may carry the same label),
its quantity cannot be changed, only the line removed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from kosmos.catalog.model import VatBreakdown, vat_breakdown
from kosmos.money import Money
from kosmos.rules import RuleError
from kosmos.wallet.receipt import ReceiptLine

LABEL_KINDS = frozenset({"weight", "price"})
MAX_QUANTITY = 99
MAX_LINES = 200  # what one wallet purchase may carry
PASS_TTL = timedelta(minutes=10)
STALE_AFTER = timedelta(hours=12)  # an open visit older than this is not resumed
SHORT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed
SHORT_LENGTH = 8
EXIT_PATH = "/scango/exit/"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
_SHORT = re.compile(f"[{SHORT_ALPHABET}]{{{SHORT_LENGTH}}}")


class ScanGoRuleError(RuleError):
    """A Scan&Go rule was broken."""


# --- cart ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CartLine:
    """One line of a cart. `unit_price_cents` is per piece, per kg (weight label) or the
    label's price (price label)."""

    name: str
    kind: str  # "gtin", "weight" or "price"
    quantity: int  # pieces; 1 for a labelled pack
    unit_price_cents: int
    vat_rate: int
    weight_g: int | None = None
    gtin: str | None = None
    min_age: int = 0

    def receipt_line(self) -> ReceiptLine:
        if self.kind == "weight":
            assert self.weight_g is not None
            quantity, unit = Decimal(self.weight_g) / 1000, "kg"
        else:
            quantity, unit = Decimal(self.quantity), "piece"
        return ReceiptLine(
            self.name, quantity, unit, Money(self.unit_price_cents), self.vat_rate, self.gtin
        )

    @property
    def total(self) -> int:
        """Gross line total, computed the way the receipt computes it."""
        return self.receipt_line().total.amount

    def wallet_line(self) -> dict[str, Any]:
        """The line as `kosmos.wallet.payments.pay_merchant` takes it."""
        line = self.receipt_line()
        return {
            "name": self.name[:120],
            "quantity": str(line.quantity),
            "unit": line.unit,
            "unit_price": self.unit_price_cents,
            "vat_rate": self.vat_rate,
            "gtin": self.gtin,
        }


@dataclass(frozen=True)
class CartTotals:
    total: int
    items: int  # pieces and packs
    vat: tuple[VatBreakdown, ...]  # per rate, ascending
    min_age: int  # the highest age any line asks for (0: none)


def cart_totals(lines: Iterable[CartLine]) -> CartTotals:
    """The total and, per VAT rate, the VAT contained in that rate's gross sum."""
    gross_by_rate: dict[int, int] = {}
    items = min_age = 0
    for line in lines:
        gross_by_rate[line.vat_rate] = gross_by_rate.get(line.vat_rate, 0) + line.total
        items += line.quantity
        min_age = max(min_age, line.min_age)
    rows = tuple(vat_breakdown(gross, rate) for rate, gross in sorted(gross_by_rate.items()))
    return CartTotals(sum(gross_by_rate.values()), items, rows, min_age)


def check_quantity(kind: str, quantity: int) -> int:
    """A new quantity for a line (0 removes it); labelled packs cannot be counted up."""
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        raise ScanGoRuleError("quantity", "Enter a whole number.", "invalid_quantity")
    if not 0 <= quantity <= MAX_QUANTITY:
        raise ScanGoRuleError("quantity", "The quantity is between 0 and 99.", "invalid_quantity")
    if kind in LABEL_KINDS and quantity not in (0, 1):
        raise ScanGoRuleError(
            "quantity",
            "A labelled pack counts once: scan each pack's own label instead.",
            "label_quantity",
        )
    return quantity


def is_stale(created_at: datetime, now: datetime) -> bool:
    """An open visit left behind (yesterday's cart) is not resumed at the next check-in."""
    return now - created_at >= STALE_AFTER


# --- exit pass -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PassFacts:
    expires_at: datetime
    used_at: datetime | None = None
    presented_at: datetime | None = None
    min_age: int = 0
    age_confirmed: bool = False
    needs_rescan: bool = False
    rescanned: bool = False


def pending_checks(facts: PassFacts) -> list[str]:
    """What staff still have to do before the pass lets the customer go."""
    pending = []
    if facts.min_age > 0 and not facts.age_confirmed:
        pending.append("age")
    if facts.needs_rescan and not facts.rescanned:
        pending.append("rescan")
    return pending


def pass_state(facts: PassFacts, now: datetime) -> str:
    """ "used", "expired", "checks" (staff checks pending) or "valid".

    A pass is good for `PASS_TTL` after payment; one shown at the gate in time stays
    good while staff check the age or re-scan the cart."""
    if facts.used_at is not None:
        return "used"
    if facts.presented_at is None and now >= facts.expires_at:
        return "expired"
    return "checks" if pending_checks(facts) else "valid"


def rescan_drawn(one_in: int, draw: Callable[[int], int]) -> bool:
    """Whether this exit is re-scanned by staff: 1 in `one_in` (0: never). `draw(n)`
    returns a uniform integer in [0, n) (`secrets.randbelow`; tests inject their own)."""
    if one_in <= 0:
        return False
    return one_in == 1 or draw(one_in) == 0


def new_short_code(pick: Callable[[str], str]) -> str:
    """A code to type at the gate: 8 letters and digits that cannot be misread."""
    return "".join(pick(SHORT_ALPHABET) for _ in range(SHORT_LENGTH))


def short_code_text(code: str) -> str:
    """Shown in two groups: "ABCD-EF23"."""
    return f"{code[:4]}-{code[4:]}"


def checkin_url(base_url: str, store_slug: str) -> str:
    """What the store's check-in QR code carries."""
    return f"{base_url.rstrip('/')}/go/{store_slug}"


def pass_url(base_url: str, token: str) -> str:
    """What the pass's QR code carries: the pass id and nothing else."""
    return f"{base_url.rstrip('/')}{EXIT_PATH}{token}"


def parse_pass_input(text: str) -> tuple[str, str]:
    """A scanned QR (the pass URL or its bare id) or a typed short code, as
    ("token", id) or ("short", code)."""
    raw = text.strip()
    if EXIT_PATH in raw:
        raw = raw.split(EXIT_PATH, 1)[1].split("?", 1)[0].strip("/")
        if _TOKEN.fullmatch(raw):
            return "token", raw
    else:
        short = re.sub(r"[\s-]", "", raw).upper()
        if _SHORT.fullmatch(short):
            return "short", short
        if _TOKEN.fullmatch(raw):
            return "token", raw
    raise ScanGoRuleError(
        "code", "This is not an exit pass: scan its QR code or type its 8 characters.",
        "invalid_pass_code",
    )  # fmt: skip
