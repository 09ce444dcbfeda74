"""Request-scoped dependencies shared by every context: the database session."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from fastapi import Request
from sqlalchemy.orm import Session

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_db(request: Request) -> Iterator[Session]:
    """The request's session: requests that may write get a writing session."""
    state = request.app.state
    safe = request.method in SAFE_METHODS
    yield from _session(state.session_factory if safe else state.write_factory)


def get_write_db(request: Request) -> Iterator[Session]:
    """A writing session for a GET that may write (a list made on first view). On SQLite a
    reading transaction that writes late fails at once if another connection committed
    since it began; a writing one takes the write lock up front (BEGIN IMMEDIATE)."""
    yield from _session(request.app.state.write_factory)


def _session(factory: Callable[[], Session]) -> Iterator[Session]:
    session = factory()
    try:
        yield session
    finally:
        session.close()


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"
