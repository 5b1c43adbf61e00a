"""Dates far outside any real plan: refused when typed, harmless when already stored."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from actionplan.tests.factories import ActionPlanFactory
from members.models import CoordinatorRole
from members.tests.factories import AssignmentFactory, MemberFactory, UserFactory
from reports.models import ImplementationReport, ReportReminder, ReportStatus
from reports.services import report_next_period

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_9999(dresden):
    # Stored before the checks existed (or straight into the database): a delivered report at the calendar's end.
    dresden.admitted_on = dt.date(2020, 1, 1)
    dresden.save()
    ImplementationReport.objects.bulk_create(
        [ImplementationReport(member=dresden, period_start=dt.date(9999, 12, 1), period_end=dt.date(9999, 12, 31), status=ReportStatus.ACCEPTED)]
    )
    return dresden


def test_it_keeps_the_dashboard_working_with_a_year_9999_report(client, year_9999, dresden_lead):
    client.force_login(dresden_lead)
    assert client.get("/de/dashboard/").status_code == 200
    assert client.get("/de/dashboard/dresden/reports/").status_code == 200
    assert client.get("/de/dashboard/dresden/reports/new/").status_code == 200
    assert report_next_period(member=year_9999) == (dt.date.max, dt.date.max)


def test_it_keeps_the_admin_member_list_working_with_a_year_9999_report(client, year_9999, superuser):
    client.force_login(superuser)
    response = client.get("/admin/members/member/")
    assert response.status_code == 200
    assert "Dresden" in response.content.decode()
    assert client.get("/admin/members/member/?report_overdue=yes").status_code == 200
    assert client.get("/admin/members/member/?on_hold_proposed=yes").status_code == 200
    assert client.get("/admin/queue/").status_code == 200


def test_it_keeps_the_reminders_working_with_a_year_9999_report(year_9999):
    other = MemberFactory(slug="teststadt", admitted_on=dt.date(2020, 1, 1))
    AssignmentFactory(member=other, user=UserFactory(username="lead", email="lead@example.org"), role=CoordinatorRole.LEAD)
    call_command("send_report_reminders", stdout=io.StringIO(), stderr=io.StringIO())
    # The other member, long overdue, still gets its reminder; Dresden's next report is due at the calendar's end.
    assert ReportReminder.objects.filter(member=other).exists()
    assert not ReportReminder.objects.filter(member=year_9999).exists()


@pytest.mark.parametrize("day", ["0001-01-01", "1989-12-31", "9999-12-01", "2205-05-01"])
def test_it_refuses_an_implausible_report_period(client, dresden, dresden_lead, day):
    client.force_login(dresden_lead)
    response = client.post("/de/dashboard/dresden/reports/create/", {"period_start": day, "period_end": "2026-12-31"})
    assert response.status_code == 400
    assert "Geben Sie ein Datum zwischen 01.01.1990 und" in response.content.decode()
    assert not ImplementationReport.objects.exists()


@pytest.mark.parametrize("field", ["start_date", "end_date"])
def test_it_refuses_an_implausible_measure_date(client, dresden, dresden_editor, commitments, field):
    from actionplan.models import Measure

    ActionPlanFactory(member=dresden)
    client.force_login(dresden_editor)
    data = {"commitment": commitments[0].pk, "title": "Beratung", "status": "planned", "version": 1, field: "9999-01-01"}
    response = client.post("/de/dashboard/dresden/plan/new/1/", data)
    assert response.status_code == 200
    assert "Geben Sie ein Datum zwischen 01.01.1990 und" in response.content.decode()
    assert not Measure.objects.exists()


def test_it_refuses_an_implausible_adoption_date(client, dresden, dresden_lead):
    plan = ActionPlanFactory(member=dresden)
    client.force_login(dresden_lead)
    response = client.post("/de/dashboard/dresden/adoption/", {"adopted_on": "1900-01-01", "version": plan.version})
    assert "Geben Sie ein Datum zwischen 01.01.1990 und" in response.content.decode()
    plan.refresh_from_db()
    assert plan.adopted_on is None


def test_it_refuses_an_implausible_timeline_date(client, dresden, dresden_editor, commitments):
    from actionplan.tests.factories import MeasureFactory

    measure = MeasureFactory(plan=ActionPlanFactory(member=dresden), commitment=commitments[0])
    client.force_login(dresden_editor)
    data = {
        "commitment": commitments[0].pk, "title": measure.title, "status": measure.status, "version": measure.version,
        "update-text": "Sitzung", "update-date": "1985-05-01",
    }
    response = client.post(f"/de/dashboard/dresden/measures/{measure.pk}/", data)
    assert "Geben Sie ein Datum zwischen 01.01.1990 und" in response.content.decode()
    assert not measure.updates.exists()
