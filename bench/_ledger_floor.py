"""bench/ledger.py: the floor, the same rows written through the bare driver."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from _ledger_loop import Run, Worker, closed_loop, closed_loop_processes
from _ledger_world import AMOUNT, Workload, World, payment_fingerprint
from sqlalchemy.engine import make_url

from kosmos.wallet import idempotency, payments

# --- the floor: the driver alone ----------------------------------------------------------


def floor_rows(world: World, client: int, workload: Workload, n: int, tag: str) -> dict[str, Any]:
    user_id = world.payers[workload.payer(client)]
    merchant_id = world.merchants[workload.merchant(client)]
    reference = payments.new_reference("pay")
    s = world.samples
    body = {**s["response_body"], "reference": reference}
    payload = {**s["payload"], "payment": reference, "user_id": user_id, "merchant_id": merchant_id}
    debit, credit = world.wallet_account[user_id], world.merchant_account[merchant_id]
    now = datetime.now(UTC)
    return {
        "user_id": user_id,
        "merchant_id": merchant_id,
        "reference": reference,
        "transfer_description": f"Purchase {reference}",
        "details": json.dumps({**s["details"], "payment": reference}),
        "lines": json.dumps(s["lines"]),
        "description": s["description"],
        "payload": json.dumps(payload),
        "body": json.dumps(body),
        "scope": f"user:{user_id}",
        "key": f"floor-{tag}-{client}-{n}",
        "fingerprint": payment_fingerprint(merchant_id),
        "now": now,
        "expires": now + idempotency.KEY_TTL,
        # (account, delta) in account-id order: the lock order post_transfer uses too
        "balances": sorted([(debit, -AMOUNT), (credit, AMOUNT)]),
    }


def _sqlite_time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def sqlite_floor_connection(url: str) -> sqlite3.Connection:
    con = sqlite3.connect(
        make_url(url).database, isolation_level=None, timeout=30, check_same_thread=False
    )
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=FULL"):
        con.execute(f"PRAGMA {pragma}")
    con.execute("PRAGMA busy_timeout=30000")
    return con


def sqlite_floor_payment(con: sqlite3.Connection, r: dict[str, Any]) -> None:
    """One payment's rows in one transaction, through sqlite3 alone."""
    now, year = _sqlite_time(r["now"]), r["now"].year
    con.execute("BEGIN IMMEDIATE")
    try:
        transfer_id = con.execute(
            "INSERT INTO ledger_transfers (kind, description, reverses_id, details, "
            "created_at) VALUES ('purchase', ?, NULL, ?, ?) RETURNING id",
            (r["transfer_description"], r["details"], now),
        ).fetchone()[0]
        (d_acc, d_amt), (c_acc, c_amt) = r["balances"]
        con.execute(
            "INSERT INTO ledger_entries (transfer_id, account_id, amount, currency) "
            "VALUES (?, ?, ?, 'EUR'), (?, ?, ?, 'EUR')",
            (transfer_id, d_acc, d_amt, transfer_id, c_acc, c_amt),
        )
        payment_id = con.execute(
            "INSERT INTO payments (reference, kind, status, user_id, merchant_id, amount, "
            "currency, refunded, method, sca, description, lines, transfer_id, "
            "created_at, completed_at) VALUES (?, 'purchase', 'succeeded', ?, ?, ?, "
            "'EUR', 0, 'wallet', 'exempt', ?, ?, ?, ?, ?) RETURNING id",
            (
                r["reference"],
                r["user_id"],
                r["merchant_id"],
                AMOUNT,
                r["description"],
                r["lines"],
                transfer_id,
                now,
                now,
            ),  # fmt: skip
        ).fetchone()[0]
        con.execute(
            "UPDATE payments SET receipt_number = ? WHERE id = ?",
            (f"KOS-{year}-{payment_id:06d}", payment_id),
        )
        con.execute(
            "INSERT INTO outbox_events (topic, payload, created_at, attempts) VALUES (?, ?, ?, 0)",
            (payments.PAYMENT_SUCCEEDED, r["payload"], now),
        )
        con.execute(
            "INSERT INTO idempotency_keys (scope, key, fingerprint, response_status, "
            "response_body, payment_id, created_at, expires_at) "
            "VALUES (?, ?, ?, 201, ?, NULL, ?, ?)",
            (r["scope"], r["key"], r["fingerprint"], r["body"], now,
             _sqlite_time(r["expires"])),
        )  # fmt: skip
        con.execute(
            "UPDATE wallet_security SET unchallenged_total = unchallenged_total + ?, "
            "unchallenged_count = unchallenged_count + 1 WHERE user_id = ?",
            (AMOUNT, r["user_id"]),
        )
        for account, delta in r["balances"]:
            con.execute(
                "UPDATE ledger_balances SET balance = balance + ?, "
                "entry_count = entry_count + 1 WHERE account_id = ?",
                (delta, account),
            )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def pg_floor_connection(url: str) -> Any:
    import psycopg

    return psycopg.connect(
        make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    )


def pg_floor_payment(con: Any, r: dict[str, Any]) -> None:
    """One payment's rows in one transaction, through psycopg alone."""
    now = r["now"]
    try:
        cur = con.cursor()
        transfer_id = cur.execute(
            "INSERT INTO ledger_transfers (kind, description, reverses_id, details, "
            "created_at) VALUES ('purchase', %s, NULL, %s::json, %s) RETURNING id",
            (r["transfer_description"], r["details"], now),
        ).fetchone()[0]
        (d_acc, d_amt), (c_acc, c_amt) = r["balances"]
        cur.execute(
            "INSERT INTO ledger_entries (transfer_id, account_id, amount, currency) "
            "VALUES (%s, %s, %s, 'EUR'), (%s, %s, %s, 'EUR')",
            (transfer_id, d_acc, d_amt, transfer_id, c_acc, c_amt),
        )
        cur.execute(
            "INSERT INTO payments (id, reference, kind, status, user_id, merchant_id, "
            "amount, currency, refunded, method, sca, description, lines, "
            "receipt_number, transfer_id, created_at, completed_at) "
            "SELECT n.id, %s, 'purchase', 'succeeded', %s, %s, %s, 'EUR', 0, 'wallet', "
            "'exempt', %s, %s::json, %s || lpad(n.id::text, 6, '0'), %s, %s, %s "
            "FROM (SELECT nextval('payments_id_seq') AS id) AS n",
            (
                r["reference"],
                r["user_id"],
                r["merchant_id"],
                AMOUNT,
                r["description"],
                r["lines"],
                f"KOS-{now.year}-",
                transfer_id,
                now,
                now,
            ),  # fmt: skip
        )
        cur.execute(
            "INSERT INTO outbox_events (topic, payload, created_at, attempts) "
            "VALUES (%s, %s::json, %s, 0)",
            (payments.PAYMENT_SUCCEEDED, r["payload"], now),
        )
        cur.execute(
            "INSERT INTO idempotency_keys (scope, key, fingerprint, response_status, "
            "response_body, payment_id, created_at, expires_at) "
            "VALUES (%s, %s, %s, 201, %s::json, NULL, %s, %s)",
            (r["scope"], r["key"], r["fingerprint"], r["body"], now, r["expires"]),
        )
        cur.execute(
            "UPDATE wallet_security SET unchallenged_total = unchallenged_total + %s, "
            "unchallenged_count = unchallenged_count + 1 WHERE user_id = %s",
            (AMOUNT, r["user_id"]),
        )
        for account, delta in r["balances"]:
            cur.execute(
                "UPDATE ledger_balances SET balance = balance + %s, "
                "entry_count = entry_count + 1 WHERE account_id = %s",
                (delta, account),
            )
        con.commit()
    except BaseException:
        con.rollback()
        raise


def floor_worker(world: World, workload: Workload, tag: str) -> Callable[[int], Worker]:
    """A client of the floor: its own connection, one payment of `workload` per call."""
    sqlite = world.dialect == "sqlite"
    connect = sqlite_floor_connection if sqlite else pg_floor_connection
    pay = sqlite_floor_payment if sqlite else pg_floor_payment

    def make_worker(client: int) -> Worker:
        con = connect(world.url)

        def call(n: int) -> None:
            pay(con, floor_rows(world, client, workload, n, tag))

        return call, con.close

    return make_worker


def run_floor(
    world: World, workload: Workload, clients: int, seconds: float, processes: bool = False
) -> Run:
    tag = uuid.uuid4().hex[:8]
    make_worker = floor_worker(world, workload, tag)
    if processes:
        return closed_loop_processes(clients, seconds, make_worker, world.engine)
    return closed_loop(clients, seconds, make_worker)
