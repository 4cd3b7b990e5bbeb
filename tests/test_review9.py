"""Issue 9 under attack: what an editor or init's caller writes, and what `migrate` does to the file it rewrites."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import FIXTURES, copy_plan
from generator.cli import main
from generator.errors import UsageError
from generator.scaffold import requirement_line
from generator.validate import validate
from plan_edits import Replace, edited

FORMAT_1 = FIXTURES / "format1"
S120 = ("plan.yaml:1:1: error S120: plan.yaml is written in format 1; this tool reads format 2: run "
        "`improvement-plan migrate`\n    hint: migrate rewrites plan.yaml in the current format, keeping its comments")


@pytest.mark.parametrize("scalar", ['"workstream\\n"', "|\n      workstream"])
def test_a_level_name_ending_in_a_newline_is_a_located_error(tmp_path, scalar):
    # `$` matches before a final newline: "Workstream\ns" reached headings, navigation and CSV headers.
    root = edited(tmp_path, Replace("  update_cadence: monthly\n",
                                    f"  update_cadence: monthly\n  terms:\n    theme: {scalar}\n"))
    [diag] = validate(root)[1]
    assert (diag.file, diag.line, diag.col, diag.code, diag.message) == (
        "plan.yaml", 9, 12, "S106", "plan terms.theme 'workstream ...' should be on one line")


def test_an_install_source_ending_in_a_newline_is_refused(tmp_path):
    # It made a requirements.txt of two lines, the second '@v<version>'.
    with pytest.raises(UsageError):
        requirement_line("git+https://github.com/x/tool\n", "1.0.0")
    assert main(["init", str(tmp_path / "council"), "--organisation", "Testshire",
                 "--install-from", "git+https://github.com/x/tool\n"]) == 2
    assert not (tmp_path / "council").exists()


def test_migrate_writes_through_a_link_inside_the_folder_and_keeps_the_files_permissions(tmp_path, capsys):
    root = copy_plan(FORMAT_1, tmp_path / "plan")
    (root / "plans").mkdir()
    real = root / "plans" / "current.yaml"
    (root / "plan.yaml").rename(real)
    (root / "plan.yaml").symlink_to(Path("plans") / "current.yaml")
    real.chmod(0o640)

    assert main(["migrate", "--root", str(root)]) == 0
    assert capsys.readouterr().out == "migrated plan.yaml from format 1 to 2\n"
    assert os.readlink(root / "plan.yaml") == "plans/current.yaml"
    assert "\nformat: 2\n" in real.read_text("utf-8")
    assert real.stat().st_mode & 0o777 == 0o640
    assert [d.code for d in validate(root)[1] if d.severity.value == "error"] == []


@pytest.mark.parametrize("command, failed", [
    (["new", "measure", "--name", "Visits", "--definition", "Visits on time", "--unit", "percent",
      "--better", "higher"], "nothing added: the plan has errors already (above); fix them first"),
    (["diff", "draft"], "cannot compare: the working plan is not valid (above)"),
])
def test_new_and_diff_on_an_older_plan_show_the_located_format_error(tmp_path, capsys, command, failed):
    root = copy_plan(FORMAT_1, tmp_path / "plan")
    assert main([*command, "--root", str(root)]) == 1
    assert capsys.readouterr().err == f"{S120}\n{failed}\n"


@pytest.mark.parametrize("name, shown", [("Evil\u202eshire", "U+202E (a bidirectional control)"),
                                         ("Two\u2028lines", "U+2028 (a line or paragraph separator)")])
def test_init_refuses_an_organisation_name_validate_would_refuse_and_writes_nothing(tmp_path, capsys, name, shown):
    # It wrote the repository, then said "invalid (2 errors)" without naming them (L011 in plan.yaml, mkdocs.yml).
    assert main(["init", str(tmp_path / "council"), "--organisation", name]) == 1
    assert capsys.readouterr().err == (
        f"not started: the organisation name holds the character {shown}; delete it (it is invisible, or changes "
        "how the text around it reads) and retype the text there\n")
    assert not (tmp_path / "council").exists()


def test_a_plans_main_html_extending_main_html_is_a_plain_refusal_not_a_traceback(tmp_path, capsys):
    # The natural way to add to the packaged main.html; it names the plan's own file, so Jinja recursed without end.
    root = copy_plan(FIXTURES / "minimal", tmp_path / "plan")
    (root / "docs_theme").mkdir()
    (root / "docs_theme" / "main.html").write_text(
        '{% extends "main.html" %}\n{% block announce %}{{ super() }}<p>Ours</p>{% endblock %}\n', "utf-8")
    assert main(["build", "--root", str(root), "--out", str(tmp_path / "out")]) == 1
    assert capsys.readouterr().err == (
        "build stopped: the theme cannot be rendered: a template in docs_theme/ extends or includes itself, directly "
        "or through another (docs_theme/main.html extending \"main.html\" extends itself, not the packaged one); the "
        "output was not changed\n")


@pytest.mark.parametrize("terms, field, word, register", [
    ("{theme: workstream, commitment: action}", "commitment", "action", "action"),
    ("{theme: Measure}", "theme", "Measure", "measure"),
    ("{theme: area, themes: risks}", "themes", "risks", "risk"),
])
def test_a_level_named_like_another_register_is_a_located_error(tmp_path, terms, field, word, register):
    # It built a site with two "Actions" in the navigation, or two "Measure" entries (and ids) in the glossary.
    root = edited(tmp_path, Replace("  update_cadence: monthly\n", f"  update_cadence: monthly\n  terms: {terms}\n"))
    [diag] = validate(root)[1]
    line = (root / "plan.yaml").read_text("utf-8").splitlines()[7]
    assert (diag.file, diag.line, diag.col, diag.code, diag.message, diag.hint) == (
        "plan.yaml", 8, line.index(f"{field}: {word}") + len(field) + 3, "S140",
        f"plan terms.{field} '{word}' is the name of the site's {register} register, so readers could not tell the "
        "two apart", "give the level another name, e.g. workstream, priority, objective or outcome")


def test_glossary_ids_are_unique_and_hold_no_whitespace():
    from generator.glossary import Entry, _anchors

    entries = [Entry("Front door", "a"), Entry("Front-door", "b"), Entry("LAC / CiC", "c"), Entry("Key\tworker", "d")]
    assert [e.anchor for e in _anchors(entries)] == ["front-door", "front-door-2", "lac-cic", "key-worker"]
