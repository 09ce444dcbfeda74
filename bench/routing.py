"""Courier routes: the 56 Solomon VRPTW instances (100 stops, 25 vans, capacity and time
windows; ../shared/data/vrptw) solved by `kosmos.delivery.routing.solver.solve` (VROOM
through pyvroom), each compared with the best known distance when only distance counts
(`BKS.json`, the `<name>_distance` keys; vehicle count free).

Per instance: vans used, our distance, the best known, the gap
(ours - best) / best in %, the wall-clock seconds of `solve` (building VROOM's input,
solving, reading the plan back; the matrix is built before the clock starts) and the CPU
seconds the process spent in it (all threads; unlike wall-clock time it hardly moves when
other work shares the machine, so a slow run can be told apart from a busy machine). Overall:
median and mean gap, worst gap, mean and max solve seconds, and the goals: median gap
<= 2 %, mean solve time <= 1 s per instance. Instances run one after another; VROOM itself
uses `--threads` (default: the solver's, 2). Search effort: the solver's default
(`--searches`, `--depth`), or one of VROOM's own levels with `--exploration 1..5`.

    .venv/bin/python bench/routing.py [--instances C101,R201] [--exploration N]
        [--searches N] [--depth N] [--threads N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _table import print_table, write_json  # noqa: E402

from kosmos.delivery.routing import solomon, solver  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "vrptw"
GOAL_MEDIAN_GAP_PCT = 2.0
GOAL_MEAN_SECONDS = 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DATA, help="folder of *.txt and BKS.json")
    parser.add_argument("--instances", default="", help="comma-separated names, e.g. C101,R201")
    parser.add_argument(
        "--exploration", type=int, default=None, help="VROOM level 1-5 instead of searches/depth"
    )
    parser.add_argument("--searches", type=int, default=solver.SEARCHES)
    parser.add_argument("--depth", type=int, default=solver.DEPTH)
    parser.add_argument("--threads", type=int, default=solver.THREADS)
    args = parser.parse_args()

    best = json.loads((args.data / "BKS.json").read_text())
    paths = sorted(args.data.glob("*.txt"), key=_order)
    if args.instances:
        wanted = {n.strip().upper() for n in args.instances.split(",") if n.strip()}
        paths = [p for p in paths if p.stem.upper() in wanted]
        missing = wanted - {p.stem.upper() for p in paths}
        if missing:
            raise SystemExit(f"no such instance: {', '.join(sorted(missing))}")

    rows, results = [], []
    for path in paths:
        instance = solomon.read(path)
        matrix = instance.matrix()
        started, cpu_started = time.perf_counter(), time.process_time()
        plan = solver.solve(
            instance.stops,
            instance.vans,
            matrix,
            searches=args.searches,
            depth=args.depth,
            exploration=args.exploration,
            threads=args.threads,
        )
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        known = float(best[f"{path.stem}_distance"]["best_known_cost"])
        gap = (plan.total_distance - known) / known * 100
        rows.append(
            [
                path.stem,
                plan.vans_used,
                len(plan.unassigned),
                plan.total_distance,
                known,
                round(gap, 2) + 0.0,  # + 0.0: no "-0.00"
                seconds,
                cpu,
            ]
        )
        results.append(
            {
                "instance": path.stem,
                "vans": plan.vans_used,
                "unassigned": len(plan.unassigned),
                "distance": round(plan.total_distance, 3),
                "best_known": known,
                "gap_pct": round(gap, 3),
                "seconds": round(seconds, 4),
                "cpu_seconds": round(cpu, 4),
            }
        )
        print(f"{path.stem}: {gap:.2f} % in {seconds:.2f} s", file=sys.stderr, flush=True)
    if not results:
        raise SystemExit("no instances")

    gaps = [r["gap_pct"] for r in results]
    times = [r["seconds"] for r in results]
    cpus = [r["cpu_seconds"] for r in results]
    effort = (
        f"exploration {args.exploration}"
        if args.exploration is not None
        else f"{args.searches} searches, depth {args.depth}"
    )
    worst = max(results, key=lambda r: r["gap_pct"])
    median_gap, mean_time = statistics.median(gaps), statistics.fmean(times)
    goal_met = median_gap <= GOAL_MEDIAN_GAP_PCT and mean_time <= GOAL_MEAN_SECONDS
    print_table(
        f"Solomon VRPTW, {len(results)} instances, VROOM ({effort}, {args.threads} threads), "
        "distance minimised (gap to the distance-only best known)",
        ["instance", "vans", "unassigned", "distance", "best known", "gap %", "solve s", "cpu s"],
        rows,
    )
    print(
        f"overall: median gap {median_gap:.2f} %, mean gap {statistics.fmean(gaps):.2f} %, "
        f"worst {worst['gap_pct']:.2f} % ({worst['instance']}), "
        f"solve mean {mean_time:.3f} s, max {max(times):.3f} s (cpu mean "
        f"{statistics.fmean(cpus):.3f} s), "
        f"unassigned {sum(r['unassigned'] for r in results)}"
    )
    print(
        f"goal median gap <= {GOAL_MEDIAN_GAP_PCT:g} % and mean solve <= "
        f"{GOAL_MEAN_SECONDS:g} s: {'met' if goal_met else 'NOT met'}"
    )
    path = write_json(
        "routing",
        {
            "solver": "vroom (pyvroom)",
            "exploration": args.exploration,
            "searches": None if args.exploration is not None else args.searches,
            "depth": None if args.exploration is not None else args.depth,
            "threads": args.threads,
            "precision": solver.PRECISION,
            "instances": results,
            "overall": {
                "count": len(results),
                "median_gap_pct": round(median_gap, 3),
                "mean_gap_pct": round(statistics.fmean(gaps), 3),
                "worst_gap_pct": worst["gap_pct"],
                "worst_instance": worst["instance"],
                "mean_seconds": round(mean_time, 4),
                "max_seconds": round(max(times), 4),
                "mean_cpu_seconds": round(statistics.fmean(cpus), 4),
                "unassigned": sum(r["unassigned"] for r in results),
            },
            "goals": {
                "median_gap_pct": GOAL_MEDIAN_GAP_PCT,
                "mean_seconds": GOAL_MEAN_SECONDS,
                "met": goal_met,
            },
        },
    )
    print(f"written {path}")


def _order(path: Path) -> tuple[str, int]:
    """C101 .. C208, R101 .. R211, RC101 .. RC208: class letters, then the number."""
    letters = path.stem.rstrip("0123456789")
    return letters, int(path.stem[len(letters) :])


if __name__ == "__main__":
    main()
