"""EMVCo payloads, QR images decoded with zxing-cpp, short and customer codes."""

from __future__ import annotations

import contextlib
import io

import pytest
import zxingcpp
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from kosmos.places import codes, emvco
from kosmos.places.qr_image import png

PAYLOAD = emvco.Payload(
    initiation=emvco.DYNAMIC,
    reference="req_Abc123_-xyz",
    signature="s1gn4ture",
    merchant_name="Metzgerei Huber",
    city="Musterstadt",
    postcode="12345",
    category="5422",
    amount_cents=2350,
    short_code="K7XM42QD",
)


def decode(image: bytes) -> str:
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(image)))
    assert len(results) == 1
    assert results[0].format == zxingcpp.BarcodeFormat.QRCode
    return str(results[0].text)


def test_crc16_ccitt_false_check_value() -> None:
    assert emvco.crc16("123456789") == "29B1"  # the catalogue's check value for this CRC


def test_dynamic_payload_fields_in_order() -> None:
    text = emvco.build(PAYLOAD)
    top = emvco.parse_tlv(text)
    assert list(top) == ["00", "01", "26", "52", "53", "54", "58", "59", "60", "61", "62", "63"]
    assert top["00"] == "01" and top["01"] == "12" and top["53"] == "978" and top["54"] == "23.50"
    assert top["58"] == "DE" and top["59"] == "Metzgerei Huber" and top["60"] == "Musterstadt"
    assert emvco.parse_tlv(top["26"]) == {
        "00": "de.kosmos",
        "01": "req_Abc123_-xyz",
        "02": "s1gn4ture",
    }
    assert emvco.parse_tlv(top["62"]) == {"05": "K7XM42QD"}
    assert text[-8:-4] == "6304" and emvco.crc16(text[:-4]) == text[-4:]


@pytest.mark.parametrize("initiation", [emvco.DYNAMIC, emvco.STATIC])
def test_rendered_qr_decodes_to_the_same_payload(initiation: str) -> None:
    payload = (
        PAYLOAD
        if initiation == emvco.DYNAMIC
        else emvco.Payload(
            initiation=emvco.STATIC,
            reference="store:7",
            signature="abc",
            merchant_name="Marktstand",
            city="Musterstadt",
        )
    )
    text = emvco.build(payload)
    read = decode(png(text))
    assert read == text
    back = emvco.parse(read)
    assert back.initiation == initiation and back.reference == payload.reference
    assert back.amount_cents == payload.amount_cents and back.signature == payload.signature
    assert back.currency == "EUR" and back.merchant_name == payload.merchant_name


def test_umlauts_survive_the_qr() -> None:
    text = emvco.build(
        emvco.Payload(
            initiation=emvco.DYNAMIC,
            reference="req_x",
            signature="s",
            merchant_name="Bäckerei Größ",
            city="Köln",
            amount_cents=1,
        )
    )
    assert emvco.parse(decode(png(text))).merchant_name == "Bäckerei Größ"


def test_a_changed_character_breaks_the_checksum() -> None:
    text = emvco.build(PAYLOAD)
    changed = text.replace("23.50", "13.50")
    with pytest.raises(emvco.EmvcoError) as err:
        emvco.parse(changed)
    assert err.value.code == "bad_qr_checksum"


def test_foreign_payloads_are_refused() -> None:
    body = (
        "000201010212"
        + emvco.tlv(
            "26", emvco.tlv("00", "com.other") + emvco.tlv("01", "x") + emvco.tlv("02", "y")
        )
        + "5303978"
        + "6304"
    )
    with pytest.raises(emvco.EmvcoError) as err:
        emvco.parse(body + emvco.crc16(body))
    assert err.value.code == "foreign_qr"


@given(st.text(max_size=300))
def test_parse_never_fails_other_than_with_a_rule_error(text: str) -> None:
    with contextlib.suppress(emvco.EmvcoError):
        emvco.parse(text)


def test_short_codes_forgive_typing() -> None:
    code = codes.new_short_code()
    assert len(code) == 8 and set(code) <= set(codes.CROCKFORD)
    assert codes.typed_short_code(codes.show_short_code(code).lower()) == code
    assert codes.typed_short_code("k7xm-42od") == "K7XM420D"
    assert codes.typed_short_code("K7XM 42QI") == "K7XM42Q1"
    assert codes.typed_short_code("K7XM-42Q") is None
    assert codes.typed_short_code("K7XM-42QU") is None


def test_customer_codes_carry_a_luhn_digit() -> None:
    for _ in range(50):
        code = codes.new_customer_code()
        assert len(code) == 12 and code.isdigit()
        assert codes.typed_customer_code(codes.show_customer_code(code)) == code
    assert codes.luhn_digit("7992739871") == "3"  # the textbook example
    with pytest.raises(codes.CodeError) as err:
        codes.typed_customer_code("123456789012")
    assert err.value.code in ("bad_check_digit",)
    with pytest.raises(codes.CodeError):
        codes.typed_customer_code("１２３４５６７８９０１２")  # full-width digits


def test_signatures() -> None:
    sig = codes.sign("secret", "req", "req_x", 1, 2350)
    assert codes.signature_ok("secret", sig, "req", "req_x", 1, 2350)
    assert not codes.signature_ok("secret", sig, "req", "req_x", 1, 2351)
    assert not codes.signature_ok("other", sig, "req", "req_x", 1, 2350)
