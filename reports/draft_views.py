"""A draft's own housekeeping under /<lang>/dashboard/<member>/reports/<id>/: correct its period, delete it
(the lead coordinator), and take back the "ready for the lead" mark.

Outsiders get 404 (the permission helper), an editor asking to delete a draft 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.versioning import EditConflict
from members.permissions import MemberAccess, get_member_for_user
from reports.forms import ReportPeriodChangeForm
from reports.models import ImplementationReport, ReportStatus, ReportTransitionError


def _draft_for(request: HttpRequest, slug: str, pk: int, *, lead: bool = False) -> tuple[MemberAccess, ImplementationReport]:
    access = get_member_for_user(request, slug, lead=lead)
    report = get_object_or_404(ImplementationReport.objects.select_related("member"), pk=pk, member=access.member)
    return access, report


def _not_a_draft(request: HttpRequest, access: MemberAccess, report: ImplementationReport, message: str) -> HttpResponse:
    messages.error(request, message)
    return redirect("reports:edit", slug=access.member.slug, pk=report.pk)


@login_required
@require_http_methods(["GET", "POST"])
def report_period(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access, report = _draft_for(request, slug, pk)
    if report.status != ReportStatus.DRAFT:
        return _not_a_draft(request, access, report, _("The period can only be changed while the report is a draft."))
    status = 200
    if request.method == "POST":
        form = ReportPeriodChangeForm(request.POST, member=access.member, report=report)
        if form.is_valid():
            try:
                report.change_period(
                    start=form.cleaned_data["period_start"], end=form.cleaned_data["period_end"], by=request.user,
                    expected_version=form.cleaned_data["version"], confirmed=form.confirmed_text(),
                )
            except EditConflict as conflict:
                # Someone saved the draft meanwhile: the typed dates stay, based on the current version now.
                data = request.POST.copy()
                data["version"] = str(conflict.current.version)
                form = ReportPeriodChangeForm(data, member=access.member, report=report)
                form.is_valid()
                form.add_error(None, _("The draft was changed by someone else meanwhile. Please check the period and save again."))
                status = 409
            except ReportTransitionError as error:
                form.add_error(None, error.messages[0])
                status = 400
            else:
                messages.success(request, _("The period of the draft has been changed."))
                return redirect("reports:edit", slug=access.member.slug, pk=report.pk)
        else:
            status = 400
    else:
        form = ReportPeriodChangeForm(
            member=access.member, report=report,
            initial={"period_start": report.period_start.isoformat(), "period_end": report.period_end.isoformat(), "version": report.version},
        )
    context = {"member": access.member, "report": report, "form": form, "changes": list(report.period_changes.select_related("by"))}
    return render(request, "reports/report_period.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def report_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access, report = _draft_for(request, slug, pk, lead=True)
    if report.status != ReportStatus.DRAFT:
        return _not_a_draft(request, access, report, _("Only a draft can be deleted. A submitted report is never deleted."))
    error, status = None, 200
    if request.method == "POST":
        try:
            report.delete_draft(by=request.user, expected=request.POST.get("expected"))
        except ReportTransitionError as refused:
            if refused.code != "changed_since_confirmation":
                return _not_a_draft(request, access, report, refused.messages[0])
            report.refresh_from_db()
            error, status = refused.messages[0], 409
        else:
            messages.success(
                request, _("The draft %(period)s has been deleted. The secretariat keeps a record of it.") % {"period": report.period_display}
            )
            return redirect("reports:member_reports", slug=access.member.slug)
    lost = report.lost_on_deletion()
    context = {"member": access.member, "report": report, "lost": lost, "expected": report.deletion_token(lost), "error": error}
    return render(request, "reports/report_delete.html", context, status=status)


@login_required
@require_POST
def report_clear_ready(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access, report = _draft_for(request, slug, pk)
    try:
        report.clear_ready(by=request.user)
    except ReportTransitionError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The draft is no longer marked as ready for the lead coordinator."))
    return redirect("reports:edit", slug=access.member.slug, pk=report.pk)
