"""bench/ledger.py: the world it pays in (payers, tokens, merchants, accounts) and its constants."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from kosmos import clock
from kosmos.accounts import services as account_services
from kosmos.accounts.tables import User
from kosmos.catalog.tables import Merchant, Store
from kosmos.db import make_engine, make_session_factory
from kosmos.migrate import upgrade
from kosmos.wallet import accounts, idempotency, payments, topups
from kosmos.wallet.http import created_payment
from kosmos.wallet.tables import (
    IdempotencyKey,
    LedgerTransfer,
    Payment,
    WalletSecurity,
)

BIN = Path(sys.executable).parent
SANDBOX_CARD = "4242424242424242"
PAY_PATH = "/api/v1/wallet/payments"
AMOUNT = 1  # cent
TOPUPS = 10  # x 1,000 EUR per payer
GOAL_FLOOR_SHARE = 0.5
GOAL_HTTP_P99_MS = 25.0
OVERLOAD_S = 5.0  # open loop: stop sending when this far behind schedule


# --- the world: payers, tokens, merchants, accounts ----------------------------------------


@dataclass
class World:
    url: str
    engine: Engine
    payers: list[int]  # user ids
    tokens: list[str]
    merchants: list[int]
    wallet_account: dict[int, int]  # user id -> ledger account id
    merchant_account: dict[int, int]  # merchant id -> ledger account id
    samples: dict[str, Any] = field(default_factory=dict)  # JSON shapes for the floor

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name


@dataclass(frozen=True)
class Workload:
    name: str
    payer: Callable[[int], int]  # client index -> index into World.payers
    merchant: Callable[[int], int]  # client index -> index into World.merchants


def workloads(clients: int) -> list[Workload]:
    return [
        Workload(f"{clients} payers -> 1 merchant", lambda c: c, lambda c: 0),
        Workload(f"{clients} payers -> {clients} merchants", lambda c: c, lambda c: c),
        Workload("1 hot wallet -> 1 merchant", lambda c: 0, lambda c: 0),
    ]


def build_world(url: str, clients: int) -> World:
    upgrade(url)
    engine = make_engine(url)
    factory = make_session_factory(engine, write=True)
    payers, tokens, merchants = [], [], []
    with factory() as s:
        for i in range(clients):
            user = account_services.sign_up(
                s,
                username=f"payer{i}",
                email=f"payer{i}@example.org",
                password=f"bench-payer-{i}-secret",
                display_name=f"Payer {i}",
            )
            _tok, raw = account_services.create_access_token(
                s, user, name="bench", scopes=["read", "write"], expires_in_days=None
            )
            payers.append(user.id)
            tokens.append(raw)
            for _ in range(TOPUPS):
                topups.top_up(s, user, amount=topups.TOPUP_LIMIT, source=SANDBOX_CARD)
        for i in range(clients):
            merchants.append(_add_merchant(s, f"stall-{i}", f"Marktstand {i}"))
        s.commit()
        wallet_account = {u: accounts.wallet_of(s, u).id for u in payers}
        merchant_account = {m: accounts.merchant_account(s, m).id for m in merchants}
        s.commit()
        users = {u.id: u for u in s.scalars(select(User))}
        # One real payment per payer: opens the accounts and gives the floor its JSON shapes.
        for u in payers:
            service_payment(s, users[u], merchants[0], f"setup-{u}")
        pay = s.scalars(select(Payment).where(Payment.kind == "purchase").limit(1)).one()
        transfer = s.get(LedgerTransfer, pay.transfer_id)
        key = s.scalars(select(IdempotencyKey).limit(1)).one()
        samples = {
            "lines": pay.lines,
            "details": transfer.details if transfer else {},
            "response_body": key.response_body,
            "payload": payments.event_payload(pay),
            "description": pay.description,
        }
    return World(url, engine, payers, tokens, merchants, wallet_account, merchant_account, samples)


def _add_merchant(s: Any, slug: str, name: str) -> int:
    """A merchant with one store (only the columns named here, so later nullable columns
    do not matter)."""
    now = clock.now()
    merchant_id = s.execute(
        insert(Merchant.__table__)
        .values(slug=slug, name=name, kind="butcher", description="", created_at=now)
        .returning(Merchant.__table__.c.id)
    ).scalar_one()
    s.execute(
        insert(Store.__table__).values(
            merchant_id=merchant_id,
            slug=f"{slug}-1",
            name=name,
            street="Marktplatz 1",
            postcode="12345",
            city="Musterstadt",
            lat=52.5,
            lon=13.4,
            phone="",
            opening_hours={},
            created_at=now,
        )
    )
    return int(merchant_id)


def reset_sca_counters(world: World) -> None:
    """As if every payer had just confirmed a payment with the PIN (see the docstring)."""
    for attempt in range(5):
        try:
            with world.engine.begin() as conn:
                conn.execute(
                    update(WalletSecurity).values(unchallenged_total=0, unchallenged_count=0)
                )
            return
        except OperationalError:  # SQLite: a busy server can starve one writer
            if attempt == 4:
                raise


def durability(world: World) -> str:
    with world.engine.connect() as conn:
        if world.dialect == "sqlite":
            mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
            sync = conn.exec_driver_sql("PRAGMA synchronous").scalar()
            names = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}
            return f"journal_mode={mode}, synchronous={names.get(sync, sync)}"
        fsync = conn.exec_driver_sql("SHOW fsync").scalar()
        commit = conn.exec_driver_sql("SHOW synchronous_commit").scalar()
        return f"fsync={fsync}, synchronous_commit={commit}"


def payment_fingerprint(merchant_id: int) -> str:
    params = {
        "request": None, "merchant_id": merchant_id, "store_id": None, "amount": AMOUNT,
        "currency": "EUR", "description": "bench", "pin": None,
    }  # fmt: skip
    return idempotency.fingerprint("POST", PAY_PATH, params)


def service_payment(session: Any, user: User, merchant_id: int, key: str) -> Any:
    return idempotency.run(
        session,
        scope=f"user:{user.id}",
        key=key,
        fingerprint=payment_fingerprint(merchant_id),
        render=created_payment(user.id),
        action=lambda idem: payments.pay_merchant(
            session, user, merchant_id=merchant_id, amount=AMOUNT, description="bench", idem=idem
        ),
    )
