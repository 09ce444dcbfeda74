"""Pay Places in two real browsers: the butcher's till asks for 23,50 EUR and shows a QR
and a short code; ben types the code on his phone, sees merchant, lines and amount, pays;
the till turns to "paid" live, without a reload."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from tests.browser.test_search_journey import log_in

PHONE = {"width": 390, "height": 844}


def test_till_asks_ben_pays_till_sees_paid(browser, live_server) -> None:  # noqa: ANN001
    till_ctx = browser.new_context(base_url=live_server, locale="de-DE", viewport=PHONE)
    phone_ctx = browser.new_context(base_url=live_server, locale="de-DE", viewport=PHONE)
    try:
        till = till_ctx.new_page()
        phone = phone_ctx.new_page()
        for page in (till, phone):
            page.set_default_timeout(10_000)
        log_in(till, "huber", "metzger-huber-2026")
        log_in(phone, "ben", "grillen-ben-2026")
        # ben has money in his wallet
        phone.goto("/wallet")
        phone.get_by_label("Betrag in EUR").first.fill("50,00")
        phone.get_by_label("Kartennummer oder IBAN").fill("4242 4242 4242 4242")
        phone.get_by_role("button", name="Aufladen").click()
        expect(phone.locator(".flash")).to_contain_text("Geld ist in deiner Wallet")

        # the till asks for two products
        till.goto("/pos")
        expect(till.get_by_role("heading", level=1)).to_contain_text("Kasse")
        till.locator("summary", has_text="Produkte").click()
        product = till.locator("select[name=product_0] option", has_text="Nackensteak").first
        till.locator("select[name=product_0]").select_option(product.get_attribute("value"))
        till.locator("input[name=quantity_0]").fill("1,5")
        till.get_by_role("button", name="QR-Code anzeigen").click()
        status = till.get_by_test_id("pos-status")
        expect(status).to_have_attribute("data-status", "open")
        expect(till.locator(".qr svg")).to_be_visible()
        short = till.get_by_test_id("short-code").inner_text()
        amount = till.get_by_role("heading", level=1).inner_text()
        expect(till.locator("html")).to_have_attribute("data-live-ready", "1")

        # ben opens Scan & Zahlen from the bottom navigation and types the code
        phone.get_by_role("navigation", name="Bereiche").get_by_role(
            "link", name="Scannen & Zahlen"
        ).click()
        phone.get_by_label("Oder gib den Code unter dem QR-Code ein").fill(short.lower())
        phone.get_by_role("button", name="Weiter").click()
        expect(phone.get_by_role("heading", level=1)).to_contain_text("Metzgerei")
        expect(phone.get_by_test_id("lines")).to_contain_text("Nackensteak")
        expect(phone.get_by_test_id("amount")).to_have_text(amount)
        phone.get_by_test_id("pay").click()
        expect(phone).to_have_url(re.compile(r"/wallet/receipts/pay_"))
        expect(phone.locator("main")).to_contain_text("Nackensteak")

        # the till shows "paid" without a reload
        expect(status).to_have_attribute("data-status", "paid")
        expect(till.get_by_test_id("pos-status")).to_contain_text("Bezahlt")
    finally:
        till_ctx.close()
        phone_ctx.close()
