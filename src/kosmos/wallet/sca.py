"""Payment PIN and strong customer authentication (PSD2).

A wallet payment needs the payment PIN when it is above 50 EUR, or when it would take
the total paid without a challenge since the last challenge above 150 EUR
(`model.needs_challenge`). A correct PIN resets that total. Five wrong PINs in a row
lock the PIN; setting a new one (which needs the account password) unlocks it. Wrong
tries are counted in their own transaction, so a failed payment still counts them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kosmos import clock, fast_sql
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
    transaction; returns how it was authorized ("exempt" or "pin"). A wrong PIN is
    committed as a wrong try before `WrongPin` is raised. Plain statements: this runs
    on every payment: the usual exempt payment is one conditional UPDATE that counts it
    (and on PostgreSQL locks the counters, as the full path's SELECT ... FOR UPDATE)."""
    room = model.exempt_room(amount)
    if pin is None and room is not None:
        counted = _COUNT_IF_EXEMPT.execute(
            session, {"payer": user_id, "amount": amount, "room": room}
        )
        if counted.rowcount == 1:
            return "exempt"
    row = _security_row(session, user_id)  # no counters yet, or a challenge is due
    challenge = pin is not None or model.needs_challenge(amount, row.unchallenged_total)
    if not challenge:
        _COUNT_EXEMPT.execute(session, {"payer": user_id, "amount": amount})
        return "exempt"
    conn = session.connection()
    if row.pin_hash is None:
        raise PinNotSet(
            "This payment needs your payment PIN. Set one up in the wallet first.", field="pin"
        )
    if row.locked_at is not None:
        raise PinLocked(
            "Your payment PIN is locked after too many wrong tries. Set a new one.", field="pin"
        )
    if pin is None:
        raise ScaRequired("Please confirm this payment with your payment PIN.", field="pin")
    now = clock.now()
    if not verify_password(row.pin_hash, pin):
        failed = row.failed_attempts + 1
        left = max(model.PIN_MAX_ATTEMPTS - failed, 0)
        conn.execute(
            update(_SECURITY)
            .where(_SECURITY.c.user_id == user_id)
            .values(failed_attempts=failed, locked_at=now if left == 0 else None, updated_at=now)
        )
        session.commit()
        if left == 0:
            raise PinLocked(
                "Your payment PIN is locked after too many wrong tries. Set a new one.",
                field="pin",
            )
        raise WrongPin(
            "Wrong payment PIN. %(left)s tries left.",
            field="pin",
            params={"left": left},
            extra={"attempts_left": left},
        )
    conn.execute(
        update(_SECURITY)
        .where(_SECURITY.c.user_id == user_id)
        .values(
            failed_attempts=0,
            unchallenged_total=0,
            unchallenged_count=0,
            last_challenge_at=now,
            updated_at=now,
        )
    )
    return "pin"


_SECURITY = WalletSecurity.__table__
_SELECT_SECURITY = select(
    _SECURITY.c.unchallenged_total,
    _SECURITY.c.failed_attempts,
    _SECURITY.c.pin_hash,
    _SECURITY.c.locked_at,
).where(_SECURITY.c.user_id == bindparam("user_id"))
_LOCK_SECURITY = fast_sql.Statement(_SELECT_SECURITY.with_for_update())  # SQLite: no FOR UPDATE
_COUNT = (
    update(_SECURITY)
    .where(_SECURITY.c.user_id == bindparam("payer"))
    .values(
        unchallenged_total=_SECURITY.c.unchallenged_total + bindparam("amount"),
        unchallenged_count=_SECURITY.c.unchallenged_count + 1,
    )
)
_COUNT_EXEMPT = fast_sql.Statement(_COUNT)
_COUNT_IF_EXEMPT = fast_sql.Statement(  # the rule's bound checked by the database
    _COUNT.where(_SECURITY.c.unchallenged_total <= bindparam("room"))
)


def _security_row(session: Session, user_id: int) -> Any:
    """The payer's counters, locked for this transaction (created on the first payment)."""
    row = _LOCK_SECURITY.first(session, {"user_id": user_id})
    if row is None:
        security_of(session, user_id, lock=True)
        row = _LOCK_SECURITY.execute(session, {"user_id": user_id}).one()
    return row
