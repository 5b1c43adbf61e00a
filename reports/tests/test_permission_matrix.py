"""Every report URL × {anonymous, coordinator of another member, editor, lead, secretariat, staff without permissions}."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from core.tests.permissions import ADMIN_LOGIN, LOGIN, PERSONAS, assert_outcome
from reports.models import ImplementationReport, ReportStatus
from reports.services import report_create
from reports.tests.factories import ReportDocumentFactory, ReportFactory
from reports.tests.pdfs import make_pdf

pytestmark = pytest.mark.django_db


# name: (method, expected status per persona, in PERSONAS order)
MATRIX = {
    "reports:list": ("get", [200, 200, 200, 200, 200, 200]),
    "reports:detail": ("get", [404, 404, 200, 200, 200, 404]),  # an unpublished report
    "reports:detail_published": ("get", [200, 200, 200, 200, 200, 200]),
    "reports:document": ("get", [404, 404, 200, 200, 200, 404]),
    "reports:pdf": ("get", [404, 404, 404, 404, 404, 404]),  # of an unpublished report: none, for anyone
    "reports:compare": ("get", [200, 200, 200, 200, 200, 200]),  # a published report with an earlier one: public
    "reports:compare_unpublished": ("get", [404, 404, 404, 404, 404, 404]),  # not even for its own coordinators
    "reports_feed": ("get", [200, 200, 200, 200, 200, 200]),
    "reports:member_reports": ("get", [LOGIN, 404, 200, 200, 200, 404]),
    "reports:new": ("get", [LOGIN, 404, 200, 200, 200, 404]),
    "reports:create": ("post", [LOGIN, 404, 302, 302, 302, 404]),
    "reports:edit": ("get", [LOGIN, 404, 200, 200, 200, 404]),
    "reports:save": ("post", [LOGIN, 404, 302, 302, 302, 404]),
    "reports:review": ("get", [LOGIN, 404, 200, 200, 200, 404]),
    "reports:submit": ("post", [LOGIN, 404, 403, 302, 302, 404]),
    "reports:document_delete": ("post", [LOGIN, 404, 302, 302, 302, 404]),
    "reports:draft_keep": ("post", [LOGIN, 404, 200, 200, 200, 404]),
    "reports:draft_discard": ("post", [LOGIN, 404, 302, 302, 302, 404]),
    "reports:period": ("get", [LOGIN, 404, 200, 200, 200, 404]),
    "reports:period_post": ("post", [LOGIN, 404, 302, 302, 302, 404]),
    "reports:delete": ("get", [LOGIN, 404, 403, 200, 200, 404]),  # the confirmation page: the lead's
    "reports:delete_post": ("post", [LOGIN, 404, 403, 302, 302, 404]),
    "reports:clear_ready": ("post", [LOGIN, 404, 302, 302, 302, 404]),
    "admin:reports_implementationreport_documents_zip": ("get", [ADMIN_LOGIN] * 4 + [200, 403]),
}
MATRIX_URL_NAMES = {
    name for name in MATRIX if name not in ("reports:detail_published", "reports:compare_unpublished", "reports:period_post", "reports:delete_post")
}


@pytest.fixture
def world(dresden, duesseldorf, commitments):
    report = report_create(member=dresden, start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 31), by=None)
    document = ReportDocumentFactory(report=report, file=ContentFile(make_pdf(), name="x.pdf"))
    public = ReportFactory(member=dresden, status=ReportStatus.PUBLISHED, period_start=dt.date(2019, 1, 1), period_end=dt.date(2020, 12, 31))
    snapshot = {"schema": 2, "period": {}, "commitments": [{"number": 1, "title_de": "V", "title_en": "C", "measures": [], "indicators": []}]}
    earlier = ReportFactory(member=dresden, status=ReportStatus.PUBLISHED, period_start=dt.date(2015, 1, 1), period_end=dt.date(2016, 12, 31), snapshot=snapshot)
    later = ReportFactory(member=dresden, status=ReportStatus.PUBLISHED, period_start=dt.date(2017, 1, 1), period_end=dt.date(2018, 12, 31), snapshot=snapshot)
    accepted = ReportFactory(member=dresden, status=ReportStatus.ACCEPTED, period_start=dt.date(2021, 1, 1), period_end=dt.date(2022, 12, 31), snapshot=snapshot)
    return {"report": report, "document": document, "public": public, "later": later, "accepted": accepted, "earlier": earlier}


def url_and_data(name: str, world: dict) -> tuple[str, dict]:
    report, document = world["report"], world["document"]
    edit = {"version": report.version, "title": "", "summary": "", **{f"narrative_{n}": "" for n in range(1, 11)}}
    return {
        "reports:list": (reverse("reports:list"), {}),
        "reports:detail": (reverse("reports:detail", args=[report.pk]), {}),
        "reports:detail_published": (reverse("reports:detail", args=[world["public"].pk]), {}),
        "reports:document": (reverse("reports:document", args=[report.pk, document.pk]), {}),
        "reports:pdf": (reverse("reports:pdf", args=[report.pk]), {}),
        "reports:compare": (reverse("reports:compare", args=[world["later"].pk]), {}),
        "reports:compare_unpublished": (reverse("reports:compare", args=[world["accepted"].pk]), {}),
        "reports_feed": (reverse("reports_feed", args=["de"]), {}),
        "reports:member_reports": (reverse("reports:member_reports", args=["dresden"]), {}),
        "reports:new": (reverse("reports:new", args=["dresden"]), {}),
        "reports:create": (
            reverse("reports:create", args=["dresden"]), {"period_start": "2025-01-01", "period_end": "2026-12-31", "confirm_unusual": "on"}
        ),
        "reports:edit": (reverse("reports:edit", args=["dresden", report.pk]), {}),
        "reports:save": (reverse("reports:save", args=["dresden", report.pk]), edit),
        "reports:review": (reverse("reports:review", args=["dresden", report.pk]), {}),
        "reports:submit": (reverse("reports:submit", args=["dresden", report.pk]), edit),
        "reports:document_delete": (reverse("reports:document_delete", args=["dresden", report.pk, document.pk]), {}),
        "reports:draft_keep": (reverse("reports:draft_keep", args=["dresden", report.pk]), {**edit, "narrative_1": "Getippt"}),
        "reports:draft_discard": (reverse("reports:draft_discard", args=["dresden", report.pk]), {}),
        "reports:period": (reverse("reports:period", args=["dresden", report.pk]), {}),
        "reports:period_post": (
            reverse("reports:period", args=["dresden", report.pk]),
            {"version": report.version, "period_start": "2023-01-01", "period_end": "2024-06-30"},
        ),
        "reports:delete": (reverse("reports:delete", args=["dresden", report.pk]), {}),
        "reports:delete_post": (reverse("reports:delete", args=["dresden", report.pk]), {}),
        "reports:clear_ready": (reverse("reports:clear_ready", args=["dresden", report.pk]), {}),
        "admin:reports_implementationreport_documents_zip": (
            reverse("admin:reports_implementationreport_documents_zip", args=[report.pk]),
            {},
        ),
    }[name]


def test_it_covers_every_report_url():
    from reports.urls import urlpatterns

    names = {f"reports:{p.name}" for p in urlpatterns} | {"reports_feed", "admin:reports_implementationreport_documents_zip"}
    assert names == MATRIX_URL_NAMES


@pytest.mark.parametrize("persona_index", range(len(PERSONAS)), ids=PERSONAS)
@pytest.mark.parametrize("name", list(MATRIX))
def test_it_enforces_the_permission_matrix(client, request, world, name, persona_index):
    persona = PERSONAS[persona_index]
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    method, expected_row = MATRIX[name]
    expected = expected_row[persona_index]
    url, data = url_and_data(name, world)
    before = ImplementationReport.objects.get(pk=world["report"].pk)
    response = getattr(client, method)(url, data)
    assert_outcome(response, expected, (name, persona))
    after = ImplementationReport.objects.filter(pk=world["report"].pk).first()
    if expected not in (200, 302) or expected == LOGIN:
        # A refused request changes nothing.
        assert (after.version, after.status, after.documents.count()) == (before.version, before.status, 1)


@pytest.mark.parametrize(
    "name",
    ["reports:create", "reports:save", "reports:submit", "reports:document_delete", "reports:draft_keep", "reports:draft_discard", "reports:clear_ready"],
)
def test_it_refuses_get_on_every_change(client, world, dresden_lead, name):
    client.force_login(dresden_lead)
    url, _ = url_and_data(name, world)
    assert client.get(url).status_code == 405


@pytest.mark.parametrize(
    "name",
    ["reports:edit", "reports:save", "reports:submit", "reports:document_delete", "reports:draft_keep", "reports:draft_discard", "reports:period", "reports:delete_post"],
)
def test_it_hides_a_report_behind_another_members_slug(client, world, outsider, name):
    """Düsseldorf's lead uses its own slug with Dresden's report id: still 404."""
    client.force_login(outsider)
    url, data = url_and_data(name, world)
    url = url.replace("/dresden/", "/duesseldorf/")
    response = client.get(url) if name in ("reports:edit", "reports:period") else client.post(url, data)
    assert response.status_code == 404
