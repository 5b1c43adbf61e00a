from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyAdminMixin, VersionedAdminForm, VersionedAdminMixin
from core.countries import country_name
from core.versioning import bump_version
from members.import_admin import MemberImportAdminMixin
from members.lifecycle_admin import MemberLifecycleAdminMixin, TransitionInline
from members.user_admin import CoordinatorChoiceMixin, UserAdmin
from members.note_admin import MemberNoteInline
from members.models import (
    Authority,
    Contact,
    CoordinatorAssignment,
    Member,
    MembershipTransition,
    MembershipTransitionCorrection,
    Network,
    NetworkMembership,
    SitePage,
    Source,
    User,
    WorkingGroup,
    WorkingGroupParticipation,
)
from members.services import members_without_coordinator
from members.site_page_defaults import still_default


# The secretariat's admin is named after the portal, not after Django.
admin.site.site_header = _("ECCAR Portal administration")
admin.site.site_title = _("ECCAR Portal administration")
admin.site.index_title = _("Secretariat")
# The side navigation repeats the index and took a quarter of a 1280 px screen from the lists.
admin.site.enable_nav_sidebar = False


class CountryFilter(admin.SimpleListFilter):
    """The countries the list's rows are in (members, applications), by name: not the world's 250 choices."""

    title = _("country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        codes = model_admin.model._default_manager.exclude(country="").order_by("country").values_list("country", flat=True).distinct()
        return sorted(((c, country_name(c)) for c in codes), key=lambda pair: pair[1])

    def queryset(self, request, queryset):
        return queryset.filter(country=self.value()) if self.value() else queryset


class WithoutCoordinatorFilter(admin.SimpleListFilter):
    """The queue's "members without a coordinator": the same query, so the list shows exactly what it counts."""

    title = _("coordinator")
    parameter_name = "coordinator"

    def lookups(self, request, model_admin):
        return [("none", _("none with an active account"))]

    def queryset(self, request, queryset):
        if self.value() != "none":
            return queryset
        return members_without_coordinator(queryset)


# Accounts: members/user_admin.py (who may grant which power, help for locked-out people).
admin.site.register(User, UserAdmin)


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["publisher", "title", "url", "key"]
    search_fields = ["publisher", "title", "url", "key"]


class LabelledRowsInline(admin.TabularInline):
    """Django's tabular inline names its columns in the table head but gives a row's inputs no label: each input
    gets its column's name, for screen readers (axe: label, select-name)."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class Labelled(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                for field in form.fields.values():
                    field.widget.attrs.setdefault("aria-label", str(field.label))

        return Labelled


class AuthorityInline(LabelledRowsInline):
    model = Authority
    extra = 0


class ContactInline(admin.StackedInline):
    model = Contact
    extra = 0


class MemberAssignmentInline(CoordinatorChoiceMixin, LabelledRowsInline):
    model = CoordinatorAssignment
    extra = 0
    autocomplete_fields = ["user"]


class NetworkMembershipInline(LabelledRowsInline):
    model = NetworkMembership
    extra = 0
    # The source as a search box, not a select as wide as its longest title, and a small note: with Düsseldorf's
    # eight networks the row was 2,549 px wide.
    autocomplete_fields = ["network", "source"]
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 30})},
        models.CharField: {"widget": forms.TextInput(attrs={"size": 20})},
        models.PositiveSmallIntegerField: {"widget": forms.NumberInput(attrs={"class": "vPositiveSmallIntegerField"})},
    }


@admin.register(Member)
class MemberAdmin(MemberImportAdminMixin, MemberLifecycleAdminMixin, VersionedAdminMixin, SimpleHistoryAdmin):
    # reports/admin.py adds the report deadline column and filter.
    # Few, short columns: the list, its filters and the report due column (reports/admin.py) fit 1280 px.
    list_display = ["name", "country", "status", "admitted_short"]
    list_filter = ["status", "kind", CountryFilter, WithoutCoordinatorFilter]
    # A person finds their member: contact persons and coordinators by name and e-mail (the changelist shows
    # each member once however many of its people match).
    search_fields = [
        "name", "slug", "region", "authorities__name", "contacts__name", "contacts__email",
        "assignments__user__username", "assignments__user__first_name", "assignments__user__last_name", "assignments__user__email",
    ]
    search_help_text = _("Name, region or authority of the member, or the name, user name or e-mail of a contact person or coordinator.")
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["source"]
    inlines = [AuthorityInline, ContactInline, MemberAssignmentInline, NetworkMembershipInline, TransitionInline, MemberNoteInline]
    date_hierarchy = "admitted_on"
    actions = ["change_status"]

    @admin.display(description=_("admitted"), ordering="admitted_on")
    def admitted_short(self, obj: Member) -> str:
        return obj.admitted_display or "–"
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "country", "region", "population", "website"]}),
        (_("Lifecycle"), {"fields": ["status", "status_since", "council_resolution_on", "admitted_on", "admitted_precision", "left_on"]}),
        (_("Profile"), {"fields": ["lead_department", "description", "content_language", "source"]}),
    ]


class ContactAdminForm(VersionedAdminForm):
    """Contacts are edited with the profile, under the member's version: the form carries and checks it."""

    class Meta:
        model = Contact
        fields = "__all__"

    def version_owner(self) -> Member | None:
        return self.instance.member if self.instance.pk is not None else None


@admin.register(Contact)
class ContactAdmin(SimpleHistoryAdmin):
    form = ContactAdminForm
    list_display = ["name", "member", "role", "email", "publish", "consent_given_on"]
    list_filter = ["publish", "member"]
    search_fields = ["name", "email", "member__name"]
    autocomplete_fields = ["member", "source"]

    change_form_template = "admin/core/versioned_change_form.html"

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        # The member's version moves on, so a coordinator's profile form opened before is told of this edit;
        # a contact moved to another member changes that member's profile too.
        for member_id in {obj.member_id, form.initial.get("member") if change else None} - {None}:
            bump_version(Member, member_id)

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        bump_version(Member, obj.member_id)

    def delete_queryset(self, request, queryset) -> None:
        member_ids = set(queryset.values_list("member_id", flat=True))
        super().delete_queryset(request, queryset)
        for member_id in member_ids:
            bump_version(Member, member_id)


@admin.register(CoordinatorAssignment)
class CoordinatorAssignmentAdmin(CoordinatorChoiceMixin, SimpleHistoryAdmin):
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


class SitePagePlaceholderFilter(admin.SimpleListFilter):
    title = _("text")
    parameter_name = "placeholder"

    def lookups(self, request, model_admin):
        return [("yes", _("still the placeholder text"))]

    def queryset(self, request, queryset):
        if self.value() != "yes":
            return queryset
        return queryset.filter(pk__in=[p.pk for p in SitePage.objects.only("key", "body_de") if still_default(p.key, p.body_de)])


@admin.register(SitePage)
class SitePageAdmin(admin.ModelAdmin):
    list_display = ["key", "title_de", "title_en", "updated_at"]
    list_filter = [SitePagePlaceholderFilter]
    readonly_fields = ["updated_at"]

    def has_add_permission(self, request) -> bool:
        # The three pages exist from the start (data migration); a fourth key has no URL.
        return SitePage.objects.count() < len(SitePage._meta.get_field("key").choices)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(MembershipTransition)
class MembershipTransitionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    # A record: written only by the lifecycle methods, never edited.
    list_display = ["member", "from_status", "to_status", "effective_on", "state", "by", "at"]
    list_filter = ["to_status"]
    search_fields = ["member__name", "reason"]
    readonly_fields = [f.name for f in MembershipTransition._meta.fields]
    list_select_related = ["member", "by"]

    @admin.display(description=_("state"))
    def state(self, obj: MembershipTransition) -> str:
        return obj.state_display


@admin.register(MembershipTransitionCorrection)
class MembershipTransitionCorrectionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    # A record: written only by the "correct the date" step on a member's status page.
    list_display = ["transition", "original_on", "corrected_on", "by", "at"]
    search_fields = ["transition__member__name", "reason"]
    readonly_fields = [f.name for f in MembershipTransitionCorrection._meta.fields]
    list_select_related = ["transition__member", "by"]


# Registered in their own modules.
from members import application_admin, invitation_admin  # noqa: E402, F401
