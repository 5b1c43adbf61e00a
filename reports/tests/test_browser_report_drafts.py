"""A draft's housekeeping in Chromium: the overview that says why no new report can be started, the editor with the
"ready" mark, the period page with an unusual period, the deletion's confirmation and the new report page. axe-core
finds nothing in German and English at 1280 and 375 px, and nothing scrolls sideways."""

import datetime as dt

import pytest

from core.tests.browser import axe_violations, screenshot

pytestmark = [pytest.mark.browser]

PASSWORD = "correct-horse-battery"
WIDTHS = (1280, 375)


@pytest.fixture
def world(transactional_db, live_server, dresden, commitments):
    from members.models import CoordinatorRole
    from members.tests.factories import AssignmentFactory, UserFactory
    from reports.services import report_create

    dresden.admitted_on = dt.date(2016, 11, 1)
    dresden.save()
    lead = UserFactory(username="dresden-lead", first_name="Dana", last_name="Lead")
    AssignmentFactory(user=lead, member=dresden, role=CoordinatorRole.LEAD)
    editor = UserFactory(username="dresden-editor", first_name="Ben", last_name="Schreiber")
    AssignmentFactory(user=editor, member=dresden, role=CoordinatorRole.EDITOR)
    draft = report_create(member=dresden, start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 31), by=editor)
    return {"origin": live_server.url, "draft": draft, "editor": editor, "lead": lead}


def _page(browser, origin: str, username: str, lang: str):
    page = browser.new_context(locale={"de": "de-DE", "en": "en-GB"}[lang], viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{origin}/{lang}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    return page


def _check(page, name: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert axe_violations(page) == [], (name, width, axe_violations(page))
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, width)
        screenshot(page, f"{name}-{width}")


@pytest.mark.parametrize("lang", ["de", "en"])
def test_it_shows_the_drafts_housekeeping_accessibly(browser, world, lang):
    from reports.models import ImplementationReport, ReportDeletion

    origin, draft = world["origin"], world["draft"]
    base = f"{origin}/{lang}/dashboard/dresden/reports"

    editor = _page(browser, origin, "dresden-editor", lang)
    editor.goto(f"{base}/{draft.pk}/")
    _check(editor, f"report-draft-editor-{lang}")
    editor.locator('button[name="next"][value="ready"]').click()
    editor.wait_for_load_state()
    assert editor.locator("#ready-note").is_visible()
    _check(editor, f"report-draft-ready-{lang}")

    lead = _page(browser, origin, "dresden-lead", lang)
    lead.goto(f"{base}/")
    assert lead.locator(f"#no-new-report-{draft.member_id}").is_visible()
    _check(lead, f"report-draft-overview-{lang}")

    lead.goto(f"{base}/{draft.pk}/period/")
    lead.fill("#id_period_start", "2015-01-01")
    lead.fill("#id_period_end", "2016-12-31")
    lead.locator("main form button[type=submit]").click()
    lead.wait_for_load_state()
    assert lead.locator("#period-warnings").is_visible()
    assert lead.input_value("#id_period_start") == "2015-01-01"
    _check(lead, f"report-draft-period-warning-{lang}")
    lead.check("#id_confirm_unusual")
    lead.locator("main form button[type=submit]").click()
    lead.wait_for_load_state()
    assert ImplementationReport.objects.get(pk=draft.pk).period_start == dt.date(2015, 1, 1)

    lead.goto(f"{base}/new/")
    _check(lead, f"report-draft-new-{lang}")

    lead.goto(f"{base}/{draft.pk}/delete/")
    _check(lead, f"report-draft-delete-{lang}")
    lead.locator("main form button.btn-danger").click()
    lead.wait_for_load_state()
    assert not ImplementationReport.objects.filter(pk=draft.pk).exists() and ReportDeletion.objects.count() == 1
    _check(lead, f"report-draft-deleted-{lang}")
