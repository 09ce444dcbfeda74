"""A restaurant's menu: its dishes (catalog products of the merchant) with today's prices
in a store (the store's offer, else the product's price: `catalog.services.effective_price`).
Prices always come from here, never from the client."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from kosmos.catalog.services import effective_price
from kosmos.catalog.tables import Merchant, Product, Store, StoreProduct
from kosmos.errors import Invalid, NotFound
from kosmos.places.dining import model
from kosmos.rules import RuleError

RESTAURANT_KINDS = ("restaurant",)


@dataclass(frozen=True)
class Dish:
    product_id: int
    name: str
    category: str
    description: str
    price_cents: int
    vat_rate: int


@dataclass(frozen=True)
class Priced:
    """A dish as ordered: what the tab or order stores and the receipt lists."""

    product_id: int
    name: str
    quantity: int
    unit_price: int
    vat_rate: int


def rule_problem(err: RuleError) -> Invalid:
    return Invalid.from_rule(err)


def restaurants(session: Session) -> list[Merchant]:
    return list(
        session.scalars(
            select(Merchant).where(Merchant.kind.in_(RESTAURANT_KINDS)).order_by(Merchant.name)
        )
    )


def restaurant(session: Session, merchant_id: int) -> Merchant:
    merchant = session.get(Merchant, merchant_id)
    if merchant is None or merchant.kind not in RESTAURANT_KINDS:
        raise NotFound("No such restaurant.")
    return merchant


def first_store(session: Session, merchant_id: int) -> Store:
    store = session.scalar(
        select(Store).where(Store.merchant_id == merchant_id).order_by(Store.id).limit(1)
    )
    if store is None:
        raise NotFound("This restaurant has no place to order from.")
    return store


def dishes(session: Session, store: Store) -> list[Dish]:
    """The whole menu of the store's merchant, by category and name."""
    rows = session.execute(
        select(Product, StoreProduct)
        .outerjoin(StoreProduct, (StoreProduct.product_id == Product.id)
                   & (StoreProduct.store_id == store.id))
        .where(Product.merchant_id == store.merchant_id)
        .order_by(Product.category, Product.name, Product.id)
    ).all()  # fmt: skip
    return [
        Dish(p.id, p.name, p.category, p.description, effective_price(p, offer), p.vat_rate)
        for p, offer in rows
    ]


def by_category(menu: Sequence[Dish]) -> list[tuple[str, list[Dish]]]:
    groups: dict[str, list[Dish]] = {}
    for dish in menu:
        groups.setdefault(dish.category, []).append(dish)
    return list(groups.items())


def price(session: Session, store: Store, items: Sequence[tuple[int, int]]) -> list[Priced]:
    """(product id, quantity) pairs at today's prices. A dish that is not on this
    restaurant's menu (unknown, or another merchant's) is a 422 naming it."""
    try:
        wanted = model.check_order(items)
    except RuleError as err:
        raise rule_problem(err) from err
    ids = [product_id for product_id, _q in wanted]
    rows = {
        p.id: (p, offer)
        for p, offer in session.execute(
            select(Product, StoreProduct)
            .outerjoin(StoreProduct, (StoreProduct.product_id == Product.id)
                       & (StoreProduct.store_id == store.id))
            .where(Product.id.in_(ids), Product.merchant_id == store.merchant_id)
        ).all()
    }  # fmt: skip
    out = []
    for product_id, quantity in wanted:
        if product_id not in rows:
            raise Invalid("Dish %(id)s is not on this restaurant's menu.", field="items",
                          code="not_on_menu", params={"id": product_id})  # fmt: skip
        product, offer = rows[product_id]
        out.append(Priced(product.id, product.name, quantity, effective_price(product, offer),
                          product.vat_rate))  # fmt: skip
    return out
