"""Errata: the one way to correct a published report. Added by the secretariat, shown on the public page and in
the PDF, never changed or deleted afterwards (a new erratum corrects an erratum)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from reports.models import ImplementationReport, ReportErratum, ReportStatus


class CorrectedErratumField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ReportErratum) -> str:
        return f"{obj.report.member} – {obj}: {Truncator(obj.text).chars(60)}"


class ErratumForm(forms.ModelForm):
    class Meta:
        model = ReportErratum
        fields = ["report", "corrects", "text", "reason", "language"]
        field_classes = {"corrects": CorrectedErratumField}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "corrects" not in self.fields:
            return  # shown read-only
        corrects = self.fields["corrects"]
        corrects.queryset = ReportErratum.objects.select_related("report__member").order_by("-created_at")
        report = self.data.get("report") or self.initial.get("report")
        if str(report or "").isdigit():
            # Opened from the report's page: only that report's errata can be corrected.
            corrects.queryset = corrects.queryset.filter(report_id=int(report))

    def clean_report(self) -> ImplementationReport:
        report = self.cleaned_data["report"]
        if report.status != ReportStatus.PUBLISHED:
            raise forms.ValidationError(
                _("Only a published report can be corrected by an erratum. This report is %(status)s."),
                params={"status": report.get_status_display()},
                code="not_published",
            )
        return report

    def clean(self) -> dict:
        data = super().clean()
        report, corrects = data.get("report"), data.get("corrects")
        if report is not None and corrects is not None and corrects.report_id != report.pk:
            self.add_error("corrects", _("An erratum can only correct an erratum of the same report."))
        return data


@admin.register(ReportErratum)
class ReportErratumAdmin(SimpleHistoryAdmin):
    form = ErratumForm
    list_display = ["report", "created_at", "created_by", "short_text", "corrects"]
    list_select_related = ["report__member", "created_by", "corrects"]
    search_fields = ["report__member__name", "text", "reason"]
    date_hierarchy = "created_at"
    # The report by its number (prefilled from the report's "Add an erratum" link), with the lookup beside it.
    raw_id_fields = ["report"]
    readonly_fields = ["created_by", "created_at"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "corrects" and hasattr(field.widget, "can_add_related"):
            # Neither a report nor an erratum is added or changed from here: no "+" or pencil beside the choice.
            field.widget.can_add_related = field.widget.can_change_related = field.widget.can_delete_related = False
        return field

    @admin.display(description=_("correction"))
    def short_text(self, obj: ReportErratum) -> str:
        return Truncator(obj.text).chars(80)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["report", "corrects", "text", "reason", "language"]
        return ["report", "corrects", "text", "reason", "language", "created_by", "created_at"]

    # Recorded once: shown, never changed or deleted, by anyone (superusers included).
    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj: ReportErratum, form, change) -> None:
        # Through the report's model method: the lock, the status check and the author.
        saved = obj.report.add_erratum(
            text=obj.text, reason=obj.reason, language=obj.language, corrects=obj.corrects, by=request.user
        )
        obj.pk, obj.created_by, obj.created_at = saved.pk, saved.created_by, saved.created_at
        obj._state.adding = False


class ErratumInline(admin.TabularInline):
    """A published report's errata on its admin page; they are added on their own page (the link above the form)."""

    model = ReportErratum
    fk_name = "report"
    extra = 0
    fields = ["created_at", "text", "reason", "corrects", "created_by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
