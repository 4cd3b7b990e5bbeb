"""The home page's answer to "is it improving?": what moved since the reporting point before, where the
recommendations stand against their due dates, the latest outside view, and each headline measure's trend in words.

Every figure is the length of a list on another page (What changed, the registers), so a reader can check it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from .history import Changes
from .model import Better, DueState, KeyDate, KeyDateKind, Measure, Plan, PlanInfo, Status
from .present import fmt_value, is_better, period_name

# Key dates that give an outside view of progress since the inspection.
VIEW_KINDS = (KeyDateKind.monitoring_visit, KeyDateKind.dfe_review, KeyDateKind.dfe_approved)


@dataclass(frozen=True)
class Figure:
    """A count on the home page, what it counts, and the page (with its section) that lists what it counts."""

    count: int
    one: str  # the words after the number when it is 1: "action moved better"
    many: str  # and otherwise: "actions moved better"
    target: str  # a page path with an anchor, "changes.md#status-moves"

    @property
    def words(self) -> str:
        return self.one if self.count == 1 else self.many


def _section_id(section: str) -> str:
    """The anchor changes.html.j2 gives a section's heading."""
    return section.lower().replace(" ", "-")


def movement(changes: Changes) -> list[Figure]:
    """What the actions did since the point before, in the order a scrutiny member asks: better, worse, completed,
    newly overdue, slipped (target dates moved later)."""

    def fig(section: str, one: str, many: str, direction: str | None = None) -> Figure:
        return Figure(changes.count(section, direction=direction), one, many, f"changes.md#{_section_id(section)}")

    return [fig("Status moves", "action moved better", "actions moved better", "better"),
            fig("Status moves", "action moved worse", "actions moved worse", "worse"),
            fig("Completed", "action completed", "actions completed"),
            fig("Newly overdue", "action became overdue", "actions became overdue"),
            fig("Target dates moved", "action slipped: its target date moved later",
                "actions slipped: target dates moved later", "worse")]


@dataclass(frozen=True)
class RecommendationsDue:
    """How many recommendations are open past their due date at the as-at date, and how many of those have no
    progress: two figures, never a status."""

    total: int
    past_due: int
    no_progress: int


def recommendations_due(plan: Plan, as_at: date) -> RecommendationsDue:
    states = [plan.due_state(r, as_at) for r in plan.recommendations]
    return RecommendationsDue(len(states), sum(s in (DueState.past_due_in_progress, DueState.overdue_no_progress)
                                               for s in states),
                              states.count(DueState.overdue_no_progress))


def latest_view(info: PlanInfo, as_at: date) -> KeyDate | None:
    """The latest monitoring visit or DfE review on or before the as-at date: the most recent outside view."""
    views = [k for k in info.key_dates() if k.kind in VIEW_KINDS and k.date <= as_at]
    return views[-1] if views else None


def span_words(m: Measure) -> str:
    """What a headline measure's small chart shows, in words: "from 62% in 2012/13 to 71% in April 2013, better" (the
    first figure to the last, judged by the direction that is better; periods named as the card's trend line and the
    measure's page name them). Empty with fewer than two figures, as then no chart is drawn."""
    shown = [v for v in m.values if v.value is not None]
    if len(shown) < 2:
        return ""
    first, last = shown[0], shown[-1]
    assert first.value is not None and last.value is not None
    if first.value == last.value:
        judged = "no change"
    elif m.better is Better.neutral:
        judged = "up" if last.value > first.value else "down"
    else:
        judged = "better" if is_better(m.better, last.value, first.value) else "worse"
    return (f"from {fmt_value(first.value, m.unit)} in {period_name(first)} to {fmt_value(last.value, m.unit)} in "
            f"{period_name(last)}, {judged}")


def trend_words(m: Measure) -> str:
    """The small chart's text alternative: the measure's name and what its figures did."""
    span = span_words(m)
    return f"{m.name}: {span}" if span else ""


@dataclass(frozen=True)
class Summary:
    """Everything the home page counts, for one edition at one reporting point."""

    actions_by_status: Counter[Status]
    recommendations_by_status: Counter[Status]
    recommendations_due: RecommendationsDue
    moved: list[Figure]  # empty at the first point (nothing before it) and where no comparison is made
    view: KeyDate | None


def summary(plan: Plan, as_at: date, changes: Changes | None) -> Summary:
    assert plan.info is not None
    return Summary(Counter(a.status for a in plan.actions),
                   Counter(plan.recommendation_status(r) for r in plan.recommendations),
                   recommendations_due(plan, as_at),
                   movement(changes) if changes is not None and not changes.first else [],
                   latest_view(plan.info, as_at))
