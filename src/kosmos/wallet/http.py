"""Shared by the wallet's JSON routes: run a money-moving call under its Idempotency-Key
and turn the (possibly replayed) answer into a response."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from kosmos.errors import PROBLEM_JSON
from kosmos.wallet import idempotency
from kosmos.wallet.batching import Job
from kosmos.wallet.idempotency import Answer, Claim
from kosmos.wallet.schemas import HoldOut, PaymentOut
from kosmos.wallet.tables import Hold, Payment

T = TypeVar("T")


def payment_out(payment: Payment, *, viewer_id: int | None = None) -> dict[str, Any]:
    from kosmos.wallet.history import signed_amount

    data = PaymentOut.model_validate(payment, from_attributes=True)
    if viewer_id is not None:
        data.signed_amount = signed_amount(payment, viewer_id)
    if payment.status == "requires_action":
        data.next_action = {
            "type": "confirm",
            "url": f"/api/v1/wallet/topups/{payment.reference}/confirm",
        }
    return data.model_dump(mode="json")


def hold_out(hold: Hold) -> dict[str, Any]:
    return HoldOut.model_validate(hold, from_attributes=True).model_dump(mode="json")


def pdf_response(content: bytes, filename: str, *, download: bool = False) -> Response:
    """A PDF shown in the browser, or (download=True) saved as `filename`."""
    disposition = "attachment" if download else "inline"
    return Response(
        content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'{disposition}; filename="{filename}"'},
    )


def respond(answer: Answer) -> JSONResponse:
    headers = {"Idempotent-Replayed": "true"} if answer.replayed else {}
    media = PROBLEM_JSON if answer.status >= 400 else "application/json"
    return JSONResponse(answer.body, status_code=answer.status, media_type=media, headers=headers)


def idempotent(
    request: Request,
    db: Session,
    *,
    scope: str,
    body: BaseModel | None,
    render: Callable[[T], Answer],
    action: Callable[[Claim], T],
) -> JSONResponse:
    """`money_job`, run at once in the route's session (the routes not batched)."""
    job = money_job(
        request, scope=scope, body=body, render=render, action=lambda _db, claim: action(claim)
    )
    return respond(job.run(db))


def money_job(
    request: Request,
    *,
    scope: str,
    body: BaseModel | None,
    render: Callable[[T], Answer],
    action: Callable[[Session, Claim], T],
) -> Job:
    """The request's use case under its Idempotency-Key, for `batching.run`: the key is
    checked now (a missing key is answered before anything is queued)."""
    key = idempotency.checked_key(request.headers.get(idempotency.HEADER))
    params = body.model_dump(mode="json") if body is not None else {}
    digest = idempotency.fingerprint(request.method, request.url.path, params)

    def run(session: Session) -> Answer:
        return idempotency.run(
            session, scope=scope, key=key, fingerprint=digest, render=render,
            action=lambda claim: action(session, claim),
        )  # fmt: skip

    return Job(scope, key, run)


def created_payment(viewer_id: int | None = None) -> Callable[[Payment], Answer]:
    def render(payment: Payment) -> Answer:
        status = 202 if payment.status == "requires_action" else 201
        return Answer(status, payment_out(payment, viewer_id=viewer_id))

    return render


def created_hold(hold: Hold) -> Answer:
    return Answer(201, hold_out(hold))
