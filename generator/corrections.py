"""What a correction changed, item by item and field by field, as an edition may show it; and the render-ready
Version of a published reporting point (its record hash, its link to the one before, its corrections).

A correction never replaces what was reported: the version is shown with its last correction's content, and
each corrected item's page says what it said before and after, with the correction's date and reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from .model import Plan
from .project import project
from .render import Version
from .snapshot_format import plan_to_data
from .versions import Frozen

KINDS = {"actions": "action", "recommendations": "recommendation", "measures": "measure", "themes": "theme",
         "documents": "document", "commitments": "commitment", "risks": "risk", "gradings": "grading",
         "sources": "source", "roles": "role", "findings": "finding"}
HIDDEN_TEXT = {"body"}  # a document's Markdown source is not shown raw (only its rendered page is)


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class ItemCorrection:
    kind: str
    id: str
    title: str
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class CorrectionView:
    version_id: str
    version_title: str
    number: int
    date: date
    reason: str
    items: tuple[ItemCorrection, ...]


_ONE = {"updates": "update", "progress": "progress entry", "values": "value", "success_criteria": "success criterion",
        "judgements": "judgement", "breakdowns": "breakdown", "rows": "row", "evidence": "evidence",
        "recommendations": "recommendation", "about": "about", "cells": "cell",
        "domains": "domain"}


def _flat(value: Any, parts: tuple[str, ...] = ()) -> dict[str, str]:
    """Leaf values by a readable path ("update of 2013-06-20: narrative"), so a change can be said field by field.
    An entry of a list is named by its date or period where it has one, else by its place."""
    if isinstance(value, dict):
        out: dict[str, str] = {}
        for k, v in value.items():
            if isinstance(v, list):
                one = _ONE.get(k, k.replace("_", " "))
                for i, entry in enumerate(v, 1):
                    when = (entry.get("date") or entry.get("period")) if isinstance(entry, dict) else None
                    out.update(_flat(entry, (*parts, f"{one} of {when}" if when else f"{one} {i}")))
                if not v:
                    out[": ".join((*parts, k.replace("_", " ")))] = "none"
            else:
                out.update(_flat(v, (*parts, k.replace("_", " "))))
        return out
    return {": ".join(parts): "–" if value is None else str(value)}


def _title(item: dict) -> str:
    for key in ("title", "name", "statement", "text"):
        if isinstance(item.get(key), str):
            text = item[key]
            return text if len(text) <= 90 else text[:89] + "…"
    return str(item.get("id", ""))


def item_changes(before: Plan, after: Plan, withheld: frozenset[str] = frozenset()) -> tuple[ItemCorrection, ...]:
    """Every item that differs between two plans (as an edition sees them), with each changed field. Items in
    `withheld` still exist after the correction but the edition may no longer show them: only their id is said."""
    a, b = plan_to_data(before), plan_to_data(after)
    out = []
    if a.get("plan") != b.get("plan"):
        out.append(_one("plan", "plan", _title(b.get("plan") or {}), a.get("plan") or {}, b.get("plan") or {}))
    for section, kind in KINDS.items():
        old = {i["id"]: i for i in a.get(section, [])}
        new = {i["id"]: i for i in b.get(section, [])}
        for iid in sorted(set(old) | set(new)):
            if iid in withheld and iid not in new:
                out.append(ItemCorrection(kind, iid, iid, (FieldChange("the whole item", "shown",
                                                                       "no longer shown in this edition"),)))
            elif old.get(iid) != new.get(iid):
                out.append(_one(kind, iid, _title(new.get(iid) or old[iid]), old.get(iid), new.get(iid)))
    return tuple(out)


def _one(kind: str, iid: str, title: str, old: dict | None, new: dict | None) -> ItemCorrection:
    if old is None or new is None:
        what = "added by the correction" if old is None else "removed by the correction"
        return ItemCorrection(kind, iid, title, (FieldChange("the whole item", "–" if old is None else "shown",
                                                             what),))
    fo, fn = _flat({k: v for k, v in old.items() if k not in HIDDEN_TEXT}), \
        _flat({k: v for k, v in new.items() if k not in HIDDEN_TEXT})
    changes = [FieldChange(k, fo.get(k, "–"), fn.get(k, "–")) for k in sorted(set(fo) | set(fn))
               if fo.get(k) != fn.get(k)]
    for k in sorted(HIDDEN_TEXT):
        if old.get(k) != new.get(k):
            changes.append(FieldChange(k, "the text as first published", "the corrected text shown on this page"))
    return ItemCorrection(kind, iid, title, tuple(changes))


def corrections_of(frozen: Frozen, edition: str) -> list[CorrectionView]:
    """Each correction of a version: what it changed from the state before it (the original, or the previous
    correction), as the edition may show it."""
    plans = [frozen.original or frozen.plan, *frozen.corrected]
    views, n = [], 0
    for c in frozen.meta.corrections:
        if not c.file:
            continue  # a format-1 correction made in place: its original is lost, only its notice remains
        n += 1
        after = project(plans[n], edition)
        withheld = frozenset(i.id for i in plans[n].items()) - {i.id for i in after.items()}
        items = item_changes(project(plans[n - 1], edition), after, withheld)
        views.append(CorrectionView(frozen.meta.id, frozen.meta.title, n, c.date, c.reason, items))
    return views


def version_view(frozen: Frozen, edition: str, earlier: Sequence[Frozen] = ()) -> Version:
    """The render-ready Version of a published point: record hash, previous hash, its own corrections, the log of
    every correction up to it, and the plan as first published (for downloads)."""
    meta = frozen.meta
    own = corrections_of(frozen, edition)
    log = [c for f in earlier for c in corrections_of(f, edition)] + own
    banner = "; ".join(f"{c.date.isoformat()}: {c.reason}" for c in meta.corrections)
    return Version(meta.id, meta.title, meta.date, correction=banner, record_hash=meta.record_hash,
                   previous_hash=meta.previous or "", corrections=own, log=log,
                   original=project(frozen.original, edition) if frozen.original else None)
