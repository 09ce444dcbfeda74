"""Top up by SEPA direct debit: mandates, pre-notified collections, pain.008 export.

A person signs a mandate online (name, IBAN; BIC derived). A direct-debit top-up
credits the wallet at once from `clearing:sepa_debit` (Kosmos carries the return risk,
as PayPal does) and schedules a collection: pre-notified by mail today, due no earlier
than 14 days later on a TARGET2 business day (`earliest_due_date`). `kosmos wallet
sepa-export` writes the collections not yet exported as one pain.008.001.02 batch for
the bank and marks them exported in the same transaction.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kosmos import bus, clock
from kosmos.accounts.tables import User
from kosmos.config import get_settings
from kosmos.errors import Invalid, NotFound
from kosmos.integrations.payments import sepa_debit
from kosmos.mail import request_mail
from kosmos.money import Money
from kosmos.rules import RuleError
from kosmos.wallet import accounts, model
from kosmos.wallet.idempotency import Claim
from kosmos.wallet.ledger import post_transfer
from kosmos.wallet.model import LedgerRuleError, Posting
from kosmos.wallet.payments import PAYMENT_SUCCEEDED, event_payload, new_payment
from kosmos.wallet.tables import Payment, SepaCollection, SepaMandate
from kosmos.wallet.topups import TOPUP_LIMIT

PROVIDER = "sepa_debit"


def creditor() -> sepa_debit.Creditor:
    s = get_settings()
    return sepa_debit.check_creditor(
        sepa_debit.Creditor(
            name=s.sepa_creditor_name,
            iban=s.sepa_creditor_iban,
            bic=s.sepa_creditor_bic,
            creditor_id=s.sepa_creditor_id,
        )
    )


def _today() -> date:
    return clock.now().astimezone(clock.BERLIN).date()


def _as_mandate(row: SepaMandate) -> sepa_debit.Mandate:
    return sepa_debit.Mandate(
        reference=row.reference,
        debtor_name=row.debtor_name,
        iban=row.iban,
        bic=row.bic,
        signed_on=row.signed_on,
        recurring=row.recurring,
    )


def create_mandate(
    session: Session, user: User, *, debtor_name: str, iban: str, bic: str | None = None
) -> SepaMandate:
    serial = (session.scalar(select(func.count()).where(SepaMandate.user_id == user.id)) or 0) + 1
    try:
        checked = sepa_debit.check_mandate(
            sepa_debit.Mandate(
                reference=sepa_debit.new_mandate_reference(user.id, serial),
                debtor_name=debtor_name.strip(),
                iban=iban,
                bic=bic or None,
                signed_on=_today(),
            ),
            today=_today(),
        )
    except RuleError as err:
        raise Invalid.from_rule(err) from err
    row = SepaMandate(
        user_id=user.id, reference=checked.reference, debtor_name=checked.debtor_name,
        iban=checked.iban, bic=checked.bic or "", signed_on=checked.signed_on,
        recurring=checked.recurring, status="active", created_at=clock.now(),
    )  # fmt: skip
    session.add(row)
    session.commit()
    return row


def list_mandates(session: Session, user: User) -> list[SepaMandate]:
    return list(
        session.scalars(
            select(SepaMandate)
            .where(SepaMandate.user_id == user.id, SepaMandate.status == "active")
            .order_by(SepaMandate.id)
        )
    )


def top_up_by_debit(
    session: Session, user: User, *, mandate: str, amount: int, idem: Claim | None = None
) -> Payment:
    row = session.scalar(
        select(SepaMandate).where(
            SepaMandate.reference == mandate,
            SepaMandate.user_id == user.id,
            SepaMandate.status == "active",
        )
    )
    if row is None:
        raise NotFound("No such mandate.", field="mandate")
    try:
        model.check_amount(amount, lowest=1_00, highest=TOPUP_LIMIT)
    except LedgerRuleError as err:
        raise Invalid.from_rule(err) from err
    first = (
        session.scalar(select(func.count()).where(SepaCollection.mandate_id == row.id)) or 0
    ) == 0
    today = _today()
    due = sepa_debit.earliest_due_date(today, prenotified_on=today)
    payment = new_payment(
        kind="topup", status="succeeded", user_id=user.id, amount=amount, currency="EUR",
        method="sepa_debit", provider=PROVIDER, source_hint=sepa_debit.mask_iban(row.iban),
        provider_ref=row.reference, description="Top-up by direct debit",
    )  # fmt: skip
    transfer_id = post_transfer(
        session,
        [
            Posting(accounts.clearing(session, PROVIDER).id, Money(-amount)),
            Posting(accounts.wallet_of(session, user.id).id, Money(amount)),
        ],
        kind="topup",
        description=f"Top-up {payment.reference} by direct debit",
        details={"payment": payment.reference, "mandate": row.reference},
    )
    payment.transfer_id = transfer_id
    payment.completed_at = clock.now()
    session.add(payment)
    session.flush()
    sequence = sepa_debit.first_or_recurring(_as_mandate(row), first=first)
    session.add(
        SepaCollection(
            mandate_id=row.id,
            payment_id=payment.id,
            end_to_end_id=f"KOSMOS-{payment.id:012d}",
            amount=amount,
            currency="EUR",
            sequence_type=sequence,
            due_date=due,
            prenotified_at=clock.now(),
            created_at=clock.now(),
        )  # fmt: skip
    )
    request_mail(
        session,
        to=user.email,
        subject="Vorabankündigung SEPA-Lastschrift / SEPA direct debit pre-notification",
        body=sepa_debit.prenotification_text(_as_mandate(row), Money(amount), due, creditor()),
    )
    bus.publish(session, PAYMENT_SUCCEEDED, event_payload(payment))
    if idem is not None:
        idem.remember_result(session, payment)
    session.commit()
    return payment


def export_batch(session: Session, *, now: datetime | None = None) -> tuple[str, bytes] | None:
    """Every collection not yet exported, as one pain.008 file; marks them exported.
    Returns (message id, XML) or None when nothing is due."""
    moment = now or clock.now()
    rows = session.execute(
        select(SepaCollection, SepaMandate, Payment)
        .join(SepaMandate, SepaMandate.id == SepaCollection.mandate_id)
        .join(Payment, Payment.id == SepaCollection.payment_id)
        .where(SepaCollection.exported_at.is_(None))
        .order_by(SepaCollection.id)
    ).all()
    if not rows:
        return None
    message_id = f"KOSMOS-{moment:%Y%m%d%H%M%S}-{rows[0][0].id}"
    collections = [
        sepa_debit.Collection(
            end_to_end_id=c.end_to_end_id,
            mandate=_as_mandate(m),
            amount=Money(c.amount, c.currency),
            due_date=c.due_date,
            remittance=f"Kosmos Aufladung {p.reference}",
            sequence_type=c.sequence_type,  # type: ignore[arg-type]
        )
        for c, m, p in rows
    ]
    xml = sepa_debit.export_pain008(
        creditor(), collections, message_id=message_id, created_at=moment
    )
    for c, _m, _p in rows:
        c.batch_id = message_id
        c.exported_at = moment
    session.commit()
    return message_id, xml
