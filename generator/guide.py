"""The editor guide: pages written in content/guide/, plus the table of validation codes made from the validator."""

from __future__ import annotations

from pathlib import Path

from .diagnostics import CODES

GUIDE_DIR = "content/guide"


def codes_markdown() -> str:
    lines = ["---", "title: Validation codes", "---", "", "# Validation codes", "",
             "Every problem `python -m generator validate` reports has a code. This list is produced from the "
             "validator itself, so it is always complete.", "",
             "| Code | Level | What it means | How to fix it |", "| --- | --- | --- | --- |"]
    for code in CODES.values():
        lines.append(f"| <span id=\"{code.code}\">{code.code}</span> | {code.severity.value} | {code.title} | "
                     f"{code.explanation.replace('|', '/')} |")
    return "\n".join(lines) + "\n"


def write_guide(docs: Path, root: Path) -> None:
    """Copy the guide pages (ours, trusted Markdown) and add the codes page."""
    target = docs / "guide"
    target.mkdir(parents=True, exist_ok=True)
    source = root / GUIDE_DIR
    for page in sorted(source.glob("*.md")) if source.is_dir() else []:
        (target / page.name).write_text(page.read_text(encoding="utf-8"), encoding="utf-8")
    if not (target / "index.md").exists():
        (target / "index.md").write_text("---\ntitle: Editor guide\n---\n\n# Editor guide\n\n"
                                         "- [Validation codes](codes.md)\n", encoding="utf-8")
    (target / "codes.md").write_text(codes_markdown(), encoding="utf-8")
