"""The rules that turn one clause into an intent (docs/assistant-understanding.md).

Each `_read_*` function looks at a clause and either returns the intent's JSON form or
None; `read_clause` tries them from the most specific (a rating, an expense) to the most
general (an event). German and English patterns sit side by side."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from kosmos.assistant.clauses import Clause
from kosmos.assistant.items import clean_name, parse_items
from kosmos.assistant.when import When, find_time

Intent = dict[str, Any]


@dataclass(frozen=True)
class Context:
    now: datetime
    zone: ZoneInfo
    locale: str
    members: tuple[str, ...]

    @property
    def english(self) -> bool:
        return self.locale == "en"


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _without(text: str, spans: tuple[tuple[int, int], ...] | list[tuple[int, int]]) -> str:
    """`text` with the spans blanked out (positions kept)."""
    chars = list(text)
    for start, end in spans:
        for i in range(max(start, 0), min(end, len(chars))):
            chars[i] = " "
    return "".join(chars)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _member(word: str, ctx: Context) -> str | None:
    word = word.lower().strip(" ,:@")
    return word if word in ctx.members else None


def _names_pattern(ctx: Context) -> str:
    return "|".join(re.escape(m) for m in sorted(ctx.members, key=len, reverse=True)) or "(?!)"


# --- RSVP -----------------------------------------------------------------------------------

RSVP_YES = re.compile(
    r"(?:^|\b)(?:ich\s+)?(?:bin|sind|wir\s+sind)\s+(?:auf\s+jeden\s+fall\s+|natürlich\s+|"
    r"gern(?:e)?\s+|klar\s+|safe\s+|sicher\s+)?(?:dabei|am\s+start|da)\b(?!\s*\?)|"
    r"^(?:ja\s*,?\s*|klar\s*,?\s*|super\s*,?\s*|jo\s*,?\s*)?(?:ich\s+)?(?:komme?|kommen)"
    r"(?:\s+(?:gerne?|auf jeden fall|mit|vorbei))?\s*$|"
    r"\bzusage\b|\bsage\s+zu\b|\bcount\s+me\s+in\b|\bi'?m\s+in\b|\bwe'?re\s+in\b|"
    r"\bi'?ll\s+be\s+there\b|\bwe'?ll\s+be\s+there\b|\bi'?m\s+coming\b|\bi'?ll\s+come\b|"
    r"\bi\s+am\s+in\b|\bsee\s+you\s+there\b|\bbin\s+dabei\b"
)
RSVP_NO = re.compile(
    r"\bkann\s+(?:leider\s+)?(?:nicht|net|nich)\b|\bich\s+kann\s+(?:da\s+)?(?:leider\s+)?nicht\b|"
    r"\bbin\s+(?:leider\s+)?raus\b|\bohne\s+mich\b|\bschaff(?:e|')?s?\s+(?:es\s+)?"
    r"(?:leider\s+)?nicht\b|\bbin\s+(?:leider\s+)?nicht\s+dabei\b|\bkomme?\s+(?:leider\s+)?"
    r"nicht\b|\bmuss\s+(?:leider\s+)?absagen\b|\bsage\s+ab\b|\bcan'?t\s+(?:make\s+it|come|"
    r"join)\b|\bcannot\s+(?:make\s+it|come)\b|\bi'?m\s+out\b|\bcount\s+me\s+out\b|"
    r"\bwon'?t\s+(?:make\s+it|be\s+there|come)\b|\bnot\s+coming\b|\bwill\s+not\s+make\b"
)
RSVP_MAYBE = re.compile(
    r"^(?:ich\s+)?(?:weiß|weiss)\s+(?:es\s+)?noch\s+nicht\b|^mal\s+(?:sehen|schauen|gucken)\b|"
    r"^vielleicht\b(?:\s+(?:komme?\s+ich|bin\s+ich\s+dabei))?\s*[.!]*$|^eventuell\b\s*$|"
    r"^evtl\.?\s*$|^maybe\b(?:\s+i'?ll\s+come)?\s*[.!]*$|\bnot\s+sure\s+yet\b|^we'?ll\s+see\b|"
    r"\bmight\s+(?:come|make\s+it)\b|\bvielleicht\s+(?:komme?\s+ich|bin\s+ich\s+dabei)\b|"
    r"\bweiß\s+noch\s+nicht\s+ob\s+ich\b|\bunsure\b|\btentative\b"
)


def _read_rsvp(clause: Clause, ctx: Context) -> Intent | None:
    low = _squash(re.sub(r"[^\w\s'?!.,]", " ", clause.low))
    if low.endswith("?"):
        return None
    low = low.strip(" !.,")
    for answer, pattern in (("no", RSVP_NO), ("yes", RSVP_YES), ("maybe", RSVP_MAYBE)):
        if pattern.search(low):
            return {"type": "rsvp", "answer": answer}
    return None


# --- expense --------------------------------------------------------------------------------

AMOUNT = re.compile(
    r"(?:(?P<cur1>€|eur\b|euro\b)\s*(?P<a1>\d+(?:[.,]\d{1,2})?)|"
    r"(?P<a2>\d+(?:[.,]\d{1,2})?)\s*(?P<cur2>€|eur\b|euro\b|euros\b|eus\b))"
)
PAID = re.compile(
    r"\b(?:bezahlt|gezahlt|ausgegeben|ausgelegt|vorgestreckt|vorgelegt|gelöhnt|"
    r"paid|spent|covered|fronted|bezahl|zahlte|bezahlte|kostete|gekostet)\b"
)


def _amount(m: re.Match[str]) -> str | None:
    raw = (m["a1"] or m["a2"]).replace(",", ".")
    try:
        return str(Decimal(raw).quantize(Decimal("0.01")))
    except InvalidOperation:  # pragma: no cover - the pattern allows digits only
        return None


def _read_expense(clause: Clause, ctx: Context) -> Intent | None:
    low = clause.low
    m = AMOUNT.search(low)
    if m is None or not PAID.search(low) or low.rstrip().endswith("?"):
        return None
    amount = _amount(m)
    if amount is None or Decimal(amount) <= 0:
        return None
    payer = "me"
    names = _names_pattern(ctx)
    who = re.search(r"(?:^|\s)(" + names + r")\b(?!\s*,\s*(?:ich|i)\b)", low)
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
        r"\bund\b|\band\b|\bheute\b|\bgestern\b|\byesterday\b|\btoday\b))",
        low,
    )
    if d:
        description = clean_name(clause.text[d.start("what") : d.end("what")])
    if not description:
        rest = _without(clause.text, [(m.start(), m.end())])
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


def _read_rating(clause: Clause, ctx: Context) -> Intent | None:
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
    text = _without(clause.text, [(m.start(), m.end())])
    lowered = _without(low, [(m.start(), m.end())])
    target = None
    patterns = [
        r"\b(?:für|fuer|an|for|to)\s+(?:die\s+|den\s+|das\s+|the\s+)?(?P<t>[^\W\d][\w&'.-]*"
        r"(?:\s+[^\W\d][\w&'.-]*){0,3}?)(?=\s*(?:[,.!:;]|$|\bwar\b|\bwas\b|\bist\b|\bis\b|—|-))",
        r"^\s*(?:die\s+|der\s+|das\s+|the\s+)?(?P<t>[^\W\d][\w&'.-]*(?:\s+[^\W\d][\w&'.-]*){0,3}?)"
        r"\s*(?::|\bwar\b|\bwas\b|\bist\b|\bis\b|\bhat\b|\bhas\b|-|—|,)",
    ]
    for pattern in patterns:
        t = re.search(pattern, lowered)
        if t:
            candidate = clean_name(text[t.start("t") : t.end("t")])
            if candidate and candidate.lower() not in ("ich", "i", "es", "it", "das", "that"):
                target = candidate
                rest = _without(text, [(t.start("t"), t.end("t"))])
                break
    if target is None:
        return None
    comment = re.sub(
        r"(?i)(?:^|\s)(?:die|der|das|the|war|was|ist|is|für|fuer|for|an|to|gebe|give|ich|i|"
        r"geb|i'd|would|insgesamt|overall|von mir|from me)(?=\s|$|[,.!:;])",
        " ",
        rest,
    )
    comment = re.sub(r"[\s,.;:!—-]+", " ", comment).strip()
    comment = re.sub(r"[^\w\s'äöüß]+", "", comment).strip()
    return {"type": "rate", "target": target, "stars": stars, "comment": comment or None}


# --- food order -----------------------------------------------------------------------------

ORDER = re.compile(
    r"^\s*(?:kannst\s+du\s+|bitte\s+|lass\s+uns\s+|let'?s\s+|please\s+|pls\s+|can\s+you\s+|"
    r"ich\s+)?(?:bestell|bestelle|bestellt|order|ordering|get\s+us)\b(?:\s+(?:uns|mir|mal|bitte|"
    r"us|me|please))*\s+(?P<rest>.+)$"
)
FOOD = re.compile(
    r"\b(?:pizz\w*|burger\w*|döner\w*|doener|dürüm|sushi|pommes|fries|pasta|curry\w*|"
    r"nudeln|salat\w*|salad\w*|falafel|wrap\w*|nuggets|tacos?|burrito\w*|kebab\w*|lasagne|"
    r"calzone|margherita|salami|tonno|funghi|hawaii|menü\w*|bowl\w*|ramen|pho|essen|food)\b"
)


def _read_food_order(clause: Clause, ctx: Context, when: When | None) -> Intent | None:
    low = clause.low
    m = ORDER.search(low)
    if m is None:
        if not re.search(r"\b(?:bestellen|order)\b", low) or not FOOD.search(low):
            return None
        m = re.search(r"\b(?:uns\s+)?(?P<rest>.+?)\s+(?:bestellen|order)\b", low)
        if m is None:  # pragma: no cover
            return None
    if not FOOD.search(low):
        return None
    spans = list(when.spans) if when else []
    rest_start = m.start("rest")
    text = _without(clause.text, spans)
    lowered = _without(low, spans)
    merchant = None
    mm = re.search(
        r"\b(?:bei|beim|von|vom|from|at)\s+(?:der\s+|dem\s+|the\s+)?(?P<m>[^\W\d][\w'&.-]*"
        r"(?:\s+(?:da|de|di|la|il|[^\W\d][\w'&.-]*)){0,2}?)(?=\s*(?:[,.!?]|$|\bfür\b|\bfor\b|"
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


# --- appointment ----------------------------------------------------------------------------

SERVICES = re.compile(
    r"\b(haarschnitt|haare\s+schneiden|schneiden|färben|strähnchen|bart\w*|maniküre|"
    r"pediküre|massage|kosmetik|waschen\s+(?:und|&)\s+föhnen|föhnen|haircut|hair\s*cut|"
    r"trim|colou?ring|dye|manicure|pedicure|beard\s+trim|shave|blow\s*dry|cut)\b"
)
APPOINTMENT = re.compile(r"\b(termin|appointment|buch\w*|book|reservier\w*|vereinbar\w*)\b")


def _read_appointment(clause: Clause, ctx: Context, when: When | None) -> Intent | None:
    low = clause.low
    if when is None or not (APPOINTMENT.search(low) or SERVICES.search(low)):
        return None
    if not re.search(r"\btermin\b|\bappointment\b", low) and not SERVICES.search(low):
        return None
    if re.search(r"\b(?:tisch|table)\b", low):
        return None
    service_match = SERVICES.search(low)
    if service_match:
        service = clean_name(clause.text[service_match.start(1) : service_match.end(1)])
    else:
        service = "appointment" if ctx.english else "Termin"
    lowered = _without(low, when.spans)
    merchant = None
    mm = re.search(
        r"\b(?:bei|beim|at|at\s+the|im|in\s+der|in\s+the)\s+(?:der\s+|dem\s+|the\s+)?"
        r"(?P<m>[^\W\d][\w'&.-]*(?:\s+[^\W\d][\w'&.-]*){0,2}?)"
        r"(?=\s*(?:[,.!?]|$|\bfür\b|\bfor\b|\bum\b|\bam\b|\bon\b|\bbuchen\b|\bmachen\b|\bto\b|"
        r"\bvereinbaren\b|\bholen\b|\bbitte\b|\bplease\b|\b(?:haarschnitt|haircut)\b))",
        lowered,
    )
    if mm:
        merchant = clean_name(clause.text[mm.start("m") : mm.end("m")])
    return {
        "type": "book_appointment",
        "service": service,
        "merchant": merchant,
        "start": iso(when.start),
    }


# --- tasks and claims -----------------------------------------------------------------------

EQUIPMENT = re.compile(
    r"\b(?:grill\w*|lautsprecher|musikbox|box|boxen|musik|speaker\w*|pavillon|tisch\w*|"
    r"stühle|stuhl|decke\w*|picknickdecke|geschirr|besteck|spiele?|ball|fußball|gitarre|"
    r"zelt|kühlbox|kühltasche|auto|anhänger|pavilion|table\w*|chairs?|blankets?|games?|"
    r"tent|cooler|guitar|music|plates|cutlery|car|umbrella|sonnenschirm|lichterkette|"
    r"fairy\s+lights|deko\w*|decorations?|kamera|camera|schirm|bierbänke|bierbank\w*|"
    r"holz\w*|feuerholz|firewood|zange|tongs|anzünder|lighter)\b"
)
TASK_VERBS_DE = (
    r"mitbringen|bringen|machen|organisieren|liefern\s+lassen|abholen|holen|besorgen|kaufen|"
    r"vorbereiten|aufbauen|abbauen|reservieren|buchen|anrufen|kümmern|backen|kochen|"
    r"schreiben|einladen|mixen|mitnehmen|putzen|fahren|bestellen|übernehmen|checken|"
    r"klären|fragen|aufräumen|spülen|marinieren|schnippeln|grillen|planen|vorbeibringen"
)


def _title_case_first(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _de_task_title(phrase: str) -> str:
    """ "die Getränke liefern lassen" -> "Getränke liefern lassen"."""
    phrase = re.sub(
        r"(?i)\b(?:der|die|das|den|dem|des|ein|eine|einen|einem|bitte|noch|mal|auch|"
        r"vielleicht|eventuell|morgen|heute|schon|dann|so|ja|doch|eben|kurz|gerne?|"
        r"dich|dir|euch)\b",
        " ",
        phrase,
    )
    return _title_case_first(_squash(phrase).strip(" ,.!?"))


def _en_task_title(phrase: str) -> str:
    phrase = re.sub(
        r"(?i)\b(?:the|a|an|some|please|pls|also|too|maybe|just|our|your|my|later|today|"
        r"tomorrow|then)\b",
        " ",
        phrase,
    )
    return _squash(phrase).strip(" ,.!?")


def _de_separable(verb: str, rest: str) -> tuple[str, str]:
    """ "bring ... mit" -> ("mitbringen", "..."), "mach ..." -> ("machen", "...")."""
    particles = ("mit", "ab", "vorbei", "an", "auf", "ein", "vor", "zusammen", "raus", "her")
    rest = rest.strip()
    m = re.search(r"\s(" + "|".join(particles) + r")\s*$", " " + rest)
    stem = {
        "bring": "bringen", "bringe": "bringen", "bringt": "bringen", "mach": "machen",
        "mache": "machen", "macht": "machen", "hol": "holen", "hole": "holen", "holt": "holen",
        "nehm": "nehmen", "nehme": "nehmen", "nimmt": "nehmen", "bau": "bauen",
        "baue": "bauen", "baut": "bauen", "kümmer": "kümmern", "kümmere": "kümmern",
        "back": "backen", "backe": "backen", "backt": "backen", "koch": "kochen",
        "koche": "kochen", "kocht": "kochen", "organisier": "organisieren",
        "organisiere": "organisieren", "organisiert": "organisieren", "ruf": "rufen",
        "rufe": "rufen", "ruft": "rufen", "fahr": "fahren", "fahre": "fahren",
        "fährt": "fahren", "lade": "laden", "lad": "laden", "lädt": "laden",
        "reservier": "reservieren", "reserviere": "reservieren", "reserviert": "reservieren",
        "besorg": "besorgen", "besorge": "besorgen", "besorgt": "besorgen",
        "kauf": "kaufen", "kaufe": "kaufen", "kauft": "kaufen", "übernehm": "übernehmen",
        "übernehme": "übernehmen", "übernimmt": "übernehmen", "plane": "planen",
        "plan": "planen", "plant": "planen", "mixe": "mixen", "mix": "mixen", "mixt": "mixen",
    }.get(verb, verb)  # fmt: skip
    if m:
        return m[1] + stem, rest[: len(rest) - len(m.group(0)) + 1].strip()
    return stem, rest


CLAIM_DE = re.compile(
    r"^(?:(?:ok|okay|gut|alles\s+klar|klar|also|dann|jo|ja)[\s,]+)?(?:(?P<who>ich|"
    r"{names})\s+)?(?P<verb>kaufe|kauf|kauft|hole|hol|holt|besorge|besorg|besorgt|übernehme|"
    r"übernehm|übernimmt|nehme|nehm|nimmt|bringe|bring|bringt|bestelle|bestell|bestellt|"
    r"kümmere\s+mich\s+um|kümmer\s+mich\s+um|kümmert\s+sich\s+um|mache|mach|macht|"
    r"lasse|lass|lässt|organisiere|organisier|organisiert)\b(?:\s+(?:ich|mich))?\s+(?P<rest>.+)$"
)
CLAIM_EN = re.compile(
    r"^(?:(?:ok|okay|alright|sure|cool|great|fine)[\s,]+)?(?P<who>i|{names})(?:'ll|\s+will|"
    r"\s+can|\s+could|'m\s+going\s+to|\s+am\s+going\s+to|\s+is\s+going\s+to|\s+gonna|\s+'ll)?"
    r"\s+(?P<verb>get|gets|getting|buy|buys|buying|grab|grabs|pick\s+up|picks\s+up|bring|"
    r"brings|bringing|take\s+care\s+of|takes\s+care\s+of|handle|handles|cover|covers|order|"
    r"orders|make|makes|do|does|organi[sz]e|organi[sz]es|sort\s+out|sorts\s+out|"
    r"have|has|set\s+up|sets\s+up)\s+(?P<rest>.+)$"
)


BUYING = r"(?:kauf|hol|besorg|get|buy|grab|pick)"


def _mode_and_merchant(low: str, text: str, offset: int) -> tuple[str | None, str | None, str]:
    """The fulfilment mode, merchant and the item part of `low` (a claim's rest)."""
    mode = None
    if re.search(r"\b(?:packstation|paketstation|schließfach|locker|abholstation)\w*", low):
        mode = "locker"
    elif re.search(r"\b(?:liefern|lieferung|geliefert|deliver\w*|delivery|bestell\w*|order\w*)\b",
                   low):  # fmt: skip
        mode = "delivery"
    merchant = None
    m = re.search(
        r"\b(?:beim|bei|im|in\s+der|vom|von|at|at\s+the|from|from\s+the|in\s+the)\s+"
        r"(?:der\s+|dem\s+|the\s+)?(?P<m>[^\W\d][\w'&.-]*(?:\s+[^\W\d][\w'&.-]*){0,2}?)"
        r"(?=\s*(?:[,.!?]|$|\bmit\b|\bab\b|\bund\b|\band\b|\bein\b|\bon\b|\bfür\b|\bfor\b|"
        r"\bliefern\b|\bdeliver\w*\b|\bkaufen\b|\bholen\b|\bbesorgen\b|\bbestellen\b|"
        r"\bmorgen\b|\bheute\b|\btomorrow\b|\btoday\b|\bon\s+the\s+way\b))",
        low,
    )
    item_part = low
    if m and not re.match(r"(?:packstation|locker|schließfach|paketstation)", m["m"]):
        merchant = clean_name(text[offset + m.start("m") : offset + m.end("m")])
        item_part = _without(low, [(m.start(), m.end())])
        if mode is None and re.search(r"\b" + BUYING + r"\w*\b", low):
            mode = "store"
    return mode, merchant, item_part


def _claim_what(item_part: str, text: str) -> list[str] | str:
    cleaned = re.sub(
        r"(?i)\b(?:ab|mit|liefern|lassen|geliefert|bestellen|kaufen|holen|besorgen|mitbringen|"
        r"delivered|deliver|to\s+the\s+locker|an\s+die\s+packstation|in\s+die\s+packstation|"
        r"zur\s+packstation|packstation|paketstation|locker|nach\s+hause|home|online|heute|"
        r"morgen|tomorrow|today|schon|gerne?|dann|auch|einfach|mal|on\s+the\s+way|"
        r"on\s+my\s+way|for\s+us|für\s+uns|for\s+everyone|für\s+alle)\b",
        " ",
        item_part,
    )
    if re.search(r"\b(?:alles|everything|den\s+rest|the\s+rest|rest|all\s+of\s+it|all)\b",
                 cleaned):  # fmt: skip
        return "all"
    names = []
    for piece in re.split(r"\s*(?:,|\bund\b|\band\b|&|\+)\s*", cleaned):
        name = clean_name(piece)
        if name:
            names.append(name)
    return names


def _original(text: str, low_piece: str) -> str:
    """The piece of `text` that `low_piece` (a lower-cased substring) came from."""
    i = text.lower().find(low_piece)
    return text[i : i + len(low_piece)] if i >= 0 else low_piece


def _restore_case(names: list[str] | str, text: str) -> list[str] | str:
    if isinstance(names, str):
        return names
    return [_original(text, n.lower()) for n in names]


def _read_claim_or_own_task(clause: Clause, ctx: Context, when: When | None) -> Intent | None:
    names = _names_pattern(ctx)
    low = _squash(_without(clause.low, when.spans if when else ()))
    text = _squash(_without(clause.text, when.spans if when else ()))
    low = low.strip(" !.")
    text = text.strip(" !.")
    if low.endswith("?"):
        return None
    low = re.sub(r"[^\w\s'&+,.-]", " ", low)
    low = _squash(low)
    english = ctx.english
    m = (CLAIM_EN if english else CLAIM_DE).pattern.replace("{names}", names)
    match = re.search(m, low)
    if match is None:
        return None
    who_word = match["who"] or "ich"
    who = "me" if who_word in ("ich", "i") else who_word
    verb = match["verb"]
    rest = match["rest"]
    if verb in ("lasse", "lass", "lässt") and not re.search(r"\bliefern\b", rest):
        return None
    if verb in ("mache", "mach", "macht", "make", "makes", "do", "does") and not EQUIPMENT.search(
        rest
    ):
        # "ich mach den Salat": a to-do the speaker takes
        return _own_task(verb, rest, who, ctx, when)
    if EQUIPMENT.search(rest) and not re.search(r"\bkohle\b|\bcharcoal\b|\bgrillkohle\b", rest):
        return _own_task(verb, rest, who, ctx, when)
    offset = text.lower().find(rest)
    mode, merchant, item_part = _mode_and_merchant(rest, text, max(offset, 0))
    if verb.startswith(("bestell", "order")) and mode is None:
        mode = "delivery"
    if mode is None and merchant is not None and re.match(BUYING, verb):
        mode = "store"
    what = _claim_what(item_part, text)
    if not what:
        return None
    return {
        "type": "claim",
        "who": who,
        "what": _restore_case(what, text),
        "merchant": merchant,
        "mode": mode,
    }


def _own_task(verb: str, rest: str, who: str, ctx: Context, when: When | None) -> Intent:
    if ctx.english:
        base = {"brings": "bring", "bringing": "bring", "makes": "make", "does": "do",
                "gets": "get", "getting": "get", "handles": "handle", "sets up": "set up",
                "has": "have", "takes care of": "take care of"}.get(verb, verb)  # fmt: skip
        title = _en_task_title(f"{base} {rest}")
    else:
        infinitive, obj = _de_separable(verb.split()[0], rest)
        title = _de_task_title(f"{obj} {infinitive}")
    return {
        "type": "add_task",
        "tasks": [{"title": title, "assignee": who, "due": _due(when)}],
    }


def _due(when: When | None) -> str | None:
    return iso(when.start) if when is not None else None


ASK_DE = re.compile(
    r"^(?:@?(?P<name>{names})\s*[,:]?\s+)?(?:kannst|könntest|koenntest|magst|würdest|"
    r"wuerdest|willst)\s+du\s+(?:bitte\s+|mal\s+|vielleicht\s+|eventuell\s+)*(?P<rest>.+?)"
    r"(?:\s*,?\s*(?P<name2>{names}))?\s*\??$"
)
ASK_EN = re.compile(
    r"^(?:@?(?P<name>{names})\s*[,:]?\s+)?(?:can|could|would|will)\s+you\s+(?:please\s+|"
    r"maybe\s+)*(?P<rest>.+?)(?:\s*,?\s*(?P<name2>{names}))?\s*\??$"
)
IMPERATIVE_EN = re.compile(
    r"^@?(?P<name>{names})\s*[,:]?\s+(?:please\s+|pls\s+)?(?P<rest>(?:bring|get|make|buy|"
    r"pick\s+up|grab|order|book|call|organi[sz]e|set\s+up|take\s+care\s+of|handle|prepare|"
    r"do)\b.+?)\s*[.!]*$"
)
IMPERATIVE_DE = re.compile(
    r"^@?(?P<name>{names})\s*[,:]?\s+(?:bitte\s+)?(?P<verb>bring|bringst|mach|machst|hol|holst|"
    r"besorg|besorgst|kümmer|kümmerst|organisier|organisierst|ruf|rufst|back|backst|"
    r"kauf|kaufst)\b(?:\s+du)?(?:\s+bitte)?\s+(?P<rest>.+?)\s*[.!]*$"
)
WHO_DE = re.compile(
    r"^(?:und\s+)?wer\s+(?P<verb>macht|bringt|besorgt|kümmert\s+sich\s+um|übernimmt|"
    r"organisiert|holt|kauft|backt|kocht|kann|könnte|will|mag|ist\s+für)\s+(?P<rest>.+?)\s*\??$"
)
WHO_EN = re.compile(
    r"^(?:and\s+)?(?:who(?:'s|\s+is|\s+will|\s+can|\s+could|\s+wants\s+to)?|someone\s+"
    r"(?:needs\s+to|has\s+to|should|must|gotta)|somebody\s+(?:needs\s+to|has\s+to|should)|"
    r"we\s+need\s+someone\s+to)\s+(?P<rest>(?:bring|bringing|make|making|get|getting|"
    r"organi[sz]e|organi[sz]ing|do|doing|handle|handling|take\s+care\s+of|taking\s+care\s+of|"
    r"pick\s+up|picking\s+up|book|booking|call|calling|set\s+up|setting\s+up|prepare|"
    r"preparing|buy|buying|cook|cooking|bake|baking|clean|cleaning)\b.+?)\s*[?.!]*$"
)


def _read_task(clause: Clause, ctx: Context, when: When | None) -> Intent | None:
    names = _names_pattern(ctx)
    low = _squash(re.sub(r"[^\w\s'?,.:@-]", " ", _without(clause.low, when.spans if when else ())))
    low = low.strip(" .!")
    if ctx.english:
        for pattern in (ASK_EN, IMPERATIVE_EN):
            m = re.search(pattern.pattern.replace("{names}", names), low)
            if m and (m["name"] or (m.groupdict().get("name2"))):
                who = m["name"] or m.groupdict().get("name2")
                rest = m["rest"]
                if re.match(r"(?:come|make\s+it|join|be\s+there)\b", rest):
                    return None
                rest = re.sub(r"^(?:please\s+)", "", rest)
                return _task(_en_task_title(_en_gerund(rest)), who, when)
        m = WHO_EN.search(low)
        if m:
            return _task(_en_task_title(_en_gerund(m["rest"])), None, when)
        return None
    m = re.search(ASK_DE.pattern.replace("{names}", names), low)
    if m and (m["name"] or m["name2"]):
        who = m["name"] or m["name2"]
        rest = m["rest"]
        if re.match(r"(?:kommen|dabei\s+sein|mitkommen)\b", rest):
            return None
        return _task(_de_task_title(rest), who, when)
    m = re.search(IMPERATIVE_DE.pattern.replace("{names}", names), low)
    if m:
        verb = m["verb"].rstrip("st") if m["verb"].endswith("st") else m["verb"]
        infinitive, obj = _de_separable(verb, m["rest"])
        return _task(_de_task_title(f"{obj} {infinitive}"), m["name"], when)
    m = WHO_DE.search(low)
    if m:
        verb = m["verb"]
        rest = m["rest"]
        if verb in ("kann", "könnte", "will", "mag"):
            if re.match(r"(?:kommen|mitkommen|dabei\s+sein|mit)\b", rest) or not re.search(
                r"\b(?:" + TASK_VERBS_DE + r")\b", rest
            ):
                return None
            return _task(_de_task_title(rest), None, when)
        if verb == "ist für":
            return _task(_de_task_title(re.sub(r"\s+zuständig$", "", rest)), None, when)
        infinitive, obj = _de_separable(
            {
                "macht": "mach",
                "bringt": "bring",
                "besorgt": "besorg",
                "übernimmt": "übernehm",
                "organisiert": "organisier",
                "holt": "hol",
                "kauft": "kauf",
                "backt": "back",
                "kocht": "koch",
            }.get(verb, "kümmern"),  # fmt: skip
            rest,
        )
        if infinitive == "kümmern":
            return _task(_de_task_title(f"um {obj} kümmern"), None, when)
        return _task(_de_task_title(f"{obj} {infinitive}"), None, when)
    return None


def _en_gerund(rest: str) -> str:
    words = rest.split(" ", 1)
    verb = words[0]
    if verb.endswith("ing") and len(verb) > 5:
        base = verb[:-3]
        if base.endswith(("k", "v", "r", "z")) and base + "e" in (
            "make", "bake", "take", "organise", "organize", "prepare", "have",
        ):  # fmt: skip
            base += "e"
        elif len(base) > 2 and base[-1] == base[-2]:
            base = base[:-1]
        words[0] = base
    return " ".join(words)


def _task(title: str, assignee: str | None, when: When | None) -> Intent | None:
    if not title or not re.search(r"[^\W\d_]", title):
        return None
    return {
        "type": "add_task",
        "tasks": [{"title": title, "assignee": assignee, "due": _due(when)}],
    }


# --- shopping items -------------------------------------------------------------------------

ITEMS_DE = re.compile(
    r"(?:^|\b)(?:wir\s+)?(?:brauchen|brauch(?:e|t)?|benötigen)\s+(?:(?:auf\s+jeden\s+fall|"
    r"unbedingt|dann|auch|bitte|also|nur|mindestens|wohl|so)\s+)*(?:noch\s+)?(?P<rest>.+)$|"
    r"^(?:bitte\s+)?(?:kauft|besorgt|holt|kaufen|besorgen)\s+(?:bitte\s+)?(?:noch\s+)?(?P<rest2>.+)$|"
    r"^(?:auf\s+die\s+(?:einkaufs)?liste|einkaufsliste|liste|einkauf)\s*:?\s*(?P<rest3>.+)$|"
    r"^(?:bitte\s+)?(?:noch|und\s+noch|plus)\s+(?P<rest4>.+)$|"
    r"^(?P<rest5>.+?)\s+(?:auf\s+die\s+(?:einkaufs)?liste|mit\s+auf\s+die\s+liste|"
    r"(?:setzen|schreiben|packen)\s+auf\s+die\s+liste)\b.*$|"
    r"^(?:es\s+)?fehl(?:t|en)\s+(?:noch\s+)?(?P<rest6>.+)$"
)
ITEMS_EN = re.compile(
    r"(?:^|\b)(?:we|i)\s+(?:still\s+|also\s+|really\s+|will\s+|'ll\s+)*(?:need|needs)\s+"
    r"(?:to\s+(?:get|buy)\s+)?(?:some\s+more\s+)?(?P<rest>.+)$|"
    r"^(?:please\s+|pls\s+)?(?:buy|get|grab|pick\s+up)\s+(?:some\s+)?(?P<rest2>.+)$|"
    r"^(?:add|put)\s+(?P<rest5>.+?)\s+(?:to|on)\s+(?:the\s+)?(?:shopping\s+)?list\b.*$|"
    r"^(?:shopping\s+list|list|add)\s*:?\s*(?P<rest3>.+)$|"
    r"^(?:also|plus|and\s+also)\s+(?P<rest4>.+)$|"
    r"^(?:still\s+)?(?:missing|need|needed)\s*:?\s+(?P<rest6>.+)$|"
    r"^(?:don'?t\s+forget|do\s+not\s+forget)\s+(?:the\s+)?(?P<rest7>.+)$"
)


def _read_items(clause: Clause, ctx: Context) -> Intent | None:
    low = clause.low.strip()
    if low.rstrip(" !.").endswith("?") and not re.search(r"\bbrauchen\s+wir\b", low):
        return None
    pattern = ITEMS_EN if ctx.english else ITEMS_DE
    m = pattern.search(low)
    if m is None:
        m = (ITEMS_DE if ctx.english else ITEMS_EN).search(low)
        if m is None:
            return None
    group = next(g for g in m.groupdict() if m[g] is not None)
    start, end = m.start(group), m.end(group)
    phrase = clause.text[start:end]
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
    return {"type": "add_items", "items": items}


# --- events ---------------------------------------------------------------------------------

ACTIVITIES = re.compile(
    r"\b(grillen|grillabend|grillparty|grillfest|angrillen|grill\s*&\s*chill|party|"
    r"feier|geburtstagsfeier|geburtstagsparty|geburtstag|spieleabend|filmabend|"
    r"serienabend|kinoabend|kino|brunch|frühstück|frühstücken|abendessen|mittagessen|"
    r"essen\s+gehen|essen|kochen|kochabend|picknick|raclette|fondue|weihnachtsfeier|"
    r"silvesterparty|silvester|feierabendbier|bier|wandern|wanderung|radtour|fußball|"
    r"bowling|minigolf|karaoke|konzert|sauna|schwimmen|joggen|laufen|stammtisch|"
    r"umtrunk|einweihungsparty|einweihung|treffen|sushi|pizza|döner|"
    r"barbecue|bbq|cookout|dinner|lunch|breakfast|picnic|game\s+night|games\s+night|"
    r"movie\s+night|movies|movie|drinks|beers|hike|hiking|football|soccer|"
    r"housewarming|birthday\s+party|birthday|christmas\s+party|karaoke|bowling|"
    r"potluck|get-together|hangout|meetup|meet\s+up|coffee|kaffee|kaffee\s+und\s+kuchen)\b"
)
EVENT_TITLES = {
    "barbecue": "Barbecue", "bbq": "Barbecue", "cookout": "Barbecue",
    "game night": "Game night", "games night": "Game night", "movie night": "Movie night",
    "meet up": "Meetup", "meetup": "Meetup", "get-together": "Get-together",
    "hangout": "Hangout", "birthday party": "Birthday party", "christmas party":
    "Christmas party", "essen gehen": "Essen gehen", "grill & chill": "Grill & Chill",
    "movies": "Movies", "movie": "Movie", "kaffee und kuchen": "Kaffee und Kuchen",
}  # fmt: skip
EVENT_CUE = re.compile(
    r"\b(?:lass(?:t)?\s+uns|wollen\s+wir|wolln\s+wir|sollen\s+wir|sollten\s+wir|wer\s+hat\s+lust|"
    r"hat\s+jemand\s+lust|habt\s+ihr\s+lust|lust\s+auf|wie\s+wär'?s|wie\s+wäre\s+es|"
    r"treffen\s+wir\s+uns|wir\s+treffen\s+uns|lass\s+mal|let'?s|shall\s+we|should\s+we|"
    r"how\s+about|wanna|want\s+to|who'?s\s+up\s+for|anyone\s+up\s+for|are\s+you\s+up\s+for|"
    r"we\s+could|wir\s+könnten|ich\s+lade\s+euch|i'?m\s+hosting|come\s+over|kommt\s+vorbei|"
    r"you'?re\s+invited|ihr\s+seid\s+eingeladen|bei\s+mir|bei\s+uns|at\s+my\s+place|"
    r"at\s+mine|at\s+ours|at\s+our\s+place|ich\s+mache|ich\s+mach|i'?m\s+throwing|"
    r"we'?re\s+having|wir\s+machen|machen\s+wir|feiern\s+wir|grillen\s+wir|gehen\s+wir|"
    r"let\s+us|party|feier|treffen|meet)\b"
)
PLACE = re.compile(
    r"(?:^|\s)(?P<prep>im|in\s+der|in\s+den|ins|in|am|an\s+der|an\s+die|beim|bei|auf\s+dem|"
    r"auf\s+der|at\s+the|at|in\s+the|on\s+the|by\s+the|near\s+the|zum|zur)\s+"
    r"(?P<place>[^\W\d][\w'&.-]*(?:\s+[^\W\d][\w'&.-]*){0,3}?)"
    r"(?=\s*(?:$|[,.!?;:()]|\b(?:grillen|feiern|treffen|essen|kochen|picknicken|chillen|"
    r"spielen|zocken|schauen|gucken|anstoßen|trinken|frühstücken|brunchen|machen|gehen|"
    r"veranstalten|starten|abhängen|for|to|with|mit|und|and|or|oder|um|at|on|ab|von|bis|"
    r"from|till|until|the|dann|then|zusammen|together|wer|who|anyone|jemand|lust|"
    r"alle|all|bitte|please|wieder|again|wie|like|nach|after|vor|before)\b))"
)
_NOT_PLACES = re.compile(
    r"^(?:abend|abends|morgen|mittag|nachmittag|wochenende|weekend|evening|morning|afternoon|"
    r"night|nacht|tag|day|zeit|time|mal|start|lust|spaß|fun|jeden\s+fall|first|least|all|"
    r"any|case|same|end|ende|anfang|beginning|samstag|sonntag|freitag|the\s+moment)\b"
)


def _place(clause: Clause, when: When | None, ctx: Context) -> str | None:
    low = _without(clause.low, when.spans if when else ())
    text = _without(clause.text, when.spans if when else ())
    for m in PLACE.finditer(low):
        place_low = m["place"]
        prep = m["prep"]
        if _NOT_PLACES.match(place_low):
            continue
        if prep in ("at", "in", "on the") and re.match(r"(?:\d|noon|night)", place_low):
            continue
        if prep == "bei" or prep == "beim":
            if re.match(r"(?:mir|uns|dir|euch)\b", place_low):
                return "bei " + place_low.split()[0]
            if place_low.split()[0] in ctx.members:
                return "bei " + text[m.start("place") : m.end("place")].split()[0]
        if prep in ("at",) and re.match(r"(?:my|our)\s+(?:place|house|flat|home)", place_low):
            return place_low.split(None, 1)[0] + " place"
        if prep == "at" and place_low in ("mine",):
            return "my place"
        if prep == "at" and place_low in ("ours",):
            return "our place"
        if prep == "in" and not ctx.english and re.match(r"(?:zwei|drei|einer|einem)\b", place_low):
            continue
        if prep == "am" and re.match(r"(?:" + "|".join(
            ["montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag",
             "wochenende"]) + r")", place_low):  # fmt: skip
            continue
        place = clean_name(text[m.start("place") : m.end("place")])
        if not place or ACTIVITIES.fullmatch(place.lower()):
            continue
        if prep in ("zum", "zur") and ctx.locale == "de":
            continue
        return place
    return None


def _event_title(clause: Clause, when: When | None, place: str | None, ctx: Context) -> str:
    low = _without(clause.low, when.spans if when else ())
    m = ACTIVITIES.search(low)
    while (
        m is not None
        and m[1] in ("treffen", "meet up", "party", "bier")
        and ACTIVITIES.search(low, m.end())
    ):
        nxt = ACTIVITIES.search(low, m.end())
        if nxt is None or nxt[1] in ("treffen", "meet up"):
            break
        m = nxt
    if m is not None:
        word = m[1]
        if word in EVENT_TITLES:
            return EVENT_TITLES[word]
        if word == "treffen":
            return "Treffen"
        original = clause.text[m.start(1) : m.end(1)]
        if word == "fußball" and re.search(r"fußball\s+spielen", low):
            return "Fußball spielen"
        return _title_case_first(original if original[:1].isupper() else word)
    cue = re.search(r"\b(?:lass(?:t)?\s+uns|let'?s|wollen\s+wir|shall\s+we)\s+(?P<rest>.+)$", low)
    if cue:
        rest = _squash(re.sub(r"\b(?:im|in|am|beim|bei|at|the|zusammen|together|mal|doch|"
                              r"noch|wieder|again|uns)\b", " ", cue["rest"]))  # fmt: skip
        if place:
            rest = _squash(rest.replace(place.lower(), " "))
        rest = rest.strip(" !?.,")
        if rest and re.search(r"[^\W\d_]", rest) and len(rest.split()) <= 3:
            return _title_case_first(rest)
    return "Meetup" if ctx.english else "Treffen"


def _read_event(clause: Clause, ctx: Context, when: When | None) -> Intent | None:
    if when is None or not (when.has_day or when.has_clock):
        return None
    low = clause.low
    cue = EVENT_CUE.search(low)
    activity = ACTIVITIES.search(_without(low, when.spans))
    if cue is None and activity is None:
        return None
    if re.search(r"^\s*(?:wer|who)\s+(?:kommt|is\s+coming|comes|kommen)\b", low):
        return None
    if re.search(r"\b(?:termin|appointment)\b", low):
        return None
    place = _place(clause, when, ctx)
    return {
        "type": "create_event",
        "title": _event_title(clause, when, place, ctx),
        "start": iso(when.start),
        "end": iso(when.end),
        "place": place,
    }


# --- one clause -----------------------------------------------------------------------------


def read_clause(clause: Clause, ctx: Context) -> list[Intent]:
    when = find_time(clause.low, ctx.now, ctx.zone, english=ctx.english)
    for reader in (_read_rating, _read_expense):
        intent = reader(clause, ctx)
        if intent is not None:
            return [intent]
    for timed in (_read_food_order, _read_appointment):
        intent = timed(clause, ctx, when)
        if intent is not None:
            return [intent]
    event = _read_event(clause, ctx, when)
    if event is not None:
        return [event]
    task = _read_task(clause, ctx, when)
    if task is not None:
        return [task]
    items = _read_items(clause, ctx)
    if items is not None:
        return [items]
    claim = _read_claim_or_own_task(clause, ctx, when)
    if claim is not None:
        return [claim]
    rsvp = _read_rsvp(clause, ctx)
    if rsvp is not None:
        return [rsvp]
    return []


def time_of(clause: Clause, ctx: Context) -> When | None:
    return find_time(clause.low, ctx.now, ctx.zone, english=ctx.english)
