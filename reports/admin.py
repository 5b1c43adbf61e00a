from __future__ import annotations

import io
import logging
import zipfile

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from core.admin import VersionedAdminMixin
from core.admin_steps import run_for_each, run_step
from core.files import STORAGE_ERRORS
from core.forms import PdfFileField, validate_language_code
from core.models import SecurityEventKind
from core.security import security_record
from members.admin import MemberAdmin
from members.models import Member, MemberStatus
from reports.models import (
    REVIEW_REPORT,
    DocumentRefused,
    ImplementationReport,
    ReminderKind,
    ReportStatus,
    ReportDocument,
    ReportNarrative,
    ReportReminder,
    ReportTransition,
    ReportTransitionError,
    check_storage_quota,
)
from reports.services import add_months, members_overdue, members_proposed_for_on_hold, members_with_due_date, report_deadline
from reports.comparison import compare_snapshots, narrative_changes
from reports.snapshot import snapshot_groups

logger = logging.getLogger(__name__)


# Only these owe reports: an applicant, a former member or a declined application is never "overdue".
REPORTING_STATUSES = (MemberStatus.MEMBER, MemberStatus.ON_HOLD, MemberStatus.SUSPENDED)


class OverdueFilter(admin.SimpleListFilter):
    """Members whose next report is past due. Used on the member and the report changelists (and linked from the
    work queue: the filter alone selects what the queue counts, so its link needs no raw status codes)."""

    title = _("report overdue")
    parameter_name = "report_overdue"
    member_lookup = "pk__in"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() not in ("yes", "no"):
            return queryset
        overdue = members_overdue(Member.objects.filter(status__in=REPORTING_STATUSES)).values("pk")
        if self.value() == "yes":
            return queryset.filter(**{self.member_lookup: overdue})
        return queryset.exclude(**{self.member_lookup: overdue})


class ProposedOnHoldFilter(admin.SimpleListFilter):
    """Members whose report is overdue by more than ON_HOLD_AFTER_MONTHS: proposed for "on hold"; a person confirms."""

    title = _("proposed for on hold")
    parameter_name = "on_hold_proposed"

    def lookups(self, request, model_admin):
        return [("yes", _("proposed: put on hold"))]

    def queryset(self, request, queryset):
        if self.value() != "yes":
            return queryset
        return queryset.filter(pk__in=members_proposed_for_on_hold().values("pk"))


class ReportOverdueFilter(OverdueFilter):
    member_lookup = "member_id__in"


def member_report_due_column(obj: Member) -> str:
    """Changelist column: the due date, red when overdue. Needs `members_with_due_date` on the queryset."""
    base = getattr(obj, "report_due_base", None)
    if base is None:
        return "–"
    due = add_months(base, settings.REPORT_INTERVAL_MONTHS)
    # In the reader's date format; "errornote" is the admin's block-level banner and overflowed the column.
    shown = date_format(due, "SHORT_DATE_FORMAT")
    if due < timezone.localdate():
        return format_html("<strong>{} ({})</strong>", shown, gettext("overdue"))
    return shown


member_report_due_column.short_description = _("next report due")
member_report_due_column.admin_order_field = "report_due_base"


class LockedWhenSubmittedInline:
    """Once submitted, a report's content is the member's: staff read it, return it, accept it; they do not edit it."""

    def _editable(self, obj) -> bool:
        return obj is None or obj.is_editable

    def has_add_permission(self, request, obj=None) -> bool:
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._editable(obj) and super().has_delete_permission(request, obj)


class NarrativeInline(LockedWhenSubmittedInline, admin.StackedInline):
    model = ReportNarrative
    extra = 0
    # One narrative per commitment: emptied, never deleted row by row.
    can_delete = False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class DocumentForm(forms.ModelForm):
    """Uploads in the admin pass the same checks as the coordinator's editor."""

    class Meta:
        model = ReportDocument
        fields = ["report", "language", "title", "file"]
        field_classes = {"file": PdfFileField}

    def clean_language(self) -> str:
        # The code becomes part of the stored file name.
        code = (self.cleaned_data.get("language") or "").strip().lower()
        validate_language_code(code)
        return code

    def clean(self) -> dict:
        data = super().clean()
        upload, report = data.get("file"), data.get("report") or getattr(self.instance, "report", None)
        if isinstance(upload, UploadedFile) and report is not None:
            # A replaced file frees its own space. (Checked per row: the editor's locked check covers coordinators.)
            try:
                check_storage_quota(report=report, size=upload.size - (self.instance.file_size or 0))
            except DocumentRefused as error:
                self.add_error("file", error)
        return data


class DocumentInline(LockedWhenSubmittedInline, admin.TabularInline):
    model = ReportDocument
    form = DocumentForm
    extra = 0
    readonly_fields = ["open_pdf"]

    @admin.display(description=_("open"))
    def open_pdf(self, obj: ReportDocument) -> str:
        # Through the checked download view: /media/ is never served.
        if obj.pk is None or not obj.file:
            return "–"
        return format_html('<a href="{}">{}</a>', reverse("reports:document", args=[obj.report_id, obj.pk]), gettext("Open PDF"))


class TransitionInline(admin.TabularInline):
    model = ReportTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "by", "at", "note"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class FeedbackForm(forms.Form):
    feedback = forms.CharField(
        label=_("Feedback to the coordinators"),
        max_length=ImplementationReport._meta.get_field("feedback").max_length,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
    )


@admin.register(ImplementationReport)
class ImplementationReportAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["member", "period", "status", "submitted_on", "published_on"]
    # No filter by member: with thousands of members the search box does that.
    list_filter = ["status", ReportOverdueFilter]
    search_fields = ["member__name", "title", "summary"]
    list_select_related = ["member"]
    autocomplete_fields = ["member", "source"]
    inlines = [NarrativeInline, DocumentInline, TransitionInline]
    # The workflow fields change only through the model's transition methods (the actions below).
    readonly_fields = ["status", "feedback", "submitted_at", "published_at", "documents_download", "snapshot_display"]
    actions = ["accept_reports", "return_reports", "publish_reports"]
    change_form_template = "admin/reports/implementationreport/change_form.html"

    def has_review_permission(self, request) -> bool:
        return request.user.has_perm(REVIEW_REPORT)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and not obj.is_editable:
            readonly += ["member", "period_start", "period_end", "period_label", "title", "summary", "source"]
        return readonly

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        may_review = obj is not None and request.user.has_perm(REVIEW_REPORT)
        context.update({
            "can_accept": may_review and obj.status == ReportStatus.SUBMITTED,
            "can_return": may_review and obj.status == ReportStatus.SUBMITTED,
            "can_publish": may_review and obj.status == ReportStatus.ACCEPTED,
        })
        if may_review and not obj.is_editable and obj.snapshot:
            context.update(self._since_returned(obj))
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    @staticmethod
    def _since_returned(report: ImplementationReport) -> dict:
        """For a report returned and submitted again: what changed since the earlier submission. Only for reviewers."""
        earlier = report.previous_submission()
        if earlier is None:
            return {}
        if not earlier.submission:
            # Submitted before submissions were kept: there is nothing to compare with.
            return {"resubmitted": earlier, "since_returned": None}
        return {
            "resubmitted": earlier,
            "since_returned": compare_snapshots(earlier.submission.get("snapshot") or {}, report.snapshot),
            "texts_changed": narrative_changes(earlier.submission.get("texts") or {}, report.submission_record()["texts"]),
        }

    def _review(self, request: HttpRequest, pk: int) -> ImplementationReport:
        if not request.user.has_perm(REVIEW_REPORT):
            raise PermissionDenied
        return get_object_or_404(ImplementationReport, pk=pk)

    def _change_url(self, report: ImplementationReport) -> str:
        return reverse("admin:reports_implementationreport_change", args=[report.pk])

    def _one_step(self, request: HttpRequest, pk: int, step, done: str) -> HttpResponse:
        report = self._review(request, pk)
        try:
            step(report)
        except ReportTransitionError as error:
            self.message_user(request, error.messages[0], messages.ERROR)
        else:
            self.message_user(request, done, messages.SUCCESS)
        return HttpResponseRedirect(self._change_url(report))

    @method_decorator(require_POST)
    def accept_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._one_step(request, pk, lambda r: r.accept(by=request.user), gettext("The report is accepted; the coordinators are told."))

    @method_decorator(require_POST)
    def publish_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._one_step(request, pk, lambda r: r.publish(by=request.user), gettext("The report is published."))

    def return_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = self._review(request, pk)

        def step(data: dict) -> str:
            report.return_to_member(by=request.user, feedback=data["feedback"])
            return gettext("The report is returned; the coordinators receive the feedback.")

        return run_step(
            self, request, form=FeedbackForm(request.POST or None), title=gettext("Return %(report)s") % {"report": report},
            intro=gettext("The coordinators receive this feedback by e-mail and see it at the top of the report, which becomes editable again."),
            submit_label=gettext("Return with feedback"), step=step, done_url=self._change_url(report), cancel_url=self._change_url(report),
        )

    @admin.display(description=_("submitted"), ordering="submitted_at")
    def submitted_on(self, obj: ImplementationReport) -> str:
        return date_format(timezone.localtime(obj.submitted_at), "SHORT_DATE_FORMAT") if obj.submitted_at else "–"

    @admin.display(description=_("published"), ordering="published_at")
    def published_on(self, obj: ImplementationReport) -> str:
        return date_format(timezone.localtime(obj.published_at), "SHORT_DATE_FORMAT") if obj.published_at else "–"

    @admin.display(description=_("period"), ordering="period_start")
    def period(self, obj: ImplementationReport) -> str:
        return obj.period_display

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/accept/", view(self.accept_view), name="reports_implementationreport_accept"),
            path("<int:pk>/publish/", view(self.publish_view), name="reports_implementationreport_publish"),
            path("<int:pk>/return/", view(self.return_view), name="reports_implementationreport_return"),
            path(
                "<int:pk>/documents.zip",
                self.admin_site.admin_view(self.documents_zip),
                name="reports_implementationreport_documents_zip",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("documents"))
    def documents_download(self, obj: ImplementationReport) -> str:
        if obj.pk is None or not obj.documents.exclude(file="").exists():
            return gettext("No files attached.")
        url = reverse("admin:reports_implementationreport_documents_zip", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Download all documents (ZIP)"))

    @admin.display(description=_("snapshot of the plan"))
    def snapshot_display(self, obj: ImplementationReport) -> str:
        if not obj.snapshot:
            return gettext("No snapshot yet: it is taken when the report is submitted.")
        groups = snapshot_groups(obj.snapshot, obj.narratives.select_related("commitment"))
        return render_to_string("admin/reports/_snapshot.html", {"groups": groups})

    def documents_zip(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        report = get_object_or_404(ImplementationReport, pk=pk)
        security_record(SecurityEventKind.STAFF_EXPORT, request=request, detail=f"documents ZIP of report {report.pk}")
        buffer = io.BytesIO()
        missing = []
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for n, document in enumerate(report.documents.exclude(file=""), start=1):
                try:
                    with document.file.open("rb") as handle:
                        archive.writestr(f"{n:02d}-{document.language}-report-{report.pk}.pdf", handle.read())
                except STORAGE_ERRORS as error:
                    # A lost file must not cost the secretariat the others: it is named in a note instead.
                    logger.error("Report %s: the stored file %s is missing: %r", report.pk, document.file.name, error)
                    missing.append(f"{n:02d} {document.title} ({document.language}): {document.file.name}")
            if missing:
                note = gettext("These documents of the report are missing on the portal's server and are not in this archive:")
                archive.writestr(gettext("MISSING.txt"), "\n".join([note, "", *missing, ""]))
        response = HttpResponse(buffer.getvalue(), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="report-{report.pk}-documents.zip"'
        response["X-Content-Type-Options"] = "nosniff"
        return response

    def _run(self, request, queryset, step) -> None:
        run_for_each(self, request, queryset, step, done=gettext("%(count)d report(s) updated."))

    @admin.action(description=_("Accept the selected reports"), permissions=["review"])
    def accept_reports(self, request, queryset):
        self._run(request, queryset, lambda r: r.accept(by=request.user))

    @admin.action(description=_("Publish the selected reports"), permissions=["review"])
    def publish_reports(self, request, queryset):
        self._run(request, queryset, lambda r: r.publish(by=request.user))

    @admin.action(description=_("Return the selected reports with feedback"), permissions=["review"])
    def return_reports(self, request, queryset):
        # An intermediate page asks for the feedback; its form posts back to this action with "apply".
        form = FeedbackForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            self._run(request, queryset, lambda r: r.return_to_member(by=request.user, feedback=form.cleaned_data["feedback"]))
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Return reports with feedback"),
            "reports": queryset,
            "form": form,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/reports/return_feedback.html", context)


@admin.register(ReportDocument)
class ReportDocumentAdmin(admin.ModelAdmin):
    form = DocumentForm
    list_display = ["title", "report", "language", "uploaded_at"]
    list_filter = ["language"]
    search_fields = ["title", "report__member__name"]
    list_select_related = ["report__member"]


@admin.register(ReportReminder)
class ReportReminderAdmin(admin.ModelAdmin):
    list_display = ["member", "due_on", "kind", "sequence", "sent_at"]
    list_filter = ["kind"]
    search_fields = ["member__name"]
    list_select_related = ["member"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class MemberWithReportsAdmin(MemberAdmin):
    """The member list with the report deadline: a column and an overdue filter."""

    list_display = [*MemberAdmin.list_display, member_report_due_column]
    list_filter = [*MemberAdmin.list_filter, OverdueFilter, ProposedOnHoldFilter]
    actions = [*MemberAdmin.actions, "send_report_reminder"]

    @admin.action(description=_("Send a report reminder now"), permissions=["change"])
    def send_report_reminder(self, request, queryset):
        from reports import notifications

        sent = 0
        for member in queryset.prefetch_related("assignments__user"):
            users = [a.user for a in member.assignments.all() if a.user.email and a.user.is_active]
            deadline = report_deadline(member=member)
            if not users or deadline.due_on is None:
                self.message_user(request, gettext("%(member)s: no coordinator with an e-mail address, or no due date.") % {"member": member}, messages.WARNING)
                continue
            kind = ReminderKind.OVERDUE if deadline.is_overdue else ReminderKind.DUE
            notifications.report_reminder(member=member, deadline=deadline, kind=kind, users=users)
            sent += len(users)
        if sent:
            self.message_user(request, gettext("%(count)d reminder(s) sent.") % {"count": sent}, messages.SUCCESS)

    def get_queryset(self, request):
        # The report due date as an annotation: the overdue column costs no query per row.
        return members_with_due_date(super().get_queryset(request))


admin.site.unregister(Member)
admin.site.register(Member, MemberWithReportsAdmin)
