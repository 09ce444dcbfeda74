"""Small food orders: "Bestell 3 Pizza Margherita bei Luigi für 19 Uhr".

Kosmo answers an `order_food` intent with an order card: the restaurant (fuzzy match among
restaurant merchants), each dish matched to that restaurant's menu (never invented: an
unknown or ambiguous dish makes the card say so and offer no Confirm), catalog prices
(never the client's), the total and the pickup time (the said time, else the earliest
possible one; a time in the past or outside the opening hours offers no Confirm).

Confirm (the author only) writes the order, pays the restaurant from the author's wallet
with `pay_merchant` and commits both together: the order row is flushed first (its unique
`proposal_id` decides a double tap), the payment's idempotency answer (deterministic key
per proposal) links the payment reference right before the wallet's single commit. A
wallet problem (not enough money, payment PIN needed) rolls everything back.

Staff of the restaurant mark an order ready / picked up; Kosmo updates the order card in
the chat and says the order is ready. This module is the assistant's `orders` context for
now; a restaurant order-ahead flow can call `place_order` / `set_status` directly.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.accounts.tables import User
from kosmos.assistant import cards, model, registry
from kosmos.assistant.tables import Proposal
from kosmos.assistant.tables_orders import FoodOrder, FoodOrderLine
from kosmos.assistant.understanding import short_day
from kosmos.catalog.backoffice import merchant_for, staff_roles
from kosmos.catalog.model import (
    WEEKDAYS,
    CatalogRuleError,
    OpeningHours,
    day_text,
    is_open_at,
    parse_opening_hours,
)
from kosmos.catalog.search import Filters, ProductSummary, list_products, search_products
from kosmos.catalog.tables import Merchant, Product, Store, StoreProduct
from kosmos.chat import messages
from kosmos.chat.tables import Message
from kosmos.errors import Conflict, Invalid, NotFound, Problem
from kosmos.wallet.idempotency import Answer, Claim
from kosmos.wallet.idempotency import fingerprint as request_fingerprint
from kosmos.wallet.payments import pay_merchant
from kosmos.wallet.sca import PinNotSet, ScaRequired

BERLIN = cards.BERLIN
INTENT = "order_food"
SKILL = "orders"
RESTAURANT_KINDS = ("restaurant",)
ASAP_LEAD = timedelta(minutes=30)
"""No time said: the earliest pickup is now + 30 minutes (rounded up to 5), when open."""
MIN_NOTICE = timedelta(minutes=15)
"""A said time must be at least this far ahead (when the card is made and on Confirm)."""
MAX_AHEAD = timedelta(days=7)
MAX_QUANTITY = 50
MAX_LINES = 20
MERCHANT_THRESHOLD = 85.0
DISH_THRESHOLD = 85.0
MENU_LIMIT = 300
PICKUP_PROBLEMS = {
    "past": "The pickup time has passed. Please order again.",
    "too_soon": "The pickup time is too close now. Please order again for later.",
    "too_far": "Orders go at most 7 days ahead.",
    "closed": "The restaurant is closed at the pickup time. Please order again.",
}
"""Why Confirm refuses a pickup time that was fine when the card was made (English msgids)."""
STATUS_CONFLICTS = {
    "ready": "This order is already marked ready.",
    "picked_up": "This order was already picked up.",
    "cancelled": "This order was cancelled.",
}
STATUS_FROM = {"ready": ("placed",), "picked_up": ("placed", "ready")}

TEXTS: dict[str, dict[str, str]] = {
    "de": {
        "title": "Bestellung bei {merchant}", "title_unknown": "Essen bestellen",
        "total": "Summe", "pickup": "Abholung", "not_on_menu": "nicht auf der Karte",
        "which": "welches genau?", "pay_note": "Bezahlt wird beim Bestätigen aus deinem Wallet.",
        "no_merchant": "Bei welchem Restaurant? Sag es dazu, z. B. „… bei {example}“. "
                       "Zur Auswahl: {names}.",
        "unknown_merchant": "Kein Restaurant „{said}“ gefunden. Zur Auswahl: {names}.",
        "ambiguous_merchant": "„{said}“ passt zu mehreren Restaurants: {names}.",
        "no_store": "{merchant} hat keinen Laden zum Abholen.",
        "no_dish": "„{said}“ steht nicht auf der Karte von {merchant}.",
        "ambiguous_dish": "„{said}“: welches genau? {options}",
        "quantity": "Die Menge für „{said}“ muss zwischen 1 und {most} liegen.",
        "too_many_lines": "Höchstens {most} verschiedene Gerichte pro Bestellung.",
        "no_items": "Was soll bestellt werden?",
        "past": "{time} liegt in der Vergangenheit.",
        "too_soon": "{time} ist zu knapp – frühestens {earliest}.",
        "too_far": "Bestellungen gehen höchstens 7 Tage im Voraus.",
        "closed": "{merchant} hat {day} um {time} geschlossen ({hours}).",
        "closed_day": "Ruhetag", "open_hours": "geöffnet {hours}",
        "never_open": "{merchant} hat in den nächsten Tagen nicht geöffnet.",
        "paid": "✓ Bezahlt, Abholung {time} bei {merchant} · Bestellung Nr. {number}",
        "ready": "🍽️ Deine Bestellung ist fertig – Abholung {time} bei {merchant} · "
                 "Bestellung Nr. {number}",
        "ready_message": "Deine Bestellung Nr. {number} bei {merchant} ist fertig! 🍽️",
        "picked_up": "✓ Abgeholt · Bestellung Nr. {number} bei {merchant}",
        "cancelled": "Storniert · Bestellung Nr. {number} bei {merchant}",
    },
    "en": {
        "title": "Order from {merchant}", "title_unknown": "Order food", "total": "Total",
        "pickup": "Pickup", "not_on_menu": "not on the menu", "which": "which one?",
        "pay_note": "Confirm pays from your wallet.",
        "no_merchant": "Which restaurant? Say it, e.g. \"… from {example}\". "
                       "Choices: {names}.",
        "unknown_merchant": "No restaurant \"{said}\" found. Choices: {names}.",
        "ambiguous_merchant": "\"{said}\" fits several restaurants: {names}.",
        "no_store": "{merchant} has no store to pick up from.",
        "no_dish": "\"{said}\" is not on the menu of {merchant}.",
        "ambiguous_dish": "\"{said}\": which one? {options}",
        "quantity": "The quantity of \"{said}\" must be between 1 and {most}.",
        "too_many_lines": "At most {most} different dishes per order.",
        "no_items": "What should be ordered?",
        "past": "{time} is in the past.",
        "too_soon": "{time} is too soon – {earliest} at the earliest.",
        "too_far": "Orders go at most 7 days ahead.",
        "closed": "{merchant} is closed on {day} at {time} ({hours}).",
        "closed_day": "closed all day", "open_hours": "open {hours}",
        "never_open": "{merchant} is not open in the next days.",
        "paid": "✓ Paid, pickup {time} at {merchant} · order no. {number}",
        "ready": "🍽️ Your order is ready – pickup {time} at {merchant} · order no. {number}",
        "ready_message": "Your order no. {number} from {merchant} is ready! 🍽️",
        "picked_up": "✓ Picked up · order no. {number} from {merchant}",
        "cancelled": "Cancelled · order no. {number} from {merchant}",
    },
}  # fmt: skip


def t(locale: str, key: str, **values: Any) -> str:
    return TEXTS["en" if locale == "en" else "de"][key].format(**values)


# --- rules (plain Python) --------------------------------------------------------------------


def round_up(moment: datetime, minutes: int = 5) -> datetime:
    """Up to the next full `minutes` (19:02:10 -> 19:05; 19:05:00 stays)."""
    whole = moment.replace(second=0, microsecond=0)
    if whole != moment:
        whole += timedelta(minutes=1)
    return whole + timedelta(minutes=-whole.minute % minutes)


def _spans(hours: OpeningHours, day: date) -> list[tuple[datetime, datetime]]:
    out = []
    for interval in hours.get(WEEKDAYS[day.weekday()], ()):
        opens = datetime.combine(day, time(0), BERLIN) + timedelta(minutes=interval.start_minutes)
        closes = datetime.combine(day, time(0), BERLIN) + timedelta(minutes=interval.end_minutes)
        out.append((opens, closes))
    return out


def earliest_pickup(hours: OpeningHours, now: datetime) -> datetime | None:
    """The first time from now + 30 min (rounded up to 5 min) at which the store is open."""
    start = round_up(now + ASAP_LEAD)
    first_day = start.astimezone(BERLIN).date()
    for offset in range(8):
        for opens, closes in _spans(hours, first_day + timedelta(days=offset)):
            candidate = round_up(max(start, opens))
            if candidate < closes:
                return candidate
    return None


def pickup_problem(hours: OpeningHours, pickup: datetime, now: datetime) -> str | None:
    """Why `pickup` cannot be the pickup time: "past", "too_soon", "too_far", "closed"."""
    if pickup <= now:
        return "past"
    if pickup < now + MIN_NOTICE:
        return "too_soon"
    if pickup > now + MAX_AHEAD:
        return "too_far"
    if not is_open_at(hours, pickup):
        return "closed"
    return None


def store_hours(store: Store) -> OpeningHours:
    try:
        return parse_opening_hours(store.opening_hours or {})
    except CatalogRuleError:
        return {}


def time_text(moment: datetime, now: datetime, locale: str) -> str:
    """ "19:00" today, "Mo 23.11., 12:00" on another day (Europe/Berlin)."""
    local = moment.astimezone(BERLIN)
    if local.date() == now.astimezone(BERLIN).date():
        return f"{local:%H:%M}"
    return f"{short_day(local, locale)}, {local:%H:%M}"


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


# --- cards -----------------------------------------------------------------------------------


def _line_value(quantity: int, unit_price: int, locale: str) -> str:
    total = cards.money_text(quantity * unit_price, locale)
    if quantity == 1:
        return total
    return f"{quantity} × {cards.money_text(unit_price, locale)} = {total}"


def _pickup_value(pickup: datetime, store: Store, now: datetime, locale: str) -> str:
    return f"{time_text(pickup, now, locale)} · {store.name}, {store.street}"


def quote_card(proposal_id: int, quote: Quote, locale: str, now: datetime) -> dict[str, Any]:
    fields = []
    for line in quote.lines:
        label = f"{line.quantity or '?'}× {line.name or line.said}"
        value = line.problem or (
            _line_value(line.quantity, line.unit_price, locale) if line.product_id else "–"
        )
        fields.append({"label": label, "value": value})
    if quote.ok:
        fields.append({"label": t(locale, "total"), "value": cards.money_text(quote.total,
                                                                              locale)})  # fmt: skip
    if quote.pickup_at is not None and quote.store is not None:
        pickup = _pickup_value(quote.pickup_at, quote.store, now, locale)
        fields.append({"label": t(locale, "pickup"), "value": pickup})
    buttons = cards.proposal_buttons(proposal_id, locale)
    if not quote.ok:
        buttons = [b for b in buttons if b["action"] != "confirm"]
    title = (t(locale, "title", merchant=quote.merchant.name) if quote.merchant
             else t(locale, "title_unknown"))  # fmt: skip
    return {
        "type": "food_order_proposal", "title": title, "fields": fields,
        "note": t(locale, "pay_note") if quote.ok else " ".join(quote.problems),
        "problems": quote.problems, "buttons": buttons,
        "handler": cards.HANDLER, "ref": {"proposal": proposal_id},
    }  # fmt: skip


def order_lines(session: Session, order_id: int) -> list[FoodOrderLine]:
    return list(
        session.scalars(
            select(FoodOrderLine).where(FoodOrderLine.order_id == order_id).order_by(
                FoodOrderLine.id)
        )
    )  # fmt: skip


def status_note(order: FoodOrder, merchant: Merchant, now: datetime) -> str:
    when = time_text(order.pickup_at, now, order.locale)
    key = {"placed": "paid"}.get(order.status, order.status)
    return t(order.locale, key, time=when, merchant=merchant.name, number=order.id)


def order_card(session: Session, order: FoodOrder, now: datetime) -> dict[str, Any]:
    locale = order.locale
    merchant = session.get(Merchant, order.merchant_id)
    store = session.get(Store, order.store_id)
    assert merchant is not None and store is not None
    fields = [{"label": f"{line.quantity}× {line.name}",
               "value": _line_value(line.quantity, line.unit_price_cents, locale)}
              for line in order_lines(session, order.id)]  # fmt: skip
    fields.append({"label": t(locale, "total"), "value": cards.money_text(order.total_cents,
                                                                          locale)})  # fmt: skip
    fields.append({"label": t(locale, "pickup"),
                   "value": _pickup_value(order.pickup_at, store, now, locale)})  # fmt: skip
    ref: dict[str, int] = {"order": order.id}
    if order.proposal_id is not None:
        ref["proposal"] = order.proposal_id
    return {
        "type": "food_order", "title": t(locale, "title", merchant=merchant.name),
        "fields": fields, "note": status_note(order, merchant, now), "status": order.status,
        "buttons": [], "links": [], "handler": cards.HANDLER, "ref": ref,
    }  # fmt: skip


# --- the skill: card and Confirm -------------------------------------------------------------


def card(session: Session, proposal: Proposal, author: User, locale: str) -> dict[str, Any]:
    now = clock.now()
    quote = make_quote(session, proposal.payload, locale, now)
    if quote.ok:
        proposal.payload = {**proposal.payload, "quote": quote.frozen()}
    return quote_card(proposal.id, quote, locale, now)


def confirm(session: Session, user: User, proposal: Proposal) -> str:
    """Registry hook: place and pay the order; returns the note of the resolved card."""
    order = place_order(session, user, proposal)
    merchant = session.get(Merchant, order.merchant_id)
    assert merchant is not None
    return status_note(order, merchant, clock.now())


def place_order(session: Session, user: User, proposal: Proposal, *, pin: str | None = None
                ) -> FoodOrder:  # fmt: skip
    """Pay the order and write it in one commit (the wallet's). Any problem rolls back:
    no order without payment, no payment without order. A wrong PIN is the only thing the
    wallet commits on its own (its try counter), before anything of the order exists."""
    frozen = proposal.payload.get("quote")
    if not isinstance(frozen, dict):
        raise Invalid("This order is incomplete and cannot be confirmed.", field="action",
                      code="order_incomplete")  # fmt: skip
    now = clock.now()
    merchant = session.get(Merchant, frozen["merchant_id"])
    store = session.get(Store, frozen["store_id"])
    if merchant is None or store is None or store.merchant_id != merchant.id:
        raise NotFound("No such restaurant.")
    pickup = datetime.fromisoformat(frozen["pickup_at"])
    problem = pickup_problem(store_hours(store), pickup, now)
    if problem is not None:
        raise Invalid(PICKUP_PROBLEMS[problem], field="pickup_at", code=f"pickup_{problem}")
    lines = _current_lines(session, store, frozen["lines"])
    total = sum(q * price for _p, _n, q, price, _v in lines)
    if total != frozen["total"]:
        raise Conflict("The menu prices changed since the card was made. Please order again.",
                       code="prices_changed")  # fmt: skip
    if session.scalar(select(FoodOrder.id).where(FoodOrder.proposal_id == proposal.id)):
        raise Conflict("This order was already placed.", code="already_ordered")
    order = FoodOrder(
        merchant_id=merchant.id, store_id=store.id, user_id=proposal.author_id,
        conversation_id=proposal.conversation_id, proposal_id=proposal.id,
        card_message_id=proposal.card_message_id, status="placed", pickup_at=pickup,
        total_cents=total, currency="EUR", locale=proposal.locale, created_at=now,
        updated_at=now,
    )  # fmt: skip
    _pay(session, user, proposal, order, merchant, lines, pin)
    return order


def _write_order(session: Session, order: FoodOrder,
                 lines: list[tuple[int, str, int, int, int]]) -> None:  # fmt: skip
    """The order, its lines and its card, in the payment's transaction (before its commit;
    a concurrent second Confirm fails here on the unique proposal_id)."""
    session.add(order)
    session.flush()
    for product_id, name, quantity, price, vat in lines:
        session.add(
            FoodOrderLine(order_id=order.id, product_id=product_id, name=name,
                          quantity=quantity, unit_price_cents=price, vat_rate=vat)
        )  # fmt: skip
    session.flush()
    if order.card_message_id is not None:  # pushed after the payment's commit
        messages.update_card(session, order.card_message_id,
                             order_card(session, order, clock.now()))  # fmt: skip


def _current_lines(session: Session, store: Store, frozen: list[dict[str, Any]]
                   ) -> list[tuple[int, str, int, int, int]]:  # fmt: skip
    """(product id, name, quantity, unit price, VAT) at today's catalog prices."""
    ids = [int(line["product_id"]) for line in frozen]
    rows = {
        pid: (name, price, store_price, vat)
        for pid, name, price, store_price, vat in session.execute(
            select(Product.id, Product.name, Product.price_cents, StoreProduct.price_cents,
                   Product.vat_rate)
            .join(StoreProduct, (StoreProduct.product_id == Product.id)
                  & (StoreProduct.store_id == store.id))
            .where(Product.id.in_(ids), Product.merchant_id == store.merchant_id)
        )
    }  # fmt: skip
    out = []
    for line in frozen:
        row = rows.get(int(line["product_id"]))
        if row is None:
            raise Conflict("A dish is no longer on the menu. Please order again.",
                           code="menu_changed")  # fmt: skip
        name, price, store_price, vat = row
        out.append((int(line["product_id"]), name, int(line["quantity"]),
                    store_price if store_price is not None else price, vat))  # fmt: skip
    return out


def _pay(session: Session, user: User, proposal: Proposal, order: FoodOrder, merchant: Merchant,
         lines: list[tuple[int, str, int, int, int]], pin: str | None) -> None:  # fmt: skip
    def render(payment: Any) -> Answer:
        # runs after strong customer authentication and the ledger transfer, right before
        # the wallet's one commit: the order exists exactly when its payment does
        order.payment_reference = payment.reference
        _write_order(session, order, lines)
        return Answer(201, {"order": order.id, "payment": payment.reference})

    material = {"order": proposal.id, "lines": [list(x) for x in lines]}
    claim = Claim(
        scope=f"user:{user.id}", key=f"assistant-order:{proposal.id}",
        fingerprint=request_fingerprint("POST", f"/assistant/orders/{proposal.id}", material),
        render=render,
    )  # fmt: skip
    receipt = [{"name": name[:120], "quantity": q, "unit": "piece", "unit_price": price,
                "vat_rate": vat} for _p, name, q, price, vat in lines]  # fmt: skip
    try:
        pay_merchant(
            session, user, merchant_id=merchant.id, store_id=order.store_id,
            amount=order.total_cents, lines=receipt, pin=pin, idem=claim,
            description=f"Essensbestellung · {merchant.name}",
        )  # fmt: skip
    except (ScaRequired, PinNotSet) as exc:
        session.rollback()
        message = (
            "This order needs your payment PIN. Set one up in the wallet, then confirm the "
            "order with it at %(url)s." if isinstance(exc, PinNotSet) else
            "This order needs your payment PIN: confirm it with your PIN at %(url)s."
        )  # fmt: skip
        url = confirm_url(proposal.id)
        raise type(exc)(message, field="pin", params={"url": url},
                        extra={"confirm_url": url}) from exc  # fmt: skip
    except Problem:
        session.rollback()
        raise
    except IntegrityError as err:  # the same proposal's key paid meanwhile
        session.rollback()
        raise Conflict("This order was already placed.", code="already_ordered") from err


def confirm_url(proposal_id: int) -> str:
    return f"/api/v1/assistant/orders/proposals/{proposal_id}/confirm"


ORDER_SKILL = registry.register(
    registry.Skill(intent=INTENT, card=card, confirm=confirm, author_only=True)
)


# --- reading and staff actions ---------------------------------------------------------------


def order_for(session: Session, user: User, order_id: int) -> FoodOrder:
    """The orderer or staff of the restaurant; anyone else gets 404."""
    order = session.get(FoodOrder, order_id)
    if order is None or (
        order.user_id != user.id and order.merchant_id not in staff_roles(session, user)
    ):
        raise NotFound("No such order.")
    return order


def todays_orders(session: Session, merchant_id: int) -> list[FoodOrder]:
    """The merchant's orders to pick up today (Europe/Berlin), by pickup time."""
    today = clock.now().astimezone(BERLIN).date()
    start = datetime.combine(today, time(0), BERLIN)
    return list(
        session.scalars(
            select(FoodOrder)
            .where(
                FoodOrder.merchant_id == merchant_id,
                FoodOrder.pickup_at >= start,
                FoodOrder.pickup_at < start + timedelta(days=1),
                FoodOrder.status != "cancelled",
            )
            .order_by(FoodOrder.pickup_at, FoodOrder.id)
        )
    )


def set_status(session: Session, user: User, merchant_id: int, order_id: int, status: str
               ) -> FoodOrder:  # fmt: skip
    """Staff mark an order ready or picked up; the chat card follows. Commits."""
    merchant_for(session, user, merchant_id)
    if status not in STATUS_FROM:
        raise Invalid("Unknown order status.", field="status")
    order = session.get(FoodOrder, order_id)
    if order is None or order.merchant_id != merchant_id:
        raise NotFound("No such order.")
    now = clock.now()
    values: dict[str, Any] = {"status": status, "updated_at": now}
    values["ready_at" if status == "ready" else "picked_up_at"] = now
    changed = session.execute(
        update(FoodOrder)
        .where(FoodOrder.id == order.id, FoodOrder.status.in_(STATUS_FROM[status]))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise Conflict(STATUS_CONFLICTS.get(order.status, "The order cannot change like this."),
                       code="order_status")  # fmt: skip
    session.refresh(order)
    if order.card_message_id is not None:
        messages.update_card(session, order.card_message_id, order_card(session, order, now))
        if status == "ready" and order.conversation_id is not None:
            merchant = session.get(Merchant, merchant_id)
            assert merchant is not None
            messages.post_as_kosmos(
                session, order.conversation_id, reply_to_id=order.card_message_id,
                text=t(order.locale, "ready_message", number=order.id, merchant=merchant.name),
                commit=False,
            )  # fmt: skip
    session.commit()
    return order


def order_out(session: Session, order: FoodOrder) -> dict[str, Any]:
    merchant = session.get(Merchant, order.merchant_id)
    store = session.get(Store, order.store_id)
    customer = session.get(User, order.user_id)
    return {
        "id": order.id, "status": order.status,
        "merchant": {"id": order.merchant_id, "name": merchant.name if merchant else None},
        "store": {"id": order.store_id, "name": store.name if store else None,
                  "street": store.street if store else None},
        "customer": customer.display_name if customer else None,
        "pickup_at": order.pickup_at.isoformat(), "total_cents": order.total_cents,
        "currency": order.currency, "payment_reference": order.payment_reference,
        "conversation_id": order.conversation_id, "created_at": order.created_at.isoformat(),
        "ready_at": order.ready_at.isoformat() if order.ready_at else None,
        "picked_up_at": order.picked_up_at.isoformat() if order.picked_up_at else None,
        "lines": [
            {"product_id": x.product_id, "name": x.name, "quantity": x.quantity,
             "unit_price_cents": x.unit_price_cents, "vat_rate": x.vat_rate,
             "total_cents": x.quantity * x.unit_price_cents}
            for x in order_lines(session, order.id)
        ],
    }  # fmt: skip


def confirm_with_pin(session: Session, user: User, proposal_id: int, pin: str | None
                     ) -> FoodOrder:  # fmt: skip
    """Confirm an order card outside the chat, with the payment PIN that orders above the
    strong-customer-authentication limit need (the chat's Confirm button cannot carry it).
    Only the author sees the proposal; anyone else gets 404."""
    proposal = session.get(Proposal, proposal_id)
    if proposal is None or proposal.kind != INTENT or proposal.author_id != user.id:
        raise NotFound("No such order.")
    if proposal.status != "open":
        raise Invalid("This was already decided.", field="action", code="already_decided")
    order = place_order(session, user, proposal, pin=pin)  # commits order and payment
    proposal.status, proposal.resolved_by, proposal.resolved_at = "done", user.id, clock.now()
    if proposal.card_message_id is not None:
        card_message = session.get(Message, proposal.card_message_id)
        if card_message is not None and card_message.card:
            merchant = session.get(Merchant, order.merchant_id)
            assert merchant is not None
            note = status_note(order, merchant, clock.now())
            messages.update_card(session, card_message.id, cards.resolved(card_message.card, note))
    session.commit()
    return order
