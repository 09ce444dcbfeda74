"""Fixtures shared by the integration tests."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy.orm import Session
from tests.support import add_merchant

from kosmos.db import make_engine, make_session_factory

Race = Callable[[int, Callable[[Session, int], Any]], list[Any]]


@pytest.fixture
def race(settings) -> Iterator[Race]:  # noqa: ANN001
    """race(n, call): run call(session, i) in n threads at the same moment; each thread
    has its own writing session on its own connection. Returns each call's result or
    the exception it raised, in thread order."""
    engine = make_engine(settings.database_url, pool_size=24, max_overflow=4)
    factory = make_session_factory(engine, write=True)

    def run_race(n: int, call: Callable[[Session, int], Any]) -> list[Any]:
        assert n <= 24
        # Open the n connections first (connecting is slow next to a transaction), so
        # the barrier releases threads that are ready to talk to the database at once.
        warm = [engine.connect() for _ in range(n)]
        for conn in warm:
            conn.close()
        barrier = threading.Barrier(n)

        def one(i: int) -> Any:
            with factory() as session:
                barrier.wait(timeout=30)
                try:
                    return call(session, i)
                except Exception as exc:  # noqa: BLE001 - the outcome is what tests inspect
                    session.rollback()
                    return exc

        with ThreadPoolExecutor(max_workers=n) as pool:
            return list(pool.map(one, range(n)))

    yield run_race
    engine.dispose()


@pytest.fixture
def shop(db: Session) -> int:
    """A merchant (with no ledger account yet: the first payment opens it)."""
    merchant = add_merchant(db, "huber", "Metzgerei Huber")
    db.commit()
    return merchant.id
