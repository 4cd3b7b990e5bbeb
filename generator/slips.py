"""Target-date history: each move of an action's target date is recorded (when, from which date, why), and a
move since the latest reporting point that no entry records is flagged, so a slip is never silent."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from .diagnostics import Diagnostic
from .model import Action, Plan
from .present import fmt_date

if TYPE_CHECKING:
    from .versions import Frozen


def check_target_date_changes(plan: Plan) -> Iterator[Diagnostic]:
    """D350: moves oldest first; D351: every move moves the date (its `from` differs from where it went);
    D310: a move is not recorded on a day after the plan's as-at date (as for updates)."""
    as_at = plan.info.as_at if plan.info else None
    for a in plan.actions:
        for i, (change, to) in enumerate(a.moves):
            if as_at and change.on > as_at:
                yield Diagnostic.at(a.src.at("target_date_changes", i, "on"), "D310",
                                    f"action {a.id} target date change of {change.on} is dated after the plan's "
                                    f"as-at date {as_at}", hint="check the date, or move as_at forward")
            prev = a.target_date_changes[i - 1] if i else None
            if prev is not None and change.on < prev.on:
                yield Diagnostic.at(a.src.at("target_date_changes", i, "on"), "D350",
                                    f"action {a.id} target_date_changes are not in date order: the move of "
                                    f"{change.on} is listed after the move of {prev.on}, which is later",
                                    hint="list target date changes oldest first")
            if change.from_ == to:
                then = "the next move's 'from'" if i + 1 < len(a.target_date_changes) else "target_date"
                yield Diagnostic.at(a.src.at("target_date_changes", i, "from"), "D351",
                                    f"action {a.id} target date change of {change.on} moves the target from "
                                    f"{change.from_} to {to} ({then}), which is the same date",
                                    hint="'from' is the target date before the move; remove the entry if the date "
                                         "did not move")


def slip_text(action: Action) -> str:
    """"slipped 92 days (2 times)", "brought forward 14 days", or "" for an action whose date never moved."""
    if not action.target_date_changes:
        return ""
    days, times = action.slipped_days, action.times_slipped
    if days > 0:
        return f"slipped {days} day{'s' if days != 1 else ''} ({times} time{'s' if times != 1 else ''})"
    if days < 0:
        return f"brought forward {-days} day{'s' if days != -1 else ''}"
    return f"moved {len(action.moves)} times, back to its first target date {fmt_date(action.target_date)}"


def check_recorded_moves(plan: Plan, latest: Frozen) -> list[Diagnostic]:
    """T530: an action's target date differs from what the latest reporting point reported, and no entry of
    `target_date_changes` added since records a move from the reported date."""
    point = latest.meta
    reported = {a.id: a for a in latest.plan.actions}
    out = []
    for a in plan.actions:
        old = reported.get(a.id)
        if old is None or old.target_date == a.target_date:
            continue
        new = [c for c in a.target_date_changes if c not in old.target_date_changes]
        if any(c.from_ == old.target_date for c in new):
            continue
        out.append(Diagnostic.at(
            a.src.at("target_date"), "T530",
            f"action {a.id} target date {a.target_date} differs from {old.target_date}, which reporting point "
            f"'{point.id}' ({point.title}, {point.date}) reported, and no target_date_changes entry records the move",
            hint=f"add '- {{on: YYYY-MM-DD, from: {old.target_date}, reason: \"...\"}}' to the action's "
                 "target_date_changes"))
    return out
