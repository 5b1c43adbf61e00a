"""The way in, in real Chromium: a town applies, confirms, is invited, drafts its plan, and is admitted.
Every new public page passes axe-core in German and English, at 1280 and 375 px."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from core.tests.browser import axe_violations, enter_second_factor, give_app, screenshot
from members.models import CoordinatorRole
from members.services import invitation_send

pytestmark = [pytest.mark.browser]

PASSWORD = "correct-horse-battery"
NEW_PASSWORD = "Ratzeburger-Domsee-2024"


def _link(pattern: str) -> str:
    for message in reversed(mail.outbox):
        match = re.search(pattern, message.body)
        if match:
            return match.group(0)
    raise AssertionError(f"no e-mail with {pattern}")


def _check(page, name: str) -> None:
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        assert axe_violations(page) == [], (name, width)
        screenshot(page, f"{name}-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})


def _admin_login(page, origin: str) -> None:
    give_app("secretariat")
    page.goto(f"{origin}/admin/login/")
    page.locator("#id_username").fill("secretariat")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_load_state()
    enter_second_factor(page, "secretariat")


def test_it_takes_a_town_from_its_application_to_a_public_member_page(page, browser, transactional_db, live_server, commitments, staff):
    origin = live_server.url
    page.goto(f"{origin}/en/join/")
    _check(page, "apply-en")
    page.goto(f"{origin}/de/join/")
    _check(page, "apply-de")

    # A mistake first: no council decision, no consent; the form keeps what was typed.
    page.locator("#id_name").fill("Stadt Mölln und Amt Breitenfelde")
    page.locator("#id_kind").select_option("joint")
    page.locator("#id_country").select_option("DE")
    page.locator("#id_authorities-0-name").fill("Stadt Mölln")
    page.locator("#id_authorities-1-name").fill("Amt Breitenfelde")
    page.locator("#id_authorities-1-kind").select_option("amt")
    page.locator("#id_contact_name").fill("Paula Probst")
    page.locator("#id_contact_email").fill("paula.probst@example.org")
    page.locator("#id_motivation").fill("Antirassismus als Daueraufgabe")
    page.get_by_role("button", name="Antrag senden").click()
    expect(page.locator("main")).to_contain_text("Bitte fügen Sie den Ratsbeschluss als PDF bei")
    expect(page.locator("#id_motivation")).to_have_value("Antirassismus als Daueraufgabe")
    _check(page, "apply-errors-de")
    page.locator("#id_council_decision_expected_on").fill("2030-03-01")
    page.locator("#id_contact_consent").check()
    page.get_by_role("button", name="Antrag senden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bitte bestätigen Sie Ihren Antrag")
    _check(page, "apply-sent-de")

    page.goto(_link(r"http://\S+/de/join/confirm/\S+").replace("http://127.0.0.1:8000", origin))
    _check(page, "apply-confirm-de")
    page.get_by_role("button", name="Antrag bestätigen").click()
    expect(page.locator("main")).to_contain_text("ist bestätigt")

    # The secretariat, in its own browser session, accepts the application for processing.
    secretariat = browser.new_context(locale="de-DE").new_page()
    _admin_login(secretariat, origin)
    secretariat.goto(f"{origin}/admin/members/membershipapplication/")
    secretariat.get_by_role("link", name="Stadt Mölln und Amt Breitenfelde").click()
    secretariat.get_by_role("button", name="In Bearbeitung nehmen und Ansprechperson einladen").click()
    expect(secretariat.locator(".messagelist")).to_contain_text("paula.probst@example.org")

    # The contact person follows the invitation, sets a password and drafts the plan.
    page.goto(_link(r"http://\S+/accounts/invitation/\S+").replace("http://127.0.0.1:8000", origin))
    _check(page, "invitation-accept-de")
    page.locator("#id_first_name").fill("Paula")
    page.locator("#id_last_name").fill("Probst")
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Mein Konto anlegen").click()
    expect(page).to_have_url(f"{origin}/de/dashboard/")
    page.get_by_role("link", name="Aktionsplan bearbeiten").click()
    page.get_by_role("link", name="Maßnahme hinzufügen unter Verpflichtung 1", exact=True).click()
    page.locator("#id_title").fill("Meldestelle für Diskriminierung")
    page.locator("#id_is_public").check()  # publishing is a deliberate choice; new measures start internal
    page.locator("main form.measure-form button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("Meldestelle für Diskriminierung")

    public = browser.new_context().new_page()
    response = public.goto(f"{origin}/de/members/stadt-molln-und-amt-breitenfelde/")
    assert response.status == 404  # an applicant is never public

    # The secretariat admits the town: its page goes public with the measure.
    secretariat.goto(f"{origin}/admin/members/membershipapplication/")
    secretariat.get_by_role("link", name="Stadt Mölln und Amt Breitenfelde").click()
    secretariat.get_by_role("link", name="Aufnehmen").click()
    secretariat.locator("#id_on").fill("2026-05-01")
    secretariat.get_by_role("button", name="Aufnehmen").click()
    expect(secretariat.locator(".messagelist")).to_contain_text("ist aufgenommen")
    response = public.goto(f"{origin}/de/members/stadt-molln-und-amt-breitenfelde/")
    assert response.status == 200
    expect(public.locator("main")).to_contain_text("Meldestelle für Diskriminierung")


def test_it_gives_the_lead_an_accessible_team_page(page, transactional_db, live_server, dresden, dresden_lead, dresden_editor, staff):
    invitation_send(member=dresden, email="offen@dresden.de", role=CoordinatorRole.EDITOR, language="de", by=dresden_lead)
    origin = live_server.url
    for lang in ("de", "en"):
        page.goto(f"{origin}/{lang}/accounts/login/")
        page.locator("#id_username").fill("dresden-lead")
        page.locator("#id_password").fill(PASSWORD)
        page.locator("main button[type=submit]").click()
        page.goto(f"{origin}/{lang}/dashboard/dresden/team/")
        expect(page.locator("main")).to_contain_text("offen@dresden.de")
        _check(page, f"team-{lang}")
        page.context.clear_cookies()


def test_it_keeps_every_step_of_the_way_in_accessible_in_english(page, transactional_db, live_server, dresden, staff):
    from django.core import mail as outbox

    origin = live_server.url
    invitation_send(member=dresden, email="new@dresden.de", role=CoordinatorRole.EDITOR, language="en", by=staff)
    outbox_link = _link(r"http://\S+/en/accounts/invitation/\S+").replace("http://127.0.0.1:8000", origin)
    assert outbox.outbox
    for name, url, heading in [
        ("apply-sent-en", f"{origin}/en/join/sent/", "Please confirm your application"),
        ("apply-confirm-invalid-en", f"{origin}/en/join/confirm/not-a-token/", "Confirm the application"),
        ("invitation-accept-en", outbox_link, "Accept the invitation"),
        ("invitation-invalid-en", f"{origin}/en/accounts/invitation/not-a-token/", "This invitation cannot be used"),
    ]:
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        _check(page, name)
