"""The cost split skill: expenses said in the chat ("Ich hab 23,50 € für Kohle bezahlt") or
made from a wallet purchase, one live balances card per chat, and the transfers that
settle everyone (the rules are in split.py).

- An `expense` intent becomes a proposal card (amount, payer, what for, "split equally
  among N members"); only its author confirms it (author_only), then it is recorded.
- Every change rewrites the chat's balances card: each member's balance and the fewest
  transfers, each with a "Pay" button (only the debtor may press it) and a GiroCode link.
- Pay moves the money with `wallet.payments.send_to_friend`. The settlement is marked paid,
  and the card rewritten, inside that call's transaction, right before its commit (in the
  idempotency claim, keyed per settlement), so money and settlement exist together or not
  at all; a second tap finds the settlement paid and moves nothing. Wallet problems
  (insufficient funds, PIN needed, not friends) come back as 4xx and leave nothing behind.
- Open settlements stay as long as they still settle the balances exactly (paying one of
  them keeps the others); an expense that changes the balances replaces them ("void").
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.accounts.friends import are_friends
from kosmos.accounts.tables import User
from kosmos.assistant import cards, lists, proposals, registry, split
from kosmos.assistant.registry import Skill
from kosmos.assistant.tables import Proposal
from kosmos.assistant.tables_split import BalanceCard, Expense, Settlement
from kosmos.chat import messages
from kosmos.chat.conversations import active_member
from kosmos.chat.tables import Conversation, Member, Message
from kosmos.errors import Conflict, Forbidden, Invalid, NotFound, Problem
from kosmos.places import money_requests
from kosmos.wallet import payments
from kosmos.wallet.idempotency import Answer, Claim
from kosmos.wallet.tables import Payment, SepaMandate

SKILL = "split"
SETTLE_SCOPE = "assistant.settlement"
PAID_SHOWN = 10  # paid transfers the card still lists

TEXTS: dict[str, dict[str, str]] = {
    "de": {
        "expense": "Ausgabe", "amount": "Betrag", "paid_by": "Bezahlt von", "for": "Wofür",
        "split": "Aufteilung", "equally": "gleichmäßig auf {n} Mitglieder",
        "recorded": "✓ Eingetragen von {who}", "balances": "Kosten & Ausgleich",
        "pay": "{debtor} → {creditor}: {amount} zahlen",
        "girocode": "GiroCode {debtor} → {creditor}",
        "transfer": "{debtor} → {creditor}: {amount}", "paid": "✓ bezahlt",
        "open": "offen", "settled": "Alles ausgeglichen.", "total": "Ausgaben gesamt: {amount}",
        "ask_all": "Alle um Ausgleich bitten",
    },
    "en": {
        "expense": "Expense", "amount": "Amount", "paid_by": "Paid by", "for": "For",
        "split": "Split", "equally": "split equally among {n} members",
        "recorded": "✓ Recorded by {who}", "balances": "Cost split",
        "pay": "{debtor} → {creditor}: pay {amount}", "girocode": "GiroCode {debtor} → {creditor}",
        "transfer": "{debtor} → {creditor}: {amount}", "paid": "✓ paid",
        "open": "open", "settled": "Everyone is settled.", "total": "Total spent: {amount}",
        "ask_all": "Ask everyone to settle up",
    },
}  # fmt: skip


def t(locale: str, key: str, **values: Any) -> str:
    return TEXTS["en" if locale == "en" else "de"][key].format(**values)


def signed_money(cents: int, locale: str) -> str:
    return f"+{cards.money_text(cents, locale)}" if cents > 0 else cards.money_text(cents, locale)


# --- reading ---------------------------------------------------------------------------------


def member_ids(session: Session, conversation_id: int) -> list[int]:
    """The chat's active members in the order they joined (the split's tie order)."""
    return list(
        session.scalars(
            select(Member.user_id)
            .where(Member.conversation_id == conversation_id, Member.active.is_(True))
            .order_by(Member.id)
        )
    )


def _all_member_ids(session: Session, conversation_id: int) -> list[int]:
    return list(
        session.scalars(
            select(Member.user_id)
            .where(Member.conversation_id == conversation_id)
            .order_by(Member.id)
        )
    )


def rule_expense(row: Expense) -> split.Expense[int]:
    data = row.split or {}
    return split.Expense(
        payer=row.payer_id, amount_cents=row.amount_cents,
        participants=tuple(int(p) for p in data.get("participants", [])),
        mode=row.split_mode,  # type: ignore[arg-type]
        weights={int(k): int(v) for k, v in (data.get("shares") or {}).items()},
        fixed={int(k): int(v) for k, v in (data.get("fixed") or {}).items()},
    )  # fmt: skip


def expenses_of(session: Session, conversation_id: int) -> list[Expense]:
    return list(
        session.scalars(
            select(Expense).where(Expense.conversation_id == conversation_id).order_by(Expense.id)
        )
    )


def settlements_of(session: Session, conversation_id: int, *statuses: str) -> list[Settlement]:
    return list(
        session.scalars(
            select(Settlement)
            .where(Settlement.conversation_id == conversation_id, Settlement.status.in_(statuses))
            .order_by(Settlement.id)
        )
    )


def balances(session: Session, conversation_id: int) -> dict[int, int]:
    """Paid minus owed per member, after the transfers already paid: every member of the
    chat in join order (0 included), past members only while their balance is not 0."""
    paid = [(s.from_user_id, s.to_user_id, s.amount_cents)
            for s in settlements_of(session, conversation_id, "paid")]  # fmt: skip
    raw = split.balances([rule_expense(e) for e in expenses_of(session, conversation_id)], paid)
    active = set(member_ids(session, conversation_id))
    out = {}
    for user_id in _all_member_ids(session, conversation_id):
        value = raw.pop(user_id, 0)
        if user_id in active or value:
            out[user_id] = value
    for user_id, value in raw.items():  # not a member at all (cannot happen, kept exact)
        out[user_id] = value
    return out


# --- writing ---------------------------------------------------------------------------------


def record_expense(
    session: Session, user: User, conversation_id: int, *, amount_cents: int,
    description: str, payer_id: int | None = None, mode: str = "equal",
    participants: list[int] | None = None, shares: dict[int, int] | None = None,
    fixed: dict[int, int] | None = None, currency: str = "EUR",
    proposal_id: int | None = None, payment_id: int | None = None, locale: str | None = None,
) -> Expense:  # fmt: skip
    """Record an expense of the chat and rewrite its balances card. The caller commits."""
    active_member(session, user.id, conversation_id)
    members = member_ids(session, conversation_id)
    payer_id = user.id if payer_id is None else payer_id
    if payer_id not in members:
        raise Invalid("The payer must be a member of this chat.", field="payer")
    if currency != "EUR":
        raise Invalid("Only euro expenses can be split for now.", field="currency")
    if mode not in split.MODES:
        raise Invalid("Unknown split mode.", field="split")
    people = members if not participants else [m for m in members if m in set(participants)]
    named = set(participants or []) | set(shares or {}) | set(fixed or {})
    if any(p not in members for p in named):
        raise Invalid("Everyone in the split must be a member of this chat.", field="split")
    data: dict[str, Any] = {"participants": people}
    if mode == "shares":
        data["shares"] = {str(k): int(v) for k, v in (shares or {}).items()}
    if mode == "fixed":
        data["fixed"] = {str(k): int(v) for k, v in (fixed or {}).items()}
    description = description.strip()[:160]
    row = Expense(
        conversation_id=conversation_id, payer_id=payer_id, amount_cents=amount_cents,
        currency=currency, description=description, split_mode=mode, split=data,
        created_by=user.id, created_at=clock.now(), proposal_id=proposal_id,
        payment_id=payment_id,
    )  # fmt: skip
    try:
        split.shares(rule_expense(row))
    except split.SplitError as err:
        raise Invalid.from_rule(err) from err
    event = lists.current_event(session, conversation_id)
    row.event_id = event.id if event is not None else None
    session.add(row)
    session.flush()
    refresh_board(session, conversation_id, locale)
    return row


def record_purchase(session: Session, user: User, conversation_id: int, reference: str, *,
                    description: str = "", mode: str = "equal",
                    participants: list[int] | None = None, shares: dict[int, int] | None = None,
                    fixed: dict[int, int] | None = None) -> Expense:  # fmt: skip
    """An expense from one of the caller's own wallet purchases (what is left of it after
    refunds); each purchase counts once."""
    payment = session.scalar(
        select(Payment).where(
            Payment.reference == reference,
            Payment.user_id == user.id,
            Payment.kind == "purchase",
            Payment.status == "succeeded",
        )
    )
    if payment is None:
        raise NotFound("No such purchase.", field="payment_reference")
    if session.scalar(select(Expense.id).where(Expense.payment_id == payment.id)) is not None:
        raise Conflict("This purchase is already in a cost split.", code="purchase_already_split")
    amount = payment.amount - payment.refunded
    if amount <= 0:
        raise Invalid("This purchase was refunded in full.", field="payment_reference")
    if not description:
        description = payment.description or reference
    return record_expense(
        session, user, conversation_id, amount_cents=amount, description=description,
        currency=payment.currency, mode=mode, participants=participants, shares=shares,
        fixed=fixed, payment_id=payment.id,
    )  # fmt: skip


def refresh_board(session: Session, conversation_id: int, locale: str | None = None) -> None:
    """Bring the chat's settlements up to date and rewrite (or first post) its balances
    card. The caller commits."""
    session.flush()
    session.execute(  # one writer per chat at a time (PostgreSQL; SQLite has its write lock)
        select(Conversation.id).where(Conversation.id == conversation_id).with_for_update()
    )
    balance = balances(session, conversation_id)
    open_ones = settlements_of(session, conversation_id, "open")
    after = dict(balance)
    for s in open_ones:
        after[s.from_user_id] = after.get(s.from_user_id, 0) + s.amount_cents
        after[s.to_user_id] = after.get(s.to_user_id, 0) - s.amount_cents
    if any(after.values()):  # the open transfers no longer settle everyone: suggest anew
        for s in open_ones:
            s.status = "void"
            money_requests.close_for_source(session, "split", s.id, status="cancelled")
        now = clock.now()
        for source, target, cents in split.settle(balance):
            session.add(Settlement(
                conversation_id=conversation_id, from_user_id=source, to_user_id=target,
                amount_cents=cents, currency="EUR", status="open", created_at=now,
            ))  # fmt: skip
        session.flush()
    board = session.scalar(
        select(BalanceCard).where(BalanceCard.conversation_id == conversation_id)
    )
    if board is None:
        board = BalanceCard(conversation_id=conversation_id, locale=locale or "de",
                            updated_at=clock.now())  # fmt: skip
        session.add(board)
    elif locale:
        board.locale = locale
    board.updated_at = clock.now()
    card = balances_card(session, conversation_id, balance, board.locale)
    if board.card_message_id is None:
        out = messages.post_as_kosmos(session, conversation_id, card=card, commit=False)
        board.card_message_id = out["id"]
    else:
        messages.update_card(session, board.card_message_id, card)
    session.flush()


def balances_card(session: Session, conversation_id: int, balance: dict[int, int],
                  locale: str) -> dict[str, Any]:  # fmt: skip
    names = lists.display_names(session, conversation_id)
    open_ones = settlements_of(session, conversation_id, "open")
    paid = settlements_of(session, conversation_id, "paid")[-PAID_SHOWN:]
    total = sum(e.amount_cents for e in expenses_of(session, conversation_id))

    def words(s: Settlement) -> dict[str, str]:
        return {"debtor": names.get(s.from_user_id, "?"), "creditor": names.get(s.to_user_id, "?"),
                "amount": cards.money_text(s.amount_cents, locale)}  # fmt: skip

    transfers = [
        {"id": s.id, "from": s.from_user_id, "to": s.to_user_id, "amount_cents": s.amount_cents,
         "status": s.status, "method": s.method,
         "label": f"{t(locale, 'transfer', **words(s))} · "
                  f"{t(locale, 'paid' if s.status == 'paid' else 'open')}"}
        for s in [*paid, *open_ones]
    ]  # fmt: skip
    return {
        "type": "split_balances", "title": t(locale, "balances"),
        "fields": [{"label": names.get(user_id, "?"), "value": signed_money(cents, locale),
                    "user_id": user_id, "cents": cents}
                   for user_id, cents in balance.items()],
        "transfers": transfers,
        "buttons": [{"action": "settle", "value": str(s.id), "label": t(locale, "pay", **words(s))}
                    for s in open_ones]
                   + ([{"action": "settle_up", "value": str(conversation_id),
                        "label": t(locale, "ask_all")}] if open_ones else []),
        "links": [{"label": t(locale, "girocode", **words(s)),
                   "url": f"/assistant/settlements/{s.id}/girocode"} for s in open_ones],
        "note": t(locale, "settled") if not open_ones
        else t(locale, "total", amount=cards.money_text(total, locale)),
        "handler": cards.HANDLER, "ref": {"skill": SKILL, "conversation": conversation_id},
    }  # fmt: skip


# --- settling --------------------------------------------------------------------------------


def visible_settlement(session: Session, user: User, settlement_id: int) -> Settlement:
    """A settlement of a chat the caller is (or was) in; 404 for anyone else."""
    from kosmos.chat.conversations import membership

    settlement = session.get(Settlement, settlement_id)
    if settlement is None:
        raise NotFound("No such settlement.")
    try:
        membership(session, user.id, settlement.conversation_id)
    except NotFound:
        raise NotFound("No such settlement.") from None
    return settlement


@dataclass
class _SettleClaim(Claim):
    """The idempotency claim of one settlement. Right before the wallet commits the money
    it marks the settlement paid (a conditional UPDATE: one winner) and rewrites the card,
    so all of it commits together."""

    settlement_id: int = 0
    conversation_id: int = 0

    def remember_result(self, session: Session, result: Any) -> Answer:
        taken = session.execute(
            update(Settlement)
            .where(Settlement.id == self.settlement_id, Settlement.status == "open")
            .values(
                status="paid",
                method="wallet",
                payment_reference=result.reference,
                paid_at=clock.now(),
            )  # fmt: skip
        )
        if taken.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict("This transfer was already settled.", code="already_settled")
        money_requests.close_for_source(session, "split", self.settlement_id, status="paid",
                                        paid_by_id=result.user_id,
                                        payment_reference=result.reference)  # fmt: skip
        refresh_board(session, self.conversation_id)
        return super().remember_result(session, result)


def _render(payment: Payment) -> Answer:
    return Answer(201, {"payment": payment.reference, "amount": payment.amount})


def pay(session: Session, user: User, settlement: Settlement, pin: str | None = None) -> bool:
    """The debtor pays a settlement from their wallet. Returns False when it was already
    paid (a double tap): nothing moves. Commits (inside the wallet's payment)."""
    if settlement.from_user_id != user.id:
        debtor = session.get(User, settlement.from_user_id)
        raise Forbidden(
            "Only %(who)s can pay this.", code="not_your_debt",
            params={"who": debtor.display_name if debtor else "?"},
        )  # fmt: skip
    if settlement.status == "paid":
        return False
    if settlement.status != "open":
        raise Conflict(
            "These balances changed; pay what the card shows now.", code="settlement_outdated"
        )
    active_member(session, user.id, settlement.conversation_id)
    if not are_friends(session, user.id, settlement.to_user_id):
        raise Conflict(
            "You can pay in the wallet only to friends; add them or use the GiroCode.",
            code="not_friends",
        )
    material = f"{settlement.id}:{settlement.from_user_id}:{settlement.to_user_id}:" \
               f"{settlement.amount_cents}"  # fmt: skip
    claim = _SettleClaim(
        SETTLE_SCOPE, f"settlement-{settlement.id}", hashlib.sha256(material.encode()).hexdigest(),
        _render, settlement_id=settlement.id, conversation_id=settlement.conversation_id,
    )  # fmt: skip
    conversation = session.get(Conversation, settlement.conversation_id)
    note = f"Kosmos: {conversation.name}" if conversation and conversation.name else "Kosmos"
    try:
        payments.send_to_friend(
            session, user, friend_id=settlement.to_user_id, amount=settlement.amount_cents,
            note=note, pin=pin, idem=claim,
        )  # fmt: skip
    except Problem:
        session.rollback()
        raise
    except IntegrityError:  # the key of this settlement exists: paid meanwhile
        session.rollback()
        raise Conflict("This transfer was already settled.", code="already_settled") from None
    return True


def mark_received(session: Session, user: User, settlement: Settlement) -> bool:
    """The creditor says the money arrived (by bank transfer, e.g. with the GiroCode).
    Returns False if it was paid already. The caller commits."""
    if settlement.to_user_id != user.id:
        raise Forbidden("Only the one who gets the money can mark it received.",
                        code="not_your_claim")  # fmt: skip
    if settlement.status == "paid":
        return False
    if settlement.status != "open":
        raise Conflict(
            "These balances changed; pay what the card shows now.", code="settlement_outdated"
        )
    active_member(session, user.id, settlement.conversation_id)
    taken = session.execute(
        update(Settlement)
        .where(Settlement.id == settlement.id, Settlement.status == "open")
        .values(status="paid", method="girocode", paid_at=clock.now())
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        return False
    money_requests.close_for_source(session, "split", settlement.id, status="paid",
                                    paid_by_id=settlement.from_user_id)  # fmt: skip
    refresh_board(session, settlement.conversation_id)
    return True


def creditor_account(session: Session, user_id: int) -> tuple[str, str, str] | None:
    """(name, IBAN, BIC) of the bank account the user linked to Kosmos (their active SEPA
    mandate), or None."""
    mandate = session.scalar(
        select(SepaMandate)
        .where(SepaMandate.user_id == user_id, SepaMandate.status == "active")
        .order_by(SepaMandate.id.desc())
    )
    if mandate is None:
        return None
    return mandate.debtor_name, mandate.iban, mandate.bic


# --- the skill -------------------------------------------------------------------------------


def _amount_cents(payload: dict[str, Any]) -> int:
    try:
        cents = Decimal(str(payload["amount"])) * 100
    except (KeyError, InvalidOperation):
        raise Invalid("No amount.", field="amount") from None
    if cents != cents.to_integral_value() or cents <= 0:
        raise Invalid("The amount must be in whole cents and more than 0.", field="amount")
    return int(cents)


def _payer(session: Session, proposal: Proposal) -> int | None:
    name = proposal.payload.get("payer", "me")
    if name == "me":
        return proposal.author_id
    return proposals.user_id_by_name(session, proposal.conversation_id, name)


def expense_card(session: Session, proposal: Proposal, author: User, locale: str
                 ) -> dict[str, Any]:  # fmt: skip
    payload = proposal.payload
    payer_id = _payer(session, proposal)
    payer = session.get(User, payer_id) if payer_id else None
    count = len(member_ids(session, proposal.conversation_id))
    return {
        "type": "expense_proposal", "title": t(locale, "expense"),
        "fields": [
            {"label": t(locale, "amount"), "value": cards.money_text(_amount_cents(payload),
                                                                     locale)},
            {"label": t(locale, "paid_by"),
             "value": payer.display_name if payer else str(payload.get("payer", "?"))},
            {"label": t(locale, "for"), "value": payload.get("description") or "–"},
            {"label": t(locale, "split"), "value": t(locale, "equally", n=count)},
        ],
        "buttons": cards.proposal_buttons(proposal.id, locale),
        "handler": cards.HANDLER, "ref": {"proposal": proposal.id},
    }  # fmt: skip


def confirm_expense(session: Session, user: User, proposal: Proposal) -> str:
    payload = proposal.payload
    payer_id = _payer(session, proposal)
    if payer_id is None:
        raise Invalid("%(who)s is not in this chat.", field="payer",
                      params={"who": payload.get("payer", "?")})  # fmt: skip
    record_expense(
        session, user, proposal.conversation_id, amount_cents=_amount_cents(payload),
        description=str(payload.get("description") or ""), payer_id=payer_id,
        currency=str(payload.get("currency") or "EUR"), proposal_id=proposal.id,
        locale=proposal.locale,
    )  # fmt: skip
    return t(proposal.locale, "recorded", who=user.display_name)


registry.register(Skill(intent="expense", card=expense_card, confirm=confirm_expense,
                        author_only=True))  # fmt: skip


@registry.button_handler(SKILL)
def press(session: Session, user: User, message: Message, action: str, value: str) -> None:
    """A button of the balances card: "settle" (value: the settlement id) pays it;
    "settle_up" posts a payment-request card per open transfer."""
    if action == "settle_up" and value == str(message.conversation_id):
        from kosmos.assistant.settle_up import ask_all

        ask_all(session, user, message.conversation_id)
        return
    if action != "settle" or not value.isdigit():
        raise Invalid("This card has no such button.", field="action")
    settlement = session.get(Settlement, int(value))
    if settlement is None or settlement.conversation_id != message.conversation_id:
        raise NotFound("No such settlement.")
    if not pay(session, user, settlement):
        refresh_board(session, settlement.conversation_id)  # a double tap: show the state
