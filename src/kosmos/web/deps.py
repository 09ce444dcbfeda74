"""Request-scoped dependencies shared by every context: the database session."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import anyio
from fastapi import Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def get_db(request: Request) -> AsyncIterator[Session]:
    """The request's session: requests that may write get a writing session."""
    state = request.app.state
    safe = request.method in SAFE_METHODS
    async with _session_scope(state.session_factory if safe else state.write_factory) as session:
        yield session


async def get_write_db(request: Request) -> AsyncIterator[Session]:
    """A writing session for a GET that may write (a list made on first view). On SQLite a
    reading transaction that writes late fails at once if another connection committed
    since it began; a writing one takes the write lock up front (BEGIN IMMEDIATE)."""
    async with _session_scope(request.app.state.write_factory) as session:
        yield session


@asynccontextmanager
async def _session_scope(factory: Callable[[], Session]) -> AsyncIterator[Session]:
    """A session for one request, made and closed on the event loop: making one does no
    I/O, and neither does closing one whose work was committed (the usual end of a
    request that wrote). A session still in a transaction is rolled back and closed on
    the thread pool (that talks to the database), shielded from the request's
    cancellation so that its connection always goes back to the pool. Two thread-pool
    hops less per request than a plain generator dependency.

    A context manager, not a generator iterated with `async for`: an exception thrown
    into the dependency (a request that failed) must reach this `finally` before the
    answer goes out. A loop over an inner generator would leave it suspended, to be
    closed whenever it is garbage-collected, with the connection (and on SQLite the
    write lock) held until then."""
    session = factory()
    try:
        yield session
    finally:
        if session.in_transaction():
            with anyio.CancelScope(shield=True):
                await run_in_threadpool(session.close)
        else:
            session.close()


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"
