"""The account pages of the admin in real Chromium, in German and English at 1280 px: a coordinator's page and the
help step as the secretariat (a staff account's page read-only), and a staff account's page as a superuser. Zero
axe-core violations, nothing wider than the window."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import SecurityEventKind
from core.security import security_record
from core.tests.browser import axe_violations, enter_second_factor, give_app, screenshot

pytestmark = [pytest.mark.browser]

PASSWORD = "correct-horse-battery"


def _check(page, name: str) -> None:
    found = axe_violations(page)
    assert found == [], (name, found)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280, name
    screenshot(page, name)


def _admin_login(browser, origin: str, username: str, lang: str):
    context = browser.new_context(locale={"de": "de-DE", "en": "en-GB"}[lang], viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": "django_language", "value": lang, "url": origin}])
    page = context.new_page()
    give_app(username)
    page.goto(f"{origin}/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_load_state()
    enter_second_factor(page, username)
    return page


def test_it_keeps_the_account_pages_accessible_in_both_languages(browser, transactional_db, live_server, dresden_lead, staff, bare_staff, superuser):
    TOTPDevice.objects.create(user=dresden_lead, name="App", confirmed=True)
    security_record(SecurityEventKind.LOGIN_FAILED, username="dresden-lead")
    origin = live_server.url
    for lang in ("de", "en"):
        page = _admin_login(browser, origin, "secretariat", lang)
        page.goto(f"{origin}/admin/members/user/{dresden_lead.pk}/change/")
        assert page.locator("html").get_attribute("lang") == lang
        _check(page, f"admin-user-coordinator-{lang}")
        page.locator(".object-tools a").first.click()
        page.wait_for_load_state()
        assert "reset-second-factor" in page.url
        _check(page, f"admin-user-reset-second-factor-{lang}")
        page.locator("input[type=submit]").click()  # without a reason: the form says so
        page.wait_for_load_state()
        _check(page, f"admin-user-reset-second-factor-error-{lang}")
        page.goto(f"{origin}/admin/members/user/{bare_staff.pk}/change/")
        assert page.locator('input[name="_save"]').count() == 0
        _check(page, f"admin-user-staff-read-only-{lang}")
        page.goto(f"{origin}/admin/core/securityevent/")
        _check(page, f"admin-security-log-secretariat-{lang}")
        page.context.close()

        page = _admin_login(browser, origin, "operator", lang)
        page.goto(f"{origin}/admin/members/user/{bare_staff.pk}/change/")
        _check(page, f"admin-user-staff-superuser-{lang}")
        page.goto(f"{origin}/admin/members/user/{bare_staff.pk}/lift-login-pause/")
        _check(page, f"admin-user-lift-login-pause-{lang}")
        page.context.close()
