"""Server-rendered SVG line chart of an indicator: no JavaScript, a text description and a data table beside it.

The geometry follows portal/charts.py: coordinates in a fixed viewBox, the CSS scales it to the width. The
baseline, the values and the target have different marker shapes (square, circle, diamond) and the way to the
target is dashed, so the chart does not rely on colour.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from actionplan.indicators import latest_value, progress_percent, progress_share
from core.numbers import format_number

WIDTH = 480
HEIGHT = 220
PLOT_LEFT = 84  # room for the axis figures at the phone font size
PLOT_RIGHT = WIDTH - 16
PLOT_TOP = 14
PLOT_BOTTOM = HEIGHT - 34  # room for the dates below the axis


def figure(value: Decimal | None) -> str:
    """A figure as the page's language writes it, grouped, without trailing zeros: 1.234,5 (de) / 1,234.5 (en)."""
    if value is None:
        return ""
    return format_number(Decimal(value))


@dataclass
class ChartPoint:
    date: dt.date
    value: Decimal
    x: float = 0.0
    y: float = 0.0

    @property
    def square(self) -> tuple[str, str]:
        """The baseline's marker: the top left corner of a 10 × 10 square around the point."""
        return f"{self.x - 5:.1f}", f"{self.y - 5:.1f}"

    @property
    def diamond(self) -> str:
        """The target's marker: a diamond around the point."""
        return f"{self.x:.1f},{self.y - 6:.1f} {self.x + 6:.1f},{self.y:.1f} {self.x:.1f},{self.y + 6:.1f} {self.x - 6:.1f},{self.y:.1f}"


@dataclass
class IndicatorChart:
    slug: str
    title: str
    unit: str
    baseline: ChartPoint
    values: list[ChartPoint] = field(default_factory=list)
    target: ChartPoint | None = None
    share: Decimal | None = None

    width = WIDTH
    height = HEIGHT
    plot_left = PLOT_LEFT
    plot_right = PLOT_RIGHT
    plot_top = PLOT_TOP
    plot_bottom = PLOT_BOTTOM

    def __post_init__(self) -> None:
        points = self.all_points
        first = min(p.date for p in points)
        last = max(p.date for p in points)
        days = max((last - first).days, 1)
        low, high = min(p.value for p in points), max(p.value for p in points)
        if low == high:
            # A flat series sits in the middle of the plot, not on its edge.
            low, high = low - 1, high + 1
        self.y_min, self.y_max, self.x_first, self.x_last = low, high, first, last
        for point in points:
            point.x = PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * (point.date - first).days / days
            point.y = PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * float((point.value - low) / (high - low))

    @property
    def all_points(self) -> list[ChartPoint]:
        return [self.baseline, *self.values, *([self.target] if self.target else [])]

    @property
    def line(self) -> str:
        """The measured series from the baseline through every value, as SVG polyline points."""
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in [self.baseline, *self.values])

    @property
    def latest(self) -> ChartPoint:
        return self.values[-1] if self.values else self.baseline

    @property
    def percent(self) -> int | None:
        return progress_percent(self.share)

    @property
    def y_min_label(self) -> str:
        return figure(self.y_min)

    @property
    def y_max_label(self) -> str:
        return figure(self.y_max)

    @property
    def x_first_label(self) -> str:
        return formats.date_format(self.x_first, "SHORT_DATE_FORMAT")

    @property
    def x_last_label(self) -> str:
        return formats.date_format(self.x_last, "SHORT_DATE_FORMAT")

    @property
    def share_text(self) -> str:
        if self.target is None:
            return _("No target has been set, so there is no share of the way to a target.")
        if self.share is None:
            return _("The target equals the baseline, so there is no way to measure.")
        return _("%(percent)s %% of the way from the baseline to the target has been covered.") % {"percent": self.percent}

    @property
    def description(self) -> str:
        def say(point: ChartPoint) -> str:
            return _("%(value)s %(unit)s on %(date)s") % {
                "value": figure(point.value), "unit": self.unit, "date": formats.date_format(point.date, "DATE_FORMAT")
            }

        parts = [_("Baseline: %(point)s.") % {"point": say(self.baseline)}]
        if self.values:
            parts.append(_("Latest value: %(point)s.") % {"point": say(self.latest)})
            parts.append(_("Number of values: %(count)s.") % {"count": len(self.values)})
        else:
            parts.append(_("No values entered yet."))
        if self.target is not None:
            parts.append(_("Target: %(point)s.") % {"point": say(self.target)})
        parts.append(self.share_text)
        return " ".join(parts)


def indicator_chart(indicator, values=None) -> IndicatorChart:
    """The chart of an indicator, from `values` or its own (prefetched) values."""
    values = sorted(indicator.values.all() if values is None else values, key=lambda v: v.date)
    latest = latest_value(values)
    target = None
    if indicator.target_value is not None and indicator.target_date is not None:
        target = ChartPoint(indicator.target_date, indicator.target_value)
    return IndicatorChart(
        slug=f"indicator-{indicator.pk}",
        title=indicator.name,
        unit=indicator.unit,
        baseline=ChartPoint(indicator.baseline_date, indicator.baseline_value),
        values=[ChartPoint(v.date, v.value) for v in values],
        target=target,
        share=progress_share(
            baseline=indicator.baseline_value, target=indicator.target_value, latest=latest.value if latest else None
        ),
    )
