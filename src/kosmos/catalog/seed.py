"""`kosmos seed demo`: the demo world Musterstadt from `demo`. Idempotent.

Merchants and stores are matched by slug, products by GTIN (or scale item number, or
name for dishes and services), users by username; a second run changes nothing that
exists and creates no duplicates. Stock set later in the back office is left alone.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.accounts import friends, households
from kosmos.accounts import services as accounts
from kosmos.accounts.tables import Friendship, User
from kosmos.catalog import demo, search
from kosmos.catalog.backoffice import apply_search_text, product_values
from kosmos.catalog.backoffice_stores import hours_values
from kosmos.catalog.tables import Merchant, MerchantStaff, Product, Store, StoreProduct


def seed_demo(session: Session) -> dict[str, int]:
    """Create (or complete) the demo world; returns how many of each thing exist."""
    merchants = _merchants(session)
    _products(session, merchants)
    session.commit()
    search.invalidate_vocabulary()
    users = _users(session, demo.DEMO_USERS + demo.DEMO_STAFF)
    for a, b in demo.DEMO_FRIENDSHIPS:
        friends.befriend(session, users[a], users[b])
    _household(session, users)
    for staff in demo.DEMO_STAFF:
        merchant = merchants[staff["merchant"]]
        if session.get(MerchantStaff, (users[staff["username"]].id, merchant.id)) is None:
            session.add(
                MerchantStaff(
                    user_id=users[staff["username"]].id,
                    merchant_id=merchant.id,
                    role=staff.get("role", "owner"),
                    created_at=clock.now(),
                )
            )
    session.commit()
    return {
        name: session.scalar(select(func.count()).select_from(table)) or 0
        for name, table in (
            ("merchants", Merchant),
            ("stores", Store),
            ("products", Product),
            ("store_products", StoreProduct),
            ("users", User),
            ("friendships", Friendship),
            ("merchant_staff", MerchantStaff),
        )
    }


def _merchants(session: Session) -> dict[str, Merchant]:
    found: dict[str, Merchant] = {}
    for data in demo.MERCHANTS:
        merchant = session.scalar(select(Merchant).where(Merchant.slug == data["slug"]))
        if merchant is None:
            merchant = Merchant(slug=data["slug"], created_at=clock.now())
            session.add(merchant)
        merchant.name, merchant.kind = data["name"], data["kind"]
        merchant.description = data.get("description", "")
        for store_data in data["stores"]:
            store = session.scalar(select(Store).where(Store.slug == store_data["slug"]))
            if store is None:
                store = Store(slug=store_data["slug"], created_at=clock.now())
                merchant.stores.append(store)
            for key in ("name", "street", "postcode", "city", "lat", "lon", "phone"):
                setattr(store, key, store_data[key])
            store.opening_hours = hours_values(store_data["opening_hours"])
        found[data["slug"]] = merchant
    session.flush()
    return found


def _product_key(merchant_id: int, data: Any) -> tuple[int, str, str]:
    if data.get("gtin"):
        return merchant_id, "gtin", data["gtin"]
    if data.get("rcn_item"):
        return merchant_id, "rcn", data["rcn_item"]
    return merchant_id, "name", data["name"]


def _products(session: Session, merchants: dict[str, Merchant]) -> None:
    existing = {
        _product_key(p.merchant_id, p.__dict__): p
        for p in session.scalars(
            select(Product).where(Product.merchant_id.in_([m.id for m in merchants.values()]))
        )
    }
    offers = set(session.execute(select(StoreProduct.store_id, StoreProduct.product_id)).all())
    now = clock.now()
    for index, data in enumerate(demo.PRODUCTS):
        merchant = merchants[data["merchant"]]
        values = product_values(data)
        key = _product_key(merchant.id, values)
        product = existing.get(key)
        if product is None:
            product = Product(merchant_id=merchant.id, currency="EUR", created_at=now)
            session.add(product)
            existing[key] = product
        for column, value in values.items():
            setattr(product, column, value)
        product.updated_at = now
        apply_search_text(product)
        session.flush()
        for store in merchant.stores:
            if (store.id, product.id) not in offers:
                stock = 0 if index % 23 == 0 else 5 + (index * 37) % 60
                session.add(
                    StoreProduct(
                        store_id=store.id, product_id=product.id, stock=stock, updated_at=now
                    )
                )
                offers.add((store.id, product.id))


def _users(session: Session, people: list[dict[str, Any]]) -> dict[str, User]:
    users: dict[str, User] = {}
    for person in people:
        user = accounts.get_user_by_username(session, person["username"])
        if user is None:
            user = accounts.sign_up(
                session,
                username=person["username"],
                email=person["email"],
                password=person["password"],
                display_name=person["display_name"],
                locale=person.get("locale", "de"),
            )
        users[person["username"]] = user
    return users


def _household(session: Session, users: dict[str, User]) -> None:
    members = [users[name] for name in demo.DEMO_HOUSEHOLD["members"]]
    admin = members[0]
    household = households.my_household(session, admin)
    if household is None:
        household = households.create_household(session, admin, name=demo.DEMO_HOUSEHOLD["name"])
    for member in members[1:]:
        if households.my_household(session, member) is None:
            households.add_member(session, admin, household.id, username=member.username)
