"""bench/chat.py: the world it chats in (users, bearer tokens, groups of 10) and the
processes it runs (kosmos serve, the floor app), measured from /proc."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from _procs import group_pids, wait_http_up
from sqlalchemy import insert, select, text

from kosmos import clock
from kosmos.accounts import services as account_services
from kosmos.accounts.tables import User
from kosmos.chat import conversations, messages
from kosmos.db import make_engine, make_session_factory
from kosmos.migrate import upgrade

BIN = Path(sys.executable).parent
HERE = Path(__file__).parent
EVENTS_PATH = "/api/v1/chat/events"
PASSWORD = "bench-chat-user-secret"


@dataclass
class World:
    url: str
    users: list[int]  # user ids, client i is users[i]
    tokens: list[str]
    conversations: list[int]  # group g: clients 10 g .. 10 g + 9
    sample: dict[str, Any]  # one real `message` event body, for the floor
    setup: dict[str, Any] = field(default_factory=dict)  # what setup did and how long

    def conversation_of(self, client: int, group_size: int) -> int:
        return self.conversations[client // group_size]


def build_world(url: str, clients: int, group_size: int, hash_all: bool) -> World:
    """Users, tokens and groups, through the services; the password hash of one real
    sign-up is reused for the others unless `hash_all` (argon2 costs ~0.25 s a user)."""
    info: dict[str, Any] = {}
    started = time.perf_counter()
    upgrade(url)
    info["migrate_s"] = time.perf_counter() - started
    engine = make_engine(url)
    factory = make_session_factory(engine, write=True)
    users: list[int] = []
    tokens: list[str] = []
    try:
        with factory() as s:
            started = time.perf_counter()
            first = account_services.sign_up(
                s, username="chat0", email="chat0@example.org", password=PASSWORD,
                display_name="Chat 0",
            )  # fmt: skip
            info["argon2_sign_up_s"] = one = time.perf_counter() - started
            users.append(first.id)
            started = time.perf_counter()
            if hash_all:
                for i in range(1, clients):
                    user = account_services.sign_up(
                        s, username=f"chat{i}", email=f"chat{i}@example.org",
                        password=PASSWORD, display_name=f"Chat {i}",
                    )  # fmt: skip
                    users.append(user.id)
                info["users"] = f"{clients} x sign_up (argon2 each)"
            else:
                now = clock.now()
                rows = [
                    {"username": f"chat{i}", "email": f"chat{i}@example.org",
                     "password_hash": first.password_hash, "display_name": f"Chat {i}",
                     "locale": "de", "is_active": True, "created_at": now}
                    for i in range(1, clients)
                ]  # fmt: skip
                if rows:
                    s.execute(insert(User.__table__), rows)
                    s.commit()
                users += list(
                    s.scalars(select(User.id).where(User.id != first.id).order_by(User.id))
                )
                info["users"] = (
                    f"1 x sign_up ({one:.2f} s of argon2), {clients - 1} inserted with its "
                    f"password hash (argon2 for all would take ~{one * clients:.0f} s)"
                )
            info["users_s"] = time.perf_counter() - started
            started = time.perf_counter()
            by_id = {u.id: u for u in s.scalars(select(User))}
            for user_id in users:
                _tok, raw = account_services.create_access_token(
                    s, by_id[user_id], name="bench chat", scopes=["read", "write"],
                    expires_in_days=None,
                )  # fmt: skip
                tokens.append(raw)
            info["tokens_s"] = time.perf_counter() - started
            started = time.perf_counter()
            groups = []
            for g in range(clients // group_size):
                members = users[g * group_size : (g + 1) * group_size]
                conv = conversations.create_group(
                    s, by_id[members[0]], name=f"Bench group {g}", member_ids=members[1:]
                )
                groups.append(conv.id)
            info["groups_s"] = time.perf_counter() - started
            # one real message: the shape and size of the event the floor sends
            out = messages.send_message(
                s, by_id[users[0]], groups[0], text="setup message", client_id="setup-0"
            )
            sample = {"type": "message", "message": out}
    finally:
        engine.dispose()
    return World(url, users, tokens, groups, sample, info)


def outbox_backlog(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return int(
                conn.execute(
                    text("SELECT count(*) FROM outbox_events WHERE relayed_at IS NULL")
                ).scalar_one()
            )
    finally:
        engine.dispose()


def wait_outbox_drained(url: str, timeout: float = 60) -> float | None:
    """Seconds until the servers' relays have relayed every event; None if they did not."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if outbox_backlog(url) == 0:
            return time.perf_counter() - started
        time.sleep(0.25)
    return None


# --- processes ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of these processes (their threads included)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def rss_bytes(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


RUNNING: list[Proc] = []  # every Proc started; bench/chat.py stops them all in `finally`


def stop_all() -> None:
    while RUNNING:
        RUNNING.pop().stop()


class Proc:
    """A subprocess in its own process group; always ended by `stop()`."""

    def __init__(
        self, argv: list[str], env: dict[str, str], log_path: Path, *, pipes: bool = False
    ) -> None:
        RUNNING.append(self)
        self.log_path = log_path
        self._log = log_path.open("wb")
        self.proc = subprocess.Popen(
            argv,
            env=env,
            stdin=subprocess.PIPE if pipes else subprocess.DEVNULL,
            stdout=subprocess.PIPE if pipes else self._log,
            stderr=self._log if pipes else subprocess.STDOUT,
            start_new_session=True,
            text=pipes,
            bufsize=1 if pipes else -1,
        )

    def pids(self) -> list[int]:
        return group_pids(self.proc.pid)

    def cpu_seconds(self) -> float:
        return cpu_seconds(self.pids())

    def rss(self) -> int:
        return rss_bytes(self.pids())

    def log_tail(self, lines: int = 20) -> str:
        if not self._log.closed:
            self._log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

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
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                stream.close()
        self._log.close()
        if self in RUNNING:
            RUNNING.remove(self)


class Server(Proc):
    def __init__(self, argv: list[str], env: dict[str, str], log_path: Path, port: int) -> None:
        super().__init__(argv, env, log_path)
        self.port = port

    def wait_up(self, timeout: float = 60) -> None:
        wait_http_up(self.proc, self.port, self.log_tail, timeout)

    def log_problems(self) -> dict[str, int]:
        """Lines of the server log that look like trouble, counted by text."""
        if not self._log.closed:
            self._log.flush()
        found: Counter[str] = Counter()
        for line in self.log_path.read_text(errors="replace").splitlines():
            if not line[:1].strip() or '"GET ' in line or '"WebSocket ' in line:
                continue
            low = line.lower()
            if any(w in low for w in ("error", "locked", "traceback", "exception")):
                found[line.strip()[:160]] += 1
        return dict(found.most_common(5))


def kosmos_server(
    url: str, log_path: Path, redis_url: str | None = None, redis_prefix: str | None = None
) -> Server:
    port = free_port()
    env = {**os.environ, "KOSMOS_DATABASE_URL": url, "KOSMOS_ENV": "development"}
    env.pop("KOSMOS_REDIS_URL", None)
    env.pop("KOSMOS_RUN_OUTBOX_RELAY", None)  # the relay runs inside, as in production
    if redis_url:
        env["KOSMOS_REDIS_URL"] = redis_url
        env["KOSMOS_REDIS_PREFIX"] = redis_prefix or "kosmos-bench"
    argv = [str(BIN / "kosmos"), "serve", "--host", "127.0.0.1", "--port", str(port)]
    return Server(argv, env, log_path, port)


def floor_server(sample_path: Path, log_path: Path) -> Server:
    port = free_port()
    argv = [sys.executable, str(HERE / "_chat_floor.py"), "--port", str(port),
            "--sample", str(sample_path)]  # fmt: skip
    return Server(argv, dict(os.environ), log_path, port)
