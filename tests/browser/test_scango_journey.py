"""Scan&Go in two phones: ben checks in at the butcher through the store's QR address,
types the scale label of a 1.234 kg Nackensteak and a pack of Wiener Würstchen, sees the
label's price, the total and the VAT (a second tab of his follows live), pays and gets an
exit pass; Hans Huber at the exit gate sees the paid pass appear, types its code and is
told to let ben go, and ben's pass says goodbye without a reload."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from kosmos.catalog.demo.products import DEMO_SCALE_LABEL, PRODUCTS

BUTCHER = "metzgerei-huber-marktplatz"
WIENER = next(p["gtin"] for p in PRODUCTS if p["name"] == "Wiener Würstchen")


def _phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server, locale="de-DE", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def _log_in(page, live_server, username: str, password: str) -> None:
    page.goto("/login")
    page.locator("input[name=login]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form[action='/login'] button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile("Hallo|Hello"))
    # English pages: the texts below are the msgids, whatever the German catalog says
    page.context.add_cookies([{"name": "kosmos_locale", "value": "en", "url": live_server}])


def _live(page) -> None:
    expect(page.locator("html[data-live-ready]")).to_have_count(1)


def test_ben_shops_with_scan_and_go_and_huber_lets_him_out(browser, live_server):
    # the live server runs with KOSMOS_SCANGO_RESCAN_ONE_IN=0: the gate says goodbye at once
    ben_ctx, ben = _phone(browser, live_server)
    huber_ctx, huber = _phone(browser, live_server)
    try:
        _log_in(ben, live_server, "ben", "grillen-ben-2026")
        _log_in(huber, live_server, "huber", "metzger-huber-2026")
        # ben tops up 50 EUR
        ben.goto("/wallet")
        ben.get_by_label("Amount in EUR").fill("50.00")
        ben.get_by_label("Card number or IBAN").fill("4242 4242 4242 4242")
        ben.get_by_role("button", name="Top up").click()
        expect(ben.locator(".flash")).to_be_visible()
        # huber opens the exit gate from his Scan&Go staff page
        huber.goto("/scango/staff")
        huber.get_by_role("link", name="Exit gate").click()
        expect(huber.get_by_role("heading", level=1)).to_have_text(
            "Exit gate · Metzgerei Huber am Marktplatz"
        )
        _live(huber)
        # ben opens the address of the store's QR code and checks in
        ben.goto(f"/go/{BUTCHER}")
        ben.get_by_role("button", name="Start shopping").click()
        expect(ben.get_by_role("heading", level=1)).to_have_text(
            "Scan&Go · Metzgerei Huber am Marktplatz"
        )
        cart_url = ben.url
        # he types the scale label of the Nackensteak pack
        ben.get_by_label("Barcode number").fill(DEMO_SCALE_LABEL["ean_weight"])
        ben.get_by_role("button", name="Add to cart").click()
        line = ben.get_by_test_id("line").filter(has_text="Nackensteak")
        expect(line).to_contain_text("1.234 kg × €12.90/kg")
        expect(line.get_by_test_id("line-total")).to_have_text("€15.92")
        # a second tab of his shows the cart and follows it live
        other = ben_ctx.new_page()
        other.goto(cart_url)
        _live(other)
        ben.get_by_label("Barcode number").fill(WIENER)
        ben.get_by_role("button", name="Add to cart").click()
        for page in (ben, other):
            expect(page.get_by_test_id("line").filter(has_text="Wiener Würstchen")).to_contain_text(
                "1 × €6.49"
            )
            expect(page.get_by_test_id("total")).to_have_text("€22.41")
            expect(page.get_by_test_id("vat-7")).to_contain_text("incl. 7 % VAT on €22.41")
            expect(page.get_by_test_id("vat-7")).to_contain_text("€1.47")
        # a code the butcher does not know: a message next to the field, the cart unchanged
        ben.get_by_label("Barcode number").fill("4009999999997")
        ben.get_by_role("button", name="Add to cart").click()
        expect(ben.locator("#e-code")).to_be_visible()
        expect(ben.get_by_test_id("total")).to_have_text("€22.41")
        # he pays and gets his exit pass
        ben.get_by_role("button", name="Pay now").click()
        expect(ben.get_by_role("heading", level=1)).to_have_text("Exit pass")
        expect(ben.get_by_test_id("exit-pass")).to_have_attribute("data-state", "valid")
        expect(ben.locator(".scango-qr svg")).to_be_visible()
        code = ben.get_by_test_id("pass-code").inner_text()
        assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code)
        # the paid pass appears at the gate without a reload
        waiting = huber.get_by_test_id("gate-passes").locator("li").filter(has_text="Ben Müller")
        expect(waiting.first).to_contain_text("€22.41")
        # huber types the code: valid, goodbye
        huber.get_by_label("Exit pass").fill(code)
        huber.get_by_role("button", name="Check").click()
        expect(huber.get_by_test_id("gate-result")).to_have_attribute("data-state", "used")
        expect(huber.get_by_role("heading", level=1)).to_have_text("OK, goodbye!")
        # ben's pass says goodbye by itself
        expect(ben.get_by_test_id("exit-pass")).to_have_attribute("data-state", "used")
        expect(ben.get_by_test_id("exit-pass")).to_contain_text("Thank you, goodbye!")
        # the same code again is refused
        huber.goto("/scango/staff")
        huber.get_by_role("link", name="Exit gate").click()
        huber.get_by_label("Exit pass").fill(code)
        huber.get_by_role("button", name="Check").click()
        expect(huber.locator("#e-code")).to_contain_text("already used")
    finally:
        ben_ctx.close()
        huber_ctx.close()
