"""The messenger in two real browsers: anna starts the group "Grillfreunde" with ben and
writes; ben sees it live without reloading and reacts with 👍; anna sees the reaction live
(and the read ticks turn blue). A message is shown as text, never as HTML."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect
from tests.browser.test_search_journey import log_in


def _phone(browser, live_server):  # noqa: ANN001, ANN202
    context = browser.new_context(
        base_url=live_server, locale="de-DE", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def test_anna_writes_ben_sees_it_live_and_reacts_and_anna_sees_the_reaction(browser, live_server):
    anna_ctx, anna = _phone(browser, live_server)
    ben_ctx, ben = _phone(browser, live_server)
    errors: list[str] = []
    for page in (anna, ben):
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    name = f"Grillfreunde {uuid.uuid4().hex[:4]}"
    try:
        log_in(anna, "anna", "grillen-anna-2026")
        log_in(ben, "ben", "grillen-ben-2026")
        # anna starts the group from the chat list
        anna.get_by_role("navigation", name="Bereiche").get_by_role("link", name="Chats").click()
        anna.get_by_label("Gruppenname").fill(name)
        anna.get_by_role("checkbox", name="Ben").check()
        anna.get_by_role("button", name="Gruppe erstellen").click()
        expect(anna.locator(".chat-title strong")).to_have_text(name)
        # ben opens it from his chat list
        ben.goto("/chats")
        ben.locator("#chat-list").get_by_role("link", name=name).click()
        expect(ben.locator(".older")).to_have_text("Das ist der Anfang der Unterhaltung.")
        # anna writes (with a shortcode and something that looks like HTML)
        anna.get_by_label("Nachricht", exact=True).fill(
            "Samstag 18 Uhr im Stadtpark :fire: <b>ok?</b>"
        )
        anna.get_by_role("button", name="Senden").click()
        text = "Samstag 18 Uhr im Stadtpark 🔥 <b>ok?</b>"
        expect(anna.locator(".msg.mine .msg-text")).to_have_text(text)
        # ben sees it live, without reloading, as plain text
        message = ben.locator(".msg.theirs").filter(has_text="Stadtpark")
        expect(message.locator(".msg-text")).to_have_text(text)
        assert message.locator("b").count() == 0
        expect(message.locator(".msg-sender")).to_have_text("Anna Schmidt")
        # he reacts with 👍
        message.get_by_role("button", name="Reagieren").click()
        ben.locator("#emoji-picker").get_by_role("button", name="👍").click()
        expect(message.locator(".reaction")).to_have_text("👍 1")
        # anna sees the reaction live, and that ben has read her message
        mine = anna.locator(".msg.mine").filter(has_text="Stadtpark")
        expect(mine.locator(".reaction")).to_have_text("👍 1")
        expect(mine.locator(".ticks")).to_have_attribute("aria-label", "gelesen")
        # ben's chat list shows the group with its last message, no longer unread
        ben.goto("/chats")
        row = ben.locator(".chat-row").filter(has_text=name)
        expect(row.locator(".chat-preview")).to_contain_text("Stadtpark")
        assert not [e for e in errors if "Content Security Policy" in e], errors
    finally:
        anna_ctx.close()
        ben_ctx.close()
