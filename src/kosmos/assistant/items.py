"""Reading shopping items out of a phrase: "2 kg Nackensteaks, 12 Bratwürste, Grillkohle und
Brötchen" -> name, quantity and unit per item (docs/assistant-understanding.md, "Shopping
items")."""

from __future__ import annotations

import re
from typing import Any

from kosmos.assistant.words import NUMBER_PHRASES, NUMBER_WORDS, UNITS

SEPARATORS = re.compile(
    r"\s*(?:(?<!\d),|,(?!\d)|;|\n|\s\+\s|\s&\s|\bund\b|\band\b|\bsowie\b|\bplus\b|\bor\b|\boder\b)\s*",
    re.IGNORECASE,
)
ARTICLES = re.compile(
    r"^(?:(?:der|die|das|den|dem|des|the|some|etwas|noch|bitte|auch|so|ca\.?|circa|etwa|"
    r"mind\.?|mindestens|about|around|more|mehr|extra|zusätzlich|also|too|unsere?n?|"
    r"our|my|meine?n?)\s+)+",
    re.IGNORECASE,
)
TRAILING = re.compile(
    r"(?:\s+(?:bitte|pls|please|plz|noch|auch|too|also|oder so|or so|mit|vom|von|from|"
    r"für|for|und so|etc\.?|usw\.?))+$",
    re.IGNORECASE,
)
_NUMBER = r"\d+(?:[.,]\d+)?|\d+/\d+|½"
_UNIT = "|".join(sorted((re.escape(u) for u in UNITS), key=len, reverse=True))
_PHRASE = "|".join(re.escape(p) for p, _ in sorted(NUMBER_PHRASES, key=lambda x: -len(x[0])))
_WORD = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
ITEM = re.compile(
    r"^(?:(?P<phrase>" + _PHRASE + r")\s+|(?P<num>" + _NUMBER + r")\s*(?:x\s*)?|"
    r"(?P<word>" + _WORD + r")\s+)?"
    r"(?:(?:more|mehr|weitere?n?|extra|zusätzliche?n?)\s+)?"
    r"(?:(?P<unit>" + _UNIT + r")\.?(?:\s+(?:of\s+)?|(?<=\d[a-z])\s*(?=[^\W\d])|$))?"
    r"(?P<name>.*)$",
    re.IGNORECASE,
)
EMOJI_OR_SYMBOL = re.compile(r"[^\w\s'&./%,-]+", re.UNICODE)


def _number(text: str) -> float | None:
    text = text.replace(",", ".")
    if text == "½":
        return 0.5
    if "/" in text:
        top, bottom = text.split("/", 1)
        return int(top) / int(bottom) if int(bottom) else None
    try:
        return float(text)
    except ValueError:
        return None


def _clean_number(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == int(value) else round(value, 3)


def clean_name(text: str) -> str:
    text = EMOJI_OR_SYMBOL.sub(" ", text)
    text = re.sub(r"\s+", " ", text).strip(" .-'")
    text = ARTICLES.sub("", text)
    text = TRAILING.sub("", text)
    return text.strip(" .-'")


def parse_item(phrase: str) -> dict[str, Any] | None:
    """One item, or None when the phrase holds no goods."""
    phrase = EMOJI_OR_SYMBOL.sub(" ", phrase).strip(" .:-")
    phrase = ARTICLES.sub("", phrase.strip())
    if not phrase:
        return None
    m = ITEM.match(phrase)
    if m is None:  # pragma: no cover - the pattern matches any string
        return None
    quantity: float | None = None
    if m["phrase"]:
        quantity = dict(NUMBER_PHRASES)[m["phrase"].lower()]
    elif m["num"]:
        quantity = _number(m["num"])
    elif m["word"]:
        quantity = NUMBER_WORDS[m["word"].lower()]
    unit = UNITS[m["unit"].lower()] if m["unit"] else None
    name = clean_name(m["name"])
    if not name and unit is not None and m["unit"]:
        # "2 Kisten" with nothing after: the unit word is the goods ("Kisten")
        name, unit = m["unit"], None
    if not name or not re.search(r"[^\W\d_]", name):
        return None
    if quantity is not None and unit is None:
        unit = "piece"
    return {"name": name, "quantity": _clean_number(quantity), "unit": unit}


def parse_items(phrase: str) -> list[dict[str, Any]]:
    items = []
    for part in SEPARATORS.split(phrase):
        item = parse_item(part)
        if item is not None:
            items.append(item)
    return items
