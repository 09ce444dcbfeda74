"""Check the labelled assistant data set against docs/assistant-understanding.md.

    python tests/data/assistant/check_labels.py

Loads de.jsonl, en.jsonl and holdout.jsonl from this folder and validates every line: the
line shape, the types and allowed values of every field of every intent, ISO times (seconds
present, the offset Europe/Berlin has at that instant, after the message's `now`), the `ask`
block of "nächsten/next <weekday>", amounts like "23.50", unique ids and the size and
language mix of the set. Prints every problem and exits 1 if there is any, else prints a
summary and exits 0. It checks the form of the labels, not what a message means.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
BERLIN = ZoneInfo("Europe/Berlin")

MIN_LINES = {"de.jsonl": 180, "en.jsonl": 130}
HOLDOUT = "holdout.jsonl"
HOLDOUT_LINES = 80
MIN_EMPTY_SHARE = 0.15  # chit-chat lines with no intent, per file
MIN_GERMAN_SHARE = 0.5  # over all files

ID_RE = {
    "de.jsonl": re.compile(r"de-\d{3}"),
    "en.jsonl": re.compile(r"en-\d{3}"),
    HOLDOUT: re.compile(r"holdout-(de|en)-\d{3}"),
}
ISO_RE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d")
AMOUNT_RE = re.compile(r"\d+\.\d\d")
MEMBER_RE = re.compile(r"[a-zäöüß]+")
NEXT_WEEKDAY_RE = re.compile(
    r"(?<![\wäöüß])(n(ä|ae)chste[nmrs]?|next)\s+"
    r"(mo|di|mi|do|fr|sa|so|mon|tue|wed|thu|fri|sat|sun)",
    re.IGNORECASE,
)

LINE_KEYS = {"id", "text", "now", "members", "expected"}
FIELDS = {
    "create_event": {"type", "title", "start", "end", "place"},
    "add_items": {"type", "items"},
    "add_task": {"type", "tasks"},
    "claim": {"type", "who", "what", "merchant", "mode"},
    "order_food": {"type", "merchant", "items", "time"},
    "rate": {"type", "target", "stars", "comment"},
    "book_appointment": {"type", "service", "merchant", "start"},
    "expense": {"type", "amount", "currency", "payer", "description"},
    "rsvp": {"type", "answer"},
}
UNITS = {"kg", "g", "l", "ml", "piece", "pack"}
MODES = {"store", "delivery", "locker"}
ANSWERS = {"yes", "no", "maybe"}

DE_WEEKDAYS = ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"]
EN_WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
EN_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

STORY_DE = [
    "Lass uns am Samstag um 18 Uhr im Stadtpark grillen!",
    "Wir brauchen 2 kg Nackensteaks, 12 Bratwürste, Grillkohle und Brötchen",
    "Ich kaufe das Fleisch beim Metzger",
    "Cem, kannst du die Getränke liefern lassen?",
    "Ich bring den Grill mit 🔥",
    "haha 😂",
    "wer kommt noch?",
]


class Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.items.append(f"{where}: {message}")


def is_text(value: Any) -> bool:
    return isinstance(value, str) and value.strip() == value and value != ""


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def parse_iso(value: Any, where: str, problems: Problems) -> datetime | None:
    """An ISO 8601 string with seconds and the Europe/Berlin offset of that instant."""
    if not isinstance(value, str) or not ISO_RE.fullmatch(value):
        problems.add(where, f"not an ISO time with seconds and offset: {value!r}")
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        problems.add(where, f"does not parse: {value!r}")
        return None
    expected = moment.astimezone(BERLIN).utcoffset()
    if moment.utcoffset() != expected:
        problems.add(where, f"offset of {value} is not Europe/Berlin's ({expected})")
        return None
    return moment


def check_time(value: Any, now: datetime, where: str, problems: Problems) -> datetime | None:
    """A resolved time: seconds 0 and later than the message's `now`."""
    moment = parse_iso(value, where, problems)
    if moment is None:
        return None
    if moment.second != 0:
        problems.add(where, f"seconds should be 00: {value}")
    if moment <= now:
        problems.add(where, f"{value} is not after now {now.isoformat()}")
    if moment > now + timedelta(days=400):
        problems.add(where, f"{value} is more than 400 days after now")
    return moment


def check_person(value: Any, members: list[str], where: str, problems: Problems) -> None:
    if value != "me" and value not in members:
        problems.add(where, f"{value!r} is neither 'me' nor one of the members {members}")


def check_event(intent: dict[str, Any], ctx: dict[str, Any], where: str, p: Problems) -> None:
    title = intent["title"]
    if not is_text(title) or not title[0].isupper():
        p.add(where, f"title must be a capitalised non-empty string: {title!r}")
    start = check_time(intent["start"], ctx["now"], f"{where}.start", p)
    if intent["end"] is not None:
        end = check_time(intent["end"], ctx["now"], f"{where}.end", p)
        if start and end and end <= start:
            p.add(where, "end is not after start")
    if intent["place"] is not None and not is_text(intent["place"]):
        p.add(where, f"place must be a non-empty string or null: {intent['place']!r}")


def check_items(intent: dict[str, Any], ctx: dict[str, Any], where: str, p: Problems) -> None:
    items = intent["items"]
    if not isinstance(items, list) or not items:
        p.add(where, "items must be a non-empty list")
        return
    for k, item in enumerate(items):
        at = f"{where}.items[{k}]"
        if not isinstance(item, dict) or set(item) != {"name", "quantity", "unit"}:
            p.add(at, f"must have exactly name, quantity, unit: {item!r}")
            continue
        if not is_text(item["name"]):
            p.add(at, f"name must be a non-empty string: {item['name']!r}")
        quantity, unit = item["quantity"], item["unit"]
        if quantity is None:
            if unit is not None:
                p.add(at, "unit must be null when quantity is null")
        else:
            if not is_number(quantity) or quantity <= 0:
                p.add(at, f"quantity must be a positive number or null: {quantity!r}")
            elif isinstance(quantity, float) and quantity.is_integer():
                p.add(at, f"write whole quantities as integers: {quantity!r}")
            if unit not in UNITS:
                p.add(at, f"unit must be one of {sorted(UNITS)} when there is a quantity")


def check_tasks(intent: dict[str, Any], ctx: dict[str, Any], where: str, p: Problems) -> None:
    tasks = intent["tasks"]
    if not isinstance(tasks, list) or not tasks:
        p.add(where, "tasks must be a non-empty list")
        return
    for k, task in enumerate(tasks):
        at = f"{where}.tasks[{k}]"
        if not isinstance(task, dict) or set(task) != {"title", "assignee", "due"}:
            p.add(at, f"must have exactly title, assignee, due: {task!r}")
            continue
        if not is_text(task["title"]):
            p.add(at, f"title must be a non-empty string: {task['title']!r}")
        if task["assignee"] is not None:
            check_person(task["assignee"], ctx["members"], f"{at}.assignee", p)
        if task["due"] is not None:
            check_time(task["due"], ctx["now"], f"{at}.due", p)


def check_claim(intent: dict[str, Any], ctx: dict[str, Any], where: str, p: Problems) -> None:
    check_person(intent["who"], ctx["members"], f"{where}.who", p)
    what = intent["what"]
    if what != "all" and (
        not isinstance(what, list) or not what or not all(is_text(w) for w in what)
    ):
        p.add(where, f"what must be 'all' or a non-empty list of names: {what!r}")
    if intent["merchant"] is not None and not is_text(intent["merchant"]):
        p.add(where, f"merchant must be a non-empty string or null: {intent['merchant']!r}")
    if intent["mode"] is not None and intent["mode"] not in MODES:
        p.add(where, f"mode must be one of {sorted(MODES)} or null: {intent['mode']!r}")


def check_food(intent: dict[str, Any], ctx: dict[str, Any], where: str, p: Problems) -> None:
    if intent["merchant"] is not None and not is_text(intent["merchant"]):
        p.add(where, f"merchant must be a non-empty string or null: {intent['merchant']!r}")
    items = intent["items"]
    if not isinstance(items, list) or not items:
        p.add(where, "items must be a non-empty list")
    else:
        for k, item in enumerate(items):
            at = f"{where}.items[{k}]"
            if not isinstance(item, dict) or set(item) != {"name", "quantity"}:
                p.add(at, f"must have exactly name, quantity: {item!r}")
                continue
            if not is_text(item["name"]):
                p.add(at, f"name must be a non-empty string: {item['name']!r}")
            quantity = item["quantity"]
            if not is_number(quantity) or quantity <= 0:
                p.add(at, f"quantity must be a positive number: {quantity!r}")
            elif isinstance(quantity, float) and quantity.is_integer():
                p.add(at, f"write whole quantities as integers: {quantity!r}")
    if intent["time"] is not None:
        check_time(intent["time"], ctx["now"], f"{where}.time", p)


def check_rate(intent: dict[str, Any], ctx: dict[str, Any], where: str, p: Problems) -> None:
    if not is_text(intent["target"]):
        p.add(where, f"target must be a non-empty string: {intent['target']!r}")
    stars = intent["stars"]
    if not isinstance(stars, int) or isinstance(stars, bool) or not 1 <= stars <= 5:
        p.add(where, f"stars must be an integer 1-5: {stars!r}")
    if intent["comment"] is not None and not is_text(intent["comment"]):
        p.add(where, f"comment must be a non-empty trimmed string or null: {intent['comment']!r}")


def check_appointment(intent: dict[str, Any], ctx: dict[str, Any], where: str, p: Problems) -> None:
    if not is_text(intent["service"]):
        p.add(where, f"service must be a non-empty string: {intent['service']!r}")
    if intent["merchant"] is not None and not is_text(intent["merchant"]):
        p.add(where, f"merchant must be a non-empty string or null: {intent['merchant']!r}")
    check_time(intent["start"], ctx["now"], f"{where}.start", p)


def check_expense(intent: dict[str, Any], ctx: dict[str, Any], where: str, p: Problems) -> None:
    amount = intent["amount"]
    if not isinstance(amount, str) or not AMOUNT_RE.fullmatch(amount):
        p.add(where, f"amount must be a string like '23.50': {amount!r}")
    elif float(amount) <= 0:
        p.add(where, f"amount must be positive: {amount!r}")
    if intent["currency"] != "EUR":
        p.add(where, f"currency must be 'EUR': {intent['currency']!r}")
    check_person(intent["payer"], ctx["members"], f"{where}.payer", p)
    if not is_text(intent["description"]):
        p.add(where, f"description must be a non-empty string: {intent['description']!r}")


def check_rsvp(intent: dict[str, Any], ctx: dict[str, Any], where: str, p: Problems) -> None:
    if intent["answer"] not in ANSWERS:
        p.add(where, f"answer must be one of {sorted(ANSWERS)}: {intent['answer']!r}")


CHECKS = {
    "create_event": check_event,
    "add_items": check_items,
    "add_task": check_tasks,
    "claim": check_claim,
    "order_food": check_food,
    "rate": check_rate,
    "book_appointment": check_appointment,
    "expense": check_expense,
    "rsvp": check_rsvp,
}


def ask_label(moment: datetime, lang: str) -> str:
    local = moment.astimezone(BERLIN)
    if lang == "de":
        return f"{DE_WEEKDAYS[local.weekday()]} {local.day}.{local.month}."
    return f"{EN_WEEKDAYS[local.weekday()]} {local.day} {EN_MONTHS[local.month - 1]}"


def intent_times(intents: list[Any]) -> set[str]:
    keys = ("start", "time")
    found = {
        i[k] for i in intents if isinstance(i, dict) for k in keys if isinstance(i.get(k), str)
    }
    for intent in intents:
        if isinstance(intent, dict) and intent.get("type") == "add_task":
            for task in intent.get("tasks") or []:
                if isinstance(task, dict) and isinstance(task.get("due"), str):
                    found.add(task["due"])
    return found


def check_ask(ask: Any, intents: list[Any], ctx: dict[str, Any], where: str, p: Problems) -> None:
    if not isinstance(ask, dict) or set(ask) != {"question", "options"}:
        p.add(where, f"ask must have exactly question and options: {ask!r}")
        return
    options = ask["options"]
    if not isinstance(options, list) or len(options) != 2:
        p.add(where, f"ask.options must be a list of two ISO times: {options!r}")
        return
    first = check_time(options[0], ctx["now"], f"{where}.options[0]", p)
    second = check_time(options[1], ctx["now"], f"{where}.options[1]", p)
    if first is None or second is None:
        return
    a, b = first.astimezone(BERLIN), second.astimezone(BERLIN)
    if b.date() - a.date() != timedelta(days=7) or a.time() != b.time():
        p.add(where, "ask.options[1] must be options[0] one week later at the same clock time")
    if options[0] not in intent_times(intents):
        p.add(where, "ask.options[0] must be the start/time/due of an intent of the message")
    lang = ctx["lang"]
    if lang == "de":
        question = f"Meinst du {ask_label(a, lang)} oder {ask_label(b, lang)}?"
    else:
        question = f"Do you mean {ask_label(a, lang)} or {ask_label(b, lang)}?"
    if ask["question"] != question:
        p.add(where, f"ask.question should be {question!r}, is {ask['question']!r}")


def check_line(record: Any, name: str, where: str, p: Problems) -> tuple[str, str, list[str]]:
    """Validates one line; returns (id, language, intent types)."""
    if not isinstance(record, dict):
        p.add(where, "line is not a JSON object")
        return "", "", []
    if set(record) != LINE_KEYS:
        p.add(where, f"keys must be exactly {sorted(LINE_KEYS)}, are {sorted(record)}")
        return "", "", []
    rid = record["id"]
    if not isinstance(rid, str) or not ID_RE[name].fullmatch(rid):
        p.add(where, f"bad id for {name}: {rid!r}")
        rid = str(rid)
    lang = "de" if name == "de.jsonl" else "en" if name == "en.jsonl" else rid[8:10]
    where = f"{where} {rid}"
    if not is_text(record["text"]):
        p.add(where, f"text must be a non-empty trimmed string: {record['text']!r}")
    now = parse_iso(record["now"], f"{where}.now", p)
    members = record["members"]
    if (
        not isinstance(members, list)
        or not members
        or not all(isinstance(m, str) and MEMBER_RE.fullmatch(m) for m in members)
        or len(set(members)) != len(members)
    ):
        p.add(where, f"members must be a list of distinct lower-case names: {members!r}")
        members = []
    expected = record["expected"]
    if not isinstance(expected, dict) or not set(expected) <= {"intents", "ask"}:
        p.add(where, f"expected must be an object with intents (and ask): {expected!r}")
        return rid, lang, []
    intents = expected.get("intents")
    if not isinstance(intents, list):
        p.add(where, "expected.intents must be a list")
        return rid, lang, []
    if now is None:
        return rid, lang, []
    ctx = {"now": now, "members": members, "lang": lang}
    types: list[str] = []
    for k, intent in enumerate(intents):
        at = f"{where} intents[{k}]"
        if not isinstance(intent, dict) or intent.get("type") not in FIELDS:
            p.add(at, f"unknown intent: {intent!r}")
            continue
        kind = intent["type"]
        if set(intent) != FIELDS[kind]:
            p.add(at, f"{kind} fields must be exactly {sorted(FIELDS[kind])}, are {sorted(intent)}")
            continue
        types.append(kind)
        CHECKS[kind](intent, ctx, at, p)
    has_next = bool(NEXT_WEEKDAY_RE.search(record["text"]))
    if "ask" in expected:
        if not has_next:
            p.add(where, "ask is only for 'nächsten/next <weekday>'")
        check_ask(expected["ask"], intents, ctx, f"{where} ask", p)
    elif has_next:
        p.add(where, "'nächsten/next <weekday>' needs an ask")
    return rid, lang, types


def load(path: Path, p: Problems) -> list[tuple[int, Any]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        p.add(path.name, f"not UTF-8: {err}")
        return []
    if text and not text.endswith("\n"):
        p.add(path.name, "last line has no newline")
    out = []
    for number, line in enumerate(text.split("\n")[:-1] if text else [], start=1):
        where = f"{path.name}:{number}"
        if not line.strip():
            p.add(where, "empty line")
            continue
        if "\\u" in line:
            p.add(where, "escaped characters: write UTF-8 (ensure_ascii=False)")
        try:
            out.append((number, json.loads(line)))
        except json.JSONDecodeError as err:
            p.add(where, f"not JSON: {err}")
    return out


def main() -> int:
    p = Problems()
    seen: dict[str, str] = {}
    per_lang: Counter[str] = Counter()
    summary: list[str] = []
    for name in [*MIN_LINES, HOLDOUT]:
        path = HERE / name
        if not path.exists():
            p.add(name, "missing")
            continue
        records = load(path, p)
        types: Counter[str] = Counter()
        langs: Counter[str] = Counter()
        empty = 0
        for number, record in records:
            where = f"{name}:{number}"
            rid, lang, kinds = check_line(record, name, where, p)
            if rid:
                if rid in seen:
                    p.add(where, f"duplicate id {rid} (also {seen[rid]})")
                seen[rid] = where
            langs[lang] += 1
            types.update(kinds)
            if isinstance(record, dict) and record.get("expected") == {"intents": []}:
                empty += 1
        count = len(records)
        per_lang.update(langs)
        if name in MIN_LINES and count < MIN_LINES[name]:
            p.add(name, f"{count} lines, need at least {MIN_LINES[name]}")
        if name == HOLDOUT:
            if count != HOLDOUT_LINES:
                p.add(name, f"{count} lines, need {HOLDOUT_LINES}")
            if count and not 0.4 <= langs["de"] / count <= 0.6:
                p.add(name, f"about half German, half English: {dict(langs)}")
        if count and empty / count < MIN_EMPTY_SHARE:
            p.add(name, f"chit-chat (no intent) is {empty / count:.0%}, need {MIN_EMPTY_SHARE:.0%}")
        if name in MIN_LINES:
            missing = set(FIELDS) - set(types)
            if missing:
                p.add(name, f"intent types never used: {sorted(missing)}")
        if name == "de.jsonl":
            texts = [r.get("text") for _, r in records if isinstance(r, dict)]
            for line in STORY_DE:
                if line not in texts:
                    p.add(name, f"story line missing: {line!r}")
        summary.append(
            f"{name}: {count} lines, {dict(langs)}, {empty} without intent "
            f"({empty / max(count, 1):.0%}), intents {dict(sorted(types.items()))}"
        )
    total = sum(per_lang.values())
    if total and per_lang["de"] / total < MIN_GERMAN_SHARE:
        p.add("all", f"German is {per_lang['de'] / total:.0%} of the set, need 50%")
    if p.items:
        for item in p.items:
            print(item)
        print(f"{len(p.items)} problem(s)")
        return 1
    for line in summary:
        print(line)
    print(f"all: {total} lines, German {per_lang['de'] / max(total, 1):.0%}; OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
