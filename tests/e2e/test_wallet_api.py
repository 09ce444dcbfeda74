"""The wallet over HTTP: top-up (sandbox cards), pay, send to a friend, strong customer
authentication with the payment PIN, and Stripe-style idempotency keys."""

import uuid

import pytest
from tests.backoffice_support import add_staffed_merchant
from tests.wallet_support import (
    DECLINED_CARD,
    GOOD_CARD,
    SCA_CARD,
    balance,
    make_friends,
    set_pin,
    top_up,
    with_key,
)

from kosmos.wallet import ledger

pytestmark = pytest.mark.postgres


def test_top_up_with_a_sandbox_card_credits_the_wallet(client, anna, db):
    body = top_up(client, anna, 5000)
    assert body["status"] == "succeeded"
    assert body["source_hint"] == "•••• 4242"
    assert balance(client, anna) == 5000
    assert ledger.verify(db) == []


def test_same_key_same_request_replays_the_first_answer_and_moves_money_once(client, anna):
    headers = with_key(anna, "topup-1")
    first = client.post(
        "/api/v1/wallet/topups", json={"amount": 2000, "source": GOOD_CARD}, headers=headers
    )
    again = client.post(
        "/api/v1/wallet/topups", json={"amount": 2000, "source": GOOD_CARD}, headers=headers
    )
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert balance(client, anna) == 2000


def test_same_key_other_parameters_is_refused(client, anna):
    headers = with_key(anna, "topup-2")
    client.post(
        "/api/v1/wallet/topups", json={"amount": 2000, "source": GOOD_CARD}, headers=headers
    )
    other = client.post(
        "/api/v1/wallet/topups", json={"amount": 3000, "source": GOOD_CARD}, headers=headers
    )
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert balance(client, anna) == 2000


def test_keys_are_per_user(client, anna, ben):
    client.post(
        "/api/v1/wallet/topups",
        json={"amount": 2000, "source": GOOD_CARD},
        headers=with_key(anna, "shared"),
    )
    theirs = client.post(
        "/api/v1/wallet/topups",
        json={"amount": 2000, "source": GOOD_CARD},
        headers=with_key(ben, "shared"),
    )
    assert theirs.status_code == 201
    assert theirs.headers.get("Idempotent-Replayed") is None
    assert balance(client, ben) == 2000


def test_a_money_moving_post_without_a_key_is_refused(client, anna):
    response = client.post(
        "/api/v1/wallet/topups", json={"amount": 2000, "source": GOOD_CARD}, headers=anna.headers
    )
    assert response.status_code == 400
    assert response.json()["code"] == "idempotency_key_required"
    assert balance(client, anna) == 0


def test_declined_card_is_a_402_kept_in_history_and_replayed(client, anna):
    headers = with_key(anna)
    response = client.post(
        "/api/v1/wallet/topups", json={"amount": 2000, "source": DECLINED_CARD}, headers=headers
    )
    assert response.status_code == 402
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["decline_code"] == "card_declined"
    again = client.post(
        "/api/v1/wallet/topups", json={"amount": 2000, "source": DECLINED_CARD}, headers=headers
    )
    assert again.status_code == 402 and again.json() == response.json()
    history = client.get("/api/v1/wallet/payments", headers=anna.headers).json()["items"]
    assert [(p["kind"], p["status"]) for p in history] == [("topup", "failed")]
    assert balance(client, anna) == 0


def test_3d_secure_card_waits_for_confirmation(client, anna):
    started = client.post(
        "/api/v1/wallet/topups", json={"amount": 2500, "source": SCA_CARD}, headers=with_key(anna)
    )
    assert started.status_code == 202
    body = started.json()
    assert body["status"] == "requires_action"
    assert balance(client, anna) == 0
    done = client.post(body["next_action"]["url"], json={"approve": True}, headers=with_key(anna))
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "succeeded"
    assert balance(client, anna) == 2500
    twice = client.post(body["next_action"]["url"], json={"approve": True}, headers=with_key(anna))
    assert twice.status_code == 409
    assert balance(client, anna) == 2500


def test_bad_card_number_is_a_field_error(client, anna):
    response = client.post(
        "/api/v1/wallet/topups",
        json={"amount": 2000, "source": "4242 4242 4242 4241"},
        headers=with_key(anna),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "source"


def test_send_to_a_friend_shows_in_both_histories(client, anna, ben, db):
    top_up(client, anna, 5000)
    not_yet = client.post(
        "/api/v1/wallet/transfers", json={"friend_id": ben.id, "amount": 1250},
        headers=with_key(anna),
    )  # fmt: skip
    assert not_yet.status_code == 404
    make_friends(db, anna, ben)
    sent = client.post(
        "/api/v1/wallet/transfers",
        json={"friend_id": ben.id, "amount": 1250, "note": "Grillkohle"},
        headers=with_key(anna),
    )
    assert sent.status_code == 201, sent.text
    assert balance(client, anna) == 3750
    assert balance(client, ben) == 1250
    mine = client.get("/api/v1/wallet/payments?kind=transfer", headers=anna.headers).json()
    theirs = client.get("/api/v1/wallet/payments?direction=in", headers=ben.headers).json()
    assert mine["items"][0]["signed_amount"] == -1250
    assert theirs["items"][0]["signed_amount"] == 1250
    assert theirs["items"][0]["description"] == "Grillkohle"
    ref = sent.json()["reference"]
    assert client.get(f"/api/v1/wallet/payments/{ref}", headers=ben.headers).status_code == 200


def test_nobody_else_sees_a_payment(client, anna, ben, db):
    body = top_up(client, anna, 1000)
    response = client.get(f"/api/v1/wallet/payments/{body['reference']}", headers=ben.headers)
    assert response.status_code == 404


def test_more_than_the_wallet_holds_is_refused(client, anna, ben, db):
    make_friends(db, anna, ben)
    top_up(client, anna, 1000)
    response = client.post(
        "/api/v1/wallet/transfers", json={"friend_id": ben.id, "amount": 1001},
        headers=with_key(anna),
    )  # fmt: skip
    assert response.status_code == 422
    assert response.json()["code"] == "insufficient_funds"
    assert balance(client, anna) == 1000


# --- strong customer authentication -----------------------------------------------------


def _pay(client, account, merchant_id, cents, pin=None, idem=None):
    body = {"merchant_id": merchant_id, "amount": cents, "description": "Markt"}
    if pin is not None:
        body["pin"] = pin
    return client.post("/api/v1/wallet/payments", json=body, headers=with_key(account, idem))


def test_small_payments_pass_until_150_eur_then_the_pin_is_asked(client, anna, ben, db):
    shop = add_staffed_merchant(db, "markt", ben.id)
    top_up(client, anna, 50000)
    for _ in range(3):
        assert _pay(client, anna, shop.id, 4500).json()["sca"] == "exempt"
    response = _pay(client, anna, shop.id, 1600)  # 135 + 16 > 150
    assert response.status_code == 403
    assert response.json()["code"] == "pin_not_set"
    set_pin(client, anna, "4711")
    asked = _pay(client, anna, shop.id, 1600, idem="big-one")
    assert asked.json()["code"] == "sca_required"
    confirmed = _pay(client, anna, shop.id, 1600, pin="4711", idem="big-one")
    assert confirmed.status_code == 201, confirmed.text
    assert confirmed.json()["sca"] == "pin"
    assert _pay(client, anna, shop.id, 4500).json()["sca"] == "exempt"  # counter reset
    assert balance(client, anna) == 50000 - 3 * 4500 - 1600 - 4500


def test_exactly_150_eur_passes_and_one_cent_more_asks_for_the_pin(client, anna, ben, db):
    shop = add_staffed_merchant(db, "markt", ben.id)
    top_up(client, anna, 50000)
    for amount in (5000, 5000, 4000, 1000):  # 150.00 EUR without a challenge
        assert _pay(client, anna, shop.id, amount).json()["sca"] == "exempt"
    response = _pay(client, anna, shop.id, 1)
    assert response.status_code == 403
    assert response.json()["code"] == "pin_not_set"
    assert balance(client, anna) == 50000 - 15000


def test_over_50_eur_always_asks_for_the_pin(client, anna, ben, db):
    shop = add_staffed_merchant(db, "markt", ben.id)
    top_up(client, anna, 10000)
    set_pin(client, anna, "4711")
    assert _pay(client, anna, shop.id, 5001).json()["code"] == "sca_required"
    assert _pay(client, anna, shop.id, 5000).json()["sca"] == "exempt"


def test_five_wrong_pins_lock_it_and_a_new_pin_unlocks(client, anna, ben, db):
    shop = add_staffed_merchant(db, "markt", ben.id)
    top_up(client, anna, 20000)
    set_pin(client, anna, "4711")
    answers = [_pay(client, anna, shop.id, 6000, pin="0815") for _ in range(5)]
    assert [r.json()["code"] for r in answers] == ["pin_wrong"] * 4 + ["pin_locked"]
    assert answers[0].json()["attempts_left"] == 4
    assert answers[4].status_code == 423
    assert _pay(client, anna, shop.id, 6000, pin="4711").status_code == 423
    set_pin(client, anna, "2580")
    assert _pay(client, anna, shop.id, 6000, pin="2580").status_code == 201
    assert balance(client, anna) == 14000


def test_pin_needs_the_password_and_a_sane_pin(client, anna):
    wrong = client.put(
        "/api/v1/wallet/pin", json={"password": "nope", "pin": "4711"}, headers=anna.headers
    )
    assert wrong.status_code == 403
    weak = client.put(
        "/api/v1/wallet/pin", json={"password": anna.password, "pin": "1234"}, headers=anna.headers
    )
    assert weak.status_code == 422
    assert weak.json()["code"] == "pin_weak"


def test_keys_are_kept_24_hours_then_forgotten(client, anna, db, frozen_clock):
    from kosmos.wallet import idempotency

    headers = with_key(anna, "daily")
    body = {"amount": 1000, "source": GOOD_CARD}
    client.post("/api/v1/wallet/topups", json=body, headers=headers)
    frozen_clock.advance(hours=23, minutes=59)
    assert idempotency.sweep(db) == 0
    replay = client.post("/api/v1/wallet/topups", json=body, headers=headers)
    assert replay.headers["Idempotent-Replayed"] == "true"
    frozen_clock.advance(minutes=2)
    assert idempotency.sweep(db) == 1
    fresh = client.post("/api/v1/wallet/topups", json=body, headers=headers)
    assert fresh.status_code == 201 and "Idempotent-Replayed" not in fresh.headers
    assert balance(client, anna) == 2000


# --- who may pay (the payment route's own `api_caller`, no request session) --------------


def test_paying_needs_a_valid_writing_token_or_a_session_with_the_csrf_header(
    client, anna, ben, db
):
    from tests.support import make_account, page_login

    shop = add_staffed_merchant(db, "markt", ben.id)
    top_up(client, anna, 5000)
    body = {"merchant_id": shop.id, "amount": 100, "description": "Markt"}

    def pay(headers):
        return client.post(
            "/api/v1/wallet/payments",
            json=body,
            headers={"Idempotency-Key": str(uuid.uuid4()), **headers},
        )

    nobody = pay({})
    assert (nobody.status_code, nobody.headers["content-type"]) == (401, "application/problem+json")
    forged = pay({"Authorization": "Bearer kos_not-a-token"})
    assert (forged.status_code, forged.json()["code"]) == (401, "invalid_token")
    reader = make_account(db, "reader", scopes=["read"])
    read_only = pay(reader.headers)
    assert (read_only.status_code, read_only.json()["code"]) == (403, "insufficient_scope")
    for _ in range(2):  # the second from the bearer cache: the same checks
        assert pay(anna.headers).status_code == 201
    assert pay(reader.headers).json()["code"] == "insufficient_scope"

    token = page_login(client, "anna", anna.password)
    no_header = pay({})
    assert (no_header.status_code, no_header.json()["code"]) == (403, "csrf_failed")
    paid = pay({"X-CSRF-Token": token})
    assert paid.status_code == 201, paid.text
    assert balance(client, anna) == 5000 - 3 * 100


def test_the_merchant_is_looked_up_before_its_first_payment_and_after(client, anna, ben, db):
    """The name comes from the merchant row before the shop's first payment (no ledger
    account yet), then with the balance rows (`accounts.purchase_rows`): the same
    answers either way, and an unknown merchant is a 404 that opens no account."""
    from sqlalchemy import func, select

    from kosmos.wallet.tables import LedgerAccount

    shop = add_staffed_merchant(db, "markt", ben.id)
    top_up(client, anna, 5000)
    accounts_before = db.scalar(select(func.count()).select_from(LedgerAccount))
    unknown = client.post(
        "/api/v1/wallet/payments",
        json={"merchant_id": shop.id + 1000, "amount": 100},
        headers=with_key(anna),
    )
    assert unknown.status_code == 404, unknown.text
    assert db.scalar(select(func.count()).select_from(LedgerAccount)) == accounts_before
    for _ in range(2):  # the first opens the shop's account, the second finds it
        paid = client.post(
            "/api/v1/wallet/payments",
            json={"merchant_id": shop.id, "amount": 100},
            headers=with_key(anna),
        )
        assert paid.status_code == 201, paid.text
        assert paid.json()["description"] == shop.name
    assert balance(client, anna) == 5000 - 200
    assert not ledger.verify(db)
