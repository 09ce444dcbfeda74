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


def tolerates_typo(word: str) -> bool:
    return len(word) >= MIN_TYPO_LENGTH
