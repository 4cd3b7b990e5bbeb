"""SVG line charts drawn at build time: no script, an accessible title and description, data beside them.

Readings sit on a time axis at the MIDDLE of the time they describe: a month's figure mid-month, a financial year's
at the end of September, a year to date halfway from April to the end of its month, a day's on its day. A figure
speaks for its whole period, and only the middle keeps periods of different lengths apart and in order: at the end, a
year's figure and its March figure would fall on the same day; at the start, a year's would sit a year before its
months. (The age of a reading is still counted from the end of its period, when it could first be known:
present.months_before.) Every text is laid out here with a box estimated from its font size and length, so labels
are chosen or moved to never overlap each other, the points or the line.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from html import escape

from .model import Better, Measure, MeasureValue, Unit, period_bounds
from .present import fmt_value, months_before, period_name

CHAR_W, BOLD_W = 0.62, 0.66  # estimated advance of a character, in font sizes (generous for system sans fonts)
GAP = 4.0  # the least space left between two texts, or a text and a mark
R = 4.0  # a point's radius


@dataclass(frozen=True)
class Box:
    """A rectangle in the SVG's user units."""

    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box, gap: float = 0.0) -> bool:
        return not (self.x1 + gap <= other.x0 or other.x1 + gap <= self.x0 or
                    self.y1 + gap <= other.y0 or other.y1 + gap <= self.y0)

    def inside(self, other: Box) -> bool:
        return self.x0 >= other.x0 and self.x1 <= other.x1 and self.y0 >= other.y0 and self.y1 <= other.y1

    def grown(self, by: float) -> Box:
        return Box(self.x0 - by, self.y0 - by, self.x1 + by, self.y1 + by)

    def crosses(self, a: tuple[float, float], b: tuple[float, float]) -> bool:
        """Whether the segment a-b passes through the box (Liang-Barsky clipping)."""
        (ax, ay), (bx, by) = a, b
        t0, t1 = 0.0, 1.0
        for p, q in ((ax - bx, ax - self.x0), (bx - ax, self.x1 - ax), (ay - by, ay - self.y0), (by - ay, self.y1 - ay)):
            if p == 0:
                if q < 0:
                    return False
                continue
            t = q / p
            if p < 0:
                t0 = max(t0, t)
            else:
                t1 = min(t1, t)
            if t0 > t1:
                return False
        return True


@dataclass(frozen=True)
class Label:
    """A text and where it is drawn: `x` is its anchor point, `y` its baseline; `box` the room it takes."""

    text: str
    x: float
    y: float
    anchor: str  # "start", "middle" or "end", as SVG's text-anchor
    size: float
    box: Box
    css: str  # its class


def label(text: str, x: float, y: float, anchor: str, size: float, css: str, bold: bool = False) -> Label:
    w = len(text) * size * (BOLD_W if bold else CHAR_W)
    x0 = {"start": x, "middle": x - w / 2, "end": x - w}[anchor]
    return Label(text, x, y, anchor, size, Box(x0, y - 0.92 * size, x0 + w, y + 0.23 * size), css)


@dataclass(frozen=True)
class Layout:
    """One drawing of a measure: the plot area, the value axis, the points, and every text with its box."""

    width: float
    height: float
    font: float
    plot: Box
    ticks: list[float]
    tick_labels: list[Label]
    points: list[tuple[float, float]]
    x_marks: list[float]  # where each reading sits on the time axis
    x_labels: list[Label]
    target_y: float | None
    target_label: Label | None
    report_x: float | None  # the reporting point's date, when it is later than the last reading
    report_label: Label | None
    unit_label: Label | None

    @property
    def labels(self) -> list[Label]:
        return [*self.tick_labels, *self.x_labels,
                *(lb for lb in (self.target_label, self.report_label, self.unit_label) if lb is not None)]


# --- the value axis ------------------------------------------------------------------------------------------


def nice_step(span: float, count: int = 5) -> float:
    """The 1-2-5 step (times a power of ten) that cuts `span` into about `count` parts, never more."""
    raw = span / count
    power = 10.0 ** math.floor(math.log10(raw))
    return next(f * power for f in (1, 2, 5, 10) if f * power >= raw)


def nice_ticks(low: float, high: float, count: int = 5, whole: bool = False) -> list[float]:
    """Ticks on a 1-2-5 step from below `low` to above `high`, at most count + 1 intervals; `whole`: steps of at
    least 1 (for counts, days and money). Equal ends get a range around them."""
    if high <= low:
        low, high = (low - 1, high + 1) if low else (0.0, 1.0)
    step = nice_step(high - low, count)
    if whole:
        step = max(step, 1.0)
    first, last = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
    return [round(k * step, 10) + 0.0 for k in range(first, last + 1)]


SQUASHED = 0.1  # on a scale from zero (or 0-100%), figures spanning less than this share of it are all but flat


def value_ticks(figures: list[float], unit: Unit, count: int = 5) -> list[float]:
    """The value axis: 0-100 for a percentage, from zero (or through it, for a deficit) otherwise, unless that
    squashes the figures into a flat line, when the axis spans just the figures. All equal figures are drawn on
    the full scale (a flat line is the truth); figures that are all whole numbers get whole steps."""
    low, high = min(figures), max(figures)
    whole = all(f == int(f) for f in figures)
    full = (0.0, 100.0) if unit is Unit.percent and 0 <= low and high <= 100 else (min(0.0, low), max(0.0, high))
    if high > low and high - low < SQUASHED * (full[1] - full[0]):
        return nice_ticks(low, high, count, whole)
    return nice_ticks(*full, count=count, whole=whole)


def tick_text(value: float, ticks: list[float], unit: Unit) -> str:
    """A value axis label, every one of an axis written alike: '20%', '−£1.5m', '2.5'."""
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    sign = "\u2212" if value < 0 else ""
    size = abs(value)
    if unit is Unit.pounds:
        top = max(abs(t) for t in ticks)
        div, word = (1e9, "bn") if top >= 1e9 else (1e6, "m") if top >= 1e6 else (1.0, "")
        if value == 0:
            return "£0"
        shown = _digits(size / div, step / div)
        return f"{sign}£{shown.rstrip('0').rstrip('.') if '.' in shown else shown}{word}"
    return f"{sign}{_digits(size, step)}{'%' if unit is Unit.percent else ''}"


def _digits(value: float, step: float) -> str:
    places = max(0, -math.floor(math.log10(step) + 1e-9))
    return f"{value:,.{places}f}"


UNIT_WORDS = {Unit.days: "Days", Unit.weeks: "Weeks", Unit.count: "Number", Unit.per_week: "Per week",
              Unit.per_month: "Per month", Unit.rate_per_10000: "Per 10,000"}


# --- the time axis -------------------------------------------------------------------------------------------


def axis_period(v: MeasureValue) -> str:
    """A reading's period, short, for the time axis: 'Nov 2012', '2012/13', '5 Nov 2012', 'May 2013 YTD'."""
    last = period_bounds(v.period)[1]
    if len(v.period) == 7 and v.period[4] == "-":
        text = f"{last:%b %Y}"
    elif len(v.period) == 10:
        text = f"{last.day} {last:%b %Y}"
    else:
        text = v.period
    return text + (" YTD" if v.ytd else "")


def reading_day(v: MeasureValue) -> date:
    """Where a reading sits on the time axis: the middle of its period (from April, for a year to date)."""
    first, last = period_bounds(v.period)
    if v.ytd:
        first = date(last.year if last.month >= 4 else last.year - 1, 4, 1)
    return date.fromordinal((first.toordinal() + last.toordinal()) // 2)


def _pick_x_labels(cands: list[Label], width: float) -> list[Label]:
    """The last reading's label first, then the first's, then the others from the latest back: each kept only
    where it overlaps none kept already."""
    order = [len(cands) - 1] + ([0] if len(cands) > 1 else []) + list(range(len(cands) - 2, 0, -1))
    kept: list[Label] = []
    for i in order:
        c = cands[i]
        if c.box.x0 >= 0 and c.box.x1 <= width and not any(c.box.overlaps(k.box, 2 * GAP) for k in kept):
            kept.append(c)
    return sorted(kept, key=lambda lb: lb.x)


# --- the layout ----------------------------------------------------------------------------------------------


def layout(m: Measure, width: float, height: float, font: float, as_at: date | None = None,
           rows: int = 1) -> Layout | None:
    """Where everything of a measure's chart goes at this size; None when no reading has a figure. Above the plot
    is one row of text (the unit, the reporting point), or two when the target's label finds no room elsewhere."""
    shown = sorted((v for v in m.values if v.value is not None), key=reading_day)  # a year may follow its March
    if not shown:
        return None
    figures = [float(v.value) for v in shown if v.value is not None]
    target = float(m.target.value) if m.target and m.better is not Better.neutral else None
    ticks = value_ticks(figures + ([target] if target is not None else []), m.unit)
    texts = [tick_text(t, ticks, m.unit) for t in ticks]
    left = max(len(t) for t in texts) * font * CHAR_W + 2 * GAP
    top, bottom, right = (0.7 + 1.4 * rows) * font, 2.2 * font, GAP + R
    plot = Box(left, top, width - right, height - bottom)
    pad = 3 * R  # keeps the first and last points off the plot's edges

    def y(v: float) -> float:
        return plot.y1 - (plot.y1 - plot.y0) * (v - ticks[0]) / (ticks[-1] - ticks[0])

    days = [reading_day(v).toordinal() for v in shown]
    start, end = days[0], max(days[-1], as_at.toordinal() if as_at else days[-1])

    def x(day: int) -> float:
        if end == start:
            return (plot.x0 + plot.x1) / 2
        return plot.x0 + pad + (plot.x1 - plot.x0 - 2 * pad) * (day - start) / (end - start)

    points = [(x(d), y(f)) for d, f in zip(days, figures)]
    tick_labels = [label(t, plot.x0 - GAP, y(v) + 0.35 * font, "end", font, "axis") for v, t in zip(ticks, texts)]
    base = plot.y1 + 1.6 * font  # clear of the lowest value label beside it
    cands = []
    for v, (px, _) in zip(shown, points):
        text = axis_period(v)
        w = len(text) * font * CHAR_W
        cands.append(label(text, min(max(px, w / 2 + 1), width - w / 2 - 1), base, "middle", font, "axis"))
    x_labels = _pick_x_labels(cands, width)
    report_x = report_label = unit_label = None
    band: list[Label] = []
    if m.unit in UNIT_WORDS:
        unit_label = label(UNIT_WORDS[m.unit], GAP, 1.1 * font, "start", font, "axis unit")
        band.append(unit_label)
    if as_at and report_marked(m, as_at):
        report_x = x(as_at.toordinal())
        text = f"As at {as_at.day} {as_at:%b %Y}"
        w = len(text) * font * CHAR_W
        report_label = label(text, min(report_x + w / 2, width - 1), 1.1 * font, "end", font, "report-label")
        if any(report_label.box.overlaps(b.box, GAP) for b in band):
            report_label = None  # the dotted line is still drawn; the figure's caption says what it marks
        else:
            band.append(report_label)
    target_y = target_label = None
    if target is not None:
        target_y = y(target)
        target_label = _place_target(f"Target {fmt_value(target, m.unit)}", target_y, plot, points, report_x, band,
                                     width, font, rows)
        if target_label is None:
            return layout(m, width, height, font, as_at, rows + 1)
    return Layout(width, height, font, plot, ticks, tick_labels, points, [p[0] for p in points], x_labels, target_y,
                  target_label, report_x, report_label, unit_label)


def _place_target(text: str, ty: float, plot: Box, points: list[tuple[float, float]], report_x: float | None,
                  band: list[Label], width: float, font: float, rows: int) -> Label | None:
    """The target's label beside its dashed line, in the first place that keeps clear of the points, the series
    and the reporting point's line: right, left or between, above or below the line; failing all, above the plot,
    in the row of the unit's and the reporting point's labels or, when `rows` is 2, a row of its own."""
    segments = list(zip(points, points[1:]))
    if report_x is not None:
        segments.append(((report_x, plot.y0), (report_x, plot.y1)))
    w = len(text) * font * BOLD_W
    right = min(plot.x1 - GAP, report_x - 2 * GAP - 1 if report_x is not None else plot.x1)
    xs = [("end", right), ("start", plot.x0 + GAP)] + [
        ("middle", plot.x0 + (plot.x1 - plot.x0) * f) for f in (0.5, 0.25, 0.75)]
    for anchor, ax in xs:
        for baseline in (ty - GAP - 0.23 * font, ty + GAP + 0.92 * font):
            c = label(text, ax, baseline, anchor, font, "target-label", bold=True)
            clear = c.box.grown(GAP)
            if (c.box.inside(plot) and not any(clear.overlaps(Box(px - R, py - R, px + R, py + R)) for px, py in points)
                    and not any(clear.crosses(a, b) for a, b in segments)):
                return c
    for ax in (width - 1, (width + w) / 2, w + GAP):  # above the plot, beside the unit and the report's labels
        c = label(text, ax, 1.1 * font, "end", font, "target-label", bold=True)
        if c.box.x0 >= 0 and not any(c.box.overlaps(b.box, 2 * GAP) for b in band):
            return c
    return label(text, width - 1, 2.5 * font, "end", font, "target-label", bold=True) if rows > 1 else None


# --- drawing -------------------------------------------------------------------------------------------------


def _text(lb: Label) -> str:
    return (f'<text class="{lb.css}" x="{lb.x:.1f}" y="{lb.y:.1f}" text-anchor="{lb.anchor}" '
            f'font-size="{lb.size:g}">{escape(lb.text)}</text>')


def description(m: Measure) -> str:
    """What a chart of the measure shows, in words (its SVG's <desc>; the progress report's alternative text):
    the first figure to the last, how many readings, which direction is better and the target."""
    shown = [v for v in m.values if v.value is not None]
    first, last = shown[0], shown[-1]
    n = len(shown)
    better = "neither direction is better" if m.better is Better.neutral else f"{m.better.value} is better"
    desc = (f"From {fmt_value(first.value, m.unit)} in {period_name(first)} to {fmt_value(last.value, m.unit)} in "
            f"{period_name(last)}, over {n} reading{'s' * (n != 1)}; {better}")
    if m.target and m.better is not Better.neutral:
        desc += f"; target {fmt_value(m.target.value, m.unit)}"
    return desc


def draw(m: Measure, lay: Layout, chart_id: str, css: str) -> str:
    """The SVG of a layout, an image whose title and description say what its figures say."""
    desc = description(m)
    p = lay.plot
    parts = [f'<svg class="chart {css}" viewBox="0 0 {lay.width:g} {lay.height:g}" role="img" '
             f'aria-labelledby="{chart_id}-t {chart_id}-d" xmlns="http://www.w3.org/2000/svg">',
             f'<title id="{chart_id}-t">{escape(m.name)}</title><desc id="{chart_id}-d">{escape(desc)}.</desc>']
    for t, lb in zip(lay.ticks, lay.tick_labels):  # the zero line stands out when figures go below it
        gy = lb.y - 0.35 * lb.size
        parts.append(f'<line class="{"zero" if t == 0 and t != lay.ticks[0] else "grid"}" x1="{p.x0:.1f}" '
                     f'x2="{p.x1:.1f}" y1="{gy:.1f}" y2="{gy:.1f}"/>')
    parts.append(f'<line class="baseline" x1="{p.x0:.1f}" x2="{p.x1:.1f}" y1="{p.y1:.1f}" y2="{p.y1:.1f}"/>')
    parts += [f'<line class="tick" x1="{mx:.1f}" x2="{mx:.1f}" y1="{p.y1:.1f}" y2="{p.y1 + R:.1f}"/>'
              for mx in lay.x_marks]
    if lay.report_x is not None:
        parts.append(f'<line class="report" x1="{lay.report_x:.1f}" x2="{lay.report_x:.1f}" y1="{p.y0:.1f}" '
                     f'y2="{p.y1:.1f}"/>')
    if lay.target_y is not None:
        parts.append(f'<line class="target" x1="{p.x0:.1f}" x2="{p.x1:.1f}" y1="{lay.target_y:.1f}" '
                     f'y2="{lay.target_y:.1f}"/>')
    parts.append('<polyline class="series" points="' + " ".join(f"{px:.1f},{py:.1f}" for px, py in lay.points)
                 + '"/>')
    parts += [f'<circle class="point" cx="{px:.1f}" cy="{py:.1f}" r="{R:g}"/>' for px, py in lay.points]
    parts += [_text(lb) for lb in lay.labels]
    parts.append("</svg>")
    return "".join(parts)


WIDE = (640, 300, 12)  # width, height and font size in user units: shown where the chart is 640 CSS px or wider
NARROW = (340, 260, 14)  # shown on narrower screens, where it is drawn at about its own size (14 px text at 375 px)


def measure_chart(m: Measure, chart_id: str, as_at: date | None = None) -> str:
    """Two inline SVGs of a measure's figures on a time axis, with its target line, laid out for a wide and for a
    narrow space (CSS shows the one that fits, so the text never shrinks below about 12 px); empty when there is
    nothing to draw. Readings without a figure are left out (they are in the table beside it); a neutral measure's
    target is not drawn, as it is never judged; a dotted line marks the reporting point (`as_at`) when it is later
    than the last reading, so the reading's age shows."""
    wide, narrow = layout(m, *WIDE, as_at=as_at), layout(m, *NARROW, as_at=as_at)
    if wide is None or narrow is None:
        return ""
    return draw(m, wide, chart_id, "chart--wide") + draw(m, narrow, f"{chart_id}-n", "chart--narrow")


def report_marked(m: Measure, as_at: date) -> bool:
    """Whether the chart marks the reporting point: it does when that is later than the last reading's place."""
    shown = [v for v in m.values if v.value is not None]
    return bool(shown) and as_at > max(reading_day(v) for v in shown)


def latest_text(m: Measure, as_at: date) -> str:
    """'Latest reading: April 2013, 3 months before this reporting point', for the last reading with a figure (the
    one the chart ends on); empty when none has one."""
    shown = [v for v in m.values if v.value is not None]
    if not shown:
        return ""
    months = months_before(shown[-1], as_at)
    age = f", {months} month{'s' * (months != 1)} before this reporting point" if months else ""
    return f"Latest reading: {period_name(shown[-1])}{age}"


SPARK_W, SPARK_H, SPARK_PAD = 120, 32, 4


def sparkline(m: Measure, label: str) -> str:
    """A small trend chart for the home page: the figures placed by date as on the measure's chart, no axes. It is
    an image with a text alternative (`label`, which says what the figures say); empty with fewer than two figures.
    The numbers themselves are in the table beside it."""
    shown = sorted((v for v in m.values if v.value is not None), key=reading_day)
    if len(shown) < 2:
        return ""
    ends = [reading_day(v).toordinal() for v in shown]
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
