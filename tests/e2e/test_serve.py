"""`kosmos serve --workers 2` as a real process: health, a page and the API answer."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from tests.conftest import SECRET

KOSMOS = str(Path(sys.executable).parent / "kosmos")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_with_two_workers(sqlite_url):
    port = _free_port()
    env = {
        **os.environ,
        "KOSMOS_DATABASE_URL": sqlite_url,
        "KOSMOS_SECRET_KEY": SECRET,
        "KOSMOS_ENV": "development",
    }
    proc = subprocess.Popen(
        [KOSMOS, "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                health = httpx.get(f"{base}/healthz", timeout=1)
                break
            except httpx.HTTPError:
                assert proc.poll() is None, proc.stderr.read().decode()
                assert time.monotonic() < deadline, "server did not come up"
                time.sleep(0.2)
        assert health.json() == {"status": "ok"}
        assert httpx.get(f"{base}/login").status_code == 200
        products = httpx.get(f"{base}/api/v1/products", params={"q": "wurst"})
        assert products.status_code == 200
        assert products.json() == {"items": [], "next_cursor": None}
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(15)
