"""The admin side of the one versioning path (core/versioning.py).

Every versioned change form, and every versioned inline row, carries the version it was opened at as a
hidden field. On save the form locks the row and compares: a stale save is refused with a clear message and
a table of the other person's values beside the staff member's own, the form keeping what they typed, now
based on the current version, so that saving again is a deliberate overwrite. The save itself goes through
`save_versioned`, like every edit in the portal.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.utils.datastructures import MultiValueDict
from django.contrib.admin import widgets as admin_widgets
from django.contrib.admin.options import FORMFIELD_FOR_DBFIELD_DEFAULTS
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext

from core.forms import LocalDateField, LocalizedDecimalField, LocalizedIntegerField, WebAddressField
from core.files import StorageFailed
from core.versioning import (
    VersionedModel, VersionedModelForm, base_state, conflict_rows, model_values, rebased_data, save_versioned, saved_by, three_way,
)

# The admin's forms read dates, figures and web addresses as the portal's own forms do (core/forms.py): 31.02.2026
# is named a day that does not exist, 566.222 is a population, www.dresden.de gets https://. Set here, before the
# portal's ModelAdmins copy these defaults when they are registered (core.admin is imported before them).
FORMFIELD_FOR_DBFIELD_DEFAULTS[models.DateField] = {**FORMFIELD_FOR_DBFIELD_DEFAULTS[models.DateField], "form_class": LocalDateField}
FORMFIELD_FOR_DBFIELD_DEFAULTS[models.URLField] = {**FORMFIELD_FOR_DBFIELD_DEFAULTS[models.URLField], "form_class": WebAddressField}
FORMFIELD_FOR_DBFIELD_DEFAULTS[models.DecimalField] = {
    "form_class": LocalizedDecimalField, "widget": forms.TextInput(attrs={"class": "vTextField"}),
}
# Populations and counts; the small integers (years, positions, progress) keep the number input, ungrouped.
for _whole in (models.IntegerField, models.PositiveIntegerField, models.BigIntegerField, models.PositiveBigIntegerField):
    FORMFIELD_FOR_DBFIELD_DEFAULTS[_whole] = {
        "form_class": LocalizedIntegerField, "widget": forms.TextInput(attrs={"class": "vIntegerField"}),
    }
FORMFIELD_FOR_DBFIELD_DEFAULTS[models.SmallIntegerField] = {"widget": admin_widgets.AdminIntegerFieldWidget}


class VersionedAdminForm(VersionedModelForm):
    """Refuses a stale save. `conflict_rows` holds what differs, for the change form's table.

    Validation locks the guarding row, so it runs inside a transaction, as the admin's change view does.
    """

    conflict_rows: list[dict[str, str]] | None = None
    # Whether the rows are the fields both changed (the version opened was found) or every field that differs.
    conflict_merged = False
    conflict_saved_by = ""
    # A history restore asks for a whole earlier state: it is never merged with what others saved meanwhile.
    merges = True

    def version_owner(self) -> models.Model | None:
        # The row whose version guards this form; a subclass may name another (a contact's member).
        return self.instance if self.instance.pk is not None else None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        owner = self.version_owner()
        if not self.is_bound and owner is not None and owner is not self.instance:
            self.fields["version"].initial = owner.version
        # A missing version is reported in clean(), where the admin shows it: a hidden field's error is invisible.
        self.fields["version"].required = False

    def clean(self) -> dict:
        cleaned = super().clean()
        owner = self.version_owner()
        if owner is None or (self.prefix and not self.has_changed()):
            return cleaned  # a new row, or an inline row the staff member left as it was
        if cleaned.get("version") is None:
            raise ValidationError(
                gettext("This form is out of date. Nothing was saved: please reload the page and make your change again."),
                code="no_version",
            )
        # Locked until the admin's transaction ends, so nobody can save between this check and the save.
        current = type(owner)._default_manager.select_for_update().get(pk=owner.pk)
        if cleaned["version"] != current.version:
            # Before _post_clean, self.instance still holds the stored values of this form's own row.
            stored = current if owner is self.instance else self.instance
            # The same merge as in the portal (core/versioning.py): against the version the staff member opened.
            base = base_state(current, cleaned["version"]) if owner is self.instance and self.merges else None
            theirs, both = [], None
            # The owner's version also guards its unversioned inline rows (contacts, narratives), whose history
            # gives no base: when any of them differs from what is stored, the whole form is in question.
            if base is not None and not _guarded_differences(getattr(self.instance, "_guarded_formsets", ())):
                mine = {name: cleaned[name] for name in self.merged_fields() if name in cleaned}
                theirs, both = three_way(current, base, mine)
                if not both:
                    # Only the other person changed these: their values are saved, the staff member's others.
                    for name in theirs:
                        cleaned[name] = getattr(current, name)
                    cleaned["version"] = current.version
                    return cleaned
            self.conflict_merged = both is not None
            self.conflict_saved_by = saved_by(current)
            self.conflict_rows = conflict_rows(self, model_values(self, stored), both)
            # Rebased on the current version: what the staff member typed stays, the other person's values where
            # they typed nothing, so that saving again reverts nothing they left alone.
            self.data = rebased_data(self.data, self, current.version, current, theirs)
            raise ValidationError(self._conflict_messages(current), code="edit_conflict")
        return cleaned

    def _conflict_messages(self, current: models.Model) -> list[str]:
        if self.conflict_merged:
            messages = [
                gettext(
                    "Not saved: someone else changed the same fields in the meantime. Your values for them are still "
                    "in the form, and the other person's changes to fields you did not touch are in it too. Choose "
                    "which value to keep for each field listed, then save again."
                )
            ]
        else:
            messages = [
                gettext(
                    "Not saved: someone else saved this in the meantime. The form still holds what was in it when you "
                    "saved; which of these values you changed is not known. Compare them with the values saved now; "
                    "saving again replaces them with what is in the form."
                )
            ]
        if self.conflict_saved_by:
            messages.append(self.conflict_saved_by + ".")
        if self.prefix:
            # An inline row has no room for the change form's table: its differences are listed with the error.
            messages += [
                gettext("%(field)s – saved now: %(theirs)s; yours: %(mine)s")
                % {"field": row["label"], "theirs": row["theirs"], "mine": row["mine"]}
                for row in self.conflict_rows or []
            ]
        if any(isinstance(field, forms.FileField) for field in self.fields.values()):
            messages.append(gettext("If you chose a file, please choose it again."))
        return messages


class VersionedAdminMixin:
    """For a ModelAdmin of a VersionedModel: the hidden version in the form, the check, the one save path.

    Versioned inline rows (the measures on a plan) use VersionedInlineMixin and are saved the same way.
    """

    form = VersionedAdminForm
    # Shows the other person's values beside the staff member's in a table above the fields.
    change_form_template = "admin/core/versioned_change_form.html"

    def get_fieldsets(self, request, obj=None):
        return _with_version(super().get_fieldsets(request, obj))

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None and _restoring(request):
            _with_current_lifecycle(obj)
        fields = kwargs["fields"] if "fields" in kwargs else self.get_fieldsets(request, obj)
        if fields is not None:
            kwargs["fields"] = _model_fields(fields)
        form = super().get_form(request, obj, change, **kwargs)
        if _restoring(request):
            form = type(form.__name__, (form,), {"merges": False})
        return form

    def _create_formsets(self, request, obj, change):
        formsets, inline_instances = super()._create_formsets(request, obj, change)
        # The change form's merge (VersionedAdminForm.clean) looks at the unversioned rows the owner guards.
        obj._guarded_formsets = [fs for fs in formsets if not issubclass(fs.model, VersionedModel)]
        return formsets, inline_instances

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        if form.conflict_rows is not None:
            # The owner's version guards its unversioned inline rows (contacts, narratives): their differences
            # belong in the same table, so that saving again overwrites nothing unseen.
            form.conflict_rows = form.conflict_rows + guarded_rows(context.get("inline_admin_formsets", []))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (StorageFailed, OSError) as error:
            if request.method != "POST" or not request.FILES:
                raise
            # The storage refused an uploaded file (disk full …); the admin's transaction kept nothing. The same
            # form is sent again without its files: the typed text is saved or shown again with its errors, and
            # only the files have to be chosen once more.
            message = error.messages[0] if isinstance(error, StorageFailed) else StorageFailed.default_message()
            messages.error(request, message)
            request._files = MultiValueDict()
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change) -> None:
        expected = form.cleaned_data.get("version") if change else None
        if _restoring(request):
            # Only what the restore form shows is written: never the lifecycle fields (read-only there), nor the
            # fields the history does not keep (created_at …), which the historical state has lost.
            names = {f.name for f in obj._meta.concrete_fields if not f.primary_key}
            fields = [name for name in form.fields if name in names and name not in obj.lifecycle_fields]
            save_versioned(obj, expected_version=expected, by=request.user, update_fields=fields)
            return
        save_versioned(obj, expected_version=expected, by=request.user)

    # --- History restore (django-simple-history's "Revert") -------------------------------------------
    # A restore is an edit like any other: it goes through save_versioned against the version the staff member
    # saw, and it leaves the lifecycle fields (a member's status and its dates) as they stand, so that the
    # status never contradicts the recorded transitions. A model that sets `history_restorable = False` offers
    # no restore at all, and a forged POST is refused.

    def revert_disabled(self, request, obj=None) -> bool:
        return not self.model.history_restorable or super().revert_disabled(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST" and self.revert_disabled(request):
            raise PermissionDenied
        request._restoring_history = True
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if _restoring(request):
            readonly += [name for name in self.model.lifecycle_fields if name not in readonly]
        return readonly

    def save_formset(self, request, form, formset, change) -> None:
        if not issubclass(formset.model, VersionedModel):
            super().save_formset(request, form, formset, change)
            return
        formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj._history_user = request.user
            obj.delete()
        for row in formset.saved_forms:
            expected = row.cleaned_data.get("version") if row.instance.pk is not None else None
            save_versioned(row.instance, expected_version=expected, by=request.user)
        formset.save_m2m()


class VersionedInlineMixin:
    """For an inline of a VersionedModel: each row carries and checks its own version."""

    form = VersionedAdminForm

    def get_fieldsets(self, request, obj=None):
        return _with_version(super().get_fieldsets(request, obj))

    def get_formset(self, request, obj=None, **kwargs):
        fields = kwargs["fields"] if "fields" in kwargs else self.get_fieldsets(request, obj)
        if fields is not None:
            kwargs["fields"] = _model_fields(fields)
        return super().get_formset(request, obj, **kwargs)


def _restoring(request) -> bool:
    return getattr(request, "_restoring_history", False)


def _with_current_lifecycle(obj: models.Model) -> None:
    """A historical state, shown for restoring: its lifecycle fields and version are the row's current ones, so
    the page shows the status as it stands and the save is checked against the version now stored."""
    current = type(obj)._default_manager.filter(pk=obj.pk).first()
    if current is None:
        return
    for name in obj.lifecycle_fields:
        field = obj._meta.get_field(name)
        setattr(obj, field.attname, getattr(current, field.attname))
    obj.version = current.version


def _guarded_differences(formsets) -> bool:
    bound = [formset for formset in formsets if formset.is_bound]
    for formset in bound:
        formset.is_valid()  # validated here already: the rows' cleaned values are compared with the stored ones
    return bool(_formset_rows(bound))


def guarded_rows(inline_admin_formsets) -> list[dict[str, str]]:
    """The differences between the posted and the stored rows of unversioned inlines."""
    return _formset_rows([inline.formset for inline in inline_admin_formsets])


def _formset_rows(formsets) -> list[dict[str, str]]:
    rows = []
    for formset in formsets:
        if issubclass(formset.model, VersionedModel) or not formset.is_bound:
            continue  # versioned rows check their own version
        # Read afresh: validation has already put the posted values onto the rows' instances.
        stored = {obj.pk: obj for obj in formset.model._default_manager.filter(**{formset.fk.name: formset.instance})}
        posted = set()
        for row in formset.forms:
            if row.instance.pk not in stored or not hasattr(row, "cleaned_data"):
                continue
            posted.add(row.instance.pk)
            current = stored[row.instance.pk]
            name = f"{formset.model._meta.verbose_name} „{current}“"
            for diff in conflict_rows(row, model_values(row, current)):
                rows.append({**diff, "label": f"{name}: {diff['label']}"})
        for pk, obj in stored.items():
            if pk not in posted:
                name = f"{formset.model._meta.verbose_name} „{obj}“"
                rows.append({"label": name, "theirs": gettext("added"), "mine": "—"})
    return rows


def _model_fields(fields) -> list[str]:
    # `version` is a field of the form, not an editable field of the model: the form factory must not ask for it.
    names = flatten_fieldsets(fields) if fields and isinstance(fields[0], (tuple, list)) else fields
    return [name for name in names if name != "version"]


def _with_version(fieldsets):
    # The hidden field travels with the first fieldset, also where the fields are declared by name.
    if "version" in flatten_fieldsets(fieldsets):
        return fieldsets
    (name, options), *rest = fieldsets
    return [(name, {**options, "fields": [*options["fields"], "version"]}), *rest]



class ReadOnlyAdminMixin:
    """A record written only by the portal itself (a log, a transition): shown, never added, edited or deleted."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# The security log: read-only. Superusers read all of it; whoever holds core.view_securityevent (the secretariat,
# to help locked-out coordinators) reads the lines of coordinator accounts only: not those of staff accounts, nor
# those naming a staff account's login (a failed login keeps only the name typed).
from django.contrib import admin  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.db.models.functions import Lower  # noqa: E402

from core.models import SecurityEvent  # noqa: E402


def security_events_visible(queryset, user):
    if user.is_superuser:
        return queryset
    staff = get_user_model().objects.filter(Q(is_staff=True) | Q(is_superuser=True))
    return (
        queryset.exclude(user__in=staff)
        .alias(username_lower=Lower("username"))
        .exclude(username_lower__in=staff.annotate(name_lower=Lower("username")).values("name_lower"))
    )


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "kind", "username", "ip_address", "path", "detail"]
    list_filter = ["kind"]
    search_fields = ["username", "ip_address", "detail"]
    date_hierarchy = "created_at"
    list_select_related = ["user"]
    readonly_fields = [f.name for f in SecurityEvent._meta.fields]

    def get_queryset(self, request):
        return security_events_visible(super().get_queryset(request), request.user)
