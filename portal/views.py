from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from actionplan.figures import coalition_figures
from actionplan.rollup import plan_rollup
from actionplan.models import ActionPlan, Commitment, Indicator, Measure, MeasureStatus, MeasureUpdate
from core.pdf import render_pdf
from members.models import PUBLIC_MEMBER_STATUSES, Contact, Member, NetworkMembership, WorkingGroup
from portal.opendata import member_downloads
from members.similar import similar_members, similarity_rule
from reports.models import ImplementationReport
from core.public_cache import public_page
from portal.member_counts import member_counts


@public_page
def home(request: HttpRequest) -> HttpResponse:
    members = Member.objects.public()
    figures = members.aggregate(countries=Count("country", distinct=True))
    counts = member_counts(members)
    figures["members"] = counts.active
    figures["measures"] = coalition_figures()["measures"]
    figures["reports"] = ImplementationReport.objects.published().count()
    context = {
        "figures": figures,
        "commitments": Commitment.objects.all(),
        "members": members.only("name", "slug", "kind", "country", "region")[:12],
        "member_counts": counts,
    }
    return render(request, "portal/home.html", context)


@public_page
def member_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "portal/member_detail.html", _member_page(request, slug))


@public_page
def member_plan_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The member page's plan as a PDF: the plan at a glance, every public measure, the reports.

    The same for everyone who may see the member (it shows public data only), so rendered once per public
    generation and shared (core/pdf.py)."""
    member = get_object_or_404(Member.objects.visible_to(request.user).only("pk", "slug"), slug=slug)

    def context() -> dict:
        page = _member_page(request, slug)
        page.update(
            base_url=request.build_absolute_uri("/").rstrip("/"),
            page_url=request.build_absolute_uri(page["member"].get_absolute_url()),
            now=timezone.now(),
        )
        return page

    return render_pdf(
        request, "portal/pdf/plan.html", context, filename=f"eccar-action-plan-{member.slug}.pdf", identity=("plan", member.pk)
    )


def _member_page(request: HttpRequest, slug: str) -> dict:
    member = get_object_or_404(
        Member.objects.visible_to(request.user).select_related("source", "plan__source").prefetch_related(
            "authorities",
            Prefetch("contacts", queryset=Contact.objects.published().select_related("source"), to_attr="published_contacts"),
            Prefetch(
                "network_memberships",
                queryset=NetworkMembership.objects.select_related("network", "source"),
            ),
            "working_groups",
            "initiated_working_groups",
        ),
        slug=slug,
    )
    plan: ActionPlan | None = getattr(member, "plan", None)
    commitments = list(Commitment.objects.all())
    measures = []
    latest_updates = []
    if plan is not None:
        # The latest three entries of each measure in one query (a sliced prefetch uses a window function).
        recent = Prefetch(
            "updates", queryset=MeasureUpdate.objects.up_to_today().order_by("-date", "-created_at")[:3], to_attr="latest_updates"
        )
        measures = list(
            Measure.objects.public()
            .filter(plan=plan)
            .select_related("source")
            # How many entries the measure's timeline holds beyond the latest three: counted in the same query.
            .annotate(update_count=Count("updates", filter=Q(updates__date__lte=timezone.localdate())))
            .prefetch_related(recent)
            .order_by("commitment__number", "title")
        )
        # The plan's recent entries come from the same prefetch (at most three per measure), so that one
        # busy measure cannot push all others out, and the page needs no extra query.
        for measure in measures:
            measure.more_updates = measure.update_count - len(measure.latest_updates)
        latest_updates = sorted(
            ((update, measure) for measure in measures for update in measure.latest_updates),
            key=lambda pair: (pair[0].date, pair[0].created_at),
            reverse=True,
        )[:5]
    by_commitment = {c.pk: [] for c in commitments}
    for measure in measures:
        by_commitment[measure.commitment_id].append(measure)
    # The summary comes from the measures listed above (the page shows exactly these).
    summary = {
        "measures": len(measures),
        "commitments_covered": sum(1 for c in commitments if by_commitment[c.pk]),
        "by_status": [(label, sum(1 for m in measures if m.status == value)) for value, label in MeasureStatus.choices],
    }
    indicators_by_commitment: dict[int, list[Indicator]] = {c.pk: [] for c in commitments}
    if plan is not None:
        # One query for the indicators and one for all their values, however many there are.
        for indicator in Indicator.objects.public().filter(plan=plan).select_related("measure").prefetch_related("values"):
            indicators_by_commitment[indicator.commitment_id].append(indicator)
    reports = list(
        ImplementationReport.objects.published().filter(member=member).select_related("source").prefetch_related("documents")
    )
    context = {
        "member": member,
        "plan": plan,
        "commitment_groups": [(c, by_commitment[c.pk]) for c in commitments if by_commitment[c.pk]],
        "empty_commitments": [c for c in commitments if not by_commitment[c.pk]],
        "indicator_groups": [(c, indicators_by_commitment[c.pk]) for c in commitments if indicators_by_commitment[c.pk]],
        "glance": plan_at_a_glance(commitments, by_commitment),
        "summary": summary,
        "rollup": plan_rollup(measures=measures, indicators=[i for group in indicators_by_commitment.values() for i in group]),
        "latest_updates": latest_updates,
        "reports": reports,
        # A coordinator sees their applicant's page too; its files are not open data (they would be a 404).
        "open_data_downloads": member_downloads(member.slug) if member.status in PUBLIC_MEMBER_STATUSES else [],
    }
    context.update(similar_context(member))
    return context


def similar_context(member: Member) -> dict:
    """The member page's similar members (templates/portal/includes/_similar.html): one query."""
    from portal.similar import MAX_COMPARED, compare_url

    similar = similar_members(member=member)
    return {
        "similar_members": similar,
        "similarity_rule": similarity_rule(member),
        "compare_url": compare_url([member, *similar[: MAX_COMPARED - 1]]),
        "compare_pick_url": compare_url([member]),
    }


@dataclass
class GlanceRow:
    commitment: Commitment
    total: int
    # (status, label, count, x offset in %, width in %) for the non-empty statuses, in the order of MeasureStatus.
    segments: list[tuple[str, str, int, float, float]]


def plan_at_a_glance(commitments: list[Commitment], by_commitment: dict[int, list[Measure]]) -> list[GlanceRow]:
    """The ten commitments with their public measures by status: a table row each, with a bar drawn from it."""
    rows = []
    for commitment in commitments:
        measures = by_commitment[commitment.pk]
        segments, offset = [], 0.0
        for value, label in MeasureStatus.choices:
            count = sum(1 for m in measures if m.status == value)
            if count:
                width = 100 * count / len(measures)
                segments.append((value, label, count, offset, width))
                offset += width
        rows.append(GlanceRow(commitment=commitment, total=len(measures), segments=segments))
    return rows


@public_page
def working_group_list(request: HttpRequest) -> HttpResponse:
    # Applicants are not public: their names stay off this page like everywhere else.
    public = Member.objects.public().only("name", "slug")
    groups = WorkingGroup.objects.select_related("source").prefetch_related(
        Prefetch("initiated_by", queryset=public), Prefetch("participants", queryset=public)
    )
    return render(request, "portal/working_group_list.html", {"groups": groups})
