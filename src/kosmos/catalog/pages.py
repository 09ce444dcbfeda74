"""Public HTML routes of the catalog: home with the shops, search, product, merchant, store."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from babel.dates import get_day_names
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from kosmos.accounts.auth import optional_user
from kosmos.accounts.tables import User
from kosmos.catalog import model, search, services
from kosmos.catalog.tables import Store
from kosmos.errors import Problem
from kosmos.schemas import MAX_ID, ObjectId
from kosmos.web.deps import get_db
from kosmos.web.format import babel_locale
from kosmos.web.i18n import N_, _
from kosmos.web.render import render

router = APIRouter(include_in_schema=False)
DB = Depends(get_db)
USER = Depends(optional_user)

KIND_LABELS = {
    "butcher": N_("Butcher"),
    "supermarket": N_("Supermarket"),
    "bakery": N_("Bakery"),
    "restaurant": N_("Restaurant"),
    "drugstore": N_("Drugstore"),
    "hair_salon": N_("Hair salon"),
    "beauty_salon": N_("Beauty salon"),
    "pharmacy": N_("Pharmacy"),
    "florist": N_("Florist"),
    "repair_shop": N_("Repair shop"),
    "other_service": N_("Service"),
}


def kind_label(kind: str) -> str:
    return _(KIND_LABELS.get(kind) or N_("Shop"))


def hours_rows(store: Store) -> list[dict[str, Any]]:
    """One row per weekday (Monday first), named in the page's language."""
    names = get_day_names("wide", locale=babel_locale())
    hours = store.hours
    return [
        {"day": names[i], "spans": [span.label() for span in hours.get(day, ())]}
        for i, day in enumerate(model.WEEKDAYS)
    ]


def store_view(store: Store) -> dict[str, Any]:
    return {
        "store": store,
        "hours": hours_rows(store),
        "open_now": services.is_open_now(store),
        "osm_url": f"https://www.openstreetmap.org/?mlat={store.lat}&mlon={store.lon}"
        f"#map=18/{store.lat}/{store.lon}",
    }


@router.get("/")
def home(request: Request, user: User | None = USER, db: Session = DB) -> Response:
    merchants = [
        {"slug": m.slug, "name": m.name, "kind_label": kind_label(m.kind)}
        for m in services.list_merchants(db)
    ]
    return render(request, "home.html", {"merchants": merchants})


def _results(
    db: Session, q: str, cursor: str | None, merchant_raw: str, category: str | None
) -> dict[str, Any]:
    """Form fields arrive as text; an empty or odd merchant choice means all shops."""
    digits = re.fullmatch(r"[0-9]{1,9}", merchant_raw)
    merchant = int(merchant_raw) if digits and 0 < int(merchant_raw) <= MAX_ID else None
    filters = search.Filters(merchant_id=merchant, category=category or None)
    try:
        page = (
            search.search_products(db, q, filters, limit=20, cursor=cursor)
            if q.strip() or merchant or category
            else None
        )
    except Problem:
        page = None
    return {"q": q, "page": page, "merchant": merchant, "category": category or ""}


@router.get("/search")
def search_page(
    request: Request,
    q: str = Query("", max_length=200),
    cursor: str | None = Query(None, max_length=500),
    merchant: str = Query("", max_length=12),
    category: str | None = Query(None, max_length=80),
    user: User | None = USER,
    db: Session = DB,
) -> Response:
    context = _results(db, q, cursor, merchant, category)
    context.update(
        section="scan",
        merchants=services.list_merchants(db),
        categories=services.list_categories(db),
    )
    return render(request, "catalog/search.html", context)


@router.get("/search/results")
def search_results(
    request: Request,
    q: str = Query("", max_length=200),
    cursor: str | None = Query(None, max_length=500),
    merchant: str = Query("", max_length=12),
    category: str | None = Query(None, max_length=80),
    db: Session = DB,
) -> Response:
    """The result list alone, for htmx (results as you type)."""
    return render(request, "catalog/_results.html", _results(db, q, cursor, merchant, category))


@router.get("/products/{product_id}")
def product_page(
    request: Request, product_id: ObjectId, user: User | None = USER, db: Session = DB
) -> Response:
    product = services.get_product(db, product_id)
    unit_price = model.unit_price(
        product.price_cents, weight_g=product.weight_g, volume_ml=product.volume_ml
    )
    offers = []
    for offer in services.availability(db, product):
        store_price = services.effective_price(product, offer)
        # A store's own price carries its own VAT; the list price's VAT is not its VAT.
        own_vat = (
            model.vat_breakdown(store_price, product.vat_rate)
            if store_price != product.price_cents
            else None
        )
        offers.append((offer, store_price, own_vat))
    return render(
        request,
        "catalog/product.html",
        {
            "product": product,
            "unit_price": unit_price,
            "offers": offers,
            "vat": model.vat_breakdown(product.price_cents, product.vat_rate),
        },
    )


MerchantPanel = Callable[[Session, Any], dict[str, Any]]
merchant_panels: list[MerchantPanel] = []
"""Contexts built on the catalog add to the merchant page without the catalog knowing them
(the assistant adds the reviews' average): each returns template values."""


@router.get("/merchants/{slug}")
def merchant_page(
    request: Request, slug: str, user: User | None = USER, db: Session = DB
) -> Response:
    merchant = services.get_merchant_by_slug(db, slug)
    page = search.list_products(db, search.Filters(merchant_id=merchant.id), limit=100)
    return render(
        request,
        "catalog/merchant.html",
        {
            "merchant": merchant,
            "kind_label": kind_label(merchant.kind),
            "stores": [store_view(s) for s in merchant.stores],
            "products": page.items,
            "panels": {k: v for panel in merchant_panels for k, v in panel(db, merchant).items()},
        },
    )


@router.get("/stores/{store_id}")
def store_page(
    request: Request, store_id: ObjectId, user: User | None = USER, db: Session = DB
) -> Response:
    store = services.get_store(db, store_id)
    return render(request, "catalog/store.html", store_view(store))
