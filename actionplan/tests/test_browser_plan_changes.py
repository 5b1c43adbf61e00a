"""A downloaded plan, changed and uploaded, in Chromium: the preview of new, changed, unchanged and conflicting rows
and of unknown columns passes axe-core at 1280 and 375 px, in German and English; the confirmation applies it."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from actionplan.models import Measure, MeasureStatus
from actionplan.plan_export import plan_xlsx
from actionplan.tests.factories import ActionPlanFactory, MeasureFactory
from actionplan.tests.test_browser_plan_import import check_page
from actionplan.tests.test_browser_plan_editor import log_in
from core.versioning import save_versioned

pytestmark = [pytest.mark.browser]

TEXT = {
    "de": {"link": "Aus Tabelle importieren", "check": "Datei prüfen", "apply": "2 Zeilen übernehmen", "status": "Umgesetzt",
           "done": "1 Maßnahme wurde aktualisiert."},
    "en": {"link": "Import from a spreadsheet", "check": "Check the file", "apply": "Apply 2 rows", "status": "Implemented",
           "done": "1 measure has been updated."},
}


@pytest.mark.parametrize("lang", ["de", "en"])
def test_it_previews_and_applies_a_changed_plan(page, transactional_db, live_server, commitments, dresden, dresden_lead,
                                                tmp_path, lang):
    plan = ActionPlanFactory(member=dresden)
    for n in range(3):
        MeasureFactory(plan=plan, commitment=commitments[n], title=f"Maßnahme {n}", status=MeasureStatus.PLANNED,
                       description="Eine lange Beschreibung, die auf dem schmalen Bildschirm umbrechen muss, ohne die Seite zu verbreitern.")
    measures = Measure.objects.filter(plan=plan).select_related("commitment").order_by("commitment__number")
    workbook = load_workbook(io.BytesIO(plan_xlsx(lang, measures)))
    sheet = workbook.active
    sheet["H2"] = TEXT[lang]["status"]
    sheet["E3"] = "Neu geschrieben"
    sheet["N1"], sheet["O1"] = "Verantwortlich", "Beschreibng"
    sheet.append([None, None, 5, "Neue Maßnahme", "Text", "Sozialamt", "Verein"])
    path = tmp_path / "plan.xlsx"
    workbook.save(path)
    meanwhile = measures.get(title="Maßnahme 1")
    meanwhile.progress = 30
    save_versioned(meanwhile, expected_version=meanwhile.version, by=dresden_lead)

    log_in(page, live_server.url, "dresden-lead", lang)
    page.goto(f"{live_server.url}/{lang}/dashboard/dresden/plan/")
    page.get_by_role("link", name=TEXT[lang]["link"]).click()
    page.locator("#id_file").set_input_files(str(path))
    page.get_by_role("button", name=TEXT[lang]["check"]).click()
    expect(page.locator(".import-row")).to_have_count(4)
    expect(page.locator(".import-row-changed")).to_have_count(1)
    expect(page.locator(".import-row-conflict")).to_have_count(1)
    expect(page.locator(".ignored-columns li")).to_have_count(2)
    check_page(page, f"plan-import-changes-{lang}")
    page.get_by_role("button", name=TEXT[lang]["apply"]).click()
    expect(page.locator(".alert-success").first).to_be_visible()
    expect(page.get_by_text(TEXT[lang]["done"])).to_be_visible()
    assert Measure.objects.get(title="Maßnahme 0").status == MeasureStatus.IMPLEMENTED
    assert Measure.objects.get(title="Maßnahme 1").description.startswith("Eine lange")  # the conflict is not applied
    assert Measure.objects.filter(title="Neue Maßnahme").exists()
