"""A live Kosmos (uvicorn in its own process, seeded SQLite) and Debian's Chromium via Playwright.

Nothing downloads a browser: Playwright launches /usr/bin/chromium (or $KOSMOS_CHROMIUM).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import update
from tests.conftest import SECRET, need_service

from kosmos import config
from kosmos.config import Settings

CHROMIUM = os.environ.get("KOSMOS_CHROMIUM", "/usr/bin/chromium")
_server_logs: list[Path] = []  # the live server's log, shown under a failed browser test


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if report.failed and _server_logs and "live_server" in getattr(item, "fixturenames", ()):
        report.sections.append(("live server log (last 4000 characters)",
                                _server_logs[-1].read_text()[-4000:]))  # fmt: skip


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(
    sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory, mqtt_url: str
) -> Iterator[str]:
    """A real server process on a seeded SQLite copy. A process of its own, not a thread:
    the API tests that share this pytest worker install their own settings and chat hub
    process-wide, which a server thread would pick up half-way through a journey. The
    demo's parcel stations run as simulators on the test broker (MQTT)."""
    from kosmos.catalog.seed import seed_demo
    from kosmos.db import make_engine, make_session_factory
    from kosmos.delivery.demo import seed_delivery, station_codes
    from kosmos.delivery.tables import Station
    from kosmos.integrations.lockers.mqtt.station_sim import StationSimulator

    path = tmp_path_factory.mktemp("live") / "kosmos.db"
    shutil.copyfile(sqlite_template, path)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    values = {
        "database_url": f"sqlite:///{path}",
        "env": "test",
        "secret_key": SECRET,
        "base_url": base,
        "outbox_poll_seconds": "0.05",
        "vapid_private_key_path": str(path.parent / "vapid.pem"),
        "scango_rescan_one_in": "0",  # no random staff re-scan: journeys are deterministic
        "mqtt_url": mqtt_url,
    }
    config.configure(Settings(**values))  # the seed signs with the server's secret
    try:
        engine = make_engine(values["database_url"])
        with make_session_factory(engine)() as db:
            seed_demo(db)
            seed_delivery(db)
            # Station codes of this server alone: they are its MQTT topics on the shared
            # broker, and each xdist worker runs a live server with simulators for the
            # same demo stations (`--dist loadgroup` does not group under pytest 9:
            # xdist 3.8 sets `item._nodeid`, which pytest 9 no longer reads). A worker
            # whose session ended took the other server's stations offline with its
            # simulators' retained status (CI, stop 16: the delivery journey chose
            # another station).
            db.execute(update(Station).values(code=Station.code + f"-{uuid.uuid4().hex[:6]}"))
            db.commit()
            codes = station_codes(db)
        engine.dispose()
    finally:
        config.configure(None)
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOSMOS_")}
    env.update({f"KOSMOS_{key.upper()}": value for key, value in values.items()})
    log = (path.parent / "server.log").open("w")
    _server_logs.append(path.parent / "server.log")
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "kosmos.app:create_app", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    simulators = [StationSimulator(code, mqtt_url, close_after=1.0).start() for code in codes]
    try:
        deadline = time.monotonic() + 30
        while True:
            assert server.poll() is None, f"live server exited: {_tail(path.parent)}"
            assert time.monotonic() < deadline, f"live server did not start: {_tail(path.parent)}"
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield base
    finally:
        for simulator in simulators:
            simulator.stop()
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def _tail(folder: Path) -> str:
    return (folder / "server.log").read_text()[-2000:]


@pytest.fixture(scope="session")
def browser():  # noqa: ANN201
    if not Path(CHROMIUM).exists():
        need_service(f"Chromium not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-sync",
                "--disable-component-update",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server):  # noqa: ANN001, ANN201
    context = browser.new_context(
        base_url=live_server, locale="de-DE", viewport={"width": 390, "height": 844}
    )  # a phone
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    yield pg
    context.close()
