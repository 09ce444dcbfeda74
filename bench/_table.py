"""Shared by the benchmarks: a readable table on stdout and JSON in bench/results/."""

from __future__ import annotations

import json
import platform
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results"


def print_table(title: str, headers: list[str], rows: list[list[Any]]) -> None:
    cells = [[str(h) for h in headers]] + [[_fmt(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    numeric = [all(_is_number(row[i]) for row in rows) for i in range(len(headers))]
    print(f"\n{title}")
    line = "+".join("-" * (w + 2) for w in widths)
    print(line)
    for n, row in enumerate(cells):
        print(
            " | ".join(
                c.rjust(w) if n and num else c.ljust(w)
                for c, w, num in zip(row, widths, numeric, strict=True)
            )
        )
        if n == 0:
            print(line)
    print(line)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) or (isinstance(value, str) and value.endswith("x"))


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def write_json(name: str, data: dict[str, Any]) -> Path:
    RESULTS.mkdir(exist_ok=True)
    data = {
        "benchmark": name,
        "measured_at": datetime.now(UTC).isoformat(),
        "machine": {
            "python": platform.python_version(),
            "cpu_count": _cpus(),
            "platform": platform.platform(),
        },
        **data,
    }
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False))
    return path


def _cpus() -> int:
    import os

    return os.cpu_count() or 0
