"""What changed between two states of the plan, and each item's timeline across reporting points."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .model import Action, Better, Measure, Plan, Recommendation, Status
from .present import fmt_date, fmt_period, fmt_reading, fmt_value, is_better


@dataclass(frozen=True)
class Change:
    kind: str  # action, recommendation, finding, measure, document
    id: str
    title: str
    what: str
    direction: str = ""  # "better" or "worse": a status move (by STATUS_RANK), a target date brought forward or slipped

    def __post_init__(self) -> None:
        object.__setattr__(self, "title", self.title.rstrip(". "))

    def said_direction(self, section: str) -> str:
        """" (better)" after a status move; elsewhere the words already say it ("slipped by 31 days")."""
        return f" ({self.direction})" if section == "Status moves" and self.direction else ""


@dataclass
class Changes:
    """The differences between `before` and `after`, in sections a scrutiny member reads in order."""

    before: str
    after: str
    sections: dict[str, list[Change]] = field(default_factory=dict)
    first: bool = False  # `before` is nothing: the first reporting point, where everything is new

    def count(self, section: str, kind: str = "action", direction: str | None = None) -> int:
        """How many changes of `kind` a section holds (those with `direction` only, when given): the home page's
        figures, each the length of a list on the changes page."""
        return sum(c.kind == kind and direction in (None, c.direction) for c in self.sections.get(section, []))

    def add(self, section: str, change: Change) -> None:
        self.sections.setdefault(section, []).append(change)

    @property
    def empty(self) -> bool:
        return not any(self.sections.values())

    def markdown(self) -> str:
        lines = [f"# What changed: {self.before} to {self.after}", ""]
        if self.empty:
            lines.append("No change to actions, recommendations, findings, measures or documents.")
        for section in SECTION_ORDER:
            items = self.sections.get(section)
            if items:
                lines += [f"## {section}", ""]
                lines += [f"- **{c.id}** {c.title}: {c.what}{c.said_direction(section)}" for c in items]
                lines.append("")
        return "\n".join(lines).rstrip() + "\n"


SECTION_ORDER = ["Completed", "Status moves", "Newly overdue", "Target dates moved", "Added", "Removed",
                 "Measures moved", "Documents added"]


# Status severity by RAG: a move up the list is better, down it worse (moves into or out of not started: _direction).
STATUS_RANK = {s: i for i, s in enumerate(Status)}


def _direction(was: Status, now: Status) -> str:
    """Better or worse by RAG (red, amber, green, complete). A start is better only when it is on track (green or
    complete): "not started to red" is work begun badly, not an improvement, so it is neither; so is a move back
    to not started."""
    if was is now or now is Status.not_started:
        return ""
    if was is Status.not_started:
        return "better" if now in (Status.green, Status.complete) else ""
    return "better" if STATUS_RANK[now] > STATUS_RANK[was] else "worse"


def _by_id(items):
    return {i.id: i for i in items}


def _status_changes(out: Changes, kind: str, old: dict, new: dict, title, was=None, now=None) -> None:
    """`was` and `now` give an item's status in the plan before and after (default: its own `status`; a
    recommendation's may be derived from its actions)."""
    was, now = was or (lambda i: i.status), now or (lambda i: i.status)
    for iid, item in new.items():
        prev = old.get(iid)
        if prev is None:
            out.add("Added", Change(kind, iid, title(item), f"new {kind}, status {now(item).label.lower()}"))
        elif was(prev) is not now(item):
            section = "Completed" if now(item) is Status.complete else "Status moves"
            out.add(section, Change(kind, iid, title(item), f"{was(prev).label.lower()} to {now(item).label.lower()}",
                                    _direction(was(prev), now(item))))
    for iid, item in old.items():
        if iid not in new:
            out.add("Removed", Change(kind, iid, title(item), f"no longer in the plan (was {was(item).label.lower()})"))


def _revised(prev: Measure, m: Measure) -> list[str]:
    """Figures for a period both states hold that changed, figures dropped, and a changed baseline: revisions of
    the past are said as such, never hidden behind (or mistaken for) the latest movement."""
    new = {v.period: v.value for v in m.values}
    said = [f"revised {fmt_value(v.value, m.unit)} to {fmt_value(new[v.period], m.unit)} for {v.period}"
            for v in prev.values if v.period in new and new[v.period] != v.value]
    said += [f"figure for {v.period} ({fmt_value(v.value, m.unit)}) removed" for v in prev.values if v.period not in new]
    if prev.baseline and prev.baseline != m.baseline:
        now = f"{fmt_value(m.baseline.value, m.unit)} ({m.baseline.period})" if m.baseline else "none"
        said.append(f"baseline revised from {fmt_value(prev.baseline.value, m.unit)} ({prev.baseline.period}) "
                    f"to {now}")
    return said


def _short(text: str) -> str:
    """A recommendation's or finding's text as a change's title."""
    return text[:90] + ("…" if len(text) > 90 else "")


def diff(before: Plan | None, after: Plan, before_label: str, after_label: str) -> Changes:
    """Plain-words differences between two plans; `before` None means everything is new."""
    out = Changes(before_label, after_label, first=before is None)
    empty = Plan(info=None)
    before = before or empty
    old_a, new_a = _by_id(before.actions), _by_id(after.actions)
    _status_changes(out, "action", old_a, new_a, lambda a: a.title)
    for aid, a in new_a.items():
        prev = old_a.get(aid)
        if prev and prev.target_date != a.target_date:
            days = (a.target_date - prev.target_date).days
            word = f"slipped by {days} days" if days > 0 else f"brought forward by {-days} days"
            why = next((f" ({c.reason.rstrip('. ')})" for c in reversed(a.target_date_changes)
                        if c.from_ == prev.target_date and c not in prev.target_date_changes), "")
            out.add("Target dates moved", Change("action", aid, a.title, f"{word}, from {fmt_date(prev.target_date)} "
                                                                         f"to {fmt_date(a.target_date)}{why}",
                                                    "worse" if days > 0 else "better"))
    if after.info:
        was = before.info.as_at if before.info else None
        for aid, a in new_a.items():
            prev = old_a.get(aid)
            if a.is_overdue(after.info.as_at) and not (prev and was and prev.is_overdue(was)):
                out.add("Newly overdue", Change("action", aid, a.title,
                                                f"target date {fmt_date(a.target_date)} passed; status "
                                                f"{a.status.label.lower()}"))
    _status_changes(out, "recommendation", _by_id(before.recommendations), _by_id(after.recommendations),
                    lambda r: _short(r.text),
                    before.recommendation_status, after.recommendation_status)
    old_f, new_f = _by_id(before.findings), _by_id(after.findings)
    for fid, f in new_f.items():
        if fid not in old_f:
            out.add("Added", Change("finding", fid, _short(f.text), f"new finding, {f.finding_kind.label.lower()}"))
    for fid, f in old_f.items():
        if fid not in new_f:
            out.add("Removed", Change("finding", fid, _short(f.text), "no longer in the plan"))
    old_m = _by_id(before.measures)
    for mid, m in _by_id(after.measures).items():
        prev = old_m.get(mid)
        if prev is None:
            if m.values:
                out.add("Added", Change("measure", mid, m.name,
                                        f"new measure, latest {fmt_reading(m.values[-1], m.unit)}"))
            continue
        said = []
        if m.values and prev.values and prev.values[-1].period != m.values[-1].period:
            p, last = prev.values[-1], m.values[-1]
            direction = "no change" if p.value == last.value else "new reading" if None in (p.value, last.value) \
                else ("up" if last.value > p.value else "down") if m.better is Better.neutral \
                else "better" if is_better(m.better, last.value, p.value) else "worse"
            said.append(f"{direction}: {fmt_reading(p, m.unit)} ({fmt_period(p)}) to "
                        f"{fmt_reading(last, m.unit)} ({fmt_period(last)})")
        said += _revised(prev, m)
        if said:
            out.add("Measures moved", Change("measure", mid, m.name, "; ".join(said)))
    old_d = _by_id(before.documents)
    for did, d in _by_id(after.documents).items():
        if did not in old_d:
            out.add("Documents added", Change("document", did, d.title, f"{d.document_kind.value.replace('_', ' ')}, "
                                                                        f"{fmt_date(d.date)}"))
    for section in out.sections.values():
        section.sort(key=lambda c: (c.kind, c.id))
    return out


def changes_data(previous, current) -> Changes:
    """The changes page data for a version, given (Version, plan) pairs for it and the one before."""
    version, plan = current
    label = "the working draft" if version.is_draft else version.title
    if previous is None:
        return diff(None, plan, "nothing", label)
    prev_version, prev_plan = previous
    return diff(prev_plan, plan, "the working draft" if prev_version.is_draft else prev_version.title, label)


@dataclass(frozen=True)
class TimelineRow:
    title: str
    date: date
    status: Status | None
    detail: str


def _detail(item, plan: Plan) -> tuple[Status | None, str]:
    if isinstance(item, Action):
        text = f"Target {fmt_date(item.target_date)}"
        if item.completed_on:
            text += f"; completed {fmt_date(item.completed_on)}"
        if item.latest:
            text += f"; last update {fmt_date(item.latest.date)}"
        return item.status, text
    if isinstance(item, Recommendation):
        return plan.recommendation_status(item), (f"Last progress {fmt_date(item.latest.date)}" if item.latest else "No progress yet")
    if isinstance(item, Measure):
        if not item.values:
            return None, "No readings"
        v = item.values[-1]
        return None, f"Latest {fmt_reading(v, item.unit)} ({fmt_period(v)})"
    return None, ""


def timelines(points: list[tuple[str, date, Plan]]) -> dict[str, list[TimelineRow]]:
    """For each action, recommendation and measure: how it stood at each reporting point given."""
    out: dict[str, list[TimelineRow]] = {}
    if len(points) < 2:
        return out
    for title, day, plan in points:
        for item in (*plan.actions, *plan.recommendations, *plan.measures):
            status, detail = _detail(item, plan)
            out.setdefault(item.id, []).append(TimelineRow(title, day, status, detail))
    return out
