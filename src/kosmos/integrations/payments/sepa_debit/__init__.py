"""`sepa_debit` payment provider, pure part: SEPA Core Direct Debit mandates, pre-notification,
due dates (TARGET2 calendar) and the pain.008.001.02 export. Persistence (mandates and
collections tables, the export CLI) lives outside this adapter.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import ClassVar

from kosmos.money import Money

from .model import (
    Collection,
    Creditor,
    Mandate,
    SequenceType,
    check_bic,
    check_creditor,
    check_iban,
    check_identifier,
    check_mandate,
    first_or_recurring,
    new_mandate_reference,
)
from .pain008 import PAIN008_VERSION, export_pain008, validate_pain008
from .prenotification import (
    PRENOTIFICATION_DAYS,
    earliest_due_date,
    format_amount,
    mask_iban,
    prenotification_text,
)
from .target2 import (
    easter_sunday,
    is_target2_business_day,
    next_target2_business_day,
    target2_holidays,
)

__all__ = [
    "PAIN008_VERSION",
    "PRENOTIFICATION_DAYS",
    "Collection",
    "Creditor",
    "Mandate",
    "SepaDebitProvider",
    "SequenceType",
    "check_bic",
    "check_creditor",
    "check_iban",
    "check_identifier",
    "check_mandate",
    "earliest_due_date",
    "easter_sunday",
    "export_pain008",
    "first_or_recurring",
    "format_amount",
    "is_target2_business_day",
    "mask_iban",
    "new_mandate_reference",
    "next_target2_business_day",
    "prenotification_text",
    "target2_holidays",
    "validate_pain008",
]


class SepaDebitProvider:
    """The `sepa_debit` provider for one creditor (us). Pure: it checks and builds; the
    caller stores mandates/collections and hands the pain.008 file to the bank."""

    name: ClassVar[str] = "sepa_debit"

    def __init__(self, creditor: Creditor) -> None:
        self.creditor = check_creditor(creditor)

    def check_mandate(self, mandate: Mandate, *, today: date) -> Mandate:
        return check_mandate(mandate, today=today)

    def earliest_due_date(self, today: date, *, prenotified_on: date | None) -> date:
        return earliest_due_date(today, prenotified_on=prenotified_on)

    def prenotification_text(
        self, mandate: Mandate, amount: Money, due: date, *, locale: str = "de"
    ) -> str:
        return prenotification_text(mandate, amount, due, self.creditor, locale=locale)

    def export(
        self, collections: Sequence[Collection], *, message_id: str, created_at: datetime
    ) -> bytes:
        return export_pain008(
            self.creditor, collections, message_id=message_id, created_at=created_at
        )
