"""Cross-model work on action plans: optimistic locking, timeline entries, contacts with the profile.

Every save of an edited object goes through `_save_locked`: a compare-and-swap
`UPDATE … SET version = version + 1 WHERE id = … AND version = n` claims the row; only when it matched
do we save the new values (through `save()`, so django-simple-history records who changed what).
The claim holds the row lock until the request's transaction ends, so a second writer waits and then
finds the version moved on: it gets an `EditConflict` instead of silently overwriting.
"""

from __future__ import annotations

import datetime as dt

from django.db import models, transaction
from django.db.models import F

from actionplan.models import ActionPlan, Measure, MeasureUpdate
from members.models import Member


class EditConflict(Exception):
    """Someone else saved in between; `current` is the object as it now stands in the database."""

    def __init__(self, current: models.Model) -> None:
        super().__init__(f"{type(current).__name__} {current.pk} was changed by someone else")
        self.current = current


def _save_locked(instance: models.Model, *, expected_version: int, by=None) -> None:
    model = type(instance)
    claimed = model._default_manager.filter(pk=instance.pk, version=expected_version).update(version=F("version") + 1)
    if not claimed:
        raise EditConflict(model._default_manager.get(pk=instance.pk))
    instance.version = expected_version + 1
    if by is not None:
        instance._history_user = by
    instance.save()


def plan_for_member(*, member: Member) -> ActionPlan:
    plan, _ = ActionPlan.objects.get_or_create(member=member)
    return plan


@transaction.atomic
def measure_save(*, measure: Measure, expected_version: int | None, by=None) -> Measure:
    """Create a new measure, or save an edited one if nobody else saved it since `expected_version`."""
    if measure.pk is None:
        if by is not None:
            measure._history_user = by
        measure.save()
        return measure
    _save_locked(measure, expected_version=expected_version or 0, by=by)
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
            current.version += 1
            if by is not None:
                current._history_user = by
            current.save()
            measure.status, measure.version = current.status, current.version
    return entry


@transaction.atomic
def member_profile_save(*, member: Member, contact_formset, expected_version: int, by=None) -> Member:
    """The profile and its contacts are one edit: the member's version guards both."""
    _save_locked(member, expected_version=expected_version, by=by)
    contacts = contact_formset.save(commit=False)
    for contact in contacts:
        contact.member = member
        if by is not None:
            contact._history_user = by
        contact.save()
    for contact in contact_formset.deleted_objects:
        if by is not None:
            contact._history_user = by
        contact.delete()  # the deletion stays in the contact's history
    return member


@transaction.atomic
def plan_adoption_save(*, plan: ActionPlan, expected_version: int, by=None) -> ActionPlan:
    if plan.pk is None:
        if by is not None:
            plan._history_user = by
        plan.save()
        return plan
    _save_locked(plan, expected_version=expected_version, by=by)
    return plan
