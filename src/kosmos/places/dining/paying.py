"""Paying a tab: everything still open, some dishes, or one share of an even split; each
with a tip. Each payer pays the restaurant from their own wallet (`pay_merchant`, strong
customer authentication inside) and gets a receipt: dish lines at their VAT (food 7 %,
drinks 19 %), a share as one line per VAT rate, the tip as a line "Trinkgeld" at 0 %
(see `model`). What is paid is marked by conditional UPDATEs right before the payment's
commit: of two people paying the same dishes or share at once exactly one wins, the other
gets 409 and no money moves. The tab closes when nothing is left open."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, exists, func, select, update
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.accounts.tables import User
from kosmos.errors import Conflict, Invalid, Problem
from kosmos.places import live
from kosmos.places.dining import menu, model
from kosmos.places.dining.commit_hook import before_commit
from kosmos.places.dining.tables import Tab, TabItem, TabShare, TabSplit
from kosmos.places.dining.tabs import member_ids, tab_for, tab_key, view
from kosmos.rules import RuleError
from kosmos.wallet.idempotency import Claim
from kosmos.wallet.payments import pay_merchant
from kosmos.wallet.tables import Payment


@dataclass(frozen=True)
class Tip:
    percent: int | None = None
    amount: int | None = None


def _closed() -> Conflict:
    return Conflict("This tab is paid and closed.", code="tab_closed")


def create_split(session: Session, user: User, tab_id: int, parts: int) -> TabSplit:
    """Share everything still open on the tab evenly by `parts` people. Commits."""
    tab = tab_for(session, user, tab_id)
    if tab.status != "open":
        raise _closed()
    try:
        model.check_parts(parts)
    except RuleError as err:
        raise menu.rule_problem(err) from err
    now = clock.now()
    split = TabSplit(tab_id=tab.id, parts=parts, total_cents=0, created_by=user.id,
                     created_at=now)  # fmt: skip
    session.add(split)
    session.flush()
    claimed = session.execute(
        update(TabItem)
        .where(TabItem.tab_id == tab.id, TabItem.split_id.is_(None), TabItem.paid_at.is_(None))
        .values(split_id=split.id)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount == 0:  # type: ignore[attr-defined]
        session.rollback()
        raise Conflict("Nothing is left to split.", code="nothing_to_split")
    rows = session.execute(
        select(TabItem.quantity * TabItem.unit_price_cents, TabItem.vat_rate)
        .where(TabItem.split_id == split.id)
    ).all()  # fmt: skip
    rates = model.by_rate(rows)
    split.total_cents = sum(rates.values())
    shares = model.split_evenly(split.total_cents, parts)
    for number, (amount, part) in enumerate(
        zip(shares, model.share_parts(rates, shares), strict=True), start=1
    ):
        session.add(TabShare(split_id=split.id, number=number, amount_cents=amount,
                             by_rate={str(r): c for r, c in part.items()}))  # fmt: skip
    live.changed(session, member_ids(session, tab.id), tab_key(tab.id))
    session.commit()
    return split


def pay(session: Session, user: User, tab_id: int, mode: str, *, item_ids: list[int] | None = None,
        share_id: int | None = None, tip: Tip = Tip(), pin: str | None = None,
        idem: Claim | None = None) -> Payment:  # fmt: skip
    """Pay part or all of the tab with a tip; returns the payment. Commits (the wallet)."""
    tab = tab_for(session, user, tab_id)
    if tab.status != "open":
        raise _closed()
    seen = view(session, tab)
    items, shares = _what(seen.items, seen.splits, mode, item_ids or [], share_id)
    parts = {v.split.id: v.split.parts for v in seen.splits}
    base = sum(i.total for i in items) + sum(s.amount_cents for s in shares)
    try:
        tip_cents = model.tip_cents(base, percent=tip.percent, amount=tip.amount)
    except RuleError as err:
        raise menu.rule_problem(err) from err
    lines = model.item_lines((i.name, i.quantity, i.unit_price_cents, i.vat_rate) for i in items)
    for share in shares:
        by_rate = {int(r): int(c) for r, c in share.by_rate.items()}
        lines += model.share_lines(share.number, parts[share.split_id], by_rate)
    lines += model.tip_line(tip_cents)
    item_set, share_set = [i.id for i in items], [s.id for s in shares]

    def mark_paid(payment: Payment) -> None:
        _mark_paid(session, user, tab, payment.reference, item_set, share_set)

    try:
        return pay_merchant(
            session, user, merchant_id=tab.merchant_id, store_id=tab.store_id, lines=lines,
            description=f"{seen.merchant.name} · {seen.table.label}", pin=pin,
            idem=before_commit(idem, mark_paid),
        )  # fmt: skip
    except Problem:
        session.rollback()
        raise


def _what(items: list[TabItem], splits: list[Any], mode: str, item_ids: list[int],
          share_id: int | None) -> tuple[list[TabItem], list[TabShare]]:  # fmt: skip
    open_items = [i for i in items if i.paid_at is None and i.split_id is None]
    open_shares = [s for v in splits for s in v.open_shares]
    if mode == "whole":
        if not open_items and not open_shares:
            raise Conflict("Nothing is left to pay on this tab.", code="nothing_to_pay")
        return open_items, open_shares
    if mode == "items":
        if not item_ids:
            raise Invalid("Choose the dishes you pay.", field="item_ids", code="no_items")
        known = {i.id: i for i in items}
        unknown = [i for i in item_ids if i not in known]
        if unknown:
            raise Invalid("Dish %(id)s is not on this tab.", field="item_ids",
                          code="unknown_item", params={"id": unknown[0]})  # fmt: skip
        mine = [known[i] for i in dict.fromkeys(item_ids)]
        if any(i.paid_at is not None or i.split_id is not None for i in mine):
            raise Conflict("A chosen dish is already paid or shared.", code="item_not_open")
        return mine, []
    if mode == "share":
        chosen = [s for v in splits for s in v.shares if s.share.id == share_id]
        if not chosen:
            raise Invalid("No such share on this tab.", field="share_id", code="unknown_share")
        if chosen[0].share.payment_reference is not None:
            raise Conflict("This share is already paid.", code="share_paid")
        return [], [chosen[0].share]
    raise Invalid("Pay the whole tab, some dishes or a share.", field="mode")


def _mark_paid(session: Session, user: User, tab: Tab, reference: str, item_ids: list[int],
               share_ids: list[int]) -> None:  # fmt: skip
    """In the payment's transaction: take the dishes and shares, or raise (rolls it back)."""
    now = clock.now()
    if item_ids:
        taken = session.execute(
            update(TabItem)
            .where(TabItem.id.in_(item_ids), TabItem.tab_id == tab.id,
                   TabItem.paid_at.is_(None), TabItem.split_id.is_(None))
            .values(payment_reference=reference, paid_by=user.id, paid_at=now)
            .execution_options(synchronize_session=False)
        )  # fmt: skip
        if taken.rowcount != len(item_ids):  # type: ignore[attr-defined]
            raise Conflict("Someone else paid these dishes just now.", code="already_paid")
    if share_ids:
        taken = session.execute(
            update(TabShare)
            .where(TabShare.id.in_(share_ids), TabShare.payment_reference.is_(None))
            .values(payment_reference=reference, paid_by=user.id, paid_at=now)
            .execution_options(synchronize_session=False)
        )
        if taken.rowcount != len(share_ids):  # type: ignore[attr-defined]
            raise Conflict("Someone else paid this share just now.", code="already_paid")
        _settle_splits(session, share_ids, now)
    unpaid = exists().where(TabItem.tab_id == tab.id, TabItem.paid_at.is_(None))
    session.execute(
        update(Tab)
        .where(and_(Tab.id == tab.id, Tab.status == "open", ~unpaid))
        .values(status="closed", open_table_id=None, closed_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    live.changed(session, member_ids(session, tab.id), tab_key(tab.id))


def _settle_splits(session: Session, share_ids: list[int], now: Any) -> None:
    """A split whose last share is paid: its dishes are paid."""
    split_ids = set(session.scalars(select(TabShare.split_id).where(TabShare.id.in_(share_ids))))
    for split_id in split_ids:
        left = session.scalar(select(func.count()).select_from(TabShare).where(
            TabShare.split_id == split_id, TabShare.payment_reference.is_(None)))  # fmt: skip
        if not left:
            session.execute(
                update(TabItem).where(TabItem.split_id == split_id, TabItem.paid_at.is_(None))
                .values(paid_at=now).execution_options(synchronize_session=False)
            )  # fmt: skip
