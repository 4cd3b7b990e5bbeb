"""Published history cannot be rewritten unseen: each kind of tampering, tried as an editor with write access to
the repository would, is detected and names the version and the item; and the honest paths stay clean.

Every test works in a throwaway git repository made from tests/fixtures/minimal (see `repo`).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from conftest import FIXTURES, build, copy_plan, publish_as
from generator.build import build_sites
from generator import versions
from generator.ledger import anchor
from generator.validate import validate_all
from generator.versions import atomic_write, read_manifest, write_manifest

MANIFEST = "content/versions/manifest.json"
SNAP = "content/versions/2013-07-board.json"
TITLE = "Improvement Board, July 2013"
NOT_ANCHORED = ("warning", "T510", f"published version '2013-07-board' ({TITLE}) is not yet anchored: the Publish "
                "workflow runs `anchor` on main")
# The codes only a git repository can show; test_rules counts them as covered here.
GIT_CODES = {"T505", "T506", "T507", "T508", "T509", "T510", "T511", "T512"}


@pytest.fixture(autouse=True)
def identity(monkeypatch):
    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{who}_NAME", "Editor")
        monkeypatch.setenv(f"GIT_{who}_EMAIL", "editor@example.org")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True).stdout.strip()


def commit(root: Path, message: str = "change") -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "--allow-empty", "-m", message)
    return git(root, "rev-parse", "HEAD")


def cli(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args, "--root", str(root)], capture_output=True,
                          text=True)


@pytest.fixture
def repo(tmp_path) -> Path:
    """The minimal plan in a git repository, with 2013-07-board published and committed."""
    root = copy_plan(FIXTURES / "minimal", tmp_path / "plan")
    git(root, "init", "-q", "-b", "main")
    commit(root, "plan")
    publish_as(root, "2013-07-board", TITLE, date(2013, 7, 1))
    commit(root, "publish July")
    return root


def rows(root: Path) -> list[tuple]:
    return [(d.file, d.line, d.col, d.severity.value, d.code, d.message) for d in validate_all(root)[1]]


def loc(root: Path, needle: str, file: str = MANIFEST) -> tuple[int, int]:
    text = (root / file).read_text()
    i = text.index(needle)
    return text.count("\n", 0, i) + 1, i - (text.rfind("\n", 0, i) + 1) + 1


def id_loc(root: Path, vid: str = "2013-07-board") -> tuple[str, int, int]:
    return (MANIFEST, *loc(root, f'"{vid}"'))


def rewrite_snapshot(root: Path, old: str, new: str, rehash: bool, vid: str = "2013-07-board") -> None:
    """Edit the snapshot; with rehash, recompute its hashes in the manifest too (what a careful forger does)."""
    snap = root / f"content/versions/{vid}.json"
    snap.write_text(snap.read_text().replace(old, new))
    if rehash:
        from generator.versions import item_hashes, sha256

        versions = read_manifest(root)
        v = next(v for v in versions if v.id == vid)
        v.sha256, v.items = sha256(snap.read_bytes()), item_hashes(json.loads(snap.read_bytes()))
        write_manifest(root, versions)


def second_version(root: Path) -> None:
    plan = root / "plan.yaml"
    plan.write_text(plan.read_text().replace("as_at: 2013-07-01", "as_at: 2013-08-02").replace(
        "        narrative: Audit half done.\n",
        "        narrative: Audit half done.\n      - date: 2013-08-01\n        status: green\n"
        "        narrative: Audit complete.\n"))
    publish_as(root, "2013-08-board", "Improvement Board, August 2013", date(2013, 8, 2))
    commit(root, "publish August")


# --- the honest paths ---------------------------------------------------------------------


def test_published_and_committed_is_clean_but_not_yet_anchored(repo):
    assert rows(repo) == [(*id_loc(repo), *NOT_ANCHORED)]


def test_anchor_tags_the_first_commit_with_the_record_and_validate_is_then_clean(repo):
    first = git(repo, "log", "--format=%H", "-1", "--", SNAP)
    r = cli(repo, "anchor")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == "tagged reporting-point/2013-07-board"
    assert git(repo, "rev-parse", "reporting-point/2013-07-board^{commit}") == first
    record = json.loads(git(repo, "tag", "-l", "--format=%(contents)", "reporting-point/2013-07-board"))
    v = read_manifest(repo)[0]
    assert record == {**v.record(), "record": v.record_hash} and record["previous"] is None
    assert rows(repo) == []
    assert cli(repo, "anchor").stdout == "0 reporting points anchored\n"


def test_uncommitted_new_version_is_fine(repo):
    second_version(repo)
    git(repo, "reset", "-q", "--soft", "HEAD~1")  # published, not yet committed
    assert [r[4] for r in rows(repo)] == ["T510"]


def test_format_1_manifest_still_reads_and_chains(repo):
    data = json.loads((repo / MANIFEST).read_text())
    data["format"] = 1
    for v in data["versions"]:
        del v["previous"], v["record"]
    (repo / MANIFEST).write_text(json.dumps(data))
    commit(repo, "old format")
    assert [r[4] for r in rows(repo)] == ["T510"]
    assert read_manifest(repo)[0].previous is None


def test_squash_merge_keeps_the_anchor(repo):
    git(repo, "checkout", "-q", "-b", "august")
    second_version(repo)
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--squash", "august")
    squash = commit(repo, "Publish August (squashed)")
    git(repo, "branch", "-q", "-D", "august")
    assert [r[4:] for r in rows(repo)] == [
        ("T510", NOT_ANCHORED[2]),
        ("T510", "published version '2013-08-board' (Improvement Board, August 2013) is not yet anchored: the "
                 "Publish workflow runs `anchor` on main")]
    assert anchor(repo, read_manifest(repo)) == ["reporting-point/2013-07-board", "reporting-point/2013-08-board"]
    assert git(repo, "rev-parse", "reporting-point/2013-08-board^{commit}") == squash
    assert rows(repo) == []


# --- tampering with published versions ----------------------------------------------------


def test_rehashed_snapshot(repo):
    first = git(repo, "rev-parse", "HEAD")[:12]
    rewrite_snapshot(repo, "Audit half done.", "Audit nearly done.", rehash=True)
    assert rows(repo) == [
        (SNAP, 1, 1, "error", "T506", f"published version '2013-07-board' ({TITLE}): its snapshot differs from what "
         f"was first committed in {first}: actions/A1"),
        (*id_loc(repo), "error", "T506", f"published version '2013-07-board' ({TITLE}) differs from its manifest "
         f"entry as first committed in {first}: snapshot hash changed (items actions/A1)")]


def test_rehashed_snapshot_committed_is_still_detected(repo):
    rewrite_snapshot(repo, "Audit half done.", "Audit nearly done.", rehash=True)
    commit(repo, "innocent-looking change")
    assert [(r[0], r[4]) for r in rows(repo)] == [(SNAP, "T506"), (MANIFEST, "T506")]


def test_edited_snapshot_without_rehash_is_t501(repo):
    rewrite_snapshot(repo, "Audit half done.", "Audit nearly done.", rehash=False)
    assert [r[4:] for r in rows(repo)] == [("T501", f"published version '2013-07-board' ({TITLE}) has changed since "
                                                    "it was published: actions/A1")]


def test_deleted_version(repo):
    first = git(repo, "rev-parse", "HEAD")[:12]
    (repo / SNAP).unlink()
    write_manifest(repo, [])
    assert rows(repo) == [(MANIFEST, 1, 1, "error", "T507", f"published version '2013-07-board' ({TITLE}) was removed: "
                                                           f"it was first committed in {first} and is no longer in the "
                                                           "manifest")]
    commit(repo, "remove")
    assert [r[4] for r in rows(repo)] == ["T507"]


def test_deleted_and_republished_with_other_content(repo):
    (repo / SNAP).unlink()
    write_manifest(repo, [])
    commit(repo, "remove")
    plan = repo / "plan.yaml"
    plan.write_text(plan.read_text().replace("Audit half done.", "Audit all done."))
    publish_as(repo, "2013-07-board", TITLE, date(2013, 7, 1))
    assert [(r[0], r[4]) for r in rows(repo)] == [(SNAP, "T506"), (MANIFEST, "T506")]


@pytest.mark.parametrize("field, value, said", [
    ("title", "Improvement Board, July 2013 (final)", "title was 'Improvement Board, July 2013', now "
                                                      "'Improvement Board, July 2013 (final)'"),
    ("date", date(2013, 7, 31), "date was 2013-07-01, now 2013-07-31"),
])
def test_retitled_or_redated_version(repo, field, value, said):
    first = git(repo, "rev-parse", "HEAD")[:12]
    versions = read_manifest(repo)
    setattr(versions[0], field, value)
    write_manifest(repo, versions)  # recomputes the chain, so only git can tell
    assert rows(repo) == [(*id_loc(repo), "error", "T506", f"published version '2013-07-board' ({TITLE}) differs "
                                                           f"from its manifest entry as first committed in {first}: "
                                                           f"{said}")]


def test_damaged_chain(repo):
    second_version(repo)
    text = (repo / MANIFEST).read_text()
    v1 = read_manifest(repo)[0]
    (repo / MANIFEST).write_text(text.replace(f'"previous": "{v1.record_hash}"', f'"previous": "{"0" * 64}"'))
    assert rows(repo) == [(MANIFEST, *loc(repo, '"' + "0" * 64), "error", "T505",
                           "version '2013-08-board' (Improvement Board, August 2013) records previous 000000000000…, "
                           f"but the version before it hashes to {v1.record_hash[:12]}…")]


def test_edited_record_hash(repo):
    v = read_manifest(repo)[0]
    text = (repo / MANIFEST).read_text()
    (repo / MANIFEST).write_text(text.replace(f'"record": "{v.record_hash}"', f'"record": "{"1" * 64}"'))
    assert rows(repo) == [(MANIFEST, *loc(repo, '"' + "1" * 64), "error", "T505",
                           f"version '2013-07-board' ({TITLE}) records hash 111111111111…, but its record hashes to "
                           f"{v.record_hash[:12]}…")]


# --- corrections --------------------------------------------------------------------------


def corrected(repo: Path) -> Path:
    rewrite_snapshot(repo, "Audit half done.", "Audit two-thirds done.", rehash=False)
    edit_plan(repo, "narrative: Audit half done.", "narrative: Audit two-thirds done.")
    r = cli(repo, "correct", "--id", "2013-07-board", "--date", "2013-07-20", "--reason", "The figure was misread.")
    assert r.returncode == 0, r.stderr
    commit(repo, "correct July")
    return repo


def test_correct_keeps_the_original_and_records_the_edit_beside_it(repo):
    original = (repo / SNAP).read_bytes()
    corrected(repo)
    assert (repo / SNAP).read_bytes() == original
    fixed = (repo / "content/versions/2013-07-board.correction-1.json").read_text()
    assert "Audit two-thirds done." in fixed and "Audit two-thirds" not in original.decode()
    c = read_manifest(repo)[0].corrections
    assert [(x.date, x.reason, x.file) for x in c] == [(date(2013, 7, 20), "The figure was misread.",
                                                        "2013-07-board.correction-1.json")]
    assert [r[4] for r in rows(repo)] == ["T510"]


def test_corrected_version_shows_before_and_after_and_keeps_the_original(repo, tmp_path):
    corrected(repo)
    site = build(repo, tmp_path / "site")
    page = (site / "public/2013-07-board/actions/A1/index.html").read_text()
    assert "Corrected on 20 July 2013, after it was reported" in page
    assert "<td>update of 2013-06-20: narrative</td><td>Audit half done.</td><td>Audit two-thirds done.</td>" in page
    assert "The figure was misread." in page
    log = (site / "public/2013-07-board/corrections/index.html").read_text()
    assert "Improvement Board, July 2013: correction 1, 20 July 2013" in log
    first = json.loads((site / "public/2013-07-board/downloads/plan-as-first-published.json").read_text())
    assert first["actions"][0]["updates"][0]["narrative"] == "Audit half done."
    v = read_manifest(repo)[0]
    assert f"Reporting point record sha256:<code>{v.record_hash}</code>; previous: none" in page


def test_correct_refuses_when_nothing_changed(repo):
    r = cli(repo, "correct", "--id", "2013-07-board", "--reason", "x")
    assert (r.returncode, r.stderr) == (1, "correction not recorded: version '2013-07-board' has not changed since it "
                                           "was published; edit content/versions/2013-07-board.json first, then run "
                                           "correct\n")


def test_correct_refuses_without_a_committed_original(tmp_path):
    root = copy_plan(FIXTURES / "minimal", tmp_path / "plan")
    publish_as(root, "2013-07-board", TITLE, date(2013, 7, 1))
    rewrite_snapshot(root, "Audit half done.", "Audit all done.", rehash=False)
    r = cli(root, "correct", "--id", "2013-07-board", "--reason", "x")
    assert r.returncode == 1 and r.stderr.startswith("correction not recorded: the original of '2013-07-board' cannot "
                                                     "be found")
    assert not (root / "content/versions/2013-07-board.correction-1.json").exists()


def test_correct_with_a_damaged_manifest(repo):
    (repo / MANIFEST).write_text('{"versions": [')
    r = cli(repo, "correct", "--id", "2013-07-board", "--reason", "x")
    assert (r.returncode, r.stderr) == (1, "correction not recorded: the versions manifest cannot be read: it is not "
                                           "valid JSON (Expecting value: line 1 column 15 (char 14))\n")


def test_correct_with_a_missing_snapshot(repo):
    (repo / SNAP).unlink()
    r = cli(repo, "correct", "--id", "2013-07-board", "--reason", "x")
    assert (r.returncode, r.stderr) == (1, f"correction not recorded: the snapshot {SNAP} is missing; restore it from "
                                           f"git (git checkout -- {SNAP}) and edit it again\n")


def test_dropped_correction(repo):
    corrected(repo)
    commit_of = git(repo, "rev-parse", "HEAD")[:12]
    versions = read_manifest(repo)
    versions[0].corrections = []
    write_manifest(repo, versions)
    (repo / "content/versions/2013-07-board.correction-1.json").unlink()
    assert rows(repo) == [(*id_loc(repo), "error", "T507", f"correction 1 of published version '2013-07-board' "
                                                           f"({TITLE}), recorded on 2013-07-20 ('The figure was "
                                                           "misread.'), was removed")]
    assert commit_of


def test_silent_correction_in_place_with_a_hand_made_entry(repo):
    """The old way: edit the snapshot and add a correction entry without a file (format 1 style)."""
    from generator.versions import Correction, item_hashes, sha256

    rewrite_snapshot(repo, "Audit half done.", "Audit nearly done.", rehash=False)
    raw = (repo / SNAP).read_bytes()
    versions = read_manifest(repo)
    versions[0].corrections.append(Correction(date(2013, 7, 2), "Typo fixed", sha256(raw), item_hashes(json.loads(raw))))
    write_manifest(repo, versions)
    first = git(repo, "rev-parse", "HEAD")[:12]
    assert rows(repo) == [(SNAP, 1, 1, "error", "T506", f"published version '2013-07-board' ({TITLE}): its snapshot "
                                                        f"differs from what was first committed in {first}: actions/A1")]


def test_silent_change_to_a_committed_correction_file(repo):
    from generator.versions import item_hashes, sha256

    corrected(repo)
    added = git(repo, "rev-parse", "HEAD")[:12]
    path = repo / "content/versions/2013-07-board.correction-1.json"
    path.write_text(path.read_text().replace("Audit two-thirds done.", "Audit finished."))
    versions = read_manifest(repo)
    c = versions[0].corrections[0]
    c.sha256, c.items = sha256(path.read_bytes()), item_hashes(json.loads(path.read_bytes()))
    write_manifest(repo, versions)
    assert rows(repo) == [
        ("content/versions/2013-07-board.correction-1.json", 1, 1, "error", "T506",
         f"published version '2013-07-board' ({TITLE}): its correction 1 differs from what was first committed in "
         f"{added}: actions/A1"),
        (*id_loc(repo), "error", "T506", f"correction 1 of published version '2013-07-board' ({TITLE}) differs from "
                                         f"its record as first committed in {added}")]


def test_correction_file_name_must_follow_the_rule(repo):
    corrected(repo)
    text = (repo / MANIFEST).read_text()
    (repo / MANIFEST).write_text(text.replace('"2013-07-board.correction-1.json"', '"../../../etc/passwd"'))
    assert rows(repo) == [(MANIFEST, *loc(repo, '"../../../etc/passwd"'), "error", "T502",
                           "the versions manifest cannot be read: correction 1 of version '2013-07-board' should be in "
                           "'2013-07-board.correction-1.json', not '../../../etc/passwd'")]


# --- reported history in the working plan -------------------------------------------------


def edit_plan(root: Path, old: str, new: str) -> None:
    plan = root / "plan.yaml"
    text = plan.read_text()
    assert text.count(old) == 1, old
    plan.write_text(text.replace(old, new))


POINT = f"reporting point '2013-07-board' ({TITLE}, 2013-07-01)"


def test_rewritten_reported_update(repo):
    edit_plan(repo, "narrative: Audit half done.", "narrative: Audit nearly done.")
    assert rows(repo) == [(*id_loc(repo), *NOT_ANCHORED),
                          ("plan.yaml", *loc(repo, "2013-06-20", "plan.yaml"), "error", "T511",
                           f"action A1 update of 2013-06-20 differs from what {POINT} reported (narrative: reported "
                           "'Audit half done.')")]


def test_reported_update_after_a_correction_must_follow_the_corrected_point(repo):
    snapshot = repo / SNAP
    snapshot.write_text(snapshot.read_text().replace("Audit half done.", "Audit nearly done."))
    versions.correct(repo, "2013-07-board", "Misreported", date(2013, 7, 15))
    [diag] = [d for d in validate_all(repo)[1] if d.code == "T511"]
    assert diag.message == (f"action A1 update of 2013-06-20 differs from what {POINT} reported (narrative: reported "
                            "'Audit nearly done.')")
    assert diag.hint == ("the point was corrected on 2013-07-15: make the entry in the working plan say what the point "
                         "now says (or record a further correction with 'improvement-plan correct --id "
                         "2013-07-board --reason \"...\"')")
    edit_plan(repo, "narrative: Audit half done.", "narrative: Audit nearly done.")
    assert [d for d in validate_all(repo)[1] if d.code == "T511"] == []


def test_reported_update_removed(repo):
    edit_plan(repo, "    updates:\n      - date: 2013-06-20\n        status: amber\n        narrative: Audit half done.\n",
              "")
    assert rows(repo) == [(*id_loc(repo), *NOT_ANCHORED),
                          ("plan.yaml", *loc(repo, "A1\n    commitment", "plan.yaml"), "error", "T511",
                           f"action A1 update of 2013-06-20, reported at {POINT}, is missing")]


def test_backdated_new_progress_entry(repo):
    edit_plan(repo, "narrative: All assessments now tracked weekly; timescale met since December.\n",
              "narrative: All assessments now tracked weekly; timescale met since December.\n"
              "      - date: 2013-02-01\n        status: green\n        narrative: Still on track.\n")
    assert [r for r in rows(repo) if r[4] == "T511"] == [("plan.yaml", *loc(repo, "2013-02-01", "plan.yaml"), "error", "T511",
                           f"recommendation R1 progress entry of 2013-02-01 is dated on or before {POINT} but was not "
                           "reported in it")]


def test_updates_after_the_point_are_free(repo):
    edit_plan(repo, "narrative: Audit half done.\n", "narrative: Audit half done.\n      - date: 2013-07-05\n"
                                                     "        status: green\n        narrative: Done.\n")
    assert [r[4] for r in rows(repo)] == ["T510", "D310"]


# --- reported measures and gradings (review finding F4) ------------------------------------

VALUE_0413 = "{period: 2013-04, value: 85.4}"
BASELINE = "baseline: {period: 2012-11, value: 21.6}"
VALUE_1211 = "- {period: 2012-11, value: 21.6}"
G1_GRADE = "{area: Overall effectiveness (safeguarding), grade: inadequate}"


def t511(repo) -> list[tuple]:
    return [r for r in rows(repo) if r[4] == "T511"]


def test_reported_latest_value_rewritten(repo):
    edit_plan(repo, VALUE_0413, "{period: 2013-04, value: 99.9}")
    assert rows(repo) == [(*id_loc(repo), *NOT_ANCHORED),
                          ("plan.yaml", *loc(repo, "2013-04, value: 99.9", "plan.yaml"), "error", "T511",
                           f"measure M1 value for 2013-04 differs from what {POINT} reported (value: reported 85.4)")]


def test_reported_baseline_rewritten(repo):
    edit_plan(repo, BASELINE, "baseline: {period: 2012-11, value: 50.0}")
    assert t511(repo) == [("plan.yaml", *loc(repo, "50.0}", "plan.yaml"), "error", "T511",
                           f"measure M1 baseline differs from what {POINT} reported (value: reported 21.6)")]


def test_reported_earlier_value_rewritten(repo):
    edit_plan(repo, VALUE_1211, "- {period: 2012-11, value: 50.0}")
    assert t511(repo) == [("plan.yaml", *loc(repo, "2012-11, value: 50.0", "plan.yaml"), "error", "T511",
                           f"measure M1 value for 2012-11 differs from what {POINT} reported (value: reported 21.6)")]


def test_the_reviewers_three_edits_are_each_named_and_diff_says_they_are_revisions(repo):
    edit_plan(repo, VALUE_0413, "{period: 2013-04, value: 99.9}")
    edit_plan(repo, BASELINE, "baseline: {period: 2012-11, value: 50.0}")
    edit_plan(repo, VALUE_1211, "- {period: 2012-11, value: 50, note: rebased}")
    assert t511(repo) == [
        ("plan.yaml", *loc(repo, "50.0}", "plan.yaml"), "error", "T511",
         f"measure M1 baseline differs from what {POINT} reported (value: reported 21.6)"),
        ("plan.yaml", *loc(repo, "2012-11, value: 50,", "plan.yaml"), "error", "T511",
         f"measure M1 value for 2012-11 differs from what {POINT} reported (note: reported ''; value: reported 21.6)"),
        ("plan.yaml", *loc(repo, "2013-04, value: 99.9", "plan.yaml"), "error", "T511",
         f"measure M1 value for 2013-04 differs from what {POINT} reported (value: reported 85.4)")]
    r = cli(repo, "diff")
    assert r.returncode == 0, r.stderr
    assert r.stdout == (f"# What changed: {TITLE} to the working draft\n\n## Measures moved\n\n"
                        "- **M1** Core assessments in timescale: revised 21.6% to 50% for 2012-11; revised 85.4% to "
                        "99.9% for 2013-04; baseline revised from 21.6% (2012-11) to 50% (2012-11)\n")


def test_reported_baseline_removed(repo):
    edit_plan(repo, f"    {BASELINE}\n", "")
    assert t511(repo) == [("plan.yaml", *loc(repo, "M1\n    name", "plan.yaml"), "error", "T511",
                           f"measure M1 baseline, reported at {POINT}, is missing")]


def test_backdated_new_measure_value(repo):
    edit_plan(repo, f"      {VALUE_1211}\n", f"      {VALUE_1211}\n      - {{period: 2013-03, value: 60}}\n")
    assert t511(repo) == [("plan.yaml", *loc(repo, "2013-03, value: 60", "plan.yaml"), "error", "T511",
                           f"measure M1 value for 2013-03 is for a period ended on or before {POINT} but was not "
                           "reported in it")]


def test_reported_measure_value_removed(repo):
    edit_plan(repo, f"      {VALUE_1211}\n", "")
    assert t511(repo) == [("plan.yaml", *loc(repo, "- {period", "plan.yaml"), "error", "T511",
                           f"measure M1 value for 2012-11, reported at {POINT}, is missing")]


def test_reported_value_moved_to_another_period(repo):
    edit_plan(repo, VALUE_0413, "{period: 2013-05, value: 85.4}")
    assert t511(repo) == [
        ("plan.yaml", *loc(repo, "- {period", "plan.yaml"), "error", "T511",
         f"measure M1 value for 2013-04, reported at {POINT}, is missing"),
        ("plan.yaml", *loc(repo, "2013-05, value", "plan.yaml"), "error", "T511",
         f"measure M1 value for 2013-05 is for a period ended on or before {POINT} but was not reported in it")]


def test_measure_values_after_the_point_stay_editable(repo):
    plan = repo / "plan.yaml"
    plan.write_text(plan.read_text().replace("as_at: 2013-07-01", "as_at: 2013-08-02"))
    edit_plan(repo, f"      - {VALUE_0413}\n", f"      - {VALUE_0413}\n      - {{period: 2013-07, value: 88}}\n")
    assert [r[4] for r in rows(repo)] == ["T510", "D306"]  # July ends after the 1 July point: not yet reported
    edit_plan(repo, "{period: 2013-07, value: 88}", "{period: 2013-07, value: 87.5, note: revised}")
    assert [r[4] for r in rows(repo)] == ["T510", "D306"]  # (D306: A1's last update is now over a month old)


def test_baseline_first_set_after_the_point_is_free(tmp_path):
    root = copy_plan(FIXTURES / "minimal", tmp_path / "plan")
    edit_plan(root, f"    {BASELINE}\n", "")
    git(root, "init", "-q", "-b", "main")
    publish_as(root, "2013-07-board", TITLE, date(2013, 7, 1))
    commit(root, "publish July without a baseline")
    edit_plan(root, "    target: {value: 80}\n", f"    {BASELINE}\n    target: {{value: 80}}\n")
    assert rows(root) == [(*id_loc(root), *NOT_ANCHORED)]


def test_reported_grading_rewritten(repo):
    edit_plan(repo, G1_GRADE, "{area: Overall effectiveness (safeguarding), grade: adequate}")
    assert rows(repo) == [(*id_loc(repo), *NOT_ANCHORED),
                          ("plan.yaml", loc(repo, "grade: adequate", "plan.yaml")[0],
                           loc(repo, "grade: adequate", "plan.yaml")[1] + 7, "error", "T511",
                           f"grading G1 of 2012-07-06 differs from what {POINT} reported (judgements[1].grade: "
                           "reported 'inadequate')")]


def test_reported_grading_judgement_added_and_area_renamed(repo):
    edit_plan(repo, G1_GRADE, "{area: Overall effectiveness, grade: inadequate}\n"
                              "      - {area: Looked after children, grade: adequate}")
    assert t511(repo) == [("plan.yaml", *loc(repo, "Overall effectiveness,", "plan.yaml"), "error", "T511",
                           f"grading G1 of 2012-07-06 differs from what {POINT} reported (judgements[1].area: "
                           "reported 'Overall effectiveness (safeguarding)'; judgements[2].area: reported nothing; "
                           "judgements[2].grade: reported nothing; judgements[2].group: reported nothing)")]


def test_reported_grading_moved_past_the_point_is_still_caught(repo):
    edit_plan(repo, "    date: 2012-07-06\n", "    date: 2013-07-06\n")
    assert t511(repo) == [("plan.yaml", *loc(repo, "2013-07-06", "plan.yaml"), "error", "T511",
                           f"grading G1 of 2013-07-06 differs from what {POINT} reported (date: reported "
                           "'2012-07-06')")]


def test_grading_audience_and_staff_note_stay_editable(repo):
    edit_plan(repo, "    title: 2012 inspection judgements\n",
              "    title: 2012 inspection judgements\n    audience: staff\n    internal_note: Check with QA.\n")
    assert rows(repo) == [(*id_loc(repo), *NOT_ANCHORED)]


# --- tags ---------------------------------------------------------------------------------


def test_moved_tag(repo):
    anchor(repo, read_manifest(repo))
    first = git(repo, "rev-parse", "reporting-point/2013-07-board^{commit}")
    later = commit(repo, "later")
    message = git(repo, "tag", "-l", "--format=%(contents)", "reporting-point/2013-07-board")
    git(repo, "tag", "-f", "-a", "-m", message, "reporting-point/2013-07-board", later)
    assert rows(repo) == [(*id_loc(repo), "error", "T509", f"the tag reporting-point/2013-07-board of published "
                                                           f"version '2013-07-board' ({TITLE}) points at "
                                                           f"{later[:12]}, not at {first[:12]} where the snapshot was "
                                                           "first committed")]


def test_tag_with_another_record(repo):
    anchor(repo, read_manifest(repo))
    target = git(repo, "rev-parse", "reporting-point/2013-07-board^{commit}")
    git(repo, "tag", "-f", "-a", "-m", '{"title": "something else"}', "reporting-point/2013-07-board", target)
    assert [r[4:] for r in rows(repo)] == [("T509", f"the tag reporting-point/2013-07-board of published version "
                                                    f"'2013-07-board' ({TITLE}) holds a record that differs from the "
                                                    "version's record")]


def test_lightweight_tag(repo):
    git(repo, "tag", "reporting-point/2013-07-board", "HEAD")
    assert [r[4:] for r in rows(repo)] == [("T509", f"the tag reporting-point/2013-07-board of published version "
                                                    f"'2013-07-board' ({TITLE}) is not an annotated tag")]


def test_missing_tag_before_a_tagged_one(repo):
    second_version(repo)
    anchor(repo, read_manifest(repo))
    git(repo, "tag", "-d", "reporting-point/2013-07-board")
    assert rows(repo) == [(*id_loc(repo), "error", "T509", f"published version '2013-07-board' ({TITLE}) has no tag "
                                                           "reporting-point/2013-07-board, but a later version is "
                                                           "tagged")]


def test_anchor_refuses_tampered_history(repo):
    rewrite_snapshot(repo, "Audit half done.", "Audit nearly done.", rehash=True)
    r = cli(repo, "anchor")
    assert r.returncode == 1
    assert r.stderr.splitlines()[-1] == ("not anchored: reporting points were not anchored: published history "
                                         "disagrees with git")
    assert git(repo, "tag", "-l") == ""


# --- the same reporting point committed twice (merges, re-publishing) -----------------------


def forge(repo: Path) -> str:
    """The reviewer's attack: anchor July on main, then on a branch from before it publish July again with other
    figures, and commit. Returns the forged commit; main is checked out again."""
    assert cli(repo, "anchor").returncode == 0
    git(repo, "checkout", "-q", "-b", "forge", "HEAD~1")
    edit_plan(repo, "value: 85.4", "value: 99.9")
    edit_plan(repo, "Audit half done.", "Audit fully done.")
    r = cli(repo, "publish", "--id", "2013-07-board", "--date", "2013-07-01", "--title", TITLE)
    assert r.returncode == 0, r.stderr
    forged = commit(repo, "forged July")
    git(repo, "checkout", "-q", "main")
    return forged


def twice(repo: Path, first: str, forged: str) -> list[tuple]:
    said = f"published version '2013-07-board' ({TITLE}): its {{}} was first committed twice, differently, in " \
                f"{first[:12]} and in {forged[:12]}: {{}}"
    return [(SNAP, 1, 1, "error", "T512", said.format("snapshot", "actions/A1, measures/M1")),
            (*id_loc(repo), "error", "T512", said.format("manifest entry", "snapshot hash changed (items "
                                                                                 "actions/A1, measures/M1)"))]


@pytest.mark.parametrize("side", ["theirs", "ours"])
def test_branch_republishing_the_point_merged_keeping_either_side(repo, side):
    """Git's default history simplification follows only the side a merge kept: with -X theirs the forged commit
    looked first and deleting the tag left a warning; the whole history shows both, and neither anchors."""
    first = git(repo, "rev-parse", "HEAD")
    forged = forge(repo)
    git(repo, "merge", "-q", "-X", side, "-m", "merge forge", "forge")
    assert ("Audit fully done." in (repo / SNAP).read_text()) is (side == "theirs")
    assert rows(repo) == twice(repo, first, forged)
    git(repo, "tag", "-d", "reporting-point/2013-07-board")
    assert rows(repo) == twice(repo, first, forged)
    r = cli(repo, "anchor")
    assert (r.returncode, r.stderr.splitlines()[-1]) == (1, "not anchored: reporting points were not anchored: "
                                                            "published history disagrees with git")
    assert git(repo, "tag", "-l") == ""


def test_branch_republishing_the_point_squashed_in(repo):
    first = git(repo, "rev-parse", "HEAD")[:12]
    forge(repo)
    git(repo, "merge", "-q", "--squash", "-X", "theirs", "forge")
    commit(repo, "squash forge")
    git(repo, "branch", "-q", "-D", "forge")
    expected = [
        (SNAP, 1, 1, "error", "T506", f"published version '2013-07-board' ({TITLE}): its snapshot differs from what "
         f"was first committed in {first}: actions/A1, measures/M1"),
        (*id_loc(repo), "error", "T506", f"published version '2013-07-board' ({TITLE}) differs from its manifest "
         f"entry as first committed in {first}: snapshot hash changed (items actions/A1, measures/M1)")]
    assert rows(repo) == expected
    git(repo, "tag", "-d", "reporting-point/2013-07-board")
    assert rows(repo) == expected
    assert cli(repo, "anchor").returncode == 1 and git(repo, "tag", "-l") == ""


def test_removed_then_published_again_differently_and_committed(repo):
    first = git(repo, "rev-parse", "HEAD")
    (repo / SNAP).unlink()
    write_manifest(repo, [])
    commit(repo, "remove")
    edit_plan(repo, "value: 85.4", "value: 99.9")
    edit_plan(repo, "Audit half done.", "Audit fully done.")
    publish_as(repo, "2013-07-board", TITLE, date(2013, 7, 1))
    again = commit(repo, "publish July again")
    assert rows(repo) == twice(repo, first, again)


def test_the_same_publication_cherry_picked_onto_a_branch_and_merged_stays_anchored(repo):
    """The same bytes added by two commits are one reporting point: the tag may point at either."""
    first = git(repo, "rev-parse", "HEAD")
    assert cli(repo, "anchor").returncode == 0
    git(repo, "checkout", "-q", "-b", "copy", "HEAD~1")
    git(repo, "cherry-pick", first)
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--no-ff", "-m", "merge copy", "copy")
    assert rows(repo) == []
    assert cli(repo, "anchor").stdout == "0 reporting points anchored\n"


def test_a_branch_that_published_merged_normally_is_anchored_at_its_own_commit(repo):
    git(repo, "checkout", "-q", "-b", "august")
    second_version(repo)
    published = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-q", "main")
    commit(repo, "main moves on")
    git(repo, "merge", "-q", "--no-ff", "-m", "merge august", "august")
    assert [r[4] for r in rows(repo)] == ["T510", "T510"]
    assert anchor(repo, read_manifest(repo)) == ["reporting-point/2013-07-board", "reporting-point/2013-08-board"]
    assert git(repo, "rev-parse", "reporting-point/2013-08-board^{commit}") == published
    assert rows(repo) == []


def test_a_branch_republishing_the_point_under_another_title_only(repo):
    first = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-q", "-b", "retitle", "HEAD~1")
    publish_as(repo, "2013-07-board", "Board July", date(2013, 7, 1))
    other = commit(repo, "July, retitled")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "-X", "theirs", "-m", "merge retitle", "retitle")
    said = f"published version '2013-07-board' (Board July): its {{}} was first committed twice, differently, in " \
           f"{first[:12]} and in {other[:12]}: {{}}"
    assert rows(repo) == [
        (SNAP, 1, 1, "error", "T512", said.format("snapshot", "its layout or format")),  # the snapshot holds the title
        (*id_loc(repo), "error", "T512", said.format("manifest entry", f"title in {first[:12]} '{TITLE}', in "
                                                                      f"{other[:12]} 'Board July'; snapshot hash "
                                                                      "changed"))]


def test_a_merge_that_adds_a_version_neither_side_had_is_its_first_commit(repo):
    """An 'evil merge' adds files of its own: they are first committed by the merge and checked from then on."""
    git(repo, "checkout", "-q", "-b", "side")
    commit(repo, "side work")
    git(repo, "checkout", "-q", "main")
    commit(repo, "main work")
    git(repo, "merge", "-q", "--no-commit", "side")
    second_version(repo)  # publishes August and commits the merge
    merge = git(repo, "rev-parse", "HEAD")
    assert len(git(repo, "rev-parse", "HEAD^@").split()) == 2
    rewrite_snapshot(repo, "Audit complete.", "Audit abandoned.", rehash=True, vid="2013-08-board")
    aug = "content/versions/2013-08-board.json"
    assert rows(repo) == [
        (aug, 1, 1, "error", "T506", "published version '2013-08-board' (Improvement Board, August 2013): its "
         f"snapshot differs from what was first committed in {merge[:12]}: actions/A1"),
        (*id_loc(repo, "2013-08-board"), "error", "T506", "published version '2013-08-board' (Improvement Board, "
         f"August 2013) differs from its manifest entry as first committed in {merge[:12]}: snapshot hash changed "
         "(items actions/A1)")]


def test_two_branches_each_adding_correction_1_differently(repo):
    base = git(repo, "rev-parse", "HEAD")
    corrected(repo)
    one = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-q", "-b", "other", base)
    rewrite_snapshot(repo, "Audit half done.", "Audit fully done.", rehash=False)
    edit_plan(repo, "narrative: Audit half done.", "narrative: Audit fully done.")
    r = cli(repo, "correct", "--id", "2013-07-board", "--date", "2013-07-20", "--reason", "The figure was misread.")
    assert r.returncode == 0, r.stderr
    other = commit(repo, "correct July otherwise")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "-X", "ours", "-m", "merge other", "other")
    path = "content/versions/2013-07-board.correction-1.json"
    assert rows(repo) == [
        (path, 1, 1, "error", "T512", f"published version '2013-07-board' ({TITLE}): its correction 1 was first "
         f"committed twice, differently, in {one[:12]} and in {other[:12]}: actions/A1"),
        (*id_loc(repo), "error", "T512", f"published version '2013-07-board' ({TITLE}): its correction 1 in the "
         f"manifest was first committed twice, differently, in {one[:12]} and in {other[:12]}: different hashes")]


# --- no history ---------------------------------------------------------------------------


def no_history(why: str) -> tuple:
    return (MANIFEST, 1, 1, "warning", "T508", f"reporting points could not be checked against git: {why}")


def test_not_a_repository(tmp_path):
    root = copy_plan(FIXTURES / "minimal", tmp_path / "plan")
    publish_as(root, "2013-07-board", TITLE, date(2013, 7, 1))
    assert rows(root) == [no_history("the plan folder is not the top folder of a git repository")]


def test_plan_in_a_subfolder_of_a_repository(tmp_path):
    git_root = tmp_path / "repo"
    root = copy_plan(FIXTURES / "minimal", git_root / "plan")
    git(git_root, "init", "-q")
    publish_as(root, "2013-07-board", TITLE, date(2013, 7, 1))
    commit(git_root)
    assert rows(root) == [no_history("the plan folder is not the top folder of a git repository")]


def test_shallow_clone(repo, tmp_path):
    commit(repo, "one more")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)], check=True)
    assert rows(clone) == [no_history("the clone is shallow, so the history is incomplete (fetch it whole: "
                                      "fetch-depth: 0)")]


def test_git_not_installed(repo, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert rows(repo) == [no_history("git is not installed")]


def test_full_clone_without_tags_warns_only(repo, tmp_path):
    anchor(repo, read_manifest(repo))
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--no-tags", f"file://{repo}", str(clone)], check=True)
    assert [r[3:5] for r in rows(clone)] == [("warning", "T510")]


# --- manifest ids -------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["../../x", "versions.json", "draft", "latest", "A/B", "x\\y", ""])
def test_manifest_version_id_is_checked(tmp_path, bad):
    root = copy_plan(FIXTURES / "minimal", tmp_path / "plan")
    publish_as(root, "2013-07-board", TITLE, date(2013, 7, 1))
    text = (root / MANIFEST).read_text()
    (root / MANIFEST).write_text(text.replace('"id": "2013-07-board"', f'"id": {json.dumps(bad)}'))
    line, col = loc(root, f'"id": {json.dumps(bad)}')
    assert rows(root) == [(MANIFEST, line, col + 6, "error", "T504",
                           f"the versions manifest cannot be read: {json.dumps(bad)} cannot be a version id: use "
                           "lower-case letters, digits and '-' (for example 2013-07-board), and not draft, index, "
                           "latest, versions")]
    diags, _ = build_sites(root, tmp_path / "out" / "site")
    assert [d.code for d in diags] == ["T504"]
    assert not (tmp_path / "out").exists() and sorted(p.name for p in tmp_path.iterdir()) == ["plan"]


def test_manifest_version_listed_twice(tmp_path):
    root = copy_plan(FIXTURES / "minimal", tmp_path / "plan")
    publish_as(root, "2013-07-board", TITLE, date(2013, 7, 1))
    data = json.loads((root / MANIFEST).read_text())
    data["versions"].append(data["versions"][0])
    (root / MANIFEST).write_text(json.dumps(data, indent=1))
    assert [r[4:] for r in rows(root)] == [("T504", "the versions manifest cannot be read: version '2013-07-board' "
                                                    "is listed twice")]


# --- atomic writes ------------------------------------------------------------------------


def test_a_failed_write_leaves_the_old_manifest_whole(repo, monkeypatch):
    before = (repo / MANIFEST).read_bytes()

    def full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError):
        atomic_write(repo / MANIFEST, b"{}")
    assert (repo / MANIFEST).read_bytes() == before
    assert sorted(p.name for p in (repo / "content/versions").iterdir()) == ["2013-07-board.json", "manifest.json"]


def test_publish_on_the_same_day_keeps_the_chain_in_order(repo):
    r = cli(repo, "publish", "--id", "2013-07-aaa", "--date", "2013-07-01", "--title", "Same day")
    assert r.returncode == 1 and "reporting points are published in order" in r.stderr


def test_damaged_manifest_and_missing_snapshot_are_errors_not_tracebacks(repo, tmp_path):
    (repo / MANIFEST).write_bytes(b"\xff\xfe")
    r = cli(repo, "validate")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "T502" in r.stdout
    shutil.rmtree(repo / "content/versions")
    r = cli(repo, "validate")
    assert r.returncode == 1 and r.stdout.splitlines()[0] == (
        f"{MANIFEST}:1:1: error T507: published version '2013-07-board' ({TITLE}) was removed: it was first committed "
        f"in {git(repo, 'rev-parse', 'HEAD')[:12]} and is no longer in the manifest")


# --- corrections seen by each edition, the footer, odd files --------------------------------


def test_a_correction_never_shows_staff_content_in_the_public_edition(repo, tmp_path):
    from generator.versions import canonical

    snap = repo / SNAP
    data = json.loads(snap.read_text())
    a1, a2 = data["plan"]["actions"]
    a1["internal_note"] = "Union dispute over the audit."
    a2["audience"] = "staff"
    snap.write_bytes(canonical(data))
    assert cli(repo, "correct", "--id", "2013-07-board", "--date", "2013-07-21", "--reason", "Wrongly public.").returncode == 0
    commit(repo, "correct")
    site = build(repo, tmp_path / "site")
    public = (site / "public/2013-07-board/corrections/index.html").read_text()
    assert "<td>the whole item</td><td>shown</td><td>no longer shown in this edition</td>" in public
    assert "Union dispute" not in public and "weekly performance clinics" not in public
    assert "Corrected on" not in (site / "public/2013-07-board/actions/A1/index.html").read_text()
    assert not (site / "public/2013-07-board/actions/A2").exists()
    assert "Union dispute" not in (site / "public/2013-07-board/downloads/plan-as-first-published.json").read_text()
    staff = (site / "staff/2013-07-board/actions/A1/index.html").read_text()
    assert "<td>internal note</td><td>–</td><td>Union dispute over the audit.</td>" in staff
    assert "<td>audience</td><td>–</td><td>staff</td>" in (site / "staff/2013-07-board/actions/A2/index.html").read_text()


def test_each_page_shows_its_record_hash_and_the_previous_one(repo, tmp_path):
    second_version(repo)
    first, second = read_manifest(repo)
    page = (build(repo, tmp_path / "site") / "public/2013-08-board/measures/index.html").read_text()
    assert (f"Reporting point record sha256:<code>{second.record_hash}</code>; previous: "
            f"<code>{first.record_hash}</code>.") in page
    assert second.previous == first.record_hash


def test_snapshot_replaced_by_a_symlink(repo, tmp_path):
    outside = tmp_path / "outside.json"
    outside.write_bytes((repo / SNAP).read_bytes())
    (repo / SNAP).unlink()
    (repo / SNAP).symlink_to(outside)
    assert [r[4:] for r in rows(repo)] == [("T501", f"published version '2013-07-board' ({TITLE}): {SNAP} is a "
                                                    "symbolic link; published files must be ordinary files in the "
                                                    "repository")]


def test_replace_refs_do_not_rewrite_history(repo):
    """`git replace` can make a commit look different to git log; the ledger never honours replace refs."""
    rewrite_snapshot(repo, "Audit half done.", "Audit nearly done.", rehash=True)
    forged = commit(repo, "forged")
    first = git(repo, "log", "--format=%H", "--diff-filter=A", "--", SNAP)
    git(repo, "replace", first, forged)
    assert [(r[0], r[4]) for r in rows(repo)] == [(SNAP, "T506"), (MANIFEST, "T506")]


def test_diff_with_a_missing_correction_file_is_an_error_not_a_traceback(repo):
    corrected(repo)
    (repo / "content/versions/2013-07-board.correction-1.json").unlink()
    r = cli(repo, "diff", "2013-07-board", "draft")
    assert (r.returncode, r.stderr) == (1, "cannot compare: version '2013-07-board' cannot be read: content/versions/"
                                           "2013-07-board.correction-1.json cannot be read (No such file or "
                                           "directory)\n")


def test_anchor_without_history_is_refused(tmp_path):
    root = copy_plan(FIXTURES / "minimal", tmp_path / "plan")
    publish_as(root, "2013-07-board", TITLE, date(2013, 7, 1))
    r = cli(root, "anchor")
    assert (r.returncode, r.stderr) == (1, "not anchored: reporting points cannot be anchored: the plan folder is "
                                           "not the top folder of a git repository\n")


def test_a_repository_git_refuses_to_read_is_said_in_gits_words(repo, monkeypatch, tmp_path):
    config = tmp_path / "gitconfig"
    config.write_text("[safe]\n\tdirectory = /nowhere\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")
    [(file, line, col, severity, code, message)] = rows(repo)
    assert (file, line, col, severity, code) == (MANIFEST, 1, 1, "warning", "T508")
    assert message.startswith("reporting points could not be checked against git: fatal: detected dubious ownership")


def test_correct_killed_before_restoring_the_original_is_reported_not_silent(repo, monkeypatch):
    import generator.versions as versions

    rewrite_snapshot(repo, "Audit half done.", "Audit two-thirds done.", rehash=False)
    real = versions.atomic_write

    def dies_on_the_snapshot(path: Path, data: bytes) -> None:
        if path.name == "2013-07-board.json":
            raise KeyboardInterrupt
        real(path, data)

    monkeypatch.setattr(versions, "atomic_write", dies_on_the_snapshot)
    with pytest.raises(KeyboardInterrupt):
        versions.correct(repo, "2013-07-board", "Misread.", date(2013, 7, 20))
    assert [r[:5] for r in rows(repo)] == [(SNAP, 1, 1, "error", "T501")]
    git(repo, "checkout", "--", SNAP)  # what the hint says: the correction stands, recorded beside the original
    assert [r[4] for r in rows(repo)] == ["T510", "T511"]  # and the working plan must now say the corrected text
    edit_plan(repo, "narrative: Audit half done.", "narrative: Audit two-thirds done.")
    assert [r[4] for r in rows(repo)] == ["T510"]


@pytest.mark.parametrize("title, shown", [("Board\x7f July", "U+007F (a control character)"),
                                          ("Board \u202eyluJ", "U+202E (a bidirectional control)"),
                                          ("Board\nJuly", "U+000A (a control character)")])
def test_a_version_title_or_reason_is_one_line_of_printable_text(repo, title, shown):
    """Titles and reasons are shown on every page and in the version selector (and diff's headings)."""
    r = cli(repo, "publish", "--id", "2013-08-board", "--date", "2013-08-01", "--title", title)
    assert (r.returncode, r.stderr.splitlines()[-1]) == (
        1, f"not published: the title holds the character {shown}; write it on one line of plain text")
    snapshot = repo / SNAP
    snapshot.write_text(snapshot.read_text().replace("Audit half done.", "Audit nearly done."))
    r = cli(repo, "correct", "--id", "2013-07-board", "--reason", title)
    assert (r.returncode, r.stderr) == (
        1, f"correction not recorded: the reason holds the character {shown}; write it on one line of plain text\n")


def test_a_hand_edited_manifest_title_with_a_control_character_is_refused(repo):
    manifest = repo / MANIFEST
    manifest.write_text(manifest.read_text().replace(f'"title": "{TITLE}"', f'"title": "{TITLE}\\u0085"'))
    [diag] = [d for d in validate_all(repo)[1] if d.severity.value == "error"]
    assert (diag.file, diag.code, diag.message) == (
        MANIFEST, "T502", "the versions manifest cannot be read: version '2013-07-board' has a title holding the "
                          "character U+0085 (a control character), which is shown on every page")
    line, col = loc(repo, '"title"')
    assert (diag.line, diag.col) == (line, col + len('"title": '))  # at the value


PUBLISHED_RULE = "holds what the working plan may not: "
CORRECTIONS = {  # the reviewer's corrections that reached the public site
    "markdown-past-the-limits": ('"body": "', '"body": "' + "![" * 6000,
                                 ["document DOC1 body, line 1: this paragraph leaves 6000 '[' unclosed (at most 10)"]),
    "public-item-names-staff-only-one": ('"id": "ROLE-DCS"', '"audience": "staff", "id": "ROLE-DCS"',
                                         ["public action A1 refers to staff-only role 'ROLE-DCS'",
                                          "public action A2 refers to staff-only role 'ROLE-DCS'",
                                          "public theme T1 refers to staff-only role 'ROLE-DCS'"]),
    "bidi-control-in-a-title": ("Audit all priority", "Audit \\u202eall priority",
                                ["actions[1].title holds the character U+202E (a bidirectional control)"]),
}


@pytest.mark.parametrize("name", sorted(CORRECTIONS))
def test_correct_refuses_content_the_working_plan_may_not_hold(repo, name):
    old, new, found = CORRECTIONS[name]
    snapshot = repo / SNAP
    snapshot.write_text(snapshot.read_text().replace(old, new, 1))
    with pytest.raises(versions.PublishError) as refused:
        versions.correct(repo, "2013-07-board", "Fix", date(2013, 7, 15))
    assert refused.value.message == (f"the corrected snapshot breaks {len(found)} rule{'s' * (len(found) != 1)} the "
                                     "working plan keeps; fix it and run correct again")
    assert [(d.file, d.line, d.col, d.code, d.message) for d in refused.value.diagnostics] == [
        (SNAP, 1, 1, "T520", f"{SNAP} {PUBLISHED_RULE}{what}") for what in found]
    assert read_manifest(repo)[0].corrections == []  # nothing recorded


@pytest.mark.parametrize("name", sorted(CORRECTIONS))
def test_a_snapshot_committed_by_hand_is_checked_like_a_correction(repo, name):
    """A snapshot (or correction file) that never went through publish or correct: validate and build refuse it."""
    old, new, found = CORRECTIONS[name]
    rewrite_snapshot(repo, old, new, rehash=True)
    commit(repo, "a hand-made snapshot")
    errors = [(d.file, d.code, d.message) for d in validate_all(repo)[1] if d.code == "T520"]
    assert errors == [(SNAP, "T520", f"{SNAP} {PUBLISHED_RULE}{what}") for what in found]
    diags, _ = build_sites(repo, repo / "site")
    assert "T520" in {d.code for d in diags} and not (repo / "site" / "index.html").exists()
