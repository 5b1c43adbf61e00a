from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from actionplan import services
from actionplan.models import ActionPlan, Commitment, Indicator, IndicatorValue, Measure, MeasureUpdate
from core.admin import VersionedAdminForm, VersionedAdminMixin, VersionedInlineMixin
from core.forms import PdfFileField


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = ["number", "title_de", "title_en"]
    search_fields = ["title_de", "title_en"]
    ordering = ["number"]


class MeasureInline(VersionedInlineMixin, admin.TabularInline):
    model = Measure
    extra = 0
    fields = ["commitment", "title", "status", "progress", "is_public", "retired_at"]
    readonly_fields = ["retired_at"]
    show_change_link = True
    # Measures are retired, never deleted (the measure list has the action), so a stale form cannot delete one.
    can_delete = False


class ActionPlanAdminForm(VersionedAdminForm):
    class Meta:
        model = ActionPlan
        fields = "__all__"
        # The council resolution uploaded here passes the same PDF check as the coordinator's form.
        field_classes = {"resolution_document": PdfFileField}


@admin.register(ActionPlan)
class ActionPlanAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    form = ActionPlanAdminForm
    list_display = ["member", "adopted_on", "adopting_body"]
    search_fields = ["member__name", "adopting_body"]
    list_filter = ["member__country", "member"]
    autocomplete_fields = ["member", "source"]
    inlines = [MeasureInline]

    def save_model(self, request, obj, form, change) -> None:
        # The portal's own save path: a new resolution is written with its row, a replaced or cleared one is
        # deleted after the commit (the admin would otherwise leave it on disk for good).
        expected = form.cleaned_data.get("version") if change else None
        services.plan_adoption_save(plan=obj, expected_version=expected, by=request.user)


class MeasureUpdateInline(VersionedInlineMixin, admin.TabularInline):
    # Timeline entries are versioned (coordinators correct them): an admin edit checks the version too.
    model = MeasureUpdate
    extra = 0
    fields = ["date", "text", "status_change", "author"]
    autocomplete_fields = ["author"]


class RetiredFilter(admin.SimpleListFilter):
    """"Retired: yes / no" reads better for the secretariat than "retired at: empty / not empty"."""

    title = _("retired")
    parameter_name = "retired"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(retired_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(retired_at__isnull=True)
        return queryset


@admin.register(Measure)
class MeasureAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "member_name", "commitment", "status", "progress", "is_public", "retired_at"]
    list_filter = ["commitment", "status", "is_public", RetiredFilter, "plan__member"]
    search_fields = ["title", "description", "plan__member__name"]
    list_select_related = ["plan__member", "commitment"]
    autocomplete_fields = ["plan", "source"]
    readonly_fields = ["retired_at", "retired_by"]
    inlines = [MeasureUpdateInline]
    actions = ["retire", "restore"]

    @admin.action(description=_("Retire the selected measures"), permissions=["change"])
    def retire(self, request: HttpRequest, queryset: QuerySet[Measure]) -> None:
        measures = list(queryset.filter(retired_at__isnull=True))
        for measure in measures:
            measure.retire(by=request.user)  # the same path as the coordinator's "retire"
        self.message_user(
            request, ngettext("%(count)d measure retired.", "%(count)d measures retired.", len(measures)) % {"count": len(measures)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Restore the selected retired measures"), permissions=["change"])
    def restore(self, request: HttpRequest, queryset: QuerySet[Measure]) -> None:
        measures = list(queryset.filter(retired_at__isnull=False))
        for measure in measures:
            measure.restore(by=request.user)  # the history records the restoration and who did it
        self.message_user(
            request, ngettext("%(count)d measure restored.", "%(count)d measures restored.", len(measures)) % {"count": len(measures)},
            messages.SUCCESS,
        )

    @admin.display(description=_("member"), ordering="plan__member__name")
    def member_name(self, obj: Measure) -> str:
        return obj.plan.member.name


@admin.register(MeasureUpdate)
class MeasureUpdateAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["measure", "date", "status_change", "author"]
    list_filter = ["status_change", "measure__commitment", "measure__plan__member"]
    search_fields = ["text", "measure__title"]
    list_select_related = ["measure", "author"]
    autocomplete_fields = ["measure", "author"]


class IndicatorValueInline(VersionedInlineMixin, admin.TabularInline):
    model = IndicatorValue
    extra = 0
    fields = ["date", "value", "source", "note", "author"]
    autocomplete_fields = ["author"]


@admin.register(Indicator)
class IndicatorAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "member_name", "commitment", "measure", "unit", "target_value", "is_public", "retired_at"]
    list_filter = ["commitment", "is_public", RetiredFilter, "plan__member"]
    search_fields = ["name", "plan__member__name"]  # also for the values' autocomplete
    list_select_related = ["plan__member", "commitment", "measure"]
    autocomplete_fields = ["plan", "measure"]
    readonly_fields = ["retired_at", "retired_by"]
    inlines = [IndicatorValueInline]
    actions = ["retire", "restore"]

    @admin.action(description=_("Retire the selected indicators"), permissions=["change"])
    def retire(self, request: HttpRequest, queryset: QuerySet[Indicator]) -> None:
        indicators = list(queryset.filter(retired_at__isnull=True))
        for indicator in indicators:
            indicator.retire(by=request.user)
        self.message_user(
            request,
            ngettext("%(count)d indicator retired.", "%(count)d indicators retired.", len(indicators)) % {"count": len(indicators)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Restore the selected retired indicators"), permissions=["change"])
    def restore(self, request: HttpRequest, queryset: QuerySet[Indicator]) -> None:
        indicators = list(queryset.filter(retired_at__isnull=False))
        for indicator in indicators:
            indicator.restore(by=request.user)
        self.message_user(
            request,
            ngettext("%(count)d indicator restored.", "%(count)d indicators restored.", len(indicators)) % {"count": len(indicators)},
            messages.SUCCESS,
        )

    @admin.display(description=_("member"), ordering="plan__member__name")
    def member_name(self, obj: Indicator) -> str:
        return obj.plan.member.name


@admin.register(IndicatorValue)
class IndicatorValueAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["indicator", "date", "value", "author"]
    list_filter = ["indicator__commitment", "indicator__plan__member"]
    search_fields = ["indicator__name", "source", "note"]
    list_select_related = ["indicator", "author"]
    autocomplete_fields = ["indicator", "author"]
