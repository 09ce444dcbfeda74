"""Preparing a message for reading: one lower-cased copy of the same length, the language,
and the split into clauses ("Bin dabei! Ich kaufe das Fleisch" is two)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from kosmos.assistant.words import ENGLISH_MARKERS, GERMAN_MARKERS

WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
SENTENCE_END = re.compile(r"(?:(?<!\d)[.!?…]+(?!\d)|[!?]+|\n+|;)\s*")
ABBREVIATION = re.compile(
    r"(?:\b(?:ca|bzw|evtl|str|nr|dr|st|etc|usw|z\.b|u\.a|inkl|ggf|mr|mrs|vs)|\d)$"
)
# a comma or "und" followed by a new subject starts a new clause
CLAUSE_START = (
    r"(?:ich|i|i'll|ill|i'm|i can|i will|wir|we|we'll|bring|bringe|kauf|kaufe|hol|hole|"
    r"besorg|besorge|mach|mache|übernehm|übernehme|aber|but|bin|count me|und ich|and i|hab|habe)"
)


def lower_same_length(text: str) -> str:
    """`text` lower-cased character by character, so positions carry over."""
    if text.isascii():
        return text.lower()
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = text.replace("’", "'").replace("‘", "'").replace("´", "'").replace("`", "'")
    text = text.replace("„", '"').replace("“", '"').replace("”", '"')
    text = text.replace("\u00a0", " ").replace("\t", " ").replace("\r", "\n")
    if text.isascii() and text.replace("\n", "").isprintable():
        return text  # no control or format characters to drop (the usual case)
    return "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf") or c == "\n")


def detect_locale(text: str) -> str:
    low = lower_same_length(text)
    words = WORD.findall(low)
    german = sum(1 for w in words if w in GERMAN_MARKERS)
    english = sum(1 for w in words if w in ENGLISH_MARKERS)
    german += 2 * sum(1 for c in low if c in "äöüß")
    return "en" if english > german else "de"


@dataclass(frozen=True)
class Clause:
    text: str
    low: str
    start: int  # offset in the whole message


@lru_cache(maxsize=1024)
def _comma_split(members: tuple[str, ...]) -> re.Pattern[str]:
    """Where a new clause starts after a comma or "und", for a chat's members (compiled
    once per chat: left to `re`'s cache, many chats push each other out)."""
    names = "|".join(re.escape(m.lower()) for m in members if m)
    start_words = CLAUSE_START + (r"|(?:" + names + r")(?!\s*(?:und|and|,))" if names else "")
    return re.compile(
        r"\s*(?:,|\bund\b|\band\b|\bdann\b|\bthen\b)\s+(?=(?:" + start_words + r")(?![\w']))"
    )


def split_clauses(text: str, members: tuple[str, ...] = ()) -> list[Clause]:
    low = lower_same_length(text)
    comma_split = _comma_split(members)
    out: list[Clause] = []
    position = 0
    pieces: list[tuple[int, int]] = []
    for m in SENTENCE_END.finditer(low):
        if m.group(0).startswith(".") and ABBREVIATION.search(low[position : m.start()]):
            continue
        pieces.append((position, m.start() + len(m.group(0).rstrip())))
        position = m.end()
    pieces.append((position, len(low)))
    for begin, end in pieces:
        cut = begin
        for m in comma_split.finditer(low, begin, end):
            # never split the first words of a message addressed to someone ("Cem, kannst du")
            if m.start() - cut < 3 or low[cut : m.start()].strip(" @,:") in members:
                continue
            out.append(Clause(text[cut : m.start()], low[cut : m.start()], cut))
            cut = m.end()
        out.append(Clause(text[cut:end], low[cut:end], cut))
    return [c for c in out if c.low.strip()]
