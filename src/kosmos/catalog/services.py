"""Catalog read use cases: merchants, stores, products, availability and barcode lookup.

The back-office writes live in `backoffice.py`, the product search in `search.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.catalog import model
from kosmos.catalog.model import CatalogRuleError
from kosmos.catalog.tables import Merchant, Product, Store, StoreProduct
from kosmos.errors import Invalid, NotFound, Problem
from kosmos.money import Money


class InvalidGtin(Problem):
    status, code, title = 400, "invalid_gtin", "Invalid GTIN"


class InvalidBarcode(Problem):
    status, code, title = 400, "invalid_barcode", "Invalid barcode"


# --- merchants and stores ----------------------------------------------------------------


def list_categories(session: Session) -> list[str]:
    return list(session.scalars(select(Product.category).distinct().order_by(Product.category)))


def list_merchants(
    session: Session, *, after: int | None = None, limit: int | None = None
) -> list[Merchant]:
    """Merchants in the order they joined (keyset pages by id)."""
    query = select(Merchant)
    if after is not None:
        query = query.where(Merchant.id > after)
    return list(session.scalars(query.order_by(Merchant.id).limit(limit)))


def get_merchant(session: Session, merchant_id: int) -> Merchant:
    merchant = session.get(Merchant, merchant_id)
    if merchant is None:
        raise NotFound("No such merchant.")
    return merchant


def get_merchant_by_slug(session: Session, slug: str) -> Merchant:
    merchant = session.scalar(select(Merchant).where(Merchant.slug == slug))
    if merchant is None:
        raise NotFound("No such merchant.")
    return merchant


def get_store(session: Session, store_id: int) -> Store:
    store = session.get(Store, store_id)
    if store is None:
        raise NotFound("No such store.")
    return store


def is_open_now(store: Store) -> bool:
    return model.is_open_at(store.hours, clock.now())


# --- products ----------------------------------------------------------------------------


def get_product(session: Session, product_id: int) -> Product:
    product = session.get(Product, product_id)
    if product is None:
        raise NotFound("No such product.")
    return product


def products_by_gtin(session: Session, gtin: str) -> list[Product]:
    """Every merchant's product with this GTIN (any spelling: EAN-13, UPC-A, EAN-8)."""
    try:
        normalized = model.normalize_gtin(gtin)
    except CatalogRuleError as err:
        raise InvalidGtin(str(err), field="gtin") from err
    return list(
        session.scalars(select(Product).where(Product.gtin == normalized).order_by(Product.id))
    )


def get_product_by_gtin(session: Session, gtin: str) -> Product:
    found = products_by_gtin(session, gtin)
    if not found:
        raise NotFound("No product has this GTIN.", code="unknown_gtin")
    return found[0]


def availability(session: Session, product: Product) -> list[StoreProduct]:
    """The stores that carry the product, with their price and stock."""
    return list(
        session.scalars(
            select(StoreProduct)
            .where(StoreProduct.product_id == product.id)
            .order_by(StoreProduct.store_id)
        )
    )


def effective_price(product: Product, offer: StoreProduct | None) -> int:
    if offer is not None and offer.price_cents is not None:
        return offer.price_cents
    return product.price_cents


# --- barcodes ----------------------------------------------------------------------------


@dataclass(frozen=True)
class BarcodeMatch:
    """What a scanned code means: the product and, for scale labels, weight and price."""

    code: str
    kind: str  # "gtin", "weight" or "price"
    product: Product
    offer: StoreProduct | None
    unit_price_cents: int
    weight_kg: Decimal | None = None
    line_price_cents: int | None = None


def resolve_barcode(session: Session, code: str, store_id: int | None = None) -> BarcodeMatch:
    """Look a scanned code up; with `store_id` the product must be sold in that store.

    German scale labels (28/29 weight, 22/23 price) name the product by its 4-digit item
    reference; the line price is price per kg times weight, rounded half up, so a weight
    label only names a product sold by the kg. A price label suits any unit.
    """
    try:
        scanned = model.decode_barcode(code)
    except CatalogRuleError as err:
        raise InvalidBarcode(str(err), code=err.code, field="code") from err
    store = get_store(session, store_id) if store_id is not None else None
    query = select(Product).order_by(Product.id)
    if scanned.kind == "gtin":
        query = query.where(Product.gtin == scanned.gtin)
    else:
        query = query.where(Product.rcn_item == scanned.item_reference)
    candidates = list(session.scalars(query))
    if not candidates:
        raise NotFound("No product has this code.", code="unknown_barcode", field="code")
    if scanned.kind == "weight":
        candidates = [p for p in candidates if p.unit == "kg"]
        if not candidates:
            raise Invalid(
                "This label carries a weight, but its product is not sold by the kg.",
                code="not_sold_by_weight",
                field="code",
            )
    product, offer = _pick(session, candidates, store)
    unit_price = effective_price(product, offer)
    if scanned.kind == "weight":
        assert scanned.weight_kg is not None
        line = model.line_price(Money(unit_price), scanned.weight_kg)
        return BarcodeMatch(
            code, "weight", product, offer, unit_price, scanned.weight_kg, line.amount
        )
    if scanned.kind == "price":
        assert scanned.price is not None
        return BarcodeMatch(code, "price", product, offer, unit_price, None, scanned.price.amount)
    return BarcodeMatch(code, "gtin", product, offer, unit_price)


def _pick(
    session: Session, candidates: list[Product], store: Store | None
) -> tuple[Product, StoreProduct | None]:
    if store is None:
        return candidates[0], None
    for product in candidates:
        offer = session.get(StoreProduct, (store.id, product.id))
        if offer is not None:
            return product, offer
    raise NotFound(
        f"This product is not sold at {store.name}.", code="not_sold_in_store", field="code"
    )
