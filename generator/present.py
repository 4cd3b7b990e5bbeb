"""How values read on the page: units, statuses, judgements against target, trends. Shared by pages and downloads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .model import Better, Measure, MeasureValue, Unit, period_bounds

_SUFFIX = {Unit.percent: "%", Unit.days: " days", Unit.weeks: " weeks", Unit.count: "", Unit.per_week: " per week",
           Unit.per_month: " per month", Unit.rate_per_10000: " per 10,000", Unit.pounds: ""}


def number(value: float) -> str:
    return f"{value:,.1f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value):,}"


def pounds(value: float) -> str:
    """Money as a scorecard prints it: '£1,234', '£1,234.50', '£1.2m' from a million, '£1.2bn' from a billion;
    an overspend or deficit with a minus sign, '−£2m'."""
    size = abs(value)
    if size >= 1e9:
        shown = number(round(size / 1e9, 1)) + "bn"
    elif size >= 1e6:
        shown = number(round(size / 1e6, 1)) + "m"
    else:
        shown = f"{size:,.2f}" if size != int(size) else f"{int(size):,}"
    return ("\u2212" if value < 0 else "") + "£" + shown


def fmt_value(value: float | None, unit: Unit) -> str:
    if value is None:
        return "–"
    if unit is Unit.pounds:
        return pounds(value)
    suffix = _SUFFIX[unit]
    if value == 1 and unit in (Unit.days, Unit.weeks):
        suffix = suffix[:-1]
    return number(value) + suffix


def fmt_date(day: date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else "–"


def fmt_period(v: MeasureValue) -> str:
    """A reading's period as written, or a year to date as '2013/14 year to date (to August 2013)'."""
    if not v.ytd:
        return v.period
    end = period_bounds(v.period)[1]
    start = end.year if end.month >= 4 else end.year - 1
    return f"{start}/{(start + 1) % 100:02d} year to date (to {end:%B %Y})"


def period_name(v: MeasureValue) -> str:
    """A reading's period in words: 'April 2013', '5 April 2013', '2013', '2012/13'; a year to date as fmt_period."""
    if v.ytd:
        return fmt_period(v)
    if len(v.period) == 7 and v.period[4] == "-":
        return f"{period_bounds(v.period)[0]:%B %Y}"
    if len(v.period) == 10:
        return fmt_date(period_bounds(v.period)[0])
    return v.period


def fmt_reading(v: MeasureValue, unit: Unit) -> str:
    """A reading's figure, or its note when it has none ('improving since April')."""
    return fmt_value(v.value, unit) if v.value is not None else v.note


def months_before(v: MeasureValue, as_at: date) -> int:
    """Whole months from the last day of a reading's period to `as_at` (April's reading is 2 months old on 1 July
    and on 30 June, 3 on 31 July); 0 when less than a month, or when the period ends after `as_at`."""
    end = period_bounds(v.period)[1]
    return max(0, (as_at.year - end.year) * 12 + as_at.month - end.month - (as_at.day < end.day))


def age_text(months: int) -> str:
    return f"latest reading {months} month{'s' * (months != 1)} before this reporting point" if months else ""


@dataclass(frozen=True)
class Reading:
    """A measure's latest position: the latest reading, how it compares with the figure before it and with the
    target, and how old it is. A reading without a figure is shown but never compared or judged."""

    latest: MeasureValue | None
    previous: MeasureValue | None
    meets_target: bool | None  # None: not judged (see `judged`)
    judged: str  # "met", "missed", "no_target", "neutral" (never judged), "no_reading" or "no_figure" (latest has none)
    direction: str  # "up", "down", "same" or "": which way the latest figure moved from the one before it
    trend: str  # "better", "worse", "same", "neutral" (moved, not judged), "no_figure", "unlike" (year to date
    #             beside a reading that is not), "one" or "none" (no readings)
    age_months: int  # months from the end of the latest reading's period to the as-at date
    since: MeasureValue | None = None  # the figure the latest one is compared with (the last before it with one)
    change: float = 0.0  # latest figure minus `since`'s
    unit: Unit = Unit.count
    better: Better = Better.higher


def is_better(better: Better, new: float, old: float) -> bool:
    return new > old if better is Better.higher else new < old


def _meets(m: Measure, value: float) -> bool:
    assert m.target is not None
    return value >= m.target.value if m.better is Better.higher else value <= m.target.value


def reading(m: Measure, as_at: date | None = None) -> Reading:
    latest = m.values[-1] if m.values else None
    previous = m.values[-2] if len(m.values) > 1 else None
    figures = [v for v in m.values if v.value is not None]
    meets, judged = None, "no_target"
    if m.better is Better.neutral:
        judged = "neutral"
    elif latest is None and m.target:
        judged = "no_reading"
    elif latest is not None and latest.value is None and m.target:
        judged = "no_figure"
    elif latest is not None and m.target:
        meets = _meets(m, latest.value)
        judged = "met" if meets else "missed"
    direction, trend, since, change = "", "none" if latest is None else "one", None, 0.0
    if latest is not None and latest.value is None:
        trend = "no_figure"
    elif len(figures) > 1 and figures[-1].ytd != figures[-2].ytd:
        trend = "unlike"  # a year to date beside a month or a whole year: the figures count different spans
    elif len(figures) > 1:
        new, old = figures[-1].value, figures[-2].value
        since, change = figures[-2], round(new - old, 9)
        direction = "same" if new == old else "up" if new > old else "down"
        trend = "same" if new == old else "neutral" if m.better is Better.neutral else (
            "better" if is_better(m.better, new, old) else "worse")
    age = months_before(latest, as_at) if latest is not None and as_at else 0
    return Reading(latest, previous, meets, judged, direction, trend, age, since, change, m.unit, m.better)


def change_text(change: float, unit: Unit) -> str:
    """How far a figure moved, without its sign: a percentage moves in points ('4 points'), others in their unit."""
    if unit is Unit.percent:
        size = abs(change)
        return f"{number(size)} point{'s' * (size != 1)}"
    return fmt_value(abs(change), unit)


_STILL = {"no_figure": "No figure to compare", "unlike": "Not comparable: year to date beside a whole period",
          "none": "No readings", "one": "One reading"}


def trend_text(r: Reading) -> str:
    """Which way the latest figure moved and, apart from it, whether that is better: 'Up 4 points since 2012/13 —
    better (higher is better)', 'Down £200,000 since April 2013 — changed, not judged (neither direction is
    better)', 'No change since April 2013'."""
    if r.since is None:
        return _STILL[r.trend]
    since = period_name(r.since)
    if r.direction == "same":
        return f"No change since {since}"
    moved = f"{'Up' if r.direction == 'up' else 'Down'} {change_text(r.change, r.unit)} since {since}"
    if r.better is Better.neutral:
        return f"{moved} — changed, not judged (neither direction is better)"
    return f"{moved} — {r.trend} ({r.better.value} is better)"
