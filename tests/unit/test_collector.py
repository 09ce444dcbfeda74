"""The server's garbage collector: no automatic full passes, a full pass on the timer."""

from __future__ import annotations

import asyncio
import gc
import weakref
from collections.abc import Iterator

import pytest
from tests.support import run_async

from kosmos.web import collector


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector frees it


@pytest.fixture
def tuned() -> Iterator[None]:
    before = gc.get_threshold()
    collector.tune()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_full_passes_wait_for_the_timer(tuned: None) -> None:
    full_before = gc.get_stats()[2]["collections"]
    young_before = gc.get_stats()[0]["collections"]
    keep = [Node() for _ in range(50_000)]  # survive into the old generation
    garbage = Node()
    ref = weakref.ref(garbage)
    for _ in range(5):
        gc.collect(1)  # what allocation would trigger: young and middle passes only
    del garbage, keep
    for _ in range(200_000):
        Node()  # plenty of allocations: young collections, never an automatic full one
    assert gc.get_stats()[0]["collections"] > young_before
    assert gc.get_stats()[2]["collections"] == full_before
    assert ref() is not None  # promoted to the old generation, waiting for a full pass

    async def one_pass() -> None:
        task = asyncio.create_task(collector.full_passes(every=0.01))
        async with asyncio.timeout(5):
            while gc.get_stats()[2]["collections"] == full_before:
                await asyncio.sleep(0)  # let the timer run
        task.cancel()

    run_async(one_pass())  # a loop of its own (a test before may run one here)
    assert ref() is None
    assert gc.get_stats()[2]["collections"] > full_before
