"""plan.yaml's format and `migrate`: a plan written in an older format validates after migrating, and the file
changes by exactly what the steps say (comments, order, quoting and blank lines kept); refusals write nothing."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import date
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, copy_plan
from generator import migrate as migrate_module
from generator.cli import main
from generator.compare import compare
from generator.diagnostics import Severity
from generator.plan_format import CURRENT_FORMAT
from generator.snapshot_format import FORMAT as SNAPSHOT_FORMAT
from generator.validate import validate, validate_all
from generator.versions import publish
from plan_edits import PLAN, Replace, Write, edited

FORMAT_1 = FIXTURES / "format1"  # the sample as it was in format 1 (before `format`): frozen, never edit it
MIGRATE_S120 = ("plan.yaml is written in format 1; this tool reads format 2: run `improvement-plan migrate`")


def run(capsys, root: Path, *args: str) -> tuple[int, str, str]:
    code = main(["migrate", "--root", str(root), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def errors(root: Path) -> list[str]:
    return [d.text() for d in validate(root)[1] if d.severity is Severity.error]


def untouched(path: Path):
    """The file's bytes and identity, so a test can say it was neither rewritten nor replaced."""
    st = path.stat()
    return path.read_bytes(), st.st_ino, st.st_mtime_ns


def test_the_current_format_is_what_the_starter_sample_and_fixtures_are_written_in():
    assert CURRENT_FORMAT == 2
    for plan in (Path("plan.yaml"), FIXTURES / "minimal" / PLAN, FIXTURES / "leak" / PLAN):
        assert yaml.safe_load((Path(__file__).parent.parent / plan).read_text())["format"] == CURRENT_FORMAT
    starter = Path(__file__).parent.parent / "generator" / "starter" / PLAN
    assert "\nformat: 2\nplan:\n" in starter.read_text()


@pytest.mark.parametrize("command", [["validate"], ["build"],
                                     ["publish", "--id", "2013-07-board", "--date", "2013-07-01", "--title", "July"]])
def test_validate_build_and_publish_stop_on_an_older_plan_with_one_located_error(tmp_path, capsys, command):
    root = edited(tmp_path, Replace("format: 2\n", ""))
    assert main([*command, "--root", str(root)]) == 1
    printed = capsys.readouterr()  # validate prints diagnostics to stdout, the others to stderr
    assert (printed.out + printed.err).splitlines() == [
        "plan.yaml:1:1: error S120: " + MIGRATE_S120,
        "    hint: migrate rewrites plan.yaml in the current format, keeping its comments",
        {"validate": "Example Borough Council's plan is invalid (1 error, 0 warnings)",
         "build": f"build stopped: Example Borough Council's plan is invalid (1 error, 0 warnings); {root / 'site'} was not changed",
         "publish": "not published: Example Borough Council's plan is invalid (1 error, 0 warnings)"}[command[0]]]
    assert sorted(p.name for p in root.iterdir()) == ["content", "plan.yaml"]


def test_a_format_1_split_plan_validates_after_migrate_and_gains_exactly_one_line(tmp_path, capsys):
    root = copy_plan(FORMAT_1, tmp_path / "plan")
    assert [(d.file, d.line, d.col, d.code, d.message) for d in validate(root)[1]] == [
        (PLAN, 1, 1, "S120", MIGRATE_S120)]
    before = (root / PLAN).read_text().splitlines(keepends=True)
    includes = {p.name: p.read_bytes() for p in (root / "plan").iterdir()}

    assert run(capsys, root) == (0, "migrated plan.yaml from format 1 to 2\n", "")

    first_key = before.index("include:\n")  # below the leading comment block and its blank line
    assert before[first_key - 2:first_key] == ["#     python -m generator validate --root .\n", "\n"]
    assert (root / PLAN).read_text().splitlines(keepends=True) == [*before[:first_key], "format: 2\n",
                                                                  *before[first_key:]]
    assert {p.name: p.read_bytes() for p in (root / "plan").iterdir()} == includes
    assert errors(root) == []
    assert [d.code for d in validate_all(root)[1] if d.severity is Severity.error] == []


def test_migrate_is_idempotent_and_writes_nothing_the_second_time(tmp_path, capsys):
    root = copy_plan(FORMAT_1, tmp_path / "plan")
    assert run(capsys, root)[0] == 0
    once = untouched(root / PLAN)
    assert run(capsys, root) == (0, "plan.yaml is already format 2: nothing to do\n", "")
    assert untouched(root / PLAN) == once


def test_check_says_a_migration_is_due_and_writes_nothing(tmp_path, capsys):
    root = copy_plan(FORMAT_1, tmp_path / "plan")
    before = untouched(root / PLAN)
    assert run(capsys, root, "--check") == (
        1, "plan.yaml is written in format 1: `improvement-plan migrate` would rewrite it in format 2\n", "")
    assert untouched(root / PLAN) == before
    assert run(capsys, root)[0] == 0
    assert run(capsys, root, "--check") == (0, "plan.yaml is already format 2: nothing to do\n", "")


def test_a_plan_from_a_newer_tool_is_refused(tmp_path, capsys):
    root = edited(tmp_path, Replace("format: 2\n", "format: 3\n"))
    before = untouched(root / PLAN)
    assert run(capsys, root) == (1, "", (
        "plan.yaml:1:1: error S121: plan.yaml is written for a newer version of the tool (format 3); upgrade the "
        "tool: change the version in requirements.txt\n"
        "    hint: this version of the tool reads format 2\n"
        "not migrated: plan.yaml was written by a newer version of the tool; it was not changed\n"))
    assert run(capsys, root, "--check")[0] == 1
    assert untouched(root / PLAN) == before


def test_a_format_that_is_not_a_whole_number_is_refused(tmp_path, capsys):
    root = edited(tmp_path, Replace("format: 2\n", "# our plan\nformat: two\n"))
    before = untouched(root / PLAN)
    assert run(capsys, root) == (1, "", (
        "plan.yaml:2:1: error S122: plan.yaml format should be a whole number from 1 up, not 'two'\n"
        "    hint: write 'format: 2', a whole number; this tool reads format 2\n"
        "not migrated: plan.yaml has no format number; it was not changed\n"))
    assert untouched(root / PLAN) == before


def test_a_plan_with_a_yaml_syntax_error_gives_the_located_error_and_is_not_written(tmp_path, capsys):
    root = edited(tmp_path, Replace("format: 2\n", ""),
                  Replace("description: Agency staff leave.", "description: Agency staff: leave."))
    before = untouched(root / PLAN)
    line, col = next((i, t.index(": leave") + 1) for i, t in enumerate((root / PLAN).read_text().splitlines(), 1)
                     if ": leave" in t)
    assert run(capsys, root) == (1, "", (
        f"plan.yaml:{line}:{col}: error L004: YAML syntax error: mapping values are not allowed in this context\n"
        "    hint: put a space after each ':' and quote text that itself contains ': '\n"
        "not migrated: plan.yaml cannot be read as a plan; it was not changed\n"))
    assert untouched(root / PLAN) == before


def test_problems_the_plan_already_had_do_not_stop_the_migration(tmp_path, capsys):
    root = edited(tmp_path, Replace("format: 2\n", ""), Replace("likelihood: 3", "likelihood: high"))
    assert run(capsys, root) == (0, "migrated plan.yaml from format 1 to 2\n", (
        "the plan still has the 1 error it had before: run `improvement-plan validate` to see them\n"))
    assert [(d.code, d.message) for d in validate(root)[1]] == [
        ("S103", "risk RISK1 likelihood should be a whole number, not 'high'")]


def test_a_migration_that_would_make_the_plan_invalid_puts_the_file_back(tmp_path, capsys):
    """A plan written as one flow mapping has no key line to insert `format` before: the YAML it would give is
    broken, so the original is put back and the error shown."""
    data = yaml.safe_load((FIXTURES / "minimal" / PLAN).read_text())
    del data["format"]
    root = edited(tmp_path, Write(PLAN, yaml.safe_dump(data, default_flow_style=True, width=10_000)))
    original = (root / PLAN).read_bytes()
    assert errors(root) == ["plan.yaml:1:1: error S120: " + MIGRATE_S120 +
                            "\n    hint: migrate rewrites plan.yaml in the current format, keeping its comments"]
    assert run(capsys, root) == (1, "", (
        "plan.yaml:2:1027: error L004: YAML syntax error: could not find expected ':' (while scanning a simple key)\n"
        "    hint: each field is 'name: value'; check the line above for a missing colon or quote\n"
        "not migrated: migrated, plan.yaml would have 1 new error (above), so it was put back as it was\n"))
    assert (root / PLAN).read_bytes() == original


def test_a_step_that_adds_an_error_is_undone(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(migrate_module.MIGRATIONS, 1, lambda text: migrate_module.set_format(text, 2) + "bogus: 1\n")
    root = edited(tmp_path, Replace("format: 2\n", ""))
    original = (root / PLAN).read_bytes()
    code, out, err = run(capsys, root)
    assert (code, out) == (1, "")
    assert err.splitlines()[0].endswith(": error S102: unknown section 'bogus'")
    assert err.splitlines()[-1] == ("not migrated: migrated, plan.yaml would have 1 new error (above), so it was "
                                    "put back as it was")
    assert (root / PLAN).read_bytes() == original


def test_a_killed_write_leaves_the_original(tmp_path, monkeypatch):
    """atomic_write renames a complete temporary over plan.yaml: stopped before the rename, nothing changed."""
    root = copy_plan(FORMAT_1, tmp_path / "plan")
    before = untouched(root / PLAN)

    def killed(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr("generator.files.os.replace", killed)
    with pytest.raises(KeyboardInterrupt):
        migrate_module.migrate(root)
    assert untouched(root / PLAN) == before
    assert sorted(p.name for p in root.iterdir()) == ["content", "plan", "plan.yaml"]


def test_a_full_disk_is_said_in_words_and_leaves_the_original(tmp_path, capsys, monkeypatch):
    root = copy_plan(FORMAT_1, tmp_path / "plan")
    before = untouched(root / PLAN)

    def full(path, data):
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(migrate_module, "atomic_write", full)
    assert run(capsys, root) == (1, "", f"not migrated: cannot write {root / PLAN}: No space left on device\n")
    assert untouched(root / PLAN) == before


@pytest.mark.parametrize("old, new", [
    ("format: 1 # numbered by hand\n", "format: 2 # numbered by hand\n"),
    ("# Our plan.\n\n---\n", "# Our plan.\n\n---\nformat: 2\n"),
    ("%YAML 1.1\n---\n", "%YAML 1.1\n---\nformat: 2\n"),
])
def test_an_explicit_format_1_and_a_document_start_are_kept(tmp_path, capsys, old, new):
    root = edited(tmp_path, Replace("format: 2\n", old))
    text = (root / PLAN).read_text()
    assert run(capsys, root)[0] == 0
    assert (root / PLAN).read_text() == text.replace(old, new, 1)
    assert errors(root) == []


def test_line_endings_byte_order_mark_and_indentation_are_kept(tmp_path, capsys):
    text = (FIXTURES / "minimal" / PLAN).read_text().replace("format: 2\n", "")
    indented = "".join("  " + line if line.strip() else line for line in text.splitlines(keepends=True))
    crlf = b"\xef\xbb\xbf# comment\r\n" + indented.replace("\n", "\r\n").encode()
    root = edited(tmp_path, Write(PLAN, crlf))
    assert run(capsys, root)[0] == 0
    assert (root / PLAN).read_bytes() == crlf.replace(b"# comment\r\n", b"# comment\r\n  format: 2\r\n", 1)
    assert errors(root) == []


def test_migrate_never_touches_published_versions_and_format_does_not_reach_a_snapshot(tmp_path, capsys):
    root = copy_plan(FIXTURES / "minimal", tmp_path / "plan")
    plan, _ = validate(root)
    snapshot = publish(root, plan, "2013-07-board", "Improvement Board, July 2013", date(2013, 7, 1))
    data = json.loads(snapshot.read_text())
    assert (data["format"], "format" in data["plan"]) == (SNAPSHOT_FORMAT, False)
    (root / PLAN).write_text((root / PLAN).read_text().replace("format: 2\n", ""))
    versions = {p.name: p.read_bytes() for p in (root / "content" / "versions").iterdir()}
    assert run(capsys, root)[0] == 0
    assert {p.name: p.read_bytes() for p in (root / "content" / "versions").iterdir()} == versions
    assert [d for d in validate_all(root)[1] if d.severity is Severity.error and d.code != "T508"] == []


def test_diff_against_a_commit_from_before_the_migration(tmp_path, capsys, monkeypatch):
    """The pull request that migrates compares with main, whose plan.yaml is still format 1."""
    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{who}_NAME", "Editor")
        monkeypatch.setenv(f"GIT_{who}_EMAIL", "editor@example.org")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    root = edited(tmp_path, Replace("format: 2\n", ""))
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "format 1"]):
        subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)
    assert run(capsys, root)[0] == 0
    assert compare(root, None, "draft", base="HEAD") == (
        "# What changed: the plan at HEAD to the working draft\n\n"
        "No change to actions, recommendations, findings, measures or documents.\n")
    assert subprocess.run(["git", "-C", str(root), "status", "--porcelain"], capture_output=True, text=True,
                          check=True).stdout == " M plan.yaml\n"
