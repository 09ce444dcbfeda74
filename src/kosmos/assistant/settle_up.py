"""Settle up from the cost split with payment-request cards.

The balances card's "Ask everyone to settle up" posts, for each open transfer, a payment
request from the creditor to the debtor into the chat (`places.money_requests`, source
"split"). Paying that card marks the transfer paid in the same transaction (the hook
below refuses the payment if the transfer was settled or replaced meanwhile); a transfer
settled on the balances card, or replaced because the balances changed, closes its card.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.accounts.tables import User
from kosmos.assistant import splitting
from kosmos.assistant.tables_split import Settlement
from kosmos.errors import Conflict
from kosmos.places import money_requests
from kosmos.places.tables import MoneyRequest

SOURCE = "split"
NOTE = {"de": "Ausgleich: {chat}", "en": "Settle up: {chat}"}


def ask_all(session: Session, user: User, conversation_id: int) -> int:
    """Post a payment request for each open transfer that has none yet; returns how many.
    The caller commits."""
    from kosmos.chat.tables import Conversation

    conversation = session.get(Conversation, conversation_id)
    chat = conversation.name if conversation and conversation.name else "Kosmos"
    posted = 0
    for s in splitting.settlements_of(session, conversation_id, "open"):
        if money_requests.for_source(session, SOURCE, s.id) is not None:
            continue
        creditor = session.get(User, s.to_user_id)
        assert creditor is not None
        note = NOTE["en" if creditor.locale == "en" else "de"].format(chat=chat)
        money_requests.ask(session, creditor, conversation_id, amount=s.amount_cents, note=note,
                           payer_id=s.from_user_id, source=SOURCE, source_id=s.id,
                           commit=False)  # fmt: skip
        posted += 1
    return posted


@money_requests.on_paid(SOURCE)
def _request_paid(session: Session, req: MoneyRequest) -> None:
    assert req.source_id is not None
    taken = session.execute(
        update(Settlement)
        .where(Settlement.id == req.source_id, Settlement.status == "open")
        .values(status="paid", method="wallet", payment_reference=req.payment_reference,
                paid_at=clock.now())
    )  # fmt: skip
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict("This transfer was already settled.", code="already_settled")
    splitting.refresh_board(session, req.conversation_id)
