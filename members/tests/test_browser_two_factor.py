"""The secretariat's login in a real browser: password, then the authenticator app's code (computed here from the
key the page shows), recovery codes, and the admin; every step accessible."""

import base64
import re

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from core.tests.browser import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def password_login(page, origin: str, lang: str = "de") -> None:
    page.goto(f"{origin}/{lang}/accounts/login/")
    page.locator("#id_username").fill("secretariat")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def test_it_asks_staff_for_a_second_factor_in_the_browser(browser, live_server, staff):
    origin = live_server.url
    page = browser.new_context(locale="de-DE").new_page()
    password_login(page, origin)
    expect(page).to_have_url(re.compile(r"/de/accounts/two-factor/setup/\?next="))
    expect(page.locator("h1")).to_have_text("Zwei-Faktor-Anmeldung einrichten")
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        assert axe_violations(page) == [], width
        screenshot(page, f"two-factor-setup-de-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})

    # The admin stays closed until the code is confirmed.
    page.goto(f"{origin}/admin/")
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/setup/"))

    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret)
    page.locator("#id_code").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Bestätigen und einschalten").click()
    expect(page.locator("h1")).to_have_text("Ihre Wiederherstellungscodes")
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    assert axe_violations(page) == []
    page.get_by_role("link", name="Ich habe sie aufbewahrt – weiter").click()
    # The admin index is where the admin sent the login; the secretariat starts at its work queue.
    expect(page).to_have_url(f"{origin}/admin/queue/")
    expect(page.locator("#site-name")).to_be_visible()

    # The next login, in English, asks for the code; a recovery code stands in for the phone once.
    page = browser.new_context(locale="en-GB").new_page()
    password_login(page, origin, lang="en")
    expect(page).to_have_url(re.compile(r"/en/accounts/two-factor/verify/"))
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        assert axe_violations(page) == [], width
        screenshot(page, f"two-factor-verify-en-{width}")
    page.locator("#id_code").fill("999999")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#id_code")).to_have_attribute("aria-invalid", "true")
    page.wait_for_timeout(1500)  # django-otp's pause after a wrong code
    page.locator("#id_code").fill(codes[0])
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{origin}/admin/")
    expect(page.locator("#site-name")).to_be_visible()


@pytest.mark.parametrize("lang", ["de", "en"])
def test_it_lets_a_coordinator_leave_the_set_up_and_explains_a_refused_code(browser, live_server, dresden_lead, lang):
    origin = live_server.url
    page = browser.new_context(locale="de-DE" if lang == "de" else "en-GB").new_page()
    page.goto(f"{origin}/{lang}/accounts/login/")
    page.locator("#id_username").fill("dresden-lead")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(f"{origin}/{lang}/accounts/two-factor/setup/")
    page.locator("#id_code").fill("000000")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    wrong = {"de": "Dieser Code ist nicht richtig.", "en": "This code is not right."}[lang]
    expect(page.locator("main")).to_contain_text(wrong)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        assert axe_violations(page) == [], width
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(page, f"two-factor-setup-coordinator-{lang}-{width}")
    back = {"de": "Nicht jetzt: zurück zur Übersicht", "en": "Not now: back to the dashboard"}[lang]
    page.get_by_role("link", name=re.compile(back)).click()
    expect(page).to_have_url(f"{origin}/{lang}/dashboard/")
