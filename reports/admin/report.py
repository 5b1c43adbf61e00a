from __future__ import annotations

import io
import logging
import zipfile

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminFileWidget
from django.forms.models import BaseInlineFormSet
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
from reports.admin.deletions import PeriodChangeInline
from core.admin_steps import run_for_each, run_step
from core.files import STORAGE_ERRORS
from core.versioning import bump_version
from core.forms import PdfFileField
from core.models import SecurityEventKind
from core.security import security_record
from reports.models import (
    ADD_ERRATUM,
    REVIEW_REPORT,
    EDITABLE_STATUSES,
    DocumentRefused,
    ImplementationReport,
    ReportStatus,
    ReportDocument,
    ReportNarrative,
    ReportTransition,
    ReportTransitionError,
    check_storage_quota,
)
from reports.admin.errata import ErratumInline
from reports.admin.members import ReportOverdueFilter
from reports.comparison import compare_snapshots, document_changes, narrative_changes
from reports.forms import document_language_choices
from reports.snapshot import snapshot_groups

logger = logging.getLogger(__name__)


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


def document_download_url(document: ReportDocument) -> str:
    # Through the checked download view: /media/ is never served.
    return reverse("reports:document", args=[document.report_id, document.pk])


@admin.display(description=_("file (PDF)"))
def stored_file(document: ReportDocument) -> str:
    """The stored file's name, linked through the checked download view."""
    if document.pk is None or not document.file:
        return "–"
    return format_html('<a href="{}" type="application/pdf">{}</a>', document_download_url(document), document.file.name.rsplit("/", 1)[-1])


class _CheckedFile:
    """The stored file as the upload widget shows it ("Currently: …"), with the checked download view as its URL."""

    def __init__(self, name: str, url: str) -> None:
        self.name, self.url = name, url

    def __str__(self) -> str:
        return self.name.rsplit("/", 1)[-1]


class CheckedDownloadFileWidget(AdminFileWidget):
    """The admin's upload widget, whose link to the current file goes through the checked download view."""

    download_url = ""

    def format_value(self, value):
        value = super().format_value(value)
        if not value:
            return value
        # Without the view's address (an unsaved row) no link is shown at all: never the storage's /media/ URL.
        return _CheckedFile(value.name, self.download_url) if self.download_url else None


class DocumentForm(forms.ModelForm):
    """Uploads in the admin pass the same checks as the coordinator's editor, and only into a draft."""

    language = forms.ChoiceField(label=_("language"), choices=document_language_choices)

    class Meta:
        model = ReportDocument
        fields = ["report", "language", "title", "file"]
        field_classes = {"file": PdfFileField}
        widgets = {"file": CheckedDownloadFileWidget}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "file" in self.fields and self.instance.pk is not None and self.instance.file:
            self.fields["file"].widget.download_url = document_download_url(self.instance)

    def clean_report(self):
        report = self.cleaned_data.get("report")
        if report is not None:
            # Locked until the admin's transaction ends: a submission cannot slip in between this check and the save.
            report = ImplementationReport.objects.select_for_update().get(pk=report.pk)
        if report is not None and not report.is_editable:
            raise forms.ValidationError(
                _("This report is %(status)s: its documents can no longer be added, changed or removed. A correction "
                  "after publication is an erratum."),
                params={"status": report.get_status_display()},
                code="frozen",
            )
        return report

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


class LabelledRowsFormSet(BaseInlineFormSet):
    """A tabular inline's fields are named by the column headings only: each also gets its label as aria-label,
    so that a screen reader names it (axe: label, select-name)."""

    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        for field in form.fields.values():
            field.widget.attrs.setdefault("aria-label", str(field.label))


class DocumentInline(LockedWhenSubmittedInline, admin.TabularInline):
    model = ReportDocument
    form = DocumentForm
    formset = LabelledRowsFormSet
    extra = 0

    def get_fields(self, request, obj=None):
        # A frozen report's documents are shown, the file by its name through the checked download view.
        if obj is not None and not obj.is_editable:
            return ["language", "title", stored_file, "uploaded_at"]
        return ["language", "title", "file"]

    def get_readonly_fields(self, request, obj=None):
        return [stored_file, "uploaded_at"]


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


class AcceptNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the coordinators (optional)"), required=False,
        max_length=ReportTransition._meta.get_field("note").max_length,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
        help_text=_("Sent with the acceptance e-mail and kept with the step. Left empty, the e-mail says only that the report is accepted."),
    )


@admin.register(ImplementationReport)
class ImplementationReportAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["member", "period", "status", "submitted_on", "published_on"]
    # No filter by member: with thousands of members the search box does that.
    list_filter = ["status", ReportOverdueFilter]
    search_fields = ["member__name", "title", "summary"]
    list_select_related = ["member"]
    autocomplete_fields = ["member", "source"]
    inlines = [NarrativeInline, DocumentInline, TransitionInline, PeriodChangeInline]
    # The workflow fields change only through the model's transition methods (the actions below). Who created the
    # report is a fact, not a choice: as text, which also spares the page a drop-down of every account.
    readonly_fields = [
        "status", "feedback", "submitted_at", "published_at", "created_by", "documents_download", "snapshot_display"
    ]
    actions = ["accept_reports", "return_reports", "publish_reports"]
    change_form_template = "admin/reports/implementationreport/change_form.html"

    def has_review_permission(self, request) -> bool:
        return request.user.has_perm(REVIEW_REPORT)

    # --- Frozen once submitted ------------------------------------------------------------------------------
    # A submitted, accepted or published report is shown, never changed, by anyone (superusers included): no
    # field, narrative or document, no deletion, no history revert. Review steps and errata have their own pages.

    def has_change_permission(self, request, obj=None) -> bool:
        return (obj is None or obj.is_editable) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return (obj is None or obj.is_editable) and super().has_delete_permission(request, obj)

    def _stored_is_frozen(self, object_id) -> bool:
        # The history pages hand the permission checks the *historical* row: the stored status decides.
        return ImplementationReport.objects.filter(pk=object_id).exclude(status__in=EDITABLE_STATUSES).exists()

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST" and self._stored_is_frozen(unquote(object_id)):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None) -> bool:
        return super().revert_disabled(request, obj) or (obj is not None and self._stored_is_frozen(obj.pk))

    def get_inlines(self, request, obj):
        if obj is not None and obj.status == ReportStatus.PUBLISHED:
            return [*self.inlines, ErratumInline]
        return self.inlines

    def save_model(self, request, obj, form, change) -> None:
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        may_review = obj is not None and request.user.has_perm(REVIEW_REPORT)
        context.update({
            "can_accept": may_review and obj.status == ReportStatus.SUBMITTED,
            "can_return": may_review and obj.status == ReportStatus.SUBMITTED,
            "can_publish": may_review and obj.status == ReportStatus.ACCEPTED,
            "can_add_erratum": obj is not None and obj.status == ReportStatus.PUBLISHED and request.user.has_perm(ADD_ERRATUM),
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
        now = report.submission_record()
        return {
            "resubmitted": earlier,
            "since_returned": compare_snapshots(earlier.submission.get("snapshot") or {}, report.snapshot),
            "texts_changed": narrative_changes(earlier.submission.get("texts") or {}, now["texts"]),
            "documents_changed": document_changes(earlier.submission.get("documents"), now["documents"]),
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

    def accept_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = self._review(request, pk)

        def step(data: dict) -> str:
            report.accept(by=request.user, note=data["note"])
            return gettext("The report is accepted; the coordinators are told.")

        return run_step(
            self, request, form=AcceptNoteForm(request.POST if request.method == "POST" else None),
            title=gettext("Accept %(report)s") % {"report": report},
            intro=gettext("The coordinators are told by e-mail that the report is accepted; it can then be published."),
            submit_label=gettext("Accept"), step=step, done_url=self._change_url(report), cancel_url=self._change_url(report),
        )

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
    """A draft's documents; those of a frozen report are shown only (also in the bulk deletion, which refuses)."""

    form = DocumentForm
    list_display = ["title", "report", "language", "uploaded_at"]
    list_filter = ["language"]
    search_fields = ["title", "report__member__name"]
    list_select_related = ["report__member"]
    # The report by its number, with the lookup beside it: no list of every report, and a field with a label.
    raw_id_fields = ["report"]

    def get_fields(self, request, obj=None):
        if obj is not None and not obj.report.is_editable:
            return ["report", "language", "title", stored_file, "uploaded_by", "uploaded_at"]
        return ["report", "language", "title", "file"]

    def get_readonly_fields(self, request, obj=None):
        return [stored_file, "uploaded_by", "uploaded_at"]

    def has_change_permission(self, request, obj=None) -> bool:
        return (obj is None or obj.report.is_editable) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Asked per document by the bulk "delete selected" too: one frozen document refuses the whole deletion.
        return (obj is None or obj.report.is_editable) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)
        # As in the editor: a preview opened before no longer matches the report.
        bump_version(ImplementationReport, obj.report_id)
