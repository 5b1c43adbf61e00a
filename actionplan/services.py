"""Cross-model work on action plans. Edits of versioned rows go through core.versioning.save_versioned."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from actionplan.models import ActionPlan, Measure, MeasureUpdate
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
