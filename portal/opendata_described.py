"""The open data described for machines: a Frictionless Data Package (/open-data/datapackage.json), a DCAT-AP
catalogue (/open-data/catalog.ttl, .rdf, .jsonld) for harvesters such as data.europa.eu, and the schema.org
Dataset markup of the open-data page. All three are built from the same Dataset definitions as the files, so the
description cannot drift from what is served; both files are public pages (cached, no query when cached).
"""

from __future__ import annotations

import datetime as dt
import json

from django.db.models import Max, Min
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import translation
from django.utils.html import _json_script_escapes
from django.utils.safestring import SafeString, mark_safe
from django_countries import countries

from core.public_cache import public_page
from members.models import Member
from portal.opendata import DATASETS_V2, SCHEMA_VERSION_2, Dataset
from secretariat.models import OpenDataLicence

PUBLISHER = {
    "de": "Europäische Städtekoalition gegen Rassismus (ECCAR)",
    "en": "European Coalition of Cities against Racism (ECCAR)",
}
CATALOG_TITLE = {"de": "Offene Daten des ECCAR-Portals", "en": "Open data of the ECCAR Portal"}
CATALOG_DESCRIPTION = {
    "de": "Die Mitgliedskommunen der Europäischen Städtekoalition gegen Rassismus, ihre öffentlichen Maßnahmen "
    "nach dem Zehn-Punkte-Aktionsplan, ihre Indikatoren und ihre veröffentlichten Umsetzungsberichte.",
    "en": "The member municipalities of the European Coalition of Cities against Racism, their public measures "
    "under the Ten-Point Action Plan, their indicators and their published implementation reports.",
}

# Frictionless Table Schema types of the column types (a url is a string in the uri format).
_FIELD_TYPES = {"integer": "integer", "decimal": "number", "string": "string", "date": "date", "datetime": "datetime", "url": "string"}
# Where a column holds the id of a row of another file (only where every value is sure to be there: the files
# hold the public members, and only the public measures and indicators of those).
FOREIGN_KEYS = {
    "measures": [("member_id", "members")],
    "reports": [("member_id", "members")],
    "indicators": [("member_id", "members"), ("measure_id", "measures")],
    "indicator-values": [("indicator_id", "indicators")],
}
# The period each file covers: the earliest of the first field, the latest of the others.
_PERIOD_FIELDS = {
    "members": ("admitted_on", ("admitted_on", "left_on")),
    "measures": ("start_date", ("start_date", "end_date")),
    "reports": ("period_start", ("period_end",)),
    "indicators": ("baseline_date", ("baseline_date", "target_date")),
    "indicator-values": ("date", ("date",)),
}
_MEDIA_TYPES = {"csv": "text/csv", "excel.csv": "text/csv", "json": "application/json",
                "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
# The EU's file-type vocabulary (DCAT-AP dct:format).
_FILE_TYPES = {"csv": "CSV", "excel.csv": "CSV", "json": "JSON", "xlsx": "XLSX"}
_FORMAT_TITLES = {"csv": ("CSV", "CSV"), "excel.csv": ("CSV für Excel", "CSV for Excel"), "json": ("JSON", "JSON"),
                  "xlsx": ("Excel (XLSX)", "Excel (XLSX)")}
EU_COUNTRY = "http://publications.europa.eu/resource/authority/country/"
EU_LANGUAGE = "http://publications.europa.eu/resource/authority/language/"
EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
EU_THEME = "http://publications.europa.eu/resource/authority/data-theme/SOCI"  # population and society
CATALOG_FORMATS = {"ttl": ("turtle", "text/turtle"), "rdf": ("xml", "application/rdf+xml"), "jsonld": ("json-ld", "application/ld+json")}


def _in(language: str, text) -> str:
    with translation.override(language):
        return str(text)


def _download_url(request: HttpRequest, dataset: Dataset, fmt: str) -> str:
    return request.build_absolute_uri(reverse("open_data_download_v2", args=[dataset.slug, fmt]))


def _page_url(request: HttpRequest, language: str = "de") -> str:
    with translation.override(language):
        return request.build_absolute_uri(reverse("members:open_data"))


def periods() -> dict[str, tuple[dt.date | None, dt.date | None]]:
    """The first and last date each file covers, from the data (one query per file)."""
    found = {}
    for slug, (first, lasts) in _PERIOD_FIELDS.items():
        aggregates = {"first": Min(first), **{f"last{i}": Max(name) for i, name in enumerate(lasts)}}
        values = DATASETS_V2[slug].queryset().order_by().aggregate(**aggregates)
        ends = [v for k, v in values.items() if k != "first" and v is not None]
        found[slug] = (values["first"], max(ends) if ends else None)
    return found


def member_countries() -> list[str]:
    return sorted(Member.objects.public().order_by().values_list("country", flat=True).distinct())


def table_schema(dataset: Dataset) -> dict:
    fields = []
    for column in dataset.columns:
        field = {"name": column.name, "type": _FIELD_TYPES[column.type], "description": _in("en", column.description)}
        if column.type == "url":
            field["format"] = "uri"
        fields.append(field)
    schema: dict = {"fields": fields, "primaryKey": ["id"], "missingValues": [""]}
    if keys := FOREIGN_KEYS.get(dataset.slug):
        schema["foreignKeys"] = [{"fields": [field], "reference": {"resource": resource, "fields": ["id"]}} for field, resource in keys]
    return schema


def data_package(request: HttpRequest) -> dict:
    home = request.build_absolute_uri("/")
    package: dict = {
        "profile": "tabular-data-package",
        "name": "eccar-portal",
        "title": CATALOG_TITLE["en"],
        "description": CATALOG_DESCRIPTION["en"],
        "homepage": _page_url(request, "en"),
        "version": SCHEMA_VERSION_2,
        "keywords": ["ECCAR", "anti-racism", "municipalities", "action plan"],
        "sources": [{"title": "ECCAR Portal", "path": home}],
        "contributors": [{"title": PUBLISHER["en"], "role": "publisher", "path": home}],
    }
    if licence := OpenDataLicence.current():
        package["licenses"] = [{"path": licence.url, "title": licence.name}]
    package["resources"] = [
        {
            "name": dataset.slug,
            "title": _in("en", dataset.title),
            "description": _in("en", dataset.description),
            "path": _download_url(request, dataset, "csv"),
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
            "schema": table_schema(dataset),
        }
        for dataset in DATASETS_V2.values()
    ]
    return package


@public_page
def datapackage(request: HttpRequest) -> HttpResponse:
    response = JsonResponse(data_package(request), json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def catalog_graph(request: HttpRequest):
    """The DCAT-AP catalogue as an rdflib graph: one dcat:Dataset per file, one dcat:Distribution per format."""
    from rdflib import BNode, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

    graph = Graph()
    graph.bind("dcat", DCAT)
    graph.bind("dct", DCTERMS)
    graph.bind("foaf", FOAF)
    vcard = Namespace("http://www.w3.org/2006/vcard/ns#")
    graph.bind("vcard", vcard)
    page = URIRef(_page_url(request))
    catalog = URIRef(request.build_absolute_uri(reverse("open_data_catalog", args=["ttl"])) + "#catalog")
    publisher = URIRef(request.build_absolute_uri("/") + "#eccar")
    licence = OpenDataLicence.current()
    licence_ref = URIRef(licence.url) if licence else None

    def both(subject, predicate, texts: dict[str, str]) -> None:
        for language, text in texts.items():
            graph.add((subject, predicate, Literal(text, lang=language)))

    graph.add((publisher, RDF.type, FOAF.Agent))
    graph.add((publisher, RDF.type, FOAF.Organization))
    both(publisher, FOAF.name, PUBLISHER)
    graph.add((publisher, FOAF.homepage, URIRef(request.build_absolute_uri("/"))))

    graph.add((catalog, RDF.type, DCAT.Catalog))
    both(catalog, DCTERMS.title, CATALOG_TITLE)
    both(catalog, DCTERMS.description, CATALOG_DESCRIPTION)
    graph.add((catalog, DCTERMS.publisher, publisher))
    graph.add((catalog, FOAF.homepage, page))
    for code in ("DEU", "ENG"):
        graph.add((catalog, DCTERMS.language, URIRef(EU_LANGUAGE + code)))
    if licence_ref:
        graph.add((catalog, DCTERMS.license, licence_ref))
        graph.add((licence_ref, RDF.type, DCTERMS.LicenseDocument))
        graph.add((licence_ref, DCTERMS.title, Literal(licence.name)))

    places = [URIRef(EU_COUNTRY + countries.alpha3(code)) for code in member_countries() if countries.alpha3(code)]
    for place in places:
        graph.add((place, RDF.type, DCTERMS.Location))
    contact = BNode()
    graph.add((contact, RDF.type, vcard.Organization))
    graph.add((contact, vcard.fn, Literal(PUBLISHER["en"])))
    graph.add((contact, vcard.hasURL, URIRef(request.build_absolute_uri("/"))))
    for dataset, (first, last) in ((DATASETS_V2[slug], period) for slug, period in periods().items()):
        subject = URIRef(f"{page}#dataset-{dataset.slug}")
        graph.add((catalog, DCAT.dataset, subject))
        graph.add((subject, RDF.type, DCAT.Dataset))
        both(subject, DCTERMS.title, {lang: _in(lang, dataset.title) for lang in ("de", "en")})
        both(subject, DCTERMS.description, {lang: _in(lang, dataset.description) for lang in ("de", "en")})
        graph.add((subject, DCTERMS.identifier, Literal(dataset.slug)))
        graph.add((subject, DCTERMS.publisher, publisher))
        graph.add((subject, DCAT.contactPoint, contact))
        graph.add((subject, DCAT.landingPage, page))
        graph.add((subject, DCAT.theme, URIRef(EU_THEME)))
        graph.add((subject, DCAT.keyword, Literal("ECCAR")))
        for place in places:
            graph.add((subject, DCTERMS.spatial, place))
        if first or last:
            period = BNode()
            graph.add((subject, DCTERMS.temporal, period))
            graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
            if first:
                graph.add((period, DCAT.startDate, Literal(first, datatype=XSD.date)))
            if last:
                graph.add((period, DCAT.endDate, Literal(last, datatype=XSD.date)))
        for fmt, media_type in _MEDIA_TYPES.items():
            url = URIRef(_download_url(request, dataset, fmt))
            graph.add((subject, DCAT.distribution, url))
            graph.add((url, RDF.type, DCAT.Distribution))
            graph.add((url, DCAT.accessURL, page))
            graph.add((url, DCAT.downloadURL, url))
            graph.add((url, DCAT.mediaType, URIRef(f"http://www.iana.org/assignments/media-types/{media_type}")))
            graph.add((url, DCTERMS["format"], URIRef(EU_FILE_TYPE + _FILE_TYPES[fmt])))
            de, en = _FORMAT_TITLES[fmt]
            both(url, DCTERMS.title, {"de": f"{_in('de', dataset.title)} – {de}", "en": f"{_in('en', dataset.title)} – {en}"})
            if licence_ref:
                graph.add((url, DCTERMS.license, licence_ref))
    return graph


@public_page
def catalog(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in CATALOG_FORMATS:
        raise Http404
    syntax, media_type = CATALOG_FORMATS[fmt]
    response = HttpResponse(catalog_graph(request).serialize(format=syntax), content_type=f"{media_type}; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response


def schema_org(request: HttpRequest) -> SafeString:
    """The schema.org Dataset markup of the open-data page, as JSON-LD for a <script type="application/ld+json">
    (data, not script: the Content-Security-Policy does not apply to it)."""
    language = translation.get_language() or "de"
    page = _page_url(request, language)
    licence = OpenDataLicence.current()
    creator = {"@type": "Organization", "name": PUBLISHER[language if language in PUBLISHER else "en"], "url": request.build_absolute_uri("/")}
    places = [{"@type": "Country", "name": str(countries.name(code)), "identifier": code} for code in member_countries()]
    graph = []
    for slug, (first, last) in periods().items():
        dataset = DATASETS_V2[slug]
        item: dict = {
            "@type": "Dataset",
            "@id": f"{page}#dataset-{slug}",
            "name": str(dataset.title),
            "description": str(dataset.description),
            "url": f"{page}#dataset-{slug}",
            "identifier": slug,
            "inLanguage": language,
            "isAccessibleForFree": True,
            "creator": creator,
            "publisher": creator,
            "distribution": [
                {"@type": "DataDownload", "encodingFormat": media_type, "contentUrl": _download_url(request, dataset, fmt)}
                for fmt, media_type in _MEDIA_TYPES.items() if fmt != "excel.csv"
            ],
            "spatialCoverage": places,
        }
        if licence:
            item["license"] = licence.url
        if first or last:
            item["temporalCoverage"] = f"{first.isoformat() if first else '..'}/{last.isoformat() if last else '..'}"
        graph.append(item)
    text = json.dumps({"@context": "https://schema.org", "@graph": graph}, ensure_ascii=False, indent=1)
    return mark_safe(text.translate(_json_script_escapes))  # noqa: S308 - <, > and & are escaped as in json_script
