"""What a report covers: the plan's measures and the timeline entries of the report period.

While a report is a draft, the editor shows this live. At submission `build_snapshot` freezes it into
`ImplementationReport.snapshot` (JSON); from then on every page renders the frozen copy, never live data.

Snapshot layout (schema 1)::

    {"schema": 1, "taken_at": "<ISO datetime>", "period": {"start": "YYYY-MM-DD", "end": "YYYY-MM-DD"},
     "commitments": [{"number": 1, "title_de": "…", "title_en": "…",
                      "measures": [{"id": 7, "title": "…", "status": "in_progress", "progress": 40,
                                    "responsible_unit": "…",
                                    "updates": [{"date": "YYYY-MM-DD", "text": "…", "status_change": ""}]}]}]}
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from actionplan.models import Commitment, Measure, MeasureStatus, MeasureUpdate
from core.i18n import is_english
from members.models import Member

SCHEMA = 1


@dataclass
class CommitmentGroup:
    number: int
    title: str
    measures: list = field(default_factory=list)
    narrative: object = None


def live_measures(*, member: Member, start: dt.date, end: dt.date) -> list[Measure]:
    """The member's current public measures with `period_updates`: timeline entries dated within the period.

    Two queries, whatever the number of measures and entries. Retired and internal measures are left out:
    a report is a public document.
    """
    updates = MeasureUpdate.objects.filter(date__gte=start, date__lte=end).order_by("date", "created_at")
    return list(
        Measure.objects.active()
        .filter(plan__member=member, is_public=True)
        .select_related("commitment")
        .prefetch_related(Prefetch("updates", queryset=updates, to_attr="period_updates"))
        .order_by("commitment__number", "title")
    )


def build_snapshot(report) -> dict:
    commitments = {c.number: c for c in Commitment.objects.all()}
    groups: dict[int, dict] = {
        number: {"number": number, "title_de": c.title_de, "title_en": c.title_en, "measures": []}
        for number, c in commitments.items()
    }
    for measure in live_measures(member=report.member, start=report.period_start, end=report.period_end):
        groups[measure.commitment.number]["measures"].append(
            {
                "id": measure.pk,
                "title": measure.title,
                "status": measure.status,
                "progress": measure.progress,
                "responsible_unit": measure.responsible_unit,
                "updates": [
                    {"date": u.date.isoformat(), "text": u.text, "status_change": u.status_change}
                    for u in measure.period_updates
                ],
            }
        )
    return {
        "schema": SCHEMA,
        "taken_at": timezone.now().isoformat(),
        "period": {"start": report.period_start.isoformat(), "end": report.period_end.isoformat()},
        "commitments": [groups[n] for n in sorted(groups)],
    }


_STATUS_LABELS = dict(MeasureStatus.choices)


def snapshot_groups(snapshot: dict | None, narratives) -> list[CommitmentGroup]:
    """The frozen snapshot, shaped for templates, in the current language, with each commitment's narrative."""
    by_number = {n.commitment.number: n for n in narratives}
    english = is_english()
    groups = []
    for item in (snapshot or {}).get("commitments", []):
        measures = []
        for m in item["measures"]:
            updates = [
                {**u, "date": dt.date.fromisoformat(u["date"]), "status_change_label": _STATUS_LABELS.get(u["status_change"], "")}
                for u in m["updates"]
            ]
            measures.append({**m, "status_label": _STATUS_LABELS.get(m["status"], m["status"]), "period_updates": updates})
        groups.append(
            CommitmentGroup(
                number=item["number"],
                title=item["title_en"] if english else item["title_de"],
                measures=measures,
                narrative=by_number.get(item["number"]),
            )
        )
    return groups


def live_groups(report, narratives) -> list[CommitmentGroup]:
    """The same shape as `snapshot_groups`, from live data: what a draft would freeze if submitted now."""
    by_number = {n.commitment.number: n for n in narratives}
    groups = {c.number: CommitmentGroup(number=c.number, title=c.title, narrative=by_number.get(c.number)) for c in Commitment.objects.all()}
    for measure in live_measures(member=report.member, start=report.period_start, end=report.period_end):
        measure.status_label = measure.get_status_display()
        for u in measure.period_updates:
            u.status_change_label = u.get_status_change_display() if u.status_change else ""
        groups[measure.commitment.number].measures.append(measure)
    return [groups[n] for n in sorted(groups)]
