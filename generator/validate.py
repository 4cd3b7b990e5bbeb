"""Validation from start to end: read every file, check the schema, run every rule, report all of it."""

from __future__ import annotations

from pathlib import Path

from .diagnostics import Diagnostic, strictly
from .markdown_safety import check_markdown
from .model import Plan
from .reading import read_plan_files
from .rules import run_rules


def validate(root: Path, strict: bool = False) -> tuple[Plan, list[Diagnostic]]:
    """The plan as far as it could be read, and every diagnostic, sorted by place."""
    plan, diags = read_plan_files(root)
    diags += run_rules(plan)
    for doc in plan.documents:
        diags += check_markdown(doc.body, doc.src.at().file, doc._body_line)
    diags = sorted(set(diags))
    return plan, strictly(diags) if strict else diags


def validate_all(root: Path, strict: bool = False):
    """Validation as `build` needs it: the working plan, tamper evidence (in the files, then against git), every
    published version read back, and the reported history the working plan must keep."""
    from .diagnostics import Diagnostic, has_errors
    from .ledger import check_ledger
    from .locations import Loc
    from .reported import check_reported
    from .snapshot_format import SnapshotFormatError
    from .versions import check_published, load_published, read_manifest

    plan, diags = validate(root, strict)
    tamper = check_published(root)
    frozen = []
    if not has_errors(tamper):
        versions = read_manifest(root)
        tamper += check_ledger(root, versions)
        for meta in versions:
            try:
                frozen.append(load_published(root, meta))
            except SnapshotFormatError as exc:
                tamper.append(Diagnostic.at(Loc(meta.path, 1, 1), "T503", str(exc)))
        if frozen and not has_errors(tamper) and plan.info is not None:
            tamper += check_reported(plan, frozen[-1])
    tamper = strictly(tamper) if strict else tamper
    return plan, sorted(diags + tamper), frozen
