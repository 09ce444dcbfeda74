"""Helpers for the assistant's tests: demo accounts with tokens, a group chat, saying
something, finding Kosmo's cards, pressing their buttons."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.support import Account

from kosmos.accounts import services
from kosmos.accounts.tables import User
from kosmos.catalog.seed import seed_demo

GRILL_PASSWORDS = {n: f"grillen-{n}-2026" for n in ("anna", "ben", "cem", "dora")}


def demo_accounts(db: Session, passwords: dict[str, str] = GRILL_PASSWORDS) -> dict[str, Account]:
    """The demo world, and a read/write token for each named demo user."""
    seed_demo(db)
    out = {}
    for name, password in passwords.items():
        user = db.scalar(select(User).where(User.username == name))
        assert user is not None, name
        _tok, raw = services.create_access_token(
            db, user, name="test", scopes=["read", "write"], expires_in_days=None
        )
        out[name] = Account(user.id, name, password, raw)
    return out


def group(client: Any, people: dict[str, Account], name: str = "Grillfreunde") -> int:
    """anna's group with ben, cem and dora."""
    r = client.post(
        "/api/v1/chat/groups",
        headers=people["anna"].headers,
        json={"name": name, "member_ids": [people[n].id for n in ("ben", "cem", "dora")]},
    )
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def say(client: Any, who: Account, chat: int, text: str) -> dict[str, Any]:
    r = client.post(f"/api/v1/chat/conversations/{chat}/messages", headers=who.headers,
                    json={"text": text})  # fmt: skip
    assert r.status_code == 201, r.text
    return dict(r.json())


def kosmo_messages(client: Any, who: Account, chat: int) -> list[dict[str, Any]]:
    r = client.get(f"/api/v1/chat/conversations/{chat}/messages", headers=who.headers)
    return [m for m in r.json()["items"] if m["sender"] is None]


def kosmo_cards(client: Any, who: Account, chat: int) -> list[dict[str, Any]]:
    return [m for m in kosmo_messages(client, who, chat) if m["card"]]


def card_of(client: Any, who: Account, chat: int, kind: str) -> dict[str, Any]:
    """Kosmo's newest card of this type in the chat."""
    return [m for m in kosmo_cards(client, who, chat) if m["card"]["type"] == kind][-1]


def press(client: Any, who: Account, message_id: int, action: str, value: str) -> Any:
    return client.post(f"/api/v1/chat/messages/{message_id}/actions", headers=who.headers,
                       json={"action": action, "value": value})  # fmt: skip
