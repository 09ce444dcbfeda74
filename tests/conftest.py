"""Shared fixtures: a clean database per test (SQLite always, PostgreSQL when configured),
the app, an HTTP client, users and tokens, and a frozen clock.

Outside CI a test whose service is absent skips with a one-line reason; under CI
(`CI=true`) it fails instead.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

os.environ["KOSMOS_ENV"] = "test"
os.environ["KOSMOS_SECRET_KEY"] = "test-secret-key-not-for-production-0123456789"
os.environ.pop("KOSMOS_DATABASE_URL", None)

from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402
from tests.support import Account, make_account  # noqa: E402

from kosmos import clock, config, sqlite_writers  # noqa: E402
from kosmos.config import Settings  # noqa: E402
from kosmos.db import make_engine, make_session_factory  # noqa: E402
from kosmos.migrate import upgrade  # noqa: E402

IN_CI = os.environ.get("CI", "").lower() == "true"
PG_URL = os.environ.get("KOSMOS_TEST_DATABASE_URL")
SECRET = os.environ["KOSMOS_SECRET_KEY"]


def need_service(reason: str) -> None:
    """Skip outside CI, fail under CI."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: services must be present)")
    pytest.skip(reason)


# --- databases ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file per test session; each test gets a copy of it."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(f"sqlite:///{path}")
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.execute("PRAGMA journal_mode=DELETE")
    con.close()
    return path


@pytest.fixture(scope="session")
def pg_database(worker_id: str) -> Iterator[str]:
    """A private PostgreSQL database for this test session (per xdist worker)."""
    if not PG_URL:
        need_service("PostgreSQL not configured: set KOSMOS_TEST_DATABASE_URL")
    base = make_url(PG_URL)
    name = f"kosmos_test_{worker_id}_{os.getpid()}"
    admin = make_engine(base.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001
        need_service(f"PostgreSQL unreachable at {base.render_as_string()}: {exc}")
    url = base.set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def worker_id(request: pytest.FixtureRequest) -> str:
    return getattr(request.config, "workerinput", {}).get("workerid", "main")


def _truncate_pg(url: str) -> None:
    from kosmos.models import metadata

    engine = make_engine(url)
    names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, sqlite_template: Path, tmp_path: Path) -> str:
    """A clean, migrated database: every test using it runs on SQLite and PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "kosmos.db"
        shutil.copyfile(sqlite_template, path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("pg_database")
    _truncate_pg(url)
    return url


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    """A clean SQLite database, for tests that are about SQLite only."""
    path = tmp_path / "kosmos.db"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Iterator[Settings]:
    s = Settings(
        database_url=db_url,
        env="test",
        secret_key=SECRET,
        run_outbox_relay=False,
        vapid_private_key_path=str(tmp_path / "vapid.pem"),
    )
    config.configure(s)
    yield s
    config.configure(None)


@pytest.fixture
def session_factory(settings: Settings):  # noqa: ANN201
    engine = make_engine(settings.database_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def db(session_factory) -> Iterator[Session]:  # noqa: ANN001
    with session_factory() as session:
        yield session


@pytest.fixture(autouse=True)
def sqlite_writers_left_idle() -> Iterator[None]:
    """After each test (its fixtures torn down first), no SQLite writer turn is held and
    no group commit is open: one left behind would keep the file write-locked."""
    yield
    busy = sqlite_writers.busy_queues()
    if busy:
        pytest.fail(f"{len(busy)} SQLite writer queue(s) left busy after the test")


# --- clock -------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[clock.FrozenClock]:
    """Sunday 2026-11-22 10:00 in Berlin. Tests advance it instead of sleeping."""
    fc = clock.FrozenClock(datetime.fromisoformat("2026-11-22T10:00:00+01:00"))
    clock.set_clock(fc)
    yield fc
    clock.set_clock(clock.Clock())


# --- app and users -----------------------------------------------------------------------


@pytest.fixture
def app(settings: Settings):  # noqa: ANN201
    from kosmos.app import create_app

    return create_app(settings, run_relay=False)


@pytest.fixture
def client(app):  # noqa: ANN001, ANN201
    from fastapi.testclient import TestClient

    with TestClient(app, base_url="http://testserver", client=("127.0.0.1", 50000)) as c:
        yield c


@pytest.fixture
def anna(db: Session) -> Account:
    return make_account(db, "anna")


@pytest.fixture
def ben(db: Session) -> Account:
    return make_account(db, "ben")


# --- MQTT --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def mqtt_url() -> Iterator[str]:
    """A broker for the locker tests: KOSMOS_TEST_MQTT_URL (Mosquitto, MQTT 5; under CI it
    must answer), else the embedded amqtt broker (MQTT 3.1.1) on a free port."""
    import socket

    from kosmos.integrations.lockers.mqtt.broker import EmbeddedBroker, free_port
    from kosmos.integrations.lockers.mqtt.connection import parse_url

    url = os.environ.get("KOSMOS_TEST_MQTT_URL")
    if url or IN_CI:
        url = url or "mqtt://127.0.0.1:1883"
        address = parse_url(url)
        try:
            socket.create_connection((address.host, address.port), timeout=2).close()
        except OSError as exc:
            need_service(f"MQTT broker unreachable at {url}: {exc}")
        yield url
        return
    with EmbeddedBroker(port=free_port()) as broker:
        yield broker.url
