"""The wallet's background work, run by the relay worker (`kosmos serve` or
`kosmos worker`): expire holds, send due webhooks, forget old idempotency keys."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from kosmos import bus
from kosmos.wallet import holds, idempotency, webhooks


@bus.every(30, "wallet.expire_holds")
def expire_holds(factory: sessionmaker[Session]) -> int:
    with factory() as session:
        return holds.expire_due(session)


@bus.every(1, "wallet.send_webhooks")
def send_webhooks(factory: sessionmaker[Session]) -> int:
    return webhooks.send_due(factory)


@bus.every(3600, "wallet.sweep_idempotency_keys")
def sweep_keys(factory: sessionmaker[Session]) -> int:
    with factory() as session:
        return idempotency.sweep(session)
