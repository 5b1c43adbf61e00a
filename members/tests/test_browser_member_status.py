"""The lifecycle's admin pages in real Chromium: the member page with a scheduled change, the status page with its
history, cancelling and correcting. axe-core finds nothing, in German and English, and nothing is wider than
1280 px."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from axe_playwright_python.sync_playwright import Axe

from core.tests.browser import WCAG_TAGS, axe_violations, enter_second_factor, give_app, screenshot

pytestmark = [pytest.mark.browser]

PASSWORD = "correct-horse-battery"


def _login(browser, origin: str, locale: str):
    page = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{origin}/admin/login/")
    page.locator("#id_username").fill("secretariat")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_load_state()
    enter_second_factor(page, "secretariat")
    return page


def _check(page, name: str, *, exclude: list | None = None) -> None:
    if exclude:
        options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}}
        violations = Axe().run(page, context={"exclude": exclude}, options=options).response["violations"]
        assert [v["id"] for v in violations] == [], name
    else:
        assert axe_violations(page) == [], (name, axe_violations(page))
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280, name
    screenshot(page, name)


def test_it_shows_scheduled_changes_and_corrections_accessibly(browser, transactional_db, live_server, dresden, staff):
    applied = dresden.put_on_hold(by=staff, on=dt.date(2026, 6, 1), reason="Bericht überfällig")
    today = dt.date.today()
    scheduled = dresden.reinstate(by=staff, on=today + dt.timedelta(days=30), reason="Bericht eingegangen")
    give_app("secretariat")
    origin = live_server.url
    base = f"{origin}/admin/members/member/{dresden.pk}"
    for lang, locale, scheduled_text in (("de", "de-DE", "Geplant: Mitglied ab"), ("en", "en-GB", "Scheduled: Member from")):
        page = _login(browser, origin, locale)
        page.goto(f"{base}/change/")
        expect(page.locator(".scheduled-change")).to_contain_text(scheduled_text)
        # The source's autocomplete (Django's select2) has no accessible name: a fault of the member form that the
        # lifecycle does not touch, left out of this check and reported.
        _check(page, f"admin-member-scheduled-{lang}", exclude=[[".select2-selection"]])
        page.goto(f"{base}/status/")
        expect(page.locator("table.status-history")).to_contain_text("Bericht überfällig")
        _check(page, f"admin-member-status-{lang}")
        page.goto(f"{base}/status/{scheduled.pk}/cancel/")
        _check(page, f"admin-member-status-cancel-{lang}")
        page.goto(f"{base}/status/{applied.pk}/correct/")
        _check(page, f"admin-member-status-correct-{lang}")
        # A wrong date: the message names the bounds, the form keeps what was typed.
        page.locator("#id_on").fill("9999-12-31")
        page.locator("#id_reason").fill("Tippfehler")
        page.locator("input[type=submit]").click()
        expect(page.locator("#id_reason")).to_have_value("Tippfehler")
        expect(page.locator("main, #content").first).to_contain_text("2004")
        _check(page, f"admin-member-status-correct-error-{lang}")
