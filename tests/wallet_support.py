"""Helpers for the wallet tests: keys, top-ups, friendships, a staffed shop."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from kosmos.accounts.friends import befriend
from kosmos.accounts.tables import User

GOOD_CARD = "4242 4242 4242 4242"
SCA_CARD = "4000 0025 0000 3155"
DECLINED_CARD = "4000 0000 0000 0002"


def key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


def with_key(account, idem: str | None = None) -> dict[str, str]:  # noqa: ANN001
    return {**account.headers, "Idempotency-Key": idem or str(uuid.uuid4())}


def top_up(client, account, cents: int) -> dict:  # noqa: ANN001
    response = client.post(
        "/api/v1/wallet/topups",
        json={"amount": cents, "source": GOOD_CARD},
        headers=with_key(account),
    )
    assert response.status_code == 201, response.text
    return response.json()


def balance(client, account) -> int:  # noqa: ANN001
    response = client.get("/api/v1/wallet", headers=account.headers)
    assert response.status_code == 200, response.text
    return response.json()["balance"]


def make_friends(db, a, b) -> None:  # noqa: ANN001
    users = {u.id: u for u in db.scalars(select(User).where(User.id.in_([a.id, b.id])))}
    befriend(db, users[a.id], users[b.id])


def set_pin(client, account, pin: str = "4711") -> None:  # noqa: ANN001
    response = client.put(
        "/api/v1/wallet/pin",
        json={"password": account.password, "pin": pin},
        headers=account.headers,
    )
    assert response.status_code == 204, response.text
