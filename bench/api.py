"""API throughput: requests/s and latency percentiles for product GET and search, through
the real HTTP server (`kosmos serve`, a separate process) with wrk on loopback.

The floor is a bare uvicorn app answering a constant JSON body in the same run, so the
ratio shows what Kosmos costs on top of the server itself.

    .venv/bin/python bench/api.py [--products 10000] [--duration 10] [--connections 16]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from _table import print_table, write_json  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
BARE_APP = """
async def app(scope, receive, send):
    assert scope["type"] == "http"
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": b'{"status":"ok"}'})
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"server at {url} did not come up")


def wrk(url: str, duration: int, connections: int, threads: int = 1) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    pct = {
        m.group(1): _ms(m.group(2), m.group(3))
        for m in re.finditer(r"^\s+(50|90|99)%\s+([\d.]+)(us|ms|s)", out, re.M)
    }
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rps,
        "p50_ms": pct["50"],
        "p90_ms": pct["90"],
        "p99_ms": pct["99"],
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed (apt-get install wrk)")

    work = Path(tempfile.mkdtemp(prefix="kosmos-bench-api-"))
    env = {
        **os.environ,
        "KOSMOS_DATABASE_URL": f"sqlite:///{work / 'kosmos.db'}",
        "KOSMOS_ENV": "development",
    }
    kosmos = str(BIN / "kosmos")
    print(f"seeding demo + {args.products} synthetic products in {work} ...", flush=True)
    subprocess.run([kosmos, "migrate"], env=env, check=True, capture_output=True)
    subprocess.run([kosmos, "seed", "demo"], env=env, check=True, capture_output=True)
    subprocess.run(
        [kosmos, "seed", "catalog", "--products", str(args.products)],
        env=env,
        check=True,
        capture_output=True,
    )

    port, bare_port = free_port(), free_port()
    server = subprocess.Popen(
        [kosmos, "serve", "--port", str(port), "--workers", str(args.workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    (work / "bare.py").write_text(BARE_APP)
    bare = subprocess.Popen(
        [
            str(BIN / "uvicorn"),
            "bare:app",
            "--port",
            str(bare_port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        cwd=work,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_up(f"{base}/healthz")
        wait_up(f"http://127.0.0.1:{bare_port}/")
        product_id = httpx.get(f"{base}/api/v1/products?q=wuerstchen").json()["items"][0]["id"]
        targets = [
            ("bare uvicorn JSON (floor)", f"http://127.0.0.1:{bare_port}/"),
            ("GET /healthz", f"{base}/healthz"),
            ("GET /api/v1/products/{id}", f"{base}/api/v1/products/{product_id}"),
            ("GET /api/v1/products?q=wuerstchen", f"{base}/api/v1/products?q=wuerstchen"),
            ("GET /api/v1/products?q=bratwrust (typo)", f"{base}/api/v1/products?q=bratwrust"),
        ]
        results = {}
        for name, url in targets:
            print(f"wrk {args.duration}s x {args.connections} connections: {name}", flush=True)
            results[name] = wrk(url, args.duration, args.connections)
    finally:
        for proc in (server, bare):
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(10)
        shutil.rmtree(work, ignore_errors=True)

    floor = results["bare uvicorn JSON (floor)"]["rps"]
    rows = [
        [
            name,
            r["rps"],
            r["p50_ms"],
            r["p90_ms"],
            r["p99_ms"],
            r["non_2xx"],
            f"{floor / r['rps']:.1f}x",
        ]
        for name, r in results.items()
    ]
    print_table(
        f"API through `kosmos serve --workers {args.workers}` on SQLite "
        f"({args.products} synthetic + demo products), wrk -c{args.connections} "
        f"-d{args.duration}s on loopback",
        ["request", "req/s", "p50 ms", "p90 ms", "p99 ms", "non-2xx", "floor/this"],
        rows,
    )
    path = write_json(
        f"api-workers-{args.workers}",
        {
            "products": args.products,
            "duration_s": args.duration,
            "connections": args.connections,
            "workers": args.workers,
            "results": results,
        },
    )
    print(f"written {path}")


if __name__ == "__main__":
    main()
