"""Receipt PDF, Factur-X invoice (XML and PDF/A-3) and the GiroCode on an unpaid invoice."""

import io
from datetime import UTC, datetime
from decimal import Decimal

import facturx
import pytest
import zxingcpp
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from PIL import Image
from pypdf import PdfReader

from kosmos.money import Money
from kosmos.rules import RuleError
from kosmos.wallet.documents import (
    facturx_pdf,
    facturx_xml,
    line_net_amounts,
    render_receipt_pdf,
)
from kosmos.wallet.documents.einvoice import vat_deviation_cents
from kosmos.wallet.documents.receipt_pdf import safe_text
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


def check_en16931_sums(root: etree._Element, receipt: Receipt) -> None:
    """The calculation rules of EN 16931 the schematron checks, recomputed here."""
    line_nets = [
        cents(t)
        for t in xpath_text(
            root, "//ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount"
        )
    ]
    line_rates = [
        int(t)
        for t in xpath_text(
            root,
            "//ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax/ram:RateApplicablePercent",
        )
    ]
    header = "//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:"
    line_total = cents(xpath_text(root, header + "LineTotalAmount")[0])
    basis_total = cents(xpath_text(root, header + "TaxBasisTotalAmount")[0])
    tax_total = cents(xpath_text(root, header + "TaxTotalAmount")[0])
    grand_total = cents(xpath_text(root, header + "GrandTotalAmount")[0])
    prepaid = cents(xpath_text(root, header + "TotalPrepaidAmount")[0])
    due = cents(xpath_text(root, header + "DuePayableAmount")[0])

    assert line_total == sum(line_nets)  # BR-CO-10
    assert basis_total == line_total  # BR-CO-13 (no allowances or charges)
    assert grand_total == basis_total + tax_total  # BR-CO-15
    assert due == grand_total - prepaid  # BR-CO-16
    taxes = root.xpath(
        "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax", namespaces=NS
    )
    assert tax_total == sum(cents(t.findtext("ram:CalculatedAmount", namespaces=NS)) for t in taxes)
    for tax in taxes:  # BR-S-08 / BR-Z-08 and BR-CO-17 (the schematron allows +-1.00)
        rate = int(tax.findtext("ram:RateApplicablePercent", namespaces=NS))
        basis = cents(tax.findtext("ram:BasisAmount", namespaces=NS))
        vat = cents(tax.findtext("ram:CalculatedAmount", namespaces=NS))
        assert basis == sum(n for n, r in zip(line_nets, line_rates, strict=True) if r == rate)
        exact = Decimal(basis) * rate / 100
        assert abs(vat - exact) < Decimal("1.5")  # i.e. at most one cent after rounding
    # and everything equals the receipt
    assert grand_total == receipt.gross.amount
    assert tax_total == receipt.vat.amount
    assert basis_total == receipt.net.amount
    rows = {row.rate: row for row in receipt.vat_breakdown()}
    assert {
        int(t.findtext("ram:RateApplicablePercent", namespaces=NS)): (
            cents(t.findtext("ram:BasisAmount", namespaces=NS)),
            cents(t.findtext("ram:CalculatedAmount", namespaces=NS)),
        )
        for t in taxes
    } == {rate: (row.net.amount, row.vat.amount) for rate, row in rows.items()}


def test_facturx_xml_validates_and_adds_up():
    receipt = make_receipt()
    xml = facturx_xml(receipt)
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    assert facturx.get_level(etree.fromstring(xml), "factur-x") == "en16931"
    root = etree.fromstring(xml)
    assert xpath_text(root, "//ram:GuidelineSpecifiedDocumentContextParameter/ram:ID") == [
        "urn:cen.eu:en16931:2017"
    ]
    assert xpath_text(root, "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:ID") == [
        "KOS-2026-000042"
    ]
    assert xpath_text(root, "//ram:IssueDateTime/udt:DateTimeString") == ["20261122"]
    assert xpath_text(root, "//ram:SellerTradeParty/ram:Name") == ["Bäckerei Müller & Söhne"]
    assert xpath_text(root, "//ram:BuyerTradeParty/ram:Name") == ["Kunde GmbH"]
    assert xpath_text(root, "//ram:SellerTradeParty//ram:ID[@schemeID='VA']") == ["DE123456789"]
    assert xpath_text(root, "//ram:SellerTradeParty//ram:ID[@schemeID='FC']") == ["12/345/67890"]
    assert xpath_text(root, "//ram:BuyerTradeParty//ram:ID[@schemeID='VA']") == ["DE987654321"]
    assert xpath_text(root, "//ram:SpecifiedTradeProduct/ram:GlobalID[@schemeID='0160']") == [
        "4006381333931"
    ]
    assert xpath_text(root, "//ram:BilledQuantity") == ["1", "0.234", "2", "-1"]
    assert root.xpath("//ram:BilledQuantity/@unitCode", namespaces=NS) == [
        "H87",
        "KGM",
        "H87",
        "H87",
    ]
    # line nets: 3.49 -> 3.26, 4.66 -> 4.36 (7 %: 7.62); 6.40 -> 5.38, -0.25 -> -0.21 (19 %: 5.17)
    assert xpath_text(
        root, "//ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount"
    ) == ["3.26", "4.36", "5.38", "-0.21"]
    assert (
        min(
            Decimal(p) for p in xpath_text(root, "//ram:NetPriceProductTradePrice/ram:ChargeAmount")
        )
        >= 0
    )  # BR-27
    header = "//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:"
    assert xpath_text(root, header + "GrandTotalAmount") == ["14.30"]
    assert xpath_text(root, header + "TaxTotalAmount") == ["1.51"]
    assert xpath_text(root, header + "TotalPrepaidAmount") == ["14.30"]
    assert xpath_text(root, header + "DuePayableAmount") == ["0.00"]
    assert xpath_text(root, "//ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode") == ["ZZZ"]
    check_en16931_sums(root, receipt)


def test_unpaid_invoice_asks_for_a_sepa_transfer():
    receipt = make_receipt()
    xml = facturx_xml(receipt, paid=False, due_days=30)
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    root = etree.fromstring(xml)
    means = "//ram:SpecifiedTradeSettlementPaymentMeans/"
    assert xpath_text(root, means + "ram:TypeCode") == ["58"]
    assert xpath_text(root, means + "ram:PayeePartyCreditorFinancialAccount/ram:IBANID") == [
        "DE89370400440532013000"
    ]
    assert xpath_text(root, means + "ram:PayeeSpecifiedCreditorFinancialInstitution/ram:BICID") == [
        "COBADEFFXXX"
    ]
    assert xpath_text(root, "//ram:DueDateDateTime/udt:DateTimeString") == ["20261222"]
    assert xpath_text(root, "//ram:PaymentReference") == ["KOS-2026-000042"]
    header = "//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:"
    assert xpath_text(root, header + "DuePayableAmount") == ["14.30"]
    check_en16931_sums(root, receipt)


def test_unpaid_invoice_without_iban_and_seller_with_tax_number_only():
    merchant = Party("Hofladen", "Dorf 3", "12345", "Musterstadt", tax_number="12/345/67890")
    lines = (
        ReceiptLine("Eier", Decimal(10), "piece", Money(35), 7),
        ReceiptLine("Solarmodul", Decimal(1), "piece", Money(19900), 0),
    )
    receipt = make_receipt(merchant=merchant, lines=lines)
    xml = facturx_xml(receipt, paid=False)
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    root = etree.fromstring(xml)
    assert xpath_text(root, "//ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode") == ["ZZZ"]
    assert root.xpath("//ram:SellerTradeParty//ram:ID/@schemeID", namespaces=NS) == ["FC"]
    assert xpath_text(
        root, "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:CategoryCode"
    ) == ["Z", "S"]
    assert xpath_text(root, "//ram:DueDateDateTime/udt:DateTimeString") == ["20261206"]
    check_en16931_sums(root, receipt)


@pytest.mark.parametrize(
    "change,field",
    [
        ({"buyer": None}, "buyer"),
        ({"buyer": Party("Kunde GmbH")}, "buyer"),  # no address
        ({"merchant": Party("Laden", "Weg 1", "12345", "Musterstadt")}, "merchant"),  # no tax id
        (
            {
                "merchant": Party(
                    "Laden", "Weg 1", "12345", "Musterstadt", vat_id="DE1", iban="DE00"
                )
            },
            "iban",
        ),
        ({"lines": ()}, "lines"),
    ],
)
def test_facturx_refuses(change, field):
    with pytest.raises(RuleError) as info:
        facturx_xml(make_receipt(**change), paid=False)
    assert info.value.field == field


@given(
    st.lists(
        st.tuples(
            st.integers(min_value=-300, max_value=50_000),
            st.sampled_from([0, 7, 19]),
            st.decimals(min_value=Decimal("0.001"), max_value=Decimal("20"), places=3),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_line_nets_add_up_to_the_vat_table(items):
    receipt = make_receipt(lines=tuple(ReceiptLine("x", q, "kg", Money(p), r) for p, r, q in items))
    nets = line_net_amounts(receipt)
    for row in receipt.vat_breakdown():
        assert (
            sum(
                n.amount
                for n, ln in zip(nets, receipt.lines, strict=True)
                if ln.vat_rate == row.rate
            )
            == row.net.amount
        )
    # each line stays within a few cents of its own gross-to-net conversion
    for net, ln in zip(nets, receipt.lines, strict=True):
        assert abs(net.amount - (ln.total.amount * 100 / (100 + ln.vat_rate))) <= len(items)
    assert set(vat_deviation_cents(receipt).values()) <= {-1, 0, 1}


def test_vat_deviation_example():
    # 0.16 gross at 19 %: till VAT 0.16 x 19/119 = 0.0255 -> 0.03, net 0.13;
    # EN 16931 would compute 0.13 x 19 % = 0.0247 -> 0.02. The invoice keeps the till's 0.03.
    receipt = make_receipt(lines=(ReceiptLine("Brötchen", Decimal(1), "piece", Money(16), 19),))
    assert vat_deviation_cents(receipt) == {19: 1}
    root = etree.fromstring(facturx_xml(receipt))
    check_en16931_sums(root, receipt)
    assert xpath_text(
        root, "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:CalculatedAmount"
    ) == ["0.03"]


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=1, max_value=20_000),
            st.sampled_from([0, 7, 19]),
            st.decimals(min_value=Decimal("0.001"), max_value=Decimal("9"), places=3),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_random_receipts_give_valid_invoices(items):
    receipt = make_receipt(lines=tuple(ReceiptLine("x", q, "kg", Money(p), r) for p, r, q in items))
    xml = facturx_xml(receipt)
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    check_en16931_sums(etree.fromstring(xml), receipt)


# -- Factur-X PDF ----------------------------------------------------------------------


def test_facturx_pdf_embeds_the_xml():
    receipt = make_receipt()
    pdf = facturx_pdf(receipt)
    assert pdf.startswith(b"%PDF-")
    filename, embedded = facturx.get_xml_from_pdf(pdf)
    assert filename == "factur-x.xml"
    assert embedded == facturx_xml(receipt)
    text = pdf_text(pdf)
    assert "Rechnung" in text
    assert "Rechnungs-Nr.: KOS-2026-000042" in text
    assert "Leistungsdatum: 22.11.2026" in text
    assert "Rechnungsempfänger" in text
    assert "Bezahlt mit Kosmos Wallet (PIN)." in text
    root = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data()
    assert b"factur-x" in xmp.lower() and b"EN 16931" in xmp
    assert root["/OutputIntents"]


def test_unpaid_facturx_pdf_prints_a_girocode():
    receipt = make_receipt()
    pdf = facturx_pdf(receipt, paid=False, locale="en")
    filename, embedded = facturx.get_xml_from_pdf(pdf)
    assert embedded == facturx_xml(receipt, paid=False)
    text = pdf_text(pdf)
    assert "Invoice no.: KOS-2026-000042" in text
    assert "IBAN: DE89 3704 0044 0532 0130 00" in text
    assert "Payable by 2026-12-06" in text
    images = PdfReader(io.BytesIO(pdf)).pages[0].images
    assert len(images) == 1
    image = Image.open(io.BytesIO(images[0].data))
    decoded = zxingcpp.read_barcodes(image)[0].text.split("\n")
    assert decoded == [
        "BCD",
        "002",
        "1",
        "SCT",
        "COBADEFFXXX",
        "Bäckerei Müller & Söhne",
        "DE89370400440532013000",
        "EUR14.30",
        "",
        "",
        "KOS-2026-000042",
    ]
