"""Restaurants over JSON under /api/v1/dining: join a table's tab, add dishes, split and
pay it (idempotent: `Idempotency-Key` header), order ahead for pickup (idempotent too),
and the staff's tables, kitchen queue and marks. Bearer token or session cookie with the
CSRF header (`api_user`); a tab someone did not join or an order of somebody else is 404."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import JSONResponse
from pydantic import AwareDatetime, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.accounts.auth import api_user
from kosmos.accounts.tables import User
from kosmos.places.dining import kitchen, menu, ordering, paying, setup, tabs
from kosmos.places.dining.pickup import pickup_choices, store_hours
from kosmos.places.dining.tables import DiningTable, Tab, TabItem
from kosmos.schemas import MAX_ID, BodyId, ObjectId, StrictModel
from kosmos.wallet.http import idempotent, payment_out
from kosmos.wallet.idempotency import Answer
from kosmos.web.deps import get_db

router = APIRouter(prefix="/dining", tags=["dining"])
DB = Depends(get_db)
ME = Depends(api_user)
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class DishIn(StrictModel):
    product_id: Id
    quantity: int = Field(default=1, ge=1, le=50)


class ItemsIn(StrictModel):
    items: list[DishIn] = Field(min_length=1, max_length=30)


class SplitIn(StrictModel):
    parts: int = Field(ge=2, le=20)


class PayIn(StrictModel):
    mode: Literal["whole", "items", "share"]
    item_ids: list[Id] = Field(default_factory=list, max_length=200)
    share_id: BodyId = None
    tip_percent: int | None = Field(default=None, ge=0, le=100)
    tip_cents: int | None = Field(default=None, ge=0, le=1_000_00)
    pin: str | None = Field(default=None, min_length=4, max_length=12)


class TableIn(StrictModel):
    label: str = Field(min_length=1, max_length=40)
    store_id: BodyId = None


class OrderIn(StrictModel):
    merchant_id: Id
    store_id: BodyId = None
    pickup_at: AwareDatetime
    items: list[DishIn] = Field(min_length=1, max_length=30)
    pin: str | None = Field(default=None, min_length=4, max_length=12)


class StatusIn(StrictModel):
    status: Literal["ready", "picked_up"]


def _pairs(items: list[DishIn]) -> list[tuple[int, int]]:
    return [(x.product_id, x.quantity) for x in items]


def item_out(item: TabItem, names: dict[int, str]) -> dict[str, Any]:
    return {
        "id": item.id, "product_id": item.product_id, "name": item.name,
        "quantity": item.quantity, "unit_price_cents": item.unit_price_cents,
        "vat_rate": item.vat_rate, "total_cents": item.total, "status": item.status,
        "ordered_by": {"id": item.user_id, "name": names.get(item.user_id)},
        "paid": item.paid_at is not None, "split_id": item.split_id,
        "payment_reference": item.payment_reference,
    }  # fmt: skip


def tab_out(db: Session, tab: Tab) -> dict[str, Any]:
    seen = tabs.view(db, tab)
    return {
        "id": tab.id, "status": tab.status,
        "table": {"id": seen.table.id, "label": seen.table.label},
        "merchant": {"id": seen.merchant.id, "name": seen.merchant.name},
        "members": [{"id": uid, "name": seen.names.get(uid)}
                    for uid in tabs.member_ids(db, tab.id)],
        "items": [item_out(i, seen.names) for i in seen.items],
        "total_cents": seen.total, "paid_cents": seen.paid, "open_cents": seen.open_amount,
        "splits": [
            {"id": v.split.id, "parts": v.split.parts, "total_cents": v.split.total_cents,
             "shares": [{"id": s.share.id, "number": s.share.number,
                         "amount_cents": s.share.amount_cents,
                         "paid": s.share.payment_reference is not None, "paid_by": s.payer}
                        for s in v.shares]}
            for v in seen.splits
        ],
    }  # fmt: skip


# --- customers: tabs ----------------------------------------------------------------------


@router.post("/tables/{token}/join")
def join(token: Annotated[str, Path(max_length=64)], user: User = ME,
         db: Session = DB) -> dict[str, Any]:  # fmt: skip
    """Join the table's open tab (a new tab when none is open)."""
    return tab_out(db, tabs.join_table(db, user, token))


@router.get("/tabs/{tab_id}")
def read_tab(tab_id: ObjectId, user: User = ME, db: Session = DB) -> dict[str, Any]:
    return tab_out(db, tabs.tab_for(db, user, tab_id))


@router.post("/tabs/{tab_id}/items", status_code=201)
def add_items(tab_id: ObjectId, body: ItemsIn, user: User = ME,
              db: Session = DB) -> dict[str, Any]:  # fmt: skip
    tabs.add_items(db, user, tab_id, _pairs(body.items))
    return tab_out(db, tabs.tab_for(db, user, tab_id))


@router.post("/tabs/{tab_id}/splits", status_code=201)
def split(tab_id: ObjectId, body: SplitIn, user: User = ME, db: Session = DB) -> dict[str, Any]:
    """Share what is still open evenly by `parts` people (shares to the cent)."""
    paying.create_split(db, user, tab_id, body.parts)
    return tab_out(db, tabs.tab_for(db, user, tab_id))


@router.post("/tabs/{tab_id}/payments", status_code=201)
def pay(tab_id: ObjectId, body: PayIn, request: Request, user: User = ME,
        db: Session = DB) -> JSONResponse:  # fmt: skip
    """Pay the whole tab, some dishes or a share, with a tip (percent or cents)."""

    def render(payment: Any) -> Answer:
        status = db.scalar(select(Tab.status).where(Tab.id == tab_id))
        return Answer(201, {"payment": payment_out(payment, viewer_id=user.id),
                            "tab": {"id": tab_id, "status": status}})  # fmt: skip

    tip = paying.Tip(percent=body.tip_percent, amount=body.tip_cents)
    return idempotent(
        request, db, scope=f"user:{user.id}", body=body, render=render,
        action=lambda idem: paying.pay(
            db, user, tab_id, body.mode, item_ids=list(body.item_ids), share_id=body.share_id,
            tip=tip, pin=body.pin, idem=idem,
        ),
    )  # fmt: skip


# --- customers: order ahead -----------------------------------------------------------------


@router.get("/restaurants")
def list_restaurants(user: User = ME, db: Session = DB) -> list[dict[str, Any]]:
    return [{"id": m.id, "name": m.name, "description": m.description}
            for m in menu.restaurants(db)]  # fmt: skip


@router.get("/restaurants/{merchant_id}/menu")
def read_menu(merchant_id: ObjectId, user: User = ME, db: Session = DB) -> dict[str, Any]:
    merchant = menu.restaurant(db, merchant_id)
    store = menu.first_store(db, merchant.id)
    return {
        "merchant": {"id": merchant.id, "name": merchant.name},
        "store": {"id": store.id, "name": store.name, "street": store.street},
        "dishes": [d.__dict__ for d in menu.dishes(db, store)],
        "pickup_times": [t.isoformat() for t in pickup_choices(store_hours(store), clock.now())],
    }  # fmt: skip


@router.post("/orders", status_code=201)
def order_ahead(body: OrderIn, request: Request, user: User = ME,
                db: Session = DB) -> JSONResponse:  # fmt: skip
    """Order and pay now, pick up at `pickup_at` (within the opening hours)."""
    return idempotent(
        request, db, scope=f"user:{user.id}", body=body,
        render=lambda paid: Answer(201, ordering.order_out(db, ordering.order_paid_by(db, paid))),
        action=lambda idem: ordering.place_order(
            db, user, merchant_id=body.merchant_id, store_id=body.store_id,
            pickup_at=body.pickup_at, items=_pairs(body.items), pin=body.pin, idem=idem,
        ),
    )  # fmt: skip


@router.get("/orders/{order_id}")
def read_order(order_id: ObjectId, user: User = ME, db: Session = DB) -> dict[str, Any]:
    return ordering.order_out(db, ordering.order_for(db, user, order_id))


@router.post("/orders/{order_id}/status")
def order_status(order_id: ObjectId, body: StatusIn, user: User = ME,
                 db: Session = DB) -> dict[str, Any]:  # fmt: skip
    """Staff of the restaurant: the order is ready, or was picked up."""
    order = ordering.order_for(db, user, order_id)
    order = ordering.set_status(db, user, order.merchant_id, order.id, body.status)
    return ordering.order_out(db, order)


# --- staff: tables and kitchen ----------------------------------------------------------------


def table_out(table: DiningTable) -> dict[str, Any]:
    return {"id": table.id, "label": table.label, "store_id": table.store_id,
            "token": table.token, "url": setup.table_url(table.token)}  # fmt: skip


@router.get("/merchants/{merchant_id}/tables")
def list_tables(merchant_id: ObjectId, user: User = ME, db: Session = DB) -> list[dict[str, Any]]:
    return [table_out(t) for t in setup.list_tables(db, user, merchant_id)]


@router.post("/merchants/{merchant_id}/tables", status_code=201)
def create_table(merchant_id: ObjectId, body: TableIn, user: User = ME,
                 db: Session = DB) -> dict[str, Any]:  # fmt: skip
    return table_out(setup.create_table(db, user, merchant_id, body.label, body.store_id))


@router.get("/merchants/{merchant_id}/kitchen")
def kitchen_queue(merchant_id: ObjectId, user: User = ME, db: Session = DB) -> dict[str, Any]:
    tables, pickups = kitchen.queue(db, user, merchant_id)
    return {
        "tables": [{"tab_id": q.tab.id, "table": q.table.label,
                    "items": [item_out(i, {}) for i in q.items]} for q in tables],
        "pickups": [ordering.order_out(db, p.order) for p in pickups],
    }  # fmt: skip


@router.post("/merchants/{merchant_id}/kitchen/items/{item_id}/done")
def item_done(merchant_id: ObjectId, item_id: ObjectId, user: User = ME,
              db: Session = DB) -> dict[str, Any]:  # fmt: skip
    return item_out(kitchen.mark_done(db, user, merchant_id, item_id), {})
