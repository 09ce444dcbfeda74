"""Finding the time a German or English chat message names, and resolving it in a time zone.

`find_time(low, now, tz)` scans a lower-cased message for day, date, clock-time, part-of-day,
relative ("in zwei Stunden") and range ("18-22 Uhr") phrases and resolves them with the
documented defaults (docs/assistant-understanding.md, "Time"). It returns the resolved start
and end and the character spans it used, so the caller can read the rest of the message
(title, place) without them. dateparser was measured first and misread the German forms that
matter here ("Samstag um 18 Uhr" became the 18th, "am 5.12." the year 2119, "morgen Abend"
nothing), so the grammar is our own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from kosmos.assistant.words import (
    DAY_WITHOUT_TIME_HOUR,
    DEFAULT_HOUR,
    MONTHS,
    NUMBER_WORDS,
    PARTS_OF_DAY,
    WEEKDAY_ABBREVIATIONS,
    WEEKDAYS,
)

Span = tuple[int, int]


@dataclass
class Clock:
    hour: int
    minute: int
    meridiem: str | None = None  # "am" / "pm" when said
    next_day: bool = False  # midnight


@dataclass
class Found:
    """What a message says about time, before resolution."""

    day: date | None = None
    weekday: tuple[int, str] | None = None  # (0-6, "plain" | "this" | "next" | "after_next")
    days_ahead: int | None = None
    clock: Clock | None = None
    end_clock: Clock | None = None
    part: str | None = None
    delta: timedelta | None = None
    spans: list[Span] = field(default_factory=list)

    @property
    def anything(self) -> bool:
        return any(
            x is not None
            for x in (self.day, self.weekday, self.days_ahead, self.clock, self.part, self.delta)
        )


@dataclass(frozen=True)
class When:
    start: datetime
    end: datetime | None
    spans: tuple[Span, ...]
    alternatives: tuple[datetime, ...] = ()
    has_day: bool = False
    has_clock: bool = False


_NUM = r"(?:\d{1,2}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
_WD = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_WD_ABBR = "|".join(sorted(WEEKDAY_ABBREVIATIONS, key=len, reverse=True))
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_PART = "|".join(sorted(PARTS_OF_DAY, key=len, reverse=True))
_MER = r"(?:a\.m\.|p\.m\.|am|pm)"
_B = r"(?<![\w])"  # word start
_E = r"(?![\w])"  # word end

_MODIFIER = {
    "diesen": "this", "dieses": "this", "diese": "this", "this": "this", "kommenden": "plain",
    "kommende": "plain", "coming": "plain", "nächsten": "next", "nächste": "next",
    "nächster": "next", "naechsten": "next", "next": "next", "übernächsten": "after_next",
    "übernächste": "after_next", "uebernaechsten": "after_next",
}  # fmt: skip
_MOD = "|".join(sorted(_MODIFIER, key=len, reverse=True))

RE_ISO_DATE = re.compile(_B + r"(\d{4})-(\d{2})-(\d{2})" + _E)
RE_NUM_DATE = re.compile(_B + r"(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2}(?!\d))?")
RE_NAMED_DATE_DE = re.compile(_B + r"(\d{1,2})\.?\s*(?:of\s+)?(" + _MONTH + r")\.?" + _E
                              + r"(?:\s*(\d{4}))?")  # fmt: skip
RE_NAMED_DATE_EN = re.compile(_B + r"(" + _MONTH + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?" + _E
                              + r"(?:,?\s*(\d{4}))?")  # fmt: skip
RE_ORDINAL_DATE_EN = re.compile(_B + r"(\d{1,2})(?:st|nd|rd|th)(?:\s+of)?\s+(" + _MONTH + r")"
                                + _E)  # fmt: skip
RE_WEEKDAY = re.compile(
    _B + r"(?:(" + _MOD + r")\s+)?(?:(?:am|on)\s+)?(" + _WD + r")(s)?"
    r"(?:[\s-]?(morgen|vormittag|mittag|nachmittag|abend|nacht|morning|afternoon|evening|night)s?)?"
    + _E
)
RE_WEEKDAY_ABBR = re.compile(
    _B + r"(" + _WD_ABBR + r")\.?,?\s*(?=\d|(?:um|at|ab|gegen|from)\s+\d|" + _PART + r")"
)
RE_RELATIVE_DAY = re.compile(
    _B + r"(übermorgen|uebermorgen|the day after tomorrow|morgen|tomorrow|heute|today|tonight"
    r"|tmrw|tmr|2morrow)" + _E
)
RE_RELATIVE = re.compile(
    _B
    + r"in\s+(?:(einer halben|einer|einem|half an|an|a|\d+(?:[.,]\d+)?|"
    + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
    + r")\s+)?(minuten|minute|min|mins|minutes|stunden|stunde|std|h|hours|hour|hrs|hr|"
    r"tagen|tag|days|day|wochen|woche|weeks|week)" + _E
)
RE_CLOCK = re.compile(
    _B + r"(?:(um|at|ab|gegen|bis|from|till|until|von|by)\s+)?(\d{1,2})([:.])(\d{2})"
    r"(?!\d)(?:\s*(uhr|h" + _E + r"|" + _MER + r"))?"
)
RE_HOUR = re.compile(
    _B + r"(?:(um|at|ab|gegen|bis|from|till|until|von|by|around)\s+)?(" + _NUM + r")"
    r"(?:\s*(uhr|h" + _E + r"|o'?clock|" + _MER + r"))" + _E + r"?"
)
RE_BARE_HOUR = re.compile(
    _B
    + r"(um|at|ab|gegen|around)\s+("
    + _NUM
    + r")"
    + _E
    + r"(?!\s*(?:[.,]\d|%|€|euro|eur|kg|g\b|l\b|ml|stück|leute|personen|people|mal|x\b))"
)
RE_HALF = re.compile(_B + r"(?:um\s+)?halb\s+(" + _NUM + r")" + _E)
RE_QUARTER = re.compile(
    _B + r"(?:um\s+)?(viertel nach|viertel vor|dreiviertel|quarter past|quarter to|half past)"
    r"\s+(" + _NUM + r")" + _E
)
RE_NOON = re.compile(_B + r"(?:um\s+|at\s+)?(mitternacht|midnight|high noon|noon)" + _E)
RE_PART = re.compile(_B + r"(?:am\s+|in the\s+|at\s+|zu\s+|this\s+)?(" + _PART + r")" + _E)
RE_RANGE = re.compile(
    _B + r"(von|from|between|zwischen)?\s*(\d{1,2})(?:[:.](\d{2}))?\s*(" + _MER + r")?\s*"
    r"(?:-|–|bis|to|till|until|and|und)\s*(\d{1,2})(?:[:.](\d{2}))?\s*(uhr|h|" + _MER + r")?" + _E
)
RE_RANGE_SEP = re.compile(r"\s*(?:-|–|bis|to|till|until)\s*")


def _number(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    value = NUMBER_WORDS.get(token)
    return int(value) if value is not None and value == int(value) else None


def _free(spans: list[Span], start: int, end: int) -> bool:
    return all(end <= s or start >= e for s, e in spans)


def _take(found: Found, m: re.Match[str], group: int = 0) -> None:
    found.spans.append((m.start(group), m.end(group)))


def _valid_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _future_date(today: date, month: int, day: int, year: int | None) -> date | None:
    if year is not None:
        if year < 100:
            year += 2000
        return _valid_date(year, month, day)
    found = _valid_date(today.year, month, day)
    if found is None or found < today:
        found = _valid_date(today.year + 1, month, day)
    return found


def _scan_dates(low: str, today: date, found: Found) -> None:
    for m in RE_ISO_DATE.finditer(low):
        d = _valid_date(int(m[1]), int(m[2]), int(m[3]))
        if d is not None and found.day is None:
            found.day = d
            _take(found, m)
    for m in RE_NUM_DATE.finditer(low):
        if not _free(found.spans, m.start(), m.end()) or found.day is not None:
            continue
        year = int(m[3]) if m[3] else None
        d = _future_date(today, int(m[2]), int(m[1]), year)
        if d is not None:
            found.day = d
            _take(found, m)
    for regex, day_group, month_group, year_group in (
        (RE_ORDINAL_DATE_EN, 1, 2, None),
        (RE_NAMED_DATE_DE, 1, 2, 3),
        (RE_NAMED_DATE_EN, 2, 1, 3),
    ):
        for m in regex.finditer(low):
            if found.day is not None or not _free(found.spans, m.start(), m.end()):
                continue
            short_word = m[month_group] in ("mar", "may", "jun", "mai")
            if (
                short_word
                and regex is RE_NAMED_DATE_EN
                and not re.match(r"\s*\d{1,2}(?:st|nd|rd|th)?\b", low[m.end(month_group) :])
            ):
                continue
            year = int(m[year_group]) if year_group and m[year_group] else None
            d = _future_date(today, MONTHS[m[month_group]], int(m[day_group]), year)
            if d is not None:
                found.day = d
                _take(found, m)


def _scan_days(low: str, found: Found) -> None:
    for m in RE_RELATIVE_DAY.finditer(low):
        if not _free(found.spans, m.start(), m.end()) or found.days_ahead is not None:
            continue
        word = m[1]
        if word == "morgen":
            before = low[: m.start()].rstrip()
            # "Samstag morgen", "heute morgen": the morning, not tomorrow
            if re.search(r"(?:" + _WD + r"|heute|gestern)$", before):
                continue
        found.days_ahead = {
            "übermorgen": 2, "uebermorgen": 2, "the day after tomorrow": 2, "morgen": 1,
            "tomorrow": 1, "tmrw": 1, "tmr": 1, "2morrow": 1, "heute": 0, "today": 0,
            "tonight": 0,
        }[word]  # fmt: skip
        if word == "tonight":
            found.part = found.part or "evening"
        _take(found, m)
    for m in RE_WEEKDAY.finditer(low):
        if found.weekday is not None or not _free(found.spans, m.start(), m.end()):
            continue
        mode = _MODIFIER.get(m[1] or "", "plain")
        found.weekday = (WEEKDAYS[m[2]], mode)
        if m[4]:
            found.part = PARTS_OF_DAY[m[4]]
        _take(found, m)
    if found.weekday is None:
        for m in RE_WEEKDAY_ABBR.finditer(low):
            if _free(found.spans, m.start(), m.end()):
                found.weekday = (WEEKDAY_ABBREVIATIONS[m[1]], "plain")
                found.spans.append((m.start(), m.end(1) + (1 if low[m.end(1) :][:1] == "." else 0)))
                break


def _clock_from_match(hour: int, minute: int, suffix: str | None) -> Clock | None:
    if not (0 <= minute < 60):
        return None
    meridiem = None
    if suffix:
        suffix = suffix.replace(".", "")
        if suffix in ("am", "pm"):
            meridiem = suffix
            if not 1 <= hour <= 12:
                return None
    if not 0 <= hour <= 24:
        return None
    if hour == 24:
        return Clock(0, minute, None, next_day=True)
    return Clock(hour, minute, meridiem)


def _scan_clocks(low: str, found: Found, english: bool) -> None:
    if _scan_range(low, found, english):
        return
    clocks: list[tuple[int, int, Clock, str | None]] = []  # (start, end, clock, prefix)

    def add(m: re.Match[str], clock: Clock | None, prefix: str | None = None) -> None:
        if (
            clock is not None
            and _free(found.spans, m.start(), m.end())
            and all(m.end() <= s or m.start() >= e for s, e, _, _ in clocks)
        ):
            clocks.append((m.start(), m.end(), clock, prefix))

    for m in RE_NOON.finditer(low):
        midnight = m[1] in ("mitternacht", "midnight")
        add(m, Clock(0, 0, None, next_day=True) if midnight else Clock(12, 0, "pm"))
    for m in RE_QUARTER.finditer(low):
        hour = _number(m[2])
        if hour is None:
            continue
        kind = m[1]
        if kind in ("viertel nach", "quarter past"):
            add(m, _clock_from_match(hour % 24, 15, None))
        elif kind == "half past":
            add(m, _clock_from_match(hour % 24, 30, None))
        else:
            add(m, _clock_from_match((hour - 1) % 24, 45, None))
    for m in RE_HALF.finditer(low):
        hour = _number(m[1])
        if hour is not None and 1 <= hour <= 24:
            add(m, _clock_from_match((hour - 1) % 24, 30, None))
    for m in RE_CLOCK.finditer(low):
        suffix = m[5]
        if suffix in ("am",) and not english:
            suffix = None
        if m[3] == "." and not (m[1] or suffix):
            continue  # "23.50" is money, not a time
        add(m, _clock_from_match(int(m[2]), int(m[4]), suffix), m[1])
    for m in RE_HOUR.finditer(low):
        if m[3] is None:
            continue
        suffix = m[3]
        if suffix.startswith("am") and not english:
            continue
        hour = _number(m[2])
        if hour is None:
            continue
        if suffix in ("h",) and not m[1] and re.match(r"\s*(?:später|later)", low[m.end() :]):
            continue
        add(m, _clock_from_match(hour, 0, suffix if suffix not in ("uhr", "h") else None), m[1])
    for m in RE_BARE_HOUR.finditer(low):
        hour = _number(m[2])
        if hour is not None and 0 <= hour <= 24:
            add(m, _clock_from_match(hour, 0, None), m[1])
    clocks.sort(key=lambda c: c[0])
    if not clocks:
        return
    first = clocks[0]
    found.clock = first[2]
    found.spans.append((first[0], first[1]))
    if first[3] in ("bis", "till", "until", "by") and len(clocks) == 1:
        found.clock, found.end_clock = None, first[2]
        return
    if len(clocks) > 1:
        second = clocks[1]
        between = low[first[1] : second[0]]
        if RE_RANGE_SEP.fullmatch(between) or second[3] in ("bis", "till", "until", "to"):
            found.end_clock = second[2]
            found.spans.append((first[1], second[1]))


def _scan_range(low: str, found: Found, english: bool) -> bool:
    """ "von 18 bis 22 Uhr", "18-22 Uhr", "from 6 to 10pm", "18:00-22:00"."""
    for m in RE_RANGE.finditer(low):
        prefix, suffix = m[1], m[7]
        joined_by_and = re.search(r"\s(?:and|und)\s", m[0]) is not None
        if joined_by_and and prefix not in ("between", "zwischen"):
            continue
        if suffix and suffix.startswith("am") and not english:
            suffix = None
        if not (prefix or suffix or m[3] or m[6] or m[4]):
            continue
        if not _free(found.spans, m.start(), m.end()):
            continue
        end_suffix = suffix if suffix not in ("uhr", "h") else None
        start_suffix = m[4] or None
        end = _clock_from_match(int(m[5]), int(m[6] or 0), end_suffix)
        begin = _clock_from_match(int(m[2]), int(m[3] or 0), start_suffix)
        if begin is None or end is None:
            continue
        if begin.meridiem is None and end.meridiem == "pm" and begin.hour < end.hour:
            begin.meridiem = "pm"
        found.clock, found.end_clock = begin, end
        _take(found, m)
        return True
    return False


def _scan_relative(low: str, found: Found) -> None:
    for m in RE_RELATIVE.finditer(low):
        if not _free(found.spans, m.start(), m.end()):
            continue
        amount_word, unit = m[1], m[2]
        if amount_word is None:
            continue
        if amount_word in ("einer halben", "half an"):
            amount = 0.5
        elif amount_word in ("einer", "einem", "an", "a"):
            amount = 1.0
        elif amount_word[0].isdigit():
            amount = float(amount_word.replace(",", "."))
        else:
            amount = float(NUMBER_WORDS[amount_word])
        if unit.startswith(("min",)):
            delta = timedelta(minutes=amount)
        elif unit.startswith(("stund", "std", "h")):
            delta = timedelta(hours=amount)
        elif unit.startswith(("tag", "day")):
            delta = timedelta(days=amount)
        else:
            delta = timedelta(weeks=amount)
        if delta > timedelta(days=3660):
            continue
        found.delta = delta
        _take(found, m)
        return


def _scan_part(low: str, found: Found) -> None:
    for m in RE_PART.finditer(low):
        if not _free(found.spans, m.start(), m.end()):
            continue
        word = m[1]
        if word == "morgen":
            before = low[: m.start()].rstrip()
            if not re.search(r"(?:" + _WD + r"|heute)$", before):
                continue
        # "night" names a part of the day right after a day ("Saturday night", "heute
        # Nacht", "at night"), not inside an activity ("game night", "pub night")
        if word in ("night", "nacht") and not re.search(
            r"(?:" + _WD + r"|today|tomorrow|tonight|heute|morgen|übermorgen|at|in\s+the|this|"
            r"diese|late|spät)\s*$",
            low[: m.start(1)],
        ):
            continue
        # "lunch" and "night" are read as times only next to a day or a clock time
        alone = not (found.days_ahead is not None or found.weekday or found.day or found.clock)
        if (
            word in ("lunch", "night", "nacht", "früh")
            and found.part is None
            and alone
            and (word != "früh" or "morgen" not in low)
        ):
            continue
        found.part = found.part or PARTS_OF_DAY[word]
        _take(found, m)


def scan(low: str, today: date, *, english: bool) -> Found:
    found = Found()
    _scan_dates(low, today, found)
    _scan_relative(low, found)
    _scan_days(low, found)
    _scan_clocks(low, found, english)
    _scan_part(low, found)
    return found


def _hour_24(clock: Clock, part: str | None) -> tuple[int, int]:
    hour = clock.hour
    if clock.meridiem == "am":
        hour = 0 if hour == 12 else hour
    elif clock.meridiem == "pm":
        hour = hour if hour == 12 else hour + 12
    elif hour < 12 and part in ("afternoon", "evening"):
        hour += 12
    elif hour < 12 and part == "night":
        hour = hour + 12 if hour >= 6 else hour
    elif part in ("morning", "late_morning"):
        pass
    elif part == "noon":
        hour = hour + 12 if 1 <= hour <= 3 else hour
    elif 1 <= hour <= 7:
        hour += 12
    return hour, clock.minute


def _at(day: date, hour: int, minute: int, zone: ZoneInfo) -> datetime:
    naive = datetime.combine(day, time(hour, minute))
    local = naive.replace(tzinfo=zone)
    # a wall time skipped by the spring change is moved forward, as calendars do
    return local.astimezone(UTC).astimezone(zone)


def _weekday_date(today: date, weekday: int, mode: str) -> tuple[date, tuple[date, ...]]:
    ahead = (weekday - today.weekday()) % 7
    if mode == "this":
        return today + timedelta(days=ahead), ()
    if ahead == 0:
        ahead = 7
    coming = today + timedelta(days=ahead)
    if mode == "after_next":
        return coming + timedelta(days=7), ()
    if mode == "next":
        return coming, (coming + timedelta(days=7),)
    return coming, ()


def resolve(found: Found, now: datetime, zone: ZoneInfo) -> When | None:
    """The start (and end) `found` stands for, or None when it names no time at all."""
    if not found.anything and found.end_clock is None:
        return None
    local_now = now.astimezone(zone)
    today = local_now.date()
    alternatives: tuple[date, ...] = ()
    if found.delta is not None and found.delta < timedelta(days=1) and found.day is None:
        # hours and minutes are elapsed time, also across a daylight saving change
        start = (now.astimezone(UTC) + found.delta).astimezone(zone)
        start = start.replace(second=0, microsecond=0)
        return When(start, None, tuple(found.spans), (), True, True)
    day: date | None = None
    if found.day is not None:
        day = found.day
    elif found.weekday is not None:
        day, alternatives = _weekday_date(today, *found.weekday)
    elif found.days_ahead is not None:
        day = today + timedelta(days=found.days_ahead)
    elif found.delta is not None:
        day = (local_now + found.delta).date()
        if found.clock is None and found.part is None:
            start = (local_now + found.delta).replace(second=0, microsecond=0)
            return When(start.astimezone(UTC).astimezone(zone), None, tuple(found.spans),
                        (), True, True)  # fmt: skip
    clock = found.clock
    if clock is None and found.end_clock is not None and found.part is None and day is None:
        return None
    if clock is not None:
        hour, minute = _hour_24(clock, found.part)
    elif found.part is not None:
        hour, minute = DEFAULT_HOUR[found.part], 0
    else:
        hour, minute = DAY_WITHOUT_TIME_HOUR, 0
    if day is None:
        day = today
        if _at(today, hour, minute, zone) <= local_now and not (clock and clock.next_day):
            day = today + timedelta(days=1)
    if clock is not None and clock.next_day:
        day = day + timedelta(days=1)
    start = _at(day, hour, minute, zone)
    end = None
    if found.end_clock is not None:
        end_hour, end_minute = _hour_24(found.end_clock, found.part)
        if (
            found.end_clock.meridiem is None
            and not found.end_clock.next_day
            and end_hour < hour
            and end_hour + 12 <= 23
        ):
            end_hour += 12
        end_day = day + timedelta(days=1) if (end_hour, end_minute) <= (hour, minute) else day
        end = _at(end_day, end_hour, end_minute, zone)
    others = tuple(_at(d, hour, minute, zone) for d in alternatives)
    return When(
        start,
        end,
        tuple(found.spans),
        others,
        has_day=found.day is not None or found.weekday is not None or found.days_ahead is not None,
        has_clock=clock is not None or found.part is not None,
    )


def find_time(low: str, now: datetime, zone: ZoneInfo, *, english: bool) -> When | None:
    today = now.astimezone(zone).date()
    return resolve(scan(low, today, english=english), now, zone)
