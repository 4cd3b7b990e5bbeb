"""Publish the sample's reporting points: the plan as it stood at each date, derived from the working plan.

The sample's working plan holds the whole 2012-13 history. Each reporting point is that history cut
at the reporting date (updates, progress, readings, documents and gradings up to then; sources not
yet published left out), with the two target dates that the narratives say moved restored to their
earlier values. Run once on a plan with no published versions:

    python scripts/sample_versions.py
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from generator.model import Plan, period_bounds
from generator.rules import run_rules
from generator.validate import validate
from generator.versions import publish

ROOT = Path(__file__).resolve().parent.parent
POINTS = [
    ("2012-11-plan-agreed", "Improvement plan agreed, November 2012", date(2012, 11, 30)),
    ("2013-03-board", "Improvement Board, March 2013", date(2013, 3, 25)),
    ("2013-06-dfe-review", "DfE six-month review, June 2013", date(2013, 6, 28)),
    ("2013-07-scrutiny", "Scrutiny panel, July 2013", date(2013, 7, 17)),
]
# Targets moved on the day given; before it, the narratives record the earlier date.
EARLIER_TARGETS = {"A2.2": (date(2013, 6, 28), date(2013, 6, 30)), "A3.5": (date(2013, 6, 28), date(2013, 5, 31))}


def as_at(plan: Plan, day: date) -> Plan:
    docs = {d.id for d in plan.documents if d.date <= day}
    sources = {s.id for s in plan.sources if s.published <= day}

    def updates(items):
        kept = []
        for u in items:
            if u.date <= day:
                kept.append(u.model_copy(update={"evidence": [e for e in u.evidence
                                                              if e.document is None or e.document in docs]}))
        return kept

    def keep(item, **changes):
        copy = item.model_copy(update=changes)
        copy._src = item._src
        return copy

    actions = []
    for a in plan.actions:
        target = a.target_date
        if a.id in EARLIER_TARGETS and day < EARLIER_TARGETS[a.id][0]:
            target = EARLIER_TARGETS[a.id][1]
        done = a.completed_on if a.completed_on and a.completed_on <= day else None
        actions.append(keep(a, updates=updates(a.updates), completed_on=done, target_date=target))
    recs = [keep(r, progress=updates(r.progress)) for r in plan.recommendations if r.source in sources]
    rec_ids = {r.id for r in recs}
    commitments = [keep(c, recommendations=[r for r in c.recommendations if r in rec_ids]) for c in plan.commitments]
    measures = [keep(m, values=[v for v in m.values if period_bounds(v.period)[1] <= day]) for m in plan.measures]
    info = plan.info.model_copy(update={"as_at": day, "phases": [p for p in plan.info.phases if p.start <= day]})
    cut = Plan(info=info, info_src=plan.info_src, roles=plan.roles, themes=plan.themes, commitments=commitments,
               actions=actions, sources=[s for s in plan.sources if s.id in sources], recommendations=recs,
               measures=measures, risks=plan.risks, gradings=[g for g in plan.gradings if g.date <= day])
    present = set(cut.index()) | docs
    for d in plan.documents:
        if d.id in docs:
            copy = keep(d, about=[x for x in d.about if x in present])
            copy._body, copy._body_line = d._body, d._body_line
            cut.documents.append(copy)
    return cut


def main() -> int:
    plan, diags = validate(ROOT)
    if any(d.severity.value == "error" for d in diags):
        print("the working plan is invalid; run python -m generator validate", file=sys.stderr)
        return 1
    for vid, title, day in POINTS:
        cut = as_at(plan, day)
        errors = [d for d in run_rules(cut) if d.severity.value == "error"]
        if errors:
            print("\n".join(d.text() for d in errors), file=sys.stderr)
            return 1
        path = publish(ROOT, cut, vid, title, day)
        print(f"published {vid}: {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
