"""The codes of QR payments, plain Python: signatures, short codes a person can type, and
the 12-digit one-time codes a customer's phone shows.

- Signature: HMAC-SHA256 under the server's secret over the fields a payload shows,
  base64url, 16 bytes. It proves Kosmos made the payload; it grants nothing.
- Short code: 8 characters of Crockford's base32 (no I, L, O, U), shown as "K7XM-42QD";
  typing is forgiving (case, dashes, spaces, O for 0, I and L for 1).
- Customer code: 11 random digits and a Luhn check digit, so a typo is caught as a typo
  instead of counting as a guess.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from kosmos.rules import RuleError

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_TYPED = str.maketrans({"O": "0", "I": "1", "L": "1"})
SHORT_LENGTH = 8
CUSTOMER_DIGITS = 12


class CodeError(RuleError):
    def __init__(self, message: str, code: str = "bad_code") -> None:
        super().__init__("code", message, code)


def sign(secret: str, *fields: object) -> str:
    message = "\x1f".join(str(f) for f in fields).encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def signature_ok(secret: str, signature: str, *fields: object) -> bool:
    return hmac.compare_digest(sign(secret, *fields), signature)


def new_short_code() -> str:
    return "".join(secrets.choice(CROCKFORD) for _ in range(SHORT_LENGTH))


def show_short_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def typed_short_code(raw: str) -> str | None:
    """The short code someone typed, normalised; None if it cannot be one."""
    code = "".join(raw.upper().split()).replace("-", "").translate(_TYPED)
    if len(code) != SHORT_LENGTH or any(ch not in CROCKFORD for ch in code):
        return None
    return code


def luhn_digit(digits: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 0:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return str((10 - total % 10) % 10)


def new_customer_code() -> str:
    body = "".join(secrets.choice("0123456789") for _ in range(CUSTOMER_DIGITS - 1))
    return body + luhn_digit(body)


def show_customer_code(code: str) -> str:
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


def typed_customer_code(raw: str) -> str:
    """A typed or scanned 12-digit code; raises on the wrong length or check digit."""
    code = "".join(ch for ch in raw if not ch.isspace() and ch != "-")
    if len(code) != CUSTOMER_DIGITS or not code.isascii() or not code.isdigit():
        raise CodeError("A customer code has 12 digits.")
    if luhn_digit(code[:-1]) != code[-1]:
        raise CodeError("This code has a typo (its check digit is wrong).", "bad_check_digit")
    return code
