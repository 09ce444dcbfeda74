"""The household's shopping list in two browsers (anna and dora share "WG Lindenstraße"):
dora adds items in her own words, anna sees them without reloading and checks one off, dora
sees that live; an empty entry gets a message next to the field."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect
from tests.browser.test_assistant_journey import _log_in
from tests.browser.test_chat_journey import _phone


def _open_lists(page) -> None:  # noqa: ANN001
    page.goto("/household")
    page.get_by_role(
        "link", name=re.compile("Einkaufs- und To-do-Listen|Shopping and to-do")
    ).click()


def test_household_list_is_live_for_both(browser, live_server) -> None:
    anna_ctx, anna = _phone(browser, live_server)
    dora_ctx, dora = _phone(browser, live_server)
    thing = f"Zitronen{uuid.uuid4().hex[:4]}"
    try:
        _log_in(anna, "anna")
        _log_in(dora, "dora")
        _open_lists(anna)
        _open_lists(dora)
        shopping_anna = anna.locator("[data-list]").first
        shopping_dora = dora.locator("[data-list]").first
        shopping_dora.get_by_role("textbox").fill(f"2 kg Äpfel und 3 {thing}")
        shopping_dora.get_by_role("button", name=re.compile("Hinzufügen|Add")).click()
        expect(shopping_dora.get_by_role("checkbox", name=re.compile(thing))).to_be_visible()
        # anna sees them without reloading
        item = shopping_anna.get_by_role("checkbox", name=re.compile(thing))
        expect(item).to_be_visible()
        expect(
            shopping_anna.get_by_role("checkbox", name=re.compile("Äpfel")).first
        ).to_be_visible()
        item.click()
        expect(shopping_anna.get_by_role("checkbox", name=re.compile(thing))).to_have_attribute(
            "aria-checked", "true"
        )
        expect(shopping_dora.get_by_role("checkbox", name=re.compile(thing))).to_have_attribute(
            "aria-checked", "true"
        )
        # nothing typed: a message next to the field, nothing added
        shopping_dora.get_by_role("textbox").fill("!!!")
        shopping_dora.get_by_role("button", name=re.compile("Hinzufügen|Add")).click()
        expect(dora.locator("[data-list]").first.get_by_role("alert")).to_be_visible()
    finally:
        anna_ctx.close()
        dora_ctx.close()
