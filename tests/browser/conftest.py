"""A live Kosmos (uvicorn in a thread, seeded SQLite) and Debian's Chromium via Playwright.

Nothing downloads a browser: Playwright launches /usr/bin/chromium (or $KOSMOS_CHROMIUM).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import SECRET, need_service

from kosmos import config
from kosmos.config import Settings

CHROMIUM = os.environ.get("KOSMOS_CHROMIUM", "/usr/bin/chromium")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    from kosmos.app import create_app
    from kosmos.catalog.seed import seed_demo
    from kosmos.db import make_engine, make_session_factory

    path = tmp_path_factory.mktemp("live") / "kosmos.db"
    shutil.copyfile(sqlite_template, path)
    port = _free_port()
    settings = Settings(
        database_url=f"sqlite:///{path}",
        env="test",
        secret_key=SECRET,
        base_url=f"http://127.0.0.1:{port}",
        outbox_poll_seconds=0.05,
        vapid_private_key_path=str(path.parent / "vapid.pem"),
    )
    config.configure(settings)
    engine = make_engine(settings.database_url)
    with make_session_factory(engine)() as db:
        seed_demo(db)
    engine.dispose()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline, "live server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)
    config.configure(None)


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
