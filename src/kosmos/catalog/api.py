"""Public JSON routes of the catalog: products, search, barcodes, merchants, stores.

Catalogs are public data: these read routes need no log-in.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from kosmos.catalog import model, schemas, search, services
from kosmos.catalog.tables import Product, Store
from kosmos.schemas import ObjectId, Page, QueryId, after_id, id_page
from kosmos.web.deps import get_db

router = APIRouter(tags=["catalog"])
DB = Depends(get_db)


def store_out(store: Store) -> dict[str, Any]:
    return {
        **{
            k: getattr(store, k)
            for k in (
                "id",
                "slug",
                "name",
                "street",
                "postcode",
                "city",
                "lat",
                "lon",
                "phone",
                "merchant",
            )
        },
        "opening_hours": model.hours_to_json(store.hours),
        "open_now": services.is_open_now(store),
    }


def product_out(db: Session, product: Product) -> dict[str, Any]:
    unit_price = model.unit_price(
        product.price_cents, weight_g=product.weight_g, volume_ml=product.volume_ml
    )
    offers = [
        {"store": o.store, "price_cents": services.effective_price(product, o), "stock": o.stock}
        for o in services.availability(db, product)
    ]
    return {
        **{
            c: getattr(product, c)
            for c in (
                "id",
                "name",
                "gtin",
                "price_cents",
                "currency",
                "vat_rate",
                "unit",
                "brand",
                "category",
                "merchant",
                "rcn_item",
                "weight_g",
                "volume_ml",
                "min_age",
                "description",
            )
        },
        "unit_price_cents": unit_price[0].amount if unit_price else None,
        "unit_price_unit": unit_price[1] if unit_price else None,
        "offers": offers,
    }


@router.get("/products", response_model=schemas.ProductPage)
def list_products(
    q: str = Query("", max_length=200, description="Search text (German-aware)"),
    merchant: QueryId = None,
    category: str | None = Query(None, max_length=80),
    store: QueryId = None,
    limit: int = Query(20, ge=1, le=100),
    cursor: str | None = Query(None, max_length=500),
    db: Session = DB,
) -> search.ResultPage:
    """Search (with `q`, ranked) or list (ordered by name), a page at a time."""
    filters = search.Filters(merchant_id=merchant, category=category, store_id=store)
    return search.search_products(db, q, filters, limit=limit, cursor=cursor)


@router.get("/products/by-gtin/{gtin}", response_model=schemas.ProductPublic)
def product_by_gtin(gtin: str, db: Session = DB) -> dict[str, Any]:
    return product_out(db, services.get_product_by_gtin(db, gtin))


@router.get("/products/{product_id}", response_model=schemas.ProductPublic)
def get_product(product_id: ObjectId, db: Session = DB) -> dict[str, Any]:
    return product_out(db, services.get_product(db, product_id))


@router.get("/barcodes/{code}", response_model=schemas.BarcodePublic)
def resolve_barcode(code: str, store_id: QueryId = None, db: Session = DB) -> dict[str, Any]:
    """A scanned EAN/UPC, including German scale labels (weight 28/29, price 22/23)."""
    match = services.resolve_barcode(db, code, store_id)
    product = match.product
    summary = {
        c: getattr(product, c)
        for c in schemas.ProductSummary.model_fields
        if c not in ("store_id", "stock")
    }
    summary["price_cents"] = match.unit_price_cents
    if match.offer is not None:
        summary.update(store_id=match.offer.store_id, stock=match.offer.stock)
    return {
        "code": match.code,
        "kind": match.kind,
        "product": summary,
        "unit_price_cents": match.unit_price_cents,
        "weight_kg": match.weight_kg,
        "line_price_cents": match.line_price_cents,
    }


@router.get("/merchants", response_model=Page[schemas.MerchantBrief])
def list_merchants(
    limit: int = Query(50, ge=1, le=100),
    cursor: str | None = Query(None, max_length=500),
    db: Session = DB,
) -> dict[str, Any]:
    rows = services.list_merchants(db, after=after_id(cursor), limit=limit + 1)
    return id_page(rows, limit, lambda m: m.id)


@router.get("/merchants/{merchant_id}", response_model=schemas.MerchantPublic)
def get_merchant(merchant_id: ObjectId, db: Session = DB) -> dict[str, Any]:
    merchant = services.get_merchant(db, merchant_id)
    return {
        **{k: getattr(merchant, k) for k in ("id", "slug", "name", "kind", "description")},
        "stores": [store_out(s) for s in merchant.stores],
    }


@router.get("/stores/{store_id}", response_model=schemas.StorePublic)
def get_store(store_id: ObjectId, db: Session = DB) -> dict[str, Any]:
    return store_out(services.get_store(db, store_id))
