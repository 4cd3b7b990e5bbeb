"""The editor guide: the packaged pages (generator/editor_guide/) with the plan's own content/guide/*.md layered
over them (a page of the same name replaces the packaged one; others are added), plus two pages made from the
code itself so they cannot drift: every field of every item (from the model) and every validation code (from the
validator).

Every guide page becomes a page of the staff edition, so each goes through the same path rule, checks
(check_markdown) and sanitiser (sanitise_markdown) as documents: no page of the guide is raw HTML.
"""

from __future__ import annotations

import re
import types
import typing
from dataclasses import dataclass
from datetime import date
from enum import Enum
from pathlib import Path

from pydantic import BaseModel

from .diagnostics import CODES, Diagnostic
from .loader import LoadError, load_yaml, read_text, split_front_matter
from .locations import Loc
from .markdown_safety import check_markdown
from .model import (FIRST_DAY, LAST_DAY, MEANINGS, SECTIONS, Document, Item, PlanFile, PlanInfo, Terms, holds_ids,
                    _check_period, _check_url)
from .rules import ANY

GUIDE_DIR = "content/guide"
PACKAGE = Path(__file__).parent
PACKAGED_GUIDE = PACKAGE / "editor_guide"  # the product's pages, package data
# The guide's pages in reading order: (file, title in the navigation).
PAGES = [("index.md", "Overview"), ("update-status.md", "Update a status"), ("add-items.md", "Add items"),
         ("preview-and-pull-requests.md", "Preview and pull requests"), ("publish.md", "Publish a reporting point"),
         ("papers.md", "Reports and trackers for meetings"), ("import-tracker.md", "Import a tracker"),
         ("adopting.md", "Adopting the tool"), ("new-plan.md", "Start a new plan"), ("fields.md", "Every field"),
         ("codes.md", "Validation codes")]
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
             "Every problem `improvement-plan validate` reports has a code. This list is produced from the "
             "validator itself, so it is always complete.", "",
             "| Code | Level | What it means | How to fix it |", "| --- | --- | --- | --- |"]
    for code in CODES.values():
        lines.append(f"| {code.code} | {code.severity.value} | {code.title} | "
                     f"{code.explanation.replace('|', '/')} |")
    return "\n".join(lines) + "\n"


# --- the "Every field" page, made from the model ----------------------------------------------

_NAMES = {PlanFile: "plan.yaml (top level)", PlanInfo: "plan", Document: "document front matter"}
_PERIODS = [("2013-07-31", "a day", "that day"), ("2013-07", "a month", "the month's last day"),
            ("2013", "a calendar year", "31 December"),
            ("2012/13", "a financial year, 1 April 2012 to 31 March 2013 (the second part is the next year)",
             "31 March (2013)")]


def model_name(model: type[BaseModel]) -> str:
    """A model's name as the guide writes it: `ImprovementNotice` is "improvement notice"."""
    return _NAMES.get(model) or re.sub(r"(?<!^)(?=[A-Z])", " ", model.__name__).lower()


def enum_name(enum: type[Enum]) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", " ", enum.__name__).lower()


def _anchor(heading: str) -> str:
    """The id Markdown's table of contents gives a heading (its slugify, for the ASCII headings made here; not
    imported, so that validating needs no Markdown renderer)."""
    return re.sub(r"[-\s]+", "-", re.sub(r"[^\w\s-]", "", heading).strip().lower())


def _enum_heading(enum: type[Enum]) -> str:
    return f"{enum_name(enum)} values"


def _nested(annotation) -> list[type]:
    """The models and enums an annotation names, however deep in lists, unions and Annotated."""
    if isinstance(annotation, type) and issubclass(annotation, (BaseModel, Enum)):
        return [annotation]
    return [t for arg in typing.get_args(annotation) for t in _nested(arg)]


def walk_model(top: type[BaseModel] = PlanFile) -> tuple[list[type[BaseModel]], list[type[Enum]]]:
    """Every model and enum reachable from `top` and from document front matter, in the order the page shows
    them: the top level, the plan, each kind of item, documents, then nested types as first met."""
    models: list[type[BaseModel]] = [top, PlanInfo, *SECTIONS.values(), Document]
    enums: list[type[Enum]] = []
    for model in models:  # grows while it is walked
        for f in model.model_fields.values():
            for t in _nested(f.annotation):
                if issubclass(t, Enum):
                    enums += [t] if t not in enums else []
                elif t not in models:
                    models.append(t)
    return models, enums


def _value(annotation, metadata: typing.Sequence = ()) -> str:
    """A field's type in the editor's words, with a link to a nested type's own table."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:  # a Field() inside Annotated carries its constraints in its own metadata
        return _value(args[0], [*metadata, *(x for m in args[1:] for x in getattr(m, "metadata", [m]))])
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_value(a, metadata) for a in args if a is not type(None))
    if origin is list:
        return f"list of {_value(args[0], metadata)}"
    checks = {getattr(m, "func", None) for m in metadata}
    bounds = {type(m).__name__: m for m in metadata}  # annotated_types' Ge and Le
    if _check_period in checks:
        return "[period](#dates-and-periods)"
    if holds_ids(annotation, metadata):  # an id, or a reference to one
        return "[id](#ids)"
    if _check_url in checks:
        return "link (`https://`, `mailto:` or a path in the site)"
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return (f"one of {', '.join(f'`{m.value}`' for m in annotation)} "
                f"([meanings](#{_anchor(_enum_heading(annotation))}))")
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _link(annotation)
    if hasattr(annotation, "guide_words"):  # a value with several written forms (a diagnostic grid's cell)
        return annotation.guide_words
    if annotation is int and "Ge" in bounds and "Le" in bounds:
        return f"whole number {bounds['Ge'].ge} to {bounds['Le'].le}"
    return {str: "text", float: "number", int: "whole number",
            bool: "`true` or `false`", date: "date (YYYY-MM-DD)"}.get(annotation, annotation.__name__)


def _default(model: type[BaseModel], name: str, f) -> str:
    if f.is_required():
        return "–"
    if name == "audience" and issubclass(model, Item):
        return f"`{model.default_audience.value}`"
    value = f.get_default(call_default_factory=True)
    if isinstance(value, Enum):
        return f"`{value.value}`"
    if value == []:
        return "empty list"
    if isinstance(value, BaseModel):
        return "each field's default"
    return {None: "none", "": "empty", False: "`false`"}.get(value, f"`{value}`")


_LEVEL_WORD = re.compile(r"\b(?:[Tt]hemes?|[Cc]ommitments?)\b")


def in_council_words(text: str, terms: Terms) -> str:
    """A note in the plan's words for its levels ("the theme's title" -> "the workstream's title"); words in
    backticks are the file's own keys and values (`themes:`, `theme: T1`) and stay as they are."""
    tokens = terms.tokens()
    parts = text.split("`")
    parts[::2] = [_LEVEL_WORD.sub(lambda m: tokens[f"%{m[0]}%"], part) for part in parts[::2]]
    return "`".join(parts)


def field_row(model: type[BaseModel], name: str, terms: Terms | None = None) -> str:
    """One row of a model's table: field, required, value, default, notes (in the plan's words)."""
    f = model.model_fields[name]
    words = Terms() if model is Terms or name == "terms" else terms or Terms()  # the terms' own notes name the levels
    cells = [f"`{f.alias or name}`", "yes" if f.is_required() else "no", _value(f.annotation, f.metadata),
             _default(model, name, f), in_council_words(f.description or "", words)]
    return "| " + " | ".join(c.replace("|", "/") for c in cells) + " |"


def _intro() -> list[str]:
    kinds = [model.kind for model in [*SECTIONS.values(), Document] if model.kind in ANY]
    periods = [f"| `{form}` | {what} | {last} |" for form, what, last in _PERIODS]
    return [
        "Made from the tool's own model, so it always matches what the validator accepts. A **required** field "
        "must be present; any other may be left out, and then means its **default**. A field whose value is a "
        "link (such as [update](#update)) holds the fields of that type's own table, indented below it.", "",
        "## Ids", "",
        "An id starts with a letter, then up to 63 letters, digits, `.`, `-` or `_` (no spaces): `A2.3`, "
        "`ROLE-HOSFS`, `SRC-OFSTED-2012`. Ids are case-sensitive, and each is unique across everything that has "
        "one: items, documents, phases and governance bodies (R201). A field that points at another item holds "
        "that item's id, and the validator checks it exists and is of the right kind (R202, R203).", "",
        "## Dates and periods", "",
        f"A date is written `YYYY-MM-DD` and must exist (`2013-02-30` is refused); dates fall between "
        f"{FIRST_DAY.isoformat()} and {LAST_DAY.isoformat()}, and numbers between -1e12 and 1e12 (S107). "
        "A measure's figures are for a **period**, written in one of four forms:", "",
        "| Write | Meaning | Sorts at |", "| --- | --- | --- |", *periods, "",
        "A measure's `values` are listed oldest first, and compared by the **last day** of each period: so "
        "`2012/13` comes after every month up to `2013-03`, and `2013-04` after it, but `2013-02` after "
        "`2012/13` is out of order (D304). A value whose period **starts** after the plan's `as_at` is refused "
        "(D310): `2013/14` may be given from 1 April 2013.", "",
        "## What a document can be about", "",
        "A document's `about:` lists the ids of the items it speaks of, of any of these kinds: "
        + ", ".join(kinds) + ". Not a phase or a governance body. A public document may be about public "
        "items only (D307): risks are always staff-only, so only a staff document can be about a risk.", "",
    ]


def _link(model: type[BaseModel]) -> str:
    return f"[{model_name(model)}](#{_anchor(model_name(model))})"


def _where(model: type[BaseModel], models: list[type[BaseModel]]) -> str:
    """Where a model's fields are written: its file or list, or the types whose fields hold it."""
    if model is PlanFile:
        return "The top level of `plan.yaml`. A file named under `include:` holds only the lists of items."
    if model is PlanInfo:
        return "Under `plan:` in `plan.yaml`."
    if model is Document:
        return "The front matter of each Markdown file in `content/documents/`, between two `---` lines."
    sections = [f"`{name}:`" for name, kind in SECTIONS.items() if kind is model]
    if sections:
        return f"Each item of {sections[0]}, in `plan.yaml` or a file it includes."
    parents = [p for p in models if any(model in _nested(f.annotation) for f in p.model_fields.values())]
    return "Part of " + ", ".join(_link(p) for p in parents) + "."


def _first(name: str) -> bool:
    return name not in ("plan", "include")  # plan.yaml's own fields before its lists of items


def _level_note(section: str, terms: Terms) -> list[str]:
    """What this plan calls the items of a level section, so the page speaks the council's words."""
    words = {"themes": terms.theme_plural, "commitments": terms.commitment_plural}
    if section not in words:
        return []
    return [f"`{section}:` holds your {words[section]} (what the plan calls them is set in `plan:` under "
            "`terms:`).", ""]


def apply_terms(text: str, terms: Terms) -> str:
    """The guide's tokens (%theme%, %Themes%, %commitments% ...) replaced by the plan's words."""
    for token, word in terms.tokens().items():
        text = text.replace(token, word)
    return text


def fields_markdown(terms: Terms | None = None) -> str:
    terms = terms or Terms()
    sections = {model: name for name, model in SECTIONS.items()}
    models, enums = walk_model()
    lines = ["---", "title: Every field", "---", "", "# Every field of every item", "", *_intro()]
    for model in models:
        lines += [f"## {model_name(model)}", "", _where(model, models), "", *_level_note(sections.get(model, ""), terms)]
        lines += ["| Field | Required | Value | Default | Notes |", "| --- | --- | --- | --- | --- |",
                  *(field_row(model, name, terms) for name in sorted(model.model_fields, key=_first)), ""]
    lines += ["## Allowed values", "", "Write the value exactly as shown, in lower case.", ""]
    for enum in sorted(enums, key=enum_name):
        lines += [f"### {_enum_heading(enum)}", "", "| Value | Meaning |", "| --- | --- |",
                  *(f"| `{m.value}` | {MEANINGS[enum][m.value]} |" for m in enum), ""]
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


def _sources(root: Path, terms: Terms) -> tuple[list[_Source], list[Diagnostic]]:
    """Every guide page as Markdown (the packaged pages and the plan's own, each inside its folder, and the
    generated ones), with the plan's words in place of the tokens (a word never holds a line break, so every
    line keeps its number)."""
    out: list[_Source] = []
    diags: list[Diagnostic] = []
    for path, display, base in _guide_files(root):
        if path.name in GENERATED:  # made from the code; an editor's page of that name would never be shown
            diags.append(Diagnostic.at(Loc(display, 1, 1), "L013",
                                       f"'{display}' has the name of a page the tool makes from its model, so it "
                                       "would never be shown",
                                       hint="rename it (for example our-" + path.name + "); Every field and "
                                            "Validation codes are always made by the tool"))
            continue
        try:
            body, first_line, title = _split(apply_terms(read_text(path, display, base=base), terms), display)
        except LoadError as exc:
            diags.append(exc.diag)
            continue
        heading = _HEADING.match(body)
        if heading:  # the page's title is shown by the theme, so the body does not repeat it
            title = title or heading[1]
            first_line += body.count("\n", 0, heading.end())
            body = body[heading.end():]
        out.append(_Source(display, body, first_line, title or path.stem.replace("-", " ").capitalize()))
    for name, text in (("fields.md", fields_markdown(terms)), ("codes.md", codes_markdown())):
        body, first_line, title = _split(text, f"{GUIDE_DIR}/{name}")
        heading = _HEADING.match(body)
        out.append(_Source(f"{GUIDE_DIR}/{name}", body[heading.end():] if heading else body, first_line,
                           title or name))
    return out, diags


def check_guide(root: Path, terms: Terms | None = None) -> list[Diagnostic]:
    """Located diagnostics for the guide, as for documents: unreadable or linked-out files, unprintable
    characters, Markdown beyond the limits, unsafe HTML."""
    sources, diags = _sources(root, terms or Terms())
    for src in sources:
        diags += check_markdown(src.body, src.display, src.first_line)
    return diags


_MD_LINK = re.compile(r'href="(?![a-zA-Z][a-zA-Z0-9+.-]*:)([^"#/]+\.md)(#[^"]*)?"')  # a link to a sibling page


def guide_pages(root: Path, terms: Terms | None = None) -> list[GuidePage]:
    """The guide's pages for the staff edition: titles as text, bodies sanitised, links between pages
    pointing at their folder addresses. Call after check_guide found no errors."""
    from .render import relative, sanitise_markdown  # here, so that validating needs no Markdown renderer

    pages = []
    for src in _sources(root, terms or Terms())[0]:
        path = f"guide/{src.display.rsplit('/', 1)[-1]}"
        html = _MD_LINK.sub(lambda m: f'href="{relative("guide/" + m[1] + (m[2] or ""), path)}"',
                            sanitise_markdown(src.body))
        pages.append(GuidePage(path, src.title, html))
    return pages
