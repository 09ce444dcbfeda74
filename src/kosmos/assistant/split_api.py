"""The cost split over HTTP. Members of the chat only (anyone else: 404).

`router` (prefix "/assistant", mounted under /api/v1):
- POST /assistant/expenses: record an expense with an equal split, shares or fixed amounts,
  or from one of the caller's wallet purchases (`payment_reference`);
- GET  /assistant/conversations/{id}/balances: balances, transfers, expenses;
- POST /assistant/settlements/{id}/pay: the debtor pays from the wallet (with `pin` when the
  payment needs strong customer authentication; the card's button sends none);
- POST /assistant/settlements/{id}/received: the creditor got it by bank transfer.

`page_router` (no prefix): GET /assistant/settlements/{id}/girocode, the GiroCode of one
transfer when the creditor linked a bank account, else a clear message.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import Field
from sqlalchemy.orm import Session

from kosmos.accounts.auth import api_user, page_user
from kosmos.accounts.tables import User
from kosmos.assistant import lists, settle_up, split, splitting  # noqa: F401 (settle_up: hook)
from kosmos.assistant.tables_split import Settlement
from kosmos.chat.conversations import membership
from kosmos.errors import Invalid
from kosmos.money import Money
from kosmos.rules import RuleError
from kosmos.schemas import BodyId, ObjectId, StrictModel
from kosmos.wallet.documents.girocode import epc_payload, girocode_svg
from kosmos.web.csrf import require_csrf
from kosmos.web.deps import get_db
from kosmos.web.render import render

router = APIRouter(prefix="/assistant", tags=["assistant"])
page_router = APIRouter(include_in_schema=False)
DB = Depends(get_db)
ME = Depends(api_user)
PAGE_ME = Depends(page_user)
CSRF = [Depends(require_csrf)]
MAX_CENTS = 100_000_000  # 1 million euro


class ShareIn(StrictModel):
    user_id: int = Field(ge=1)
    weight: int = Field(ge=0, le=1000)


class FixedIn(StrictModel):
    user_id: int = Field(ge=1)
    amount_cents: int = Field(ge=0, le=MAX_CENTS)


class SplitIn(StrictModel):
    """equal: among `participants` (default: every member); shares: by weight (members
    without one owe nothing); fixed: these amounts, the rest equally among the other
    participants."""

    mode: Literal["equal", "shares", "fixed"] = "equal"
    participants: list[int] | None = Field(default=None, max_length=500)
    shares: list[ShareIn] = Field(default_factory=list, max_length=500)
    fixed: list[FixedIn] = Field(default_factory=list, max_length=500)


class ExpenseIn(StrictModel):
    conversation_id: int = Field(ge=1)
    amount_cents: int | None = Field(default=None, ge=1, le=MAX_CENTS)
    description: str = Field(default="", max_length=160)
    payer: BodyId = None  # a member's user id; default: the caller
    currency: Literal["EUR"] = "EUR"
    split: SplitIn = Field(default_factory=SplitIn)
    payment_reference: str | None = Field(default=None, max_length=40)


class PayIn(StrictModel):
    pin: str | None = Field(default=None, max_length=12)


def balances_out(db: Session, conversation_id: int) -> dict[str, Any]:
    names = lists.display_names(db, conversation_id)
    balance = splitting.balances(db, conversation_id)
    transfers = splitting.settlements_of(db, conversation_id, "paid", "open")
    expenses = splitting.expenses_of(db, conversation_id)
    return {
        "conversation_id": conversation_id, "currency": "EUR",
        "members": [{"user_id": u, "name": names.get(u), "balance_cents": c}
                    for u, c in balance.items()],
        "transfers": [_settlement_out(s) for s in transfers],
        "expenses": [
            {"id": e.id, "payer_id": e.payer_id, "amount_cents": e.amount_cents,
             "currency": e.currency, "description": e.description, "split_mode": e.split_mode,
             "event_id": e.event_id, "created_at": e.created_at.isoformat(),
             "shares": [{"user_id": u, "amount_cents": c}
                        for u, c in split.shares(splitting.rule_expense(e)).items()]}
            for e in expenses
        ],
    }  # fmt: skip


def _settlement_out(s: Settlement) -> dict[str, Any]:
    return {
        "id": s.id, "from_user_id": s.from_user_id, "to_user_id": s.to_user_id,
        "amount_cents": s.amount_cents, "currency": s.currency, "status": s.status,
        "method": s.method, "payment_reference": s.payment_reference,
        "girocode_url": f"/assistant/settlements/{s.id}/girocode",
    }  # fmt: skip


@router.post("/expenses", status_code=201)
def add_expense(body: ExpenseIn, user: User = ME, db: Session = DB) -> dict[str, Any]:
    s = body.split
    common: dict[str, Any] = {
        "mode": s.mode, "participants": s.participants,
        "shares": {x.user_id: x.weight for x in s.shares},
        "fixed": {x.user_id: x.amount_cents for x in s.fixed},
    }  # fmt: skip
    if len(common["shares"]) != len(s.shares) or len(common["fixed"]) != len(s.fixed):
        raise Invalid("A member is listed twice.", field="split")
    if body.payment_reference:
        if body.amount_cents is not None or body.payer is not None:
            raise Invalid("A purchase brings its own amount and payer.", field="amount_cents")
        expense = splitting.record_purchase(db, user, body.conversation_id,
                                            body.payment_reference,
                                            description=body.description, **common)  # fmt: skip
    else:
        if body.amount_cents is None:
            raise Invalid("Give the amount in cents.", field="amount_cents")
        expense = splitting.record_expense(
            db, user, body.conversation_id, amount_cents=body.amount_cents,
            description=body.description, payer_id=body.payer, currency=body.currency, **common,
        )  # fmt: skip
    db.commit()
    return {"expense_id": expense.id, **balances_out(db, body.conversation_id)}


@router.get("/conversations/{conversation_id}/balances")
def get_balances(conversation_id: ObjectId, user: User = ME, db: Session = DB) -> dict[str, Any]:
    membership(db, user.id, conversation_id)
    return balances_out(db, conversation_id)


@router.post("/settlements/{settlement_id}/pay")
def pay_settlement(settlement_id: ObjectId, body: PayIn | None = None, user: User = ME,
                   db: Session = DB) -> dict[str, Any]:  # fmt: skip
    settlement = splitting.visible_settlement(db, user, settlement_id)
    conversation_id = settlement.conversation_id
    splitting.pay(db, user, settlement, pin=body.pin if body else None)
    db.commit()
    return {"settlement": _settlement_out(db.get(Settlement, settlement_id) or settlement),
            **balances_out(db, conversation_id)}  # fmt: skip


@router.post("/settlements/{settlement_id}/received")
def settlement_received(settlement_id: ObjectId, user: User = ME, db: Session = DB
                        ) -> dict[str, Any]:  # fmt: skip
    settlement = splitting.visible_settlement(db, user, settlement_id)
    splitting.mark_received(db, user, settlement)
    db.commit()
    return {"settlement": _settlement_out(settlement),
            **balances_out(db, settlement.conversation_id)}  # fmt: skip


# --- pages -----------------------------------------------------------------------------------


@page_router.get("/assistant/settlements/{settlement_id:int}/girocode")
def girocode_page(request: Request, settlement_id: int, user: User = PAGE_ME,
                  db: Session = DB) -> Response:  # fmt: skip
    settlement = splitting.visible_settlement(db, user, settlement_id)
    names = lists.display_names(db, settlement.conversation_id)
    account = splitting.creditor_account(db, settlement.to_user_id)
    svg = iban = None
    problem = ""
    if account is not None and settlement.status == "open":
        name, iban, bic = account
        try:
            svg = girocode_svg(epc_payload(
                name=name, iban=iban, bic=bic, amount=Money(settlement.amount_cents),
                text=f"Kosmos {names.get(settlement.from_user_id, '')} #{settlement.id}"[:140],
            ))  # fmt: skip
        except RuleError as err:
            problem = str(err)
    return render(
        request, "assistant/girocode.html",
        {"section": "chats", "settlement": settlement, "svg": svg, "iban": iban,
         "account_name": account[0] if account else None, "problem": problem,
         "debtor": names.get(settlement.from_user_id, "?"),
         "creditor": names.get(settlement.to_user_id, "?"),
         "is_creditor": user.id == settlement.to_user_id},
    )  # fmt: skip


@page_router.post("/assistant/settlements/{settlement_id:int}/received", dependencies=CSRF)
def received_form(settlement_id: int, user: User = PAGE_ME, db: Session = DB) -> Response:
    settlement = splitting.visible_settlement(db, user, settlement_id)
    splitting.mark_received(db, user, settlement)
    db.commit()
    return RedirectResponse(f"/assistant/settlements/{settlement_id}/girocode", status_code=303)
