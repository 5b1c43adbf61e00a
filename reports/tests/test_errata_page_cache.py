"""A new erratum shows at once on the public report page and in its PDF, also when the page came from the public
page cache. These tests commit (transactional_db): the cache's generation moves when a write commits."""

import contextlib
import io
import math

import pypdf
import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core import public_cache
from core.public_cache import close_generation_reader
from reports.models import ReportStatus
from reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PUBLIC_PAGE_CACHE = True
    cache.clear()
    yield
    with contextlib.suppress(Exception):
        cache.clear()
    close_generation_reader()  # its connection would keep the test database from being dropped
    public_cache._cache_breaker["retry_at"] = -math.inf  # noqa: SLF001


def anonymous(path: str) -> tuple[bytes, int]:
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(path)
    assert response.status_code == 200, path
    return response.content, len(queries)


def pdf_text(content: bytes) -> str:
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(content)).pages)


def test_it_shows_a_new_erratum_at_once_on_the_cached_report_page_and_pdf(client, staff, dresden):
    report = ReportFactory(member=dresden, status=ReportStatus.PUBLISHED, published_at=timezone.now(), title="Bericht 2023/24")
    page, pdf = f"/de/reports/{report.pk}/", f"/de/reports/{report.pk}/report.pdf"
    for path in (page, pdf):
        anonymous(path)
        content, queries = anonymous(path)
        assert queries == 0, f"{path} was not served from the cache"
        assert "Es waren 70 Beratungsfälle." not in (pdf_text(content) if path == pdf else content.decode())
    client.force_login(staff)
    response = client.post("/admin/reports/reporterratum/add/", {
        "report": report.pk, "text": "Es waren 70 Beratungsfälle.", "reason": "Tippfehler", "language": "de", "corrects": "",
    })
    assert response.status_code == 302
    assert "Es waren 70 Beratungsfälle." in anonymous(page)[0].decode()
    assert "Es waren 70 Beratungsfälle." in pdf_text(anonymous(pdf)[0])
