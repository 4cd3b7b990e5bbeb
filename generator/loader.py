"""Reading YAML and front matter safely, keeping the file, line and column of every value.

We build plain Python values from libyaml's event stream ourselves rather than use a YAML
constructor: no tag is ever turned into a Python object, duplicate keys are caught, alias
expansion is counted and bounded (a "billion laughs" file fails at once), nesting depth is
bounded without recursion, and each value's position is recorded by its path.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

from .characters import BAD_IN_FILE, BAD_IN_VALUE, UNPRINTABLE_HINT, describe_char
from .diagnostics import Diagnostic
from .errors import GeneratorError
from .locations import Loc, LocMap, field_path

MAX_DEPTH = 64
MAX_ALIAS_EXPANSION = 100_000  # nodes added by aliases, beyond the document's own
_Y = "tag:yaml.org,2002:"
_PLAIN_TAGS = {_Y + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_resolver = yaml.resolver.Resolver()


def first_unprintable(text: str, display: str, line_offset: int = 0) -> Diagnostic | None:
    """The first unprintable character of a file's text, located exactly (L011), or None."""
    m = BAD_IN_FILE.search(text)
    if m is None:
        return None
    line = text.count("\n", 0, m.start()) + 1
    col = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
    return Diagnostic.at(Loc(display, line + line_offset, col), "L011",
                         f"the character {describe_char(m[0])} is not allowed in text", hint=UNPRINTABLE_HINT)


_SKIP = object()  # stands for a key that could not be used; its value is dropped


class LoadError(GeneratorError):
    """A problem after which nothing sensible can be read from the file."""

    def __init__(self, diag: Diagnostic):
        super().__init__(f"{diag.file} must be fixed first", [diag])
        self.diag = diag


@dataclass
class Loaded:
    data: Any
    locs: LocMap
    diags: list[Diagnostic] = field(default_factory=list)


def outside(path: FsPath, base: FsPath, display: str, folder: str = "the plan folder") -> Diagnostic | None:
    """The one path rule for content files: L012 if `path` resolves (through any symbolic link) outside `base`.

    A link inside the folder is fine; one leading out of it would publish whatever it points at."""
    if path.resolve().is_relative_to(base.resolve()):
        return None
    return Diagnostic.at(Loc(display, 1, 1), "L012", f"'{display}' is a link to a file outside {folder}, "
                         "so it is not read",
                         hint="copy the file into the folder instead of linking to it")


def read_text(path: FsPath, display: str, base: FsPath | None = None) -> str:
    """The file's text, or a LoadError saying plainly why it cannot be had; with `base`, only a file inside it."""
    refused = outside(path, base, display) if base is not None else None
    if refused:
        raise LoadError(refused)
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a folder, or a FIFO or device that would block the read
            raise LoadError(Diagnostic.at(Loc(display, 1, 1), "L001", f"'{display}' is not a regular file",
                                          hint="it must be a plain text file"))
        raw = path.read_bytes()
    except FileNotFoundError:
        raise LoadError(Diagnostic.at(Loc(display, 1, 1), "L001", f"file '{display}' does not exist")) from None
    except OSError as exc:
        raise LoadError(Diagnostic.at(Loc(display, 1, 1), "L001", f"cannot read '{display}': {exc.strerror}")) from None
    if b"\x00" in raw[:8192]:
        raise LoadError(Diagnostic.at(Loc(display, 1, 1), "L003", "this is a binary file, not text",
                                      hint="plan files must be YAML or Markdown text"))
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1:].decode("utf-8", errors="replace")) + 1
        raise LoadError(Diagnostic.at(Loc(display, line, col), "L001",
                                      f"byte 0x{raw[exc.start]:02x} is not UTF-8 text",
                                      hint="save the file as UTF-8")) from None
    if not text.strip():
        raise LoadError(Diagnostic.at(Loc(display, 1, 1), "L002", "the file is empty"))
    return text


def _short(tag: str) -> str:
    return "!!" + tag[len(_Y):] if tag.startswith(_Y) else tag


def _scalar(ev: ScalarEvent, loc: Loc, diags: list[Diagnostic]) -> Any:
    tag = ev.tag
    if tag is None or tag == "!":
        tag = _resolver.resolve(yaml.ScalarNode, ev.value, ev.implicit) if tag is None else _Y + "str"
    if tag == _Y + "merge":
        return ev.value  # the mapping reports '<<' itself
    if tag not in _PLAIN_TAGS:
        diags.append(Diagnostic.at(loc, "L006", f"the tag '{_short(tag)}' is not allowed",
                                   hint="write a plain value without a '!' tag"))
        return ev.value  # keep what was written, so no second, misleading problem follows
    value = ev.value
    kind = tag[len(_Y):]
    if kind == "null":
        return None
    if kind == "bool":  # only true/false: 'yes', 'no', 'on', 'off' stay text (YAML 1.2)
        low = value.lower()
        return {"true": True, "false": False}.get(low, value)
    if kind == "int":
        try:
            return int(value.replace("_", ""), 0)
        except ValueError:
            return value
    if kind == "float":
        try:
            return float(value.replace("_", ""))
        except ValueError:
            return value
    return value  # str, and timestamps kept as text for the date validator


def load_yaml(text: str, display: str, line_offset: int = 0) -> Loaded:
    """Parse one YAML document into plain values and a map of positions."""
    locs = LocMap(display, line_offset=line_offset)
    diags: list[Diagnostic] = []

    def loc_of(mark) -> Loc:
        return Loc(display, mark.line + 1 + line_offset, mark.column + 1)

    anchors: dict[str, tuple[Any, int]] = {}
    # Each open container: [value, path, pending key or None, size, anchor, keys seen]
    stack: list[list[Any]] = []
    root: Any = None
    docs = 0
    expanded = 0

    def place(value: Any, size: int, start_mark, anchor: str | None, written: str | None = None) -> None:
        nonlocal root
        if anchor:
            anchors[anchor] = (value, size)
        if not stack:
            root = value
            return
        top = stack[-1]
        top[3] += size
        if isinstance(top[0], list):
            top[0].append(value)
        elif top[2] is None:  # this value is a key
            if isinstance(value, (list, dict)) or value is None:
                diags.append(Diagnostic.at(loc_of(start_mark), "L008", "a mapping key must be plain text"))
                top[2] = _SKIP
                return
            key = str(value) if written is None else written  # as written: `1,000` is 1 and a key '000', not 0
            if key == "<<":
                diags.append(Diagnostic.at(loc_of(start_mark), "L006", "merge keys ('<<') are not supported",
                                           hint="write the fields out in full"))
                top[2] = _SKIP
                return
            if key in top[5]:
                first = top[5][key]
                diags.append(Diagnostic.at(loc_of(start_mark), "L005",
                                           f"duplicate key '{key}' (first written at line {first.line})",
                                           hint="remove one of them; the second would replace the first"))
            else:
                top[5][key] = loc_of(start_mark)
            top[2] = key
            locs.keys[top[1] + (key,)] = (start_mark.line + 1, start_mark.column + 1)
        else:
            if top[2] is not _SKIP:
                top[0][top[2]] = value
            top[2] = None

    def child_path() -> tuple:
        if not stack:
            return ()
        top = stack[-1]
        if isinstance(top[0], list):
            return top[1] + (len(top[0]),)
        return top[1] + (top[2],) if isinstance(top[2], str) else top[1] + ("<key>",)

    raw_bad = first_unprintable(text, display, line_offset)
    if raw_bad:
        raise LoadError(raw_bad)
    try:
        for ev in yaml.parse(text, Loader=_Loader):
            if isinstance(ev, ScalarEvent):
                path = child_path()
                loc = loc_of(ev.start_mark)
                locs.positions.setdefault(path, (ev.start_mark.line + 1, ev.start_mark.column + 1))
                bad = BAD_IN_VALUE.search(ev.value)
                if bad:  # written as an escape ("\x7f", "\u202e"): raw ones were refused before parsing; the
                    # message shows the field's name with such characters as <U+XXXX> (Diagnostic.at)
                    parent = field_path(path[:-1])
                    where = (f"a key in '{parent}'" if parent else "a key at the top level") \
                        if path[-1:] == ("<key>",) else (f"'{field_path(path)}'" if path else "the value")
                    diags.append(Diagnostic.at(loc, "L011", f"{where} holds the character {describe_char(bad[0])}, "
                                               "which is not allowed in text", hint=UNPRINTABLE_HINT))
                place(_scalar(ev, loc, diags), 1, ev.start_mark, ev.anchor, ev.value)
            elif isinstance(ev, (SequenceStartEvent, MappingStartEvent)):
                is_map = isinstance(ev, MappingStartEvent)
                want = _Y + ("map" if is_map else "seq")
                if ev.tag not in (None, "!", want):
                    diags.append(Diagnostic.at(loc_of(ev.start_mark), "L006", f"the tag '{_short(ev.tag)}' is not allowed",
                                               hint="write a plain mapping or list without a '!' tag"))
                if len(stack) >= MAX_DEPTH:
                    raise LoadError(Diagnostic.at(loc_of(ev.start_mark), "L008",
                                                  f"values are nested more than {MAX_DEPTH} levels deep"))
                path = child_path()
                locs.positions.setdefault(path, (ev.start_mark.line + 1, ev.start_mark.column + 1))
                if is_map and ev.flow_style:
                    locs.flow.add(path)
                stack.append([{} if is_map else [], path, None, 1, ev.anchor, {}, ev.start_mark])
            elif isinstance(ev, (SequenceEndEvent, MappingEndEvent)):
                value, _path, _key, size, anchor, _seen, mark = stack.pop()
                place(value, size, mark, anchor)
            elif isinstance(ev, AliasEvent):
                if ev.anchor not in anchors:
                    raise LoadError(Diagnostic.at(loc_of(ev.start_mark), "L007",
                                                  f"alias '*{ev.anchor}' refers to an anchor that is not "
                                                  "defined before it, or to itself"))
                value, size = anchors[ev.anchor]
                expanded += size
                if expanded > MAX_ALIAS_EXPANSION:
                    raise LoadError(Diagnostic.at(loc_of(ev.start_mark), "L007",
                                                  f"aliases expand to more than {MAX_ALIAS_EXPANSION:,} values",
                                                  hint="write the values out instead of repeating aliases"))
                locs.positions.setdefault(child_path(), (ev.start_mark.line + 1, ev.start_mark.column + 1))
                place(value, size, ev.start_mark, None)
            elif type(ev).__name__ == "DocumentStartEvent":
                docs += 1
                if docs > 1:
                    raise LoadError(Diagnostic.at(loc_of(ev.start_mark), "L004",
                                                  "the file holds more than one YAML document ('---')",
                                                  hint="keep one document per file"))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        lines = text.splitlines()
        if mark and exc.context_mark and mark.line >= len(lines):  # ran off the end: point where it began
            mark = exc.context_mark
        loc = loc_of(mark) if mark else Loc(display, 1, 1)
        problem = (exc.problem or "invalid YAML").strip()
        context = f" ({exc.context.strip()})" if exc.context else ""
        line_text = lines[mark.line] if mark and mark.line < len(lines) else ""
        raise LoadError(Diagnostic.at(loc, "L004", f"YAML syntax error: {problem}{context}",
                                      hint=_syntax_hint(problem, line_text[: mark.column + 1] if mark else ""))) from None
    except yaml.YAMLError as exc:
        raise LoadError(Diagnostic.at(Loc(display, 1, 1), "L004", f"YAML error: {exc}")) from None
    return Loaded(root, locs, diags)


def _syntax_hint(problem: str, line_start: str = "") -> str:
    if "tab" in problem or "\t" in line_start:
        return "indent with spaces, not tabs"
    if "mapping values are not allowed" in problem:
        return "put a space after each ':' and quote text that itself contains ': '"
    if "could not find expected ':'" in problem:
        return "each field is 'name: value'; check the line above for a missing colon or quote"
    return "check indentation, colons and quotes around this place"


def split_front_matter(text: str, display: str) -> tuple[str, int, str]:
    """Front matter text, the line it starts on (0-based offset), and the Markdown body."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        raise LoadError(Diagnostic.at(Loc(display, 1, 1), "L009", "the document does not start with front matter",
                                      hint="begin with a line '---', the fields (id, title, date, type), and '---'"))
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return "".join(lines[1:i]), 1, "".join(lines[i + 1:])
    raise LoadError(Diagnostic.at(Loc(display, 1, 1), "L009", "the front matter is not closed",
                                  hint="add a line '---' after the last field"))
