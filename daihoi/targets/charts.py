"""Server-side SVG charts: a target's yearly series against its target line, and a unit's
targets as progress bars. Pure Python, no Django import; nothing is loaded from the network.
Labels are passed in already translated; every text is XML-escaped here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 560, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 24, 36
COLOURS = {
    "met": "#1a7f37",
    "on_track": "#2f6fb3",
    "at_risk": "#b35900",
    "missed": "#b3261e",
    "no_data": "#888888",
}


def _num(value: Decimal | float) -> str:
    value = Decimal(str(value)).quantize(Decimal("0.01")).normalize()
    text = f"{value:f}"
    return text


def _attr(value: str) -> str:
    return escape(value, {'"': "&quot;"})


@dataclass(frozen=True)
class Series:
    points: Sequence[tuple[int, Decimal]]
    target: Decimal
    target_year: int
    baseline: Decimal
    baseline_year: int


def target_chart(series: Series, *, title: str, target_label: str, unit_label: str) -> str:
    """A line of the baseline and yearly figures, with the target as a dashed line."""
    points = [(series.baseline_year, series.baseline), *sorted(series.points)]
    years = [y for y, _v in points] + [series.target_year]
    values = [v for _y, v in points] + [series.target]
    y_min, y_max = min(values), max(values)
    if y_min == y_max:
        y_min, y_max = y_min - 1, y_max + 1
    pad = (y_max - y_min) / 10
    y_min, y_max = y_min - pad, y_max + pad
    x_min, x_max = min(years), max(years)
    span_x = max(x_max - x_min, 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(year: int) -> float:
        return LEFT + plot_w * (year - x_min) / span_x

    def y(value: Decimal) -> float:
        return TOP + plot_h * float((y_max - value) / (y_max - y_min))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{_attr(title)}" '
        'class="chart target-chart">',
        f"<title>{escape(title)}</title>",
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="#fafafa" '
        'stroke="#ccc"/>',
    ]
    for year in range(x_min, x_max + 1):
        parts.append(
            f'<text x="{x(year):.1f}" y="{HEIGHT - 14}" font-size="11" '
            f'text-anchor="middle">{year}</text>'
        )
    for value in (y_min + pad, y_max - pad):
        parts.append(
            f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" font-size="11" '
            f'text-anchor="end">{_num(value)}</text>'
        )
    ty = y(series.target)
    parts.append(
        f'<line x1="{LEFT}" y1="{ty:.1f}" x2="{LEFT + plot_w}" y2="{ty:.1f}" stroke="#b3261e" '
        'stroke-dasharray="6 4" class="target-line"/>'
    )
    parts.append(
        f'<text x="{LEFT + plot_w - 4}" y="{ty - 5:.1f}" font-size="11" fill="#b3261e" '
        f'text-anchor="end">{escape(target_label)} {_num(series.target)} '
        f"{escape(unit_label)}</text>"
    )
    path = " ".join(f"{x(yr):.1f},{y(v):.1f}" for yr, v in points)
    parts.append(
        f'<polyline points="{path}" fill="none" stroke="#2f6fb3" stroke-width="2" class="series"/>'
    )
    for yr, v in points:
        parts.append(
            f'<circle cx="{x(yr):.1f}" cy="{y(v):.1f}" r="3.5" fill="#2f6fb3">'
            f"<title>{yr}: {_num(v)} {escape(unit_label)}</title></circle>"
        )
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True)
class Bar:
    label: str
    percent: Decimal | None  # achievement towards the target, may exceed 100
    status: str
    status_label: str


def unit_chart(bars: Sequence[Bar], *, title: str) -> str:
    """One horizontal bar per target: its achievement in percent, coloured by status."""
    row, label_w, bar_w = 26, 240, 260
    height = TOP + row * max(len(bars), 1) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" '
        f'aria-label="{_attr(title)}" class="chart unit-chart">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{label_w + bar_w}" y1="{TOP - 6}" x2="{label_w + bar_w}" y2="{height - 6}" '
        'stroke="#999" stroke-dasharray="3 3"/>',
        f'<text x="{label_w + bar_w}" y="{TOP - 10}" font-size="10" text-anchor="middle">'
        "100%</text>",
    ]
    for index, bar in enumerate(bars):
        top = TOP + index * row
        share = float(min(max(bar.percent or Decimal(0), Decimal(0)), Decimal(120))) / 100
        colour = COLOURS.get(bar.status, "#888888")
        label = bar.label if len(bar.label) <= 38 else bar.label[:37] + "…"
        shown = "–" if bar.percent is None else f"{_num(bar.percent)}%"
        parts.append(
            f'<text x="{label_w - 6}" y="{top + 15}" font-size="11" text-anchor="end">'
            f"{escape(label)}</text>"
        )
        parts.append(
            f'<rect x="{label_w}" y="{top + 4}" width="{bar_w * share:.1f}" height="16" '
            f'fill="{colour}"><title>{escape(bar.label)}: {shown} '
            f"({escape(bar.status_label)})</title></rect>"
        )
        parts.append(
            f'<text x="{label_w + bar_w * share + 4:.1f}" y="{top + 16}" font-size="10">'
            f"{shown}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
