"""The secretariat's review in the admin: actions through the model methods, feedback page, ZIP, overdue flags."""

import datetime as dt
import io
import zipfile

import pytest
import time_machine
from django.core.files.base import ContentFile

from members.tests.factories import MemberFactory
from reports.models import ImplementationReport, ReportStatus
from reports.services import report_create
from reports.tests.factories import ReportDocumentFactory, ReportFactory
from reports.tests.pdfs import make_pdf

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/reports/implementationreport/"


@pytest.fixture
def submitted(dresden, dresden_lead, commitments):
    report = report_create(member=dresden, start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 31), by=dresden_lead)
    report.submit(by=dresden_lead)
    return report


def status(report):
    return ImplementationReport.objects.get(pk=report.pk).status


def test_it_accepts_and_publishes_through_actions(client, staff, submitted, mailoutbox):
    client.force_login(staff)
    client.post(CHANGELIST, {"action": "accept_reports", "_selected_action": [submitted.pk]})
    assert status(submitted) == ReportStatus.ACCEPTED
    assert mailoutbox and "accepted" in mailoutbox[-1].subject.lower() or "angenommen" in mailoutbox[-1].subject
    client.post(CHANGELIST, {"action": "publish_reports", "_selected_action": [submitted.pk]})
    assert status(submitted) == ReportStatus.PUBLISHED
    assert [t.by for t in submitted.transitions.all()][-2:] == [staff, staff]


def test_it_reports_an_invalid_action_without_changing_anything(client, staff, submitted):
    client.force_login(staff)
    response = client.post(CHANGELIST, {"action": "publish_reports", "_selected_action": [submitted.pk]}, follow=True)
    assert status(submitted) == ReportStatus.SUBMITTED
    assert "Only an accepted report can be published" in response.content.decode() or "angenommener" in response.content.decode()


def test_it_returns_with_feedback_through_an_intermediate_page(client, staff, submitted, dresden_lead, mailoutbox):
    client.force_login(staff)
    response = client.post(CHANGELIST, {"action": "return_reports", "_selected_action": [submitted.pk]})
    assert response.status_code == 200 and 'name="feedback"' in response.content.decode()
    assert status(submitted) == ReportStatus.SUBMITTED
    response = client.post(CHANGELIST, {"action": "return_reports", "_selected_action": [submitted.pk], "apply": "1", "feedback": ""})
    assert status(submitted) == ReportStatus.SUBMITTED
    client.post(
        CHANGELIST,
        {"action": "return_reports", "_selected_action": [submitted.pk], "apply": "1", "feedback": "Zahlen fehlen."},
    )
    report = ImplementationReport.objects.get(pk=submitted.pk)
    assert report.status == ReportStatus.RETURNED and report.feedback == "Zahlen fehlen."
    assert "Zahlen fehlen." in mailoutbox[-1].body and mailoutbox[-1].to == [dresden_lead.email]


def test_it_takes_long_feedback(client, staff, submitted):
    client.force_login(staff)
    long = "Bitte ergänzen. " * 600  # 9,600 characters: more than a transition note held before
    client.post(CHANGELIST, {"action": "return_reports", "_selected_action": [submitted.pk], "apply": "1", "feedback": long})
    report = ImplementationReport.objects.get(pk=submitted.pk)
    assert report.status == ReportStatus.RETURNED and report.feedback == long.strip()
    assert report.transitions.last().note == long.strip()


def test_it_refuses_feedback_over_the_limit_without_a_server_error(client, staff, submitted):
    client.force_login(staff)
    response = client.post(
        CHANGELIST, {"action": "return_reports", "_selected_action": [submitted.pk], "apply": "1", "feedback": "x" * 10_001}
    )
    assert response.status_code == 200
    assert ImplementationReport.objects.get(pk=submitted.pk).status == ReportStatus.SUBMITTED


def test_it_shows_the_snapshot_and_keeps_workflow_fields_read_only(client, staff, submitted):
    client.force_login(staff)
    body = client.get(f"{CHANGELIST}{submitted.pk}/change/").content.decode()
    assert 'name="status"' not in body and 'name="feedback"' not in body
    assert "report-snapshot" in body


def test_it_lets_staff_download_all_documents_as_zip(client, staff, submitted, dresden_lead, outsider):
    ReportDocumentFactory(report=submitted, language="de", file=ContentFile(make_pdf("de"), name="a.pdf"))
    ReportDocumentFactory(report=submitted, language="en", file=ContentFile(make_pdf("en"), name="b.pdf"))
    ReportDocumentFactory(report=submitted, language="fr")  # named, no file
    url = f"{CHANGELIST}{submitted.pk}/documents.zip"
    client.force_login(outsider)
    assert client.get(url).status_code == 302  # the admin login page
    client.force_login(staff)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == [f"01-de-report-{submitted.pk}.pdf", f"02-en-report-{submitted.pk}.pdf"]
    assert all(archive.read(name).startswith(b"%PDF-1.4") for name in archive.namelist())


@time_machine.travel(dt.datetime(2024, 6, 1, 12, 0), tick=False)
def test_it_flags_overdue_members_with_a_filter_and_a_column(client, staff, django_assert_max_num_queries):
    late = MemberFactory(name="Spätstadt", admitted_on=dt.date(2021, 1, 1))
    punctual = MemberFactory(name="Pünktlichstadt", admitted_on=dt.date(2021, 1, 1))
    ReportFactory(member=punctual, status=ReportStatus.ACCEPTED, period_start=dt.date(2021, 1, 1), period_end=dt.date(2023, 1, 31))
    for _ in range(30):
        MemberFactory(admitted_on=dt.date(2023, 1, 1))
    client.force_login(staff)
    with django_assert_max_num_queries(15):
        body = client.get("/admin/members/member/?report_overdue=yes").content.decode()
    assert "Spätstadt" in body and "Pünktlichstadt" not in body and "01.01.2023" in body
    body = client.get("/admin/members/member/?report_overdue=no").content.decode()
    assert "Pünktlichstadt" in body and "31.01.2025" in body and "Spätstadt" not in body
    ReportFactory(member=late, status=ReportStatus.DRAFT, period_start=dt.date(2023, 2, 1), period_end=dt.date(2024, 12, 31))
    response = client.get(CHANGELIST + "?report_overdue=yes")
    assert [r.member.name for r in response.context["cl"].result_list] == ["Spätstadt"]
    response = client.get(CHANGELIST + "?report_overdue=no")
    assert [r.member.name for r in response.context["cl"].result_list] == ["Pünktlichstadt"]


def test_it_checks_pdfs_uploaded_in_the_admin(client, staff, dresden):
    from django.core.files.uploadedfile import SimpleUploadedFile

    draft = ReportFactory(member=dresden)  # a submitted report takes no documents at all
    client.force_login(staff)
    exe = SimpleUploadedFile("setup.pdf", b"MZ\x90\x00" * 100, content_type="application/pdf")
    response = client.post(
        "/admin/reports/reportdocument/add/", {"report": draft.pk, "language": "de", "title": "Bericht", "file": exe}
    )
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["file"]
    assert "not a PDF" in response.content.decode() or "kein PDF" in response.content.decode()
    assert not draft.documents.exists()


def test_it_offers_the_review_actions_only_to_staff_who_may_change_reports(client, submitted):
    from django.contrib.auth.models import Permission

    from members.tests.factories import UserFactory

    viewer = UserFactory(username="auditor", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_implementationreport"))
    client.force_login(viewer)
    assert client.get(CHANGELIST).status_code == 200
    for action in ["accept_reports", "return_reports", "publish_reports"]:
        client.post(CHANGELIST, {"action": action, "_selected_action": [submitted.pk], "apply": "1", "feedback": "x"})
    assert status(submitted) == ReportStatus.SUBMITTED
    assert 'value="accept_reports"' not in client.get(CHANGELIST).content.decode()


def test_it_keeps_the_stored_file_name_free_of_typed_paths(client, staff, submitted, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reports.models import ReportDocument

    settings.MEDIA_ROOT = tmp_path
    draft = ReportFactory(member=submitted.member, period_start=dt.date(2021, 1, 1), period_end=dt.date(2022, 12, 31))
    client.force_login(staff)
    upload = SimpleUploadedFile("../../evil.pdf", make_pdf(), content_type="application/pdf")
    response = client.post(
        "/admin/reports/reportdocument/add/", {"report": draft.pk, "language": "../..", "title": "Bericht", "file": upload}
    )
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["language"]
    assert not draft.documents.exists()
    # Even a document created in code with an odd language code gets a plain name under the report's folder.
    document = ReportDocument.objects.create(
        report=submitted, language="d/../e", title="x", file=ContentFile(make_pdf(), name="../../evil.pdf")
    )
    assert document.file.name.startswith(f"reports/{submitted.pk}/de-") and ".." not in document.file.name


def test_it_sends_feedback_and_names_verbatim_in_plain_text_mail(client, staff, submitted, dresden, mailoutbox):
    # Plain-text mail is not HTML: "&" and quotes must not arrive as "&amp;" or "&#x27;".
    dresden.name = "Stadt O'Brien & Umland"
    dresden.save()
    client.force_login(staff)
    feedback = 'Bitte "Zahlen & Fakten" ergänzen, <Kapitel 3>.'
    client.post(CHANGELIST, {"action": "return_reports", "_selected_action": [submitted.pk], "apply": "1", "feedback": feedback})
    mail = mailoutbox[-1]
    assert feedback in mail.body
    assert "Stadt O'Brien & Umland" in mail.body and "&amp;" not in mail.body + mail.subject


def test_it_labels_the_period_column(client, staff, dresden):
    from reports.tests.factories import ReportFactory

    ReportFactory(member=dresden)
    client.force_login(staff)
    body = client.get("/admin/reports/implementationreport/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Period display" not in body
    assert "01/01/2023 – 31/12/2024" in body  # the English admin writes dates the English way
