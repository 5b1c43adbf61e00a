"""The secretariat's day in real Chromium: the queue shows a submitted report, the reviewer accepts it from the
report's admin page, and the queue count drops. The portal dashboard with the queue passes axe-core."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.tests.browser import axe_violations, enter_second_factor, give_app, screenshot
from reports.models import ImplementationReport, ReportStatus
from reports.tests.factories import ReportFactory

pytestmark = [pytest.mark.browser]

PASSWORD = "correct-horse-battery"


def test_it_leads_the_reviewer_from_the_queue_to_an_accepted_report(browser, transactional_db, live_server, dresden, staff):
    report = ReportFactory(member=dresden, status=ReportStatus.SUBMITTED, submitted_at=timezone.now(), title="Bericht 2023/24")
    origin = live_server.url
    page = browser.new_context(locale="de-DE").new_page()
    page.goto(f"{origin}/de/accounts/login/")
    page.locator("#id_username").fill("secretariat")
    give_app("secretariat")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    # The secretariat's login asks for the authenticator app's code.
    expect(page).to_have_url(re.compile(r"/de/accounts/two-factor/verify/"))
    enter_second_factor(page, "secretariat")
    # The secretariat starts at its work queue.
    expect(page).to_have_url(f"{origin}/admin/queue/")
    submitted = page.locator('[data-queue="submitted"]')
    expect(submitted.locator(".work-queue-count")).to_have_text("1")
    for lang in ("de", "en"):
        page.goto(f"{origin}/{lang}/dashboard/")
        for width in (1280, 375):
            page.set_viewport_size({"width": width, "height": 900})
            assert axe_violations(page) == [], (lang, width)
            screenshot(page, f"dashboard-secretariat-{lang}-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{origin}/de/dashboard/")
    page.locator('[data-queue="submitted"]').get_by_role("link", name="Landeshauptstadt Dresden").click()
    expect(page.locator("h2", has_text="Bericht 2023/24").or_(page.locator("main"))).to_be_visible()
    page.get_by_role("link", name="Annehmen").click()
    # The acceptance step asks for an optional note of its own.
    page.locator("#id_note").fill("Vielen Dank für den gründlichen Bericht.")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Annehmen").click()
    expect(page.locator(".messagelist")).to_contain_text("angenommen")
    screenshot(page, "admin-report-accepted-de")
    assert ImplementationReport.objects.get(pk=report.pk).status == ReportStatus.ACCEPTED
    page.get_by_role("link", name="Arbeitsliste").click()
    expect(page.locator('[data-queue="submitted"] .work-queue-count')).to_have_text("0")
    screenshot(page, "admin-queue-de")


def test_it_fits_the_admin_lists_into_1280_pixels(browser, transactional_db, live_server, dresden, duesseldorf, staff):
    ReportFactory(member=dresden, status=ReportStatus.SUBMITTED, submitted_at=timezone.now())
    origin = live_server.url
    page = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900}).new_page()
    give_app("secretariat")
    page.goto(f"{origin}/admin/login/")
    page.locator("#id_username").fill("secretariat")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_load_state()
    enter_second_factor(page, "secretariat")
    for path in ["/admin/members/member/", "/admin/reports/implementationreport/", "/admin/members/invitation/",
                 "/admin/members/membershipapplication/"]:
        page.goto(origin + path)
        # Nothing scrolls sideways: the widest cell of the results table ends inside the window.
        right = page.evaluate("Math.max(...[...document.querySelectorAll('#result_list th, #result_list td')].map(c => c.getBoundingClientRect().right), 0)")
        assert right <= 1280 and page.evaluate("document.documentElement.scrollWidth") <= 1280, path
        if "member/" in path or "report" in path:
            expect(page.locator("#result_list")).to_be_visible()
