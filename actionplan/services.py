"""Cross-model work on action plans. Edits of versioned rows go through core.versioning.save_versioned."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from actionplan.models import ActionPlan, Commitment, Measure, MeasureUpdate, PlanImport
from actionplan.spreadsheet import title_key
from core.versioning import save_versioned
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


@transaction.atomic
def plan_adoption_save(*, plan: ActionPlan, expected_version: int | None, by=None) -> ActionPlan:
    save_versioned(plan, expected_version=expected_version, by=by)
    return plan


@transaction.atomic
def timeline_entry_save(*, entry: MeasureUpdate, expected_version: int, by=None) -> MeasureUpdate:
    """A corrected entry; the history keeps what it said before."""
    save_versioned(entry, expected_version=expected_version, by=by)
    return entry


@transaction.atomic
def timeline_entry_remove(*, entry: MeasureUpdate, by=None) -> None:
    """Remove an entry; the history keeps its last state and who removed it."""
    if by is not None:
        entry._history_user = by
    entry.delete()


def plan_existing_titles(*, member: Member) -> set[tuple[int, str]]:
    """The (commitment number, title) keys of the member's active measures, in one query: what an import skips."""
    pairs = Measure.objects.active().filter(plan__member=member).values_list("commitment__number", "title")
    return {title_key(number, title) for number, title in pairs}


@transaction.atomic
def plan_import(*, plan_import: PlanImport, by) -> int | None:
    """Create the measures of a checked import, all or none; None when it was already imported.

    The import row is locked, so a second confirmation (a double click, a second tab) waits and then finds it
    done. Rows whose title has meanwhile appeared in the plan are skipped, as the preview promised.
    """
    locked = PlanImport.objects.select_for_update().get(pk=plan_import.pk)
    if locked.imported_at is not None:
        return None
    member = locked.member
    plan = plan_for_member(member=member)
    commitments = {c.number: c for c in Commitment.objects.all()}
    existing = plan_existing_titles(member=member)
    created = 0
    for row in locked.rows_to_create:
        values = dict(row["values"])
        number = values.pop("commitment")
        if title_key(number, values["title"]) in existing:
            continue
        for key in ("start_date", "end_date"):
            values[key] = dt.date.fromisoformat(values[key]) if values[key] else None
        measure = Measure(plan=plan, commitment=commitments[number], **values)
        measure_save(measure=measure, expected_version=None, by=by)
        existing.add(title_key(number, values["title"]))
        created += 1
    locked.imported_at, locked.imported_by, locked.created_count = timezone.now(), by, created
    locked.save(update_fields=["imported_at", "imported_by", "created_count"])
    plan_import.imported_at, plan_import.imported_by, plan_import.created_count = locked.imported_at, by, created
    return created
