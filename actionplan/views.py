from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from actionplan.models import Commitment, Measure
from eccar_portal.files import pdf_response
from members.models import CoordinatorAssignment, Member


def commitment_list(request: HttpRequest) -> HttpResponse:
    return render(request, "actionplan/commitment_list.html", {"commitments": Commitment.objects.all()})


def commitment_detail(request: HttpRequest, number: int) -> HttpResponse:
    commitment = get_object_or_404(Commitment, number=number)
    measures = (
        Measure.objects.public()
        .filter(commitment=commitment)
        .select_related("plan__member", "source")
        .order_by("plan__member__name", "title")
    )
    return render(request, "actionplan/commitment_detail.html", {"commitment": commitment, "measures": measures})


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    active = Q(member__plan__measures__retired_at__isnull=True)
    assignments = (
        CoordinatorAssignment.objects.filter(user=request.user)
        .select_related("member", "member__plan")
        .prefetch_related("member__reports")  # the reports panel of every member, in one query
        .annotate(
            # One query for every member, however many measures: counts are computed in SQL.
            measure_count=Count("member__plan__measures", filter=active),
            public_count=Count("member__plan__measures", filter=active & Q(member__plan__measures__is_public=True)),
            commitments_covered=Count("member__plan__measures__commitment", filter=active, distinct=True),
        )
        .order_by("member__name")
    )
    return render(request, "actionplan/dashboard.html", {"assignments": assignments})


def resolution_download(request: HttpRequest, slug: str) -> FileResponse:
    member = get_object_or_404(Member.objects.visible_to(request.user).select_related("plan"), slug=slug)
    plan = getattr(member, "plan", None)
    if plan is None or not plan.resolution_document:
        raise Http404
    return pdf_response(plan.resolution_document, f"{member.slug}-council-resolution.pdf")
