from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from actionplan.figures import coalition_figures
from actionplan.library import LibraryFilterForm, filter_library
from actionplan.models import Commitment, Indicator, Measure
from core.files import pdf_response
from members.models import Member
from core.public_cache import public_page

# The commitment page shows at most this many indicators; the rest are on the members' pages.
INDICATORS_SHOWN = 20


@public_page
def commitment_list(request: HttpRequest) -> HttpResponse:
    # Every commitment with the number of public measures and of members that have any under it, from the
    # maintained figures (one aggregate over at most one row per member).
    figures = coalition_figures()
    commitments = list(Commitment.objects.all())
    for commitment in commitments:
        commitment.measure_count = figures["by_commitment"].get(commitment.number, 0)
        commitment.member_count = figures["members_by_commitment"].get(commitment.number, 0)
    return render(request, "actionplan/commitment_list.html", {"commitments": commitments})


@public_page
def commitment_detail(request: HttpRequest, number: int) -> HttpResponse:
    """The good-practice library: every member's public measures under one commitment."""
    commitment = get_object_or_404(Commitment, number=number)
    measures = Measure.objects.public().filter(commitment=commitment)
    form = LibraryFilterForm(request.GET, commitment=commitment)
    measures, query = filter_library(measures, form)
    paginator = Paginator(measures.select_related("plan__member", "source"), 20)
    if not (query or form.value("status") or form.value("country")):
        # Unfiltered, the number is one of the maintained figures: no count over every measure.
        paginator.count = coalition_figures()["by_commitment"].get(commitment.number, 0)
    page = paginator.get_page(request.GET.get("page"))
    filtered = bool(query or form.value("status") or form.value("country"))
    indicators = Indicator.objects.public().filter(commitment=commitment)
    if filtered:
        # The indicators follow the list: those of the measures it shows, and the commitment-wide indicators of the
        # members it shows (never another country's town beside a search for "Wohnung" in Germany). A
        # commitment-wide indicator has no status, so a status filter leaves those out.
        shown = Q(measure__in=measures.order_by().values("pk"))
        if not form.value("status"):
            shown |= Q(measure__isnull=True, plan__in=measures.order_by().values("plan_id"))
        indicators = indicators.filter(shown)
    # Bounded: the first indicators by member, with all their values in one more query.
    indicators = list(
        indicators
        .select_related("plan__member", "measure")
        .prefetch_related("values")
        .order_by("plan__member__name", "name")[: INDICATORS_SHOWN + 1]
    )
    context = {
        "indicators": indicators[:INDICATORS_SHOWN],
        "more_indicators": len(indicators) > INDICATORS_SHOWN,
        "commitment": commitment,
        "measures": page.object_list,
        "page_obj": page,
        "paginator": page.paginator,
        "is_paginated": page.has_other_pages(),
        "form": form,
        "query": query,
        "filtered": filtered,
        "status_filtered": bool(form.value("status")),
    }
    return render(request, "actionplan/commitment_detail.html", context)


@require_safe
def resolution_download(request: HttpRequest, slug: str) -> HttpResponse:
    member = get_object_or_404(Member.objects.visible_to(request.user).select_related("plan"), slug=slug)
    plan = getattr(member, "plan", None)
    if plan is None or not plan.resolution_document:
        raise Http404
    return pdf_response(request, plan.resolution_document, f"{member.slug}-council-resolution.pdf")
