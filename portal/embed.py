"""The plan at a glance for a member's own website: a small page made to be framed by any site.

It is the one page any site may frame (`frame-ancestors *`, core/framing.py); every other page keeps
`frame-ancestors 'none'` (eccar_portal/middleware.py). It runs no script, sets no cookie, reads no session and
shows only public data, the same for every visitor, so the anonymous page cache serves it.

Its height follows from the data (actionplan/embed_layout.py): `member_embed_size` tells a host page's script
(static/js/embed-resize.js) how tall to make the frame, without the frame's help.
"""

from __future__ import annotations

from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from actionplan.embed_layout import TITLE_CHARS, embed_heights, plan_glance_rows, status_segments
from actionplan.models import ActionPlan, MeasureStatus, PlanFigures
from core.framing import frameable_anywhere
from core.public_cache import public_page
from members.models import Member
from reports.models import ImplementationReport


@public_page
@frameable_anywhere  # its Content-Security-Policy: eccar_portal/middleware.py FRAMEABLE_POLICY
def member_embed(request: HttpRequest, slug: str) -> HttpResponse:
    member, plan, figures = _public_member(slug)
    rows = plan_glance_rows(plan, figures)
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
        "total_segments": _total_segments(figures),
        "report": report,
        "title_chars": TITLE_CHARS,
    }
    return render(request, "portal/embed.html", context)


@public_page
def member_embed_size(request: HttpRequest, slug: str) -> JsonResponse:
    """How tall the embed is in each layout, for a script on any site: read without a cookie (CORS for all)."""
    member, plan, figures = _public_member(slug)
    heights = embed_heights(plan_glance_rows(plan, figures, titles=False), len(_total_segments(figures)))
    response = JsonResponse(
        {
            "member": member.slug,
            "layouts": [
                {"name": h.layout, "min_width_em": h.min_width_em, "height_rem": h.rem, "height_px": h.px}
                for h in heights
            ],
        }
    )
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _public_member(slug: str) -> tuple[Member, ActionPlan | None, PlanFigures | None]:
    # Public members only, for everyone: the page is made for other sites, where no visitor is logged in here.
    member = Member.objects.public().select_related("plan__figures").filter(slug=slug).first()
    if member is None:
        raise Http404
    plan = getattr(member, "plan", None)
    figures = getattr(plan, "figures", None) if plan is not None else None
    return member, plan, figures


def _total_segments(figures: PlanFigures | None) -> list[tuple[str, str, int, float, float]]:
    return status_segments({value: getattr(figures, value, 0) if figures else 0 for value in MeasureStatus.values})
