"""The open data described for machines: the Data Package, the DCAT-AP catalogue and the schema.org markup."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

import pytest

from actionplan.tests.factories import ActionPlanFactory, IndicatorFactory, IndicatorValueFactory, MeasureFactory
from members.models import MemberStatus
from members.tests.factories import MemberFactory
from portal import opendata
from reports.models import ReportStatus
from reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

LICENCE = "https://creativecommons.org/licenses/by/4.0/"


@pytest.fixture
def licence(db, staff):
    from secretariat.models import OpenDataLicence

    return OpenDataLicence.objects.create(name="CC BY 4.0", url=LICENCE, chosen_by=staff)


@pytest.fixture
def data(seeded):
    from actionplan.models import ActionPlan
    from members.models import Member

    dresden = Member.objects.get(slug="dresden")
    plan = ActionPlan.objects.filter(member=dresden).first() or ActionPlanFactory(member=dresden)
    measure = MeasureFactory(plan=plan, title="=1+1", start_date=dt.date(2019, 3, 1), end_date=dt.date(2031, 12, 31))
    indicator = IndicatorFactory(plan=plan, measure=measure, commitment=measure.commitment, baseline_value=Decimal("40"))
    IndicatorValueFactory(indicator=indicator, date=dt.date(2024, 6, 30), value=Decimal("61.5"))
    ReportFactory(member=dresden, status=ReportStatus.PUBLISHED, published_at=dt.datetime(2025, 3, 1, 9, 30, 0, 120, tzinfo=dt.UTC))
    MemberFactory(slug="bewerber", status=MemberStatus.APPLICANT, country="FR")
    return measure


def test_it_describes_every_file_in_a_data_package(client, data, licence):
    response = client.get("/open-data/datapackage.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    package = response.json()
    assert package["licenses"] == [{"path": LICENCE, "title": "CC BY 4.0"}]
    assert [r["name"] for r in package["resources"]] == list(opendata.DATASETS_V2)
    measures = next(r for r in package["resources"] if r["name"] == "measures")
    assert measures["path"] == "http://testserver/open-data/v2/measures.csv"
    fields = {f["name"]: f for f in measures["schema"]["fields"]}
    assert fields["progress"]["type"] == "integer" and fields["measure_url"]["format"] == "uri"
    assert fields["commitment_title_en"]["description"] == "Title of the commitment, in English."
    assert measures["schema"]["primaryKey"] == ["id"]
    assert measures["schema"]["foreignKeys"] == [{"fields": ["member_id"], "reference": {"resource": "members", "fields": ["id"]}}]


def test_it_passes_the_frictionless_validator_on_the_served_files(client, data, licence, tmp_path):
    from frictionless import Package

    package = client.get("/open-data/datapackage.json").json()
    for resource in package["resources"]:
        # The served file itself, under a local name (the validator would otherwise fetch the address).
        path = resource["path"].removeprefix("http://testserver")
        (tmp_path / f"{resource['name']}.csv").write_bytes(b"".join(client.get(path).streaming_content))
        resource["path"] = f"{resource['name']}.csv"
    report = Package(package, basepath=str(tmp_path)).validate()
    errors = [(task.name, error.type, error.note) for task in report.tasks for error in task.errors]
    errors += [(None, error.type, error.note) for error in report.errors]
    assert report.valid, errors[:10]
    assert {task.name: task.stats["rows"] for task in report.tasks}["measures"] > 1


def test_it_lists_the_datasets_in_a_dcat_ap_catalogue(client, data, licence):
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF

    response = client.get("/open-data/catalog.ttl")
    assert response.status_code == 200 and response["Content-Type"] == "text/turtle; charset=utf-8"
    graph = Graph().parse(data=response.content.decode(), format="turtle")
    catalogs = list(graph.subjects(RDF.type, DCAT.Catalog))
    assert len(catalogs) == 1
    catalog = catalogs[0]
    datasets = set(graph.objects(catalog, DCAT.dataset))
    assert len(datasets) == len(opendata.DATASETS_V2)
    for required in (DCTERMS.title, DCTERMS.description, DCTERMS.publisher):
        assert graph.value(catalog, required) is not None
    for dataset in datasets:
        assert (dataset, RDF.type, DCAT.Dataset) in graph
        assert {t.language for t in graph.objects(dataset, DCTERMS.title)} == {"de", "en"}
        assert {t.language for t in graph.objects(dataset, DCTERMS.description)} == {"de", "en"}
        publisher = graph.value(dataset, DCTERMS.publisher)
        assert (publisher, RDF.type, FOAF.Agent) in graph and graph.value(publisher, FOAF.name) is not None
        spatial = set(graph.objects(dataset, DCTERMS.spatial))
        assert URIRef("http://publications.europa.eu/resource/authority/country/DEU") in spatial
        # Only the countries of public members: the applicant's France is not covered.
        assert URIRef("http://publications.europa.eu/resource/authority/country/FRA") not in spatial
        distributions = list(graph.objects(dataset, DCAT.distribution))
        assert len(distributions) == 4
        for distribution in distributions:
            assert (distribution, RDF.type, DCAT.Distribution) in graph
            assert graph.value(distribution, DCAT.accessURL) is not None
            assert str(graph.value(distribution, DCAT.downloadURL)).startswith("http://testserver/open-data/v2/")
            assert str(graph.value(distribution, DCAT.mediaType)).startswith("http://www.iana.org/assignments/media-types/")
            assert graph.value(distribution, DCTERMS.license) == URIRef(LICENCE)
    measures = next(d for d in datasets if str(d).endswith("#dataset-measures"))
    period = graph.value(measures, DCTERMS.temporal)
    assert (period, RDF.type, DCTERMS.PeriodOfTime) in graph
    assert graph.value(period, DCAT.startDate) == Literal(dt.date(2019, 3, 1))
    assert graph.value(period, DCAT.endDate) == Literal(dt.date(2031, 12, 31))


@pytest.mark.parametrize(("fmt", "syntax", "media_type"), [("rdf", "xml", "application/rdf+xml"), ("jsonld", "json-ld", "application/ld+json")])
def test_it_serves_the_catalogue_in_rdf_xml_and_json_ld_too(client, data, fmt, syntax, media_type):
    from rdflib import Graph
    from rdflib.namespace import DCAT, RDF

    response = client.get(f"/open-data/catalog.{fmt}")
    assert response["Content-Type"] == f"{media_type}; charset=utf-8"
    graph = Graph().parse(data=response.content.decode(), format=syntax)
    assert len(list(graph.subjects(RDF.type, DCAT.Dataset))) == len(opendata.DATASETS_V2)


def test_it_gives_404_for_an_unknown_catalogue_format(client, db):
    assert client.get("/open-data/catalog.xml").status_code == 404
    assert client.get("/open-data/catalog.csv").status_code == 404
    assert client.get("/open-data/datapackage.yaml").status_code == 404
    assert client.post("/open-data/datapackage.json").status_code == 405


def test_it_marks_up_the_open_data_page_as_schema_org_datasets(client, data, licence):
    for language in ("de", "en"):
        page = client.get(f"/{language}/open-data/").content.decode()
        scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
        assert len(scripts) == 1
        graph = json.loads(scripts[0])["@graph"]
        assert [item["identifier"] for item in graph] == list(opendata.DATASETS_V2)
        measures = next(item for item in graph if item["identifier"] == "measures")
        assert measures["@type"] == "Dataset" and measures["license"] == LICENCE
        assert measures["creator"]["@type"] == "Organization"
        assert measures["temporalCoverage"] == "2019-03-01/2031-12-31"
        assert {"@type": "Country", "name": "Germany" if language == "en" else "Deutschland", "identifier": "DE"} in measures["spatialCoverage"]
        downloads = {d["encodingFormat"]: d["contentUrl"] for d in measures["distribution"]}
        assert downloads["text/csv"] == "http://testserver/open-data/v2/measures.csv"
        assert all(d["@type"] == "DataDownload" for d in measures["distribution"])


def test_it_escapes_markup_in_the_json_ld(client, db, staff):
    from secretariat.models import OpenDataLicence

    OpenDataLicence.objects.create(name="X", url="https://x.example/</script><script>alert(1)</script>", chosen_by=staff)
    page = client.get("/en/open-data/").content.decode()
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    assert "<" not in script
    assert json.loads(script)["@graph"][0]["license"] == "https://x.example/</script><script>alert(1)</script>"


@pytest.mark.django_db(transaction=True)
def test_it_serves_the_package_and_the_catalogue_from_the_page_cache_without_a_query(settings, django_assert_num_queries):
    from django.core.cache import cache
    from django.test import Client

    from core.public_cache import close_generation_reader

    settings.PUBLIC_PAGE_CACHE = True
    cache.clear()
    try:
        member = MemberFactory(slug="dresden", country="DE")
        MeasureFactory(plan__member=member, start_date=dt.date(2020, 1, 1))
        for path in ("/open-data/datapackage.json", "/open-data/catalog.ttl", "/open-data/catalog.rdf", "/open-data/catalog.jsonld"):
            first = Client().get(path)
            assert first.status_code == 200
            with django_assert_num_queries(0):
                second = Client().get(path)
            assert second.status_code == 200 and second.content == first.content
        # A change of public data shows at once: the country of a new member is covered.
        MemberFactory(slug="wien", country="AT")
        assert b"country/AUT" in Client().get("/open-data/catalog.ttl").content
    finally:
        cache.clear()
        close_generation_reader()
