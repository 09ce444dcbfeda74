"""Pre-notification of a SEPA Core direct debit: earliest due date and the debtor's text.

SEPA Core rulebook: the creditor tells the debtor amount and due date ("Vorabankündigung",
pre-notification) at least 14 calendar days before the due date unless creditor and debtor
agreed on a shorter period (e.g. in the terms and conditions). PRENOTIFICATION_DAYS is that
rulebook default; pass `notice_days` for an agreed shorter period.

Since November 2016 every SEPA Core collection (FRST, RCUR, OOFF, FNAL) must reach the
debtor bank one TARGET2 business day before the due date (D-1). We assume the file is
submitted to our bank before its cut-off on the submission day.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Final

from kosmos.money import Money
from kosmos.rules import RuleError

from .model import Creditor, Mandate
from .target2 import next_target2_business_day, on_or_after_business_day

PRENOTIFICATION_DAYS: Final = 14


def earliest_due_date(
    today: date,
    *,
    prenotified_on: date | None,
    notice_days: int = PRENOTIFICATION_DAYS,
) -> date:
    """The earliest due date (ReqdColltnDt) for a collection submitted to the bank `today`.

    It is a TARGET2 business day, at least `notice_days` calendar days after the
    pre-notification (`prenotified_on`; None means it goes out today) and at least one TARGET2
    business day after submission (a submission on a closing day counts from the next
    business day).
    """
    if notice_days < 0:
        raise ValueError("notice_days must not be negative")
    notice_from = prenotified_on if prenotified_on is not None else today
    submitted = on_or_after_business_day(today)
    candidate = max(notice_from + timedelta(days=notice_days), next_target2_business_day(submitted))
    return on_or_after_business_day(candidate)


def _group_thousands(integer: int, separator: str) -> str:
    digits = str(integer)
    groups: list[str] = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return separator.join(groups)


def format_amount(amount: Money, locale: str) -> str:
    """12345 cents -> "123,45 EUR" (de) / "EUR 123.45" (en)."""
    euros, cents = divmod(abs(amount.amount), 100)
    sign = "-" if amount.amount < 0 else ""
    if locale == "de":
        return f"{sign}{_group_thousands(euros, '.')},{cents:02d} {amount.currency}"
    return f"{amount.currency} {sign}{_group_thousands(euros, ',')}.{cents:02d}"


_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def format_date(day: date, locale: str) -> str:
    if locale == "de":
        return f"{day.day:02d}.{day.month:02d}.{day.year}"
    return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"


def mask_iban(iban: str) -> str:
    """DE89370400440532013000 -> "DE89 XXXX XXXX XXXX XX30 00" (country, check digits and
    last four characters stay visible)."""
    compact = iban.replace(" ", "").upper()
    masked = compact[:4] + "X" * (len(compact) - 8) + compact[-4:]
    return " ".join(masked[i : i + 4] for i in range(0, len(masked), 4))


def prenotification_text(
    mandate: Mandate,
    amount: Money,
    due: date,
    creditor: Creditor,
    *,
    locale: str = "de",
) -> str:
    """The pre-notification text for the debtor (German "de" or English "en"): creditor,
    creditor identifier, mandate reference, amount, due date and masked debtor IBAN."""
    lang = locale.replace("_", "-").split("-")[0].lower()
    if lang not in ("de", "en"):
        raise RuleError("locale", f"no pre-notification text for locale {locale!r}", "invalid")
    if amount.currency != "EUR" or amount.amount <= 0:
        raise RuleError("amount", "the amount must be a positive EUR amount", "invalid")
    money = format_amount(amount, lang)
    when = format_date(due, lang)
    iban = mask_iban(mandate.iban)
    if lang == "de":
        return (
            f"Guten Tag {mandate.debtor_name},\n\n"
            f"wir ziehen den Betrag von {money} am {when} per SEPA-Lastschrift "
            f"von Ihrem Konto {iban} ein.\n\n"
            f"Zahlungsempfänger: {creditor.name}\n"
            f"Gläubiger-Identifikationsnummer: {creditor.creditor_id}\n"
            f"Mandatsreferenz: {mandate.reference}\n\n"
            "Bitte sorgen Sie für ausreichende Deckung Ihres Kontos.\n"
        )
    return (
        f"Hello {mandate.debtor_name},\n\n"
        f"we will collect {money} by SEPA direct debit from your account {iban} "
        f"on {when}.\n\n"
        f"Creditor: {creditor.name}\n"
        f"Creditor identifier: {creditor.creditor_id}\n"
        f"Mandate reference: {mandate.reference}\n\n"
        "Please make sure your account has sufficient funds.\n"
    )
