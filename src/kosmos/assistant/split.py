"""Cost split rules in plain Python, in integer cents (no framework, no database).

- An expense is paid by one member and shared by its participants: equally (the default),
  by shares (integer weights, "Anna 2, Ben 1"), or with fixed amounts for some people and
  the rest split equally among the others.
- Cents that do not divide evenly go by the largest remainder (Hamilton's method): every
  participant gets the floor of their exact quota, then the cents left over go one each to
  the largest fractional remainders, ties by participant order. So an expense's shares
  always add up to its amount exactly, and the same input always gives the same shares.
- A balance is what a member paid minus what they owe (positive: others owe them); the
  balances of a group always add up to 0.
- `settle` finds the fewest transfers that clear every balance. With n members whose
  balance is not 0, any settlement needs at least n - g transfers, where g is the largest
  number of disjoint groups of members whose balances each add up to 0 (inside a group of
  k members, k - 1 transfers suffice and are needed). Up to `EXACT_LIMIT` members the
  largest such partition is found exactly by dynamic programming over subsets
  (O(2^n * n)); above that a greedy method is used: first pairs with exactly opposite
  balances, then the largest debtor pays the largest creditor, which needs at most n - 1
  transfers but is not always the minimum.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Generic, Literal, TypeVar

from kosmos.rules import RuleError

M = TypeVar("M", bound=Hashable)
Mode = Literal["equal", "shares", "fixed"]
MODES: tuple[Mode, ...] = ("equal", "shares", "fixed")
EXACT_LIMIT = 15
"""Up to this many members with a balance, `settle` is exact (2^15 subsets: a few ms)."""


class SplitError(RuleError):
    """A split that cannot be carried out (field names the part of the input)."""


@dataclass(frozen=True)
class Expense(Generic[M]):
    """`participants` in a stable order (it breaks ties). `weights` (mode "shares"): an
    integer weight per participant, 0 to leave someone out. `fixed` (mode "fixed"): cents
    for some participants; the rest of the amount is split equally among the others."""

    payer: M
    amount_cents: int
    participants: tuple[M, ...]
    mode: Mode = "equal"
    weights: Mapping[M, int] = field(default_factory=dict)
    fixed: Mapping[M, int] = field(default_factory=dict)


Transfer = tuple[M, M, int]  # (from, to, cents)


def largest_remainder(amount: int, weights: Sequence[int]) -> list[int]:
    """`amount` cents apportioned by `weights`: floors of the exact quotas, then one cent
    each to the largest remainders (ties: the earlier position). Sums to `amount`."""
    total = sum(weights)
    if total <= 0 or any(w < 0 for w in weights):
        raise SplitError("split", "The shares must be 0 or more and not all 0.", code="bad_shares")
    floors = [amount * w // total for w in weights]
    remainders = [amount * w % total for w in weights]
    left = amount - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for i in order[:left]:
        floors[i] += 1
    return floors


def shares(expense: Expense[M]) -> dict[M, int]:
    """What each participant owes of the expense; the values add up to its amount."""
    amount, people = expense.amount_cents, list(expense.participants)
    if amount <= 0:
        raise SplitError("amount_cents", "The amount must be more than 0.", code="bad_amount")
    if not people:
        raise SplitError("split", "Nobody shares this expense.", code="no_participants")
    if len(set(people)) != len(people):
        raise SplitError("split", "A participant is listed twice.", code="duplicate_participant")
    if expense.mode == "equal":
        return dict(zip(people, largest_remainder(amount, [1] * len(people)), strict=True))
    if expense.mode == "shares":
        _only_participants(expense.weights, people)
        weights = [int(expense.weights.get(p, 0)) for p in people]
        return dict(zip(people, largest_remainder(amount, weights), strict=True))
    if expense.mode == "fixed":
        _only_participants(expense.fixed, people)
        if any(v < 0 for v in expense.fixed.values()):
            raise SplitError("split", "A fixed amount cannot be negative.", code="bad_fixed")
        rest = amount - sum(expense.fixed.values())
        if rest < 0:
            raise SplitError(
                "split", "The fixed amounts are more than the expense.", code="fixed_exceeds"
            )
        others = [p for p in people if p not in expense.fixed]
        out = {p: int(expense.fixed[p]) for p in people if p in expense.fixed}
        if not others:
            if rest:
                raise SplitError(
                    "split", "The fixed amounts must add up to the expense.", code="fixed_short"
                )
        else:
            out.update(zip(others, largest_remainder(rest, [1] * len(others)), strict=True))
        return {p: out[p] for p in people}
    raise SplitError("split", "Unknown split mode.", code="bad_mode")


def _only_participants(values: Mapping[M, int], people: list[M]) -> None:
    if any(p not in people for p in values):
        raise SplitError("split", "Only participants can have a share.", code="not_participant")


def balances(expenses: Iterable[Expense[M]], transfers: Iterable[Transfer[M]] = ()
             ) -> dict[M, int]:  # fmt: skip
    """Paid minus owed per member (in order of first appearance), after `transfers`
    already made (from, to, cents): paying a debt raises the payer's balance."""
    out: dict[M, int] = {}
    for expense in expenses:
        owed = shares(expense)
        out[expense.payer] = out.get(expense.payer, 0) + expense.amount_cents
        for member, cents in owed.items():
            out[member] = out.get(member, 0) - cents
    for source, target, cents in transfers:
        out[source] = out.get(source, 0) + cents
        out[target] = out.get(target, 0) - cents
    return out


def settle(balance: Mapping[M, int]) -> list[Transfer[M]]:
    """The fewest transfers (from, to, cents) after which every balance is 0 (exact up to
    `EXACT_LIMIT` members with a balance, greedy above). Deterministic: ties follow the
    order of `balance`."""
    if sum(balance.values()) != 0:
        raise SplitError("balances", "Balances must add up to 0.", code="unbalanced")
    members = [m for m, v in balance.items() if v != 0]
    if len(members) > EXACT_LIMIT:
        return _greedy(members, balance, pair_first=True)
    transfers: list[Transfer[M]] = []
    for group in zero_sum_groups([balance[m] for m in members]):
        transfers.extend(_greedy([members[i] for i in group], balance, pair_first=False))
    return transfers


def zero_sum_groups(values: Sequence[int]) -> list[list[int]]:
    """A partition of the positions of `values` (which add up to 0, none is 0) into the
    largest number of groups that each add up to 0. best[mask] is the most zero-sum groups
    the members of `mask` can be cut into when taken one by one; a member order that
    reaches best[full] cuts a group wherever its running sum returns to 0."""
    n = len(values)
    if n == 0:
        return []
    full = (1 << n) - 1
    total = [0] * (1 << n)
    best = [0] * (1 << n)
    for mask in range(1, full + 1):
        low = mask & -mask
        total[mask] = total[mask ^ low] + values[low.bit_length() - 1]
        top = 0
        rest = mask
        while rest:
            bit = rest & -rest
            rest ^= bit
            if best[mask ^ bit] > top:
                top = best[mask ^ bit]
        best[mask] = top + (1 if total[mask] == 0 else 0)
    order: list[int] = []  # built from the last member backwards
    mask = full
    while mask:
        want = best[mask] - (1 if total[mask] == 0 else 0)
        for i in range(n):
            bit = 1 << i
            if mask & bit and best[mask ^ bit] == want:
                order.append(i)
                mask ^= bit
                break
    order.reverse()
    groups: list[list[int]] = []
    current: list[int] = []
    running = 0
    for i in order:
        current.append(i)
        running += values[i]
        if running == 0:
            groups.append(sorted(current))
            current = []
    return sorted(groups)


def _greedy(members: list[M], balance: Mapping[M, int], *, pair_first: bool
            ) -> list[Transfer[M]]:  # fmt: skip
    """Largest debtor pays largest creditor until all are even (at most n - 1 transfers);
    with `pair_first`, exactly opposite balances are settled with each other first."""
    rank = {m: i for i, m in enumerate(members)}
    left = {m: balance[m] for m in members}
    transfers: list[Transfer[M]] = []
    if pair_first:
        waiting: dict[int, list[M]] = {}
        for m in members:
            if left[m] > 0:
                waiting.setdefault(left[m], []).append(m)
        for m in members:
            if left[m] < 0 and waiting.get(-left[m]):
                creditor = waiting[-left[m]].pop(0)
                transfers.append((m, creditor, -left[m]))
                left[creditor] = left[m] = 0
    while True:
        debtors = sorted((m for m in members if left[m] < 0), key=lambda m: (left[m], rank[m]))
        creditors = sorted((m for m in members if left[m] > 0), key=lambda m: (-left[m], rank[m]))
        if not debtors:
            return transfers
        debtor, creditor = debtors[0], creditors[0]
        cents = min(-left[debtor], left[creditor])
        transfers.append((debtor, creditor, cents))
        left[debtor] += cents
        left[creditor] -= cents
