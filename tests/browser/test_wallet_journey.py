"""The wallet in the browser: anna tops up with a sandbox card and sends ben money;
a form sent twice with the same idempotency key moves the money once."""

import re

from playwright.sync_api import expect
from tests.browser.test_search_journey import log_in


def _balance(page):
    return page.get_by_test_id("balance")


def test_anna_tops_up_sends_ben_1250_and_both_see_it(browser, live_server):
    anna_ctx = browser.new_context(
        base_url=live_server, locale="de-DE", viewport={"width": 390, "height": 844}
    )
    ben_ctx = browser.new_context(
        base_url=live_server, locale="de-DE", viewport={"width": 390, "height": 844}
    )
    try:
        anna = anna_ctx.new_page()
        anna.set_default_timeout(10_000)
        log_in(anna, "anna", "grillen-anna-2026")
        # anna opens her wallet from the bottom navigation
        anna.get_by_role("navigation", name="Bereiche").get_by_role("link", name="Wallet").click()
        expect(anna.get_by_role("heading", level=1)).to_have_text("Wallet")
        start = _cents(_balance(anna).inner_text())
        # she tops up 50 EUR with the sandbox card
        anna.get_by_label("Betrag in EUR").fill("50,00")
        anna.get_by_label("Kartennummer oder IBAN").fill("4242 4242 4242 4242")
        anna.get_by_role("button", name="Aufladen").click()
        expect(anna.locator(".flash")).to_contain_text("Geld ist in deiner Wallet")
        expect(_balance(anna)).to_have_text(_euro(start + 5000))
        # she sends ben 12,50 EUR for the charcoal
        ben_option = anna.get_by_label("Freund").locator("option", has_text="@ben")
        anna.get_by_label("Freund").select_option(ben_option.get_attribute("value"))
        anna.get_by_label("Wie viel? (EUR)").fill("12,50")
        anna.get_by_label("Wofür?").fill("Grillkohle")
        form = anna.locator("form[action='/wallet/send']")
        key = form.locator("input[name=idempotency_key]").input_value()
        csrf = form.locator("input[name=csrf_token]").input_value()
        friend = anna.get_by_label("Freund").input_value()
        anna.get_by_role("button", name="Senden").click()
        expect(anna.locator(".flash")).to_contain_text("Geld gesendet")
        expect(_balance(anna)).to_have_text(_euro(start + 5000 - 1250))
        row = anna.get_by_test_id("history").locator("li").filter(has_text="An Ben").first
        expect(row).to_contain_text("-12,50")
        expect(row).to_contain_text("Grillkohle")
        # the same form sent again (same idempotency key) does not move money twice
        again = anna.request.post(
            "/wallet/send",
            form={
                "csrf_token": csrf,
                "idempotency_key": key,
                "friend_id": friend,
                "send_amount": "12,50",
                "note": "Grillkohle",
            },  # fmt: skip
        )
        assert again.ok
        assert again.url.endswith("/wallet?done=again")
        anna.reload()
        expect(_balance(anna)).to_have_text(_euro(start + 5000 - 1250))
        expect(
            anna.get_by_test_id("history").locator("li").filter(has_text="An Ben")
        ).to_have_count(1)
        # ben sees the money in his history
        ben = ben_ctx.new_page()
        ben.set_default_timeout(10_000)
        log_in(ben, "ben", "grillen-ben-2026")
        ben.goto("/wallet")
        incoming = ben.get_by_test_id("history").locator("li").filter(has_text="Von Anna").first
        expect(incoming).to_contain_text("+12,50")
        expect(incoming).to_contain_text("Grillkohle")
    finally:
        anna_ctx.close()
        ben_ctx.close()


def _cents(text: str) -> int:
    digits = re.sub(r"[^0-9-]", "", text)
    return int(digits or 0)


def _euro(cents: int) -> str:
    euros, rest = divmod(cents, 100)
    return re.compile(rf"{euros:,}".replace(",", ".") + rf",{rest:02d}\s€")
