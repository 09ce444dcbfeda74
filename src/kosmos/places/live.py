"""Pages that stay live: a service names what changed (`key`, e.g. "pos:req_x" or
"tab:12"), and after its commit every open page of the given users that shows that key
refreshes it (static/live.js listens on the chat's event socket)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from kosmos.catalog.tables import MerchantStaff
from kosmos.chat.realtime import publish_after_commit

EVENT = "page_updated"


def changed(session: Session, user_ids: Iterable[int], key: str, **data: object) -> None:
    """After the caller's commit, tell `user_ids`' open pages that `key` changed."""
    users = sorted(set(user_ids))
    if users:
        publish_after_commit(session, users, {"type": EVENT, "key": key, **data})


def staff_ids(session: Session, merchant_id: int) -> list[int]:
    """Everyone who works for the merchant (their point-of-sale, kitchen, exit pages)."""
    return list(
        session.scalars(
            select(MerchantStaff.user_id).where(MerchantStaff.merchant_id == merchant_id)
        )
    )
