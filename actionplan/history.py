"""The change history of a measure or an indicator: its own saved states and those of its timeline entries or
values (added, corrected, removed), in one list, newest first.

Each row type keeps its own django-simple-history table; the pages show them together, because a correction of
an entry is a change of the measure's public record as much as a new title is. A state that changed nothing a
reader sees (a save without a visible change) is left out. A constant number of queries, however long the
history.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from actionplan.indicator_chart import figure
from actionplan.models import Commitment, Indicator, IndicatorValue, Measure, MeasureUpdate
from core.display import display_value
from members.models import User

Resolve = Callable[[str, Any], Any]

# Fields of the measure and the indicator that are bookkeeping, not content.
_OWN_SKIP = {"id", "plan", "content_language", "source", "measure", "version"}


def _shown(field: models.Field, value: Any) -> str:
    if isinstance(value, Decimal):
        return figure(value)  # as the indicator pages write figures: 12,5 in German
    return display_value(field, value)


def _change(field: models.Field, old: Any, new: Any) -> dict[str, str]:
    return {"label": str(field.verbose_name), "old": _shown(field, old), "new": _shown(field, new)}


def _own_entries(records: list, *, model: type[models.Model], created: str, resolve: Resolve) -> list[dict]:
    fields = {f.name: f for f in model._meta.fields}
    entries, previous = [], None
    for record in records:
        changes = []
        if previous is not None:
            for change in record.diff_against(previous).changes:
                if change.field in _OWN_SKIP:
                    continue
                old, new = resolve(change.field, change.old), resolve(change.field, change.new)
                changes.append(_change(fields[change.field], old, new))
        if previous is None or changes:
            kind = _("created") if previous is None else _("changed")
            note = created if previous is None else ""
            entries.append({"record": record, "kind": kind, "changes": changes, "note": note, "reason": record.history_change_reason or ""})
        previous = record
    return entries


def _part_entries(records: Iterable, *, model: type[models.Model], shown: list[str], kinds: dict[str, str]) -> list[dict]:
    """Entries for the rows belonging to the measure or indicator: `records` in order, of every such row."""
    fields = [model._meta.get_field(name) for name in shown]
    last: dict[int, Any] = {}
    entries = []
    for record in records:
        previous = last.get(record.id)
        last[record.id] = record
        if record.history_type == "-":
            changes = [_change(f, getattr(record, f.attname), None) for f in fields if getattr(record, f.attname) not in (None, "")]
        elif record.history_type == "~" and previous is not None:
            changes = [
                _change(f, getattr(previous, f.attname), getattr(record, f.attname))
                for f in fields
                if getattr(previous, f.attname) != getattr(record, f.attname)
            ]
            if not changes:
                continue
        else:
            changes = [_change(f, None, getattr(record, f.attname)) for f in fields if getattr(record, f.attname) not in (None, "")]
        kind = kinds["-" if record.history_type == "-" else "~" if previous is not None else "+"]
        entries.append({"record": record, "kind": kind, "changes": changes, "note": "", "reason": record.history_change_reason or ""})
    return entries


def _newest_first(*lists: list[dict]) -> list[dict]:
    merged = [entry for entries in lists for entry in entries]
    # Stable: a save of the measure and the entry posted with it keep the order they were written in.
    merged.sort(key=lambda e: e["record"].history_date, reverse=True)
    return merged


def _resolver(records: list) -> Resolve:
    """Ids shown by a readable name: the commitment by its title, a person by their user name."""
    commitments = {c.pk: str(c) for c in Commitment.objects.all()}
    user_ids = {r.retired_by_id for r in records if r.retired_by_id}
    users = {u.pk: u.get_username() for u in User.objects.filter(pk__in=user_ids)} if user_ids else {}

    def resolve(field: str, value: Any) -> Any:
        if field == "commitment":
            return commitments.get(value, value)
        if field == "retired_by":
            return users.get(value, value)
        return value

    return resolve


def measure_history(measure: Measure) -> list[dict]:
    records = list(measure.history.select_related("history_user").order_by("history_date", "history_id"))
    own = _own_entries(records, model=Measure, created=_("The measure was created."), resolve=_resolver(records))
    updates = MeasureUpdate.history.filter(measure_id=measure.pk).select_related("history_user").order_by("history_date", "history_id")
    kinds = {"+": _("timeline entry added"), "~": _("timeline entry corrected"), "-": _("timeline entry removed")}
    parts = _part_entries(updates, model=MeasureUpdate, shown=["date", "text", "status_change"], kinds=kinds)
    return _newest_first(own, parts)


def indicator_history(indicator: Indicator) -> list[dict]:
    records = list(indicator.history.select_related("history_user").order_by("history_date", "history_id"))
    own = _own_entries(records, model=Indicator, created=_("The indicator was created."), resolve=_resolver(records))
    values = IndicatorValue.history.filter(indicator_id=indicator.pk).select_related("history_user").order_by("history_date", "history_id")
    kinds = {"+": _("value added"), "~": _("value corrected"), "-": _("value removed")}
    parts = _part_entries(values, model=IndicatorValue, shown=["date", "value", "source", "note"], kinds=kinds)
    return _newest_first(own, parts)
