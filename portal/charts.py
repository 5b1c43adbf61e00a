"""Server-rendered SVG bar charts: no JavaScript, a text description and a data table for each."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

# Geometry of the SVG viewBox; the CSS scales it to the available width.
WIDTH = 480
LABEL_WIDTH = 160  # room for "Verpflichtung 10" at the phone font size
BAR_START = 170
BAR_MAX = 250
ROW_HEIGHT = 26
BAR_HEIGHT = 18
# Charts whose categories have long names (the commitments) write the name above its bar, wrapped.
LINE_HEIGHT = 18
WRAP_AT = 44  # characters per line that fit the viewBox at the phone font size


@dataclass
class Bar:
    label: str  # short, drawn in the chart
    full_label: str  # long, in the table and the description
    value: int
    y: int = 0
    width: int = 0
    text_y: int = 0
    value_x: int = 0
    lines: list[tuple[str, int]] = field(default_factory=list)  # (text, y) of a label written above the bar


@dataclass
class BarChart:
    slug: str
    title: str
    unit: str
    bars: list[Bar] = field(default_factory=list)
    labels_above: bool = False
    _height: int = 0

    def __post_init__(self) -> None:
        biggest = max((b.value for b in self.bars), default=0) or 1
        if self.labels_above:
            self._layout_labels_above(biggest)
            return
        for index, bar in enumerate(self.bars):
            bar.y = index * ROW_HEIGHT + 4
            bar.text_y = bar.y + BAR_HEIGHT - 4
            # A zero stays visible as a hairline so the row does not look missing.
            bar.width = max(1, round(BAR_MAX * bar.value / biggest)) if bar.value else 1
            bar.value_x = BAR_START + bar.width + 6

        self._height = len(self.bars) * ROW_HEIGHT + 8

    def _layout_labels_above(self, biggest: int) -> None:
        bar_max = WIDTH - 50
        top = 4
        for bar in self.bars:
            wrapped = textwrap.wrap(bar.full_label, WRAP_AT, break_on_hyphens=False) or [""]
            bar.lines = [(line, top + (i + 1) * LINE_HEIGHT - 4) for i, line in enumerate(wrapped)]
            bar.y = top + len(wrapped) * LINE_HEIGHT + 2
            bar.text_y = bar.y + BAR_HEIGHT - 4
            bar.width = max(1, round(bar_max * bar.value / biggest)) if bar.value else 1
            bar.value_x = bar.width + 6
            top = bar.y + BAR_HEIGHT + 12
        self._height = top

    @property
    def height(self) -> int:
        return self._height

    @property
    def bar_x(self) -> int:
        return 0 if self.labels_above else BAR_START

    @property
    def total(self) -> int:
        return sum(b.value for b in self.bars)

    @property
    def description(self) -> str:
        return "; ".join(f"{b.full_label}: {b.value}" for b in self.bars)

    # Template constants
    width = WIDTH
    label_x = LABEL_WIDTH
    bar_start = BAR_START
    bar_height = BAR_HEIGHT
