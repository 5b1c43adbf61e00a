"""Uploaded files are reachable only through the views that check visibility, never raw under /media/."""

import importlib

import pytest
from django.core.files.base import ContentFile
from django.urls import clear_url_caches

from reports.models import ReportStatus
from reports.tests.factories import ReportDocumentFactory
from reports.tests.pdfs import make_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def debug_urls(settings, tmp_path):
    import eccar_portal.urls

    settings.MEDIA_ROOT = tmp_path
    settings.DEBUG = True
    importlib.reload(eccar_portal.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(eccar_portal.urls)
    clear_url_caches()


def test_it_serves_no_raw_media_even_with_debug(client, dresden, debug_urls, tmp_path):
    document = ReportDocumentFactory(report__member=dresden, report__status=ReportStatus.DRAFT, file=ContentFile(make_pdf(), name="x.pdf"))
    assert (tmp_path / document.file.name).exists()
    assert client.get(f"/media/{document.file.name}").status_code == 404
    # The checked view refuses the draft's PDF to the public as well.
    assert client.get(f"/en/reports/{document.report_id}/documents/{document.pk}/").status_code == 404


def test_it_sends_a_visible_pdf_as_a_sandboxed_attachment(client, dresden, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = ReportDocumentFactory(
        report__member=dresden, report__status=ReportStatus.PUBLISHED, file=ContentFile(make_pdf(), name="x.pdf")
    )
    response = client.get(f"/en/reports/{document.report_id}/documents/{document.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
