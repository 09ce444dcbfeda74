"""The built-in understanding: the barbecue story in German and English, every time form the
issue names, daylight saving, asking back, and no crash on any input."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kosmos.assistant import understand

NOW = datetime.fromisoformat("2026-11-22T10:00:00+01:00")  # a Sunday
MEMBERS = ("anna", "ben", "cem", "dora")


def intents(text: str, now: datetime = NOW, **kwargs: object) -> list[dict]:
    return understand(text, now=now, members=MEMBERS, **kwargs).to_dict()["intents"]


def test_story_german() -> None:
    assert intents("Lass uns am Samstag um 18 Uhr im Stadtpark grillen!") == [
        {"type": "create_event", "title": "Grillen", "start": "2026-11-28T18:00:00+01:00",
         "end": None, "place": "Stadtpark"}
    ]  # fmt: skip
    assert intents("Wir brauchen 2 kg Nackensteaks, 12 Bratwürste, Grillkohle und Brötchen") == [
        {"type": "add_items", "items": [
            {"name": "Nackensteaks", "quantity": 2, "unit": "kg"},
            {"name": "Bratwürste", "quantity": 12, "unit": "piece"},
            {"name": "Grillkohle", "quantity": None, "unit": None},
            {"name": "Brötchen", "quantity": None, "unit": None},
        ]}
    ]  # fmt: skip
    assert intents("Ich kaufe das Fleisch beim Metzger") == [
        {"type": "claim", "who": "me", "what": ["Fleisch"], "merchant": "Metzger",
         "mode": "store"}
    ]  # fmt: skip
    assert intents("Cem, kannst du die Getränke liefern lassen?") == [
        {"type": "add_task",
         "tasks": [{"title": "Getränke liefern lassen", "assignee": "cem", "due": None}]}
    ]  # fmt: skip
    assert intents("Ich bring den Grill mit 🔥") == [
        {"type": "add_task", "tasks": [{"title": "Grill mitbringen", "assignee": "me",
                                        "due": None}]}
    ]  # fmt: skip
    assert intents("haha 😂") == []
    assert intents("wer kommt noch?") == []


def test_story_english() -> None:
    [event] = intents("Let's have a barbecue on Saturday at 6pm in the city park!")
    assert (event["title"], event["start"], event["place"]) == (
        "Barbecue", "2026-11-28T18:00:00+01:00", "city park"
    )  # fmt: skip
    [items] = intents("We need 2 kg pork neck, 12 bratwursts, charcoal and buns")
    assert [(i["name"], i["quantity"], i["unit"]) for i in items["items"]] == [
        ("pork neck", 2, "kg"), ("bratwursts", 12, "piece"), ("charcoal", None, None),
        ("buns", None, None),
    ]  # fmt: skip
    [claim] = intents("I'll get the meat at the butcher")
    assert (claim["who"], claim["what"], claim["merchant"], claim["mode"]) == (
        "me", ["meat"], "butcher", "store"
    )  # fmt: skip
    [task] = intents("Cem, can you get the drinks delivered?")
    assert task["tasks"][0]["assignee"] == "cem"
    [task] = intents("I'll bring the grill 🔥")
    assert task["tasks"][0] == {"title": "bring grill", "assignee": "me", "due": None}
    assert intents("lol 😂") == []
    assert intents("who else is coming?") == []


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("Samstag um 18 Uhr grillen", "2026-11-28T18:00:00+01:00"),
        ("lass uns morgen Abend grillen", "2026-11-23T19:00:00+01:00"),
        ("übermorgen halb 3 Kaffee und Kuchen?", "2026-11-24T14:30:00+01:00"),
        ("am 5.12. um 19 Uhr Weihnachtsfeier", "2026-12-05T19:00:00+01:00"),
        ("lass uns in zwei Stunden grillen", "2026-11-22T12:00:00+01:00"),
        ("barbecue tomorrow at 7pm", "2026-11-23T19:00:00+01:00"),
        ("dinner Dec 5th 7:30pm", "2026-12-05T19:30:00+01:00"),
        ("Party am Freitag von 20 bis 23 Uhr", "2026-11-27T20:00:00+01:00"),
    ],
)
def test_time_forms(text: str, start: str) -> None:
    [event] = intents(text)
    assert event["start"] == start


def test_next_weekday_is_asked_back() -> None:
    result = understand("nächsten Samstag grillen?", now=NOW).to_dict()
    assert result["intents"][0]["start"] == "2026-11-28T19:00:00+01:00"
    assert result["ask"] == {
        "question": "Meinst du Sa 28.11. oder Sa 5.12.?",
        "options": ["2026-11-28T19:00:00+01:00", "2026-12-05T19:00:00+01:00"],
    }
    result = understand("bbq next Friday noon", now=NOW).to_dict()
    assert result["intents"][0]["start"] == "2026-11-27T12:00:00+01:00"
    assert result["ask"]["question"] == "Do you mean Fri 27 Nov or Fri 4 Dec?"


def test_daylight_saving_is_honoured() -> None:
    before_spring = datetime.fromisoformat("2027-03-27T10:00:00+01:00")
    [event] = intents("lass uns morgen um 18 Uhr grillen", now=before_spring)
    assert event["start"] == "2027-03-28T18:00:00+02:00"
    before_autumn = datetime.fromisoformat("2026-10-24T10:00:00+02:00")
    [event] = intents("party tomorrow at 8pm", now=before_autumn)
    assert event["start"] == "2026-10-25T20:00:00+01:00"


def test_time_without_day_rolls_to_tomorrow_when_past() -> None:
    late = datetime.fromisoformat("2026-11-22T20:00:00+01:00")
    [event] = intents("lass uns um 18 Uhr grillen", now=late)
    assert event["start"] == "2026-11-23T18:00:00+01:00"


def test_other_skills() -> None:
    assert intents("Bestell 3 Pizza Margherita bei Luigi für 19 Uhr") == [
        {"type": "order_food", "merchant": "Luigi",
         "items": [{"name": "Pizza Margherita", "quantity": 3}],
         "time": "2026-11-22T19:00:00+01:00"}
    ]  # fmt: skip
    assert intents("Die Metzgerei Müller war super, 5 Sterne") == [
        {"type": "rate", "target": "Metzgerei Müller", "stars": 5, "comment": "super"}
    ]
    assert intents("Termin beim Friseur Dienstag 10 Uhr") == [
        {"type": "book_appointment", "service": "Termin", "merchant": "Friseur",
         "start": "2026-11-24T10:00:00+01:00"}
    ]  # fmt: skip
    assert intents("Ich hab 23,50 € für Kohle bezahlt") == [
        {"type": "expense", "amount": "23.50", "currency": "EUR", "payer": "me",
         "description": "Kohle"}
    ]  # fmt: skip
    assert intents("Bin dabei! Ich kaufe das Fleisch beim Metzger")[0] == {
        "type": "rsvp", "answer": "yes"
    }  # fmt: skip
    assert intents("kann leider nicht")[0]["answer"] == "no"


def test_quantities() -> None:
    [items] = intents("wir brauchen ein Dutzend Eier, ein paar Zitronen und zwei Kisten Bier")
    assert [(i["name"], i["quantity"], i["unit"]) for i in items["items"]] == [
        ("Eier", 12, "piece"), ("Zitronen", 3, "piece"), ("Bier", 2, "pack")
    ]  # fmt: skip
    [items] = intents("we need a dozen eggs and 1,5 l milk", locale="en")
    assert [(i["name"], i["quantity"], i["unit"]) for i in items["items"]] == [
        ("eggs", 12, "piece"), ("milk", 1.5, "l")
    ]  # fmt: skip


def test_locale_is_detected() -> None:
    assert understand("Wir brauchen Brötchen", now=NOW).locale == "de"
    assert understand("we need buns", now=NOW).locale == "en"


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        understand("hi", now=datetime(2026, 11, 22, 10, 0))


@settings(max_examples=400, deadline=None)
@given(text=st.text(max_size=300), hour=st.integers(0, 23))
def test_never_crashes(text: str, hour: int) -> None:
    result = understand(text, now=NOW.replace(hour=hour), members=MEMBERS)
    json.loads(result.to_json())


@settings(max_examples=200, deadline=None)
@given(
    text=st.lists(
        st.sampled_from(
            [
                "am",
                "um",
                "Samstag",
                "31.2.",
                "99.99.",
                "halb",
                "24",
                "25:99",
                "in",
                "99999",
                "Stunden",
                "kg",
                "€",
                "5 Sterne",
                "bestell",
                "Termin",
                "next",
                "nächsten",
                ",",
                "und",
                "ich",
                "bring",
                "mit",
                "Dec",
                "0th",
                "-",
                "bis",
                "12/0",
                "½",
                "x",
            ]
        ),
        max_size=12,
    ).map(" ".join)
)
def test_never_crashes_on_near_misses(text: str) -> None:
    understand(text, now=NOW, members=MEMBERS).to_json()


def test_cli_prints_the_json_form() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "kosmos.cli", "assistant", "parse",
         "Lass uns am Samstag um 18 Uhr im Stadtpark grillen!",
         "--now", "2026-11-22T10:00:00+01:00", "--members", "anna,ben,cem,dora", "--json"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert json.loads(out.stdout)["intents"][0]["start"] == "2026-11-28T18:00:00+01:00"
