"""The kitchen display: dishes ordered at the tables and not yet done (grouped by table,
oldest table first, newest dish last) and today's pickup orders; staff mark a dish done
(the tab shows it served) or an order ready / picked up (`ordering.set_status`)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.accounts.tables import User
from kosmos.catalog.backoffice import merchant_for
from kosmos.errors import Conflict, NotFound
from kosmos.places import live
from kosmos.places.dining import ordering
from kosmos.places.dining.tables import DiningTable, Tab, TabItem
from kosmos.places.dining.tables_orders import FoodOrder, FoodOrderLine
from kosmos.places.dining.tabs import kitchen_key, member_ids, tab_key


@dataclass
class TableQueue:
    tab: Tab
    table: DiningTable
    items: list[TabItem]


@dataclass
class PickupQueue:
    order: FoodOrder
    lines: list[FoodOrderLine]
    customer: str


def queue(session: Session, user: User, merchant_id: int
          ) -> tuple[list[TableQueue], list[PickupQueue]]:  # fmt: skip
    """What the kitchen still has to make (staff of the merchant only)."""
    merchant_for(session, user, merchant_id)
    items = session.scalars(
        select(TabItem).where(TabItem.merchant_id == merchant_id, TabItem.status == "ordered")
        .order_by(TabItem.id)
    ).all()  # fmt: skip
    groups: dict[int, TableQueue] = {}
    for item in items:
        if item.tab_id not in groups:
            tab = session.get(Tab, item.tab_id)
            assert tab is not None
            table = session.get(DiningTable, tab.table_id)
            assert table is not None
            groups[item.tab_id] = TableQueue(tab, table, [])
        groups[item.tab_id].items.append(item)
    orders = ordering.todays_orders(session, merchant_id, open_only=True)
    names = dict(session.execute(select(User.id, User.display_name).where(
        User.id.in_({o.user_id for o in orders}))).all())  # fmt: skip
    pickups = [PickupQueue(o, ordering.order_lines(session, o.id), names.get(o.user_id, "?"))
               for o in orders]  # fmt: skip
    return list(groups.values()), pickups


def mark_done(session: Session, user: User, merchant_id: int, item_id: int) -> TabItem:
    """The dish is made and served. Commits."""
    merchant_for(session, user, merchant_id)
    item = session.get(TabItem, item_id)
    if item is None or item.merchant_id != merchant_id:
        raise NotFound("No such dish.")
    done = session.execute(
        update(TabItem).where(TabItem.id == item.id, TabItem.status == "ordered")
        .values(status="done", done_at=clock.now())
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    if done.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise Conflict("This dish is already marked done.", code="already_done")
    live.changed(session, member_ids(session, item.tab_id), tab_key(item.tab_id))
    live.changed(session, live.staff_ids(session, merchant_id), kitchen_key(merchant_id))
    session.commit()
    session.refresh(item)
    return item
