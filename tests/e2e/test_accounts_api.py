"""Accounts through the HTTP API: sign up, tokens, profile, password reset, rate limits."""

from sqlalchemy import func, select, update

from kosmos import bus
from kosmos.accounts.tables import AccessToken, User
from kosmos.mail import MailboxMessage


def _count(db, model):
    db.rollback()  # end any earlier read transaction: see what the app committed
    return db.scalar(select(func.count()).select_from(model))


def test_sign_up_then_log_in_for_a_token(client, db):
    # when
    created = client.post(
        "/api/v1/accounts",
        json={
            "username": "Anna",
            "email": "anna@example.org",
            "password": "grillen-anna-2026",
            "display_name": "Anna Schmidt",
        },
    )
    token = client.post(
        "/api/v1/auth/token", json={"login": "anna", "password": "grillen-anna-2026"}
    )
    # then
    assert created.status_code == 201
    assert created.json()["username"] == "anna"
    assert created.json()["initials"] == "AS"
    assert "password" not in created.text and "password_hash" not in created.text
    assert token.status_code == 201
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token.json()['token']}"})
    assert me.json()["display_name"] == "Anna Schmidt"


def test_password_is_stored_as_argon2id(client, db):
    client.post(
        "/api/v1/accounts",
        json={
            "username": "anna",
            "email": "anna@example.org",
            "password": "grillen-anna-2026",
            "display_name": "Anna",
        },
    )
    assert db.scalar(select(User.password_hash)).startswith("$argon2id$")


def test_duplicate_username_is_a_409_and_creates_nothing(client, db, anna):
    # when
    response = client.post(
        "/api/v1/accounts",
        json={
            "username": "anna",
            "email": "other@example.org",
            "password": "grillen-anna-2026",
            "display_name": "Anna Zwei",
        },
    )
    # then
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "username_taken"
    assert _count(db, User) == 1


def test_weak_password_is_a_422_naming_the_field(client, db):
    response = client.post(
        "/api/v1/accounts",
        json={
            "username": "anna",
            "email": "anna@example.org",
            "password": "kurz",
            "display_name": "Anna",
        },
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "password", "message": "The password needs at least 10 characters."}
    ]
    assert _count(db, User) == 0


def test_wrong_password_is_401_without_saying_which_part_was_wrong(client, anna):
    response = client.post("/api/v1/auth/token", json={"login": "anna", "password": "falsch-123"})
    unknown = client.post("/api/v1/auth/token", json={"login": "nobody", "password": "falsch-123"})
    assert response.status_code == unknown.status_code == 401
    assert response.json()["detail"] == unknown.json()["detail"]


def test_login_is_rate_limited_per_account(client, anna, frozen_clock):
    # given five failures
    for _ in range(5):
        assert (
            client.post(
                "/api/v1/auth/token", json={"login": "anna", "password": "falsch-1234"}
            ).status_code
            == 401
        )
    # when even the right password is tried
    blocked = client.post("/api/v1/auth/token", json={"login": "anna", "password": anna.password})
    # then
    assert blocked.status_code == 429
    assert blocked.json()["code"] == "login_rate_limited"
    assert "Try again in 15 minute" in blocked.json()["detail"]
    # and after the window it works again
    frozen_clock.advance(minutes=16)
    assert (
        client.post(
            "/api/v1/auth/token", json={"login": "anna", "password": anna.password}
        ).status_code
        == 201
    )


def test_login_is_rate_limited_per_client_address(client, db):
    from tests.support import make_account

    victims = [make_account(db, f"user{i}") for i in range(3)]
    for i in range(20):
        client.post("/api/v1/auth/token", json={"login": f"guess{i}", "password": "falsch-1234"})
    response = client.post(
        "/api/v1/auth/token", json={"login": victims[0].username, "password": victims[0].password}
    )
    assert response.status_code == 429


def test_read_only_token_cannot_write(client, db):
    from tests.support import make_account

    reader = make_account(db, "reader", scopes=["read"])
    assert client.get("/api/v1/me", headers=reader.headers).status_code == 200
    response = client.patch("/api/v1/me", json={"display_name": "X"}, headers=reader.headers)
    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_scope"


def test_revoked_token_stops_working(client, anna, db):
    token_id = db.scalar(select(AccessToken.id))
    assert client.delete(f"/api/v1/me/tokens/{token_id}", headers=anna.headers).status_code == 204
    response = client.get("/api/v1/me", headers=anna.headers)
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_token"


def test_expired_token_stops_working(client, anna, frozen_clock):
    created = client.post(
        "/api/v1/me/tokens",
        headers=anna.headers,
        json={"name": "Dash", "scopes": ["read"], "expires_in_days": 1},
    )
    headers = {"Authorization": f"Bearer {created.json()['token']}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    frozen_clock.advance(days=1, seconds=1)
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_tokens_are_listed_without_their_secret(client, anna):
    listed = client.get("/api/v1/me/tokens", headers=anna.headers)
    assert listed.status_code == 200
    assert "token" not in listed.json()["items"][0]
    assert listed.json()["items"][0]["prefix"].startswith("kos_")


def test_profile_update(client, anna):
    response = client.patch(
        "/api/v1/me", headers=anna.headers, json={"display_name": "Anna Schmidt", "locale": "en"}
    )
    assert response.status_code == 200
    assert response.json()["locale"] == "en"
    assert response.json()["initials"] == "AS"


def test_password_reset_mail_goes_through_the_outbox_to_the_mailbox(
    client, db, anna, session_factory
):
    # when
    response = client.post("/api/v1/auth/password-reset", json={"email": "anna@example.org"})
    # then nothing is sent before the relay runs
    assert response.status_code == 202
    assert _count(db, MailboxMessage) == 0
    assert bus.relay_once(session_factory) == 1
    db.rollback()
    mail = db.scalar(select(MailboxMessage))
    assert mail.to == "anna@example.org"
    token = mail.body.split("/password-reset/")[1].split()[0]
    # and the token sets a new password once
    confirm = client.post(
        "/api/v1/auth/password-reset/confirm",
        json={"token": token, "new_password": "neues-passwort-42"},
    )
    assert confirm.status_code == 204
    again = client.post(
        "/api/v1/auth/password-reset/confirm",
        json={"token": token, "new_password": "noch-ein-passwort"},
    )
    assert again.status_code == 422
    assert again.json()["code"] == "reset_token_invalid"
    login = client.post(
        "/api/v1/auth/token", json={"login": "anna", "password": "neues-passwort-42"}
    )
    assert login.status_code == 201


def test_password_reset_for_unknown_address_answers_the_same_and_sends_nothing(
    client, db, session_factory
):
    response = client.post("/api/v1/auth/password-reset", json={"email": "nobody@example.org"})
    assert response.status_code == 202
    assert bus.relay_once(session_factory) == 0
    assert _count(db, MailboxMessage) == 0


def test_reset_token_expires_after_an_hour(client, db, anna, session_factory, frozen_clock):
    client.post("/api/v1/auth/password-reset", json={"email": "anna@example.org"})
    bus.relay_once(session_factory)
    token = db.scalar(select(MailboxMessage.body)).split("/password-reset/")[1].split()[0]
    frozen_clock.advance(hours=1, seconds=1)
    response = client.post(
        "/api/v1/auth/password-reset/confirm",
        json={"token": token, "new_password": "neues-passwort-42"},
    )
    assert response.status_code == 422


def test_token_list_paginates_by_cursor(client, anna):
    for n in range(4):
        client.post(
            "/api/v1/me/tokens",
            headers=anna.headers,
            json={"name": f"device {n}", "scopes": ["read"]},
        )
    first = client.get("/api/v1/me/tokens", params={"limit": 3}, headers=anna.headers).json()
    second = client.get(
        "/api/v1/me/tokens",
        params={"limit": 3, "cursor": first["next_cursor"]},
        headers=anna.headers,
    ).json()
    names = [t["name"] for t in first["items"] + second["items"]]
    assert names == ["test", "device 0", "device 1", "device 2", "device 3"]
    assert second["next_cursor"] is None


def test_bad_cursor_on_a_list_is_400(client, anna):
    response = client.get(
        "/api/v1/me/tokens", params={"cursor": "not-a-cursor"}, headers=anna.headers
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_cursor"


def test_reset_mails_to_one_account_are_limited(client, db, anna, session_factory, frozen_clock):
    # when someone asks five times within the hour
    for _ in range(5):
        response = client.post("/api/v1/auth/password-reset", json={"email": "anna@example.org"})
        assert response.status_code == 202
    bus.relay_once(session_factory)
    # then three mails went out, and the answer never told
    assert _count(db, MailboxMessage) == 3
    # and an hour later another one may go out
    frozen_clock.advance(hours=1, seconds=1)
    client.post("/api/v1/auth/password-reset", json={"email": "anna@example.org"})
    bus.relay_once(session_factory)
    assert _count(db, MailboxMessage) == 4


def test_old_login_attempts_are_pruned(client, db, anna, frozen_clock):
    from kosmos.accounts.tables import LoginAttempt

    for _ in range(3):
        client.post("/api/v1/auth/token", json={"login": "anna", "password": "falsch-1234"})
    frozen_clock.advance(minutes=16)
    client.post("/api/v1/auth/token", json={"login": "anna", "password": anna.password})
    assert _count(db, LoginAttempt) == 1


def test_a_profile_change_is_seen_by_the_next_request(client, anna):
    # the token is in this process's bearer cache after the first request
    assert client.get("/api/v1/me", headers=anna.headers).json()["display_name"] == "Anna"
    client.patch("/api/v1/me", headers=anna.headers, json={"display_name": "Anna Schmidt"})
    assert client.get("/api/v1/me", headers=anna.headers).json()["display_name"] == "Anna Schmidt"


def test_a_token_revoked_by_another_process_stops_working_within_the_cache_window(
    client, anna, db, frozen_clock
):
    assert client.get("/api/v1/me", headers=anna.headers).status_code == 200
    # another server process revokes it: this process's cache hears nothing of it
    db.execute(update(AccessToken).values(revoked_at=func.now()))
    db.commit()
    frozen_clock.advance(seconds=1.9)  # within bearer_cache_seconds (2 s): still cached
    assert client.get("/api/v1/me", headers=anna.headers).status_code == 200
    frozen_clock.advance(seconds=0.1)
    response = client.get("/api/v1/me", headers=anna.headers)
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_token"


def test_with_no_cache_window_every_request_looks_the_token_up(client, anna, db, settings):
    settings.bearer_cache_seconds = 0
    assert client.get("/api/v1/me", headers=anna.headers).status_code == 200
    db.execute(update(AccessToken).values(revoked_at=func.now()))
    db.commit()
    assert client.get("/api/v1/me", headers=anna.headers).status_code == 401
