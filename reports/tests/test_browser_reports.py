"""The report journey in Chromium: draft, upload, submit, return, revise, accept, publish, read publicly."""

import pytest

from core.tests.browser import axe_violations, enter_second_factor, give_app, screenshot
from reports.tests.pdfs import make_pdf

pytestmark = [pytest.mark.browser]

PASSWORD = "correct-horse-battery"


@pytest.fixture
def journey_world(seeded_live):
    # The seed comes from the conftest fixture: reports' tests do not import the seeding app.
    from members.models import CoordinatorRole, Member
    from members.tests.factories import AssignmentFactory, UserFactory

    import datetime as dt

    from actionplan.models import Commitment
    from actionplan.tests.factories import ActionPlanFactory, MeasureFactory, MeasureUpdateFactory

    dresden = Member.objects.get(slug="dresden")
    measure = MeasureFactory(
        plan=ActionPlanFactory(member=dresden), commitment=Commitment.objects.get(number=3), title="Antidiskriminierungsberatung", progress=60
    )
    MeasureUpdateFactory(measure=measure, date=dt.date(2023, 9, 1), text="Zweite Beratungsstelle eröffnet")
    lead = UserFactory(username="dresden-lead", first_name="Dana", last_name="Lead")
    AssignmentFactory(user=lead, member=dresden, role=CoordinatorRole.LEAD)
    UserFactory(username="secretariat", is_staff=True, is_superuser=True)
    return seeded_live


def login(page, origin: str, username: str, lang: str = "de") -> None:
    page.context.clear_cookies()
    page.goto(f"{origin}/{lang}/accounts/login/")
    give_app(username)
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    enter_second_factor(page, username)


def admin_action(page, origin: str, report_pk: int, action: str) -> None:
    page.goto(f"{origin}/admin/reports/implementationreport/")
    page.check(f'input[name="_selected_action"][value="{report_pk}"]')
    page.select_option('select[name="action"]', action)
    page.click('button[name="index"]')
    page.wait_for_load_state()


def assert_accessible(page, label: str) -> None:
    assert axe_violations(page) == [], label


def test_it_takes_a_report_from_draft_to_publication(page, journey_world, mailoutbox):
    from reports.models import ImplementationReport, ReportStatus

    origin = journey_world.url
    page.set_viewport_size({"width": 1280, "height": 900})

    # 1. The lead drafts the report from the dashboard.
    login(page, origin, "dresden-lead", "en")
    page.goto(f"{origin}/en/dashboard/")
    assert page.get_by_text("Next report due").is_visible()
    assert_accessible(page, "dashboard")
    screenshot(page, "reports-dashboard-en-1280")
    page.get_by_role("link", name="New report").click()
    page.fill("#id_period_end", "2022-12-31")
    page.fill("#id_period_start", "2023-01-01")
    page.get_by_role("button", name="Create draft").click()
    assert page.locator(".invalid-feedback").first.is_visible()
    assert_accessible(page, "new report with error")
    page.fill("#id_period_end", "2024-12-31")
    page.get_by_role("button", name="Create draft").click()
    report = ImplementationReport.objects.get(status=ReportStatus.DRAFT)
    assert page.url.endswith(f"/en/dashboard/dresden/reports/{report.pk}/")
    assert_accessible(page, "editor")

    page.fill("#id_title", "Bericht zur Umsetzung 2023–2024")
    page.fill("#id_summary", "Dresden hat die Beratung ausgebaut.")
    page.fill("#id_narrative_1", "Monitoring eingeführt.")
    page.fill("#id_narrative_3", "Beratungsstelle gestärkt.")
    # An .exe renamed to .pdf is refused; the typed text stays.
    page.set_input_files("#id_document_file", files=[{"name": "setup.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00" * 100}])
    page.select_option("#id_document_language", label="German")
    page.fill("#id_document_title", "Bericht ECCAR 2023–2024")
    page.get_by_role("button", name="Save draft").click()
    assert page.get_by_text("This file is not a PDF").first.is_visible()
    # The faulty file never blocks the text: it is saved, and the page says to choose the file again.
    assert page.get_by_text("Your text has been saved.").is_visible()
    assert page.get_by_text("please choose the file again").is_visible()
    assert page.input_value("#id_narrative_3") == "Beratungsstelle gestärkt."
    report.refresh_from_db()
    assert report.narratives.get(commitment__number=3).text == "Beratungsstelle gestärkt."
    assert_accessible(page, "editor error state")
    screenshot(page, "reports-editor-error-en-1280")

    page.set_input_files("#id_document_file", files=[{"name": "bericht.pdf", "mimeType": "application/pdf", "buffer": make_pdf("Bericht")}])
    page.get_by_role("button", name="Save draft").click()
    assert page.get_by_text("The draft has been saved.").is_visible()
    page.set_input_files("#id_document_file", files=[{"name": "report.pdf", "mimeType": "application/pdf", "buffer": make_pdf("Report")}])
    page.select_option("#id_document_language", label="English")
    page.fill("#id_document_title", "Report ECCAR 2023–2024")
    page.get_by_role("button", name="Save draft").click()
    assert page.get_by_role("link", name="Report ECCAR 2023–2024").is_visible()
    screenshot(page, "reports-editor-en-1280")
    page.get_by_role("button", name="Save and preview the submission…").click()
    assert page.get_by_role("heading", name="Preview of the submission").is_visible()
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert_accessible(page, "preview")
    screenshot(page, "reports-preview-en-1280")
    page.get_by_role("button", name="Submit this report to the secretariat").click()
    assert page.get_by_text("The report has been submitted").is_visible()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.documents.count() == 2

    # 2. The secretariat returns it with feedback.
    login(page, origin, "secretariat", "en")
    admin_action(page, origin, report.pk, "return_reports")
    page.fill('textarea[name="feedback"]', "Bitte ergänzen Sie Verpflichtung 5.")
    screenshot(page, "reports-admin-return-1280")
    page.locator('input[type="submit"]').click()
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED

    # 3. The coordinator sees the feedback, revises and resubmits.
    login(page, origin, "dresden-lead", "de")
    page.goto(f"{origin}/de/dashboard/dresden/reports/{report.pk}/")
    assert page.get_by_text("Bitte ergänzen Sie Verpflichtung 5.").is_visible()
    assert_accessible(page, "editor with feedback (de)")
    screenshot(page, "reports-editor-returned-de-1280")
    page.fill("#id_narrative_5", "Schulungen für die Verwaltung.")
    page.locator("button[value=review]").click()
    assert_accessible(page, "preview (de)")
    page.locator("form[action$='/submit/'] button").click()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED

    # 4. The secretariat accepts and publishes it.
    login(page, origin, "secretariat", "en")
    admin_action(page, origin, report.pk, "accept_reports")
    admin_action(page, origin, report.pk, "publish_reports")
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED
    page.goto(f"{origin}/admin/reports/implementationreport/{report.pk}/change/")
    screenshot(page, "reports-admin-change-1280")

    # 5. The public sees it on the member page, the reports list and in the feed.
    page.context.clear_cookies()
    page.goto(f"{origin}/en/members/dresden/")
    page.get_by_role("link", name="Bericht zur Umsetzung 2023–2024").click()
    assert page.get_by_text("Schulungen für die Verwaltung.").is_visible()
    assert page.get_by_text("Zweite Beratungsstelle eröffnet").is_visible()
    assert page.get_by_role("link", name="Bericht ECCAR 2023–2024").is_visible()
    assert_accessible(page, "public report (en)")
    screenshot(page, "reports-public-report-en-1280")
    page.goto(f"{origin}/de/reports/")
    assert page.get_by_role("link", name="Landeshauptstadt Dresden: 01.01.2023 – 31.12.2024").is_visible()
    assert_accessible(page, "reports list (de)")
    screenshot(page, "reports-list-de-1280")
    feed = page.request.get(f"{origin}/feeds/de/reports/")
    assert feed.ok and f"/reports/{report.pk}/" in feed.text()
    assert {m.to[0] for m in mailoutbox} >= {"dresden-lead@example.org"}


@pytest.mark.parametrize("lang", ["de", "en"])
def test_it_shows_report_pages_at_phone_width_without_violations(page, journey_world, lang):
    from reports.models import ImplementationReport

    origin = journey_world.url
    page.set_viewport_size({"width": 375, "height": 800})
    seeded = ImplementationReport.objects.get(member__slug="dresden")
    for path, name in [(f"/{lang}/reports/", "list"), (f"/{lang}/reports/{seeded.pk}/", "seeded-report")]:
        page.goto(origin + path)
        assert axe_violations(page) == [], path
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
        screenshot(page, f"reports-{name}-{lang}-375")
    login(page, origin, "dresden-lead", lang)
    page.goto(f"{origin}/{lang}/dashboard/dresden/reports/")
    assert axe_violations(page) == [], "member reports"
    page.goto(f"{origin}/{lang}/dashboard/dresden/reports/new/")
    page.fill("#id_period_start", "2023-01-01")
    page.fill("#id_period_end", "2024-12-31")
    page.locator("main form button[type=submit]").click()
    assert axe_violations(page) == [], "editor"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, f"reports-editor-{lang}-375")
