"""Shared receipts for the document tests (receipt PDF, e-invoice)."""

import io
from datetime import UTC, datetime
from decimal import Decimal

from lxml import etree
from pypdf import PdfReader

from kosmos.money import Money
from kosmos.wallet.receipt import Party, Receipt, ReceiptLine

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}
MERCHANT = Party(
    "Bäckerei Müller & Söhne",
    "Hauptstraße 1",
    "12345",
    "Musterstadt",
    vat_id="DE123456789",
    tax_number="12/345/67890",
    iban="DE89 3704 0044 0532 0130 00",
    bic="COBADEFFXXX",
    email="info@mueller.example",
)
BUYER = Party("Kunde GmbH", "Weg 2", "54321", "Beispielstadt", vat_id="DE987654321")
WINTER = datetime(2026, 11, 22, 9, 5, tzinfo=UTC)  # 10:05 in Berlin (CET)
SUMMER = datetime(2026, 7, 1, 21, 30, tzinfo=UTC)  # 23:30 in Berlin (CEST)

LINES = (
    ReceiptLine("Roggenbrot", Decimal("1"), "piece", Money(349), 7, gtin="4006381333931"),
    ReceiptLine("Bergkäse", Decimal("0.234"), "kg", Money(1990), 7),  # 4.6566 -> 4.66
    ReceiptLine("Kaffee to go", Decimal("2"), "piece", Money(320), 19),
    ReceiptLine("Pfand zurück", Decimal("1"), "piece", Money(-25), 19),
)


def make_receipt(**kwargs: object) -> Receipt:
    values: dict[str, object] = {
        "number": "KOS-2026-000042",
        "issued_at": WINTER,
        "merchant": MERCHANT,
        "lines": LINES,
        "payment_method": "Kosmos Wallet (PIN)",
        "buyer": BUYER,
        "store_name": "Markt am Dom",
    }
    values.update(kwargs)
    return Receipt(**values)  # type: ignore[arg-type]


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def xpath_text(root: etree._Element, path: str) -> list[str]:
    return [node.text for node in root.xpath(path, namespaces=NS)]


def cents(text: str) -> int:
    value = Decimal(text) * 100
    assert value == value.to_integral_value(), f"{text} has more than 2 decimals"
    return int(value)
