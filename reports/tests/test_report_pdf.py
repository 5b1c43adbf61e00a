"""A published report as a PDF; drafts and reports under review have none, not even for their coordinators."""

import io

import pypdf
import pytest
from django.utils import timezone

from reports.models import ReportStatus
from reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def test_it_renders_a_published_report(client, dresden):
    report = ReportFactory(member=dresden, status=ReportStatus.PUBLISHED, published_at=timezone.now(),
                           title="Bericht 2023/24", summary="Beratung ausgebaut.")
    response = client.get(f"/en/reports/{report.pk}/report.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    assert "Bericht 2023/24" in text and "Beratung ausgebaut." in text and "Landeshauptstadt Dresden" in text
    assert f"http://testserver/en/reports/{report.pk}/" in text
    assert f'href="/en/reports/{report.pk}/report.pdf"' in client.get(f"/en/reports/{report.pk}/").content.decode()


@pytest.mark.parametrize("status", [ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.ACCEPTED, ReportStatus.RETURNED])
def test_it_has_no_pdf_of_an_unpublished_report(client, dresden, dresden_lead, status):
    report = ReportFactory(member=dresden, status=status)
    assert client.get(f"/de/reports/{report.pk}/report.pdf").status_code == 404
    client.force_login(dresden_lead)
    assert client.get(f"/de/reports/{report.pk}/report.pdf").status_code == 404
