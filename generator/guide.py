"""The editor guide: the packaged pages (generator/editor_guide/) with the plan's own content/guide/*.md layered
over them (a page of the same name replaces the packaged one; others are added), plus two pages made from the
code itself so they cannot drift: every field of every item (from the model) and every validation code (from the
validator).

Every guide page becomes a page of the staff edition, so each goes through the same path rule, checks
(check_markdown) and sanitiser (sanitise_markdown) as documents: no page of the guide is raw HTML.
"""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass
from datetime import date
from enum import Enum
from pathlib import Path

from pydantic import BaseModel

from .diagnostics import CODES, Diagnostic
from .loader import LoadError, load_yaml, read_text, split_front_matter
from .markdown_safety import check_markdown
from .model import SECTIONS, Document, PlanInfo

GUIDE_DIR = "content/guide"
PACKAGE = Path(__file__).parent
PACKAGED_GUIDE = PACKAGE / "editor_guide"  # the product's pages, package data
# The guide's pages in reading order: (file, title in the navigation).
PAGES = [("index.md", "Overview"), ("update-status.md", "Update a status"), ("add-items.md", "Add items"),
         ("preview-and-pull-requests.md", "Preview and pull requests"), ("publish.md", "Publish a reporting point"),
         ("new-plan.md", "Start a new plan"), ("fields.md", "Every field"), ("codes.md", "Validation codes")]
GENERATED = {"fields.md", "codes.md"}


@dataclass(frozen=True)
class GuidePage:
    """One page of the guide, ready to stage: its path in the docs folder, its title as plain text (the
    stager escapes it with every other title) and its body as sanitised HTML."""

    path: str
    title: str
    html: str


@dataclass(frozen=True)
class _Source:
    display: str  # the file as an editor names it, for diagnostics
    body: str
    first_line: int  # the line of the file the body starts on
    title: str


def codes_markdown() -> str:
    lines = ["---", "title: Validation codes", "---", "", "# Validation codes", "",
             "Every problem `python -m generator validate` reports has a code. This list is produced from the "
             "validator itself, so it is always complete.", "",
             "| Code | Level | What it means | How to fix it |", "| --- | --- | --- | --- |"]
    for code in CODES.values():
        lines.append(f"| {code.code} | {code.severity.value} | {code.title} | "
                     f"{code.explanation.replace('|', '/')} |")
    return "\n".join(lines) + "\n"


def _describe(annotation) -> str:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        base = args[0]
        return "date (YYYY-MM-DD)" if base is date else (
            "period (2013-07, 2013-07-31, 2013 or 2012/13)" if "Period" in repr(annotation) else _describe(base))
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        return " or ".join(_describe(a) for a in args if a is not type(None))
    if origin is list:
        return f"list of {_describe(args[0])}"
    if isinstance(annotation, type):
        if issubclass(annotation, Enum):
            return "one of: " + ", ".join(f"`{m.value}`" for m in annotation)
        if issubclass(annotation, BaseModel):
            return f"{annotation.__name__.lower()} (fields: {', '.join(_names(annotation))})"
        return {str: "text", int: "whole number", float: "number", bool: "true or false", date: "date (YYYY-MM-DD)"
                }.get(annotation, annotation.__name__)
    return str(annotation)


def _names(model: type[BaseModel]) -> list[str]:
    return [f.alias or n for n, f in model.model_fields.items()]


def fields_markdown() -> str:
    lines = ["---", "title: Every field", "---", "", "# Every field of every item", "",
             "Made from the tool's own model, so it always matches what the validator accepts. "
             "Required fields must be present; the others may be left out.", ""]
    kinds = [("plan (in plan.yaml)", PlanInfo)] + [(f"{name} (each item)", model) for name, model in SECTIONS.items()]
    kinds.append(("document front matter (content/documents/*.md)", Document))
    for title, model in kinds:
        lines += [f"## {title}", "", "| Field | Required | Value | Notes |", "| --- | --- | --- | --- |"]
        for name, f in model.model_fields.items():
            notes = (f.description or "").replace("|", "/")
            lines.append(f"| `{f.alias or name}` | {'yes' if f.is_required() else 'no'} | "
                         f"{_describe(f.annotation).replace('|', '/')} | {notes} |")
        lines.append("")
    return "\n".join(lines)


def plan_guide(root: Path) -> Path:
    """The plan folder's own guide pages (they may not exist): added to the packaged ones, or replacing one."""
    return root / GUIDE_DIR


def _guide_files(root: Path) -> list[tuple[Path, str, Path]]:
    """(file, name shown in diagnostics, folder it must stay inside) for every written page, the plan's own
    replacing a packaged page of the same name; in name order."""
    files = {p.name: (p, f"generator/editor_guide/{p.name}", PACKAGE) for p in PACKAGED_GUIDE.glob("*.md")}
    own = plan_guide(root)
    if own.is_dir():
        files.update({p.name: (p, p.relative_to(root).as_posix(), root) for p in own.glob("*.md")})
    return [files[name] for name in sorted(files)]


_HEADING = re.compile(r"\A\s*#[ \t]+(.+?)[ \t#]*(?:\n|\Z)")


def _split(text: str, display: str) -> tuple[str, int, str | None]:
    """Body, the line it starts on, and the title of its front matter (if it has front matter)."""
    if not text.startswith("---"):
        return text, 1, None
    fm_text, offset, body = split_front_matter(text, display)
    loaded = load_yaml(fm_text or "{}", display, line_offset=offset)
    if loaded.diags:
        raise LoadError(loaded.diags[0])
    title = loaded.data.get("title") if isinstance(loaded.data, dict) else None
    return body, offset + fm_text.count("\n") + 2, str(title) if isinstance(title, (str, int, float)) else None


def _sources(root: Path) -> tuple[list[_Source], list[Diagnostic]]:
    """Every guide page as Markdown (the editors' pages, each inside its folder, and the generated ones)."""
    out: list[_Source] = []
    diags: list[Diagnostic] = []
    for path, display, base in _guide_files(root):
        if path.name in GENERATED:
            continue  # made from the code; an editor's file of the same name would be replaced
        try:
            body, first_line, title = _split(read_text(path, display, base=base), display)
        except LoadError as exc:
            diags.append(exc.diag)
            continue
        heading = _HEADING.match(body)
        if heading:  # the page's title is shown by the theme, so the body does not repeat it
            title = title or heading[1]
            first_line += body.count("\n", 0, heading.end())
            body = body[heading.end():]
        out.append(_Source(display, body, first_line, title or path.stem.replace("-", " ").capitalize()))
    for name, text in (("fields.md", fields_markdown()), ("codes.md", codes_markdown())):
        body, first_line, title = _split(text, f"{GUIDE_DIR}/{name}")
        heading = _HEADING.match(body)
        out.append(_Source(f"{GUIDE_DIR}/{name}", body[heading.end():] if heading else body, first_line,
                           title or name))
    return out, diags


def check_guide(root: Path) -> list[Diagnostic]:
    """Located diagnostics for the guide, as for documents: unreadable or linked-out files, unprintable
    characters, Markdown beyond the limits, unsafe HTML."""
    sources, diags = _sources(root)
    for src in sources:
        diags += check_markdown(src.body, src.display, src.first_line)
    return diags


_MD_LINK = re.compile(r'href="(?![a-zA-Z][a-zA-Z0-9+.-]*:)([^"#/]+\.md)(#[^"]*)?"')  # a link to a sibling page


def guide_pages(root: Path) -> list[GuidePage]:
    """The guide's pages for the staff edition: titles as text, bodies sanitised, links between pages
    pointing at their folder addresses. Call after check_guide found no errors."""
    from .render import relative, sanitise_markdown  # here, so that validating needs no Markdown renderer

    pages = []
    for src in _sources(root)[0]:
        path = f"guide/{src.display.rsplit('/', 1)[-1]}"
        html = _MD_LINK.sub(lambda m: f'href="{relative("guide/" + m[1] + (m[2] or ""), path)}"',
                            sanitise_markdown(src.body))
        pages.append(GuidePage(path, src.title, html))
    return pages
