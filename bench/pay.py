"""The full QR round trip through the real server: the till creates a payment request,
the customer's phone scans its EMVCo payload and pays (Idempotency-Key), and the till's
open socket is told "paid". 50 merchant-customer pairs at once, one `kosmos serve`
process; every pair loops create -> scan -> pay -> notified for the given time.

Reported: round trips per second, and p50/p90/p99/max of the round trip (first request
sent to the till's notification received) and of each step.

    .venv/bin/python bench/pay.py [--pairs 50] [--seconds 20] [--db-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import websockets
from sqlalchemy import insert, select

sys.path.insert(0, str(Path(__file__).parent))
from _procs import group_cpu_seconds  # noqa: E402
from _table import print_table, write_json  # noqa: E402

from kosmos import clock  # noqa: E402
from kosmos.accounts import services as account_services  # noqa: E402
from kosmos.accounts.tables import User  # noqa: E402
from kosmos.catalog.tables import Merchant, MerchantStaff, Store  # noqa: E402
from kosmos.db import make_engine, make_session_factory  # noqa: E402
from kosmos.migrate import upgrade  # noqa: E402
from kosmos.wallet import sca, topups  # noqa: E402

BIN = Path(sys.executable).parent
AMOUNT = 100  # 1 EUR: far below the PIN limits for every round trip of a run
GOOD_CARD = "4242 4242 4242 4242"


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build_world(url: str, pairs: int) -> tuple[list[tuple[int, str, str]], float]:
    """`pairs` merchants (one store, one staff member each) and as many customers with
    money; returns (merchant id, staff token, customer token) per pair."""
    started = time.perf_counter()
    upgrade(url)
    engine = make_engine(url)
    factory = make_session_factory(engine, write=True)
    out = []
    with factory() as s:
        first = account_services.sign_up(
            s,
            username="payer0",
            email="payer0@example.org",
            password="bench-pay-secret",
            display_name="Payer 0",
        )
        now = clock.now()
        rows = [
            {
                "username": f"{kind}{i}",
                "email": f"{kind}{i}@example.org",
                "password_hash": first.password_hash,
                "display_name": f"{kind} {i}",
                "locale": "de",
                "is_active": True,
                "created_at": now,
            }
            for kind in ("payer", "till")
            for i in range(pairs)
            if (kind, i) != ("payer", 0)
        ]
        s.execute(insert(User.__table__), rows)
        users = {u.username: u for u in s.scalars(select(User))}
        for i in range(pairs):
            merchant = Merchant(
                slug=f"bench-shop-{i}",
                name=f"Bench Shop {i}",
                kind="butcher",
                description="",
                created_at=now,
            )
            s.add(merchant)
            s.flush()
            s.add(
                Store(
                    merchant_id=merchant.id,
                    slug=f"bench-store-{i}",
                    name=f"Store {i}",
                    street="Hauptstr. 1",
                    postcode="12345",
                    city="Musterstadt",
                    lat=52.0,
                    lon=13.0,
                    phone="",
                    opening_hours={},
                    created_at=now,
                )
            )
            s.add(
                MerchantStaff(
                    user_id=users[f"till{i}"].id,
                    merchant_id=merchant.id,
                    role="owner",
                    created_at=now,
                )
            )
            s.flush()
            _t, till_token = account_services.create_access_token(
                s, users[f"till{i}"], name="bench", scopes=["read", "write"], expires_in_days=None
            )
            _t, payer_token = account_services.create_access_token(
                s, users[f"payer{i}"], name="bench", scopes=["read", "write"], expires_in_days=None
            )
            out.append((merchant.id, till_token, payer_token))
        s.commit()
        for i in range(pairs):
            topups.top_up(s, users[f"payer{i}"], amount=500_00, source=GOOD_CARD)
            sca.security_of(s, users[f"payer{i}"].id)
            s.commit()
    engine.dispose()
    return out, time.perf_counter() - started


class Pair:
    def __init__(self, base: str, merchant_id: int, till: str, payer: str) -> None:
        self.base, self.merchant_id, self.till, self.payer = base, merchant_id, till, payer
        self.waiting: dict[str, asyncio.Future[float]] = {}
        self.trips: list[dict[str, float]] = []
        self.errors: list[str] = []

    async def listen(self, ready: asyncio.Event) -> None:
        ws_url = self.base.replace("http", "ws") + "/api/v1/chat/events"
        async with websockets.connect(ws_url, max_size=None) as ws:
            await ws.send(json.dumps({"type": "auth", "token": self.till}))
            hello = json.loads(await ws.recv())
            assert hello["type"] == "hello", hello
            ready.set()
            async for raw in ws:
                event = json.loads(raw)
                if event.get("type") == "page_updated" and event.get("status") == "paid":
                    waiter = self.waiting.pop(event["key"].removeprefix("pos:"), None)
                    if waiter is not None and not waiter.done():
                        waiter.set_result(time.perf_counter())

    async def loop(
        self, client: httpx.AsyncClient, until: float, every: float = 0.0, offset: float = 0.0
    ) -> None:
        """Round trips until `until`; with `every` > 0 one starts every `every` seconds
        (the first after `offset`), otherwise each right after the last (closed loop)."""
        till = {"Authorization": f"Bearer {self.till}"}
        payer = {"Authorization": f"Bearer {self.payer}"}
        start = time.perf_counter() + offset
        n = 0
        while time.perf_counter() < until:
            if every:
                due = start + n * every
                n += 1
                if due >= until:
                    return
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
            try:
                await self.once(client, till, payer)
            except httpx.TransportError as exc:  # counted; a dropped connection is retried
                self.errors.append(f"transport {type(exc).__name__}")

    async def once(
        self, client: httpx.AsyncClient, till: dict[str, str], payer: dict[str, str]
    ) -> None:
        t0 = time.perf_counter()
        made = await client.post(
            f"/api/v1/places/merchants/{self.merchant_id}/requests",
            headers=till,
            json={"amount": AMOUNT, "description": "Bench"},
        )
        if made.status_code != 201:
            self.errors.append(f"create {made.status_code}")
            return
        req = made.json()
        notified: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.waiting[req["reference"]] = notified
        t1 = time.perf_counter()
        seen = await client.post(
            "/api/v1/places/scan", headers=payer, json={"text": req["payload"]}
        )
        t2 = time.perf_counter()
        paid = await client.post(
            f"/api/v1/places/requests/{req['reference']}/pay",
            headers={**payer, "Idempotency-Key": str(uuid.uuid4())},
            json={},
        )
        t3 = time.perf_counter()
        if seen.status_code != 200 or paid.status_code != 201:
            self.errors.append(f"scan {seen.status_code} pay {paid.status_code} {paid.text[:80]}")
            self.waiting.pop(req["reference"], None)
            return
        try:
            t4 = await asyncio.wait_for(notified, timeout=10)
        except TimeoutError:
            self.errors.append("no notification within 10 s")
            return
        self.trips.append(
            {
                "total": t4 - t0,
                "create": t1 - t0,
                "scan": t2 - t1,
                "pay": t3 - t2,
                "notify": max(t4 - t3, 0.0),
            }
        )


async def run(
    base: str, world: list[tuple[int, str, str]], seconds: float, warmup: float, every: float
) -> tuple[list[Pair], float]:
    pairs = [Pair(base, m, t, p) for m, t, p in world]
    readies = [asyncio.Event() for _ in pairs]
    listeners = [asyncio.create_task(p.listen(r)) for p, r in zip(pairs, readies, strict=True)]
    await asyncio.wait_for(asyncio.gather(*(r.wait() for r in readies)), timeout=60)
    limits = httpx.Limits(max_connections=len(pairs) * 2, max_keepalive_connections=len(pairs) * 2)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        await asyncio.gather(*(p.loop(client, time.perf_counter() + warmup) for p in pairs))
        for p in pairs:
            p.trips.clear()
            p.errors.clear()
        started = time.perf_counter()
        n = len(pairs)
        await asyncio.gather(
            *(p.loop(client, started + seconds, every, every * i / n) for i, p in enumerate(pairs))
        )
        elapsed = time.perf_counter() - started
    for task in listeners:
        task.cancel()
    return pairs, elapsed


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pairs", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--db-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument(
        "--every",
        type=float,
        default=2.0,
        help="seconds between one pair's sales (0: closed loop, as fast as the server answers)",
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kosmos-bench-pay-"))
    url = args.db_url or f"sqlite:///{work / 'kosmos.db'}"
    print(f"building {args.pairs} merchant-customer pairs on {url.split('@')[-1]} ...", flush=True)
    world, setup_s = build_world(url, args.pairs)
    port = free_port()
    env = {
        **os.environ,
        "KOSMOS_DATABASE_URL": url,
        "KOSMOS_ENV": "development",
        "KOSMOS_BASE_URL": f"http://127.0.0.1:{port}",
    }
    log = (work / "server.log").open("w")
    server = subprocess.Popen(
        [str(BIN / "kosmos"), "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("server did not come up")
            time.sleep(0.2)
        cpu_before = group_cpu_seconds(server.pid)
        pairs, elapsed = asyncio.run(run(base, world, args.seconds, args.warmup, args.every))
        cpu = group_cpu_seconds(server.pid) - cpu_before
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(10)
        log.close()
        notes = [
            line
            for line in (work / "server.log").read_text().splitlines(True)
            if '" 20' not in line and not line.startswith("INFO")
        ]
        if notes:
            print("server log (not access lines), last 30:\n" + "".join(notes[-30:]))
        if args.db_url is None:
            shutil.rmtree(work, ignore_errors=True)
    trips = [t for p in pairs for t in p.trips]
    errors = [e for p in pairs for e in p.errors]
    if not trips:
        raise SystemExit(f"no round trip completed; errors: {errors[:5]}")
    rows = []
    for step in ("total", "create", "scan", "pay", "notify"):
        values = [t[step] for t in trips]
        rows.append(
            [
                step,
                pct(values, 0.5),
                pct(values, 0.9),
                pct(values, 0.99),
                max(values) * 1000,
                statistics.fmean(values) * 1000,
            ]
        )
    rate = len(trips) / elapsed
    db = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print_table(
        f"QR round trip (create request -> scan -> pay -> till notified), {args.pairs} pairs "
        f"({'closed loop' if not args.every else f'each a sale every {args.every:g} s'}), "
        f"one `kosmos serve` process on {db}, {elapsed:.1f} s: {len(trips)} round trips, "
        f"{rate:.1f} payments/s, {len(errors)} errors, server CPU {cpu / len(trips) * 1000:.1f} ms "
        f"per round trip",
        ["step", "p50 ms", "p90 ms", "p99 ms", "max ms", "mean ms"],
        rows,
    )
    goal = pct([t["total"] for t in trips], 0.99)
    print(f"goal p99 <= 150 ms: {'met' if goal <= 150 else 'NOT met'} ({goal:.1f} ms)")
    if errors:
        print("first errors:", errors[:5])
    path = write_json(
        f"pay-{db.lower()}-{'closed' if not args.every else 'paced'}",
        {
            "pairs": args.pairs,
            "every_s": args.every,
            "seconds": elapsed,
            "round_trips": len(trips),
            "per_second": rate,
            "errors": len(errors),
            "setup_s": setup_s,
            "server_cpu_s": cpu,
            "steps_ms": {
                r[0]: dict(zip(["p50", "p90", "p99", "max", "mean"], r[1:], strict=True))
                for r in rows
            },
        },
    )
    print(f"written {path}")


if __name__ == "__main__":
    main()
