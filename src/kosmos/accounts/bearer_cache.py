"""Bearer tokens this process has checked in the last seconds (Zulip caches its API keys
the same way).

An API request with a token seen within `bearer_cache_seconds` (default 2) is
authenticated from here: no token query, and no thread-pool hop before the endpoint
(`auth.optional_user` runs on the event loop then). On PostgreSQL that saved 0.7 ms of
CPU per payment and 1.0 ms per `GET /api/v1/wallet` (`bench/request_cost.py --pg`, run
once with `KOSMOS_BEARER_CACHE_SECONDS=0`).

What it keeps: the token's scopes and expiry and its user's column values, never the
token itself (keys are the stored SHA-256 digests). A hit still checks the expiry
against the clock and hands out a fresh detached `User`.

Staleness: a commit in this process that changes or deletes any user or access token
(revoking a token, a profile edit) empties the cache when it commits, so this process
sees the change on its next request. Other processes (`kosmos serve --workers N`, more
hosts) see it within `bearer_cache_seconds`. Set it to 0 to look every token up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, make_transient_to_detached

from kosmos import clock, db
from kosmos.accounts.tables import AccessToken, User


@dataclass(frozen=True, slots=True)
class _Entry:
    user_values: dict[str, Any]
    scopes: tuple[str, ...]
    expires_at: datetime | None
    stored_at: datetime


_entries: dict[str, _Entry] = {}
_generation = [0]  # counts clear(): a lookup that began before one is not kept


def generation() -> int:
    """Read before the token query; pass to `remember`."""
    return _generation[0]


def remember(
    token_digest: str,
    user: User,
    scopes: list[str],
    expires_at: datetime | None,
    *,
    since: int,
) -> None:
    """Keep a token the query found valid, unless the cache was emptied since the query
    began (`since`: `generation()` before it): the change that emptied it may be one
    the query did not see."""
    if since != _generation[0]:
        return
    values = {key: getattr(user, key) for key in _USER_COLUMNS}
    _entries[token_digest] = _Entry(values, tuple(scopes), expires_at, clock.now())


def recall(token_digest: str, seconds: float) -> tuple[User, list[str]] | None:
    """The token's user (detached, as `services.user_for_bearer` returns it) and scopes,
    if this process checked it less than `seconds` ago and it has not expired since."""
    entry = _entries.get(token_digest)
    if entry is None:
        return None
    now = clock.now()
    age = (now - entry.stored_at).total_seconds()
    if not 0 <= age < seconds:  # (a clock set back: as if expired)
        _entries.pop(token_digest, None)
        return None
    if entry.expires_at is not None and entry.expires_at <= now:
        _entries.pop(token_digest, None)
        return None
    user = User(**entry.user_values)
    make_transient_to_detached(user)
    return user, list(entry.scopes)


def clear() -> None:
    _generation[0] += 1
    _entries.clear()


_USER_COLUMNS = [c.key for c in User.__table__.columns]
_WATCHED = (User, AccessToken)


@event.listens_for(Session, "after_flush")
def _forget_on_commit(session: Session, _context: Any) -> None:
    """A flush that changed or deleted a user or a token empties the cache once its
    transaction commits (not before: a request in between would cache the old row)."""
    changed = (*session.dirty, *session.deleted)
    if any(isinstance(obj, _WATCHED) for obj in changed):
        db.on_commit(session, clear)
