"""The public report pages: list with filters, report page from the snapshot, feed, member page, seed."""

import datetime as dt

import pytest
from django.utils import timezone

from actionplan.tests.factories import ActionPlanFactory, MeasureFactory, MeasureUpdateFactory
from members.tests.factories import MemberFactory
from reports.models import ImplementationReport, ReportStatus
from reports.services import report_create
from reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def published(member, start, end, **kwargs):
    return ReportFactory(
        member=member, status=ReportStatus.PUBLISHED, period_start=start, period_end=end, published_at=timezone.now(), **kwargs
    )


@pytest.fixture
def published_report(dresden, dresden_lead, staff, commitments):
    plan = ActionPlanFactory(member=dresden)
    measure = MeasureFactory(plan=plan, commitment=commitments[2], title="Beratungsstelle", progress=40)
    MeasureUpdateFactory(measure=measure, date=dt.date(2023, 6, 1), text="Eröffnet im Juni")
    report = report_create(member=dresden, start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 31), by=dresden_lead)
    report.save_draft(expected_version=1, title="Bericht 2023/24", summary="Das Jahr im Überblick", narratives={3: "Beratung gestärkt"})
    report.submit(by=dresden_lead)
    report.accept(by=staff)
    report.publish(by=staff)
    return report, measure


def test_it_lists_published_reports_newest_first(client, dresden, duesseldorf):
    published(dresden, dt.date(2019, 1, 1), dt.date(2020, 12, 31))
    published(duesseldorf, dt.date(2021, 1, 1), dt.date(2022, 12, 31))
    ReportFactory(member=dresden, status=ReportStatus.SUBMITTED, title="Geheim")
    body = client.get("/en/reports/").content.decode()
    assert body.index("Düsseldorf") < body.index("Dresden: 01/01/2019")
    assert "Geheim" not in body


def test_it_filters_by_member_country_and_year_and_keeps_filters_in_the_url(client, dresden):
    vienna = MemberFactory(slug="wien", name="Stadt Wien", country="AT")
    published(dresden, dt.date(2019, 1, 1), dt.date(2020, 12, 31))
    published(vienna, dt.date(2021, 1, 1), dt.date(2022, 12, 31))
    body = client.get("/en/reports/?country=AT").content.decode()
    assert "Stadt Wien:" in body and "Landeshauptstadt Dresden:" not in body
    body = client.get("/en/reports/?member=dresden").content.decode()
    assert "Landeshauptstadt Dresden:" in body and "Stadt Wien:" not in body
    body = client.get("/en/reports/?year=2020").content.decode()
    assert "Landeshauptstadt Dresden:" in body and "Stadt Wien:" not in body
    assert '<option value="2020" selected>' in body
    body = client.get("/en/reports/?year=1800&country=XX").content.decode()
    assert "No published report matches" in body
    assert client.get("/en/reports/?year=abc&member=nobody").status_code == 200


def test_it_paginates_with_filters_kept_and_flat_queries(client, dresden, django_assert_max_num_queries):
    for year in range(1960, 2020):
        published(dresden, dt.date(year, 1, 1), dt.date(year, 12, 31))
    with django_assert_max_num_queries(8):
        response = client.get("/en/reports/?member=dresden")
    body = response.content.decode()
    assert "member=dresden&amp;page=2" in body
    with django_assert_max_num_queries(8):
        assert client.get("/en/reports/?member=dresden&page=3").status_code == 200


def test_it_renders_the_report_page_from_the_snapshot(client, published_report):
    report, measure = published_report
    measure.title = "Später umbenannt"
    measure.save()
    body = client.get(f"/en/reports/{report.pk}/").content.decode()
    assert "Bericht 2023/24" in body and "Das Jahr im Überblick" in body and "Beratung gestärkt" in body
    assert "Beratungsstelle" in body and "Eröffnet im Juni" in body and "40 %" in body
    assert "Später umbenannt" not in body
    body = client.get(f"/de/reports/{report.pk}/").content.decode()
    assert "Beratungsstelle" in body


def test_it_keeps_the_report_page_queries_flat(client, dresden, dresden_lead, staff, commitments, django_assert_max_num_queries):
    from reports.tests.factories import ReportDocumentFactory

    plan = ActionPlanFactory(member=dresden)
    for i in range(80):
        MeasureUpdateFactory(measure=MeasureFactory(plan=plan, commitment=commitments[i % 10]), date=dt.date(2023, 2, 1))
    report = report_create(member=dresden, start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 31), by=dresden_lead)
    for n in range(6):
        ReportDocumentFactory(report=report, language="de", title=f"Teil {n}")
    report.submit(by=dresden_lead)
    report.accept(by=staff)
    report.publish(by=staff)
    for n in range(3):
        report.add_erratum(text=f"Korrektur {n}", reason="Tippfehler", by=staff)
    with django_assert_max_num_queries(7):  # the errata are one query, whatever their number
        response = client.get(f"/en/reports/{report.pk}/")
    assert response.content.decode().count("report-measure ") == 80


@pytest.mark.parametrize("status", [s for s in ReportStatus.values if s != "published"])
def test_it_hides_unpublished_reports_from_the_public_and_other_members(client, dresden, outsider, status):
    report = ReportFactory(member=dresden, status=status)
    assert client.get(f"/en/reports/{report.pk}/").status_code == 404
    client.force_login(outsider)
    assert client.get(f"/en/reports/{report.pk}/").status_code == 404


def test_it_shows_an_unpublished_report_to_its_own_coordinators_as_not_public(client, dresden, dresden_editor):
    report = ReportFactory(member=dresden, status=ReportStatus.SUBMITTED)
    client.force_login(dresden_editor)
    body = client.get(f"/en/reports/{report.pk}/").content.decode()
    assert "This report is not public" in body
    draft = ReportFactory(member=dresden, status=ReportStatus.DRAFT, period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 6, 30))
    assert "still a draft" in client.get(f"/en/reports/{draft.pk}/").content.decode()


def test_it_serves_an_atom_feed_of_published_reports(client, published_report, duesseldorf):
    report, _ = published_report
    ReportFactory(member=duesseldorf, status=ReportStatus.ACCEPTED)
    response = client.get("/feeds/de/reports/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert body.count("<entry>") == 1
    assert f"/reports/{report.pk}/" in body and "Landeshauptstadt Dresden" in body


def test_it_shows_the_seeded_dresden_report_without_files(client, seeded):
    report = ImplementationReport.objects.get(member__slug="dresden")
    assert report.status == ReportStatus.PUBLISHED and report.source is not None
    body = client.get(f"/en/reports/{report.pk}/").content.decode()
    assert "2017 – September 2020" in body
    assert "Bericht ECCAR" in body and "Report ECCAR" in body
    assert body.count("the source names this document but carries no file") == 2
    assert "recorded from a public source" in body
    assert "Landeshauptstadt Dresden" in client.get("/en/reports/").content.decode()


def test_it_shows_the_latest_report_and_its_date_on_the_member_page(client, published_report):
    report, _ = published_report
    body = client.get("/en/members/dresden/").content.decode()
    assert f'href="/en/reports/{report.pk}/"' in body
    assert f'datetime="{timezone.localdate():%Y-%m-%d}"' in body


def test_it_never_shows_a_published_report_of_an_applicant_in_public(client, dresden, dresden_editor):
    from members.models import MemberStatus

    applicant = MemberFactory(slug="bewerberstadt", name="Bewerberstadt", status=MemberStatus.APPLICANT)
    report = published(applicant, dt.date(2021, 1, 1), dt.date(2022, 12, 31), title="Bewerberbericht", summary="Bewerberbericht")
    document = report.documents.create(language="de", title="PDF", file="reports/x/de.pdf")
    for url in ["/en/reports/", "/feeds/de/reports/", "/sitemap-reports.xml", "/en/"]:
        assert "Bewerber" not in client.get(url).content.decode(), url
    assert client.get(f"/en/reports/{report.pk}/").status_code == 404
    assert client.get(f"/en/reports/{report.pk}/documents/{document.pk}/").status_code == 404
    client.force_login(dresden_editor)
    assert client.get(f"/en/reports/{report.pk}/").status_code == 404


def test_it_shows_the_year_in_force_in_the_dropdown_even_without_a_match(client, seeded):
    response = client.get("/en/reports/?year=1999")
    body = response.content.decode()
    assert response.status_code == 200
    assert '<option value="1999" selected>1999</option>' in body
    assert "No published report matches these filters." in body


@pytest.mark.parametrize(("lang", "name"), [("de", "Deutschland"), ("en", "Germany")])
def test_it_names_countries_in_the_filter_never_by_code(client, seeded, lang, name):
    body = client.get(f"/{lang}/reports/").content.decode()
    select = body[body.index('id="filter-country"'):]
    select = select[: select.index("</select>")]
    assert f'<option value="DE">{name}</option>' in select
    assert ">DE<" not in select


def test_it_writes_dates_on_english_pages_the_english_way(client, dresden, published_report):
    import re

    published(dresden, dt.date(2020, 10, 1), dt.date(2022, 9, 30))
    german_date = re.compile(r"\b\d{2}\.\d{2}\.\d{4}\b")
    for url in ("/en/reports/", "/en/members/dresden/", f"/en/reports/{published_report[0].pk}/"):
        body = client.get(url).content.decode()
        assert not german_date.findall(body), (url, german_date.findall(body))
    assert "01/10/2020 – 30/09/2022" in client.get("/en/reports/").content.decode()
    assert "01.10.2020 – 30.09.2022" in client.get("/de/reports/").content.decode()
