from django.contrib import admin

from reports.models import ImplementationReport, ReportDocument, ReportNarrative, ReportReminder, ReportTransition


class NarrativeInline(admin.StackedInline):
    model = ReportNarrative
    extra = 0


class DocumentInline(admin.TabularInline):
    model = ReportDocument
    extra = 0


class TransitionInline(admin.TabularInline):
    model = ReportTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "by", "at", "note"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ImplementationReport)
class ImplementationReportAdmin(admin.ModelAdmin):
    list_display = ["member", "period_display", "status", "submitted_at", "published_at"]
    list_filter = ["status", "member"]
    search_fields = ["member__name", "title", "summary"]
    list_select_related = ["member"]
    autocomplete_fields = ["member", "source"]
    inlines = [NarrativeInline, DocumentInline, TransitionInline]


@admin.register(ReportDocument)
class ReportDocumentAdmin(admin.ModelAdmin):
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
