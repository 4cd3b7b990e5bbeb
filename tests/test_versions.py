"""Reporting points: publish and its refusals, versions.json, tamper evidence, corrections, diff, cache."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from conftest import FIXTURES, build, copy_plan, publish_as
from generator.build import build_sites
from generator.compare import compare
from generator.validate import validate_all


def run(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args, "--root", str(root)], capture_output=True,
                          text=True)


@pytest.fixture
def root(tmp_path) -> Path:
    return copy_plan(FIXTURES / "minimal", tmp_path / "plan")


def edit(root: Path, old: str, new: str) -> None:
    plan = root / "plan.yaml"
    text = plan.read_text()
    assert old in text, old
    plan.write_text(text.replace(old, new))


def test_publish_writes_a_canonical_snapshot_and_manifest(root):
    r = run(root, "publish", "--id", "2013-07-board", "--date", "2013-07-01", "--title", "Improvement Board, July 2013")
    assert r.returncode == 0, r.stderr
    snap = json.loads((root / "content/versions/2013-07-board.json").read_text())
    assert snap["format"] == 1 and snap["version"] == {"id": "2013-07-board", "title": "Improvement Board, July 2013",
                                                       "date": "2013-07-01"}
    assert snap["plan"]["plan"]["as_at"] == "2013-07-01"
    assert [a["id"] for a in snap["plan"]["actions"]] == ["A1", "A2"]
    assert snap["plan"]["documents"][0]["body"].strip() == "The audit is half done."
    manifest = json.loads((root / "content/versions/manifest.json").read_text())
    assert manifest["versions"][0]["id"] == "2013-07-board" and len(manifest["versions"][0]["sha256"]) == 64
    raw = (root / "content/versions/2013-07-board.json").read_bytes()
    assert raw == (json.dumps(snap, sort_keys=True, indent=1, ensure_ascii=False) + "\n").encode()


@pytest.mark.parametrize("args, message", [
    (["--id", "2013-07-board", "--date", "2013-08-01", "--title", "Again"], "version '2013-07-board' is already published"),
    (["--id", "2013-05-board", "--date", "2013-05-01", "--title", "Earlier"],
     "the date 2013-05-01 is earlier than the latest published version '2013-07-board' (2013-07-01)"),
    (["--id", "Latest", "--date", "2013-08-01", "--title", "Bad id"], "'Latest' cannot be a version id"),
    (["--id", "draft", "--date", "2013-08-01", "--title", "Reserved"], "'draft' cannot be a version id"),
    (["--id", "2013-08-board", "--date", "2013-08-01", "--title", "  "], "the title must not be empty"),
])
def test_publish_refusals(root, args, message):
    publish_as(root, "2013-07-board", "Improvement Board, July 2013", date(2013, 7, 1))
    before = sorted(p.name for p in (root / "content/versions").iterdir())
    r = run(root, "publish", *args)
    assert r.returncode == 1 and message in r.stderr, r.stderr
    assert sorted(p.name for p in (root / "content/versions").iterdir()) == before


def test_publish_refuses_invalid_content(root):
    edit(root, "target_date: 2013-09-30", "target_date: 2013-09-31")
    r = run(root, "publish", "--id", "2013-07-board", "--date", "2013-07-01", "--title", "July")
    assert r.returncode == 1 and "S105" in r.stderr and "not published: Example Borough Council's plan is invalid (1 error, " in r.stderr
    assert not (root / "content/versions").exists()


def test_publish_refuses_a_date_before_the_plans_own_updates(root):
    r = run(root, "publish", "--id", "2013-03-board", "--date", "2013-03-01", "--title", "March")
    assert r.returncode == 1 and "dated after 2013-03-01" in r.stderr


def test_publish_bad_date_is_a_usage_error(root):
    r = run(root, "publish", "--id", "x", "--date", "2013-02-30", "--title", "t")
    assert r.returncode == 2 and "'2013-02-30' is not a date (use YYYY-MM-DD)" in r.stderr


def test_tampered_snapshot_fails_validate_and_build_naming_version_and_item(root, tmp_path):
    publish_as(root, "2013-07-board", "Improvement Board, July 2013", date(2013, 7, 1))
    snap = root / "content/versions/2013-07-board.json"
    snap.write_text(snap.read_text().replace("Audit half done.", "Audit nearly done."))
    r = run(root, "validate")
    assert r.returncode == 1
    assert ("content/versions/2013-07-board.json:1:1: error T501: published version '2013-07-board' "
            "(Improvement Board, July 2013) has changed since it was published: actions/A1") in r.stdout
    diags, _ = build_sites(root, tmp_path / "out")
    assert [d.code for d in diags] == ["T501"] and not (tmp_path / "out").exists()


def test_recorded_correction_builds_and_shows_its_notice(root, monkeypatch):
    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{who}_NAME", "Editor")
        monkeypatch.setenv(f"GIT_{who}_EMAIL", "editor@example.org")
    subprocess.run(["git", "-C", str(root), "init", "-q"], check=True)
    publish_as(root, "2013-07-board", "Improvement Board, July 2013", date(2013, 7, 1))
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(root), "commit", "-qm", "publish"], check=True)
    snap = root / "content/versions/2013-07-board.json"
    snap.write_text(snap.read_text().replace("Audit half done.", "Audit half done (figure corrected)."))
    edit(root, "Audit half done.", "Audit half done (figure corrected).")
    r = run(root, "correct", "--id", "2013-07-board", "--date", "2013-07-20",
            "--reason", "The audit figure was misreported at the board.")
    assert r.returncode == 0, r.stderr
    assert run(root, "validate").returncode == 0
    site = build(root)
    html = (site / "public/2013-07-board/actions/A1/index.html").read_text()
    assert "Corrected after publication." in html
    assert "2013-07-20: The audit figure was misreported at the board." in html
    assert "figure corrected" in html
    again = run(root, "correct", "--id", "2013-07-board", "--reason", "again")
    assert again.returncode == 1 and "has not changed since it was last corrected" in again.stderr


def test_unknown_snapshot_format_is_reported(root):
    publish_as(root, "2013-07-board", "Improvement Board, July 2013", date(2013, 7, 1))
    snap = root / "content/versions/2013-07-board.json"
    data = json.loads(snap.read_text())
    data["format"] = 99
    snap.write_text(json.dumps(data))
    from generator.versions import Published, read_manifest, sha256, item_hashes, write_manifest

    meta = read_manifest(root)[0]
    write_manifest(root, [Published(meta.id, meta.title, meta.date, sha256(snap.read_bytes()),
                                    item_hashes(data))])
    _, diags, _ = validate_all(root)
    assert [(d.code, d.message) for d in diags] == [
        ("T503", "snapshot format 99 is not known to this generator "
                 "(it reads formats 1); update the generator"),
        ("T508", "reporting points could not be checked against git: the plan folder is not the top folder of a git "
                 "repository")]


def _two_versions(root: Path) -> None:
    publish_as(root, "2013-06-board", "Improvement Board, June 2013", date(2013, 6, 25))
    edit(root, "        narrative: Audit half done.\n",
         "        narrative: Audit half done.\n      - date: 2013-07-01\n        status: green\n"
         "        narrative: Audit complete for all but ten cases.\n")
    edit(root, "target_date: 2013-09-30", "target_date: 2013-10-31")
    edit(root, "      - {period: 2013-04, value: 85.4}", "      - {period: 2013-04, value: 85.4}\n"
                                                         "      - {period: 2013-06, value: 79.0}")
    edit(root, "actions:\n", "actions:\n  - id: A3\n    commitment: C1\n    title: Train managers in supervision.\n"
                             "    lead: ROLE-DCS\n    target_date: 2013-12-31\n")
    publish_as(root, "2013-07-board", "Improvement Board, July 2013", date(2013, 7, 1))


def test_diff_of_two_versions_lists_exactly_the_changes(root):
    _two_versions(root)
    assert compare(root, "2013-06-board", "2013-07-board", None) == (
        "# What changed: Improvement Board, June 2013 to Improvement Board, July 2013\n\n"
        "## Status moves\n\n"
        "- **A1** Audit all priority cases at the front door: amber to green (better)\n\n"
        "## Target dates moved\n\n"
        "- **A1** Audit all priority cases at the front door: slipped by 31 days, from 30 September 2013 "
        "to 31 October 2013\n\n"
        "## Added\n\n"
        "- **A3** Train managers in supervision: new action, status not started\n\n"
        "## Measures moved\n\n"
        "- **M1** Core assessments in timescale: worse: 85.4% (2013-04) to 79% (2013-06)\n")
    r = run(root, "diff", "2013-06-board", "2013-07-board")
    assert r.returncode == 0 and r.stdout.startswith("# What changed: Improvement Board, June 2013")


def test_diff_against_a_git_ref(root):
    git = lambda *a: subprocess.run(["git", "-C", str(root), *a], check=True, capture_output=True)  # noqa: E731
    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "--allow-empty", "-m", "empty")
    git("add", "-A")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "plan")
    edit(root, "        narrative: Audit half done.\n",
         "        narrative: Audit half done.\n      - date: 2013-06-30\n        status: red\n"
         "        narrative: Two auditors left.\n")
    r = run(root, "diff", "--base", "HEAD")
    assert r.returncode == 0, r.stderr
    assert "- **A1** Audit all priority cases at the front door: amber to red" in r.stdout
    bad = run(root, "diff", "--base", "no-such-ref")
    assert bad.returncode == 1 and "is not a version id, 'draft', or a git ref" in bad.stderr


def test_changes_page_and_timelines_in_the_site(root):
    _two_versions(root)
    site = build(root)
    changes = (site / "public/2013-07-board/changes/index.html").read_text()
    assert "amber to green" in changes and "slipped by 31 days" in changes
    action = (site / "public/2013-07-board/actions/A1/index.html").read_text()
    timeline = action.split('id="timeline"')[1]
    assert "Improvement Board, June 2013" in timeline and "Improvement Board, July 2013" in timeline
    older = (site / "public/2013-06-board/actions/A1/index.html").read_text()
    assert 'id="timeline"' not in older  # a frozen page shows history only up to its own reporting point
    draft = (site / "staff/draft/actions/A1/index.html").read_text()
    assert "Draft (not yet reported)" in draft


def test_unchanged_versions_come_from_the_live_tree_or_the_cache(root, tmp_path):
    _two_versions(root)
    diags, first = build_sites(root, tmp_path / "a", workers=1)
    assert first == {"built": 5, "cached": 0, "kept": 0, "jobs": 5}
    assert sorted(p.name for p in (tmp_path / "a/.cache").iterdir()) == sorted(
        json.loads((tmp_path / "a/current/.build-keys.json").read_text())["dirs"][f"{e}/{v}"]
        for e in ("public", "staff") for v in ("2013-06-board", "2013-07-board"))
    old_page = (tmp_path / "a/public/2013-07-board/index.html").read_bytes()
    old_draft = (tmp_path / "a/staff/draft/actions/A3/index.html").read_text()
    # (an update already reported may not change: T511; a title may)
    edit(root, "title: Train managers in supervision.", "title: Train managers in supervision (eight cases).")
    diags, second = build_sites(root, tmp_path / "a", workers=1)
    assert second == {"built": 1, "cached": 0, "kept": 4, "jobs": 5}  # versions already live are linked
    assert (tmp_path / "a/public/2013-07-board/index.html").read_bytes() == old_page
    assert "eight cases" in (tmp_path / "a/staff/draft/actions/A3/index.html").read_text() != old_draft
    assert sorted(p.name for p in (tmp_path / "a/public").iterdir()) == \
        ["2013-06-board", "2013-07-board", "404.html", "index.html", "latest", "versions.json"]
    (tmp_path / "a/current").unlink()  # the live tree lost: the published versions come from the cache
    diags, third = build_sites(root, tmp_path / "a", workers=1)
    assert third == {"built": 1, "cached": 4, "kept": 0, "jobs": 5}
    assert (tmp_path / "a/public/2013-07-board/index.html").read_bytes() == old_page
    diags, other = build_sites(root, tmp_path / "b", workers=1)  # each output has its own cache
    assert other == {"built": 5, "cached": 0, "kept": 0, "jobs": 5}
    assert not (root / ".cache").exists()


def test_build_refuses_an_output_folder_it_did_not_make(root, tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    r = run(root, "build", "--out", str(tmp_path / "mine"))
    assert r.returncode == 1 and "holds files this tool did not build" in r.stderr
    assert [p.name for p in (tmp_path / "mine").iterdir()] == ["notes.txt"]
