"""Exit passes: the customer's view, and the gate where merchant staff check them.

Verification always happens here, by a staff account of the pass's store: the QR code
carries only the pass's unguessable id. A valid pass is used up by the check (a
conditional UPDATE: scanned twice, it lets one person out). A pass with an age-restricted
product, or drawn for a re-scan, stays closed until staff confirm those checks; shown in
time, it stays good while they do.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.accounts.tables import User
from kosmos.catalog.backoffice import staff_store
from kosmos.catalog.tables import Store
from kosmos.errors import Invalid, NotFound, Problem
from kosmos.places import live
from kosmos.places.scango import model
from kosmos.places.scango.model import PassFacts, ScanGoRuleError
from kosmos.places.scango.services import gate_key, get_visit, lines_of, pass_key
from kosmos.places.scango.tables import ExitPass, Line, Visit


class PassRefused(Problem):
    status, code, title = 409, "pass_refused", "Exit pass refused"
    remembered = False


@dataclass(frozen=True)
class PassView:
    exit_pass: ExitPass
    visit: Visit
    customer: User
    lines: list[Line]
    state: str  # model.pass_state
    pending: list[str]  # model.pending_checks


def facts(row: ExitPass) -> PassFacts:
    return PassFacts(
        expires_at=row.expires_at, used_at=row.used_at, presented_at=row.presented_at,
        min_age=row.min_age, age_confirmed=row.age_confirmed_at is not None,
        needs_rescan=row.needs_rescan, rescanned=row.rescanned_at is not None,
    )  # fmt: skip


def state_of(row: ExitPass, now: datetime | None = None) -> str:
    return model.pass_state(facts(row), now or clock.now())


def _view(session: Session, row: ExitPass) -> PassView:
    visit = session.get(Visit, row.visit_id)
    customer = session.get(User, row.user_id)
    assert visit is not None and customer is not None
    lines = lines_of(session, visit.id)
    return PassView(row, visit, customer, lines, state_of(row), model.pending_checks(facts(row)))


def _notify(session: Session, row: ExitPass, store: Store) -> None:
    staff = live.staff_ids(session, store.merchant_id)
    live.changed(session, [row.user_id, *staff], pass_key(row.id))
    live.changed(session, staff, gate_key(store.id))


# --- the customer --------------------------------------------------------------------------


def pass_of_visit(session: Session, user: User, visit_id: int) -> ExitPass:
    visit = get_visit(session, user, visit_id)
    row = session.scalar(select(ExitPass).where(ExitPass.visit_id == visit.id))
    if row is None:
        raise NotFound("This visit has no exit pass yet: pay first.", code="no_exit_pass")
    return row


def renew_pass(session: Session, user: User, visit_id: int) -> ExitPass:
    """A fresh id, code and 10 minutes for an unused pass that expired before the exit;
    the old id and code stop working."""
    row = pass_of_visit(session, user, visit_id)
    if state_of(row) != "expired":
        raise PassRefused(
            "Only an expired, unused exit pass can be renewed.", code="pass_not_expired"
        )
    now = clock.now()
    session.execute(
        update(ExitPass)
        .where(ExitPass.id == row.id, ExitPass.used_at.is_(None))
        .values(
            token=secrets.token_urlsafe(18),
            short_code=model.new_short_code(secrets.choice),
            expires_at=now + model.PASS_TTL,
        )  # fmt: skip
    )
    store = session.get(Store, row.store_id)
    assert store is not None
    _notify(session, row, store)
    session.commit()
    session.refresh(row)
    return row


# --- the gate ------------------------------------------------------------------------------


def find_pass(session: Session, store: Store, text: str) -> ExitPass:
    try:
        kind, value = model.parse_pass_input(text)
    except ScanGoRuleError as err:
        raise Invalid.from_rule(err) from err
    column = ExitPass.token if kind == "token" else ExitPass.short_code
    row = session.scalar(select(ExitPass).where(column == value))
    if row is None:
        raise NotFound("No exit pass has this code.", code="unknown_pass", field="code")
    if row.store_id != store.id:
        raise PassRefused("This exit pass is for another store.", code="pass_other_store",
                          field="code")  # fmt: skip
    return row


def _refuse_closed(row: ExitPass) -> None:
    state = state_of(row)
    if state == "used":
        raise PassRefused("This exit pass was already used.", code="pass_used", field="code")
    if state == "expired":
        raise PassRefused("This exit pass has expired: the customer can renew it in the app.",
                          code="pass_expired", field="code")  # fmt: skip


def _use(session: Session, row: ExitPass, staff: User) -> None:
    now = clock.now()
    used = session.execute(
        update(ExitPass)
        .where(ExitPass.id == row.id, ExitPass.used_at.is_(None))
        .values(used_at=now, checked_by_id=staff.id, presented_at=row.presented_at or now)
    )
    if used.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise PassRefused("This exit pass was already used.", code="pass_used", field="code")


def check_pass(session: Session, staff: User, store_id: int, text: str) -> PassView:
    """Staff scan or type a pass at the exit: a valid one is used up ("OK, goodbye");
    one with checks pending is marked as shown and waits for `confirm_checks`."""
    store = staff_store(session, staff, store_id)
    row = find_pass(session, store, text)
    _refuse_closed(row)
    if state_of(row) == "valid":
        _use(session, row, staff)
    elif row.presented_at is None:
        session.execute(
            update(ExitPass)
            .where(ExitPass.id == row.id, ExitPass.presented_at.is_(None))
            .values(presented_at=clock.now())
        )
    _notify(session, row, store)
    session.commit()
    session.refresh(row)
    return _view(session, row)


def gate_pass(session: Session, staff: User, store_id: int, pass_id: int) -> PassView:
    store = staff_store(session, staff, store_id)
    row = session.get(ExitPass, pass_id)
    if row is None or row.store_id != store.id:
        raise NotFound("No such exit pass.")
    return _view(session, row)


def confirm_checks(
    session: Session, staff: User, store_id: int, pass_id: int, *, age: bool, rescan: bool
) -> PassView:
    """Staff confirm the customer's age (ID seen) and/or the re-scan (cart matches); once
    nothing is pending, the pass is used up and the customer may go."""
    view = gate_pass(session, staff, store_id, pass_id)
    row = view.exit_pass
    _refuse_closed(row)
    if "age" in view.pending and not age:
        raise Invalid("Check the customer's ID first.", code="age_unconfirmed", field="age")
    if "rescan" in view.pending and not rescan:
        raise Invalid("Re-scan the cart first.", code="rescan_unconfirmed", field="rescan")
    now = clock.now()
    session.execute(
        update(ExitPass)
        .where(ExitPass.id == row.id, ExitPass.used_at.is_(None))
        .values(
            age_confirmed_at=row.age_confirmed_at or (now if row.min_age else None),
            rescanned_at=row.rescanned_at or (now if row.needs_rescan else None),
        )  # fmt: skip
    )
    _use(session, row, staff)
    store = session.get(Store, store_id)
    assert store is not None
    _notify(session, row, store)
    session.commit()
    session.refresh(row)
    return _view(session, row)


@dataclass(frozen=True)
class GateRow:
    exit_pass: ExitPass
    customer: str
    total_cents: int
    state: str


def gate_passes(session: Session, staff: User, store_id: int, limit: int = 20) -> list[GateRow]:
    """The store's newest passes (waiting, checked, used), for the gate page."""
    store = staff_store(session, staff, store_id)
    rows = session.execute(
        select(ExitPass, User.display_name, Visit.total_cents)
        .join(User, User.id == ExitPass.user_id)
        .join(Visit, Visit.id == ExitPass.visit_id)
        .where(ExitPass.store_id == store.id)
        .order_by(ExitPass.id.desc())
        .limit(limit)
    )
    now = clock.now()
    return [GateRow(row, name, total or 0, state_of(row, now)) for row, name, total in rows]
