"""The cost split through the chat and the API: an expense said in the chat becomes a card
only its author confirms; the balances card shows every member's balance and the fewest
transfers; the debtor pays with one tap (money through the ledger, never twice); shares and
fixed amounts via the API; GiroCode; outsiders see nothing; wallet problems are 4xx."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from tests.assistant_support import card_of, demo_accounts, group, press, say
from tests.assistant_support import kosmo_cards as support_cards
from tests.support import make_account
from tests.wallet_support import balance, set_pin, top_up, with_key

import kosmos.assistant.splitting  # noqa: F401  (registers the skill)
from kosmos.accounts.tables import User
from kosmos.assistant import split, splitting
from kosmos.assistant.tables_split import Settlement
from kosmos.catalog.tables import Merchant
from kosmos.errors import Conflict
from kosmos.wallet import ledger
from kosmos.wallet.tables import Payment

pytestmark = pytest.mark.postgres


@pytest.fixture
def people(db):
    return demo_accounts(db)


@pytest.fixture
def chat(client, people):
    return group(client, people)


def kosmo_cards(client, who, chat, kind):
    return [m for m in support_cards(client, who, chat) if m["card"]["type"] == kind]


def balances(client, who, chat):
    r = client.get(f"/api/v1/assistant/conversations/{chat}/balances", headers=who.headers)
    assert r.status_code == 200, r.text
    return r.json()


def by_user(body):
    return {m["user_id"]: m["balance_cents"] for m in body["members"]}


def open_transfer(body, source, target):
    return next(t for t in body["transfers"] if t["status"] == "open"
                and (t["from_user_id"], t["to_user_id"]) == (source, target))  # fmt: skip


def payments_count(db):
    db.rollback()
    return db.scalar(select(func.count(Payment.id)).where(Payment.kind == "transfer"))


def confirm_coal(client, people, chat):
    ben = people["ben"]
    say(client, ben, chat, "Ich hab 23,50 € für Kohle bezahlt")
    card = card_of(client, ben, chat, "expense_proposal")
    r = press(client, ben, card["id"], "confirm", card["card"]["buttons"][0]["value"])
    assert r.status_code == 200, r.text
    return card


def test_an_expense_in_the_chat_is_split_and_settled_by_wallet(client, db, people, chat):
    anna, ben, cem, dora = (people[n] for n in ("anna", "ben", "cem", "dora"))
    say(client, ben, chat, "Ich hab 23,50 € für Kohle bezahlt")
    card = card_of(client, anna, chat, "expense_proposal")
    assert card["card"]["title"] == "Ausgabe"
    assert {f["label"]: f["value"] for f in card["card"]["fields"]} == {
        "Betrag": "23,50\xa0€", "Bezahlt von": "Ben Müller", "Wofür": "Kohle",
        "Aufteilung": "gleichmäßig auf 4 Mitglieder"}  # fmt: skip
    value = card["card"]["buttons"][0]["value"]
    refused = press(client, anna, card["id"], "confirm", value)
    assert refused.status_code == 403
    assert refused.json()["code"] == "not_your_claim"
    assert kosmo_cards(client, anna, chat, "split_balances") == []

    r = press(client, ben, card["id"], "confirm", value)
    assert r.status_code == 200, r.text
    assert r.json()["card"]["note"] == "✓ Eingetragen von Ben Müller"
    assert r.json()["card"]["buttons"] == []

    board = card_of(client, cem, chat, "split_balances")
    assert board["card"]["ref"] == {"skill": "split", "conversation": chat}
    assert [(f["label"], f["value"]) for f in board["card"]["fields"]] == [
        ("Anna Schmidt", "-5,88\xa0€"), ("Ben Müller", "+17,62\xa0€"),
        ("Cem Demir", "-5,87\xa0€"), ("Dora Becker", "-5,87\xa0€")]  # fmt: skip
    assert [b["label"] for b in board["card"]["buttons"]] == [
        "Anna Schmidt → Ben Müller: 5,88\xa0€ zahlen", "Cem Demir → Ben Müller: 5,87\xa0€ zahlen",
        "Dora Becker → Ben Müller: 5,87\xa0€ zahlen", "Alle um Ausgleich bitten"]  # fmt: skip
    body = balances(client, dora, chat)
    assert by_user(body) == {anna.id: -588, ben.id: 1762, cem.id: -587, dora.id: -587}
    assert body["expenses"][0]["shares"] == [
        {"user_id": u, "amount_cents": c}
        for u, c in ((anna.id, 588), (ben.id, 588), (cem.id, 587), (dora.id, 587))
    ]
    annas = open_transfer(body, anna.id, ben.id)
    assert annas["amount_cents"] == 588
    assert board["card"]["links"][0]["url"] == f"/assistant/settlements/{annas['id']}/girocode"

    # only the debtor may pay; an outsider sees and presses nothing
    pay_value = str(annas["id"])
    other = press(client, cem, board["id"], "settle", pay_value)
    assert other.status_code == 403 and other.json()["code"] == "not_your_debt"
    eve = make_account(db, "eve")
    assert press(client, eve, board["id"], "settle", pay_value).status_code == 404
    assert client.get(f"/api/v1/assistant/conversations/{chat}/balances",
                      headers=eve.headers).status_code == 404  # fmt: skip
    assert client.get(f"/assistant/settlements/{annas['id']}/girocode",
                      headers=eve.headers).status_code == 404  # fmt: skip
    assert client.post(f"/api/v1/assistant/settlements/{annas['id']}/pay",
                       headers=eve.headers).status_code == 404  # fmt: skip

    # not enough money: a clear 422, nothing written
    transfers_before = payments_count(db)
    anna_before, ben_before = balance(client, anna), balance(client, ben)
    assert anna_before < 588
    poor = press(client, anna, board["id"], "settle", pay_value)
    assert poor.status_code == 422, poor.text
    assert poor.json()["code"] == "insufficient_funds"
    assert payments_count(db) == transfers_before
    assert open_transfer(balances(client, anna, chat), anna.id, ben.id)["status"] == "open"

    top_up(client, anna, 1000)
    paid = press(client, anna, board["id"], "settle", pay_value)
    assert paid.status_code == 200, paid.text
    card_now = paid.json()["card"]
    assert [b["value"] for b in card_now["buttons"]] == [
        b["value"] for b in board["card"]["buttons"][1:]]  # fmt: skip
    assert card_now["fields"][0]["value"] == "0,00\xa0€"
    assert card_now["fields"][1]["value"] == "+11,74\xa0€"
    assert card_now["transfers"][0]["status"] == "paid"
    assert balance(client, anna) == anna_before + 1000 - 588
    assert balance(client, ben) == ben_before + 588
    assert payments_count(db) == transfers_before + 1
    settled = next(t for t in balances(client, anna, chat)["transfers"] if t["id"] == annas["id"])
    assert (settled["status"], settled["method"]) == ("paid", "wallet")
    assert settled["payment_reference"].startswith("pay_")
    assert ledger.verify(db) == []

    # a second tap pays nothing: the button is gone, and the API answers "already paid"
    again = press(client, anna, board["id"], "settle", pay_value)
    assert again.status_code == 422
    r = client.post(f"/api/v1/assistant/settlements/{annas['id']}/pay", headers=anna.headers)
    assert r.status_code == 200, r.text
    assert r.json()["settlement"]["status"] == "paid"
    assert balance(client, anna) == anna_before + 1000 - 588
    assert payments_count(db) == transfers_before + 1
    # still one balances card in the chat
    assert len(kosmo_cards(client, anna, chat, "split_balances")) == 1


def test_a_stale_double_tap_is_refused_by_the_settlement_guard(client, db, people, chat,
                                                               session_factory):  # fmt: skip
    anna, ben = people["anna"], people["ben"]
    confirm_coal(client, people, chat)
    top_up(client, anna, 2000)  # enough for two: only the guard stops the second
    annas = open_transfer(balances(client, anna, chat), anna.id, ben.id)
    with session_factory() as first:
        stale = first.get(Settlement, annas["id"])
        user = first.get(User, anna.id)
        first.commit()
        with session_factory() as second:
            assert splitting.pay(second, second.get(User, anna.id),
                                 second.get(Settlement, annas["id"])) is True  # fmt: skip
        assert stale.status == "open"  # this session has not seen the payment
        with pytest.raises(Conflict) as err:
            splitting.pay(first, user, stale)
        assert err.value.code == "already_settled"
    assert balance(client, anna) == 2000 - 588
    assert payments_count(db) == 1


def test_shares_and_fixed_amounts_via_the_api(client, db, people, chat):
    anna, ben, cem, dora = (people[n] for n in ("anna", "ben", "cem", "dora"))
    confirm_coal(client, people, chat)
    top_up(client, anna, 1000)
    board = card_of(client, anna, chat, "split_balances")
    annas = open_transfer(balances(client, anna, chat), anna.id, ben.id)
    assert press(client, anna, board["id"], "settle", str(annas["id"])).status_code == 200

    r = client.post("/api/v1/assistant/expenses", headers=dora.headers, json={
        "conversation_id": chat, "amount_cents": 3001, "description": "Getränke",
        "split": {"mode": "fixed", "fixed": [{"user_id": cem.id, "amount_cents": 1001}]},
    })  # fmt: skip
    assert r.status_code == 201, r.text
    assert by_user(r.json()) == {anna.id: -667, ben.id: 507, cem.id: -1588, dora.id: 1748}
    r = client.post("/api/v1/assistant/expenses", headers=cem.headers, json={
        "conversation_id": chat, "amount_cents": 4000, "description": "Fleisch",
        "split": {"mode": "shares", "shares": [{"user_id": anna.id, "weight": 2},
                                               {"user_id": ben.id, "weight": 1},
                                               {"user_id": cem.id, "weight": 1}]}})  # fmt: skip
    assert r.status_code == 201, r.text
    body = r.json()
    final = {anna.id: -2667, ben.id: -493, cem.id: 1412, dora.id: 1748}
    assert by_user(body) == final
    opened = [t for t in body["transfers"] if t["status"] == "open"]
    assert len(opened) == 3 == len(split.settle(final))
    after = dict(final)
    for t in opened:
        after[t["from_user_id"]] += t["amount_cents"]
        after[t["to_user_id"]] -= t["amount_cents"]
    assert set(after.values()) == {0}
    # the old open transfers were replaced, the paid one stays
    assert [t["status"] for t in body["transfers"]].count("paid") == 1
    board = card_of(client, ben, chat, "split_balances")
    assert sorted(int(b["value"]) for b in board["card"]["buttons"]
                  if b["action"] == "settle") == sorted(t["id"] for t in opened)  # fmt: skip
    # a replaced transfer cannot be paid any more
    stale = client.post(f"/api/v1/assistant/settlements/{annas['id'] + 1}/pay",
                        headers=cem.headers)  # fmt: skip
    assert stale.status_code == 409 and stale.json()["code"] == "settlement_outdated"

    bad = client.post("/api/v1/assistant/expenses", headers=dora.headers, json={
        "conversation_id": chat, "amount_cents": 1000,
        "split": {"mode": "fixed", "fixed": [{"user_id": cem.id, "amount_cents": 1001}]},
    })  # fmt: skip
    assert bad.status_code == 422 and bad.json()["code"] == "fixed_exceeds"
    eve = make_account(db, "eve")
    outsider = client.post("/api/v1/assistant/expenses", headers=eve.headers, json={
        "conversation_id": chat, "amount_cents": 1000})  # fmt: skip
    assert outsider.status_code == 404
    stranger = client.post("/api/v1/assistant/expenses", headers=dora.headers, json={
        "conversation_id": chat, "amount_cents": 1000, "payer": eve.id})  # fmt: skip
    assert stranger.status_code == 422
    assert by_user(balances(client, anna, chat)) == final


def test_girocode_page_and_received_by_bank_transfer(client, db, people, chat):
    anna, ben, cem = people["anna"], people["ben"], people["cem"]
    confirm_coal(client, people, chat)
    cems = open_transfer(balances(client, cem, chat), cem.id, ben.id)
    url = f"/assistant/settlements/{cems['id']}/girocode"
    page = client.get(url, headers=cem.headers)
    assert page.status_code == 200
    assert 'data-testid="no-iban"' in page.text and "Ben Müller" in page.text

    mandate = {"debtor_name": "Ben Müller", "iban": "DE89 3704 0044 0532 0130 00"}
    r = client.post("/api/v1/wallet/mandates", headers=ben.headers, json=mandate)
    assert r.status_code == 201, r.text
    page = client.get(url, headers=anna.headers)  # any member may look
    assert page.status_code == 200
    assert "<svg" in page.text and "DE89370400440532013000" in page.text

    assert client.post(f"/api/v1/assistant/settlements/{cems['id']}/received",
                       headers=cem.headers).status_code == 403  # fmt: skip
    r = client.post(f"/api/v1/assistant/settlements/{cems['id']}/received", headers=ben.headers)
    assert r.status_code == 200, r.text
    assert (r.json()["settlement"]["status"], r.json()["settlement"]["method"]) == (
        "paid", "girocode")  # fmt: skip
    assert by_user(r.json())[cem.id] == 0
    assert payments_count(db) == 0  # a bank transfer moves no wallet money
    board = card_of(client, anna, chat, "split_balances")
    assert str(cems["id"]) not in [b["value"] for b in board["card"]["buttons"]]
    assert 'data-testid="status"' in client.get(url, headers=cem.headers).text


def test_a_payment_that_needs_the_pin_is_a_clear_403_and_works_with_it(client, db, people,
                                                                       chat):  # fmt: skip
    anna, ben = people["anna"], people["ben"]
    say(client, ben, chat, "Ich hab 400 € für die Hütte bezahlt")
    card = card_of(client, ben, chat, "expense_proposal")
    press(client, ben, card["id"], "confirm", card["card"]["buttons"][0]["value"])
    board = card_of(client, anna, chat, "split_balances")
    annas = open_transfer(balances(client, anna, chat), anna.id, ben.id)
    assert annas["amount_cents"] == 10000
    top_up(client, anna, 20000)
    before = payments_count(db)
    r = press(client, anna, board["id"], "settle", str(annas["id"]))
    assert r.status_code == 403 and r.json()["code"] in ("pin_not_set", "sca_required")
    set_pin(client, anna)
    r = press(client, anna, board["id"], "settle", str(annas["id"]))
    assert r.status_code == 403 and r.json()["code"] == "sca_required"
    assert payments_count(db) == before
    wrong = client.post(f"/api/v1/assistant/settlements/{annas['id']}/pay",
                        headers=anna.headers, json={"pin": "0000"})  # fmt: skip
    assert wrong.status_code == 403 and wrong.json()["code"] == "pin_wrong"
    assert open_transfer(balances(client, anna, chat), anna.id, ben.id)["id"] == annas["id"]
    r = client.post(f"/api/v1/assistant/settlements/{annas['id']}/pay",
                    headers=anna.headers, json={"pin": "4711"})  # fmt: skip
    assert r.status_code == 200, r.text
    assert r.json()["settlement"]["status"] == "paid"
    assert balance(client, anna) == 10000
    assert payments_count(db) == before + 1
    assert ledger.verify(db) == []


def test_a_named_payer_an_english_card_and_a_dismissed_expense(client, db, people, chat):
    anna, ben, cem = people["anna"], people["ben"], people["cem"]
    say(client, anna, chat, "Ben hat 40 Euro fürs Fleisch ausgegeben")
    card = card_of(client, anna, chat, "expense_proposal")
    fields = {f["label"]: f["value"] for f in card["card"]["fields"]}
    assert fields["Bezahlt von"] == "Ben Müller"
    assert press(client, ben, card["id"], "confirm",
                 card["card"]["buttons"][0]["value"]).status_code == 403  # fmt: skip
    assert press(client, anna, card["id"], "confirm",
                 card["card"]["buttons"][0]["value"]).status_code == 200  # fmt: skip
    assert by_user(balances(client, cem, chat))[ben.id] == 3000

    say(client, cem, chat, "I paid €12.80 for the ice")
    card = card_of(client, anna, chat, "expense_proposal")
    assert {f["label"]: f["value"] for f in card["card"]["fields"]}["Split"] == (
        "split equally among 4 members")  # fmt: skip
    r = press(client, cem, card["id"], "dismiss", card["card"]["buttons"][1]["value"])
    assert r.status_code == 200
    assert by_user(balances(client, cem, chat))[cem.id] == -1000


def test_a_wallet_purchase_becomes_an_expense_once(client, db, people, chat):
    anna, dora = people["anna"], people["dora"]
    shop = db.scalars(select(Merchant).order_by(Merchant.id)).first()
    top_up(client, dora, 3000)
    bought = client.post("/api/v1/wallet/payments", headers=with_key(dora),
                         json={"merchant_id": shop.id, "amount": 2000,
                               "description": "Grillkohle"})  # fmt: skip
    assert bought.status_code == 201, bought.text
    reference = bought.json()["reference"]
    body = {"conversation_id": chat, "payment_reference": reference}
    stolen = client.post("/api/v1/assistant/expenses", headers=anna.headers, json=body)
    assert stolen.status_code == 404  # only one's own purchases
    r = client.post("/api/v1/assistant/expenses", headers=dora.headers, json=body)
    assert r.status_code == 201, r.text
    assert by_user(r.json())[dora.id] == 1500
    assert r.json()["expenses"][0]["description"] == "Grillkohle"
    again = client.post("/api/v1/assistant/expenses", headers=dora.headers, json=body)
    assert again.status_code == 409 and again.json()["code"] == "purchase_already_split"
