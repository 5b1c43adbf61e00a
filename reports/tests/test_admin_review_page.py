import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.tests.permissions import ADMIN_LOGIN, PERSONAS, assert_outcome
from reports.models import ImplementationReport, ReportStatus
from reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(dresden, dresden_lead, commitments):
    report = ReportFactory(member=dresden, status=ReportStatus.SUBMITTED, submitted_at=timezone.now(), title="Bericht 2023/24")
    report.narratives.create(commitment=commitments[0], text="Wachsamkeit")
    return report


def _url(name: str, report) -> str:
    return reverse(f"admin:reports_implementationreport_{name}", args=[report.pk])


def test_it_offers_accept_and_return_on_a_submitted_reports_page_and_keeps_its_content_read_only(client, staff, submitted):
    client.force_login(staff)
    body = client.get(_url("change", submitted)).content.decode()
    assert _url("accept", submitted) in body and _url("return", submitted) in body and _url("publish", submitted) not in body
    assert 'name="title"' not in body and 'name="summary"' not in body  # read-only, shown as text
    assert "Bericht 2023/24" in body
    assert "narratives-0-DELETE" not in body and 'name="narratives-0-text"' not in body


def test_it_accepts_then_publishes_from_the_reports_page(client, staff, submitted, django_capture_on_commit_callbacks):
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("accept", submitted))
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.ACCEPTED and submitted.transitions.get().by == staff
    assert mail.outbox  # the coordinators are told
    assert _url("publish", submitted) in client.get(_url("change", submitted)).content.decode()
    client.post(_url("publish", submitted))
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.PUBLISHED


def test_it_returns_with_required_feedback(client, staff, submitted):
    client.force_login(staff)
    response = client.post(_url("return", submitted), {"feedback": ""})
    assert response.status_code == 400
    assert ImplementationReport.objects.get(pk=submitted.pk).status == ReportStatus.SUBMITTED
    response = client.post(_url("return", submitted), {"feedback": "Bitte Zahlen ergänzen."})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.RETURNED and submitted.feedback == "Bitte Zahlen ergänzen."


def test_it_refuses_a_step_that_no_longer_fits_and_changes_nothing(client, staff, submitted):
    client.force_login(staff)
    client.post(_url("accept", submitted))
    response = client.post(_url("accept", submitted), follow=True)
    assert "Nur ein eingereichter Bericht kann angenommen werden." in response.content.decode()
    assert ImplementationReport.objects.get(pk=submitted.pk).transitions.count() == 1


def test_it_keeps_a_draft_editable_in_the_admin(client, staff, dresden):
    draft = ReportFactory(member=dresden)
    client.force_login(staff)
    body = client.get(_url("change", draft)).content.decode()
    assert 'name="title"' in body and _url("accept", draft) not in body


EXPECTED = {"anonymous": ADMIN_LOGIN, "outsider": ADMIN_LOGIN, "dresden_editor": ADMIN_LOGIN, "dresden_lead": ADMIN_LOGIN,
            "bare_staff": 403}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "data"), [("accept", {}), ("return", {"feedback": "Zahlen fehlen"})])
def test_it_lets_only_the_secretariat_review(client, request, submitted, persona, name, data):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    response = client.post(_url(name, submitted), data)
    assert_outcome(response, EXPECTED.get(persona, 302), (name, persona))
    expected_status = ReportStatus.SUBMITTED if persona != "staff" else {"accept": ReportStatus.ACCEPTED, "return": ReportStatus.RETURNED}[name]
    assert ImplementationReport.objects.get(pk=submitted.pk).status == expected_status


def test_it_links_a_submitted_reports_documents_through_the_checked_download_view(client, staff, submitted, settings, tmp_path):
    from django.core.files.base import ContentFile

    from reports.tests.factories import ReportDocumentFactory
    from reports.tests.pdfs import make_pdf

    settings.MEDIA_ROOT = tmp_path
    document = ReportDocumentFactory(report=submitted, title="Bericht (PDF)", file=ContentFile(make_pdf("Bericht"), name="b.pdf"))
    client.force_login(staff)
    body = client.get(_url("change", submitted)).content.decode()
    download = reverse("reports:document", args=[submitted.pk, document.pk])
    assert f'href="{download}"' in body and document.file.name.rsplit("/", 1)[-1] in body
    assert "/media/" not in body
    assert client.get(download).status_code == 200  # the link works for the secretariat
    # The same in the document admin and, for a draft, in the upload widget's "currently" link.
    assert "/media/" not in client.get(f"/admin/reports/reportdocument/{document.pk}/change/").content.decode()
    draft = ReportFactory(member=submitted.member, period_start=timezone.datetime(2021, 1, 1).date(), period_end=timezone.datetime(2022, 12, 31).date())
    draft_document = ReportDocumentFactory(report=draft, file=ContentFile(make_pdf("Entwurf"), name="e.pdf"))
    for url in (_url("change", draft), f"/admin/reports/reportdocument/{draft_document.pk}/change/"):
        body = client.get(url).content.decode()
        assert f'href="{reverse("reports:document", args=[draft.pk, draft_document.pk])}"' in body and "/media/" not in body, url


def test_it_shows_who_created_the_report_as_text_without_listing_every_account(client, staff, submitted, dresden_lead):
    from members.tests.factories import UserFactory

    ImplementationReport.objects.filter(pk=submitted.pk).update(created_by=dresden_lead)
    others = UserFactory.create_batch(5)
    draft = ReportFactory(member=submitted.member, created_by=dresden_lead, period_start=submitted.period_start.replace(year=2019),
                          period_end=submitted.period_end.replace(year=2020))
    client.force_login(staff)
    for report in (submitted, draft):  # a draft's author is a fact too
        body = client.get(_url("change", report)).content.decode()
        assert 'name="created_by"' not in body
        assert "dresden-lead" in body
        assert not any(user.username in body for user in others), report.status
