"""Validation from start to end: read every file, check the schema, run every rule, report all of it."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostic, strictly
from .guide import check_guide
from .loader import outside
from .markdown_safety import check_markdown
from .model import Plan
from .reading import read_plan_files
from .rules import run_rules
from .site_config import THEME_DIR, SiteConfig, read_site_config
from .versions import Frozen


@contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a plan is read: reading allocates a few million objects that all
    stay alive (values, then models), and each automatic collection walked all of them again, about a third of
    validation's time at 20,000 actions. Reference counting still frees everything as usual; the collector is on
    again afterwards (unless it was already off: pauses nest). Before it is, what was read goes to the oldest
    generation (gc.freeze, then gc.unfreeze: two list splices), which only a full collection walks; left in the
    youngest, the first collection after the pause would walk it all at once."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def validate(root: Path, strict: bool = False, *, any_format: bool = False) -> tuple[Plan, list[Diagnostic]]:
    """The plan as far as it could be read, and every diagnostic, sorted by place (`any_format`: see
    read_plan_files)."""
    with gc_paused():
        plan, diags = read_plan_files(root, any_format=any_format)
        diags += run_rules(plan)
        for doc in plan.documents:
            diags += check_markdown(doc.body, doc.src.at().file, doc._body_line)
        diags = sorted(set(diags))
    return plan, strictly(diags) if strict else diags


def check_theme(root: Path) -> list[Diagnostic]:
    """L012 for every file or folder of the plan folder's docs_theme/ that links outside it (even to nothing):
    MkDocs would copy what it points at into the site."""
    folder = root / THEME_DIR
    entries = sorted(folder.rglob("*")) if folder.is_dir() else []
    return [d for p in entries if (d := outside(p, folder, f"{THEME_DIR}/{p.relative_to(folder).as_posix()}",
                                                 folder="docs_theme/"))]


@dataclass(frozen=True)
class Checked:
    """Everything `build` needs from validation, each input read once in the main process."""

    plan: Plan
    diagnostics: list[Diagnostic]
    frozen: list[Frozen]
    site: SiteConfig


def check_all(root: Path, strict: bool = False) -> Checked:
    """Validation as `build` needs it: the working plan, guide pages and theme, the site configuration
    (mkdocs.yml), tamper evidence (in the files, then against git), every published version read back, and the
    reported history the working plan must keep."""
    from .diagnostics import has_errors
    from .ledger import check_ledger
    from .locations import Loc
    from .reported import check_reported
    from .slips import check_recorded_moves
    from .snapshot_format import SnapshotFormatError
    from .published_content import check_published_content
    from .versions import VERSIONS_DIR, check_published, load_published, read_manifest

    plan, diags = validate(root, strict)
    terms = plan.info.terms if plan.info else None
    diags = sorted(set(diags + check_guide(root, terms) + check_theme(root)))
    site, site_diags = read_site_config(root)
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
        for f in frozen:  # published content enters the site without passing through plan.yaml
            tamper += check_published_content(f.original or f.plan, f.meta.path)
            tamper += [d for c, corrected in zip([c for c in f.meta.corrections if c.file], f.corrected)
                       for d in check_published_content(corrected, f"{VERSIONS_DIR}/{c.file}")]
        if frozen and not has_errors(tamper) and plan.info is not None:
            tamper += check_reported(plan, frozen[-1]) + check_recorded_moves(plan, frozen[-1])
    site_diags = strictly(site_diags) if strict else site_diags
    tamper = strictly(tamper) if strict else tamper
    return Checked(plan, sorted(diags + site_diags + tamper), frozen, site)


def validate_all(root: Path, strict: bool = False) -> tuple[Plan, list[Diagnostic], list[Frozen]]:
    """check_all as (plan, diagnostics, frozen versions)."""
    checked = check_all(root, strict)
    return checked.plan, checked.diagnostics, checked.frozen
