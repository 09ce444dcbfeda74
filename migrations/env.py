"""Alembic environment: one migration history for SQLite and PostgreSQL."""

from __future__ import annotations

from alembic import context

from kosmos.config import get_settings
from kosmos.db import UTCDateTime, make_engine
from kosmos.models import metadata

# Objects that only exist on one backend and are created by hand in migrations.
_HAND_MADE_PREFIXES = ("product_fts",)


def include_name(name, type_, parent_names):  # noqa: ANN001, ANN201
    """Leave the hand-made, backend-specific search objects out of autogenerate."""
    if type_ == "table":
        return not (name or "").startswith(_HAND_MADE_PREFIXES)
    if type_ == "column":
        return name != "search_vector"  # PostgreSQL-only generated column
    if type_ == "index":
        return not (name or "").startswith("ix_products_search")
    return True


def render_item(type_, obj, autogen_context):  # noqa: ANN001, ANN201
    """Render our UTCDateTime as a plain timezone-aware DateTime in migration files."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations() -> None:
    url = context.config.attributes.get("url") or get_settings().database_url
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(url)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _run(connection) -> None:  # noqa: ANN001
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        include_name=include_name,
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()
    if connection.in_transaction():
        connection.commit()


run_migrations()
