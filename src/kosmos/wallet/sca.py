"""Payment PIN and strong customer authentication (PSD2).

A wallet payment needs the payment PIN when it is above 50 EUR, or when it would take
the total paid without a challenge since the last challenge above 150 EUR
(`model.needs_challenge`). A correct PIN resets that total. Five wrong PINs in a row
lock the PIN; setting a new one (which needs the account password) unlocks it. Wrong
tries are counted in their own transaction, so a failed payment still counts them.

Every payment changes the payer's counters at COMMIT, first of the commit's statements
(`_settle_at_commit`): an exempt one counts itself with one conditional UPDATE, one
confirmed with the PIN resets them. What decides between the two paths is read without
a lock. So every payment locks the counters at the same point (after whatever else it
wrote, before the ledger's balances), and two payments of one payer never wait for each
other in a cycle; on PostgreSQL the row stays locked only for the commit's own
statements, not for the whole payment, and the next payment of the same payer waits
that much less. If by then the total has no room left (a concurrent payment used it),
or the PIN was locked or replaced meanwhile, the commit is refused with the matching
Problem and the transaction must be rolled back, as for any Problem. A wrong PIN is
counted at once, in one atomic UPDATE, and committed. A payer's tries with a PIN wait
for each other (on PostgreSQL a transaction-level advisory lock, taken before the
counters are read; a SQLite writer has the database to itself), so parallel guesses
cannot get past the lock-out: each one sees the wrong tries committed before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NoReturn

from sqlalchemy import bindparam, case, event, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kosmos import clock, db, fast_sql
from kosmos.accounts.passwords import hash_password, verify_password
from kosmos.accounts.tables import User
from kosmos.errors import Forbidden, Invalid, Problem
from kosmos.wallet import model
from kosmos.wallet.model import LedgerRuleError
from kosmos.wallet.tables import WalletSecurity


class ScaRequired(Problem):
    status, code, title = 403, "sca_required", "Payment PIN required"
    remembered = False


class PinNotSet(Problem):
    status, code, title = 403, "pin_not_set", "Payment PIN not set up"
    remembered = False


class WrongPin(Problem):
    status, code, title = 403, "pin_wrong", "Wrong payment PIN"
    remembered = False


class PinLocked(Problem):
    status, code, title = 423, "pin_locked", "Payment PIN locked"
    remembered = False


def security_of(session: Session, user_id: int, *, lock: bool = False) -> WalletSecurity:
    query = select(WalletSecurity).where(WalletSecurity.user_id == user_id)
    if lock and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    row = session.scalar(query.execution_options(populate_existing=True))
    if row is not None:
        return row
    try:
        with session.begin_nested():
            session.add(
                WalletSecurity(
                    user_id=user_id,
                    failed_attempts=0,
                    unchallenged_total=0,
                    unchallenged_count=0,
                    updated_at=clock.now(),
                )  # fmt: skip
            )
    except IntegrityError:
        pass  # created by a concurrent first payment: lock that one
    return session.scalars(query.execution_options(populate_existing=True)).one()


def has_pin(session: Session, user: User) -> bool:
    row = session.get(WalletSecurity, user.id)
    return row is not None and row.pin_hash is not None


def set_pin(session: Session, user: User, *, password: str, pin: str) -> None:
    """Set (or replace) the payment PIN; the account password proves who asks."""
    if not verify_password(user.password_hash, password):
        raise Forbidden("The password is not correct.", code="wrong_password", field="password")
    try:
        model.check_pin(pin)
    except LedgerRuleError as err:
        raise Invalid.from_rule(err) from err
    row = security_of(session, user.id, lock=True)
    row.pin_hash = hash_password(pin)
    row.failed_attempts = 0
    row.locked_at = None
    row.updated_at = clock.now()
    session.commit()


def authorize_payment(session: Session, user_id: int, amount: int, pin: str | None) -> str:
    """Check strong customer authentication for an outgoing payment in the caller's
    transaction; returns how it was authorized ("exempt" or "pin"). The counters change
    at COMMIT (`_settle_at_commit`). A wrong PIN is committed as a wrong try before
    `WrongPin` is raised."""
    room = model.exempt_room(amount)
    if pin is None and room is not None:
        db.transaction_list(session, _AT_COMMIT).append(_Exempt(user_id, amount, room))
        return "exempt"
    if pin is not None and session.get_bind().dialect.name == "postgresql":
        _ONE_PIN_TRY_AT_A_TIME.scalar(session, {"lock": f"sca-pin:{user_id}"})
    row = _READ_SECURITY.first(session, {"user_id": user_id})
    _refuse_without_pin(row, pin)
    assert row is not None and pin is not None  # refused above otherwise
    if not verify_password(row.pin_hash, pin):
        _count_wrong_pin(session, user_id)
    db.transaction_list(session, _AT_COMMIT).append(_Confirmed(user_id, row.pin_hash))
    return "pin"


@dataclass(frozen=True)
class _Exempt:
    user_id: int
    amount: int
    room: int  # the highest total before it that leaves it exempt


@dataclass(frozen=True)
class _Confirmed:
    user_id: int
    pin_hash: str  # the PIN it was confirmed with, still the payer's at commit


_AT_COMMIT = "kosmos_sca_at_commit"
db.follow_transaction(_AT_COMMIT)


@event.listens_for(Session, "before_commit", insert=True)  # before the ledger's balances
def _settle_at_commit(session: Session) -> None:
    """Count each exempt payment of this transaction (the rule's bound checked by the
    database; with no counters yet, or no room left, the full check, which creates them
    or refuses) and reset the counters for each payment confirmed with the PIN.

    The checked UPDATEs of a batch's payers go in one round trip (`fast_sql.together`),
    in user-id order: two batches (two server processes) never wait in a cycle. The
    database runs them one after another, so a payer's second payment in the batch
    counts on top of the first, as sent one by one. A step whose UPDATE matched no row
    then takes the full check, in the same order; it locks its row after the later
    payers' rows, so a batch doing so could deadlock with another: PostgreSQL breaks
    that, and the batch is done again one payment at a time (`batching`). Only a batch
    has several steps (every use case pays once per transaction): a single step is
    checked exactly as before."""
    if session.get_nested_transaction() is not None:
        return  # a SAVEPOINT released: the outer COMMIT settles everything
    waiting: list[_Exempt | _Confirmed] = session.info.get(_AT_COMMIT) or []
    if not waiting:
        return
    waiting.sort(key=lambda step: step.user_id)
    checked = fast_sql.together(session, *(_checked_update(step) for step in waiting))
    for step, result in zip(waiting, checked, strict=True):
        if result.rowcount == 1:
            continue
        if isinstance(step, _Exempt):
            _count_exempt_in_full(session, step)
        else:
            _refuse_without_pin(_security_row(session, step.user_id), None)  # locked, or replaced
    waiting.clear()


def _checked_update(step: _Exempt | _Confirmed) -> tuple[fast_sql.Statement, dict[str, Any]]:
    if isinstance(step, _Exempt):
        values = {"payer": step.user_id, "amount": step.amount, "room": step.room}
        return _COUNT_IF_EXEMPT, values
    values = {"payer": step.user_id, "pin_hash": step.pin_hash, "now": clock.now()}
    return _RESET_IF_PIN_HOLDS, values


def _count_exempt_in_full(session: Session, step: _Exempt) -> None:
    row = _security_row(session, step.user_id)  # no counters yet, or no room left
    if model.needs_challenge(step.amount, row.unchallenged_total):
        _refuse_without_pin(row, None)
    _COUNT_EXEMPT.execute(session, {"payer": step.user_id, "amount": step.amount})


def _refuse_without_pin(row: Any, pin: str | None) -> None:
    """Raise why a payment that needs the PIN cannot go ahead without a right one."""
    if row is None or row.pin_hash is None:
        raise PinNotSet(
            "This payment needs your payment PIN. Set one up in the wallet first.", field="pin"
        )
    if row.locked_at is not None:
        raise PinLocked(
            "Your payment PIN is locked after too many wrong tries. Set a new one.", field="pin"
        )
    if pin is None:
        raise ScaRequired("Please confirm this payment with your payment PIN.", field="pin")


def _count_wrong_pin(session: Session, user_id: int) -> NoReturn:
    """One more wrong try, counted by the database (concurrent tries each count) and
    committed; the PIN locks at the last one."""
    failed = _COUNT_WRONG_PIN.execute(
        session, {"payer": user_id, "limit": model.PIN_MAX_ATTEMPTS, "now": clock.now()}
    ).scalar_one()
    session.commit()
    left = max(model.PIN_MAX_ATTEMPTS - failed, 0)
    if left == 0:
        raise PinLocked(
            "Your payment PIN is locked after too many wrong tries. Set a new one.", field="pin"
        )
    raise WrongPin(
        "Wrong payment PIN. %(left)s tries left.",
        field="pin",
        params={"left": left},
        extra={"attempts_left": left},
    )


_SECURITY = WalletSecurity.__table__
_SELECT_SECURITY = select(
    _SECURITY.c.unchallenged_total,
    _SECURITY.c.failed_attempts,
    _SECURITY.c.pin_hash,
    _SECURITY.c.locked_at,
).where(_SECURITY.c.user_id == bindparam("user_id"))
_READ_SECURITY = fast_sql.Statement(_SELECT_SECURITY)
_ONE_PIN_TRY_AT_A_TIME = fast_sql.Statement(  # a payer's PIN tries wait for each other
    select(func.pg_advisory_xact_lock(func.hashtextextended(bindparam("lock"), 0)))
)
_LOCK_SECURITY = fast_sql.Statement(_SELECT_SECURITY.with_for_update())  # SQLite: no FOR UPDATE
_PAYER = _SECURITY.c.user_id == bindparam("payer")
_COUNT = (
    update(_SECURITY)
    .where(_PAYER)
    .values(
        unchallenged_total=_SECURITY.c.unchallenged_total + bindparam("amount"),
        unchallenged_count=_SECURITY.c.unchallenged_count + 1,
    )
)
_COUNT_EXEMPT = fast_sql.Statement(_COUNT)
_COUNT_IF_EXEMPT = fast_sql.Statement(  # the rule's bound checked by the database
    _COUNT.where(_SECURITY.c.unchallenged_total <= bindparam("room"))
)
_RESET_IF_PIN_HOLDS = fast_sql.Statement(
    update(_SECURITY)
    .where(
        _PAYER,
        _SECURITY.c.pin_hash == bindparam("pin_hash"),
        _SECURITY.c.locked_at.is_(None),
    )
    .values(
        failed_attempts=0,
        unchallenged_total=0,
        unchallenged_count=0,
        last_challenge_at=bindparam("now"),
        updated_at=bindparam("now"),
    )
)
_FAILED_NOW = _SECURITY.c.failed_attempts + 1
_COUNT_WRONG_PIN = fast_sql.Statement(
    update(_SECURITY)
    .where(_PAYER)
    .values(
        failed_attempts=_FAILED_NOW,
        locked_at=case(
            (bindparam("limit") <= _FAILED_NOW, bindparam("now")), else_=_SECURITY.c.locked_at
        ),
        updated_at=bindparam("now"),
    )
    .returning(_SECURITY.c.failed_attempts)
)


def _security_row(session: Session, user_id: int) -> Any:
    """The payer's counters, locked for this transaction (created on the first payment)."""
    row = _LOCK_SECURITY.first(session, {"user_id": user_id})
    if row is None:
        security_of(session, user_id, lock=True)
        row = _LOCK_SECURITY.execute(session, {"user_id": user_id}).one()
    return row
