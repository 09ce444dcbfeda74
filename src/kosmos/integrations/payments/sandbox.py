"""The built-in sandbox provider: deterministic test cards and IBANs, no network.

| source                 | outcome                                             |
|------------------------|-----------------------------------------------------|
| 4242 4242 4242 4242    | succeeds                                            |
| 4000 0025 0000 3155    | asks for 3-D Secure; approve -> succeeds, else declined |
| 4000 0000 0000 0002    | declined (`card_declined`)                          |
| 4000 0000 0000 9995    | declined (`insufficient_funds`)                     |
| DE89 3704 0044 0532 0130 00 | direct debit succeeds                          |
| DE62 3704 0044 0532 0130 01 | direct debit declined (`account_closed`)       |
| DE35 3704 0044 0532 0130 02 | asks for confirmation in the bank app          |

Any other valid card number (Luhn) or IBAN is declined with `test_source_unknown`, so
nothing is ever mistaken for real money. A charge is idempotent per reference.
"""

from __future__ import annotations

import hashlib
import re

from stdnum import luhn
from stdnum.iban import is_valid as iban_is_valid

from kosmos.money import Money
from kosmos.rules import RuleError
from kosmos.wallet.ports import Charge

CARDS = {
    "4242424242424242": ("succeeded", None),
    "4000002500003155": ("requires_action", None),
    "4000000000000002": ("declined", "card_declined"),
    "4000000000009995": ("declined", "insufficient_funds"),
}
IBANS = {
    "DE89370400440532013000": ("succeeded", None),
    "DE62370400440532013001": ("declined", "account_closed"),
    "DE35370400440532013002": ("requires_action", None),
}


def normalize_source(source: str) -> str:
    """Card number or IBAN without spaces; RuleError if it is neither."""
    compact = re.sub(r"[\s-]", "", source).upper()
    if compact.isdigit() and 12 <= len(compact) <= 19:
        if not luhn.is_valid(compact):
            raise RuleError("source", "This card number is not valid.", code="invalid_card")
        return compact
    if compact[:2].isalpha() and iban_is_valid(compact):
        return compact
    raise RuleError("source", "Enter a card number or an IBAN.", code="invalid_source")


def hint(source: str) -> str:
    if source.isdigit():
        return f"•••• {source[-4:]}"
    return f"{source[:4]} •••• {source[-4:]}"


class SandboxProvider:
    name = "sandbox"

    def __init__(self) -> None:
        self._pending: dict[str, Charge] = {}

    def charge(self, *, reference: str, amount: Money, source: str) -> Charge:
        compact = normalize_source(source)
        status, failure = (CARDS if compact.isdigit() else IBANS).get(
            compact, ("declined", "test_source_unknown")
        )
        ref = "sbx_" + hashlib.sha256(reference.encode()).hexdigest()[:20]
        charge = Charge(status, ref, hint(compact), failure)  # type: ignore[arg-type]
        if status == "requires_action":
            self._pending[ref] = charge
        return charge

    def authenticate(self, *, provider_ref: str, approve: bool) -> Charge:
        pending = self._pending.pop(provider_ref, None)
        hint_text = pending.source_hint if pending else "—"
        if approve:
            return Charge("succeeded", provider_ref, hint_text)
        return Charge("declined", provider_ref, hint_text, "authentication_failed")
