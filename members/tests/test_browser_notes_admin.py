"""The secretariat's new admin pages in real Chromium: a note written on the member's page, the notes list, the
people search and the read-only application page pass axe-core in German and English and fit 1280 px."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from core.tests.browser import axe_violations, enter_second_factor, give_app, screenshot
from members.models import ApplicationStatus, MemberNote
from members.tests.factories import ApplicationFactory, ContactFactory

pytestmark = [pytest.mark.browser]

PASSWORD = "correct-horse-battery"


def _login(page, origin: str) -> None:
    give_app("secretariat")
    page.goto(f"{origin}/admin/login/")
    page.locator("#id_username").fill("secretariat")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_load_state()
    enter_second_factor(page, "secretariat")


def _check(page, name: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"{name}: {violations}"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280, name
    screenshot(page, name)


def test_it_lets_the_secretariat_write_notes_and_find_people_on_accessible_pages(browser, transactional_db, live_server, dresden, staff):
    ContactFactory(member=dresden, name="Dr. Petra Schönfelder", email="p.schoenfelder@dresden.de")
    MemberNote.objects.create(member=dresden, contact_on=dt.date(2026, 11, 2), text="Brief zum Aktionsplan verschickt.", author=staff)
    declined = ApplicationFactory(status=ApplicationStatus.DECLINED, name="Stadt Abgelehnt", member=None, decline_reason="Kein Beschluss")
    ApplicationFactory(name="Comune di Bologna", country="IT", member__slug="bologna", member__name="Comune di Bologna")
    origin = live_server.url
    member_page = f"{origin}/admin/members/member/{dresden.pk}/change/"

    page = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900}).new_page()
    _login(page, origin)
    page.goto(member_page)
    page.locator("#notes-group .add-row a").click()
    note = page.locator(".inline-related.dynamic-notes").last
    note.get_by_label("Art").select_option("agreement")
    note.get_by_label("Text der Notiz").fill("Vereinbart: Bericht kommt bis Ende Januar.")
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist")).to_contain_text("erfolgreich geändert")
    expect(page.locator("#notes-group")).to_contain_text("Vereinbart: Bericht kommt bis Ende Januar.")
    assert MemberNote.objects.filter(author=staff, kind="agreement").count() == 1

    english = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900}).new_page()
    _login(english, origin)
    pages = {
        "member-notes": member_page,
        "notes-list": f"{origin}/admin/members/membernote/",
        "note-add": f"{origin}/admin/members/membernote/add/",
        "member-search": f"{origin}/admin/members/member/?q=Sch%C3%B6nfelder",
        "application-read-only": f"{origin}/admin/members/membershipapplication/{declined.pk}/change/",
        "applications": f"{origin}/admin/members/membershipapplication/?status=all",
    }
    for lang, browser_page in (("de", page), ("en", english)):
        for name, url in pages.items():
            browser_page.goto(url)
            _check(browser_page, f"admin-{name}-{lang}")
    page.goto(pages["member-search"])
    expect(page.locator("#result_list")).to_contain_text("Landeshauptstadt Dresden")
    page.goto(pages["application-read-only"])
    expect(page.locator("input[name=_save]")).to_have_count(0)
