"""The plan at a glance for a member's own website (the page is portal/embed.py): what it lists, and how tall it is.

The embed runs no script, so it cannot tell the host page its height. Instead its layout is fixed: every block has
a set height in rem (titles cut to one or two lines by CSS), so the height follows from the data alone: how many
statuses and measure titles each commitment shows. There are two layouts, narrow (one column) and wide (from
40em, the counts beside the titles); `embed_heights` gives the height of each. static/css/embed.css holds the
same numbers: change them together (portal/tests/test_browser_embed.py measures each block against them).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.urls import reverse

from actionplan.models import ActionPlan, Commitment, Measure, MeasureStatus, PlanFigures

# Measure titles shown under each commitment; the rest are "and N more" on the member page.
TITLES_PER_COMMITMENT = 5
# A title longer than any line can show is cut here too, which keeps the page small (CSS cuts it to one line).
TITLE_CHARS = 80
# Where the wide layout starts (a media query in em: the browser's default font size, as rem in the frame).
WIDE_FROM_EM = 40
# Px per rem at the browsers' default font size, and the frame's own border (2 px each side by default, inside
# the height when the host page sets `box-sizing: border-box` on everything).
PX_PER_REM = 16
FRAME_BORDER_PX = 4


@dataclass
class EmbedRow:
    number: int
    title: str
    total: int
    # (status, label, count, x offset in %, width in %) for the non-empty statuses, in the order of MeasureStatus.
    segments: list[tuple[str, str, int, float, float]]
    # (pk, title, content language) of the first TITLES_PER_COMMITMENT public measures, by title.
    measures: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def shown(self) -> int:
        return min(self.total, TITLES_PER_COMMITMENT)

    @property
    def more(self) -> int:
        return self.total - self.shown


def status_segments(counts: dict[str, int]) -> list[tuple[str, str, int, float, float]]:
    total = sum(counts.values())
    segments, offset = [], 0.0
    for value, label in MeasureStatus.choices:
        count = counts.get(value, 0)
        if count:
            width = 100 * count / total
            segments.append((value, label, count, offset, width))
            offset += width
    return segments


def plan_glance_rows(plan: ActionPlan | None, figures: PlanFigures | None, *, titles: bool = True) -> list[EmbedRow]:
    """The ten commitments with the plan's public measures by status: the maintained figures say whether there
    is anything to count; then one grouped query and (with titles) one for the first titles of each commitment,
    however many measures the plan has."""
    per_commitment: dict[int, dict[str, int]] = {}
    measures: dict[int, list[tuple[int, str, str]]] = {}
    if plan is not None and figures is not None and figures.measures:
        public = Measure.objects.public().filter(plan=plan)
        grouped = public.order_by().values_list("commitment__number", "status").annotate(count=Count("pk"))
        for number, status, count in grouped:
            per_commitment.setdefault(number, {})[status] = count
        if titles:
            first = (
                public.annotate(
                    rank=Window(RowNumber(), partition_by=[F("commitment_id")], order_by=[F("title").asc(), F("pk").asc()])
                )
                .filter(rank__lte=TITLES_PER_COMMITMENT)
                .order_by("commitment__number", "title", "pk")
                .values_list("commitment__number", "pk", "title", "content_language")
            )
            for number, pk, title, language in first:
                measures.setdefault(number, []).append((pk, title, language))
    rows = []
    for commitment in Commitment.objects.only("number", "title_de", "title_en"):
        counts = per_commitment.get(commitment.number, {})
        rows.append(
            EmbedRow(commitment.number, commitment.title, sum(counts.values()), status_segments(counts),
                     measures.get(commitment.number, []))
        )
    return rows


@dataclass(frozen=True)
class Layout:
    """The fixed heights (rem) of one layout, as in static/css/embed.css."""

    name: str
    min_width_em: int
    text_lines: int  # kicker, heading, summary, list heading and report: lines each
    link_lines: int  # the final link to the whole plan (with the member's name, which may be long)
    title_lines: int  # a commitment's title
    status_columns: int  # the plan's status counts side by side
    wide_rows: bool  # counts beside the titles rather than under them


NARROW = Layout("narrow", 0, text_lines=2, link_lines=3, title_lines=2, status_columns=2, wide_rows=False)
WIDE = Layout("wide", WIDE_FROM_EM, text_lines=1, link_lines=1, title_lines=1, status_columns=3, wide_rows=True)
LAYOUTS = (NARROW, WIDE)

# rem; a gap is the margin above a block.
PAGE_PADDING = 0.75
KICKER_LINE, HEADING_LINE, TEXT_LINE = 1.25, 1.625, 1.375
HEADING_GAP, SUMMARY_GAP, STATUSES_GAP, LIST_HEADING_GAP = 0.25, 0.375, 0.5, 1
LIST_GAP, REPORT_GAP, MORE_GAP = 0.375, 0.75, 0.5
BAR, BAR_GAP = 0.5, 0.25
ROW_PADDING, ROW_TITLE_LINE, COUNTS_GAP, COUNT_LINE = 1, 1.3125, 0.25, 1.375
STATUS_LINE, TITLES_GAP, TITLE_LINE = 1.25, 0.25, 1.5
CHIP_COLUMNS = 2  # a commitment's status counts side by side, in both layouts


def row_height(row: EmbedRow, layout: Layout) -> float:
    counts = COUNT_LINE + math.ceil(len(row.segments) / CHIP_COLUMNS) * STATUS_LINE
    lines = row.shown + (1 if row.more else 0)
    titles = TITLES_GAP + lines * TITLE_LINE if lines else 0
    title = layout.title_lines * ROW_TITLE_LINE
    if layout.wide_rows:
        return ROW_PADDING + max(title + titles, counts)
    return ROW_PADDING + title + COUNTS_GAP + counts + titles


def page_height(rows: list[EmbedRow], statuses: int, layout: Layout) -> float:
    """The height of the whole page in rem: `statuses` is the number of statuses the plan has measures in."""
    lines = layout.text_lines
    status_rows = math.ceil(statuses / layout.status_columns)
    status_block = STATUSES_GAP + BAR + BAR_GAP + status_rows * STATUS_LINE if statuses else 0
    return (
        2 * PAGE_PADDING
        + lines * KICKER_LINE
        + HEADING_GAP + lines * HEADING_LINE
        + SUMMARY_GAP + lines * TEXT_LINE
        + status_block
        + LIST_HEADING_GAP + lines * TEXT_LINE
        + LIST_GAP + sum(row_height(row, layout) for row in rows)
        + REPORT_GAP + lines * TEXT_LINE
        + MORE_GAP + layout.link_lines * TEXT_LINE
    )


@dataclass(frozen=True)
class EmbedHeight:
    layout: str
    min_width_em: int
    rem: float
    # For a height attribute: at the default font size, with room for the frame's default border.
    px: int


def embed_heights(rows: list[EmbedRow], statuses: int) -> list[EmbedHeight]:
    heights = []
    for layout in LAYOUTS:
        rem = page_height(rows, statuses, layout)
        heights.append(EmbedHeight(layout.name, layout.min_width_em, rem, math.ceil(rem * PX_PER_REM) + FRAME_BORDER_PX))
    return heights


def public_measure_url(*, member_slug: str, measure_id: int) -> str:
    """Where a measure is shown to the public: its own page (portal/measure_page.py)."""
    return reverse("members:measure", args=[member_slug, measure_id])
