"""Turning the files of a plan folder into a typed Plan, with a located diagnostic for every schema problem.

Each item is checked on its own, so one bad action does not hide the problems of the next:
everything that parses is kept, and the rules in rules.py then run over what was built.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .diagnostics import Diagnostic
from .loader import LoadError, Loaded, load_yaml, read_text, split_front_matter
from .locations import Src, field_path
from .model import SECTIONS, Document, Plan, PlanInfo
from .plan_format import FORMAT_KEY, check_format

PLAN_FILE = "plan.yaml"
DOCUMENTS_DIR = "content/documents"
TOP_KEYS = [FORMAT_KEY, "include", "plan", *SECTIONS]

_TYPE_WORDS = {
    "string_type": "text", "int_type": "a whole number", "int_parsing": "a whole number",
    "int_from_float": "a whole number", "float_type": "a number", "float_parsing": "a number",
    "bool_type": "true or false", "bool_parsing": "true or false", "list_type": "a list",
    "dict_type": "a mapping of fields", "model_type": "a mapping of fields", "model_attributes_type": "a mapping of fields",
}


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    return f"'{value}'"


def _field_names(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def _submodel(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model that owns the last key of `loc` (for the 'did you mean' hint)."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        fields = {f.alias or n: f for n, f in current.model_fields.items()}
        if part not in fields:
            return None
        ann = fields[part].annotation
        for candidate in (ann, *getattr(ann, "__args__", ())):
            for inner in (candidate, *getattr(candidate, "__args__", ())):
                if isinstance(inner, type) and issubclass(inner, BaseModel):
                    current = inner
                    break
            else:
                continue
            break
        else:
            return None
    return current


def _at(raw: Any, path: tuple) -> Any:
    for part in path:
        try:
            raw = raw[part]
        except (LookupError, TypeError):
            return None
    return raw


def _flow_commas(errors: list[dict], model: type[BaseModel], src: Src, raw: Any,
                 label: str) -> tuple[list[Diagnostic], set[tuple]]:
    """An unquoted comma inside `{...}` ends the value: `{area: Referral, and assessment, grade: good}` reads as
    area 'Referral' and a field 'and assessment' with no value. Said once per cut value, at the first piece cut off;
    returns those diagnostics and the paths of the pieces, whose unknown-field errors they replace."""
    out, pieces = [], set()
    for err in errors:
        loc = tuple(err["loc"])
        if err["type"] != "extra_forbidden" or err.get("input") is not None or loc in pieces \
                or src.locs is None or src.path + loc[:-1] not in src.locs.flow:
            continue
        mapping, owner = _at(raw, loc[:-1]), _submodel(model, loc)
        if not isinstance(mapping, dict) or owner is None or loc[-1] not in mapping:
            continue
        keys, known = list(mapping), set(_field_names(owner))
        start = keys.index(loc[-1])
        while start and keys[start - 1] not in known and mapping[keys[start - 1]] is None:
            start -= 1
        prev = keys[start - 1] if start else None
        if prev not in known or isinstance(mapping[prev], (dict, list)) or mapping[prev] is None:
            continue
        cut = []
        for key in keys[start:]:
            if key in known or mapping[key] is not None:
                break
            cut.append(key)
        pieces |= {loc[:-1] + (key,) for key in cut}
        value, rest = str(mapping[prev]), ", ".join(cut)
        quoted = f"{value}, {rest}".replace("\\", "\\\\").replace('"', '\\"')
        number = isinstance(mapping[prev], (int, float)) and all(k.isdigit() for k in cut)
        out.append(Diagnostic.at(
            src.at(*loc[:-1], cut[0], key=True), "S102",
            f"{label} {field_path(loc[:-1] + (prev,))} '{value}' is cut short by a comma: inside {{ }} a comma ends "
            f"a value, so '{rest}' was read as a field of its own",
            hint=f"write the number without commas: {prev}: {value}{''.join(cut)}" if number
            else f'put the whole value in quotes: {prev}: "{quoted}"'))
    return out, pieces


def _case_hint(value: Any, expected: str) -> str:
    """'write it as amber' for 'Amber', 'AMBER' or 'Not Started' -> not_started: the choice it plainly means."""
    def norm(text: str) -> str:
        return re.sub(r"[\s_-]+", "", text).casefold()
    if not isinstance(value, str):
        return ""
    match = [c for c in re.findall(r"'([^']*)'", expected) if norm(c) == norm(value)]
    return f"write it as '{match[0]}'" if match else ""


def schema_diagnostics(exc: ValidationError, model: type[BaseModel], src: Src, label: str,
                       raw: Any = None) -> list[Diagnostic]:
    """One diagnostic per pydantic error, in the words an editor uses; `raw` (the item as read) lets an unquoted
    comma in an inline mapping be told apart from a misspelt field."""
    errors = exc.errors(include_url=False)
    out, pieces = _flow_commas(errors, model, src, raw, label)
    for err in errors:
        loc, kind, field = tuple(err["loc"]), err["type"], field_path(tuple(err["loc"]))
        value = err.get("input")
        if loc in pieces:
            continue
        if kind == "missing":
            out.append(Diagnostic.at(src.at(*loc[:-1]), "S101", f"{label} is missing required field '{field}'"))
        elif kind == "extra_forbidden":
            owner = _submodel(model, loc)
            near = difflib.get_close_matches(str(loc[-1]), _field_names(owner), n=1) if owner else []
            hint = f"did you mean '{near[0]}'?" if near else (
                f"allowed fields: {', '.join(_field_names(owner))}" if owner else "")
            out.append(Diagnostic.at(src.at(*loc, key=True), "S102", f"{label} has unknown field '{field}'", hint=hint))
        elif kind in ("enum", "literal_error"):
            allowed = err.get("ctx", {}).get("expected", "")
            out.append(Diagnostic.at(src.at(*loc), "S104", f"{label} {field} {_describe(value)} is not one of: "
                                     f"{allowed.replace(chr(39), '')}", hint=_case_hint(value, allowed)))
        elif kind == "value_error":
            msg = str(err.get("ctx", {}).get("error", err["msg"]))
            code = "S105" if "is not a date" in msg else "S106"
            out.append(Diagnostic.at(src.at(*loc), code, f"{label} {field} {msg}"))
        elif kind in _TYPE_WORDS:
            out.append(Diagnostic.at(src.at(*loc), "S103", f"{label} {field} should be {_TYPE_WORDS[kind]}, "
                                     f"not {_describe(value)}"))
        elif kind == "grid_cell":  # a diagnostic grid's cell: the model gives its own code and hint
            ctx = err.get("ctx", {})
            out.append(Diagnostic.at(src.at(*loc), ctx["code"], f"{label} {field} {err['msg']}", hint=ctx["hint"]))
        elif kind == "out_of_range":
            out.append(Diagnostic.at(src.at(*loc), "S107", f"{label} {field} {err['msg']}"))
        elif kind == "string_too_short":
            out.append(Diagnostic.at(src.at(*loc), "S106", f"{label} {field} must not be empty"))
        elif kind == "finite_number":
            out.append(Diagnostic.at(src.at(*loc), "S106", f"{label} {field} {_describe(value)} is not a finite number"))
        elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
            out.append(Diagnostic.at(src.at(*loc), "S106", f"{label} {field} {_describe(value)}: {err['msg'].lower()}"))
        else:
            out.append(Diagnostic.at(src.at(*loc), "S106", f"{label} {field}: {err['msg']}"))
    return out


def _label(kind: str, raw: Any, index: int) -> str:
    ident = raw.get("id") if isinstance(raw, dict) else None
    return f"{kind} {ident}" if isinstance(ident, (str, int)) and str(ident) else f"{kind} #{index + 1}"


def _fit(model: type[BaseModel], keys: set[str]) -> int:
    """How well an item's fields fit a kind: fields it knows, less fields it does not, less required ones missing."""
    fields = set(_field_names(model))
    required = {f.alias or n for n, f in model.model_fields.items() if f.is_required()}
    return len(keys & fields) - len(keys - fields) - len(required - keys)


def _other_section(section: str, raw: dict, exc: ValidationError, src: Src, label: str) -> Diagnostic | None:
    """An item pasted under the wrong section (a grading under `risks:`) fails with a field error for nearly every
    field. When it has several missing or unknown fields and fits another section's kind better, say that once."""
    wrong = [e for e in exc.errors() if len(e["loc"]) == 1 and e["type"] in ("missing", "extra_forbidden")]
    if len(wrong) < 2:
        return None
    keys, model = {str(k) for k in raw}, SECTIONS[section]
    best = max((s for s in SECTIONS if s != section), key=lambda s: _fit(SECTIONS[s], keys))
    other = SECTIONS[best]
    telling = sorted(keys & set(_field_names(other)) - set(_field_names(model)))
    if _fit(other, keys) <= _fit(model, keys) or not telling:
        return None
    return Diagnostic.at(src.at(), "S102",
                         f"{label} looks like {'an' if other.kind[0] in 'aeiou' else 'a'} {other.kind} (it has {', '.join(telling)}); "
                         f"{best} go under '{best}:', not '{section}:'",
                         hint=f"move it to the '{best}:' list, or give it a {model.kind}'s fields")


def _build_items(section: str, raw_list: Any, loaded: Loaded, plan: Plan, diags: list[Diagnostic]) -> None:
    model = SECTIONS[section]
    if not isinstance(raw_list, list):
        diags.append(Diagnostic.at(loaded.locs.at((section,)), "S103",
                                   f"section '{section}' should be a list of items, not {_describe(raw_list)}",
                                   hint="start each item with '- id: ...'"))
        return
    for i, raw in enumerate(raw_list):
        if not loaded.aliased:  # the file lets go of each item's values as its model is built, so that a file's
            raw_list[i] = None  # values and its models are not all held at once (unless an alias shares them)
        src = Src(loaded.locs, (section, i))
        label = _label(model.kind, raw, i)
        if not isinstance(raw, dict):
            diags.append(Diagnostic.at(src.at(), "S103", f"{label} should be a mapping of fields, not {_describe(raw)}"))
            continue
        try:
            item = model.model_validate(raw)
        except ValidationError as exc:
            elsewhere = _other_section(section, raw, exc, src, label)
            diags.extend([elsewhere] if elsewhere else schema_diagnostics(exc, model, src, label, raw))
            if isinstance(raw.get("id"), (str, int)):
                plan.broken[str(raw["id"])] = model.kind  # so references to it are not reported again
            continue
        item._src = src
        getattr(plan, section).append(item)


def _load(root: Path, rel: str, diags: list[Diagnostic]) -> Loaded | None:
    try:
        loaded = load_yaml(read_text(root / rel, rel, base=root), rel)
    except LoadError as exc:
        diags.append(exc.diag)
        return None
    diags.extend(loaded.diags)
    if loaded.data is None:
        diags.append(Diagnostic.at(loaded.locs.at(()), "L002", f"'{rel}' holds only comments"))
        return None
    if not isinstance(loaded.data, dict):
        diags.append(Diagnostic.at(loaded.locs.at(()), "L008",
                                   f"'{rel}' should be a mapping of sections (plan, themes, actions, ...), "
                                   f"not {_describe(loaded.data)}"))
        return None
    return loaded


def _sections(loaded: Loaded, plan: Plan, diags: list[Diagnostic], allowed: list[str]) -> None:
    for key, value in loaded.data.items():
        if key in SECTIONS and key in allowed:
            _build_items(key, value, loaded, plan, diags)
        elif key not in allowed:
            near = difflib.get_close_matches(key, allowed, n=1)
            code, why = ("L010", f"section '{key}' belongs in plan.yaml, not in an included file") \
                if key in TOP_KEYS else ("S102", f"unknown section '{key}'")
            if key == FORMAT_KEY:
                why = f"'{FORMAT_KEY}' is written once, at the top of plan.yaml, not in an included file"
            diags.append(Diagnostic.at(loaded.locs.at((key,), key=True), code, why,
                                       hint=f"did you mean '{near[0]}'?" if near else f"sections: {', '.join(allowed)}"))


def read_plan_files(root: Path, plan_file: str = PLAN_FILE, *, any_format: bool = False
                    ) -> tuple[Plan, list[Diagnostic]]:
    """plan.yaml, the files it includes, and the documents, as a typed Plan (possibly partial).

    A plan in another format than this tool's is that one diagnostic and nothing more (its other problems would
    be this format's words for another format's content), unless `any_format` (migrate comparing before and after).
    """
    diags: list[Diagnostic] = []
    plan = Plan(info=None)
    loaded = _load(root, plan_file, diags)
    if loaded is None:
        return plan, diags
    wrong_format = None if any_format else check_format(loaded)
    if wrong_format:
        return plan, [*diags, wrong_format]
    data = loaded.data
    if "plan" not in data:
        diags.append(Diagnostic.at(loaded.locs.at(()), "S101", f"{plan_file} is missing required section 'plan'",
                                   hint="add 'plan:' with organisation, title, as_at and trigger"))
    elif not isinstance(data["plan"], dict):
        diags.append(Diagnostic.at(loaded.locs.at(("plan",)), "S103", f"section 'plan' should be a mapping of fields, "
                                   f"not {_describe(data['plan'])}"))
    else:
        src = Src(loaded.locs, ("plan",))
        try:
            plan.info = PlanInfo.model_validate(data["plan"])
            plan.info_src = src
        except ValidationError as exc:
            diags.extend(schema_diagnostics(exc, PlanInfo, src, "plan", data["plan"]))
    _sections(loaded, plan, diags, TOP_KEYS)
    _read_includes(root, data.get("include", []), loaded, plan, diags)
    read_documents(root, plan, diags)
    return plan, diags


def _read_includes(root: Path, includes: Any, loaded: Loaded, plan: Plan, diags: list[Diagnostic]) -> None:
    if not isinstance(includes, list):
        diags.append(Diagnostic.at(loaded.locs.at(("include",)), "S103", "include should be a list of file paths"))
        return
    seen: set[Path] = set()
    for i, rel in enumerate(includes):
        where = loaded.locs.at(("include", i))
        target = (root / str(rel)).resolve()
        if not isinstance(rel, str) or not target.is_relative_to(root.resolve()) or target.suffix not in (".yaml", ".yml"):
            diags.append(Diagnostic.at(where, "L010", f"include '{rel}' must be a .yaml file inside the plan folder"))
            continue
        if target in seen or target == (root / PLAN_FILE).resolve():
            diags.append(Diagnostic.at(where, "L010", f"include '{rel}' is listed twice or includes plan.yaml"))
            continue
        seen.add(target)
        if not target.is_file():
            diags.append(Diagnostic.at(where, "L010", f"include '{rel}' does not exist",
                                       hint="check the path; it is relative to the plan folder"))
            continue
        inc = _load(root, rel, diags)
        if inc is not None:
            _sections(inc, plan, diags, list(SECTIONS))


def read_documents(root: Path, plan: Plan, diags: list[Diagnostic]) -> None:
    folder = root / DOCUMENTS_DIR
    for path in sorted(folder.rglob("*.md")) if folder.is_dir() else []:
        rel = path.relative_to(root).as_posix()
        try:
            text = read_text(path, rel, base=root)
            fm_text, offset, body = split_front_matter(text, rel)
            loaded = load_yaml(fm_text or "{}", rel, line_offset=offset)
        except LoadError as exc:
            diags.append(exc.diag)
            continue
        diags.extend(loaded.diags)
        src = Src(loaded.locs, ())
        if not isinstance(loaded.data, dict):
            diags.append(Diagnostic.at(src.at(), "L008", "front matter should be a mapping of fields"))
            continue
        label = _label("document", loaded.data, 0) if "id" in loaded.data else f"document {rel}"
        try:
            doc = Document.model_validate(loaded.data)
        except ValidationError as exc:
            diags.extend(schema_diagnostics(exc, Document, src, label, loaded.data))
            if isinstance(loaded.data.get("id"), (str, int)):
                plan.broken[str(loaded.data["id"])] = "document"
            continue
        doc._body = body
        doc._src = src
        doc._body_line = offset + fm_text.count("\n") + 2
        plan.documents.append(doc)
