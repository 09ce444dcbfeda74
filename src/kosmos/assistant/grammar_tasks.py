"""Tasks and claims: who does or buys what (docs/assistant-understanding.md, "Tasks",
"Claims")."""

from __future__ import annotations

import re

from kosmos.assistant.clauses import Clause
from kosmos.assistant.grammar_common import (
    Context,
    Intent,
    capitalise,
    iso,
    squash,
    with_names,
    without,
)
from kosmos.assistant.items import clean_name
from kosmos.assistant.when import When

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
# German verb stems of things to do; the inflected forms are read by _de_infinitive
DO_STEMS_DE = (
    r"putz|spül|koch|back|bau|deck|wasch|plan|check|schneid|bereit|räum|schnippel|mix|"
    r"marinier|dekorier"
)
TASK_STEMS_DE = (
    r"mach|bring|hol|besorg|organisier|ruf|kauf|reservier|buch|bestell|frag|kümmer|" + DO_STEMS_DE
)
_IRREGULAR_DE = {
    "nimmt": "nehmen", "nimmst": "nehmen", "nimm": "nehmen", "übernimmt": "übernehmen",
    "übernimmst": "übernehmen", "fährt": "fahren", "fährst": "fahren", "lädt": "laden",
    "lädst": "laden", "lässt": "lassen", "wäscht": "waschen", "wäschst": "waschen",
    "gibt": "geben", "gibst": "geben", "gib": "geben",
}  # fmt: skip
# words a task title leaves out
FILLER_DE = (
    r"der|die|das|den|dem|des|ein|eine|einen|einem|bitte|noch|mal|auch|vielleicht|eventuell|"
    r"morgen|heute|schon|dann|so|ja|doch|eben|kurz|gerne?|dich|dir|euch|danach|nachher|"
    r"später|vorher|zuerst|oder"
)
FILLER_EN = (
    r"the|a|an|some|please|pls|also|too|maybe|just|our|your|my|later|today|tomorrow|then|"
    r"afterwards|after|first|before|right"
)


def _de_infinitive(verb: str) -> str:
    """ "bringst" / "bringt" / "bring" -> "bringen"; "kümmert" -> "kümmern"."""
    if verb in _IRREGULAR_DE:
        return _IRREGULAR_DE[verb]
    stem = re.sub(r"(?:e?st|e?t|e)$", "", verb) if len(verb) > 3 else verb
    if stem.endswith(("er", "el")) and not stem.endswith("ier"):
        return stem + "n"
    return stem + "en"


def _de_task_title(phrase: str) -> str:
    """ "die Getränke liefern lassen" -> "Getränke liefern lassen"."""
    phrase = re.sub(r"(?i)\b(?:" + FILLER_DE + r")\b", " ", phrase)
    return capitalise(squash(phrase).strip(" ,.!?"))


def _en_task_title(phrase: str) -> str:
    phrase = re.sub(r"(?i)\b(?:" + FILLER_EN + r")\b", " ", phrase)
    return squash(phrase).strip(" ,.!?")


def _de_separable(verb: str, rest: str) -> tuple[str, str]:
    """ "bring ... mit" -> ("mitbringen", "..."), "mach ..." -> ("machen", "...")."""
    particles = ("mit", "ab", "vorbei", "an", "auf", "ein", "vor", "zusammen", "raus", "her")
    rest = rest.strip()
    m = re.search(r"\s(" + "|".join(particles) + r")\s*$", " " + rest)
    infinitive = _de_infinitive(verb)
    if m:
        return m[1] + infinitive, rest[: len(rest) - len(m.group(0)) + 1].strip()
    return infinitive, rest


_BASE_ING = frozenset(("bring", "sing", "ring", "swing"))


def _en_base(verb: str) -> str:
    """ "gets" / "getting" / "picks up" -> "get" / "get" / "pick up"."""
    first, _, tail = verb.partition(" ")
    irregular = {"has": "have", "does": "do", "doing": "do", "going": "go", "having": "have"}
    if first in irregular:
        first = irregular[first]
    elif first.endswith("ing") and first not in _BASE_ING:
        base = first[:-3]
        if base + "e" in ("make", "bake", "take", "organise", "organize", "prepare", "handle"):
            base += "e"
        elif len(base) > 2 and base[-1] == base[-2]:
            base = base[:-1]
        first = base
    elif first.endswith("es") and first[:-2] in ("do", "wash", "organis", "organiz"):
        first = first[:-2] + ("e" if first.startswith("organi") else "")
    elif first.endswith("s") and not first.endswith("ss") and len(first) > 3:
        first = first[:-1]
    return f"{first} {tail}".strip()


# --- claims (and to-dos the speaker takes) -------------------------------------------------

_LEAD_DE = r"^(?:(?:ok|okay|gut|alles\s+klar|klar|also|dann|jo|ja|aber|und)[\s,]+)*"
_CLAIM_VERBS_DE = (
    r"kaufe|kauf|kauft|hole|hol|holt|besorge|besorg|besorgt|übernehme|übernehm|übernimmt|"
    r"nehme|nehm|nimmt|bringe|bring|bringt|bestelle|bestell|bestellt|kümmere\s+mich\s+um|"
    r"kümmer\s+mich\s+um|kümmert\s+sich\s+um|mache|mach|macht|lasse|lass|lässt|organisiere|"
    r"organisier|organisiert|(?:" + DO_STEMS_DE + r")(?:e|t)?"
)
CLAIM_DE = re.compile(
    _LEAD_DE + r"(?:(?P<who>ich|{names})\s+)?(?P<verb>" + _CLAIM_VERBS_DE + r")\b"
    r"(?:\s+(?:ich|mich))?\s+(?P<rest>.+)$"
)
# the goods first: "die Getränke lass ich mir bei Flaschenpost liefern"
CLAIM_DE_FRONTED = re.compile(
    _LEAD_DE + r"(?P<front>(?:der|die|das|den)\s+[^,]+?)\s+(?P<verb>lasse|lass|kaufe|kauf|"
    r"hole|hol|besorge|besorg|bestelle|bestell|übernehme|übernehm|nehme|nehm|bringe|bring)"
    r"\s+(?P<who>ich)\b(?P<rest>.*)$"
)
CLAIM_EN = re.compile(
    r"^(?:(?:ok|okay|alright|sure|cool|great|fine|but|and|also|so)[\s,]+)*(?P<who>i|{names})"
    r"(?:'ll|\s+will|\s+can|\s+could|'m\s+going\s+to|\s+am\s+going\s+to|\s+is\s+going\s+to|"
    r"\s+gonna|\s+'ll|'m|'s|\s+am|\s+is)?"
    r"\s+(?P<verb>get|gets|getting|buy|buys|buying|grab|grabs|grabbing|pick\s+up|picks\s+up|"
    r"picking\s+up|bring|brings|bringing|take\s+care\s+of|takes\s+care\s+of|"
    r"taking\s+care\s+of|handle|handles|handling|cover|covers|covering|order|orders|"
    r"ordering|make|makes|making|do|does|doing|organi[sz]e|organi[sz]es|organi[sz]ing|"
    r"sort\s+out|sorts\s+out|sorting\s+out|have|has|set\s+up|sets\s+up|setting\s+up|"
    r"clean|cleans|cleaning|wash|washes|washing|cook|cooks|cooking|bake|bakes|baking|"
    r"prepare|prepares|preparing)\s+(?P<rest>.+)$"
)
# verbs of doing, not buying: "ich putz die Pfännchen", "I'll clean the pans"
DO_VERB = re.compile(
    r"^(?:mach\w*|make|makes|making|do|does|doing|clean\w*|wash\w*|cook\w*|bake|bakes|"
    r"baking|prepar\w*|(?:" + DO_STEMS_DE + r")\w*)$"
)
BUYING = r"(?:kauf|hol|besorg|get|buy|grab|pick)"
LOCKER = r"(?:packstation|paketstation|schließfach|parcel\s+locker|locker|abholstation)"
MERCHANT = re.compile(
    r"\b(?:beim|bei|im|in\s+der|vom|von|at|at\s+the|from|from\s+the|in\s+the)\s+"
    r"(?:der\s+|dem\s+|the\s+)?(?P<m>[^\W\d][\w'&.-]*(?:\s+[^\W\d][\w'&.-]*){0,2}?)"
    r"(?=\s*(?:[,.!?]|$|\bmit\b|\bab\b|\bund\b|\band\b|\bein\b|\bon\b|\bfür\b|\bfor\b|"
    r"\bliefern\b|\bdeliver\w*\b|\bkaufen\b|\bholen\b|\bbesorgen\b|\bbestellen\b|\bnach\b|"
    r"\bto\b|\bum\b|\bmorgen\b|\bheute\b|\btomorrow\b|\btoday\b|\bon\s+the\s+way\b))"
)
NOT_WHAT = re.compile(
    r"\b(?:(?:an|in|zu|zur|to)\s+(?:die\s+|der\s+|the\s+|a\s+)?" + LOCKER + r"|" + LOCKER + r"|"
    r"ab|mit|mir|mich|uns|liefern|lassen|geliefert|bestellen|kaufen|holen|besorgen|mitbringen|"
    r"delivered|deliver|for\s+delivery|zur\s+lieferung|nach\s+hause|home|online|heute|morgen|"
    r"tomorrow|today|schon|gerne?|dann|auch|einfach|mal|on\s+the\s+way|on\s+my\s+way|for\s+us|"
    r"für\s+uns|for\s+everyone|für\s+alle|auf\s+jeden\s+fall|jedenfalls|either\s+way|anyway)\b"
)


def _mode_and_merchant(low: str, text: str) -> tuple[str | None, str | None, str]:
    """The fulfilment mode, merchant and the item part of `low` (a claim's rest)."""
    mode = None
    if re.search(r"\b" + LOCKER + r"\w*", low):
        mode = "locker"
    elif re.search(r"\b(?:liefern|lieferung|geliefert|deliver\w*|delivery|bestell\w*|order\w*)\b",
                   low):  # fmt: skip
        mode = "delivery"
    merchant = None
    m = MERCHANT.search(low)
    item_part = low
    if m and not re.match(LOCKER, m["m"]):
        merchant = clean_name(_original(text, m["m"]))
        item_part = without(low, [(m.start(), m.end())])
        if mode is None and re.search(r"\b" + BUYING + r"\w*\b", low):
            mode = "store"
    return mode, merchant, item_part


def _claim_what(item_part: str) -> list[str] | str:
    cleaned = NOT_WHAT.sub(" ", item_part)
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


def read_claim_or_own_task(clause: Clause, ctx: Context, when: When | None) -> Intent | None:
    low = squash(without(clause.low, when.spans if when else ()))
    text = squash(without(clause.text, when.spans if when else ()))
    low = low.strip(" !.")
    text = text.strip(" !.")
    if low.endswith("?"):
        return None
    low = squash(re.sub(r"[^\w\s'&+,.-]", " ", low))
    if ctx.english:
        match = with_names(CLAIM_EN.pattern, ctx).search(low)
        if match is None:
            return None
        rest = match["rest"]
    else:
        match = with_names(CLAIM_DE.pattern, ctx).search(low)
        if match is not None:
            rest = match["rest"]
        else:
            match = CLAIM_DE_FRONTED.search(low)
            if match is None:
                return None
            rest = f"{match['front']} {match['rest']}"
    who_word = match["who"] or "ich"
    who = "me" if who_word in ("ich", "i") else who_word
    verb = match["verb"]
    if verb in ("lasse", "lass", "lässt") and not re.search(r"\bliefern\b", rest):
        return None
    if verb in ("have", "has") and not re.search(r"\bdeliver", rest):
        return None  # "I have an exam tomorrow"
    if DO_VERB.match(verb.split()[0]) and not EQUIPMENT.search(rest):
        # "ich mach den Salat", "I'll clean the pans": a to-do the speaker takes
        return _own_task(verb, rest, who, ctx, when)
    if EQUIPMENT.search(rest) and not re.search(r"\bkohle\b|\bcharcoal\b|\bgrillkohle\b", rest):
        return _own_task(verb, rest, who, ctx, when)
    mode, merchant, item_part = _mode_and_merchant(rest, text)
    if verb.startswith(("bestell", "order")) and mode is None:
        mode = "delivery"
    if mode is None and merchant is not None and re.match(BUYING, verb):
        mode = "store"
    what = _claim_what(item_part)
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
        title = _en_task_title(f"{_en_base(verb)} {rest}")
    else:
        infinitive, obj = _de_separable(verb.split()[0], rest)
        title = _de_task_title(f"{obj} {infinitive}")
    return {
        "type": "add_task",
        "tasks": [{"title": title, "assignee": who, "due": _due(when)}],
    }


def _due(when: When | None) -> str | None:
    return iso(when.start) if when is not None else None


# --- tasks ----------------------------------------------------------------------------------

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
    r"do|clean|wash|cook|bake|check)\b.+?)\s*[.!?]*$"
)
# "Ben, bring bitte ... mit", "Tom, du machst den Teig oder?", "Tom, machst du ...?"
IMPERATIVE_DE = re.compile(
    r"^@?(?P<name>{names})\s*[,:]?\s+(?:du\s+)?(?:bitte\s+)?(?P<verb>(?:"
    + TASK_STEMS_DE
    + r")(?:e|st)?|nimm|nimmst|übernimmst|fährst)\b(?:\s+du)?(?:\s+bitte)?\s+(?P<rest>.+?)"
    r"(?:\s*,?\s*(?:oder|ok|okay|ja|gell|ne|nicht\s+wahr))?\s*[.!?]*$"
)
WHO_DE = re.compile(
    r"^(?:und\s+)?wer\s+(?P<verb>kümmert\s+sich\s+um|kann|könnte|will|mag|ist\s+für|"
    r"(?:" + TASK_STEMS_DE + r")e?t|übernimmt|nimmt|fährt)\s+(?P<rest>.+?)\s*\??$"
)
WHO_EN = re.compile(
    r"^(?:and\s+)?(?:who(?:'s|\s+is|\s+will|\s+can|\s+could|\s+wants\s+to)?|someone\s+"
    r"(?:needs\s+to|has\s+to|should|must|gotta)|somebody\s+(?:needs\s+to|has\s+to|should)|"
    r"we\s+need\s+someone\s+to)\s+(?P<rest>(?:bring|bringing|make|making|get|getting|"
    r"organi[sz]e|organi[sz]ing|do|doing|handle|handling|take\s+care\s+of|taking\s+care\s+of|"
    r"pick\s+up|picking\s+up|book|booking|call|calling|set\s+up|setting\s+up|prepare|"
    r"preparing|buy|buying|cook|cooking|bake|baking|clean|cleaning|wash|washing)\b.+?)"
    r"\s*[?.!]*$"
)
DEADLINE = re.compile(r"\b(?:bis|by|until|till|spätestens)\s+$")


def _deadline_spans(low: str, when: When | None) -> list[tuple[int, int]]:
    """The time spans, each with the "bis" / "by" that makes it a deadline."""
    spans = []
    for start, end in when.spans if when else ():
        m = DEADLINE.search(low[:start])
        spans.append((m.start() if m else start, end))
    return spans


def read_task(clause: Clause, ctx: Context, when: When | None) -> Intent | None:
    bare = without(clause.low, _deadline_spans(clause.low, when))
    low = squash(re.sub(r"[^\w\s'?,.:@-]", " ", bare)).strip(" .!")
    if ctx.english:
        for pattern in (ASK_EN, IMPERATIVE_EN):
            m = with_names(pattern.pattern, ctx).search(low)
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
    m = with_names(ASK_DE.pattern, ctx).search(low)
    if m and (m["name"] or m["name2"]):
        who = m["name"] or m["name2"]
        rest = m["rest"]
        if re.match(r"(?:kommen|dabei\s+sein|mitkommen)\b", rest):
            return None
        return _task(_de_task_title(rest), who, when)
    m = with_names(IMPERATIVE_DE.pattern, ctx).search(low)
    if m:
        infinitive, obj = _de_separable(m["verb"], m["rest"])
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
        if verb.startswith("kümmert"):
            return _task(_de_task_title(f"um {rest} kümmern"), None, when)
        infinitive, obj = _de_separable(verb, rest)
        return _task(_de_task_title(f"{obj} {infinitive}"), None, when)
    return None


def _en_gerund(rest: str) -> str:
    """ "making the salad" -> "make the salad"."""
    verb, _, tail = rest.partition(" ")
    return f"{_en_base(verb) if verb.endswith('ing') else verb} {tail}".strip()


def _task(title: str, assignee: str | None, when: When | None) -> Intent | None:
    if not title or not re.search(r"[^\W\d_]", title):
        return None
    return {
        "type": "add_task",
        "tasks": [{"title": title, "assignee": assignee, "due": _due(when)}],
    }
