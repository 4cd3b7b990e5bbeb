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


@dataclass(frozen=True)
class Conflict:
    """One published item that two commits each added with different content: which one was reported cannot be
    told, so neither anchors it."""

    vid: str
    what: str  # "snapshot", "correction 1", "manifest entry", "correction 1 in the manifest"
    path: str | None  # the file (snapshot, correction), or None for a manifest record
    first: str  # the commits, oldest first in topological order
    other: str
    detail: str  # what differs between the two


@dataclass
class Ledger:
    """What the history says was first committed under content/versions/."""

    added: dict[str, str] = field(default_factory=dict)  # file -> commit that first added it
    same: dict[str, set[str]] = field(default_factory=dict)  # file -> every commit that added it with those bytes
    first_bytes: dict[str, bytes] = field(default_factory=dict)  # file -> its bytes in that commit
    entries: dict[str, tuple[Published, str]] = field(default_factory=dict)  # id -> (first entry, commit)
    corrections: dict[tuple[str, int], tuple[Correction, str]] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)


@dataclass
class _Walk:
    """The commits that touched content/versions/ (oldest first, every side of every merge), with what they added."""

    order: list[str] = field(default_factory=list)
    parents: dict[str, list[str]] = field(default_factory=dict)
    added: list[tuple[str, str, str]] = field(default_factory=list)  # (commit, file, blob) candidates
    manifest: dict[str, str] = field(default_factory=dict)  # commit -> blob of its manifest


def _walk(root: Path) -> _Walk:
    # --full-history: a merge that keeps one side's files must not hide the other side's commits (git's default
    # simplification follows only the side the merge kept). -m: a merge's own additions show as its diff against
    # each parent. --topo-order: parents before children, the same order on every machine.
    log = git(root, "log", "--full-history", "--topo-order", "--reverse", "-m", "--raw", "--no-abbrev",
              "--no-renames", "--format=%x00%H %P", "--", VERSIONS_DIR).decode("utf-8", "replace")
    walk, seen = _Walk(), set()
    for chunk in log.split("\0")[1:]:
        head, *lines = chunk.strip().splitlines()
        commit, *parents = head.split()
        if commit not in walk.parents:  # -m repeats a merge once per parent it differs from
            walk.order.append(commit)
            walk.parents[commit] = parents
        for line in lines:
            meta, _, name = line.partition("\t")
            fields = meta.split()
            if len(fields) != 5:
                continue
            blob, status = fields[3], fields[4]
            if name == MANIFEST and status in ("A", "M"):
                walk.manifest[commit] = blob
            elif status == "A" and _FILE.match(name) and (commit, name, blob) not in seen:
                seen.add((commit, name, blob))
                walk.added.append((commit, name, blob))
    return walk


def object_ids(root: Path, specs: list[str]) -> list[str | None]:
    """The object ids of many `<rev>:<path>` in one `git cat-file --batch-check`; None if missing."""
    if not specs:
        return []
    out = git(root, "cat-file", "--batch-check=%(objectname)", stdin="".join(f"{s}\n" for s in specs).encode())
    return [None if " " in line else line for line in out.decode().splitlines()]  # "<spec> missing"


def read_ledger(root: Path) -> Ledger:
    """Every commit that first added a published file or manifest record (a commit adds what none of its parents
    has), over the whole history of content/versions/: the oldest anchors it, and another with different content
    is a conflict."""
    ledger = Ledger()
    if not _has_head(root):
        return ledger  # a repository without commits: everything is being published in this change
    walk = _walk(root)
    merged = [(c, name) for c, name, _ in walk.added if len(walk.parents[c]) > 1]
    specs = [f"{p}:{name}" for c, name in merged for p in walk.parents[c]]
    specs += [f"{p}:{MANIFEST}" for c in walk.manifest for p in walk.parents[c]]
    ids = dict(zip(specs, object_ids(root, specs)))
    files: dict[str, list[tuple[str, str]]] = {}  # file -> [(commit, blob)] of every commit that added it
    for c, name, blob in walk.added:
        if len(walk.parents[c]) < 2 or all(ids.get(f"{p}:{name}") is None for p in walk.parents[c]):
            files.setdefault(name, []).append((c, blob))
    blobs = sorted({b for adds in files.values() for _, b in adds})
    content = dict(zip(blobs, cat_files(root, blobs)))
    for name, adds in files.items():
        (first, blob), vid = adds[0], _FILE.match(name)["id"]
        n = _FILE.match(name)["n"]
        what = "snapshot" if n is None else f"correction {n}"
        conflicts = [_file_conflict(vid, what, name, first, c, content[blob], content[b])
                     for c, b in _distinct(adds, lambda b: b)[1:]]
        ledger.conflicts += conflicts
        if not conflicts and content[blob] is not None:
            ledger.added[name], ledger.first_bytes[name] = first, content[blob]
            ledger.same[name] = {c for c, b in adds if b == blob}
    _read_entries(root, walk, ids, ledger)
    return ledger


def _distinct(adds: list, key) -> list:
    """The first of each different value, in order."""
    seen, out = [], []
    for commit, value in adds:
        if key(value) not in seen:
            seen.append(key(value))
            out.append((commit, value))
    return out


def _file_conflict(vid: str, what: str, name: str, first: str, other: str, a: bytes | None,
                   b: bytes | None) -> Conflict:
    return Conflict(vid, what, name, first, other, _changed_items(a or b"", b or b""))


def _read_entries(root: Path, walk: _Walk, ids: dict[str, str | None], ledger: Ledger) -> None:
    """Each manifest record (version entry, correction) as first committed; records added twice, differently,
    are conflicts."""
    blobs = sorted(set(walk.manifest.values()) | {b for b in ids.values() if b is not None})
    parsed: dict[str | None, dict[str, Published] | None] = {None: {}}
    for blob, data in zip(blobs, cat_files(root, blobs)):
        try:
            parsed[blob] = {v.id: v for v in parse_manifest(data.decode("utf-8"))} if data is not None else None
        except (ManifestError, UnicodeDecodeError):
            parsed[blob] = None  # a damaged manifest in the past anchors nothing
    entries: dict[str, list[tuple[str, Published]]] = {}
    corrections: dict[tuple[str, int], list[tuple[str, Correction]]] = {}
    for commit in walk.order:
        now = parsed.get(walk.manifest.get(commit)) if commit in walk.manifest else None
        if not now:
            continue
        before = [parsed.get(ids.get(f"{p}:{MANIFEST}")) or {} for p in walk.parents[commit]]
        for v in now.values():
            if all(v.id not in b for b in before):
                entries.setdefault(v.id, []).append((commit, v))
            for n, c in enumerate(v.corrections, 1):
                if all(v.id not in b or len(b[v.id].corrections) < n for b in before):
                    corrections.setdefault((v.id, n), []).append((commit, c))
    for vid, adds in entries.items():
        first, v = adds[0]
        clashes = [Conflict(vid, "manifest entry", None, first, c, "; ".join(d))
                   for c, other in _distinct(adds, _entry_key)[1:]
                   if (d := _entry_differences(v, other, (f"in {first[:12]}", f"in {c[:12]}")))]
        ledger.conflicts += clashes
        if not clashes:
            ledger.entries[vid] = (v, first)
    for (vid, n), adds in corrections.items():
        (first, c0) = adds[0]
        clashes = [Conflict(vid, f"correction {n} in the manifest", None, first, c, _correction_differences(c0, cn))
                   for c, cn in _distinct(adds, lambda x: x)[1:]]
        ledger.conflicts += clashes
        if not clashes:
            ledger.corrections[(vid, n)] = (c0, first)


def _entry_key(v: Published) -> tuple:
    return v.title, v.date, v.sha256, sorted(v.items.items()), v.stored_previous


def _correction_differences(a: Correction, b: Correction) -> str:
    fields = [f for f in ("date", "reason", "file") if getattr(a, f) != getattr(b, f)]
    if a.sha256 != b.sha256 or a.items != b.items:
        fields.append("hashes")
    return "different " + ", ".join(fields)


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


def _entry_differences(first: Published, now: Published, said: tuple[str, str] = ("was", "now")) -> list[str]:
    out = []
    if first.title != now.title:
        out.append(f"title {said[0]} '{_short(first.title)}', {said[1]} '{_short(now.title)}'")
    if first.date != now.date:
        out.append(f"date {said[0]} {first.date}, {said[1]} {now.date}")
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
    diags = [_conflict_diagnostic(root, c, now) for c in ledger.conflicts]
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


def _conflict_diagnostic(root: Path, c: Conflict, now: dict[str, Published]) -> Diagnostic:
    name = f"'{c.vid}' ({now[c.vid].title})" if c.vid in now else f"'{c.vid}'"
    loc = Loc(c.path, 1, 1) if c.path else _manifest_loc(root, c.vid) if c.vid in now else Loc(MANIFEST, 1, 1)
    return Diagnostic.at(loc, "T512", f"published version {name}: its {c.what} was first committed twice, "
                         f"differently, in {c.first[:12]} and in {c.other[:12]}: {c.detail}",
                         hint=f"a reporting point is first committed once; a branch that published '{c.vid}' again "
                              "was merged, or it was removed and published again. Find the genuine one (the commit "
                              f"its tag {TAG_PREFIX}{c.vid} points at, or what the published site shows), reset main "
                              "to before the other was added, and publish new figures under a new id")


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
    """Every committed version's tag points at the commit that first added its snapshot (or one that added the same
    bytes) and holds its record."""
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
                                                "'improvement-plan anchor' if it was never made"))
            else:
                diags.append(Diagnostic.at(loc, "T510", f"published version '{v.id}' ({v.title}) is not yet "
                                           "anchored: the Publish workflow runs `anchor` on main",
                                           hint="fetch the tags (git fetch --tags), or run 'improvement-plan "
                                                "anchor' and push the tags"))
            continue
        problem = None
        if tag.kind != "tag":
            problem = "is not an annotated tag"
        elif tag.target not in ledger.same.get(v.path, {commit}):
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
