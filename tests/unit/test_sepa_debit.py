"""sepa_debit adapter, pure part: mandate/creditor checks, TARGET2 due dates, pre-notification."""

from __future__ import annotations

from datetime import date

import pytest

from kosmos.integrations.payments.sepa_debit import (
    PRENOTIFICATION_DAYS,
    Collection,
    Creditor,
    Mandate,
    SepaDebitProvider,
    check_creditor,
    check_mandate,
    earliest_due_date,
    easter_sunday,
    first_or_recurring,
    is_target2_business_day,
    new_mandate_reference,
    prenotification_text,
)
from kosmos.money import Money
from kosmos.rules import RuleError

TODAY = date(2027, 3, 1)
CREDITOR = Creditor(
    name="Kosmos GmbH",
    iban="DE02 5001 0517 0137 0750 30",
    bic="INGDDEFFXXX",
    creditor_id="DE98 ZZZ 09999999999",
)


def mandate(**changes: object) -> Mandate:
    values: dict[str, object] = {
        "reference": "KOSMOS-000012-0001",
        "debtor_name": "Jörg Müller",
        "iban": "DE89 3704 0044 0532 0130 00",
        "bic": None,
        "signed_on": date(2027, 2, 1),
    }
    values.update(changes)
    return Mandate(**values)  # type: ignore[arg-type]


def rule_error(exc: pytest.ExceptionInfo[RuleError]) -> tuple[str, str]:
    return exc.value.field, exc.value.code


# --- mandates ----------------------------------------------------------------------------


def test_valid_mandate_is_normalized_and_bic_derived_from_german_iban() -> None:
    checked = check_mandate(mandate(reference="  KOSMOS-000012-0001 "), today=TODAY)
    assert checked.iban == "DE89370400440532013000"
    assert checked.bic == "COBADEFFXXX"
    assert checked.reference == "KOSMOS-000012-0001"
    assert checked.debtor_name == "Jörg Müller"
    assert checked.recurring is True


def test_given_bic_is_validated_and_kept() -> None:
    checked = check_mandate(mandate(bic="cobadeffxxx"), today=TODAY)
    assert checked.bic == "COBADEFFXXX"
    with pytest.raises(RuleError) as exc:
        check_mandate(mandate(bic="COBA1EFF"), today=TODAY)
    assert rule_error(exc) == ("bic", "invalid_bic")


def test_iban_with_wrong_checksum_is_rejected() -> None:
    with pytest.raises(RuleError) as exc:
        check_mandate(mandate(iban="DE88370400440532013000"), today=TODAY)
    assert rule_error(exc) == ("iban", "invalid_iban")


@pytest.mark.parametrize("iban", ["", "DE8937040044053201300", "XX89370400440532013000"])
def test_malformed_iban_is_rejected(iban: str) -> None:
    with pytest.raises(RuleError) as exc:
        check_mandate(mandate(iban=iban), today=TODAY)
    assert rule_error(exc) == ("iban", "invalid_iban")


def test_iban_outside_sepa_is_rejected() -> None:
    with pytest.raises(RuleError) as exc:
        check_mandate(mandate(iban="BR1800360305000010009795493C1", bic=None), today=TODAY)
    assert rule_error(exc) == ("iban", "iban_not_sepa")


def test_bic_required_when_it_cannot_be_derived() -> None:
    austrian = "AT611904300234573201"
    with pytest.raises(RuleError) as exc:
        check_mandate(mandate(iban=austrian), today=TODAY)
    assert rule_error(exc) == ("bic", "bic_missing")
    assert check_mandate(mandate(iban=austrian, bic="BKAUATWW"), today=TODAY).bic == "BKAUATWW"


@pytest.mark.parametrize(
    "reference",
    ["KOSMOS_000012", "KOSMOS#1", "Müller-1", "", "x" * 36, "/KOSMOS-1", "KOSMOS//1", "   "],
)
def test_bad_mandate_reference_is_rejected(reference: str) -> None:
    with pytest.raises(RuleError) as exc:
        check_mandate(mandate(reference=reference), today=TODAY)
    assert exc.value.field == "reference"


def test_reference_accepts_the_whole_sepa_charset() -> None:
    reference = "Az09+?/-:().,' x"
    assert check_mandate(mandate(reference=reference), today=TODAY).reference == reference
    assert check_mandate(mandate(reference="x" * 35), today=TODAY).reference == "x" * 35


@pytest.mark.parametrize("name", ["", "   ", "x" * 71])
def test_debtor_name_length(name: str) -> None:
    with pytest.raises(RuleError) as exc:
        check_mandate(mandate(debtor_name=name), today=TODAY)
    assert exc.value.field == "debtor_name"


def test_signature_in_the_future_is_rejected() -> None:
    with pytest.raises(RuleError) as exc:
        check_mandate(mandate(signed_on=date(2027, 3, 2)), today=TODAY)
    assert rule_error(exc) == ("signed_on", "in_future")
    assert check_mandate(mandate(signed_on=TODAY), today=TODAY).signed_on == TODAY


def test_new_mandate_reference_is_deterministic() -> None:
    assert new_mandate_reference(12, 1) == "KOSMOS-000012-0001"
    assert new_mandate_reference(12, 1) == new_mandate_reference(12, 1)
    assert new_mandate_reference(1234567, 12345) == "KOSMOS-1234567-12345"
    reference = new_mandate_reference(12, 2)
    assert check_mandate(mandate(reference=reference), today=TODAY).reference == reference
    with pytest.raises(ValueError):
        new_mandate_reference(-1, 1)


# --- creditor ----------------------------------------------------------------------------


def test_creditor_is_normalized() -> None:
    checked = check_creditor(CREDITOR)
    assert checked == Creditor(
        name="Kosmos GmbH",
        iban="DE02500105170137075030",
        bic="INGDDEFFXXX",
        creditor_id="DE98ZZZ09999999999",
    )


@pytest.mark.parametrize("creditor_id", ["DE97ZZZ09999999999", "DE98ZZZ", "KOSMOS", ""])
def test_invalid_creditor_id_is_rejected(creditor_id: str) -> None:
    with pytest.raises(RuleError) as exc:
        check_creditor(Creditor("Kosmos GmbH", CREDITOR.iban, CREDITOR.bic, creditor_id))
    assert rule_error(exc) == ("creditor_id", "invalid_creditor_id")


def test_creditor_iban_and_bic_are_checked() -> None:
    with pytest.raises(RuleError) as exc:
        check_creditor(Creditor("Kosmos", "DE03500105170137075030", "", "DE98ZZZ09999999999"))
    assert rule_error(exc) == ("iban", "invalid_iban")
    with pytest.raises(RuleError) as exc:
        check_creditor(Creditor("Kosmos", CREDITOR.iban, "ING", "DE98ZZZ09999999999"))
    assert rule_error(exc) == ("bic", "invalid_bic")


# --- collections -------------------------------------------------------------------------


def test_sequence_type() -> None:
    recurring = mandate()
    assert first_or_recurring(recurring, first=True) == "FRST"
    assert first_or_recurring(recurring, first=False) == "RCUR"
    assert first_or_recurring(mandate(recurring=False), first=True) == "OOFF"


@pytest.mark.parametrize(
    ("amount", "code"),
    [(Money(0), "amount_not_positive"), (Money(-100), "amount_not_positive")],
)
def test_collection_amount_must_be_positive(amount: Money, code: str) -> None:
    with pytest.raises(RuleError) as exc:
        Collection("E2E-1", mandate(), amount, date(2027, 3, 30), "Order 1", "RCUR")
    assert rule_error(exc) == ("amount", code)


def test_collection_rejects_bad_ids_texts_and_sequence_types() -> None:
    due = date(2027, 3, 30)
    with pytest.raises(RuleError) as exc:
        Collection("E2E_1", mandate(), Money(100), due, "Order 1", "RCUR")
    assert exc.value.field == "end_to_end_id"
    with pytest.raises(RuleError) as exc:
        Collection("E2E-1", mandate(), Money(100), due, "", "RCUR")
    assert exc.value.field == "remittance"
    with pytest.raises(RuleError) as exc:
        Collection("E2E-1", mandate(), Money(100), due, "x" * 141, "RCUR")
    assert exc.value.field == "remittance"
    with pytest.raises(RuleError) as exc:
        Collection("E2E-1", mandate(), Money(100), due, "Order 1", "OOFF")
    assert exc.value.field == "sequence_type"
    with pytest.raises(RuleError) as exc:
        Collection("E2E-1", mandate(recurring=False), Money(100), due, "Order 1", "FRST")
    assert exc.value.field == "sequence_type"
    with pytest.raises(RuleError) as exc:
        Collection("E2E-1", mandate(), Money(100), due, "Order 1", "NEXT")  # type: ignore[arg-type]
    assert exc.value.field == "sequence_type"


# --- TARGET2 calendar and due dates -------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "easter"),
    [(2024, date(2024, 3, 31)), (2025, date(2025, 4, 20)), (2027, date(2027, 3, 28))],
)
def test_easter_sunday(year: int, easter: date) -> None:
    assert easter_sunday(year) == easter


@pytest.mark.parametrize(
    ("day", "open_"),
    [
        (date(2027, 1, 1), False),  # New Year
        (date(2027, 3, 26), False),  # Good Friday
        (date(2027, 3, 29), False),  # Easter Monday
        (date(2027, 5, 1), False),  # Saturday anyway
        (date(2026, 5, 1), False),  # Labour Day, a Friday
        (date(2026, 12, 24), True),  # Christmas Eve is a TARGET2 day
        (date(2026, 12, 25), False),
        (date(2026, 12, 28), True),
        (date(2027, 10, 3), False),  # Sunday (German Unity Day is no TARGET2 holiday)
        (date(2026, 10, 3), False),  # Saturday
        (date(2025, 10, 3), True),  # Friday: German holiday, TARGET2 open
        (date(2027, 3, 30), True),
    ],
)
def test_target2_business_days(day: date, open_: bool) -> None:
    assert is_target2_business_day(day) is open_


def test_prenotification_period_is_the_rulebook_default() -> None:
    assert PRENOTIFICATION_DAYS == 14
    # No pre-notification yet: it goes out today, so 14 days from today.
    assert earliest_due_date(date(2027, 3, 1), prenotified_on=None) == date(2027, 3, 15)


def test_earliest_due_date_skips_easter_2027() -> None:
    # Submitted Thursday 25 March 2027, notified long ago: Good Friday, the weekend and
    # Easter Monday are closed, so D-1 gives Tuesday 30 March.
    assert earliest_due_date(date(2027, 3, 25), prenotified_on=date(2027, 3, 1)) == date(
        2027, 3, 30
    )
    # Pre-notified 15 March: 14 days later is Easter Monday, rolled to Tuesday.
    assert earliest_due_date(date(2027, 3, 10), prenotified_on=date(2027, 3, 15)) == date(
        2027, 3, 30
    )
    # Submitted on Good Friday itself: counts from Tuesday, due Wednesday.
    assert earliest_due_date(date(2027, 3, 26), prenotified_on=date(2027, 3, 1)) == date(
        2027, 3, 31
    )


def test_earliest_due_date_skips_christmas() -> None:
    # Thursday 24 Dec 2026 submission: 25 Dec (Fri) closed, weekend, so Monday 28 Dec.
    assert earliest_due_date(date(2026, 12, 24), prenotified_on=date(2026, 12, 1)) == date(
        2026, 12, 28
    )
    # Pre-notified 11 Dec 2026: 14 days later is Christmas Day, rolled to Monday 28 Dec.
    assert earliest_due_date(date(2026, 12, 14), prenotified_on=date(2026, 12, 11)) == date(
        2026, 12, 28
    )
    # Over New Year 2027: Thursday 31 Dec submission, 1 Jan closed, weekend: Monday 4 Jan.
    assert earliest_due_date(date(2026, 12, 31), prenotified_on=date(2026, 12, 1)) == date(
        2027, 1, 4
    )


def test_earliest_due_date_on_a_plain_week() -> None:
    # Friday submission -> Monday; Wednesday submission -> Thursday.
    assert earliest_due_date(date(2027, 6, 4), prenotified_on=date(2027, 5, 1)) == date(2027, 6, 7)
    assert earliest_due_date(date(2027, 6, 9), prenotified_on=date(2027, 5, 1)) == date(2027, 6, 10)


# --- pre-notification text ---------------------------------------------------------------


def test_prenotification_text_german() -> None:
    creditor = check_creditor(CREDITOR)
    checked = check_mandate(mandate(), today=TODAY)
    text = prenotification_text(checked, Money(123456), date(2027, 3, 30), creditor)
    assert "DE98ZZZ09999999999" in text
    assert "KOSMOS-000012-0001" in text
    assert "1.234,56 EUR" in text
    assert "30.03.2027" in text
    assert "Gläubiger-Identifikationsnummer" in text
    assert "Mandatsreferenz" in text
    assert "0532013000" not in text  # the debtor's account number is masked
    assert "DE89 XXXX XXXX XXXX XX30 00" in text


def test_prenotification_text_english() -> None:
    creditor = check_creditor(CREDITOR)
    checked = check_mandate(mandate(), today=TODAY)
    text = prenotification_text(checked, Money(999), date(2027, 3, 30), creditor, locale="en")
    assert "Creditor identifier: DE98ZZZ09999999999" in text
    assert "Mandate reference: KOSMOS-000012-0001" in text
    assert "EUR 9.99" in text
    assert "30 March 2027" in text


def test_prenotification_text_rejects_unknown_locale_and_bad_amount() -> None:
    creditor = check_creditor(CREDITOR)
    checked = check_mandate(mandate(), today=TODAY)
    with pytest.raises(RuleError):
        prenotification_text(checked, Money(100), date(2027, 3, 30), creditor, locale="fr")
    with pytest.raises(RuleError):
        prenotification_text(checked, Money(0), date(2027, 3, 30), creditor)


def test_provider_exposes_the_pure_functions() -> None:
    provider = SepaDebitProvider(CREDITOR)
    assert provider.name == "sepa_debit"
    assert provider.creditor.creditor_id == "DE98ZZZ09999999999"
    assert provider.earliest_due_date(date(2027, 3, 25), prenotified_on=date(2027, 3, 1)) == date(
        2027, 3, 30
    )
    checked = provider.check_mandate(mandate(), today=TODAY)
    assert "KOSMOS-000012-0001" in provider.prenotification_text(
        checked, Money(100), date(2027, 3, 30), locale="en"
    )
