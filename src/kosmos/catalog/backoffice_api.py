"""Back-office JSON routes: merchant staff manage their stores, hours, products and stock.

Bearer token or session (with the CSRF header) via `api_user`. Non-staff get 403; staff
get 404 for any store or product of a merchant they do not work for.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Response
from sqlalchemy.orm import Session

from kosmos.accounts.auth import api_user
from kosmos.accounts.tables import User
from kosmos.catalog import backoffice, backoffice_stores, schemas, search
from kosmos.catalog.api import product_out, store_out
from kosmos.catalog.tables import StoreProduct
from kosmos.schemas import ObjectId, QueryId
from kosmos.web.deps import get_db

router = APIRouter(prefix="/backoffice", tags=["back office"])
DB = Depends(get_db)
ME = Depends(api_user)


@router.get("/merchants", response_model=list[schemas.StaffMerchant])
def my_merchants(user: User = ME, db: Session = DB) -> list[dict[str, Any]]:
    roles = backoffice.staff_roles(db, user)
    return [
        {"id": m.id, "slug": m.slug, "name": m.name, "role": roles[m.id]}
        for m in backoffice.my_merchants(db, user)
    ]


# --- stores ------------------------------------------------------------------------------


@router.get("/stores", response_model=list[schemas.StorePublic])
def list_stores(user: User = ME, db: Session = DB) -> list[dict[str, Any]]:
    return [store_out(s) for s in backoffice.list_stores(db, user)]


@router.post("/stores", status_code=201, response_model=schemas.StorePublic)
def create_store(body: schemas.StoreCreate, user: User = ME, db: Session = DB) -> dict[str, Any]:
    fields = body.model_dump(exclude_unset=True, exclude_none=True)
    return store_out(backoffice_stores.create_store(db, user, **fields))


@router.get("/stores/{store_id}", response_model=schemas.StorePublic)
def get_store(store_id: ObjectId, user: User = ME, db: Session = DB) -> dict[str, Any]:
    return store_out(backoffice.staff_store(db, user, store_id))


@router.patch("/stores/{store_id}", response_model=schemas.StorePublic)
def update_store(
    store_id: ObjectId, body: schemas.StoreUpdate, user: User = ME, db: Session = DB
) -> dict[str, Any]:
    changes = body.model_dump(exclude_unset=True)
    return store_out(backoffice_stores.update_store(db, user, store_id, **changes))


@router.put("/stores/{store_id}/opening-hours", response_model=schemas.StorePublic)
def set_opening_hours(
    store_id: ObjectId, body: schemas.Hours, user: User = ME, db: Session = DB
) -> dict[str, Any]:
    hours = {day: [list(span) for span in spans] for day, spans in body.items()}
    return store_out(backoffice_stores.set_opening_hours(db, user, store_id, hours))


@router.delete("/stores/{store_id}", status_code=204)
def delete_store(store_id: ObjectId, user: User = ME, db: Session = DB) -> Response:
    backoffice_stores.delete_store(db, user, store_id)
    return Response(status_code=204)


@router.put("/stores/{store_id}/products/{product_id}", response_model=schemas.OfferPublic)
def set_offer(
    store_id: ObjectId,
    product_id: ObjectId,
    body: schemas.OfferPut,
    user: User = ME,
    db: Session = DB,
) -> StoreProduct:
    return backoffice.set_offer(
        db, user, store_id, product_id, stock=body.stock, price_cents=body.price_cents
    )


@router.delete("/stores/{store_id}/products/{product_id}", status_code=204)
def remove_offer(
    store_id: ObjectId, product_id: ObjectId, user: User = ME, db: Session = DB
) -> Response:
    backoffice.remove_offer(db, user, store_id, product_id)
    return Response(status_code=204)


# --- products ----------------------------------------------------------------------------


@router.get("/products", response_model=schemas.ProductPage)
def list_products(
    merchant: QueryId = None,
    limit: int = Query(50, ge=1, le=200),
    cursor: str | None = Query(None, max_length=500),
    user: User = ME,
    db: Session = DB,
) -> search.ResultPage:
    return backoffice.list_products(db, user, merchant, limit=limit, cursor=cursor)


@router.post("/products", status_code=201, response_model=schemas.ProductPublic)
def create_product(
    body: schemas.ProductCreate, user: User = ME, db: Session = DB
) -> dict[str, Any]:
    return product_out(db, backoffice.create_product(db, user, **body.model_dump()))


@router.get("/products/{product_id}", response_model=schemas.ProductPublic)
def get_product(product_id: ObjectId, user: User = ME, db: Session = DB) -> dict[str, Any]:
    return product_out(db, backoffice.staff_product(db, user, product_id))


@router.patch("/products/{product_id}", response_model=schemas.ProductPublic)
def update_product(
    product_id: ObjectId, body: schemas.ProductUpdate, user: User = ME, db: Session = DB
) -> dict[str, Any]:
    changes = body.model_dump(exclude_unset=True)
    return product_out(db, backoffice.update_product(db, user, product_id, **changes))


@router.delete("/products/{product_id}", status_code=204)
def delete_product(product_id: ObjectId, user: User = ME, db: Session = DB) -> Response:
    backoffice.delete_product(db, user, product_id)
    return Response(status_code=204)
