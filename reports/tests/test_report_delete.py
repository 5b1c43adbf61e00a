"""Deleting a draft (reports:delete): a confirmation page saying what is lost, then a POST; only the lead; the
trace stays for the secretariat and on the member's admin page."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from core.tests.permissions import LOGIN, PERSONAS, assert_outcome
from reports.models import ImplementationReport, ReportDeletion, ReportDocument, ReportStatus, ReportTransitionError
from reports.services import report_create
from reports.tests.factories import ReportDocumentFactory, ReportFactory
from reports.tests.pdfs import make_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(dresden, dresden_editor, commitments):
    report = report_create(member=dresden, start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 31), by=dresden_editor)
    ImplementationReport.objects.filter(pk=report.pk).update(title="Bericht 2023/24")
    report.narratives.filter(commitment__number=3).update(text="Beratung ausgebaut")
    ReportDocumentFactory(report=report, file=ContentFile(make_pdf(), name="x.pdf"))
    report.refresh_from_db()
    return report


def delete_url(report, lang="en"):
    return f"/{lang}/dashboard/{report.member.slug}/reports/{report.pk}/delete/"


def test_it_says_what_will_be_lost_before_deleting(client, draft, dresden_lead):
    client.force_login(dresden_lead)
    body = client.get(delete_url(draft)).content.decode()
    assert "1 commitment with written text" in body and "1 attached document" in body and "Bericht 2023/24" in body
    assert f'action="{delete_url(draft)}"' in body
    assert ImplementationReport.objects.filter(pk=draft.pk).exists()


def test_it_deletes_the_draft_and_keeps_a_trace(client, draft, dresden, dresden_lead, dresden_editor, django_capture_on_commit_callbacks):
    storage, name = ReportDocument.objects.get().file.storage, ReportDocument.objects.get().file.name
    client.force_login(dresden_lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(delete_url(draft))
    assert response.status_code == 302 and response.headers["Location"] == "/en/dashboard/dresden/reports/"
    assert not ImplementationReport.objects.filter(pk=draft.pk).exists() and not ReportDocument.objects.exists()
    assert not storage.exists(name)
    trace = ReportDeletion.objects.get()
    assert (trace.member, trace.report_number, trace.period_start, trace.period_end, trace.title) == (
        dresden, draft.pk, dt.date(2023, 1, 1), dt.date(2024, 12, 31), "Bericht 2023/24"
    )
    assert (trace.deleted_by, trace.created_by, trace.narratives, trace.documents) == (dresden_lead, dresden_editor, 1, 1)
    # The report's own history records the deletion by the lead as well.
    assert ImplementationReport.history.filter(id=draft.pk, history_type="-").get().history_user == dresden_lead
    overview = client.get(response.headers["Location"]).content.decode()
    assert "has been deleted" in overview and "New report" in overview


def test_it_shows_the_trace_to_the_secretariat(client, draft, dresden_lead, staff):
    draft.delete_draft(by=dresden_lead)
    client.force_login(staff)
    listing = client.get(reverse("admin:reports_reportdeletion_changelist")).content.decode()
    assert "Landeshauptstadt Dresden" in listing and "Bericht 2023/24" in listing
    trace = ReportDeletion.objects.get()
    assert client.get(reverse("admin:reports_reportdeletion_change", args=[trace.pk])).status_code == 200
    member_page = client.get(reverse("admin:members_member_change", args=[draft.member.pk])).content.decode()
    assert "Bericht 2023/24" in member_page and reverse("admin:reports_reportdeletion_change", args=[trace.pk]) in member_page
    # Nobody edits or removes the trace.
    assert client.post(reverse("admin:reports_reportdeletion_delete", args=[trace.pk]), {"post": "yes"}).status_code == 403
    assert ReportDeletion.objects.exists()


def test_it_hides_the_trace_from_staff_without_permissions(client, draft, dresden_lead, bare_staff):
    draft.delete_draft(by=dresden_lead)
    client.force_login(bare_staff)
    assert client.get(reverse("admin:reports_reportdeletion_changelist")).status_code == 403


@pytest.mark.parametrize("status", [ReportStatus.SUBMITTED, ReportStatus.RETURNED, ReportStatus.ACCEPTED, ReportStatus.PUBLISHED])
def test_it_never_deletes_a_submitted_report(client, dresden, dresden_lead, staff, status):
    report = ReportFactory(member=dresden, status=status)
    for user in (dresden_lead, staff):
        client.force_login(user)
        response = client.post(delete_url(report))
        assert response.status_code == 302 and response.headers["Location"].endswith(f"/reports/{report.pk}/")
        assert client.get(delete_url(report)).status_code == 302
    with pytest.raises(ReportTransitionError):
        report.delete_draft(by=dresden_lead)
    assert ImplementationReport.objects.filter(pk=report.pk).exists() and not ReportDeletion.objects.exists()


def test_it_never_deletes_a_draft_that_was_submitted_once(dresden, dresden_lead, staff, commitments):
    report = report_create(member=dresden, start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 31), by=dresden_lead)
    report.submit(by=dresden_lead)
    report.return_to_member(by=staff, feedback="Bitte ergänzen.")
    ImplementationReport.objects.filter(pk=report.pk).update(status=ReportStatus.DRAFT)  # as an old row might be
    with pytest.raises(ReportTransitionError) as info:
        ImplementationReport.objects.get(pk=report.pk).delete_draft(by=dresden_lead)
    assert info.value.code == "was_submitted"


def test_it_refuses_an_editor_in_the_model(draft, dresden_editor):
    with pytest.raises(ReportTransitionError) as info:
        draft.delete_draft(by=dresden_editor)
    assert info.value.code == "not_lead" and ImplementationReport.objects.filter(pk=draft.pk).exists()


def test_it_offers_deletion_only_to_the_lead(client, draft, dresden_editor, dresden_lead):
    client.force_login(dresden_editor)
    assert "Delete the draft" not in client.get(f"/en/dashboard/dresden/reports/{draft.pk}/").content.decode()
    client.force_login(dresden_lead)
    assert delete_url(draft) in client.get(f"/en/dashboard/dresden/reports/{draft.pk}/").content.decode()


# (GET, POST) per persona, in PERSONAS order.
OUTCOMES = {
    "anonymous": (LOGIN, LOGIN),
    "outsider": (404, 404),
    "dresden_editor": (403, 403),
    "dresden_lead": (200, 302),
    "staff": (200, 302),
    "bare_staff": (404, 404),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_only_the_lead_delete(client, request, draft, persona):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    get_expected, post_expected = OUTCOMES[persona]
    assert_outcome(client.get(delete_url(draft, "de")), get_expected, (persona,))
    assert_outcome(client.post(delete_url(draft, "de")), post_expected, (persona,))
    assert ImplementationReport.objects.filter(pk=draft.pk).exists() == (post_expected != 302)
    assert ReportDeletion.objects.exists() == (post_expected == 302)


def test_it_refuses_to_delete_when_the_draft_changed_since_the_confirmation_page(client, draft, dresden_lead, dresden_editor):
    client.force_login(dresden_lead)
    page = client.get(delete_url(draft)).content.decode()
    expected = page.split('name="expected" value="')[1].split('"')[0]
    # Meanwhile an editor writes a second commitment's text.
    draft.narratives.filter(commitment__number=5).update(text="Neu geschrieben")
    response = client.post(delete_url(draft), {"expected": expected})
    assert response.status_code == 409
    body = response.content.decode()
    assert "changed since you opened this page" in body and "2 commitments with written text" in body
    assert ImplementationReport.objects.filter(pk=draft.pk).exists() and not ReportDeletion.objects.exists()
    fresh = body.split('name="expected" value="')[1].split('"')[0]
    assert client.post(delete_url(draft), {"expected": fresh}).status_code == 302
    assert not ImplementationReport.objects.filter(pk=draft.pk).exists()
