"""Cost split rules: shares in whole cents (largest remainder), balances, and the fewest
transfers that settle a group (checked against a brute-force search on small groups)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kosmos.assistant import split
from kosmos.assistant.split import Expense, SplitError, balances, settle, shares

FOUR = ("anna", "ben", "cem", "dora")


def test_coal_for_four_goes_by_largest_remainder_ties_in_member_order():
    coal = Expense("ben", 2350, FOUR)
    assert shares(coal) == {"anna": 588, "ben": 588, "cem": 587, "dora": 587}
    assert balances([coal]) == {"ben": 1762, "anna": -588, "cem": -587, "dora": -587}
    assert settle(balances([coal])) == [("anna", "ben", 588), ("cem", "ben", 587),
                                        ("dora", "ben", 587)]  # fmt: skip


def test_largest_remainder_gives_the_cent_to_the_largest_fraction():
    # 100 by 1:1:1 -> 33.33 each, one cent left: the first one gets it
    assert split.largest_remainder(100, [1, 1, 1]) == [34, 33, 33]
    # 100 by 1:2 -> 33.33 / 66.67: the larger remainder (.67) gets the cent
    assert split.largest_remainder(100, [1, 2]) == [33, 67]
    assert split.largest_remainder(5, [0, 1, 1]) == [0, 3, 2]


def test_shares_and_fixed_amounts():
    meat = Expense("anna", 4000, FOUR, mode="shares", weights={"anna": 2, "ben": 1, "cem": 1})
    assert shares(meat) == {"anna": 2000, "ben": 1000, "cem": 1000, "dora": 0}
    drinks = Expense("cem", 3001, FOUR, mode="fixed", fixed={"dora": 1001})
    assert shares(drinks) == {"anna": 667, "ben": 667, "cem": 666, "dora": 1001}
    exact = Expense("cem", 300, ("anna", "ben"), mode="fixed", fixed={"anna": 100, "ben": 200})
    assert shares(exact) == {"anna": 100, "ben": 200}


@pytest.mark.parametrize(
    ("expense", "code"),
    [
        (Expense("a", 0, ("a",)), "bad_amount"),
        (Expense("a", 100, ()), "no_participants"),
        (Expense("a", 100, ("a", "a")), "duplicate_participant"),
        (Expense("a", 100, ("a", "b"), mode="shares", weights={"a": 0}), "bad_shares"),
        (Expense("a", 100, ("a", "b"), mode="shares", weights={"z": 1}), "not_participant"),
        (Expense("a", 100, ("a", "b"), mode="fixed", fixed={"a": 101}), "fixed_exceeds"),
        (Expense("a", 100, ("a", "b"), mode="fixed", fixed={"a": 50, "b": 40}), "fixed_short"),
        (Expense("a", 100, ("a", "b"), mode="fixed", fixed={"a": -1}), "bad_fixed"),
    ],
)
def test_splits_that_cannot_be_done(expense, code):
    with pytest.raises(SplitError) as err:
        shares(expense)
    assert err.value.code == code


def test_transfers_made_count_in_the_balance_and_unbalanced_input_is_refused():
    coal = Expense("ben", 2350, FOUR)
    after = balances([coal], [("anna", "ben", 588)])
    assert after == {"ben": 1174, "anna": 0, "cem": -587, "dora": -587}
    assert settle(after) == [("cem", "ben", 587), ("dora", "ben", 587)]
    with pytest.raises(SplitError):
        settle({"a": 1, "b": 0})
    assert settle({}) == [] and settle({"a": 0}) == []


def test_zero_sum_groups_are_settled_inside_themselves():
    # {e, b} and {a, c, d} each add up to 0: 1 + 2 = 3 transfers. Largest debtor pays
    # largest creditor would mix the groups and need 4.
    b = {"a": 4, "b": 3, "c": -2, "d": -2, "e": -3}
    assert len(split._greedy(list(b), b, pair_first=False)) == 4
    assert settle(b) == [("c", "a", 2), ("d", "a", 2), ("e", "b", 3)]


def brute_force_minimum(values: list[int]) -> int:
    """The classic search: settle the first open balance against each later one of the
    other sign, recursively (independent of the subset DP)."""
    values = [v for v in values if v]

    def search(i: int, vals: list[int]) -> int:
        while i < len(vals) and vals[i] == 0:
            i += 1
        if i == len(vals):
            return 0
        best = len(vals)
        for j in range(i + 1, len(vals)):
            if vals[j] * vals[i] < 0:
                vals[j] += vals[i]
                best = min(best, 1 + search(i + 1, vals))
                vals[j] -= vals[i]
        return best

    return search(0, values)


def _apply(balance: dict, transfers: list) -> dict:
    out = dict(balance)
    for source, target, cents in transfers:
        assert cents > 0 and source != target
        out[source] += cents
        out[target] -= cents
    return out


people = st.sampled_from([f"p{i}" for i in range(8)])
expense = st.builds(
    lambda payer, amount, group, weights, mode: _make(payer, amount, group, weights, mode),
    people,
    st.integers(1, 200_000),
    st.lists(people, min_size=1, max_size=8, unique=True),
    st.lists(st.integers(0, 5), min_size=8, max_size=8),
    st.sampled_from(split.MODES),
)


def _make(payer, amount, group, weights, mode):
    group = tuple(group)
    if mode == "shares":
        w = {p: weights[i] for i, p in enumerate(group)}
        if not any(w.values()):
            w[group[0]] = 1
        return Expense(payer, amount, group, mode="shares", weights=w)
    if mode == "fixed":
        fixed = {p: amount * weights[i] // 40 for i, p in enumerate(group[:-1]) if weights[i]}
        return Expense(payer, amount, group, mode="fixed", fixed=fixed)
    return Expense(payer, amount, group)


@given(expense)
def test_shares_add_up_to_the_amount(e):
    owed = shares(e)
    assert sum(owed.values()) == e.amount_cents
    assert list(owed) == list(e.participants)
    if e.mode == "equal":
        assert max(owed.values()) - min(owed.values()) <= 1


@given(st.lists(expense, max_size=8))
@settings(max_examples=200)
def test_balances_add_up_to_zero_and_settlement_clears_them(expenses):
    b = balances(expenses)
    assert sum(b.values()) == 0
    transfers = settle(b)
    assert all(v == 0 for v in _apply(b, transfers).values())
    nonzero = sum(1 for v in b.values() if v)
    assert len(transfers) <= max(nonzero - 1, 0)


small_balances = st.lists(st.integers(-60, 60), min_size=1, max_size=7).map(
    lambda vs: {f"m{i}": v for i, v in enumerate([*vs, -sum(vs)])}
)


@given(small_balances)
@settings(max_examples=300)
def test_settlement_is_the_minimum_on_small_groups(b):
    transfers = settle(b)
    assert all(v == 0 for v in _apply(b, transfers).values())
    assert len(transfers) == brute_force_minimum(list(b.values()))


@given(st.lists(st.integers(-10_000, 10_000), min_size=16, max_size=30))
@settings(max_examples=50)
def test_large_groups_use_the_greedy_fallback_within_n_minus_one(values):
    b = {i: v for i, v in enumerate([*values, -sum(values)])}
    transfers = settle(b)
    assert all(v == 0 for v in _apply(b, transfers).values())
    assert len(transfers) <= max(sum(1 for v in b.values() if v) - 1, 0)


def test_settlement_is_deterministic():
    b = {"a": 10, "b": 10, "c": -10, "d": -10}
    assert settle(b) == settle(dict(b)) == [("c", "a", 10), ("d", "b", 10)]
