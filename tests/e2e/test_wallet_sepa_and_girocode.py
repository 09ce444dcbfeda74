"""Top-up by SEPA direct debit (mandate, pre-notification, pain.008 export through the
CLI) and the GiroCode on a merchant's payment request."""

import io

import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import select
from tests.backoffice_support import add_staffed_merchant
from tests.support import page_login
from tests.wallet_support import balance, with_key
from typer.testing import CliRunner

from kosmos import bus
from kosmos.cli import app as cli
from kosmos.db import make_engine, make_session_factory
from kosmos.integrations.payments.sepa_debit import validate_pain008
from kosmos.mail import MailboxMessage
from kosmos.wallet import ledger
from kosmos.wallet.tables import SepaCollection

pytestmark = pytest.mark.postgres


def test_direct_debit_top_up_is_prenotified_and_exported(client, anna, db, settings, tmp_path):
    bad = client.post(
        "/api/v1/wallet/mandates",
        json={"debtor_name": "Anna Schmidt", "iban": "DE89370400440532013001"},
        headers=anna.headers,
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "iban"
    mandate = client.post(
        "/api/v1/wallet/mandates",
        json={"debtor_name": "Anna Schmidt", "iban": "DE89 3704 0044 0532 0130 00"},
        headers=anna.headers,
    )
    assert mandate.status_code == 201, mandate.text
    body = mandate.json()
    assert body["bic"] == "COBADEFFXXX"
    assert body["signed_on"] == "2026-11-22"
    topped = client.post(
        "/api/v1/wallet/topups",
        json={"amount": 4000, "mandate": body["reference"]},
        headers=with_key(anna),
    )
    assert topped.status_code == 201, topped.text
    assert topped.json()["method"] == "sepa_debit"
    assert balance(client, anna) == 4000
    assert ledger.verify(db) == []
    collection = db.scalars(select(SepaCollection)).one()
    assert collection.sequence_type == "FRST"
    assert collection.due_date.isoformat() == "2026-12-07"  # 14 days after the notice
    factory = make_session_factory(make_engine(settings.database_url), write=True)
    bus.relay_once(factory)
    db.rollback()  # a fresh snapshot: the relay committed in its own session
    mail = db.scalars(select(MailboxMessage)).one()
    assert body["reference"] in mail.body and "DE98ZZZ09999999999" in mail.body
    out = tmp_path / "batch.xml"
    result = CliRunner().invoke(cli, ["wallet", "sepa-export", "--out", str(out)])
    assert result.exit_code == 0, result.output
    xml = out.read_bytes()
    validate_pain008(xml)
    assert b"<MndtId>" + body["reference"].encode() + b"</MndtId>" in xml
    assert b'<InstdAmt Ccy="EUR">40.00</InstdAmt>' in xml
    again = CliRunner().invoke(cli, ["wallet", "sepa-export", "--out", str(out)])
    assert "Nothing to export" in again.output


def test_a_mandate_of_someone_else_cannot_be_used(client, anna, ben):
    mandate = client.post(
        "/api/v1/wallet/mandates",
        json={"debtor_name": "Anna Schmidt", "iban": "DE89370400440532013000"},
        headers=anna.headers,
    ).json()
    stolen = client.post(
        "/api/v1/wallet/topups",
        json={"amount": 4000, "mandate": mandate["reference"]},
        headers=with_key(ben),
    )
    assert stolen.status_code == 404
    assert balance(client, ben) == 0


def test_payment_request_girocode_decodes_to_the_epc_payload(client, anna, ben, db):
    shop = add_staffed_merchant(db, "metzgerei", ben.id)
    shop.iban = "DE02120300000000202051"
    db.commit()
    request = client.post(
        f"/api/v1/merchants/{shop.id}/payment-requests",
        json={"amount": 2350, "description": "Fleisch"},
        headers=ben.headers,
    ).json()
    page_login(client, "anna", anna.password)
    png = client.get(f"/wallet/requests/{request['reference']}/girocode.png")
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.content)))
    lines = decoded[0].text.split("\n")
    assert lines[:8] == [
        "BCD", "002", "1", "SCT", "", "Metzgerei", "DE02120300000000202051", "EUR23.50",
    ]  # fmt: skip
    assert f"Kosmos {request['reference']}" in lines


def test_an_open_request_as_an_unpaid_invoice_with_girocode(client, anna, ben, db):
    import facturx
    from pypdf import PdfReader

    shop = add_staffed_merchant(db, "metzgerei", ben.id)
    shop.iban, shop.vat_id = "DE02120300000000202051", "DE123456789"
    db.commit()
    request = client.post(
        f"/api/v1/merchants/{shop.id}/payment-requests",
        json={"amount": 2350, "description": "Fleisch"},
        headers=ben.headers,
    ).json()
    buyer = {
        "name": "Anna GmbH",
        "street": "Hauptstr. 5",
        "postcode": "12345",
        "city": "Musterstadt",
    }
    pdf = client.post(
        f"/api/v1/wallet/requests/{request['reference']}/invoice", json=buyer, headers=anna.headers
    )
    assert pdf.status_code == 200, pdf.text
    _name, xml = facturx.get_xml_from_pdf(pdf.content, check_xsd=False)
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    assert b"<ram:TypeCode>58</ram:TypeCode>" in xml
    assert b"DE02120300000000202051" in xml
    images = [img for page in PdfReader(io.BytesIO(pdf.content)).pages for img in page.images]
    texts = [
        code.text
        for img in images
        for code in zxingcpp.read_barcodes(Image.open(io.BytesIO(img.data)).convert("L"))
    ]
    assert any(t.startswith("BCD\n002\n1\nSCT\n") and "EUR23.50" in t for t in texts)
