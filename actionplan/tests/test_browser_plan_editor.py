"""Browser journeys through the plan editor in real Chromium: the lead coordinator's day, and two people
editing the same measure at once. Every page passes axe-core; screenshots go to screenshots/."""

import pytest
from playwright.sync_api import expect

from actionplan.models import Measure, MeasureStatus
from actionplan.tests.factories import ActionPlanFactory, MeasureFactory
from core.tests.browser import axe_violations, screenshot

pytestmark = [pytest.mark.browser]

PASSWORD = "correct-horse-battery"


@pytest.fixture
def live(transactional_db, live_server, commitments, dresden):
    ActionPlanFactory(member=dresden)
    return live_server


def log_in(page, origin: str, username: str, lang: str = "de", *, check_axe: bool = False) -> None:
    page.goto(f"{origin}/{lang}/accounts/login/")
    if check_axe:
        assert axe_violations(page) == []
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(f"{origin}/{lang}/dashboard/")


def add_measure(page, commitment: int, title: str, *, public: bool = True, status: str = MeasureStatus.IN_PROGRESS) -> None:
    page.get_by_role("link", name=f"Maßnahme hinzufügen unter Verpflichtung {commitment}").click()
    page.locator("#id_title").fill(title)
    page.locator("#id_responsible_unit").fill("Büro der Integrationsbeauftragten")
    page.locator("#id_status").select_option(status)
    page.locator("#id_progress").fill("25")
    page.locator("#id_start_date").fill("2026-01-01")
    page.locator("#id_end_date").fill("2026-12-31")
    # New measures start internal: publishing is a deliberate tick.
    expect(page.locator("#id_is_public")).not_to_be_checked()
    if public:
        page.locator("#id_is_public").check()
    page.locator("main form.measure-form button[value=plan]").click()
    expect(page.locator(".alert-success")).to_contain_text(title)


def test_it_lets_the_lead_keep_the_plan_and_the_public_sees_the_result(page, live, dresden_lead):
    origin = live.url
    log_in(page, origin, "dresden-lead", check_axe=True)
    assert axe_violations(page) == []
    screenshot(page, "dashboard-de-1280")
    page.get_by_role("link", name="Aktionsplan bearbeiten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aktionsplan der Landeshauptstadt Dresden")
    assert axe_violations(page) == []

    # The error state first: an end before the start is refused next to the field, every value kept.
    page.get_by_role("link", name="Maßnahme hinzufügen unter Verpflichtung 3").click()
    page.locator("#id_title").fill("Beratungsstelle gegen Diskriminierung")
    page.locator("#id_progress").fill("140")
    page.locator("#id_start_date").fill("2026-06-01")
    page.locator("#id_end_date").fill("2026-01-01")
    page.locator("main form.measure-form button[value=plan]").click()
    expect(page.locator(".invalid-feedback").filter(has_text="Das Ende darf nicht vor dem Beginn liegen.")).to_be_visible()
    expect(page.locator(".invalid-feedback").filter(has_text="100")).to_be_visible()
    expect(page.locator("#id_title")).to_have_value("Beratungsstelle gegen Diskriminierung")
    expect(page.locator("#id_start_date")).to_have_value("2026-06-01")
    assert axe_violations(page) == []
    screenshot(page, "measure-form-errors-de-1280")
    page.get_by_role("link", name="Abbrechen").click()

    add_measure(page, 3, "Beratungsstelle gegen Diskriminierung")
    add_measure(page, 3, "Interne Abstimmung der Ämter", public=False, status=MeasureStatus.PLANNED)
    add_measure(page, 8, "Interkulturelle Woche", status=MeasureStatus.PLANNED)
    screenshot(page, "plan-editor-de-1280")

    # Progress and status changed in the measure form, then an entry posted: all of it is saved.
    page.get_by_role("link", name="Beratungsstelle gegen Diskriminierung").click()
    page.locator("#id_progress").fill("60")
    page.locator("#id_status").select_option(MeasureStatus.IMPLEMENTED)
    page.locator("#id_update-date").fill("2026-03-15")
    page.locator("#id_update-text").fill("Die Beratungsstelle hat eröffnet.")
    page.get_by_role("button", name="Eintrag veröffentlichen").click()
    expect(page.locator(".timeline")).to_contain_text("Die Beratungsstelle hat eröffnet.")
    expect(page.locator(".timeline")).to_contain_text("Umgesetzt")
    expect(page.locator("#id_progress")).to_have_value("60")
    assert axe_violations(page) == []
    screenshot(page, "measure-edit-de-1280")

    # Retire the measure under commitment 8.
    page.get_by_role("link", name="Aktionsplan der Landeshauptstadt Dresden").click()
    page.get_by_role("link", name="Interkulturelle Woche").click()
    # The edit page links to a confirmation step with a warning; only its button retires.
    page.locator("main a[href$='/retire/']").click()
    expect(page.locator("main .alert-warning")).to_be_visible()
    assert axe_violations(page) == []
    page.locator("main form[action$='/retire/'] button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("zurückgezogen")
    expect(page.get_by_role("heading", name="Zurückgezogene Maßnahmen")).to_be_visible()

    page.get_by_role("button", name="Abmelden").click()
    page.goto(f"{origin}/de/members/dresden/")
    body = page.locator("main").inner_text()
    assert "Beratungsstelle gegen Diskriminierung" in body
    assert "Interne Abstimmung der Ämter" not in body and "Interkulturelle Woche" not in body
    assert "Die Beratungsstelle hat eröffnet." in body
    assert page.locator("article.card").count() == 1
    glance = page.locator("table.glance-table").inner_text()
    assert "1 öffentliche Maßnahme zu 1 der zehn Verpflichtungen." in body
    assert "1 Umgesetzt" in glance and "Geplant" not in glance
    assert axe_violations(page) == []
    screenshot(page, "member-dresden-after-journey-de-1280")
    assert Measure.objects.filter(retired_at__isnull=False).count() == 1


def test_it_shows_the_conflict_screen_when_two_people_edit_the_same_measure(browser, live, dresden, dresden_editor, dresden_lead, commitments):
    measure = MeasureFactory(plan=dresden.plan, commitment=commitments[2], title="Ausgangstitel")
    origin = live.url
    editor_ctx, lead_ctx = browser.new_context(), browser.new_context()
    editor, lead = editor_ctx.new_page(), lead_ctx.new_page()
    try:
        log_in(editor, origin, "dresden-editor", "en")
        log_in(lead, origin, "dresden-lead", "en")
        url = f"{origin}/en/dashboard/dresden/measures/{measure.pk}/"
        editor.goto(url)
        lead.goto(url)
        editor.locator("#id_title").fill("Title by the editor")
        lead.locator("#id_title").fill("Title by the lead")
        lead.locator("#id_partners").fill("Partner typed by the lead")
        editor.locator("main form.measure-form button[value=plan]").click()
        expect(editor.locator(".alert-success")).to_be_visible()
        lead.locator("main form.measure-form button[value=plan]").click()

        expect(lead.get_by_role("heading", name="Not saved: someone else changed the same fields in the meantime")).to_be_visible()
        expect(lead.locator(".conflict-saved-by")).to_contain_text("Saved by dresden-editor on ")
        expect(lead.locator(".conflict-theirs").first).to_have_text("Title by the editor")
        expect(lead.locator(".conflict-mine").first).to_have_text("Title by the lead")
        # The lead's own typing is still in the form.
        expect(lead.locator("#id_title")).to_have_value("Title by the lead")
        expect(lead.locator("#id_partners")).to_have_value("Partner typed by the lead")
        assert axe_violations(lead) == []
        screenshot(lead, "measure-conflict-en-1280")
        lead.set_viewport_size({"width": 375, "height": 800})
        assert lead.evaluate("document.documentElement.scrollWidth") <= 375
        screenshot(lead, "measure-conflict-en-375")
        measure.refresh_from_db()
        assert measure.title == "Title by the editor"

        # After comparing, the lead merges and saves deliberately; both values remain in the history.
        lead.locator("#id_title").fill("Title by the editor, checked by the lead")
        lead.locator("main form.measure-form button[value=plan]").click()
        expect(lead.locator(".alert-success")).to_be_visible()
        measure.refresh_from_db()
        assert (measure.title, measure.partners) == ("Title by the editor, checked by the lead", "Partner typed by the lead")
        assert [h.title for h in measure.history.all()] == [
            "Title by the editor, checked by the lead", "Title by the editor", "Ausgangstitel"
        ]
    finally:
        editor_ctx.close()
        lead_ctx.close()


@pytest.mark.parametrize("lang", ["de", "en"])
def test_it_works_at_phone_width_and_by_keyboard(page, live, dresden, dresden_lead, commitments, lang):
    MeasureFactory(plan=dresden.plan, commitment=commitments[0], title="Vorhandene Maßnahme")
    origin = live.url
    # The strict CSP blocks any inline style or script; Chromium reports each block on the console.
    csp_reports: list[str] = []
    page.on("console", lambda m: csp_reports.append(m.text) if "Content Security Policy" in m.text else None)
    log_in(page, origin, "dresden-lead", lang)
    page.set_viewport_size({"width": 375, "height": 800})
    pages = {
        "dashboard": f"/{lang}/dashboard/",
        "plan-editor": f"/{lang}/dashboard/dresden/plan/",
        "measure-new": f"/{lang}/dashboard/dresden/plan/new/1/",
        "measure-edit": f"/{lang}/dashboard/dresden/measures/{dresden.plan.measures.get().pk}/",
        "measure-history": f"/{lang}/dashboard/dresden/measures/{dresden.plan.measures.get().pk}/history/",
        "profile": f"/{lang}/dashboard/dresden/profile/",
        "adoption": f"/{lang}/dashboard/dresden/adoption/",
    }
    for name, path in pages.items():
        page.goto(origin + path)
        assert axe_violations(page) == [], path
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
        screenshot(page, f"{name}-{lang}-375")

    # Keyboard only: from the plan editor to a saved measure.
    page.goto(origin + f"/{lang}/dashboard/dresden/plan/")
    add_link = page.locator(f'a[href="/{lang}/dashboard/dresden/plan/new/2/"]')
    for _ in range(60):
        page.keyboard.press("Tab")
        if add_link.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("the add-measure link is not reachable by Tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(origin + f"/{lang}/dashboard/dresden/plan/new/2/")
    page.locator("#id_commitment").focus()
    page.keyboard.press("Tab")  # to the title
    page.keyboard.type("Per Tastatur angelegt")
    submit = page.locator("main form.measure-form button[value=plan]")
    for _ in range(30):
        page.keyboard.press("Tab")
        if submit.evaluate("el => el === document.activeElement"):
            break
    page.keyboard.press("Enter")
    expect(page.locator(".alert-success")).to_contain_text("Per Tastatur angelegt")
    assert Measure.objects.filter(title="Per Tastatur angelegt", commitment__number=2).exists()
    assert csp_reports == []


def test_it_keeps_field_names_whole_in_the_history_on_a_phone(page, live, dresden, dresden_lead, commitments):
    measure = MeasureFactory(plan=dresden.plan, commitment=commitments[0], title="Lange Beschreibung")
    measure.description = "Eine Beratungsstelle für Betroffene von Diskriminierung, mit einem langen Text. " * 4
    measure.save()
    log_in(page, live.url, "dresden-lead", "de")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live.url + f"/de/dashboard/dresden/measures/{measure.pk}/history/")
    label = page.locator(".diff-table th[scope=row]", has_text="Beschreibung")
    # One line box: the word is not split across lines ("Beschreib|ung").
    lines = label.evaluate("el => { const r = document.createRange(); r.selectNodeContents(el); return r.getClientRects().length; }")
    assert lines == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
