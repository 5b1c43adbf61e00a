"""The member list with the report deadline: a due column, an overdue and an "on hold proposed" filter, and the
action that sends a reminder now."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from members.admin import MemberAdmin
from members.models import Member
from members.services import COORDINATED_STATUSES
from reports.admin.deletions import deleted_drafts_list
from reports.models import ReminderKind, ReportReminder
from reports.member_export import export_members_csv, export_members_xlsx
from reports.services import add_months, members_overdue, members_proposed_for_on_hold, members_with_due_date, report_deadline


class OverdueFilter(admin.SimpleListFilter):
    """Members whose next report is past due. Used on the member and the report changelists."""

    title = _("report overdue")
    parameter_name = "report_overdue"
    member_lookup = "pk__in"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() not in ("yes", "no"):
            return queryset
        # Only members who still report can be overdue (a former member's old deadline is nobody's work): the work
        # queue's line links here with this filter alone, so its link needs no raw status codes.
        overdue = members_overdue(Member.objects.filter(status__in=COORDINATED_STATUSES)).values("pk")
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


@admin.register(ReportReminder)
class ReportReminderAdmin(admin.ModelAdmin):
    list_display = ["member", "due_on", "kind", "sequence", "channel", "sent_at"]
    list_filter = ["kind", "channel"]
    search_fields = ["member__name"]
    list_select_related = ["member"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class MemberWithReportsAdmin(MemberAdmin):
    """The member list with the report deadline: a column and an overdue filter."""

    list_display = [*MemberAdmin.list_display, member_report_due_column]
    list_filter = [*MemberAdmin.list_filter, OverdueFilter, ProposedOnHoldFilter]
    actions = [*MemberAdmin.actions, "send_report_reminder", export_members_xlsx, export_members_csv]
    # The deleted report drafts of the member: a read-only list, not an inline (an inline would add a formset that
    # every save of the member form has to carry).
    member_deletions_fieldset = (_("Deleted report drafts"), {"fields": ["deleted_report_drafts"]})

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and obj.report_deletions.exists():
            fieldsets.append(self.member_deletions_fieldset)
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "deleted_report_drafts"]

    @admin.display(description=_("deleted report drafts"))
    def deleted_report_drafts(self, obj: Member) -> str:
        return deleted_drafts_list(obj)

    @admin.action(description=_("Send a report reminder now"), permissions=["change"])
    def send_report_reminder(self, request, queryset):
        """A preview first (who receives it, who only through a published contact, whom nothing reaches), then,
        with "apply", the reminders."""
        from members.notifications import REACH_PREFETCH, member_reach
        from reports import notifications

        rows = []
        for member in queryset.prefetch_related("reports", *REACH_PREFETCH).order_by("name"):
            deadline = report_deadline(member=member, reports=list(member.reports.all()))
            rows.append({"member": member, "reach": member_reach(member), "deadline": deadline})
        undated = [row for row in rows if row["deadline"].due_on is None]
        dated = [row for row in rows if row["deadline"].due_on is not None]
        nobody = [row for row in dated if row["reach"].nobody]
        if "apply" not in request.POST:
            context = {
                **self.admin_site.each_context(request),
                "title": gettext("Send a report reminder now"), "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME, "members": [row["member"] for row in rows],
                "to_coordinators": [row for row in dated if row["reach"].coordinators],
                "by_contact": [row for row in dated if row["reach"].by_contact],
                "nobody": nobody, "undated": undated,
                "nobody_note": gettext("Nothing is sent to them; please reach them another way or invite a coordinator."),
            }
            return TemplateResponse(request, "admin/reports/reminder_preview.html", context)
        sent = 0
        for row in dated:
            reach, deadline = row["reach"], row["deadline"]
            if reach.nobody:
                continue
            kind = ReminderKind.OVERDUE if deadline.is_overdue else ReminderKind.DUE
            notifications.report_reminder(
                member=row["member"], deadline=deadline, kind=kind, users=reach.coordinators, contacts=reach.contacts
            )
            sent += len(reach.coordinators) or len(reach.contacts)
        if sent:
            self.message_user(request, gettext("%(count)d reminder(s) sent.") % {"count": sent}, messages.SUCCESS)
        if nobody:
            names = ", ".join(str(row["member"]) for row in nobody)
            self.message_user(
                request, gettext("Not reached (no coordinator and no published contact with an e-mail address): %(members)s") % {"members": names},
                messages.WARNING,
            )
        if undated:
            names = ", ".join(str(row["member"]) for row in undated)
            self.message_user(request, gettext("No report due date, so no reminder: %(members)s") % {"members": names}, messages.WARNING)
        return None

    def get_queryset(self, request):
        # The report due date as an annotation: the overdue column costs no query per row.
        return members_with_due_date(super().get_queryset(request))


admin.site.unregister(Member)
admin.site.register(Member, MemberWithReportsAdmin)
