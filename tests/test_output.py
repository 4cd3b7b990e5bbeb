"""The output swap (generator/output.py): a failed or killed build leaves the old complete site or the new one,
with versions.json in step and no staff data outside the output; hostile output folders are handled.

The crash-consistency test kills `python -m generator build` (SIGKILL, through the GENERATOR_FAULT_AT test hook)
at every step of the build's end game and compares what a reader can fetch with reference builds made without
faults. Each killed run starts from a copy of the old output; the points after the sites are built start from
a copy whose cache already holds the new published versions, so only the draft is rendered there.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import tempfile
import types
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO, build, copy_plan, publish_as, site_files
from generator import files as files_module
from generator.build import build_sites, engine_versions, _source_hash
from generator.errors import GeneratorError
from generator.output import FAULT_ENV, Output, OutputError, atomic_write, fault

CANARIES = ("canary-output-note", "canary-output-risk", "canary-output-doc")
OLD, NEW = "2013-07-board", "2013-08-board"
STAFF_DOC = """---
id: DOC2
title: Staff-only briefing
date: 2013-06-11
type: briefing
---
Not for the public: canary-output-doc.
"""

# point -> (start from a warm cache?, which complete site a reader must see after the kill)
POINTS = {
    "after-site-built": (False, "old"),
    "during-cache-write": (False, "old"),
    "after-sites-built": (True, "old"),
    "after-tree-assembled": (True, "old"),
    "before-switch": (True, "old"),
    "after-switch": (True, "new"),
    "after-links": (True, "new"),
    "during-old-tree-removal": (True, "new"),
    "during-cache-prune": (True, "new"),
}


def edit(root: Path, old: str, new: str, file: str = "plan.yaml") -> None:
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def staff_plan(root: Path) -> Path:
    """The minimal fixture with a canary in an internal note, the risk register and a staff-only document,
    published once."""
    copy_plan(FIXTURES / "minimal", root)
    edit(root, "    target_date: 2013-09-30\n", "    target_date: 2013-09-30\n    internal_note: canary-output-note\n")
    edit(root, "Agency staff leave.", "Agency staff leave (canary-output-risk).")
    (root / "content/documents/staff.md").write_text(STAFF_DOC, encoding="utf-8")
    publish_as(root, OLD, "Improvement Board, July 2013", date(2013, 7, 1))
    return root


def advance(root: Path) -> None:
    """A second reporting point, and a change that only the staff draft shows."""
    publish_as(root, NEW, "Improvement Board, August 2013", date(2013, 8, 1))
    edit(root, "title: Audit all priority cases at the front door.",
         "title: Audit every priority case at the front door.")


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_versions_in_step(out: Path, newest: str) -> None:
    """Each edition's versions.json lists exactly its version folders, and `latest` is the newest one."""
    for edition in ("public", "staff"):
        entries = json.loads((out / edition / "versions.json").read_text(encoding="utf-8"))
        folders = {p.name for p in (out / edition).iterdir() if p.is_dir()} - {"latest"}
        assert folders == {e["version"] for e in entries}, edition
        assert [e["version"] for e in entries if e["aliases"] == ["latest"]] == [newest], edition
        assert tree_bytes(out / edition / "latest") == tree_bytes(out / edition / newest), edition


def assert_clean(out: Path, cached: tuple[str, ...] = ("public", "staff")) -> None:
    """One tree, the live one; no temporary links, no half-written cache entries; the cache holds exactly the
    published sites of the live tree that some build rendered (those of the `cached` editions/versions)."""
    live = os.readlink(out / "current")
    assert sorted(p.name for p in (out / ".trees").iterdir()) == [Path(live).name]
    assert sorted(p.name for p in out.iterdir()) == [".cache", ".lock", ".trees", "404.html", "current", "index.html",
                                                     "public", "staff"]
    keys = json.loads((out / "current/.build-keys.json").read_text())["dirs"]
    assert sorted(p.name for p in (out / ".cache").iterdir()) == sorted({v for k, v in keys.items()
                                                                        if k.startswith(cached)})


@pytest.fixture(scope="module")
def scene(tmp_path_factory) -> dict:
    """The plan after the change, reference outputs of the old and the new plan, and the bases killed runs
    start from."""
    tmp = tmp_path_factory.mktemp("swap")
    root = staff_plan(tmp / "plan")
    # Without the papers: they are files inside a version's folder like any other, and with them the killed runs
    # below took a minute of the suite (their own atomicity is tests/test_papers.py's).
    old_out = build(root, tmp / "refs" / "old")
    advance(root)
    new_out = build(root, tmp / "refs" / "new")
    warm = tmp / "refs" / "warm"
    shutil.copytree(old_out, warm, symlinks=True)
    entries = sorted((new_out / ".cache").iterdir())
    for entry in entries:
        if not (warm / ".cache" / entry.name).exists():
            shutil.copytree(entry, warm / ".cache" / entry.name)
    shutil.copytree(entries[0], warm / ".cache" / "0-stale")  # an entry no version uses, for the prune to remove
    return {"root": root, "old": site_files(old_out), "new": site_files(new_out), "cold": old_out, "warm": warm,
            "runs": tmp / "runs"}


def test_the_references_hold_the_canaries_in_the_staff_edition_only(scene):
    for name in ("old", "new"):
        staff = b"".join(v for k, v in scene[name].items() if k.startswith("staff/"))
        public = b"".join(v for k, v in scene[name].items() if not k.startswith("staff/"))
        assert [c for c in CANARIES if c.encode() in staff] == list(CANARIES), name
        assert [c for c in CANARIES if c.encode() in public] == [], name
    assert sorted(k for k in scene["new"] if k.endswith("versions.json")) == ["public/versions.json",
                                                                              "staff/versions.json"]
    assert scene["old"] != scene["new"]


def _killed_then_rebuilt(scene: dict, point: str) -> None:
    warm, expected = POINTS[point]
    work = scene["runs"] / point
    out, tmpdir = work / "site", work / "tmp"
    shutil.copytree(scene["warm" if warm else "cold"], out, symlinks=True)
    tmpdir.mkdir()
    root_before = tree_bytes(scene["root"])
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(tmpdir)}
    command = [sys.executable, "-m", "generator", "build", "--root", str(scene["root"]), "--out", str(out),
               "--jobs", "1", "--no-reports"]
    killed = subprocess.run(command, env={**env, FAULT_ENV: point}, capture_output=True, text=True, timeout=120)
    assert killed.returncode == -9, (point, killed.stderr)
    assert site_files(out) == scene[expected], point
    assert_versions_in_step(out, OLD if expected == "old" else NEW)
    assert sorted(os.listdir(work)) == ["site", "tmp"] and os.listdir(tmpdir) == [], point  # nothing beside it
    assert tree_bytes(scene["root"]) == root_before, point  # nothing written into the plan folder
    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, (point, again.stderr)
    assert site_files(out) == scene["new"], point
    assert_clean(out)
    assert sorted(os.listdir(work)) == ["site", "tmp"] and os.listdir(tmpdir) == [], point


@pytest.mark.slow  # about 30 s: nine killed builds and their repairs, two at a time
def test_a_build_killed_at_any_step_leaves_the_old_site_or_the_new_one_whole(scene):
    with ThreadPoolExecutor(max_workers=2) as pool:
        for future in [pool.submit(_killed_then_rebuilt, scene, point) for point in POINTS]:
            future.result()


def test_a_build_killed_while_it_migrates_the_old_layout_is_repaired_by_the_next(scene, tmp_path):
    """The old layout (real public/ and staff/ folders) becomes links once; killed between the two renames of
    that one-time step, `public` is missing until the next run, which finishes the job."""
    out = _old_layout(scene["cold"], tmp_path / "site")
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1", FAULT_ENV: "during-migration"}
    command = [sys.executable, "-m", "generator", "build", "--root", str(scene["root"]), "--out", str(out),
               "--jobs", "1", "--no-reports"]
    killed = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert killed.returncode == -9, killed.stderr
    assert not (out / "public").exists()
    def not_public(files: dict[str, bytes]) -> dict[str, bytes]:  # the root 404.html is the public edition's
        return {k: v for k, v in files.items() if not k.startswith("public/") and k != "404.html"}

    assert not_public(site_files(out)) == not_public(scene["old"])
    diags, stats = build_sites(scene["root"], out, workers=1, reports=False)
    assert stats == {"built": 1, "cached": 0, "kept": 4, "jobs": 5}  # the killed run's tree went live
    assert site_files(out) == scene["new"]
    assert_clean(out, cached=(f"public/{NEW}", f"staff/{NEW}"))  # the old layout had no cache of its own


def _old_layout(built: Path, dest: Path) -> Path:
    """An output as builds before generator/output.py made it: real folders and the keys file at the top."""
    dest.mkdir()
    for name in ("public", "staff"):
        shutil.copytree(built / name, dest / name)
    shutil.copy(built / "index.html", dest / "index.html")
    shutil.copy(built / "current" / ".build-keys.json", dest / ".build-keys.json")
    return dest


def test_the_old_layout_is_migrated_and_its_versions_kept(scene, tmp_path):
    out = _old_layout(scene["cold"], tmp_path / "site")
    beside = tmp_path / ".site.building-x1y2"  # a killed build before this layout left the staff edition here
    shutil.copytree(scene["cold"] / "staff", beside / "staff")
    diags, stats = build_sites(scene["root"], out, workers=1, reports=False)
    assert stats == {"built": 3, "cached": 0, "kept": 2, "jobs": 5}
    assert site_files(out) == scene["new"]
    assert [os.readlink(out / n) for n in ("public", "staff", "index.html")] == \
        ["current/public", "current/staff", "current/index.html"]
    assert_clean(out, cached=(f"public/{NEW}", f"staff/{NEW}"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_full_disk_at_the_switch_leaves_the_old_site_and_says_where_and_why(scene, tmp_path, monkeypatch):
    out = tmp_path / "site"
    shutil.copytree(scene["warm"], out, symlinks=True)
    live = os.readlink(out / "current")
    real = os.replace

    def full(src, dst, **kw):
        if Path(dst).name == "current":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(src), None, str(dst))
        return real(src, dst, **kw)

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(OutputError) as caught:
        build_sites(scene["root"], out, workers=1, reports=False)
    assert str(caught.value) == \
        f"could not write {out}/current: No space left on device; the site in {out} was not changed"
    assert isinstance(caught.value, GeneratorError)
    assert os.readlink(out / "current") == live and site_files(out) == scene["old"]
    assert sorted(p.name for p in (out / ".trees").iterdir()) == [Path(live).name]
    assert [p.name for p in out.iterdir() if p.name.endswith(".tmp")] == []


def test_a_full_disk_while_writing_versions_json_leaves_the_old_site(scene, tmp_path, monkeypatch):
    out = tmp_path / "site"
    shutil.copytree(scene["warm"], out, symlinks=True)
    real = tempfile.mkstemp

    def full(*a, prefix="", **kw):  # the disk fills as versions.json's new copy is made (generator/files.py)
        if prefix.startswith(".versions.json."):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), prefix)
        return real(*a, prefix=prefix, **kw)

    monkeypatch.setattr(files_module, "tempfile", types.SimpleNamespace(mkstemp=full))
    with pytest.raises(OutputError) as caught:
        build_sites(scene["root"], out, workers=1, reports=False)
    message = str(caught.value)
    prefix = f"could not write {out}/.trees/"
    suffix = f"/public/versions.json: No space left on device; the site in {out} was not changed"
    assert message.startswith(prefix) and message.endswith(suffix) and len(message) == len(prefix + suffix) + 16
    assert site_files(out) == scene["old"]
    assert len(list((out / ".trees").iterdir())) == 1


def test_a_read_only_output_is_refused_with_the_path_and_the_reason(scene, tmp_path, monkeypatch):
    out = tmp_path / "site"
    real = os.open

    def read_only(path, *a, **kw):
        if Path(path).name == ".lock":
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real(path, *a, **kw)

    monkeypatch.setattr(os, "open", read_only)
    with pytest.raises(OutputError) as caught:
        build_sites(scene["root"], out, workers=1, reports=False)
    assert str(caught.value) == f"could not write {out}/.lock: Read-only file system; the site in {out} was not changed"


def test_a_failing_site_build_discards_its_tree(scene, tmp_path, monkeypatch):
    out = tmp_path / "site"
    shutil.copytree(scene["cold"], out, symlinks=True)
    from generator import build as build_module

    def broken(job):
        raise RuntimeError("a bug while rendering")

    monkeypatch.setattr(build_module, "run_job", broken)
    with pytest.raises(RuntimeError, match="a bug while rendering"):
        build_sites(scene["root"], out, workers=1, reports=False)
    assert site_files(out) == scene["old"]
    assert len(list((out / ".trees").iterdir())) == 1


def test_the_cli_says_what_went_wrong_without_a_traceback(scene, tmp_path):
    out = tmp_path / "site"
    out.write_text("a file, not a folder")
    r = subprocess.run([sys.executable, "-m", "generator", "build", "--root", str(scene["root"]), "--out", str(out)],
                       env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True, timeout=120)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert r.stderr == \
        f"build stopped: {out} is not a folder this tool built; choose an empty or new folder for --out\n"


# --- hostile or damaged output folders (no build needed) ---------------------------------------------------

def _ours(out: Path) -> Path:
    """A minimal output folder in the new layout with one live tree."""
    tree = out / ".trees" / "aaaa"
    (tree / "public").mkdir(parents=True)
    (tree / "staff").mkdir()
    (tree / "index.html").write_text("home")
    os.symlink(".trees/aaaa", out / "current")
    return tree


def test_stale_trees_links_and_cache_parts_are_removed_at_open(tmp_path):
    out = tmp_path / "site"
    _ours(out)
    (out / ".trees" / "bbbb" / "staff").mkdir(parents=True)  # a killed run's tree
    os.symlink(".trees/bbbb", out / ".current.1234.tmp")
    (out / ".cache" / "key.part77").mkdir(parents=True)
    (out / ".cache" / "key").mkdir()
    (tmp_path / ".site.building-abc" / "staff").mkdir(parents=True)
    with Output.open(out) as output:
        assert output.live() == out / ".trees" / "aaaa"
    assert sorted(p.name for p in (out / ".trees").iterdir()) == ["aaaa"]
    assert sorted(p.name for p in out.iterdir()) == [".cache", ".lock", ".trees", "404.html", "current", "index.html",
                                                     "public", "staff"]
    assert sorted(p.name for p in (out / ".cache").iterdir()) == ["key"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_current_link_pointing_outside_the_trees_is_not_followed_or_removed(tmp_path):
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("mine")
    out = tmp_path / "site"
    out.mkdir()
    os.symlink("../victim", out / "current")
    with Output.open(out) as output:
        assert output.live() is None and output.live_keys() == {}
        tree = output.new_tree()
        (tree / "public").mkdir()
        output.commit(tree, {})
    assert os.readlink(out / "current") == f".trees/{tree.name}"
    assert (victim / "keep.txt").read_text() == "mine"


def test_a_link_planted_in_the_trees_folder_is_removed_not_followed(tmp_path):
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("mine")
    out = tmp_path / "site"
    _ours(out)
    os.symlink(str(victim), out / ".trees" / "evil")
    Output.open(out).close()
    assert sorted(p.name for p in (out / ".trees").iterdir()) == ["aaaa"]
    assert (victim / "keep.txt").read_text() == "mine"


def test_a_damaged_keys_file_means_nothing_is_reused(tmp_path):
    out = tmp_path / "site"
    tree = _ours(out)
    (tree / "public" / "v1").mkdir()
    for damaged in ("{not json", '["a list"]', '{"dirs": {"public/v1": "k", "public/gone": "k2"}}'):
        (tree / ".build-keys.json").write_text(damaged)
        with Output.open(out) as output:
            assert output.live_keys() == ({"public/v1": "k"} if "dirs" in damaged else {}), damaged


def test_a_folder_the_tool_did_not_make_is_refused_untouched(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    with pytest.raises(OutputError, match="holds files this tool did not build"):
        Output.open(out)
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


def test_the_commit_replaces_the_old_tree_and_keeps_the_new_one(tmp_path):
    out = tmp_path / "site"
    _ours(out)
    with Output.open(out) as output:
        tree = output.new_tree()
        for name in ("public", "staff"):
            (tree / name).mkdir()
        (tree / "index.html").write_text("new home")
        output.commit(tree, {"public/v": "k"})
        output.discard(tree)  # never removes the live tree
        assert output.live_keys() == {}  # public/v is not a folder of the tree
    assert (out / "index.html").read_text() == "new home"
    assert sorted(p.name for p in (out / ".trees").iterdir()) == [tree.name]


def test_atomic_write_leaves_the_old_file_when_the_disk_is_full(tmp_path, monkeypatch):
    target = tmp_path / "versions.json"
    target.write_text("old")
    monkeypatch.setattr(os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(errno.ENOSPC, "No space left on device")))
    with pytest.raises(OSError) as caught:
        atomic_write(target, "new")
    assert (caught.value.errno, caught.value.filename) == (errno.ENOSPC, str(target))
    assert target.read_text() == "old" and sorted(p.name for p in tmp_path.iterdir()) == ["versions.json"]


def test_fault_points_fire_only_when_named(monkeypatch):
    monkeypatch.setenv(FAULT_ENV, "some-other-point")
    fault("before-switch")  # still alive
    monkeypatch.delenv(FAULT_ENV)
    fault("before-switch")


def test_the_cache_key_changes_with_the_engine_versions(tmp_path, monkeypatch):
    import importlib.metadata

    root = copy_plan(FIXTURES / "minimal", tmp_path / "plan")
    versions = engine_versions()
    assert versions.count("=") == 11 and "zensical=0.0.73" in versions and "mkdocs-material=" in versions
    before = _source_hash(root)
    real = importlib.metadata.version
    monkeypatch.setattr(importlib.metadata, "version", lambda name: "99.0" if name == "nh3" else real(name))
    assert "nh3=99.0" in engine_versions() and _source_hash(root) != before


@pytest.mark.parametrize("name", [".trees", ".cache"])
def test_an_own_folder_replaced_by_a_link_is_refused(tmp_path, name):
    victim = tmp_path / "victim"
    (victim / "x").mkdir(parents=True)
    out = tmp_path / "site"
    out.mkdir()
    (out / ".lock").touch()
    os.symlink(str(victim), out / name)
    with pytest.raises(OutputError) as caught:
        Output.open(out)
    assert str(caught.value) == f"{out / name} is a link, not a folder this tool made; remove it and build again"
    assert [p.name for p in victim.iterdir()] == ["x"]


def test_a_live_tree_that_is_a_link_is_not_live_and_its_target_is_kept(tmp_path):
    victim = tmp_path / "victim"
    (victim / "public").mkdir(parents=True)
    (victim / "keep.txt").write_text("mine")
    out = tmp_path / "site"
    (out / ".trees").mkdir(parents=True)
    os.symlink(str(victim), out / ".trees" / "x")
    os.symlink(".trees/x", out / "current")
    with Output.open(out) as output:
        assert output.live() is None
        tree = output.new_tree()
        output.commit(tree, {})
    assert sorted(p.name for p in victim.iterdir()) == ["keep.txt", "public"]
    assert sorted(p.name for p in (out / ".trees").iterdir()) == [tree.name]


def test_a_lock_file_that_is_a_link_is_refused(tmp_path):
    target = tmp_path / "elsewhere.txt"
    target.write_text("mine")
    out = tmp_path / "site"
    out.mkdir()
    os.symlink(str(target), out / ".lock")
    with pytest.raises(OutputError) as caught:
        Output.open(out)
    assert str(caught.value) == (f"could not write {out}/.lock: Too many levels of symbolic links; "
                                 f"the site in {out} was not changed")
    assert target.read_text() == "mine"


def test_links_in_the_cache_and_in_the_live_tree_are_never_reused(tmp_path):
    victim = tmp_path / "victim"
    (victim / "index.html").parent.mkdir(parents=True)
    (victim / "index.html").write_text("not a built site")
    out = tmp_path / "site"
    tree = _ours(out)
    (out / ".cache").mkdir()
    os.symlink(str(victim), out / ".cache" / "k1")
    os.symlink(str(victim), tree / "public" / "v1")
    (tree / ".build-keys.json").write_text('{"dirs": {"public/v1": "k1"}}')
    with Output.open(out) as output:
        assert output.live_keys() == {}
        assert list(output.cache_dir.iterdir()) == []
    assert (victim / "index.html").read_text() == "not a built site"


def test_two_builds_at_once_into_one_output_take_turns(scene, tmp_path):
    out = tmp_path / "site"
    shutil.copytree(scene["warm"], out, symlinks=True)
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "generator", "build", "--root", str(scene["root"]), "--out", str(out),
               "--jobs", "1", "--no-reports"]
    runs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    results = [(run.wait(timeout=120), run.stderr.read()) for run in runs]
    for run in runs:
        run.stdout.close()
        run.stderr.close()
    assert [code for code, _ in results] == [0, 0], results
    assert [err for _, err in results if "Traceback" in err] == []
    assert site_files(out) == scene["new"]
    assert_clean(out)
