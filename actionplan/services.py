"""Cross-model work on action plans. Edits of versioned rows go through core.versioning.save_versioned."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from actionplan.models import (
    ActionPlan,
    Commitment,
    Indicator,
    IndicatorValue,
    Measure,
    MeasureUpdate,
    PlanImport,
    resolution_upload_to,
)
from actionplan.spreadsheet import CHANGEABLE, RowState, measure_state, title_key
from core.files import delete_after_commit, delete_quietly, store_upload
from core.i18n import of_name
from core.versioning import create_versioned_many, save_versioned, save_versioned_many
from members.models import Member


def plan_for_member(*, member: Member) -> ActionPlan:
    plan, _ = ActionPlan.objects.get_or_create(member=member)
    return plan


@transaction.atomic
def measure_save(
    *, measure: Measure, expected_version: int | None, by=None, entry_date: dt.date | None = None, entry_text: str = ""
) -> Measure:
    """Create a new measure, or save an edited one if nobody else saved it since `expected_version`.

    With `entry_text`, a timeline entry is posted in the same transaction; a status changed in this save is
    recorded with it. Either both are saved or, on an edit conflict, neither.
    """
    stored_status = None
    if not measure._state.adding:
        stored_status = Measure.objects.filter(pk=measure.pk).values_list("status", flat=True).first()
    save_versioned(measure, expected_version=expected_version, by=by)
    if entry_text.strip():
        entry = MeasureUpdate(
            measure=measure,
            date=entry_date or timezone.localdate(),
            text=entry_text.strip(),
            status_change=measure.status if stored_status is not None and stored_status != measure.status else "",
            author=by,
        )
        save_versioned(entry, expected_version=None, by=by)
    return measure


def _resolution_storage():
    return ActionPlan._meta.get_field("resolution_document").storage


class ResolutionRefused(ValidationError):
    """A council resolution that would take the member over its storage quota; raised before anything is written."""


def _check_member_quota(*, plan: ActionPlan, size: int) -> None:
    # The member's report documents count too. The reports app builds on this one, so its model is found by name.
    document = apps.get_model("reports", "ReportDocument")
    Member.objects.select_for_update().filter(pk=plan.member_id).first()  # the lock the report uploads take too
    used = document.objects.filter(report__member_id=plan.member_id).aggregate(total=Sum("file_size"))["total"] or 0
    quota = settings.MEMBER_STORAGE_QUOTA_MB * 1024 * 1024
    if used + size > quota:
        raise ResolutionRefused(
            _(
                "This file (%(size)s) does not fit into the storage quota of %(quota)s for all files %(of_member)s: "
                "%(left)s are left besides the council resolution it replaces. Remove report documents you no longer "
                "need, or ask the secretariat."
            )
            % {"size": filesizeformat(size), "quota": filesizeformat(quota), "left": filesizeformat(max(quota - used, 0)), "of_member": of_name(plan.member.name)},
            code="member_quota",
        )


def plan_adoption_save(*, plan: ActionPlan, expected_version: int | None, by=None) -> ActionPlan:
    """Save the adoption; a newly chosen council resolution replaces the stored one.

    The new file is written inside the transaction and deleted again if it fails (an edit conflict included);
    the replaced file is deleted only after the commit (core/files.py explains the order). Raises StorageFailed
    when the storage refuses the file, with nothing written.
    """
    field = plan.resolution_document
    upload = field.file if field and not field._committed else None
    storage = _resolution_storage()
    stored = ""
    try:
        with transaction.atomic():
            before = ""
            if plan.pk is not None:
                # Under the row lock: the file this save may replace (or clear, in the admin), as it stands now.
                before = ActionPlan.objects.select_for_update().filter(pk=plan.pk).values_list("resolution_document", flat=True).first()
            if upload is not None:
                _check_member_quota(plan=plan, size=upload.size)
                stored = store_upload(storage, resolution_upload_to(plan, upload.name), upload)
                plan.resolution_document = stored  # written already: the row only records its name
            save_versioned(plan, expected_version=expected_version, by=by)
            if before and before != plan.resolution_document.name:
                delete_after_commit(storage, before)
    except BaseException:
        delete_quietly(storage, stored)
        raise
    return plan


def plan_resolution_remove(*, plan: ActionPlan, by=None) -> bool:
    """Remove the council resolution: the row keeps no file, the history keeps who removed which file when.

    False when there was none (removed meanwhile, or a repeated confirmation). The file goes after the commit.
    """
    with transaction.atomic():
        locked = ActionPlan.objects.select_for_update().get(pk=plan.pk)
        name = locked.resolution_document.name
        if not name:
            return False
        locked.resolution_document = ""
        # The lock is held, so the locked row's own version is the one to claim; every open form learns of it.
        save_versioned(locked, expected_version=locked.version, by=by, update_fields=["resolution_document"])
        delete_after_commit(_resolution_storage(), name)
    plan.resolution_document, plan.version = "", locked.version
    return True


@transaction.atomic
def timeline_entry_save(*, entry: MeasureUpdate, expected_version: int, by=None) -> MeasureUpdate:
    """A corrected entry; the history keeps what it said before."""
    save_versioned(entry, expected_version=expected_version, by=by)
    return entry


@transaction.atomic
def timeline_entry_remove(*, entry: MeasureUpdate, by=None, reason: str = "") -> None:
    """Remove an entry; the history keeps its last state, who removed it and why."""
    if by is not None:
        entry._history_user = by
    entry._change_reason = reason.strip() or None
    entry.delete()


def plan_existing_titles(*, member: Member) -> set[tuple[int, str]]:
    """The (commitment number, title) keys of the member's active measures, in one query: what an import skips."""
    pairs = Measure.objects.active().filter(plan__member=member).values_list("commitment__number", "title")
    return {title_key(number, title) for number, title in pairs}


def plan_measure_states(*, member: Member) -> dict[int, dict]:
    """The member's measures, retired ones too, by ID, as an upload compares them (spreadsheet.measure_state), in
    one query."""
    fields = [*CHANGEABLE, "id", "version", "retired_at", "commitment__number"]
    fields.remove("commitment")
    return {row["id"]: measure_state(row) for row in Measure.objects.filter(plan__member=member).values(*fields)}


def _measure_values(values: dict, commitments: dict) -> dict:
    """The row's JSON values as Measure field values."""
    values = dict(values)
    if "commitment" in values:
        values["commitment"] = commitments[values["commitment"]]
    for key in ("start_date", "end_date"):
        if key in values:
            values[key] = dt.date.fromisoformat(values[key]) if values[key] else None
    return values


@transaction.atomic
def plan_import(*, plan_import: PlanImport, by) -> int | None:
    """Apply a checked import, all or none: create its new measures (or indicator values) and save its changed
    measures; the number of rows applied, or None when it was already imported.

    The import row is locked, so a second confirmation (a double click, a second tab) waits and then finds it
    done. New rows whose title has meanwhile appeared in the plan are skipped, as the preview promised; a changed
    row whose measure was saved (or retired) in the portal since the download is a conflict and left as the
    portal has it (`conflict_count`). A fixed number of queries, however many rows: every write goes through
    core/versioning.py, with the history naming the importing user.
    """
    if plan_import.kind == PlanImport.Kind.INDICATOR_VALUES:
        return indicator_values_import(plan_import=plan_import, by=by)
    locked = PlanImport.objects.select_for_update().get(pk=plan_import.pk)
    if locked.imported_at is not None:
        return None
    member = locked.member
    plan = plan_for_member(member=member)
    commitments = {c.number: c for c in Commitment.objects.all()}
    existing = plan_existing_titles(member=member)
    new, changed = [], []
    for row in locked.rows_to_create:
        (changed if row.get("state") == RowState.CHANGED else new).append(row)

    measures = []
    for row in new:
        values = row["values"]
        key = title_key(values["commitment"], values["title"])
        if key in existing:
            continue
        existing.add(key)
        measures.append(Measure(plan=plan, **_measure_values(values, commitments)))
    create_versioned_many(measures, by=by)

    # Only the member's active measures can be changed; one retired since the preview is a conflict.
    stored = Measure.objects.active().filter(plan=plan).in_bulk([row["measure"] for row in changed])
    edited, versions, fields = [], {}, set()
    for row in changed:
        measure = stored.get(row["measure"])
        if measure is None:
            continue
        new_values = _measure_values({change["field"]: change["new"] for change in row["changes"]}, commitments)
        for name, value in new_values.items():
            setattr(measure, name, value)
        fields.update(new_values)
        edited.append(measure)
        versions[measure.pk] = row["version"]
    saved, _conflicts = save_versioned_many(edited, expected_versions=versions, fields=sorted(fields), by=by)

    locked.imported_at, locked.imported_by = timezone.now(), by
    locked.created_count, locked.updated_count = len(measures), len(saved)
    locked.conflict_count = len(changed) - len(saved)
    locked.save(update_fields=["imported_at", "imported_by", "created_count", "updated_count", "conflict_count"])
    for name in ("imported_at", "imported_by", "created_count", "updated_count", "conflict_count"):
        setattr(plan_import, name, getattr(locked, name))
    return len(measures) + len(saved)


# --- Indicators ---------------------------------------------------------------------------------------


def _value_refused(value: IndicatorValue) -> ValidationError:
    return ValidationError(
        {"date": _("There is already a value for %(date)s. Correct that value instead, or choose another date.")
         % {"date": formats.date_format(value.date, "DATE_FORMAT")}},
        code="duplicate_date",
    )


@transaction.atomic
def indicator_create(*, indicator: Indicator, member: Member, measure: Measure | None = None, by=None) -> Indicator:
    """A new indicator of the member's plan, under a commitment or of one of its measures (then filed under the
    measure's commitment, so that both kinds are found per commitment alike)."""
    indicator.plan = plan_for_member(member=member)
    if measure is not None:
        if measure.plan_id != indicator.plan.pk:
            raise ValueError("The measure belongs to another plan.")
        indicator.measure, indicator.commitment_id = measure, measure.commitment_id
    save_versioned(indicator, expected_version=None, by=by)
    return indicator


@transaction.atomic
def indicator_save(*, indicator: Indicator, expected_version: int, by=None, new_value: IndicatorValue | None = None) -> Indicator:
    """Save an edited indicator and, with `new_value`, add a dated value in the same transaction: both or,
    on an edit conflict, neither."""
    save_versioned(indicator, expected_version=expected_version, by=by)
    if new_value is not None:
        indicator_value_add(indicator=indicator, value=new_value, by=by)
    return indicator


@transaction.atomic
def indicator_value_add(*, indicator: Indicator, value: IndicatorValue, by=None) -> IndicatorValue:
    """Add a dated value. Raises ValidationError (nothing written) when the date is taken meanwhile."""
    value.indicator, value.author = indicator, by
    try:
        # A savepoint: a second tab's value for the same day must not break the caller's transaction.
        with transaction.atomic():
            save_versioned(value, expected_version=None, by=by)
    except IntegrityError:
        raise _value_refused(value) from None
    return value


@transaction.atomic
def indicator_value_save(*, value: IndicatorValue, expected_version: int, by=None) -> IndicatorValue:
    """A corrected value; the history keeps what it was before."""
    try:
        with transaction.atomic():
            save_versioned(value, expected_version=expected_version, by=by)
    except IntegrityError:
        raise _value_refused(value) from None
    return value


@transaction.atomic
def indicator_value_remove(*, value: IndicatorValue, by=None, reason: str = "") -> None:
    """Remove a value; the history keeps its last state, who removed it and why."""
    if by is not None:
        value._history_user = by
    value._change_reason = reason.strip() or None
    value.delete()


def indicator_values_lookup(*, member: Member) -> tuple[dict[str, tuple[int, dt.date] | None], set[tuple[int, dt.date]]]:
    """In two queries: the member's active indicators by name and by number (a shared name maps to None), and the
    (indicator, date) pairs already stored: what a values import matches and skips."""
    from actionplan.value_spreadsheet import indicator_key

    indicators: dict[str, tuple[int, dt.date] | None] = {}
    active = Indicator.objects.active().filter(plan__member=member).values_list("pk", "name", "baseline_date")
    for pk, name, baseline in active:
        key = indicator_key(name)
        indicators[key] = None if key in indicators else (pk, baseline)
    for pk, _name, baseline in active:
        indicators[str(pk)] = (pk, baseline)
    existing = set(
        IndicatorValue.objects.filter(indicator__plan__member=member, indicator__retired_at__isnull=True).values_list("indicator_id", "date")
    )
    return indicators, existing


@transaction.atomic
def indicator_values_import(*, plan_import: PlanImport, by) -> int | None:
    """Create the values of a checked values import, all or none; None when it was already imported.

    Under the import row's lock, as plan_import. Rows whose (indicator, date) was stored meanwhile are skipped;
    so are rows of an indicator retired meanwhile: a retired indicator takes no new values.
    """
    locked = PlanImport.objects.select_for_update().get(pk=plan_import.pk)
    if locked.imported_at is not None:
        return None
    rows = locked.rows_to_create
    ids = {row["values"]["indicator"] for row in rows}
    indicators = Indicator.objects.active().filter(plan__member=locked.member).in_bulk(ids)
    existing = set(IndicatorValue.objects.filter(indicator_id__in=ids).values_list("indicator_id", "date"))
    created = 0
    for row in rows:
        values = row["values"]
        indicator = indicators.get(values["indicator"])
        date = dt.date.fromisoformat(values["date"])
        if indicator is None or (indicator.pk, date) in existing:
            continue
        value = IndicatorValue(
            indicator=indicator, date=date, value=Decimal(values["value"]), source=values["source"], note=values["note"], author=by
        )
        save_versioned(value, expected_version=None, by=by)
        existing.add((indicator.pk, date))
        created += 1
    locked.imported_at, locked.imported_by, locked.created_count = timezone.now(), by, created
    locked.save(update_fields=["imported_at", "imported_by", "created_count"])
    plan_import.imported_at, plan_import.imported_by, plan_import.created_count = locked.imported_at, by, created
    return created
