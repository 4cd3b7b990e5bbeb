"""How values read on the page: units, statuses, judgements against target, trends. Shared by pages and downloads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .model import Better, Measure, MeasureValue, Unit

_SUFFIX = {Unit.percent: "%", Unit.days: " days", Unit.weeks: " weeks", Unit.count: "", Unit.per_week: " per week",
           Unit.per_month: " per month", Unit.rate_per_10000: " per 10,000"}


def number(value: float) -> str:
    return f"{value:,.1f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value):,}"


def fmt_value(value: float | None, unit: Unit) -> str:
    if value is None:
        return "–"
    suffix = _SUFFIX[unit]
    if value == 1 and unit in (Unit.days, Unit.weeks):
        suffix = suffix[:-1]
    return number(value) + suffix


def fmt_date(day: date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else "–"


@dataclass(frozen=True)
class Reading:
    """A measure's latest position: the value, how it compares with the last one and with the target."""

    latest: MeasureValue | None
    previous: MeasureValue | None
    meets_target: bool | None
    trend: str  # "better", "worse", "same" or ""


def is_better(better: Better, new: float, old: float) -> bool:
    return new > old if better is Better.higher else new < old


def reading(m: Measure) -> Reading:
    latest = m.values[-1] if m.values else None
    previous = m.values[-2] if len(m.values) > 1 else None
    meets = None
    if latest and m.target:
        meets = latest.value >= m.target.value if m.better is Better.higher else latest.value <= m.target.value
    trend = ""
    if latest and previous:
        trend = "same" if latest.value == previous.value else (
            "better" if is_better(m.better, latest.value, previous.value) else "worse")
    return Reading(latest, previous, meets, trend)
