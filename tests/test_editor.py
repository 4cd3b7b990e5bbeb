"""The editor's workflow: init, new, and the live preview."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import FIXTURES, build, copy_plan
from generator.scaffold import next_id
from generator.validate import validate


def gen(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=root, capture_output=True, text=True)


def test_init_makes_a_valid_plan_that_builds(tmp_path):
    r = gen(tmp_path, "init", "council", "--organisation", "Northshire County Council")
    assert r.returncode == 0, r.stderr
    root = tmp_path / "council"
    assert "it is valid (0 errors, 0 warnings)" in r.stdout
    for f in ("plan.yaml", "mkdocs.yml", "README.md", ".gitignore", "schema/plan.schema.json",
              "content/documents/first-board-report.md"):
        assert (root / f).exists(), f
    plan, diags = validate(root)
    assert diags == [] and plan.info.organisation == "Northshire County Council"
    assert {i.kind for i in plan.items()} == {"role", "theme", "commitment", "action", "source", "recommendation",
                                              "measure", "risk", "grading", "document"}
    site = build(root)
    assert "Northshire County Council" in (site / "staff/draft/index.html").read_text()


def test_init_never_overwrites(tmp_path):
    assert gen(tmp_path, "init", "council").returncode == 0
    r = gen(tmp_path, "init", "council")
    assert (r.returncode, r.stderr) == (1, f"not started: {tmp_path / 'council'} already holds "
                                           ".github/workflows/publish.yml, .github/workflows/pull-request.yml, "
                                           ".gitignore, .pre-commit-config.yaml, README.md, "
                                           "content/documents/first-board-report.md, mkdocs.yml, plan.yaml, "
                                           "requirements.txt, schema/document.schema.json, schema/included.schema.json, "
                                           "schema/plan.schema.json; init never overwrites a plan or any other file, "
                                           "so choose a new folder\n")


def test_next_id_follows_the_siblings_numbering():
    assert next_id(["A2.1", "A2.9", "A2.3"], {"A2.1", "A2.9"}, "A") == "A2.10"
    assert next_id([], {"M1"}, "M") == "M2"
    assert next_id(["OF-S1", "OF-S16", "OF-L8"], set(), "R") == "OF-S17"


@pytest.mark.parametrize("args, expect", [
    (["action", "--commitment", "C1", "--title", "Run weekly huddles: every team", "--lead", "ROLE-DCS",
      "--target-date", "2013-12-31"], "added action A3 to plan.yaml"),
    (["recommendation", "--source", "SRC-OF", "--reference", "2", "--text", "Improve supervision.",
      "--service-area", "Safeguarding services", "--due", "2013-12-31"], "added recommendation R2 to plan.yaml"),
    (["measure", "--name", "Re-referrals", "--definition", "Re-referrals within 12 months.", "--unit", "percent",
      "--better", "lower"], "added measure M2 to plan.yaml"),
    (["document", "--title", "Partner briefing, July", "--type", "briefing", "--date", "2013-07-01",
      "--audience", "public", "--about", "A1", "C1"], "added document DOC-2013-07-01-partner-briefing-july"),
])
def test_new_writes_items_that_validate(tmp_path, args, expect):
    root = copy_plan(FIXTURES / "minimal", tmp_path / "plan")
    before, _ = validate(root)
    r = gen(root, "new", *args)
    assert r.returncode == 0, r.stderr
    assert expect in r.stdout and "next:" in r.stdout
    after, diags = validate(root)
    assert [d for d in diags if d.severity.value == "error"] == []
    assert len(after.items()) == len(before.items()) + 1


def test_new_refuses_unknown_references_and_leaves_files_alone(tmp_path):
    root = copy_plan(FIXTURES / "minimal", tmp_path / "plan")
    original = (root / "plan.yaml").read_bytes()
    r = gen(root, "new", "action", "--commitment", "C9", "--title", "x", "--lead", "ROLE-DCS",
            "--target-date", "2013-12-31")
    assert r.returncode == 1 and "there is no commitment 'C9'; commitments: C1" in r.stderr
    r = gen(root, "new", "action", "--commitment", "C1", "--title", "x", "--lead", "ROLE-DCS",
            "--target-date", "2013-12-31", "--id", "A1")
    assert r.returncode == 1 and "the id 'A1' is already used" in r.stderr
    assert (root / "plan.yaml").read_bytes() == original
    r = gen(root, "new", "action", "--commitment", "C1")
    assert r.returncode == 2


def _wait_for(predicate, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError("timed out")


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode()
    except OSError:
        return ""


def _start_serve(root: Path) -> tuple[subprocess.Popen, str]:
    """Run `serve` on a free port; returns the process and the preview's base URL."""
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--port", "0", "--root", str(root)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    line = _wait_for(lambda: (lambda ln: ln if "Serving the preview on" in ln else None)(proc.stdout.readline()))
    return proc, re.search(r"http://127\.0\.0\.1:\d+/", line).group(0)


def test_serve_rebuilds_after_a_change_and_shows_errors_on_the_page(tmp_path):
    root = copy_plan(FIXTURES / "minimal", tmp_path / "plan")
    proc, base = _start_serve(root)
    try:
        page = base + "staff/draft/actions/A1/"
        assert "Audit all priority cases" in _get(page)
        assert "__preview_events" in _get(page)  # the live reload script
        plan = root / "plan.yaml"
        plan.write_text(plan.read_text().replace("Audit all priority cases at the front door.",
                                                 "Audit every priority case at the front door."))
        _wait_for(lambda: "Audit every priority case" in _get(page))
        plan.write_text(plan.read_text().replace("target_date: 2013-09-30", "target_date: 2013-09-31"))
        shown = _wait_for(lambda: (lambda html: html if "problem(s)" in html else None)(_get(page)))
        assert "S105" in shown and "is not a date (use YYYY-MM-DD)" in shown
        assert "Audit every priority case" in shown  # the last good build is still there
        assert proc.poll() is None  # it did not stop
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_starts_on_a_broken_plan_and_recovers(tmp_path):
    root = copy_plan(FIXTURES / "minimal", tmp_path / "plan")
    plan = root / "plan.yaml"
    plan.write_text(plan.read_text().replace("target_date: 2013-09-30", "target_date: 2013-09-31"))
    proc, base = _start_serve(root)
    try:
        first = _get(base + "staff/draft/")
        assert "The plan has 1 problem(s)" in first and "S105" in first
        plan.write_text(plan.read_text().replace("target_date: 2013-09-31", "target_date: 2013-09-30"))
        # The new pages go live a moment before the preview forgets the old problems: wait for both.
        _wait_for(lambda: (lambda html: "Audit all priority cases" in html and "problem(s)" not in html)(
            _get(base + "staff/draft/actions/A1/")))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
