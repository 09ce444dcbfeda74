"""GiroCode (EPC QR code v002): payload lines, refusals, and a round trip through a decoder."""

import io

import pytest
import zxingcpp
from lxml import etree
from PIL import Image

from kosmos.money import Money
from kosmos.rules import RuleError
from kosmos.wallet.documents.girocode import epc_payload, girocode_png, girocode_svg

IBAN = "DE89370400440532013000"


def decode(png: bytes) -> list[zxingcpp.Barcode]:
    return zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))


def test_full_payload_lines():
    payload = epc_payload(
        name="Bäckerei Müller",
        iban="de89 3704 0044 0532 0130 00",
        bic="cobadeffxxx",
        amount=Money(1250),
        purpose="gdds",
        text="KOS-2026-000042",
        info="Danke!",
    )
    assert payload.split("\n") == [
        "BCD",
        "002",
        "1",
        "SCT",
        "COBADEFFXXX",
        "Bäckerei Müller",
        IBAN,
        "EUR12.50",
        "GDDS",
        "",
        "KOS-2026-000042",
        "Danke!",
    ]


def test_structured_reference_and_trailing_empty_lines_left_out():
    payload = epc_payload(
        name="Kosmos", iban=IBAN, amount=Money(1), reference="RF18 5390 0754 7034"
    )
    assert payload == "BCD\n002\n1\nSCT\n\nKosmos\n" + IBAN + "\nEUR0.01\n\nRF18539007547034"


def test_without_amount_and_bic():
    payload = epc_payload(name="Kosmos", iban=IBAN, amount=None)
    assert payload.split("\n") == ["BCD", "002", "1", "SCT", "", "Kosmos", IBAN]


def test_largest_amount():
    payload = epc_payload(name="K", iban=IBAN, amount=Money(99_999_999_999))
    assert payload.split("\n")[7] == "EUR999999999.99"


@pytest.mark.parametrize(
    "kwargs,field",
    [
        ({"iban": "DE89370400440532013001"}, "iban"),  # wrong check digits
        ({"iban": "not an iban"}, "iban"),
        ({"iban": "BR1800360305000010009795493C1"}, "iban"),  # valid, but not SEPA
        ({"bic": "NOTABIC"}, "bic"),
        ({"amount": Money(0)}, "amount"),
        ({"amount": Money(-100)}, "amount"),
        ({"amount": Money(100_000_000_000)}, "amount"),
        ({"name": ""}, "name"),
        ({"name": "x" * 71}, "name"),
        ({"name": "two\nlines"}, "name"),
        ({"purpose": "GDD"}, "purpose"),
        ({"purpose": "GD-S"}, "purpose"),
        ({"reference": "RF18539007547034", "text": "both"}, "reference"),
        ({"reference": "KOS-2026-000042"}, "reference"),  # not ISO 11649
        ({"reference": "RF" + "1" * 34}, "reference"),  # 36 > 35 characters
        ({"text": "x" * 141}, "text"),
        ({"info": "x" * 71}, "info"),
        # 70 umlauts (140 bytes) + 140 umlauts (280 bytes) cannot fit into 331 bytes
        ({"name": "ä" * 70, "text": "ü" * 140}, "text"),
    ],
)
def test_refusals(kwargs, field):
    args = {"name": "Kosmos", "iban": IBAN, "amount": Money(1250)} | kwargs
    with pytest.raises(RuleError) as info:
        epc_payload(**args)
    assert info.value.field == field


def test_payload_at_the_byte_limit_is_accepted_one_byte_more_is_not():
    # 14 + 12 + 71 + 23 + 9 + 5 + 1 = 135 bytes before the text; 141 + 55 more = 331
    args = {
        "name": "N" * 70,
        "iban": IBAN,
        "bic": "COBADEFFXXX",
        "amount": Money(1250),
        "purpose": "GDDS",
        "text": "T" * 140,
    }
    payload = epc_payload(**args, info="I" * 55)
    assert len(payload.encode("utf-8")) == 331
    barcode = decode(girocode_png(payload))[0]
    assert barcode.text == payload
    assert barcode.ec_level == "M"
    with pytest.raises(RuleError) as info:
        epc_payload(**args, info="I" * 56)
    assert info.value.code == "payload_too_long"


def test_png_decodes_to_the_same_lines():
    payload = epc_payload(
        name="Bäckerei Müller & Söhne",
        iban=IBAN,
        bic="COBADEFFXXX",
        amount=Money(123_456),
        text="Rechnung KOS-2026-000042 ÄÖÜß",
        info="Kosmos",
    )
    barcodes = decode(girocode_png(payload))
    assert len(barcodes) == 1
    assert barcodes[0].format == zxingcpp.BarcodeFormat.QRCode
    assert barcodes[0].ec_level == "M"
    decoded = barcodes[0].text.split("\n")
    expected = payload.split("\n")
    assert len(decoded) == len(expected) == 12
    for got, want in zip(decoded, expected, strict=True):
        assert got == want
    assert decoded[7] == "EUR1234.56"


def test_png_scale_sets_the_size():
    payload = epc_payload(name="K", iban=IBAN, amount=None)
    small = Image.open(io.BytesIO(girocode_png(payload, scale=2)))
    big = Image.open(io.BytesIO(girocode_png(payload, scale=6)))
    assert big.size[0] == 3 * small.size[0]
    # 39 bytes need version 3 at level M (29 modules), plus a 4-module quiet zone each side
    assert small.size == ((29 + 8) * 2, (29 + 8) * 2)


def test_svg_is_an_inline_svg_element():
    svg = girocode_svg(epc_payload(name="K", iban=IBAN, amount=Money(100)))
    assert not svg.startswith("<?xml")
    root = etree.fromstring(svg.encode())
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("class") == "girocode"
