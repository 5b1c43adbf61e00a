"""Open data: members, public measures and published reports as CSV, CSV for Excel, XLSX and JSON, with a stable schema.

Schema version 2 adds public indicators and their dated values under /open-data/v2/; its members, measures and
reports are those of version 1, whose addresses keep serving exactly what they served.

Schema version 1. Columns are only ever added at the end; none is renamed, retyped or removed. CSV and JSON carry
the same fields in the same order. Downloads stream row by row from a server-side cursor, so memory stays flat
however many rows there are. Only public data is exported: members that are not applicants, measures that are
public and not retired (of those members), and published reports.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from decimal import Decimal
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from django.contrib.postgres.aggregates import StringAgg
from django.db import transaction
from django.db.models import Case, DecimalField, ExpressionWrapper, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Greatest, Least, Round
from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from actionplan.models import Indicator, IndicatorValue, Measure, MeasureStatus
from members.models import Authority, Member, MemberStatus
from reports.models import ImplementationReport
from secretariat.models import OpenDataLicence
from core.public_cache import public_download, public_page

SCHEMA_VERSION = "1"
SCHEMA_VERSION_2 = "2"
CHUNK_SIZE = 2000
# Reversed once per download, then replaced per row: a slug and an integer converter both accept it.
_SENTINEL = 987654321


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # integer, decimal, string, date, datetime, url
    description: str
    source: str | None = None  # the values() key; defaults to name
    # A column derived from another one: (that column's name, the language of the label). Added after "url".
    label_of: tuple[str, str] | None = None
    # An address built from stored columns: (the URL name, the values() keys of its arguments). After the labels.
    link: tuple[str, tuple[str, ...]] | None = None

    @property
    def derived(self) -> bool:
        return self.name == "url" or self.label_of is not None or self.link is not None


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    columns: tuple[Column, ...]
    queryset: Callable[[], QuerySet]
    url_name: str  # the public page each row links to
    url_field: str  # the values() key that page's URL takes
    member_field: str = ""  # the values() key of the member's slug, for one member's files; none for members

    def of_member(self, slug: str) -> Dataset:
        """The same table, only the rows of one member."""
        rows = self.queryset
        return replace(self, queryset=lambda: rows().filter(**{self.member_field: slug}))

    @property
    def keys(self) -> list[str]:
        return [c.source or c.name for c in self.stored_columns]

    @property
    def stored_columns(self) -> list[Column]:
        return [c for c in self.columns if not c.derived]

    @property
    def label_columns(self) -> list[Column]:
        return [c for c in self.columns if c.label_of is not None]

    @property
    def order(self) -> list[int]:
        """Where each column of `columns` is among the values as the writers compute them: the stored ones, then
        url, the labels and the links. A stored column added after the derived ones is still written in its place."""
        computed = [c.name for c in self.stored_columns] + ["url"]
        computed += [c.name for c in self.label_columns] + [c.name for c in self.columns if c.link is not None]
        return [computed.index(c.name) for c in self.columns]


def _status_labels(choices, language: str) -> dict[str, str]:
    with translation.override(language):
        return {value: str(label) for value, label in choices}


_LABEL_CHOICES = {"status": {"members": MemberStatus.choices, "measures": MeasureStatus.choices}}


def _members() -> QuerySet:
    authorities = (
        Authority.objects.filter(member=OuterRef("pk"))
        .values("member")
        .annotate(names=StringAgg("name", "; ", order_by=("position", "name")))
        .values("names")
    )
    return Member.objects.public().annotate(authority_names=Subquery(authorities)).order_by("id")


def _measures() -> QuerySet:
    return Measure.objects.public().order_by("id")


def _reports() -> QuerySet:
    return ImplementationReport.objects.published().order_by("id")


DATASETS: dict[str, Dataset] = {
    "members": Dataset(
        "members",
        _("Members"),
        _("Every member municipality on the portal, except applicants."),
        (
            Column("id", "integer", _("Stable identifier of the member.")),
            Column("slug", "string", _("Short name used in the member's address.")),
            Column("name", "string", _("Name of the member.")),
            Column("kind", "string", _("city, district, amt or joint (a joint membership of several authorities).")),
            Column("authorities", "string", _("The authorities a membership is made of, separated by “; ”."), "authority_names"),
            Column("country", "string", _("ISO 3166-1 alpha-2 country code.")),
            Column("region", "string", _("Region, where stated.")),
            Column("population", "integer", _("Population, where stated.")),
            Column("website", "url", _("Website, where stated.")),
            Column("status", "string", _("member, on_hold, suspended or former.")),
            Column("admitted_on", "date", _("Date of admission (ISO 8601), where stated.")),
            Column("admitted_precision", "string", _("day, month or year: how precise admitted_on is.")),
            Column("left_on", "date", _("Date of leaving, for former members.")),
            Column("lead_department", "string", _("The department in charge (Federführung).")),
            Column("description", "string", _("Description as the member entered it.")),
            Column("content_language", "string", _("Language of the description (ISO 639-1).")),
            Column("url", "url", _("The member's page on the portal.")),
            Column("status_label_de", "string", _("The status in words, in German."), label_of=("status", "de")),
            Column("status_label_en", "string", _("The status in words, in English."), label_of=("status", "en")),
        ),
        _members,
        "members:detail",
        "slug",
    ),
    "measures": Dataset(
        "measures",
        _("Public measures"),
        _("Every public measure of every member's action plan; internal and retired measures are never exported."),
        (
            Column("id", "integer", _("Stable identifier of the measure.")),
            Column("member_id", "integer", _("The member's id (see members)."), "plan__member_id"),
            Column("member_slug", "string", _("The member's short name."), "plan__member__slug"),
            Column("member_name", "string", _("The member's name."), "plan__member__name"),
            Column("country", "string", _("ISO 3166-1 alpha-2 country code of the member."), "plan__member__country"),
            Column("commitment", "integer", _("Number (1–10) of the commitment of the Ten-Point Action Plan."), "commitment__number"),
            Column("title", "string", _("Title of the measure.")),
            Column("description", "string", _("Description as the member entered it.")),
            Column("responsible_unit", "string", _("The unit responsible.")),
            Column("partners", "string", _("Civil-society partners.")),
            Column("status", "string", _("planned, in_progress, implemented, continuous or discontinued.")),
            Column("progress", "integer", _("Progress in percent (0–100), where stated.")),
            Column("start_date", "date", _("Start (ISO 8601), where stated.")),
            Column("end_date", "date", _("End (ISO 8601), where stated.")),
            Column("content_language", "string", _("Language of title and description (ISO 639-1).")),
            Column("updated_at", "datetime", _("Last change (ISO 8601, UTC).")),
            Column("url", "url", _("The member's page on the portal.")),
            Column("status_label_de", "string", _("The status in words, in German."), label_of=("status", "de")),
            Column("status_label_en", "string", _("The status in words, in English."), label_of=("status", "en")),
            Column(
                "measure_url", "url", _("The measure's own page on the portal."),
                link=("members:measure", ("plan__member__slug", "id")),
            ),
            Column("commitment_title_de", "string", _("Title of the commitment, in German."), "commitment__title_de"),
            Column("commitment_title_en", "string", _("Title of the commitment, in English."), "commitment__title_en"),
        ),
        _measures,
        "members:detail",
        "plan__member__slug",
        "plan__member__slug",
    ),
    "reports": Dataset(
        "reports",
        _("Published reports"),
        _("Every published implementation report; drafts and reports under review are never exported."),
        (
            Column("id", "integer", _("Stable identifier of the report.")),
            Column("member_id", "integer", _("The member's id (see members).")),
            Column("member_slug", "string", _("The member's short name."), "member__slug"),
            Column("member_name", "string", _("The member's name."), "member__name"),
            Column("country", "string", _("ISO 3166-1 alpha-2 country code of the member."), "member__country"),
            Column("period_start", "date", _("Start of the reporting period (ISO 8601).")),
            Column("period_end", "date", _("End of the reporting period (ISO 8601).")),
            Column("period_label", "string", _("The period as the source states it.")),
            Column("title", "string", _("Title of the report.")),
            Column("summary", "string", _("Summary.")),
            Column("published_at", "datetime", _("Publication (ISO 8601, UTC).")),
            Column("url", "url", _("The report's page on the portal.")),
        ),
        _reports,
        "reports:detail",
        "id",
        "member__slug",
    ),
}


def _indicators() -> QuerySet:
    latest = IndicatorValue.objects.filter(indicator=OuterRef("pk")).order_by("-date")
    decimal = DecimalField(max_digits=16, decimal_places=2)
    indicators = Indicator.objects.public().annotate(
        latest_value=Subquery(latest.values("value")[:1], output_field=decimal),
        latest_date=Subquery(latest.values("date")[:1]),
    )
    # actionplan/indicators.py: (latest − baseline) / (target − baseline), limited to 0…1, none without a target or
    # with a target equal to the baseline; rounded to four places as actionplan/rollup.py does.
    share = Round(
        Greatest(
            Value(Decimal(0)),
            Least(
                Value(Decimal(1)),
                ExpressionWrapper(
                    (Coalesce(F("latest_value"), F("baseline_value")) - F("baseline_value"))
                    / (F("target_value") - F("baseline_value")),
                    output_field=DecimalField(),
                ),
            ),
        ),
        precision=4,
    )
    return indicators.annotate(
        share=Case(
            When(Q(target_value__isnull=True) | Q(target_value=F("baseline_value")), then=Value(None)),
            default=share,
            output_field=DecimalField(),
        )
    ).order_by("id")


def _indicator_values() -> QuerySet:
    return IndicatorValue.objects.filter(indicator__in=Indicator.objects.public().values("pk")).order_by("id")


INDICATOR_DATASETS: dict[str, Dataset] = {
    "indicators": Dataset(
        "indicators",
        _("Public indicators"),
        _("Every public indicator of a member's action plan, with baseline, target, latest value and the share of the way from baseline to target."),
        (
            Column("id", "integer", _("Stable identifier of the indicator.")),
            Column("member_id", "integer", _("The member's id (see members)."), "plan__member_id"),
            Column("member_slug", "string", _("The member's short name."), "plan__member__slug"),
            Column("member_name", "string", _("The member's name."), "plan__member__name"),
            Column("country", "string", _("ISO 3166-1 alpha-2 country code of the member."), "plan__member__country"),
            Column("commitment", "integer", _("Number (1–10) of the commitment of the Ten-Point Action Plan."), "commitment__number"),
            Column("measure_id", "integer", _("The measure it belongs to (see measures); empty for an indicator of the whole commitment.")),
            Column("name", "string", _("Name of the indicator.")),
            Column("description", "string", _("How it is measured, as the member entered it.")),
            Column("unit", "string", _("Unit of the values.")),
            Column("baseline_value", "decimal", _("Value at the baseline.")),
            Column("baseline_date", "date", _("Date of the baseline (ISO 8601).")),
            Column("target_value", "decimal", _("Target value, where stated.")),
            Column("target_date", "date", _("Date by which the target is to be reached, where stated.")),
            Column("latest_value", "decimal", _("The value with the latest date, where there is one.")),
            Column("latest_date", "date", _("Date of latest_value.")),
            Column("share", "decimal", _("Share of the way from baseline to target, 0 to 1, four decimal places; empty without a target (formula above).")),
            Column("updated_at", "datetime", _("Last change (ISO 8601, UTC).")),
            Column("url", "url", _("The member's page on the portal.")),
        ),
        _indicators,
        "members:detail",
        "plan__member__slug",
        "plan__member__slug",
    ),
    "indicator-values": Dataset(
        "indicator-values",
        _("Indicator values"),
        _("Every dated value of the public indicators."),
        (
            Column("id", "integer", _("Stable identifier of the value.")),
            Column("indicator_id", "integer", _("The indicator (see indicators).")),
            Column("member_slug", "string", _("The member's short name."), "indicator__plan__member__slug"),
            Column("date", "date", _("Date the value stands for (ISO 8601).")),
            Column("value", "decimal", _("The value, in the indicator's unit.")),
            Column("source", "string", _("Where the figure comes from, where stated.")),
            Column("note", "string", _("Note, where stated.")),
            Column("url", "url", _("The member's page on the portal.")),
        ),
        _indicator_values,
        "members:detail",
        "indicator__plan__member__slug",
        "indicator__plan__member__slug",
    ),
}

# Version 2: the datasets of version 1, unchanged, and the indicators.
DATASETS_V2: dict[str, Dataset] = {**DATASETS, **INDICATOR_DATASETS}

# xlsx is written by portal/opendata_xlsx.py, streamed like the others.
FORMATS = ("csv", "excel.csv", "json", "xlsx")
# A member's own files: the datasets that belong to one member, in the current schema version.
MEMBER_DATASETS = ("measures", "indicators", "indicator-values", "reports")


def documented_datasets(datasets: dict[str, Dataset] = DATASETS, url_name: str = "open_data_download") -> list[dict]:
    return [
        {
            "dataset": d,
            "csv": reverse(url_name, args=[d.slug, "csv"]),
            "excel": reverse(url_name, args=[d.slug, "excel.csv"]),
            "xlsx": reverse(url_name, args=[d.slug, "xlsx"]),
            "json": reverse(url_name, args=[d.slug, "json"]),
        }
        for d in datasets.values()
    ]


def member_downloads(slug: str) -> list[dict]:
    """The links to one member's own files, for its page."""
    return [
        {
            "dataset": DATASETS_V2[name],
            **{key: reverse("open_data_member_download", args=[slug, name, fmt])
               for key, fmt in (("csv", "csv"), ("excel", "excel.csv"), ("xlsx", "xlsx"), ("json", "json"))},
        }
        for name in MEMBER_DATASETS
    ]


def _iso_datetime(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def german_decimal(value: Decimal) -> str:
    """A decimal as a German spreadsheet reads a number: a comma, no trailing zeros (40,5; 100; 0,3583)."""
    return format(value.normalize(), "f").replace(".", ",")


def _spreadsheet_datetime(value: dt.datetime) -> str:
    # "2026-03-01 12:00:00" (UTC) is a date and time to Excel and LibreOffice in any locale; the ISO "T…Z" is text.
    return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")


def _rows(dataset: Dataset, url_pattern: str, *, cells: str = "text") -> Iterator[list]:
    """The rows in the order of dataset.columns. cells: "text" (CSV and JSON: ISO dates and times), "excel" (the
    CSV for German spreadsheets: decimal commas, dates and times as spreadsheets read them) or "typed" (XLSX:
    dates, naive UTC times and decimals as Python values)."""
    keys = dataset.keys
    columns = dataset.stored_columns
    names = [c.name for c in columns]
    # (index of the coded value, its labels) for each label column, computed once per download.
    labels = [
        (names.index(c.label_of[0]), _status_labels(_LABEL_CHOICES[c.label_of[0]][dataset.slug], c.label_of[1]))
        for c in dataset.label_columns
    ]
    # Only date, time and (for Excel) decimal columns need converting; knowing which ones up front keeps the loop cheap.
    dates = [i for i, c in enumerate(columns) if c.type == "date"] if cells != "typed" else []
    times = [i for i, c in enumerate(columns) if c.type == "datetime"]
    decimals = [i for i, c in enumerate(columns) if c.type == "decimal"] if cells == "excel" else []
    time_text = {"text": _iso_datetime, "excel": _spreadsheet_datetime}.get(
        cells, lambda value: value.astimezone(dt.UTC).replace(tzinfo=None)
    )
    url_index = keys.index(dataset.url_field)
    sentinel = str(_SENTINEL)
    links = link_columns(dataset, url_pattern)
    order = dataset.order
    in_order = order != list(range(len(order)))
    # .iterator() with a chunk size uses a PostgreSQL server-side cursor: rows arrive in chunks, never all at once.
    for values in dataset.queryset().values_list(*keys).iterator(chunk_size=CHUNK_SIZE):
        row = list(values)
        for i in dates:
            if row[i] is not None:
                row[i] = row[i].isoformat()
        for i in times:
            if row[i] is not None:
                row[i] = time_text(row[i])
        for i in decimals:
            if row[i] is not None:
                row[i] = german_decimal(row[i])
        row.append(url_pattern.replace(sentinel, str(values[url_index])))
        for index, mapping in labels:
            row.append(mapping.get(values[index], values[index]))
        for parts, indexes in links:
            row.append("".join(part + str(values[i]) for part, i in zip(parts, indexes)) + parts[-1])
        yield [row[i] for i in order] if in_order else row


def link_columns(dataset: Dataset, url_pattern: str) -> list[tuple[list[str], list[int]]]:
    """For each link column (they come last): the pieces of its address around the arguments, and the indexes of
    the arguments among the stored values. The address is absolute on the host of `url_pattern`."""
    with translation.override("de"):
        origin = url_pattern.removesuffix(reverse(dataset.url_name, args=[_SENTINEL]))
        links = []
        for column in dataset.columns:
            if column.link is None:
                continue
            name, arguments = column.link
            path = reverse(name, args=[_SENTINEL] * len(arguments))
            links.append(((origin + path).split(str(_SENTINEL)), [dataset.keys.index(a) for a in arguments]))
    return links


def _batched(lines: Iterator[str], size: int = 500) -> Iterator[str]:
    # One write per few hundred rows instead of one per row: much less per-chunk overhead, still flat memory.
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= size:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


# A cell starting with one of these is read as a formula by Excel and LibreOffice (CSV injection): a measure
# titled "=HYPERLINK(...)" would run in a municipal clerk's spreadsheet. In the CSV for Excel, such text cells get
# a leading apostrophe, the OWASP recommendation; the plain CSV and the JSON keep the exact text, for programs.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
TEXT_TYPES = ("string", "url")


def neutralised(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(dataset: Dataset, url_pattern: str, *, excel: bool = False) -> Iterator[str]:
    # The Excel variant: German Excel opens a CSV by double click only with a BOM and semicolons.
    writer = csv.writer(_Echo(), delimiter=";" if excel else ",")
    if excel:
        yield "\ufeff"
    yield writer.writerow([c.name for c in dataset.columns])
    texts = [i for i, c in enumerate(dataset.columns) if c.type in TEXT_TYPES] if excel else []
    for row in _rows(dataset, url_pattern, cells="excel" if excel else "text"):
        for i in texts:
            if row[i] is not None:
                row[i] = neutralised(row[i])
        yield writer.writerow(["" if v is None else v for v in row])


def _json_lines(dataset: Dataset, url_pattern: str) -> Iterator[str]:
    names = [c.name for c in dataset.columns]
    encode = json.JSONEncoder(ensure_ascii=False).encode
    # A JSON array written element by element, so it streams like the CSV.
    yield "["
    separator = "\n"
    for row in _rows(dataset, url_pattern):
        yield separator + encode(dict(zip(names, row, strict=True)))
        separator = ",\n"
    yield "\n]\n"


@public_page
def index(request: HttpRequest):
    # /open-data/ itself is documented on the language pages.
    lang = translation.get_language_from_request(request)
    with translation.override(lang):
        return redirect(reverse("members:open_data"))


@public_download
@transaction.non_atomic_requests
def download(request: HttpRequest, slug: str, fmt: str) -> HttpResponseBase:
    return _download(request, DATASETS.get(slug), fmt, schema_version=SCHEMA_VERSION)


@public_download
@transaction.non_atomic_requests
def download_v2(request: HttpRequest, slug: str, fmt: str) -> HttpResponseBase:
    return _download(request, DATASETS_V2.get(slug), fmt, schema_version=SCHEMA_VERSION_2)


@public_download
@transaction.non_atomic_requests
def member_download(request: HttpRequest, member: str, slug: str, fmt: str) -> HttpResponseBase:
    # Only a public member's own public rows; an applicant is a 404 like an unknown slug, whoever asks.
    if slug not in MEMBER_DATASETS or not Member.objects.public().filter(slug=member).exists():
        raise Http404
    dataset = DATASETS_V2[slug].of_member(member)
    return _download(request, dataset, fmt, schema_version=SCHEMA_VERSION_2, filename=f"eccar-{member}-{slug}")


def _download(
    request: HttpRequest, dataset: Dataset | None, fmt: str, *, schema_version: str, filename: str = ""
) -> HttpResponseBase:
    if dataset is None or fmt not in FORMATS:
        raise Http404
    filename = filename or f"eccar-{dataset.slug}"
    with translation.override("de"):
        # Links point to the German (default) pages; the English page is the same address under /en/.
        url_pattern = request.build_absolute_uri(reverse(dataset.url_name, args=[_SENTINEL]))
    # PostgreSQL writes each line (portal/opendata_sql.py); the Python writers above define the same bytes.
    from portal import opendata_sql, opendata_xlsx

    response: HttpResponseBase
    if fmt == "json":
        response = StreamingHttpResponse(opendata_sql.json_chunks(dataset, url_pattern), content_type="application/json; charset=utf-8")
    elif fmt == "xlsx":
        response = StreamingHttpResponse(opendata_xlsx.workbook(dataset, url_pattern), content_type=opendata_xlsx.MEDIA_TYPE)
    else:
        chunks = opendata_sql.csv_chunks(dataset, url_pattern, excel=fmt == "excel.csv")
        response = StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8")
    name = {"csv": f"{filename}.csv", "excel.csv": f"{filename}-excel.csv", "json": f"{filename}.json", "xlsx": f"{filename}.xlsx"}[fmt]
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Schema-Version"] = schema_version
    if licence := OpenDataLicence.current():
        response["Link"] = f'<{licence.url}>; rel="license"'

    response["Access-Control-Allow-Origin"] = "*"
    return response
