"""Assistant rules in plain Python: catalog match ranking, price estimates, which list items
a claim word stands for ("das Fleisch" = meat and sausages), who may confirm what.
No framework imports (lint-imports checks)."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from rapidfuzz import fuzz

PIECE_WEIGHT_G = 125
"""A by-weight product asked for in pieces ("12 Bratwürste") is estimated at 125 g each."""

SPECIALISTS = {"Fleisch": "butcher", "Wurst": "butcher", "Geflügel": "butcher",
               "Aufschnitt": "butcher", "Brot & Brötchen": "bakery"}  # fmt: skip
"""Categories a specialist merchant is suggested for when both it and a supermarket match."""

GROUP_WORDS: dict[str, frozenset[str]] = {
    "fleisch": frozenset({"Fleisch", "Wurst", "Geflügel", "Aufschnitt"}),
    "meat": frozenset({"Fleisch", "Wurst", "Geflügel", "Aufschnitt"}),
    "getränke": frozenset({"Softdrinks", "Bier", "Biermischgetränke", "Wasser", "Säfte",
                           "Wein", "Sekt", "Spirituosen", "Getränke"}),
    "drinks": frozenset({"Softdrinks", "Bier", "Biermischgetränke", "Wasser", "Säfte", "Wein",
                         "Sekt", "Spirituosen", "Getränke"}),
    "wurst": frozenset({"Wurst"}), "würstchen": frozenset({"Wurst"}),
    "sausages": frozenset({"Wurst"}),
}  # fmt: skip

SHOPPING_KINDS = frozenset({"butcher", "supermarket", "bakery", "drugstore"})


@dataclass(frozen=True)
class Candidate:
    product_id: int
    name: str
    category: str
    merchant_id: int
    merchant_name: str
    merchant_kind: str
    unit: str  # piece, kg, l
    price_cents: int
    weight_g: int | None
    volume_ml: int | None


def fold(text: str) -> str:
    """Lower case without accents or umlauts ("Würste" -> "wurste")."""
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in text if not unicodedata.combining(c)).replace("ß", "ss")


def stem(word: str) -> str:
    """A rough German/English plural stem: "bratwurste" -> "bratwurst", "steaks" -> "steak",
    "brotchen" stays."""
    w = fold(word)
    for ending in ("innen", "en", "er", "es", "e", "n", "s"):
        if len(w) - len(ending) >= 4 and w.endswith(ending) and not w.endswith("chen"):
            return w[: -len(ending)]
    return w


def stems(text: str) -> list[str]:
    return [stem(w) for w in re.findall(r"[^\W\d_]+", text)]


def match_score(query: str, candidate: Candidate) -> float:
    """0-100: how well a list item's words name the product."""
    q = " ".join(stems(query))
    name_stems = stems(candidate.name)
    if not q or not name_stems:
        return 0.0
    best = 0.0
    for word in q.split():
        # "kohle" names "Grillkohle": a compound ending in the word counts fully
        if any(s == word or (len(word) >= 4 and s.endswith(word)) for s in name_stems):
            best = max(best, 100.0)
    ratio = fuzz.token_set_ratio(q, " ".join(name_stems))
    score = max(best, ratio)
    # prefer the plain product ("Nackensteak") over variants ("Nackensteak mariniert")
    score -= 2.0 * max(0, len(name_stems) - len(q.split()))
    return score


def best_match(query: str, candidates: list[Candidate], *, threshold: float = 85.0
               ) -> Candidate | None:  # fmt: skip
    """The product a list item stands for, or None (the item stays free text). Among equal
    matches a specialist merchant wins for its categories (the butcher for meat)."""
    scored = []
    for c in candidates:
        if c.merchant_kind not in SHOPPING_KINDS:
            continue
        score = match_score(query, c)
        if score < threshold:
            continue
        if SPECIALISTS.get(c.category) == c.merchant_kind:
            score += 5.0
        scored.append((score, -c.price_cents, -c.product_id, c))
    if not scored:
        return None
    scored.sort(key=lambda x: (x[0], x[1], x[2]), reverse=True)
    return scored[0][3]


def estimate_cents(quantity: Decimal | None, unit: str | None, c: Candidate) -> int | None:
    """Estimated price of `quantity` `unit` of the product; None when it cannot be told."""
    q = Decimal(1) if quantity is None else quantity
    if q <= 0:
        return None
    price = Decimal(c.price_cents)
    if c.unit in ("kg", "l"):
        if unit in ("kg", "l"):
            amount = q
        elif unit in ("g", "ml"):
            amount = q / 1000
        elif unit == "piece" and c.unit == "kg":
            amount = q * PIECE_WEIGHT_G / 1000
        else:
            return None
        return int((price * amount).quantize(Decimal(1)))
    # sold by the piece or pack
    size = c.weight_g if unit in ("kg", "g") else c.volume_ml if unit in ("l", "ml") else None
    if unit in ("kg", "g", "l", "ml"):
        if not size:
            return None
        wanted = q * (1000 if unit in ("kg", "l") else 1)
        packs = math.ceil(wanted / size)
    else:
        packs = math.ceil(q / _pack_count(c.name)) if unit == "piece" else math.ceil(q)
    return int(price * packs)


def _pack_count(name: str) -> int:
    """ "Bratwürste grob, 4 Stück" holds 4."""
    m = re.search(r"(\d+)\s*(?:stück|stk)", name.lower())
    return int(m[1]) if m else 1


def items_for_claim(word: str, items: list[tuple[int, str, str | None]]) -> list[int]:
    """Which list items a claim word stands for: `items` holds (id, title, category).
    A group word ("Fleisch", "drinks") takes every item of its categories; any other word
    the items whose title it names."""
    key = fold(word).strip()
    group = GROUP_WORDS.get(word.lower().strip()) or GROUP_WORDS.get(key)
    chosen = []
    for item_id, title, category in items:
        if (
            group is not None
            and category in group
            or stem(word)
            and (
                stem(word) in stems(title)
                or fuzz.ratio(" ".join(stems(title)), " ".join(stems(word))) >= 85
            )
        ):
            chosen.append(item_id)
    return chosen


def format_quantity(quantity: Decimal | None, unit: str | None) -> str:
    if quantity is None:
        return ""
    number = f"{quantity.normalize():f}".replace(".", ",")
    if unit in (None, "piece"):
        return f"{number}×"
    if unit == "pack":
        return f"{number} Pck."
    return f"{number} {unit}"


DAY_BEFORE = timedelta(hours=24)
HOURS_BEFORE = timedelta(hours=2)


def reminders_due(
    now: datetime, start: datetime, day_sent: datetime | None, hours_sent: datetime | None
) -> list[str]:
    """Which reminders of an event are due: "day" (24 h before) and "hours" (2 h before),
    each once; a reminder whose moment passed while the later one is due is skipped."""
    if now >= start:
        return []
    if now >= start - HOURS_BEFORE:
        return [] if hours_sent else ["hours"]
    if now >= start - DAY_BEFORE:
        return [] if day_sent else ["day"]
    return []


_DELIVERY = re.compile(
    r"^(?:(?:get|have)\s+)?(?P<goods>.+?)\s+(?:liefern(?:\s+lassen)?|bestellen|delivered)$|"
    r"^(?:deliver|order)\s+(?P<goods2>.+)$",
    re.IGNORECASE,
)


def delivered_goods(task_title: str) -> str | None:
    """The goods a to-do wants delivered ("Getränke liefern lassen" -> "Getränke",
    "get drinks delivered" -> "drinks"), or None for any other to-do."""
    m = _DELIVERY.match(task_title.strip())
    if m is None:
        return None
    goods = (m["goods"] or m["goods2"] or "").strip()
    return goods if goods and len(goods.split()) <= 3 else None
