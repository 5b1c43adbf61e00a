"""Nothing typed into the report editor is lost in Chromium: kept as a draft, offered back after leaving the page."""

import time

import pytest

from core.tests.browser import axe_violations, screenshot

pytestmark = [pytest.mark.browser]

PASSWORD = "correct-horse-battery"
TEXT = "Wir haben die Beratungsstellen ausgebaut und die Wartezeiten halbiert."


@pytest.fixture
def editor_world(seeded_live):
    import datetime as dt

    from members.models import CoordinatorRole, Member
    from members.tests.factories import AssignmentFactory, UserFactory
    from reports.services import report_create

    dresden = Member.objects.get(slug="dresden")
    lead = UserFactory(username="dresden-lead", first_name="Dana", last_name="Lead")
    AssignmentFactory(user=lead, member=dresden, role=CoordinatorRole.LEAD)
    report = report_create(member=dresden, start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 31), by=lead)
    return seeded_live, report


def login(page, origin: str, lang: str = "de") -> None:
    page.goto(f"{origin}/{lang}/accounts/login/")
    page.fill("#id_username", "dresden-lead")
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def wait_for_draft(report, number: int, text: str) -> None:
    # The page's last message leaves with the page (sendBeacon): the server may still be writing it.
    from reports.models import ReportDraft

    for _ in range(50):
        draft = ReportDraft.objects.filter(report=report).first()
        if draft and draft.narratives.get(str(number)) == text:
            return
        time.sleep(0.1)
    raise AssertionError("no draft was kept")


def test_it_offers_the_typed_text_back_after_leaving_the_page(page, editor_world):
    live, report = editor_world
    origin = live.url
    edit = f"{origin}/de/dashboard/dresden/reports/{report.pk}/"
    page.set_viewport_size({"width": 1280, "height": 900})
    page.on("dialog", lambda dialog: dialog.accept())  # the "leave the page?" warning: yes, leave
    login(page, origin)
    page.goto(edit)
    page.locator("#id_narrative_3").fill(TEXT)
    page.locator("#id_narrative_3").blur()
    # Kept when the field is left; the page says so.
    page.get_by_role("status").filter(has_text="zwischengespeichert").wait_for()
    page.get_by_role("link", name="Übersicht").first.click()
    page.wait_for_url(f"{origin}/de/dashboard/")

    page.goto(edit)
    offer = page.locator("#draft-offer")
    assert offer.is_visible() and "zwischengespeichert" in offer.inner_text()
    assert page.locator("#id_narrative_3").input_value() == ""  # offered, not yet put in
    page.get_by_role("link", name="Eingaben wiederherstellen").click()
    assert page.locator("#id_narrative_3").input_value() == TEXT
    # The restored text is unsaved: saving it (from the commitment's own button) puts it in the report.
    page.locator('button[name="commitment"][value="3"]').click()
    page.wait_for_url(f"{edit}#commitment-3")
    report.refresh_from_db()
    assert report.narratives.get(commitment__number=3).text == TEXT
    assert page.locator("#draft-offer").count() == 0


def test_it_keeps_what_is_typed_when_the_page_is_left_at_once(page, editor_world):
    live, report = editor_world
    origin = live.url
    edit = f"{origin}/de/dashboard/dresden/reports/{report.pk}/"
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, origin)
    page.goto(edit)
    page.locator("#id_narrative_5").press_sequentially("Sofort weg")
    page.get_by_role("link", name="Übersicht").first.click()
    page.wait_for_url(f"{origin}/de/dashboard/")
    wait_for_draft(report, 5, "Sofort weg")
    page.goto(edit)
    assert page.locator("#draft-offer").is_visible()
    page.get_by_role("button", name="Verwerfen").click()
    assert page.locator("#draft-offer").count() == 0 and page.locator("#id_narrative_5").input_value() == ""


@pytest.mark.parametrize("lang", ["de", "en"])
def test_it_has_an_accessible_editor_with_the_draft_offer(page, editor_world, lang):
    from reports.tests.factories import ReportDraftFactory

    from members.models import User

    live, report = editor_world
    ReportDraftFactory(report=report, user=User.objects.get(username="dresden-lead"), narratives={"2": TEXT})
    login(page, live.url, lang)
    edit = f"{live.url}/{lang}/dashboard/dresden/reports/{report.pk}/"
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        for name, url in (("offer", edit), ("restored", f"{edit}?draft=restore")):
            page.goto(url)
            assert axe_violations(page) == [], (name, lang, width)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, lang, width)
            screenshot(page, f"report-draft-{name}-{lang}-{width}")
