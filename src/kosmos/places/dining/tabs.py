"""A table's shared tab: join it through the table's QR token (the open tab, or a new one
when none is open), read it (members only: anyone else gets 404), add dishes at catalog
prices. Every change tells the tab's members' open pages (`tab:{id}`) and, for new
dishes, the kitchen's (`kitchen:{merchant}`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.accounts.tables import User
from kosmos.catalog.tables import Merchant, Store
from kosmos.errors import Conflict, NotFound
from kosmos.places import live
from kosmos.places.dining import menu
from kosmos.places.dining.tables import DiningTable, Tab, TabItem, TabMember, TabShare, TabSplit


def tab_key(tab_id: int) -> str:
    return f"tab:{tab_id}"


def kitchen_key(merchant_id: int) -> str:
    return f"kitchen:{merchant_id}"


def member_ids(session: Session, tab_id: int) -> list[int]:
    return list(session.scalars(select(TabMember.user_id).where(TabMember.tab_id == tab_id)))


def join_table(session: Session, user: User, token: str) -> Tab:
    """Join the table's open tab (open one if none is). Commits. Two people opening the
    same table's first tab at once: the unique `open_table_id` lets one insert win, the
    other joins that tab."""
    for attempt in range(3):
        try:
            return _join(session, user, token)
        except IntegrityError:
            session.rollback()
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _join(session: Session, user: User, token: str) -> Tab:
    table = session.scalar(
        select(DiningTable).where(DiningTable.token == token, DiningTable.active.is_(True))
    )
    if table is None:
        raise NotFound("No such table.")
    tab = session.scalar(select(Tab).where(Tab.open_table_id == table.id))
    now = clock.now()
    if tab is None:
        tab = Tab(
            table_id=table.id, open_table_id=table.id, merchant_id=table.merchant_id,
            store_id=table.store_id, status="open", opened_at=now, updated_at=now,
        )  # fmt: skip
        session.add(tab)
        session.flush()
    joined = session.get(TabMember, (tab.id, user.id))
    if joined is None:
        session.add(TabMember(tab_id=tab.id, user_id=user.id, joined_at=now))
        session.flush()
        live.changed(session, member_ids(session, tab.id), tab_key(tab.id))
    session.commit()
    return tab


def tab_for(session: Session, user: User, tab_id: int) -> Tab:
    """The tab, for someone who joined it; anyone else gets 404."""
    tab = session.get(Tab, tab_id)
    if tab is None or session.get(TabMember, (tab.id, user.id)) is None:
        raise NotFound("No such tab.")
    return tab


def add_items(session: Session, user: User, tab_id: int, items: list[tuple[int, int]]
              ) -> list[TabItem]:  # fmt: skip
    """Dishes on the tab at today's catalog prices (product id, quantity). Commits."""
    tab = tab_for(session, user, tab_id)
    store = session.get(Store, tab.store_id)
    assert store is not None
    priced = menu.price(session, store, items)
    now = clock.now()
    touched = session.execute(
        update(Tab).where(Tab.id == tab.id, Tab.status == "open").values(updated_at=now)
    )  # locks the tab row: a payment closing it waits, or this sees it closed
    if touched.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise Conflict("This tab is paid and closed.", code="tab_closed")
    added = [
        TabItem(tab_id=tab.id, merchant_id=tab.merchant_id, user_id=user.id,
                product_id=p.product_id, name=p.name, quantity=p.quantity,
                unit_price_cents=p.unit_price, vat_rate=p.vat_rate, status="ordered",
                created_at=now)
        for p in priced
    ]  # fmt: skip
    session.add_all(added)
    session.flush()
    live.changed(session, member_ids(session, tab.id), tab_key(tab.id))
    live.changed(session, live.staff_ids(session, tab.merchant_id), kitchen_key(tab.merchant_id))
    session.commit()
    return added


# --- reading ------------------------------------------------------------------------------


@dataclass
class ShareView:
    share: TabShare
    payer: str | None


@dataclass
class SplitView:
    split: TabSplit
    shares: list[ShareView]

    @property
    def open_shares(self) -> list[TabShare]:
        return [s.share for s in self.shares if s.share.payment_reference is None]


@dataclass
class TabView:
    tab: Tab
    table: DiningTable
    merchant: Merchant
    items: list[TabItem]
    names: dict[int, str]
    splits: list[SplitView] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(i.total for i in self.items)

    @property
    def paid(self) -> int:
        direct = sum(i.total for i in self.items if i.payment_reference is not None)
        shared = sum(s.share.amount_cents for v in self.splits for s in v.shares
                     if s.share.payment_reference is not None)  # fmt: skip
        return direct + shared

    @property
    def open_items(self) -> list[TabItem]:
        """Dishes anyone may still pay one by one (not paid, not in an even split)."""
        return [i for i in self.items if i.paid_at is None and i.split_id is None]

    @property
    def open_amount(self) -> int:
        return self.total - self.paid

    @property
    def open_splits(self) -> list[SplitView]:
        return [v for v in self.splits if v.open_shares]


def view(session: Session, tab: Tab) -> TabView:
    table = session.get(DiningTable, tab.table_id)
    merchant = session.get(Merchant, tab.merchant_id)
    assert table is not None and merchant is not None
    items = list(session.scalars(select(TabItem).where(TabItem.tab_id == tab.id)
                                 .order_by(TabItem.id)))  # fmt: skip
    splits = list(session.scalars(select(TabSplit).where(TabSplit.tab_id == tab.id)
                                  .order_by(TabSplit.id)))  # fmt: skip
    shares = list(session.scalars(
        select(TabShare).where(TabShare.split_id.in_([s.id for s in splits]))
        .order_by(TabShare.split_id, TabShare.number)
    )) if splits else []  # fmt: skip
    people = set(member_ids(session, tab.id)) | {i.user_id for i in items}
    people |= {s.paid_by for s in shares if s.paid_by} | {i.paid_by for i in items if i.paid_by}
    names = dict(session.execute(select(User.id, User.display_name)
                                 .where(User.id.in_(people))).all())  # fmt: skip
    out = TabView(tab, table, merchant, items, names)
    for split in splits:
        mine = [ShareView(s, names.get(s.paid_by) if s.paid_by else None)
                for s in shares if s.split_id == split.id]  # fmt: skip
        out.splits.append(SplitView(split, mine))
    return out
