"""Wallet pages: balance and history, top-up, send to a friend, pay a request,
receipts (page, PDF, e-invoice), payment PIN. Thin: parse the form, call a service.

Every money-moving form carries a hidden idempotency key made when the page was
rendered, so a double click or a resubmitted form moves money once; the answer is the
first one (Post/Redirect/Get to the result).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from kosmos.accounts.auth import page_user
from kosmos.accounts.friends import list_friends
from kosmos.accounts.tables import User
from kosmos.errors import NotFound, Problem
from kosmos.money import Money
from kosmos.wallet import holds, idempotency, payments, requests, sca, topups
from kosmos.wallet.documents.girocode import epc_payload, girocode_png
from kosmos.wallet.history import DIRECTIONS, KINDS, HistoryFilter, list_history, signed_amount
from kosmos.wallet.idempotency import Answer, Claim
from kosmos.wallet.tables import Payment
from kosmos.web.csrf import require_csrf
from kosmos.web.deps import get_db
from kosmos.web.forms import parse_cents
from kosmos.web.i18n import _
from kosmos.web.render import render

router = APIRouter(include_in_schema=False)
DB = Depends(get_db)
ME = Depends(page_user)
CSRF = [Depends(require_csrf)]
PAGE = 30


def _errors(exc: Problem, default: str = "_form") -> dict[str, str]:
    return {exc.field or default: exc.localized()}


def _redirect(url: str) -> Response:
    return RedirectResponse(url, status_code=303)


def _ref_answer(payment: Any) -> Answer:
    return Answer(303, {"reference": payment.reference, "status": payment.status})


def _run(
    request: Request,
    db: Session,
    user: User,
    key: str,
    params: dict[str, Any],
    action: Callable[[Claim], Any],
) -> Answer:
    return idempotency.run(
        db,
        scope=f"user:{user.id}",
        key=key or None,
        fingerprint=idempotency.fingerprint("POST", request.url.path, params),
        render=_ref_answer,
        action=action,
    )


# --- wallet home ------------------------------------------------------------------------


def _wallet_page(
    request: Request,
    db: Session,
    user: User,
    *,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    status: int = 200,
    kind: str | None = None,
    direction: str | None = None,
    before: int | None = None,
    flashes: list[str] | None = None,
) -> Response:
    rows = list_history(
        db,
        user,
        HistoryFilter(kind=kind, direction=direction),
        before_id=before,
        limit=PAGE + 1,
    )
    return render(
        request,
        "wallet/wallet.html",
        {
            "section": "wallet",
            "balance": payments.wallet_balance(db, user).amount,
            "held": holds.held_total(db, user),
            "pin_set": sca.has_pin(db, user),
            "history": [(p, signed_amount(p, user.id)) for p in rows[:PAGE]],
            "more": rows[PAGE - 1].id if len(rows) > PAGE else None,
            "friends": sorted(
                (f for f, _since in list_friends(db, user)), key=lambda f: f.display_name.lower()
            ),
            "names": _names(db, rows),
            "kind": kind or "",
            "direction": direction or "",
            "kinds": KINDS,
            "errors": errors or {},
            "form": form or {},
            "key": str(uuid.uuid4()),
            "flashes": flashes or [],
        },
        status_code=status,
    )


def _names(db: Session, rows: list[Payment]) -> dict[tuple[str, int], str]:
    from kosmos.catalog.tables import Merchant

    user_ids = {p.user_id for p in rows} | {
        p.counterparty_user_id for p in rows if p.counterparty_user_id
    }
    merchant_ids = {p.merchant_id for p in rows if p.merchant_id}
    names: dict[tuple[str, int], str] = {}
    for uid, name in db.execute(select(User.id, User.display_name).where(User.id.in_(user_ids))):
        names[("user", uid)] = name
    for mid, name in db.execute(
        select(Merchant.id, Merchant.name).where(Merchant.id.in_(merchant_ids))
    ):
        names[("merchant", mid)] = name
    return names


@router.get("/wallet")
def wallet(
    request: Request,
    kind: str | None = Query(None),
    direction: str | None = Query(None),
    before: int | None = Query(None, ge=1, le=2**53),
    done: str | None = Query(None, max_length=20),
    user: User = ME,
    db: Session = DB,
) -> Response:
    kind = kind if kind in KINDS else None
    direction = direction if direction in DIRECTIONS else None
    flashes = {
        "topup": [_("Money added to your wallet.")],
        "sent": [_("Money sent.")],
        "paid": [_("Paid. Your receipt is in the wallet.")],
        "pin": [_("Your payment PIN is set.")],
        "again": [_("This was already done; nothing was charged twice.")],
    }.get(done or "", [])
    return _wallet_page(
        request, db, user, kind=kind, direction=direction, before=before, flashes=flashes
    )


@router.post("/wallet/topup", dependencies=CSRF)
def top_up(
    request: Request,
    amount: str = Form(""),
    source: str = Form(""),
    idempotency_key: str = Form(""),
    user: User = ME,
    db: Session = DB,
) -> Response:
    form = {"amount": amount, "source": source}
    try:
        cents = parse_cents(amount, "amount", highest=topups.TOPUP_LIMIT)
        answer = _run(
            request, db, user, idempotency_key, {"amount": cents, "source": source},
            lambda idem: topups.top_up(db, user, amount=cents, source=source, idem=idem),
        )  # fmt: skip
    except Problem as exc:
        return _wallet_page(
            request, db, user, errors=_errors(exc, "amount"), form=form, status=exc.status
        )
    if answer.status >= 400:
        return _redirect("/wallet?done=again")
    if answer.body["status"] == "requires_action":
        return _redirect(f"/wallet/topups/{answer.body['reference']}")
    return _redirect("/wallet?done=again" if answer.replayed else "/wallet?done=topup")


@router.get("/wallet/topups/{reference}")
def confirm_page(reference: str, request: Request, user: User = ME, db: Session = DB) -> Response:
    payment = payments.get_payment(db, user, reference)
    if payment.kind != "topup":
        raise NotFound("No such payment.")
    return render(
        request,
        "wallet/confirm.html",
        {"section": "wallet", "payment": payment, "key": str(uuid.uuid4())},
    )


@router.post("/wallet/topups/{reference}/confirm", dependencies=CSRF)
def confirm(
    reference: str,
    request: Request,
    approve: str = Form("no"),
    idempotency_key: str = Form(""),
    user: User = ME,
    db: Session = DB,
) -> Response:
    yes = approve == "yes"
    try:
        _run(
            request, db, user, idempotency_key, {"approve": yes},
            lambda idem: topups.confirm_top_up(db, user, reference, approve=yes, idem=idem),
        )  # fmt: skip
    except Problem as exc:
        return _wallet_page(request, db, user, errors=_errors(exc), status=exc.status)
    return _redirect("/wallet?done=topup" if yes else "/wallet")


@router.post("/wallet/send", dependencies=CSRF)
def send(
    request: Request,
    friend_id: str = Form(""),
    send_amount: str = Form(""),
    note: str = Form(""),
    pin: str = Form(""),
    idempotency_key: str = Form(""),
    user: User = ME,
    db: Session = DB,
) -> Response:
    form = {"friend_id": friend_id, "amount": send_amount, "note": note}
    try:
        if not friend_id.isdigit():
            raise NotFound("Choose a friend.", field="friend_id")
        cents = parse_cents(send_amount, "send_amount", highest=payments.SEND_LIMIT)
        params = {"friend_id": int(friend_id), "amount": cents, "note": note}
        answer = _run(
            request, db, user, idempotency_key, params,
            lambda idem: payments.send_to_friend(
                db, user, friend_id=int(friend_id), amount=cents, note=note,
                pin=pin or None, idem=idem,
            ),
        )  # fmt: skip
    except Problem as exc:
        field = {"amount": "send_amount"}.get(exc.field or "", exc.field or "send_amount")
        return _wallet_page(
            request, db, user, errors={field: exc.localized()}, form=form, status=exc.status
        )
    return _redirect("/wallet?done=again" if answer.replayed else "/wallet?done=sent")


# --- paying a merchant's request ----------------------------------------------------------


@router.get("/wallet/requests/{reference}")
def request_page(reference: str, request: Request, user: User = ME, db: Session = DB) -> Response:
    return _request_page(request, db, user, reference, {})


def _request_page(
    request: Request,
    db: Session,
    user: User,
    reference: str,
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    from kosmos.catalog.tables import Merchant

    payment_request = requests.get_request(db, reference)
    return render(
        request,
        "wallet/request.html",
        {
            "section": "wallet",
            "req": payment_request,
            "merchant": db.get(Merchant, payment_request.merchant_id),
            "balance": payments.wallet_balance(db, user).amount,
            "errors": errors,
            "key": str(uuid.uuid4()),
        },
        status_code=status,
    )


@router.post("/wallet/requests/{reference}/pay", dependencies=CSRF)
def pay_request(
    reference: str,
    request: Request,
    pin: str = Form(""),
    idempotency_key: str = Form(""),
    user: User = ME,
    db: Session = DB,
) -> Response:
    try:
        answer = _run(
            request, db, user, idempotency_key, {},
            lambda idem: payments.pay_request(db, user, reference, pin=pin or None, idem=idem),
        )  # fmt: skip
    except Problem as exc:
        return _request_page(request, db, user, reference, _errors(exc, "pin"), exc.status)
    if answer.status >= 400:
        return _redirect("/wallet?done=again")
    return _redirect(f"/wallet/receipts/{answer.body['reference']}")


@router.get("/wallet/requests/{reference}/girocode.png")
def request_girocode(reference: str, db: Session = DB, user: User = ME) -> Response:
    """The request as a GiroCode (EPC QR), so any German banking app can pay it."""
    from kosmos.catalog.tables import Merchant

    payment_request = requests.get_request(db, reference)
    merchant = db.get(Merchant, payment_request.merchant_id)
    if merchant is None or not merchant.iban:
        raise NotFound("This merchant takes no bank transfers.")
    payload = epc_payload(
        name=merchant.name,
        iban=merchant.iban,
        amount=Money(payment_request.amount, payment_request.currency),
        text=f"Kosmos {payment_request.reference}",
    )
    return Response(girocode_png(payload), media_type="image/png")


# --- payment PIN --------------------------------------------------------------------------


@router.get("/wallet/pin")
def pin_page(request: Request, user: User = ME, db: Session = DB) -> Response:
    return render(
        request,
        "wallet/pin.html",
        {"section": "wallet", "errors": {}, "pin_set": sca.has_pin(db, user)},
    )


@router.post("/wallet/pin", dependencies=CSRF)
def set_pin(
    request: Request,
    password: str = Form(""),
    pin: str = Form(""),
    pin_again: str = Form(""),
    user: User = ME,
    db: Session = DB,
) -> Response:
    try:
        if pin != pin_again:
            raise Problem(
                "The two PINs differ.", status=422, code="pin_mismatch", field="pin_again"
            )
        sca.set_pin(db, user, password=password, pin=pin)
    except Problem as exc:
        return render(
            request,
            "wallet/pin.html",
            {"section": "wallet", "errors": _errors(exc, "pin"), "pin_set": sca.has_pin(db, user)},
            status_code=exc.status,
        )
    return _redirect("/wallet?done=pin")
