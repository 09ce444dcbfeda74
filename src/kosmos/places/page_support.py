"""Shared by the Pay Places pages: dependencies, a problem as a field error, an
idempotent form post."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from kosmos.accounts.auth import page_user
from kosmos.errors import Problem
from kosmos.wallet import idempotency
from kosmos.wallet.idempotency import Answer, Claim
from kosmos.web.csrf import require_csrf
from kosmos.web.deps import get_db

DB = Depends(get_db)
ME = Depends(page_user)
CSRF = [Depends(require_csrf)]


def errors_of(exc: Problem, default: str = "_form") -> dict[str, str]:
    return {exc.field or default: exc.localized()}


def redirect(url: str) -> Response:
    return RedirectResponse(url, status_code=303)


def paid_answer(payment: Any) -> Answer:
    return Answer(303, {"reference": payment.reference, "status": payment.status})


def run_form(request: Request, db: Session, scope: str, key: str, params: dict[str, Any],
             action: Callable[[Claim], Any],
             render_answer: Callable[[Any], Answer] = paid_answer) -> Answer:  # fmt: skip
    """A money-moving form under the hidden idempotency key it was rendered with: a double
    click or a resubmitted form pays once and gets the first answer."""
    return idempotency.run(
        db, scope=scope, key=key or None,
        fingerprint=idempotency.fingerprint("POST", request.url.path, params),
        render=render_answer, action=action,
    )  # fmt: skip
