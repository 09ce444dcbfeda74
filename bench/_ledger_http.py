"""bench/ledger.py: HTTP. The servers (`kosmos serve`, and the bare server of the HTTP
floor), a keep-alive payer, the closed and the open loop, and a measured phase."""

from __future__ import annotations

import http.client
import itertools
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _ledger_bare_server import world_json
from _ledger_loop import Run, Worker, closed_loop
from _ledger_world import AMOUNT, BIN, OVERLOAD_S, PAY_PATH, World, reset_sca_counters
from _procs import group_cpu_seconds, wait_http_up
from sqlalchemy import func, select, text

from kosmos.wallet.tables import Payment


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """A server in its own process group; always stopped by `stop()`."""

    def __init__(self, argv: list[str], env: dict[str, str], port: int, log_path: Path) -> None:
        self.port = port
        self.log_path = log_path
        self._log = log_path.open("wb")
        self.proc = subprocess.Popen(
            argv, env={**os.environ, **env}, stdout=self._log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def wait_up(self, timeout: float = 60) -> None:
        wait_http_up(self.proc, self.port, self.log_tail, timeout)

    def cpu_seconds(self) -> float:
        """User + system CPU of every live process in the server's process group."""
        return group_cpu_seconds(self.proc.pid)

    def log_tail(self, lines: int = 20) -> str:
        self._log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def log_problems(self) -> dict[str, int]:
        """Lines of the server log that are not access-log lines, counted by text."""
        self._log.flush()
        found: Counter[str] = Counter()
        for line in self.log_path.read_text(errors="replace").splitlines():
            if (
                not line[:1].strip()  # traceback body
                or line.startswith(("(Background on this error", "The above exception"))
                or '"POST ' in line
                or '"GET ' in line
            ):
                continue
            if re.search(r"error|locked|traceback|exception", line, re.IGNORECASE):
                found[line.strip()[:160]] += 1
        return dict(found.most_common(5))

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
            except ProcessLookupError:
                pass
        self._log.close()


def kosmos_server(url: str, workers: int, log_path: Path) -> Server:
    """`kosmos serve`, as in production: its own outbox relay, the access log."""
    port = free_port()
    argv = [str(BIN / "kosmos"), "serve", "--host", "127.0.0.1", "--port", str(port),
            "--workers", str(workers)]  # fmt: skip
    env = {"KOSMOS_DATABASE_URL": url, "KOSMOS_ENV": "development"}
    return Server(argv, env, port, log_path)


def bare_server(world: World, threads: int, log_path: Path) -> Server:
    """The HTTP floor: `_ledger_bare_server.py` (bare uvicorn, the driver's rows)."""
    port = free_port()
    world_file = log_path.with_suffix(".json")
    world_file.write_text(world_json(world))
    script = Path(__file__).parent / "_ledger_bare_server.py"
    argv = [sys.executable, str(script), str(world_file), str(port), str(threads)]
    return Server(argv, {}, port, log_path)


class Payer:
    """One keep-alive connection posting payments."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.con = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def pay(self, token: str, merchant_id: int, key: str) -> int:
        body = json.dumps({"merchant_id": merchant_id, "amount": AMOUNT, "description": "bench"})
        headers = {
            "Authorization": f"Bearer {token}",
            "Idempotency-Key": key,
            "Content-Type": "application/json",
        }
        try:
            self.con.request("POST", PAY_PATH, body=body, headers=headers)
            response = self.con.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            self.con.close()
            self.con = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            raise
        return response.status


def http_closed(world: World, port: int, clients: int, seconds: float) -> Run:
    tag = uuid.uuid4().hex[:8]

    def make_worker(client: int) -> Worker:
        payer = Payer(port)
        token = world.tokens[client % len(world.tokens)]
        merchant_id = world.merchants[0]

        def call(n: int) -> None:
            status = payer.pay(token, merchant_id, f"http-{tag}-{client}-{n}")
            if status != 201:
                raise RuntimeError(f"HTTP {status}")

        return call, payer.con.close

    return closed_loop(clients, seconds, make_worker)


def http_open(
    world: World, port: int, rate: float, seconds: float, senders: int = 64, warm: float = 1.0
) -> Run:
    """Request i is due at start + i / rate; whichever sender is free takes it, and its
    latency runs from when it was due, so queueing behind a slow server is counted. When the
    schedule falls more than OVERLOAD_S behind, the rest is not sent (counted as errors).
    The same schedule runs `warm` seconds first, not measured: a server's pool connections
    opened, and their statements prepared, as after any minute of traffic."""
    if warm > 0:
        _open_loop(world, port, rate, warm, senders)
    return _open_loop(world, port, rate, seconds, senders)


def _open_loop(world: World, port: int, rate: float, seconds: float, senders: int) -> Run:
    tag = uuid.uuid4().hex[:8]
    total = int(rate * seconds)
    counter = itertools.count()
    lock = threading.Lock()
    overloaded = threading.Event()
    calls: list[tuple[float, float]] = []
    errors: Counter[str] = Counter()
    start = time.perf_counter() + 0.2

    def sender() -> None:
        payer = Payer(port)
        mine: list[tuple[float, float]] = []
        while not overloaded.is_set():
            with lock:
                i = next(counter)
            if i >= total:
                break
            due = start + i / rate
            pause = due - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            elif -pause > OVERLOAD_S:
                overloaded.set()
                break
            try:
                status = payer.pay(
                    world.tokens[i % len(world.tokens)], world.merchants[0], f"open-{tag}-{i}"
                )
                if status != 201:
                    with lock:
                        errors[f"HTTP {status}"] += 1
            except Exception as exc:  # noqa: BLE001 - counted
                with lock:
                    errors[type(exc).__name__] += 1
            mine.append((due, time.perf_counter()))
        payer.con.close()
        with lock:
            calls.extend(mine)

    threads = [threading.Thread(target=sender, daemon=True) for _ in range(senders)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if len(calls) < total:
        errors[f"not sent: {OVERLOAD_S:g} s behind schedule"] = total - len(calls)
    return Run(start, calls, errors)


def count_payments(world: World) -> int:
    with world.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(Payment)).scalar_one())


def outbox_backlog(world: World) -> int:
    with world.engine.connect() as conn:
        return int(
            conn.execute(
                text("SELECT count(*) FROM outbox_events WHERE relayed_at IS NULL")
            ).scalar_one()
        )


def wait_outbox_drained(world: World, timeout: float = 60) -> float | None:
    """Seconds until the server's relay has relayed every event; None if it did not."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if outbox_backlog(world) == 0:
            return time.perf_counter() - started
        time.sleep(0.25)
    return None


def http_phase(
    world: World, server: Server, run: Callable[[], Run], relay: bool = True
) -> tuple[Run, dict[str, Any]]:
    """Run one HTTP measurement, then let the relay drain the outbox; server CPU per payment
    counts everything the server did for these payments, the relay's deliveries included.
    `relay=False`: the bare server has no relay, its events stay in the outbox."""
    reset_sca_counters(world)
    cpu, paid = server.cpu_seconds(), count_payments(world)
    result = run()
    backlog = outbox_backlog(world)
    drained = wait_outbox_drained(world) if relay else None
    made = count_payments(world) - paid
    result.cpu_ms_per_payment = (server.cpu_seconds() - cpu) * 1000 / made if made else None
    if not relay:
        return result, {}
    return result, {"outbox_unrelayed_at_end": backlog, "outbox_drain_seconds": drained}
