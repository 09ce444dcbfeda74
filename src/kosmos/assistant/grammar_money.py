"""Expenses, ratings and food orders (docs/assistant-understanding.md).

"bestellen" / "order" is a food order when food, a restaurant ("beim Japaner") or a time to
deliver at is said; otherwise ("ich bestell den Glühwein nach Hause") it is left to the claim
reader in grammar_tasks.py."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from kosmos.assistant.clauses import Clause
from kosmos.assistant.grammar_common import Context, Intent, iso, with_names, without
from kosmos.assistant.items import clean_name, parse_items
from kosmos.assistant.when import When

# --- expense --------------------------------------------------------------------------------

AMOUNT = re.compile(
    r"(?:(?P<cur1>€|eur\b|euro\b)\s*(?P<a1>\d+(?:[.,]\d{1,2})?)|"
    r"(?P<a2>\d+(?:[.,]\d{1,2})?)\s*(?P<cur2>€|eur\b|euro\b|euros\b|eus\b))"
)
# an amount without a currency, when it is what something was paid for: "4,80 für den Kaffee"
BARE_AMOUNT = re.compile(
    r"(?<![\d.,:])(?P<a1>\d+(?:[.,]\d{1,2})?)(?=\s*(?:für|fuer|fürs|for|on)\b)"
)
PAID = re.compile(
    r"\b(?:bezahlt|gezahlt|ausgegeben|ausgelegt|vorgestreckt|vorgelegt|gelöhnt|"
    r"paid|spent|covered|fronted|bezahl|zahlte|bezahlte|kostete|gekostet)\b"
)


def _amount(m: re.Match[str]) -> str | None:
    raw = (m["a1"] or m.groupdict().get("a2") or "").replace(",", ".")
    try:
        return str(Decimal(raw).quantize(Decimal("0.01")))
    except InvalidOperation:  # pragma: no cover - the pattern allows digits only
        return None


def read_expense(clause: Clause, ctx: Context) -> Intent | None:
    low = clause.low
    m = AMOUNT.search(low) or BARE_AMOUNT.search(low)
    if m is None or not PAID.search(low) or low.rstrip().endswith("?"):
        return None
    amount = _amount(m)
    if amount is None or Decimal(amount) <= 0:
        return None
    payer = "me"
    who = with_names(r"(?:^|\s)({names})\b(?!\s*,\s*(?:ich|i)\b)", ctx).search(low)
    if (
        who
        and not re.search(r"\b(?:ich|i|hab|habe|i've)\b", low[: who.start()])
        and re.search(r"\b(?:hat|has|paid|spent|covered|hat's)\b", low[who.end() :])
    ):
        payer = who[1]
    description = ""
    d = re.search(
        r"\b(?:für|fuer|fürs|for|on|an)\s+(?:die\s+|den\s+|das\s+|the\s+|ein\s+|eine\s+|"
        r"einen\s+|unsere?n?\s+|our\s+|some\s+)?(?P<what>[^,.!?€]+?)"
        r"(?=\s*(?:bezahlt|gezahlt|ausgegeben|ausgelegt|vorgestreckt|gekostet|\d|€|$|[,.!?]|"
        r"\bheute\b|\bgestern\b|\byesterday\b|\btoday\b))",
        low,
    )
    if d:
        description = clean_name(clause.text[d.start("what") : d.end("what")])
    if not description:
        rest = without(clause.text, [(m.start(), m.end())])
        rest = re.sub(
            r"(?i)\b(?:ich|i|hab|habe|have|i've|hat|has|bezahlt|gezahlt|ausgegeben|paid|spent|"
            r"covered|euro|eur)\b",
            " ",
            rest,
        )
        description = clean_name(rest)
    return {
        "type": "expense",
        "amount": amount,
        "currency": "EUR",
        "payer": payer,
        "description": description,
    }


# --- rating ---------------------------------------------------------------------------------

STARS = re.compile(
    r"(?P<n>[1-5]|ein|eins|zwei|drei|vier|fünf|one|two|three|four|five)\s*(?:/\s*5|von\s+5|"
    r"of\s+5|out\s+of\s+5|sterne?n?\b|stars?\b|⭐+)|(?P<glyphs>[★⭐]{1,5})(?!\w)"
)
_STAR_WORDS = {"ein": 1, "eins": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "one": 1,
               "two": 2, "three": 3, "four": 4, "five": 5}  # fmt: skip


STAR_FOR = re.compile(
    r"^\s*(?:für|fuer|an|for|to)\s+(?:die\s+|den\s+|das\s+|the\s+)?(?P<t>[^\W\d][\w&'.-]*"
    r"(?:\s+[^\W\d][\w&'.-]*){0,3}?)(?=\s*(?:[,.!:;]|$|\bwar\b|\bwas\b|\bist\b|\bis\b|—|-))"
)
# where a target named first ends: "Die Metzgerei Müller war super", "Luigi: 4/5"
TARGET_END = re.compile(r"\s*(?::|,|—|\s-\s|\b(?:war|was|ist|is|hat|has|had|waren|were)\b)")
JOINING = re.compile(
    r"^(?:die|der|das|the|war|was|ist|is|für|fuer|for|an|to|gebe|give|ich|i|geb|i'd|would|"
    r"insgesamt|overall|von\s+mir|from\s+me|und|and)\b|^[\s,.;:!—-]+"
)


def _trim_joining(text: str) -> str:
    """ " war super, " -> "super": joining words and punctuation off both ends."""
    text = re.sub(r"[^\w\s'&,.;:!?—-]+", " ", text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", re.sub(r"\s+", " ", text)).strip()
    while True:
        m = JOINING.search(text.lower())
        if m is None or not m.group(0):
            break
        text = text[m.end() :].strip()
    text = text.rstrip(" ,.;:!—-")
    while re.search(r"(?i)\b(?:war|was|für|for|und|and)$", text):
        text = re.sub(r"(?i)\s*\b(?:war|was|für|for|und|and)$", "", text).rstrip(" ,.;:!—-")
    return text


def read_rating(clause: Clause, ctx: Context) -> Intent | None:
    low = clause.low
    m = STARS.search(low)
    if m is None:
        return None
    if m["glyphs"]:
        stars = len(m["glyphs"])
    else:
        n = m["n"]
        stars = int(n) if n.isdigit() else _STAR_WORDS[n]
    if not 1 <= stars <= 5:
        return None
    span: tuple[int, int] | None = None
    after = STAR_FOR.search(low[m.end() :])
    if after:  # "3 Sterne für Eiscafé Venezia"
        span = (m.end() + after.start("t"), m.end() + after.end("t"))
        target = clean_name(clause.text[span[0] : span[1]])
    else:  # "Die Metzgerei Müller war super, 5 Sterne", "Da Mario ★★★★ pizza war gut"
        before = low[: m.start()]
        end = TARGET_END.search(before)
        cut = end.start() if end else len(before.rstrip())
        lead = re.match(r"\s*(?:ich\s+geb(?:e)?|i'?d?\s+give|gebe)\s+", before)
        begin = lead.end() if lead else 0
        span = (0, cut)
        target = clean_name(clause.text[begin:cut])
    if not target or len(target.split()) > 4 or target.lower() in ("ich", "i", "es", "it"):
        return None
    if not re.search(r"[^\W\d_]", target):
        return None
    rest = without(clause.text, [(m.start(), m.end()), span])
    comment = _trim_joining(rest)
    return {"type": "rate", "target": target, "stars": stars, "comment": comment or None}


# --- food order -----------------------------------------------------------------------------

ORDER = re.compile(
    r"^\s*(?:kannst\s+du\s+|bitte\s+|lass\s+uns\s+|let'?s\s+|please\s+|pls\s+|can\s+you\s+|"
    r"ich\s+|wir\s+|i'?m\s+|i\s+am\s+|i'?ll\s+|i\s+will\s+|we'?ll\s+|we\s+)?"
    r"(?:bestell|bestelle|bestellt|bestellen|order|ordering|get\s+us)\b(?:\s+(?:uns|mir|mal|bitte|"
    r"us|me|please))*\s+(?P<rest>.+)$"
)
FOOD = re.compile(
    r"\b(?:pizz\w*|burger\w*|döner\w*|doener|dürüm|sushi|pommes|fries|pasta|curry\w*|"
    r"nudeln|salat\w*|salad\w*|falafel|wrap\w*|nuggets|tacos?|burrito\w*|kebab\w*|lasagne|"
    r"calzone|margherita|salami|tonno|funghi|hawaii|menü\w*|bowl\w*|ramen|pho|essen|food|"
    r"maki|gyoza|dumplings?|lahmacun|pide|tiramisu|noodles|wings|nachos|poke)\b"
)
# restaurants named by their cuisine: "beim Japaner", "from the Italian place"
RESTAURANT = re.compile(
    r"\b(?:beim|vom|bei|from|at)\s+(?:the\s+)?(?:japaner|italiener|griechen|chinesen|inder|"
    r"thai|vietnamesen|türken|mexikaner|asiaten|pizzeria|imbiss|lieferando|wolt|restaurant|"
    r"italian|chinese|indian|japanese|greek|takeaway)\b"
)


def read_food_order(clause: Clause, ctx: Context, when: When | None) -> Intent | None:
    low = clause.low
    m = ORDER.search(low)
    if m is None:
        m = re.search(
            r"^\s*(?:lass(?:t)?\s+uns\s+|let'?s\s+|wir\s+könnten\s+|uns\s+)?(?P<rest>.+?)\s+"
            r"(?:bestellen|order)\b",
            low,
        )
        if m is None:
            return None
    # food, a restaurant or a time to deliver at: "ich bestell 3 Maki Sets für 19 Uhr"
    if not (FOOD.search(low) or RESTAURANT.search(low) or (when is not None and when.has_clock)):
        return None
    spans = list(when.spans) if when else []
    rest_start = m.start("rest")
    text = without(clause.text, spans)
    lowered = without(low, spans)
    merchant = None
    mm = re.search(
        r"\b(?:bei|beim|von|vom|from|at)\s+(?:der\s+|dem\s+|the\s+)?(?P<m>[^\W\d][\w'&.-]*"
        r"(?:\s+(?:da|de|di|la|il|\d+|[^\W\d][\w'&.-]*)){0,2}?)(?=\s*(?:[,.!?]|$|\bfür\b|\bfor\b|"
        r"\bum\b|\bat\b|\bzum\b|\bzu\b|\bbestellen\b|\bto\b|\bheute\b|\btonight\b|\bmorgen\b))",
        lowered[rest_start:],
    )
    cut = len(lowered)
    if mm:
        merchant = clean_name(text[rest_start + mm.start("m") : rest_start + mm.end("m")])
        cut = rest_start + mm.start()
    phrase = text[rest_start:cut]
    phrase = re.sub(r"(?i)\b(?:für|for|zum|zu|um|at|bestellen|order|heute|tonight)\s*$", "",
                    phrase.strip())  # fmt: skip
    phrase = re.sub(r"(?i)\b(?:für\s+(?:uns|alle|mich)|for\s+(?:us|everyone|me)|zum\s+abholen|"
                    r"for\s+pickup|zur\s+abholung)\b", " ", phrase)  # fmt: skip
    items = []
    for item in parse_items(phrase):
        quantity = item["quantity"] if item["quantity"] is not None else 1
        items.append({"name": item["name"], "quantity": quantity})
    if not items:
        return None
    return {
        "type": "order_food",
        "merchant": merchant,
        "items": items,
        "time": iso(when.start) if when else None,
    }
