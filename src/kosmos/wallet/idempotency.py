"""Idempotency keys with Stripe's semantics, for every money-moving POST.

- The same key with the same parameters answers the first answer again (status and
  body), marked with the header `Idempotent-Replayed: true`.
- The same key with other parameters: 422 `idempotency_key_reused`.
- The same key while the first request still runs: 409 `idempotency_key_in_flight`.
- Keys are kept for 24 hours (`KEY_TTL`), then swept.

The answer is stored in the same transaction as the money it describes: the service
calls `Claim.remember_result()` right before its commit, so either both exist or
neither does; a crash in between leaves nothing to clean up. Problems the client should
retry with the same key (a missing or wrong PIN: `Problem.remembered = False`) are not
stored. "Still running" is seen through an in-process registry and, on PostgreSQL, a
transaction-level advisory lock on the key; on SQLite the writer lock already
serializes requests, so a second process waits and then replays the first answer.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, TypeVar

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kosmos import clock, db, fast_sql
from kosmos.errors import Conflict, Problem, problem_body
from kosmos.wallet.tables import IdempotencyKey, Payment

KEY_TTL = timedelta(hours=24)
HEADER = "Idempotency-Key"
_KEY_SHAPE = re.compile(r"^[\x21-\x7e]{1,255}$")

T = TypeVar("T")


class KeyRequired(Problem):
    status, code, title = 400, "idempotency_key_required", "Idempotency-Key required"
    remembered = False


class KeyReused(Problem):
    status, code, title = 422, "idempotency_key_reused", "Idempotency key reused"
    remembered = False


class KeyInFlight(Conflict):
    code, title = "idempotency_key_in_flight", "Request with this key in progress"


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]
    replayed: bool = False


@dataclass
class Claim:
    """A key being used by the running request; the service stores the answer."""

    scope: str
    key: str
    fingerprint: str
    render: Callable[[Any], Answer]
    stored: bool = field(default=False)
    answer: Answer | None = None

    def remember_result(self, session: Session, result: Any) -> Answer:
        answer = self.render(result)
        payment_id = result.id if isinstance(result, Payment) else None
        self._store(session, answer, payment_id)
        self.answer = answer
        return answer

    def remember_problem(self, session: Session, exc: Problem) -> None:
        if exc.remembered:
            self._store(session, Answer(exc.status, problem_body(exc)), None)

    def _store(self, session: Session, answer: Answer, payment_id: int | None) -> None:
        now = clock.now()
        values = {
            "scope": self.scope,
            "key": self.key,
            "fingerprint": self.fingerprint,
            "response_status": answer.status,
            "response_body": answer.body,
            "payment_id": payment_id,
            "created_at": now,
            "expires_at": now + KEY_TTL,
        }
        _INSERT_KEY.execute_with_commit(session, values)  # nothing reads it before COMMIT
        self.stored = True


_KEYS = IdempotencyKey.__table__
_KEY_COLUMNS = ("scope", "key", "fingerprint", "response_status", "response_body", "payment_id",
                "created_at", "expires_at")  # fmt: skip
_INSERT_KEY = fast_sql.Statement(fast_sql.insert_into(_KEYS, _KEY_COLUMNS))
_SELECT_KEY = fast_sql.Statement(
    select(
        _KEYS.c.fingerprint, _KEYS.c.response_status, _KEYS.c.response_body, _KEYS.c.expires_at
    ).where(_KEYS.c.scope == bindparam("scope"), _KEYS.c.key == bindparam("key"))
)
_ADVISORY_LOCK = fast_sql.Statement(
    select(func.pg_try_advisory_xact_lock(func.hashtextextended(bindparam("lock"), 0)))
)
_DELETE_KEY = delete(_KEYS).where(
    _KEYS.c.scope == bindparam("scope"), _KEYS.c.key == bindparam("key")
)


def fingerprint(method: str, path: str, params: dict[str, Any]) -> str:
    """What makes two requests "the same": method, path and the parameters (the PIN
    is left out, so adding it on a retry is the same request)."""
    material = {k: v for k, v in params.items() if k != "pin"}
    text = json.dumps([method.upper(), path, material], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def checked_key(key: str | None) -> str:
    """The Idempotency-Key as sent, if it is one."""
    if key is None or not key.strip():
        raise KeyRequired("Send an Idempotency-Key header with every payment request.")
    if not _KEY_SHAPE.match(key):
        raise KeyRequired(
            "The Idempotency-Key must be 1 to 255 printable ASCII characters.", field=HEADER
        )
    return key


_running: set[tuple[str, str]] = set()
_running_lock = threading.Lock()


@contextmanager
def _in_process_guard(scope: str, key: str) -> Iterator[None]:
    with _running_lock:
        if (scope, key) in _running:
            raise KeyInFlight("A request with this Idempotency-Key is still in progress.")
        _running.add((scope, key))
    try:
        yield
    finally:
        with _running_lock:
            _running.discard((scope, key))


def run(
    session: Session,
    *,
    scope: str,
    key: str | None,
    fingerprint: str,
    render: Callable[[T], Answer],
    action: Callable[[Claim], T],
) -> Answer:
    """Run `action` once per key: the stored answer if the key was used before."""
    key = checked_key(key)
    with _in_process_guard(scope, key):
        db.begin_writing(session)
        previous = _claim_key(session, scope, key)
        if previous is not None and previous.expires_at <= clock.now():
            session.execute(_DELETE_KEY, {"scope": scope, "key": key})
            previous = None
        if previous is not None:
            if previous.fingerprint != fingerprint:
                raise KeyReused(
                    "This Idempotency-Key was already used for a different request.",
                    field=HEADER,
                )
            return Answer(previous.response_status, previous.response_body, replayed=True)
        claim = Claim(scope, key, fingerprint, render)
        try:
            result = action(claim)
        except Problem as exc:
            if db.commit_is_shared(session):
                raise  # the batch is rolled back and this payment done again alone
            session.rollback()
            claim.stored, claim.answer = False, None  # a refused commit stored nothing
            if exc.remembered:
                _store_problem(session, claim, exc)
            raise
        return claim.answer or render(result)


def _claim_key(session: Session, scope: str, key: str) -> Any:
    """The key's stored row, if any. On PostgreSQL first the key's advisory lock (409
    while another transaction holds it), sent with the SELECT in one round trip
    (`fast_sql.together`): the SELECT runs once the lock is granted, on a snapshot of
    its own, so it sees what the lock's previous holder committed. (One statement for
    both would not: its snapshot would be taken before the lock is granted.)"""
    where = {"scope": scope, "key": key}
    if session.get_bind().dialect.name != "postgresql":
        return _SELECT_KEY.first(session, where)
    locked, found = fast_sql.together(
        session, (_ADVISORY_LOCK, {"lock": f"{scope}|{key}"}), (_SELECT_KEY, where)
    )
    previous = found.first()
    if not locked.first()[0]:
        raise KeyInFlight("A request with this Idempotency-Key is still in progress.")
    return previous


def _store_problem(session: Session, claim: Claim, exc: Problem) -> None:
    try:
        claim.remember_problem(session, exc)
        session.commit()
    except IntegrityError:  # the same key finished in another process meanwhile
        session.rollback()


def sweep(session: Session) -> int:
    """Forget keys older than their time to live. Returns how many went."""
    result = session.execute(delete(IdempotencyKey).where(IdempotencyKey.expires_at <= clock.now()))
    session.commit()
    return int(getattr(result, "rowcount", 0) or 0)
