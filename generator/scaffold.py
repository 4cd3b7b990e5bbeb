"""`new` and `init`: writing valid skeletons for editors, never overwriting their work.

`new` adds one item with the next free id to the file that already holds that section, inserted as
text so comments and layout are kept, then validates; if the result were invalid the file is put
back as it was. `init` writes a new council's repository from the starter in generator/starter/: the plan,
its site settings and README (filled in by string.Template), the workflows and pre-commit configuration (copied
verbatim: they hold `${{ }}` and shell `$vars`, and this repository's own copies equal them), and
requirements.txt, the one line that pins the tool at the version that ran `init`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from string import Template

from .characters import BAD_IN_VALUE, UNPRINTABLE_HINT, describe_char
from .diagnostics import has_errors
from .errors import GeneratorError, UsageError, writing
from .loader import load_yaml, read_text
from .model import ID_PATTERN, Plan
from .reading import DOCUMENTS_DIR, PLAN_FILE
from .schema import schema_files

STARTER = Path(__file__).parent / "starter"
DISTRIBUTION = "improvement-plan-generator"
REQUIREMENTS = "requirements.txt"
# Starter files copied byte for byte (named dot-* in the package, since package data globs skip dotfiles).
VERBATIM = (".github/workflows/pull-request.yml", ".github/workflows/publish.yml", ".pre-commit-config.yaml")
_GIT_SOURCE = re.compile(r"^git\+(https|ssh)://([A-Za-z0-9._-]+@)?[^\s@#?]+$")  # no ref: init adds @v<version>
_TRAILING_NUMBER = re.compile(r"^(.*?)(\d+)$")
_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9._-]*$")  # ids and choices need no quotes


class ScaffoldError(GeneratorError):
    """Nothing was written: the item or folder asked for cannot be made as asked."""


def next_id(siblings: list[str], taken: set[str], default_prefix: str) -> str:
    """The next id in the siblings' own numbering (A2.9 -> A2.10), or default_prefix1, 2, ..."""
    numbered = [(m[1], int(m[2])) for s in siblings if (m := _TRAILING_NUMBER.match(s))]
    if numbered:
        prefix = Counter(p for p, _ in numbered).most_common(1)[0][0]
        n = max(num for p, num in numbered if p == prefix) + 1
    else:
        prefix, n = default_prefix, 1
    while f"{prefix}{n}" in taken:
        n += 1
    return f"{prefix}{n}"


def yaml_string(text: str) -> str:
    """`text` as a double-quoted YAML scalar that reads back exactly: a JSON string is one, once the characters
    JSON leaves raw but YAML refuses (DEL, C1 controls, line and paragraph separators, BOM) are escaped too."""
    return re.sub(r"[\x7f-\x9f\u2028\u2029\ufeff]", lambda m: f"\\u{ord(m[0]):04x}",
                  json.dumps(text, ensure_ascii=False))


def _yaml_value(value) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_yaml_value(v) for v in value) + "]"
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in ("true", "false", "yes", "no", "on", "off", "null", "~"):
        return text
    return yaml_string(text)


def item_yaml(fields: dict, indent: int) -> str:
    pad = " " * indent
    lines = []
    for i, (key, value) in enumerate((k, v) for k, v in fields.items() if v not in (None, "", [])):
        lines.append(f"{pad}{'- ' if i == 0 else '  '}{key}: {_yaml_value(value)}")
    return "\n".join(lines) + "\n"


@dataclass
class Placement:
    file: Path
    line: int  # 0-based index of the line to insert before
    indent: int
    new_section: bool = False


def _placement(root: Path, section: str) -> Placement:
    """Where a new item of `section` goes: after the last item of that section, in the file that holds it."""
    plan_loaded = load_yaml(read_text(root / PLAN_FILE, PLAN_FILE), PLAN_FILE)
    files = [PLAN_FILE] + [i for i in (plan_loaded.data or {}).get("include", []) if isinstance(i, str)]
    for rel in reversed(files):
        path = root / rel
        loaded = plan_loaded if rel == PLAN_FILE else load_yaml(read_text(path, rel), rel)
        data = loaded.data if isinstance(loaded.data, dict) else {}
        if section not in data:
            continue
        if not isinstance(data[section], list) or (data[section] and (section, 0) not in loaded.locs.positions):
            raise ScaffoldError(f"'{section}' in {rel} is not a block list; add the item by hand")
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        key_lines = sorted(line for (key,), (line, _c) in
                           ((p, v) for p, v in loaded.locs.keys.items() if len(p) == 1))
        start = loaded.locs.keys[(section,)][0]
        after = [k for k in key_lines if k > start]
        end = (after[0] - 1) if after else len(lines)
        while end > start and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
            end -= 1  # keep the next section's comment header with it
        indent = loaded.locs.positions[(section, 0)][1] - 3 if data[section] else 2
        return Placement(path, end, max(indent, 0))
    lines = (root / PLAN_FILE).read_text(encoding="utf-8").splitlines(keepends=True)
    return Placement(root / PLAN_FILE, len(lines), 2, new_section=True)


def insert_item(root: Path, section: str, fields: dict) -> tuple[Path, int]:
    """Insert the item's YAML; validate; restore the file if that made the plan invalid."""
    from .validate import validate

    place = _placement(root, section)
    original = place.file.read_text(encoding="utf-8")
    lines = original.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    block = item_yaml(fields, place.indent)
    if place.new_section:
        block = f"\n{section}:\n{block}"
    elif place.line < len(lines) and lines[place.line].strip():
        block += "\n"
    lines[place.line:place.line] = [block]
    with writing(place.file):
        place.file.write_text("".join(lines), encoding="utf-8")
    _, diags = validate(root)
    problems = [d for d in diags if d.severity.value == "error"]  # the plan was valid before the insert
    if problems:
        place.file.write_text(original, encoding="utf-8")
        raise ScaffoldError("the new item would not be valid, so nothing was written:\n"
                            + "\n".join(d.text() for d in problems))
    return place.file, place.line + 1 + (2 if place.new_section else 0)


def _require(plan: Plan, ref: str, kind: str) -> None:
    item = plan.index().get(ref)
    if item is None or item.kind != kind:
        pool = sorted(i.id for i in plan.items() if i.kind == kind)
        raise ScaffoldError(f"there is no {kind} '{ref}'" + (f"; {kind}s: {', '.join(pool[:20])}" if pool else ""))


def new_item(root: Path, kind: str, opts: dict) -> str:
    """Add one item of `kind`; returns what was done and what to fill in next."""
    from .validate import validate

    plan, diags = validate(root)
    if has_errors(diags):
        raise ScaffoldError("the plan has errors already (above); fix them first",
                            [d for d in diags if d.severity.value == "error"])
    taken = set(plan.index())
    given = opts.get("id")
    if given:
        if not re.match(ID_PATTERN, given):
            raise ScaffoldError(f"'{given}' is not a valid id")
        if given in taken:
            raise ScaffoldError(f"the id '{given}' is already used")
    if kind == "action":
        _require(plan, opts["commitment"], "commitment")
        _require(plan, opts["lead"], "role")
        theme = plan.index()[opts["commitment"]].theme
        in_theme = {c.id for c in plan.commitments if c.theme == theme}
        digits = _TRAILING_NUMBER.match(theme)
        iid = given or next_id([a.id for a in plan.actions if a.commitment in in_theme], taken,
                               f"A{digits[2]}." if digits else "A")
        fields = {"id": iid, "commitment": opts["commitment"], "title": opts["title"], "lead": opts["lead"],
                  "target_date": opts["target_date"]}
        where = insert_item(root, "actions", fields)
        todo = ("add a dated update under 'updates:' each month (date, status, narrative); when it is done, "
                "add a 'complete' update and set completed_on")
    elif kind == "recommendation":
        _require(plan, opts["source"], "source")
        iid = given or next_id([r.id for r in plan.recommendations if r.source == opts["source"]], taken, "R")
        fields = {"id": iid, "source": opts["source"], "reference": opts["reference"], "text": opts["text"],
                  "service_area": opts["service_area"], "timescale": opts.get("timescale"), "due": opts.get("due")}
        if not (fields["timescale"] or fields["due"]):
            raise ScaffoldError("give --timescale (immediately, within_3_months, ...) or --due YYYY-MM-DD")
        where = insert_item(root, "recommendations", fields)
        todo = ("list it under 'recommendations:' of the commitment that answers it, and record progress under "
                "'progress:'")
    elif kind == "finding":
        _require(plan, opts["source"], "source")
        iid = given or next_id([f.id for f in plan.findings], taken, "F")
        fields = {"id": iid, "source": opts["source"], "type": opts["type"], "text": opts["text"],
                  "area": opts.get("area"), "found": opts.get("found")}
        where = insert_item(root, "findings", fields)
        todo = "list its id under 'answers:' of each action that answers it"
    elif kind == "measure":
        iid = given or next_id([m.id for m in plan.measures], taken, "M")
        fields = {"id": iid, "name": opts["name"], "definition": opts["definition"], "unit": opts["unit"],
                  "better": opts["better"], "source": opts.get("source")}
        where = insert_item(root, "measures", fields)
        todo = "add readings under 'values:' ({period: 2013-07, value: ...}), and a 'target:' if there is one"
    elif kind == "document":
        return new_document(root, plan, opts, taken)
    else:
        raise ScaffoldError(f"cannot create a '{kind}'")
    path, line = where
    return (f"added {kind} {iid} to {path.relative_to(root).as_posix()} at line {line}\n"
            f"next: {todo}; then run 'improvement-plan validate'")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40].strip("-") or "document"


def new_document(root: Path, plan: Plan, opts: dict, taken: set[str]) -> str:
    from .validate import validate

    day: date = opts.get("date") or date.today()
    for ref in opts.get("about") or []:
        if ref not in plan.index():
            raise ScaffoldError(f"there is no plan item '{ref}' to list under about")
    iid = opts.get("id") or f"DOC-{day.isoformat()}-{_slug(opts['title'])}"[:64].rstrip("-")
    if iid in taken:
        raise ScaffoldError(f"the id '{iid}' is already used; give one with --id")
    folder = root / DOCUMENTS_DIR
    path = folder / f"{day.isoformat()}-{_slug(opts['title'])}.md"
    if path.exists():
        raise ScaffoldError(f"{path.relative_to(root).as_posix()} already exists")
    front = {"id": iid, "title": opts["title"], "date": day, "type": opts["type"],
             "audience": opts.get("audience") or "staff", "summary": opts.get("summary"), "about": opts.get("about")}
    body = "".join(f"{k}: {_yaml_value(v)}\n" for k, v in front.items() if v not in (None, "", []))
    heading = " ".join(str(opts["title"]).split())  # one line, whatever the title holds
    with writing(path):
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\n{body}---\n\n## {heading}\n\nWrite the document here in Markdown.\n",
                        encoding="utf-8")
    _, diags = validate(root)
    problems = [d for d in diags if d.severity.value == "error" and d.file == path.relative_to(root).as_posix()]
    if problems:
        path.unlink()
        raise ScaffoldError("the document would not be valid, so nothing was written:\n"
                            + "\n".join(d.text() for d in problems))
    return (f"added document {iid} as {path.relative_to(root).as_posix()}\n"
            f"next: write its text below the front matter; it is {front['audience']}-only"
            f"{'' if front['audience'] == 'public' else ' until you set audience: public'}")


def tool_version() -> str:
    """The version of the running tool, as installed (the pin a new repository gets)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        raise ScaffoldError(f"the tool is not installed as a package ({DISTRIBUTION}), so there is no version "
                            "to pin in requirements.txt; install it (python -m pip install .) and run init "
                            "again") from None


def requirement_line(install_from: str, version: str) -> str:
    """requirements.txt's one line: the tool at `version` from the package index, or from a git repository's tag
    v<version>."""
    if install_from == "index":
        return f"{DISTRIBUTION}=={version}"
    if _GIT_SOURCE.fullmatch(install_from):  # not match: `$` also matches before a final newline
        return f"{DISTRIBUTION} @ {install_from}@v{version}"
    raise UsageError(f"--install-from must be 'index' or the tool's git repository as git+https://... (for "
                     f"example git+https://github.com/your-council/improvement-plan-generator), not "
                     f"'{install_from}'")


def _starter_files() -> dict[str, Path]:
    """Each starter file by the path it gets in the new repository (dot-x -> .x)."""
    return {re.sub(r"(^|/)dot-", r"\1.", src.relative_to(STARTER).as_posix()): src
            for src in sorted(STARTER.rglob("*")) if src.is_file() and "__pycache__" not in src.parts}


def init(target: Path, organisation: str, today: date | None = None, install_from: str = "index") -> list[str]:
    """A new council's repository: plan.yaml with one of each kind of item, a document, mkdocs.yml, README,
    schema, .gitignore, requirements.txt, both workflows and the pre-commit configuration. Never overwrites."""
    today = today or date.today()
    if not organisation.strip() or any(unicodedata.category(c) == "Cc" and c != "\n" for c in organisation):
        raise ScaffoldError("the organisation name must be printable text (no tabs or control characters)")
    if bad := BAD_IN_VALUE.search(organisation):  # what validate refuses (L011): init would write a broken plan
        raise ScaffoldError(f"the organisation name holds the character {describe_char(bad[0])}; "
                            f"{UNPRINTABLE_HINT}")
    pin = requirement_line(install_from, tool_version())
    starter = _starter_files()
    if target.exists() and not target.is_dir():
        raise ScaffoldError(f"{target} is a file, not a folder; init never overwrites anything")
    clashes = sorted(rel for rel in [*starter, *schema_files(), REQUIREMENTS]
                     if (target / rel).exists() or (target / rel).is_symlink())
    if clashes:
        raise ScaffoldError(f"{target} already holds {', '.join(clashes)}; init never overwrites a plan or "
                            "any other file, so choose a new folder")
    others = sorted(p.name for p in target.iterdir() if p.name != ".git") if target.is_dir() else []
    if others:
        raise ScaffoldError(f"{target} is not empty (it holds {', '.join(others[:5])}"
                            f"{', ...' if len(others) > 5 else ''}); choose a new folder")
    line = " ".join(organisation.split())  # for comments and headings, which are one line
    values = {"organisation": yaml_string(organisation), "organisation_line": line, "today": today.isoformat(),
              **{f"d{n}": (today - timedelta(days=n)).isoformat() for n in (10, 20, 30, 120, 150, 180, 200, 210)},
              **{f"f{n}": (today + timedelta(days=n)).isoformat() for n in (30, 90, 180)}}
    texts = {rel: src.read_text(encoding="utf-8") if rel in VERBATIM
             else Template(src.read_text(encoding="utf-8")).substitute(values) for rel, src in starter.items()}
    texts[REQUIREMENTS] = pin + "\n"
    texts.update(schema_files())
    with writing(target):
        for rel in sorted(texts):
            dest = target / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(texts[rel], encoding="utf-8")
    return sorted(texts)
