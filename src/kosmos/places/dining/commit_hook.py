"""Run restaurant writes inside a wallet payment's transaction, right before its one
commit: `pay_merchant` ends by storing the idempotency answer and committing, so the
dining rows (dishes paid, an order written) are written at that point through the claim.
They exist exactly when the payment does; a conditional UPDATE that finds its rows taken
raises, and the payment rolls back with it. (Before that point the wallet may commit on
its own: a wrong payment PIN counts its try.)"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from kosmos.wallet.idempotency import Answer, Claim


def _no_answer(_result: Any) -> Answer:
    return Answer(201, {})


@dataclass
class BeforeCommit(Claim):
    """A claim that first runs `hook(payment)`, then stores the caller's claim (if any)."""

    hook: Callable[[Any], None] = field(default=lambda _p: None)
    inner: Claim | None = None

    def remember_result(self, session: Session, result: Any) -> Answer:
        self.hook(result)
        if self.inner is None:
            return _no_answer(result)
        return self.inner.remember_result(session, result)


def before_commit(inner: Claim | None, hook: Callable[[Any], None]) -> BeforeCommit:
    return BeforeCommit(scope="", key="", fingerprint="", render=_no_answer, hook=hook,
                        inner=inner)  # fmt: skip
