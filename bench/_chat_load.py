"""bench/chat.py: one load-generator process (run by bench/chat.py, never by hand).

    python bench/_chat_load.py CONFIG.json

CONFIG: {"clients": [{"index", "url", "token", "conversation_id"}...], "compression",
"connect_concurrency", "connect_timeout"}. The process opens the clients' WebSockets on
loopback, authenticates each (`{"type": "auth", "token": ...}`, then waits for `hello`),
and answers on stdout with one JSON line per step; bench/chat.py drives it over stdin:

- `{"cmd": "run", "tag", "start_ns", "rate", "seconds", "warmup", "drain", "total_clients",
  "group_size"}`: message k (0 <= k < rate * seconds) is due at start_ns + k / rate (the
  same schedule in every generator; each sends the messages of its own clients). Its text
  starts with the due time in ns (time.time_ns(): one clock for every process on the
  machine), so a receiver's latency counts from when the message was due, queueing in the
  sender included (open loop, no coordinated omission). Answers `{"event": "result", ...}`.
- `{"cmd": "close"}`: closes every socket, answers `{"event": "closed"}` and exits.

The process stops by itself: every wait has a deadline, and stdin closing ends it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import resource
import sys
import time
from collections import Counter
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

OVERLOAD_S = 5.0  # stop sending (the rest counts as not sent) when the generator is this far
# behind its own schedule,
BACKLOG_S = 2.0  # or when more than BACKLOG_S x rate of its sends are not answered yet (the
# server is that far behind: what was sent must still be worked off before the next row)


def raise_nofile() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def out(event: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(event, separators=(",", ":")) + "\n")
    sys.stdout.flush()


def sender_of(k: int, total_clients: int, group_size: int) -> int:
    """Message k's sender: groups in turn, and within a group its members in turn, so every
    client sends at rate / total_clients (the per-user send limit is never near)."""
    groups = total_clients // group_size
    return (k % groups) * group_size + (k // groups) % group_size


class RunState:
    def __init__(self, tag: str, window_ns: int) -> None:
        self.tag = tag
        self.window_ns = window_ns  # messages due from here on are measured
        self.latencies_ms: list[float] = []  # deliveries of measured messages
        self.deliveries = 0  # to members other than the sender, every message of the run
        self.own = 0  # the sender's own copy
        self.first_measured_ns = 0
        self.last_measured_ns = 0
        self.last_any_ns = 0
        self.acks = 0
        self.ack_ms: list[float] = []
        self.errors: Counter[str] = Counter()
        self.refused = 0  # sends answered with an error frame
        self.other: Counter[str] = Counter()
        self.stale = 0  # messages of an earlier run
        self.sent = 0
        self.acked_keys: list[int] = []  # k of every acknowledged message


class Client:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.index: int = spec["index"]
        self.url: str = spec["url"]
        self.token: str = spec["token"]
        self.conversation_id: int = spec["conversation_id"]
        self.ws: ClientConnection | None = None
        self.reader: asyncio.Task[None] | None = None


class Generator:
    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        self.clients = [Client(c) for c in config["clients"]]
        self.by_index = {c.index: c for c in self.clients}
        self.run: RunState | None = None
        self.closing = False
        self.dropped = 0  # sockets that closed while they should have been open
        self._spec: dict[str, Any] = {}

    async def open_some(self, clients: list[Client]) -> dict[str, Any]:
        gate = asyncio.Semaphore(self.config.get("connect_concurrency", 50))
        failures: Counter[str] = Counter()
        started = time.perf_counter()

        async def one(client: Client) -> None:
            async with gate:
                try:
                    await asyncio.wait_for(self._open(client), self.config["connect_timeout"])
                except Exception as exc:  # noqa: BLE001 - counted, reported
                    failures[type(exc).__name__ + (f": {exc}"[:80] if str(exc) else "")] += 1
                    if client.ws is not None:
                        with contextlib.suppress(Exception):
                            await client.ws.close()
                    client.ws = None

        await asyncio.gather(*(one(c) for c in clients))
        first_failures = dict(failures)
        failures.clear()
        await asyncio.gather(*(one(c) for c in clients if c.ws is None))  # one more try
        return {
            "event": "ready",
            "connected": sum(1 for c in clients if c.ws is not None),
            "connected_indices": [c.index for c in clients if c.ws is not None],
            "failed": dict(failures),
            "failed_first_try": first_failures,
            "seconds": time.perf_counter() - started,
        }

    async def _open(self, client: Client) -> None:
        ws = await connect(
            client.url,
            compression="deflate" if self.config["compression"] else None,
            ping_interval=None,  # as a browser: the server pings, the client answers
            max_queue=None,
            open_timeout=self.config["connect_timeout"],
        )
        client.ws = ws
        await ws.send(json.dumps({"type": "auth", "token": client.token}))
        while True:
            frame = json.loads(await ws.recv())
            if frame.get("type") == "hello":
                break
            if frame.get("type") == "queue_expired":
                raise RuntimeError("queue_expired instead of hello")
        client.reader = asyncio.create_task(self._read(client, ws))

    async def _read(self, client: Client, ws: ClientConnection) -> None:
        me = client.index
        try:
            async for raw in ws:
                now = time.time_ns()
                frame = json.loads(raw)
                kind = frame.get("type")
                run = self.run
                if run is None:
                    continue
                if kind == "message":
                    parts = frame["message"]["text"].split(" ", 4)
                    if len(parts) < 4 or parts[3] != run.tag:
                        run.stale += 1
                        continue
                    due, sender = int(parts[0]), int(parts[2])
                    run.last_any_ns = now
                    if sender == me:
                        run.own += 1
                        continue
                    run.deliveries += 1
                    if due >= run.window_ns:
                        run.latencies_ms.append((now - due) / 1e6)
                        run.last_measured_ns = max(run.last_measured_ns, now)
                        if not run.first_measured_ns:
                            run.first_measured_ns = now
                elif kind == "sent":
                    cid = str(frame.get("client_id") or "")
                    tag, _, k_text = cid.rpartition("-")
                    if tag == run.tag:
                        run.acks += 1
                        k = int(k_text)
                        run.acked_keys.append(k)
                        due = self._due(k)
                        if due >= run.window_ns:
                            run.ack_ms.append((now - due) / 1e6)
                elif kind == "error":
                    problem = frame.get("problem") or {}
                    run.errors[f"error frame: {problem.get('code', frame.get('code', '?'))}"] += 1
                    run.refused += 1
                else:
                    run.other[str(kind)] += 1
        except Exception:  # noqa: BLE001 - a dropped socket is counted below
            pass
        if not self.closing:
            self.dropped += 1
            if self.run is not None:
                self.run.errors["socket closed by the server"] += 1

    def _due(self, k: int) -> int:
        spec = self._spec
        return spec["start_ns"] + int(k * 1e9 / spec["rate"])

    async def do_run(self, spec: dict[str, Any]) -> dict[str, Any]:
        self._spec = spec
        rate, start_ns = spec["rate"], spec["start_ns"]
        total = int(rate * spec["seconds"])
        window_ns = start_ns + int(spec["warmup"] * 1e9)
        run = self.run = RunState(spec["tag"], window_ns)
        tc, gs = spec["total_clients"], spec["group_size"]
        mine = [k for k in range(total) if sender_of(k, tc, gs) in self.by_index]
        pending: set[asyncio.Task[None]] = set()
        backlog_limit = BACKLOG_S * rate * len(mine) / max(total, 1)  # this generator's share

        async def send(client: Client, k: int, due: int) -> None:
            ws = client.ws
            if ws is None:
                run.errors["sender not connected"] += 1
                return
            text = f"{due} {k} {client.index} {run.tag} bench message from client {client.index}"
            frame = {
                "type": "send",
                "conversation_id": client.conversation_id,
                "text": text,
                "client_id": f"{run.tag}-{k}",
            }
            try:
                await ws.send(json.dumps(frame, separators=(",", ":")))
                run.sent += 1
            except Exception as exc:  # noqa: BLE001 - counted
                run.errors[f"send failed: {type(exc).__name__}"] += 1

        i = 0
        while i < len(mine):
            now = time.time_ns()
            due = start_ns + int(mine[i] * 1e9 / rate)
            if due > now:
                await asyncio.sleep((due - now) / 1e9)
                continue
            if now - due > OVERLOAD_S * 1e9:
                run.errors[f"not sent: {OVERLOAD_S:g} s behind schedule"] += len(mine) - i
                break
            if run.sent - run.acks - run.refused > backlog_limit:
                run.errors[f"not sent: over {BACKLOG_S:g} s of sends unanswered"] += len(mine) - i
                break
            while i < len(mine):  # everything due by now
                k = mine[i]
                due = start_ns + int(k * 1e9 / rate)
                if due > now:
                    break
                client = self.by_index[sender_of(k, tc, gs)]
                task = asyncio.create_task(send(client, k, due))
                pending.add(task)
                task.add_done_callback(pending.discard)
                i += 1
        if pending:
            await asyncio.wait(pending, timeout=30)
        # Drain: until nothing arrived for `quiet` seconds (and every send was answered),
        # or the drain deadline.
        end_ns = start_ns + int(spec["seconds"] * 1e9)
        deadline = max(time.time_ns(), end_ns) + int(spec["drain"] * 1e9)
        quiet = spec.get("quiet", 2.0) * 1e9
        while time.time_ns() < deadline:
            await asyncio.sleep(0.2)
            last = max(run.last_any_ns, end_ns)
            if run.acks + run.refused >= run.sent and time.time_ns() - last > quiet:
                break
        self.run = None
        return {
            "event": "result",
            "tag": run.tag,
            "scheduled": len(mine),
            "sent": run.sent,
            "acks": run.acks,
            "acked_keys": run.acked_keys,
            "deliveries": run.deliveries,
            "own": run.own,
            "latencies_ms": [round(v, 3) for v in run.latencies_ms],
            "ack_ms": [round(v, 3) for v in run.ack_ms],
            "first_measured_ns": run.first_measured_ns,
            "last_measured_ns": run.last_measured_ns,
            "errors": dict(run.errors),
            "other_frames": dict(run.other),
            "stale": run.stale,
            "open_sockets": sum(1 for c in self.clients if c.ws is not None) - self.dropped,
        }

    async def close_all(self) -> None:
        self.closing = True
        for c in self.clients:
            if c.ws is not None:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(c.ws.close(), 2)
            if c.reader is not None:
                c.reader.cancel()


async def main(path: str) -> None:
    raise_nofile()
    config = json.loads(open(path).read())  # noqa: SIM115, PTH123 - one small file
    gen = Generator(config)
    half = len(gen.clients) // 2  # in two steps: memory per connection is the difference
    out(await gen.open_some(gen.clients[:half]))
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    try:
        while True:
            line = await asyncio.wait_for(reader.readline(), config.get("idle_timeout", 600))
            if not line:
                break  # the bench went away
            cmd = json.loads(line)
            if cmd["cmd"] == "connect_rest":
                out(await gen.open_some(gen.clients[half:]))
            elif cmd["cmd"] == "run":
                out(await gen.do_run(cmd))
            elif cmd["cmd"] == "close":
                break
    finally:
        await gen.close_all()
        out({"event": "closed"})


if __name__ == "__main__":
    try:
        import uvloop
    except ImportError:  # pragma: no cover
        asyncio.run(main(sys.argv[1]))
    else:
        uvloop.run(main(sys.argv[1]))
