"""bench/ledger.py: the report. One table row per measured row, with its ratio to the
floor row it is compared with and whether it meets the issue's goal."""

from __future__ import annotations

from typing import Any

from _ledger_world import GOAL_FLOOR_SHARE, GOAL_HTTP_P99_MS, workloads


def table_rows(label: str, result: dict[str, Any], clients: int) -> list[list[Any]]:
    rows = sorted(result["rows"], key=lambda r: r["path"].startswith("HTTP"))
    floors = {(r["path"], r["workload"], r["clients"]): r for r in rows if "floor" in r["path"]}
    main = workloads(clients)[0].name
    out = []
    for r in rows:
        ratio, goal = "", ""
        if "floor" in r["path"]:
            ratio = "1.00x"
        elif floor := floors.get((_floor_path(r["path"]), r["workload"], r["clients"])):
            if "open loop" in r["path"]:  # both at the same rate: compare the p99
                ratio = f"p99 {r.get('p99_ms', 0) / max(floor.get('p99_ms', 0), 1e-9):.1f}x"
            elif floor["per_second"]:
                share = r["per_second"] / floor["per_second"]
                ratio = f"{share:.2f}x"
                if r["path"] == "service" and r["workload"] == main and r["clients"] == clients:
                    goal = "met" if share >= GOAL_FLOOR_SHARE else "NOT met"
        if "open loop" in r["path"]:
            ok = (
                r.get("p99_ms", 1e9) <= GOAL_HTTP_P99_MS
                and r["per_second"] >= 0.97 * r["target"]
                and not r["errors"]
            )
            goal = ("floor: " if "floor" in r["path"] else "") + ("met" if ok else "NOT met")
        cpu = r.get("cpu_ms_per_payment")
        out.append(
            [
                label, r["path"], r["workload"], r["clients"], r["per_second"],
                r.get("p50_ms", 0.0), r.get("p99_ms", 0.0), sum(r["errors"].values()),
                "" if cpu is None else f"{cpu:.2f}", ratio, goal,
            ]
        )  # fmt: skip
    return out


def _floor_path(path: str) -> str:
    """The floor row a row is compared with: service -> floor, service, processes -> floor,
    processes, HTTP ... -> HTTP floor ..."""
    if path.startswith("HTTP"):
        return path.replace("HTTP", "HTTP floor", 1)
    return path.replace("service", "floor", 1)
