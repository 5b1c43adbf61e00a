"""The work queue and the upcoming reminders in real Chromium, German and English, at 1280 px: the secretariat
lands on the queue after logging in, every line is there, nothing scrolls sideways, axe-core finds nothing."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from core.dates import add_days, add_months
from core.tests.browser import axe_violations, enter_second_factor, give_app, screenshot
from members.models import ApplicationStatus, MemberStatus
from members.tests.factories import ApplicationFactory, AssignmentFactory, MemberFactory, UserFactory
from reports.models import ReportStatus
from reports.tests.factories import ReportFactory

pytestmark = [pytest.mark.browser]

PASSWORD = "correct-horse-battery"


def _work(dresden) -> None:
    today = timezone.localdate()
    ApplicationFactory(status=ApplicationStatus.IN_PROCESS, accepted_at=timezone.now() - dt.timedelta(days=12),
                       name="Gemeinde Wartestadt", member=MemberFactory(status=MemberStatus.APPLICANT, name="Gemeinde Wartestadt"))
    ReportFactory(member=dresden, status=ReportStatus.ACCEPTED)
    MemberFactory(name="Stadt Ohne Koordination mit einem recht langen Namen", admitted_on=add_months(add_days(today, 20), -settings.REPORT_INTERVAL_MONTHS))
    soon = MemberFactory(name="Stadt Bald", admitted_on=add_months(add_days(today, 40), -settings.REPORT_INTERVAL_MONTHS))
    for i in range(3):
        AssignmentFactory(member=soon, user=UserFactory(username=f"bald-{i}", first_name="Koordinatorin", last_name=f"Nummer {i}",
                                                        email=f"koordinatorin.nummer.{i}@stadtverwaltung-bald.example"))
    MemberFactory(name="Stadt Lange Überfällig", admitted_on=dt.date(2019, 1, 1))


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280, page.url


def test_it_shows_the_queue_and_the_upcoming_reminders_in_both_languages(browser, transactional_db, live_server, dresden, staff):
    _work(dresden)
    origin = live_server.url
    give_app("secretariat")
    for lang, locale, upcoming in (("de", "de-DE", "Anstehende Berichtserinnerungen"), ("en", "en-GB", "Upcoming report reminders")):
        page = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900}).new_page()
        page.goto(f"{origin}/{lang}/accounts/login/")
        page.locator("#id_username").fill("secretariat")
        page.locator("#id_password").fill(PASSWORD)
        page.locator("main button[type=submit]").click()
        expect(page).to_have_url(re.compile(r"/accounts/two-factor/verify/"))
        enter_second_factor(page, "secretariat")
        expect(page).to_have_url(f"{origin}/admin/queue/")
        for key in ("in_process", "accepted", "without_coordinator", "overdue"):
            expect(page.locator(f'[data-queue="{key}"] .work-queue-count')).not_to_have_text("0")
        expect(page.locator('[data-queue="in_process"]')).to_contain_text("Gemeinde Wartestadt")
        _fits(page)
        assert axe_violations(page) == [], (lang, "queue")
        screenshot(page, f"admin-queue-{lang}")

        page.get_by_role("link", name=upcoming).click()
        expect(page.locator("table.upcoming-reminders-table")).to_be_visible()
        expect(page.locator('tr[data-member] .upcoming-nobody').first).to_be_visible()
        _fits(page)
        assert axe_violations(page) == [], (lang, "upcoming")
        screenshot(page, f"admin-upcoming-reminders-{lang}")

        page.goto(f"{origin}/admin/queue/")
        page.locator('[data-queue="without_coordinator"] > a').click()
        expect(page.locator("#result_list")).to_contain_text("Stadt Ohne Koordination")
        _fits(page)
        assert axe_violations(page) == [], (lang, "member list without coordinator")
        page.context.close()
