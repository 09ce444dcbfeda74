"""Receipt (and invoice) PDFs with fpdf2.

The PDF is PDF/A-3B (fonts embedded, sRGB output intent), so the same bytes can carry a
Factur-X XML (see `einvoice.facturx_pdf`) and be archived. Text is set in the vendored
DejaVu Sans (`kosmos/static/fonts`, Bitstream Vera licence); characters the font cannot
show (emoji, most CJK) are replaced by "?", invisible ones dropped, so any product name
prints. Times are shown in Europe/Berlin.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from fontTools.ttLib import TTFont  # type: ignore[import-untyped]
from fpdf import FPDF
from fpdf.fonts import FontFace

from kosmos.money import Money
from kosmos.rules import RuleError
from kosmos.wallet.receipt import Party, Receipt, check_receipt

BERLIN = ZoneInfo("Europe/Berlin")
FONT_FAMILY = "DejaVuSans"

LABELS: dict[str, dict[str, str]] = {
    "de": {
        "receipt": "Beleg",
        "invoice": "Rechnung",
        "number": "Beleg-Nr.",
        "invoice_number": "Rechnungs-Nr.",
        "date": "Datum",
        "supply_date": "Leistungsdatum",
        "store": "Filiale",
        "vat_id": "USt-IdNr.",
        "tax_number": "Steuernummer",
        "buyer": "Rechnungsempfänger",
        "customer": "Kunde",
        "item": "Artikel",
        "quantity": "Menge",
        "unit_price": "Einzelpreis",
        "vat": "USt",
        "amount": "Betrag",
        "vat_rate": "USt-Satz",
        "net": "Netto",
        "gross": "Brutto",
        "total": "Summe",
        "payment": "Zahlungsart",
        "refunded": "Erstattet",
        "paid": "Bezahlt mit {method}.",
        "due": "Zahlbar bis {date} ohne Abzug per Überweisung.",
        "payee": "Empfänger",
        "reference": "Verwendungszweck",
        "scan": "GiroCode: mit der Banking-App scannen.",
        "time_suffix": " Uhr",
        "footer": "Kein TSE-Beleg: Kosmos ist keine zertifizierte Kasse (KassenSichV)",
    },
    "en": {
        "receipt": "Receipt",
        "invoice": "Invoice",
        "number": "Receipt no.",
        "invoice_number": "Invoice no.",
        "date": "Date",
        "supply_date": "Date of supply",
        "store": "Store",
        "vat_id": "VAT ID",
        "tax_number": "Tax number",
        "buyer": "Bill to",
        "customer": "Customer",
        "item": "Item",
        "quantity": "Qty",
        "unit_price": "Unit price",
        "vat": "VAT",
        "amount": "Amount",
        "vat_rate": "VAT rate",
        "net": "Net",
        "gross": "Gross",
        "total": "Total",
        "payment": "Payment method",
        "refunded": "Refunded",
        "paid": "Paid with {method}.",
        "due": "Payable by {date} without deduction by bank transfer.",
        "payee": "Payee",
        "reference": "Reference",
        "scan": "GiroCode: scan with your banking app.",
        "time_suffix": "",
        "footer": (
            "Not a TSE receipt: Kosmos is not a certified cash register (German KassenSichV)"
        ),
    },
}

UNIT_LABELS: dict[str, dict[str, str]] = {
    "de": {"piece": "Stk.", "kg": "kg", "g": "g", "l": "l", "ml": "ml", "pack": "Pkg."},
    "en": {"piece": "pc", "kg": "kg", "g": "g", "l": "l", "ml": "ml", "pack": "pack"},
}
CURRENCY_SYMBOLS = {"EUR": "€"}


@dataclass(frozen=True)
class InvoiceDetails:
    """What turns a receipt into an invoice on paper (see `einvoice.facturx_pdf`)."""

    paid: bool = True
    due_date: date | None = None
    iban: str | None = None  # normalized
    bic: str | None = None
    girocode_png: bytes | None = None


def _locale(locale: str) -> str:
    short = locale.replace("-", "_").split("_")[0].lower()
    if short not in LABELS:
        raise RuleError("locale", f"No receipt layout for locale {locale!r}.", code="bad_locale")
    return short


# -- formatting ------------------------------------------------------------------------


def _group(digits: str, sep: str) -> str:
    parts: list[str] = []
    while len(digits) > 3:
        parts.insert(0, digits[-3:])
        digits = digits[:-3]
    parts.insert(0, digits)
    return sep.join(parts)


def format_decimal(value: Decimal, locale: str, *, places: int | None = None) -> str:
    """1234.5 -> "1.234,5" (de) / "1,234.5" (en); `places` fixes the decimals."""
    if places is not None:
        text = f"{abs(value):.{places}f}"
    else:
        normalized = abs(value).normalize()
        text = f"{normalized:f}"
    whole, _, frac = text.partition(".")
    thousands, point = (".", ",") if locale == "de" else (",", ".")
    out = _group(whole, thousands) + (point + frac if frac else "")
    return ("-" if value < 0 else "") + out


def format_money(money: Money, locale: str) -> str:
    """12,34 € (de) / €12.34 (en)."""
    symbol = CURRENCY_SYMBOLS.get(money.currency, money.currency)
    number = format_decimal(money.as_decimal(), locale, places=2)
    if locale == "de":
        return f"{number} {symbol}"
    if number.startswith("-"):
        return f"-{symbol}{number[1:]}"
    return f"{symbol}{number}"


def format_date(day: date, locale: str) -> str:
    return day.strftime("%d.%m.%Y") if locale == "de" else day.isoformat()


def format_datetime(moment: datetime, locale: str) -> str:
    """Local Berlin time: "22.11.2026 10:00 Uhr" / "2026-11-22 10:00 CET"."""
    local = moment.astimezone(BERLIN)
    clock = local.strftime("%H:%M")
    if locale == "de":
        return f"{format_date(local.date(), locale)} {clock}{LABELS['de']['time_suffix']}"
    return f"{format_date(local.date(), locale)} {clock} {local.tzname()}"


def format_rate(rate: int, locale: str) -> str:
    return f"{rate} %" if locale == "de" else f"{rate}%"


# -- fonts and safe text ---------------------------------------------------------------


FONT_DIR = Path(__file__).resolve().parents[2] / "static" / "fonts"


def _font_path(name: str) -> Path:
    return FONT_DIR / name


FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}


@lru_cache(maxsize=1)
def _printable_codepoints() -> frozenset[int]:
    """Code points both vendored fonts have a glyph for."""
    sets: list[set[int]] = []
    for file in FONT_FILES.values():
        with TTFont(_font_path(file), lazy=True) as font:
            sets.append(set(font.getBestCmap()))
    return frozenset(set.intersection(*sets))


def safe_text(text: str) -> str:
    """Text the font can print: NFC, control and format characters dropped or spaced,
    anything without a glyph (emoji, ...) replaced by "?". Never raises."""
    printable = _printable_codepoints()
    out: list[str] = []
    for char in unicodedata.normalize("NFC", text):
        code = ord(char)
        category = unicodedata.category(char)
        if char in "\t\r\n" or category in ("Zl", "Zp"):
            out.append(" ")
        elif category in ("Cc", "Cs"):
            continue  # control character or lone surrogate
        elif category in ("Cf", "Co", "Cn", "Mn", "Me") and code not in printable:
            continue  # invisible (zero-width joiner, variation selector, ...) or unassigned
        elif code in printable:
            out.append(char)
        else:
            out.append("?")
    return "".join(out)


class _Document(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4", enforce_compliance="PDF/A-3B")
        self._footer_text = footer_text
        for style, file in FONT_FILES.items():
            self.add_font(FONT_FAMILY, style=style, fname=_font_path(file))
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=20)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FONT_FAMILY, size=7)
        self.set_text_color(90)
        self.cell(0, 4, self._footer_text, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 4, f"{self.page_no()}/{{nb}}", align="R")
        self.set_text_color(0)


# -- rendering -------------------------------------------------------------------------


def _party_block(pdf: _Document, party: Party, labels: dict[str, str], *, big: bool) -> None:
    pdf.set_font(FONT_FAMILY, "B", 14 if big else 10)
    pdf.multi_cell(0, 6 if big else 5, safe_text(party.name), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT_FAMILY, size=9)
    lines = list(party.address_lines())
    if party.vat_id:
        lines.append(f"{labels['vat_id']}: {party.vat_id}")
    if party.tax_number and big:
        lines.append(f"{labels['tax_number']}: {party.tax_number}")
    if party.email and big:
        lines.append(party.email)
    for line in lines:
        pdf.multi_cell(0, 4.5, safe_text(line), new_x="LMARGIN", new_y="NEXT")


def _key_value(pdf: _Document, key: str, value: str, *, bold: bool = False) -> None:
    pdf.set_font(FONT_FAMILY, "B" if bold else "", 10 if bold else 9)
    pdf.cell(45, 5, safe_text(key + ":"))
    pdf.multi_cell(0, 5, safe_text(value), new_x="LMARGIN", new_y="NEXT")


def _lines_table(pdf: _Document, receipt: Receipt, loc: str) -> None:
    labels, units = LABELS[loc], UNIT_LABELS[loc]
    bold = FontFace(emphasis="BOLD")
    pdf.set_font(FONT_FAMILY, size=9)
    with pdf.table(
        col_widths=(46, 14, 16, 8, 16),
        text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
        borders_layout="SINGLE_TOP_LINE",
        headings_style=bold,
        line_height=5,
        padding=(0.8, 1),
    ) as table:
        table.row(
            [
                labels["item"],
                labels["quantity"],
                labels["unit_price"],
                labels["vat"],
                labels["amount"],
            ]
        )
        for line in receipt.lines:
            unit = units.get(line.unit, line.unit)
            per = "" if line.unit == "piece" else f"/{unit}"
            table.row(
                [
                    safe_text(line.name),
                    f"{format_decimal(line.quantity, loc)} {unit}",
                    format_money(line.unit_price, loc) + per,
                    format_rate(line.vat_rate, loc),
                    format_money(line.total, loc),
                ]
            )


def _vat_table(pdf: _Document, receipt: Receipt, loc: str) -> None:
    labels = LABELS[loc]
    bold = FontFace(emphasis="BOLD")
    pdf.set_font(FONT_FAMILY, size=9)
    with pdf.table(
        col_widths=(25, 25, 25, 25),
        width=110,
        align="RIGHT",
        text_align="RIGHT",
        borders_layout="SINGLE_TOP_LINE",
        headings_style=bold,
        line_height=5,
        padding=(0.8, 1),
    ) as table:
        table.row([labels["vat_rate"], labels["net"], labels["vat"], labels["gross"]])
        for row in receipt.vat_breakdown():
            table.row(
                [
                    format_rate(row.rate, loc),
                    format_money(row.net, loc),
                    format_money(row.vat, loc),
                    format_money(row.gross, loc),
                ]
            )
        total = table.row(style=bold)
        total.cell(labels["total"])
        total.cell(format_money(receipt.net, loc))
        total.cell(format_money(receipt.vat, loc))
        total.cell(format_money(receipt.gross, loc))


def render_pdf(
    receipt: Receipt, *, locale: str = "de", invoice: InvoiceDetails | None = None
) -> bytes:
    """A receipt, or with `invoice` an invoice, as PDF/A-3B bytes."""
    check_receipt(receipt)
    loc = _locale(locale)
    labels = LABELS[loc]
    title = labels["invoice"] if invoice else labels["receipt"]

    pdf = _Document(labels["footer"])
    pdf.set_lang("de-DE" if loc == "de" else "en-GB")
    pdf.set_title(safe_text(f"{title} {receipt.number}"))
    pdf.set_author(safe_text(receipt.merchant.name))
    pdf.set_creator("Kosmos")
    pdf.set_creation_date(receipt.issued_at)
    pdf.alias_nb_pages()
    pdf.add_page()

    _party_block(pdf, receipt.merchant, labels, big=True)
    if receipt.store_name:
        pdf.set_font(FONT_FAMILY, size=9)
        pdf.multi_cell(
            0,
            4.5,
            safe_text(f"{labels['store']}: {receipt.store_name}"),
            new_x="LMARGIN",
            new_y="NEXT",
        )
    pdf.ln(6)

    if receipt.buyer is not None:
        pdf.set_font(FONT_FAMILY, size=8)
        buyer_label = labels["buyer"] if invoice else labels["customer"]
        pdf.cell(0, 4, buyer_label, new_x="LMARGIN", new_y="NEXT")
        _party_block(pdf, receipt.buyer, labels, big=False)
        pdf.ln(4)

    pdf.set_font(FONT_FAMILY, "B", 16)
    pdf.cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
    _key_value(pdf, labels["invoice_number"] if invoice else labels["number"], receipt.number)
    _key_value(pdf, labels["date"], format_datetime(receipt.issued_at, loc))
    if invoice:
        supply_day = receipt.issued_at.astimezone(BERLIN).date()
        _key_value(pdf, labels["supply_date"], format_date(supply_day, loc))
    pdf.ln(4)

    _lines_table(pdf, receipt, loc)
    pdf.ln(4)
    _vat_table(pdf, receipt, loc)
    pdf.ln(4)

    _key_value(pdf, labels["total"], format_money(receipt.gross, loc), bold=True)
    _key_value(pdf, labels["payment"], receipt.payment_method)
    if receipt.has_refund and receipt.refunded is not None:
        _key_value(pdf, labels["refunded"], format_money(receipt.refunded, loc))
    if invoice:
        _invoice_payment(pdf, receipt, loc, invoice)

    data = pdf.output()
    return bytes(data)


def _invoice_payment(pdf: _Document, receipt: Receipt, loc: str, invoice: InvoiceDetails) -> None:
    labels = LABELS[loc]
    pdf.ln(3)
    pdf.set_font(FONT_FAMILY, size=9)
    if invoice.paid:
        text = labels["paid"].format(method=receipt.payment_method)
        pdf.multi_cell(0, 5, safe_text(text), new_x="LMARGIN", new_y="NEXT")
        return
    if invoice.due_date is not None:
        text = labels["due"].format(date=format_date(invoice.due_date, loc))
        pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
    if invoice.iban:
        _key_value(pdf, labels["payee"], receipt.merchant.name)
        grouped = " ".join(invoice.iban[i : i + 4] for i in range(0, len(invoice.iban), 4))
        _key_value(pdf, "IBAN", grouped)
        if invoice.bic:
            _key_value(pdf, "BIC", invoice.bic)
        _key_value(pdf, labels["reference"], receipt.number)
    if invoice.girocode_png:
        pdf.ln(2)
        pdf.image(io.BytesIO(invoice.girocode_png), w=32)
        pdf.set_font(FONT_FAMILY, size=7)
        pdf.cell(0, 4, labels["scan"], new_x="LMARGIN", new_y="NEXT")


def render_receipt_pdf(receipt: Receipt, *, locale: str = "de") -> bytes:
    """The receipt as a one- or multi-page A4 PDF/A-3B ("de" or "en" labels)."""
    return render_pdf(receipt, locale=locale)
