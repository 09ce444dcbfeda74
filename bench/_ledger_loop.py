"""bench/ledger.py: closed-loop drivers (threads or processes) and the figures of a run."""

from __future__ import annotations

import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Engine

from kosmos.errors import Problem

# --- measuring ----------------------------------------------------------------------------


@dataclass
class Run:
    """Calls that started inside the measured window: (start, end) perf_counter pairs."""

    window_start: float
    calls: list[tuple[float, float]]
    errors: Counter[str]
    cpu_ms_per_payment: float | None = None

    def summary(self) -> dict[str, Any]:
        extra = {"errors": dict(self.errors), "cpu_ms_per_payment": self.cpu_ms_per_payment}
        if not self.calls:
            return {"payments": 0, "per_second": 0.0, **extra}
        last = max(end for _s, end in self.calls)
        lat = sorted((end - start) * 1000 for start, end in self.calls)
        return {
            "payments": len(lat),
            "per_second": len(lat) / (last - self.window_start),
            **percentiles(lat),
            **extra,
        }


def percentiles(ordered_ms: list[float]) -> dict[str, float]:
    if len(ordered_ms) < 2:
        v = ordered_ms[0] if ordered_ms else 0.0
        return {"p50_ms": v, "p99_ms": v, "max_ms": v, "mean_ms": v}
    q = statistics.quantiles(ordered_ms, n=100, method="inclusive")
    return {
        "p50_ms": q[49],
        "p99_ms": q[98],
        "max_ms": ordered_ms[-1],
        "mean_ms": statistics.fmean(ordered_ms),
    }


Worker = tuple[Callable[[int], None], Callable[[], None]]
"""(call(n), close()): one thread's payment call and how to release its connection."""


def closed_loop(
    clients: int,
    seconds: float,
    make_worker: Callable[[int], Worker],
    warmup: float = 1.0,
) -> Run:
    """`clients` threads call their worker back to back; calls before the window are warm-up.
    `make_worker(client)` runs in the thread (own connection or session)."""
    lock = threading.Lock()
    calls: list[tuple[float, float]] = []
    errors: Counter[str] = Counter()
    times: dict[str, float] = {}
    failures: list[BaseException] = []
    total = [0]

    def set_window() -> None:  # runs once, when every thread is ready, before any goes on
        now = time.perf_counter()
        times["start"] = now + warmup
        times["end"] = now + warmup + seconds

    barrier = threading.Barrier(clients, action=set_window)

    def thread(client: int) -> None:
        try:
            call, close = make_worker(client)
        except BaseException as exc:
            failures.append(exc)
            barrier.abort()
            raise
        mine: list[tuple[float, float]] = []
        n = 0
        try:
            barrier.wait()
            while True:
                start = time.perf_counter()
                if start >= times["end"]:
                    break
                try:
                    call(n)
                except Problem as exc:
                    with lock:
                        errors[exc.code] += 1
                except Exception as exc:  # noqa: BLE001 - counted, shown in the table
                    with lock:
                        errors[type(exc).__name__] += 1
                end = time.perf_counter()
                n += 1
                if start >= times["start"]:
                    mine.append((start, end))
        except threading.BrokenBarrierError:
            pass
        finally:
            close()
        with lock:
            calls.extend(mine)
            total[0] += n

    cpu = time.process_time()
    threads = [threading.Thread(target=thread, args=(c,), daemon=True) for c in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        raise RuntimeError(f"worker setup failed: {failures!r}")
    cpu_ms = (time.process_time() - cpu) * 1000 / total[0] if total[0] else None
    return Run(times["start"], calls, errors, cpu_ms)


def closed_loop_processes(
    clients: int,
    seconds: float,
    make_worker: Callable[[int], Worker],
    engine: Engine | None = None,
    warmup: float = 1.0,
) -> Run:
    """Like `closed_loop`, but each client is its own process (fork), as clients of a
    multi-process server are: Python work runs on every core instead of sharing one GIL.
    perf_counter is the system-wide monotonic clock, so the children's times compare."""
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    barrier = ctx.Barrier(clients)
    results = ctx.Queue()
    start_at = ctx.Value("d", 0.0)

    def child(client: int) -> None:
        if engine is not None:
            engine.dispose(close=False)  # the parent's pooled connections stay the parent's
        call, close = make_worker(client)
        if barrier.wait() == 0:
            start_at.value = time.perf_counter() + 0.2
        while start_at.value == 0.0:
            time.sleep(0.001)
        window = start_at.value + warmup
        end_at = window + seconds
        mine: list[tuple[float, float]] = []
        errors: Counter[str] = Counter()
        cpu, n = time.process_time(), 0
        try:
            while (start := time.perf_counter()) < end_at:
                try:
                    call(n)
                except Problem as exc:
                    errors[exc.code] += 1
                except Exception as exc:  # noqa: BLE001 - counted, shown in the table
                    errors[type(exc).__name__] += 1
                n += 1
                if start >= window:
                    mine.append((start, time.perf_counter()))
        finally:
            close()
        results.put((window, mine, dict(errors), time.process_time() - cpu, n))

    procs = [ctx.Process(target=child, args=(c,), daemon=True) for c in range(clients)]
    for proc in procs:
        proc.start()
    got = [results.get(timeout=seconds + warmup + 120) for _ in procs]
    for proc in procs:
        proc.join(10)
    calls = [pair for _w, mine, _e, _c, _n in got for pair in mine]
    errors: Counter[str] = Counter()
    for _w, _m, errs, _c, _n in got:
        errors.update(errs)
    total = sum(n for *_rest, n in got)
    cpu_ms = sum(c for _w, _m, _e, c, _n in got) * 1000 / total if total else None
    return Run(got[0][0], calls, errors, cpu_ms)
