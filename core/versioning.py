"""The one way to save an edited row that carries a `version`: optimistic locking, in the portal and the admin.

A form remembers the version it was opened at. Saving claims the row with
`UPDATE … SET version = version + 1 WHERE id = … AND version = n`; only when that matched are the new values
written, through `save()`, so django-simple-history records who changed what. The claim holds the row lock
until the transaction ends: a second writer waits, then finds the version moved on. `version` is incremented
in this module and nowhere else.

When the version has moved on, the save merges instead of refusing outright: it compares three states of the
form's fields, the version the editor opened (BASE, found in the history by the version the form carries), what
they submitted, and what is stored now. A field only the other person changed keeps their value, a field only
this editor changed is saved; only a field both changed, to different values, is a conflict (`EditConflict`
with `fields`), and nothing is written. Without a base (a form opened before the history kept versions)
the whole form is the conflict, as before (`EditConflict` with `fields=None`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar

from django import forms
from django.core.files import File
from django.db import models, transaction
from django.db.models import F
from django.db.models.fields.files import FieldFile
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import formats, timezone
from django.utils.translation import gettext
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
    """Someone else saved in between; `current` is the row as it now stands in the database.

    `fields` are the fields both changed (to different values), `theirs` the fields only the other person changed;
    `fields` is None when the version the editor started from is unknown: then the whole form is in question.
    """

    def __init__(self, current: models.Model, *, fields: list[str] | None = None, theirs: list[str] = ()) -> None:
        super().__init__(f"{type(current).__name__} {current.pk} was changed by someone else")
        self.current = current
        self.fields = fields
        self.theirs = list(theirs)


_MISSING = object()


def _stored(obj: Any, field: models.Field) -> Any:
    # A historical record keeps a foreign key by its id and a file by its name, like the row's own attname.
    return _comparable(getattr(obj, field.attname, _MISSING))


def base_state(current: models.Model, version: int | None) -> Any | None:
    """The historical record of `current` as it stood at `version`, or None when the history does not know it.

    A version moved on by `bump_version` alone has no record of its own: the values are those of the latest
    record before it. Records from before the history kept versions carry version 0 and are never a base.
    """
    history = getattr(current, "history", None)
    if history is None or not version or version < 1:
        return None
    return (
        history.filter(version__gte=1, version__lte=version)
        .exclude(history_type="-")
        .order_by("-version", "-history_date", "-history_id")
        .first()
    )


def three_way(current: models.Model, base: Any, mine: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """(only theirs, both changed): the fields of `mine` (submitted values by field name) compared with `base`
    and `current`. A field the history does not keep counts as changed by both when the values differ."""
    theirs, both = [], []
    for name, value in mine.items():
        field = current._meta.get_field(name)
        ours, stored, before = _comparable(value), _stored(current, field), _stored(base, field)
        if ours == stored:
            continue
        if before is not _MISSING and ours == before:
            theirs.append(name)
        elif before is _MISSING or stored != before:
            both.append(name)
    return theirs, both


def edited_fields(instance: models.Model) -> list[str]:
    """The model fields a VersionedModelForm wrote onto `instance` (empty when no such form did)."""
    return list(getattr(instance, "_versioned_form_fields", ()))


def _auto_now_fields(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]


def save_versioned(
    instance: VersionedModel,
    *,
    expected_version: int | None,
    by=None,
    update_fields: Iterable[str] | None = None,
    merge: bool = True,
) -> None:
    """Create `instance`, or save its edited values if nobody saved the row since `expected_version`.

    When the stored version has moved on, the fields a VersionedModelForm wrote are merged (see above); raises
    EditConflict, with nothing written, when they cannot be. `merge=False` where the version also guards rows
    without a history of versions (a member's contacts) that the same save changes. A caller that already
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
        fields = edited_fields(instance) if merge else []
        if not fields:
            raise EditConflict(manager.get(pk=instance.pk))
        with transaction.atomic():
            _merge_onto(instance, expected_version, fields, manager)
            _write(instance, instance.version, update_fields)
        return
    _write(instance, expected_version, update_fields)


def save_bookkeeping(instance: VersionedModel, *, fields: Iterable[str], by=None) -> None:
    """Save fields that are no edit of the row's content (a mark, who set it and when): recorded in the history
    like every save, naming `by`, but the version stays, so that the forms open on the row still save."""
    if by is not None:
        instance._history_user = by
    instance.save(update_fields=list(fields))


def _merge_onto(instance: VersionedModel, expected_version: int, fields: list[str], manager) -> None:
    """Under the row lock: take the other person's values for the fields only they changed and claim the current
    version, or raise EditConflict when both changed a field (or the base is unknown)."""
    current = manager.select_for_update().get(pk=instance.pk)
    base = base_state(current, expected_version)
    if base is None:
        raise EditConflict(current)
    mine = {name: getattr(instance, instance._meta.get_field(name).attname) for name in fields}
    theirs, both = three_way(current, base, mine)
    if both:
        raise EditConflict(current, fields=both, theirs=theirs)
    for name in theirs:
        attname = instance._meta.get_field(name).attname
        setattr(instance, attname, getattr(current, attname))
    # The lock is held: the claim of the current version matches.
    manager.filter(pk=instance.pk, version=current.version).update(version=F("version") + 1)
    instance.version = current.version


def _write(instance: VersionedModel, claimed_version: int, update_fields: Iterable[str] | None) -> None:
    instance.version = claimed_version + 1
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

    def merged_fields(self) -> list[str]:
        """The model fields this form writes: those a save compares with the version the user opened."""
        concrete = {f.name for f in self.instance._meta.concrete_fields if f.editable and not f.primary_key}
        listed, excluded = self._meta.fields, self._meta.exclude or ()
        return [
            name for name in self.fields
            if name in concrete and name != "version" and (listed is None or name in listed) and name not in excluded
        ]

    def _post_clean(self) -> None:
        super()._post_clean()
        # save_versioned reads which fields the user could have edited: only those are merged.
        self.instance._versioned_form_fields = self.merged_fields()


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


def conflict_rows(
    form: forms.BaseForm, current_values: Mapping[str, Any], fields: Iterable[str] | None = None
) -> list[dict[str, str]]:
    """The fields where the user's unsaved value differs from what the other person saved; only `fields` (those
    both changed) when given."""
    only = None if fields is None else set(fields)
    rows = []
    for name, field in form.fields.items():
        if name == "version" or name not in form.cleaned_data or name not in current_values:
            continue
        if only is not None and name not in only:
            continue
        mine, theirs = _comparable(form.cleaned_data[name]), _comparable(current_values[name])
        if mine != theirs:
            rows.append({"label": str(field.label), "theirs": display_value(field, theirs), "mine": display_value(field, mine)})
    return rows


def saved_by(current: models.Model) -> str:
    """Who saved `current` last and when, in the reader's language and the portal's clock:
    "Gespeichert von Erika Muster am 07.12.2026 um 14:03"."""
    history = getattr(current, "history", None)
    # The record of the highest version is the latest save (a bump_version records nothing).
    latest = ("-version", "-history_date", "-history_id")
    record = history.select_related("history_user").order_by(*latest).first() if history is not None else None
    if record is None:
        return ""
    when = timezone.localtime(record.history_date)
    values = {"date": formats.date_format(when, "SHORT_DATE_FORMAT"), "time": formats.time_format(when, "TIME_FORMAT")}
    user = record.history_user
    if user is None:
        return gettext("Saved on %(date)s at %(time)s") % values
    name = (user.get_full_name() or "").strip() or user.get_username()
    return gettext("Saved by %(user)s on %(date)s at %(time)s") % {"user": name, **values}


def _as_data(field: forms.Field, value: Any) -> list[str]:
    """`value` (a model's) as the browser would send it for `field`."""
    value = field.prepare_value(value)
    if isinstance(field.widget, forms.CheckboxInput):
        return ["true"] if value else []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    formatted = field.widget.format_value(value)
    if formatted is None:
        return [""]
    if isinstance(formatted, (list, tuple)):
        return [str(v) for v in formatted]
    return [str(formatted)]


def rebased_data(
    data: QueryDict, form: forms.BaseForm, version: int, current: models.Model | None = None, theirs: Iterable[str] = ()
) -> QueryDict:
    """The posted data, now based on the current version, with the other person's values for `theirs` (the
    fields only they changed): what the user typed stays, and saving again reverts nothing they left alone."""
    data = data.copy()
    data[form.add_prefix("version")] = str(version)
    # A file cannot be put back into a form, and a split widget sends several keys: those keep what was posted.
    names = [
        name for name in theirs
        if name in form.fields and not isinstance(form.fields[name], forms.FileField)
        and not isinstance(getattr(form.fields[name].widget, "widget", form.fields[name].widget), forms.MultiWidget)
    ]
    if current is not None and names:
        stored = model_to_dict(current, fields=names)
        for name in names:
            key, values = form.add_prefix(name), _as_data(form.fields[name], stored.get(name))
            if values:
                data.setlist(key, values)
            else:
                data.pop(key, None)
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
    renders the editor with it and the conflict (`{"current", "rows", "merged", "saved_by", **extra}`),
    `values` are the stored values to compare (default: the model's fields). With a known base (`merged`) the
    rows are the fields both changed, and the form takes the other person's values for the fields only they
    changed; without one, every field that differs is listed as what the form holds.
    """
    current = conflict.current
    rows = conflict_rows(form, model_values(form, current) if values is None else values, conflict.fields)
    data = rebased_data(request.POST, form, current.version, current, conflict.theirs)
    rebased = rebind(data, current)
    rebased.is_valid()  # shows the typed values with any field errors they have
    context = {"current": current, "rows": rows, "merged": conflict.fields is not None, "saved_by": saved_by(current), **extra}
    response = page(rebased, context)
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
