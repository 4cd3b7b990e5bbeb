"""The git anchor of reporting points: a reporting point is what was FIRST COMMITTED, not what the files say now.

An editor can rewrite content/versions/ (snapshot, hashes and manifest together) so that the files agree with
each other; they cannot rewrite what the repository's history says was committed first without rewriting the
history itself, which every clone would notice. So `validate` compares each snapshot, manifest entry and
correction with its first committed form, and each `reporting-point/<id>` tag with the record it anchors.
Git runs as a subprocess with fixed argument lists (never a shell); without history (no git, not the top of a
repository, a shallow clone) the check says so in a warning rather than passing silently.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic, Severity, has_errors
from .errors import GeneratorError
from .locations import Loc
from .versions import MANIFEST, VERSIONS_DIR, Correction, ManifestError, Published, canonical, item_hashes, \
    parse_manifest, sha256

TAG_PREFIX = "reporting-point/"
_FILE = re.compile(rf"^{re.escape(VERSIONS_DIR)}/(?P<id>[a-z0-9][a-z0-9-]*)(?:\.correction-(?P<n>[1-9][0-9]*))?\.json$")


class GitError(GeneratorError):
    pass


def git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """Run git in `root` with a fixed argument list; GitError (with git's words) if it fails."""
    # Replace refs (refs/replace/*) would let a pushed ref substitute what history says: never honour them.
    env = {**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0", "GIT_NO_REPLACE_OBJECTS": "1"}
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY"):
        env.pop(name, None)  # the repository is the plan folder's, never one named by the environment
    try:
        done = subprocess.run(["git", "-c", "core.fsmonitor=false", "-C", str(root), *args], input=stdin,
                              capture_output=True, env=env, timeout=120)
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} took longer than two minutes") from None
    if done.returncode:
        raise GitError(done.stderr.decode("utf-8", "replace").strip() or f"git {args[0]} failed")
    return done.stdout


def history_problem(root: Path) -> str | None:
    """Why reporting points cannot be checked against git here (None when they can)."""
    try:
        out = git(root, "rev-parse", "--is-shallow-repository", "--show-toplevel").decode().splitlines()
    except GitError as exc:
        if str(exc) == "git is not installed" or "not a git repository" not in str(exc):
            return str(exc).splitlines()[0]  # e.g. git's "detected dubious ownership in repository at ..."
        return "the plan folder is not the top folder of a git repository"
    if len(out) != 2 or Path(out[1]).resolve() != Path(root).resolve():
        return "the plan folder is not the top folder of a git repository"
    if out[0] == "true":
        return "the clone is shallow, so the history is incomplete (fetch it whole: fetch-depth: 0)"
    return None


def cat_files(root: Path, specs: list[str]) -> list[bytes | None]:
    """The contents of many objects (`<rev>:<path>`, tag names) in one `git cat-file --batch`; None if missing."""
    if not specs:
        return []
    out = git(root, "cat-file", "--batch", stdin="".join(f"{s}\n" for s in specs).encode())
    results, pos = [], 0
    for _ in specs:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        pos = end + 1
        if len(header) != 3 or header[1] == b"missing":
            results.append(None)
            continue
        size = int(header[2])
        results.append(out[pos:pos + size])
        pos += size + 1
    return results


@dataclass
class Ledger:
    """What the history says was first committed under content/versions/."""

    added: dict[str, str] = field(default_factory=dict)  # file -> commit that first added it
    first_bytes: dict[str, bytes] = field(default_factory=dict)  # file -> its bytes in that commit
    entries: dict[str, tuple[Published, str]] = field(default_factory=dict)  # id -> (first entry, commit)
    corrections: dict[tuple[str, int], tuple[Correction, str]] = field(default_factory=dict)


def read_ledger(root: Path) -> Ledger:
    """One pass over the history of content/versions/ (oldest first), then the first committed contents."""
    ledger = Ledger()
    if not _has_head(root):
        return ledger  # a repository without commits: everything is being published in this change
    log = git(root, "log", "--reverse", "--no-renames", "--diff-filter=A", "--name-only", "--format=%x00%H",
              "--", VERSIONS_DIR).decode("utf-8", "replace")
    for chunk in log.split("\0")[1:]:
        commit, *names = chunk.strip().splitlines()
        for name in names:
            if _FILE.match(name) or name == MANIFEST:
                ledger.added.setdefault(name, commit)
    files = sorted(f for f in ledger.added if f != MANIFEST)
    for name, data in zip(files, cat_files(root, [f"{ledger.added[f]}:{f}" for f in files])):
        if data is not None:
            ledger.first_bytes[name] = data
    revisions = git(root, "log", "--reverse", "--no-renames", "--format=%H", "--", MANIFEST).decode().split()
    for commit, data in zip(revisions, cat_files(root, [f"{c}:{MANIFEST}" for c in revisions])):
        try:
            versions = parse_manifest(data.decode("utf-8")) if data is not None else []
        except (ManifestError, UnicodeDecodeError):
            continue  # a damaged manifest in the past anchors nothing
        for v in versions:
            ledger.entries.setdefault(v.id, (v, commit))
            for n, c in enumerate(v.corrections, 1):
                ledger.corrections.setdefault((v.id, n), (c, commit))
    return ledger


def _has_head(root: Path) -> bool:
    try:
        git(root, "rev-parse", "--verify", "-q", "HEAD^{commit}")
        return True
    except GitError:
        return False


def committed_bytes(root: Path, rel: str) -> bytes | None:
    """The file `rel` as committed at HEAD, or None (no git, no commit, not committed)."""
    if history_problem(root) or not _has_head(root):
        return None
    return cat_files(root, [f"HEAD:{rel}"])[0]


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _entry_differences(first: Published, now: Published) -> list[str]:
    out = []
    if first.title != now.title:
        out.append(f"title was '{_short(first.title)}', now '{_short(now.title)}'")
    if first.date != now.date:
        out.append(f"date was {first.date}, now {now.date}")
    if first.sha256 != now.sha256 or first.items != now.items:
        changed = sorted(k for k in set(first.items) | set(now.items) if first.items.get(k) != now.items.get(k))
        out.append("snapshot hash changed" + (f" (items {', '.join(changed[:8])}"
                                              f"{f' and {len(changed) - 8} more' if len(changed) > 8 else ''})"
                                              if changed else ""))
    if first.stored_previous is not None and first.stored_previous != now.previous:
        out.append("its link to the version before changed")
    return out


def _changed_items(first: bytes, now: bytes) -> str:
    try:
        a, b = item_hashes(json.loads(first)), item_hashes(json.loads(now))
    except ValueError:
        return "the file no longer holds a snapshot"
    changed = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
    return ", ".join(changed[:8]) + (f" and {len(changed) - 8} more" if len(changed) > 8 else "") or \
        "its layout or format"


def _manifest_loc(root: Path, vid: str) -> Loc:
    from .versions import _value_loc

    return _value_loc((root / MANIFEST).read_text("utf-8"), "id", vid)


def check_ledger(root: Path, versions: list[Published]) -> list[Diagnostic]:
    """Every published version, correction and tag against what the history says (see the module's docstring)."""
    why = history_problem(root)
    if why:
        if not versions:
            return []  # nothing published here to check
        return [Diagnostic.at(Loc(MANIFEST, 1, 1), "T508",
                              f"reporting points could not be checked against git: {why}",
                              hint="build from a full clone of the repository (git clone, or fetch-depth: 0 in "
                                   "a workflow) so published versions are checked against their first commit")]
    try:
        ledger = read_ledger(root)
    except GitError as exc:
        return [Diagnostic.at(Loc(MANIFEST, 1, 1), "T508",
                              f"reporting points could not be checked against git: {exc}")]
    now = {v.id: v for v in versions}
    diags = []
    restore = "restore it as first committed (git checkout {commit} -- {path})"
    for vid, (first, commit) in sorted(ledger.entries.items()):
        v = now.get(vid)
        if v is None:
            diags.append(Diagnostic.at(Loc(MANIFEST, 1, 1), "T507",
                                       f"published version '{vid}' ({first.title}) was removed: it was first "
                                       f"committed in {commit[:12]} and is no longer in the manifest",
                                       hint="published versions are never removed; "
                                            + restore.format(commit=commit[:12], path=VERSIONS_DIR)))
            continue
        different = _entry_differences(first, v)
        if different:
            diags.append(Diagnostic.at(_manifest_loc(root, vid), "T506",
                                       f"published version '{vid}' ({first.title}) differs from its manifest entry "
                                       f"as first committed in {commit[:12]}: {'; '.join(different)}",
                                       hint="to correct a published version, edit its snapshot and run 'python -m "
                                            "generator correct'; otherwise "
                                            + restore.format(commit=commit[:12], path=MANIFEST)))
        for n, (c, c_commit) in sorted((k[1], e) for k, e in ledger.corrections.items() if k[0] == vid):
            have = v.corrections[n - 1] if n <= len(v.corrections) else None
            if have is None:
                diags.append(Diagnostic.at(_manifest_loc(root, vid), "T507",
                                           f"correction {n} of published version '{vid}' ({first.title}), recorded "
                                           f"on {c.date} ('{_short(c.reason)}'), was removed",
                                           hint="corrections are never removed; "
                                                + restore.format(commit=c_commit[:12], path=MANIFEST)))
            elif have != c:
                diags.append(Diagnostic.at(_manifest_loc(root, vid), "T506",
                                           f"correction {n} of published version '{vid}' ({first.title}) differs "
                                           f"from its record as first committed in {c_commit[:12]}",
                                           hint="record a further correction instead; "
                                                + restore.format(commit=c_commit[:12], path=MANIFEST)))
    for path, data in sorted(ledger.first_bytes.items()):
        vid = _FILE.match(path)["id"]
        current = root / path
        if vid not in now or not current.is_file():
            continue  # a removed version is reported above; a missing file by check_published
        raw = current.read_bytes()
        if sha256(raw) != sha256(data):
            title = now[vid].title
            what = "snapshot" if _FILE.match(path)["n"] is None else f"correction {_FILE.match(path)['n']}"
            diags.append(Diagnostic.at(Loc(path, 1, 1), "T506",
                                       f"published version '{vid}' ({title}): its {what} differs from what was "
                                       f"first committed in {ledger.added[path][:12]}: "
                                       f"{_changed_items(data, raw)}",
                                       hint=f"{restore.format(commit=ledger.added[path][:12], path=path)}; to "
                                            f"correct it, edit {VERSIONS_DIR}/{vid}.json and run 'python -m "
                                            f"generator correct --id {vid} --reason \"...\"'"))
    if not has_errors(diags):
        diags += check_tags(root, versions, ledger)
    return diags


@dataclass(frozen=True)
class Tag:
    name: str
    kind: str  # "tag" (annotated) or "commit" (lightweight)
    target: str  # the commit it points at
    message: bytes


def read_tags(root: Path) -> dict[str, Tag]:
    """reporting-point/<id> tags by version id."""
    refs = git(root, "for-each-ref", "--format=%(refname)%00%(objecttype)%00%(*objectname)%00%(objectname)",
               f"refs/tags/{TAG_PREFIX}").decode().splitlines()
    rows = [r.split("\0") for r in refs if r.count("\0") == 3]
    bodies = cat_files(root, [row[3] for row in rows])
    out = {}
    for (ref, kind, peeled, obj), body in zip(rows, bodies):
        vid = ref[len(f"refs/tags/{TAG_PREFIX}"):]
        message = (body or b"").partition(b"\n\n")[2] if kind == "tag" else b""
        out[vid] = Tag(ref, kind, peeled if kind == "tag" else obj, message)
    return out


def _tag_message(v: Published) -> bytes:
    return canonical({**v.record(), "record": v.record_hash})


def check_tags(root: Path, versions: list[Published], ledger: Ledger) -> list[Diagnostic]:
    """Every committed version's tag points at the commit that first added its snapshot and holds its record."""
    tags = read_tags(root)
    committed = [v for v in versions if v.path in ledger.added]
    diags = []
    newest_tagged = max((i for i, v in enumerate(committed) if v.id in tags), default=-1)
    for i, v in enumerate(committed):
        tag, commit = tags.get(v.id), ledger.added[v.path]
        loc = _manifest_loc(root, v.id)
        if tag is None:
            if i < newest_tagged:
                diags.append(Diagnostic.at(loc, "T509", f"published version '{v.id}' ({v.title}) has no tag "
                                           f"{TAG_PREFIX}{v.id}, but a later version is tagged",
                                           hint="a tag was deleted; fetch the tags (git fetch --tags), or run "
                                                "'python -m generator anchor' if it was never made"))
            else:
                diags.append(Diagnostic.at(loc, "T510", f"published version '{v.id}' ({v.title}) is not yet "
                                           "anchored: the Publish workflow runs `anchor` on main",
                                           hint="fetch the tags (git fetch --tags), or run 'python -m generator "
                                                "anchor' and push the tags"))
            continue
        problem = None
        if tag.kind != "tag":
            problem = "is not an annotated tag"
        elif tag.target != commit:
            problem = f"points at {tag.target[:12]}, not at {commit[:12]} where the snapshot was first committed"
        elif tag.message.rstrip(b"\n") != _tag_message(v).rstrip(b"\n"):
            problem = "holds a record that differs from the version's record"
        if problem:
            diags.append(Diagnostic.at(loc, "T509", f"the tag {TAG_PREFIX}{v.id} of published version '{v.id}' "
                                       f"({v.title}) {problem}",
                                       hint="tags anchor reporting points and are never moved; restore the tag "
                                            "from a clone that has it (git fetch --tags)"))
    return diags


def anchor(root: Path, versions: list[Published]) -> list[str]:
    """Tag every committed version that has no tag yet, at the commit that first added its snapshot.
    Refuses while anything published disagrees with the history (tagging would anchor the tampered state)."""
    why = history_problem(root)
    if why:
        raise GitError(f"reporting points cannot be anchored: {why}")
    diags = check_ledger(root, versions)
    errors = [d for d in diags if d.severity is Severity.error]
    if errors:
        raise GeneratorError("reporting points were not anchored: published history disagrees with git",
                             diagnostics=errors)
    ledger = read_ledger(root)
    tags = read_tags(root)
    made = []
    for v in versions:
        if v.id in tags or v.path not in ledger.added:
            continue
        name = f"{TAG_PREFIX}{v.id}"
        git(root, "tag", "-a", "-F", "-", name, ledger.added[v.path], stdin=_tag_message(v))
        made.append(name)
    return made
