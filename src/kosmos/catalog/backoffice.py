"""Merchant back office use cases: staff manage their own stores, hours, products, stock.

Object-level authorization: a staff member sees only the merchants they work for; any
other merchant's store or product id answers 404, exactly like an id that does not exist.
Every product write publishes `catalog.product_changed` in the same transaction.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kosmos import bus, clock
from kosmos.accounts.tables import User
from kosmos.catalog import model, search, search_text
from kosmos.catalog.model import CatalogRuleError
from kosmos.catalog.tables import Merchant, MerchantStaff, Product, Store, StoreProduct
from kosmos.errors import Conflict, Forbidden, Invalid, NotFound

PRODUCT_CHANGED = "catalog.product_changed"
PRODUCT_FIELDS = (
    "name",
    "gtin",
    "rcn_item",
    "brand",
    "category",
    "unit",
    "price_cents",
    "vat_rate",
    "weight_g",
    "volume_ml",
    "min_age",
    "description",
)


# --- who may do what ---------------------------------------------------------------------


def staff_roles(session: Session, user: User) -> dict[int, str]:
    """Merchant id to role for every merchant the user works for."""
    rows = session.execute(
        select(MerchantStaff.merchant_id, MerchantStaff.role).where(
            MerchantStaff.user_id == user.id
        )
    )
    return {merchant_id: role for merchant_id, role in rows}


def my_merchants(session: Session, user: User) -> list[Merchant]:
    roles = require_staff(session, user)
    return list(
        session.scalars(select(Merchant).where(Merchant.id.in_(roles)).order_by(Merchant.name))
    )


def require_staff(session: Session, user: User) -> dict[int, str]:
    roles = staff_roles(session, user)
    if not roles:
        raise Forbidden("The back office is for merchant staff only.", code="not_merchant_staff")
    return roles


def merchant_for(session: Session, user: User, merchant_id: int | None) -> int:
    roles = require_staff(session, user)
    if merchant_id is None:
        if len(roles) != 1:
            raise Invalid("Choose the merchant.", field="merchant_id")
        return next(iter(roles))
    if merchant_id not in roles:
        raise NotFound("No such merchant.")
    return merchant_id


def require_owner(session: Session, user: User, merchant_id: int) -> None:
    if staff_roles(session, user).get(merchant_id) != "owner":
        raise Forbidden("Only the merchant's owner may do this.", code="not_merchant_owner")


def staff_store(session: Session, user: User, store_id: int) -> Store:
    store = session.get(Store, store_id)
    if store is None or store.merchant_id not in require_staff(session, user):
        raise NotFound("No such store.")
    return store


def staff_product(session: Session, user: User, product_id: int) -> Product:
    product = session.get(Product, product_id)
    if product is None or product.merchant_id not in require_staff(session, user):
        raise NotFound("No such product.")
    return product


def list_stores(session: Session, user: User) -> list[Store]:
    roles = require_staff(session, user)
    return list(
        session.scalars(
            select(Store).where(Store.merchant_id.in_(roles)).order_by(Store.name, Store.id)
        )
    )


def list_products(
    session: Session,
    user: User,
    merchant_id: int | None = None,
    *,
    limit: int = 50,
    cursor: str | None = None,
) -> search.ResultPage:
    merchant = merchant_for(session, user, merchant_id)
    return search.list_products(
        session, search.Filters(merchant_id=merchant), limit=limit, cursor=cursor
    )


# --- products ----------------------------------------------------------------------------


def product_values(fields: dict[str, Any]) -> dict[str, Any]:
    """Validate product fields (a full set or a partial update) into column values."""
    values = {k: v for k, v in fields.items() if k in PRODUCT_FIELDS}
    try:
        if "name" in values:
            values["name"] = clean_text(values["name"], "name", 1, 200)
        if "category" in values:
            values["category"] = clean_text(values["category"], "category", 1, 80)
        if "brand" in values:
            values["brand"] = clean_text(values["brand"], "brand", 0, 80) or None
        if "description" in values:
            values["description"] = clean_text(values["description"] or "", "description", 0, 2000)
        if values.get("gtin"):
            values["gtin"] = model.normalize_gtin(values["gtin"])
        elif "gtin" in values:
            values["gtin"] = None
        if values.get("rcn_item"):
            values["rcn_item"] = model.normalize_rcn_item(values["rcn_item"])
        elif "rcn_item" in values:
            values["rcn_item"] = None
        if "unit" in values:
            values["unit"] = model.check_unit(values["unit"])
        if "price_cents" in values:
            values["price_cents"] = model.check_price_cents(values["price_cents"])
        if "vat_rate" in values:
            values["vat_rate"] = model.check_vat_rate(values["vat_rate"])
        for key, top in (("weight_g", 1_000_000), ("volume_ml", 1_000_000), ("min_age", 21)):
            if key in values:
                values[key] = _optional_int(values[key], key, top)
    except CatalogRuleError as err:
        raise Invalid.from_rule(err) from err
    if "min_age" in values:
        values["min_age"] = values["min_age"] or 0
    return values


def clean_text(value: Any, field: str, shortest: int, longest: int) -> str:
    cleaned = " ".join(str(value or "").split())
    if not shortest <= len(cleaned) <= longest:
        raise CatalogRuleError(field, f"Enter {shortest} to {longest} characters.")
    return cleaned


def _optional_int(value: Any, field: str, top: int) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
        raise CatalogRuleError(field, f"Enter a whole number from 0 to {top}.")
    return value


def apply_search_text(product: Product) -> None:
    product.search_name, product.search_extra = search_text.index_fields(
        product.name, product.brand, product.category
    )


def _check_unique(session: Session, product: Product) -> None:
    for column, field, message in (
        (Product.gtin, "gtin", "Another product of this merchant has this GTIN."),
        (Product.rcn_item, "rcn_item", "Another product of this merchant has this item number."),
    ):
        value = getattr(product, field)
        if value is None:
            continue
        clash = session.scalar(
            select(Product.id).where(
                Product.merchant_id == product.merchant_id,
                column == value,
                Product.id != (product.id or 0),
            )
        )
        if clash is not None:
            raise Conflict(message, code=f"{field}_taken", field=field)


def _changed(session: Session, product: Product, change: str, **extra: Any) -> None:
    bus.publish(
        session,
        PRODUCT_CHANGED,
        {
            "product_id": product.id,
            "merchant_id": product.merchant_id,
            "change": change,
            "gtin": product.gtin,
            "price_cents": product.price_cents,
            **extra,
        },
    )


def create_product(
    session: Session, user: User, *, merchant_id: int | None = None, **fields: Any
) -> Product:
    merchant = merchant_for(session, user, merchant_id)
    missing = [f for f in ("name", "category", "price_cents", "vat_rate") if f not in fields]
    if missing:
        raise Invalid("This field is required.", field=missing[0])
    values = product_values({"unit": "piece", "description": "", **fields})
    now = clock.now()
    product = Product(
        merchant_id=merchant, currency="EUR", created_at=now, updated_at=now, **values
    )
    apply_search_text(product)
    _check_unique(session, product)
    session.add(product)
    session.flush()
    _changed(session, product, "created")
    session.commit()
    search.invalidate_vocabulary()
    return product


def update_product(session: Session, user: User, product_id: int, **changes: Any) -> Product:
    product = staff_product(session, user, product_id)
    values = product_values(changes)
    for key, value in values.items():
        setattr(product, key, value)
    apply_search_text(product)
    try:
        _check_unique(session, product)
    except Conflict:
        session.rollback()
        raise
    product.updated_at = clock.now()
    _changed(session, product, "updated")
    session.commit()
    search.invalidate_vocabulary()
    return product


def delete_product(session: Session, user: User, product_id: int) -> None:
    product = staff_product(session, user, product_id)
    _changed(session, product, "deleted")
    session.delete(product)
    session.commit()
    search.invalidate_vocabulary()


def set_offer(
    session: Session,
    user: User,
    store_id: int,
    product_id: int,
    *,
    stock: int,
    price_cents: int | None = None,
) -> StoreProduct:
    """Put a product on a store's shelf (or update it): stock and an optional own price."""
    store = staff_store(session, user, store_id)
    product = staff_product(session, user, product_id)
    if product.merchant_id != store.merchant_id:
        raise NotFound("No such product.")
    try:
        if isinstance(stock, bool) or not isinstance(stock, int) or not 0 <= stock <= 10**7:
            raise CatalogRuleError("stock", "Enter the stock as a whole number of 0 or more.")
        if price_cents is not None:
            model.check_price_cents(price_cents)
    except CatalogRuleError as err:
        raise Invalid.from_rule(err) from err
    offer = session.get(StoreProduct, (store.id, product.id))
    if offer is None:
        offer = StoreProduct(store_id=store.id, product_id=product.id)
        session.add(offer)
    offer.stock, offer.price_cents, offer.updated_at = stock, price_cents, clock.now()
    _changed(
        session,
        product,
        "offer_updated",
        store_id=store.id,
        stock=stock,
        store_price_cents=price_cents,
    )
    session.commit()
    return offer


def remove_offer(session: Session, user: User, store_id: int, product_id: int) -> None:
    store = staff_store(session, user, store_id)
    offer = session.get(StoreProduct, (store.id, product_id))
    if offer is None:
        raise NotFound("This store does not carry this product.")
    product = staff_product(session, user, product_id)
    session.delete(offer)
    _changed(session, product, "offer_removed", store_id=store.id)
    session.commit()


def store_offers(session: Session, user: User, store_id: int) -> list[tuple[Product, Any]]:
    """Every product of the store's merchant with its offer in this store (or None)."""
    store = staff_store(session, user, store_id)
    rows = session.execute(
        select(Product, StoreProduct)
        .outerjoin(
            StoreProduct,
            (StoreProduct.product_id == Product.id) & (StoreProduct.store_id == store.id),
        )
        .where(Product.merchant_id == store.merchant_id)
        .order_by(Product.name, Product.id)
    )
    return [(p, o) for p, o in rows]
