"""Similar members (members/similar.py) on their own page, and the public comparison of two to four members."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, F, OuterRef, Q, Subquery, Window
from django.db.models.functions import RowNumber
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from actionplan.indicators import progress_percent, progress_share
from actionplan.models import Commitment, Indicator, IndicatorValue, Measure, MeasureStatus
from core.public_cache import public_page
from portal.measure_page import measure_url
from members import search
from members.models import Member
from members.similar import similar_members, similarity_rule
from reports.models import ImplementationReport

# How many of a similar member's measures the similar page lists under one commitment; the rest is one link away.
MEASURES_PER_MEMBER = 3
MIN_COMPARED, MAX_COMPARED = 2, 4
# Indicators shown in one cell of the comparison; the member page has all of them.
INDICATORS_PER_CELL = 5
# Measure titles shown in one cell of the comparison; "and N more" links to the member page's commitment section.
MEASURES_PER_CELL = 5
SEARCH_RESULTS = 10


@dataclass
class SimilarCell:
    member: Member
    measures: list[dict]
    total: int


@public_page
def member_similar(request: HttpRequest, slug: str) -> HttpResponse:
    member = get_object_or_404(Member.objects.visible_to(request.user), slug=slug)
    similar = similar_members(member=member)
    commitments = list(Commitment.objects.all())
    rows: dict[tuple[int, int], list[dict]] = defaultdict(list)
    totals: dict[tuple[int, int], int] = {}
    if similar:
        # The first few measures of each similar member under each commitment, with how many there are, in one
        # query: window functions over (plan, commitment).
        partition = [F("plan_id"), F("commitment_id")]
        measures = (
            Measure.objects.public()
            .filter(plan__member__in=[m.pk for m in similar])
            .annotate(
                position=Window(RowNumber(), partition_by=partition, order_by=[F("title").asc(), F("pk").asc()]),
                in_group=Window(Count("pk"), partition_by=partition),
            )
            .filter(position__lte=MEASURES_PER_MEMBER)
            .values("pk", "title", "status", "content_language", "commitment_id", "plan__member_id", "in_group")
            .order_by("commitment_id", "plan__member_id", "position")
        )
        labels = dict(MeasureStatus.choices)
        for row in measures:
            key = (row["commitment_id"], row["plan__member_id"])
            rows[key].append({**row, "status_label": labels.get(row["status"], row["status"])})
            totals[key] = row["in_group"]
    groups = []
    for commitment in commitments:
        cells = [
            SimilarCell(member=m, measures=rows[(commitment.pk, m.pk)], total=totals.get((commitment.pk, m.pk), 0))
            for m in similar
        ]
        groups.append((commitment, cells, sum(cell.total for cell in cells)))
    context = {
        "member": member,
        "similar_members": similar,
        "similarity_rule": similarity_rule(member),
        "groups": groups,
        "empty_commitments": [commitment for commitment, cells, total in groups if not total],
        "compare_url": compare_url([member, *similar[: MAX_COMPARED - 1]]),
        "compare_pick_url": compare_url([member]),
        "measures_per_member": MEASURES_PER_MEMBER,
    }
    return render(request, "portal/member_similar.html", context)


def compare_url(members: list[Member]) -> str:
    return reverse("members:compare") + "?" + urlencode({"members": [m.slug for m in members]}, doseq=True)


@dataclass
class Column:
    member: Member
    total: int = 0
    report: ImplementationReport | None = None
    remove_url: str = ""


@dataclass
class Cell:
    member: Member
    total: int = 0
    by_status: list[tuple[str, str, int]] = field(default_factory=list)
    measures: list[dict] = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)
    more_indicators: int = 0

    @property
    def more_measures(self) -> int:
        return self.total - len(self.measures)


@public_page
def compare(request: HttpRequest) -> HttpResponse:
    notices: list[str] = []
    slugs: list[str] = []
    for raw in request.GET.getlist("members"):
        slug = raw.strip().lower()[:100]
        if not slug:
            continue
        if slug in slugs:
            notices.append(_("“%(slug)s” was chosen twice; it is shown once.") % {"slug": slug})
            continue
        slugs.append(slug)
    if len(slugs) > MAX_COMPARED:
        notices.append(
            _("At most %(max)d members can be compared side by side; the first %(max)d are shown.") % {"max": MAX_COMPARED}
        )
        slugs = slugs[:MAX_COMPARED]
    # Members the visitor may not see are reported exactly like addresses that do not exist.
    found = {m.slug: m for m in Member.objects.visible_to(request.user).filter(slug__in=slugs)} if slugs else {}
    for slug in slugs:
        if slug not in found:
            notices.append(_("There is no member with the address “%(slug)s”.") % {"slug": slug})
    chosen = [found[slug] for slug in slugs if slug in found]
    for member in chosen:
        member.remove_url = compare_url([m for m in chosen if m != member])

    query = search.clean_query(request.GET.get("q"))
    results: list[Member] = []
    suggestions: list[Member] = []
    if len(chosen) < MAX_COMPARED:
        chosen_ids = [m.pk for m in chosen]
        if query:
            # Names only (a picker, not the directory's search of measures too), and the address, which spells
            # "Düsseldorf" as "duesseldorf"; in name order through the public-name index.
            results = list(
                Member.objects.public()
                .filter(Q(name__icontains=query) | Q(slug__icontains=slugify(query)))
                .exclude(pk__in=chosen_ids)
                .order_by("name", "pk")[:SEARCH_RESULTS]
            )
        if chosen:
            suggestions = [m for m in similar_members(member=chosen[0], limit=MAX_COMPARED + 3) if m.pk not in chosen_ids]
            suggestions = suggestions[:5]
        for member in (*results, *suggestions):
            member.add_url = compare_url([*chosen, member])

    context = {
        "chosen": chosen,
        "notices": notices,
        "query": query,
        "results": results,
        "suggestions": suggestions,
        "can_add": len(chosen) < MAX_COMPARED,
        # Guidance, not a mistake: the way in from a member page starts with that one member.
        "needs_more": len(chosen) < MIN_COMPARED,
        "max_compared": MAX_COMPARED,
    }
    if MIN_COMPARED <= len(chosen) <= MAX_COMPARED:
        context.update(comparison(chosen))
    return render(request, "portal/compare.html", context)


def comparison(members: list[Member]) -> dict:
    """The side-by-side table: five queries, whatever the number of measures, indicators and reports."""
    ids = [m.pk for m in members]
    commitments = list(Commitment.objects.all())
    columns = {m.pk: Column(member=m) for m in members}
    cells = {(c.pk, m.pk): Cell(member=m) for c in commitments for m in members}
    labels = dict(MeasureStatus.choices)
    order = {value: i for i, value in enumerate(MeasureStatus.values)}
    counts = (
        Measure.objects.public()
        .filter(plan__member__in=ids)
        .values("plan__member_id", "commitment_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in counts:
        cell = cells[(row["commitment_id"], row["plan__member_id"])]
        cell.total += row["n"]
        cell.by_status.append((row["status"], labels.get(row["status"], row["status"]), row["n"]))
        columns[row["plan__member_id"]].total += row["n"]
    for cell in cells.values():
        cell.by_status.sort(key=lambda item: order.get(item[0], 99))

    # The first titles of every cell, for all chosen members in one query: a row number per (plan, commitment).
    partition = [F("plan_id"), F("commitment_id")]
    titles = (
        Measure.objects.public()
        .filter(plan__member__in=ids)
        .annotate(position=Window(RowNumber(), partition_by=partition, order_by=[F("title").asc(), F("pk").asc()]))
        .filter(position__lte=MEASURES_PER_CELL)
        .values("pk", "title", "status", "content_language", "commitment_id", "plan__member_id")
        .order_by("commitment_id", "plan__member_id", "position")
    )
    slugs = {m.pk: m.slug for m in members}
    for row in titles:
        cell = cells[(row["commitment_id"], row["plan__member_id"])]
        cell.measures.append({
            **row,
            "status_label": labels.get(row["status"], row["status"]),
            "url": measure_url(slugs[row["plan__member_id"]], row["pk"]),
        })

    latest = IndicatorValue.objects.filter(indicator=OuterRef("pk")).order_by("-date", "-pk")
    indicators = (
        Indicator.objects.public()
        .filter(plan__member__in=ids)
        .annotate(
            latest_value=Subquery(latest.values("value")[:1]),
            latest_date=Subquery(latest.values("date")[:1]),
            member_id=F("plan__member_id"),
        )
        .order_by("name", "pk")
    )
    for indicator in indicators:
        cell = cells[(indicator.commitment_id, indicator.member_id)]
        if len(cell.indicators) >= INDICATORS_PER_CELL:
            cell.more_indicators += 1
            continue
        share = progress_share(
            baseline=indicator.baseline_value, target=indicator.target_value, latest=indicator.latest_value
        )
        cell.indicators.append({"indicator": indicator, "percent": progress_percent(share)})

    reports = (
        ImplementationReport.objects.published()
        .filter(member__in=ids)
        .order_by("member_id", "-period_end", "-published_at", "-pk")
        .distinct("member_id")
    )
    for report in reports:
        columns[report.member_id].report = report

    return {
        "columns": [columns[m.pk] for m in members],
        "rows": [(c, [cells[(c.pk, m.pk)] for m in members]) for c in commitments],
    }
