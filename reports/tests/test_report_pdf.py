"""A published report as a PDF; drafts and reports under review have none, not even for their coordinators.

Every report PDF is tagged (PDF/UA-1) and says what the report page says: which documents carry no file, why no
snapshot is shown, the source as the page gives it."""

import datetime as dt
import io
import logging
import os

import pypdf
import pytest
from django.utils import timezone, translation

from actionplan.tests.factories import ActionPlanFactory, IndicatorFactory, IndicatorValueFactory, MeasureFactory, MeasureUpdateFactory
from core.tests.pdf_checks import assert_tagged, link_descriptions, page_text, pdf_text
from reports.models import ImplementationReport, ReportNarrative, ReportStatus
from reports.snapshot import build_snapshot
from reports.tests.factories import ReportDocumentFactory, ReportFactory

pytestmark = pytest.mark.django_db

LANGUAGES = ["de", "en"]


def report_pdf_and_page(client, report, lang: str) -> tuple[str, str, bytes]:
    response = client.get(f"/{lang}/reports/{report.pk}/report.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    if os.environ.get("PDF_DUMP_DIR"):  # to look at the PDFs: PDF_DUMP_DIR=/tmp/pdfs pytest …
        with open(os.path.join(os.environ["PDF_DUMP_DIR"], f"report-{report.pk}-{lang}.pdf"), "wb") as out:
            out.write(response.content)
    return pdf_text(response.content), page_text(client.get(f"/{lang}/reports/{report.pk}/")), response.content


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


def test_it_answers_404_for_an_unknown_report(client, db):
    assert client.get("/de/reports/999999/report.pdf").status_code == 404


@pytest.mark.parametrize("lang", LANGUAGES)
def test_it_tags_every_report_pdf(client, seeded, report_with_snapshot, lang, caplog):
    reports = list(ImplementationReport.objects.published())
    assert len(reports) >= 2  # the seeded one, without snapshot and files, and one with both
    for report in reports:
        with caplog.at_level(logging.WARNING, logger="weasyprint"):
            response = client.get(f"/{lang}/reports/{report.pk}/report.pdf")
        # WeasyPrint names what PDF/UA misses (an image without alt text, no language, a link to no anchor) as errors.
        assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
        assert_tagged(response.content, language=lang)
        assert pypdf.PdfReader(io.BytesIO(response.content)).metadata.title == f"{report.member.name}: {report.period_display}"
        assert all(link_descriptions(response.content))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_it_prints_the_seeded_reports_notes_and_source_as_its_page_does(client, seeded, lang):
    reports = list(ImplementationReport.objects.published().select_related("member", "source").prefetch_related("documents"))
    assert reports
    for report in reports:
        text, page, pdf = report_pdf_and_page(client, report, lang)
        with translation.override(lang):
            missing = translation.gettext("no file is attached: the source names this document but carries no file")
            no_snapshot = translation.gettext(
                "This report was recorded from a public source; no snapshot of the action plan is held for it."
            )
            source = f"{translation.gettext('Source:')} {report.source.publisher}: „{report.source.title}“"
        documents = list(report.documents.all())
        assert documents and not any(d.file for d in documents)  # the seed names documents without files
        facts = [report.member.name, report.title, report.period_display, no_snapshot, source, report.source.publisher]
        facts += [f"{d.title} ({d.language.upper()}) – {missing}" for d in documents]
        for fact in facts:
            assert fact in page, fact
            assert fact in text, fact
        assert "()" not in text


@pytest.fixture
def report_with_snapshot(dresden, commitments):
    """A published report with a frozen plan (measures, timeline, indicators), a document with a file and one
    without, and a narrative."""
    plan = ActionPlanFactory(member=dresden)
    measure = MeasureFactory(plan=plan, commitment=commitments[2], title="Beratungsstelle bekannt machen", progress=60)
    MeasureUpdateFactory(measure=measure, date=dt.date(2023, 5, 2), text="Flyer gedruckt")
    indicator = IndicatorFactory(plan=plan, commitment=commitments[2], name="Beratungsfälle pro Jahr", unit="Fälle")
    IndicatorValueFactory(indicator=indicator, date=dt.date(2023, 6, 30))
    report = ReportFactory(member=dresden, title="Bericht 2023/24", summary="Beratung ausgebaut.")
    report.snapshot = build_snapshot(report)
    report.submitted_at = timezone.now()
    report.status = ReportStatus.PUBLISHED
    report.published_at = timezone.now()
    report.save()
    ReportDocumentFactory(report=report, language="de", title="Bericht (PDF)", file="reports/x/de.pdf")
    ReportDocumentFactory(report=report, language="en", title="Report (PDF)", file="")
    ReportNarrative.objects.create(report=report, commitment=commitments[2], text="Die Beratung wurde ausgebaut.")
    return report


@pytest.mark.parametrize("lang", LANGUAGES)
def test_it_tags_a_report_with_documents_and_a_snapshot_and_prints_what_its_page_shows(client, report_with_snapshot, lang):
    report = report_with_snapshot
    text, page, pdf = report_pdf_and_page(client, report, lang)
    with translation.override(lang):
        missing = translation.gettext("no file is attached: the source names this document but carries no file")
        status = translation.gettext("In progress")
    facts = [
        "Bericht 2023/24", "Beratung ausgebaut.", "Bericht (PDF)", "(PDF, DE)", f"Report (PDF) (EN) – {missing}",
        "Beratungsstelle bekannt machen", status, "60 %", "Flyer gedruckt", "Beratungsfälle pro Jahr", "(Fälle)",
        "Die Beratung wurde ausgebaut.",
    ]
    for fact in facts:
        assert fact in page, fact
        assert fact in text, fact
    # The document with a file is a link, described by its title; its address is printed.
    assert "Bericht (PDF)" in link_descriptions(pdf)
    assert f"http://testserver/{lang}/reports/{report.pk}/documents/" in text.replace(" ", "")


def test_it_keeps_the_report_pdfs_queries_flat_with_many_documents_and_narratives(
    client, report_with_snapshot, commitments, django_assert_max_num_queries
):
    report = report_with_snapshot
    with django_assert_max_num_queries(REPORT_PDF_QUERIES) as queries:
        assert client.get(f"/en/reports/{report.pk}/report.pdf").status_code == 200
    assert len(queries) == REPORT_PDF_QUERIES
    for n in range(20):
        ReportDocumentFactory(report=report, language="de", title=f"Anlage {n}", file="" if n % 2 else f"reports/x/{n}.pdf")
    for commitment in commitments:
        ReportNarrative.objects.update_or_create(report=report, commitment=commitment, defaults={"text": f"Text {commitment.number}"})
    with django_assert_max_num_queries(REPORT_PDF_QUERIES):
        response = client.get(f"/en/reports/{report.pk}/report.pdf")
    assert "Anlage 19" in pdf_text(response.content)


REPORT_PDF_QUERIES = 7
