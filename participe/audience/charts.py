"""Bar charts drawn on the server as SVG (no script, no library): the geometry of each bar, computed here; the
template draws it. Every chart has its table beside it, which is what assistive technologies read."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH, HEIGHT, GAP = 600, 160, 1


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: int


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    width: int = WIDTH
    height: int = HEIGHT
    top: int = 0  # the value at the top of the chart

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


def columns(points: Sequence[tuple[str, int]]) -> Chart:
    """One column per point, side by side, scaled to the largest value (a value of 0 has no column)."""
    top = max((value for _label, value in points), default=0)
    if not points:
        return Chart([])
    step = WIDTH / len(points)
    width = max(step - GAP, 0.5)
    bars = []
    for index, (label, value) in enumerate(points):
        height = HEIGHT * value / top if top else 0
        bars.append(
            Bar(round(index * step, 2), round(HEIGHT - height, 2), round(width, 2), round(height, 2), label, value)
        )
    return Chart(bars, top=top)
