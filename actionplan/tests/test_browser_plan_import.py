"""The plan import in Chromium: template link, a file with errors, the corrected file, the confirmation.
Every page passes axe-core at 1280 and 375 px, in German and English; screenshots go to screenshots/."""

import pytest
from playwright.sync_api import expect

from actionplan.models import Measure
from actionplan.tests.factories import ActionPlanFactory
from actionplan.tests.test_browser_plan_editor import log_in
from core.tests.browser import axe_violations, screenshot

pytestmark = [pytest.mark.browser]

TEXT = {
    "de": {"link": "Aus Tabelle importieren", "check": "Datei prüfen", "errors": "1 von 2 Zeilen hat einen Fehler",
           "import": "2 Maßnahmen importieren", "done": "2 Maßnahmen wurden importiert.",
           "heading": "Verpflichtung;Titel;Fortschritt;Beginn;Ende;Öffentlich"},
    "en": {"link": "Import from a spreadsheet", "check": "Check the file", "errors": "1 of 2 rows has an error",
           "import": "Import 2 measures", "done": "2 measures have been imported.",
           "heading": "Commitment,Title,Progress,Start,End,Public"},
}


def check_page(page, name: str) -> None:
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        assert axe_violations(page) == [], (name, width)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, width)
        screenshot(page, f"{name}-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.parametrize("lang", ["de", "en"])
def test_it_imports_a_plan_from_a_spreadsheet_after_a_preview(page, transactional_db, live_server, commitments, dresden,
                                                              dresden_lead, tmp_path, lang):
    ActionPlanFactory(member=dresden)
    text, sep = TEXT[lang], ";" if lang == "de" else ","
    log_in(page, live_server.url, "dresden-lead", lang)
    page.goto(f"{live_server.url}/{lang}/dashboard/dresden/plan/")
    page.get_by_role("link", name=text["link"]).click()
    check_page(page, f"plan-import-{lang}")

    neither = tmp_path / "scan.pdf"
    neither.write_bytes(b"%PDF-1.7\n\x00\x01\x02")
    page.locator("#id_file").set_input_files(str(neither))
    page.get_by_role("button", name=text["check"]).click()
    expect(page.locator(".invalid-feedback")).to_contain_text("XLSX")
    check_page(page, f"plan-import-unreadable-{lang}")

    faulty = tmp_path / "faulty.csv"
    faulty.write_text(text["heading"] + "\n" + sep.join(["3", "Beratung", "150", "2026-06-01", "2026-01-01", ""]) + "\n"
                      + sep.join(["8", "Interkulturelle Woche", "", "", "", ""]) + "\n", encoding="utf-8")
    page.locator("#id_file").set_input_files(str(faulty))
    page.get_by_role("button", name=text["check"]).click()
    expect(page.locator(".alert-danger")).to_contain_text(text["errors"])
    expect(page.locator(".import-errors li")).to_have_count(2)
    check_page(page, f"plan-import-errors-{lang}")
    assert not Measure.objects.exists()

    fixed = tmp_path / "fixed.csv"
    fixed.write_text(text["heading"] + "\n" + sep.join(["3", "Beratung", "50", "01.01.2026", "01.06.2026", "ja"]) + "\n"
                     + sep.join(["8", "Interkulturelle Woche", "", "", "", ""]) + "\n", encoding="cp1252")
    page.locator("#id_file").set_input_files(str(fixed))
    page.get_by_role("button", name=text["check"]).click()
    expect(page.locator(".import-row")).to_have_count(2)
    check_page(page, f"plan-import-preview-{lang}")
    page.get_by_role("button", name=text["import"]).click()
    expect(page.locator(".alert-success")).to_contain_text(text["done"])
    expect(page.get_by_role("link", name="Interkulturelle Woche")).to_be_visible()
    assert Measure.objects.count() == 2
