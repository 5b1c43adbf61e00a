"""The pages that say whom a mailing reaches, and the acceptance step with its note, in real Chromium: zero axe
violations in German and English at 1280 px, nothing wider than the window."""

import datetime as dt

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.utils import timezone

from core.tests.browser import axe_violations, enter_second_factor, give_app, screenshot
from members.models import ContactConsent
from members.tests.factories import ContactFactory, MemberFactory
from reports.models import ReportStatus
from reports.tests.factories import ReportFactory
from secretariat.models import Announcement

pytestmark = [pytest.mark.browser]

PASSWORD = "correct-horse-battery"


def _log_in(page, origin: str) -> None:
    page.goto(f"{origin}/admin/login/")
    page.locator("#id_username").fill("secretariat")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_load_state()
    enter_second_factor(page, "secretariat")


def _check(page, name: str) -> None:
    assert axe_violations(page) == [], name
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280, name
    screenshot(page, name)


@pytest.mark.parametrize(("locale", "language"), [("de-DE", "de"), ("en-GB", "en")])
def test_it_shows_whom_a_mailing_reaches_accessibly(browser, transactional_db, live_server, dresden, dresden_lead, staff, locale, language):
    bamberg = MemberFactory(name="Stadt Bamberg", slug="bamberg", admitted_on=dt.date(2020, 1, 1))
    ContactFactory(member=bamberg, name="Paula Probst", email="probst@bamberg.de", publish=True, consent=ContactConsent.GIVEN)
    celle = MemberFactory(name="Stadt Celle", slug="celle", admitted_on=dt.date(2020, 1, 1))
    report = ReportFactory(member=dresden, status=ReportStatus.SUBMITTED, submitted_at=timezone.now())
    announcement = Announcement.objects.create(subject_de="Jahrestreffen", body_de="Text", created_by=staff)
    give_app("secretariat")
    origin = live_server.url
    page = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900}).new_page()
    _log_in(page, origin)

    page.goto(f"{origin}/admin/secretariat/announcement/{announcement.pk}/send/")
    assert "Stadt Celle" in page.locator(".reach-nobody").inner_text() and "Paula Probst" in page.locator(".reach-contact").inner_text()
    _check(page, f"admin-announcement-reach-{language}")

    page.goto(f"{origin}/admin/members/member/")
    for member in (dresden, bamberg, celle):
        page.locator(f'input[name="{ACTION_CHECKBOX_NAME}"][value="{member.pk}"]').check()
    page.locator('select[name="action"]').select_option("send_report_reminder")
    page.locator('button[name="index"]').click()
    page.wait_for_load_state()
    assert "Stadt Celle" in page.locator(".reach-nobody").inner_text()
    _check(page, f"admin-reminder-preview-{language}")

    page.goto(f"{origin}/admin/reports/implementationreport/{report.pk}/accept/")
    page.locator("#id_note").fill("Ausgezeichnet.")
    _check(page, f"admin-report-accept-{language}")
