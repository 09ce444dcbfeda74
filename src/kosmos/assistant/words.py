"""Word lists the assistant reads German and English chat with: numbers, weekdays, months,
units, parts of the day. Plain data, no logic beyond lookups."""

from __future__ import annotations

NUMBER_WORDS: dict[str, float] = {
    # German
    "ein": 1, "eine": 1, "einen": 1, "einem": 1, "einer": 1, "eins": 1,
    "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "fuenf": 5, "sechs": 6, "sieben": 7,
    "acht": 8, "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12, "zwoelf": 12,
    "dreizehn": 13, "vierzehn": 14, "fünfzehn": 15, "sechzehn": 16, "siebzehn": 17,
    "achtzehn": 18, "neunzehn": 19, "zwanzig": 20, "dreißig": 30, "vierzig": 40,
    "fünfzig": 50, "hundert": 100,
    # English
    "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
}  # fmt: skip

# Several words that stand for one amount ("ein Dutzend" = 12); longest first.
NUMBER_PHRASES: list[tuple[str, float]] = [
    ("ein halbes dutzend", 6), ("half a dozen", 6),
    ("ein dutzend", 12), ("a dozen", 12), ("one dozen", 12), ("dutzend", 12), ("dozen", 12),
    ("ein paar", 3), ("a few", 3), ("a couple of", 2), ("a couple", 2), ("paar", 3),
    ("ein halbes", 0.5), ("eine halbe", 0.5), ("ein halber", 0.5), ("einen halben", 0.5),
    ("half a", 0.5), ("half an", 0.5), ("anderthalb", 1.5), ("eineinhalb", 1.5),
    ("zweieinhalb", 2.5),
]  # fmt: skip

UNITS: dict[str, str] = {
    "kg": "kg", "kilo": "kg", "kilos": "kg", "kilogramm": "kg", "kilogram": "kg",
    "kilograms": "kg",
    "g": "g", "gr": "g", "gramm": "g", "gram": "g", "grams": "g", "grammes": "g",
    "l": "l", "liter": "l", "litre": "l", "litres": "l", "liters": "l", "ltr": "l",
    "ml": "ml", "milliliter": "ml",
    "stück": "piece", "stk": "piece", "stck": "piece", "piece": "piece", "pieces": "piece",
    "pcs": "piece",
    "flasche": "piece", "flaschen": "piece", "fl": "piece", "bottle": "piece",
    "bottles": "piece", "dose": "piece", "dosen": "piece", "can": "piece", "cans": "piece",
    "glas": "piece", "gläser": "piece", "jar": "piece", "jars": "piece",
    "packung": "pack", "packungen": "pack", "pack": "pack", "packs": "pack",
    "päckchen": "pack", "tüte": "pack", "tüten": "pack", "beutel": "pack", "kiste": "pack",
    "kisten": "pack", "kasten": "pack", "kästen": "pack", "sixpack": "pack",
    "sixpacks": "pack", "six-pack": "pack", "six-packs": "pack", "karton": "pack",
    "kartons": "pack", "packet": "pack", "packets": "pack", "package": "pack",
    "packages": "pack", "bag": "pack", "bags": "pack", "crate": "pack", "crates": "pack",
    "box": "pack", "boxes": "pack", "schachtel": "pack", "schachteln": "pack",
    "netz": "pack", "bund": "pack", "bunch": "pack",
}  # fmt: skip

WEEKDAYS: dict[str, int] = {
    "montag": 0, "dienstag": 1, "mittwoch": 2, "donnerstag": 3, "freitag": 4,
    "samstag": 5, "sonnabend": 5, "sonntag": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
    "saturday": 5, "sunday": 6,
}  # fmt: skip

# Short weekday names: only read as a day when a time or date follows ("sa 18h").
WEEKDAY_ABBREVIATIONS: dict[str, int] = {
    "mo": 0, "di": 1, "mi": 2, "do": 3, "fr": 4, "sa": 5, "so": 6,
    "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4,
    "sat": 5, "sun": 6,
}  # fmt: skip

MONTHS: dict[str, int] = {
    "januar": 1, "jänner": 1, "jan": 1, "january": 1, "februar": 2, "feb": 2,
    "february": 2, "märz": 3, "maerz": 3, "mär": 3, "mar": 3, "march": 3, "april": 4,
    "apr": 4, "mai": 5, "may": 5, "juni": 6, "jun": 6, "june": 6, "juli": 7, "jul": 7,
    "july": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9, "oktober": 10,
    "okt": 10, "october": 10, "oct": 10, "november": 11, "nov": 11, "dezember": 12,
    "dez": 12, "december": 12, "dec": 12,
}  # fmt: skip

# Parts of the day and the hour each stands for when no clock time is said.
PARTS_OF_DAY: dict[str, str] = {
    "früh": "morning", "frueh": "morning", "morgens": "morning", "morgen": "morning",
    "morning": "morning", "late morning": "late_morning", "vormittag": "late_morning",
    "vormittags": "late_morning",
    "mittag": "noon", "mittags": "noon", "noon": "noon", "lunch": "noon",
    "lunchtime": "noon", "nachmittag": "afternoon", "nachmittags": "afternoon",
    "afternoon": "afternoon", "abend": "evening", "abends": "evening", "evening": "evening",
    "tonight": "evening", "nacht": "night", "nachts": "night", "night": "night",
}  # fmt: skip

DEFAULT_HOUR = {
    "morning": 9, "late_morning": 10, "noon": 12, "afternoon": 15, "evening": 19,
    "night": 22,
}  # fmt: skip
DAY_WITHOUT_TIME_HOUR = 19


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


GERMAN_MARKERS = _words(
    "ich du wir ihr sie er es und oder aber nicht noch auch mal bitte lass lasst uns "
    "wer was wann wo wie kann kannst können bin bist ist sind hab habe hast haben "
    "der die das den dem des ein eine einen mit für fürs beim bei im am um uhr zum zur "
    "morgen heute übermorgen brauchen kaufe kaufen bring bringe mitbringen holen hole "
    "samstag sonntag montag dienstag mittwoch donnerstag freitag abend sterne bestell "
    "bestelle termin dabei leider vielleicht ja nein klar gerne super geil toll haha "
    "mach mache machen sollen wollen wollt gibt liefern euro stück kiste kasten"
)
ENGLISH_MARKERS = _words(
    "i you we they he she it and or but not also please let's lets us who what when "
    "where how can could is are am was were have has had the a an with for at on in "
    "to tomorrow today tonight need buy bring get grab saturday sunday monday tuesday "
    "wednesday thursday friday evening stars order book appointment in maybe sorry yes "
    "no sure great cool lol i'll i'm we'll that's of my your our"
)

# Event titles: words taken off either end ("noch kurz auf ein Bier" -> "Bier") ...
EDGE_WORDS = _words(
    "noch nochmal mal kurz zusammen gemeinsam doch gerne gern bitte ab um am im in ins an auf "
    "der die das den dem was etwas something "
    "ein eine einen einem zum zur zu für von vom bis und oder dann uns ja hey leute "
    "together again please pls from at on the a an for to till until and or then us some "
    "have grab get go do hold"
)
# ... words that make the rest a sentence rather than the name of an activity ...
NOT_TITLE = _words(
    "ich du er sie es wir ihr man mich mir dich dir euch mein meine dein deine "
    "i you he she it we they me my your him her them "
    "bin bist ist sind seid war waren warst hab habe hat haben hast habt wird werde wurde "
    "kann kannst können muss musst soll will willst wäre "
    "is are was were be been have has had will would can could should must do does did "
    "don't doesn't can't won't isn't i'm i'll it's that's "
    "nicht kein keine keinen nie nichts no not never nothing "
    "gute guten gutes good happy danke thanks thank sorry hi hallo hey bye tschüss ciao "
    "echt sehr very too mega voll really wirklich ziemlich quite so "
    "wer was wann wo wie warum wieso welche who what when where why how which "
    "dass that this weil because if ob wenn aber but gestern yesterday jetzt now "
    "schon already später later vergessen forget lol omg "
    "jemand anyone someone somebody everyone everybody alle"
)
# ... and words that make it about the past ("die Party heute war mega").
# (German "was" is "etwas": "lass uns was trinken")
PAST_WORDS = {
    "de": _words("war waren warst gestern vorhin letzte letzten"),
    "en": _words("was were yesterday last"),
}
