"""Reporting points: freezing the working plan as a snapshot, reading snapshots back, and tamper evidence.

Snapshots live in content/versions/<id>.json (canonical JSON: sorted keys, fixed layout) beside a
manifest recording each one's hash and a hash per item. A snapshot whose bytes no longer match
the manifest is reported, naming the items that changed, unless a correction was recorded for it.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic
from .errors import GeneratorError
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
    date: date
    reason: str
    sha256: str
    items: dict[str, str]


@dataclass
class Published:
    id: str
    title: str
    date: date
    sha256: str
    items: dict[str, str]
    corrections: list[Correction] = field(default_factory=list)

    @property
    def path(self) -> str:
        return f"{VERSIONS_DIR}/{self.id}.json"

    @property
    def expected(self) -> tuple[str, dict[str, str]]:
        last = self.corrections[-1] if self.corrections else None
        return (last.sha256, last.items) if last else (self.sha256, self.items)


class ManifestError(GeneratorError, ValueError):
    """content/versions/manifest.json is damaged; `detail` says how."""

    def __init__(self, detail: str):
        super().__init__(f"the versions manifest cannot be read: {detail}")
        self.detail = detail


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


def read_manifest(root: Path) -> list[Published]:
    """The published versions, oldest first. A damaged manifest raises ManifestError saying what is wrong."""
    path = root / MANIFEST
    if not path.exists():
        return []
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ManifestError(f"it is not valid JSON ({exc})") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("versions"), list):
        raise ManifestError("it should be an object with a 'versions' list")
    out = []
    for i, v in enumerate(raw["versions"], 1):
        v = _entry(v, f"version entry {i}", ("id", "title", "date", "sha256", "items"))
        corrections = [_entry(c, f"correction {j} of version '{v['id']}'", ("date", "reason", "sha256", "items"))
                       for j, c in enumerate(v.get("corrections", []), 1)]
        out.append(Published(v["id"], v["title"], date.fromisoformat(v["date"]), v["sha256"], v["items"],
                             [Correction(date.fromisoformat(c["date"]), c["reason"], c["sha256"], c["items"])
                              for c in corrections]))
    return sorted(out, key=lambda p: (p.date, p.id))


def write_manifest(root: Path, versions: list[Published]) -> None:
    data = {"format": 1, "versions": [
        {"id": v.id, "title": v.title, "date": v.date.isoformat(), "sha256": v.sha256, "items": v.items,
         "corrections": [{"date": c.date.isoformat(), "reason": c.reason, "sha256": c.sha256, "items": c.items}
                         for c in v.corrections]}
        for v in sorted(versions, key=lambda p: (p.date, p.id))]}
    (root / MANIFEST).write_bytes(canonical(data))


def snapshot_data(plan: Plan, vid: str, title: str, day: date) -> dict[str, Any]:
    assert plan.info is not None
    frozen = plan.model_copy(update={"info": plan.info.model_copy(update={"as_at": day})})
    return {"format": FORMAT, "version": {"id": vid, "title": title, "date": day.isoformat()},
            "plan": plan_to_data(frozen)}


def check_published(root: Path) -> list[Diagnostic]:
    """Tamper evidence: every snapshot must match its recorded hash (original or last correction)."""
    diags = []
    try:
        versions = read_manifest(root)
    except ManifestError as exc:
        return [Diagnostic.at(Loc(MANIFEST, 1, 1), "T502", exc.message,
                              hint="restore content/versions/manifest.json from git")]
    for v in versions:
        path = root / v.path
        if not path.exists():
            diags.append(Diagnostic.at(Loc(v.path, 1, 1), "T501",
                                       f"published version '{v.id}' ({v.title}) is missing its snapshot file",
                                       hint="restore the file from git; published versions cannot be removed"))
            continue
        raw = path.read_bytes()
        want_hash, want_items = v.expected
        if sha256(raw) == want_hash:
            continue
        try:
            now = item_hashes(json.loads(raw))
        except ValueError:
            now = {}
        changed = sorted(k for k in set(now) | set(want_items) if now.get(k) != want_items.get(k))
        what = ", ".join(changed[:8]) + (f" and {len(changed) - 8} more" if len(changed) > 8 else "")
        diags.append(Diagnostic.at(Loc(v.path, 1, 1), "T501",
                                   f"published version '{v.id}' ({v.title}) has changed since it was "
                                   f"{'corrected' if v.corrections else 'published'}: "
                                   f"{what or ('its layout or format' if now else 'the file no longer holds a snapshot')}",
                                   hint=f"undo the edit (git checkout -- {v.path}), or record it with "
                                        f"'python -m generator correct --id {v.id} --reason \"...\"'"))
    return diags


@dataclass
class Frozen:
    """A published version as read back for building."""

    meta: Published
    plan: Plan
    raw: bytes


def load_published(root: Path, meta: Published) -> Frozen:
    raw = (root / meta.path).read_bytes()
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise SnapshotFormatError(f"the snapshot is not valid JSON ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("format"), int) or "plan" not in data:
        raise SnapshotFormatError("the snapshot should be an object with a format number and a plan")
    fmt = data["format"]
    return Frozen(meta, plan_from_data(data["plan"], fmt), raw)


class PublishError(GeneratorError):
    """A publish or correction refused, said in the editor's words."""


def publish(root: Path, plan: Plan, vid: str, title: str, day: date) -> Path:
    """Freeze the (already validated) plan as version `vid`; refuse what would rewrite history."""
    from .rules import run_rules

    versions = read_manifest(root)
    if not VERSION_ID.match(vid) or vid in RESERVED:
        raise PublishError(f"'{vid}' cannot be a version id: use lower-case letters, digits and '-' "
                           f"(for example 2013-07-board), and not {', '.join(sorted(RESERVED))}")
    if any(v.id == vid for v in versions):
        raise PublishError(f"version '{vid}' is already published; published versions are never replaced "
                           "(use a new id, or 'correct' to record a correction)")
    if versions and day < versions[-1].date:
        raise PublishError(f"the date {day} is earlier than the latest published version "
                           f"'{versions[-1].id}' ({versions[-1].date}); reporting points are published in order")
    if not title.strip():
        raise PublishError("the title must not be empty (for example \"Improvement Board, July 2013\")")
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
    path.write_bytes(raw)
    versions.append(Published(vid, title.strip(), day, sha256(raw), item_hashes(data)))
    write_manifest(root, versions)
    return path


def correct(root: Path, vid: str, reason: str, day: date | None = None) -> Published:
    """Record that a published snapshot was deliberately corrected, so it builds with a visible notice."""
    versions = read_manifest(root)
    match = [v for v in versions if v.id == vid]
    if not match:
        raise PublishError(f"no published version '{vid}'")
    if not reason.strip():
        raise PublishError("say why the correction was made (--reason)")
    v = match[0]
    raw = (root / v.path).read_bytes()
    if sha256(raw) == v.expected[0]:
        raise PublishError(f"version '{vid}' has not changed since it was "
                           f"{'last corrected' if v.corrections else 'published'}; there is nothing to record")
    try:
        data = json.loads(raw)
        plan_from_data(data["plan"], data.get("format"))
    except (ValueError, KeyError, TypeError, AttributeError, SnapshotFormatError) as exc:
        raise PublishError(f"the corrected snapshot cannot be read: {exc}") from None
    v.corrections.append(Correction(day or date.today(), reason.strip(), sha256(raw), item_hashes(data)))
    write_manifest(root, versions)
    return v
