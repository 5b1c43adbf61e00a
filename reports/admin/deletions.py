"""The traces of deleted report drafts and of corrected periods: read-only, for the secretariat, also shown on the
member's and the report's admin page."""

from __future__ import annotations

from django.contrib import admin
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


class ReportDeletionInline(admin.TabularInline):
    """On the member's admin page: the drafts of this member that were deleted, by whom and when."""

    model = ReportDeletion
    extra = 0
    can_delete = False
    fields = ["period_start", "period_end", "title", "deleted_by", "deleted_at", "narratives", "documents"]
    readonly_fields = fields
    verbose_name_plural = _("deleted report drafts")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


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
