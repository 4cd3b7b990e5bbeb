"""Broken plans for the validator tests: copy the minimal fixture and apply small text edits.

    root = edited(tmp_path, Replace("target_date: 2013-09-30", "target_date: 2013-02-30"))
    line, col = locate(root, "plan.yaml", "2013-02-30")

Each edit is a plain value, so the corpus script and the tests describe a broken plan the same
way. `Replace` insists on a unique match, so an edit never lands somewhere unintended.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

MINIMAL = Path(__file__).parent / "fixtures" / "minimal"
PLAN = "plan.yaml"
BRIEFING = "content/documents/briefing.md"


@dataclass(frozen=True)
class Replace:
    """Replace the one occurrence of `old` in `file` by `new`."""

    old: str
    new: str
    file: str = PLAN


@dataclass(frozen=True)
class Append:
    """Add `text` at the end of `file` (created if missing)."""

    text: str
    file: str = PLAN


@dataclass(frozen=True)
class Write:
    """Write `file` whole: text (UTF-8) or raw bytes."""

    file: str
    content: str | bytes


@dataclass(frozen=True)
class Remove:
    """Delete `file`."""

    file: str


@dataclass(frozen=True)
class Link:
    """Make `file` a symbolic link to `target` (a path relative to the link, as `ln -s` takes it)."""

    file: str
    target: str


Edit = Replace | Append | Write | Remove | Link


def apply(root: Path, edit: Edit) -> None:
    if isinstance(edit, Remove):
        (root / edit.file).unlink()
        return
    path = root / edit.file
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(edit, Link):
        path.symlink_to(edit.target)
    elif isinstance(edit, Write):
        data = edit.content if isinstance(edit.content, bytes) else edit.content.encode("utf-8")
        path.write_bytes(data)
    elif isinstance(edit, Append):
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        path.write_text(old + edit.text, encoding="utf-8", newline="")
    elif isinstance(edit, Replace):
        text = path.read_text(encoding="utf-8")
        count = text.count(edit.old)
        if count != 1:
            raise ValueError(f"{edit.file}: {edit.old!r} occurs {count} times; an edit needs exactly one")
        path.write_text(text.replace(edit.old, edit.new), encoding="utf-8", newline="")
    else:  # pragma: no cover - a programming error in a test
        raise TypeError(edit)


def edited(dest: Path, *edits: Edit, name: str = "plan") -> Path:
    """A copy of the minimal plan at dest/name with `edits` applied in order; returns its root."""
    root = dest / name if name else dest
    shutil.copytree(MINIMAL, root, dirs_exist_ok=bool(not name))
    for edit in edits:
        apply(root, edit)
    return root


def locate(root: Path, file: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """1-based (line, column) of the start of the nth occurrence of `needle` in `file`."""
    text = (root / file).read_text(encoding="utf-8")
    pos = -1
    for _ in range(nth + 1):
        pos = text.find(needle, pos + 1)
        if pos < 0:
            raise ValueError(f"{file}: {needle!r} not found (occurrence {nth})")
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return line, col


def line_of(root: Path, file: str, needle: str, nth: int = 0) -> int:
    return locate(root, file, needle, nth)[0]


# --- edits both the rule tests and the corpus use -------------------------------------------

BODY = "The audit is half done.\n"
UNREF_M1 = Replace("\n        measure: M1", "")  # so that a broken M1 is not also an unknown reference


def body(text: str) -> Replace:
    """Replace the briefing's Markdown body."""
    return Replace(BODY, text, BRIEFING)


def evidence(entry: str) -> Replace:
    """Give action A2's update one evidence entry (written as YAML flow or block text)."""
    return Replace("narrative: Clinics running weekly.",
                   f"narrative: Clinics running weekly.\n        evidence:\n          - {entry}")


def include(*files: str) -> Replace:
    return Replace("plan:\n", f"include: [{', '.join(files)}]\nplan:\n")
