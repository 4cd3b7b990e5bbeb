"""Reported history is read-only in the working plan.

Once a reporting point is published, the action updates and recommendation progress entries it reported are
history: editing one in plan.yaml (or adding one dated before the point) would make the next version quietly
tell another story about the past, and `diff` would say "No change". Changes to what was reported go through
`correct`, which keeps the original beside the correction.
"""

from __future__ import annotations

from .diagnostics import Diagnostic
from .model import Plan
from .versions import Frozen

HINT = ("reported history is read-only: put the entry back as reported; if the report was wrong, record a correction "
        "to the published version with 'python -m generator correct --id {id} --reason \"...\"'")
CORRECTED_HINT = ("the point was corrected on {day}: make the entry in the working plan say what the point now says "
                  "(or record a further correction with 'python -m generator correct --id {id} --reason \"...\"')")


def _shown(value) -> str:
    text = str(value)
    return repr(text if len(text) <= 60 else text[:59] + "…")


def _differences(was: dict, now: dict) -> str:
    """The fields where the working plan parts from the report, each with what the report said."""
    keys = [k for k in sorted(set(was) | set(now)) if was.get(k) != now.get(k)]
    return "; ".join(f"{k}: reported {_shown(was[k]) if k in was else 'nothing'}" for k in keys)


def _dump(update) -> dict:
    return update.model_dump(mode="json", by_alias=True, exclude_none=True)


def check_reported(plan: Plan, latest: Frozen) -> list[Diagnostic]:
    """Each update or progress entry dated on or before the latest reporting point, as that point reported it."""
    point = latest.meta
    where = f"reporting point '{point.id}' ({point.title}, {point.date})"
    hint = CORRECTED_HINT.format(day=point.corrections[-1].date, id=point.id) if point.corrections else \
        HINT.format(id=point.id)
    reported = {(kind, item.id): item for kind, items in (("action", latest.plan.actions),
                                                           ("recommendation", latest.plan.recommendations))
                for item in items}
    diags = []
    for kind, field, items in (("action", "updates", plan.actions), ("recommendation", "progress",
                                                                       plan.recommendations)):
        for item in items:
            old = reported.get((kind, item.id))
            if old is None:
                continue  # not reported yet (new since the point), or removed from the plan: not history rewritten
            was = [u for u in getattr(old, field) if u.date <= point.date]
            now = [(i, u) for i, u in enumerate(getattr(item, field)) if u.date <= point.date]
            entry = "update" if kind == "action" else "progress entry"
            for k in range(max(len(was), len(now))):
                if k < len(was) and k < len(now) and _dump(was[k]) == _dump(now[k][1]):
                    continue
                if k >= len(now):
                    loc, msg = item.src.at(field if now or getattr(item, field) else "id"), \
                        f"{kind} {item.id} {entry} of {was[k].date}, reported at {where}, is missing"
                elif k >= len(was):
                    loc, msg = item.src.at(field, now[k][0], "date"), \
                        f"{kind} {item.id} {entry} of {now[k][1].date} is dated on or before {where} but was not " \
                        "reported in it"
                else:
                    loc, msg = item.src.at(field, now[k][0], "date"), \
                        f"{kind} {item.id} {entry} of {now[k][1].date} differs from what {where} reported " \
                        f"({_differences(_dump(was[k]), _dump(now[k][1]))})"
                diags.append(Diagnostic.at(loc, "T511", msg, hint=hint))
                break  # one per item: the first place its history parts from the report
    return diags
