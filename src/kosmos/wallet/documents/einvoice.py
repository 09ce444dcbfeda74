"""Electronic invoices: Factur-X / ZUGFeRD 2 (profile EN 16931) from a receipt.

`facturx_xml` writes the Cross Industry Invoice (UN/CEFACT CII D16B) by hand with lxml;
`facturx_pdf` embeds it in the invoice PDF (PDF/A-3B) with the `factur-x` library.

Gross to net. Receipt prices are gross and the receipt's VAT table takes VAT from the gross
sum per rate (see `kosmos.wallet.receipt`). EN 16931 goes the other way, from net line
amounts, so the invoice states:

* per rate: taxable amount (BT-116) = the VAT table's net, tax (BT-117) = its VAT, so the
  grand total (BT-112) is exactly what the customer paid;
* line net amounts (BT-131): each line's gross total minus the VAT contained in it, then
  the cents by which these differ from the rate's net are moved one at a time onto the
  lines with the largest absolute gross (ties: earlier line first), so the line nets of a
  rate add up to its taxable amount (BR-S-08, BR-Z-08, BR-CO-10, BR-CO-13);
* a negative line (returned deposit) gets a negative quantity, because the item net price
  must not be negative (BR-27).

Tolerance (BR-CO-17 / BR-S-09). EN 16931 expects tax = taxable amount x rate / 100,
rounded. With taxable amount = gross - VAT(gross) that can differ from the till's VAT by
at most 0.01 (|error| <= 0.5 ct x (1 + rate/100) < 1 ct). The official Factur-X schematron
accepts a difference up to 1.00, so the invoice validates and still adds up to the cent
with the receipt. `vat_deviation_cents` reports the difference.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import facturx  # type: ignore[import-untyped]
from lxml import etree  # type: ignore[import-untyped]

from kosmos.money import Money, vat_included
from kosmos.rules import RuleError
from kosmos.wallet.documents.girocode import (
    epc_payload,
    girocode_png,
    normalize_bic,
    normalize_iban,
)
from kosmos.wallet.documents.receipt_pdf import BERLIN, InvoiceDetails, render_pdf, safe_text
from kosmos.wallet.receipt import Party, Receipt, check_receipt

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}
GUIDELINE_EN16931 = "urn:cen.eu:en16931:2017"
INVOICE_TYPE = "380"  # commercial invoice (UNTDID 1001)
# UN/ECE Recommendation 20 (and 21 with an "X" prefix) unit codes.
UNIT_CODES = {"piece": "H87", "kg": "KGM", "g": "GRM", "l": "LTR", "ml": "MLT", "pack": "XPK"}
SEPA_CREDIT_TRANSFER = "58"
MUTUALLY_DEFINED = "ZZZ"
GTIN_SCHEME = "0160"


def _q(prefix: str, tag: str) -> str:
    return f"{{{NS[prefix]}}}{tag}"


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    prefix, _, name = tag.partition(":")
    element = etree.SubElement(parent, _q(prefix, name), attrib=attrs or None)
    if text is not None:
        element.text = text
    return element


def _amount(money: Money) -> str:
    return f"{money.as_decimal():.2f}"


def _date_102(day: date) -> str:
    return day.strftime("%Y%m%d")


def _clean(text: str) -> str:
    """Text for XML: no control characters (XML 1.0 forbids most of them)."""
    return "".join(c if c >= " " or c in "\t\n" else " " for c in text).strip()


# -- amounts ---------------------------------------------------------------------------


def line_net_amounts(receipt: Receipt) -> list[Money]:
    """Net amount of each line; per rate they add up to the VAT table's net exactly."""
    nets = [line.total - vat_included(line.total, line.vat_rate) for line in receipt.lines]
    for row in receipt.vat_breakdown():
        indexes = [i for i, line in enumerate(receipt.lines) if line.vat_rate == row.rate]
        diff = row.net.amount - sum(nets[i].amount for i in indexes)
        order = sorted(indexes, key=lambda i: (-abs(receipt.lines[i].total.amount), i))
        step = 1 if diff > 0 else -1
        for n in range(abs(diff)):
            i = order[n % len(order)]
            nets[i] = Money(nets[i].amount + step, nets[i].currency)
    return nets


def vat_deviation_cents(receipt: Receipt) -> dict[int, int]:
    """Per rate: receipt VAT minus round(net x rate / 100), in cents (always -1, 0 or 1)."""
    out = {}
    for row in receipt.vat_breakdown():
        expected = (Decimal(row.net.amount) * row.rate / 100).quantize(Decimal(1), ROUND_HALF_UP)
        out[row.rate] = row.vat.amount - int(expected)
    return out


def _category(rate: int) -> str:
    return "S" if rate > 0 else "Z"  # standard rated / zero rated


# -- checks ----------------------------------------------------------------------------


def _check_party(field: str, party: Party) -> None:
    if not party.name.strip():
        raise RuleError(field, f"The {field} needs a name.", code="missing_name")
    if not (party.street.strip() and party.postcode.strip() and party.city.strip()):
        raise RuleError(
            field,
            f"An invoice needs the {field}'s full address (street, postcode, city).",
            code="missing_address",
        )
    if len(party.country) != 2 or not party.country.isalpha() or not party.country.isupper():
        raise RuleError(
            field, f"The {field}'s country must be an ISO 3166 code.", code="bad_country"
        )


def check_invoice(receipt: Receipt) -> Party:
    """The receipt rules plus what an invoice needs; returns the buyer."""
    check_receipt(receipt)
    if receipt.buyer is None:
        raise RuleError("buyer", "An invoice needs the buyer's name and address.", code="no_buyer")
    _check_party("merchant", receipt.merchant)
    _check_party("buyer", receipt.buyer)
    if not (receipt.merchant.vat_id or receipt.merchant.tax_number):
        raise RuleError(
            "merchant",
            "An invoice needs the merchant's VAT ID or tax number.",
            code="no_tax_id",
        )
    return receipt.buyer


# -- XML -------------------------------------------------------------------------------


def _party(parent: etree._Element, tag: str, party: Party, *, seller: bool) -> None:
    node = _sub(parent, tag)
    _sub(node, "ram:Name", _clean(party.name))
    address = _sub(node, "ram:PostalTradeAddress")
    _sub(address, "ram:PostcodeCode", _clean(party.postcode))
    _sub(address, "ram:LineOne", _clean(party.street))
    _sub(address, "ram:CityName", _clean(party.city))
    _sub(address, "ram:CountryID", party.country)
    if party.email:
        uri = _sub(node, "ram:URIUniversalCommunication")
        _sub(uri, "ram:URIID", _clean(party.email), schemeID="EM")
    if seller and party.tax_number:
        reg = _sub(node, "ram:SpecifiedTaxRegistration")
        _sub(reg, "ram:ID", _clean(party.tax_number), schemeID="FC")
    if party.vat_id:
        reg = _sub(node, "ram:SpecifiedTaxRegistration")
        _sub(reg, "ram:ID", _clean(party.vat_id).replace(" ", ""), schemeID="VA")


def _trade_tax(parent: etree._Element, rate: int) -> None:
    tax = _sub(parent, "ram:ApplicableTradeTax")
    _sub(tax, "ram:TypeCode", "VAT")
    _sub(tax, "ram:CategoryCode", _category(rate))
    _sub(tax, "ram:RateApplicablePercent", str(rate))


def _quantity(value: Decimal) -> str:
    return f"{value.normalize():f}"


def facturx_xml(receipt: Receipt, *, due_days: int = 14, paid: bool = True) -> bytes:
    """The receipt as a Factur-X / ZUGFeRD EN 16931 invoice (CII XML, UTF-8).

    `paid=True` (a receipt is paid when it is issued): the total is stated as prepaid,
    nothing is due. `paid=False`: due `due_days` after the issue date, by SEPA credit
    transfer to the merchant's IBAN (payment means 58), or "mutually defined" (ZZZ)
    when the merchant has no IBAN.
    """
    buyer = check_invoice(receipt)
    if due_days < 0:
        raise RuleError("due_days", "The payment term cannot be negative.", code="bad_due_days")
    issue_day = receipt.issued_at.astimezone(BERLIN).date()
    currency = receipt.currency
    nets = line_net_amounts(receipt)
    breakdown = receipt.vat_breakdown()

    root = etree.Element(_q("rsm", "CrossIndustryInvoice"), nsmap=NS)
    context = _sub(root, "rsm:ExchangedDocumentContext")
    guideline = _sub(context, "ram:GuidelineSpecifiedDocumentContextParameter")
    _sub(guideline, "ram:ID", GUIDELINE_EN16931)

    document = _sub(root, "rsm:ExchangedDocument")
    _sub(document, "ram:ID", _clean(receipt.number))
    _sub(document, "ram:TypeCode", INVOICE_TYPE)
    issued = _sub(document, "ram:IssueDateTime")
    _sub(issued, "udt:DateTimeString", _date_102(issue_day), format="102")
    if receipt.has_refund and receipt.refunded is not None:
        note = _sub(document, "ram:IncludedNote")
        _sub(
            note,
            "ram:Content",
            f"Erstattet: {_amount(receipt.refunded)} {currency} (Gutschrift separat).",
        )

    transaction = _sub(root, "rsm:SupplyChainTradeTransaction")
    for index, (line, net) in enumerate(zip(receipt.lines, nets, strict=True), start=1):
        item = _sub(transaction, "ram:IncludedSupplyChainTradeLineItem")
        doc_line = _sub(item, "ram:AssociatedDocumentLineDocument")
        _sub(doc_line, "ram:LineID", str(index))
        product = _sub(item, "ram:SpecifiedTradeProduct")
        if line.gtin and line.gtin.isdigit() and len(line.gtin) in (8, 12, 13, 14):
            _sub(product, "ram:GlobalID", line.gtin, schemeID=GTIN_SCHEME)
        _sub(product, "ram:Name", _clean(line.name) or "-")
        quantity = line.quantity if net.amount >= 0 else -line.quantity
        agreement = _sub(item, "ram:SpecifiedLineTradeAgreement")
        price = _sub(agreement, "ram:NetPriceProductTradePrice")
        unit_net = (net.as_decimal() / quantity).quantize(Decimal("0.0001"), ROUND_HALF_UP)
        _sub(price, "ram:ChargeAmount", f"{unit_net.normalize():f}" if unit_net else "0")
        delivery = _sub(item, "ram:SpecifiedLineTradeDelivery")
        _sub(delivery, "ram:BilledQuantity", _quantity(quantity), unitCode=UNIT_CODES[line.unit])
        settlement = _sub(item, "ram:SpecifiedLineTradeSettlement")
        _trade_tax(settlement, line.vat_rate)
        summation = _sub(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation")
        _sub(summation, "ram:LineTotalAmount", _amount(net))

    agreement = _sub(transaction, "ram:ApplicableHeaderTradeAgreement")
    _party(agreement, "ram:SellerTradeParty", receipt.merchant, seller=True)
    _party(agreement, "ram:BuyerTradeParty", buyer, seller=False)

    delivery = _sub(transaction, "ram:ApplicableHeaderTradeDelivery")
    event = _sub(delivery, "ram:ActualDeliverySupplyChainEvent")
    occurrence = _sub(event, "ram:OccurrenceDateTime")
    _sub(occurrence, "udt:DateTimeString", _date_102(issue_day), format="102")

    settlement = _sub(transaction, "ram:ApplicableHeaderTradeSettlement")
    iban = normalize_iban(receipt.merchant.iban) if receipt.merchant.iban else None
    if not paid:
        _sub(settlement, "ram:PaymentReference", _clean(receipt.number))
    _sub(settlement, "ram:InvoiceCurrencyCode", currency)
    means = _sub(settlement, "ram:SpecifiedTradeSettlementPaymentMeans")
    if paid:
        _sub(means, "ram:TypeCode", MUTUALLY_DEFINED)
        _sub(means, "ram:Information", _clean(receipt.payment_method))
    elif iban:
        _sub(means, "ram:TypeCode", SEPA_CREDIT_TRANSFER)
        _sub(means, "ram:Information", "SEPA-Überweisung")
        account = _sub(means, "ram:PayeePartyCreditorFinancialAccount")
        _sub(account, "ram:IBANID", iban)
        if receipt.merchant.bic:
            bank = _sub(means, "ram:PayeeSpecifiedCreditorFinancialInstitution")
            _sub(bank, "ram:BICID", normalize_bic(receipt.merchant.bic))
    else:
        _sub(means, "ram:TypeCode", MUTUALLY_DEFINED)
        _sub(means, "ram:Information", _clean(receipt.payment_method))

    for row in breakdown:
        tax = _sub(settlement, "ram:ApplicableTradeTax")
        _sub(tax, "ram:CalculatedAmount", _amount(row.vat))
        _sub(tax, "ram:TypeCode", "VAT")
        _sub(tax, "ram:BasisAmount", _amount(row.net))
        _sub(tax, "ram:CategoryCode", _category(row.rate))
        _sub(tax, "ram:RateApplicablePercent", str(row.rate))

    terms = _sub(settlement, "ram:SpecifiedTradePaymentTerms")
    if paid:
        paid_on = issue_day.strftime("%d.%m.%Y")
        _sub(
            terms, "ram:Description", _clean(f"Bezahlt am {paid_on} mit {receipt.payment_method}.")
        )
    else:
        due_day = due_date(receipt, due_days)
        _sub(terms, "ram:Description", f"Zahlbar bis {due_day:%d.%m.%Y} ohne Abzug.")
        due = _sub(terms, "ram:DueDateDateTime")
        _sub(due, "udt:DateTimeString", _date_102(due_day), format="102")

    line_total = Money(sum(n.amount for n in nets), currency)
    totals = _sub(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    _sub(totals, "ram:LineTotalAmount", _amount(line_total))
    _sub(totals, "ram:TaxBasisTotalAmount", _amount(receipt.net))
    _sub(totals, "ram:TaxTotalAmount", _amount(receipt.vat), currencyID=currency)
    _sub(totals, "ram:GrandTotalAmount", _amount(receipt.gross))
    prepaid = receipt.gross if paid else Money(0, currency)
    _sub(totals, "ram:TotalPrepaidAmount", _amount(prepaid))
    _sub(totals, "ram:DuePayableAmount", _amount(receipt.gross - prepaid))

    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def due_date(receipt: Receipt, due_days: int) -> date:
    return receipt.issued_at.astimezone(BERLIN).date() + timedelta(days=due_days)


def facturx_pdf(
    receipt: Receipt, *, locale: str = "de", due_days: int = 14, paid: bool = True
) -> bytes:
    """The invoice PDF ("Rechnung") as PDF/A-3B with the Factur-X XML embedded.

    Unpaid invoices to a merchant with an IBAN also print a GiroCode for the transfer.
    """
    xml = facturx_xml(receipt, due_days=due_days, paid=paid)
    details = InvoiceDetails(paid=True)
    if not paid:
        iban = normalize_iban(receipt.merchant.iban) if receipt.merchant.iban else None
        bic = normalize_bic(receipt.merchant.bic) if receipt.merchant.bic else None
        qr = None
        if iban and receipt.currency == "EUR":
            payload = epc_payload(
                name=_clean(receipt.merchant.name)[:70],
                iban=iban,
                bic=bic,
                amount=receipt.gross,
                text=_clean(receipt.number)[:140],
            )
            qr = girocode_png(payload, scale=8)
        details = InvoiceDetails(
            paid=False, due_date=due_date(receipt, due_days), iban=iban, bic=bic, girocode_png=qr
        )
    pdf = render_pdf(receipt, locale=locale, invoice=details)
    merchant = safe_text(receipt.merchant.name)
    issue_day = receipt.issued_at.astimezone(BERLIN).date()
    metadata = {
        "author": merchant,
        "keywords": "Factur-X, ZUGFeRD, Rechnung, Invoice",
        "title": f"{merchant}: Rechnung {receipt.number}",
        "subject": f"Factur-X Rechnung {receipt.number} vom {issue_day:%d.%m.%Y} ({merchant})",
    }
    result: bytes = facturx.generate_from_binary(
        pdf,
        xml,
        flavor="factur-x",
        level="en16931",
        check_xsd=True,
        pdf_metadata=metadata,
        lang="de-DE" if locale.startswith("de") else "en-GB",
    )
    return result
