"""The one formula for an indicator's progress toward its target, used by the pages, the report snapshot and the
open-data documentation alike, so that anyone can recompute a published figure from the CSV.

    share = (latest − baseline) / (target − baseline), limited to 0…1

`latest` is the value with the latest date (the baseline itself when there is none). A target equal to the
baseline, or no target, has no share. A target below the baseline (fewer incidents) works the same way: going
down is progress. The share is rounded to whole percent only for display.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any


def progress_share(*, baseline: Decimal | None, target: Decimal | None, latest: Decimal | None) -> Decimal | None:
    if baseline is None or target is None or target == baseline:
        return None
    if latest is None:
        latest = baseline
    share = (Decimal(latest) - Decimal(baseline)) / (Decimal(target) - Decimal(baseline))
    return min(max(share, Decimal(0)), Decimal(1))


def progress_percent(share: Decimal | None) -> int | None:
    if share is None:
        return None
    return int((share * 100).quantize(Decimal(1), rounding="ROUND_HALF_UP"))


def latest_value(values: list[Any]) -> Any | None:
    """The value with the latest date, from an indicator's values in any order."""
    return max(values, key=lambda v: v.date, default=None)
