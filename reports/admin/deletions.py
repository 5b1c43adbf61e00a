"""The traces of deleted report drafts and of corrected periods: read-only, for the secretariat, also shown on the
member's and the report's admin page."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdminMixin
from reports.models import ReportDeletion, ReportPeriodChange

DELETION_FIELDS = [
    "member", "report_number", "period_start", "period_end", "period_label", "title", "created_by", "report_created_at",
    "deleted_by", "deleted_at", "narratives", "documents",
]


@admin.register(ReportDeletion)
class ReportDeletionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["member", "period", "title", "deleted_by", "deleted_at"]
    list_filter = ["deleted_at"]
    search_fields = ["member__name", "title"]
    list_select_related = ["member", "deleted_by"]
    fields = DELETION_FIELDS
    readonly_fields = DELETION_FIELDS
    date_hierarchy = "deleted_at"

    @admin.display(description=_("period"))
    def period(self, obj: ReportDeletion) -> str:
        return obj.period_display


def deleted_drafts_list(member) -> str:
    """The member's deleted drafts for its admin page: period, title, who deleted it and when, linked to the record."""
    rows = member.report_deletions.select_related("deleted_by")
    return format_html_join(
        "", '<p><a href="{}">{}</a>{} – {} {}, {}</p>',
        (
            (
                reverse("admin:reports_reportdeletion_change", args=[d.pk]), d.period_display, f" „{d.title}“" if d.title else "",
                gettext("deleted by"), d.deleted_by.get_full_name() or d.deleted_by.username if d.deleted_by else "–",
                date_format(timezone.localtime(d.deleted_at), "SHORT_DATETIME_FORMAT"),
            )
            for d in rows
        ),
    )


@admin.register(ReportPeriodChange)
class ReportPeriodChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["report", "old_start", "old_end", "new_start", "new_end", "by", "at"]
    list_select_related = ["report__member", "by"]
    search_fields = ["report__member__name"]
    fields = ["report", "old_start", "old_end", "old_label", "new_start", "new_end", "by", "at", "confirmed"]
    readonly_fields = fields


class PeriodChangeInline(admin.TabularInline):
    model = ReportPeriodChange
    extra = 0
    can_delete = False
    fields = ["old_start", "old_end", "new_start", "new_end", "by", "at", "confirmed"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
