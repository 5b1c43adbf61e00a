"""The admin has a Content-Security-Policy, and its own pages hold it: the secretariat's pages in real Chromium,
German and English, with no policy violation reported (console or securitypolicyviolation event)."""

import datetime as dt

import pytest

from actionplan.models import Commitment
from actionplan.tests.factories import ActionPlanFactory, MeasureFactory
from core.tests.browser import enter_second_factor, give_app
from eccar_portal.middleware import POLICY
from members.models import Member, MembershipApplication
from members.tests.factories import ApplicationFactory
from reports.models import ReportStatus
from reports.tests.factories import ReportFactory

pytestmark = [pytest.mark.browser]

PASSWORD = "correct-horse-battery"
# Every violation the page reports, also those of scripts that run after loading (the calendar, the selects).
LISTEN = """
window.__policyViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__policyViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


def secretariat_pages(dresden: Member) -> list[str]:
    report = ReportFactory(member=dresden, status=ReportStatus.SUBMITTED)
    application = ApplicationFactory(name="Gemeinde Antragstadt")
    measure = MeasureFactory(plan=ActionPlanFactory(member=dresden), commitment=Commitment.objects.get(number=3),
                             start_date=dt.date(2024, 1, 1))
    member = f"/admin/members/member/{dresden.pk}"
    return [
        "/admin/",
        "/admin/queue/",
        "/admin/queue/reminders/",
        "/admin/members/member/",
        f"{member}/change/",
        f"{member}/history/",
        "/admin/members/member/add/",
        "/admin/reports/implementationreport/",
        f"/admin/reports/implementationreport/{report.pk}/change/",
        f"/admin/reports/implementationreport/{report.pk}/history/",
        "/admin/members/membershipapplication/",
        f"/admin/members/membershipapplication/{application.pk}/change/",
        f"/admin/actionplan/measure/{measure.pk}/change/",
        f"/admin/actionplan/measure/{measure.pk}/history/",
        "/admin/members/user/",
    ]


def test_it_holds_the_admins_policy_on_every_page_the_secretariat_uses(browser, seeded_live, staff):
    dresden = Member.objects.get(slug="dresden")
    assert MembershipApplication.objects.count() == 0
    pages = secretariat_pages(dresden)
    origin = seeded_live.url
    give_app("secretariat")
    for locale in ("de-DE", "en-GB"):
        context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
        context.add_init_script(LISTEN)
        page = context.new_page()
        console: list[str] = []
        page.on("console", lambda message: console.append(f"{page.url}: {message.text}"))
        page.goto(f"{origin}/admin/login/")
        page.locator("#id_username").fill("secretariat")
        page.locator("#id_password").fill(PASSWORD)
        page.locator("input[type=submit]").click()
        page.wait_for_load_state()
        enter_second_factor(page, "secretariat")
        for path in pages:
            response = page.goto(origin + path)
            assert response.ok, (path, response.status)
            assert "/login/" not in page.url and "/two-factor/" not in page.url, path
            assert response.headers["content-security-policy"] == POLICY, path
            page.wait_for_load_state("networkidle")
            # Open what scripts build after loading: the date pickers' calendar, the related-object links.
            calendar = page.locator(".calendarlink").first
            if calendar.count():
                calendar.click()
            assert page.evaluate("window.__policyViolations") == [], (locale, path)
        policy_messages = [line for line in console if "Content Security Policy" in line or "Permissions-Policy" in line]
        assert policy_messages == [], locale
        context.close()
