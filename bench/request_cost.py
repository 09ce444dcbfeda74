"""What one API request costs inside the app: CPU per request through the ASGI app itself
(`create_app()`, every middleware, routing, dependencies, the endpoint, the response), with
no server and no network, one request after another on one event loop.

Requests: `GET /healthz`; `POST /api/v1/wallet/payments` without a token (401: the
middleware, routing and error path with no database work); `GET /api/v1/wallet` with a
bearer token (authentication and three small reads); the payment itself (1 cent under an
Idempotency-Key, as bench/ledger.py sends it). CPU is the process's (all threads), so the
thread-pool hops of sync dependencies and endpoints are in it.

It measures the framework's share of a request, e.g. across FastAPI versions (route
matching: see the pin in pyproject.toml). The database is a fresh SQLite file, or
PostgreSQL with `--pg` (database `kosmos_bench_request_cost`, dropped afterwards).

    .venv/bin/python bench/request_cost.py [--requests 500] [--rounds 3] [--pg URL]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
import fastapi  # noqa: E402
from _ledger_world import PAY_PATH, World, build_world, reset_sca_counters  # noqa: E402
from _table import print_table, write_json  # noqa: E402
from ledger import with_pg_database  # noqa: E402

from kosmos import clock  # noqa: E402

Scope = dict[str, Any]


def request(method: str, path: str, headers: dict[str, str], body: bytes = b"") -> Scope:
    raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    raw += [(b"host", b"bench"), (b"content-length", str(len(body)).encode())]
    return {
        "type": "http", "http_version": "1.1", "method": method, "path": path,
        "raw_path": path.encode(), "query_string": b"", "headers": raw, "scheme": "http",
        "server": ("127.0.0.1", 80), "client": ("127.0.0.1", 50000), "root_path": "",
        "body": body,
    }  # fmt: skip


def kinds(world: World) -> dict[str, tuple[int, Callable[[int], Scope]]]:
    """name -> (expected status, request n -> scope)."""
    auth = {"Authorization": f"Bearer {world.tokens[0]}"}
    pay = json.dumps({"merchant_id": world.merchants[0], "amount": 1, "description": "bench"})
    json_type = {"Content-Type": "application/json"}
    return {
        "GET /healthz": (200, lambda n: request("GET", "/healthz", {})),
        "POST payment, no token (401)": (
            401, lambda n: request("POST", PAY_PATH, json_type, b"{}")
        ),
        "GET /api/v1/wallet": (200, lambda n: request("GET", "/api/v1/wallet", auth)),
        "POST payment": (
            201,
            lambda n: request(
                "POST", PAY_PATH,
                {**auth, **json_type, "Idempotency-Key": f"cost-{time.time_ns()}-{n}"},
                pay.encode(),
            ),
        ),
    }  # fmt: skip


async def call(app: Any, scope: Scope) -> int:
    body = scope.pop("body")
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return int(sent[0]["status"])


def measure(url: str, requests_n: int, rounds: int) -> list[dict[str, Any]]:
    world = build_world(url, 1)
    os.environ["KOSMOS_DATABASE_URL"] = url
    os.environ["KOSMOS_ENV"] = "development"
    from kosmos.app import create_app
    from kosmos.config import Settings

    app = create_app(Settings(), run_relay=False)  # no lifespan: the relay does not run
    loop = asyncio.new_event_loop()
    results: dict[str, list[float]] = {}
    try:
        for _ in range(rounds):
            for name, (status, make) in kinds(world).items():
                reset_sca_counters(world)

                async def run(count: int, make: Callable[[int], Scope] = make) -> list[int]:
                    return [await call(app, make(n)) for n in range(count)]

                loop.run_until_complete(run(20))  # warm
                started = time.process_time()
                statuses = loop.run_until_complete(run(requests_n))
                cpu = (time.process_time() - started) * 1000 / requests_n
                if wrong := [s for s in statuses if s != status]:
                    raise SystemExit(f"{name}: HTTP {wrong[0]}, expected {status}")
                results.setdefault(name, []).append(cpu)
    finally:
        loop.close()
        app.state.engine.dispose()
        world.engine.dispose()
    return [
        {"request": name, "cpu_ms": sorted(v)[len(v) // 2], "rounds": v}
        for name, v in results.items()
    ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=500, help="per kind and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pg", help="PostgreSQL server URL instead of SQLite")
    args = parser.parse_args()
    clock.set_clock(clock.Clock())
    work = Path(tempfile.mkdtemp(prefix="kosmos-bench-cost-"))
    try:
        if args.pg:
            rows = with_pg_database(
                args.pg,
                lambda url: {"rows": measure(url, args.requests, args.rounds)},
                name="kosmos_bench_request_cost",
            )["rows"]
            database = "PostgreSQL"
        else:
            rows = measure(f"sqlite:///{work / 'cost.db'}", args.requests, args.rounds)
            database = "SQLite"
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print_table(
        f"CPU per request inside the app ({database}, FastAPI {fastapi.__version__}; "
        f"{args.requests} requests x {args.rounds} rounds, median round)",
        ["request", "cpu ms/request", "rounds"],
        [[r["request"], f"{r['cpu_ms']:.2f}", " ".join(f"{x:.2f}" for x in r["rounds"])]
         for r in rows],
    )  # fmt: skip
    path = write_json(
        "request_cost",
        {"database": database, "fastapi": fastapi.__version__, "rows": rows},
    )
    print(f"written {path}")


if __name__ == "__main__":
    main()
