"""pain.008.001.02 export of SEPA direct debits: built with sepaxml, checked with the XSD."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from lxml import etree

from kosmos.integrations.payments.sepa_debit import (
    PAIN008_VERSION,
    Collection,
    Creditor,
    Mandate,
    check_creditor,
    check_mandate,
    export_pain008,
    first_or_recurring,
    validate_pain008,
)
from kosmos.money import Money
from kosmos.rules import RuleError

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"}
TODAY = date(2027, 3, 20)
CREATED = datetime(2027, 3, 20, 9, 30, tzinfo=timezone(timedelta(hours=1)))
DUE_1 = date(2027, 3, 30)
DUE_2 = date(2027, 4, 6)

CREDITOR = check_creditor(
    Creditor("Kosmos GmbH", "DE02500105170137075030", "INGDDEFFXXX", "DE98ZZZ09999999999")
)
ANNA = check_mandate(
    Mandate("KOSMOS-000012-0001", "Anna Schmidt", "DE89370400440532013000", None, date(2027, 1, 5)),
    today=TODAY,
)
BERND = check_mandate(
    Mandate(
        "KOSMOS-000034-0001", "Bernd Müller", "DE02120300000000202051", None, date(2027, 2, 11)
    ),
    today=TODAY,
)
CARLA = check_mandate(
    Mandate(
        "KOSMOS-000056-0002", "Carla Rossi", "AT611904300234573201", "BKAUATWW", date(2026, 6, 1)
    ),
    today=TODAY,
)


def three_collections() -> list[Collection]:
    return [
        Collection(
            "KOSMOS-E2E-1",
            ANNA,
            Money(1234),
            DUE_1,
            "Kosmos order 1",
            first_or_recurring(ANNA, first=True),
        ),
        Collection(
            "KOSMOS-E2E-2",
            BERND,
            Money(5),
            DUE_1,
            "Kosmos order 2",
            first_or_recurring(BERND, first=True),
        ),
        Collection(
            "KOSMOS-E2E-3",
            CARLA,
            Money(100000),
            DUE_2,
            "Kosmos order 3",
            first_or_recurring(CARLA, first=False),
        ),
    ]


def export() -> bytes:
    return export_pain008(
        CREDITOR, three_collections(), message_id="KOSMOS-MSG-20270320-1", created_at=CREATED
    )


def parse(xml: bytes) -> etree._Element:
    return etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, no_network=True))


def text(node: etree._Element, path: str) -> str:
    found = node.find(path, NS)
    assert found is not None, path
    assert found.text is not None, path
    return found.text


def test_export_is_valid_pain008_001_02() -> None:
    xml = export()
    assert PAIN008_VERSION == "pain.008.001.02"
    assert xml.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    validate_pain008(xml)  # must not raise
    root = parse(xml)
    assert etree.QName(root).namespace == NS["p"]


def test_group_header_counts_and_sums() -> None:
    root = parse(export())
    header = root.find("p:CstmrDrctDbtInitn/p:GrpHdr", NS)
    assert header is not None
    assert text(header, "p:MsgId") == "KOSMOS-MSG-20270320-1"
    assert text(header, "p:CreDtTm") == "2027-03-20T09:30:00+01:00"
    assert text(header, "p:NbOfTxs") == "3"
    assert Decimal(text(header, "p:CtrlSum")) == Decimal("1012.39")
    assert text(header, "p:InitgPty/p:Nm") == "Kosmos GmbH"


def test_one_payment_block_per_sequence_type_and_due_date() -> None:
    root = parse(export())
    blocks = root.findall("p:CstmrDrctDbtInitn/p:PmtInf", NS)
    summary = [
        (
            text(b, "p:PmtTpInf/p:SeqTp"),
            text(b, "p:ReqdColltnDt"),
            text(b, "p:NbOfTxs"),
            Decimal(text(b, "p:CtrlSum")),
            text(b, "p:PmtInfId"),
        )
        for b in blocks
    ]
    assert summary == [
        ("FRST", "2027-03-30", "2", Decimal("12.39"), "KOSMOS-MSG-20270320-1-1"),
        ("RCUR", "2027-04-06", "1", Decimal("1000.00"), "KOSMOS-MSG-20270320-1-2"),
    ]
    for block in blocks:
        assert text(block, "p:PmtMtd") == "DD"
        assert text(block, "p:PmtTpInf/p:SvcLvl/p:Cd") == "SEPA"
        assert text(block, "p:PmtTpInf/p:LclInstrm/p:Cd") == "CORE"
        assert text(block, "p:CdtrAcct/p:Id/p:IBAN") == "DE02500105170137075030"
        assert text(block, "p:CdtrAgt/p:FinInstnId/p:BIC") == "INGDDEFFXXX"
        creditor_id = "p:CdtrSchmeId/p:Id/p:PrvtId/p:Othr/p:Id"
        assert text(block, creditor_id) == "DE98ZZZ09999999999"
        # the block's control sum is the sum of its transactions
        amounts = [Decimal(a.text) for a in block.findall("p:DrctDbtTxInf/p:InstdAmt", NS)]
        assert sum(amounts) == Decimal(text(block, "p:CtrlSum"))


def test_each_transaction_carries_its_mandate_and_account() -> None:
    root = parse(export())
    rows = []
    for block in root.findall("p:CstmrDrctDbtInitn/p:PmtInf", NS):
        sequence_type = text(block, "p:PmtTpInf/p:SeqTp")
        for tx in block.findall("p:DrctDbtTxInf", NS):
            amount = tx.find("p:InstdAmt", NS)
            assert amount is not None
            assert amount.get("Ccy") == "EUR"
            rows.append(
                (
                    text(tx, "p:PmtId/p:EndToEndId"),
                    text(tx, "p:DrctDbtTx/p:MndtRltdInf/p:MndtId"),
                    text(tx, "p:DrctDbtTx/p:MndtRltdInf/p:DtOfSgntr"),
                    sequence_type,
                    text(tx, "p:DbtrAcct/p:Id/p:IBAN"),
                    text(tx, "p:DbtrAgt/p:FinInstnId/p:BIC"),
                    text(tx, "p:Dbtr/p:Nm"),
                    Decimal(amount.text or ""),
                    text(tx, "p:RmtInf/p:Ustrd"),
                )
            )
    assert rows == [
        (
            "KOSMOS-E2E-1",
            "KOSMOS-000012-0001",
            "2027-01-05",
            "FRST",
            "DE89370400440532013000",
            "COBADEFFXXX",
            "Anna Schmidt",
            Decimal("12.34"),
            "Kosmos order 1",
        ),
        (
            "KOSMOS-E2E-2",
            "KOSMOS-000034-0001",
            "2027-02-11",
            "FRST",
            "DE02120300000000202051",
            "BYLADEM1001",
            "Bernd Muller",  # transliterated to the SEPA character set
            Decimal("0.05"),
            "Kosmos order 2",
        ),
        (
            "KOSMOS-E2E-3",
            "KOSMOS-000056-0002",
            "2026-06-01",
            "RCUR",
            "AT611904300234573201",
            "BKAUATWW",
            "Carla Rossi",
            Decimal("1000.00"),
            "Kosmos order 3",
        ),
    ]


def test_export_is_deterministic() -> None:
    assert export() == export()


def test_blocks_are_split_by_sequence_type_on_the_same_day() -> None:
    collections = [
        Collection("E2E-A", ANNA, Money(100), DUE_1, "a", "RCUR"),
        Collection("E2E-B", BERND, Money(200), DUE_1, "b", "FRST"),
        Collection("E2E-C", CARLA, Money(300), DUE_1, "c", "RCUR"),
    ]
    root = parse(export_pain008(CREDITOR, collections, message_id="M-2", created_at=CREATED))
    blocks = root.findall("p:CstmrDrctDbtInitn/p:PmtInf", NS)
    assert [(text(b, "p:PmtTpInf/p:SeqTp"), text(b, "p:NbOfTxs")) for b in blocks] == [
        ("FRST", "1"),
        ("RCUR", "2"),
    ]


def test_export_rejects_bad_batches() -> None:
    collections = three_collections()
    with pytest.raises(RuleError) as exc:
        export_pain008(CREDITOR, [], message_id="M-1", created_at=CREATED)
    assert exc.value.field == "collections"
    with pytest.raises(RuleError) as exc:
        export_pain008(
            CREDITOR, [collections[0], collections[0]], message_id="M-1", created_at=CREATED
        )
    assert exc.value.field == "end_to_end_id"
    with pytest.raises(RuleError) as exc:
        export_pain008(
            CREDITOR, collections, message_id="M-1", created_at=datetime(2027, 3, 20, 9, 30)
        )
    assert exc.value.field == "created_at"
    with pytest.raises(RuleError) as exc:
        export_pain008(CREDITOR, collections, message_id="M_1", created_at=CREATED)
    assert exc.value.field == "message_id"
    bad_creditor = Creditor("Kosmos", CREDITOR.iban, CREDITOR.bic, "DE97ZZZ09999999999")
    with pytest.raises(RuleError) as exc:
        export_pain008(bad_creditor, collections, message_id="M-1", created_at=CREATED)
    assert exc.value.field == "creditor_id"


def test_utc_creation_time() -> None:
    xml = export_pain008(
        CREDITOR,
        three_collections(),
        message_id="M-1",
        created_at=datetime(2027, 3, 20, 8, 30, tzinfo=UTC),
    )
    assert text(parse(xml), "p:CstmrDrctDbtInitn/p:GrpHdr/p:CreDtTm") == "2027-03-20T08:30:00+00:00"


# --- tampering ---------------------------------------------------------------------------


def tampered(edit: str) -> bytes:
    root = parse(export())
    tx = root.find("p:CstmrDrctDbtInitn/p:PmtInf/p:DrctDbtTxInf", NS)
    assert tx is not None
    if edit == "drop_end_to_end_id":
        node = tx.find("p:PmtId/p:EndToEndId", NS)
    elif edit == "drop_msg_id":
        node = root.find("p:CstmrDrctDbtInitn/p:GrpHdr/p:MsgId", NS)
    elif edit == "drop_debtor_iban":
        node = tx.find("p:DbtrAcct", NS)
    elif edit == "bad_iban":
        iban = tx.find("p:DbtrAcct/p:Id/p:IBAN", NS)
        assert iban is not None
        iban.text = "de89 3704"
        return etree.tostring(root)
    elif edit == "bad_amount":
        amount = tx.find("p:InstdAmt", NS)
        assert amount is not None
        amount.text = "12.345678"
        return etree.tostring(root)
    else:
        raise AssertionError(edit)
    assert node is not None
    parent = node.getparent()
    assert parent is not None
    parent.remove(node)
    return etree.tostring(root)


@pytest.mark.parametrize(
    ("edit", "element"),
    [
        ("drop_end_to_end_id", "EndToEndId"),
        ("drop_msg_id", "CreDtTm"),
        ("drop_debtor_iban", "RmtInf"),
        ("bad_iban", "IBAN"),
        ("bad_amount", "InstdAmt"),
    ],
)
def test_tampered_xml_fails_validation(edit: str, element: str) -> None:
    xml = tampered(edit)
    with pytest.raises(ValueError, match="pain.008.001.02 schema violation") as exc:
        validate_pain008(xml)
    assert element in str(exc.value)


def remove(root: etree._Element, path: str) -> None:
    node = root.find(path, NS)
    assert node is not None, path
    parent = node.getparent()
    assert parent is not None
    parent.remove(node)


TX = "p:CstmrDrctDbtInitn/p:PmtInf/p:DrctDbtTxInf"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (f"{TX}/p:DrctDbtTx/p:MndtRltdInf/p:MndtId", "KOSMOS-E2E-1 has no MndtId"),
        (f"{TX}/p:DrctDbtTx/p:MndtRltdInf/p:DtOfSgntr", "KOSMOS-E2E-1 has no DtOfSgntr"),
        ("p:CstmrDrctDbtInitn/p:PmtInf/p:PmtTpInf/p:SeqTp", "has no SeqTp"),
        ("p:CstmrDrctDbtInitn/p:PmtInf/p:CdtrSchmeId", "no creditor identifier"),
        ("p:CstmrDrctDbtInitn/p:GrpHdr/p:CtrlSum", "GrpHdr CtrlSum None"),
    ],
)
def test_sepa_required_elements_the_iso_xsd_leaves_optional(path: str, message: str) -> None:
    root = parse(export())
    remove(root, path)
    with pytest.raises(ValueError, match="SEPA rule violation") as exc:
        validate_pain008(etree.tostring(root))
    assert message in str(exc.value)


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("p:CstmrDrctDbtInitn/p:GrpHdr/p:NbOfTxs", "4", "GrpHdr NbOfTxs 4 but 3"),
        ("p:CstmrDrctDbtInitn/p:GrpHdr/p:CtrlSum", "1012.40", "GrpHdr CtrlSum 1012.40"),
        ("p:CstmrDrctDbtInitn/p:PmtInf/p:CtrlSum", "12.38", "CtrlSum 12.38 but"),
        (f"{TX}/p:InstdAmt", "12.35", "CtrlSum 12.39 but the amounts add up to 12.40"),
    ],
)
def test_tampered_counts_and_sums_fail(path: str, value: str, message: str) -> None:
    root = parse(export())
    node = root.find(path, NS)
    assert node is not None
    node.text = value
    with pytest.raises(ValueError, match="SEPA rule violation") as exc:
        validate_pain008(etree.tostring(root))
    assert message in str(exc.value)


def test_non_euro_amount_fails() -> None:
    root = parse(export())
    amount = root.find(f"{TX}/p:InstdAmt", NS)
    assert amount is not None
    amount.set("Ccy", "CHF")
    with pytest.raises(ValueError, match="not in EUR"):
        validate_pain008(etree.tostring(root))


def test_validate_rejects_garbage_and_other_documents() -> None:
    with pytest.raises(ValueError, match="well-formed"):
        validate_pain008(b"<Document><unclosed></Document>")
    with pytest.raises(ValueError, match="not a pain.008"):
        validate_pain008(b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"/>')
    with pytest.raises(ValueError, match="not a pain.008"):
        validate_pain008(b"<Document/>")


def test_validate_ignores_external_entities(tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("KOSMOS-SECRET")
    xml = (
        export()
        .replace(
            b'<?xml version="1.0" encoding="UTF-8"?>',
            b'<?xml version="1.0" encoding="UTF-8"?>\n'
            + f'<!DOCTYPE Document [<!ENTITY x SYSTEM "file://{secret}">]>'.encode(),
        )
        .replace(b"<MsgId>KOSMOS-MSG-20270320-1</MsgId>", b"<MsgId>&x;</MsgId>")
    )
    with pytest.raises(ValueError, match="DOCTYPE") as exc:
        validate_pain008(xml)
    assert "KOSMOS-SECRET" not in str(exc.value)
