"""Benchmarks' server processes: waiting until one answers, and the CPU it used."""

from __future__ import annotations

import http.client
import os
import subprocess
import time
from collections.abc import Callable
from pathlib import Path


def wait_http_up(
    proc: subprocess.Popen[bytes], port: int, log_tail: Callable[[], str], timeout: float = 60
) -> None:
    """Until `GET /healthz` on the port answers below 500; raises (with the log's tail)
    when the process exits or the timeout passes first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {log_tail()}")
        try:
            con = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            con.request("GET", "/healthz")
            if con.getresponse().status < 500:
                con.close()
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"server did not come up: {log_tail()}")


def group_pids(pgid: int) -> list[int]:
    """The live processes of a process group, from /proc."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # pgrp
            pids.append(int(entry.name))
    return pids


def group_cpu_seconds(pgid: int) -> float:
    """User + system CPU of every live process in the process group, from /proc."""
    total = 0
    for pid in group_pids(pgid):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # it ended meanwhile
        total += int(fields[11]) + int(fields[12])  # utime, stime: fields 14, 15
    return total / os.sysconf("SC_CLK_TCK")
