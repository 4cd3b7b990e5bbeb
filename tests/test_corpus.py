"""The corpus of broken plans (tests/corpus/NNN-*/): each gives exactly the diagnostics in its expected.txt.

The corpus is made by tests/corpus/make_corpus.py from the minimal fixture and reviewed by hand.
Every case runs in-process (fast); a handful also run through the command line as a subprocess.
Cases marked as validator bugs in make_corpus.py hold the *correct* expectation and are strict
expected failures until the validator is fixed.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.diagnostics import CODES, has_errors
from generator.validate import validate_all

TESTS = Path(__file__).parent
REPO = TESTS.parent
CORPUS = TESTS / "corpus"
LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning) "
                  r"(?P<code>[A-Z]\d{3}): (?P<message>.+)$")


def _load_make_corpus():
    spec = importlib.util.spec_from_file_location("make_corpus", CORPUS / "make_corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


make_corpus = _load_make_corpus()
CASES = dict(make_corpus.case_dirs())
DIRS = sorted(p for p in CORPUS.iterdir() if p.is_dir() and make_corpus.CASE_DIR.match(p.name))
SUBPROCESS_CASES = ["005-not-utf8", "014-billion-laughs", "041-impossible-date", "064-overdue-and-stale-action",
                    "096-five-problems-in-five-items"]

Row = tuple[str, int, int, str, str, str]


def expected(case_dir: Path) -> set[Row]:
    rows = set()
    for text in (case_dir / "expected.txt").read_text(encoding="utf-8").splitlines():
        m = LINE.match(text)
        assert m, f"{case_dir.name}/expected.txt: malformed line {text!r}"
        rows.add((m["file"], int(m["line"]), int(m["col"]), m["severity"], m["code"], m["message"]))
    return rows


def files_in(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


def marks(name: str) -> list:
    case = CASES.get(name)
    return [pytest.mark.xfail(strict=True, reason=f"BUG: {case.bug}")] if case and case.bug else []


def params(dirs: list[Path]) -> list:
    return [pytest.param(d, id=d.name, marks=marks(d.name)) for d in dirs]


# --- the corpus itself ----------------------------------------------------------------------


def test_corpus_is_large_and_matches_the_script():
    assert len(DIRS) >= 40
    assert [d.name for d in DIRS] == sorted(CASES), "run tests/corpus/make_corpus.py to regenerate the corpus"
    def fingerprint(d: Path) -> tuple:
        return tuple(sorted((p.relative_to(d).as_posix(), p.read_bytes()) for p in d.rglob("*")
                            if p.is_file() and p.name != "expected.txt"))

    prints = [fingerprint(d) for d in DIRS]
    assert len(set(prints)) == len(prints), "two corpus cases hold the same plan"


@pytest.mark.parametrize("case_dir", DIRS, ids=lambda d: d.name)
def test_expected_names_the_intended_code(case_dir: Path):
    codes = {row[4] for row in expected(case_dir)}
    intent = set(CASES[case_dir.name].intent)
    assert intent <= codes, f"{case_dir.name}: expected.txt lacks {sorted(intent - codes)}"


def test_corpus_exercises_every_code():
    from test_tamper import GIT_CODES  # codes only a git repository can show: a corpus folder has no history

    seen = {row[4] for d in DIRS if not CASES[d.name].bug for row in expected(d)} | GIT_CODES
    assert seen == set(CODES), f"not in the corpus: {sorted(set(CODES) - seen)}; unknown: {sorted(seen - set(CODES))}"


# --- running the validator over it ----------------------------------------------------------


@pytest.mark.parametrize("case_dir", params(DIRS))
def test_case_in_process(case_dir: Path):
    before = files_in(case_dir)
    _plan, diags, _frozen = validate_all(case_dir)
    got = {(d.file, d.line, d.col, d.severity.value, d.code, d.message) for d in diags}
    want = expected(case_dir)
    assert got == want, (f"\nunexpected: {sorted(got - want)}\nmissing:    {sorted(want - got)}")
    assert len(diags) == len(got), "a diagnostic is reported twice"
    assert has_errors(diags) == any(row[3] == "error" for row in want)
    assert files_in(case_dir) == before, "validation must not create files in the plan folder"


@pytest.mark.parametrize("case_dir", params([CORPUS / name for name in SUBPROCESS_CASES]))
def test_case_through_the_command_line(case_dir: Path):
    before = files_in(case_dir)
    proc = subprocess.run([sys.executable, "-m", "generator", "validate", "--root", str(case_dir), "--format", "json"],
                          cwd=REPO, capture_output=True, text=True, timeout=60)
    assert "Traceback" not in proc.stderr, proc.stderr
    want = expected(case_dir)
    got = {(d["file"], d["line"], d["col"], d["severity"], d["code"], d["message"]) for d in json.loads(proc.stdout)}
    assert got == want
    assert proc.returncode == (1 if any(row[3] == "error" for row in want) else 0), proc.stderr
    assert files_in(case_dir) == before, "validation must not create files in the plan folder"


def test_text_format_matches_expected_file(tmp_path):
    """The default text output, hints removed, is expected.txt line for line (sorted by place)."""
    case_dir = CORPUS / "059-completed-on-but-green"
    proc = subprocess.run([sys.executable, "-m", "generator", "validate", "--root", str(case_dir)],
                          cwd=REPO, capture_output=True, text=True, timeout=60)
    lines = [ln for ln in proc.stdout.splitlines() if not ln.startswith("    hint: ")]
    assert lines == (case_dir / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert proc.returncode == 1
    assert proc.stderr.strip() == "Example Borough Council's plan is invalid (1 error, 2 warnings)"
