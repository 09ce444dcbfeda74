"""Restaurant rules: even shares to the cent, VAT parts of shares, tips, receipt lines,
and the demo menus' VAT (restaurant food 7 %, drinks 19 %)."""

from __future__ import annotations

from itertools import pairwise

import pytest

from kosmos.catalog.demo.categories import DRINK_CATEGORIES
from kosmos.catalog.demo.merchants import BURGER, PIZZERIA
from kosmos.catalog.demo.products_restaurants import RESTAURANT_PRODUCTS
from kosmos.places.dining import model
from kosmos.places.dining.model import DiningRuleError


def test_even_shares_add_up_to_the_cent_largest_remainder_first():
    assert model.split_evenly(1000, 3) == [334, 333, 333]
    assert model.split_evenly(1001, 3) == [334, 334, 333]
    assert model.split_evenly(2, 3) == [1, 1, 0]
    for total in (1, 99, 2530, 123457):
        for parts in range(2, 21):
            shares = model.split_evenly(total, parts)
            assert sum(shares) == total and len(shares) == parts
            assert max(shares) - min(shares) <= 1
            assert all(a >= b for a, b in pairwise(shares))


@pytest.mark.parametrize("parts", [0, 1, 21, -3])
def test_a_split_is_between_two_and_twenty_people(parts):
    with pytest.raises(DiningRuleError) as err:
        model.split_evenly(1000, parts)
    assert err.value.code == "bad_parts"


def test_nothing_to_split():
    with pytest.raises(DiningRuleError) as err:
        model.split_evenly(0, 2)
    assert err.value.code == "nothing_to_split"


def test_share_parts_add_up_per_share_and_per_rate():
    # given 20.40 EUR of food and 4.90 EUR of drinks shared by 3
    rates = {7: 2040, 19: 490}
    shares = model.split_evenly(2530, 3)
    # when
    parts = model.share_parts(rates, shares)
    # then every share is food + drinks, and the food and drinks parts add up again
    assert shares == [844, 843, 843]
    assert parts == [{7: 681, 19: 163}, {7: 680, 19: 163}, {7: 679, 19: 164}]
    assert [sum(p.values()) for p in parts] == shares
    assert sum(p[7] for p in parts) == 2040 and sum(p[19] for p in parts) == 490


def test_share_parts_on_many_odd_amounts():
    for food, drinks, n in [(1, 1, 2), (999, 1, 7), (12345, 678, 20), (0, 500, 3), (5, 0, 4)]:
        rates = {7: food, 19: drinks}
        shares = model.split_evenly(food + drinks, n)
        parts = model.share_parts(rates, shares)
        assert [sum(p.values()) for p in parts] == shares
        assert sum(p.get(7, 0) for p in parts) == food
        assert sum(p.get(19, 0) for p in parts) == drinks
        assert all(v > 0 for p in parts for v in p.values())


def test_share_parts_refuse_shares_that_do_not_add_up():
    with pytest.raises(DiningRuleError):
        model.share_parts({7: 100}, [50, 49])


def test_tip_by_percent_rounds_half_up_to_the_cent():
    assert model.tip_cents(1340, percent=10) == 134
    assert model.tip_cents(1250, percent=5) == 63  # 62.5 -> 63
    assert model.tip_cents(1249, percent=5) == 62  # 62.45 -> 62
    assert model.tip_cents(999, percent=0) == 0
    assert model.tip_cents(999) == 0


def test_tip_by_amount_and_its_limits():
    assert model.tip_cents(1580, amount=200) == 200
    assert model.tip_cents(1580, amount=1580) == 1580
    for bad in ({"amount": 1581}, {"amount": -1}, {"percent": 101}, {"percent": -5}):
        with pytest.raises(DiningRuleError) as err:
            model.tip_cents(1580, **bad)
        assert err.value.code == "bad_tip"
    with pytest.raises(DiningRuleError) as err:
        model.tip_cents(1580, percent=10, amount=100)
    assert err.value.code == "tip_twice"


def test_receipt_lines_merge_the_same_dish_and_the_tip_has_no_vat():
    lines = model.item_lines([("Pizza Margherita", 1, 950, 7), ("Cola", 1, 390, 19),
                              ("Pizza Margherita", 2, 950, 7)])  # fmt: skip
    assert [(x["name"], x["quantity"], x["unit_price"], x["vat_rate"]) for x in lines] == [
        ("Pizza Margherita", 3, 950, 7), ("Cola", 1, 390, 19)]  # fmt: skip
    assert model.tip_line(134) == [{"name": "Trinkgeld", "quantity": 1, "unit": "piece",
                                    "unit_price": 134, "vat_rate": 0, "gtin": None}]  # fmt: skip
    assert model.tip_line(0) == []
    share = model.share_lines(2, 3, {7: 680, 19: 163})
    assert [(x["name"], x["unit_price"], x["vat_rate"]) for x in share] == [
        ("Anteil 2/3 · Speisen (7 %)", 680, 7),
        ("Anteil 2/3 · Getränke (19 %)", 163, 19),
    ]


def test_an_order_merges_lines_and_checks_quantities():
    assert model.check_order([(1, 2), (2, 1), (1, 3)]) == [(1, 5), (2, 1)]
    for bad, code in [([], "no_items"), ([(1, 0)], "bad_quantity"), ([(1, 51)], "bad_quantity"),
                      ([(1, 30), (1, 30)], "bad_quantity"),
                      ([(i, 1) for i in range(31)], "too_many_items")]:  # fmt: skip
        with pytest.raises(DiningRuleError) as err:
            model.check_order(bad)
        assert err.value.code == code


def test_table_tokens_are_long_and_unguessable():
    tokens = {model.new_token() for _ in range(200)}
    assert len(tokens) == 200 and all(len(t) >= 22 for t in tokens)


def test_demo_restaurants_food_is_7_percent_and_drinks_19_percent():
    # German VAT from 1 January 2026: food served in restaurants 7 %, drinks stay at 19 %
    menus = [p for p in RESTAURANT_PRODUCTS if p["merchant"] in (PIZZERIA, BURGER)]
    assert len(menus) > 50
    for product in menus:
        expected = 19 if product["category"] in DRINK_CATEGORIES else 7
        assert product["vat_rate"] == expected, product["name"]
    rates = {p["name"]: p["vat_rate"] for p in menus if p["merchant"] == PIZZERIA}
    assert (rates["Pizza Margherita"], rates["Cola"], rates["Espresso"], rates["Tiramisù"]) == (
        7, 19, 19, 7)  # fmt: skip


def test_pickup_choices_are_quarter_hours_within_the_opening_hours():
    from datetime import datetime

    from kosmos.catalog.model import parse_opening_hours
    from kosmos.places.dining.pickup import pickup_choices

    hours = parse_opening_hours({"sun": [["12:00", "14:30"], ["17:00", "22:00"]],
                                 "mon": [["11:30", "12:00"]]})  # fmt: skip
    now = datetime.fromisoformat("2026-11-22T13:52:10+01:00")
    times = [t.isoformat() for t in pickup_choices(hours, now)]
    # the earliest is 14:25, but the next quarter hour (14:30) is closing time
    assert times[:2] == ["2026-11-22T17:00:00+01:00", "2026-11-22T17:15:00+01:00"]
    assert "2026-11-22T21:45:00+01:00" in times and "2026-11-22T22:00:00+01:00" not in times
    assert times[-2:] == ["2026-11-23T11:30:00+01:00", "2026-11-23T11:45:00+01:00"]
