"""Reporting points: freezing the working plan as a snapshot, reading snapshots back, and tamper evidence.

Snapshots live in content/versions/<id>.json (canonical JSON: sorted keys, fixed layout) beside a manifest
recording each one's hash, a hash per item, and a chain: each version's record (id, title, date, hashes) holds
the hash of the record before it. A snapshot never changes once published; a correction is a new file,
<id>.correction-<n>.json, recorded in the manifest with its date and reason. A file whose bytes no longer match
the manifest is reported here, naming the items that changed; what was first committed to git is checked by
ledger.py.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .characters import BAD_IN_VALUE, describe_char
from .diagnostics import Diagnostic
from .errors import GeneratorError
from .files import atomic_write
from .locations import Loc
from .model import Plan
from .snapshot_format import FORMAT, SnapshotFormatError, plan_from_data, plan_to_data

VERSIONS_DIR = "content/versions"
MANIFEST = f"{VERSIONS_DIR}/manifest.json"
VERSION_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
RESERVED = {"latest", "draft", "versions", "index"}


def canonical(data: Any) -> bytes:
    return (json.dumps(data, sort_keys=True, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def item_hashes(snapshot: dict[str, Any]) -> dict[str, str]:
    """A hash per item id (and for the plan header), so a changed snapshot can say what changed."""
    plan = snapshot.get("plan") if isinstance(snapshot, dict) else None
    if not isinstance(plan, dict):
        return {}
    out = {"plan": sha256(canonical(plan.get("plan")))}
    for section, items in sorted(plan.items()):
        if isinstance(items, list):
            for item in items:
                if isinstance(item, dict):
                    out[f"{section}/{item.get('id')}"] = sha256(canonical(item))
    return out


@dataclass
class Correction:
    """A correction recorded beside the original: `file` holds the corrected snapshot (None in format 1,
    where the snapshot itself was edited in place and the original is lost)."""

    date: date
    reason: str
    sha256: str
    items: dict[str, str]
    file: str | None = None

    def entry(self) -> dict[str, Any]:
        out = {"date": self.date.isoformat(), "reason": self.reason, "sha256": self.sha256, "items": self.items}
        return out | ({"file": self.file} if self.file else {})


@dataclass
class Published:
    id: str
    title: str
    date: date
    sha256: str
    items: dict[str, str]
    corrections: list[Correction] = field(default_factory=list)
    previous: str | None = None  # the record hash of the version before (None for the first)
    stored_previous: str | None = None  # as the manifest says (format 2), checked against `previous`
    stored_record: str | None = None

    @property
    def path(self) -> str:
        return f"{VERSIONS_DIR}/{self.id}.json"

    @property
    def expected(self) -> tuple[str, dict[str, str]]:
        """What the snapshot file must hash to: the original, unless a format-1 correction edited it in place."""
        legacy = [c for c in self.corrections if not c.file]
        return (legacy[-1].sha256, legacy[-1].items) if legacy else (self.sha256, self.items)

    def record(self) -> dict[str, Any]:
        """The canonical record a reporting point is chained and tagged by (corrections are not part of it)."""
        return {"id": self.id, "title": self.title, "date": self.date.isoformat(), "sha256": self.sha256,
                "items": self.items, "previous": self.previous}

    @property
    def record_hash(self) -> str:
        return sha256(canonical(self.record()))


class ManifestError(GeneratorError):
    """content/versions/manifest.json is damaged; `detail` says how, `loc` where when the problem is one value."""

    def __init__(self, detail: str, loc: Loc | None = None, code: str = "T502"):
        super().__init__(f"the versions manifest cannot be read: {detail}")
        self.detail = detail
        self.loc, self.code = loc or Loc(MANIFEST, 1, 1), code


def _entry(v: Any, where: str, fields: tuple[str, ...]) -> dict:
    if not isinstance(v, dict):
        raise ManifestError(f"{where} should be a mapping")
    missing = [f for f in fields if f not in v]
    if missing:
        raise ManifestError(f"{where} has no '{missing[0]}' field")
    try:
        date.fromisoformat(v["date"])
    except (TypeError, ValueError):
        raise ManifestError(f"{where} has an invalid date {v['date']!r}") from None
    return v


def id_problem(vid: Any) -> str | None:
    """Why `vid` cannot name a version folder in the output (None when it can)."""
    if not isinstance(vid, str) or not VERSION_ID.match(vid) or vid in RESERVED:
        return (f"{json.dumps(vid, ensure_ascii=True)} cannot be a version id: use lower-case letters, digits and "
                f"'-' (for example 2013-07-board), and not {', '.join(sorted(RESERVED))}")
    return None


def _value_loc(text: str, key: str, value: Any, within: str | None = None) -> Loc:
    """Where `"key": value` appears in the manifest's text: the first after version `within`'s id when given (the
    canonical layout sorts `previous` and `record` after `id`), else the first; 1:1 when it cannot be found."""
    def find(key: str, value: Any, pos: int = 0):
        forms = {json.dumps(value, ensure_ascii=False), json.dumps(value)}
        return re.compile(rf'"{key}"\s*:\s*(' + "|".join(map(re.escape, forms)) + ")").search(text, pos)

    entry = find("id", within) if within is not None else None
    m = (entry and find(key, value, entry.start())) or find(key, value)
    if m is None:
        return Loc(MANIFEST, 1, 1)
    start = m.start(1)
    return Loc(MANIFEST, text.count("\n", 0, start) + 1, start - (text.rfind("\n", 0, start) + 1) + 1)


def _hash_field(v: dict, name: str, where: str) -> str:
    value = v[name]
    if not isinstance(value, str) or not re.fullmatch(r"[0-9a-f]{64}", value):
        raise ManifestError(f"{where} has an invalid {name} {value!r}")
    return value


def parse_manifest(text: str) -> list[Published]:
    """The versions of a manifest's text, oldest first, with the chain worked out (format 1 and 2)."""
    try:
        raw = json.loads(text)
    except ValueError as exc:
        raise ManifestError(f"it is not valid JSON ({exc})") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("versions"), list):
        raise ManifestError("it should be an object with a 'versions' list")
    if raw.get("format", 1) not in (1, 2):
        raise ManifestError(f"manifest format {raw.get('format')!r} is not known to this generator (it reads 1 and 2)")
    out, seen = [], set()
    for i, v in enumerate(raw["versions"], 1):
        v = _entry(v, f"version entry {i}", ("id", "title", "date", "sha256", "items"))
        problem = id_problem(v["id"])
        if problem:
            raise ManifestError(problem, _value_loc(text, "id", v["id"]), "T504")
        if v["id"] in seen:
            raise ManifestError(f"version '{v['id']}' is listed twice", _value_loc(text, "id", v["id"]), "T504")
        seen.add(v["id"])
        if not isinstance(v["title"], str) or not isinstance(v["items"], dict) or \
                not isinstance(v.get("corrections", []), list):
            raise ManifestError(f"version entry {i} ('{v['id']}') has a title, items or corrections of the wrong type")
        bad = _unprintable(v["title"])
        if bad:
            raise ManifestError(f"version '{v['id']}' has a title holding the character {describe_char(bad)}, which "
                                "is shown on every page", _value_loc(text, "title", v["title"]))
        corrections = []
        for j, c in enumerate(v.get("corrections", []), 1):
            c = _entry(c, f"correction {j} of version '{v['id']}'", ("date", "reason", "sha256", "items"))
            file = c.get("file")
            bad = _unprintable(str(c["reason"]))
            if bad:
                raise ManifestError(f"correction {j} of version '{v['id']}' has a reason holding the character "
                                    f"{describe_char(bad)}, which is shown on its pages",
                                    _value_loc(text, "reason", c["reason"]))
            if file is not None and file != f"{v['id']}.correction-{j}.json":
                raise ManifestError(f"correction {j} of version '{v['id']}' should be in "
                                    f"'{v['id']}.correction-{j}.json', not {file!r}", _value_loc(text, "file", file))
            corrections.append(Correction(date.fromisoformat(c["date"]), str(c["reason"]),
                                          _hash_field(c, "sha256", f"correction {j} of version '{v['id']}'"),
                                          c["items"], file))
        out.append(Published(v["id"], v["title"], date.fromisoformat(v["date"]),
                             _hash_field(v, "sha256", f"version entry {i} ('{v['id']}')"), v["items"], corrections,
                             stored_previous=v.get("previous"), stored_record=v.get("record")))
    out.sort(key=lambda p: (p.date, p.id))
    for before, after in zip([None, *out], out):
        after.previous = before.record_hash if before else None
    return out


def read_manifest(root: Path) -> list[Published]:
    """The published versions, oldest first. A damaged manifest raises ManifestError saying what is wrong."""
    path = root / MANIFEST
    if not path.exists():
        return []
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ManifestError(f"it is not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise ManifestError(f"it cannot be read ({exc.strerror})") from None
    return parse_manifest(text)


def manifest_bytes(versions: list[Published]) -> bytes:
    """Format 2: every version with its chain link (`previous`) and its own record hash."""
    ordered = sorted(versions, key=lambda p: (p.date, p.id))
    for before, after in zip([None, *ordered], ordered):
        after.previous = before.record_hash if before else None
    return canonical({"format": 2, "versions": [
        {**v.record(), "record": v.record_hash, "corrections": [c.entry() for c in v.corrections]}
        for v in ordered]})


def write_manifest(root: Path, versions: list[Published]) -> None:
    atomic_write(root / MANIFEST, manifest_bytes(versions))


def snapshot_data(plan: Plan, vid: str, title: str, day: date) -> dict[str, Any]:
    assert plan.info is not None
    frozen = plan.model_copy(update={"info": plan.info.model_copy(update={"as_at": day})})
    return {"format": FORMAT, "version": {"id": vid, "title": title, "date": day.isoformat()},
            "plan": plan_to_data(frozen)}


def _changed_items(raw: bytes, want: dict[str, str]) -> str:
    """The items whose hashes differ, in a few words, for a message."""
    try:
        now = item_hashes(json.loads(raw))
    except ValueError:
        return "the file no longer holds a snapshot"
    changed = sorted(k for k in set(now) | set(want) if now.get(k) != want.get(k))
    what = ", ".join(changed[:8]) + (f" and {len(changed) - 8} more" if len(changed) > 8 else "")
    return what or ("its layout or format" if now else "the file no longer holds a snapshot")


def check_published(root: Path) -> list[Diagnostic]:
    """Tamper evidence within the files: every snapshot and correction file matches its recorded hash, and the
    chain of records is whole. (What was first committed is checked by ledger.check_ledger.)"""
    diags = []
    try:
        versions = read_manifest(root)
    except ManifestError as exc:
        return [Diagnostic.at(exc.loc, exc.code, exc.message,
                              hint="restore content/versions/manifest.json from git")]
    text = (root / MANIFEST).read_text("utf-8") if versions else ""
    for v in versions:
        if v.stored_previous != v.previous and (v.stored_previous is not None or v.stored_record is not None):
            before = f"the version before it hashes to {v.previous[:12]}…" if v.previous else \
                "it is the first version, so there is none"
            diags.append(Diagnostic.at(_value_loc(text, "previous", v.stored_previous, v.id), "T505",
                                       f"version '{v.id}' ({v.title}) records previous "
                                       f"{str(v.stored_previous)[:12]}…, but {before}",
                                       hint="a version before it was changed, removed or added out of order; "
                                            "restore content/versions/ from git"))
        elif v.stored_record is not None and v.stored_record != v.record_hash:
            diags.append(Diagnostic.at(_value_loc(text, "record", v.stored_record, v.id),
                                       "T505", f"version '{v.id}' ({v.title}) records hash {v.stored_record[:12]}…, "
                                       f"but its record hashes to {v.record_hash[:12]}…",
                                       hint="its title, date or hashes were edited; restore content/versions/ "
                                            "from git"))
        files = [(v.path, *v.expected, "published" if v.expected[0] == v.sha256 else "corrected")]
        files += [(f"{VERSIONS_DIR}/{c.file}", c.sha256, c.items, f"recorded as correction {n}")
                  for n, c in enumerate(v.corrections, 1) if c.file]
        for rel, want_hash, want_items, state in files:
            path = root / rel
            if path.is_symlink():
                diags.append(Diagnostic.at(Loc(rel, 1, 1), "T501",
                                           f"published version '{v.id}' ({v.title}): {rel} is a symbolic link; "
                                           "published files must be ordinary files in the repository",
                                           hint="restore the file from git"))
                continue
            if not path.is_file():
                diags.append(Diagnostic.at(Loc(rel, 1, 1), "T501",
                                           f"published version '{v.id}' ({v.title}) is missing its "
                                           f"{'snapshot' if rel == v.path else 'correction'} file",
                                           hint="restore the file from git; published versions cannot be removed"))
                continue
            raw = path.read_bytes()
            if sha256(raw) != want_hash:
                diags.append(Diagnostic.at(Loc(rel, 1, 1), "T501",
                                           f"published version '{v.id}' ({v.title}) has changed since it was "
                                           f"{state}: {_changed_items(raw, want_items)}",
                                           hint=f"undo the edit (git checkout -- {rel}); to correct a published "
                                                f"version, edit {v.path} and run 'improvement-plan correct "
                                                f"--id {v.id} --reason \"...\"'"))
    return diags


@dataclass
class Frozen:
    """A published version as read back for building: the plan as first published, and as last corrected."""

    meta: Published
    plan: Plan  # what readers see: the last correction's content, or the original
    raw: bytes
    original: Plan | None = None  # the plan as first published, when a correction file replaced it
    corrected: list[Plan] = field(default_factory=list)  # each correction's plan, in order


def _read_snapshot(raw: bytes) -> Plan:
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise SnapshotFormatError(f"the snapshot is not valid JSON ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("format"), int) or "plan" not in data:
        raise SnapshotFormatError("the snapshot should be an object with a format number and a plan")
    return plan_from_data(data["plan"], data["format"])


def _read_bytes(root: Path, rel: str) -> bytes:
    try:
        return (root / rel).read_bytes()
    except OSError as exc:
        raise SnapshotFormatError(f"{rel} cannot be read ({exc.strerror})") from None


def load_published(root: Path, meta: Published) -> Frozen:
    """A version read back: its original snapshot and, if it was corrected, each correction's content."""
    raw = _read_bytes(root, meta.path)
    plan = _read_snapshot(raw)
    files = [_read_bytes(root, f"{VERSIONS_DIR}/{c.file}") for c in meta.corrections if c.file]
    if not files:
        return Frozen(meta, plan, raw)
    return Frozen(meta, _read_snapshot(files[-1]), raw + b"".join(files), original=plan,
                  corrected=[_read_snapshot(f) for f in files])


def _unprintable(text: str) -> str | None:
    """The first character that may not stand in a version title or correction reason: these are shown on every
    page and in the version selector, so one line of printable text, by the same rule as every text (L011)."""
    bad = BAD_IN_VALUE.search(text) or re.search(r"[\n\t]", text)
    return bad[0] if bad else None


def _one_line_text(text: str, what: str) -> None:
    bad = _unprintable(text)
    if bad:
        raise PublishError(f"{what} holds the character {describe_char(bad)}; write it on one line of plain text")


class PublishError(GeneratorError):
    """A publish or correction refused, said in the editor's words."""


def publish(root: Path, plan: Plan, vid: str, title: str, day: date) -> Path:
    """Freeze the (already validated) plan as version `vid`; refuse what would rewrite history."""
    from .rules import run_rules

    versions = read_manifest(root)
    if id_problem(vid):
        raise PublishError(f"'{vid}' cannot be a version id: use lower-case letters, digits and '-' "
                           f"(for example 2013-07-board), and not {', '.join(sorted(RESERVED))}")
    if any(v.id == vid for v in versions):
        raise PublishError(f"version '{vid}' is already published; published versions are never replaced "
                           "(use a new id, or 'correct' to record a correction)")
    if versions and (day, vid) < (versions[-1].date, versions[-1].id):
        latest = versions[-1]
        raise PublishError((f"the date {day} is earlier than the latest published version '{latest.id}' ({latest.date})"
                            if day < latest.date else f"'{vid}' would come before '{latest.id}', published on the "
                            "same day (versions of one day are ordered by id)")
                           + "; reporting points are published in order")
    if not title.strip():
        raise PublishError("the title must not be empty (for example \"Improvement Board, July 2013\")")
    _one_line_text(title, "the title")
    data = snapshot_data(plan, vid, title.strip(), day)
    frozen = plan_from_data(data["plan"], FORMAT)
    frozen.info_src, frozen.info = plan.info_src, frozen.info
    ahead = [d for d in run_rules(frozen) if d.code == "D310"]
    if ahead:
        raise PublishError(f"the plan holds updates or values dated after {day} (e.g. {ahead[0].message}); "
                           "publish with a later --date, or correct those dates")
    raw = canonical(data)
    (root / VERSIONS_DIR).mkdir(parents=True, exist_ok=True)
    path = root / VERSIONS_DIR / f"{vid}.json"
    versions.append(Published(vid, title.strip(), day, sha256(raw), item_hashes(data)))
    manifest = manifest_bytes(versions)
    atomic_write(path, raw)
    atomic_write(root / MANIFEST, manifest)
    return path


def correct(root: Path, vid: str, reason: str, day: date | None = None) -> Published:
    """Record the editor's edit of a published snapshot as a correction beside it, and put the original back.

    The edited content becomes content/versions/<id>.correction-<n>.json; <id>.json is restored to the bytes
    first committed (found in git at HEAD, and checked against the manifest's hash), so the original stays
    readable and the site can show each item before and after."""
    from . import ledger

    versions = read_manifest(root)
    match = [v for v in versions if v.id == vid]
    if not match:
        raise PublishError(f"no published version '{vid}'")
    if not reason.strip():
        raise PublishError("say why the correction was made (--reason)")
    _one_line_text(reason, "the reason")
    v = match[0]
    if any(not c.file for c in v.corrections):
        raise PublishError(f"version '{vid}' was corrected in place by an older generator; its original is not "
                           "kept beside it, so it cannot be corrected again this way")
    path = root / v.path
    if not path.is_file():
        raise PublishError(f"the snapshot {v.path} is missing; restore it from git (git checkout -- {v.path}) "
                           "and edit it again")
    edited = path.read_bytes()
    last = v.corrections[-1].sha256 if v.corrections else v.sha256
    if sha256(edited) in (last, v.sha256):
        raise PublishError(f"version '{vid}' has not changed since it was "
                           f"{'last corrected' if v.corrections else 'published'}; edit {v.path} first, "
                           "then run correct")
    try:
        data = json.loads(edited)
        corrected = plan_from_data(data["plan"], data.get("format"))
    except (ValueError, KeyError, TypeError, AttributeError, SnapshotFormatError) as exc:
        raise PublishError(f"the corrected snapshot cannot be read: {exc}") from None
    from .published_content import check_published_content

    problems = check_published_content(corrected, v.path)
    if problems:
        raise PublishError(f"the corrected snapshot breaks {len(problems)} rule{'s' * (len(problems) != 1)} the "
                           "working plan keeps; fix it and run correct again", problems)
    original = ledger.committed_bytes(root, v.path)
    if original is None or sha256(original) != v.sha256:
        raise PublishError(f"the original of '{vid}' cannot be found: {v.path} as committed at HEAD does not match "
                           "the hash the manifest recorded. Commit the published version before correcting it "
                           "(this needs the repository's git history)")
    n = len(v.corrections) + 1
    name = f"{vid}.correction-{n}.json"
    v.corrections.append(Correction(day or date.today(), reason.strip(), sha256(edited), item_hashes(data), name))
    manifest = manifest_bytes(versions)
    # In this order, a kill part-way leaves either nothing recorded (a stray correction file) or the correction
    # recorded with the edited snapshot still in place, which validate reports (T501) until it is restored.
    atomic_write(root / VERSIONS_DIR / name, edited)
    atomic_write(root / MANIFEST, manifest)
    atomic_write(path, original)
    return v
