"""The barbecue story through the API: Kosmo reads the group chat, proposes cards, and
Confirm turns them into an event with RSVP and a calendar file, a shopping list matched to
the catalog, claims and to-dos; chit-chat gets no reply; who may press what."""

from __future__ import annotations

import pytest
from icalendar import Calendar
from tests.assistant_support import (
    card_of,
    demo_accounts,
    group,
    kosmo_cards,
    press,
    say,
)
from tests.support import make_account


@pytest.fixture
def people(db):
    return demo_accounts(db)


@pytest.fixture
def chat(client, people):
    return group(client, people)


def test_the_barbecue_story_in_german(client, people, chat):
    anna, ben, cem, dora = (people[n] for n in ("anna", "ben", "cem", "dora"))
    say(client, anna, chat, "Lass uns am Samstag um 18 Uhr im Stadtpark grillen!")
    proposal = card_of(client, ben, chat, "event_proposal")
    assert proposal["card"]["title"] == "Grillen"
    assert {f["label"]: f["value"] for f in proposal["card"]["fields"]} == {
        "Wann": "Sa 28.11., 18:00", "Wo": "Stadtpark"}  # fmt: skip
    assert [b["label"] for b in proposal["card"]["buttons"]] == ["Bestätigen", "Verwerfen"]
    assert proposal["card"]["links"][0]["label"] == "Bearbeiten"

    confirmed = press(client, anna, proposal["id"], "confirm", proposal["card"]["buttons"][0]
                      ["value"])  # fmt: skip
    assert confirmed.status_code == 200, confirmed.text
    event_card = confirmed.json()["card"]
    assert event_card["type"] == "event"
    assert [b["value"] for b in event_card["buttons"]] == ["yes", "maybe", "no"]
    event_id = event_card["ref"]["event"]
    r = press(client, ben, proposal["id"], "rsvp", "yes")
    assert r.json()["card"]["tally"][0] == {"value": "yes", "label": "Zusage", "count": 1,
                                            "user_ids": [ben.id]}  # fmt: skip
    event = client.get(f"/api/v1/assistant/events/{event_id}", headers=cem.headers).json()
    assert (event["title"], event["start"], event["place"]) == (
        "Grillen", "2026-11-28T17:00:00+00:00", "Stadtpark")  # fmt: skip
    assert event["rsvps"] == [{"user": "Ben Müller", "answer": "yes"}]
    ics = client.get(f"/assistant/events/{event_id}.ics", headers=cem.headers)
    assert ics.headers["content-type"].startswith("text/calendar")
    [vevent] = Calendar.from_ical(ics.content).walk("VEVENT")
    assert str(vevent["summary"]) == "Grillen" and str(vevent["location"]) == "Stadtpark"
    assert vevent.decoded("dtstart").isoformat() == "2026-11-28T17:00:00+00:00"

    say(client, ben, chat, "Wir brauchen 2 kg Nackensteaks, 12 Bratwürste, Grillkohle und Brötchen")
    items_card = card_of(client, anna, chat, "items_proposal")
    fields = {f["label"]: f["value"] for f in items_card["card"]["fields"]}
    assert fields["2 kg Nackensteaks"] == "Nackensteak · Metzgerei Huber · ~25,80\xa0€"
    assert fields["12× Bratwürste"] == "Bratwurst grob · Metzgerei Huber · ~20,85\xa0€"
    assert "Frischmarkt" in fields["Grillkohle"]
    press(client, ben, items_card["id"], "confirm", items_card["card"]["buttons"][0]["value"])
    shopping = card_of(client, dora, chat, "list_shopping")
    assert [e["label"] for e in shopping["card"]["checklist"]] == [
        "2 kg Nackensteaks", "12× Bratwürste", "Grillkohle", "Brötchen"]  # fmt: skip

    say(client, ben, chat, "Ich kaufe das Fleisch beim Metzger")
    claim = card_of(client, ben, chat, "claim_proposal")
    assert claim["card"]["title"] == "Ben Müller übernimmt"
    refused = press(client, anna, claim["id"], "confirm", claim["card"]["buttons"][0]["value"])
    assert refused.status_code == 403
    assert refused.json()["code"] == "not_your_claim"
    press(client, ben, claim["id"], "confirm", claim["card"]["buttons"][0]["value"])
    list_id = shopping["card"]["ref"]["list"]
    listed = client.get(f"/api/v1/assistant/lists/{list_id}", headers=anna.headers).json()
    by_title = {i["title"]: i for i in listed["items"]}
    assert by_title["Nackensteaks"]["assignee"] == "Ben Müller"
    assert by_title["Nackensteaks"]["fulfilment"] == "store"
    assert by_title["Nackensteaks"]["fulfilment_at"] == "Metzgerei Huber"
    assert by_title["Bratwürste"]["assignee"] == "Ben Müller"
    assert by_title["Grillkohle"]["assignee"] is None

    say(client, anna, chat, "Cem, kannst du die Getränke liefern lassen?")
    task = card_of(client, cem, chat, "task_proposal")
    assert task["card"]["fields"] == [{"label": "Getränke liefern lassen", "value": "Cem Demir"}]
    press(client, cem, task["id"], "confirm", task["card"]["buttons"][0]["value"])
    wish = client.get(f"/api/v1/assistant/lists/{list_id}", headers=anna.headers).json()
    drinks = next(i for i in wish["items"] if i["title"] == "Getränke")
    assert (drinks["assignee"], drinks["fulfilment"]) == ("Cem Demir", "delivery")
    say(client, dora, chat, "Ich bring den Grill mit 🔥")
    task = card_of(client, cem, chat, "task_proposal")
    assert task["card"]["fields"] == [{"label": "Grill mitbringen", "value": "Dora Becker"}]
    press(client, dora, task["id"], "confirm", task["card"]["buttons"][0]["value"])
    todo = card_of(client, anna, chat, "list_todo")
    assert [(e["label"], e["detail"]) for e in todo["card"]["checklist"]] == [
        ("Getränke liefern lassen", "→ Cem Demir"),
        ("Grill mitbringen", "→ Dora Becker"),
    ]

    before = len(kosmo_cards(client, anna, chat))
    say(client, cem, chat, "haha 😂")
    say(client, dora, chat, "wer kommt noch?")
    assert len(kosmo_cards(client, anna, chat)) == before

    coal = next(e for e in shopping["card"]["checklist"] if e["label"] == "Grillkohle")
    r = press(client, cem, shopping["id"], "toggle", coal["value"])
    assert r.status_code == 200, r.text
    assert next(e for e in r.json()["card"]["checklist"] if e["label"] == "Grillkohle")["done"]


def test_the_story_in_english(client, people, chat):
    anna, ben = people["anna"], people["ben"]
    say(client, anna, chat, "Let's have a barbecue on Saturday at 6pm in the city park!")
    proposal = card_of(client, ben, chat, "event_proposal")
    assert proposal["card"]["title"] == "Barbecue"
    assert {f["label"]: f["value"] for f in proposal["card"]["fields"]} == {
        "When": "Sat 28 Nov, 18:00", "Where": "city park"}  # fmt: skip
    assert [b["label"] for b in proposal["card"]["buttons"]] == ["Confirm", "Dismiss"]
    press(client, ben, proposal["id"], "confirm", proposal["card"]["buttons"][0]["value"])
    say(client, ben, chat, "We need 2 kg pork neck, 12 sausages, charcoal and buns")
    items = card_of(client, anna, chat, "items_proposal")
    assert items["card"]["title"] == "Add to the shopping list?"
    assert {f["label"] for f in items["card"]["fields"]} == {
        "2 kg pork neck", "12× sausages", "charcoal", "buns"}  # fmt: skip
    say(client, ben, chat, "I'll get the meat at the butcher")
    claim = card_of(client, ben, chat, "claim_proposal")
    assert claim["card"]["title"] == "Ben Müller takes"


def test_a_question_about_the_day_is_asked_back(client, people, chat):
    say(client, people["anna"], chat, "nächsten Samstag grillen?")
    card = card_of(client, people["ben"], chat, "event_question")
    assert card["card"]["note"] == "Meinst du Sa 28.11. oder Sa 5.12.?"
    r = press(client, people["ben"], card["id"], "choose", "2026-12-05T19:00:00+01:00")
    assert r.json()["card"]["type"] == "event"
    assert r.json()["card"]["fields"][0]["value"] == "Sa 5.12., 19:00"


def test_outsiders_see_and_press_nothing(client, db, people, chat):
    eve = make_account(db, "eve")
    say(client, people["anna"], chat, "Lass uns am Samstag um 18 Uhr im Stadtpark grillen!")
    proposal = card_of(client, people["ben"], chat, "event_proposal")
    value = proposal["card"]["buttons"][0]["value"]
    assert press(client, eve, proposal["id"], "confirm", value).status_code == 404
    event = press(client, people["anna"], proposal["id"], "confirm", value).json()
    event_id = event["card"]["ref"]["event"]
    assert (
        client.get(f"/api/v1/assistant/events/{event_id}", headers=eve.headers).status_code == 404
    )
    assert client.post(f"/api/v1/assistant/events/{event_id}/rsvp", headers=eve.headers,
                       json={"answer": "yes"}).status_code == 404  # fmt: skip
    assert client.get(f"/assistant/events/{event_id}.ics", headers=eve.headers).status_code == 404
    r = press(client, people["anna"], proposal["id"], "confirm", value)
    assert r.status_code == 422  # decided once
    assert client.post(f"/api/v1/assistant/events/{event_id}/rsvp", headers=people["cem"].headers,
                       json={"answer": "perhaps"}).status_code == 422  # fmt: skip


def test_a_dismissed_proposal_does_nothing(client, people, chat):
    say(client, people["anna"], chat, "Lass uns am Samstag um 18 Uhr im Stadtpark grillen!")
    proposal = card_of(client, people["ben"], chat, "event_proposal")
    r = press(client, people["cem"], proposal["id"], "dismiss", proposal["card"]["buttons"][1]
              ["value"])  # fmt: skip
    assert r.json()["card"]["note"] == "Verworfen von Cem Demir"
    assert r.json()["card"]["buttons"] == []
