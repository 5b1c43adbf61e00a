"""Two coordinators of Dresden edit one report in Chromium: a stale save merges, only a narrative both changed is shown."""

import pytest

from core.tests.browser import axe_violations, screenshot
from reports.tests.test_browser_report_draft import editor_world, login  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.browser]


def colleague_saves(report, narratives: dict[int, str]) -> None:
    from members.models import CoordinatorRole
    from members.tests.factories import AssignmentFactory, UserFactory

    colleague = UserFactory(username="dresden-editor", first_name="Erika", last_name="Muster")
    AssignmentFactory(user=colleague, member=report.member, role=CoordinatorRole.EDITOR)
    report.refresh_from_db()
    report.save_draft(expected_version=report.version, title=report.title, summary=report.summary, narratives=narratives, by=colleague)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_it_merges_a_stale_save_and_shows_only_the_narrative_both_changed(page, editor_world, lang):
    live, report = editor_world
    edit = f"{live.url}/{lang}/dashboard/dresden/reports/{report.pk}/"
    page.on("dialog", lambda dialog: dialog.accept())
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live.url, lang)
    page.goto(edit)
    colleague_saves(report, {3: "Ihr 3", 5: "Ihr 5"})
    page.locator("#id_narrative_3").fill("Mein 3")
    page.locator('button[name="commitment"][value="3"]').click()
    page.wait_for_load_state()
    assert page.locator(".conflict-saved-by").inner_text().startswith("Gespeichert von Erika Muster" if lang == "de" else "Saved by Erika Muster")
    assert page.locator(".conflict-theirs.small").count() == 1
    assert page.locator("#id_narrative_3").input_value() == "Mein 3"
    assert page.locator("#id_narrative_5").input_value() == "Ihr 5"  # the colleague's, untouched here
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        assert axe_violations(page) == [], (lang, width)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (lang, width)
        screenshot(page, f"report-merge-conflict-{lang}-{width}")
    page.locator('button[name="commitment"][value="3"]').click()
    page.wait_for_url(f"{edit}#commitment-3")
    texts = dict(report.narratives.values_list("commitment__number", "text"))
    assert texts[3] == "Mein 3" and texts[5] == "Ihr 5"
