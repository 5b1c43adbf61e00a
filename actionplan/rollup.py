"""A member's published figures, computed one documented way so that anyone can recompute them from the open data.

- Measures: the member's public measures, counted by status.
- Mean progress: the mean of `progress` over the public measures that state one; a measure without a figure is
  left out, never counted as 0.
- Indicators: for each public indicator with a target, its share of the way from baseline to target
  (actionplan/indicators.py), rounded to four decimal places as in the open data's `share` column; the figure is
  the mean of those shares.

Percentages are shown rounded half up to whole numbers. The open-data page states the same formula with the CSV
column names (templates/portal/open_data.html).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from actionplan.models import MeasureStatus

SHARE_PLACES = Decimal("0.0001")


def rounded_share(share: Decimal | None) -> Decimal | None:
    return None if share is None else share.quantize(SHARE_PLACES, rounding=ROUND_HALF_UP)


def _percent(value: Decimal | None) -> int | None:
    return None if value is None else int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Rollup:
    measures: int
    by_status: list[tuple[str, str, int]]  # (status, label, count) in the order of MeasureStatus
    progress_stated: int
    mean_progress: int | None  # percent
    indicators: int
    indicators_with_target: int
    mean_share: int | None  # percent


def plan_rollup(*, measures: Iterable, indicators: Iterable) -> Rollup:
    """From the public measures and the public indicators (with their values prefetched) a page already shows,
    so it costs no query."""
    measures = list(measures)
    progress = [Decimal(m.progress) for m in measures if m.progress is not None]
    shares = []
    indicators = list(indicators)
    for indicator in indicators:
        share = rounded_share(indicator.progress_share())
        if share is not None:
            shares.append(share)
    return Rollup(
        measures=len(measures),
        by_status=[(value, label, sum(1 for m in measures if m.status == value)) for value, label in MeasureStatus.choices],
        progress_stated=len(progress),
        mean_progress=_percent(sum(progress) / len(progress)) if progress else None,
        indicators=len(indicators),
        indicators_with_target=len(shares),
        mean_share=_percent(100 * sum(shares) / len(shares)) if shares else None,
    )
