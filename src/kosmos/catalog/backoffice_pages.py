"""Back-office HTML routes: forms for staff, re-rendered with errors next to the field."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from kosmos.accounts.auth import page_user
from kosmos.accounts.tables import User
from kosmos.catalog import backoffice, backoffice_stores, model
from kosmos.catalog.model import CatalogRuleError
from kosmos.errors import Invalid, Problem
from kosmos.schemas import ObjectId, QueryId
from kosmos.web.csrf import require_csrf
from kosmos.web.deps import get_db
from kosmos.web.forms import parse_cents, price_input
from kosmos.web.i18n import _
from kosmos.web.render import render

router = APIRouter(prefix="/backoffice", include_in_schema=False)
DB = Depends(get_db)
STAFF = Depends(page_user)
CSRF = [Depends(require_csrf)]
PRODUCT_FORM = (
    "name",
    "gtin",
    "rcn_item",
    "brand",
    "category",
    "unit",
    "price",
    "vat_rate",
    "weight_g",
    "volume_ml",
    "min_age",
    "description",
)
STORE_FORM = ("name", "slug", "street", "postcode", "city", "lat", "lon", "phone")


def _errors(exc: Problem, default_field: str = "_form") -> dict[str, str]:
    field = (exc.field or default_field).replace("price_cents", "price")
    return {field: _(str(exc.detail or exc.title))}


_WHOLE = re.compile(r"[0-9]{1,9}")
_COORDINATE = re.compile(r"-?[0-9]{1,3}([.,][0-9]{1,20})?")


def _cents(text: str, field: str) -> int:
    return parse_cents(text, field, highest=model.MAX_PRICE_CENTS)


def _int(text: str, field: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not _WHOLE.fullmatch(text):
        raise Invalid("Enter a whole number.", field=field)
    return int(text)


def _number(text: str, field: str) -> float:
    """A coordinate; "52.5201" and "52,5201" both mean 52.5201 (never grouping)."""
    text = text.strip()
    if not _COORDINATE.fullmatch(text):
        raise Invalid("Enter a number like 52.5201.", field=field)
    return float(text.replace(",", "."))


async def _form(request: Request, names: tuple[str, ...]) -> dict[str, str]:
    form = await request.form()
    return {name: str(form.get(name, "")) for name in names}


def _product_fields(form: dict[str, str]) -> dict[str, Any]:
    fields: dict[str, Any] = {
        k: form[k] for k in ("name", "gtin", "rcn_item", "brand", "category", "unit", "description")
    }
    fields["price_cents"] = _cents(form["price"], "price")
    fields["vat_rate"] = _int(form["vat_rate"], "vat_rate")
    for key in ("weight_g", "volume_ml", "min_age"):
        fields[key] = _int(form[key], key)
    return fields


def _product_form(product: Any) -> dict[str, str]:
    form = {
        k: "" if getattr(product, k, None) is None else str(getattr(product, k))
        for k in PRODUCT_FORM
        if k != "price"
    }
    form["price"] = price_input(product.price_cents)
    return form


# --- overview ----------------------------------------------------------------------------


@router.get("")
def overview(request: Request, user: User = STAFF, db: Session = DB) -> Response:
    merchants = backoffice.my_merchants(db, user)
    products = {m.id: backoffice.list_products(db, user, m.id, limit=200).items for m in merchants}
    return render(
        request,
        "catalog/backoffice/overview.html",
        {
            "merchants": merchants,
            "roles": backoffice.staff_roles(db, user),
            "products": products,
        },
    )


# --- products ----------------------------------------------------------------------------


def _product_page(
    request: Request,
    form: dict[str, str],
    errors: dict[str, str],
    action: str,
    status: int = 200,
    **extra: Any,
) -> Response:
    """The product form; `merchants` (new products only) adds the shop choice. An error
    about a field the form does not show is shown at the top, never dropped."""
    shown = {*PRODUCT_FORM, *(("merchant_id",) if extra.get("merchants") else ())}
    errors = {(key if key in shown else "_form"): message for key, message in errors.items()}
    return render(
        request,
        "catalog/backoffice/product.html",
        {
            "form": form,
            "errors": errors,
            "action": action,
            "units": model.UNITS,
            "vat_rates": model.VAT_RATES,
            **extra,
        },
        status_code=status,
    )


def _new_product_action(merchant: int | None) -> str:
    return "/backoffice/products" + (f"?merchant={merchant}" if merchant else "")


@router.get("/products/new")
def new_product(
    request: Request, merchant: QueryId = None, user: User = STAFF, db: Session = DB
) -> Response:
    merchants = backoffice.my_merchants(db, user)
    chosen = merchant
    if chosen is None and len(merchants) == 1:
        chosen = merchants[0].id
    form = {"unit": "piece", "vat_rate": "7", "merchant_id": "" if chosen is None else str(chosen)}
    return _product_page(request, form, {}, _new_product_action(merchant), merchants=merchants)


@router.post("/products", dependencies=CSRF)
async def create_product(
    request: Request, merchant: QueryId = None, user: User = STAFF, db: Session = DB
) -> Response:
    """The shop comes from the form's `merchant_id` or else from `?merchant=`."""
    form = await _form(request, (*PRODUCT_FORM, "merchant_id"))
    try:
        chosen = _int(form["merchant_id"], "merchant_id")
        product = backoffice.create_product(
            db,
            user,
            merchant_id=chosen if chosen is not None else merchant,
            **_product_fields(form),
        )
    except Problem as exc:
        if exc.status in (403, 404):
            raise
        if not form["merchant_id"].strip() and merchant is not None:
            form["merchant_id"] = str(merchant)
        return _product_page(
            request,
            form,
            _errors(exc),
            _new_product_action(merchant),
            exc.status,
            merchants=backoffice.my_merchants(db, user),
        )
    return RedirectResponse(f"/backoffice/products/{product.id}", status_code=303)


@router.get("/products/{product_id}")
def edit_product(
    request: Request, product_id: ObjectId, user: User = STAFF, db: Session = DB
) -> Response:
    product = backoffice.staff_product(db, user, product_id)
    return _product_page(
        request, _product_form(product), {}, f"/backoffice/products/{product.id}", product=product
    )


@router.post("/products/{product_id}", dependencies=CSRF)
async def update_product(
    request: Request, product_id: ObjectId, user: User = STAFF, db: Session = DB
) -> Response:
    product = backoffice.staff_product(db, user, product_id)
    form = await _form(request, PRODUCT_FORM)
    try:
        backoffice.update_product(db, user, product_id, **_product_fields(form))
    except Problem as exc:
        if exc.status in (403, 404):
            raise
        return _product_page(
            request,
            form,
            _errors(exc),
            f"/backoffice/products/{product_id}",
            exc.status,
            product=product,
        )
    return RedirectResponse(f"/backoffice/products/{product_id}", status_code=303)


@router.post("/products/{product_id}/delete", dependencies=CSRF)
def delete_product(product_id: ObjectId, user: User = STAFF, db: Session = DB) -> Response:
    backoffice.delete_product(db, user, product_id)
    return RedirectResponse("/backoffice", status_code=303)


# --- stores ------------------------------------------------------------------------------


def _store_page(
    request: Request,
    db: Session,
    user: User,
    store_id: ObjectId,
    errors: dict[str, str],
    form: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    store = backoffice.staff_store(db, user, store_id)
    hours = store.hours
    return render(
        request,
        "catalog/backoffice/store.html",
        {
            "store": store,
            "errors": errors,
            "form": form or {k: str(getattr(store, k)) for k in STORE_FORM},
            "days": [
                (day, _(name), model.day_text(hours.get(day, ())))
                for day, name in zip(model.WEEKDAYS, DAY_NAMES, strict=True)
            ],
            "offers": backoffice.store_offers(db, user, store_id),
            "price_input": price_input,
        },
        status_code=status,
    )


DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@router.get("/stores/{store_id}")
def edit_store(
    request: Request, store_id: ObjectId, user: User = STAFF, db: Session = DB
) -> Response:
    return _store_page(request, db, user, store_id, {})


@router.post("/stores/{store_id}", dependencies=CSRF)
async def update_store(
    request: Request, store_id: ObjectId, user: User = STAFF, db: Session = DB
) -> Response:
    backoffice.staff_store(db, user, store_id)
    form = await _form(request, STORE_FORM)
    try:
        fields: dict[str, Any] = {k: v for k, v in form.items() if k not in ("lat", "lon")}
        fields["lat"], fields["lon"] = _number(form["lat"], "lat"), _number(form["lon"], "lon")
        backoffice_stores.update_store(db, user, store_id, **fields)
    except Problem as exc:
        db.rollback()
        return _store_page(request, db, user, store_id, _errors(exc), form, exc.status)
    return RedirectResponse(f"/backoffice/stores/{store_id}", status_code=303)


@router.post("/stores/{store_id}/hours", dependencies=CSRF)
async def set_hours(
    request: Request, store_id: ObjectId, user: User = STAFF, db: Session = DB
) -> Response:
    backoffice.staff_store(db, user, store_id)
    form = await _form(request, tuple(f"hours_{day}" for day in model.WEEKDAYS))
    try:
        hours = {}
        for day in model.WEEKDAYS:
            try:
                spans = model.parse_day_text(form[f"hours_{day}"], f"hours_{day}")
            except CatalogRuleError as err:
                raise Invalid.from_rule(err) from err
            hours[day] = [[s.opens_text, s.closes_text] for s in spans]
        backoffice_stores.set_opening_hours(db, user, store_id, hours)
    except Problem as exc:
        return _store_page(request, db, user, store_id, _errors(exc), status=exc.status)
    return RedirectResponse(f"/backoffice/stores/{store_id}", status_code=303)


@router.post("/stores/{store_id}/stock/{product_id}", dependencies=CSRF)
async def set_stock(
    request: Request, store_id: ObjectId, product_id: ObjectId, user: User = STAFF, db: Session = DB
) -> Response:
    form = await _form(request, ("stock", "price"))
    try:
        stock = _int(form["stock"], "stock")
        own_price = _cents(form["price"], "price") if form["price"].strip() else None
        backoffice.set_offer(
            db, user, store_id, product_id, stock=stock if stock else 0, price_cents=own_price
        )
    except Problem as exc:
        if exc.status in (403, 404):
            raise
        errors = {f"{k}_{product_id}": v for k, v in _errors(exc).items()}
        return _store_page(request, db, user, store_id, errors, status=exc.status)
    return RedirectResponse(f"/backoffice/stores/{store_id}#p{product_id}", status_code=303)
