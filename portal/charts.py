"""Server-rendered SVG bar charts: no JavaScript, a text description and a data table for each."""

from __future__ import annotations

from dataclasses import dataclass, field

# Geometry of the SVG viewBox; the CSS scales it to the available width.
WIDTH = 480
LABEL_WIDTH = 160  # room for "Verpflichtung 10" at the phone font size
BAR_START = 170
BAR_MAX = 250
ROW_HEIGHT = 26
BAR_HEIGHT = 18


@dataclass
class Bar:
    label: str  # short, drawn in the chart
    full_label: str  # long, in the table and the description
    value: int
    y: int = 0
    width: int = 0
    text_y: int = 0
    value_x: int = 0


@dataclass
class BarChart:
    slug: str
    title: str
    unit: str
    bars: list[Bar] = field(default_factory=list)

    def __post_init__(self) -> None:
        biggest = max((b.value for b in self.bars), default=0) or 1
        for index, bar in enumerate(self.bars):
            bar.y = index * ROW_HEIGHT + 4
            bar.text_y = bar.y + BAR_HEIGHT - 4
            # A zero stays visible as a hairline so the row does not look missing.
            bar.width = max(1, round(BAR_MAX * bar.value / biggest)) if bar.value else 1
            bar.value_x = BAR_START + bar.width + 6

    @property
    def height(self) -> int:
        return len(self.bars) * ROW_HEIGHT + 8

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
