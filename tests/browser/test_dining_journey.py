"""A table's tab in three real browsers: Luigi adds a table and opens his kitchen display;
anna and ben scan the table's QR (its URL); ben adds a pizza from his phone and anna sees
it on the tab live, without reloading; the kitchen sees it live too and marks it done, and
both phones show it served."""

from __future__ import annotations

import re
import uuid
from urllib.parse import urlparse

from playwright.sync_api import expect
from tests.browser.test_chat_journey import _phone
from tests.browser.test_search_journey import log_in


def test_ben_adds_a_dish_and_anna_and_the_kitchen_see_it_live(browser, live_server):
    contexts = []
    errors: list[str] = []

    def phone():  # noqa: ANN202
        context, page = _phone(browser, live_server)
        contexts.append(context)
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        return page

    luigi, anna, ben = phone(), phone(), phone()
    label = f"Tisch {uuid.uuid4().hex[:4]}"
    try:
        # Luigi adds a table; its QR code encodes the table's absolute URL
        log_in(luigi, "luigi", "pizza-luigi-2026")
        luigi.goto("/backoffice/orders")
        merchant = re.search(r"/backoffice/merchants/(\d+)/", luigi.url).group(1)
        luigi.goto(f"/backoffice/merchants/{merchant}/tables")
        luigi.locator("#f-label").fill(label)
        luigi.locator("form[action$='/tables'] button[type=submit]").click()
        card = luigi.locator(".dining-qr").filter(has_text=label)
        expect(card.locator("svg.qr")).to_be_visible()
        url = card.locator(".dining-url").inner_text().strip()
        assert url.startswith(f"{live_server}/t/")
        luigi.goto(f"/backoffice/merchants/{merchant}/kitchen")
        # anna and ben scan it
        log_in(anna, "anna", "grillen-anna-2026")
        log_in(ben, "ben", "grillen-ben-2026")
        for page in (anna, ben):
            page.goto(urlparse(url).path)
            expect(page.locator("h1")).to_contain_text(label)
        for page in (anna, ben, luigi):
            expect(page.locator("html[data-live-ready]")).to_have_count(1)
        # ben adds a pizza from his phone
        ben.locator("form.dining-dish").filter(has_text="Pizza Salami").get_by_role(
            "button"
        ).click()
        expect(ben.locator("[data-testid=tab-items]")).to_contain_text("Pizza Salami")
        # anna sees it without reloading, and so does the kitchen
        expect(anna.locator("[data-testid=tab-items]")).to_contain_text("Pizza Salami")
        expect(anna.locator("[data-testid=tab-items]")).to_contain_text("Ben Müller")
        order = luigi.locator(".dining-kitchen-table").filter(has_text=label)
        expect(order).to_contain_text("Pizza Salami")
        # the kitchen marks it done: both phones show it served
        order.locator("li").filter(has_text="Pizza Salami").get_by_role("button").click()
        for page in (anna, ben):
            expect(page.locator("[data-testid=tab-items] li").first).to_have_attribute(
                "data-status", "done")  # fmt: skip
        expect(luigi.locator(".dining-kitchen-table").filter(has_text=label)).to_have_count(0)
        assert not [e for e in errors if "Content Security Policy" in e], errors
    finally:
        for context in contexts:
            context.close()
