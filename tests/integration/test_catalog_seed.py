"""The catalog migration matches the models on both backends and downgrades cleanly;
the demo seed is idempotent; the synthetic catalog is searchable."""

import ast
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from kosmos.catalog import demo, search
from kosmos.catalog.seed import seed_demo
from kosmos.catalog.synthetic import seed_synthetic
from kosmos.catalog.tables import Merchant, MerchantStaff, Product, StoreProduct
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


def test_seed_demo_is_idempotent(db):
    # given
    first = seed_demo(db)
    # when
    second = seed_demo(db)
    # then
    assert second == first
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
