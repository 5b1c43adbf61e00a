"""The plan at a glance for a member's own website: a small page made to be framed by any site.

It is the one page any site may frame (`frame-ancestors *`, core/framing.py); every other page keeps
`frame-ancestors 'none'` (eccar_portal/middleware.py). It runs no script, sets no cookie, reads no session and
shows only public data, the same for every visitor, so the anonymous page cache serves it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from actionplan.models import ActionPlan, Commitment, Measure, MeasureStatus, PlanFigures
from core.framing import frameable_anywhere
from core.public_cache import public_page
from members.models import Member
from reports.models import ImplementationReport


@dataclass
class EmbedRow:
    number: int
    title: str
    total: int
    # (status, label, count, x offset in %, width in %) for the non-empty statuses, in the order of MeasureStatus.
    segments: list[tuple[str, str, int, float, float]]


def _segments(counts: dict[str, int]) -> list[tuple[str, str, int, float, float]]:
    total = sum(counts.values())
    segments, offset = [], 0.0
    for value, label in MeasureStatus.choices:
        count = counts.get(value, 0)
        if count:
            width = 100 * count / total
            segments.append((value, label, count, offset, width))
            offset += width
    return segments


def plan_glance_rows(plan: ActionPlan | None, figures: PlanFigures | None) -> list[EmbedRow]:
    """The ten commitments with the plan's public measures by status: the maintained figures say whether there
    is anything to count; then one grouped query, however many measures the plan has."""
    per_commitment: dict[int, dict[str, int]] = {}
    if plan is not None and figures is not None and figures.measures:
        grouped = (
            Measure.objects.public()
            .filter(plan=plan)
            .order_by()
            .values_list("commitment__number", "status")
            .annotate(count=Count("pk"))
        )
        for number, status, count in grouped:
            per_commitment.setdefault(number, {})[status] = count
    rows = []
    for commitment in Commitment.objects.only("number", "title_de", "title_en"):
        counts = per_commitment.get(commitment.number, {})
        rows.append(EmbedRow(commitment.number, commitment.title, sum(counts.values()), _segments(counts)))
    return rows


@public_page
@frameable_anywhere  # its Content-Security-Policy: eccar_portal/middleware.py FRAMEABLE_POLICY
def member_embed(request: HttpRequest, slug: str) -> HttpResponse:
    # Public members only, for everyone: the page is made for other sites, where no visitor is logged in here.
    member = Member.objects.public().select_related("plan__figures").filter(slug=slug).first()
    if member is None:
        raise Http404
    plan = getattr(member, "plan", None)
    figures = getattr(plan, "figures", None) if plan is not None else None
    rows = plan_glance_rows(plan, figures)
    by_status = {value: getattr(figures, value, 0) if figures else 0 for value in MeasureStatus.values}
    report = (
        ImplementationReport.objects.published()
        .filter(member=member)
        .only("pk", "title", "period_start", "period_end", "period_label", "published_at")
        .order_by("-period_end", F("published_at").desc(nulls_last=True))
        .first()
    )
    context = {
        "member": member,
        "rows": rows,
        "total": figures.measures if figures else 0,
        "covered": figures.commitments_covered if figures else 0,
        "total_segments": _segments(by_status),
        "report": report,
    }
    return render(request, "portal/embed.html", context)
