"""One settings object, read from the environment (prefix KOSMOS_)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET_KEY = "dev-insecure-secret-change-me"  # noqa: S105 - the known development value


class InsecureConfiguration(RuntimeError):
    """Raised when production mode is asked for with development defaults."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KOSMOS_", env_file=None, extra="ignore")

    env: Literal["development", "test", "production"] = "development"
    database_url: str = "sqlite:///var/kosmos.db"
    redis_url: str | None = None
    redis_prefix: str = "kosmos"  # keys and channels; several deployments can share a Redis
    mqtt_url: str | None = None
    # `kosmos serve` without KOSMOS_MQTT_URL starts an embedded broker (amqtt, MQTT 3.1.1) on
    # 127.0.0.1 at this port and hands its URL to the workers; 0: no embedded broker.
    embedded_mqtt_port: int = Field(default=1884, ge=0, le=65535)
    llm_url: str | None = None  # an OpenAI-compatible chat-completions endpoint (optional)
    llm_model: str = "gpt-4o-mini"
    llm_api_key: str | None = None
    llm_timeout_seconds: float = 2.0
    secret_key: str = DEV_SECRET_KEY
    base_url: str = "http://127.0.0.1:8000"
    default_locale: Literal["de", "en"] = "de"
    max_body_bytes: int = Field(default=1_000_000, ge=1024)
    login_max_failures_per_account: int = 5
    login_max_failures_per_address: int = 20
    login_window_seconds: int = 15 * 60
    session_days: int = 30
    bearer_cache_seconds: float = Field(default=2.0, ge=0)  # accounts/bearer_cache.py
    outbox_poll_seconds: float = 0.5
    outbox_gather_seconds: float = 0.2  # after a busy relay pass: events go in lots
    run_outbox_relay: bool = True
    mail_from: str = "Kosmos <noreply@kosmos.local>"
    # The creditor Kosmos collects SEPA direct debits as (defaults: the Bundesbank's
    # published example creditor id and a test account; set real ones in production).
    sepa_creditor_name: str = "Kosmos Demo GmbH"
    sepa_creditor_iban: str = "DE02120300000000202051"
    sepa_creditor_bic: str = "BYLADEM1001"
    sepa_creditor_id: str = "DE98ZZZ09999999999"
    # Web Push (VAPID): the private key is generated here on first use; the subject is the
    # contact push services may use (mailto: or https:).
    vapid_private_key_path: str = "var/vapid_private.pem"
    vapid_subject: str = "mailto:admin@kosmos.local"
    scango_rescan_one_in: int = Field(default=20, ge=0)  # Scan&Go re-scans 1 in N; 0: never

    @model_validator(mode="after")
    def _refuse_dev_secret_in_production(self) -> Settings:
        if self.env == "production" and (
            self.secret_key == DEV_SECRET_KEY or len(self.secret_key) < 32
        ):
            raise InsecureConfiguration(
                "KOSMOS_ENV=production needs KOSMOS_SECRET_KEY set to a random value of at "
                "least 32 characters (the development secret is refused)."
            )
        return self

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def secure_cookies(self) -> bool:
        return self.base_url.startswith("https://")

    def sqlite_path(self) -> Path | None:
        if self.database_url.startswith("sqlite:///"):
            return Path(self.database_url.removeprefix("sqlite:///"))
        return None


_configured: Settings | None = None


@lru_cache(maxsize=1)
def _from_environment() -> Settings:
    return Settings()


def get_settings() -> Settings:
    return _configured or _from_environment()


def configure(settings: Settings | None) -> None:
    """Make `settings` the process-wide settings (create_app, tests); None resets."""
    global _configured
    _configured = settings
