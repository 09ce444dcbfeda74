"""Browser journeys a person clicks through (Chromium, phone-sized viewport)."""

import re

from playwright.sync_api import expect


def log_in(page, username: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("Benutzername oder E-Mail").fill(username)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hallo")


def test_anna_logs_in_searches_wuerstchen_and_sees_the_butchers_with_price_incl_vat(page):
    # given anna is logged in
    log_in(page, "anna", "grillen-anna-2026")
    # when she types "wuerstchen" into the search field
    page.goto("/search")
    page.get_by_label("Produkte suchen").press_sequentially("wuerstchen", delay=30)
    # then the butcher's Würstchen appear as she types, with the price incl. VAT
    result = (
        page.locator("li.result")
        .filter(has_text="Wiener Würstchen")
        .filter(has_text="Metzgerei Huber")
        .first
    )
    expect(result).to_be_visible()
    expect(result).to_contain_text(re.compile(r"\d+,\d\d\s€"))
    expect(result).to_contain_text("inkl. MwSt.")
    # and the product page shows the same
    result.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Würstchen")
    expect(page.locator("main")).to_contain_text(re.compile(r"\d+,\d\d\s€"))
    expect(page.locator("main")).to_contain_text(re.compile(r"inkl\. (7|19) % MwSt\."))


def test_sign_up_mistake_is_shown_next_to_the_field(page):
    page.goto("/signup")
    page.get_by_label("Benutzername").fill("x")
    page.get_by_label("Dein Name").fill("Xaver")
    page.get_by_label("E-Mail").fill("xaver@example.org")
    page.get_by_label("Passwort").fill("grillen-xaver-2026")
    page.get_by_role("button", name="Registrieren").click()
    field_error = page.locator("#e-username")
    expect(field_error).to_contain_text("3 bis 30 Zeichen")
    expect(page.get_by_label("Benutzername")).to_have_attribute("aria-invalid", "true")


def test_bottom_navigation_is_reachable_by_keyboard(page):
    log_in(page, "ben", "grillen-ben-2026")
    nav = page.get_by_role("navigation", name="Bereiche")
    expect(nav.get_by_role("link")).to_have_count(6)
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('nav.bottomnav') !== null"):
            break
    assert page.evaluate("document.activeElement.closest('nav.bottomnav') !== null")


def test_switch_to_english(page):
    page.goto("/login")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_label("Username or e-mail")).to_be_visible()
