"""GiroCode: the EPC QR code for a SEPA credit transfer (EPC069-12, version 002).

The payload is up to 12 lines separated by LF::

    BCD / 002 / 1 (UTF-8) / SCT / BIC / name / IBAN / EUR12.50 / purpose /
    structured reference / unstructured text / information for the payer

Version 002 makes the BIC optional inside the EEA. Either a structured creditor reference
(ISO 11649 "RF..." reference) or an unstructured text may be given, never both. Trailing
empty lines are left out; the whole payload is at most 331 bytes, so the symbol stays at
QR version 13 or below with error correction level M, as the EPC guideline requires.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal

import segno
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException
from stdnum import iso11649

from kosmos.money import Money
from kosmos.rules import RuleError

MAX_PAYLOAD_BYTES = 331
MIN_AMOUNT = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999.99")
_PURPOSE = re.compile(r"[A-Z0-9]{4}")


def _field(field: str, value: str, max_chars: int) -> str:
    value = value.strip()
    if "\n" in value or "\r" in value:
        raise RuleError(field, f"The {field} must fit on one line.", code="line_break")
    if len(value) > max_chars:
        raise RuleError(
            field, f"The {field} may have at most {max_chars} characters.", code="too_long"
        )
    return value


def normalize_iban(iban: str) -> str:
    """The IBAN without spaces, upper case; RuleError("iban") unless valid and SEPA."""
    try:
        parsed = IBAN(iban)
    except SchwiftyException as exc:
        raise RuleError("iban", f"This is not a valid IBAN ({exc}).", code="bad_iban") from exc
    if not parsed.in_sepa_zone:
        raise RuleError("iban", "The IBAN is outside the SEPA area.", code="iban_not_sepa")
    return str(parsed.compact)


def normalize_bic(bic: str) -> str:
    try:
        return str(BIC(bic).compact)
    except SchwiftyException as exc:
        raise RuleError("bic", f"This is not a valid BIC ({exc}).", code="bad_bic") from exc


def epc_amount(amount: Money | None) -> str:
    """The amount line: "EUR12.50", or "" without an amount (the payer types it)."""
    if amount is None:
        return ""
    if amount.currency != "EUR":
        raise RuleError("amount", "A GiroCode transfer is in euro only.", code="not_eur")
    value = amount.as_decimal()
    if not MIN_AMOUNT <= value <= MAX_AMOUNT:
        raise RuleError(
            "amount", "The amount must be between 0.01 and 999999999.99 EUR.", code="bad_amount"
        )
    return f"EUR{value:.2f}"


def epc_payload(
    *,
    name: str,
    iban: str,
    amount: Money | None,
    bic: str | None = None,
    purpose: str = "",
    reference: str = "",
    text: str = "",
    info: str = "",
) -> str:
    """The text of an EPC QR code (GiroCode) version 002, lines joined by LF."""
    name = _field("name", name, 70)
    if not name:
        raise RuleError("name", "The beneficiary needs a name.", code="missing_name")
    purpose = _field("purpose", purpose, 4).upper()
    if purpose and not _PURPOSE.fullmatch(purpose):
        raise RuleError("purpose", "A purpose code has 4 letters or digits.", code="bad_purpose")
    reference = _field("reference", reference, 35)
    text = _field("text", text, 140)
    info = _field("info", info, 70)
    if reference and text:
        raise RuleError(
            "reference",
            "Give either a structured reference or a text, not both.",
            code="reference_and_text",
        )
    if reference:
        reference = iso11649.compact(reference)
        if not iso11649.is_valid(reference):
            raise RuleError(
                "reference",
                "A structured reference must be an ISO 11649 creditor reference (RF...); "
                "use the text for anything else.",
                code="bad_reference",
            )
    lines = [
        "BCD",
        "002",
        "1",
        "SCT",
        normalize_bic(_field("bic", bic, 11)) if bic and bic.strip() else "",
        name,
        normalize_iban(_field("iban", iban, 42)),
        epc_amount(amount),
        purpose,
        reference,
        text,
        info,
    ]
    while lines[-1] == "":
        lines.pop()
    payload = "\n".join(lines)
    if len(payload.encode("utf-8")) > MAX_PAYLOAD_BYTES:
        raise RuleError(
            "text",
            f"The GiroCode payload is longer than {MAX_PAYLOAD_BYTES} bytes.",
            code="payload_too_long",
        )
    return payload


def _qr(payload: str) -> segno.QRCode:
    # EPC069-12: error correction level M, at most version 13, UTF-8 (character set 1).
    return segno.make(payload, error="m", boost_error=False, micro=False, encoding="utf-8")


def girocode_png(payload: str, *, scale: int = 6) -> bytes:
    """The GiroCode as a PNG, with the 4-module quiet zone."""
    buffer = io.BytesIO()
    _qr(payload).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def girocode_svg(payload: str) -> str:
    """The GiroCode as an SVG element (no XML declaration, so it can be inlined in HTML)."""
    buffer = io.BytesIO()
    _qr(payload).save(buffer, kind="svg", scale=4, border=4, xmldecl=False, svgclass="girocode")
    return buffer.getvalue().decode("utf-8")
