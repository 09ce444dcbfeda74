"""Search latency at 100,000 products: the service layer against the engine's own index.

A synthetic catalog (`kosmos seed catalog`) is built in a fresh SQLite file and a fresh
PostgreSQL database. 1,000 mixed queries, drawn from the catalog's own product names
(a quarter each: exact words, prefixes, umlaut-folded spellings, one typo), run through
`kosmos.catalog.search.search_products` (what the API calls), and the same queries go
straight to the engine's full-text index with its own driver (the floor):
SQLite FTS5 `MATCH ... ORDER BY rank`, PostgreSQL `@@ to_tsquery ... ORDER BY ts_rank`.
Goal: p99 <= 10 ms at 100,000 products on SQLite through the service layer.

On SQLite an unfiltered search ranks the first `search.RANK_WINDOW` matches (by rowid) with
bm25, so the floor runs that same plan; a last row shows the engine ranking every match,
which is what the window saves on broad queries.

    .venv/bin/python bench/search.py [--products 100000] [--queries 1000]
        [--pg postgresql+psycopg://postgres@127.0.0.1:5432/postgres | --no-pg]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).parent))
from _table import print_table, write_json  # noqa: E402

from kosmos.catalog import search, search_text  # noqa: E402
from kosmos.catalog.synthetic import seed_synthetic  # noqa: E402
from kosmos.db import make_engine, make_session_factory  # noqa: E402
from kosmos.migrate import upgrade  # noqa: E402

KINDS = ("exact", "prefix", "umlaut", "typo")
UMLAUT_SPELLINGS = (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"))


def make_queries(names: list[str], n: int, seed: int = 7) -> list[tuple[str, str, str]]:
    """(kind, query, the folded word a good answer must contain)."""
    rng = random.Random(seed)
    with_umlaut = [nm for nm in names if any(u in nm.lower() for u, _ in UMLAUT_SPELLINGS)]
    queries = []
    for i in range(n):
        kind = KINDS[i % len(KINDS)]
        name = rng.choice(with_umlaut if kind == "umlaut" else names)
        words = [w for w in name.split() if len(w) >= 3]
        if kind == "umlaut":
            words = [w for w in words if any(u in w.lower() for u, _ in UMLAUT_SPELLINGS)]
        if kind == "typo":
            words = [w for w in words if len(w) >= 6] or words
        word = rng.choice(words)
        target = search_text.fold(word)
        if kind == "exact":
            query = word
        elif kind == "prefix":
            query = word[: rng.randint(3, min(5, len(word)))]
        elif kind == "umlaut":
            query = word.lower()
            for umlaut, spelled in UMLAUT_SPELLINGS:
                query = query.replace(
                    umlaut, spelled if rng.random() < 0.5 else umlaut[0] if umlaut != "ß" else "ss"
                )
        else:
            query = _typo(word.lower(), rng)
        queries.append((kind, query, target))
    return queries


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randint(1, len(word) - 2)
    match rng.choice(("swap", "drop", "replace")):
        case "swap":
            return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        case "drop":
            return word[:i] + word[i + 1 :]
        case _:
            letter = rng.choice([c for c in "abcdefghiklmnoprstuvwz" if c != word[i]])
            return word[:i] + letter + word[i + 1 :]


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)
    q = statistics.quantiles(ordered, n=100, method="inclusive")
    return {
        "p50_ms": q[49],
        "p99_ms": q[98],
        "max_ms": ordered[-1],
        "mean_ms": statistics.fmean(ordered),
    }


def timed(run: Callable[[str], object], queries: list[tuple[str, str, str]]) -> list[float]:
    for _kind, query, _t in queries[:50]:  # warm caches (vocabulary, statements, pages)
        run(query)
    samples = []
    for _kind, query, _target in queries:
        start = time.perf_counter()
        run(query)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def fts5_expression(query: str) -> str:
    return " AND ".join(f'"{w}"*' for w in search_text.words(query)) or '""'


def tsquery_expression(query: str) -> str:
    return " & ".join(f"{w}:*" for w in search_text.words(query))


def bench_backend(label: str, url: str, products: int, queries_n: int) -> dict[str, object]:
    print(f"[{label}] migrating and seeding {products:,} products ...", flush=True)
    upgrade(url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    started = time.perf_counter()
    with factory() as session:
        seed_synthetic(session, products)
    seed_seconds = time.perf_counter() - started
    print(f"[{label}] seeded in {seed_seconds:.1f} s", flush=True)
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.execute(text("PRAGMA optimize"))
    else:
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    with factory() as session:
        names = list(session.scalars(text("SELECT name FROM products ORDER BY id")))
    queries = make_queries(names, queries_n)

    session = factory()
    found: dict[str, list[bool]] = {k: [] for k in KINDS}

    def service(query: str) -> object:
        return search.search_products(session, query, limit=20)

    service_ms = timed(service, queries)
    for kind, query, target in queries:
        items = search.search_products(session, query, limit=20).items
        found[kind].append(any(target in search_text.fold(p.name) for p in items))
    merchant_id = session.scalar(text("SELECT merchant_id FROM products LIMIT 1"))
    filtered = search.Filters(merchant_id=merchant_id)
    filtered_ms = timed(
        lambda q: search.search_products(session, q, filtered, limit=20),
        queries[: max(100, queries_n // 5)],
    )
    session.close()

    full_ms: list[float] | None = None
    if engine.dialect.name == "sqlite":
        raw = sqlite3.connect(make_url(url).database)

        def floor(query: str) -> object:
            # The same plan the service uses: rank the first RANK_WINDOW matches by rowid.
            e = fts5_expression(query)
            return raw.execute(
                "SELECT rowid FROM product_fts WHERE product_fts MATCH ? AND rowid <= "
                "(SELECT max(rowid) FROM (SELECT rowid FROM product_fts WHERE product_fts "
                "MATCH ? ORDER BY rowid LIMIT ?)) ORDER BY rank LIMIT 21",
                (e, e, search.RANK_WINDOW),
            ).fetchall()

        def full_ranking(query: str) -> object:
            return raw.execute(
                "SELECT rowid FROM product_fts WHERE product_fts MATCH ? ORDER BY rank LIMIT 21",
                (fts5_expression(query),),
            ).fetchall()

        full_ms = timed(full_ranking, queries)
    else:
        import psycopg

        raw = psycopg.connect(
            make_url(url).set(drivername="postgresql").render_as_string(hide_password=False),
            autocommit=True,
        )

        def floor(query: str) -> object:
            expression = tsquery_expression(query)
            if not expression:
                return []
            return raw.execute(
                "SELECT id FROM products WHERE search_vector @@ to_tsquery('simple', %s) "
                "ORDER BY ts_rank(search_vector, to_tsquery('simple', %s)) DESC LIMIT 21",
                (expression, expression),
            ).fetchall()

    floor_ms = timed(floor, queries)
    raw.close()
    engine.dispose()
    return {
        "seed_seconds": seed_seconds,
        "service": percentiles(service_ms),
        "service_merchant_filter": percentiles(filtered_ms),
        "floor": percentiles(floor_ms),
        "engine_full_ranking": percentiles(full_ms) if full_ms else None,
        "top20_contains_target": {k: sum(v) / len(v) for k, v in found.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1_000)
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--no-pg", action="store_true")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="kosmos-bench-search-"))
    results: dict[str, dict[str, object]] = {}
    try:
        results["SQLite"] = bench_backend(
            "SQLite", f"sqlite:///{work / 'bench.db'}", args.products, args.queries
        )
        if not args.no_pg:
            results["PostgreSQL"] = _with_pg_database(
                args.pg, lambda url: bench_backend("PostgreSQL", url, args.products, args.queries)
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)

    rows = []
    for backend, r in results.items():
        s, f, m = r["service"], r["floor"], r["service_merchant_filter"]
        rows.append(
            [
                backend,
                "service layer",
                s["p50_ms"],
                s["p99_ms"],
                s["max_ms"],
                f"{s['p50_ms'] / f['p50_ms']:.1f}x",
                f"{s['p99_ms'] / f['p99_ms']:.1f}x",
            ]
        )
        rows.append(
            [backend, "engine index (floor)", f["p50_ms"], f["p99_ms"], f["max_ms"], "1.0x", "1.0x"]
        )
        rows.append(
            [backend, "service + merchant filter", m["p50_ms"], m["p99_ms"], m["max_ms"], "", ""]
        )
        if e := r["engine_full_ranking"]:
            rows.append(
                [
                    backend,
                    "engine, ranking every match",
                    e["p50_ms"],
                    e["p99_ms"],
                    e["max_ms"],
                    "",
                    "",
                ]
            )
    print_table(
        f"Search: {args.queries:,} mixed queries at {args.products:,} products "
        "(exact / prefix / umlaut-folded / one typo)",
        ["backend", "path", "p50 ms", "p99 ms", "max ms", "p50 ratio", "p99 ratio"],
        rows,
    )
    quality = [
        [b, *(f"{r['top20_contains_target'][k]:.0%}" for k in KINDS)] for b, r in results.items()
    ]
    print_table(
        "Share of queries whose top 20 contain the intended word", ["backend", *KINDS], quality
    )
    sqlite_p99 = results["SQLite"]["service"]["p99_ms"]
    verdict = "met" if sqlite_p99 <= 10 else "NOT met"
    print(
        f"\nGoal p99 <= 10 ms on SQLite at {args.products:,} products: {verdict} "
        f"({sqlite_p99:.2f} ms)"
    )
    path = write_json(
        "search",
        {
            "products": args.products,
            "queries": args.queries,
            "goal_sqlite_p99_ms": 10,
            "results": results,
        },
    )
    print(f"written {path}")


def _with_pg_database(server_url: str, run: Callable[[str], dict[str, object]]):  # noqa: ANN202
    name = "kosmos_bench_search"
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


if __name__ == "__main__":
    main()
