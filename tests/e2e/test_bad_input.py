"""Bad input gets a clear 4xx problem+json and loses nothing; never a 500."""

import pytest

PROBLEM = "application/problem+json"


def test_malformed_json_is_a_400(client):
    response = client.post(
        "/api/v1/accounts", content=b'{"username": ', headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["code"] == "malformed_json"


def test_unknown_fields_are_refused(client):
    response = client.post(
        "/api/v1/accounts",
        json={
            "username": "anna",
            "email": "anna@example.org",
            "password": "grillen-anna-2026",
            "display_name": "Anna",
            "is_admin": True,
        },
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "is_admin"


def test_wrong_types_are_refused(client):
    response = client.post(
        "/api/v1/accounts",
        json={"username": ["anna"], "email": 5, "password": None, "display_name": "Anna"},
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"username", "email", "password"}


def test_oversize_body_is_a_413(client, settings):
    big = b"{" + b" " * (settings.max_body_bytes + 1) + b"}"
    response = client.post(
        "/api/v1/accounts", content=big, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"


def test_unknown_api_path_is_a_problem_404(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM


def test_wrong_method_is_a_405(client):
    response = client.put("/api/v1/auth/token", json={})
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


@pytest.mark.parametrize("bad", ["abc", "-1", "99999999999999999999999"])
def test_bad_path_ids_are_4xx(client, anna, bad):
    response = client.get(f"/api/v1/me/tokens/{bad}", headers=anna.headers)
    assert 400 <= response.status_code < 500


def test_unknown_page_is_an_html_404(client):
    response = client.get("/no-such-page", headers={"accept": "text/html"})
    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"]


@pytest.mark.parametrize(
    "method,path,kwargs",
    [
        ("get", "/search?category=%00", {}),
        ("get", "/merchants/%00x", {}),
        ("get", "/friends/invite/%00", {}),
        ("post", "/api/v1/auth/token", {"json": {"login": "a\x00b", "password": "x" * 10}}),
        (
            "post",
            "/api/v1/accounts",
            {
                "json": {
                    "username": "anna",
                    "email": "a\x00@example.org",
                    "password": "grillen-anna-2026",
                    "display_name": "Anna",
                }
            },
        ),
        ("post", "/login", {"data": {"login": "a\x00b", "password": "x"}}),
    ],
)
def test_nul_characters_are_refused_with_a_400(client, db, method, path, kwargs):
    from sqlalchemy import func, select

    from kosmos.accounts.tables import User

    response = getattr(client, method)(path, **kwargs)
    assert response.status_code == 400
    assert response.json()["code"] == "nul_character"
    assert db.scalar(select(func.count()).select_from(User)) == 0


def test_a_percent_sign_in_a_form_is_not_mistaken_for_nul(client):
    response = client.get("/search", params={"q": "100%00 Saft"})
    assert response.status_code == 200


def test_html_pages_show_an_html_error_for_invalid_parameters(client):
    response = client.get("/products/0", headers={"accept": "text/html"})
    assert response.status_code == 422
    assert "text/html" in response.headers["content-type"]
    assert "Etwas ist schiefgelaufen" in response.text


def test_not_found_page_speaks_the_readers_language(client):
    response = client.get("/products/999", headers={"accept": "text/html"})
    assert response.status_code == 404
    assert "Dieses Produkt gibt es nicht." in response.text


def test_oversize_streamed_body_is_a_413(client, settings):
    def chunks():
        for _ in range(settings.max_body_bytes // 1000 + 2):
            yield b" " * 1000

    response = client.post(
        "/api/v1/accounts", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"
