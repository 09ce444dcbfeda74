"""EMVCo merchant-presented QR payloads (EMV QRCPS, merchant-presented mode), plain Python.

A payload is a string of data objects, each ID (2 digits), length (2 digits) and value,
ending in the CRC object `63 04 XXXX`: CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no
reflection, no final XOR) over the whole payload up to and including "6304".

What Kosmos puts in (tags as in the specification):
  00 payload format "01"        01 point of initiation: "12" dynamic (one request), "11" static
  26 merchant account template  00 "de.kosmos" (globally unique id), 01 the request reference
                                (dynamic) or "store:<id>" (static), 02 the signature
  52 merchant category code     53 currency (ISO 4217 numeric, "978" = EUR)
  54 amount (dynamic only)      58 country "DE"   59 merchant name   60 city   61 postcode
  62 additional data            05 reference label (the short code, dynamic only)
  63 CRC
Nothing in it is secret: the signature only proves that Kosmos made the payload.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kosmos.rules import RuleError

GUI = "de.kosmos"
DYNAMIC, STATIC = "12", "11"
CURRENCIES = {"EUR": "978"}
CATEGORY_CODES = {  # ISO 18245 merchant category codes by Kosmos merchant kind
    "supermarket": "5411", "butcher": "5422", "bakery": "5462", "restaurant": "5812",
    "drugstore": "5912", "hair_salon": "7230",
}  # fmt: skip
DEFAULT_CATEGORY = "5999"


class EmvcoError(RuleError):
    def __init__(self, message: str, code: str = "bad_qr_payload") -> None:
        super().__init__("code", message, code)


def crc16(data: str) -> str:
    """CRC-16/CCITT-FALSE of the UTF-8 bytes, as 4 upper-case hex digits."""
    crc = 0xFFFF
    for byte in data.encode():
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return f"{crc:04X}"


def tlv(tag: str, value: str) -> str:
    if len(tag) != 2 or not tag.isdigit():
        raise EmvcoError("A tag is two digits.")
    if not 0 < len(value) <= 99:
        raise EmvcoError("A value has 1 to 99 characters.")
    return f"{tag}{len(value):02d}{value}"


def parse_tlv(data: str) -> dict[str, str]:
    """The data objects of one level; raises on a broken length or a repeated tag."""
    out: dict[str, str] = {}
    i = 0
    while i < len(data):
        tag, length = data[i : i + 2], data[i + 2 : i + 4]
        if len(tag) < 2 or not tag.isdigit() or len(length) < 2 or not length.isdigit():
            raise EmvcoError("This QR code is not a payment code.")
        end = i + 4 + int(length)
        if end > len(data) or tag in out:
            raise EmvcoError("This QR code is not a payment code.")
        out[tag] = data[i + 4 : end]
        i = end
    return out


@dataclass(frozen=True)
class Payload:
    initiation: str  # DYNAMIC or STATIC
    reference: str  # "req_..." (dynamic) or "store:<id>" (static)
    signature: str
    merchant_name: str
    city: str
    postcode: str = ""
    category: str = DEFAULT_CATEGORY
    currency: str = "EUR"
    amount_cents: int | None = None
    short_code: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def dynamic(self) -> bool:
        return self.initiation == DYNAMIC


def amount_text(cents: int) -> str:
    """EMVCo amounts are decimal text with a dot: 2350 -> "23.50"."""
    return f"{cents // 100}.{cents % 100:02d}"


def _ascii(text: str, limit: int) -> str:
    """Names and cities in the payload: at most `limit` characters, umlauts kept (the
    payload is UTF-8), control characters dropped."""
    return "".join(ch for ch in text if ch.isprintable())[:limit].strip() or "-"


def build(p: Payload) -> str:
    if p.initiation not in (DYNAMIC, STATIC):
        raise EmvcoError("Point of initiation is 11 or 12.")
    if p.dynamic and not p.amount_cents:
        raise EmvcoError("A dynamic payload carries the amount.")
    account = tlv("00", GUI) + tlv("01", p.reference) + tlv("02", p.signature)
    parts = [
        tlv("00", "01"),
        tlv("01", p.initiation),
        tlv("26", account),
        tlv("52", p.category),
        tlv("53", CURRENCIES[p.currency]),
    ]
    if p.amount_cents is not None:
        parts.append(tlv("54", amount_text(p.amount_cents)))
    parts += [
        tlv("58", "DE"),
        tlv("59", _ascii(p.merchant_name, 25)),
        tlv("60", _ascii(p.city, 15)),
    ]
    if p.postcode:
        parts.append(tlv("61", p.postcode[:10]))
    if p.short_code:
        parts.append(tlv("62", tlv("05", p.short_code)))
    body = "".join(parts) + "6304"
    return body + crc16(body)


def parse(data: str) -> Payload:
    """A Kosmos payload back; raises `EmvcoError` on a wrong CRC, a foreign or broken code."""
    data = data.strip()
    if len(data) < 8 or data[-8:-4] != "6304":
        raise EmvcoError("This QR code is not a payment code.")
    if crc16(data[:-4]) != data[-4:].upper():
        raise EmvcoError("This QR code is damaged (checksum wrong). Scan it again.",
                         code="bad_qr_checksum")  # fmt: skip
    top = parse_tlv(data[:-4] + "0000")  # the CRC object's own value is not data
    if top.get("00") != "01" or "26" not in top:
        raise EmvcoError("This QR code is not a payment code.")
    account = parse_tlv(top["26"])
    if account.get("00") != GUI or "01" not in account or "02" not in account:
        raise EmvcoError("This payment code is not from Kosmos.", code="foreign_qr")
    currency = {v: k for k, v in CURRENCIES.items()}.get(top.get("53", ""))
    if currency is None:
        raise EmvcoError("This payment code is in a currency Kosmos does not take.")
    amount = top.get("54")
    cents = None
    if amount is not None:
        whole, _, frac = amount.partition(".")
        if not whole.isdigit() or (frac and (not frac.isdigit() or len(frac) > 2)):
            raise EmvcoError("This QR code is not a payment code.")
        cents = int(whole) * 100 + int(frac.ljust(2, "0") or 0)
    extra = parse_tlv(top["62"]) if "62" in top else {}
    return Payload(
        initiation=top.get("01", ""), reference=account["01"], signature=account["02"],
        merchant_name=top.get("59", ""), city=top.get("60", ""), postcode=top.get("61", ""),
        category=top.get("52", DEFAULT_CATEGORY), currency=currency, amount_cents=cents,
        short_code=extra.get("05", ""), extra=extra,
    )  # fmt: skip
