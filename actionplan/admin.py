from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from actionplan.models import ActionPlan, Commitment, Measure, MeasureUpdate
from core.files import validate_pdf


class VersionBumpMixin:
    """An edit in the admin is a new version: a coordinator's form loaded before it gets the conflict screen
    instead of silently overwriting the secretariat's change (the editor compares versions on save)."""

    def save_model(self, request, obj, form, change) -> None:
        if change and obj.pk is not None:
            obj.version += 1
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change) -> None:
        # The same for inline rows (the measures on a plan's page).
        for row in formset.forms:
            if row.instance.pk is not None and row.has_changed() and hasattr(row.instance, "version"):
                row.instance.version += 1
        super().save_formset(request, form, formset, change)


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = ["number", "title_de", "title_en"]
    search_fields = ["title_de", "title_en"]
    ordering = ["number"]


class MeasureInline(admin.TabularInline):
    model = Measure
    extra = 0
    fields = ["commitment", "title", "status", "progress", "is_public", "retired_at"]
    readonly_fields = ["retired_at"]
    show_change_link = True


class ActionPlanAdminForm(forms.ModelForm):
    """The council resolution uploaded in the admin passes the same PDF check as the coordinator's form."""

    class Meta:
        model = ActionPlan
        fields = "__all__"

    def clean_resolution_document(self):
        upload = self.cleaned_data.get("resolution_document")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            validate_pdf(upload)
        return upload


@admin.register(ActionPlan)
class ActionPlanAdmin(VersionBumpMixin, SimpleHistoryAdmin):
    form = ActionPlanAdminForm
    list_display = ["member", "adopted_on", "adopting_body"]
    search_fields = ["member__name", "adopting_body"]
    list_filter = ["member__country", "member"]
    autocomplete_fields = ["member", "source"]
    inlines = [MeasureInline]


class MeasureUpdateInline(admin.TabularInline):
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
class MeasureAdmin(VersionBumpMixin, SimpleHistoryAdmin):
    list_display = ["title", "member_name", "commitment", "status", "progress", "is_public", "retired_at"]
    list_filter = ["commitment", "status", "is_public", RetiredFilter, "plan__member"]
    search_fields = ["title", "description", "plan__member__name"]
    list_select_related = ["plan__member", "commitment"]
    autocomplete_fields = ["plan", "source"]
    readonly_fields = ["retired_at", "retired_by"]
    inlines = [MeasureUpdateInline]
    actions = ["restore"]

    @admin.action(description=_("Restore the selected retired measures"), permissions=["change"])
    def restore(self, request: HttpRequest, queryset: QuerySet[Measure]) -> None:
        restored = 0
        for measure in queryset.filter(retired_at__isnull=False):
            measure.restore()  # through save(): the history records the restoration and who did it
            restored += 1
        self.message_user(
            request, ngettext("%(count)d measure restored.", "%(count)d measures restored.", restored) % {"count": restored},
            messages.SUCCESS,
        )

    @admin.display(description=_("member"), ordering="plan__member__name")
    def member_name(self, obj: Measure) -> str:
        return obj.plan.member.name


@admin.register(MeasureUpdate)
class MeasureUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["measure", "date", "status_change", "author"]
    list_filter = ["status_change", "measure__commitment", "measure__plan__member"]
    search_fields = ["text", "measure__title"]
    list_select_related = ["measure", "author"]
    autocomplete_fields = ["measure", "author"]
