"""Request-scoped dependencies shared by every context: the database session."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Request
from sqlalchemy.orm import Session

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_db(request: Request) -> Iterator[Session]:
    """The request's session: requests that may write get a writing session."""
    state = request.app.state
    factory = state.session_factory if request.method in SAFE_METHODS else state.write_factory
    session: Session = factory()
    try:
        yield session
    finally:
        session.close()


def get_write_db(request: Request) -> Iterator[Session]:
    """A writing session for a GET that may write (a list made on first view). On SQLite a
    reading transaction that writes late fails at once if another connection committed
    since it began; a writing one takes the write lock up front (BEGIN IMMEDIATE)."""
    session: Session = request.app.state.write_factory()
    try:
        yield session
    finally:
        session.close()


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"
