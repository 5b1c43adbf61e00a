"""What a report covers: the plan's measures and the timeline entries of the report period.

While a report is a draft, the editor shows this live. At submission `build_snapshot` freezes it into
`ImplementationReport.snapshot` (JSON); from then on every page renders the frozen copy, never live data.

Snapshot layout (schema 2)::

    {"schema": 2, "taken_at": "<ISO datetime>", "period": {"start": "YYYY-MM-DD", "end": "YYYY-MM-DD"},
     "commitments": [{"number": 1, "title_de": "…", "title_en": "…",
                      "measures": [{"id": 7, "title": "…", "status": "in_progress", "progress": 40,
                                    "responsible_unit": "…",
                                    "updates": [{"date": "YYYY-MM-DD", "text": "…", "status_change": ""}]}],
                      "indicators": [{"id": 3, "name": "…", "unit": "…", "measure_id": 7 or null,
                                      "measure_title": "…" or "",
                                      "baseline": {"date": "YYYY-MM-DD", "value": "40.00"},
                                      "target": {"date": "YYYY-MM-DD", "value": "100.00"} or null,
                                      "values": [{"date": "YYYY-MM-DD", "value": "55.00", "source": "…"}],
                                      "latest": {"date": "YYYY-MM-DD", "value": "55.00"} or null,
                                      "share_percent": 25 or null}]}]}

Indicators (schema 2) are listed per commitment, a measure's indicator with its measure's id and title, so that
one table per commitment shows both kinds. `values` are the values dated within the period; `latest` is the
latest value dated at or before the period's end, even when it lies before the period, so that the figure of
"then" is known for a comparison even if no value falls into the period (null: none yet, the baseline stands).
`share_percent` is the share of the way from baseline to target at the period's end (actionplan/indicators.py).
Numbers are decimal strings: JSON floats would change them. Schema-1 snapshots have no "indicators" key and
render without indicators.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q
from django.utils import timezone

from actionplan.indicators import latest_value, progress_percent, progress_share
from actionplan.models import Commitment, Indicator, IndicatorValue, Measure, MeasureStatus, MeasureUpdate
from core.i18n import is_english
from members.models import Member

SCHEMA = 2


@dataclass
class CommitmentGroup:
    number: int
    title: str
    measures: list = field(default_factory=list)
    narrative: object = None
    indicators: list = field(default_factory=list)


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


def period_indicators(*, member: Member, start: dt.date, end: dt.date) -> dict[int, list[dict]]:
    """The member's public indicators as frozen into a snapshot, by commitment number. Two queries.

    Like the measures: retired and internal indicators are left out, and so are those of an internal or retired
    measure; an indicator whose baseline lies after the period did not exist then.
    """
    values = IndicatorValue.objects.filter(date__lte=end).order_by("date")
    indicators = (
        Indicator.objects.active()
        .filter(plan__member=member, is_public=True, baseline_date__lte=end)
        .filter(Q(measure__isnull=True) | Q(measure__is_public=True, measure__retired_at__isnull=True))
        .select_related("commitment", "measure")
        .prefetch_related(Prefetch("values", queryset=values, to_attr="values_until_end"))
        .order_by("commitment__number", "name", "pk")
    )
    by_number: dict[int, list[dict]] = {}
    for indicator in indicators:
        until_end = indicator.values_until_end
        latest = latest_value(until_end)
        share = progress_share(
            baseline=indicator.baseline_value, target=indicator.target_value, latest=latest.value if latest else None
        )
        by_number.setdefault(indicator.commitment.number, []).append(
            {
                "id": indicator.pk,
                "name": indicator.name,
                "unit": indicator.unit,
                "measure_id": indicator.measure_id,
                "measure_title": indicator.measure.title if indicator.measure else "",
                "baseline": {"date": indicator.baseline_date.isoformat(), "value": str(indicator.baseline_value)},
                "target": (
                    {"date": indicator.target_date.isoformat(), "value": str(indicator.target_value)}
                    if indicator.has_target
                    else None
                ),
                "values": [
                    {"date": v.date.isoformat(), "value": str(v.value), "source": v.source}
                    for v in until_end
                    if v.date >= start
                ],
                "latest": {"date": latest.date.isoformat(), "value": str(latest.value)} if latest else None,
                "share_percent": progress_percent(share),
            }
        )
    return by_number


def build_snapshot(report) -> dict:
    commitments = {c.number: c for c in Commitment.objects.all()}
    indicators = period_indicators(member=report.member, start=report.period_start, end=report.period_end)
    groups: dict[int, dict] = {
        number: {
            "number": number,
            "title_de": c.title_de,
            "title_en": c.title_en,
            "measures": [],
            "indicators": indicators.get(number, []),
        }
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


def _figure(item: dict | None) -> dict | None:
    if not item:
        return None
    return {**item, "date": dt.date.fromisoformat(item["date"]), "value": Decimal(item["value"])}


def shaped_indicators(items: list[dict]) -> list[dict]:
    """A snapshot's indicators for templates: dates as dates, values as decimals."""
    return [
        {
            **i,
            "baseline": _figure(i["baseline"]),
            "target": _figure(i.get("target")),
            "latest": _figure(i.get("latest")),
            "values": [_figure(v) for v in i.get("values", [])],
        }
        for i in items
    ]


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
                # Schema 1 froze no indicators.
                indicators=shaped_indicators(item.get("indicators", [])),
            )
        )
    return groups


def live_groups(report, narratives) -> list[CommitmentGroup]:
    """The same shape as `snapshot_groups`, from live data: what a draft would freeze if submitted now."""
    by_number = {n.commitment.number: n for n in narratives}
    indicators = period_indicators(member=report.member, start=report.period_start, end=report.period_end)
    groups = {
        c.number: CommitmentGroup(
            number=c.number, title=c.title, narrative=by_number.get(c.number), indicators=shaped_indicators(indicators.get(c.number, []))
        )
        for c in Commitment.objects.all()
    }
    for measure in live_measures(member=report.member, start=report.period_start, end=report.period_end):
        measure.status_label = measure.get_status_display()
        for u in measure.period_updates:
            u.status_change_label = u.get_status_change_display() if u.status_change else ""
        groups[measure.commitment.number].measures.append(measure)
    return [groups[n] for n in sorted(groups)]
