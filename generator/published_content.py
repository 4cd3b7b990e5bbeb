"""What a published snapshot or correction may hold: the same safety rules as the working plan, for content that
enters the site without passing through plan.yaml. A correction is an edited snapshot; a snapshot can be committed
by hand. Either could otherwise carry a public item that names a staff-only one, an invisible control character,
unsafe HTML, or Markdown past the limits that keep rendering fast.

Only these rules apply: a published point keeps what was true when it was reported (an overdue action stays
overdue), so the date and status rules are not run again on it."""

from __future__ import annotations

from typing import Any

from .characters import BAD_IN_VALUE, describe_char
from .diagnostics import Diagnostic
from .locations import Loc
from .markdown_safety import check_markdown
from .model import Plan
from .rules import check_references
from .snapshot_format import plan_to_data

CODE = "T520"
HINT = "edit the correction (or restore the snapshot from git) so that it keeps to the rules the working plan keeps"


def _strings(value: Any, path: str) -> list[tuple[str, str]]:
    if isinstance(value, str):
        return [(path, value)]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _strings(v, f"{path}.{k}" if path else str(k))]
    if isinstance(value, list):
        return [s for i, v in enumerate(value, 1) for s in _strings(v, f"{path}[{i}]")]
    return []


def check_published_content(plan: Plan, rel: str) -> list[Diagnostic]:
    """Every safety problem in one published plan (a snapshot or a correction file), located at that file."""
    where = Loc(rel, 1, 1)
    found: list[str] = []
    found += [d.message for d in check_references(plan) if d.code in ("D307", "R202", "R203")]
    data = plan_to_data(plan)
    for section, items in data.items():
        for path, text in _strings(items, section):
            if path.endswith(".body"):
                continue  # a document's Markdown: checked below, with its own positions
            bad = BAD_IN_VALUE.search(text)
            if bad:
                found.append(f"{path} holds the character {describe_char(bad[0])}")
    for doc in plan.documents:
        found += [f"document {doc.id} body, line {d.line}: {d.message}" for d in check_markdown(doc.body, rel, 1)]
    return [Diagnostic.at(where, CODE, f"{rel} holds what the working plan may not: {what}", hint=HINT)
            for what in sorted(set(found))]  # once each (a theme names its sponsor and its lead), in one order
