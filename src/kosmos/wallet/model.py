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
        raise LedgerRuleError(
            "postings", "The postings do not sum to zero in " + ", ".join(unbalanced) + "."
        )


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
