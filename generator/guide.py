"""The editor guide: pages written in content/guide/, plus two pages made from the code itself so they
cannot drift: every field of every item (from the model) and every validation code (from the validator)."""

from __future__ import annotations

import typing
from datetime import date
from enum import Enum
from pathlib import Path

from pydantic import BaseModel

from .diagnostics import CODES
from .model import SECTIONS, Document, PlanInfo

GUIDE_DIR = "content/guide"
# The guide's pages in reading order: (file, title in the navigation).
PAGES = [("index.md", "Overview"), ("update-status.md", "Update a status"), ("add-items.md", "Add items"),
         ("preview-and-pull-requests.md", "Preview and pull requests"), ("publish.md", "Publish a reporting point"),
         ("new-plan.md", "Start a new plan"), ("fields.md", "Every field"), ("codes.md", "Validation codes")]


def codes_markdown() -> str:
    lines = ["---", "title: Validation codes", "---", "", "# Validation codes", "",
             "Every problem `python -m generator validate` reports has a code. This list is produced from the "
             "validator itself, so it is always complete.", "",
             "| Code | Level | What it means | How to fix it |", "| --- | --- | --- | --- |"]
    for code in CODES.values():
        lines.append(f"| <span id=\"{code.code}\">{code.code}</span> | {code.severity.value} | {code.title} | "
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


def guide_source(root: Path) -> Path:
    """The plan folder's own guide, or the product's guide for a council's folder that has none."""
    own = root / GUIDE_DIR
    return own if own.is_dir() else Path(__file__).parent.parent / GUIDE_DIR


def guide_pages(root: Path) -> list["Page"]:
    """The guide's pages for the staff edition (the written ones, then the two made from the code)."""
    from .loader import load_yaml, read_text, split_front_matter
    from .render import Page

    pages = []
    source = guide_source(root)
    for path in sorted(source.glob("*.md")) if source.is_dir() else []:
        rel = path.name
        fm, offset, body = split_front_matter(read_text(path, rel), rel)
        meta = load_yaml(fm or "{}", rel, line_offset=offset).data
        title = meta.get("title") if isinstance(meta, dict) else None
        pages.append(Page(f"guide/{rel}", str(title or path.stem), body))
    for name, text in (("fields.md", fields_markdown()), ("codes.md", codes_markdown())):
        _, _, body = split_front_matter(text, name)
        pages.append(Page(f"guide/{name}", dict(PAGES)[name], body))
    return pages
