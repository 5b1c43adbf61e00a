"""A submitted, accepted or published report is frozen in the admin: its documents, narratives and fields change
by no admin path (change form, document admin, bulk deletion, history, a forged POST), not even for superusers.
A document's language is always one the portal knows."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.tests.admin_forms import admin_form_data
from reports.models import ImplementationReport, ReportDocument, ReportNarrative, ReportStatus
from reports.tests.factories import ReportDocumentFactory, ReportFactory
from reports.tests.pdfs import make_pdf

pytestmark = pytest.mark.django_db

DOCUMENTS = "/admin/reports/reportdocument/"
FROZEN = [ReportStatus.SUBMITTED, ReportStatus.ACCEPTED, ReportStatus.PUBLISHED]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def frozen_report(member, commitments, status=ReportStatus.PUBLISHED) -> ImplementationReport:
    report = ReportFactory(
        member=member, status=status, submitted_at=timezone.now(), title="Bericht 2023/24", summary="Wie eingereicht",
        published_at=timezone.now() if status == ReportStatus.PUBLISHED else None,
    )
    report.narratives.create(commitment=commitments[0], text="Wachsamkeit")
    ReportDocumentFactory(report=report, title="Bericht (PDF)", file=ContentFile(make_pdf("Bericht"), name="b.pdf"))
    return report


def state(report: ImplementationReport) -> tuple:
    """Everything of the report an admin path could change, and the number of document history rows."""
    fresh = ImplementationReport.objects.get(pk=report.pk)
    documents = sorted(ReportDocument.objects.filter(report=report).values_list("pk", "language", "title", "file"))
    narratives = sorted(ReportNarrative.objects.filter(report=report).values_list("commitment_id", "text"))
    fields = (fresh.status, fresh.title, fresh.summary, fresh.created_by_id, fresh.period_start, fresh.version)
    return fields, documents, narratives, ReportDocument.history.filter(report_id=report.pk).count()


def pdf(name="neu.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, make_pdf("Nachtrag"), content_type="application/pdf")


@pytest.mark.parametrize("status", FROZEN)
def test_it_refuses_the_bulk_deletion_of_a_frozen_reports_documents(client, staff, dresden, commitments, status):
    report = frozen_report(dresden, commitments, status)
    document = report.documents.get()
    before = state(report)
    client.force_login(staff)
    confirm = client.post(DOCUMENTS, {"action": "delete_selected", "_selected_action": [document.pk]})
    assert confirm.status_code == 200 and 'name="post"' not in confirm.content.decode()  # no "Yes, I'm sure"
    response = client.post(DOCUMENTS, {"action": "delete_selected", "_selected_action": [document.pk], "post": "yes"})
    assert response.status_code == 403
    assert state(report) == before


def test_it_refuses_a_document_added_to_a_published_report_in_the_document_admin(client, staff, dresden, commitments, tmp_path):
    """Finding: a document with language "xx" was added to a published report and bulk-deleted again."""
    report = frozen_report(dresden, commitments)
    before = state(report)
    client.force_login(staff)
    for language in ("xx", "de"):
        response = client.post(DOCUMENTS + "add/", {"report": report.pk, "language": language, "title": "Nachtrag", "file": pdf()})
        assert response.status_code == 200, language
        errors = response.context["adminform"].form.errors
        assert "report" in errors, errors
    assert state(report) == before
    assert len(list(tmp_path.rglob("*.pdf"))) == 1  # no file of the refused uploads is kept


@pytest.mark.parametrize("persona", ["staff", "superuser"])
def test_it_refuses_a_forged_change_or_deletion_of_a_frozen_reports_document(client, request, dresden, commitments, persona):
    report = frozen_report(dresden, commitments)
    document = report.documents.get()
    before = state(report)
    client.force_login(request.getfixturevalue(persona))
    change = f"{DOCUMENTS}{document.pk}/change/"
    page = client.get(change).content.decode()
    assert 'name="title"' not in page and 'name="_save"' not in page  # shown, not offered for change
    assert client.post(change, {"report": report.pk, "language": "xx", "title": "Geändert", "file": pdf()}).status_code == 403
    assert client.post(f"{DOCUMENTS}{document.pk}/delete/", {"post": "yes"}).status_code == 403
    assert state(report) == before


@pytest.mark.parametrize("persona", ["staff", "superuser"])
def test_it_changes_nothing_through_a_forged_post_of_a_frozen_reports_change_form(client, request, dresden, commitments, persona):
    report = frozen_report(dresden, commitments)
    document, narrative = report.documents.get(), report.narratives.get()
    user = request.getfixturevalue(persona)
    before = state(report)
    client.force_login(user)
    url = reverse("admin:reports_implementationreport_change", args=[report.pk])
    forged = {
        "version": report.version, "member": dresden.pk, "period_start": "2020-01-01", "period_end": "2024-12-31",
        "title": "Geändert", "summary": "Geändert", "created_by": user.pk,
        "narratives-TOTAL_FORMS": "1", "narratives-INITIAL_FORMS": "1",
        "narratives-0-id": narrative.pk, "narratives-0-report": report.pk, "narratives-0-commitment": narrative.commitment_id,
        "narratives-0-text": "Geändert",
        "documents-TOTAL_FORMS": "2", "documents-INITIAL_FORMS": "1",
        "documents-0-id": document.pk, "documents-0-report": report.pk, "documents-0-language": "de",
        "documents-0-title": "Bericht (PDF)", "documents-0-DELETE": "on",
        "documents-1-report": report.pk, "documents-1-language": "xx", "documents-1-title": "Nachtrag", "documents-1-file": pdf(),
        "transitions-TOTAL_FORMS": "0", "transitions-INITIAL_FORMS": "0",
    }
    response = client.post(url, forged)
    assert response.status_code == 403
    assert state(report) == before
    # A superuser cannot delete it either (its documents would go with it), not even in bulk.
    assert client.post(reverse("admin:reports_implementationreport_delete", args=[report.pk]), {"post": "yes"}).status_code == 403
    bulk = client.post("/admin/reports/implementationreport/", {"action": "delete_selected", "_selected_action": [report.pk], "post": "yes"})
    assert bulk.status_code in (302, 403)  # refused, or (for the secretariat) not an action it has at all
    assert state(report) == before


def test_it_shows_a_frozen_reports_change_form_without_a_field_or_button_to_change(client, staff, dresden, commitments):
    report = frozen_report(dresden, commitments, ReportStatus.SUBMITTED)
    client.force_login(staff)
    body = client.get(reverse("admin:reports_implementationreport_change", args=[report.pk])).content.decode()
    for name in ('name="_save"', 'name="created_by"', 'name="documents-0-DELETE"', 'name="documents-0-title"',
                 'name="narratives-0-text"', "add-row"):
        assert name not in body, name
    # The review steps stay.
    assert reverse("admin:reports_implementationreport_accept", args=[report.pk]) in body


def test_it_refuses_a_history_revert_of_a_frozen_report(client, staff, dresden, commitments):
    report = frozen_report(dresden, commitments)
    ImplementationReport.objects.filter(pk=report.pk).update(status=ReportStatus.DRAFT)
    report.refresh_from_db()
    report.title = "Entwurf"
    report.save()  # a history row of the report as a draft
    draft_version = report.history.first()
    ImplementationReport.objects.filter(pk=report.pk).update(status=ReportStatus.PUBLISHED, title="Bericht 2023/24")
    before = state(report)
    client.force_login(staff)
    url = reverse("admin:reports_implementationreport_simple_history", args=[report.pk, draft_version.history_id])
    page = client.get(url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    data = {"member": dresden.pk, "period_start": "2023-01-01", "period_end": "2024-12-31", "title": "Entwurf", "summary": "",
            "version": report.version}
    assert client.post(url, data).status_code == 403
    assert state(report) == before


def test_it_keeps_a_drafts_documents_editable_in_the_admin(client, staff, dresden, commitments):
    draft = ReportFactory(member=dresden)
    client.force_login(staff)
    response = client.post(DOCUMENTS + "add/", {"report": draft.pk, "language": "fr", "title": "Rapport", "file": pdf()})
    assert response.status_code == 302
    document = draft.documents.get()
    assert document.language == "fr"
    response = client.post(DOCUMENTS, {"action": "delete_selected", "_selected_action": [document.pk], "post": "yes"})
    assert response.status_code == 302 and not draft.documents.exists()


# --- The document's language -----------------------------------------------------------------------------------


def test_it_refuses_a_made_up_language_in_the_document_admin(client, staff, dresden):
    draft = ReportFactory(member=dresden)
    client.force_login(staff)
    response = client.post(DOCUMENTS + "add/", {"report": draft.pk, "language": "xx", "title": "Bericht", "file": pdf()},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and "language" in response.context["adminform"].form.errors
    assert not draft.documents.exists()


def test_it_refuses_a_made_up_language_in_the_reports_change_form(client, staff, dresden, commitments):
    draft = ReportFactory(member=dresden, period_start=dt.date(2023, 1, 1))
    client.force_login(staff)
    url = reverse("admin:reports_implementationreport_change", args=[draft.pk])
    data = admin_form_data(client.get(url))
    data.update({
        "documents-TOTAL_FORMS": "1", "documents-0-report": str(draft.pk), "documents-0-language": "xx",
        "documents-0-title": "Bericht", "documents-0-file": pdf(),
    })
    response = client.post(url, data)
    assert response.status_code == 200
    assert not draft.documents.exists()


def test_it_refuses_a_made_up_language_when_a_document_is_added_in_code(dresden, dresden_lead):
    draft = ReportFactory(member=dresden)
    with pytest.raises(ValidationError):
        draft.add_document(file=pdf(), language="xx", title="Bericht", by=dresden_lead)
    assert not draft.documents.exists()
    with pytest.raises(ValidationError):
        ReportDocument(report=draft, language="xx", title="Bericht").full_clean()


def test_it_offers_the_document_languages_by_name_in_the_admin(client, staff, dresden):
    draft = ReportFactory(member=dresden)
    client.force_login(staff)
    body = client.get(DOCUMENTS + f"add/?report={draft.pk}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<option value="fr">French</option>' in body and 'value="xx"' not in body
