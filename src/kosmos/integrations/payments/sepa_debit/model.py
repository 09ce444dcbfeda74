"""Creditor, mandate and collection values for SEPA Core Direct Debit, with their checks.

Everything here is pure: no database, no clock (callers pass `today`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Final, Literal

from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException
from stdnum.eu import at_02
from stdnum.exceptions import ValidationError as StdnumValidationError

from kosmos.money import Money
from kosmos.rules import RuleError

SequenceType = Literal["FRST", "RCUR", "OOFF", "FNAL"]
SEQUENCE_TYPES: Final[frozenset[str]] = frozenset({"FRST", "RCUR", "OOFF", "FNAL"})

#: EPC "SEPA basic Latin" character set: a-z A-Z 0-9 / - ? : ( ) . , ' + space.
_SEPA_TEXT = re.compile(r"[A-Za-z0-9/\-?:().,'+ ]+")
#: Largest amount the EPC rulebook allows in one collection: 999,999,999.99 EUR.
MAX_AMOUNT_CENTS: Final = 99_999_999_999
MAX_REFERENCE_LEN: Final = 35
MAX_NAME_LEN: Final = 70
MAX_REMITTANCE_LEN: Final = 140


@dataclass(frozen=True)
class Creditor:
    """Us: the party collecting (name, account, SEPA Creditor Identifier)."""

    name: str
    iban: str
    bic: str
    creditor_id: str


@dataclass(frozen=True)
class Mandate:
    """A debtor's SEPA Core mandate. `recurring=False` is a one-off (OOFF) mandate."""

    reference: str
    debtor_name: str
    iban: str
    bic: str | None
    signed_on: date
    recurring: bool = True


@dataclass(frozen=True)
class Collection:
    """One direct debit to put in a pain.008 file (EUR only, amount > 0).

    `sequence_type` is FRST for the first collection on a recurring mandate, RCUR afterwards
    (FNAL for the last one, optional), OOFF for a one-off mandate; see `first_or_recurring`.
    """

    end_to_end_id: str
    mandate: Mandate
    amount: Money
    due_date: date
    remittance: str
    sequence_type: SequenceType

    def __post_init__(self) -> None:
        check_identifier(self.end_to_end_id, "end_to_end_id")
        if self.amount.currency != "EUR":
            raise RuleError("amount", "SEPA direct debits are in EUR only", "currency_not_eur")
        if self.amount.amount <= 0:
            raise RuleError("amount", "the amount must be positive", "amount_not_positive")
        if self.amount.amount > MAX_AMOUNT_CENTS:
            raise RuleError("amount", "the amount exceeds 999,999,999.99 EUR", "amount_too_large")
        if not self.remittance.strip() or len(self.remittance) > MAX_REMITTANCE_LEN:
            raise RuleError(
                "remittance", "the remittance text must be 1 to 140 characters", "invalid_length"
            )
        if self.sequence_type not in SEQUENCE_TYPES:
            raise RuleError(
                "sequence_type", f"unknown sequence type {self.sequence_type!r}", "invalid"
            )
        if (self.sequence_type == "OOFF") == self.mandate.recurring:
            raise RuleError(
                "sequence_type",
                "OOFF is for one-off mandates only, and one-off mandates need OOFF",
                "sequence_type_mismatch",
            )


def first_or_recurring(mandate: Mandate, *, first: bool) -> SequenceType:
    """The sequence type of a collection: OOFF (one-off mandate), FRST (first) or RCUR."""
    if not mandate.recurring:
        return "OOFF"
    return "FRST" if first else "RCUR"


def new_mandate_reference(user_id: int, serial: int) -> str:
    """Deterministic mandate reference, e.g. user 12, serial 1 -> "KOSMOS-000012-0001"."""
    if user_id < 0 or serial < 0:
        raise ValueError("user_id and serial must not be negative")
    reference = f"KOSMOS-{user_id:06d}-{serial:04d}"
    if len(reference) > MAX_REFERENCE_LEN:
        raise ValueError("user_id/serial too large for a 35 character mandate reference")
    return reference


# --- checks ------------------------------------------------------------------------------


def check_identifier(value: str, field: str) -> str:
    """An EPC identifier (mandate reference, end-to-end id, message id): 1..35 characters of
    the SEPA character set, not starting or ending with "/" and without "//"."""
    if not 1 <= len(value) <= MAX_REFERENCE_LEN:
        raise RuleError(field, "must be 1 to 35 characters", "invalid_length")
    if not _SEPA_TEXT.fullmatch(value):
        raise RuleError(
            field,
            "only A-Z a-z 0-9 and / - ? : ( ) . , ' + space are allowed",
            "invalid_charset",
        )
    if value.startswith("/") or value.endswith("/") or "//" in value:
        raise RuleError(field, "must not start or end with '/' or contain '//'", "invalid_slash")
    if not value.strip():
        raise RuleError(field, "must not be blank", "invalid_length")
    return value


def check_iban(value: str, field: str = "iban") -> str:
    """A valid IBAN of a SEPA country, returned compact ("DE89370400440532013000")."""
    try:
        iban = IBAN(value)
    except SchwiftyException as exc:
        raise RuleError(field, f"invalid IBAN: {exc}", "invalid_iban") from exc
    if not iban.in_sepa_zone:
        raise RuleError(field, "the IBAN is not in the SEPA zone", "iban_not_sepa")
    return str(iban.compact)


def check_bic(value: str | None, *, iban: str, field: str = "bic") -> str:
    """A valid BIC (compact); derived from the IBAN's bank code when not given (works for
    countries schwifty has a bank registry for, e.g. Germany)."""
    if value is not None and value.strip():
        try:
            return str(BIC(value).compact)
        except SchwiftyException as exc:
            raise RuleError(field, f"invalid BIC: {exc}", "invalid_bic") from exc
    derived = IBAN(iban).bic
    if derived is None:
        raise RuleError(field, "the BIC cannot be derived from this IBAN; enter it", "bic_missing")
    return str(derived.compact)


def check_creditor(creditor: Creditor) -> Creditor:
    """Normalized creditor; RuleError on field name / iban / bic / creditor_id."""
    name = creditor.name.strip()
    if not 1 <= len(name) <= MAX_NAME_LEN:
        raise RuleError("name", "the creditor name must be 1 to 70 characters", "invalid_length")
    iban = check_iban(creditor.iban)
    bic = check_bic(creditor.bic, iban=iban)
    try:
        creditor_id = at_02.validate(creditor.creditor_id)
    except StdnumValidationError as exc:
        raise RuleError(
            "creditor_id", f"invalid SEPA creditor identifier: {exc}", "invalid_creditor_id"
        ) from exc
    return Creditor(name=name, iban=iban, bic=bic, creditor_id=creditor_id)


def check_mandate(mandate: Mandate, *, today: date) -> Mandate:
    """Normalized mandate (compact IBAN, BIC given or derived, trimmed texts); RuleError on
    field iban / bic / reference / debtor_name / signed_on."""
    reference = check_identifier(mandate.reference.strip(), "reference")
    debtor_name = mandate.debtor_name.strip()
    if not 1 <= len(debtor_name) <= MAX_NAME_LEN:
        raise RuleError("debtor_name", "the name must be 1 to 70 characters", "invalid_length")
    iban = check_iban(mandate.iban)
    bic = check_bic(mandate.bic, iban=iban)
    if mandate.signed_on > today:
        raise RuleError("signed_on", "the mandate cannot be signed in the future", "in_future")
    return replace(mandate, reference=reference, debtor_name=debtor_name, iban=iban, bic=bic)
