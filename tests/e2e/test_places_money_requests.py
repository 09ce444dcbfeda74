"""Payment-request cards in a chat: "Ben asks 23.50 EUR for the meat" with Pay."""

from __future__ import annotations

import pytest
from tests.assistant_support import card_of, group, press
from tests.places_support import people
from tests.support import make_account, page_login
from tests.wallet_support import balance, set_pin, top_up


@pytest.fixture
def chat(db, client):  # noqa: ANN001, ANN201
    folks = people(db)
    top_up(client, folks["anna"], 10000)
    return folks, group(client, folks)


def ask(client, who, chat_id, **body):  # noqa: ANN001, ANN003, ANN201
    return client.post(
        f"/api/v1/places/conversations/{chat_id}/money-requests", headers=who.headers, json=body
    )


def test_ask_and_pay_from_the_card(client, chat) -> None:  # noqa: ANN001
    folks, chat_id = chat
    anna, ben, cem = folks["anna"], folks["ben"], folks["cem"]
    r = ask(client, ben, chat_id, amount=2350, note="das Fleisch", payer_id=anna.id)
    assert r.status_code == 201, r.text
    request_id = r.json()["id"]
    message = card_of(client, anna, chat_id, "payment_request")
    card = message["card"]
    assert card["title"] == "Ben Müller bittet um 23,50\xa0€ für das Fleisch"
    assert card["buttons"][0]["label"] == "23,50\xa0€ zahlen"
    wrong = press(client, cem, message["id"], "pay", str(request_id))
    assert wrong.status_code == 403 and wrong.json()["code"] == "not_your_request"
    own = press(client, ben, message["id"], "pay", str(request_id))
    assert own.status_code == 403
    done = press(client, anna, message["id"], "pay", str(request_id))
    assert done.status_code == 200, done.text
    after = card_of(client, anna, chat_id, "payment_request")["card"]
    assert after["status"] == "paid" and "buttons" not in after
    assert after["note"] == "Bezahlt von Anna Schmidt ✓"
    assert balance(client, anna) == 10000 - 2350 and balance(client, ben) == 2350
    twice = press(client, anna, message["id"], "pay", str(request_id))
    assert twice.status_code in (404, 422)  # the button is gone: nothing moves twice
    again = client.post(
        f"/api/v1/places/money-requests/{request_id}/pay", headers=anna.headers, json={}
    )
    assert again.status_code == 200 and again.json()["status"] == "paid"
    assert balance(client, anna) == 10000 - 2350


def test_anyone_in_the_chat_may_pay_an_open_request(client, chat) -> None:  # noqa: ANN001
    folks, chat_id = chat
    r = ask(client, folks["ben"], chat_id, amount=500)
    card = card_of(client, folks["anna"], chat_id, "payment_request")
    assert card["card"]["title"] == "Ben Müller bittet um 5,00\xa0€"
    assert press(client, folks["anna"], card["id"], "pay", str(r.json()["id"])).status_code == 200
    assert balance(client, folks["ben"]) == 500


def test_a_pin_is_asked_above_50_eur_on_the_page(client, app, chat) -> None:  # noqa: ANN001
    folks, chat_id = chat
    anna = folks["anna"]
    set_pin(client, anna, "4711")
    r = ask(client, folks["ben"], chat_id, amount=6000, payer_id=anna.id)
    card = card_of(client, anna, chat_id, "payment_request")
    refused = press(client, anna, card["id"], "pay", str(r.json()["id"]))
    assert refused.status_code == 403 and refused.json()["code"] == "sca_required"
    assert card["card"]["links"][0]["url"] == f"/pay/money-requests/{r.json()['id']}"
    from fastapi.testclient import TestClient

    browser = TestClient(app)
    token = page_login(browser, "anna", anna.password)
    url = card["card"]["links"][0]["url"]
    assert "60,00" in browser.get(url).text
    wrong = browser.post(url, data={"csrf_token": token, "pin": "0000"})
    assert wrong.status_code == 403 and "has-error" in wrong.text
    ok = browser.post(url, data={"csrf_token": token, "pin": "4711"}, follow_redirects=False)
    assert ok.status_code == 303 and ok.headers["location"] == f"/chats/{chat_id}"
    assert balance(client, anna) == 10000 - 6000


def test_outsiders_see_nothing_and_bad_input_is_refused(client, db, chat) -> None:  # noqa: ANN001
    folks, chat_id = chat
    stranger = make_account(db, "stranger")
    r = ask(client, stranger, chat_id, amount=100)
    assert r.status_code == 404
    r = ask(client, folks["ben"], chat_id, amount=100, payer_id=stranger.id)
    assert r.status_code == 404
    r = ask(client, folks["ben"], chat_id, amount=100, payer_id=folks["ben"].id)
    assert r.status_code == 422
    r = ask(client, folks["ben"], chat_id, amount=0)
    assert r.status_code == 422
    made = ask(client, folks["ben"], chat_id, amount=100).json()
    seen = client.get(f"/api/v1/places/money-requests/{made['id']}", headers=stranger.headers)
    assert seen.status_code == 404
    r = client.post(
        f"/api/v1/places/money-requests/{made['id']}/withdraw", headers=folks["anna"].headers
    )
    assert r.status_code == 403
    r = client.post(
        f"/api/v1/places/money-requests/{made['id']}/withdraw", headers=folks["ben"].headers
    )
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    url = f"/api/v1/places/money-requests/{made['id']}/pay"
    r = client.post(url, headers=folks["anna"].headers, json={})
    assert r.status_code == 409


def test_settle_up_from_the_cost_split_posts_request_cards(client, chat) -> None:  # noqa: ANN001
    folks, chat_id = chat
    anna, ben, cem = folks["anna"], folks["ben"], folks["cem"]
    r = client.post(
        "/api/v1/assistant/expenses",
        headers=anna.headers,
        json={"conversation_id": chat_id, "amount_cents": 3000, "description": "Grillfleisch"},
    )
    assert r.status_code == 201, r.text
    board = card_of(client, anna, chat_id, "split_balances")
    assert board["card"]["buttons"][-1]["action"] == "settle_up"
    asked = press(client, ben, board["id"], "settle_up", str(chat_id))
    assert asked.status_code == 200, asked.text
    from tests.assistant_support import kosmo_cards

    def request_cards() -> list[dict]:
        return [
            m for m in kosmo_cards(client, anna, chat_id) if m["card"]["type"] == "payment_request"
        ]

    cards = request_cards()
    assert len(cards) == 3
    assert {c["card"]["payer_id"] for c in cards} == {ben.id, cem.id, folks["dora"].id}
    assert all(
        c["card"]["title"] == "Anna Schmidt bittet um 7,50\xa0€ für Ausgleich: Grillfreunde"
        for c in cards
    )
    press(client, ben, board["id"], "settle_up", str(chat_id))
    assert len(request_cards()) == 3  # asking again posts nothing new

    top_up(client, ben, 1000)
    top_up(client, cem, 1000)
    bens = next(c for c in cards if c["card"]["payer_id"] == ben.id)
    paid = press(client, ben, bens["id"], "pay", bens["card"]["buttons"][0]["value"])
    assert paid.status_code == 200, paid.text
    transfers = card_of(client, anna, chat_id, "split_balances")["card"]["transfers"]
    assert next(t for t in transfers if t["from"] == ben.id)["status"] == "paid"
    assert balance(client, anna) == 10000 + 750

    # cem pays on the balances card instead: his request card closes as paid
    board = card_of(client, anna, chat_id, "split_balances")
    cems = next(
        b for b in board["card"]["buttons"] if b["action"] == "settle" and "Cem" in b["label"]
    )
    assert press(client, cem, board["id"], "settle", cems["value"]).status_code == 200
    cem_card = next(c for c in request_cards() if c["card"]["payer_id"] == cem.id)["card"]
    assert cem_card["status"] == "paid" and "buttons" not in cem_card
    stale = next(c for c in cards if c["card"]["payer_id"] == cem.id)
    again = press(client, cem, stale["id"], "pay", stale["card"]["buttons"][0]["value"])
    assert again.status_code in (404, 422)
    assert balance(client, cem) == 1000 - 750
