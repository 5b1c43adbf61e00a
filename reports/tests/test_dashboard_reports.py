"""The reports panel on the coordinator dashboard says where the report stands, not just the deadline."""

import datetime as dt

import pytest
import time_machine

from reports.models import ImplementationReport, ReportStatus
from reports.services import report_create
from reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue(dresden):
    # Admitted long ago with no delivered report: the deadline has passed.
    dresden.admitted_on = dt.date(2016, 11, 1)
    dresden.save()
    return dresden


def test_it_shows_the_overdue_warning_and_a_new_report_button_when_nothing_is_open(client, overdue, dresden_lead):
    client.force_login(dresden_lead)
    body = client.get("/de/dashboard/").content.decode()
    assert "überfällig" in body and "text-danger" in body
    assert "/de/dashboard/dresden/reports/new/" in body


@time_machine.travel(dt.datetime(2026, 11, 28, 10, tzinfo=dt.UTC))
def test_it_says_the_report_is_with_the_secretariat_instead_of_overdue(client, overdue, dresden_lead, commitments):
    with time_machine.travel(dt.datetime(2026, 10, 2, 10, tzinfo=dt.UTC)):
        report = report_create(member=overdue, start=dt.date(2016, 11, 1), end=dt.date(2018, 10, 31), by=dresden_lead)
        report.submit(by=dresden_lead)
    client.force_login(dresden_lead)
    body = client.get("/de/dashboard/").content.decode()
    assert "liegt seit 2. Oktober 2026 beim Sekretariat" in body
    assert "überfällig" not in body and "text-danger" not in body
    assert "/de/dashboard/dresden/reports/new/" not in body


def test_it_puts_a_returned_report_first_as_the_main_message(client, overdue, dresden_lead, staff, commitments):
    report = report_create(member=overdue, start=dt.date(2016, 11, 1), end=dt.date(2018, 10, 31), by=dresden_lead)
    report.submit(by=dresden_lead)
    report.return_to_member(by=staff, feedback="Bitte ergänzen.")
    client.force_login(dresden_lead)
    body = client.get("/de/dashboard/").content.decode()
    panel = body[body.index("dashboard-reports"):]
    assert "zurückgegeben – bitte überarbeiten" in panel
    assert panel.index("zurückgegeben") < panel.index("<ul")  # above the list of reports
    assert "überfällig" not in body
    assert "/de/dashboard/dresden/reports/new/" not in body
    assert f"/de/dashboard/dresden/reports/{report.pk}/" in panel


def test_it_offers_to_continue_a_draft_instead_of_a_new_report(client, dresden, dresden_editor, commitments):
    draft = report_create(member=dresden, start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 31), by=dresden_editor)
    client.force_login(dresden_editor)
    body = client.get("/en/dashboard/").content.decode()
    assert "Continue the draft" in body and f"/en/dashboard/dresden/reports/{draft.pk}/" in body
    assert "/en/dashboard/dresden/reports/new/" not in body


def test_it_offers_a_new_report_again_once_the_last_one_is_published(client, dresden, dresden_editor):
    ReportFactory(member=dresden, status=ReportStatus.PUBLISHED, period_start=dt.date(2021, 1, 1), period_end=dt.date(2022, 12, 31))
    client.force_login(dresden_editor)
    body = client.get("/en/dashboard/").content.decode()
    assert "/en/dashboard/dresden/reports/new/" in body
    assert ImplementationReport.objects.count() == 1


@pytest.mark.parametrize(("lang", "text"), [("de", "Angemeldet als"), ("en", "Logged in as")])
def test_it_shows_who_is_logged_in(client, dresden_lead, lang, text):
    dresden_lead.first_name, dresden_lead.last_name = "Erika", "Muster"
    dresden_lead.save()
    client.force_login(dresden_lead)
    body = client.get(f"/{lang}/dashboard/").content.decode()
    assert f"{text} <strong>Erika Muster</strong>" in body and "dresden-lead" in body
