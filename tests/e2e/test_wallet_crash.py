"""Crash safety: `kosmos serve` killed with SIGKILL in the middle of a burst of payments.

A real server process pays a merchant for several client threads at once. Once 30
payments have been acknowledged, one more is sent whose answer the client never reads
(committed, answer lost); as soon as the database holds it and the clients are paying
again, the whole process group gets SIGKILL, with their requests in flight (no shutdown,
no rollback by the app: whatever the database committed is all there is). The server is
then started again on the same database and the test checks that nothing is half done:

- `kosmos ledger verify` exits 0;
- every payment a client saw acknowledged exists exactly once;
- every request left without an answer, retried with its key, either replays the answer
  the server committed before it died or runs now, once; never twice;
- the payments add up to what left the wallet and reached the merchant;
- every stored 201 idempotency answer has its payment, every payment its ledger transfer.

Runs on a SQLite file and, when KOSMOS_TEST_DATABASE_URL is set, on a fresh PostgreSQL
database created (and dropped) for it.
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from tests.conftest import PG_URL, SECRET, need_service
from tests.support import Account, add_merchant, make_account
from tests.wallet_support import GOOD_CARD

from kosmos.db import make_engine, make_session_factory
from kosmos.migrate import upgrade
from kosmos.wallet import accounts, ledger
from kosmos.wallet.tables import IdempotencyKey, LedgerEntry, LedgerTransfer, Payment

pytestmark = pytest.mark.postgres

KOSMOS = str(Path(sys.executable).parent / "kosmos")
TOP_UP = 200_00
THREADS = 6
KILL_AFTER = 30  # acknowledged payments before the server is killed
MAX_REQUESTS = 110  # 110 payments of at most 1.06 EUR stay below the 150 EUR SCA counter


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(params=["sqlite", "postgresql"])
def crash_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database migrated from scratch, for this test alone."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'crash.db'}"
        upgrade(url)
        yield url
        return
    if not PG_URL:
        need_service("PostgreSQL not configured: set KOSMOS_TEST_DATABASE_URL")
    base = make_url(PG_URL)
    name = f"kosmos_crash_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = make_engine(base.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001
        admin.dispose()
        need_service(f"PostgreSQL unreachable at {base.render_as_string()}: {exc}")
    try:
        url = base.set(database=name).render_as_string(hide_password=False)
        upgrade(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


class Server:
    """`kosmos serve` as its own process group, logging to a file."""

    def __init__(self, url: str, log: Path) -> None:
        self.env = {
            **os.environ,
            "KOSMOS_DATABASE_URL": url,
            "KOSMOS_SECRET_KEY": SECRET,
            "KOSMOS_ENV": "development",
            "KOSMOS_OUTBOX_POLL_SECONDS": "0.2",
        }
        self.log = log
        self.proc: subprocess.Popen[bytes] | None = None
        self.base = ""

    def start(self) -> None:
        self.launch()
        self.wait_ready()

    def launch(self) -> None:
        port = _free_port()
        self.base = f"http://127.0.0.1:{port}"
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(  # no shell: the pid is the server itself
                [KOSMOS, "serve", "--host", "127.0.0.1", "--port", str(port)],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_ready(self) -> None:
        assert self.proc is not None
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{self.base}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            assert self.proc.poll() is None, f"server exited:\n{self.output()}"
            assert time.monotonic() < deadline, f"server did not come up:\n{self.output()}"
            time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL the whole process group (uvicorn and anything it started)."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        if self.proc is not None:
            self.proc.wait(15)

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-5000:]

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [KOSMOS, *args], env=self.env, capture_output=True, text=True, timeout=60
        )


@dataclass(frozen=True)
class Sent:
    key: str
    description: str
    amount: int
    merchant_id: int

    @property
    def body(self) -> dict[str, object]:
        return {
            "merchant_id": self.merchant_id,
            "amount": self.amount,
            "description": self.description,
        }


@dataclass
class Burst:
    """What the clients saw: acknowledged payments, requests without an answer, the rest."""

    acked: dict[str, tuple[Sent, str]]
    unanswered: list[Sent]
    other: list[tuple[Sent, int, str]]


def _send_and_never_read(base: str, account: Account, sent: Sent) -> socket.socket:
    """POST a payment on a raw socket and do not read the answer: the server commits
    and answers, but the client never sees it (an answer lost on its way back)."""
    host, port = base.removeprefix("http://").split(":")
    body = json.dumps(sent.body).encode()
    head = (
        "POST /api/v1/wallet/payments HTTP/1.1\r\n"
        f"Host: {host}:{port}\r\n"
        f"Authorization: Bearer {account.token}\r\n"
        f"Idempotency-Key: {sent.key}\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    conn = socket.create_connection((host, int(port)), timeout=10)
    conn.sendall(head.encode() + body)
    return conn


def _burst(
    base: str,
    account: Account,
    merchant_id: int,
    is_committed: Callable[[str], bool],
    kill: Callable[[], None],
) -> Burst:
    """Several clients pay as fast as they can. Once KILL_AFTER payments are
    acknowledged, one more payment is sent whose answer is never read; once the
    database holds it and the clients are back at full speed, the server is killed."""
    burst = Burst({}, [], [])
    lock = threading.Lock()
    numbers = itertools.count()
    run_id = uuid.uuid4().hex[:8]
    go = threading.Event()  # clients start a new request only while it is set
    go.set()

    def next_payment() -> Sent:
        n = next(numbers)
        return Sent(f"crash-{run_id}-{n:04d}", f"Crash {run_id} #{n:04d}", 100 + n % 7, merchant_id)

    def pay(http: httpx.Client) -> bool:
        sent = next_payment()
        try:
            response = http.post(
                "/api/v1/wallet/payments", json=sent.body, headers={"Idempotency-Key": sent.key}
            )
        except httpx.TransportError:
            with lock:  # in flight when the server died, or sent to a dead one
                burst.unanswered.append(sent)
            return False
        with lock:
            if response.status_code == 201:
                burst.acked[sent.key] = (sent, response.json()["reference"])
            else:
                burst.other.append((sent, response.status_code, response.text))
        return True

    def client() -> None:
        with httpx.Client(base_url=base, headers=account.headers, timeout=20) as http:
            while len(burst.acked) + len(burst.unanswered) < MAX_REQUESTS - THREADS - 1:
                go.wait(30)
                if not pay(http):
                    return

    def seen() -> int:
        with lock:
            assert burst.other == [], f"answers other than 201 before the crash: {burst.other}"
            return len(burst.acked)

    def wait_for(condition: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + 30
        while not condition():
            assert time.monotonic() < deadline, what
            time.sleep(0.002)

    # One payment first, so the burst starts from a wallet that has paid before
    # (concurrent first payments are covered in test_wallet_concurrency).
    with httpx.Client(base_url=base, headers=account.headers, timeout=20) as http:
        assert pay(http) and seen() == 1
    threads = [threading.Thread(target=client, daemon=True) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    lost: socket.socket | None = None
    try:
        wait_for(lambda: seen() >= KILL_AFTER, "the burst never reached the kill point")
        # pause new requests (SQLite's writer lock is not fair: a lone request can wait
        # behind many), send the payment whose answer is lost, wait until it is committed
        go.clear()
        unread = next_payment()
        lost = _send_and_never_read(base, account, unread)
        with lock:
            burst.unanswered.append(unread)
        wait_for(lambda: is_committed(unread.description), "the unread payment never committed")
        go.set()
        resumed = seen()
        wait_for(lambda: seen() >= resumed + THREADS, "the clients did not resume")
    finally:
        go.set()
        kill()  # mid-burst: every client has a request on the wire or about to be
        for thread in threads:
            thread.join(30)
        if lost is not None:
            lost.close()
    assert not any(t.is_alive() for t in threads), "a client hung after the kill"
    return burst


def _purchases(factory) -> dict[str, list[Payment]]:  # noqa: ANN001
    with factory() as session:
        by_description: dict[str, list[Payment]] = {}
        for payment in session.scalars(select(Payment).where(Payment.kind == "purchase")):
            by_description.setdefault(payment.description, []).append(payment)
        return by_description


def test_a_server_killed_mid_burst_leaves_nothing_half_done(crash_db, tmp_path):
    started = time.monotonic()
    engine = make_engine(crash_db)
    factory = make_session_factory(engine)
    # given a user with a token and a merchant, made before the server starts
    with factory() as session:
        anna = make_account(session, "anna")
        merchant_id = add_merchant(session, "huber", "Metzgerei Huber").id
        session.commit()

    def is_committed(description: str) -> bool:
        with engine.connect() as conn:
            found = select(Payment.id).where(Payment.description == description)
            return conn.scalar(found) is not None

    server = Server(crash_db, tmp_path / "server.log")
    try:
        server.start()
        topup = httpx.post(
            f"{server.base}/api/v1/wallet/topups",
            json={"amount": TOP_UP, "source": GOOD_CARD},
            headers={**anna.headers, "Idempotency-Key": f"topup-{uuid.uuid4()}"},
        )
        assert topup.status_code == 201, topup.text

        # when several clients pay at once and the server is SIGKILLed mid-burst
        burst = _burst(server.base, anna, merchant_id, is_committed, server.kill)
        assert server.proc is not None and server.proc.returncode == -signal.SIGKILL
        assert burst.other == [], f"answers other than 201 before the crash: {burst.other}"
        assert len(burst.acked) >= KILL_AFTER + THREADS
        assert len(burst.unanswered) >= 2, "the kill caught no client request in flight"
        assert len(burst.acked) + len(burst.unanswered) <= MAX_REQUESTS

        # and the server starts again on the same database (the ledger is checked, by
        # the CLI, in what the crash left, while the server boots)
        server.launch()
        verified = server.cli("ledger", "verify")
        server.wait_ready()

        # then the ledger is sound
        assert verified.returncode == 0, verified.stdout + verified.stderr

        # every acknowledged payment exists exactly once, as acknowledged
        before = _purchases(factory)
        for sent, reference in burst.acked.values():
            rows = before.get(sent.description, [])
            assert [(p.reference, p.amount, p.status) for p in rows] == [
                (reference, sent.amount, "succeeded")
            ], sent

        # nothing exists that no client asked for
        asked = {s.description for s, _ in burst.acked.values()}
        asked |= {s.description for s in burst.unanswered}
        assert set(before) <= asked

        # every request left without an answer, retried with its key, replays the answer
        # committed before the crash or runs now; never twice
        outcomes = {"replayed": 0, "ran now": 0}
        with httpx.Client(base_url=server.base, headers=anna.headers, timeout=20) as http:
            for sent in burst.unanswered:
                existing = before.get(sent.description, [])
                assert len(existing) <= 1, sent
                retry = http.post(
                    "/api/v1/wallet/payments", json=sent.body, headers={"Idempotency-Key": sent.key}
                )
                assert retry.status_code == 201, retry.text
                if existing:
                    outcomes["replayed"] += 1
                    assert retry.headers.get("Idempotent-Replayed") == "true", sent
                    assert retry.json()["reference"] == existing[0].reference
                else:
                    outcomes["ran now"] += 1
                    assert retry.headers.get("Idempotent-Replayed") is None, sent
            # and a second retry of each is a replay
            for sent in burst.unanswered:
                again = http.post(
                    "/api/v1/wallet/payments", json=sent.body, headers={"Idempotency-Key": sent.key}
                )
                assert again.status_code == 201, again.text
                assert again.headers.get("Idempotent-Replayed") == "true"
            wallet = http.get("/api/v1/wallet").json()
        print(f"acknowledged {len(burst.acked)}, unanswered retried: {outcomes}")
        assert outcomes["replayed"] >= 1  # at least the answer that was never read

        after = _purchases(factory)
        assert set(after) == asked
        assert {d: len(r) for d, r in after.items() if len(r) != 1} == {}
        paid = sum(rows[0].amount for rows in after.values())
        assert len(after) == len(burst.acked) + len(burst.unanswered)

        # the payments add up to what left the wallet and what the merchant got
        assert wallet["balance"] == TOP_UP - paid
        with factory() as session:
            shop = accounts.merchant_account(session, merchant_id)
            shop_total = session.scalar(
                select(func.coalesce(func.sum(LedgerEntry.amount), 0)).where(
                    LedgerEntry.account_id == shop.id
                )
            )
            assert shop_total == paid

            # every stored 201 answer has its payment; every payment its key and transfer
            references = {p.reference: p for p in session.scalars(select(Payment))}
            keys = session.scalars(select(IdempotencyKey)).all()
            assert [k.key for k in keys if k.response_status != 201] == []
            stored = sorted(k.response_body["reference"] for k in keys)
            assert stored == sorted(references)  # top-up and purchases, one key each
            for payment in references.values():
                assert payment.status == "succeeded", payment.reference
                transfer = session.get(LedgerTransfer, payment.transfer_id)
                assert transfer is not None, payment.reference
                assert transfer.details["payment"] == payment.reference
                assert sum(e.amount for e in transfer.entries if e.amount > 0) == payment.amount
            transfers = session.scalar(
                select(func.count())
                .select_from(LedgerTransfer)
                .where(LedgerTransfer.kind == "purchase")
            )
            assert transfers == len(after)
            assert ledger.verify(session) == []
    finally:
        server.kill()
        engine.dispose()
    assert time.monotonic() - started < 60, "the crash test got too slow"
