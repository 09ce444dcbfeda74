"""The catalog migration matches the models on both backends and downgrades cleanly;
the demo seed is idempotent; the synthetic catalog is searchable."""

import ast
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from kosmos import config
from kosmos.accounts.tables import User
from kosmos.catalog import backoffice, backoffice_stores, demo, search
from kosmos.catalog.seed import SeedRefused, seed_demo
from kosmos.catalog.synthetic import seed_synthetic
from kosmos.catalog.tables import Merchant, MerchantStaff, Product, Store, StoreProduct
from kosmos.db import make_engine
from kosmos.migrate import downgrade, upgrade
from kosmos.models import metadata

ENV = Path(__file__).resolve().parents[2] / "migrations" / "env.py"


def env_filters():
    """include_name/include_object exactly as migrations/env.py defines them."""
    tree = ast.parse(ENV.read_text())
    keep = [
        n
        for n in tree.body
        if isinstance(n, ast.Assign | ast.FunctionDef)
        and getattr(n, "name", "") in ("include_name", "include_object", "")
    ]
    namespace: dict = {}
    exec(compile(ast.Module(body=keep, type_ignores=[]), str(ENV), "exec"), namespace)
    return namespace["include_name"], namespace.get("include_object")


def schema_diff(url):
    include_name, include_object = env_filters()
    engine = make_engine(url)
    with engine.connect() as conn:
        opts = {"include_name": include_name, "compare_type": True, "target_metadata": metadata}
        if include_object is not None:
            opts["include_object"] = include_object
        context = MigrationContext.configure(conn, opts=opts)
        diff = compare_metadata(context, metadata)
    engine.dispose()
    return diff


def test_migrated_schema_matches_models_and_downgrade_works(db_url):
    # given a database at head
    # when
    before = schema_diff(db_url)
    downgrade(db_url, "0001")
    upgrade(db_url)
    after = schema_diff(db_url)
    # then
    assert before == []
    assert after == []


def counts(db):
    return {
        t.__tablename__: db.scalar(select(func.count()).select_from(t))
        for t in (Merchant, Product, StoreProduct, MerchantStaff)
    }


def snapshot(db):
    """Every catalog row as plain values (edits and re-writes both show)."""
    return {
        table.__tablename__: sorted(
            tuple(str(v) for v in row) for row in db.execute(select(*table.__table__.c)).all()
        )
        for table in (Merchant, Store, Product, StoreProduct)
    }


def test_seed_demo_is_idempotent(db, frozen_clock):
    # given
    first = seed_demo(db)
    rows = snapshot(db)
    frozen_clock.advance(days=1)
    # when
    second = seed_demo(db)
    # then: nothing is created twice and nothing is written again (updated_at unchanged)
    assert second == first
    assert snapshot(db) == rows
    assert first["merchants"] == len(demo.MERCHANTS)
    assert first["products"] == len(demo.PRODUCTS)
    assert first["users"] == len(demo.DEMO_USERS) + len(demo.DEMO_STAFF)
    assert first["friendships"] == len(demo.DEMO_FRIENDSHIPS)
    assert first["merchant_staff"] == len(demo.DEMO_STAFF)
    assert counts(db) == {
        "merchants": first["merchants"],
        "products": first["products"],
        "store_products": first["store_products"],
        "merchant_staff": first["merchant_staff"],
    }
    hits = search.search_products(db, "wuerstchen")
    assert hits.items[0].name == "Wiener Würstchen"
    assert hits.items[0].merchant.slug == demo.BUTCHER


def test_staff_edits_survive_a_re_seed(db):
    # given the demo world, edited in the back office by the butcher's owner
    seed_demo(db)
    butcher = db.scalar(select(Merchant).where(Merchant.slug == demo.BUTCHER))
    owner = db.get(
        User,
        db.scalar(
            select(MerchantStaff.user_id).where(
                MerchantStaff.merchant_id == butcher.id, MerchantStaff.role == "owner"
            )
        ),
    )
    product = db.scalar(
        select(Product).where(Product.merchant_id == butcher.id).order_by(Product.id).limit(1)
    )
    store = butcher.stores[0]
    other = db.scalar(
        select(Product)
        .where(Product.merchant_id == butcher.id, Product.id != product.id)
        .order_by(Product.id)
        .limit(1)
    )
    backoffice.update_product(db, owner, product.id, name="Hausmacher Spezial", price_cents=1)
    backoffice_stores.update_store(db, owner, store.id, name="Huber Filiale", phone="+49 1")
    backoffice_stores.set_opening_hours(db, owner, store.id, {"mon": [["09:00", "10:00"]]})
    backoffice.set_offer(db, owner, store.id, product.id, stock=3, price_cents=2)
    backoffice.remove_offer(db, owner, store.id, other.id)
    butcher.description = "Neu eröffnet"
    db.commit()
    edited = snapshot(db)
    # when
    seed_demo(db)
    db.expire_all()
    # then
    assert snapshot(db) == edited
    assert (product.name, product.price_cents) == ("Hausmacher Spezial", 1)
    assert (store.name, store.phone, store.opening_hours) == (
        "Huber Filiale",
        "+49 1",
        {"mon": [["09:00", "10:00"]]},
    )
    assert (db.get(StoreProduct, (store.id, product.id)).stock, butcher.description) == (
        3,
        "Neu eröffnet",
    )
    assert db.get(StoreProduct, (store.id, other.id)) is None


def test_seed_demo_refuses_production(db, settings):
    # given a production configuration
    config.configure(settings.model_copy(update={"env": "production", "secret_key": "x" * 40}))
    # when
    with pytest.raises(SeedRefused) as refused:
        seed_demo(db)
    # then
    assert str(refused.value) == (
        "Refusing to seed the demo world in production (KOSMOS_ENV=production): "
        "it creates users with published passwords."
    )
    assert counts(db) == {"merchants": 0, "products": 0, "store_products": 0, "merchant_staff": 0}


def test_seed_synthetic_adds_searchable_products(db):
    # given
    progress = []
    # when
    added = seed_synthetic(db, 120, seed=7, on_progress=progress.append)
    # then
    assert added == 120
    assert progress == [120]
    assert db.scalar(select(func.count()).select_from(Product)) == 120
    assert db.scalar(select(func.count()).select_from(StoreProduct)) == 120
    assert search.search_products(db, "bratwrust").items != []
