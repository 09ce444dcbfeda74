"""Catalog rules: GTINs, German scale labels, opening hours, VAT and unit prices."""

from datetime import datetime
from decimal import Decimal

import pytest
from biip.checksums import gs1_price_weight_check_digit, gs1_standard_check_digit

from kosmos.catalog import model
from kosmos.catalog.model import CatalogRuleError, GtinKind
from kosmos.money import Money


def scale_label(prefix: str, item: str, value: str) -> str:
    body = f"{prefix}{item}{gs1_price_weight_check_digit(value)}{value}"
    return body + str(gs1_standard_check_digit(body))


# --- GTINs -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("4006381333931", GtinKind.EAN_13),
        ("96385074", GtinKind.EAN_8),
        ("036000291452", GtinKind.UPC_A),
        ("2812341015005", GtinKind.VARIABLE_WEIGHT),
        ("2200426003496", GtinKind.VARIABLE_PRICE),
    ],
)
def test_classify_gtin(code, kind):
    assert model.classify_gtin(code) == kind


def test_upc_a_written_as_ean13_normalizes_to_twelve_digits():
    assert model.normalize_gtin("0036000291452") == "036000291452"
    assert model.normalize_gtin(" 4006381333931 ") == "4006381333931"


@pytest.mark.parametrize("code", ["4006381333930", "96385075", "036000291453"])
def test_wrong_check_digit_is_refused(code):
    with pytest.raises(CatalogRuleError) as err:
        model.normalize_gtin(code)
    assert err.value.field == "gtin"
    assert err.value.code == "invalid_gtin"
    assert str(err.value) == "The check digit of this GTIN is wrong."


@pytest.mark.parametrize("code", ["12345", "40063813339311", "40063813339a1", ""])
def test_wrong_length_or_letters_are_refused(code):
    with pytest.raises(CatalogRuleError) as err:
        model.normalize_gtin(code)
    assert err.value.code == "invalid_gtin"


@pytest.mark.parametrize("code", ["٤٠٠٦٣٨١٣٣٣٩٣١", "²²²²²²²²", "４００６３８１３３３９３１"])
def test_only_ascii_digits_make_a_gtin(code):
    # given digits of other scripts ("٤" and "４" are Unicode digits, "²" passes isdigit)
    # when
    with pytest.raises(CatalogRuleError) as gtin_err:
        model.normalize_gtin(code)
    with pytest.raises(CatalogRuleError) as barcode_err:
        model.decode_barcode(code)
    # then
    assert str(gtin_err.value) == "A GTIN has 8, 12 or 13 digits (EAN-8, UPC-A, EAN-13)."
    assert str(barcode_err.value) == "A barcode has 8, 12 or 13 digits."


@pytest.mark.parametrize("item", ["١٠٠١", "²²²²", "100", "10011"])
def test_scale_item_number_is_four_ascii_digits(item):
    with pytest.raises(CatalogRuleError) as err:
        model.normalize_rcn_item(item)
    assert str(err.value) == "Enter the 4-digit item number of the scale label."


def test_in_store_numbers_are_not_product_gtins():
    with pytest.raises(CatalogRuleError) as err:
        model.normalize_gtin("2812341015005")
    assert "in-store" in str(err.value)


# --- German scale labels -----------------------------------------------------------------


def test_weight_label_decodes_item_and_weight():
    # given 1.234 kg of item 1001
    code = scale_label("28", "1001", "01234")
    # when
    scanned = model.decode_barcode(code)
    # then
    assert scanned == model.ScannedCode("weight", item_reference="1001", weight_kg=Decimal("1.234"))


def test_price_label_decodes_item_and_price():
    scanned = model.decode_barcode(scale_label("22", "1001", "01592"))
    assert scanned == model.ScannedCode("price", item_reference="1001", price=Money(1592))


def test_plain_gtin_decodes_normalized():
    assert model.decode_barcode("0036000291452") == model.ScannedCode("gtin", gtin="036000291452")


def test_label_with_wrong_value_check_digit_is_refused():
    # given a label whose price/weight check digit (position 7) is off by one
    good = scale_label("28", "1001", "01234")
    body = good[:6] + str((int(good[6]) + 1) % 10) + good[7:12]
    bad = body + str(gs1_standard_check_digit(body))
    # when
    with pytest.raises(CatalogRuleError) as err:
        model.decode_barcode(bad)
    # then
    assert err.value.code == "invalid_check_digit"
    assert str(err.value) == "The check digit of the weight or price on this label is wrong."


def test_line_price_rounds_half_up():
    # 1.234 kg at 12.90 EUR/kg = 15.9186 EUR -> 15.92 EUR
    assert model.line_price(Money(1290), Decimal("1.234")) == Money(1592)
    # 0.5 kg at 0.99 EUR/kg = 0.495 EUR -> 0.50 EUR
    assert model.line_price(Money(99), Decimal("0.5")) == Money(50)


# --- prices ------------------------------------------------------------------------------


def test_vat_breakdown_of_gross_price():
    breakdown = model.vat_breakdown(119, 19)
    assert (breakdown.net, breakdown.vat) == (Money(100), Money(19))


def test_unit_price_per_kg_and_litre():
    assert model.unit_price(649, weight_g=400, volume_ml=None) == (Money(1623), "kg")
    assert model.unit_price(99, weight_g=None, volume_ml=1500) == (Money(66), "l")
    assert model.unit_price(99, weight_g=None, volume_ml=None) is None


@pytest.mark.parametrize(
    ("check", "value", "field"),
    [
        (model.check_vat_rate, 16, "vat_rate"),
        (model.check_unit, "g", "unit"),
        (model.check_price_cents, -1, "price_cents"),
        (model.check_price_cents, 1.5, "price_cents"),
    ],
)
def test_price_rules(check, value, field):
    with pytest.raises(CatalogRuleError) as err:
        check(value)
    assert err.value.field == field


# --- opening hours -----------------------------------------------------------------------

HOURS = {"mon": [["07:00", "12:00"], ["14:00", "18:00"]], "sat": [["08:00", "24:00"]]}


def berlin(iso: str) -> datetime:
    return datetime.fromisoformat(iso)


def test_parse_and_render_opening_hours():
    hours = model.parse_opening_hours(HOURS)
    assert model.hours_to_json(hours) == HOURS
    assert model.day_text(hours["mon"]) == "07:00-12:00, 14:00-18:00"


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        ("2026-11-23T06:59:00+01:00", False),  # Monday before opening
        ("2026-11-23T07:00:00+01:00", True),
        ("2026-11-23T12:00:00+01:00", False),  # lunch break
        ("2026-11-23T17:59:00+01:00", True),
        ("2026-11-23T17:30:00+00:00", False),  # 18:30 in Berlin
        ("2026-11-28T23:59:00+01:00", True),  # Saturday until midnight
        ("2026-11-22T10:00:00+01:00", False),  # Sunday: closed
        ("2026-07-06T15:30:00+00:00", True),  # summer time: 17:30 in Berlin
        ("2026-07-06T16:30:00+00:00", False),  # summer time: 18:30 in Berlin
    ],
)
def test_open_at_is_judged_in_berlin(moment, expected):
    hours = model.parse_opening_hours(HOURS)
    assert model.is_open_at(hours, berlin(moment)) is expected


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"mon": [["7:00", "12:00"]]}, "opening_hours.mon.0"),
        ({"mon": [["12:00", "08:00"]]}, "opening_hours.mon.0"),
        ({"mon": [["08:00", "12:00"], ["11:00", "13:00"]]}, "opening_hours.mon"),
        ({"mon": [["08:00"]]}, "opening_hours.mon.0"),
        ({"moon": []}, "opening_hours"),
        ({"tue": [["25:00", "26:00"]]}, "opening_hours.tue.0"),
    ],
)
def test_bad_opening_hours_name_the_field(raw, field):
    with pytest.raises(CatalogRuleError) as err:
        model.parse_opening_hours(raw)
    assert err.value.field == field


def test_day_text_form_input():
    spans = model.parse_day_text("08:00-12:00, 14:00 – 18:30", "hours_tue")
    assert [s.label() for s in spans] == ["08:00–12:00", "14:00–18:30"]
    with pytest.raises(CatalogRuleError) as err:
        model.parse_day_text("8 bis 12", "hours_tue")
    assert err.value.field == "hours_tue"


def test_slug():
    assert model.check_slug("Bäckerei Brandl, Lindenstraße 8") == "baeckerei-brandl-lindenstrasse-8"
