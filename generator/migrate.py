"""`migrate`: rewrite plan.yaml from the format it is written in to the one this tool reads, a step at a time.

Each step edits the file's text, not a parsed copy, so comments, key order, quoting and blank lines stay as the
editors wrote them. Published versions (content/versions/) are never touched: snapshots have their own format and
readers (snapshot_format.py)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostic, Severity
from .errors import GeneratorError, writing
from .files import atomic_write
from .loader import load_yaml, read_text
from .plan_format import CURRENT_FORMAT, FORMAT_KEY, check_format, written_format
from .reading import PLAN_FILE
from .reading import _load as load_plan_yaml  # plan.yaml as `validate` reads it: L001-L008 located

_DOCUMENT_START = re.compile(r"---[ \t]*(#.*)?")
_TOKEN = re.compile(r"[^\s#]+")


def set_format(text: str, number: int) -> str:
    """plan.yaml's text with its top-level `format` set to `number`: the value replaced where it is written, or a
    line `format: N` put before the first key line (after any leading comments, blank lines, directives and
    '---'), indented as that key is. Nothing else changes, line endings included."""
    loaded = load_yaml(text, PLAN_FILE)
    lines = text.splitlines(keepends=True)
    if isinstance(loaded.data, dict) and FORMAT_KEY in loaded.data:
        line, col = loaded.locs.positions[(FORMAT_KEY,)]
        old = lines[line - 1]
        token = _TOKEN.match(old, col - 1)
        lines[line - 1] = old[:col - 1] + str(number) + old[token.end() if token else col - 1:]
        return "".join(lines)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    for i, raw in enumerate(lines):
        stripped = raw.strip()
        if not stripped or stripped.startswith(("#", "%")) or _DOCUMENT_START.fullmatch(stripped):
            continue
        indent = raw[:len(raw) - len(raw.lstrip(" "))]
        lines.insert(i, f"{indent}{FORMAT_KEY}: {number}{newline}")
        return "".join(lines)
    return text  # only comments: the loader has refused such a file before any step runs


def _format_1_to_2(text: str) -> str:
    """Format 2 numbers the format; the content is as in format 1."""
    return set_format(text, 2)


MIGRATIONS: dict[int, Callable[[str], str]] = {1: _format_1_to_2}  # format N -> N + 1, on plan.yaml's text


def migrated_text(text: str, written: int) -> str:
    """`text`, written in format `written`, rewritten step by step in the current format."""
    for step in range(written, CURRENT_FORMAT):
        text = MIGRATIONS[step](text)
    return text


@dataclass(frozen=True)
class Migrated:
    """What `migrate` found: the format plan.yaml was written in, the one it is in now (or would be, under
    --check), and the errors the plan already had before migrating (migrate does not fix content)."""

    written: int
    now: int
    changed: bool
    errors_before: int = 0


def _errors(root: Path, any_format: bool) -> list[Diagnostic]:
    from .validate import validate

    return [d for d in validate(root, any_format=any_format)[1] if d.severity is Severity.error]


def _key(d: Diagnostic) -> tuple[str, str, str]:
    """A problem whatever line it moved to: a step that inserts lines moves every later one (messages that cite a
    line, such as a duplicate key's, are compared without the number)."""
    return d.file, d.code, re.sub(r"(\bline |\.ya?ml:)\d+", r"\1N", d.message)


def migrate(root: Path, check: bool = False) -> Migrated:
    """Rewrite plan.yaml in the current format (atomically), then validate it; if the migrated plan has an error
    the original did not have, put the original back and raise. `check` only says whether a migration is due."""
    path = (root / PLAN_FILE).resolve()  # a link inside the folder (L012 refuses others) is kept: write its file
    problems: list[Diagnostic] = []
    loaded = load_plan_yaml(root, PLAN_FILE, problems)
    if loaded is None:
        raise GeneratorError(f"{PLAN_FILE} cannot be read as a plan; it was not changed", problems)
    text = read_text(path, PLAN_FILE, base=root)
    wrong = check_format(loaded)
    if wrong and wrong.code != "S120":
        why = "was written by a newer version of the tool" if wrong.code == "S121" else "has no format number"
        raise GeneratorError(f"{PLAN_FILE} {why}; it was not changed", [wrong])
    written = written_format(loaded.data)
    assert written is not None  # S122 otherwise
    if written == CURRENT_FORMAT or check:
        return Migrated(written, CURRENT_FORMAT, False)
    new_text = migrated_text(text, written)
    original = path.read_bytes()
    bom = b"\xef\xbb\xbf" if original.startswith(b"\xef\xbb\xbf") else b""
    errors_before = _errors(root, any_format=True)
    before = {_key(d) for d in errors_before}
    with writing(path):  # a full disk or a read-only folder: said in the user's words, plan.yaml as it was
        atomic_write(path, bom + new_text.encode("utf-8"))
    introduced = [d for d in _errors(root, any_format=False) if _key(d) not in before]
    if introduced:
        with writing(path):
            atomic_write(path, original)
        raise GeneratorError(f"migrated, {PLAN_FILE} would have {len(introduced)} new error"
                             f"{'s' * (len(introduced) != 1)} (above), so it was put back as it was", introduced)
    return Migrated(written, CURRENT_FORMAT, True, len(errors_before))
