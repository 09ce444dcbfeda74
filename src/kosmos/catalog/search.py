"""Product search and listing: one SQL query per page, keyset cursors, cached vocabulary.

SQLite answers from the FTS5 table `product_fts` (bm25, name column weighted 10:1 over
brand/category), PostgreSQL from the generated `search_vector` (ts_rank, name weight A
over B). An unfiltered SQLite search ranks only the first RANK_WINDOW matches and lists
the later ones after them in id order: a page that runs out of ranked matches takes a
second (cheap) query for those. Query words match as prefixes; words of 5+ letters also
match indexed terms at OSA distance 1 (one typo, a transposition counts as one), found
with rapidfuzz in a per-process vocabulary that is refreshed after catalog writes and
after a TTL.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA
from sqlalchemy import (
    ColumnElement,
    Double,
    Select,
    and_,
    cast,
    column,
    func,
    literal_column,
    or_,
    select,
    table,
    text,
)
from sqlalchemy.orm import Session

from kosmos.catalog import search_text
from kosmos.catalog.tables import Merchant, Product, StoreProduct
from kosmos.schemas import BadCursor, decode_cursor, encode_cursor

VOCABULARY_TTL_SECONDS = 300.0
MAX_TYPO_ALTERNATIVES = 5
MAX_WORDS = 8
RANK_WINDOW = 1_000
"""SQLite, unfiltered: bm25 ranks the first RANK_WINDOW matches (by id), so a broad
prefix like "b" costs the same as a precise word; the matches after the window follow,
unranked, in id order (cursor type "tail"). A filtered search ranks every match."""
_FTS = table("product_fts", column("rowid"), column("rank"))


@dataclass(frozen=True)
class MerchantBrief:
    id: int
    name: str
    slug: str


@dataclass(frozen=True)
class ProductSummary:
    id: int
    name: str
    gtin: str | None
    price_cents: int
    currency: str
    vat_rate: int
    unit: str
    brand: str | None
    category: str
    weight_g: int | None
    volume_ml: int | None
    merchant: MerchantBrief
    store_id: int | None = None
    stock: int | None = None


@dataclass(frozen=True)
class Filters:
    merchant_id: int | None = None
    category: str | None = None
    store_id: int | None = None


@dataclass(frozen=True)
class ResultPage:
    items: list[ProductSummary]
    next_cursor: str | None


# --- vocabulary for typo tolerance --------------------------------------------------------

_vocabularies: dict[str, tuple[float, list[str]]] = {}
_vocabulary_lock = threading.Lock()


def invalidate_vocabulary() -> None:
    """Forget the cached vocabularies (call after writing products)."""
    with _vocabulary_lock:
        _vocabularies.clear()


def _vocabulary(session: Session) -> list[str]:
    bind = session.get_bind()
    key = bind.url.render_as_string(hide_password=True)
    now = time.monotonic()
    cached = _vocabularies.get(key)
    if cached is not None and now - cached[0] < VOCABULARY_TTL_SECONDS:
        return cached[1]
    shortest = search_text.MIN_TYPO_LENGTH - 1
    if bind.dialect.name == "sqlite":
        sql = text("SELECT term FROM product_fts_vocab WHERE length(term) >= :n")
    else:
        sql = text(
            "SELECT word FROM ts_stat('SELECT search_vector FROM products') "
            "WHERE length(word) >= :n"
        )
    terms = sorted(session.scalars(sql, {"n": shortest}))
    with _vocabulary_lock:
        _vocabularies[key] = (now, terms)
    return terms


def _alternatives(word: str, vocabulary: list[str]) -> list[str]:
    if not search_text.tolerates_typo(word):
        return []
    found = process.extract(
        word, vocabulary, scorer=OSA.distance, score_cutoff=1, limit=MAX_TYPO_ALTERNATIVES
    )
    return [term for term, _score, _index in found if term != word]


# --- queries -----------------------------------------------------------------------------


def _columns(filters: Filters) -> list[Any]:
    cols: list[Any] = [
        Product.id,
        Product.name,
        Product.gtin,
        Product.price_cents,
        Product.currency,
        Product.vat_rate,
        Product.unit,
        Product.brand,
        Product.category,
        Product.weight_g,
        Product.volume_ml,
        Merchant.id.label("m_id"),
        Merchant.name.label("m_name"),
        Merchant.slug.label("m_slug"),
    ]
    if filters.store_id is not None:
        cols += [StoreProduct.price_cents.label("store_price"), StoreProduct.stock]
    return cols


def _filtered(query: Select[Any], filters: Filters) -> Select[Any]:
    query = query.join(Merchant, Merchant.id == Product.merchant_id)
    if filters.store_id is not None:
        query = query.join(
            StoreProduct,
            and_(StoreProduct.product_id == Product.id, StoreProduct.store_id == filters.store_id),
        )
    if filters.merchant_id is not None:
        query = query.where(Product.merchant_id == filters.merchant_id)
    if filters.category:
        query = query.where(Product.category == filters.category)
    return query


def _summary(row: Any, filters: Filters) -> ProductSummary:
    store_price = getattr(row, "store_price", None)
    return ProductSummary(
        id=row.id,
        name=row.name,
        gtin=row.gtin,
        price_cents=store_price if store_price is not None else row.price_cents,
        currency=row.currency,
        vat_rate=row.vat_rate,
        unit=row.unit,
        brand=row.brand,
        category=row.category,
        weight_g=row.weight_g,
        volume_ml=row.volume_ml,
        merchant=MerchantBrief(row.m_id, row.m_name, row.m_slug),
        store_id=filters.store_id,
        stock=getattr(row, "stock", None),
    )


def _cursor_values(cursor: str | None, kinds: tuple[str, ...]) -> dict[str, Any] | None:
    """The cursor's fields, checked: "list" (name, id), "search" (rank, id), "tail" (id)."""
    data = decode_cursor(cursor)
    if data is None:
        return None
    kind, value, last_id = data.get("t"), data.get("k"), data.get("i")
    if isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    valid_key = {
        "list": isinstance(value, str),
        "search": isinstance(value, float) and math.isfinite(value),
        "tail": "k" not in data,
    }
    if (
        kind not in kinds
        or not valid_key[kind]
        or type(last_id) is not int
        or not 0 <= last_id < 2**31
    ):
        raise BadCursor("The cursor is not one this API handed out.")
    return {"t": kind, "k": value, "i": last_id}


def list_products(
    session: Session, filters: Filters = Filters(), *, limit: int = 20, cursor: str | None = None
) -> ResultPage:
    """All products (filtered), ordered by name, a page at a time."""
    after = _cursor_values(cursor, ("list",))
    query = _filtered(select(*_columns(filters)).select_from(Product), filters)
    if after is not None:
        query = query.where(
            or_(
                Product.name > after["k"], and_(Product.name == after["k"], Product.id > after["i"])
            )
        )
    rows = session.execute(query.order_by(Product.name, Product.id).limit(limit + 1)).all()
    items = [_summary(r, filters) for r in rows[:limit]]
    next_cursor = None
    if len(rows) > limit:
        last = items[-1]
        next_cursor = encode_cursor({"t": "list", "k": last.name, "i": last.id})
    return ResultPage(items, next_cursor)


def search_products(
    session: Session,
    q: str,
    filters: Filters = Filters(),
    *,
    limit: int = 20,
    cursor: str | None = None,
) -> ResultPage:
    """Ranked full-text search; an empty query lists products by name instead."""
    words = search_text.words(q)[:MAX_WORDS]
    if not words:
        return list_products(session, filters, limit=limit, cursor=cursor)
    sqlite = session.get_bind().dialect.name == "sqlite"
    windowed = sqlite and filters == Filters()
    after = _cursor_values(cursor, ("search", "tail") if windowed else ("search",))
    vocabulary = _vocabulary(session)
    groups = [(word, _alternatives(word, vocabulary)) for word in words]
    if sqlite:
        expression = _fts_expression(groups)
        query, rank = _sqlite_query(expression, filters)
    else:
        query, rank = _postgres_query(groups, filters)
    rows: list[Any] = []
    if after is None or after["t"] == "search":
        if windowed:
            query = query.where(_FTS.c.rowid <= _window_cut(expression))
        if after is not None:
            query = query.where(
                or_(rank > after["k"], and_(rank == after["k"], Product.id > after["i"]))
            )
        rows = list(session.execute(query.order_by(rank, Product.id).limit(limit + 1)))
    ranked = len(rows)
    if windowed and ranked <= limit:
        # The ranked window is exhausted: the later matches follow in id order.
        start = after["i"] if after is not None and after["t"] == "tail" else None
        rows += session.execute(_tail_query(expression, start, limit + 1 - ranked)).all()
    items = [_summary(r, filters) for r in rows[:limit]]
    next_cursor = None
    if len(rows) > limit:
        if limit <= ranked:
            last_rank = float(rows[limit - 1].rank)
            next_cursor = encode_cursor({"t": "search", "k": last_rank, "i": items[-1].id})
        else:
            next_cursor = encode_cursor({"t": "tail", "i": items[-1].id})
    return ResultPage(items, next_cursor)


def _fts_expression(groups: list[tuple[str, list[str]]]) -> str:
    return " AND ".join(
        "(" + " OR ".join([f'"{word}"*', *(f'"{alt}"' for alt in alts)]) + ")"
        for word, alts in groups
    )


def _sqlite_query(expression: str, filters: Filters) -> tuple[Select[Any], ColumnElement[Any]]:
    rank: ColumnElement[Any] = _FTS.c.rank  # bm25(10.0, 1.0), configured in the migration
    query = (
        select(*_columns(filters), rank.label("rank"))
        .select_from(Product)
        .join(_FTS, _FTS.c.rowid == Product.id)
        .where(literal_column("product_fts").op("MATCH")(expression))
    )
    return _filtered(query, filters), rank


def _window_cut(expression: str) -> ColumnElement[Any]:
    """The id of the RANK_WINDOW-th match (or of the last, when there are fewer)."""
    window = _FTS.alias("fts_window")
    first = (
        select(window.c.rowid)
        .where(literal_column("fts_window.product_fts").op("MATCH")(expression))
        .order_by(window.c.rowid)
        .limit(RANK_WINDOW)
        .subquery()
    )
    return select(func.max(first.c.rowid)).correlate(None).scalar_subquery()


def _tail_query(expression: str, after_id: int | None, limit: int) -> Select[Any]:
    """The matches after the ranked window (or after `after_id`), in id order, unranked."""
    query = (
        select(*_columns(Filters()))
        .select_from(Product)
        .join(_FTS, _FTS.c.rowid == Product.id)
        .where(literal_column("product_fts").op("MATCH")(expression))
        .where(_FTS.c.rowid > (after_id if after_id is not None else _window_cut(expression)))
    )
    return _filtered(query, Filters()).order_by(_FTS.c.rowid).limit(limit)


def _postgres_query(
    groups: list[tuple[str, list[str]]], filters: Filters
) -> tuple[Select[Any], ColumnElement[Any]]:
    expression = " & ".join("(" + " | ".join([f"{word}:*", *alts]) + ")" for word, alts in groups)
    vector = literal_column("products.search_vector")
    tsquery = func.to_tsquery(literal_column("'simple'::regconfig"), expression)
    # ts_rank is higher for better hits; negate it so both backends sort ascending.
    rank: ColumnElement[Any] = cast(-func.ts_rank(vector, tsquery), Double)
    query = select(*_columns(filters), rank.label("rank")).where(vector.op("@@")(tsquery))
    return _filtered(query.select_from(Product), filters), rank
