"""Cross-model work on action plans. Edits of versioned rows go through core.versioning.save_versioned."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from actionplan.models import ActionPlan, Measure, MeasureUpdate
from core.versioning import save_versioned
from members.models import Member


def plan_for_member(*, member: Member) -> ActionPlan:
    plan, _ = ActionPlan.objects.get_or_create(member=member)
    return plan


@transaction.atomic
def measure_save(*, measure: Measure, expected_version: int | None, by=None) -> Measure:
    """Create a new measure, or save an edited one if nobody else saved it since `expected_version`."""
    save_versioned(measure, expected_version=expected_version, by=by)
    return measure


@transaction.atomic
def timeline_entry_post(
    *, measure: Measure, date: dt.date, text: str, status_change: str = "", by=None
) -> MeasureUpdate:
    """A dated update on a measure; a status change also moves the measure's own status."""
    entry = MeasureUpdate(measure=measure, date=date, text=text, status_change=status_change, author=by)
    if by is not None:
        entry._history_user = by
    entry.save()
    if status_change:
        # Locked read: the status change is explicit, so it wins, but it moves the version on so that
        # anyone editing the measure form at the same time is told about it.
        current = Measure.objects.select_for_update().get(pk=measure.pk)
        if current.status != status_change:
            current.status = status_change
            save_versioned(current, expected_version=current.version, by=by, update_fields=["status"])
            measure.status, measure.version = current.status, current.version
    return entry


@transaction.atomic
def plan_adoption_save(*, plan: ActionPlan, expected_version: int | None, by=None) -> ActionPlan:
    save_versioned(plan, expected_version=expected_version, by=by)
    return plan
