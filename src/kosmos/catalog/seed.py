"""`kosmos seed demo`: the demo world Musterstadt from `demo`. Idempotent.

Merchants and stores are matched by slug, products by GTIN (or scale item number, or
name for dishes and services), users by username. Only what is missing is created: a
second run changes nothing that exists (so back-office edits of names, prices, hours
and stock survive it) and creates no duplicates. It refuses to run in production.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kosmos import clock, config
from kosmos.accounts import friends, households
from kosmos.accounts import services as accounts
from kosmos.accounts.tables import Friendship, User
from kosmos.catalog import demo, search
from kosmos.catalog.backoffice import apply_search_text, product_values
from kosmos.catalog.backoffice_stores import hours_values
from kosmos.catalog.tables import Merchant, MerchantStaff, Product, Store, StoreProduct


class SeedRefused(RuntimeError):
    """The demo world is not for this deployment."""


def seed_demo(session: Session) -> dict[str, int]:
    """Create (or complete) the demo world; returns how many of each thing exist."""
    if config.get_settings().is_production:
        raise SeedRefused(
            "Refusing to seed the demo world in production (KOSMOS_ENV=production): "
            "it creates users with published passwords."
        )
    merchants, new_stores = _merchants(session)
    _products(session, merchants, new_stores)
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


def demo_vat_id(number: int) -> str:
    """A made-up German VAT id with a valid check digit (ISO 7064 MOD 11,10)."""
    from stdnum.de import vat

    base = f"{90000000 + number:08d}"
    return next(f"DE{base}{d}" for d in "0123456789" if vat.is_valid(f"{base}{d}"))


def demo_iban(number: int) -> str:
    """A made-up IBAN at a test bank code, valid check digits."""
    from schwifty import IBAN

    return str(IBAN.generate("DE", bank_code="12030000", account_code=f"{1000 + number}").compact)


def _merchants(session: Session) -> tuple[dict[str, Merchant], set[int]]:
    """The demo merchants by slug (missing ones and missing stores created), and the ids of
    the stores created now."""
    found: dict[str, Merchant] = {}
    created: list[Store] = []
    for number, data in enumerate(demo.MERCHANTS, start=1):
        merchant = session.scalar(select(Merchant).where(Merchant.slug == data["slug"]))
        if merchant is None:
            merchant = Merchant(
                slug=data["slug"],
                name=data["name"],
                kind=data["kind"],
                description=data.get("description", ""),
                created_at=clock.now(),
            )
            session.add(merchant)
        if merchant.vat_id is None:
            merchant.vat_id = demo_vat_id(number)
        if merchant.iban is None:
            merchant.iban = demo_iban(number)
        for store_data in data["stores"]:
            if session.scalar(select(Store.id).where(Store.slug == store_data["slug"])) is None:
                store = Store(
                    slug=store_data["slug"],
                    opening_hours=hours_values(store_data["opening_hours"]),
                    created_at=clock.now(),
                    **{
                        key: store_data[key]
                        for key in ("name", "street", "postcode", "city", "lat", "lon", "phone")
                    },
                )
                merchant.stores.append(store)
                created.append(store)
        found[data["slug"]] = merchant
    session.flush()
    return found, {store.id for store in created}


def _product_key(merchant_id: int, data: Any) -> tuple[int, str, str]:
    if data.get("gtin"):
        return merchant_id, "gtin", data["gtin"]
    if data.get("rcn_item"):
        return merchant_id, "rcn", data["rcn_item"]
    return merchant_id, "name", data["name"]


def _products(session: Session, merchants: dict[str, Merchant], new_stores: set[int]) -> None:
    """Create the missing demo products; shelve new products, and stock new stores. An
    offer staff removed from an existing store stays removed."""
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
        new_product = product is None
        if product is None:
            product = Product(
                merchant_id=merchant.id, currency="EUR", created_at=now, updated_at=now, **values
            )
            apply_search_text(product)
            session.add(product)
            session.flush()
            existing[key] = product
        for store in merchant.stores:
            if (new_product or store.id in new_stores) and (store.id, product.id) not in offers:
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
