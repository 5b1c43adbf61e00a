"""Correcting the period of a draft (reports:period, ImplementationReport.change_period), and the plausibility
check it shares with a new report."""

import datetime as dt

import pytest
from django.utils import timezone

from core.dates import add_days
from core.tests.permissions import LOGIN, PERSONAS, assert_outcome
from core.versioning import EditConflict
from reports.models import ImplementationReport, ReportPeriodChange, ReportStatus, ReportTransitionError
from reports.services import report_create
from reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(dresden, dresden_lead, commitments):
    dresden.admitted_on = dt.date(2016, 11, 1)
    dresden.save()
    return report_create(member=dresden, start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 31), by=dresden_lead)


def period_url(report, lang="en"):
    return f"/{lang}/dashboard/{report.member.slug}/reports/{report.pk}/period/"


def post(client, report, start, end, lang="en", **extra):
    return client.post(period_url(report, lang), {"version": report.version, "period_start": start, "period_end": end, **extra})


def test_it_changes_the_period_and_records_who_when_and_old_to_new(client, draft, dresden_editor):
    client.force_login(dresden_editor)
    page = client.get(period_url(draft))
    assert page.status_code == 200 and 'value="2023-01-01"' in page.content.decode()
    response = post(client, draft, "2022-01-01", "2023-12-31")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/reports/{draft.pk}/")
    report = ImplementationReport.objects.get(pk=draft.pk)
    assert (report.period_start, report.period_end, report.version) == (dt.date(2022, 1, 1), dt.date(2023, 12, 31), draft.version + 1)
    change = ReportPeriodChange.objects.get()
    assert (change.old_start, change.old_end, change.new_start, change.new_end) == (
        dt.date(2023, 1, 1), dt.date(2024, 12, 31), dt.date(2022, 1, 1), dt.date(2023, 12, 31)
    )
    assert change.by == dresden_editor and change.confirmed == ""
    # The versioned history names the editor too.
    assert report.history.first().history_user == dresden_editor
    editor = client.get(f"/en/dashboard/dresden/reports/{draft.pk}/").content.decode()
    assert "period changed from 01/01/2023 – 31/12/2024 to 01/01/2022 – 31/12/2023" in editor


def test_it_keeps_the_typed_dates_when_the_end_is_before_the_start(client, draft, dresden_lead):
    client.force_login(dresden_lead)
    response = post(client, draft, "2024-05-01", "2024-01-31", lang="de")
    body = response.content.decode()
    assert response.status_code == 400
    assert 'value="2024-05-01"' in body and 'value="2024-01-31"' in body
    assert "darf nicht vor" in body
    assert ImplementationReport.objects.get(pk=draft.pk).period_start == dt.date(2023, 1, 1)


def test_it_refuses_garbage_without_a_500(client, draft, dresden_lead):
    client.force_login(dresden_lead)
    response = post(client, draft, "soon", "")
    assert response.status_code == 400 and 'value="soon"' in response.content.decode()


def test_it_refuses_a_period_overlapping_an_accepted_report(client, draft, dresden, dresden_lead):
    ReportFactory(member=dresden, status=ReportStatus.ACCEPTED, period_start=dt.date(2021, 1, 1), period_end=dt.date(2022, 12, 31))
    client.force_login(dresden_lead)
    response = post(client, draft, "2022-06-01", "2024-05-31")
    assert response.status_code == 400 and "overlaps the accepted report 01/01/2021 – 31/12/2022" in response.content.decode()
    assert not ReportPeriodChange.objects.exists()


@pytest.mark.parametrize(
    ("start", "end", "reason"),
    [
        ("2025-01-01", None, "ends in the future"),
        ("2015-01-01", "2016-12-31", "starts before the admission to ECCAR (01/11/2016)"),
        ("2017-01-01", "2022-12-31", "longer than 4 years"),
    ],
)
def test_it_asks_to_confirm_an_unusual_period(client, draft, dresden_lead, start, end, reason):
    end = end or add_days(timezone.localdate(), 30).isoformat()
    client.force_login(dresden_lead)
    response = post(client, draft, start, end)
    body = response.content.decode()
    assert response.status_code == 400 and reason in body and 'name="confirm_unusual"' in body
    assert f'value="{start}"' in body and f'value="{end}"' in body
    assert ImplementationReport.objects.get(pk=draft.pk).period_start == dt.date(2023, 1, 1)
    response = post(client, draft, start, end, confirm_unusual="on")
    assert response.status_code == 302
    assert reason in ReportPeriodChange.objects.get().confirmed


def test_it_asks_in_german_with_a_german_reason(client, draft, dresden_lead):
    client.force_login(dresden_lead)
    response = post(client, draft, "2015-01-01", "2016-12-31", lang="de")
    body = response.content.decode()
    assert "vor der Aufnahme in ECCAR (01.11.2016)" in body and "Ja, dieser Zeitraum stimmt." in body


def test_it_asks_the_same_when_a_new_report_is_created(client, dresden, dresden_lead, commitments):
    dresden.admitted_on = dt.date(2016, 11, 1)
    dresden.save()
    client.force_login(dresden_lead)
    end = add_days(timezone.localdate(), 200).isoformat()
    data = {"period_start": "2025-01-01", "period_end": end}
    response = client.post("/en/dashboard/dresden/reports/create/", data)
    assert response.status_code == 400 and "ends in the future" in response.content.decode()
    assert f'value="{end}"' in response.content.decode()
    assert not ImplementationReport.objects.exists()
    assert client.post("/en/dashboard/dresden/reports/create/", {**data, "confirm_unusual": "on"}).status_code == 302
    assert ImplementationReport.objects.get().period_end.isoformat() == end


def test_it_refuses_a_change_made_on_an_old_version_keeping_the_dates(client, draft, dresden_lead):
    client.force_login(dresden_lead)
    stale = draft.version
    draft.change_period(start=dt.date(2023, 2, 1), end=dt.date(2024, 12, 31), by=dresden_lead)
    response = client.post(period_url(draft), {"version": stale, "period_start": "2022-01-01", "period_end": "2023-12-31"})
    body = response.content.decode()
    assert response.status_code == 409 and "changed by someone else" in body and 'value="2022-01-01"' in body
    assert f'name="version" value="{draft.version}"' in body
    assert ImplementationReport.objects.get(pk=draft.pk).period_start == dt.date(2023, 2, 1)


@pytest.mark.parametrize("status", [ReportStatus.SUBMITTED, ReportStatus.RETURNED, ReportStatus.PUBLISHED])
def test_it_never_changes_the_period_of_a_report_that_left_the_draft(client, dresden, dresden_lead, status):
    report = ReportFactory(member=dresden, status=status)
    client.force_login(dresden_lead)
    response = post(client, report, "2022-01-01", "2023-12-31")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/reports/{report.pk}/")
    assert client.get(period_url(report)).status_code == 302
    assert ImplementationReport.objects.get(pk=report.pk).period_start == dt.date(2023, 1, 1)
    with pytest.raises(ReportTransitionError):
        report.change_period(start=dt.date(2022, 1, 1), end=dt.date(2023, 12, 31), by=dresden_lead)


def test_it_clears_a_period_label_of_a_source(draft, dresden_lead):
    ImplementationReport.objects.filter(pk=draft.pk).update(period_label="2023 – Ende 2024")
    draft.refresh_from_db()
    change = draft.change_period(start=dt.date(2023, 1, 1), end=dt.date(2024, 6, 30), by=dresden_lead)
    draft.refresh_from_db()
    assert draft.period_label == "" and change.old_label == "2023 – Ende 2024"


def test_it_refuses_a_stale_version_in_the_model(draft, dresden_lead):
    with pytest.raises(EditConflict):
        draft.change_period(start=dt.date(2023, 1, 1), end=dt.date(2024, 6, 30), by=dresden_lead, expected_version=draft.version - 1)


# (GET, POST) per persona, in PERSONAS order.
OUTCOMES = {
    "anonymous": (LOGIN, LOGIN),
    "outsider": (404, 404),
    "dresden_editor": (200, 302),
    "dresden_lead": (200, 302),
    "staff": (200, 302),
    "bare_staff": (404, 404),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_only_the_members_coordinators_change_the_period(client, request, draft, persona):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    get_expected, post_expected = OUTCOMES[persona]
    assert_outcome(client.get(period_url(draft, "de")), get_expected, (persona,))
    assert_outcome(post(client, draft, "2023-01-01", "2024-06-30", lang="de"), post_expected, (persona,))
    changed = ImplementationReport.objects.get(pk=draft.pk).period_end == dt.date(2024, 6, 30)
    assert changed == (post_expected == 302)
