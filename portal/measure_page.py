"""The public page of one measure: /<lang>/members/<slug>/measures/<id>/, an address to send to a colleague."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from actionplan.models import Indicator, Measure, MeasureUpdate
from core.public_cache import public_page
from members.models import Member

# The member's other measures under the same commitment shown here; the member page lists them all.
SIBLING_LIMIT = 30


@public_page
def measure_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    # The member as its page shows it (a coordinator also sees their applicant's page), and of its measures only
    # those the member page lists: public, not retired, of a public member. Anything else is a 404 for everyone.
    member = get_object_or_404(Member.objects.visible_to(request.user), slug=slug)
    measure = get_object_or_404(
        Measure.objects.public().filter(plan__member=member).select_related("commitment", "source", "plan"), pk=pk
    )
    timeline = list(MeasureUpdate.objects.up_to_today().filter(measure=measure).order_by("-date", "-created_at"))
    indicators = list(Indicator.objects.public().filter(measure=measure).prefetch_related("values").order_by("name", "pk"))
    siblings = list(
        Measure.objects.public()
        .filter(plan_id=measure.plan_id, commitment_id=measure.commitment_id)
        .exclude(pk=measure.pk)
        .only("pk", "title", "status", "content_language")
        .order_by("title", "pk")[: SIBLING_LIMIT + 1]
    )
    context = {
        "member": member,
        "measure": measure,
        "commitment": measure.commitment,
        "timeline": timeline,
        "indicators": indicators,
        "siblings": siblings[:SIBLING_LIMIT],
        "more_siblings": len(siblings) > SIBLING_LIMIT,
        "canonical_url": request.build_absolute_uri(measure_url(member.slug, measure.pk)),
    }
    return render(request, "portal/measure_detail.html", context)


def measure_url(slug: str, pk: int) -> str:
    return reverse("members:measure", args=[slug, pk])
