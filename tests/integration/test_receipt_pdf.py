"""Receipt PDF: German and English, Berlin time, PDF/A-3B, any unicode, page breaks."""

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader
from tests.documents_support import (
    SUMMER,
    make_receipt,
    pdf_text,
)

from kosmos.money import Money
from kosmos.rules import RuleError
from kosmos.wallet.documents import (
    render_receipt_pdf,
)
from kosmos.wallet.documents.receipt_pdf import safe_text
from kosmos.wallet.receipt import Party, ReceiptLine

# -- receipt PDF -----------------------------------------------------------------------


def test_receipt_pdf_in_german():
    pdf = render_receipt_pdf(make_receipt(refunded=Money(100)))
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    for expected in [
        "Bäckerei Müller & Söhne",
        "Hauptstraße 1",
        "12345 Musterstadt",
        "USt-IdNr.: DE123456789",
        "Steuernummer: 12/345/67890",
        "Filiale: Markt am Dom",
        "Beleg-Nr.: KOS-2026-000042",
        "Datum: 22.11.2026 10:05 Uhr",
        "Kunde\nKunde GmbH\nWeg 2\n54321 Beispielstadt",
        "Bergkäse 0,234 kg 19,90 €/kg 7 % 4,66 €",
        "Kaffee to go 2 Stk. 3,20 € 19 % 6,40 €",
        "Pfand zurück 1 Stk. -0,25 € 19 % -0,25 €",
        "USt-Satz Netto USt Brutto",
        "7 % 7,62 € 0,53 € 8,15 €",
        "19 % 5,17 € 0,98 € 6,15 €",
        "Summe 12,79 € 1,51 € 14,30 €",
        "Summe: 14,30 €",
        "Zahlungsart: Kosmos Wallet (PIN)",
        "Erstattet: 1,00 €",
        "Kein TSE-Beleg: Kosmos ist keine zertifizierte Kasse (KassenSichV)",
    ]:
        assert expected in text, expected
    assert "Rechnung" not in text


def test_receipt_pdf_in_english_in_summer_time():
    text = pdf_text(render_receipt_pdf(make_receipt(issued_at=SUMMER, buyer=None), locale="en"))
    for expected in [
        "Receipt no.: KOS-2026-000042",
        "Date: 2026-07-01 23:30 CEST",
        "Item Qty Unit price VAT Amount",
        "Bergkäse 0.234 kg €19.90/kg 7% €4.66",
        "VAT rate Net VAT Gross",
        "19% €5.17 €0.98 €6.15",
        "Total: €14.30",
        "Payment method: Kosmos Wallet (PIN)",
        "Not a TSE receipt",
    ]:
        assert expected in text, expected
    assert "Refunded" not in text
    assert "Bill to" not in text


def test_receipt_pdf_is_pdfa_3b():
    reader = PdfReader(io.BytesIO(render_receipt_pdf(make_receipt())))
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data()
    assert b"<pdfaid:part>3</pdfaid:part>" in xmp or b'pdfaid:part="3"' in xmp
    assert root["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1"


def test_any_unicode_product_name_prints():
    names = [
        "🍎 Äpfel 🇩🇪 👨‍👩‍👧",
        "Cafe\u0301 cre\u0300me",  # combining accents -> é, è
        "日本茶 Sencha",
        "ctrl\x00\x07 tab\tnew\nline",
        "lone \ud800 surrogate",
        "zero\u200bwidth ﷽",
    ]
    lines = tuple(ReceiptLine(n, Decimal(1), "piece", Money(100), 19) for n in names)
    merchant = Party("Obst 🍏 Ökoladen", "Weg 1", "12345", "Musterstadt")
    pdf = render_receipt_pdf(make_receipt(lines=lines, merchant=merchant))
    text = pdf_text(pdf)
    assert "? Äpfel" in text
    assert "Café crème" in text
    assert "Sencha" in text
    assert "Obst ? Ökoladen" in text
    assert "ctrl tab new line" in text
    assert "surrogate" in text


def test_safe_text():
    assert safe_text("Grüße aus Köln – 5 €") == "Grüße aus Köln – 5 €"
    assert safe_text("Apfel 🍎") == "Apfel ?"
    assert safe_text("a\nb\x00c") == "a bc"


def test_long_receipt_breaks_onto_more_pages():
    lines = tuple(
        ReceiptLine(f"Artikel Nummer {i:03d}", Decimal(1), "piece", Money(100 + i), 7)
        for i in range(90)
    )
    pdf = render_receipt_pdf(make_receipt(lines=lines))
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2
    text = pdf_text(pdf)
    assert all(f"Artikel Nummer {i:03d}" in text for i in range(90))
    assert f"1/{len(reader.pages)}" in text


def test_receipt_pdf_refuses_broken_receipts_and_unknown_locales():
    with pytest.raises(RuleError) as info:
        render_receipt_pdf(make_receipt(lines=()))
    assert info.value.field == "lines"
    with pytest.raises(RuleError) as info:
        render_receipt_pdf(make_receipt(), locale="fr")
    assert info.value.field == "locale"


# -- Factur-X XML ----------------------------------------------------------------------
