"""pain.008 (SEPA Core Direct Debit initiation) export with sepaxml, and XSD validation.

The format is pain.008.001.02 (ISO 20022 2009; sepaxml's default for SepaDD and the version
German banks accept most widely). sepaxml builds the document with one payment information
block (PmtInf) per (sequence type, due date) and fills in NbOfTxs/CtrlSum; we then make the
group header deterministic (MsgId, CreDtTm from the caller, PmtInfId derived from MsgId) and
validate with sepaxml's own XSD check and with lxml against the same XSD.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Final, NoReturn

from lxml import etree
from sepaxml import SepaDD
from sepaxml.validation import ValidationError as SepaxmlValidationError
from sepaxml.validation import try_valid_xml

from kosmos.rules import RuleError

from .model import Collection, Creditor, check_bic, check_creditor, check_iban, check_identifier

PAIN008_VERSION: Final = "pain.008.001.02"
_NS_PREFIX: Final = "urn:iso:std:iso:20022:tech:xsd:"
_SEQUENCE_ORDER: Final = {"FRST": 0, "OOFF": 1, "RCUR": 2, "FNAL": 3}


def _parser() -> etree.XMLParser:
    # No DTDs, no entities, no network: the bytes may come from anywhere.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


@lru_cache(maxsize=8)
def _schema(version: str) -> etree.XMLSchema:
    xsd = resources.files("sepaxml").joinpath("schemas", f"{version}.xsd")
    if not xsd.is_file():
        raise ValueError(f"no XSD for {version} in sepaxml")
    return etree.XMLSchema(etree.fromstring(xsd.read_bytes(), parser=_parser()))


def validate_pain008(xml: bytes) -> None:
    """Check `xml` against the pain.008 XSD shipped with sepaxml (version taken from the
    document namespace, e.g. pain.008.001.02). Raises ValueError with the schema error.

    The ISO XSD leaves some elements optional that SEPA Core needs, so afterwards a few
    SEPA rules are checked as well: every transaction has a mandate id and signature date,
    every block a sequence type, amounts are EUR, and NbOfTxs/CtrlSum match the transactions.
    """
    try:
        root = etree.fromstring(xml, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"not well-formed XML: {exc}") from exc
    if root.getroottree().docinfo.doctype:
        raise ValueError("a pain.008 document must not have a DOCTYPE")
    namespace = etree.QName(root).namespace or ""
    version = namespace.removeprefix(_NS_PREFIX)
    if not namespace.startswith(_NS_PREFIX) or not version.startswith("pain.008."):
        raise ValueError(f"not a pain.008 document (namespace {namespace!r})")
    schema = _schema(version)
    try:
        valid = schema.validate(root)
    except etree.XMLSchemaValidateError as exc:
        raise ValueError(f"{version} schema validation failed: {exc}") from exc
    if not valid:
        error = schema.error_log.last_error
        raise ValueError(f"{version} schema violation (line {error.line}): {error.message}")
    _check_sepa_rules(root, {"p": namespace})


def _check_sepa_rules(root: etree._Element, ns: dict[str, str]) -> None:
    def fail(message: str) -> NoReturn:
        raise ValueError(f"SEPA rule violation: {message}")

    def totals(node: etree._Element, txs: list[etree._Element], where: str) -> None:
        count = node.findtext("p:NbOfTxs", namespaces=ns)
        if count is None or int(count) != len(txs):
            fail(f"{where} NbOfTxs {count} but {len(txs)} transactions")
        ctrl_sum = node.findtext("p:CtrlSum", namespaces=ns)
        amounts = sum(Decimal(tx.findtext("p:InstdAmt", namespaces=ns) or "0") for tx in txs)
        if ctrl_sum is None or Decimal(ctrl_sum) != amounts:
            fail(f"{where} CtrlSum {ctrl_sum} but the amounts add up to {amounts}")

    initiation = root.find("p:CstmrDrctDbtInitn", ns)
    if initiation is None:  # pragma: no cover - the XSD requires it
        fail("no CstmrDrctDbtInitn")
    all_txs: list[etree._Element] = []
    for block in initiation.findall("p:PmtInf", ns):
        block_id = block.findtext("p:PmtInfId", namespaces=ns)
        if not block.findtext("p:PmtTpInf/p:SeqTp", namespaces=ns):
            fail(f"PmtInf {block_id} has no SeqTp")
        if block.find("p:CdtrSchmeId", ns) is None:
            fail(f"PmtInf {block_id} has no creditor identifier (CdtrSchmeId)")
        txs = block.findall("p:DrctDbtTxInf", ns)
        for tx in txs:
            e2e = tx.findtext("p:PmtId/p:EndToEndId", namespaces=ns)
            for field in ("MndtId", "DtOfSgntr"):
                if not tx.findtext(f"p:DrctDbtTx/p:MndtRltdInf/p:{field}", namespaces=ns):
                    fail(f"transaction {e2e} has no {field}")
            amount = tx.find("p:InstdAmt", ns)
            if amount is None or amount.get("Ccy") != "EUR":
                fail(f"transaction {e2e} is not in EUR")
        totals(block, txs, f"PmtInf {block_id}")
        all_txs += txs
    header = initiation.find("p:GrpHdr", ns)
    if header is None:  # pragma: no cover - the XSD requires it
        fail("no GrpHdr")
    totals(header, all_txs, "GrpHdr")


def export_pain008(
    creditor: Creditor,
    collections: Sequence[Collection],
    *,
    message_id: str,
    created_at: datetime,
) -> bytes:
    """A pain.008.001.02 CORE batch file for `collections`: one PmtInf per (sequence type,
    due date), ordered by due date then FRST/OOFF/RCUR/FNAL; validated against the XSD.

    RuleError for a bad creditor, message id, empty batch, duplicate end-to-end ids or a
    mandate with an invalid IBAN/BIC; ValueError if the result does not match the schema.
    """
    creditor = check_creditor(creditor)
    check_identifier(message_id, "message_id")
    if created_at.tzinfo is None or created_at.utcoffset() is None:
        raise RuleError("created_at", "created_at must be timezone-aware", "naive_datetime")
    if not collections:
        raise RuleError("collections", "nothing to collect", "empty")
    seen: set[str] = set()
    for collection in collections:
        if collection.end_to_end_id in seen:
            raise RuleError(
                "end_to_end_id", f"duplicate end-to-end id {collection.end_to_end_id}", "duplicate"
            )
        seen.add(collection.end_to_end_id)

    sepa = SepaDD(
        {
            "name": creditor.name,
            "IBAN": creditor.iban,
            "BIC": creditor.bic,
            "batch": True,
            "creditor_id": creditor.creditor_id,
            "currency": "EUR",
            "instrument": "CORE",
        },
        schema=PAIN008_VERSION,
        clean=True,  # transliterate names/remittance to Latin (text_unidecode)
    )
    ordered = sorted(
        collections, key=lambda c: (c.due_date, _SEQUENCE_ORDER[c.sequence_type])
    )  # stable: input order inside one block
    for collection in ordered:
        mandate = collection.mandate
        iban = check_iban(mandate.iban)
        sepa.add_payment(
            {
                "name": mandate.debtor_name,
                "IBAN": iban,
                "BIC": check_bic(mandate.bic, iban=iban),
                "amount": collection.amount.amount,
                "currency": "EUR",
                "type": collection.sequence_type,
                "collection_date": collection.due_date,
                "mandate_id": mandate.reference,
                "mandate_date": mandate.signed_on,
                "description": collection.remittance,
                "endtoend_id": collection.end_to_end_id,
            }
        )
    raw = sepa.export(validate=False)

    root = etree.fromstring(raw, parser=_parser())
    ns = {"p": _NS_PREFIX + PAIN008_VERSION}
    header = root.find("p:CstmrDrctDbtInitn/p:GrpHdr", ns)
    if header is None:  # pragma: no cover - sepaxml always writes a group header
        raise ValueError("sepaxml produced no group header")
    header.find("p:MsgId", ns).text = message_id
    header.find("p:CreDtTm", ns).text = created_at.isoformat(timespec="seconds")
    blocks = root.findall("p:CstmrDrctDbtInitn/p:PmtInf", ns)
    for number, block in enumerate(blocks, start=1):
        suffix = f"-{number}"
        block.find("p:PmtInfId", ns).text = message_id[: 35 - len(suffix)] + suffix
    body: bytes = etree.tostring(root, xml_declaration=False, encoding="UTF-8", pretty_print=True)
    xml = b'<?xml version="1.0" encoding="UTF-8"?>\n' + body

    try:
        try_valid_xml(xml, PAIN008_VERSION)  # sepaxml's own XSD check (xmlschema)
    except SepaxmlValidationError as exc:
        raise ValueError(f"{exc} ({exc.__cause__})") from exc
    validate_pain008(xml)  # and lxml/libxml2 against the same XSD
    return xml
