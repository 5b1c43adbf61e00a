"""What changed between two frozen report snapshots (reports/snapshot.py), per commitment.

Pure functions over the two snapshot dicts: no database, no live data. Used for the public comparison of a
published report with an earlier one of the same member, and for the secretariat's view of what changed in a
resubmitted report since it was returned.

Decisions:
- A measure is *added* when its id is in the new snapshot and not in the old one (under any commitment).
- It is *finished* when its status became "implemented". "Continuous" means it now runs permanently: that is a
  status change, not an end.
- It is *discontinued* when its status became "discontinued".
- It is *no longer in the report* when its id is in the old snapshot and not in the new one: retired, made
  internal or deleted since. The snapshot cannot tell which, so it is not called discontinued.
- Every other measure in both whose status or progress differs is *changed* (old → new).
- A measure that moved to another commitment is listed as changed under its new commitment.
- Indicators compare the latest value at the end of each period ("then" and "now"), and the share of the way to
  the target. A schema-1 snapshot froze no indicators: its side is unknown, not empty.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from actionplan.models import MeasureStatus
from core.i18n import is_english

_STATUS_LABELS = dict(MeasureStatus.choices)


@dataclass
class MeasureChange:
    id: int
    title: str
    old_status: str | None
    new_status: str | None
    old_progress: int | None
    new_progress: int | None
    # The measure's public page, where it still has one (set by the view: the snapshot cannot know).
    page_url: str = ""

    @property
    def old_status_label(self) -> str:
        return _STATUS_LABELS.get(self.old_status, self.old_status or "")

    @property
    def new_status_label(self) -> str:
        return _STATUS_LABELS.get(self.new_status, self.new_status or "")

    @property
    def status_changed(self) -> bool:
        return self.old_status != self.new_status

    @property
    def progress_changed(self) -> bool:
        return self.old_progress != self.new_progress


@dataclass
class IndicatorChange:
    id: int
    name: str
    unit: str
    measure_title: str
    then: dict | None  # {"date": date, "value": Decimal} or None: no value yet, or the indicator was not there
    now: dict | None
    then_share: int | None
    now_share: int | None
    in_old: bool
    in_new: bool

    @property
    def changed(self) -> bool:
        return (self.in_old, self.then, self.then_share) != (self.in_new, self.now, self.now_share)

    @property
    def difference(self) -> Decimal | None:
        if self.then is None or self.now is None:
            return None
        return self.now["value"] - self.then["value"]


@dataclass
class CommitmentComparison:
    number: int
    title: str
    added: list[MeasureChange] = field(default_factory=list)
    finished: list[MeasureChange] = field(default_factory=list)
    discontinued: list[MeasureChange] = field(default_factory=list)
    gone: list[MeasureChange] = field(default_factory=list)
    changed: list[MeasureChange] = field(default_factory=list)
    unchanged: int = 0
    indicators: list[IndicatorChange] = field(default_factory=list)

    @property
    def measures_changed(self) -> bool:
        return bool(self.added or self.finished or self.discontinued or self.gone or self.changed)

    @property
    def has_changes(self) -> bool:
        return self.measures_changed or any(i.changed for i in self.indicators)


@dataclass
class SnapshotComparison:
    commitments: list[CommitmentComparison]
    old_has_indicators: bool
    new_has_indicators: bool

    @property
    def has_changes(self) -> bool:
        return any(c.has_changes for c in self.commitments)

    def measure_changes(self) -> list[MeasureChange]:
        return [m for c in self.commitments for items in (c.added, c.finished, c.discontinued, c.gone, c.changed) for m in items]

    def totals(self) -> dict[str, int]:
        keys = ["added", "finished", "discontinued", "gone", "changed"]
        return {k: sum(len(getattr(c, k)) for c in self.commitments) for k in keys}


def _figure(item: dict | None) -> dict | None:
    if not item:
        return None
    return {"date": dt.date.fromisoformat(item["date"]), "value": Decimal(item["value"])}


def _measures(snapshot: dict) -> dict[int, tuple[int, dict]]:
    return {m["id"]: (c["number"], m) for c in snapshot.get("commitments", []) for m in c.get("measures", [])}


def _indicators(snapshot: dict) -> dict[int, tuple[int, dict]]:
    return {i["id"]: (c["number"], i) for c in snapshot.get("commitments", []) for i in c.get("indicators", [])}


def has_indicators(snapshot: dict) -> bool:
    return (snapshot or {}).get("schema", 1) >= 2


def _change(old: dict | None, new: dict | None) -> MeasureChange:
    either = new or old
    return MeasureChange(
        id=either["id"],
        title=either["title"],
        old_status=old["status"] if old else None,
        new_status=new["status"] if new else None,
        old_progress=old.get("progress") if old else None,
        new_progress=new.get("progress") if new else None,
    )


def compare_snapshots(old: dict, new: dict) -> SnapshotComparison:
    """Per commitment, in commitment order, the changes from `old` to `new` (see the module's decisions)."""
    old, new = old or {}, new or {}
    english = is_english()
    titles: dict[int, str] = {}
    for snapshot in (old, new):  # the newer title wins
        for c in snapshot.get("commitments", []):
            titles[c["number"]] = c.get("title_en" if english else "title_de") or c.get("title_de", "")
    result = {n: CommitmentComparison(number=n, title=titles[n]) for n in sorted(titles)}

    old_measures, new_measures = _measures(old), _measures(new)
    for measure_id, (number, m) in new_measures.items():
        group = result[number]
        before = old_measures.get(measure_id)
        if before is None:
            group.added.append(_change(None, m))
            continue
        previous = before[1]
        change = _change(previous, m)
        if m["status"] == MeasureStatus.IMPLEMENTED and previous["status"] != MeasureStatus.IMPLEMENTED:
            group.finished.append(change)
        elif m["status"] == MeasureStatus.DISCONTINUED and previous["status"] != MeasureStatus.DISCONTINUED:
            group.discontinued.append(change)
        elif change.status_changed or change.progress_changed:
            group.changed.append(change)
        else:
            group.unchanged += 1
    for measure_id, (number, m) in old_measures.items():
        if measure_id not in new_measures:
            result[number].gone.append(_change(m, None))

    old_indicators, new_indicators = _indicators(old), _indicators(new)
    for indicator_id in [*new_indicators, *(i for i in old_indicators if i not in new_indicators)]:
        before = old_indicators.get(indicator_id, (None, None))[1]
        number, after = new_indicators.get(indicator_id, old_indicators.get(indicator_id))
        either = after if indicator_id in new_indicators else before
        result[number].indicators.append(
            IndicatorChange(
                id=indicator_id,
                name=either["name"],
                unit=either["unit"],
                measure_title=either.get("measure_title", ""),
                then=_figure(before.get("latest")) if before else None,
                now=_figure(after.get("latest")) if indicator_id in new_indicators else None,
                then_share=before.get("share_percent") if before else None,
                now_share=after.get("share_percent") if indicator_id in new_indicators else None,
                in_old=before is not None,
                in_new=indicator_id in new_indicators,
            )
        )
    for group in result.values():
        for items in (group.added, group.finished, group.discontinued, group.gone, group.changed):
            items.sort(key=lambda c: (c.title, c.id))
    return SnapshotComparison(
        commitments=list(result.values()), old_has_indicators=has_indicators(old), new_has_indicators=has_indicators(new)
    )


def narrative_changes(old: dict[str, str], new: dict[str, str]) -> list[dict]:
    """Texts that differ between two submissions, keyed by commitment number (as strings, the JSON keys) or by
    "title" and "summary": [{"key", "old", "new"}], in key order with the title and summary first."""
    keys = sorted(set(old) | set(new), key=lambda k: (k.isdigit(), int(k) if k.isdigit() else 0, k))
    return [
        {"key": k, "old": old.get(k, ""), "new": new.get(k, "")}
        for k in keys
        if (old.get(k) or "").strip() != (new.get(k) or "").strip()
    ]


def document_changes(old: list[dict] | None, new: list[dict]) -> dict | None:
    """The documents of two submissions (ImplementationReport.submission_record): {"added", "removed", "changed"},
    matched by id; "changed" pairs {"old", "new"} whose title or language differ. None when the earlier submission
    was kept before its documents were (nothing to compare with)."""
    if old is None:
        return None
    before, after = {d["id"]: d for d in old}, {d["id"]: d for d in new}
    return {
        "added": [d for i, d in after.items() if i not in before],
        "removed": [d for i, d in before.items() if i not in after],
        "changed": [
            {"old": before[i], "new": d}
            for i, d in after.items()
            if i in before and (before[i]["title"], before[i]["language"]) != (d["title"], d["language"])
        ],
    }
