"""Events: a proposal to meet, its title and place (docs/assistant-understanding.md,
"Events").

The title is what is left of the clause once the time, the place, the proposal words
("lass uns", "let's") and filler words are taken out: "Sonntag 18 Uhr Kürbissuppe kochen bei
mir?" -> "Kürbissuppe kochen". A clause with a cue or a known activity is an event; one
without is read as an event only when what is left looks like an activity, not a sentence."""

from __future__ import annotations

import re

from kosmos.assistant.clauses import Clause
from kosmos.assistant.grammar_common import Context, Intent, capitalise, iso, squash, without
from kosmos.assistant.when import When
from kosmos.assistant.words import EDGE_WORDS, NOT_TITLE, PAST_WORDS

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
# titles said differently from how they are written down
TITLE_ALIASES = {
    "barbecue": "Barbecue", "bbq": "Barbecue", "cookout": "Barbecue", "bbq party": "Barbecue",
    "meet": "Meetup", "meet up": "Meetup", "meetup": "Meetup", "treffen": "Treffen",
    "sich treffen": "Treffen", "get-together": "Get-together",
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
# proposal words taken out of the title wherever they stand
PROPOSAL = re.compile(
    r"\b(?:lass(?:t)?\s+uns|wollen\s+wir|wolln\s+wir|sollen\s+wir|sollten\s+wir|"
    r"(?:wer|hat\s+jemand|habt\s+ihr)\s+(?:noch\s+)?lust(?:\s+auf)?|lust\s+auf|"
    r"wie\s+wär'?s\s+mit|wie\s+wäre\s+es\s+mit|wir\s+treffen\s+uns|(?<=treffen)\s+wir\s+uns|"
    r"lass\s+mal|let'?s|let\s+us|shall\s+we|should\s+we|how\s+about|what\s+about|wanna|"
    r"want\s+to|(?:who'?s|anyone|are\s+you)\s+up\s+for|we\s+could|wir\s+könnten|"
    r"ich\s+lade\s+euch\s+(?:ein\s+)?(?:zu[mr]?\s+)?|i'?m\s+(?:hosting|throwing)|"
    r"we'?re\s+having|ich\s+mache?|wir\s+machen|machen\s+wir|come\s+over\s+for|come\s+over|"
    r"kommt\s+vorbei|meeting\s+point|treffpunkt)\b"
)
SYMBOLS = re.compile(r"[^\w\s'&.,!?:;()/-]")
PLACE = re.compile(
    r"(?:^|\s)(?P<prep>in\s+the|at\s+the|on\s+the|by\s+the|near\s+the|im|in\s+der|in\s+den|"
    r"ins|in|am|an\s+der|an\s+die|beim|bei|auf\s+dem|"
    r"auf\s+der|at|zum|zur) "
    r"(?P<place>[^\W\d][\w'&.-]*(?:\s[^\W\d][\w'&.-]*){0,3}?)"
    r"(?=\s*(?:$|[,.!?;:()]|\b(?:grillen|feiern|treffen|essen|kochen|picknicken|chillen|"
    r"spielen|zocken|schauen|gucken|anstoßen|trinken|frühstücken|brunchen|machen|gehen|"
    r"veranstalten|starten|abhängen|for|to|with|mit|und|and|or|oder|um|am|im|in|beim|bei|at|"
    r"on|ab|von|bis|"
    r"from|till|until|the|dann|then|zusammen|together|wer|who|anyone|jemand|lust|"
    r"alle|all|bitte|please|wieder|again|wie|like|nach|after|vor|before)\b))"
)
_NOT_PLACES = re.compile(
    r"^(?:abend|abends|morgen|mittag|nachmittag|wochenende|weekend|evening|morning|afternoon|"
    r"night|nacht|tag|day|zeit|time|mal|start|lust|spaß|fun|jeden\s+fall|first|least|all|"
    r"any|case|same|end|ende|anfang|beginning|the\s+moment)\b"
)
QUESTION = re.compile(
    r"^\s*(?:wer|was|wann|wo|wie|warum|wieso|welche\w*|who|what|when|where|why|how|which)\b"
)


def _place(text: str, low: str, ctx: Context) -> tuple[str, tuple[int, int]] | None:
    """The place named in `low` (time already blanked out) and the span of its phrase."""
    for m in PLACE.finditer(low):
        place_low = m["place"]
        prep = m["prep"]
        if _NOT_PLACES.match(place_low):
            continue
        if prep in ("at", "in", "on the") and re.match(r"(?:\d|noon|night)", place_low):
            continue
        if prep in ("zum", "zur") and not ctx.english:
            continue
        if prep == "in" and re.match(r"(?:zwei|drei|einer|einem)\b", place_low):
            continue
        place = text[m.start("place") : m.end("place")].strip(" .-'")
        if not place or ACTIVITIES.fullmatch(place.lower()):
            continue
        if prep == "bei":  # "bei mir", "bei Anna": said with the preposition
            place = "bei " + place
        return place, (m.start("prep"), m.end("place"))
    return None


def _rest_words(text: str, low: str) -> str:
    """What is left of a clause (time and place blanked) without proposal and edge words."""
    text = without(text, [m.span() for m in PROPOSAL.finditer(low)])
    text = re.sub(r"[!?.;:()]+", " ", text)
    parts = [p for p in re.split(r"\s*,\s*", squash(text)) if p.strip()]
    words = parts[0].split() if parts else []
    while words and words[0].lower() in EDGE_WORDS:
        words.pop(0)
    while words and words[-1].lower() in EDGE_WORDS:
        words.pop()
    return " ".join(words)


def _is_title(rest: str) -> bool:
    words = rest.lower().split()
    return (
        0 < len(words) <= 4
        and not any(w in NOT_TITLE or re.fullmatch(r"(?:ha|he|hi)+h?|x+d+", w) for w in words)
        and bool(re.search(r"[^\W\d_]", rest))
        and not re.search(r"\d", rest)
    )


def _activity_title(low: str) -> str | None:
    m = ACTIVITIES.search(low)
    while m is not None and m[1] in ("treffen", "meet up", "party", "bier"):
        nxt = ACTIVITIES.search(low, m.end())
        if nxt is None or nxt[1] in ("treffen", "meet up"):
            break
        m = nxt
    if m is None:
        return None
    return TITLE_ALIASES.get(m[1], capitalise(m[1]))


def read_event(
    clause: Clause, ctx: Context, when: When | None, *, cue_needed: bool = True
) -> Intent | None:
    """An event, when the clause names a day or a time. With `cue_needed` the clause must
    also carry a proposal cue or a known activity; without, the rest must read as a title."""
    if when is None or not (when.has_day or when.has_clock):
        return None
    low = clause.low
    if re.search(r"^\s*(?:wer|who)\s+(?:kommt|is\s+coming|comes|kommen)\b", low):
        return None
    if re.search(r"\b(?:termin|appointment)\b", low):
        return None
    # a part of the day that is also the activity ("lunch tomorrow?") stays in the title
    spans = [s for s in when.spans if not ACTIVITIES.fullmatch(low[s[0] : s[1]].strip())]
    text = SYMBOLS.sub(" ", without(clause.text, spans))
    bare = SYMBOLS.sub(" ", without(low, spans))
    found = _place(text, bare, ctx)
    place = found[0] if found else None
    if found:
        text, bare = without(text, [found[1]]), without(bare, [found[1]])
    rest = _rest_words(text, bare)
    strong = EVENT_CUE.search(low) is not None or ACTIVITIES.search(bare) is not None
    if cue_needed and not strong:
        return None
    if any(w in PAST_WORDS[ctx.locale] for w in bare.split()):
        return None  # said about an event that is over
    if _is_title(rest):
        title = TITLE_ALIASES.get(rest.lower(), capitalise(rest))
    elif rest and not strong:
        return None
    elif rest:
        title = _activity_title(bare) or ("Meetup" if ctx.english else "Treffen")
    elif place is None and not strong:
        return None
    else:
        title = "Meetup" if ctx.english else "Treffen"
    question = QUESTION.search(low)
    # "was machen wir am Samstag?" asks; "wer hat Lust ...", "wie wär's mit ..." propose
    if question and not (strong and PROPOSAL.match(low, question.start())):
        return None
    return {
        "type": "create_event",
        "title": title,
        "start": iso(when.start),
        "end": iso(when.end),
        "place": place,
    }
