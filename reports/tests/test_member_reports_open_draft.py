"""The reports overview (reports:member_reports) and the dashboard's reports panel while a draft is open: they say
why no new report can be started and link to the draft, its period and (for the lead) its deletion."""

import datetime as dt

import pytest

from core.tests.permissions import LOGIN, PERSONAS, assert_outcome
from members.models import CoordinatorRole
from members.tests.factories import AssignmentFactory, MemberFactory
from reports.models import ReportStatus
from reports.services import report_create
from reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(dresden, dresden_editor, commitments):
    return report_create(member=dresden, start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 31), by=dresden_editor)


@pytest.mark.parametrize(
    ("lang", "text"),
    [("en", "a new report can be started once the draft 01/01/2023 – 31/12/2024 has been submitted"), ("de", "sobald der Entwurf 01.01.2023 – 31.12.2024 eingereicht")],
)
def test_it_explains_why_no_new_report_can_be_started(client, draft, dresden_lead, lang, text):
    client.force_login(dresden_lead)
    body = client.get(f"/{lang}/dashboard/dresden/reports/").content.decode()
    assert text in body
    assert f"/{lang}/dashboard/dresden/reports/{draft.pk}/period/" in body
    assert f"/{lang}/dashboard/dresden/reports/{draft.pk}/delete/" in body
    assert f"/{lang}/dashboard/dresden/reports/new/" not in body


def test_it_offers_the_editor_the_period_but_not_the_deletion(client, draft, dresden_editor):
    client.force_login(dresden_editor)
    for url in ("/en/dashboard/dresden/reports/", "/en/dashboard/"):
        body = client.get(url).content.decode()
        assert f"/reports/{draft.pk}/period/" in body and f"/reports/{draft.pk}/delete/" not in body, url


def test_it_offers_the_lead_the_deletion_on_the_dashboard_too(client, draft, dresden_lead):
    client.force_login(dresden_lead)
    assert f"/reports/{draft.pk}/delete/" in client.get("/en/dashboard/").content.decode()


def test_it_says_a_submitted_report_must_be_accepted_first(client, dresden, dresden_lead):
    ReportFactory(member=dresden, status=ReportStatus.SUBMITTED)
    client.force_login(dresden_lead)
    body = client.get("/en/dashboard/dresden/reports/").content.decode()
    assert "once the open report is accepted" in body and "/reports/new/" not in body


def test_it_points_to_the_open_draft_from_the_new_report_page(client, draft, dresden_lead):
    client.force_login(dresden_lead)
    body = client.get("/en/dashboard/dresden/reports/new/").content.decode()
    assert "The draft 01/01/2023 – 31/12/2024 is still open" in body and f"/reports/{draft.pk}/period/" in body


def test_it_keeps_the_dashboard_query_count_flat_with_many_open_drafts(client, dresden_lead, draft, django_assert_max_num_queries):
    client.force_login(dresden_lead)
    with django_assert_max_num_queries(8) as few:
        client.get("/de/dashboard/")
    for _ in range(8):
        member = MemberFactory()
        AssignmentFactory(user=dresden_lead, member=member, role=CoordinatorRole.LEAD)
        report = ReportFactory(member=member)
        report.mark_ready(by=dresden_lead)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/de/dashboard/")
    assert response.content.decode().count("Entwurf löschen") == 9


OUTCOMES = {"anonymous": LOGIN, "outsider": 404, "dresden_editor": 200, "dresden_lead": 200, "staff": 200, "bare_staff": 404}


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_shows_the_overview_only_to_the_members_coordinators(client, request, draft, persona):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    assert_outcome(client.get("/de/dashboard/dresden/reports/"), OUTCOMES[persona], (persona,))
