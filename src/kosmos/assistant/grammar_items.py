"""Shopping items: which clauses add to the list (docs/assistant-understanding.md,
"Shopping items"); the item phrases themselves are read by items.py."""

from __future__ import annotations

import re
from typing import Any

from kosmos.assistant.clauses import Clause
from kosmos.assistant.grammar_common import Context, Intent
from kosmos.assistant.items import parse_items
from kosmos.assistant.when import When
from kosmos.assistant.words import NOT_TITLE, NUMBER_WORDS

ITEMS_DE = re.compile(
    r"(?:^|\b)(?:wir\s+)?(?:brauch(?:en|n|e|t)?|benötigen)\s+(?:(?:auf\s+jeden\s+fall|"
    r"unbedingt|dann|auch|bitte|also|nur|mindestens|wohl|so)\s+)*(?:noch\s+)?(?P<rest>.+)$|"
    r"^(?:bitte\s+)?(?:kauft|besorgt|holt|kaufen|besorgen)\s+(?:bitte\s+)?(?:noch\s+)?(?P<rest2>.+)$|"
    r"^(?:\w+\s+)?(?:bitte\s+)?(?:mit\s+)?(?:auf\s+die\s+(?:einkaufs)?liste|einkaufsliste|liste|"
    r"einkauf)\s*:?\s*(?P<rest3>.+)$|"
    r"^(?:bitte\s+)?(?:noch|und\s+noch|plus)\s+(?P<rest4>.+)$|"
    r"^(?P<rest5>.+?)\s+(?:auf\s+die\s+(?:einkaufs)?liste|mit\s+auf\s+die\s+liste|"
    r"(?:setzen|schreiben|packen)\s+auf\s+die\s+liste)\b.*$|"
    r"^(?:es\s+)?fehl(?:t|en)\s+(?:noch\s+)?(?P<rest6>.+)$|"
    r"^(?:und|sowie|\+|&)\s+(?P<more>.+)$"
)
ITEMS_EN = re.compile(
    r"(?:^|\b)(?:we|i)\s+(?:still\s+|also\s+|really\s+|will\s+|'ll\s+)*(?:need|needs)\s+"
    r"(?:to\s+(?:get|buy)\s+)?(?:some\s+more\s+)?(?P<rest>.+)$|"
    r"^(?:please\s+|pls\s+)?(?:buy|get|grab|pick\s+up)\s+(?:some\s+)?(?P<rest2>.+)$|"
    r"^(?:please\s+|pls\s+|can\s+you\s+|could\s+you\s+)?(?:add|put)\s+(?:to|on)\s+(?:the\s+)?"
    r"(?:shopping\s+)?list\s*:?\s*(?P<rest8>.+)$|"
    r"^(?:please\s+|pls\s+|can\s+you\s+|could\s+you\s+)?(?:add|put)\s+(?P<rest5>.+?)\s+"
    r"(?:to|on)\s+(?:the\s+)?(?:shopping\s+)?list\b.*$|"
    r"^(?:shopping\s+list|list|add)\s*:?\s*(?P<rest3>.+)$|"
    r"^(?:also|plus|and\s+also)\s+(?P<rest4>.+)$|"
    r"^(?:still\s+)?(?:missing|need|needed)\s*:?\s+(?P<rest6>.+)$|"
    r"^(?:don'?t\s+forget|do\s+not\s+forget)\s+(?:the\s+)?(?P<rest7>.+)$|"
    r"^(?:and|\+|&)\s+(?P<more>.+)$"
)
# the cue alone does not make these goods: the names must look like goods too
WEAK_CUES = ("rest2", "rest4", "rest7", "more")
QUESTION = re.compile(
    r"^\s*(?:wer|was|wann|wo|wie|warum|wieso|welche\w*|who|what|when|where|why|how|which)\b"
)
NOT_GOODS = frozenset(
    ("well", "soon", "ready", "home", "back", "going", "started", "lost", "better", "there",
     "here", "out", "up", "together", "along", "viel", "viele", "many", "much", "zu", "go",
     "goes")
)  # fmt: skip
QUANTITY_FIRST = re.compile(r"^\s*(?:\d|(?:" + "|".join(NUMBER_WORDS) + r"|a\s+couple|paar)\b)")


def _goods_like(items: list[dict[str, Any]]) -> bool:
    """Names of goods: short, and no word of a sentence ("20 donuts is too many")."""
    for item in items:
        words = item["name"].lower().split()
        if len(words) > 4 or any(w in NOT_TITLE or w in NOT_GOODS for w in words):
            return False
    return True


def read_items(clause: Clause, ctx: Context, when: When | None = None) -> Intent | None:
    low = clause.low.strip()
    if low.rstrip(" !.").endswith("?") and not re.search(r"\bbrauchen\s+wir\b", low):
        return None
    if QUESTION.search(low):
        return None
    pattern = ITEMS_EN if ctx.english else ITEMS_DE
    m = pattern.search(low)
    if m is None:
        m = (ITEMS_DE if ctx.english else ITEMS_EN).search(low)
    if m is None:
        return _bare_list(clause, when)
    group = next(g for g in m.groupdict() if m[g] is not None)
    start, end = m.start(group), m.end(group)
    phrase = clause.text[start:end]
    phrase = re.sub(r"(?i)^(?:für|for)\s+[^:,]{1,30}:\s*", "", phrase)
    phrase = re.sub(r"(?i)\s*(?:für|for)\s+(?:samstag|saturday|die party|the party|morgen|"
                    r"tomorrow|das grillen|the bbq|the barbecue)\b.*$", "", phrase)  # fmt: skip
    phrase = re.sub(r"(?i)\s+(?:to|on)\s+(?:the\s+)?(?:shopping\s+)?list\b.*$", "", phrase)
    phrase = re.sub(r"(?i)\s+(?:mit\s+)?auf\s+die\s+(?:einkaufs)?liste\b.*$", "", phrase)
    phrase = phrase.rstrip(" ?!.")
    if re.match(r"(?i)(?:to|zu)\s+\w+$", phrase) or re.search(
        r"(?i)\b(?:mehr\s+zeit|more\s+time|"
        r"hilfe|help)\b",
        phrase,
    ):
        return None  # fmt: skip
    items = parse_items(phrase)
    if not items:
        return None
    if group in WEAK_CUES and (when is not None or not _goods_like(items)):
        return None
    return {"type": "add_items", "items": items}


def _bare_list(clause: Clause, when: When | None) -> Intent | None:
    """A list of counted goods with no cue: "1 Karton Milch und 2 Dosen Mais"."""
    if when is not None or not QUANTITY_FIRST.search(clause.low):
        return None
    items = parse_items(clause.text.rstrip(" ?!."))
    if not items or any(i["quantity"] is None for i in items) or not _goods_like(items):
        return None
    if len(items) == 1 and not re.match(r"\s*\d", clause.low):
        return None  # "ein Bier?" is not a list
    return {"type": "add_items", "items": items}
