"""Factur-X e-invoice (XML against XSD and EN 16931 sums, PDF/A-3) and the GiroCode on an
unpaid invoice."""

import io
from decimal import Decimal

import facturx
import pytest
import zxingcpp
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from PIL import Image
from pypdf import PdfReader
from tests.documents_support import (
    NS,
    cents,
    make_receipt,
    pdf_text,
    xpath_text,
)

from kosmos.money import Money
from kosmos.rules import RuleError
from kosmos.wallet.documents import (
    facturx_pdf,
    facturx_xml,
    line_net_amounts,
)
from kosmos.wallet.documents.einvoice import vat_deviation_cents
from kosmos.wallet.receipt import Party, Receipt, ReceiptLine


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
