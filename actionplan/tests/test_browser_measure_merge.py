"""Two coordinators of Dresden edit the same measure in two browsers at once (real Chromium): different fields
are both kept; the same field is a conflict naming who saved when. The conflict page passes axe-core."""

import pytest
from playwright.sync_api import expect

from actionplan.models import Measure
from actionplan.tests.factories import ActionPlanFactory, MeasureFactory
from actionplan.tests.test_browser_plan_editor import log_in
from core.tests.browser import axe_violations, screenshot

pytestmark = [pytest.mark.browser]


@pytest.fixture
def live(transactional_db, live_server, commitments, dresden):
    ActionPlanFactory(member=dresden)
    return live_server


def _save(page) -> None:
    page.locator("main form.measure-form button[value=plan]").click()


def test_it_keeps_both_changes_when_two_coordinators_edit_different_fields(browser, live, dresden, dresden_editor, dresden_lead, commitments):
    measure = MeasureFactory(plan=dresden.plan, commitment=commitments[2], title="Ausgangstitel", description="Alte Beschreibung")
    origin = live.url
    editor_ctx, lead_ctx = browser.new_context(), browser.new_context()
    editor, lead = editor_ctx.new_page(), lead_ctx.new_page()
    try:
        log_in(editor, origin, "dresden-editor")
        log_in(lead, origin, "dresden-lead")
        url = f"{origin}/de/dashboard/dresden/measures/{measure.pk}/"
        editor.goto(url)
        lead.goto(url)
        editor.locator("#id_title").fill("Titel der Bearbeiterin")
        lead.locator("#id_description").fill("Beschreibung der Hauptkoordinatorin")
        _save(editor)
        expect(editor.locator(".alert-success")).to_be_visible()
        _save(lead)
        expect(lead.locator(".alert-success")).to_be_visible()
        measure = Measure.objects.get(pk=measure.pk)
        assert (measure.title, measure.description, measure.version) == (
            "Titel der Bearbeiterin", "Beschreibung der Hauptkoordinatorin", 3,
        )
    finally:
        editor_ctx.close()
        lead_ctx.close()


def test_it_shows_who_saved_when_both_change_the_title_and_the_page_passes_axe(browser, live, dresden, dresden_editor, dresden_lead, commitments):
    dresden_editor.first_name, dresden_editor.last_name = "Erika", "Muster"
    dresden_editor.save()
    measure = MeasureFactory(plan=dresden.plan, commitment=commitments[2], title="Ausgangstitel", partners="Alte Partner")
    origin = live.url
    editor_ctx, lead_ctx = browser.new_context(), browser.new_context()
    editor, lead = editor_ctx.new_page(), lead_ctx.new_page()
    try:
        log_in(editor, origin, "dresden-editor")
        log_in(lead, origin, "dresden-lead")
        url = f"{origin}/de/dashboard/dresden/measures/{measure.pk}/"
        editor.goto(url)
        lead.goto(url)
        editor.locator("#id_title").fill("Titel von Erika")
        editor.locator("#id_partners").fill("Partner von Erika")
        lead.locator("#id_title").fill("Titel der Hauptkoordinatorin")
        _save(editor)
        expect(editor.locator(".alert-success")).to_be_visible()
        _save(lead)

        expect(lead.get_by_role("heading", name="Nicht gespeichert: Jemand anderes hat inzwischen dieselben Felder geändert")).to_be_visible()
        expect(lead.locator(".conflict-saved-by")).to_contain_text("Gespeichert von Erika Muster am ")
        expect(lead.locator(".conflict-table tbody tr")).to_have_count(1)
        expect(lead.locator(".conflict-theirs")).to_have_text("Titel von Erika")
        expect(lead.locator(".conflict-mine")).to_have_text("Titel der Hauptkoordinatorin")
        # The colleague's partners are in the form already; the lead's own title is kept.
        expect(lead.locator("#id_partners")).to_have_value("Partner von Erika")
        expect(lead.locator("#id_title")).to_have_value("Titel der Hauptkoordinatorin")
        assert axe_violations(lead) == []
        screenshot(lead, "measure-merge-conflict-de-1280")
        lead.set_viewport_size({"width": 375, "height": 800})
        assert lead.evaluate("document.documentElement.scrollWidth") <= 375
        assert axe_violations(lead) == []
        screenshot(lead, "measure-merge-conflict-de-375")

        # Saving again keeps the lead's title and never puts back the partners the lead did not touch.
        _save(lead)
        expect(lead.locator(".alert-success")).to_be_visible()
        measure = Measure.objects.get(pk=measure.pk)
        assert (measure.title, measure.partners) == ("Titel der Hauptkoordinatorin", "Partner von Erika")

        # The same conflict page in English.
        lead.set_viewport_size({"width": 1280, "height": 800})
        english = f"{origin}/en/dashboard/dresden/measures/{measure.pk}/"
        editor.goto(english)
        lead.goto(english)
        editor.locator("#id_title").fill("Erika's title")
        lead.locator("#id_title").fill("The lead's title")
        _save(editor)
        expect(editor.locator(".alert-success")).to_be_visible()
        _save(lead)
        expect(lead.locator(".conflict-saved-by")).to_contain_text("Saved by Erika Muster on ")
        assert axe_violations(lead) == []
        lead.set_viewport_size({"width": 375, "height": 800})
        assert lead.evaluate("document.documentElement.scrollWidth") <= 375
        assert axe_violations(lead) == []
        screenshot(lead, "measure-merge-conflict-en-375")
    finally:
        editor_ctx.close()
        lead_ctx.close()


def test_it_merges_in_the_admin_too_and_its_conflict_page_passes_axe(browser, live, dresden, dresden_editor, staff, commitments):
    from core.tests.browser import enter_second_factor, give_app

    measure = MeasureFactory(plan=dresden.plan, commitment=commitments[2], title="Ausgangstitel", description="Alt")
    origin = live.url
    admin_ctx, coordinator_ctx = browser.new_context(locale="de-DE"), browser.new_context()
    admin, coordinator = admin_ctx.new_page(), coordinator_ctx.new_page()
    try:
        give_app("secretariat")
        admin.goto(f"{origin}/admin/login/")
        admin.locator("#id_username").fill("secretariat")
        admin.locator("#id_password").fill("correct-horse-battery")
        admin.locator("input[type=submit]").click()
        admin.wait_for_load_state()
        enter_second_factor(admin, "secretariat")
        log_in(coordinator, origin, "dresden-editor")
        change = f"{origin}/admin/actionplan/measure/{measure.pk}/change/"
        portal = f"{origin}/de/dashboard/dresden/measures/{measure.pk}/"

        # Different fields: both kept.
        admin.goto(change)
        coordinator.goto(portal)
        coordinator.locator("#id_description").fill("Beschreibung der Koordinatorin")
        _save(coordinator)
        expect(coordinator.locator(".alert-success")).to_be_visible()
        admin.locator("#id_title").fill("Titel des Sekretariats")
        admin.locator("input[name=_continue]").click()
        expect(admin.locator(".messagelist .success")).to_be_visible()
        measure = Measure.objects.get(pk=measure.pk)
        assert (measure.title, measure.description) == ("Titel des Sekretariats", "Beschreibung der Koordinatorin")

        # The same field: the conflict, with who saved when.
        admin.goto(change)
        coordinator.goto(portal)
        coordinator.locator("#id_title").fill("Titel der Koordinatorin")
        _save(coordinator)
        expect(coordinator.locator(".alert-success")).to_be_visible()
        admin.locator("#id_title").fill("Noch ein Titel des Sekretariats")
        admin.locator("input[name=_continue]").click()
        expect(admin.locator(".conflict-table caption")).to_contain_text("Felder, die Sie beide geändert haben")
        expect(admin.locator(".conflict-table tbody tr")).to_have_count(1)
        expect(admin.locator(".errornote, .errorlist").first).to_be_visible()
        assert axe_violations(admin) == []
        screenshot(admin, "admin-measure-merge-conflict-de-1280")
        assert Measure.objects.get(pk=measure.pk).title == "Titel der Koordinatorin"
    finally:
        admin_ctx.close()
        coordinator_ctx.close()
