"""Reported history is read-only in the working plan.

Once a reporting point is published, what it reported about the past is history: the action updates and target
date changes and the recommendation progress entries dated on or before it, every measure value for a period that
ended on or before it, each measure's baseline, and the gradings dated on or before it. Editing one in plan.yaml
(or adding one dated before the point) would make the next version quietly tell another story about the past.
Changes to what was reported go through `correct`, which keeps the original beside the correction.

An action's target date changes are checked once the point reported some: moves made before a point that
reported none (a plan published before it kept them) may still be recorded, and `validate` warns (T530) about a
target date moved since the point without one.

Items new since the point, and items removed from the working plan entirely, are out of scope here: neither
rewrites an entry of an item the point reported (a removal shows in `diff` under "Removed").
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from .diagnostics import Diagnostic
from .locations import Loc, field_path
from .model import Grading, Measure, Plan, period_bounds
from .versions import Frozen

HINT = ("reported history is read-only: put the entry back as reported; if the report was wrong, record a correction "
        "to the published version with 'improvement-plan correct --id {id} --reason \"...\"'")
CORRECTED_HINT = ("the point was corrected on {day}: make the entry in the working plan say what the point now says "
                  "(or record a further correction with 'improvement-plan correct --id {id} --reason \"...\"')")

Found = Iterator[tuple[Loc, str]]


def _shown(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    return repr(text if len(text) <= 60 else text[:59] + "…")


def _flat(data: Any, path: tuple = ()) -> dict[tuple, Any]:
    """Every scalar of a dumped entry by its path, so a difference names the leaf ('judgements[2].grade')."""
    if isinstance(data, dict | list):
        out: dict[tuple, Any] = {}
        for key, value in (data.items() if isinstance(data, dict) else enumerate(data)):
            out.update(_flat(value, (*path, key)))
        return out
    return {path: data}


def _differing(was: dict, now: dict) -> list[tuple[tuple, Any]]:
    """The paths where the working plan parts from the report, in path order, each with what was reported."""
    old, new = _flat(was), _flat(now)
    return [(p, old.get(p)) for p in sorted(set(old) | set(new)) if old.get(p) != new.get(p)]


def _said(differing: list[tuple[tuple, Any]]) -> str:
    return "; ".join(f"{field_path(p)}: reported {'nothing' if v is None else _shown(v)}" for p, v in differing)


def _dump(entry, *leave_out: str) -> dict:
    return entry.model_dump(mode="json", by_alias=True, exclude_none=True, exclude=set(leave_out))


def _entries(plan: Plan, reported: Plan, day: date, where: str) -> Found:
    """Action updates and target date changes, and recommendation progress: the first place each item's dated
    entries part from the report (entries are matched in order, so one inserted or removed would otherwise shift
    every later one)."""
    old_items = {(kind, item.id): item for kind, items in (("action", reported.actions),
                                                           ("recommendation", reported.recommendations))
                 for item in items}
    for kind, field, items, entry, when in (
            ("action", "updates", plan.actions, "update", "date"),
            ("recommendation", "progress", plan.recommendations, "progress entry", "date"),
            ("action", "target_date_changes", plan.actions, "target date change", "on")):
        for item in items:
            old = old_items.get((kind, item.id))
            if old is None or (field == "target_date_changes" and not old.target_date_changes):
                continue  # a point that reported no moves (e.g. published before they were kept) leaves them open
            was = [u for u in getattr(old, field) if getattr(u, when) <= day]
            now = [(i, u) for i, u in enumerate(getattr(item, field)) if getattr(u, when) <= day]
            for k in range(max(len(was), len(now))):
                if k < len(was) and k < len(now) and _dump(was[k]) == _dump(now[k][1]):
                    continue
                if k >= len(now):
                    yield item.src.at(field if now or getattr(item, field) else "id"), \
                        f"{kind} {item.id} {entry} of {getattr(was[k], when)}, reported at {where}, is missing"
                elif k >= len(was):
                    yield item.src.at(field, now[k][0], when), \
                        f"{kind} {item.id} {entry} of {getattr(now[k][1], when)} is dated on or before {where} but " \
                        "was not reported in it"
                else:
                    yield item.src.at(field, now[k][0], when), \
                        f"{kind} {item.id} {entry} of {getattr(now[k][1], when)} differs from what {where} reported " \
                        f"({_said(_differing(_dump(was[k]), _dump(now[k][1])))})"
                break


def _measure(m: Measure, old: Measure, day: date, where: str) -> Found:
    """A reported baseline, and each value for a period ended by the point, matched by period (so each edit is
    named on its own)."""
    if old.baseline is not None:
        if m.baseline is None:
            yield m.src.at("id"), f"measure {m.id} baseline, reported at {where}, is missing"
        elif differing := _differing(_dump(old.baseline), _dump(m.baseline)):
            yield m.src.at("baseline", *differing[0][0]), \
                f"measure {m.id} baseline differs from what {where} reported ({_said(differing)})"
    ended = sorted({v.period for v in (*old.values, *m.values) if period_bounds(v.period)[1] <= day},
                   key=period_bounds)
    for period in ended:
        was = [v for v in old.values if v.period == period]
        now = [(i, v) for i, v in enumerate(m.values) if v.period == period]
        for k in range(max(len(was), len(now))):
            if k >= len(now):
                yield m.src.at("values" if m.values else "id"), \
                    f"measure {m.id} value for {period}, reported at {where}, is missing"
            elif k >= len(was):
                yield m.src.at("values", now[k][0], "period"), \
                    f"measure {m.id} value for {period} is for a period ended on or before {where} but was not " \
                    "reported in it"
            elif differing := _differing(_dump(was[k]), _dump(now[k][1])):
                yield m.src.at("values", now[k][0], "period"), \
                    f"measure {m.id} value for {period} differs from what {where} reported ({_said(differing)})"


def _grading(g: Grading, old: Grading, day: date, where: str) -> Found:
    """A grading dated on or before the point (before or after the edit), as reported; its audience and staff
    note are how it is published, not what was reported, and stay editable."""
    if old.date > day and g.date > day:
        return
    if differing := _differing(_dump(old, "audience", "internal_note"), _dump(g, "audience", "internal_note")):
        yield g.src.at(*differing[0][0]), \
            f"grading {g.id} of {g.date} differs from what {where} reported ({_said(differing)})"


def check_reported(plan: Plan, latest: Frozen) -> list[Diagnostic]:
    """The working plan's dated history, as the latest reporting point reported it (see the module docstring)."""
    point = latest.meta
    where = f"reporting point '{point.id}' ({point.title}, {point.date})"
    hint = CORRECTED_HINT.format(day=point.corrections[-1].date, id=point.id) if point.corrections else \
        HINT.format(id=point.id)
    reported = latest.plan
    found = list(_entries(plan, reported, point.date, where))
    old_m = {m.id: m for m in reported.measures}
    old_g = {g.id: g for g in reported.gradings}
    for m in plan.measures:
        if m.id in old_m:
            found += _measure(m, old_m[m.id], point.date, where)
    for g in plan.gradings:
        if g.id in old_g:
            found += _grading(g, old_g[g.id], point.date, where)
    return [Diagnostic.at(loc, "T511", msg, hint=hint) for loc, msg in found]
