from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.generic import ListView

from eccar_portal.files import pdf_response
from reports.models import ImplementationReport


class ReportListView(ListView):
    template_name = "reports/report_list.html"
    context_object_name = "reports"
    paginate_by = 50

    def get_queryset(self):
        return ImplementationReport.objects.published().select_related("member").order_by("-period_end", "member__name")


def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(
        ImplementationReport.objects.visible_to(request.user).select_related("member", "source").prefetch_related("documents"),
        pk=pk,
    )
    return render(request, "reports/report_detail.html", {"report": report})


def document_download(request: HttpRequest, pk: int, document_pk: int):
    report = get_object_or_404(ImplementationReport.objects.visible_to(request.user), pk=pk)
    document = get_object_or_404(report.documents.exclude(file=""), pk=document_pk)
    return pdf_response(document.file, f"report-{report.pk}-{document.language}.pdf")
