"""Real-time delivery: per-user event queues with increasing ids, and the open WebSocket
connections they feed (Zulip's model).

Every user has one queue: `publish(user_ids, event)` gives the event the next id in each
recipient's queue and hands it to every open connection of that user (a phone and a
laptop both get it). A connection that comes back with `(queue_id, last_event_id)` gets
exactly the events after that id, then live ones: no gap, no duplicate. When the queue no
longer holds what the client missed (it was trimmed, or the server lost it), the client is
told `queue_expired` and reloads its state over the REST API.

Two backends with one interface:
- `MemoryHub` (default, one server process): queues are bounded deques in this process.
- `RedisHub` (`KOSMOS_REDIS_URL`): queues are Redis streams; one Lua script assigns the ids
  for all recipients and PUBLISHes the event once; every server process subscribes and
  feeds its own connections, so processes deliver to each other's clients.

A connection sends in id order: an event that arrives ahead of one it has not seen yet
(two publishers racing) makes it fetch the missing range from the queue first.
`ephemeral(...)` (typing) goes to live connections only and has no id.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import threading
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

log = logging.getLogger(__name__)

QUEUE_LENGTH = 1000  # events kept per user for resuming
QUEUE_TTL_SECONDS = 7 * 24 * 3600  # Redis: a queue nobody touched for a week goes
PRESENCE_SECONDS = 90  # Redis: a process's claim that a user is connected lapses after


def encode(event: dict[str, Any]) -> str:
    return json.dumps(event, separators=(",", ":"), ensure_ascii=False, default=str)


def with_id(event_id: int, body: str) -> str:
    """The event text for one recipient: its id in front of the shared body."""
    return f'{{"id":{event_id},{body[1:]}' if body != "{}" else f'{{"id":{event_id}}}'


@dataclass(frozen=True)
class Resume:
    queue_id: str
    head: int  # the newest id in the queue
    backlog: list[tuple[int, str]] | None  # None: the client cannot resume (expired)


@dataclass(eq=False)
class Connection:
    """One open WebSocket, as the hub sees it: who, and where to put what it must send."""

    user_id: int
    loop: asyncio.AbstractEventLoop
    inbox: asyncio.Queue[tuple[int | None, str]] = field(default_factory=asyncio.Queue)
    last_sent: int = 0
    queue_id: str = ""

    def offer(self, event_id: int | None, text: str) -> None:
        """Thread-safe: queue an event for the connection's writer."""
        self.loop.call_soon_threadsafe(self.inbox.put_nowait, (event_id, text))


def _hand_over(deliveries: list[tuple[Connection, int | None, str]]) -> None:
    """Queue events for many connections with one wake-up of each event loop."""
    by_loop: dict[asyncio.AbstractEventLoop, list[tuple[Connection, int | None, str]]] = {}
    for delivery in deliveries:
        by_loop.setdefault(delivery[0].loop, []).append(delivery)
    for loop, batch in by_loop.items():
        loop.call_soon_threadsafe(_put_all, batch)


def _put_all(batch: list[tuple[Connection, int | None, str]]) -> None:
    for conn, event_id, text in batch:
        conn.inbox.put_nowait((event_id, text))


class Hub(Protocol):
    def publish(self, user_ids: Iterable[int], event: dict[str, Any]) -> None: ...

    def ephemeral(self, user_ids: Iterable[int], event: dict[str, Any]) -> None: ...

    def online(self, user_id: int) -> bool: ...

    def offline(self, user_ids: Iterable[int]) -> list[int]: ...

    async def attach(
        self, conn: Connection, queue_id: str | None, last_event_id: int | None
    ) -> Resume: ...

    def detach(self, conn: Connection) -> None: ...

    async def fetch(self, user_id: int, after: int, upto: int) -> list[tuple[int, str]] | None: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class _Local:
    """This process's open connections by user."""

    def __init__(self) -> None:
        self._by_user: dict[int, set[Connection]] = {}
        self._lock = threading.Lock()

    def add(self, conn: Connection) -> None:
        with self._lock:
            self._by_user.setdefault(conn.user_id, set()).add(conn)

    def remove(self, conn: Connection) -> None:
        with self._lock:
            conns = self._by_user.get(conn.user_id)
            if conns is not None:
                conns.discard(conn)
                if not conns:
                    del self._by_user[conn.user_id]

    def of(self, user_id: int) -> list[Connection]:
        with self._lock:
            return list(self._by_user.get(user_id, ()))

    def users(self) -> list[int]:
        with self._lock:
            return list(self._by_user)

    def count(self) -> int:
        with self._lock:
            return sum(len(c) for c in self._by_user.values())


def _resume(
    queue_id: str,
    head: int,
    events: list[tuple[int, str]],
    asked_queue: str | None,
    last_event_id: int | None,
) -> Resume:
    if asked_queue is None:
        return Resume(queue_id, head, [])
    if asked_queue != queue_id or last_event_id is None or last_event_id > head:
        return Resume(queue_id, head, None)
    if last_event_id == head:
        return Resume(queue_id, head, [])
    if not events or events[0][0] != last_event_id + 1:
        return Resume(queue_id, head, None)  # trimmed: what was missed is gone
    return Resume(queue_id, head, events)


# --- one process ----------------------------------------------------------------------------


class _MemoryQueue:
    def __init__(self) -> None:
        self.queue_id = secrets.token_urlsafe(9)
        self.head = 0
        self.events: deque[tuple[int, str]] = deque(maxlen=QUEUE_LENGTH)

    def after(self, after: int, upto: int | None = None) -> list[tuple[int, str]]:
        return [e for e in self.events if e[0] > after and (upto is None or e[0] <= upto)]


class MemoryHub:
    def __init__(self, queue_length: int = QUEUE_LENGTH) -> None:
        self._queues: dict[int, _MemoryQueue] = {}
        self._lock = threading.Lock()
        self._local = _Local()
        self._length = queue_length

    def _queue(self, user_id: int) -> _MemoryQueue:
        queue = self._queues.get(user_id)
        if queue is None:
            queue = self._queues[user_id] = _MemoryQueue()
            queue.events = deque(maxlen=self._length)
        return queue

    def publish(self, user_ids: Iterable[int], event: dict[str, Any]) -> None:
        body = encode(event)
        deliveries: list[tuple[Connection, int | None, str]] = []
        with self._lock:
            for user_id in set(user_ids):
                queue = self._queue(user_id)
                queue.head += 1
                text = with_id(queue.head, body)
                queue.events.append((queue.head, text))
                deliveries += [(c, queue.head, text) for c in self._local.of(user_id)]
        _hand_over(deliveries)

    def ephemeral(self, user_ids: Iterable[int], event: dict[str, Any]) -> None:
        text = encode(event)
        _hand_over([(c, None, text) for u in set(user_ids) for c in self._local.of(u)])

    def online(self, user_id: int) -> bool:
        return bool(self._local.of(user_id))

    def offline(self, user_ids: Iterable[int]) -> list[int]:
        return [u for u in user_ids if not self._local.of(u)]

    async def attach(
        self, conn: Connection, queue_id: str | None, last_event_id: int | None
    ) -> Resume:
        self._local.add(conn)
        with self._lock:
            queue = self._queue(conn.user_id)
            events = queue.after(last_event_id or 0) if queue_id is not None else []
            return _resume(queue.queue_id, queue.head, events, queue_id, last_event_id)

    def detach(self, conn: Connection) -> None:
        self._local.remove(conn)

    async def fetch(self, user_id: int, after: int, upto: int) -> list[tuple[int, str]] | None:
        with self._lock:
            events = self._queue(user_id).after(after, upto)
        if not events or events[0][0] != after + 1:
            return None
        return events

    def connections(self) -> int:
        return self._local.count()

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None


# --- many processes, through Redis ------------------------------------------------------------

# KEYS: per recipient its sequence key then its stream key. ARGV: body, maxlen, ttl,
# channel, then the recipients' user ids. One round trip assigns every id and publishes.
_PUBLISH = """
local body, maxlen, ttl, channel = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4]
local ids = {}
for i = 1, #KEYS, 2 do
  local n = redis.call('INCR', KEYS[i])
  redis.call('XADD', KEYS[i + 1], 'MAXLEN', '~', maxlen, n .. '-1', 'e', body)
  redis.call('EXPIRE', KEYS[i], ttl)
  redis.call('EXPIRE', KEYS[i + 1], ttl)
  ids[#ids + 1] = ARGV[4 + (i + 1) / 2] .. ':' .. n
end
redis.call('PUBLISH', channel, table.concat(ids, ',') .. '|' .. body)
return #ids
"""


class RedisHub:
    CHANNEL = "kosmos:chat:events"

    def __init__(self, url: str, *, prefix: str = "kosmos:chat", queue_length: int = QUEUE_LENGTH):
        import redis
        import redis.asyncio as aioredis

        self._url = url
        self._prefix = prefix
        self._channel = f"{prefix}:events"
        self._sync = redis.Redis.from_url(url)
        self._script = self._sync.register_script(_PUBLISH)
        self._async = aioredis.Redis.from_url(url)
        self._local = _Local()
        self._length = queue_length
        self._listener: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._ready = asyncio.Event()
        self._token = secrets.token_hex(8)  # this process, in presence sets

    def _keys(self, user_id: int) -> tuple[str, str, str]:
        base = f"{self._prefix}:u:{user_id}"
        return f"{base}:seq", f"{base}:q", f"{base}:qid"

    def publish(self, user_ids: Iterable[int], event: dict[str, Any]) -> None:
        users = sorted(set(user_ids))
        if not users:
            return
        keys: list[str] = []
        for user_id in users:
            seq, stream, _qid = self._keys(user_id)
            keys += [seq, stream]
        args = [encode(event), self._length, QUEUE_TTL_SECONDS, self._channel, *users]
        self._script(keys=keys, args=args)

    def ephemeral(self, user_ids: Iterable[int], event: dict[str, Any]) -> None:
        users = ",".join(f"{u}:0" for u in sorted(set(user_ids)))
        if users:
            self._sync.publish(self._channel, f"{users}|{encode(event)}")

    # Presence: a sorted set per user of the processes holding one of their connections,
    # scored by when that claim lapses (refreshed every PRESENCE_SECONDS / 3), so a
    # crashed process stops counting on its own.

    def _online_key(self, user_id: int) -> str:
        return f"{self._prefix}:u:{user_id}:online"

    def online(self, user_id: int) -> bool:
        if self._local.of(user_id):
            return True
        return bool(self._sync.zcount(self._online_key(user_id), time.time(), "+inf"))

    def offline(self, user_ids: Iterable[int]) -> list[int]:
        """Users with no connection on any process (one round trip for all)."""
        candidates = [u for u in user_ids if not self._local.of(u)]
        if not candidates:
            return []
        now = time.time()
        with self._sync.pipeline(transaction=False) as pipe:
            for user_id in candidates:
                pipe.zcount(self._online_key(user_id), now, "+inf")
            counts = pipe.execute()
        return [u for u, n in zip(candidates, counts, strict=True) if not n]

    async def _claim(self, user_ids: list[int]) -> None:
        until = time.time() + PRESENCE_SECONDS
        async with self._async.pipeline(transaction=False) as pipe:
            for user_id in user_ids:
                pipe.zadd(self._online_key(user_id), {self._token: until})
                pipe.expire(self._online_key(user_id), PRESENCE_SECONDS)
            await pipe.execute()

    async def _heartbeat(self) -> None:
        while True:
            await asyncio.sleep(PRESENCE_SECONDS / 3)
            try:
                await self._claim(self._local.users())
            except Exception:
                log.exception("chat hub: presence heartbeat failed")

    async def attach(
        self, conn: Connection, queue_id: str | None, last_event_id: int | None
    ) -> Resume:
        self._local.add(conn)
        await self._claim([conn.user_id])
        seq, stream, qid_key = self._keys(conn.user_id)
        await self._async.set(qid_key, secrets.token_urlsafe(9), nx=True)
        qid, head = await self._async.mget(qid_key, seq)
        await self._async.expire(qid_key, QUEUE_TTL_SECONDS)
        current = qid.decode()
        top = int(head or 0)
        events: list[tuple[int, str]] = []
        if queue_id == current and last_event_id is not None and last_event_id < top:
            events = await self._range(stream, last_event_id, top)
        return _resume(current, top, events, queue_id, last_event_id)

    async def _range(self, stream: str, after: int, upto: int) -> list[tuple[int, str]]:
        rows = await self._async.xrange(stream, min=f"({after}-1", max=f"{upto}-1")
        events = [(int(i.split(b"-")[0]), fields[b"e"].decode()) for i, fields in rows]
        return [(i, with_id(i, body)) for i, body in events]

    def detach(self, conn: Connection) -> None:
        self._local.remove(conn)
        if not self._local.of(conn.user_id):
            task = asyncio.get_running_loop().create_task(
                self._async.zrem(self._online_key(conn.user_id), self._token)
            )
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def fetch(self, user_id: int, after: int, upto: int) -> list[tuple[int, str]] | None:
        _seq, stream, _qid = self._keys(user_id)
        events = await self._range(stream, after, upto)
        if not events or events[0][0] != after + 1:
            return None
        return events

    def connections(self) -> int:
        return self._local.count()

    async def start(self) -> None:
        if self._listener is None:
            self._listener = asyncio.create_task(self._listen())
            self._tasks.add(asyncio.create_task(self._heartbeat()))
            await asyncio.wait_for(self._ready.wait(), timeout=10)

    async def stop(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            self._listener = None
        for task in list(self._tasks):
            task.cancel()
        await self._async.aclose()

    async def _listen(self) -> None:
        while True:
            try:
                pubsub = self._async.pubsub(ignore_subscribe_messages=True)
                await pubsub.subscribe(self._channel)
                self._ready.set()
                async for message in pubsub.listen():
                    if message.get("type") == "message":
                        self._dispatch(message["data"].decode())
            except asyncio.CancelledError:
                raise
            except Exception:  # Redis went away: keep trying, clients resync if they missed
                log.exception("chat hub: Redis subscription lost, retrying")
                await asyncio.sleep(1)

    def _dispatch(self, data: str) -> None:
        head, _, body = data.partition("|")
        for part in head.split(","):
            user, _, number = part.partition(":")
            conns = self._local.of(int(user))
            if not conns:
                continue
            event_id = int(number)
            text = with_id(event_id, body) if event_id else body
            for conn in conns:
                conn.inbox.put_nowait((event_id or None, text))


# --- the process's hub ------------------------------------------------------------------------

_current: Hub = MemoryHub()


def current() -> Hub:
    return _current


def install(hub: Hub) -> Hub:
    global _current
    _current = hub
    return hub
