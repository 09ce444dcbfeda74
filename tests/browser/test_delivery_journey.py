"""The second half of the barbecue in three real browsers: anna plans the barbecue in the
group chat, cem puts drinks and a chilled salad on the list and has them delivered to the
parcel station nearest the Stadtpark for Saturday; kaya of the supermarket packs, plans
the route and puts the parcel into the locker (the simulated station opens over MQTT);
the chat shows the locker card; anna opens the compartment at the station with the code
and confirms the pickup, and cem's tracking page follows live."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect
from tests.browser.test_assistant_journey import _card, _confirm, _write
from tests.browser.test_chat_journey import _phone


def _log_in(page, username: str, password: str) -> None:  # noqa: ANN001
    page.goto("/login")
    page.locator("input[name=login]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form[action='/login'] button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile("Hallo|Hello"))


def test_cem_has_drinks_and_salad_delivered_to_the_locker_and_anna_picks_them_up(
    browser,
    live_server,  # noqa: ANN001
) -> None:
    contexts = {}
    pages = {}
    for name in ("anna", "cem", "kaya"):
        contexts[name], pages[name] = _phone(browser, live_server)
    anna, cem, kaya = pages["anna"], pages["cem"], pages["kaya"]
    group = f"Grillfreunde {uuid.uuid4().hex[:4]}"
    try:
        _log_in(anna, "anna", "grillen-anna-2026")
        _log_in(cem, "cem", "grillen-cem-2026")
        _log_in(kaya, "kaya", "markt-kaya-2026")

        # the barbecue in the group chat, with drinks and salad on the list
        anna.goto("/chats")
        anna.get_by_label("Gruppenname").fill(group)
        anna.get_by_role("checkbox", name="Cem").check()
        anna.get_by_role("button", name="Gruppe erstellen").click()
        expect(anna.locator(".chat-title strong")).to_have_text(group)
        cem.goto("/chats")
        cem.locator("#chat-list").get_by_role("link", name=group).click()
        _write(anna, "Lass uns am Samstag um 18 Uhr im Stadtpark grillen!")
        _confirm(anna, "event_proposal", "Bestätigen")
        expect(_card(cem, "event")).to_contain_text("Stadtpark")
        _write(cem, "Wir brauchen 6 Flaschen Mineralwasser und 2 Kartoffelsalat")
        _confirm(cem, "items_proposal", "Bestätigen")
        expect(_card(cem, "list_shopping")).to_contain_text("Kartoffelsalat")
        chat_url = cem.url

        # cem has money in the wallet (cem's account speaks English; the chat is German)
        cem.goto("/wallet")
        cem.get_by_label("Amount in EUR").first.fill("50.00")
        cem.get_by_label("Card number or IBAN").fill("4242 4242 4242 4242")
        cem.get_by_role("button", name="Top up").click()
        expect(cem.locator(".flash")).to_contain_text("Money added to your wallet")

        # from the event card: deliver the list to a locker near the Stadtpark
        cem.goto(chat_url)
        _card(cem, "event").get_by_role("link", name="Ins Schließfach liefern").click()
        expect(cem.get_by_role("heading", level=1)).to_have_text("Deliver to a locker")
        lines = cem.get_by_test_id("event-lines")
        expect(lines).to_contain_text("Mineralwasser")
        expect(lines).to_contain_text("Kartoffelsalat")
        station = cem.get_by_label("Parcel station")
        expect(station.locator("option:checked")).to_contain_text("Packstation Stadtpark")
        expect(cem.get_by_label(re.compile("^Slot")).locator("option:checked")
               ).to_contain_text("Sat")  # fmt: skip
        cem.get_by_role("button", name="Order and pay").click()
        tracking = cem.get_by_test_id("tracking")
        expect(tracking).to_have_attribute("data-status", "placed")
        expect(cem.get_by_test_id("station")).to_contain_text("Packstation Stadtpark")
        expect(cem.locator("html")).to_have_attribute("data-live-ready", "1")

        # kaya packs, plans the route and drives: the station opens the compartment
        kaya.goto("/courier")
        order = kaya.locator("li[data-order]").filter(has_text="Packstation Stadtpark").last
        order.get_by_role("button", name="Gepackt").click()
        expect(kaya.locator(".flash")).to_contain_text("packed")
        kaya.get_by_role("button", name="Routen planen").first.click()
        expect(kaya.get_by_test_id("stops")).to_contain_text("Packstation Stadtpark")
        stop = kaya.get_by_test_id("stops").locator("li").filter(has_text="Packstation Stadtpark")
        stop.get_by_role("button", name="Losfahren").click()
        expect(tracking).to_have_attribute("data-status", "on_the_way")  # cem sees it live
        stop = kaya.get_by_test_id("stops").locator("li").filter(has_text="Packstation Stadtpark")
        stop.get_by_role("button", name="Ins Schließfach").click()
        expect(kaya.locator(".flash")).to_contain_text("in_locker")
        expect(tracking).to_have_attribute("data-status", "in_locker")
        code = cem.get_by_test_id("pickup-code").inner_text()
        assert re.fullmatch(r"[1-9]\d{5}", code)

        # the locker card is in the group chat
        anna.goto(chat_url)
        card = _card(anna, "locker")
        expect(card).to_contain_text("Eure Lieferung liegt in Packstation Stadtpark, Fach")
        expect(card).to_contain_text(f"Code {code}")
        expect(card.locator("img.card-image")).to_be_visible()

        # anna picks it up at the station with the code
        card.get_by_role("link", name="Zur Station").click()
        expect(anna.get_by_role("heading", level=1)).to_have_text("Packstation Stadtpark")
        anna.get_by_label("Abholcode").fill("123")
        anna.get_by_role("button", name="Fach öffnen").click()
        expect(anna.locator("#e-code")).to_contain_text("6 Ziffern")
        anna.get_by_label("Abholcode").fill(code)
        anna.get_by_role("button", name="Fach öffnen").click()
        expect(anna.get_by_test_id("opened")).to_contain_text("ist offen")
        anna.get_by_role("button", name="Abholung bestätigen").click()
        expect(anna.get_by_test_id("pickup-done")).to_be_visible()
        expect(tracking).to_have_attribute("data-status", "picked_up")
        anna.goto(chat_url)
        expect(_card(anna, "locker")).to_contain_text("Abgeholt")
    finally:
        for context in contexts.values():
            context.close()
