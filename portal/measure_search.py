"""The public search of measures across all commitments: /<lang>/measures/?q=…&country=…&kind=…&status=…&commitment=…,
and the same hits as a CSV file (/<lang>/measures.csv with the same query string)."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django import forms
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from actionplan.figures import public_figures
from actionplan.models import Commitment, Measure, MeasureStatus
from core.countries import country_name
from core.forms import LenientFilterForm
from core.public_cache import public_download, public_page
from members import search
from members.models import MemberKind
from portal.measure_page import measure_url

PER_PAGE = 20
FILTERS = ("country", "kind", "status", "commitment")


class MeasureSearchForm(LenientFilterForm):
    """GET filters; an unknown value is ignored (all measures are searched) rather than refused."""

    q = forms.CharField(label=_("Search"), required=False, max_length=10_000)
    country = forms.ChoiceField(label=_("Country"), required=False)
    kind = forms.ChoiceField(label=_("Kind of member"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    commitment = forms.TypedChoiceField(label=_("Commitment"), required=False, coerce=int, empty_value=None)

    def __init__(self, data, *, commitments: list[Commitment]):
        super().__init__(data)
        # The countries of public members with public measures, from the maintained figures (one row per member).
        countries = (
            public_figures().filter(measures__gt=0).order_by("plan__member__country")
            .values_list("plan__member__country", flat=True).distinct()
        )
        named = sorted(((c, country_name(c)) for c in countries if c), key=lambda item: item[1])
        self.fields["country"].choices = [("", _("All countries")), *named]
        self.fields["kind"].choices = [("", _("All kinds")), *MemberKind.choices]
        self.fields["status"].choices = [("", _("Any status")), *MeasureStatus.choices]
        self.fields["commitment"].choices = [("", _("All commitments"))] + [
            (c.number, f"{c.number}. {c.title}") for c in commitments
        ]


def search_measures(form: MeasureSearchForm) -> tuple[QuerySet[Measure], str]:
    measures = Measure.objects.public()
    if country := form.value("country"):
        measures = measures.filter(plan__member__country=country)
    if kind := form.value("kind"):
        measures = measures.filter(plan__member__kind=kind)
    if status := form.value("status"):
        measures = measures.filter(status=status)
    if commitment := form.value("commitment"):
        measures = measures.filter(commitment__number=commitment)
    measures = measures.select_related("plan__member", "commitment").only(
        "pk", "title", "description", "status", "content_language", "commitment__number", "commitment__title_de",
        "commitment__title_en", "plan__member__name", "plan__member__slug", "plan__member__country",
    )
    query = search.clean_query(form.data.get("q"))
    if query:
        measures = measures.filter(search.measure_matches(query)).annotate(rank=search.measure_rank(query))
        return measures.order_by("-rank", "plan__member__name", "title", "pk"), query
    return measures.order_by("plan__member__name", "commitment__number", "title", "pk"), query


def _form(request: HttpRequest) -> tuple[MeasureSearchForm, list[Commitment]]:
    commitments = list(Commitment.objects.order_by("number"))
    return MeasureSearchForm(request.GET, commitments=commitments), commitments


@public_page
def measure_search(request: HttpRequest) -> HttpResponse:
    form, _commitments = _form(request)
    measures, query = search_measures(form)
    if query:
        # Only the page's rows get a snippet: PostgreSQL computes it after the sort and the limit.
        measures = measures.annotate(headline=search.measure_headline(query))
    page = Paginator(measures, PER_PAGE).get_page(request.GET.get("page"))
    hits = list(page.object_list)
    for measure in hits:
        measure.snippet = search.highlighted(getattr(measure, "headline", None))
        measure.url = measure_url(measure.plan.member.slug, measure.pk)
    filtered = bool(query) or any(form.value(name) for name in FILTERS)
    context = {
        "form": form,
        "query": query,
        "query_was_cut": len((request.GET.get("q") or "").strip()) > search.MAX_QUERY_LENGTH,
        "measures": hits,
        "page_obj": page,
        "paginator": page.paginator,
        "is_paginated": page.has_other_pages(),
        "filtered": filtered,
        "csv_url": reverse("members:measure_search_csv") + (f"?{request.GET.urlencode()}" if request.GET else ""),
        "excel_csv_url": reverse("members:measure_search_excel_csv") + (f"?{request.GET.urlencode()}" if request.GET else ""),
    }
    return render(request, "portal/measure_search.html", context)


# A cell starting with one of these is read as a formula by Excel and LibreOffice (CSV injection): it gets a leading
# apostrophe, as in the open data's Excel variant.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


CSV_COLUMNS = [
    "measure_id", "title", "member", "member_slug", "country", "commitment_number", "commitment_title", "status",
    "status_label", "measure_url",
]


def _csv_lines(request: HttpRequest, measures: QuerySet[Measure], *, excel: bool) -> Iterator[str]:
    # As the open data: the plain CSV carries the exact text; the file for Excel has semicolons (German Excel's list
    # separator), a BOM and the formula apostrophe.
    writer = csv.writer(_Echo(), delimiter=";" if excel else ",")
    cell = spreadsheet_safe if excel else (lambda value: value)
    labels = dict(MeasureStatus.choices)
    base = request.build_absolute_uri("/")[:-1]
    if excel:
        yield "\ufeff"  # so that a spreadsheet program opened by double click reads UTF-8
    yield writer.writerow(CSV_COLUMNS)
    batch: list[str] = []
    for measure in measures.iterator(chunk_size=500):
        member = measure.plan.member
        row = [
            measure.pk, measure.title, member.name, member.slug, member.country, measure.commitment.number,
            measure.commitment.title, measure.status, str(labels.get(measure.status, measure.status)),
            base + measure_url(member.slug, measure.pk),
        ]
        batch.append(writer.writerow([cell(v) for v in row]))
        if len(batch) >= 500:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


@public_download
@transaction.non_atomic_requests
def measure_search_csv(request: HttpRequest, *, excel: bool = False) -> StreamingHttpResponse:
    form, _commitments = _form(request)
    measures, _query = search_measures(form)
    response = StreamingHttpResponse(_csv_lines(request, measures, excel=excel), content_type="text/csv; charset=utf-8")
    name = "eccar-measures-search-excel.csv" if excel else "eccar-measures-search.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
