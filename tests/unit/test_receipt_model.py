"""Receipt model: line totals, the VAT table per rate, and check_receipt (no I/O)."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kosmos.money import Money
from kosmos.rules import RuleError
from kosmos.wallet.receipt import Party, Receipt, ReceiptLine, VatLine, check_receipt

MERCHANT = Party("Bäckerei Müller", "Hauptstraße 1", "12345", "Musterstadt", vat_id="DE123456789")
ISSUED = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def line(
    price: int, rate: int, qty: str = "1", unit: str = "piece", name: str = "x"
) -> ReceiptLine:
    return ReceiptLine(name, Decimal(qty), unit, Money(price), rate)


def receipt(*lines: ReceiptLine, **kwargs: object) -> Receipt:
    defaults: dict[str, object] = {
        "number": "KOS-2026-000042",
        "issued_at": ISSUED,
        "merchant": MERCHANT,
        "lines": lines,
        "payment_method": "Kosmos Wallet",
    }
    defaults.update(kwargs)
    return Receipt(**defaults)  # type: ignore[arg-type]


def test_line_total_is_price_times_quantity_rounded_half_up():
    # 14.90 EUR/kg x 1.234 kg = 18.3866 -> 18.39
    assert line(1490, 7, "1.234", "kg").total == Money(1839)
    # 1.99 x 1.5 = 2.985 -> 2.99 (exactly half a cent rounds up)
    assert line(199, 7, "1.5", "kg").total == Money(299)
    # 0.05 x 0.1 = 0.005 -> 0.01
    assert line(5, 19, "0.1", "kg").total == Money(1)
    assert line(320, 19, "2").total == Money(640)


def test_mixed_receipt_vat_table_per_rate():
    r = receipt(
        line(349, 7, name="Roggenbrot"),
        line(1990, 7, "0.234", "kg", name="Käse"),  # 4.6566 -> 4.66
        line(320, 19, "2", name="Kaffee"),
        line(-25, 19, name="Pfand zurück"),
    )
    assert r.vat_breakdown() == [
        # 8.15 x 7/107 = 0.5332 -> 0.53
        VatLine(rate=7, net=Money(762), vat=Money(53), gross=Money(815)),
        # 6.15 x 19/119 = 0.9819 -> 0.98
        VatLine(rate=19, net=Money(517), vat=Money(98), gross=Money(615)),
    ]
    assert r.gross == Money(1430)
    assert r.vat == Money(151)
    assert r.net == Money(1279)


def test_vat_is_taken_from_the_rate_sum_not_added_up_per_line():
    # Per line 0.10 x 19/119 = 0.016 -> 0.02 each (0.06 in total), but the till takes the
    # VAT from the sum: 0.30 x 19/119 = 0.0479 -> 0.05.
    r = receipt(line(10, 19), line(10, 19), line(10, 19))
    assert r.vat == Money(5)
    assert r.net == Money(25)


def test_vat_table_is_sorted_by_rate_and_lists_only_rates_used():
    r = receipt(line(119, 19), line(100, 0), line(107, 7))
    assert [(row.rate, row.net.amount, row.vat.amount) for row in r.vat_breakdown()] == [
        (0, 100, 0),
        (7, 100, 7),
        (19, 100, 19),
    ]
    assert receipt(line(500, 19)).vat_breakdown() == [
        # 5.00 x 19/119 = 0.798 -> 0.80
        VatLine(19, Money(420), Money(80), Money(500))
    ]


@given(
    st.lists(
        st.tuples(
            st.integers(min_value=-500, max_value=100_000),
            st.sampled_from([0, 7, 19]),
            st.decimals(min_value=Decimal("0.001"), max_value=Decimal("50"), places=3),
        ),
        min_size=1,
        max_size=25,
    )
)
def test_net_plus_vat_is_gross_exactly(items):
    r = receipt(*(ReceiptLine("x", q, "kg", Money(p), rate) for p, rate, q in items))
    for row in r.vat_breakdown():
        assert row.net + row.vat == row.gross
    assert r.net + r.vat == r.gross
    assert sum(row.gross.amount for row in r.vat_breakdown()) == r.gross.amount
    assert r.gross.amount == sum(ln.total.amount for ln in r.lines)


def test_a_valid_receipt_passes_the_check():
    check_receipt(receipt(line(199, 7), refunded=Money(100)))


@pytest.mark.parametrize(
    "bad,field,code",
    [
        ({"lines": ()}, "lines", "no_lines"),
        ({"lines": (ReceiptLine("x", Decimal(1), "piece", Money(1), 16),)}, "vat_rate", None),
        ({"lines": (ReceiptLine("x", Decimal(0), "piece", Money(1), 7),)}, "quantity", None),
        ({"lines": (ReceiptLine("x", Decimal(-1), "kg", Money(1), 7),)}, "quantity", None),
        ({"lines": (ReceiptLine("x", Decimal("NaN"), "kg", Money(1), 7),)}, "quantity", None),
        ({"lines": (ReceiptLine("x", Decimal(1), "barrel", Money(1), 7),)}, "unit", "bad_unit"),
        ({"issued_at": datetime(2026, 11, 22, 10, 0)}, "issued_at", "naive_datetime"),
        ({"number": "  "}, "number", "missing_number"),
        ({"refunded": Money(-1)}, "refunded", "bad_refund"),
        ({"refunded": Money(200)}, "refunded", "bad_refund"),
    ],
)
def test_check_receipt_refuses(bad, field, code):
    r = receipt(line(199, 7), **bad) if "lines" not in bad else receipt(**bad)
    with pytest.raises(RuleError) as info:
        check_receipt(r)
    assert info.value.field == field
    if code:
        assert info.value.code == code


def test_check_receipt_refuses_a_currency_mismatch():
    # Money knows only EUR today, so pretend the receipt is kept in another currency.
    r = receipt(line(199, 7), currency="USD")
    with pytest.raises(RuleError) as info:
        check_receipt(r)
    assert (info.value.field, info.value.code) == ("currency", "currency_mismatch")


def test_party_address_lines():
    assert MERCHANT.address_lines() == ["Hauptstraße 1", "12345 Musterstadt"]
    assert Party("A", "Rue 1", "1000", "Bruxelles", country="BE").address_lines() == [
        "Rue 1",
        "1000 Bruxelles, BE",
    ]
    assert Party("A").address_lines() == []
