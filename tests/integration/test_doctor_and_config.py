"""`kosmos doctor` against the real services, and the production safety of the settings."""

import os

import pytest
from tests.conftest import need_service
from typer.testing import CliRunner

from kosmos.cli import app as cli
from kosmos.config import DEV_SECRET_KEY, InsecureConfiguration, Settings

REDIS_URL = os.environ.get("KOSMOS_TEST_REDIS_URL")
MQTT_URL = os.environ.get("KOSMOS_TEST_MQTT_URL")


def test_production_refuses_the_development_secret():
    with pytest.raises(InsecureConfiguration, match="KOSMOS_SECRET_KEY"):
        Settings(env="production", secret_key=DEV_SECRET_KEY)


def test_production_accepts_a_long_random_secret():
    assert Settings(env="production", secret_key="x" * 40).is_production


def test_serve_refuses_to_start_in_production_with_the_dev_secret(monkeypatch):
    from kosmos import config

    config.configure(None)
    config._from_environment.cache_clear()
    monkeypatch.setenv("KOSMOS_ENV", "production")
    monkeypatch.setenv("KOSMOS_SECRET_KEY", DEV_SECRET_KEY)
    result = CliRunner().invoke(cli, ["serve"])
    config._from_environment.cache_clear()
    assert result.exit_code != 0
    assert isinstance(result.exception, InsecureConfiguration)


def _doctor(monkeypatch, **env):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return CliRunner().invoke(cli, ["doctor"])


def test_doctor_reports_every_service_reachable(monkeypatch, sqlite_url):
    if not REDIS_URL or not MQTT_URL:
        need_service("Redis/MQTT not configured: set KOSMOS_TEST_REDIS_URL, KOSMOS_TEST_MQTT_URL")
    result = _doctor(
        monkeypatch,
        KOSMOS_DATABASE_URL=sqlite_url,
        KOSMOS_REDIS_URL=REDIS_URL,
        KOSMOS_MQTT_URL=MQTT_URL,
    )
    assert result.exit_code == 0, result.output
    assert "OK   database: reachable" in result.output
    assert "OK   redis: reachable" in result.output
    assert "OK   mqtt: broker reachable" in result.output


def test_doctor_fails_with_a_clear_message_for_each_unreachable_service(monkeypatch):
    result = _doctor(
        monkeypatch,
        KOSMOS_DATABASE_URL="postgresql+psycopg://kosmos@127.0.0.1:1/kosmos",
        KOSMOS_REDIS_URL="redis://127.0.0.1:1/0",
        KOSMOS_MQTT_URL="mqtt://127.0.0.1:1",
    )
    assert result.exit_code == 1
    assert (
        "FAIL database: cannot reach postgresql+psycopg://kosmos@127.0.0.1:1/kosmos"
        in result.output
    )
    assert "FAIL redis: cannot reach redis://127.0.0.1:1/0" in result.output
    assert "FAIL mqtt: cannot reach broker at 127.0.0.1:1" in result.output


def test_doctor_flags_an_insecure_production_configuration(monkeypatch):
    result = _doctor(monkeypatch, KOSMOS_ENV="production", KOSMOS_SECRET_KEY=DEV_SECRET_KEY)
    assert result.exit_code == 1
    assert "FAIL configuration" in result.output
