"""The plan as plain data (JSON-ready), the one serialisation shared by snapshots and data downloads.

A snapshot file carries `format`; readers dispatch on it so files written today still load after
the format evolves (add a reader for each new format, never change an old one).
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from .errors import GeneratorError
from .locations import LocMap, Src
from .model import SECTIONS, Document, Plan, PlanInfo

FORMAT = 1
# Sections added after format 1: a plan without any serialises as before they existed (snapshots keep their bytes).
LEFT_OUT_WHILE_EMPTY = frozenset({"findings"})


def _dump(model) -> dict[str, Any]:
    return model.model_dump(mode="json", by_alias=True, exclude_none=True)


def plan_to_data(plan: Plan) -> dict[str, Any]:
    data: dict[str, Any] = {"plan": _dump(plan.info) if plan.info else None}
    for name in SECTIONS:
        if name in LEFT_OUT_WHILE_EMPTY and not getattr(plan, name):
            continue
        data[name] = [_dump(item) for item in getattr(plan, name)]
    data["documents"] = [{**_dump(doc), "body": doc.body} for doc in plan.documents]
    return data


def _read_v1(data: dict[str, Any]) -> Plan:
    locs = LocMap("snapshot")
    plan = Plan(info=PlanInfo.model_validate(data["plan"]), info_src=Src(locs, ("plan",)))
    for name, model in SECTIONS.items():
        for i, raw in enumerate(data.get(name, [])):
            item = model.model_validate(raw)
            item._src = Src(locs, (name, i))
            getattr(plan, name).append(item)
    for i, raw in enumerate(data.get("documents", [])):
        raw = dict(raw)
        body = raw.pop("body", "")
        doc = Document.model_validate(raw)
        doc._body = body
        doc._src = Src(locs, ("documents", i))
        plan.documents.append(doc)
    return plan


READERS = {1: _read_v1}


class SnapshotFormatError(GeneratorError):
    """A snapshot this generator cannot read."""


def plan_from_data(data: Any, fmt: Any) -> Plan:
    reader = READERS.get(fmt) if isinstance(fmt, int) else None
    if reader is None:
        raise SnapshotFormatError(f"snapshot format {fmt} is not known to this generator "
                                  f"(it reads formats {', '.join(map(str, READERS))}); update the generator")
    try:
        return reader(data)
    except (ValidationError, KeyError, TypeError, AttributeError) as exc:
        raise SnapshotFormatError(f"snapshot does not match format {fmt}: {str(exc).splitlines()[0]}") from None
