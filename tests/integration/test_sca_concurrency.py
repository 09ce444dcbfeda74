"""Strong customer authentication under races on real parallel connections (SQLite and
PostgreSQL): the payer's counters change at commit, and PIN tries wait for each other.
Like test_wallet_concurrency.py, every test releases its threads at one moment and
then checks the real figures."""

from __future__ import annotations

import pytest
from tests.wallet_races import count, fund, only, user, wallet, winners

from kosmos.wallet import ledger, payments, sca
from kosmos.wallet.tables import Payment, WalletSecurity

pytestmark = pytest.mark.postgres


def test_the_room_left_without_a_pin_is_shared_out_at_commit(db, anna, shop, race):
    # given money for every payment, and 150 EUR without a challenge: three of 45 EUR fit
    fund(db, anna, 500_00)

    # when ten payments of 45 EUR race (each is counted only as it commits)
    outcomes = race(
        10,
        lambda s, i: payments.pay_merchant(
            s, user(s, anna), merchant_id=shop, amount=45_00, description=f"Grill {i}"
        ),
    )

    # then three are paid without a PIN and the rest are asked for one (none is set)
    only(outcomes, Payment, sca.PinNotSet)
    assert len(winners(outcomes, Payment)) == 3
    assert wallet(db, anna) == 500_00 - 3 * 45_00
    security = db.get(WalletSecurity, anna.id)
    assert (security.unchallenged_total, security.unchallenged_count) == (135_00, 3)
    assert ledger.verify(db) == []


def test_pin_and_exempt_payments_of_one_payer_lock_in_the_same_order(db, anna, shop, race):
    # given a PIN: a payment with it locks the counters first, one without counts them
    # at commit; both then change the balances at commit, so neither waits for the other
    # in a cycle (PostgreSQL would end one of them as a deadlock)
    fund(db, anna, 500_00)
    sca.set_pin(db, user(db, anna), password=anna.password, pin="4711")

    # when payments with and without the PIN race
    outcomes = race(
        12,
        lambda s, i: payments.pay_merchant(
            s,
            user(s, anna),
            merchant_id=shop,
            amount=10_00,
            description=f"Wurst {i}",
            pin="4711" if i % 2 else None,
        ),  # fmt: skip
    )

    # then every one of them is paid
    only(outcomes, Payment)
    assert wallet(db, anna) == 500_00 - 12 * 10_00
    assert count(db, Payment.sca == "pin") == 6
    assert ledger.verify(db) == []


def test_parallel_wrong_pins_cannot_get_past_the_lock_out(db, anna, shop, race, monkeypatch):
    # given a PIN, and a count of how many tries are checked against it
    fund(db, anna, 500_00)
    sca.set_pin(db, user(db, anna), password=anna.password, pin="4711")
    checked: list[str] = []
    verify = sca.verify_password

    def counting_verify(hashed: str, pin: str) -> bool:
        checked.append(pin)
        return verify(hashed, pin)

    monkeypatch.setattr(sca, "verify_password", counting_verify)

    # when ten payments with wrong PINs race
    outcomes = race(
        10,
        lambda s, i: payments.pay_merchant(
            s, user(s, anna), merchant_id=shop, amount=10_00, pin=f"90{i:02d}"
        ),
    )

    # then the tries are taken one after another: five are checked, the fifth locks the
    # PIN and the rest are refused unchecked
    only(outcomes, sca.WrongPin, sca.PinLocked)
    assert len(checked) == 5
    assert len(winners(outcomes, sca.WrongPin)) == 4
    assert db.get(WalletSecurity, anna.id).failed_attempts == 5
    assert wallet(db, anna) == 500_00
