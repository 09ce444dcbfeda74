"""The garbage collector in a long-running server: no full passes in the middle of traffic.

A server process keeps a few hundred thousand objects alive (the app, open sockets, their
tasks and queues). CPython's full collection walks all of them, holding the GIL: 100-140 ms
at 1,000 open chat sockets, in which no socket of the process is served (bench/chat.py: p99
of 170-680 ms at 300 messages/s with them, 36-48 ms without). So:

- what exists once the app has started is frozen (`gc.freeze`): never walked again;
- the young generations are collected as usual (short-lived cycles: requests, tasks);
- full collections run on a timer (`FULL_PASS_SECONDS`) instead of being triggered by
  allocation counts, so garbage that outlived the young generations is still freed, at a
  known, rare moment rather than under load.
"""

from __future__ import annotations

import asyncio
import gc

FULL_PASS_SECONDS = 600
NO_AUTOMATIC_FULL_PASS = 1_000_000_000  # young collections needed before a full one


def tune() -> None:
    """Freeze what exists and leave full passes to `full_passes`."""
    gc.collect()
    gc.freeze()
    young, middle, _old = gc.get_threshold()
    gc.set_threshold(young, middle, NO_AUTOMATIC_FULL_PASS)


async def full_passes(every: float = FULL_PASS_SECONDS) -> None:
    """Run until cancelled: a full collection every `every` seconds."""
    while True:
        await asyncio.sleep(every)
        gc.collect()
