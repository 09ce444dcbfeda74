"""Request-scoped dependencies shared by every context: the database session."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Request
from sqlalchemy.orm import Session


def get_db(request: Request) -> Iterator[Session]:
    session: Session = request.app.state.session_factory()
    try:
        yield session
    finally:
        session.close()


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"
