"""Test helpers shared by the tiers (plain functions, not fixtures)."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy.orm import Session

T = TypeVar("T")


@dataclass
class Account:
    id: int
    username: str
    password: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def make_account(db: Session, username: str, *, scopes: list[str] | None = None) -> Account:
    from kosmos.accounts import services

    password = f"secret-{username}-pass"
    user = services.sign_up(
        db,
        username=username,
        email=f"{username}@example.org",
        password=password,
        display_name=username.capitalize(),
    )
    _tok, raw = services.create_access_token(
        db, user, name="test", scopes=scopes or ["read", "write"], expires_in_days=None
    )
    return Account(user.id, user.username, password, raw)


def csrf_of(client) -> str:  # noqa: ANN001
    """Load a page so the CSRF cookie is set; return the token forms must echo."""
    client.get("/login")
    return client.cookies["kosmos_csrf"]


def page_login(client, username: str, password: str) -> str:  # noqa: ANN001
    """Log in through the form like a browser; returns the CSRF token."""
    token = csrf_of(client)
    response = client.post(
        "/login",
        data={"login": username, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return token


def add_merchant(db: Session, slug: str, name: str | None = None, kind: str = "butcher"):  # noqa: ANN201
    """A merchant with one store in Musterstadt (flushed, not committed)."""
    from kosmos import clock
    from kosmos.catalog.tables import Merchant, Store

    name = name or slug.title()
    merchant = Merchant(slug=slug, name=name, kind=kind, description="", created_at=clock.now())
    merchant.stores.append(
        Store(
            slug=f"{slug}-1",
            name=name,
            street="Marktplatz 1",
            postcode="12345",
            city="Musterstadt",
            lat=52.5,
            lon=13.4,
            phone="",
            opening_hours={},
            created_at=clock.now(),
        )
    )
    db.add(merchant)
    db.flush()
    return merchant


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to its end on an event loop of its own, in a thread of its own: a
    test before may have left a loop running in this thread (Playwright's sync API)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
