from __future__ import annotations

import re

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.generic import ListView
from django.views.decorators.http import require_safe

from actionplan.models import Measure
from core.countries import country_name
from core.files import pdf_response
from core.pdf import render_pdf
from members.models import Member
from reports.models import ImplementationReport, ReportErratum, ReportNarrative
from reports.comparison import SnapshotComparison, compare_snapshots
from reports.snapshot import snapshot_groups
from core.public_cache import public_page


_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


class ReportListView(ListView):
    """Published reports, newest first; filters by member, country and year stay in the URL."""

    template_name = "reports/report_list.html"
    context_object_name = "reports"
    paginate_by = 25

    def filters(self) -> dict:
        get = self.request.GET
        year = get.get("year", "").strip()
        member = get.get("member", "").strip()
        country = get.get("country", "").strip().upper()[:2]
        # A value no member can have (e.g. a NUL byte, which PostgreSQL refuses in text) is ignored, not a 500.
        return {
            "member": member if _SLUG.fullmatch(member) else "",
            "country": country if country.isalpha() and country.isascii() else "",
            "year": int(year) if year.isdigit() and 1900 < int(year) < 2200 else None,
        }

    def get_queryset(self):
        f = self.filters()
        qs = ImplementationReport.objects.published().select_related("member")
        if f["member"]:
            qs = qs.filter(member__slug=f["member"])
        if f["country"]:
            qs = qs.filter(member__country=f["country"])
        if f["year"]:
            # A report belongs to every year its period touches.
            qs = qs.filter(period_start__year__lte=f["year"], period_end__year__gte=f["year"])
        return qs.order_by("-period_end", "-published_at", "member__name")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        published = ImplementationReport.objects.published()
        members = Member.objects.filter(reports__in=published).distinct().order_by("name").only("name", "slug", "country")
        periods = published.values_list("period_start__year", "period_end__year").distinct()
        years = {y for start, end in periods for y in range(start, end + 1)}
        filters = self.filters()
        if filters["year"]:
            years.add(filters["year"])  # the dropdown always shows the filter in force, even with no match
        context.update(
            filters=filters,
            filter_members=list(members),
            # Names, never codes, sorted by the name in the reader's language.
            filter_countries=sorted(((c, country_name(c)) for c in {m.country for m in members if m.country}), key=lambda p: p[1]),
            filter_years=sorted(years, reverse=True),
        )
        return context


_REPORT_PAGE = (
    "documents",
    Prefetch("narratives", queryset=ReportNarrative.objects.select_related("commitment")),
    Prefetch("errata", queryset=ReportErratum.objects.select_related("corrects")),
)


def _report_context(report: ImplementationReport) -> dict:
    narratives = list(report.narratives.all())
    return {
        "report": report,
        "groups": snapshot_groups(report.snapshot, narratives),
        "narratives": [n for n in narratives if n.text],
    }


@public_page
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # Unpublished reports exist only for staff and the member's own coordinators (visible_to); 404 for everyone else.
    report = get_object_or_404(
        ImplementationReport.objects.visible_to(request.user).select_related("member", "source").prefetch_related(*_REPORT_PAGE),
        pk=pk,
    )
    context = _report_context(report)
    if report.status == "published" and report.snapshot:
        context["earlier"] = _earlier_reports(report).first()
    return render(request, "reports/report_detail.html", context)


def _earlier_reports(report: ImplementationReport):
    """The member's published reports before this one that hold a snapshot, latest first; without the snapshots."""
    return (
        ImplementationReport.objects.published()
        .filter(member_id=report.member_id, period_start__lt=report.period_start, snapshot__isnull=False)
        .defer("snapshot", "summary", "feedback")
        .order_by("-period_end", "-pk")
    )


@public_page
def report_compare(request: HttpRequest, pk: int) -> HttpResponse:
    """A published report beside an earlier published one of the same member (by default the previous one), per
    commitment, from the two frozen snapshots only. 404 when there is none to compare with."""
    report = get_object_or_404(ImplementationReport.objects.published().select_related("member"), pk=pk, snapshot__isnull=False)
    earlier = list(_earlier_reports(report))
    chosen = request.GET.get("with", "")
    if chosen:
        if not chosen.isdigit():
            raise Http404
        other_pk = int(chosen)
    elif earlier:
        other_pk = earlier[0].pk
    else:
        raise Http404
    if other_pk not in {r.pk for r in earlier}:
        raise Http404  # another member's, unpublished, later, without a snapshot, or no report at all
    other = ImplementationReport.objects.only("pk", "snapshot", "period_start", "period_end", "period_label", "title").get(pk=other_pk)
    comparison = compare_snapshots(other.snapshot, report.snapshot)
    link_measure_pages(comparison, report.member)
    return render(
        request,
        "reports/report_compare.html",
        {"report": report, "other": other, "earlier": earlier, "comparison": comparison},
    )


def link_measure_pages(comparison: SnapshotComparison, member: Member) -> None:
    """Link each compared measure that is still public to its page (one query); a retired or internal one, or one
    whose plan moved on, stays plain text rather than a link to a 404."""
    changes = comparison.measure_changes()
    public = set(
        Measure.objects.public().filter(plan__member=member, pk__in=[m.id for m in changes]).values_list("pk", flat=True)
    )
    for change in changes:
        if change.id in public:
            change.page_url = reverse("members:measure", args=[member.slug, change.id])


@public_page
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """A published report as a PDF: its texts and the plan as submitted. Not for drafts, not even for their authors."""
    # Rendered once per public generation and shared by every request for it (core/pdf.py).
    slug = get_object_or_404(ImplementationReport.objects.published().values_list("member__slug", flat=True), pk=pk)

    def context() -> dict:
        report = get_object_or_404(
            ImplementationReport.objects.published().select_related("member", "source").prefetch_related(*_REPORT_PAGE), pk=pk
        )
        return {
            **_report_context(report),
            "base_url": request.build_absolute_uri("/").rstrip("/"),
            "page_url": request.build_absolute_uri(report.get_absolute_url()),
            "now": timezone.now(),
        }

    return render_pdf(
        request, "reports/pdf/report.html", context, filename=f"eccar-report-{slug}-{pk}.pdf", identity=("report", pk)
    )


@require_safe
def document_download(request: HttpRequest, pk: int, document_pk: int):
    report = get_object_or_404(ImplementationReport.objects.visible_to(request.user), pk=pk)
    document = get_object_or_404(report.documents.exclude(file=""), pk=document_pk)
    return pdf_response(request, document.file, f"report-{report.pk}-{document.language}.pdf")
