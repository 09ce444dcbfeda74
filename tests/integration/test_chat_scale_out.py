"""Scale-out: two real `kosmos serve` processes sharing one database and one real Redis.
A message sent through one process reaches a client connected to the other, live; a
client that reconnects to the other process resumes its queue without gap or repeat."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.conftest import SECRET, need_service
from tests.support import make_account
from websockets.sync.client import connect

from kosmos.db import make_engine, make_session_factory

KOSMOS = str(Path(sys.executable).parent / "kosmos")
REDIS_URL = os.environ.get("KOSMOS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def redis_url() -> str:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except (redis.RedisError, OSError):
        need_service(f"Redis not reachable at {REDIS_URL}")
    return REDIS_URL


class Server:
    def __init__(self, database_url: str, redis_url: str, prefix: str) -> None:
        self.port = _free_port()
        env = {**os.environ, "KOSMOS_DATABASE_URL": database_url, "KOSMOS_SECRET_KEY": SECRET,
               "KOSMOS_ENV": "development", "KOSMOS_REDIS_URL": redis_url,
               "KOSMOS_REDIS_PREFIX": prefix, "KOSMOS_RUN_OUTBOX_RELAY": "false"}  # fmt: skip
        self.proc = subprocess.Popen(
            [KOSMOS, "serve", "--port", str(self.port)], env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
        )  # fmt: skip
        self.base = f"http://127.0.0.1:{self.port}"

    def wait_up(self) -> None:
        deadline = time.monotonic() + 40
        while True:
            try:
                httpx.get(f"{self.base}/healthz", timeout=1)
                return
            except httpx.HTTPError:
                assert self.proc.poll() is None, self.proc.stderr.read().decode()  # type: ignore[union-attr]
                assert time.monotonic() < deadline, "server did not come up"
                time.sleep(0.2)

    def stop(self) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait(15)


@pytest.fixture
def two_servers(sqlite_url: str, redis_url: str) -> Iterator[tuple[Server, Server]]:
    prefix = f"kosmos-test-{uuid.uuid4().hex[:8]}"
    servers = (Server(sqlite_url, redis_url, prefix), Server(sqlite_url, redis_url, prefix))
    try:
        for server in servers:
            server.wait_up()
        yield servers
    finally:
        for server in servers:
            server.stop()


@contextmanager
def _socket(server: Server, token: str, **params: object) -> Iterator[tuple[Any, dict]]:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    url = f"ws://127.0.0.1:{server.port}/api/v1/chat/events?{query}"
    with connect(url, open_timeout=10) as ws:
        ws.send(json.dumps({"type": "auth", "token": token}))
        yield ws, json.loads(ws.recv(timeout=10))


def _next(ws, kind: str) -> dict:  # noqa: ANN001
    while True:
        event = json.loads(ws.recv(timeout=10))
        if event["type"] == kind:
            return event


def test_a_message_sent_through_one_process_reaches_a_client_on_the_other(
    sqlite_url: str, two_servers: tuple[Server, Server]
) -> None:
    with make_session_factory(make_engine(sqlite_url))() as db:
        anna, ben = make_account(db, "anna"), make_account(db, "ben")
    one, other = two_servers
    g = httpx.post(f"{one.base}/api/v1/chat/groups", headers=anna.headers,
                   json={"name": "Grillfreunde", "member_ids": [ben.id]}).json()["id"]  # fmt: skip

    with _socket(other, ben.token) as (ws, hello):
        assert hello["type"] == "hello"
        sent = httpx.post(f"{one.base}/api/v1/chat/conversations/{g}/messages",
                          headers=anna.headers,
                          json={"text": "Hallo aus Prozess eins"}).json()  # fmt: skip
        event = _next(ws, "message")
        assert event["message"]["id"] == sent["id"]
        assert event["message"]["text"] == "Hallo aus Prozess eins"

    # ben is away; two messages go through the other process; he comes back on the first
    missed = [
        httpx.post(
            f"{other.base}/api/v1/chat/conversations/{g}/messages",
            headers=anna.headers,
            json={"text": t},
        ).json()["id"]  # fmt: skip
        for t in ("zwei", "drei")
    ]
    resume = {"queue_id": hello["queue_id"], "last_event_id": event["id"]}
    with _socket(one, ben.token, **resume) as (ws, again):
        assert again["type"] == "hello" and again["queue_id"] == hello["queue_id"]
        got = [json.loads(ws.recv(timeout=10)) for _ in missed]
        assert [e["message"]["id"] for e in got] == missed
        assert [e["id"] for e in got] == [event["id"] + 1, event["id"] + 2]
