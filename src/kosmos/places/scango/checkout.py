"""Paying a Scan&Go visit, and the exit pass it earns.

The receipt lines are built here from the stored cart (never from the client) and paid
with `wallet.payments.pay_merchant`, which runs strong customer authentication (payment
PIN over 50 EUR ...) and the ledger transfer, and commits once. Right before that commit
it stores the idempotency answer; our hook runs there: a conditional UPDATE moves the
visit from open (at the cart version that was priced) to paid, and the exit pass is
written. So the money, the paid visit and the pass exist together or not at all; of two
taps on Pay only one UPDATE matches, the other rolls its payment back (409).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.accounts.tables import User
from kosmos.catalog.tables import Store
from kosmos.config import get_settings
from kosmos.errors import Conflict, Invalid, Problem
from kosmos.places import live
from kosmos.places.scango import model
from kosmos.places.scango.services import (
    cart_line,
    gate_key,
    get_visit,
    lines_of,
    visit_key,
)
from kosmos.places.scango.tables import ExitPass, Visit
from kosmos.wallet.idempotency import Answer, Claim, fingerprint
from kosmos.wallet.payments import pay_merchant


@dataclass(frozen=True)
class PaidVisit:
    visit_id: int
    payment_reference: str
    amount: int
    exit_pass: ExitPass


def pay_path(visit_id: int) -> str:
    return f"/scango/visits/{visit_id}/pay"


def pay_visit(
    session: Session,
    user: User,
    visit_id: int,
    *,
    pin: str | None = None,
    idem: Claim | None = None,
    draw: Callable[[int], int] = secrets.randbelow,
) -> PaidVisit:
    """Pay the cart from the wallet; returns the paid visit with its exit pass.

    `idem` is the route's Idempotency-Key claim; without one the visit itself is the key.
    `draw` decides the staff re-scan (1 in `settings.scango_rescan_one_in`)."""
    visit = get_visit(session, user, visit_id)
    if visit.status != "open":
        raise Conflict("This visit is already paid.", code="visit_paid")
    version, store_id, merchant_id = visit.version, visit.store_id, visit.merchant_id
    cart = [cart_line(line) for line in lines_of(session, visit.id)]
    if not cart:
        raise Invalid("Your cart is empty: scan a product first.", code="cart_empty", field="code")
    totals = model.cart_totals(cart)
    store = session.get(Store, store_id)
    assert store is not None
    claim = idem or Claim(
        scope=f"user:{user.id}", key=f"scango-visit:{visit_id}",
        fingerprint=fingerprint("POST", pay_path(visit_id), {}),
        render=lambda paid: Answer(201, {"visit": paid.visit_id}),
    )  # fmt: skip
    render = claim.render
    outcome: dict[str, PaidVisit] = {}

    def settle_then_render(payment: Any) -> Answer:
        # runs after SCA and the ledger transfer, right before the wallet's one commit
        outcome["paid"] = _settle(
            session, user, visit_id, version, store_id, merchant_id, payment, totals, draw
        )
        return render(outcome["paid"])

    claim.render = settle_then_render
    try:
        pay_merchant(
            session, user, merchant_id=merchant_id, amount=totals.total,
            lines=[line.wallet_line() for line in cart], store_id=store_id,
            description=f"Scan&Go · {store.name}", pin=pin, idem=claim,
        )  # fmt: skip
    except Problem:
        session.rollback()
        raise
    except IntegrityError as err:  # the visit's own key: paid at the same moment
        session.rollback()
        raise Conflict("This visit is already paid.", code="visit_paid") from err
    return outcome["paid"]


def _settle(
    session: Session,
    user: User,
    visit_id: int,
    version: int,
    store_id: int,
    merchant_id: int,
    payment: Any,
    totals: model.CartTotals,
    draw: Callable[[int], int],
) -> PaidVisit:
    now = clock.now()
    paid = session.execute(
        update(Visit)
        .where(Visit.id == visit_id, Visit.status == "open", Visit.version == version)
        .values(
            status="paid",
            total_cents=payment.amount,
            payment_reference=payment.reference,
            paid_at=now,
            updated_at=now,
        )  # fmt: skip
    )
    if paid.rowcount != 1:  # type: ignore[attr-defined]
        status = session.scalar(select(Visit.status).where(Visit.id == visit_id))
        if status == "open":
            raise Conflict(
                "Your cart changed while you were paying. Check it and pay again.",
                code="cart_changed",
            )
        raise Conflict("This visit is already paid.", code="visit_paid")
    exit_pass = ExitPass(
        visit_id=visit_id, user_id=user.id, store_id=store_id,
        token=secrets.token_urlsafe(18), short_code=model.new_short_code(secrets.choice),
        min_age=totals.min_age,
        needs_rescan=model.rescan_drawn(get_settings().scango_rescan_one_in, draw),
        created_at=now, expires_at=now + model.PASS_TTL,
    )  # fmt: skip
    session.add(exit_pass)
    session.flush()
    live.changed(session, [user.id], visit_key(visit_id))
    live.changed(session, live.staff_ids(session, merchant_id), gate_key(store_id))
    return PaidVisit(visit_id, payment.reference, payment.amount, exit_pass)
