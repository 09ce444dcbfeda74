"""Money value object and clock, no I/O."""

from datetime import datetime
from decimal import Decimal

import pytest

from kosmos import clock
from kosmos.money import Money, net_of, vat_included


def test_money_adds_in_minor_units():
    assert Money(1990) + Money(10) == Money(2000)


def test_money_refuses_floats_and_mixed_currencies():
    with pytest.raises(TypeError):
        Money(19.9)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Money(1, "XYZ")


def test_price_per_kg_times_weight_rounds_half_up():
    # 14.90 EUR/kg * 1.234 kg = 18.3866 -> 18.39
    assert Money(1490).times(Decimal("1.234")) == Money(1839)


@pytest.mark.parametrize(
    "gross,rate,vat", [(107, 7, 7), (119, 19, 19), (499, 19, 80), (249, 7, 16)]
)
def test_vat_contained_in_gross(gross, rate, vat):
    assert vat_included(Money(gross), rate) == Money(vat)
    assert net_of(Money(gross), rate) == Money(gross - vat)


def test_berlin_display_of_utc():
    moment = datetime.fromisoformat("2026-11-28T17:00:00+00:00")
    assert clock.to_local(moment).isoformat() == "2026-11-28T18:00:00+01:00"


def test_frozen_clock_refuses_naive_times():
    with pytest.raises(ValueError):
        clock.FrozenClock(datetime(2026, 1, 1))
