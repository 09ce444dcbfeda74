"""bench/ledger.py: the HTTP floor, a bare server committing the floor's rows.

uvicorn, as `kosmos serve` runs it (uvloop, httptools), with one plain ASGI function: no
framework, no middleware, no access log, no outbox relay, no application logic. The bearer
token is looked up in a dict (no database), the JSON body is parsed, and the rows of one
payment are committed through the bare driver (`_ledger_floor`, the same statements as
the floor rows) on a pool of THREADS threads, each with its own connection. The answer is
201 with a body of the same shape and size as Kosmos's.

    python bench/_ledger_bare_server.py WORLD_JSON PORT THREADS
"""

from __future__ import annotations

import asyncio
import itertools
import json
import sys
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from _ledger_world import World, workloads  # noqa: E402

Send = Callable[[dict[str, Any]], Any]


def world_json(world: World) -> str:
    """What the bare server needs of the world (no engine: it connects by itself)."""
    return json.dumps(
        {
            "url": world.url,
            "payers": world.payers,
            "tokens": world.tokens,
            "merchants": world.merchants,
            "wallet_account": list(world.wallet_account.items()),
            "merchant_account": list(world.merchant_account.items()),
            "samples": world.samples,
        }
    )


def load_world(text: str) -> World:
    d = json.loads(text)
    return World(
        d["url"], None, d["payers"], d["tokens"], d["merchants"],  # type: ignore[arg-type]
        dict(d["wallet_account"]), dict(d["merchant_account"]), d["samples"],
    )  # fmt: skip


def make_app(world: World, threads: int) -> Callable[..., Any]:
    from _ledger_floor import (
        floor_rows,
        pg_floor_connection,
        pg_floor_payment,
        sqlite_floor_connection,
        sqlite_floor_payment,
    )

    sqlite = world.url.startswith("sqlite")
    connect = sqlite_floor_connection if sqlite else pg_floor_connection
    pay = sqlite_floor_payment if sqlite else pg_floor_payment
    workload = workloads(len(world.payers))[0]  # payer of the token -> merchant 0
    client_of = {f"Bearer {t}".encode(): i for i, t in enumerate(world.tokens)}
    pool = ThreadPoolExecutor(threads)
    local = threading.local()
    counter = itertools.count()
    tag = uuid.uuid4().hex[:8]

    def pay_one(client: int) -> bytes:
        con = getattr(local, "con", None)
        if con is None:
            con = local.con = connect(world.url)
        rows = floor_rows(world, client, workload, next(counter), tag)
        pay(con, rows)
        return str(rows["body"]).encode()

    async def app(scope: dict[str, Any], receive: Callable[[], Any], send: Send) -> None:
        if scope["type"] == "lifespan":
            while (message := await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            pool.shutdown(wait=True)
            await send({"type": "lifespan.shutdown.complete"})
            return
        body, more = b"", True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        if scope["method"] != "POST":
            await _answer(send, 200, b'{"status":"ok"}')
            return
        client = client_of.get(dict(scope["headers"]).get(b"authorization", b""))
        if client is None:
            await _answer(send, 401, b'{"title":"Unauthorized"}')
            return
        json.loads(body)
        out = await asyncio.get_running_loop().run_in_executor(pool, pay_one, client)
        await _answer(send, 201, out)

    return app


async def _answer(send: Send, status: int, body: bytes) -> None:
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def main() -> None:
    import uvicorn

    world_file, port, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    app = make_app(load_world(Path(world_file).read_text()), threads)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
