"""bench/chat.py: the floor, a bare WebSocket broadcast app on the server stack kosmos
uses (uvicorn with its defaults: uvloop, httptools, the `websockets` sans-I/O protocol,
permessage-deflate offered), with no database and no authentication.

    python bench/_chat_floor.py --port P --sample SAMPLE.json

A client connects to /ws?g=CONVERSATION_ID, sends any first frame (the bench sends the
same `auth` frame it sends kosmos) and gets `hello`. A `send` frame is answered with
`sent` and broadcast, as an event of the same shape and size as kosmos's `message` event
(SAMPLE.json: one real event body), to every socket of that conversation, the sender's
included; each socket has its own queue and writer task and numbers its events, as kosmos
does. Nothing is stored.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import resource
from typing import Any

from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect


def _encode(event: dict[str, Any]) -> str:
    return json.dumps(event, separators=(",", ":"), ensure_ascii=False, default=str)


class Socket:
    def __init__(self, ws: WebSocket) -> None:
        self.ws = ws
        self.inbox: asyncio.Queue[str] = asyncio.Queue()
        self.last_id = 0


def create_app(sample: dict[str, Any]) -> Starlette:
    groups: dict[int, set[Socket]] = {}
    ids = itertools.count(1)

    async def healthz(_request: Any) -> PlainTextResponse:
        return PlainTextResponse("ok")

    async def writer(sock: Socket) -> None:
        try:
            while True:
                await sock.ws.send_text(await sock.inbox.get())
        except (WebSocketDisconnect, RuntimeError):
            return

    async def events(ws: WebSocket) -> None:
        await ws.accept()
        try:
            group = int(ws.query_params.get("g", "0"))
            await ws.receive_text()  # the auth frame, not checked
            await ws.send_text(_encode({"type": "hello", "queue_id": "floor", "last_event_id": 0,
                                        "user_id": 0}))  # fmt: skip
        except WebSocketDisconnect:
            return
        sock = Socket(ws)
        members = groups.setdefault(group, set())
        members.add(sock)
        task = asyncio.create_task(writer(sock))
        try:
            while True:
                frame = json.loads(await ws.receive_text())
                if not isinstance(frame, dict) or frame.get("type") != "send":
                    continue
                message_id = next(ids)
                message = {
                    **sample["message"],
                    "id": message_id,
                    "conversation_id": frame.get("conversation_id"),
                    "text": frame.get("text", ""),
                    "client_id": frame.get("client_id"),
                }
                body = _encode({"type": "message", "message": message})
                for member in groups.get(frame.get("conversation_id"), ()):
                    member.last_id += 1
                    member.inbox.put_nowait(f'{{"id":{member.last_id},{body[1:]}')
                await ws.send_text(
                    _encode(
                        {
                            "type": "sent",
                            "client_id": frame.get("client_id"),
                            "message_id": message_id,
                        }
                    )  # fmt: skip
                )
        except WebSocketDisconnect:
            pass
        finally:
            members.discard(sock)
            task.cancel()

    return Starlette(routes=[Route("/healthz", healthz), WebSocketRoute("/ws", events)])


def main() -> None:
    import uvicorn

    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--sample", required=True)
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    with open(args.sample) as f:  # noqa: PTH123
        sample = json.load(f)
    # The same uvicorn.run arguments as `kosmos serve` (src/kosmos/cli.py), defaults kept.
    uvicorn.run(
        create_app(sample),
        host=args.host,
        port=args.port,
        workers=1,
        proxy_headers=True,
        log_level="info",
    )


if __name__ == "__main__":
    main()
