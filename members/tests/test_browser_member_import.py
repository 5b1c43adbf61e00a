"""The members import in real Chromium at 1280 px: the upload page, a preview with errors and a preview to confirm
pass axe-core in German and English, fit 1280 px, and the import runs from the button."""

import pytest
from playwright.sync_api import expect

from core.tests.browser import axe_violations, enter_second_factor, give_app, screenshot
from members.models import Member
from members.tests.member_sheets import as_csv, as_xlsx, coalition, german_rows

pytestmark = [pytest.mark.browser]

PASSWORD = "correct-horse-battery"


def _check(page, name: str) -> None:
    assert axe_violations(page) == [], name
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280, name
    screenshot(page, name)


def test_it_walks_the_secretariat_through_upload_preview_and_import(browser, transactional_db, live_server, staff, tmp_path):
    members = coalition(6)
    bad_rows = german_rows(members)
    bad_rows[2][3], bad_rows[4][7] = "Atlantis", "31.12.9999"
    bad, good = tmp_path / "fehler.csv", tmp_path / "mitglieder.xlsx"
    bad.write_bytes(as_csv(bad_rows))
    good.write_bytes(as_xlsx(german_rows(members)))

    origin = live_server.url
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    give_app("secretariat")
    page.goto(f"{origin}/admin/login/")
    page.locator("#id_username").fill("secretariat")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_load_state()
    enter_second_factor(page, "secretariat")

    for lang in ("de", "en"):
        context.add_cookies([{"name": "django_language", "value": lang, "url": origin}])
        page.goto(f"{origin}/admin/members/member/")
        page.get_by_role("link", name="Mitglieder importieren" if lang == "de" else "Import members").click()
        _check(page, f"admin-member-import-{lang}")
        page.locator("#id_file").set_input_files(str(bad))
        page.locator("input[type=submit]").first.click()
        expect(page.locator(".errornote").first).to_be_visible()
        _check(page, f"admin-member-import-errors-{lang}")
        page.locator("#id_file").set_input_files(str(good))
        page.locator("input[type=submit]").first.click()
        expect(page.locator("#result_list")).to_contain_text("Stadt Musterort 3")
        _check(page, f"admin-member-import-preview-{lang}")

    page.get_by_role("button", name="Import 6 members").click()
    expect(page.locator(".messagelist")).to_contain_text("6 members have been imported")
    assert Member.objects.count() == 6
