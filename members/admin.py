from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from actionplan.admin import VersionBumpMixin
from reports.admin import OverdueFilter, member_report_due_column
from reports.services import members_with_due_date
from members.models import (
    Authority,
    Contact,
    CoordinatorAssignment,
    Member,
    Network,
    NetworkMembership,
    SitePage,
    Source,
    User,
    WorkingGroup,
    WorkingGroupParticipation,
)


# The secretariat's admin is named after the portal, not after Django.
admin.site.site_header = _("ECCAR Portal administration")
admin.site.site_title = _("ECCAR Portal administration")
admin.site.index_title = _("Secretariat")


class AssignmentInline(admin.TabularInline):
    model = CoordinatorAssignment
    extra = 0
    autocomplete_fields = ["member"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [AssignmentInline]
    list_display = ["username", "email", "first_name", "last_name", "is_staff", "is_active", "language"]
    fieldsets = BaseUserAdmin.fieldsets + ((_("Portal"), {"fields": ["language"]}),)


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["publisher", "title", "url", "key"]
    search_fields = ["publisher", "title", "url", "key"]


class AuthorityInline(admin.TabularInline):
    model = Authority
    extra = 0


class ContactInline(admin.StackedInline):
    model = Contact
    extra = 0


class MemberAssignmentInline(admin.TabularInline):
    model = CoordinatorAssignment
    extra = 0
    autocomplete_fields = ["user"]


class NetworkMembershipInline(admin.TabularInline):
    model = NetworkMembership
    extra = 0
    autocomplete_fields = ["network"]


@admin.register(Member)
class MemberAdmin(VersionBumpMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "country", "region", "status", "admitted_on", member_report_due_column]
    list_filter = ["status", "kind", "country", OverdueFilter]
    search_fields = ["name", "slug", "region", "authorities__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["source"]
    inlines = [AuthorityInline, ContactInline, MemberAssignmentInline, NetworkMembershipInline]
    date_hierarchy = "admitted_on"
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "country", "region", "population", "website"]}),
        (_("Lifecycle"), {"fields": ["status", "council_resolution_on", "admitted_on", "admitted_precision", "left_on"]}),
        (_("Profile"), {"fields": ["lead_department", "description", "content_language", "source"]}),
    ]

    def get_queryset(self, request):
        # The report due date as an annotation: the overdue column costs no query per row.
        return members_with_due_date(super().get_queryset(request))


@admin.register(Contact)
class ContactAdmin(SimpleHistoryAdmin):
    list_display = ["name", "member", "role", "email", "publish", "consent_given_on"]
    list_filter = ["publish", "member"]
    search_fields = ["name", "email", "member__name"]
    autocomplete_fields = ["member", "source"]

    def save_model(self, request, obj, form, change) -> None:
        # Contacts are edited with the profile, under the member's version: an edit here moves it on, so a
        # coordinator's profile form loaded before gets the conflict screen instead of overwriting this.
        super().save_model(request, obj, form, change)
        Member.objects.filter(pk=obj.member_id).update(version=F("version") + 1)
        if change and "member" in form.changed_data and form.initial.get("member"):
            Member.objects.filter(pk=form.initial["member"]).update(version=F("version") + 1)


@admin.register(CoordinatorAssignment)
class CoordinatorAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["user", "member", "role", "created_at"]
    list_filter = ["role", "member"]
    search_fields = ["user__username", "user__email", "member__name"]
    autocomplete_fields = ["user", "member"]


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "abbreviation", "founded_year"]
    search_fields = ["name", "abbreviation"]


@admin.register(NetworkMembership)
class NetworkMembershipAdmin(admin.ModelAdmin):
    list_display = ["member", "network", "since_year", "lead_department"]
    list_filter = ["network"]
    search_fields = ["member__name", "network__name"]
    autocomplete_fields = ["member", "network", "source"]


class ParticipationInline(admin.TabularInline):
    model = WorkingGroupParticipation
    extra = 0
    autocomplete_fields = ["member"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    list_display = ["name_de", "name_en", "founded_on"]
    search_fields = ["name_de", "name_en"]
    filter_horizontal = ["initiated_by"]
    prepopulated_fields = {"slug": ["name_en"]}
    inlines = [ParticipationInline]


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "member"]
    list_filter = ["kind"]
    search_fields = ["name", "member__name"]
    list_select_related = ["member"]


@admin.register(SitePage)
class SitePageAdmin(admin.ModelAdmin):
    list_display = ["key", "title_de", "title_en", "updated_at"]
    readonly_fields = ["updated_at"]

    def has_add_permission(self, request) -> bool:
        # The three pages exist from the start (data migration); a fourth key has no URL.
        return SitePage.objects.count() < len(SitePage._meta.get_field("key").choices)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
