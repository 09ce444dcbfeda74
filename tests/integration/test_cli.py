"""The `kosmos` command line on a real database."""

from sqlalchemy import select
from typer.testing import CliRunner

from kosmos.accounts.tables import AccessToken
from kosmos.cli import app as cli


def _run(monkeypatch, db_url, *args, input=None):
    monkeypatch.setenv("KOSMOS_DATABASE_URL", db_url)
    return CliRunner().invoke(cli, list(args), input=input)


def test_migrate_is_repeatable(monkeypatch, db_url, settings):
    # `settings` makes this test's database the process's configured one. Without it the
    # command took whatever `get_settings()` returned in this worker process (settings
    # cached from the environment earlier: `_from_environment` is an lru_cache), not this
    # test's URL: once (CI, 2026-11-24) it met a locked SQLite database instead
    result = _run(monkeypatch, db_url, "migrate")
    assert result.exit_code == 0, result.output
    assert "Database is up to date" in result.output


def test_user_create_then_token_create_prints_a_working_bearer_token(
    monkeypatch, db_url, settings, client
):
    created = _run(
        monkeypatch,
        db_url,
        "user",
        "create",
        "ben",
        "ben@example.org",
        "--name",
        "Ben Becker",
        input="grillen-ben-2026\ngrillen-ben-2026\n",
    )
    assert created.exit_code == 0, created.output
    token = _run(monkeypatch, db_url, "token", "create", "--user", "ben")
    assert token.exit_code == 0, token.output
    raw = token.output.strip().splitlines()[-1]
    assert raw.startswith("kos_")
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert me.json()["display_name"] == "Ben Becker"


def test_token_create_for_an_unknown_user_fails_clearly(monkeypatch, db_url, db):
    result = _run(monkeypatch, db_url, "token", "create", "--user", "nobody")
    assert result.exit_code == 1
    assert "No user named 'nobody'" in result.output
    assert db.scalar(select(AccessToken.id)) is None


def test_token_create_refuses_unknown_scopes_and_bad_lifetimes(monkeypatch, db_url, anna):
    scope = _run(monkeypatch, db_url, "token", "create", "--user", "anna", "--scope", "admin")
    days = _run(monkeypatch, db_url, "token", "create", "--user", "anna", "--days", "0")
    assert scope.exit_code == 1
    assert "Scopes must be" in scope.output
    assert days.exit_code == 2
