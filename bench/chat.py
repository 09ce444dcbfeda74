"""The messenger: delivered messages per second and send-to-receive latency over WebSockets,
memory per idle connection, on one server process, on two with Redis, and the floor.

Setup (a fresh SQLite file, WAL with synchronous=FULL as `kosmos.db` sets; or with
`--pg URL` a fresh PostgreSQL database `kosmos_bench_chat`, dropped afterwards): migrate,
`--clients` users with a bearer token each (scopes read+write), groups of `--group-size`
(10) made with `conversations.create_group`. argon2 costs ~0.25 s a user, so one user
signs up through `sign_up` and the others are inserted with a copy of its password hash
(`--hash-all` signs every user up); tokens and groups go through the services.

Load: `--generators` (2) load-generator processes (bench/_chat_load.py, asyncio with the
`websockets` client, uvloop) hold the clients' sockets, on loopback only. Each client
connects to /api/v1/chat/events, sends `{"type": "auth", "token": ...}` and waits for
`hello`. Open loop at `--rate` messages/s: message k is due at start + k / rate, sent by
the members of the groups in turn (each client sends rate / clients per second, far under
the per-user limit of 2/s), over the sender's own socket as a `send` frame; its text
starts with its due time (time.time_ns(): one clock for all processes on the machine).
Every member's socket that gets the `message` event records now - due: one delivery
(the sender's own copy is not counted: 9 deliveries per message in groups of 10).
Queueing anywhere, the load generator's own included, counts in the latency.

- "deliveries/s": deliveries of the messages due after the first `--warmup` second,
  divided by the time from the first of them arriving to the last, at least the time
  they were due in (the server keeping up gives rate x 9; one falling behind spreads the
  arrivals out). "errors": `error` frames (e.g. 429 from the send limit), sends not
  answered, deliveries missing after the drain (`--drain` s), sockets dropped, messages
  not sent because the server fell behind. Clients that could not connect show in
  "clients" (their messages are not sent, and no delivery to them is expected).
- "cpu ms/delivery": CPU of the server process(es) from the start of the run until its
  outbox relay has relayed the run's `chat.message_sent` events (the relay runs inside
  `kosmos serve`, as in production), per delivery. Redis's own CPU is shown apart.
- "KiB/idle conn": server RSS (VmRSS of every process in the server's process group)
  once all clients are connected, authenticated and idle, minus the RSS with half of
  them (so one-time growth, the thread pool and the database pool, is left out), divided
  by the other half. The JSON also has it counted from before any client (after a
  warm-up exchange of two clients).

Rows: kosmos serve, one process (in-memory hub), at `--rate`, then a ramp (`--ramp`,
`--ramp-seconds` per step, at most `--ramp-steps`): up (1.5x, 2x, 3x) while rows pass,
down while they fail, then between the best pass and the lowest fail until within 30 %
(a row passes with p99 <= 100 ms, >= 97 % of the offered deliveries/s, no errors); two
`kosmos serve` processes on two ports sharing the database, with `KOSMOS_REDIS_URL`
(`--redis`) and a fresh `KOSMOS_REDIS_PREFIX` (its keys removed afterwards), clients
alternating between the ports (every group has members on both), at `--rate` and at the
highest rate one process passed ("kosmos max"); the floor (bare broadcast), the same
ramp and rows. Open loop means a server that falls behind is not waited for: a
generator stops sending once 2 s worth of its sends are unanswered (the rest counts as
errors), and the next row waits until the server is idle again. Then the idle memory
once more with clients that do not offer permessage-deflate (`--no-memory-plain`: not).

The floor (bench/_chat_floor.py): a Starlette app served by uvicorn with the arguments
`kosmos serve` passes (uvloop, httptools, the `websockets` sans-I/O protocol,
permessage-deflate), the same clients, groups, rates and event bytes, a queue and a writer
task per socket as kosmos has; no database, no authentication, nothing stored.

Goals: >= 5,000 deliveries/s with p99 <= 100 ms on one process at 1,000 clients; at most
50 KiB per idle connection.

    .venv/bin/python bench/chat.py [--clients 1000] [--rate 600] [--seconds 10]
        [--ramp auto|none|900,1200] [--ramp-seconds 5] [--generators 2]
        [--only one,two,floor] [--redis redis://127.0.0.1:6379/14] [--pg URL]
        [--no-compression] [--profile 10]   # py-spy of the one-process server, 10 s
        [--keep]   # keep the work directory: database, server and generator logs

Writes bench/results/chat.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import queue
import resource
import shutil
import signal
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).parent))
from _chat_load import sender_of  # noqa: E402
from _chat_world import (  # noqa: E402
    BIN,
    EVENTS_PATH,
    HERE,
    Proc,
    Server,
    World,
    build_world,
    cpu_seconds,
    floor_server,
    kosmos_server,
    outbox_backlog,
    stop_all,
    wait_outbox_drained,
)
from _ledger_loop import percentiles  # noqa: E402
from _table import print_table, write_json  # noqa: E402

from kosmos import clock  # noqa: E402
from kosmos.chat import limits  # noqa: E402
from kosmos.db import make_engine  # noqa: E402

GOAL_DELIVERIES = 5000.0
GOAL_P99_MS = 100.0
GOAL_CLIENTS = 1000
GOAL_KIB_PER_CONN = 50.0
KEEP_UP = 0.97  # a ramp step passes when this share of the offered deliveries/s arrives


class Generator:
    """One bench/_chat_load.py process and its JSON lines."""

    def __init__(self, config: dict[str, Any], work: Path, n: int) -> None:
        path = work / f"load-{n}-{uuid.uuid4().hex[:6]}.json"
        path.write_text(json.dumps(config))
        argv = [sys.executable, str(HERE / "_chat_load.py"), str(path)]
        self.proc = Proc(argv, dict(os.environ), work / f"load-{n}.log", pipes=True)
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.proc.proc.stdout is not None
        for line in self.proc.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def send(self, cmd: dict[str, Any]) -> None:
        assert self.proc.proc.stdin is not None
        self.proc.proc.stdin.write(json.dumps(cmd) + "\n")
        self.proc.proc.stdin.flush()

    def expect(self, event: str, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            try:
                line = self.lines.get(timeout=max(left, 0.01))
            except queue.Empty:
                raise TimeoutError(f"load generator: no {event!r} in {timeout:.0f} s") from None
            if line is None:
                raise RuntimeError(f"load generator exited: {self.proc.log_tail()}")
            answer = json.loads(line)
            if answer.get("event") == event:
                return answer  # type: ignore[no-any-return]


# --- one setup: servers, clients connected, runs ------------------------------------------


def warm_up(urls: list[str], tokens: list[str], conversation_id: int) -> None:
    """Two members of one group exchange a message: code paths and pools are warm before
    the memory baseline is taken."""
    from websockets.sync.client import connect

    with contextlib.ExitStack() as stack:
        socks = []
        for url, token in zip(urls, tokens, strict=True):
            ws = stack.enter_context(connect(url, open_timeout=10))
            socks.append(ws)
            ws.send(json.dumps({"type": "auth", "token": token}))
            while json.loads(ws.recv(timeout=10)).get("type") != "hello":
                pass
        frame = {"type": "send", "conversation_id": conversation_id, "text": "0 0 0 warm-up",
                 "client_id": uuid.uuid4().hex}  # fmt: skip
        socks[0].send(json.dumps(frame))
        while json.loads(socks[-1].recv(timeout=10)).get("type") != "message":
            pass


def settle_rss(servers: list[Server], limit: float = 15.0) -> int:
    """Server RSS once it stops moving (2 s within 0.5 %), or after `limit` seconds."""
    readings: list[int] = []
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        readings.append(sum(s.rss() for s in servers))
        last = readings[-5:]
        if len(last) == 5 and max(last) - min(last) <= 0.005 * max(last):
            break
        time.sleep(0.5)
    return readings[-1]


class Setup:
    def __init__(
        self,
        label: str,
        servers: list[Server],
        client_url: Callable[[int], str],
        world: World,
        args: argparse.Namespace,
        work: Path,
        db_url: str | None,
        redis_pid: int | None = None,
    ) -> None:
        self.label, self.servers, self.client_url = label, servers, client_url
        self.world, self.args, self.work, self.db_url = world, args, work, db_url
        self.redis_pid = redis_pid
        self.generators: list[Generator] = []
        self.memory: dict[str, Any] = {}
        self.connected = 0
        self.online: set[int] = set()  # the clients connected

    def start(self) -> None:
        args, world = self.args, self.world
        for server in self.servers:
            server.wait_up()
        if self.db_url and wait_outbox_drained(self.db_url) is None:
            raise RuntimeError("the server's outbox relay did not catch up with the setup")
        warm_up([self.client_url(0), self.client_url(1)], world.tokens[:2],
                world.conversations[0])  # fmt: skip
        time.sleep(1.0)
        before = settle_rss(self.servers, limit=5)
        started = time.perf_counter()
        for n in range(args.generators):
            clients = [
                {"index": i, "url": self.client_url(i), "token": world.tokens[i],
                 "conversation_id": world.conversation_of(i, args.group_size)}
                for i in range(n, args.clients, args.generators)
            ]  # fmt: skip
            config = {
                "clients": clients,
                "compression": not args.no_compression,
                "connect_concurrency": 50,
                "connect_timeout": 60,
                "idle_timeout": args.timeout,
            }
            self.generators.append(Generator(config, self.work, n))
        failed: Counter[str] = Counter()
        retried: Counter[str] = Counter()
        first = 0
        for gen in self.generators:  # each opens half its clients, then the rest
            ready = gen.expect("ready", 400)
            first += ready["connected"]
            self.online.update(ready["connected_indices"])
            failed.update(ready["failed"])
            retried.update(ready["failed_first_try"])
        half = settle_rss(self.servers)
        for gen in self.generators:
            gen.send({"cmd": "connect_rest"})
        for gen in self.generators:
            ready = gen.expect("ready", 400)
            self.connected += ready["connected"]
            self.online.update(ready["connected_indices"])
            failed.update(ready["failed"])
            retried.update(ready["failed_first_try"])
        self.connected += first
        connect_s = time.perf_counter() - started
        after = settle_rss(self.servers)
        second = self.connected - first
        per_conn = (after - half) / second if second else 0.0
        self.memory = {
            "rss_before": before,
            "rss_half": half,
            "rss_idle": after,
            "connected": self.connected,
            "connected_first_half": first,
            "connect_failures": dict(failed),
            "connect_failures_first_try": dict(retried),
            "connect_seconds": connect_s,
            "bytes_per_idle_connection": per_conn,
            "bytes_per_idle_connection_from_zero": (
                (after - before) / self.connected if self.connected else 0.0
            ),
        }
        print(
            f"[{self.label}] {self.connected}/{args.clients} clients connected in "
            f"{connect_s:.1f} s{f' (failed: {dict(failed)})' if failed else ''}"
            f"{f' (failed at the first try: {dict(retried)})' if retried else ''}; RSS "
            f"{before / 2**20:.1f} MiB before, {half / 2**20:.1f} MiB with {first}, "
            f"{after / 2**20:.1f} MiB with {self.connected}: {per_conn / 1024:.1f} KiB per "
            f"idle connection (the second {second}), "
            f"{self.memory['bytes_per_idle_connection_from_zero'] / 1024:.1f} KiB from zero",
            flush=True,
        )

    def wait_idle(self, limit: float = 120.0) -> float:
        """Until the servers use under 15 % of a core for two seconds running (the last
        row's backlog worked off); returns the seconds waited."""
        started = time.monotonic()
        quiet = 0
        last = sum(s.cpu_seconds() for s in self.servers)
        while time.monotonic() - started < limit and quiet < 2:
            time.sleep(1.0)
            now = sum(s.cpu_seconds() for s in self.servers)
            quiet = quiet + 1 if now - last < 0.15 else 0
            last = now
        return time.monotonic() - started

    def run(self, rate: float, seconds: float, path: str) -> dict[str, Any]:
        args = self.args
        waited = self.wait_idle()
        if waited > 5:
            print(f"[{self.label}] waited {waited:.0f} s for the server to go idle", flush=True)
        tag = uuid.uuid4().hex[:8]
        start_ns = time.time_ns() + 500_000_000
        cmd = {
            "cmd": "run", "tag": tag, "start_ns": start_ns, "rate": rate, "seconds": seconds,
            "warmup": args.warmup, "drain": args.drain, "total_clients": args.clients,
            "group_size": args.group_size,
        }  # fmt: skip
        server_cpu = sum(s.cpu_seconds() for s in self.servers)
        gen_cpu = sum(g.proc.cpu_seconds() for g in self.generators)
        redis_cpu = cpu_seconds([self.redis_pid]) if self.redis_pid else None
        wall = time.perf_counter()
        for gen in self.generators:
            gen.send(cmd)
        results = [g.expect("result", seconds + args.drain + 90) for g in self.generators]
        gen_cpu = sum(g.proc.cpu_seconds() for g in self.generators) - gen_cpu
        gen_wall = time.perf_counter() - wall
        unrelayed = outbox_backlog(self.db_url) if self.db_url else None
        drained = wait_outbox_drained(self.db_url) if self.db_url else None
        server_cpu = sum(s.cpu_seconds() for s in self.servers) - server_cpu
        if redis_cpu is not None:
            redis_cpu = cpu_seconds([self.redis_pid]) - redis_cpu  # type: ignore[list-item]
        row = summarize(results, rate, seconds, args, start_ns, self.online)
        deliveries = row["deliveries_total"]
        row.update(
            path=path,
            server=self.label,
            processes=len(self.servers),
            clients=self.connected,
            cpu_ms_per_delivery=server_cpu * 1000 / deliveries if deliveries else None,
            server_cpu_s=server_cpu,
            redis_cpu_ms_per_delivery=(
                redis_cpu * 1000 / deliveries if redis_cpu is not None and deliveries else None
            ),
            generator_cpu_percent=gen_cpu * 100 / gen_wall,
            server_rss=sum(s.rss() for s in self.servers),
            outbox_unrelayed_at_end=unrelayed,
            outbox_drain_seconds=drained,
        )
        if row["per_second"] < KEEP_UP * row["offered_deliveries_per_second"]:
            row["kept_up"] = False
        errs = f", errors {row['errors']}" if row["errors"] else ""
        print(
            f"[{self.label}] {path:<12} {rate:7.0f} msg/s offered: {row['sent']:6} sent, "
            f"{row['per_second']:8.0f} deliveries/s, p50 {row.get('p50_ms', 0):7.1f} ms, "
            f"p99 {row.get('p99_ms', 0):8.1f} ms, cpu {row['cpu_ms_per_delivery'] or 0:.3f} "
            f"ms/delivery, generators {row['generator_cpu_percent']:.0f} % CPU{errs}",
            flush=True,
        )
        return row

    def stop(self) -> dict[str, int]:
        for gen in self.generators:
            try:
                gen.send({"cmd": "close"})
                gen.expect("closed", 20)
            except Exception:  # noqa: BLE001, S110 - stopped below anyway
                pass
        for gen in self.generators:
            gen.proc.stop()
        problems: Counter[str] = Counter()
        for server in self.servers:
            server.stop()
            problems.update(server.log_problems())  # the log file stays until the end
        return dict(problems.most_common(5))


def summarize(
    results: list[dict[str, Any]], rate: float, seconds: float, args: argparse.Namespace,
    start_ns: int, online: set[int],
) -> dict[str, Any]:  # fmt: skip
    """The generators' answers as one row. A client that could not connect is in the
    "clients" column; its messages are not sent ("sender not connected", not an error of
    the run) and no delivery to it is expected."""
    lat = sorted(v for r in results for v in r["latencies_ms"])
    acks = sorted(v for r in results for v in r["ack_ms"])
    errors: Counter[str] = Counter()
    for r in results:
        errors.update(r["errors"])
    unconnected = errors.pop("sender not connected", 0)
    gs = args.group_size
    acked = sum(len(r["acked_keys"]) for r in results)
    deliveries = sum(r["deliveries"] for r in results)
    expected = 0
    for r in results:
        for k in r["acked_keys"]:
            first = sender_of(k, args.clients, gs) // gs * gs
            expected += sum(1 for m in range(first, first + gs) if m in online) - 1
    sent = sum(r["sent"] for r in results)
    if deliveries < expected:
        errors[f"not delivered within {args.drain:g} s"] += expected - deliveries
    unanswered = sent - acked - sum(v for k, v in errors.items() if k.startswith("error frame"))
    if unanswered > 0:
        errors["send not answered"] += unanswered
    # over the time from the first to the last arrival of the measured deliveries, at least
    # the time they were due in: a server keeping up gives the offered rate whatever its
    # latency; one falling behind spreads the arrivals out
    first = min((r["first_measured_ns"] for r in results if r["first_measured_ns"]), default=0)
    last = max((r["last_measured_ns"] for r in results), default=0)
    span = max((last - first) / 1e9, seconds - args.warmup)
    per_second = len(lat) / span if lat and span > 0 else 0.0
    other: Counter[str] = Counter()
    for r in results:
        other.update(r["other_frames"])
    row: dict[str, Any] = {
        "rate": rate,
        "seconds": seconds,
        "offered_deliveries_per_second": rate * (args.group_size - 1),
        "scheduled": sum(r["scheduled"] for r in results),
        "not_sent_sender_not_connected": unconnected,
        "sent": sent,
        "acked": acked,
        "deliveries_total": deliveries,
        "deliveries_measured": len(lat),
        "own_copies": sum(r["own"] for r in results),
        "per_second": per_second,
        "errors": dict(errors),
        "other_frames": dict(other),
        "stale_frames": sum(r["stale"] for r in results),
        "open_sockets_after": sum(r["open_sockets"] for r in results),
        **percentiles(lat),
    }
    if acks:
        ack = percentiles(acks)
        row.update(ack_p50_ms=ack["p50_ms"], ack_p99_ms=ack["p99_ms"])
    return row


def passes(row: dict[str, Any]) -> bool:
    return (
        not row["errors"]
        and row.get("p99_ms", 1e9) <= GOAL_P99_MS
        and row["per_second"] >= KEEP_UP * row["offered_deliveries_per_second"]
    )


def ramp_cap(args: argparse.Namespace, label: str) -> float:
    """kosmos: beyond 0.9 x clients x 2/s every sender meets the per-user send limit."""
    return 0.9 * args.clients * limits.PER_SECOND if label.startswith("kosmos") else 1e12


def next_rate(args: argparse.Namespace, label: str, tried: list[dict[str, Any]]) -> float | None:
    """The ramp after the row at --rate: up (x1.5, x2, x3 of --rate) while rows pass; down
    while they fail (to 90 % of what the failing row delivered, at most half its rate);
    then steps between the best pass and the lowest fail while they are > 30 % apart."""
    if args.ramp == "none" or len(tried) > args.ramp_steps:
        return None
    if args.ramp != "auto":
        done = {r["rate"] for r in tried}
        rest = [float(r) for r in args.ramp.split(",") if r.strip() and float(r) not in done]
        return rest[0] if rest else None
    good = [r["rate"] for r in tried if passes(r)]
    bad = [r for r in tried if not passes(r)]
    lo = max(good, default=None)
    if not bad:  # everything passed: up
        ups = [args.rate * f for f in (1.5, 2, 3)]
        up = [r for r in ups if r > (lo or 0) and r <= ramp_cap(args, label)]
        return up[0] if up else None
    worst = min(bad, key=lambda r: r["rate"])
    hi = worst["rate"]
    if lo is None:  # everything failed: down
        achieved = worst["per_second"] / (args.group_size - 1)
        down = round(min(hi / 2, 0.9 * achieved) if achieved > 1 else hi / 2)
        return down if down >= 5 else None
    if hi / lo <= 1.3:
        return None
    return round((lo * hi) ** 0.5)


def bench_setup(
    setup: Setup, args: argparse.Namespace, ramp: bool = True, also: float | None = None
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Connect, then the row at --rate, the ramp, and a row at `also` (the highest rate one
    kosmos process passed at, for comparison at a load it sustains)."""
    rows: list[dict[str, Any]] = []
    try:
        setup.start()
        rows.append(setup.run(args.rate, args.seconds, "rate"))
        while ramp and (rate := next_rate(args, setup.label, rows)) is not None:
            rows.append(setup.run(rate, args.ramp_seconds, "ramp"))
        if also and also != args.rate:
            rows.append(setup.run(also, args.seconds, "kosmos max"))
        if args.profile and setup.label.startswith("kosmos, 1"):
            rows[0]["profile"] = profile(setup, args)
    finally:
        problems = setup.stop()
    for row in rows:
        row["memory"] = setup.memory
    for line, count in problems.items():
        print(f"[{setup.label}] server log, {count} x: {line}", flush=True)
    return rows, problems


# --- profile ------------------------------------------------------------------------------


def profile(setup: Setup, args: argparse.Namespace) -> dict[str, Any]:
    """py-spy (sampling the server from outside) during one more run at --rate."""
    import subprocess

    pid = setup.servers[0].proc.pid
    raw = setup.work / "py-spy.txt"
    spy = subprocess.Popen(
        [str(BIN / "py-spy"), "record", "--pid", str(pid), "--duration", str(int(args.profile)),
         "--rate", "100", "--format", "raw", "--threads", "--gil", "--nonblocking",
         "--output", str(raw)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        time.sleep(0.5)
        row = setup.run(args.rate, args.profile, "under py-spy")
        spy.wait(args.profile + 30)
    finally:
        if spy.poll() is None:
            os.killpg(spy.pid, signal.SIGKILL)
            spy.wait(5)
    found = summarize_profile(raw) if raw.exists() else {}
    found["run"] = {k: row[k] for k in ("per_second", "p50_ms", "p99_ms", "cpu_ms_per_delivery")
                    if k in row}  # fmt: skip
    return found


def summarize_profile(path: Path, top: int = 25) -> dict[str, Any]:
    """From py-spy's collapsed stacks: samples by thread, by leaf (self) function, and
    inclusive samples of kosmos, sqlalchemy, sqlite, websockets, json frames."""
    by_thread: Counter[str] = Counter()
    leaf: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack:
            continue
        n = int(count_text)
        total += n
        frames = stack.split(";")
        by_thread[_thread_kind(frames[0])] += n
        leaf[frames[-1]] += n
        seen = set()
        for frame in frames[1:]:
            if frame in seen:
                continue
            seen.add(frame)
            if any(key in frame for key in ("kosmos/", "sqlalchemy/", "websockets/", "json/",
                                              "starlette/", "uvicorn/", "anyio/")):  # fmt: skip
                inclusive[frame] += n
    share = {k: round(v * 100 / total, 1) for k, v in by_thread.most_common()} if total else {}
    return {
        "samples": total,
        "threads_percent": share,
        "self_percent": {k: round(v * 100 / total, 1) for k, v in leaf.most_common(top)},
        "inclusive_percent": {
            k: round(v * 100 / total, 1) for k, v in inclusive.most_common(top * 2)
        },
    }


def _thread_kind(first: str) -> str:
    """py-spy --threads puts `thread (TID): NAME` first."""
    name = first.partition(": ")[2] or first
    if "outbox" in name:
        return "outbox relay"
    if name == "MainThread":
        return "event loop"
    if "AnyIO worker" in name:
        return "thread pool (run_in_threadpool)"
    return name[:60]


# --- databases, Redis ---------------------------------------------------------------------


def with_pg_database(server_url: str, run: Callable[[str], Any]) -> Any:
    name = "kosmos_bench_chat"
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


def redis_info(url: str) -> tuple[int | None, str]:
    import redis

    client = redis.Redis.from_url(url)
    try:
        info = client.info("server")
        return int(info["process_id"]), str(info["redis_version"])
    finally:
        client.close()


def redis_cleanup(url: str, prefix: str) -> int:
    import redis

    client = redis.Redis.from_url(url)
    try:
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        for i in range(0, len(keys), 500):
            client.delete(*keys[i : i + 500])
        return len(keys)
    finally:
        client.close()


# --- the whole run ------------------------------------------------------------------------


def run_all(url: str, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    started = time.perf_counter()
    print(f"setup: {args.clients} users, groups of {args.group_size} ...", flush=True)
    world = build_world(url, args.clients, args.group_size, args.hash_all)
    world.setup["total_s"] = time.perf_counter() - started
    print(f"setup: {world.setup['users']}; {world.setup['total_s']:.1f} s in all", flush=True)
    durability = database_durability(url)
    sample_path = work / "sample.json"
    sample_path.write_text(json.dumps(world.sample))
    rows: list[dict[str, Any]] = []
    problems: dict[str, dict[str, int]] = {}
    only = set(args.only.split(","))
    redis_version = None
    memory_plain = None

    def kosmos_url(port: int) -> str:
        return f"ws://127.0.0.1:{port}{EVENTS_PATH}"

    if "one" in only:
        server = kosmos_server(url, work / "serve-one.log")
        setup = Setup("kosmos, 1 process", [server], lambda i: kosmos_url(server.port),
                      world, args, work, url)  # fmt: skip
        got, problems[setup.label] = bench_setup(setup, args)
        rows += got
        if not args.no_compression and args.memory_plain:
            memory_plain = memory_only(url, world, args, work)
    best = max((r["rate"] for r in rows if passes(r)), default=None)
    if "two" in only:
        prefix = f"kosmos-bench-chat-{uuid.uuid4().hex[:8]}"
        redis_pid, redis_version = redis_info(args.redis)
        try:
            pair = [
                kosmos_server(url, work / f"serve-two-{n}.log", args.redis, prefix)
                for n in range(2)
            ]
            setup = Setup("kosmos, 2 processes + Redis", pair,
                          lambda i: kosmos_url(pair[i % 2].port), world, args, work, url,
                          redis_pid)  # fmt: skip
            got, problems[setup.label] = bench_setup(setup, args, ramp=False, also=best)
            rows += got
        finally:
            removed = redis_cleanup(args.redis, prefix)
            print(f"Redis: removed {removed} keys under {prefix}:", flush=True)
    if "floor" in only:
        floor = floor_server(sample_path, work / "floor.log")
        setup = Setup(
            "floor (bare broadcast)", [floor],
            lambda i: f"ws://127.0.0.1:{floor.port}/ws?g="
            f"{world.conversation_of(i, args.group_size)}",
            world, args, work, None,
        )  # fmt: skip
        got, problems[setup.label] = bench_setup(setup, args, also=best)
        rows += got
    return {
        "setup": world.setup,
        "durability": durability,
        "redis_version": redis_version,
        "rows": rows,
        "memory_without_deflate": memory_plain,
        "server_log_problems": problems,
    }


def memory_only(url: str, world: World, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """The idle-connection memory once more with clients that do not offer
    permessage-deflate (uvicorn then keeps no zlib state per connection)."""
    plain = argparse.Namespace(**{**vars(args), "no_compression": True})
    server = kosmos_server(url, work / "serve-plain.log")
    setup = Setup("kosmos, 1 process, no deflate", [server],
                  lambda i: f"ws://127.0.0.1:{server.port}{EVENTS_PATH}", world, plain, work,
                  url)  # fmt: skip
    try:
        setup.start()
    finally:
        setup.stop()
    return setup.memory


def database_durability(url: str) -> str:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
                sync = conn.exec_driver_sql("PRAGMA synchronous").scalar()
                names = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}
                return f"SQLite journal_mode={mode}, synchronous={names.get(sync, sync)}"
            fsync = conn.exec_driver_sql("SHOW fsync").scalar()
            commit = conn.exec_driver_sql("SHOW synchronous_commit").scalar()
            return f"PostgreSQL fsync={fsync}, synchronous_commit={commit}"
    finally:
        engine.dispose()


# --- report -------------------------------------------------------------------------------


def goal_text(row: dict[str, Any], args: argparse.Namespace) -> str:
    if not row["server"].startswith("kosmos, 1") or row["path"] != "rate":
        return ""
    ok = (
        row["per_second"] >= GOAL_DELIVERIES
        and row.get("p99_ms", 1e9) <= GOAL_P99_MS
        and row["clients"] >= GOAL_CLIENTS
        and not row["errors"]
    )
    mem = row["memory"]["bytes_per_idle_connection"] / 1024 <= GOAL_KIB_PER_CONN
    return f"rate {'met' if ok else 'NOT met'}; memory {'met' if mem else 'NOT met'}"


def table_rows(rows: list[dict[str, Any]], args: argparse.Namespace) -> list[list[Any]]:
    out = []
    for r in rows:
        cpu = r.get("cpu_ms_per_delivery")
        redis_cpu = r.get("redis_cpu_ms_per_delivery")
        out.append(
            [
                r["server"], r["path"], r["clients"], f"{r['rate']:,.0f}", r["sent"],
                r["per_second"], r.get("p50_ms", 0.0), r.get("p99_ms", 0.0),
                r.get("max_ms", 0.0), sum(r["errors"].values()),
                "" if cpu is None else f"{cpu:.3f}"
                + ("" if redis_cpu is None else f" (+{redis_cpu:.3f} Redis)"),
                f"{r['server_rss'] / 2**20:.0f}",
                f"{r['memory']['bytes_per_idle_connection'] / 1024:.1f}",
                f"{r['generator_cpu_percent']:.0f}", goal_text(r, args),
            ]
        )  # fmt: skip
    return out


def ratio_lines(rows: list[dict[str, Any]]) -> list[str]:
    """kosmos next to the floor at the same offered rate: --rate, and the highest rate one
    kosmos process passed at."""

    def at(server: str, rate: float) -> dict[str, Any] | None:
        found = [r for r in rows if r["server"].startswith(server) and r["rate"] == rate]
        return found[-1] if found else None

    lines = []
    rates = sorted({r["rate"] for r in rows if r["path"] in ("rate", "kosmos max")})
    for rate in rates:
        floor = at("floor", rate)
        if floor is None or not floor["per_second"]:
            continue
        for name in ("kosmos, 1", "kosmos, 2"):
            row = at(name, rate)
            if row is None:
                continue
            cpu, fcpu = row.get("cpu_ms_per_delivery"), floor.get("cpu_ms_per_delivery")
            lines.append(
                f"{row['server']} / floor at {rate:g} msg/s: deliveries/s "
                f"{row['per_second']:,.0f} / {floor['per_second']:,.0f} = "
                f"{row['per_second'] / floor['per_second']:.2f}x; p50 "
                f"{row.get('p50_ms', 0):,.1f} vs {floor.get('p50_ms', 0):,.1f} ms; p99 "
                f"{row.get('p99_ms', 0):,.1f} vs {floor.get('p99_ms', 0):,.1f} ms"
                + (f"; server CPU per delivery {cpu / fcpu:.1f}x" if cpu and fcpu else "")
            )

    def best(server: str) -> dict[str, Any] | None:
        good = [r for r in rows if r["server"].startswith(server) and passes(r)]
        return max(good, key=lambda r: r["per_second"], default=None)

    top, ftop = best("kosmos, 1"), best("floor")
    if top and ftop:
        lines.append(
            f"Highest rate passing (p99 <= {GOAL_P99_MS:g} ms, >= {KEEP_UP:.0%} delivered, no "
            f"errors): kosmos 1 process {top['rate']:g} msg/s = {top['per_second']:,.0f} "
            f"deliveries/s; floor {ftop['rate']:g} msg/s = {ftop['per_second']:,.0f} "
            f"deliveries/s; ratio {top['per_second'] / ftop['per_second']:.2f}x (the ramp "
            "tries up to 3x --rate and stops within 30 %)"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--group-size", type=int, default=10)
    parser.add_argument("--rate", type=float, default=600, help="messages/s, all senders")
    parser.add_argument("--seconds", type=float, default=10, help="sending time per row")
    parser.add_argument("--warmup", type=float, default=1.0, help="first seconds not measured")
    parser.add_argument("--drain", type=float, default=15, help="max wait for late deliveries")
    parser.add_argument(
        "--ramp",
        default="auto",
        help="auto (up from --rate while rows pass, down while they fail), none, or a list",
    )
    parser.add_argument("--ramp-seconds", type=float, default=5)
    parser.add_argument("--ramp-steps", type=int, default=5, help="at most this many")
    parser.add_argument("--generators", type=int, default=2, help="load-generator processes")
    parser.add_argument("--only", default="one,two,floor")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--pg", help="PostgreSQL server URL instead of SQLite")
    parser.add_argument(
        "--no-compression",
        action="store_true",
        help="clients do not offer permessage-deflate (browsers do)",
    )
    parser.add_argument("--hash-all", action="store_true", help="argon2 for every user")
    parser.add_argument(
        "--memory-plain",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also measure idle memory with clients not offering permessage-deflate",
    )
    parser.add_argument(
        "--profile",
        type=float,
        default=0,
        metavar="SECONDS",
        help="py-spy the one-process server during one more run",
    )
    parser.add_argument("--keep", action="store_true", help="keep the work directory (logs)")
    parser.add_argument("--timeout", type=float, default=1800, help="hard limit, seconds")
    args = parser.parse_args()  # fmt: skip
    if args.clients % args.group_size or args.clients < 2 * args.group_size:
        parser.error("--clients must be a multiple of --group-size, at least two groups")
    if args.rate > args.clients * limits.PER_SECOND:
        parser.error(f"--rate above {args.clients * limits.PER_SECOND:g} msg/s would make every "
                     "sender hit the per-user send limit")  # fmt: skip
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # inherited by every child
    if hard < args.clients + 200:
        parser.error(f"open-file limit {hard} is too low for {args.clients} sockets")

    def too_long(_sig: int, _frame: Any) -> None:
        raise TimeoutError(f"bench/chat.py: over --timeout {args.timeout:g} s")

    signal.signal(signal.SIGALRM, too_long)
    signal.alarm(int(args.timeout))
    clock.set_clock(clock.Clock())
    load_before = os.getloadavg()
    work = Path(tempfile.mkdtemp(prefix="kosmos-bench-chat-"))
    try:
        if args.pg:
            result = with_pg_database(args.pg, lambda url: run_all(url, args, work))
        else:
            result = run_all(f"sqlite:///{work / 'chat.db'}", args, work)
    finally:
        signal.alarm(0)
        stop_all()
        if args.keep:
            print(f"kept {work} (database, server and load-generator logs)")
        else:
            shutil.rmtree(work, ignore_errors=True)
    load_after = os.getloadavg()
    rows = result["rows"]
    print_table(
        f"Messenger: {args.clients} WebSocket clients in groups of {args.group_size}, open loop, "
        f"{args.seconds:g} s per row ({args.ramp_seconds:g} s per ramp step), 9 deliveries per "
        f"message; {result['durability']}; {os.cpu_count()} CPUs shared by server, "
        f"{args.generators} load generators, database and Redis (load average "
        f"{load_before[0]:.1f} before, {load_after[0]:.1f} after)",
        ["server", "row", "clients", "msg/s offered", "sent", "deliveries/s", "p50 ms",
         "p99 ms", "max ms", "errors", "cpu ms/delivery", "RSS MiB", "KiB/idle conn",
         "gen CPU %", "goal"],
        table_rows(rows, args),
    )  # fmt: skip
    for line in ratio_lines(rows):
        print(line)
    if plain := result.get("memory_without_deflate"):
        ok = plain["bytes_per_idle_connection"] / 1024 <= GOAL_KIB_PER_CONN
        print(
            f"Idle memory with clients not offering permessage-deflate: "
            f"{plain['bytes_per_idle_connection'] / 1024:.1f} KiB per connection (kosmos, 1 "
            f"process; {plain['bytes_per_idle_connection_from_zero'] / 1024:.1f} KiB from zero): "
            f"memory goal {'met' if ok else 'NOT met'}"
        )
    for r in rows:
        if r["errors"]:
            print(f"{r['server']} {r['path']} {r['rate']:g}/s errors: {r['errors']}")
    print(
        f"Goals: >= {GOAL_DELIVERIES:,.0f} deliveries/s with p99 <= {GOAL_P99_MS:g} ms on one "
        f"process at {GOAL_CLIENTS:,} clients; <= {GOAL_KIB_PER_CONN:g} KiB per idle "
        f"connection.\nSetup: {result['setup']['users']}; tokens via create_access_token, "
        "groups via create_group. Deliveries count the 9 other members (the sender's own "
        "copy is received too, not counted). cpu ms/delivery: the server process(es) until "
        "the outbox relay (inside kosmos serve) drained; Redis apart. gen CPU %: the load "
        "generators together (100 % = one core). Clients "
        + ("do not offer" if args.no_compression else "offer")
        + " permessage-deflate (as browsers do)."
    )
    for r in rows:
        if r.get("outbox_drain_seconds") is None and r.get("outbox_unrelayed_at_end") is not None:
            print(f"{r['server']} {r['path']}: outbox NOT drained within 60 s")
    for r in rows:
        if "profile" in r:
            print_profile(r["profile"])
    path = write_json(
        "chat",
        {
            "command": " ".join(sys.argv),
            "args": vars(args),
            "load_average": {"before": load_before, "after": load_after},
            "goals": {"deliveries_per_second": GOAL_DELIVERIES, "p99_ms": GOAL_P99_MS,
                      "clients": GOAL_CLIENTS, "kib_per_idle_connection": GOAL_KIB_PER_CONN},
            **result,
        },
    )  # fmt: skip
    print(f"written {path}")


def print_profile(found: dict[str, Any]) -> None:
    run = found.get("run", {})
    print(
        f"\npy-spy of the one-process server ({found.get('samples', 0)} samples at 100/s "
        f"of the thread holding the GIL, --nonblocking; the run under py-spy: "
        f"{run.get('per_second', 0):,.0f} deliveries/s, p99 {run.get('p99_ms', 0):.1f} ms)"
    )
    print(
        "by thread:", ", ".join(f"{k} {v} %" for k, v in found.get("threads_percent", {}).items())
    )
    print("self time:")
    for k, v in list(found.get("self_percent", {}).items())[:15]:
        print(f"  {v:5.1f} %  {k}")
    print("inclusive (kosmos, sqlalchemy, websockets, json, starlette, uvicorn):")
    for k, v in list(found.get("inclusive_percent", {}).items())[:30]:
        print(f"  {v:5.1f} %  {k}")


if __name__ == "__main__":
    main()
