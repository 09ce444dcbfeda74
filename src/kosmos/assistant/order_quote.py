"""The quote of a food order: the restaurant (fuzzy match among restaurants), each dish
matched to its menu (never invented), catalog prices, total and pickup time. What the
order card shows and Confirm pays."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import select
from sqlalchemy.orm import Session

from kosmos.assistant import cards, model
from kosmos.assistant.order_texts import t
from kosmos.assistant.pickup import (
    earliest_pickup,
    pickup_problem,
    round_up,
    store_hours,
    time_text,
)
from kosmos.assistant.understanding import short_day
from kosmos.catalog.model import (
    WEEKDAYS,
    OpeningHours,
    day_text,
)
from kosmos.catalog.search import Filters, ProductSummary, list_products, search_products
from kosmos.catalog.tables import Merchant, Store

BERLIN = cards.BERLIN
RESTAURANT_KINDS = ("restaurant",)
MAX_QUANTITY = 50
MAX_LINES = 20
MERCHANT_THRESHOLD = 85.0
DISH_THRESHOLD = 85.0
MENU_LIMIT = 300

# --- the quote: what the card shows and Confirm pays -----------------------------------------


@dataclass
class QuoteLine:
    said: str
    quantity: int
    product_id: int | None = None
    name: str = ""
    unit_price: int = 0
    vat_rate: int = 0
    problem: str = ""  # short text for the card's line ("not on the menu")

    @property
    def total(self) -> int:
        return self.quantity * self.unit_price


@dataclass
class Quote:
    merchant: Merchant | None = None
    store: Store | None = None
    pickup_at: datetime | None = None
    lines: list[QuoteLine] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(line.total for line in self.lines)

    @property
    def ok(self) -> bool:
        return not self.problems and self.merchant is not None and self.store is not None

    def frozen(self) -> dict[str, Any]:
        """What Confirm pays, kept in the proposal (server side, never from the client)."""
        assert self.merchant is not None and self.store is not None
        assert self.pickup_at is not None
        return {
            "merchant_id": self.merchant.id, "store_id": self.store.id,
            "pickup_at": self.pickup_at.isoformat(), "total": self.total, "currency": "EUR",
            "lines": [{"product_id": x.product_id, "name": x.name, "quantity": x.quantity,
                       "unit_price": x.unit_price, "vat_rate": x.vat_rate} for x in self.lines],
        }  # fmt: skip


def restaurants(session: Session) -> list[Merchant]:
    return list(
        session.scalars(
            select(Merchant).where(Merchant.kind.in_(RESTAURANT_KINDS)).order_by(Merchant.id)
        )
    )


def _merchant_score(said: str, merchant: Merchant) -> float:
    query = model.fold(said).strip()
    name = model.fold(merchant.name)
    if not query:
        return 0.0
    words = name.split()
    if query in words or query == name or model.fold(merchant.slug) == query:
        return 100.0
    return max(fuzz.partial_ratio(query, name) if len(query) >= 4 else 0.0,
               fuzz.token_set_ratio(query, name))  # fmt: skip


def resolve_restaurant(session: Session, said: str) -> tuple[Merchant | None, list[Merchant]]:
    """("Luigi") -> (Pizzeria Da Luigi, []); ambiguous -> (None, the candidates)."""
    scored = [(_merchant_score(said, m), m) for m in restaurants(session)]
    scored = [(s, m) for s, m in scored if s >= MERCHANT_THRESHOLD]
    if not scored:
        return None, []
    best = max(s for s, _m in scored)
    top = [m for s, m in scored if s >= best - 0.5]
    return (top[0], []) if len(top) == 1 else (None, top)


def _candidate(p: ProductSummary) -> tuple[model.Candidate, int]:
    return (
        model.Candidate(
            p.id, p.name, p.category, p.merchant.id, p.merchant.name, "restaurant", p.unit,
            p.price_cents, p.weight_g, p.volume_ml,
        ),
        p.vat_rate,
    )  # fmt: skip


def _candidates(session: Session, filters: Filters, query: str
                ) -> dict[int, tuple[model.Candidate, int]]:  # fmt: skip
    """Menu products of the store matching `query` (with the store's price) by id."""
    found: dict[int, tuple[model.Candidate, int]] = {}
    for q in dict.fromkeys([query, " ".join(model.stems(query))]):
        if q.strip():
            for p in search_products(session, q, filters, limit=20).items:
                found[p.id] = _candidate(p)
    return found


def _whole_menu(session: Session, filters: Filters) -> dict[int, tuple[model.Candidate, int]]:
    """A restaurant's menu is short: all of it (up to MENU_LIMIT) for a typo's fuzzy match."""
    page = list_products(session, filters, limit=MENU_LIMIT)
    return {p.id: _candidate(p) for p in page.items}


def dish_score(said: str, name: str) -> float:
    """0-100: how well what was said names a menu entry. Every said word (stemmed) is a word
    of the name: 100 less 2 per extra word ("Pizza" names every pizza equally well); a
    compound ending in it ("Cheese|burger") a little less; else a fuzzy ratio (typos)."""
    said_words = model.stems(said)
    words = [model.fold(w) for w in re.findall(r"[^\W\d_]+", name)]
    if not said_words or not words:
        return 0.0
    forms = [{w, model.stem(w)} for w in words]
    extra = 2.0 * max(0, len(words) - len(said_words))
    if all(any(x in f for f in forms) for x in said_words):
        return 100.0 - extra
    if all(any(x in f or any(len(x) >= 4 and v.endswith(x) for v in f) for f in forms)
           for x in said_words):  # fmt: skip
        return 90.0 - extra
    return fuzz.token_sort_ratio(" ".join(said_words), " ".join(model.stem(w) for w in words))


def match_dish(session: Session, merchant_id: int, store_id: int, said: str
               ) -> tuple[model.Candidate | None, int, list[str]]:  # fmt: skip
    """The menu product `said` names (with its VAT rate), or None and the names it could
    mean (several equally good: ambiguous; none: not on the menu)."""
    filters = Filters(merchant_id=merchant_id, store_id=store_id)
    folded = model.fold(said).strip()
    scored: list[tuple[float, model.Candidate, int]] = []
    for whole in (False, True):  # the search first, the whole menu for a typo
        found = _whole_menu(session, filters) if whole else _candidates(session, filters, said)
        for candidate, vat in found.values():
            if model.fold(candidate.name) == folded:
                return candidate, vat, []
            score = dish_score(said, candidate.name)
            if score >= DISH_THRESHOLD:
                scored.append((score, candidate, vat))
        if scored:
            break
    if not scored:
        return None, 0, []
    best = max(s for s, _c, _v in scored)
    top = sorted(((c, v) for s, c, v in scored if s >= best - 0.5), key=lambda x: x[0].name)
    if len(top) == 1:
        return top[0][0], top[0][1], []
    return None, 0, [c.name for c, _v in top]


def _quantity(raw: Any) -> int | None:
    try:
        value = float(raw if raw is not None else 1)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(value) or value != int(value) or not 1 <= value <= MAX_QUANTITY:
        return None
    return int(value)


def _pickup_text(problem: str, merchant: Merchant, hours: OpeningHours, pickup: datetime,
                 now: datetime, locale: str) -> str:  # fmt: skip
    when = time_text(pickup, now, locale)
    if problem == "too_soon":
        earliest = earliest_pickup(hours, now)
        shown = time_text(earliest, now, locale) if earliest else "?"
        return t(locale, "too_soon", time=when, earliest=shown)
    if problem == "closed":
        local = pickup.astimezone(BERLIN)
        spans = hours.get(WEEKDAYS[local.weekday()], ())
        open_text = t(locale, "open_hours", hours=day_text(spans)) if spans else t(
            locale, "closed_day")  # fmt: skip
        return t(locale, "closed", merchant=merchant.name, day=short_day(local, locale),
                 time=f"{local:%H:%M}", hours=open_text)  # fmt: skip
    return t(locale, problem, time=when)


def make_quote(session: Session, payload: dict[str, Any], locale: str, now: datetime) -> Quote:
    quote = Quote()
    items = payload.get("items") or []
    said = (payload.get("merchant") or "").strip()
    known = restaurants(session)
    names = ", ".join(m.name for m in known)
    quote.lines = [QuoteLine(str(i.get("name") or "").strip()[:120], _quantity(i.get("quantity"))
                             or 0) for i in items if isinstance(i, dict)]  # fmt: skip
    if not said:
        example = known[0].name if known else "…"
        quote.problems.append(t(locale, "no_merchant", names=names or "–", example=example))
        return quote
    merchant, several = resolve_restaurant(session, said)
    if merchant is None:
        key = "ambiguous_merchant" if several else "unknown_merchant"
        shown = ", ".join(m.name for m in several) if several else names or "–"
        quote.problems.append(t(locale, key, said=said, names=shown))
        return quote
    quote.merchant = merchant
    stores = list(
        session.scalars(select(Store).where(Store.merchant_id == merchant.id).order_by(Store.id))
    )
    if not stores:
        quote.problems.append(t(locale, "no_store", merchant=merchant.name))
        return quote
    _choose_pickup(quote, stores, payload.get("time"), locale, now)
    _match_lines(session, quote, locale)
    return quote


def _said_time(raw: Any) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(raw)) if raw else None
    except ValueError:
        return None
    return moment if moment is not None and moment.tzinfo is not None else None


def _choose_pickup(quote: Quote, stores: list[Store], said_time: Any, locale: str,
                   now: datetime) -> None:  # fmt: skip
    """The said time (checked against every store's hours), else the earliest possible."""
    assert quote.merchant is not None
    pickup = _said_time(said_time)
    if pickup is None:
        options = [(earliest_pickup(store_hours(s), now), s) for s in stores]
        found = [(p, s) for p, s in options if p is not None]
        if not found:
            quote.store = stores[0]
            quote.problems.append(t(locale, "never_open", merchant=quote.merchant.name))
            return
        quote.pickup_at, quote.store = min(found, key=lambda x: (x[0], x[1].id))
        return
    quote.pickup_at = round_up(pickup, 1)
    problems = [(pickup_problem(store_hours(s), quote.pickup_at, now), s) for s in stores]
    fine = [s for p, s in problems if p is None]
    if fine:
        quote.store = fine[0]
        return
    problem, quote.store = problems[0]
    assert problem is not None
    quote.problems.append(_pickup_text(problem, quote.merchant, store_hours(quote.store),
                                       quote.pickup_at, now, locale))  # fmt: skip


def _match_lines(session: Session, quote: Quote, locale: str) -> None:
    assert quote.merchant is not None and quote.store is not None
    if not quote.lines or not any(line.said for line in quote.lines):
        quote.problems.append(t(locale, "no_items"))
        return
    if len(quote.lines) > MAX_LINES:
        quote.problems.append(t(locale, "too_many_lines", most=MAX_LINES))
        return
    for line in quote.lines:
        if line.quantity == 0:
            line.problem = "?"
            quote.problems.append(t(locale, "quantity", said=line.said, most=MAX_QUANTITY))
        product, vat, options = match_dish(session, quote.merchant.id, quote.store.id, line.said)
        if product is None:
            if options:
                line.problem = t(locale, "which")
                shown = ", ".join(options[:5]) + (" …" if len(options) > 5 else "")
                quote.problems.append(t(locale, "ambiguous_dish", said=line.said, options=shown))
            else:
                line.problem = t(locale, "not_on_menu")
                quote.problems.append(t(locale, "no_dish", said=line.said,
                                        merchant=quote.merchant.name))  # fmt: skip
            continue
        line.product_id, line.name = product.product_id, product.name
        line.unit_price, line.vat_rate = product.price_cents, vat
