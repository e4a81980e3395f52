"""Geometry of the results charts, drawn as SVG on the server (templates/surveys/results/_chart*.svg.html).

The drawing is sized for a phone (a 320-unit-wide view box, 14-unit text: about the size of the page's text on a
phone) and scales with the page up to a width set in results.css; its data is repeated in a table under it, which is
what screen readers and keyboard users read.
"""

from __future__ import annotations

from dataclasses import dataclass

from participe.modules.surveys.results import Line, MatrixLine

WIDTH = 320
VALUE_ROOM = 76  # what the figure after a bar needs ("100 %", "rang 12,5")
LABEL_HEIGHT = 18
BAR_HEIGHT = 16
GAP = 12
LABEL_CHARACTERS = 44
PALETTE_SIZE = 8  # colours of the matrix segments (results.css)


def shorten(label: str, size: int = LABEL_CHARACTERS) -> str:
    return label if len(label) <= size else label[: size - 1].rstrip() + "…"


@dataclass
class Bar:
    line: Line
    label: str
    label_y: int
    bar_y: int
    width: float
    value_x: float
    value_y: int


@dataclass
class BarChart:
    bars: list[Bar]
    height: int
    width: int = WIDTH
    bar_height: int = BAR_HEIGHT
    track: int = WIDTH - VALUE_ROOM  # the full length a bar may take, drawn lightly behind each bar


def bar_chart(lines: list[Line]) -> BarChart:
    """One horizontal bar per line under its label; the longest bar (``share`` 1) fills the width."""
    room = WIDTH - VALUE_ROOM
    bars = []
    top = 0
    for line in lines:
        width = round(line.share * room, 1)
        if line.count and width < 2:
            width = 2.0  # a non-zero count stays visible
        bar_y = top + LABEL_HEIGHT
        bars.append(Bar(line, shorten(line.label), top + 13, bar_y, width, width + 6, bar_y + 12))
        top += LABEL_HEIGHT + BAR_HEIGHT + GAP
    return BarChart(bars, max(top - GAP, 1))


@dataclass
class Segment:
    cell: Line
    x: float
    width: float
    colour: int
    show_value: bool

    @property
    def text_x(self) -> float:
        return round(self.x + 4, 1)


@dataclass
class StackedRow:
    line: MatrixLine
    label: str
    label_y: int
    bar_y: int
    segments: list[Segment]

    @property
    def text_y(self) -> int:
        return self.bar_y + 15


@dataclass
class StackedChart:
    rows: list[StackedRow]
    height: int
    legend: list[tuple[str, int]]  # (column label, colour)
    width: int = WIDTH
    bar_height: int = BAR_HEIGHT + 4


def stacked_chart(lines: list[MatrixLine]) -> StackedChart:
    """One bar per matrix row, split between its columns in proportion (each row sums to 100 %)."""
    rows = []
    top = 0
    for line in lines:
        x = 0.0
        segments = []
        for index, cell in enumerate(line.cells):
            width = round(cell.share * WIDTH, 1)
            if width > 0:
                segments.append(Segment(cell, x, width, index % PALETTE_SIZE, show_value=width >= 36))
            x += width
        rows.append(StackedRow(line, shorten(line.label), top + 13, top + LABEL_HEIGHT, segments))
        top += LABEL_HEIGHT + BAR_HEIGHT + 4 + GAP
    columns = lines[0].cells if lines else []
    legend = [(cell.label, index % PALETTE_SIZE) for index, cell in enumerate(columns)]
    return StackedChart(rows, max(top - GAP, 1), legend)
