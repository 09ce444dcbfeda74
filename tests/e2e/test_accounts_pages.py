"""Accounts through the pages, as a browser does: forms, cookies, CSRF, messages by fields."""

from sqlalchemy import func, select
from tests.support import csrf_of, page_login

from kosmos.accounts.tables import User, WebSession


def test_sign_up_form_logs_the_new_user_in(client, db):
    token = csrf_of(client)
    response = client.post(
        "/signup",
        data={
            "username": "anna",
            "email": "anna@example.org",
            "display_name": "Anna Schmidt",
            "password": "grillen-anna-2026",
            "locale": "de",
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    cookie = response.headers["set-cookie"]
    assert "kosmos_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Hallo, Anna Schmidt!" in client.get("/").text


def test_sign_up_error_is_shown_next_to_the_field(client, db):
    token = csrf_of(client)
    response = client.post(
        "/signup",
        data={
            "username": "a",
            "email": "anna@example.org",
            "display_name": "Anna",
            "password": "grillen-anna-2026",
            "csrf_token": token,
        },
    )
    assert response.status_code == 422
    assert 'id="e-username"' in response.text
    assert 'aria-invalid="true" aria-describedby="e-username"' in response.text
    assert db.scalar(select(func.count()).select_from(User)) == 0


def test_form_post_without_csrf_token_is_refused(client, anna):
    csrf_of(client)
    response = client.post("/login", data={"login": "anna", "password": anna.password})
    assert response.status_code == 403
    assert "kosmos_session" not in client.cookies


def test_form_post_with_a_forged_csrf_token_is_refused(client, anna):
    csrf_of(client)
    response = client.post(
        "/login", data={"login": "anna", "password": anna.password, "csrf_token": "forged"}
    )
    assert response.status_code == 403


def test_wrong_password_shows_a_message_and_keeps_the_login(client, anna):
    token = csrf_of(client)
    response = client.post(
        "/login", data={"login": "anna", "password": "falsch-1234", "csrf_token": token}
    )
    assert response.status_code == 401
    assert "Benutzername oder Passwort ist falsch." in response.text
    assert 'value="anna"' in response.text


def test_rate_limited_login_says_when_to_try_again(client, anna):
    token = csrf_of(client)
    for _ in range(5):
        client.post(
            "/login", data={"login": "anna", "password": "falsch-1234", "csrf_token": token}
        )
    response = client.post(
        "/login", data={"login": "anna", "password": anna.password, "csrf_token": token}
    )
    assert response.status_code == 429
    assert "Versuche es in 15 Minute(n) erneut." in response.text


def test_log_out_ends_the_session(client, db, anna):
    token = page_login(client, "anna", anna.password)
    assert client.get("/profile").status_code == 200
    client.post("/logout", data={"csrf_token": token})
    db.rollback()
    assert db.scalar(select(func.count()).select_from(WebSession)) == 0
    assert client.get("/profile", follow_redirects=False).status_code == 303


def test_login_redirects_only_to_local_paths(client, anna):
    token = csrf_of(client)
    response = client.post(
        "/login",
        data={
            "login": "anna",
            "password": anna.password,
            "next": "https://evil.example/",
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_english_is_switchable(client):
    token = csrf_of(client)
    client.post("/locale", data={"locale": "en", "next": "/login", "csrf_token": token})
    page = client.get("/login")
    assert 'lang="en"' in page.text
    assert "Username or e-mail" in page.text


def test_profile_page_lists_tokens_and_creates_one(client, anna):
    token = page_login(client, "anna", anna.password)
    response = client.post("/profile/tokens", data={"name": "Dash-Knopf", "csrf_token": token})
    assert response.status_code == 200
    assert 'id="new-token">kos_' in response.text
    assert "Dash-Knopf" in response.text


def test_api_with_session_cookie_needs_the_csrf_header_to_write(client, anna):
    token = page_login(client, "anna", anna.password)
    assert client.get("/api/v1/me").status_code == 200
    refused = client.patch("/api/v1/me", json={"display_name": "X"})
    assert refused.status_code == 403
    allowed = client.patch(
        "/api/v1/me", json={"display_name": "Anna S"}, headers={"X-CSRF-Token": token}
    )
    assert allowed.status_code == 200


def test_friend_invite_link_page_and_accept(client, db, anna, ben):
    from kosmos.accounts import friends, services

    invite = friends.create_invite(db, services.get_user_by_username(db, "anna"))
    token = page_login(client, "ben", ben.password)
    landing = client.get(f"/friends/invite/{invite.code}")
    assert "Anna lädt dich ein" in landing.text or "Anna" in landing.text
    client.post("/friends/accept", data={"code": invite.code, "csrf_token": token})
    assert "Anna" in client.get("/friends").text


def test_dev_mailbox_shows_the_reset_mail(client, db, anna, session_factory):
    from kosmos import bus

    token = csrf_of(client)
    client.post("/password-reset", data={"email": "anna@example.org", "csrf_token": token})
    bus.relay_once(session_factory)
    page = client.get("/dev/mailbox")
    assert "anna@example.org" in page.text
    assert "/password-reset/" in page.text


def test_session_cookie_is_secure_behind_https(app, settings, anna):
    from fastapi.testclient import TestClient

    # given Kosmos is served under an https:// base URL
    settings.base_url = "https://kosmos.example"
    with TestClient(app, base_url="https://kosmos.example") as browser:
        token = csrf_of(browser)
        # when anna logs in
        response = browser.post(
            "/login",
            data={"login": "anna", "password": anna.password, "csrf_token": token},
            follow_redirects=False,
        )
    # then the session cookie is Secure, HttpOnly and SameSite=Lax
    session_cookie = next(
        c for c in response.headers.get_list("set-cookie") if c.startswith("kosmos_session=")
    )
    assert "Secure" in session_cookie
    assert "HttpOnly" in session_cookie
    assert "SameSite=lax" in session_cookie


def test_dev_mailbox_is_only_for_the_machine_itself(app):
    from fastapi.testclient import TestClient

    with TestClient(app, client=("203.0.113.7", 40000)) as remote:
        assert remote.get("/dev/mailbox").status_code == 404
