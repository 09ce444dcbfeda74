"""RSVPs and appointments (docs/assistant-understanding.md, "RSVP", "Appointments")."""

from __future__ import annotations

import re

from kosmos.assistant.clauses import Clause
from kosmos.assistant.grammar_common import Context, Intent, iso, squash, without
from kosmos.assistant.items import clean_name
from kosmos.assistant.when import When
from kosmos.assistant.words import PAST_WORDS

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
    r"\bkann\s+(?:ich\s+)?(?:leider\s+)?(?:nicht|net|nich)\b|"
    r"\bich\s+kann\s+(?:da\s+)?(?:leider\s+)?nicht\b|"
    r"\bbin\s+(?:leider\s+)?raus\b|\bohne\s+mich\b|\bschaff(?:e|')?s?\s+(?:ich\s+)?(?:es\s+)?"
    r"(?:leider\s+)?nicht\b|\bbin\s+(?:leider\s+)?nicht\s+dabei\b|\bkomme?\s+(?:leider\s+)?"
    r"nicht\b|\bmuss\s+(?:leider\s+)?absagen\b|\bsage\s+ab\b|\bcan'?t\s+(?:make\s+it|come|"
    r"join)\b|\bcannot\s+(?:make\s+it|come)\b|\bi'?m\s+out\b|\bcount\s+me\s+out\b|"
    r"\bwon'?t\s+(?:make\s+it|be\s+there|come)\b|\bnot\s+coming\b|\bwill\s+not\s+make\b"
)
RSVP_MAYBE = re.compile(
    r"^(?:ich\s+)?(?:weiß|weiss)\s+(?:es\s+)?noch\s+nicht\b|^mal\s+(?:sehen|schauen|gucken)\b|"
    r"^vielleicht\b(?:\s+(?:komme?\s+ich|bin\s+ich\s+dabei|später))?\s*[.!]*$|^eventuell\b\s*$|"
    r"^evtl\.?\s*$|^maybe\b(?:\s+i'?ll\s+come|\s+later)?\s*[.!]*$|\bnot\s+sure\s+yet\b|^we'?ll\s+see\b|"
    r"\bmight\s+(?:come|make\s+it)\b|\bvielleicht\s+(?:komme?\s+ich|bin\s+ich\s+dabei)\b|"
    r"\bweiß\s+noch\s+nicht\s+ob\s+ich\b|\bunsure\b|\btentative\b|"
    r"^(?:vielleicht|eventuell|evtl|maybe|perhaps)\s*,|"
    r"\bsag(?:e)?\s+(?:euch|dir)\s+(?:noch\s+)?bescheid\b|\bi'?ll\s+let\s+you\s+know\b"
)


def read_rsvp(clause: Clause, ctx: Context) -> Intent | None:
    low = squash(re.sub(r"[^\w\s'?!.,]", " ", clause.low))
    if low.endswith("?"):
        return None
    low = low.strip(" !.,")
    for answer, pattern in (("no", RSVP_NO), ("yes", RSVP_YES), ("maybe", RSVP_MAYBE)):
        if pattern.search(low):
            return {"type": "rsvp", "answer": answer}
    return None


# --- appointment ----------------------------------------------------------------------------

SERVICES = re.compile(
    r"\b(haarschnitt|haare\s+schneiden|schneiden|färben|strähnchen|bart\w*|maniküre|"
    r"pediküre|massage|kosmetik|waschen\s+(?:und|&)\s+föhnen|föhnen|reifenwechsel|ölwechsel|"
    r"inspektion|zahnreinigung|haircut|hair\s*cut|trim|colou?ring|dye|manicure|pedicure|"
    r"beard\s+trim|shave|blow\s*dry|cut|tyre\s+change|tire\s+change|oil\s+change|"
    r"check-?up)\b"
)
APPOINTMENT = re.compile(r"\b(termin|appointment|buch\w*|book|reservier\w*|vereinbar\w*)\b")
# a merchant of this kind is booked, not met: "Reifenwechsel bei Autohaus Berger"
BUSINESS = re.compile(
    r"\b(?:friseur\w*|frisör\w*|salon|\w*studio|praxis|\w*arzt|ärztin|physio\w*|werkstatt|"
    r"autohaus|kosmetik\w*|barber\w*|dentist|doctor|garage|clinic|spa|wellness\w*|"
    r"hairdresser\w*)\b"
)
LEADING_BUSINESS = re.compile(
    r"^\s*(?:der\s+|die\s+|the\s+|zum\s+|to\s+the\s+)?(" + BUSINESS.pattern + r")"
    r"(?=\s*(?:$|[,.!?]|\b(?:termin|appointment)\b|\s{2}))"
)
MERCHANT = re.compile(
    r"\b(?:bei|beim|at|at\s+the|im|in\s+der|in\s+the)\s+(?:der\s+|dem\s+|the\s+)?"
    r"(?P<m>[^\W\d][\w'&.-]*(?:\s+[^\W\d][\w'&.-]*){0,2}?)"
    r"(?=\s*(?:[,.!?]|$|\bfür\b|\bfor\b|\bum\b|\bam\b|\bon\b|\bbuchen\b|\bmachen\b|\bto\b|"
    r"\bvereinbaren\b|\bholen\b|\bbitte\b|\bplease\b|\b(?:haarschnitt|haircut)\b))"
)


def read_appointment(clause: Clause, ctx: Context, when: When | None) -> Intent | None:
    low = clause.low
    if when is None or re.search(r"\b(?:tisch|table)\b", low):
        return None
    if any(w in PAST_WORDS[ctx.locale] for w in low.split()):
        return None  # "war gestern beim Arzt"
    lowered = without(low, when.spans)
    mm = MERCHANT.search(lowered)
    merchant = clean_name(clause.text[mm.start("m") : mm.end("m")]) if mm else None
    asked = re.search(r"termin\b|\bappointment\b", low) is not None
    service_match = SERVICES.search(low)
    business = mm is not None and BUSINESS.search(mm["m"]) is not None
    named = None if mm else LEADING_BUSINESS.search(lowered)
    if named:  # "Friseur am Dienstag um 14 Uhr", "dentist appointment Monday 9am"
        merchant = clean_name(clause.text[named.start(1) : named.end(1)])
        business = True
    # a service word alone is a booking when a merchant is named or it leads the clause
    # ("haircut next Tuesday"); "Ostereier färben in einer Woche" is not one
    if (
        service_match
        and not (asked or mm or APPOINTMENT.search(low))
        and lowered[: service_match.start()].strip()
    ):
        service_match = None
    if not (asked or service_match or business):
        return None
    if service_match:
        service = clean_name(clause.text[service_match.start(1) : service_match.end(1)])
    elif not asked and mm and 0 < len(lowered[: mm.start()].split()) <= 3:
        service = clean_name(clause.text[: mm.start()])
    else:
        service = "appointment" if ctx.english else "Termin"
    return {
        "type": "book_appointment",
        "service": service,
        "merchant": merchant,
        "start": iso(when.start),
    }
