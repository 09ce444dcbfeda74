"""Scan&Go JSON routes (under /api/v1/scango): check in, cart, pay, exit pass, and the
staff's exit gate. Bearer token (scope write for changes) or session cookie with the CSRF
header. A visit or pass of somebody else answers 404; the gate needs the store's staff.
Paying needs an `Idempotency-Key` header (Stripe semantics, see `wallet.idempotency`).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from kosmos.accounts.auth import api_user
from kosmos.accounts.tables import User
from kosmos.catalog.backoffice import staff_store
from kosmos.config import get_settings
from kosmos.places.scango import model, passes, services
from kosmos.places.scango.checkout import PaidVisit, pay_visit
from kosmos.places.scango.schemas import (
    CheckInIn,
    ConfirmIn,
    GateCheckIn,
    GateOut,
    PassOut,
    PayIn,
    QuantityIn,
    ScanIn,
    VisitOut,
    gate_out,
    pass_out,
    visit_out,
)
from kosmos.schemas import ObjectId
from kosmos.wallet.http import idempotent
from kosmos.wallet.idempotency import Answer
from kosmos.web.deps import get_db

router = APIRouter(prefix="/scango", tags=["scango"])
DB = Depends(get_db)
ME = Depends(api_user)


def _cart(db: Session, user: User, visit_id: int) -> dict[str, Any]:
    db.expire_all()
    return visit_out(services.get_cart(db, user, visit_id))


@router.post("/checkins", response_model=VisitOut, status_code=201)
def check_in(body: CheckInIn, response: Response, user: User = ME, db: Session = DB) -> Any:
    """Start (201) or resume (200) the caller's open visit at the store."""
    visit, created = services.check_in(db, user, body.store)
    response.status_code = 201 if created else 200
    return _cart(db, user, visit.id)


@router.get("/visits/{visit_id}", response_model=VisitOut)
def get_visit(visit_id: ObjectId, user: User = ME, db: Session = DB) -> Any:
    return _cart(db, user, visit_id)


@router.post("/visits/{visit_id}/lines", response_model=VisitOut, status_code=201)
def scan(visit_id: ObjectId, body: ScanIn, user: User = ME, db: Session = DB) -> Any:
    services.scan(db, user, visit_id, body.code)
    return _cart(db, user, visit_id)


@router.patch("/visits/{visit_id}/lines/{line_id}", response_model=VisitOut)
def set_quantity(
    visit_id: ObjectId, line_id: ObjectId, body: QuantityIn, user: User = ME, db: Session = DB
) -> Any:
    services.set_quantity(db, user, visit_id, line_id, body.quantity)
    return _cart(db, user, visit_id)


@router.delete("/visits/{visit_id}/lines/{line_id}", response_model=VisitOut)
def remove_line(visit_id: ObjectId, line_id: ObjectId, user: User = ME, db: Session = DB) -> Any:
    services.remove_line(db, user, visit_id, line_id)
    return _cart(db, user, visit_id)


@router.post("/visits/{visit_id}/pay", status_code=201)
def pay(
    visit_id: ObjectId, body: PayIn, request: Request, user: User = ME, db: Session = DB
) -> JSONResponse:
    """Pay the cart (amounts from the server's cart, never the client): 201 with the
    payment and the exit pass. Needs `Idempotency-Key`; `pin` when the wallet asks."""

    def render(paid: PaidVisit) -> Answer:
        return Answer(201, {
            "visit_id": paid.visit_id, "payment": paid.payment_reference, "amount": paid.amount,
            "currency": "EUR", "pass": pass_out(paid.exit_pass),
        })  # fmt: skip

    return idempotent(
        request, db, scope=f"user:{user.id}", body=body, render=render,
        action=lambda idem: pay_visit(db, user, visit_id, pin=body.pin, idem=idem),
    )  # fmt: skip


@router.get("/visits/{visit_id}/pass", response_model=PassOut)
def get_pass(visit_id: ObjectId, user: User = ME, db: Session = DB) -> Any:
    return pass_out(passes.pass_of_visit(db, user, visit_id))


@router.post("/visits/{visit_id}/pass/renew", response_model=PassOut)
def renew_pass(visit_id: ObjectId, user: User = ME, db: Session = DB) -> Any:
    return pass_out(passes.renew_pass(db, user, visit_id))


# --- staff ---------------------------------------------------------------------------------


@router.get("/stores/{store_id}/checkin")
def store_checkin(store_id: ObjectId, user: User = ME, db: Session = DB) -> dict[str, Any]:
    """What the store's check-in QR code carries (staff of the store only)."""
    store = staff_store(db, user, store_id)
    return {"store_id": store.id, "url": model.checkin_url(get_settings().base_url, store.slug)}


@router.post("/gate/{store_id}/checks", response_model=GateOut)
def check_pass(store_id: ObjectId, body: GateCheckIn, user: User = ME, db: Session = DB) -> Any:
    """A scanned or typed pass at the exit: state "used" (just now: let go) or "checks"
    (age or re-scan pending). Used, expired, unknown or foreign passes: 4xx."""
    return gate_out(passes.check_pass(db, user, store_id, body.code))


@router.get("/gate/{store_id}/passes/{pass_id}", response_model=GateOut)
def gate_pass(store_id: ObjectId, pass_id: ObjectId, user: User = ME, db: Session = DB) -> Any:
    return gate_out(passes.gate_pass(db, user, store_id, pass_id))


@router.post("/gate/{store_id}/passes/{pass_id}/confirm", response_model=GateOut)
def confirm(
    store_id: ObjectId, pass_id: ObjectId, body: ConfirmIn, user: User = ME, db: Session = DB
) -> Any:
    view = passes.confirm_checks(
        db, user, store_id, pass_id, age=body.age_checked, rescan=body.rescanned
    )
    return gate_out(view)
