"""Scan&Go rules without I/O: cart totals and VAT per rate, label lines, quantities,
the exit pass's state, the re-scan draw and the codes the gate accepts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from kosmos.catalog.demo.products import DEMO_SCALE_LABEL
from kosmos.places.scango import model
from kosmos.places.scango.model import CartLine, PassFacts, ScanGoRuleError
from kosmos.wallet.lines import purchase_lines

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)

STEAK_LABEL = CartLine("Nackensteak", "weight", 1, 1290, 7, weight_g=1234)
PILS = CartLine("Musterbräu Pils", "gtin", 3, 109, 19, gtin="4000000000001", min_age=16)
BREAD = CartLine("Brot", "gtin", 1, 349, 7)


def test_a_weight_label_line_costs_price_per_kg_times_weight_rounded_half_up():
    # 1.234 kg x 12.90 EUR/kg = 15.9186 -> 15.92 EUR, the demo label's price
    assert STEAK_LABEL.total == 1592 == DEMO_SCALE_LABEL["price_cents"]
    line = STEAK_LABEL.wallet_line()
    assert (line["quantity"], line["unit"], line["unit_price"]) == ("1.234", "kg", 1290)


def test_a_price_label_line_is_one_pack_at_the_label_price():
    label = CartLine("Nackensteak", "price", 1, 1592, 7)
    assert label.total == 1592
    assert label.wallet_line()["quantity"] == "1"


def test_cart_totals_give_the_total_and_the_vat_contained_per_rate():
    totals = model.cart_totals([STEAK_LABEL, PILS, BREAD])
    # 15.92 + 3 x 1.09 + 3.49 = 22.68 EUR
    assert totals.total == 1592 + 327 + 349
    assert totals.items == 5
    assert totals.min_age == 16
    rows = {row.rate: row for row in totals.vat}
    assert sorted(rows) == [7, 19]
    # 7 %: VAT from the rate's gross sum 19.41 -> 1.27; 19 %: 3.27 -> 0.52
    assert (rows[7].gross.amount, rows[7].vat.amount, rows[7].net.amount) == (1941, 127, 1814)
    assert (rows[19].gross.amount, rows[19].vat.amount, rows[19].net.amount) == (327, 52, 275)


def test_cart_totals_agree_with_what_the_wallet_charges_for_the_same_lines():
    lines = [STEAK_LABEL, PILS, BREAD]
    charged, _stored = purchase_lines(None, [x.wallet_line() for x in lines], "")
    assert charged == model.cart_totals(lines).total


def test_an_empty_cart_costs_nothing():
    totals = model.cart_totals([])
    assert (totals.total, totals.items, totals.vat, totals.min_age) == (0, 0, (), 0)


@pytest.mark.parametrize(("kind", "quantity"), [("gtin", 0), ("gtin", 1), ("gtin", 99),
                                                ("weight", 0), ("price", 1)])  # fmt: skip
def test_allowed_quantities(kind, quantity):
    assert model.check_quantity(kind, quantity) == quantity


@pytest.mark.parametrize(
    ("kind", "quantity", "code"),
    [("gtin", -1, "invalid_quantity"), ("gtin", 100, "invalid_quantity"),
     ("gtin", True, "invalid_quantity"), ("weight", 2, "label_quantity"),
     ("price", 3, "label_quantity")],
)  # fmt: skip
def test_refused_quantities(kind, quantity, code):
    with pytest.raises(ScanGoRuleError) as err:
        model.check_quantity(kind, quantity)
    assert err.value.code == code
    assert err.value.field == "quantity"


def test_an_open_visit_is_stale_after_twelve_hours():
    assert not model.is_stale(NOW - timedelta(hours=11, minutes=59), NOW)
    assert model.is_stale(NOW - timedelta(hours=12), NOW)


# --- exit pass ---------------------------------------------------------------------------


def facts(**kw):
    return PassFacts(expires_at=NOW + model.PASS_TTL, **kw)


def test_a_fresh_pass_is_valid_for_ten_minutes_then_expired():
    assert timedelta(minutes=10) == model.PASS_TTL
    assert model.pass_state(facts(), NOW) == "valid"
    assert model.pass_state(facts(), NOW + timedelta(minutes=9, seconds=59)) == "valid"
    assert model.pass_state(facts(), NOW + timedelta(minutes=10)) == "expired"


def test_a_used_pass_is_used_whatever_the_time():
    assert model.pass_state(facts(used_at=NOW), NOW) == "used"
    assert model.pass_state(facts(used_at=NOW), NOW + timedelta(hours=1)) == "used"


def test_an_age_restricted_pass_waits_for_the_age_check():
    assert model.pass_state(facts(min_age=18), NOW) == "checks"
    assert model.pending_checks(facts(min_age=18)) == ["age"]
    assert model.pass_state(facts(min_age=18, age_confirmed=True), NOW) == "valid"


def test_a_drawn_pass_waits_for_the_rescan():
    assert model.pending_checks(facts(needs_rescan=True, min_age=16)) == ["age", "rescan"]
    assert model.pass_state(facts(needs_rescan=True, rescanned=True), NOW) == "valid"


def test_a_pass_shown_in_time_stays_good_while_staff_check():
    shown = facts(min_age=18, presented_at=NOW + timedelta(minutes=9))
    assert model.pass_state(shown, NOW + timedelta(minutes=30)) == "checks"
    unshown = facts(min_age=18)
    assert model.pass_state(unshown, NOW + timedelta(minutes=30)) == "expired"


def test_rescan_draw_one_in_n_with_injected_randomness():
    assert not model.rescan_drawn(0, lambda n: 0)  # 0: never, whatever the draw
    assert model.rescan_drawn(1, lambda n: 5)  # 1: always
    assert model.rescan_drawn(20, lambda n: 0)
    assert not model.rescan_drawn(20, lambda n: 1)
    seen = []
    model.rescan_drawn(20, lambda n: seen.append(n) or 3)
    assert seen == [20]


def test_rescan_draw_hits_about_one_in_twenty():
    import random

    rng = random.Random(7)
    hits = sum(model.rescan_drawn(20, rng.randrange) for _ in range(20_000))
    assert 850 < hits < 1150


# --- pass codes --------------------------------------------------------------------------


def test_short_codes_use_an_unambiguous_alphabet():
    letters = iter("ABCD2345")
    code = model.new_short_code(lambda alphabet: next(letters))
    assert code == "ABCD2345"
    assert model.short_code_text(code) == "ABCD-2345"
    assert not set("01IO") & set(model.SHORT_ALPHABET)


TOKEN = "Ab_cD-123456789012345"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ABCD-2345", ("short", "ABCD2345")),
        (" abcd 2345 ", ("short", "ABCD2345")),
        (f"https://kosmos.example/scango/exit/{TOKEN}", ("token", TOKEN)),
        (TOKEN, ("token", TOKEN)),
    ],
)  # fmt: skip
def test_the_gate_reads_a_scanned_qr_or_a_typed_code(text, expected):
    assert model.parse_pass_input(text) == expected


@pytest.mark.parametrize("text", ["", "ABC", "ABCD-2341", "4001234567890",
                                  "https://x/scango/exit/../../etc", "<script>"])  # fmt: skip
def test_the_gate_refuses_what_is_not_a_pass(text):
    with pytest.raises(ScanGoRuleError) as err:
        model.parse_pass_input(text)
    assert err.value.code == "invalid_pass_code"


def test_the_qr_codes_carry_urls_of_this_deployment():
    assert model.checkin_url("https://k.example/", "metzgerei") == "https://k.example/go/metzgerei"
    assert model.pass_url("https://k.example", "tok") == "https://k.example/scango/exit/tok"


def test_decimal_weights_stay_exact():
    line = CartLine("Käse", "weight", 1, 1999, 7, weight_g=5)
    assert line.receipt_line().quantity == Decimal("0.005")
    assert line.total == 10  # 0.005 kg x 19.99 EUR/kg = 0.09995 -> 0.10
