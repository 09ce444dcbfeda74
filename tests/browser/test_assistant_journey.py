"""The barbecue story in four real browsers (anna, ben, cem and dora), in German and in
English: Kosmo turns the chat into an event with RSVP, a shopping list matched to the
catalog, claims and to-dos; a check-off reaches everyone live; chit-chat gets no reply."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect
from tests.browser.test_chat_journey import _phone

PASSWORDS = {n: f"grillen-{n}-2026" for n in ("anna", "ben", "cem", "dora")}

STORY = {
    "de": {
        "event": "Lass uns am Samstag um 18 Uhr im Stadtpark grillen!",
        "items": "Wir brauchen 2 kg Nackensteaks, 12 Bratwürste, Grillkohle und Brötchen",
        "claim": "Ich kaufe das Fleisch beim Metzger",
        "ask_cem": "Cem, kannst du die Getränke liefern lassen?",
        "grill": "Ich bring den Grill mit 🔥",
        "chitchat": "haha 😂",
        "title": "Grillen", "place": "Stadtpark", "confirm": "Bestätigen", "yes": "Zusage",
        "first_item": "2 kg Nackensteaks", "detail": "Nackensteak · Metzgerei Huber",
        "claimed": "→ Ben Müller (im Laden bei Metzgerei Huber)",
        "coal": "Grillkohle", "cem_task": "Getränke liefern lassen",
        "dora_task": "Grill mitbringen",
    },
    "en": {
        "event": "Let's have a barbecue on Saturday at 6pm in the city park!",
        "items": "We need 2 kg pork neck, 12 sausages, charcoal and buns",
        "claim": "I'll get the sausages at the butcher",
        "ask_cem": "Cem, can you get the drinks delivered?",
        "grill": "I'll bring the grill 🔥",
        "chitchat": "lol 😂",
        "title": "Barbecue", "place": "city park", "confirm": "Confirm", "yes": "Going",
        "first_item": "2 kg pork neck", "detail": "",
        "claimed": "→ Ben Müller (in store at Metzgerei Huber)",
        "coal": "charcoal", "cem_task": "get drinks delivered", "dora_task": "bring grill",
    },
}  # fmt: skip


def _log_in(page, username: str) -> None:
    page.goto("/login")
    page.locator("input[name=login]").fill(username)
    page.locator("input[name=password]").fill(PASSWORDS[username])
    page.locator("form[action='/login'] button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile("Hallo|Hello"))


def _write(page, text: str) -> None:
    page.locator("#message-text").fill(text)
    page.locator("#send-button").click()


def _card(page, kind: str):  # noqa: ANN202
    return page.locator(f".msg.kosmos .msg-card[data-card='{kind}']").last


def _confirm(page, kind: str, label: str) -> None:
    card = _card(page, kind)
    card.get_by_role("button", name=label).click()


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_barbecue_story_in_four_browsers(browser, live_server, lang: str) -> None:
    s = STORY[lang]
    contexts, pages = {}, {}
    errors: list[str] = []
    for name in PASSWORDS:
        contexts[name], pages[name] = _phone(browser, live_server)
        pages[name].on("console", lambda m: m.type == "error" and errors.append(m.text))
    anna, ben, cem, dora = (pages[n] for n in ("anna", "ben", "cem", "dora"))
    group = f"Grillfreunde {lang} {uuid.uuid4().hex[:4]}"
    try:
        for name, page in pages.items():
            _log_in(page, name)
        anna.goto("/chats")
        anna.get_by_label("Gruppenname").fill(group)
        for friend in ("Ben", "Cem", "Dora"):
            anna.get_by_role("checkbox", name=friend).check()
        anna.get_by_role("button", name="Gruppe erstellen").click()
        expect(anna.locator(".chat-title strong")).to_have_text(group)
        for page in (ben, cem, dora):
            page.goto("/chats")
            page.locator("#chat-list").get_by_role("link", name=group).click()
            expect(page.locator(".chat-title strong")).to_have_text(group)

        # anna proposes the barbecue; Kosmo answers with an event card for everyone
        _write(anna, s["event"])
        for page in pages.values():
            proposal = _card(page, "event_proposal")
            expect(proposal).to_contain_text(s["title"])
            expect(proposal).to_contain_text("18:00")
            expect(proposal).to_contain_text(s["place"])
        _confirm(anna, "event_proposal", s["confirm"])
        event = _card(ben, "event")
        going = re.compile("^" + s["yes"])
        expect(event.get_by_role("button", name=going)).to_be_visible()
        event.get_by_role("button", name=going).click()
        expect(_card(dora, "event").get_by_role("button", name=f"{s['yes']} · 1")).to_be_visible()
        ics = _card(cem, "event").get_by_role("link", name=".ics")
        expect(ics).to_have_attribute("href", re.compile(r"/assistant/events/\d+\.ics$"))

        # ben puts the shopping on the list
        _write(ben, s["items"])
        expect(_card(ben, "items_proposal")).to_contain_text(s["first_item"])
        if s["detail"]:
            expect(_card(ben, "items_proposal")).to_contain_text(s["detail"])
        _confirm(ben, "items_proposal", s["confirm"])
        shopping = _card(dora, "list_shopping")
        expect(shopping.get_by_role("checkbox")).to_have_count(4)
        expect(shopping.get_by_role("checkbox").first).to_contain_text(s["first_item"])

        # ben claims the meat at the butcher (only he can confirm his claim)
        _write(ben, s["claim"])
        expect(_card(anna, "claim_proposal")).to_contain_text("Ben Müller")
        _confirm(ben, "claim_proposal", s["confirm"])
        expect(_card(cem, "list_shopping")).to_contain_text(s["claimed"])

        # anna asks cem to get the drinks delivered; dora brings the grill
        _write(anna, s["ask_cem"])
        expect(_card(cem, "task_proposal")).to_contain_text("Cem Demir")
        _confirm(cem, "task_proposal", s["confirm"])
        _write(dora, s["grill"])
        expect(_card(dora, "task_proposal")).to_contain_text("Dora Becker")
        _confirm(dora, "task_proposal", s["confirm"])
        todo = _card(anna, "list_todo")
        expect(todo).to_contain_text(s["cem_task"])
        expect(todo).to_contain_text(s["dora_task"])

        # cem checks off the charcoal; dora sees it live
        _card(cem, "list_shopping").get_by_role("checkbox", name=s["coal"]).click()
        expect(_card(dora, "list_shopping").get_by_role("checkbox", name=s["coal"])
               ).to_have_attribute("aria-checked", "true")  # fmt: skip

        # chit-chat gets no reply
        cards_before = anna.locator(".msg.kosmos").count()
        _write(cem, s["chitchat"])
        expect(anna.locator(".msg.theirs").last).to_contain_text(s["chitchat"])
        anna.wait_for_timeout(700)
        assert anna.locator(".msg.kosmos").count() == cards_before
        assert not [e for e in errors if "Content Security Policy" in e], errors
    finally:
        for context in contexts.values():
            context.close()
