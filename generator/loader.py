"""Reading YAML and front matter safely, keeping the file, line and column of every value.

We build plain Python values from libyaml's event stream ourselves rather than use a YAML
constructor: no tag is ever turned into a Python object, duplicate keys are caught, alias
expansion is counted and bounded (a "billion laughs" file fails at once), nesting depth is
bounded without recursion, and each node's position is recorded (compactly: see marks.py)
so that any value can be located by its path.
"""

from __future__ import annotations

import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from .characters import BAD_IN_ASCII_FILE, BAD_IN_FILE, BAD_IN_VALUE, UNPRINTABLE_HINT, describe_char
from .diagnostics import Diagnostic
from .errors import GeneratorError
from .locations import Loc, LocMap, field_path
from .marks import COL_BITS, KEY_PART, KIND_BITS, MAPPING, SEQUENCE, Marks

MAX_DEPTH = 64
MAX_ALIAS_EXPANSION = 100_000  # nodes added by aliases, beyond the document's own
_Y = "tag:yaml.org,2002:"
_PLAIN_TAGS = {_Y + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_resolver = yaml.resolver.Resolver()


def first_unprintable(text: str, display: str, line_offset: int = 0) -> Diagnostic | None:
    """The first unprintable character of a file's text, located exactly (L011), or None."""
    m = (BAD_IN_ASCII_FILE if text.isascii() else BAD_IN_FILE).search(text)
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
    aliased: bool = False  # whether an alias made one value appear in two places


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


_STR = _Y + "str"
# PyYAML's implicit resolvers for a plain scalar, by its first character (as Resolver.resolve looks them up).
_WILDCARD = _resolver.yaml_implicit_resolvers.get(None, [])
_IMPLICIT = {first: resolvers + _WILDCARD for first, resolvers in _resolver.yaml_implicit_resolvers.items()
             if first is not None}


def _plain_tag(value: str) -> str:
    """The tag PyYAML gives an untagged plain scalar (Resolver.resolve, without its call overhead)."""
    for tag, regexp in _IMPLICIT.get(value[:1], _WILDCARD):
        if regexp.match(value):
            return tag
    return _STR


def _typed(tag: str, value: str, loc: Loc, diags: list[Diagnostic]) -> Any:
    """A scalar with a tag other than str, as a plain value (or kept as written, with an L006 if not allowed)."""
    if tag == _Y + "merge":
        return value  # the mapping reports '<<' itself
    if tag not in _PLAIN_TAGS:
        diags.append(Diagnostic.at(loc, "L006", f"the tag '{_short(tag)}' is not allowed",
                                   hint="write a plain value without a '!' tag"))
        return value  # keep what was written, so no second, misleading problem follows
    kind = tag[len(_Y):]
    if kind == "null":
        return None
    if kind == "bool":  # only true/false: 'yes', 'no', 'on', 'off' stay text (YAML 1.2)
        return {"true": True, "false": False}.get(value.lower(), value)
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
    return value  # timestamps kept as text for the date validator


# One open mapping or sequence while reading: its value, its node number, the key waiting for its value (None
# when a key comes next, _SKIP when the key could not be used), the count of nodes aliases had added before it (its
# size, as aliases expand, is its own nodes plus those added inside it), its anchor, its own part of the path, where
# it starts, and whether it is a mapping.
VALUE, NODE, PENDING, ADDED, ANCHOR, PART, MARK, IS_MAP = range(8)


def load_yaml(text: str, display: str, line_offset: int = 0) -> Loaded:
    """Parse one YAML document into plain values and the positions of its nodes.

    One pass over libyaml's events doing as little as it can for each: a plan of 20,000 actions has over a million.
    Plain text placed in a list or mapping (nearly every scalar) takes the short way; everything else goes through
    `place`. A node's path is worked out only for a diagnostic that names it; positions go to compact Marks."""
    raw_bad = first_unprintable(text, display, line_offset)
    if raw_bad:
        raise LoadError(raw_bad)
    marks = Marks(display, line_offset=line_offset)
    packed, end, key_id, key_ids, key_number = marks.packed, marks.end, marks.key_id, marks.key_ids, marks.key_number
    diags: list[Diagnostic] = []
    anchors: dict[str, tuple[Any, int]] = {}
    stack: list[list[Any]] = []
    top: list[Any] | None = None  # stack[-1]
    root: Any = None
    docs = expanded = added = count = 0  # count: the nodes numbered so far
    aliased = False
    shift, intern, implicit, wildcard, str_tag = COL_BITS + KIND_BITS, sys.intern, _IMPLICIT, _WILDCARD, _STR
    resolved: dict[str, str] = {}  # plain text -> its tag, for this file
    escapes = "\\" in text  # without a backslash no value can hold an escaped character

    def loc_of(mark) -> Loc:
        return Loc(display, mark.line + 1 + line_offset, mark.column + 1)

    def next_part() -> str | int | None:
        """The last part of the path of the node being read: its index, its key, or KEY_PART for a key."""
        if not stack:
            return None
        top = stack[-1]
        if not top[IS_MAP]:
            return len(top[VALUE])
        return top[PENDING] if isinstance(top[PENDING], str) else KEY_PART

    def child_path() -> tuple:
        """The path of the node being read (only worked out for a diagnostic or an inline mapping)."""
        return tuple(frame[PART] for frame in stack[1:]) + ((next_part(),) if stack else ())

    def duplicate(top: list[Any], key: str, mark, node: int) -> None:
        first = top[NODE] + 1  # the first key written as `key` in this mapping
        while key_id[first] != key_number(key):
            first = end[end[first]]
        diags.append(Diagnostic.at(loc_of(mark), "L005", f"duplicate key '{key}' (first written at line "
                                   f"{(packed[first] >> shift) + 1 + line_offset})",
                                   hint="remove one of them; the second would replace the first"))

    def place(value: Any, size: int, mark, anchor: str | None, node: int, written: str | None = None) -> None:
        nonlocal root
        if anchor:
            anchors[anchor] = (value, size)
        if not stack:
            root = value
            return
        top = stack[-1]
        if not top[IS_MAP]:
            top[VALUE].append(value)
            return
        key = top[PENDING]
        if key is not None:  # this is the value of `key`
            if key is not _SKIP:
                top[VALUE][key] = value
            top[PENDING] = None
            return
        if isinstance(value, (list, dict)) or value is None:
            diags.append(Diagnostic.at(loc_of(mark), "L008", "a mapping key must be plain text"))
            top[PENDING] = _SKIP
            return
        key = str(value) if written is None else written  # as written: `1,000` is 1 and a key '000', not 0
        if key == "<<":
            diags.append(Diagnostic.at(loc_of(mark), "L006", "merge keys ('<<') are not supported",
                                       hint="write the fields out in full"))
            top[PENDING] = _SKIP
            return
        key = intern(key)  # a plan repeats a few dozen keys a million times
        if key in top[VALUE]:
            duplicate(top, key, mark, node)
        key_id[node] = key_number(key)
        top[PENDING] = key

    parser = _Loader(text)
    try:
        get_event = parser.get_event
        while True:
            ev = get_event()
            cls = ev.__class__
            if cls is ScalarEvent:
                mark, value, tag = ev.start_mark, ev.value, ev.tag
                node = count
                count += 1
                packed.append((mark.line << shift) | (mark.column << KIND_BITS))
                end.append(count)
                key_id.append(0)
                if escapes and ev.style == '"' and BAD_IN_VALUE.search(value):  # only an escape ("\x7f") can put
                    # one there: raw ones were refused before parsing, and libyaml turns every line break into \n
                    _escaped_unprintable(value, child_path(), loc_of(mark), diags)
                if tag is None:
                    if ev.implicit[0] and implicit.get(value[:1], wildcard):  # may be a number, date, bool, null
                        tag = resolved.get(value)
                        if tag is None:  # keys and dates repeat: each text is matched against the patterns once
                            tag = resolved[value] = _plain_tag(value)
                    else:
                        tag = str_tag
                elif tag == "!":
                    tag = str_tag
                if tag != str_tag or ev.anchor or top is None:
                    place(value if tag == str_tag else _typed(tag, value, loc_of(mark), diags), 1, mark, ev.anchor,
                          node, value)
                elif not top[IS_MAP]:  # plain text: the short way
                    top[VALUE].append(value)
                elif (key := top[PENDING]) is not None:
                    if key is not _SKIP:
                        top[VALUE][key] = value
                    top[PENDING] = None
                elif value == "<<":
                    place(value, 1, mark, None, node, value)
                else:
                    key = intern(value)
                    if key in top[VALUE]:
                        duplicate(top, key, mark, node)
                    key_id[node] = key_ids.get(key) or key_number(key)
                    top[PENDING] = key
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                frame = stack.pop()
                top = stack[-1] if stack else None
                node = frame[NODE]
                end[node] = count
                place(frame[VALUE], end[node] - node + added - frame[ADDED], frame[MARK], frame[ANCHOR], node)
            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                is_map = cls is MappingStartEvent
                want = _Y + ("map" if is_map else "seq")
                if ev.tag not in (None, "!", want):
                    diags.append(Diagnostic.at(loc_of(ev.start_mark), "L006", f"the tag '{_short(ev.tag)}' is not allowed",
                                               hint="write a plain mapping or list without a '!' tag"))
                if len(stack) >= MAX_DEPTH:
                    raise LoadError(Diagnostic.at(loc_of(ev.start_mark), "L008",
                                                  f"values are nested more than {MAX_DEPTH} levels deep"))
                mark, node = ev.start_mark, count
                count += 1
                packed.append((mark.line << shift) | (mark.column << KIND_BITS) | (MAPPING if is_map else SEQUENCE))
                end.append(count)  # until its end event
                key_id.append(0)
                if is_map and ev.flow_style:
                    marks.flow.add(child_path())
                top = [{} if is_map else [], node, None, added, ev.anchor, next_part(), mark, is_map]
                stack.append(top)
            elif cls is AliasEvent:
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
                added += size - 1
                aliased = True
                mark, node = ev.start_mark, count
                count += 1
                packed.append((mark.line << shift) | (mark.column << KIND_BITS))
                end.append(count)
                key_id.append(0)
                place(value, size, mark, None, node)
            elif cls is DocumentStartEvent:
                docs += 1
                if docs > 1:
                    raise LoadError(Diagnostic.at(loc_of(ev.start_mark), "L004",
                                                  "the file holds more than one YAML document ('---')",
                                                  hint="keep one document per file"))
            elif cls is StreamEndEvent:
                break
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
    finally:
        parser.dispose()
    return Loaded(root, marks, diags, aliased)


def _escaped_unprintable(value: str, path: tuple, loc: Loc, diags: list[Diagnostic]) -> None:
    """L011 for a character written as an escape; the message shows the field's name with such characters as
    <U+XXXX> (Diagnostic.at)."""
    bad = BAD_IN_VALUE.search(value)
    assert bad is not None
    parent = field_path(path[:-1])
    where = (f"a key in '{parent}'" if parent else "a key at the top level") \
        if path[-1:] == (KEY_PART,) else (f"'{field_path(path)}'" if path else "the value")
    diags.append(Diagnostic.at(loc, "L011", f"{where} holds the character {describe_char(bad[0])}, "
                               "which is not allowed in text", hint=UNPRINTABLE_HINT))


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
