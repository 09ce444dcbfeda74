"""German-aware text folding for the product search, used on the index and the query side.

Folding lower-cases, writes ß as "ss", drops diacritics (ä -> a, é -> e) and also folds the
umlaut spellings ae/oe/ue to a/o/u, so "Würstchen", "Wuerstchen" and "Wurstchen" all
become "wurstchen". Everything that is not a letter or digit separates words.
"""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[a-z0-9]+")
_UMLAUT_SPELLING = re.compile(r"([aou])e")
_SPECIAL = str.maketrans({"ß": "ss", "ẞ": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l"})

MIN_TYPO_LENGTH = 5
"""Words of at least this many letters tolerate one typo (OSA distance 1)."""


def fold(text: str) -> str:
    """The folded form of `text`: its words, folded, separated by single spaces."""
    return " ".join(words(text))


def words(text: str) -> list[str]:
    """The folded words of `text`, in order."""
    lowered = text.lower().translate(_SPECIAL)
    decomposed = unicodedata.normalize("NFKD", lowered)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return [_UMLAUT_SPELLING.sub(r"\1", word) for word in _WORD.findall(plain)]


def index_text(*parts: str | None) -> str:
    """Folded text of several fields (e.g. brand and category) for one index column."""
    return " ".join(fold(part) for part in parts if part)


# German compounds put the head last: Grill|kohle, Geflügel|würstchen, Leber|wurst. Indexing
# the head of a compound as a word of its own lets "kohle" find "Grillkohle"; the modifier
# is already found as a prefix ("grill" -> "grillkohle").
_HEADS = sorted(
    {
        fold(word)
        for word in (  # noqa: SIM905 - a word list reads best as words
            "Wurst Würstchen Würste Kohle Brot Brötchen Käse Salat Soße Sauce Dip Steak Steaks "
            "Bier Saft Wasser Schorle Limonade Brause Schinken Fleisch Creme Spray Senf Ketchup "
            "Teller Becher Besteck Servietten Schale Schalen Anzünder Kartoffeln Chips Nudeln "
            "Spieße Spieß Filet Bauch Nacken Keule Schenkel Brust Kotelett Pizza Burger Wein "
            "Sekt Kaffee Milch Joghurt Butter Kuchen Torte Gemüse Mais Paprika Zwiebeln "
            "Tomaten Gurken Pfeffer Gewürz Marinade Mischung Riegel Schokolade Tee Öl Essig "
            "Shampoo Gel Seife Tücher Folie Beutel Tüte Kerze Kerzen Eis"
        ).split()
    },
    key=len,
    reverse=True,
)
MIN_MODIFIER = 3
"""A head is split off only behind at least this many letters ("Grill" + "kohle")."""


def compound_heads(words_: list[str]) -> list[str]:
    """Heads of folded compound words, longest head first, each once."""
    found: list[str] = []
    for word in words_:
        for head in _HEADS:
            if len(word) - len(head) >= MIN_MODIFIER and word.endswith(head):
                if head not in found:
                    found.append(head)
                break
    return found


def index_fields(name: str, brand: str | None, category: str | None) -> tuple[str, str]:
    """What a product is indexed under: its folded name, and (weighted lower) brand,
    category and the heads of its compound words."""
    name_words = words(name)
    extra = [index_text(brand, category), *compound_heads(name_words)]
    return " ".join(name_words), " ".join(part for part in extra if part)


def tolerates_typo(word: str) -> bool:
    return len(word) >= MIN_TYPO_LENGTH
