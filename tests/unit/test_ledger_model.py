"""Ledger rules, no I/O."""

import pytest

from kosmos.money import Money
from kosmos.wallet.model import (
    InsufficientFunds,
    LedgerRuleError,
    Posting,
    check_balanced,
    check_limits,
    exempt_room,
    needs_challenge,
)


def test_a_balanced_transfer_passes():
    check_balanced([Posting(1, Money(-1250)), Posting(2, Money(1000)), Posting(3, Money(250))])


@pytest.mark.parametrize(
    "postings",
    [
        [Posting(1, Money(-100)), Posting(2, Money(99))],
        [Posting(1, Money(100))],
        [Posting(1, Money(0)), Posting(2, Money(0))],
    ],
)
def test_unbalanced_single_or_zero_transfers_are_refused(postings):
    with pytest.raises(LedgerRuleError):
        check_balanced(postings)


def test_limits_refuse_going_below_the_floor_and_name_the_account():
    with pytest.raises(InsufficientFunds) as err:
        check_limits(
            {1: 500, 2: 0}, {1: 0, 2: None}, [Posting(1, Money(-501)), Posting(2, Money(501))]
        )
    assert (err.value.account_id, err.value.available, err.value.needed) == (1, 500, 501)


def test_a_credit_line_lowers_the_floor_and_unbounded_accounts_go_negative():
    after = check_limits(
        {1: 0, 2: 0}, {1: -2000, 2: None}, [Posting(1, Money(-1500)), Posting(2, Money(1500))]
    )
    assert after == {1: -1500, 2: 1500}
    assert check_limits(
        {1: 0, 2: 0}, {1: None, 2: 0}, [Posting(1, Money(-5000)), Posting(2, Money(5000))]
    ) == {1: -5000, 2: 5000}


def test_money_coming_in_is_never_refused_even_below_the_floor():
    # an account already below its floor (a correction) may still receive money
    assert check_limits({1: -10}, {1: 0}, [Posting(1, Money(5)), Posting(2, Money(-5))])[1] == -5


@pytest.mark.parametrize(
    ("amount", "total", "challenge"),
    [
        (50_00, 0, False),  # 50 EUR: the most one payment may be without the PIN
        (50_01, 0, True),
        (15_00, 135_00, False),  # lands exactly on 150 EUR
        (15_01, 135_00, True),
        (1, 150_00, True),
        (0, 150_00, False),
    ],
)
def test_the_pin_is_asked_above_50_eur_or_past_150_eur_since_the_last_challenge(
    amount, total, challenge
):
    assert needs_challenge(amount, total) is challenge
    room = exempt_room(amount)  # the bound the database checks in one UPDATE
    assert (room is None or total > room) is challenge


def test_balance_rows_are_locked_floored_first_then_shared_each_by_id():
    from kosmos.wallet.ledger import lock_order

    updates = [(9, 5, 1, None), (5, -5, 1, 0), (3, 5, 1, None), (2, 5, 1, 0)]
    assert [u[0] for u in sorted(updates, key=lock_order)] == [2, 5, 3, 9]
