"""Back-office use cases for stores: address, opening hours, opening and closing stores.

Same authorization as `backoffice`: other merchants' stores answer 404; opening and
closing a store is for the merchant's owner.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.accounts.tables import User
from kosmos.catalog import model
from kosmos.catalog.backoffice import clean_text, merchant_for, require_owner, staff_store
from kosmos.catalog.model import CatalogRuleError
from kosmos.catalog.tables import Merchant, Store
from kosmos.errors import Conflict, Invalid

STORE_FIELDS = ("name", "slug", "street", "postcode", "city", "lat", "lon", "phone")


def store_values(fields: dict[str, Any]) -> dict[str, Any]:
    """Validate store fields (full or partial) into column values."""
    values = {k: v for k, v in fields.items() if k in STORE_FIELDS}
    try:
        for key, longest in (("name", 120), ("street", 120), ("city", 80)):
            if key in values:
                values[key] = clean_text(values[key], key, 1, longest)
        if "phone" in values:
            values["phone"] = clean_text(values["phone"], "phone", 0, 40)
        if "postcode" in values:
            values["postcode"] = str(values["postcode"] or "").strip()
            if not re.fullmatch(r"[0-9]{5}", values["postcode"]):
                raise CatalogRuleError("postcode", "A German postcode has 5 digits.")
        if "slug" in values:
            if not isinstance(values["slug"], str):  # PATCH {"slug": null}
                raise CatalogRuleError("slug", "Use at least 3 letters or digits.")
            values["slug"] = model.check_slug(values["slug"])
        for key, top in (("lat", 90.0), ("lon", 180.0)):
            if key in values:
                number = values[key]
                if (
                    isinstance(number, bool)
                    or not isinstance(number, int | float)
                    or not (-top <= number <= top)
                ):
                    raise CatalogRuleError(key, f"Enter a number from -{top:g} to {top:g}.")
                values[key] = float(number)
    except CatalogRuleError as err:
        raise Invalid.from_rule(err) from err
    return values


def _check_slug_free(session: Session, slug: str, store_id: int | None) -> None:
    clash = session.scalar(select(Store.id).where(Store.slug == slug, Store.id != (store_id or 0)))
    if clash is not None:
        raise Conflict("Another store has this address name.", code="slug_taken", field="slug")


def hours_values(raw: dict[str, Any]) -> dict[str, Any]:
    try:
        return model.hours_to_json(model.parse_opening_hours(raw))
    except CatalogRuleError as err:
        raise Invalid.from_rule(err) from err


def create_store(
    session: Session,
    user: User,
    *,
    merchant_id: int | None = None,
    opening_hours: dict[str, Any] | None = None,
    **fields: Any,
) -> Store:
    merchant = merchant_for(session, user, merchant_id)
    require_owner(session, user, merchant)
    missing = [f for f in ("name", "street", "postcode", "city", "lat", "lon") if f not in fields]
    if missing:
        raise Invalid("This field is required.", field=missing[0])
    values = store_values({"phone": "", **fields})
    merchant_slug = session.get_one(Merchant, merchant).slug
    values.setdefault("slug", model.check_slug(f"{merchant_slug}-{values['street']}"))
    _check_slug_free(session, values["slug"], None)
    store = Store(
        merchant_id=merchant,
        opening_hours=hours_values(opening_hours or {}),
        created_at=clock.now(),
        **values,
    )
    session.add(store)
    session.commit()
    return store


def update_store(session: Session, user: User, store_id: int, **changes: Any) -> Store:
    store = staff_store(session, user, store_id)
    values = store_values(changes)
    if "slug" in values:
        _check_slug_free(session, values["slug"], store.id)
    hours = changes.get("opening_hours")
    if hours is not None:
        values["opening_hours"] = hours_values(hours)
    for key, value in values.items():
        setattr(store, key, value)
    session.commit()
    return store


def set_opening_hours(session: Session, user: User, store_id: int, raw: dict[str, Any]) -> Store:
    store = staff_store(session, user, store_id)
    store.opening_hours = hours_values(raw)
    session.commit()
    return store


def delete_store(session: Session, user: User, store_id: int) -> None:
    store = staff_store(session, user, store_id)
    require_owner(session, user, store.merchant_id)
    session.delete(store)
    session.commit()
