"""SVG line charts drawn at build time: no script, an accessible title and description, data beside them."""

from __future__ import annotations

from html import escape

from .model import Better, Measure, Unit, period_bounds
from .present import fmt_period, fmt_value

W, H = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 24, 56


def measure_chart(m: Measure, chart_id: str) -> str:
    """An inline SVG of a measure's figures with its target line; empty when there is nothing to draw. Readings
    without a figure are left out (they are in the table beside it); a neutral measure's target is not drawn, as it
    is never judged; the scale reaches below zero when a figure (money) does."""
    shown = [v for v in m.values if v.value is not None]
    if not shown:
        return ""
    values = [float(v.value) for v in shown if v.value is not None]
    target = m.target.value if m.target and m.better is not Better.neutral else None
    every = values + ([target] if target is not None else [])
    low = min(0.0, min(every) * 1.15)
    top = 100.0 if m.unit is Unit.percent else max(0.0, max(every) * 1.15) or (0.0 if low else 1.0)
    plot_w, plot_h = W - LEFT - RIGHT, H - TOP - BOTTOM
    n = len(values)

    def x(i: int) -> float:
        return LEFT + (plot_w / 2 if n == 1 else plot_w * i / (n - 1))

    def y(v: float) -> float:
        return TOP + plot_h * (1 - (v - low) / (top - low))

    parts = [f'<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
             f'xmlns="http://www.w3.org/2000/svg">']
    first, last = shown[0], shown[-1]
    better = "neither direction is better" if m.better is Better.neutral else f"{m.better.value} is better"
    desc = (f"From {fmt_value(first.value, m.unit)} in {fmt_period(first)} to {fmt_value(last.value, m.unit)} in "
            f"{fmt_period(last)}, over {n} reading{'s' * (n != 1)}; {better}")
    if target is not None:
        desc += f"; target {fmt_value(target, m.unit)}"
    parts.append(f'<title id="{chart_id}-t">{escape(m.name)}</title><desc id="{chart_id}-d">{escape(desc)}.</desc>')
    for k in range(5):  # gridlines and y labels
        v = low + (top - low) * k / 4
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{W - RIGHT}" y1="{y(v):.1f}" y2="{y(v):.1f}"/>'
                     f'<text class="axis" x="{LEFT - 8}" y="{y(v) + 4:.1f}" text-anchor="end">'
                     f'{escape(fmt_value(round(v, 1), m.unit))}</text>')
    step = max(1, n // 8)
    for i, v in enumerate(shown):
        if i % step == 0 or i == n - 1:
            parts.append(f'<text class="axis" x="{x(i):.1f}" y="{H - BOTTOM + 20}" text-anchor="middle">'
                         f'{escape(v.period)}{" YTD" if v.ytd else ""}</text>')
    if target is not None:
        parts.append(f'<line class="target" x1="{LEFT}" x2="{W - RIGHT}" y1="{y(target):.1f}" y2="{y(target):.1f}"/>'
                     f'<text class="target-label" x="{W - RIGHT}" y="{y(target) - 6:.1f}" text-anchor="end">'
                     f'Target {escape(fmt_value(target, m.unit))}</text>')
    points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
    parts.append(f'<polyline class="series" points="{points}"/>')
    for i, v in enumerate(values):
        parts.append(f'<circle class="point" cx="{x(i):.1f}" cy="{y(v):.1f}" r="4"/>')
    parts.append("</svg>")
    return "".join(parts)


SPARK_W, SPARK_H, SPARK_PAD = 120, 32, 4


def sparkline(m: Measure, label: str) -> str:
    """A small trend chart for the home page: the figures placed by the end date of their periods, no axes. It is
    an image with a text alternative (`label`, which says what the figures say); empty with fewer than two figures.
    The numbers themselves are in the table beside it."""
    shown = [v for v in m.values if v.value is not None]
    if len(shown) < 2:
        return ""
    ends = [period_bounds(v.period)[1].toordinal() for v in shown]
    values = [float(v.value) for v in shown if v.value is not None]
    low, high = min(values), max(values)
    first, last = ends[0], ends[-1]

    def x(day: int) -> float:
        return SPARK_PAD + (SPARK_W - 2 * SPARK_PAD) * ((day - first) / (last - first) if last > first else 0.5)

    def y(v: float) -> float:
        return SPARK_PAD + (SPARK_H - 2 * SPARK_PAD) * (1 - ((v - low) / (high - low) if high > low else 0.5))

    points = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in zip(ends, values))
    return (f'<svg class="ip-spark" viewBox="0 0 {SPARK_W} {SPARK_H}" width="{SPARK_W}" height="{SPARK_H}" '
            f'role="img" aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">'
            f'<polyline class="series" points="{points}"/>'
            f'<circle class="point" cx="{x(ends[-1]):.1f}" cy="{y(values[-1]):.1f}" r="3"/></svg>')
