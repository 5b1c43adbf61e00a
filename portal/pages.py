"""Public pages: networks, statistics, the open-data documentation and the legal pages."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, prefetch_related_objects
from django.db.models.functions import ExtractYear
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.shortcuts import render
from django.utils.translation import gettext as _

from actionplan.figures import coalition_figures
from actionplan.models import Commitment, MeasureStatus
from core.countries import country_name
from members.models import Member, Network, NetworkMembership, SitePage
from members.site_page_defaults import PAGES
from portal import opendata, opendata_described
from secretariat.models import OpenDataLicence
from portal.charts import Bar, BarChart
from core.public_cache import public_page
from portal.member_counts import member_counts

MEMBERS_PER_NETWORK = 50


@public_page
def network_list(request: HttpRequest) -> HttpResponse:
    members = Member.objects.visible_to(request.user)
    # At most MEMBERS_PER_NETWORK names per network (a sliced prefetch is one window-function query);
    # the full list is the member directory filtered by the network.
    memberships = NetworkMembership.objects.filter(member__in=members).select_related("member").order_by("member__name")
    networks = (
        Network.objects.filter(memberships__member__in=members)
        .annotate(member_count=Count("memberships", distinct=True))
        .select_related("source")
        .order_by("name")
    )
    page = Paginator(networks, 20).get_page(request.GET.get("page"))
    prefetch_related_objects(
        page.object_list,
        Prefetch("memberships", queryset=memberships[:MEMBERS_PER_NETWORK], to_attr="visible_memberships"),
    )
    context = {
        "networks": page.object_list,
        "page_obj": page,
        "paginator": page.paginator,
        "is_paginated": page.has_other_pages(),
        "members_per_network": MEMBERS_PER_NETWORK,
    }
    return render(request, "portal/network_list.html", context)


@public_page
def statistics(request: HttpRequest) -> HttpResponse:
    members = Member.objects.public()
    # Every figure is one GROUP BY in PostgreSQL, so the page costs the same at 5 or 50,000 members.
    by_country = list(members.values("country").annotate(n=Count("id")).order_by("-n", "country"))
    by_year = list(
        members.annotate(year=ExtractYear("admitted_on")).values("year").annotate(n=Count("id")).order_by("year")
    )
    # The measures' figures are maintained by PostgreSQL (actionplan.figures), not recounted.
    figures = coalition_figures()
    by_commitment = figures["by_commitment"]
    by_status = figures["by_status"]
    not_stated = _("not stated")
    charts = [
        BarChart(
            "members-by-country",
            _("Members by country"),
            _("members"),
            [Bar(country_name(r["country"]) or not_stated, country_name(r["country"]) or not_stated, r["n"]) for r in by_country],
        ),
        BarChart(
            "members-by-year",
            _("Members by year joined"),
            _("members"),
            [Bar(str(r["year"] or not_stated), str(r["year"] or not_stated), r["n"]) for r in by_year],
        ),
        BarChart(
            "measures-by-commitment",
            _("Public measures by commitment"),
            _("measures"),
            [
                Bar(_("Commitment %(number)s") % {"number": c.number}, str(c), by_commitment.get(c.number, 0))
                for c in Commitment.objects.all()
            ],
            labels_above=True,
        ),
        BarChart(
            "measures-by-status",
            _("Public measures by status"),
            _("measures"),
            [Bar(str(label), str(label), by_status.get(value, 0)) for value, label in MeasureStatus.choices],
        ),
    ]
    return render(request, "portal/statistics.html", {"charts": charts, "member_counts": member_counts(members)})


@public_page
def open_data(request: HttpRequest) -> HttpResponse:
    context = {
        "datasets": opendata.documented_datasets(),
        "schema_version": opendata.SCHEMA_VERSION,
        "datasets_v2": opendata.documented_datasets(opendata.INDICATOR_DATASETS, "open_data_download_v2"),
        "schema_version_2": opendata.SCHEMA_VERSION_2,
        "v2_example": reverse("open_data_download_v2", args=["measures", "csv"]),
        "licence": OpenDataLicence.current(),
        "package_url": reverse("open_data_package"),
        "catalog_urls": [reverse("open_data_catalog", args=[fmt]) for fmt in opendata_described.CATALOG_FORMATS],
        "member_example": reverse("open_data_member_download", args=["dresden", "measures", "csv"]),
        "structured_data": opendata_described.schema_org(request),
    }
    return render(request, "portal/open_data.html", context)


@public_page
def site_page(request: HttpRequest, key: str) -> HttpResponse:
    page = SitePage.objects.filter(key=key).first()
    if page is None:
        if key not in PAGES:
            raise Http404
        # The law requires these pages; if a row went missing, the default text comes back rather than a 404.
        title_de, title_en, body_de, body_en = PAGES[key]
        page, _created = SitePage.objects.get_or_create(
            key=key, defaults={"title_de": title_de, "title_en": title_en, "body_de": body_de, "body_en": body_en}
        )
    return render(request, "portal/site_page.html", {"page": page})
