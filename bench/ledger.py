"""Payments per second and latency: the service layer, HTTP, and the database's own floor.

For each database (a fresh SQLite file, and a fresh PostgreSQL database
`kosmos_bench_ledger`, dropped and recreated each run) the schema is migrated, then:

- Setup: `--clients` payers (sign up, a bearer token with scopes read+write), one merchant
  per payer, each payer topped up with 10 x 1,000 EUR through `topups.top_up` (sandbox
  card 4242 4242 4242 4242). Every payment is 1 cent. Strong customer authentication:
  a payment of at most 50 EUR needs no PIN until the payer's total since the last
  challenge passes 150 EUR (`sca.authorize_payment`); before each measured phase the
  bench sets `wallet_security.unchallenged_total = 0` by SQL (as if each payer had just
  confirmed with the PIN), so the 15,000 one-cent payments a payer may then make without
  a PIN are never exceeded; every payment still reads, locks and updates that counter.
- Service layer: `--clients` threads, each with its own write session
  (`make_session_factory(engine, write=True)`, a fresh session per payment), each call
  `idempotency.run(...)` around `payments.pay_merchant(..., amount=1, idem=claim)` with a
  unique key, as the route does, so the idempotency row and its answer are written.
- Floor: the same database, the same number of threads, the driver itself (sqlite3 /
  psycopg) committing the rows one payment writes, one transaction per payment, with no
  application logic: INSERT ledger_transfers, 2 ledger_entries, payments (with its receipt
  number), outbox_events, idempotency_keys (JSON bodies of the same shape and size), then
  UPDATE wallet_security and the 2 ledger_balances (in account-id order; on PostgreSQL the
  UPDATE takes the row lock, as late as possible), COMMIT. Same schema, indexes, triggers.
- Workloads for service and floor: "N payers -> 1 merchant" (every payment touches the
  merchant's balance row: the main figure), "N payers -> N merchants" (no shared row;
  PostgreSQL only: on SQLite every write takes the one database lock anyway), "1 hot
  wallet" (all clients pay from one payer to one merchant), and "N payers -> 1 merchant"
  with a single client (the path without any lock waits).
- HTTP (run first, so the server's outbox relay has only the setup's events to catch up
  on): `kosmos serve` in its own process (relay running inside, as in production), POST
  /api/v1/wallet/payments with a bearer token and an Idempotency-Key (the server's
  bearer cache at its default, 2 s: a token is looked up about once in 2 s per payer;
  `KOSMOS_BEARER_CACHE_SECONDS=0` looks it up on every request). Open loop at
  `--rate` payments/s (after 1 s of the same schedule, not measured, that opens the
  server's pool connections): request i is due at start + i/rate, a pool of `--senders` (64)
  keep-alive connections sends it, and its latency counts from when it was due, so queueing behind a
  slow server is measured (no coordinated omission); once the schedule is 5 s behind the
  rest is not sent and counted as errors. Then closed loop with `--clients` connections
  for the maximum. After each, the bench waits for the relay to drain the outbox, and
  reports the server's CPU per payment (request handling and relay together).
- HTTP floor: the same two measurements against a bare server (`_ledger_bare_server.py`:
  uvicorn as `kosmos serve` runs it, one plain ASGI function, the token looked up in a
  dict, the floor's rows committed through the driver on `--clients` threads; no
  framework, middleware, access log, relay or application logic). It shows what this
  machine can do over HTTP at all: "vs floor" is the throughput ratio for the closed loop
  and the p99 ratio for the open loop.
- "cpu ms/pay": CPU of the process doing the work per payment: the bench process for
  service and floor rows (Python, SQLAlchemy, the driver, and SQLite itself, which runs
  in-process; PostgreSQL's own CPU is not in it), the server for HTTP rows. It depends
  far less than payments/s on what else the machine is running.
- Afterwards `kosmos.wallet.ledger.verify` re-checks every ledger invariant on each
  database; a violation fails the run.

Durability: SQLite runs WAL with `synchronous=FULL` (what `kosmos.db` sets: a committed
payment survives power loss); PostgreSQL with fsync=on, synchronous_commit=on (the bench
prints what the server reports). On SQLite the service commits in groups
(`kosmos.sqlite_writers`: payments waiting for the writer turn share one COMMIT, and each
returns only once that COMMIT is on disk), as PostgreSQL does inside the server; the floor
commits every payment by itself, one transaction each, as specified above.

Goals: service layer >= 50 % of the floor ("N payers -> 1 merchant", `--clients`
concurrent clients as threads of one process, as the server runs them; the "processes"
rows are shown for a multi-process deployment and carry no goal); through HTTP p99 <= 25
ms at 200 payments/s, every payment answered 201.

    .venv/bin/python bench/ledger.py [--seconds 10] [--clients 8] [--only sqlite|postgresql]
        [--rate 200] [--senders 64] [--workers 1] [--pg postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
        [--profile 300]   # also: cProfile of 300 single-threaded service payments per database

Writes bench/results/ledger.json.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).parent))
from _ledger_floor import run_floor  # noqa: E402
from _ledger_http import (  # noqa: E402
    bare_server,
    http_closed,
    http_open,
    http_phase,
    kosmos_server,
    wait_outbox_drained,
)
from _ledger_loop import Run, Worker, closed_loop, closed_loop_processes  # noqa: E402
from _ledger_report import table_rows  # noqa: E402
from _ledger_world import (  # noqa: E402
    AMOUNT,
    GOAL_FLOOR_SHARE,
    GOAL_HTTP_P99_MS,
    Workload,
    World,
    build_world,
    durability,
    reset_sca_counters,
    service_payment,
    workloads,
)
from _table import print_table, write_json  # noqa: E402

from kosmos import clock  # noqa: E402
from kosmos.accounts.tables import User  # noqa: E402
from kosmos.db import make_engine, make_session_factory  # noqa: E402
from kosmos.wallet import ledger  # noqa: E402
from kosmos.wallet.tables import (  # noqa: E402
    LedgerEntry,
    LedgerTransfer,
)

# --- service layer ------------------------------------------------------------------------


def run_service(
    world: World, workload: Workload, clients: int, seconds: float, processes: bool = False
) -> Run:
    factory = make_session_factory(world.engine, write=True)
    with factory() as s:
        users = {u.id: u for u in s.scalars(select(User))}  # detached after close; ids suffice
    tag = uuid.uuid4().hex[:8]

    def make_worker(client: int) -> Worker:
        user = users[world.payers[workload.payer(client)]]
        merchant_id = world.merchants[workload.merchant(client)]

        def call(n: int) -> None:
            with factory() as session:
                answer = service_payment(session, user, merchant_id, f"svc-{tag}-{client}-{n}")
            if answer.status != 201:
                raise RuntimeError(f"status {answer.status}")

        return call, lambda: None

    if processes:
        return closed_loop_processes(clients, seconds, make_worker, world.engine)
    return closed_loop(clients, seconds, make_worker)


# --- profile ------------------------------------------------------------------------------


def profile_service(world: World, payments_n: int) -> str:
    """cProfile of single-threaded service payments: where a payment's time goes."""
    reset_sca_counters(world)
    factory = make_session_factory(world.engine, write=True)
    with factory() as s:
        user = s.get(User, world.payers[0])
    merchant_id = world.merchants[0]
    for n in range(20):  # warm caches
        with factory() as session:
            service_payment(session, user, merchant_id, f"prof-warm-{n}")
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for n in range(payments_n):
        with factory() as session:
            service_payment(session, user, merchant_id, f"prof-{n}")
    profiler.disable()
    took = time.perf_counter() - started
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    out.write(
        f"{payments_n} payments single-threaded under cProfile: "
        f"{took / payments_n * 1000:.2f} ms each (profiler overhead included)\n"
    )
    stats.sort_stats("tottime").print_stats(20)
    stats.sort_stats("cumulative").print_stats(r"kosmos|commit|flush|execute\b", 40)
    return out.getvalue()


# --- one database -------------------------------------------------------------------------


def plan(dialect: str, clients: int) -> list[tuple[Workload, int]]:
    """(workload, clients) for the service and floor rows. On SQLite every write takes the
    one database lock, so "N merchants" would measure the same as "1 merchant"; a single
    client shows the serialized path without lock waits."""
    main, spread, hot = workloads(clients)
    rows = [(main, clients)] + ([(spread, clients)] if dialect != "sqlite" else [])
    return [*rows, (hot, clients), (main, 1)]


class _SkipHttp(Exception):
    """--skip-http: only the service and floor rows."""


def http_floor(
    world: World, args: argparse.Namespace, work: Path, label: str, record: Callable[..., None]
) -> None:
    """The same two HTTP measurements against the bare server (`_ledger_bare_server.py`):
    what this machine can do over HTTP with the driver's rows and no framework or logic."""
    main = workloads(args.clients)[0].name
    server = bare_server(world, args.clients, work / f"bare-{label}.log")
    try:
        server.wait_up()
        run, extra = http_phase(
            world,
            server,
            lambda: http_open(world, server.port, args.rate, args.seconds, args.senders),
            relay=False,
        )
        path = f"HTTP floor {args.rate:g}/s open loop"
        record(path, main, args.senders, run, target=args.rate, **extra)
        run, extra = http_phase(
            world,
            server,
            lambda: http_closed(world, server.port, args.clients, args.seconds),
            relay=False,
        )
        record("HTTP floor max closed loop", main, args.clients, run, **extra)
    finally:
        server.stop()


def bench_database(label: str, url: str, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    print(f"[{label}] migrating, {args.clients} payers, {args.clients} merchants ...", flush=True)
    world = build_world(url, args.clients)
    result: dict[str, Any] = {"durability": durability(world), "rows": []}
    print(f"[{label}] {result['durability']}", flush=True)

    def record(path: str, workload: str, clients: int, run: Run, **extra: Any) -> None:
        row = {"path": path, "workload": workload, "clients": clients, **run.summary(), **extra}
        result["rows"].append(row)
        errs = f", errors {row['errors']}" if row["errors"] else ""
        print(
            f"[{label}] {path:<20} {workload:<26} {clients:>2} clients "
            f"{row['per_second']:8.1f}/s  p50 {row.get('p50_ms', 0):7.2f} ms  "
            f"p99 {row.get('p99_ms', 0):8.2f} ms{errs}",
            flush=True,
        )

    try:
        # HTTP first: the outbox then holds only the setup's events for the server's relay
        main = workloads(args.clients)[0].name
        log = work / f"serve-{label}.log"
        server = None if args.skip_http else kosmos_server(url, args.workers, log)
        try:
            if server is None:
                raise _SkipHttp
            server.wait_up()
            if wait_outbox_drained(world) is None:  # the setup's top-ups
                raise RuntimeError("the server's outbox relay did not catch up")
            run, extra = http_phase(
                world,
                server,
                lambda: http_open(world, server.port, args.rate, args.seconds, args.senders),
            )
            path = f"HTTP {args.rate:g}/s open loop"
            record(path, main, args.senders, run, target=args.rate, **extra)
            run, extra = http_phase(
                world, server, lambda: http_closed(world, server.port, args.clients, args.seconds)
            )
            record("HTTP max closed loop", main, args.clients, run, **extra)
            result["server_log_problems"] = problems = server.log_problems()
            for line, count in problems.items():
                print(f"[{label}] server log, {count} x: {line}", flush=True)
        except _SkipHttp:
            pass
        finally:
            if server is not None:
                server.stop()
        if not args.skip_http:
            http_floor(world, args, work, label, record)

        for workload, clients in plan(world.dialect, args.clients):
            reset_sca_counters(world)
            run = run_service(world, workload, clients, args.seconds)
            record("service", workload.name, clients, run)
            reset_sca_counters(world)
            run = run_floor(world, workload, clients, args.seconds)
            record("floor", workload.name, clients, run)
        # the same main workload with one process per client (a multi-process deployment)
        first = workloads(args.clients)[0]
        reset_sca_counters(world)
        run = run_service(world, first, args.clients, args.seconds, processes=True)
        record("service, processes", first.name, args.clients, run)
        reset_sca_counters(world)
        run = run_floor(world, first, args.clients, args.seconds, processes=True)
        record("floor, processes", first.name, args.clients, run)

        if args.profile:
            result["profile"] = profile_service(world, args.profile)
            print(f"[{label}] service profile\n{result['profile']}", flush=True)

        with make_session_factory(world.engine)() as session:
            violations = ledger.verify(session)
            transfers = session.scalar(select(func.count()).select_from(LedgerTransfer))
            entries = session.scalar(select(func.count()).select_from(LedgerEntry))
        result["verify"] = {
            "passed": not violations,
            "violations": [f"{v.rule}: {v.detail}" for v in violations[:20]],
            "transfers": transfers,
            "entries": entries,
        }
        verdict = "passed" if not violations else f"FAILED ({len(violations)} violations)"
        print(
            f"[{label}] ledger verify {verdict}: {transfers:,} transfers, {entries:,} entries",
            flush=True,
        )
    finally:
        world.engine.dispose()
    return result


def with_pg_database(
    server_url: str, run: Callable[[str], dict[str, Any]], name: str = "kosmos_bench_ledger"
) -> dict[str, Any]:
    admin = make_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        return run(make_url(server_url).set(database=name).render_as_string(hide_password=False))
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=10, help="measured seconds per row")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--skip-http", action="store_true", help="service and floor rows only")
    parser.add_argument("--rate", type=float, default=200, help="open-loop HTTP payments/s")
    parser.add_argument("--workers", type=int, default=1, help="kosmos serve --workers")
    parser.add_argument(
        "--senders", type=int, default=64, help="open loop: connections sending on schedule"
    )
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument(
        "--profile", type=int, default=0, metavar="N",
        help="also profile N single-threaded service payments per database (cProfile)",
    )  # fmt: skip
    args = parser.parse_args()
    clock.set_clock(clock.Clock())
    load_before = os.getloadavg()

    work = Path(tempfile.mkdtemp(prefix="kosmos-bench-ledger-"))
    results: dict[str, dict[str, Any]] = {}
    try:
        if args.only in (None, "sqlite"):
            results["SQLite"] = bench_database(
                "SQLite", f"sqlite:///{work / 'ledger.db'}", args, work
            )
        if args.only in (None, "postgresql"):
            results["PostgreSQL"] = with_pg_database(
                args.pg, lambda url: bench_database("PostgreSQL", url, args, work)
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    load_after = os.getloadavg()

    rows = [row for label, r in results.items() for row in table_rows(label, r, args.clients)]
    print_table(
        f"Payments of 1 cent (pay_merchant under an Idempotency-Key), {args.seconds:g} s per "
        f"row; kosmos serve --workers {args.workers}; {os.cpu_count()} CPUs shared by "
        f"clients, server and database (load average {load_before[0]:.1f} before, "
        f"{load_after[0]:.1f} after)",
        ["database", "path", "workload", "clients", "payments/s", "p50 ms", "p99 ms",
         "errors", "cpu ms/pay", "vs floor", "goal"],
        rows,
    )  # fmt: skip
    for label, r in results.items():
        v = r["verify"]
        print(
            f"{label}: {r['durability']}; ledger verify "
            f"{'passed' if v['passed'] else 'FAILED: ' + '; '.join(v['violations'])} "
            f"({v['transfers']:,} transfers, {v['entries']:,} entries)"
        )
    print(
        f"Goals: service layer >= {GOAL_FLOOR_SHARE:.0%} of the floor "
        f"({workloads(args.clients)[0].name}, {args.clients} clients); HTTP p99 <= "
        f"{GOAL_HTTP_P99_MS:g} ms at {args.rate:g} payments/s, all answered 201.\n"
        "cpu ms/pay: CPU of the bench process per payment (service: Python + SQLAlchemy, "
        "and SQLite itself; floor: the driver, and SQLite itself), or of the server process "
        "(HTTP: request handling and the outbox relay). PostgreSQL's own CPU is not in it.\n"
        "SCA: wallet_security.unchallenged_total is reset to 0 by SQL before each row (as "
        "after a PIN); 1-cent payments never reach the 150 EUR limit, so no PIN is asked."
    )
    for label, r in results.items():
        for row in r["rows"]:
            if "outbox_drain_seconds" in row:
                drained = row["outbox_drain_seconds"]
                print(
                    f"{label} {row['path']}: outbox events not yet relayed at the end "
                    f"{row['outbox_unrelayed_at_end']}, drained "
                    + (f"{drained:.1f} s later" if drained is not None else "NOT within 60 s")
                )
    for label, r in results.items():
        for line, count in r.get("server_log_problems", {}).items():
            print(f"{label} server log, {count} x: {line}")
    path = write_json(
        "ledger",
        {
            "seconds": args.seconds,
            "clients": args.clients,
            "rate": args.rate,
            "workers": args.workers,
            "amount_cents": AMOUNT,
            "load_average": {"before": load_before, "after": load_after},
            "goals": {"service_share_of_floor": GOAL_FLOOR_SHARE, "http_p99_ms": GOAL_HTTP_P99_MS},
            "results": results,
        },
    )
    print(f"written {path}")
    if not all(r["verify"]["passed"] for r in results.values()):
        raise SystemExit("ledger verify failed")


if __name__ == "__main__":
    main()
