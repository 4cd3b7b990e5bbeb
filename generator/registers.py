"""What the registers need beyond the plan: sort keys that order as text the way a reader expects (A3.2 before
A3.10, red before green), short slip notes, the overdue recommendations grouped, and the staff edition's evidence
gaps. The keys are written into `data-sort` by the server, so ip.js only compares text and every order is decided
here, once."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from .model import Action, DueState, Item, Plan, Recommendation, Source, Status, Update

# Most pressing first: what a board asks about before what is going well.
SEVERITY = (Status.red, Status.amber, Status.not_started, Status.green, Status.complete)
DUE_SEVERITY = (DueState.overdue_no_progress, DueState.past_due_in_progress, DueState.not_yet_due,
                DueState.no_timescale, DueState.complete)


def id_key(item_id: str) -> str:
    """Each run of digits zero-padded to six, lower case: 'A3.2' -> 'a000003.000002', so A3.2 sorts before A3.10."""
    return re.sub(r"\d+", lambda m: m.group().zfill(6), item_id).lower()


def number_key(n: int) -> str:
    """A whole number zero-padded to seven digits after adding a million, so that negatives sort first as text."""
    return f"{n + 1_000_000:07d}"


def status_key(status: Status, overdue: bool = False) -> str:
    """Overdue first (whatever its colour), then red, amber, not started, green, complete: '01' is overdue amber."""
    return f"{0 if overdue else 1}{SEVERITY.index(status)}"


def due_key(state: DueState, status: Status) -> str:
    """A recommendation by how overdue it is, then by its status: '01' is overdue with no progress and amber."""
    return f"{DUE_SEVERITY.index(state)}{SEVERITY.index(status)}"


def natural(items: list) -> list:
    """Items in natural id order (A3.2 before A3.10)."""
    return sorted(items, key=lambda item: id_key(item.id))


def months_text(days: int) -> str:
    """'9 days' below six weeks, otherwise whole months rounded ('4 months' for 122 days)."""
    if days < 45:
        return f"{days} day{'s' if days != 1 else ''}"
    months = round(days / 30.44)
    return f"{months} month{'s' if months != 1 else ''}"


def slip_note(action: Action) -> str:
    """'slipped 4 months (2 moves)' for an action whose target date is later than its first one, else ''."""
    days = action.slipped_days
    if days <= 0:
        return ""
    moves = len(action.target_date_changes)
    return f"slipped {months_text(days)} ({moves} move{'s' if moves != 1 else ''})"


def brief(text: str, words: int = 12) -> str:
    """The first `words` words of an editor's text, with an ellipsis when cut: a name beside a code."""
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def item_name(item: Item) -> str:
    """What a reader calls an item beside its code: its title, name or statement, or the start of its text."""
    for attr in ("title", "name", "statement"):
        value = getattr(item, attr, None)
        if isinstance(value, str) and value:
            return value
    return brief(getattr(item, "text", "") or "") or item.id


# --- the overdue recommendations ------------------------------------------------------------------


@dataclass(frozen=True)
class OverdueRec:
    """A recommendation past its due date: how far past, as the overdue page shows it."""

    rec: Recommendation
    due: date
    days_over: int
    status: Status
    delivering: list[Action]


@dataclass(frozen=True)
class OverdueGroup:
    state: DueState
    heading: str
    rows: list[OverdueRec]


def overdue_recommendations(plan: Plan, as_at: date) -> list[OverdueGroup]:
    """Open recommendations past their due date at `as_at`: those with no progress first, then those in progress;
    in each, the longest overdue first (then natural id order)."""
    groups = []
    for state, heading in ((DueState.overdue_no_progress, "Overdue with no progress"),
                           (DueState.past_due_in_progress, "Past due, in progress")):
        rows = []
        for r in plan.recommendations:
            if plan.due_state(r, as_at) is state:
                due = plan.due_date(r)
                assert due is not None  # a past-due state has a due date
                rows.append(OverdueRec(r, due, (as_at - due).days, plan.recommendation_status(r),
                                       plan.answering_actions(r)))
        rows.sort(key=lambda o: (-o.days_over, id_key(o.rec.id)))
        groups.append(OverdueGroup(state, heading, rows))
    return groups


@dataclass(frozen=True)
class SourceCount:
    """One row of the recommendations page's summary: a source's recommendations by status, and how many are past
    their due date."""

    source: Source
    total: int
    by_status: dict[Status, int]
    past_due: int


def source_counts(plan: Plan, as_at: date) -> list[SourceCount]:
    """The summary rows, one per source with recommendations, in the plan's order of sources."""
    out = []
    for src in plan.sources:
        recs = [r for r in plan.recommendations if r.source == src.id]
        if recs:
            counts = Counter(plan.recommendation_status(r) for r in recs)
            out.append(SourceCount(src, len(recs), {s: counts[s] for s in Status},
                                   sum(plan.recommendation_overdue(r, as_at) for r in recs)))
    return out


# --- evidence (staff edition) ---------------------------------------------------------------------


@dataclass(frozen=True)
class Unevidenced:
    """A completed action or recommendation whose completing update gives no evidence; `earlier` counts the
    evidence links on its earlier updates."""

    item: Action | Recommendation
    completed: Update
    earlier: int


def _unevidenced(items: list, updates_of) -> list[Unevidenced]:
    out = []
    for item in natural(items):
        ups = updates_of(item)
        if ups and ups[-1].status is Status.complete and not ups[-1].evidence:
            out.append(Unevidenced(item, ups[-1], sum(len(u.evidence) for u in ups[:-1])))
    return out


def unevidenced_actions(plan: Plan) -> list[Unevidenced]:
    """Completed actions closed with no evidence on the update that completed them, in natural id order."""
    return _unevidenced(plan.actions, lambda a: a.updates)


def unevidenced_recommendations(plan: Plan) -> list[Unevidenced]:
    """Recommendations whose progress says complete with no evidence on that update, in natural id order."""
    return _unevidenced(plan.recommendations, lambda r: r.progress)
