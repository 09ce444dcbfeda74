"""Ledger use cases: open accounts, post balanced transfers, read and verify balances.

`post_transfer` is the only writer of entries. It checks the floors on the balances as
they stand and writes the transfer and its entries; the cached balances change at
COMMIT (`_apply_pending`, a `before_commit` hook): one `UPDATE ... SET balance = balance
+ delta RETURNING balance` per account, in one fixed order (`lock_order`), and the
floors checked again on what it returns. So on PostgreSQL a busy account's row is
locked only for those UPDATEs and the COMMIT (a shop's balance is touched by every
payment to it; its UPDATE, which needs no check, travels with the COMMIT in one round
trip: `kosmos.pg_commit`), and a payment that lost a race for the last euro is refused
at commit; on SQLite the writing session's BEGIN IMMEDIATE serializes writers anyway.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, bindparam, event, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kosmos import clock, db, fast_sql
from kosmos.errors import Invalid
from kosmos.money import Money
from kosmos.wallet import model
from kosmos.wallet.model import InsufficientFunds, LedgerRuleError, Posting
from kosmos.wallet.tables import (
    Hold,
    LedgerAccount,
    LedgerBalance,
    LedgerEntry,
    LedgerTransfer,
)


class NotEnoughMoney(Invalid):
    status, code, title = 422, "insufficient_funds", "Insufficient funds"


def open_account(
    session: Session,
    code: str,
    *,
    kind: str,
    currency: str = "EUR",
    floor: int | None = 0,
    owner_user_id: int | None = None,
    owner_merchant_id: int | None = None,
) -> LedgerAccount:
    """The account with this code, opened (with a zero balance) if it does not exist.
    Joins the caller's transaction; the caller commits."""
    account = session.scalar(select(LedgerAccount).where(LedgerAccount.code == code))
    if account is not None:
        return account
    try:
        with session.begin_nested():
            return _insert_account(
                session, code, kind, currency, floor, owner_user_id, owner_merchant_id
            )
    except IntegrityError:  # opened by a concurrent transaction just now
        return session.scalars(select(LedgerAccount).where(LedgerAccount.code == code)).one()


def _insert_account(
    session: Session,
    code: str,
    kind: str,
    currency: str,
    floor: int | None,
    owner_user_id: int | None,
    owner_merchant_id: int | None,
) -> LedgerAccount:
    account = LedgerAccount(
        code=code,
        kind=kind,
        currency=currency,
        floor=floor,
        owner_user_id=owner_user_id,
        owner_merchant_id=owner_merchant_id,
        created_at=clock.now(),
    )
    session.add(account)
    session.flush()
    session.add(LedgerBalance(account_id=account.id, balance=0, entry_count=0))
    session.flush()
    return account


def post_transfer(
    session: Session,
    postings: list[Posting],
    *,
    kind: str,
    description: str = "",
    reverses_id: int | None = None,
    details: dict[str, Any] | None = None,
    known: Mapping[int, Any] | None = None,
) -> int:
    """Record one balanced transfer; returns its id. Joins the caller's transaction; the
    caller commits. `known`: the accounts' balance rows the caller read in this
    transaction (`accounts.purchase_rows`), so they are not read again."""
    try:
        model.check_balanced(postings)
    except LedgerRuleError as err:
        raise Invalid.from_rule(err) from err
    ids = sorted({p.account_id for p in postings})
    if known is not None and all(i in known for i in ids):
        current = {i: known[i] for i in ids}
    else:
        current = _read_balances(session, ids)
    if len(current) != len(ids):
        raise Invalid("Unknown ledger account.", field="postings")
    for p in postings:
        if current[p.account_id].currency != p.amount.currency:
            raise Invalid("A posting's currency differs from its account's.", field="postings")
    pending = db.transaction_list(session, _PENDING)
    try:  # on the figures as they stand (locked late, at commit, and checked again there)
        model.check_limits(
            {i: current[i].balance + _pending_delta(pending, i) for i in ids},
            {i: current[i].floor for i in ids},
            postings,
        )
    except InsufficientFunds as err:
        raise NotEnoughMoney(str(err), field="amount", extra={"available": err.available}) from err
    # plain statements on the hot path: no unit of work
    transfer_id: int = _INSERT_TRANSFER.execute(
        session,
        {
            "kind": kind,
            "description": description[:200],
            "reverses_id": reverses_id,
            "details": details or {},
            "created_at": clock.now(),
        },
    ).scalar_one()
    _insert_entries(session, transfer_id, postings)
    for p in postings:
        pending.append(_Pending(p.account_id, p.amount.amount, current[p.account_id].floor))
    return transfer_id


@dataclass(frozen=True)
class _Pending:
    """One entry's change to its account's cached balance, applied at commit."""

    account_id: int
    delta: int
    floor: int | None


_PENDING = "kosmos_ledger_pending"
_FAILED = "kosmos_ledger_failed"
db.follow_transaction(_PENDING)


def _pending_delta(pending: list[_Pending], account_id: int) -> int:
    return sum(p.delta for p in pending if p.account_id == account_id)


@event.listens_for(Session, "before_commit")
def _apply_pending(session: Session) -> None:
    """The cached balances of the accounts this transaction posted to, updated right
    before COMMIT, in account-id order: on PostgreSQL the row locks are held only for
    these UPDATEs and the COMMIT, not for the rest of the use case. A floor the
    transfer would break (a concurrent payment spent the money meanwhile) refuses the
    commit; the transaction must then be rolled back."""
    if session.info.get(_FAILED):
        raise NotEnoughMoney("This transaction was refused; roll it back.", field="amount")
    if session.get_nested_transaction() is not None:
        return  # a SAVEPOINT released: the outer COMMIT applies everything
    pending: list[_Pending] = session.info.get(_PENDING) or []
    if not pending:
        return
    by_account: dict[int, list[_Pending]] = defaultdict(list)
    for p in pending:
        by_account[p.account_id].append(p)
    updates = [
        (account_id, sum(p.delta for p in changes), len(changes), changes[0].floor)
        for account_id, changes in by_account.items()
    ]
    updates.sort(key=lock_order)
    now = len(updates)  # the tail that needs no floor check goes with the COMMIT
    while now and not _needs_check(updates[now - 1]):
        now -= 1
    checked = fast_sql.together(  # a batch's wallets: one round trip
        session,
        *(
            (_UPDATE_BALANCE, {"id": account_id, "delta": delta, "entries": entries})
            for account_id, delta, entries, _floor in updates[:now]
        ),
    )
    for (_account_id, delta, _entries, floor), result in zip(updates[:now], checked, strict=True):
        new = result.scalar_one()
        if delta < 0 and floor is not None and new < floor:
            session.info[_FAILED] = True
            raise NotEnoughMoney(
                "Insufficient funds: the balance changed meanwhile.",
                field="amount",
                extra={"available": max(new - delta - floor, 0)},
            )
    for account_id, delta, entries, _floor in updates[now:]:
        _ADD_TO_BALANCE.execute_with_commit(
            session, {"id": account_id, "delta": delta, "entries": entries}
        )
    pending.clear()


_Update = tuple[int, int, int, int | None]  # account id, delta, entries, floor


def lock_order(update: _Update) -> tuple[bool, int]:
    """The order balance rows are locked in, the same in every transaction (so two
    never wait for each other in a cycle): accounts with a floor first, then those
    without (a shop's, a provider's clearing: shared by many payers, never checked),
    each by id. So the shared rows come last and need no check: they go with the COMMIT
    and stay locked only for the server's own work."""
    account_id, _delta, _entries, floor = update
    return floor is None, account_id


def _needs_check(update: _Update) -> bool:
    _account_id, delta, _entries, floor = update
    return delta < 0 and floor is not None


@event.listens_for(Session, "after_rollback")
def _forget_failure(session: Session) -> None:
    if session.get_nested_transaction() is None:
        session.info.pop(_FAILED, None)


_BALANCES = LedgerBalance.__table__
_ACCOUNTS = LedgerAccount.__table__
_TRANSFERS = LedgerTransfer.__table__
_INSERT_TRANSFER = fast_sql.Statement(
    fast_sql.insert_into(
        _TRANSFERS, ("kind", "description", "reverses_id", "details", "created_at")
    ).returning(_TRANSFERS.c.id)
)
_ENTRIES = LedgerEntry.__table__
_INSERT_ENTRY = fast_sql.Statement(
    fast_sql.insert_into(_ENTRIES, ("transfer_id", "account_id", "amount", "currency"))
)
_INSERT_TWO_ENTRIES = fast_sql.Statement(
    insert(_ENTRIES).values(
        [
            {
                "transfer_id": bindparam("transfer_id"),
                "account_id": bindparam(f"account_{n}"),
                "amount": bindparam(f"amount_{n}"),
                "currency": bindparam(f"currency_{n}"),
            }
            for n in (0, 1)
        ]
    )
)


def _insert_entries(session: Session, transfer_id: int, postings: Sequence[Posting]) -> None:
    """A transfer's entries; the usual two (a payment: one account pays, one receives)
    in one multi-row INSERT, which costs a statement and psycopg's pipeline less than
    `executemany`, sent with the COMMIT (`fast_sql.execute_with_commit`): nothing in the
    transaction reads entries back (`verify` runs in a transaction of its own), and an
    INSERT that failed there fails the COMMIT, so nothing is written."""
    if len(postings) == 2:
        values: dict[str, Any] = {"transfer_id": transfer_id}
        for n, p in enumerate(postings):
            values[f"account_{n}"] = p.account_id
            values[f"amount_{n}"] = p.amount.amount
            values[f"currency_{n}"] = p.amount.currency
        _INSERT_TWO_ENTRIES.execute_with_commit(session, values)
        return
    _INSERT_ENTRY.executemany(
        session,
        [
            {
                "transfer_id": transfer_id,
                "account_id": p.account_id,
                "amount": p.amount.amount,
                "currency": p.amount.currency,
            }
            for p in postings
        ],
    )


_ADD = (
    update(_BALANCES)
    .where(_BALANCES.c.account_id == bindparam("id"))
    .values(
        balance=_BALANCES.c.balance + bindparam("delta"),
        entry_count=_BALANCES.c.entry_count + bindparam("entries"),
    )
)
_UPDATE_BALANCE = fast_sql.Statement(_ADD.returning(_BALANCES.c.balance))  # to check
_ADD_TO_BALANCE = fast_sql.Statement(_ADD)  # no check: may go with the COMMIT
_BALANCE_ROWS: dict[int, fast_sql.Statement] = {}  # by how many accounts


def _balance_rows(count: int) -> fast_sql.Statement:
    """The balance rows (code, account id, balance, currency, floor) of the accounts
    whose id is one of `count` parameters, named id0, id1, ..."""
    found = _BALANCE_ROWS.get(count)
    if found is None:
        found = _BALANCE_ROWS[count] = fast_sql.Statement(
            balance_rows_query().where(
                _ACCOUNTS.c.id.in_([bindparam(f"id{i}") for i in range(count)])
            )
        )
    return found


def balance_rows_query() -> Select[Any]:
    """Balance rows as `post_transfer(known=...)` takes them: code, account id, balance,
    currency and floor (no WHERE yet)."""
    return select(
        _ACCOUNTS.c.code,
        _BALANCES.c.account_id,
        _BALANCES.c.balance,
        _ACCOUNTS.c.currency,
        _ACCOUNTS.c.floor,
    ).join(_ACCOUNTS, _ACCOUNTS.c.id == _BALANCES.c.account_id)


def _read_balances(session: Session, ids: list[int]) -> dict[int, Any]:
    """The balance rows with each account's currency and floor, in one query, not
    locked: `_apply_pending` changes them at commit."""
    rows = _balance_rows(len(ids)).all(session, {f"id{i}": v for i, v in enumerate(ids)})
    return {row.account_id: row for row in rows}


def balance(session: Session, account_id: int) -> Money:
    account = session.get(LedgerAccount, account_id)
    if account is None:
        raise Invalid("Unknown ledger account.", field="account")
    cached = session.scalar(
        select(LedgerBalance.balance).where(LedgerBalance.account_id == account_id)
    )
    pending = _pending_delta(session.info.get(_PENDING) or [], account_id)
    return Money((cached or 0) + pending, account.currency)


@dataclass(frozen=True)
class Violation:
    rule: str
    detail: str


def verify(session: Session) -> list[Violation]:
    """Every ledger invariant, re-checked from the entries. Empty list: all hold."""
    found: list[Violation] = []
    unbalanced = session.execute(
        select(LedgerEntry.transfer_id, LedgerEntry.currency, func.sum(LedgerEntry.amount))
        .group_by(LedgerEntry.transfer_id, LedgerEntry.currency)
        .having(func.sum(LedgerEntry.amount) != 0)
    ).all()
    found += [Violation("balanced", f"transfer {t} sums to {s} {c}") for t, c, s in unbalanced]
    single = (
        session.execute(
            select(LedgerEntry.transfer_id)
            .group_by(LedgerEntry.transfer_id)
            .having(func.count() < 2)
        )
        .scalars()
        .all()
    )
    found += [Violation("two_legs", f"transfer {t} has fewer than two entries") for t in single]
    sums = dict(
        session.execute(
            select(LedgerEntry.account_id, func.sum(LedgerEntry.amount)).group_by(
                LedgerEntry.account_id
            )
        ).all()
    )
    counts = dict(
        session.execute(
            select(LedgerEntry.account_id, func.count()).group_by(LedgerEntry.account_id)
        ).all()
    )
    for account, cached in session.execute(
        select(LedgerAccount, LedgerBalance).outerjoin(
            LedgerBalance, LedgerBalance.account_id == LedgerAccount.id
        )
    ):
        real = int(sums.get(account.id, 0))
        if cached is None:
            found.append(Violation("cache", f"account {account.code} has no balance row"))
            continue
        if cached.balance != real or cached.entry_count != counts.get(account.id, 0):
            found.append(
                Violation(
                    "cache", f"account {account.code}: cached {cached.balance} != entries {real}"
                )
            )
        if account.floor is not None and real < account.floor:
            found.append(
                Violation(
                    "floor", f"account {account.code} at {real} is below its floor {account.floor}"
                )
            )
    mismatched = (
        session.execute(
            select(LedgerEntry.id)
            .join(LedgerAccount, LedgerAccount.id == LedgerEntry.account_id)
            .where(LedgerEntry.currency != LedgerAccount.currency)
        )
        .scalars()
        .all()
    )
    found += [
        Violation("currency", f"entry {e} differs from its account's currency") for e in mismatched
    ]
    return found + _verify_holds(session, sums)


def _verify_holds(session: Session, sums: dict[int, int]) -> list[Violation]:
    """Each holds account carries exactly the open holds in its currency."""
    open_sums = dict(
        session.execute(
            select(Hold.currency, func.sum(Hold.amount))
            .where(Hold.status == "authorized")
            .group_by(Hold.currency)
        ).all()
    )
    found = []
    for account in session.scalars(select(LedgerAccount).where(LedgerAccount.kind == "holds")):
        real = int(sums.get(account.id, 0))
        expected = int(open_sums.get(account.currency, 0))
        if real != expected:
            found.append(
                Violation("holds", f"{account.code} holds {real} but open holds sum to {expected}")
            )
    return found
