"""The one way to save an edited row that carries a `version`: optimistic locking, in the portal and the admin.

A form remembers the version it was opened at. Saving claims the row with
`UPDATE … SET version = version + 1 WHERE id = … AND version = n`; only when that matched are the new values
written, through `save()`, so django-simple-history records who changed what. The claim holds the row lock
until the transaction ends: a second writer waits, then finds the version moved on and gets `EditConflict`
instead of silently overwriting. `version` is incremented in this module and nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar

from django import forms
from django.core.files import File
from django.db import models
from django.db.models import F
from django.db.models.fields.files import FieldFile
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.display import display_value


class VersionedModel(models.Model):
    """A row whose edits are guarded by optimistic locking; write it only through `save_versioned`."""

    version = models.PositiveIntegerField(default=1, editable=False)

    # Fields that only the model's own lifecycle steps write (a status and the dates of its transitions): a
    # history restore in the admin (core/admin.py) leaves them as they stand.
    lifecycle_fields: ClassVar[tuple[str, ...]] = ()
    # False where going back to an earlier state is never right (a report the town delivered): the admin's
    # history then only shows the states, it offers no restore.
    history_restorable: ClassVar[bool] = True

    class Meta:
        abstract = True


class EditConflict(Exception):
    """Someone else saved in between; `current` is the row as it now stands in the database."""

    def __init__(self, current: models.Model) -> None:
        super().__init__(f"{type(current).__name__} {current.pk} was changed by someone else")
        self.current = current


def _auto_now_fields(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]


def save_versioned(
    instance: VersionedModel, *, expected_version: int | None, by=None, update_fields: Iterable[str] | None = None
) -> None:
    """Create `instance`, or save its edited values if nobody saved the row since `expected_version`.

    Raises EditConflict, with nothing written, when the stored version has moved on. A caller that already
    holds the row lock (`select_for_update`) passes the locked row's own version: the claim then always
    matches, and the version still moves on, so that every open form learns of the change.
    """
    if by is not None:
        instance._history_user = by
    if instance._state.adding:
        instance.save()
        return
    if expected_version is None:
        raise ValueError("An existing row is saved only against the version its editor started from.")
    manager = type(instance)._default_manager
    claimed = manager.filter(pk=instance.pk, version=expected_version).update(version=F("version") + 1)
    if not claimed:
        raise EditConflict(manager.get(pk=instance.pk))
    instance.version = expected_version + 1
    if update_fields is not None:
        update_fields = {*update_fields, "version", *_auto_now_fields(type(instance))}
    instance.save(update_fields=update_fields)


def bump_version(model: type[VersionedModel], pk: Any) -> None:
    """Move a row's version on without touching its values: for a change to rows it guards (a member's
    contacts), so that a form opened before is told of the conflict."""
    model._default_manager.filter(pk=pk).update(version=F("version") + 1)


# --- Forms ------------------------------------------------------------------------------------------


class VersionField(forms.IntegerField):
    """The version the user started editing from, sent back with the form."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", True)
        super().__init__(min_value=0, **kwargs)

    def has_changed(self, initial, data) -> bool:
        # A bound form has no initial version to compare with; the version is bookkeeping, never the user's edit.
        return False


class VersionedModelForm(forms.ModelForm):
    """A model form that carries the instance's version; the save compares it (`save_versioned`)."""

    version = VersionField()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["version"].initial = getattr(self.instance, "version", None)


def _comparable(value: Any) -> Any:
    if isinstance(value, (File, FieldFile)):
        return value.name or None
    if hasattr(value, "pk"):
        return value.pk
    # An empty text field and "not stated" are the same to a reader; 0 is not.
    return None if value == "" else value


def model_values(form: forms.BaseForm, current: models.Model) -> dict[str, Any]:
    """The stored values of `current` for the fields of `form`."""
    return {name: getattr(current, name) for name in form.fields if name != "version" and hasattr(current, name)}


def conflict_rows(form: forms.BaseForm, current_values: Mapping[str, Any]) -> list[dict[str, str]]:
    """The fields where the user's unsaved value differs from what the other person saved."""
    rows = []
    for name, field in form.fields.items():
        if name == "version" or name not in form.cleaned_data or name not in current_values:
            continue
        mine, theirs = _comparable(form.cleaned_data[name]), _comparable(current_values[name])
        if mine != theirs:
            rows.append({"label": str(field.label), "theirs": display_value(field, theirs), "mine": display_value(field, mine)})
    return rows


def rebased_data(data: QueryDict, form: forms.BaseForm, version: int) -> QueryDict:
    """The user's typed values, now based on the current version: saving again is a deliberate overwrite."""
    data = data.copy()
    data[form.add_prefix("version")] = str(version)
    return data


def edit_conflict_response(
    request: HttpRequest,
    conflict: EditConflict,
    *,
    form: forms.BaseForm,
    rebind: Callable[[QueryDict, models.Model], forms.BaseForm],
    page: Callable[[forms.BaseForm, dict], HttpResponse],
    values: Mapping[str, Any] | None = None,
    **extra: Any,
) -> HttpResponse:
    """The 409 screen: the other person's values beside the user's, the form still holding what they typed.

    `rebind(data, current)` builds the form again from posted data on the current row, `page(form, conflict)`
    renders the editor with it and the conflict (`{"current", "rows", **extra}`), `values` are the stored values
    to compare (default: the model's fields).
    """
    current = conflict.current
    rows = conflict_rows(form, model_values(form, current) if values is None else values)
    rebased = rebind(rebased_data(request.POST, form, current.version), current)
    rebased.is_valid()  # shows the typed values with any field errors they have
    response = page(rebased, {"current": current, "rows": rows, **extra})
    response.status_code = 409
    return response


# --- Many rows at once ------------------------------------------------------------------------------


def create_versioned_many(instances: list[VersionedModel], *, by=None) -> list[VersionedModel]:
    """Create many rows in a fixed number of statements, each with its history record naming `by`: an import
    of a thousand rows costs what an import of ten does."""
    if not instances:
        return []
    return bulk_create_with_history(instances, type(instances[0]), default_user=by)


def save_versioned_many(
    instances: list[VersionedModel], *, expected_versions: Mapping[Any, int], fields: Iterable[str], by=None
) -> tuple[list[VersionedModel], list[VersionedModel]]:
    """Save the edited `fields` of many rows, each only if nobody saved it since its expected version.

    The rows are locked first (one query; call within a transaction), so nobody saves in between; a row whose
    stored version has moved on is left as it stands. Returns (saved, conflicts), the conflicts as they now stand
    in the database. The saved rows get their history records naming `by` and their version moved on, as
    `save_versioned` would; in a fixed number of statements however many rows there are.
    """
    if not instances:
        return [], []
    model = type(instances[0])
    manager = model._default_manager
    locked = manager.select_for_update().in_bulk([instance.pk for instance in instances])
    saved, conflicts = [], []
    for instance in instances:
        current = locked.get(instance.pk)
        if current is None:
            continue  # deleted meanwhile: nothing to save it into
        if current.version != expected_versions[instance.pk]:
            conflicts.append(current)
            continue
        instance.version = current.version + 1
        saved.append(instance)
    if saved:
        auto_now = _auto_now_fields(model)
        now = timezone.now()
        for instance in saved:
            for name in auto_now:
                setattr(instance, name, now)
        bulk_update_with_history(saved, model, [*fields, "version", *auto_now], default_user=by)
    return saved, conflicts
