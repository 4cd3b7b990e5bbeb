"""The reporting points a site shows, as mike's `Versions` does for mike: the one place that knows the draft,
which version `latest` names, what versions.json lists, and the cache key of each published version."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from .history import Changes
from .model import Plan
from .project import Edition

DRAFT = "draft"
LATEST = "latest"
DRAFT_TITLE = "Draft: not yet reported"


@dataclass(frozen=True)
class Version:
    """Which reporting point a site shows: its id, title and date; `draft` for the working plan.

    `fingerprint` is everything the point's own content depends on (snapshot bytes, title, corrections):
    a published version is rebuilt only when it, an earlier point's, or the tool changes. The rest is what its
    pages say of it (generator/corrections.py `version_view` fills them in for an edition)."""

    id: str
    title: str
    date: date
    is_draft: bool = False
    correction: str = ""
    fingerprint: bytes = b""
    record_hash: str = ""  # sha256 of the reporting point's canonical record (shown on every page)
    previous_hash: str = ""  # the record hash of the point before it
    corrections: list = field(default_factory=list)  # this version's corrections (corrections.CorrectionView)
    log: list = field(default_factory=list)  # every correction of every version up to this one
    original: Plan | None = None  # the plan as first published, when a correction replaced it

    def fixes(self, item_id: str) -> list:
        """(correction, item change) pairs for one item's page, oldest first."""
        return [(c, i) for c in self.corrections for i in c.items if i.id == item_id]


@dataclass(frozen=True)
class PointCorrection:
    """A correction as the Reporting points page lists it. `number` is its place on its version's Corrections page
    (None for a correction made in place before corrections were kept beside the original: that page lacks it)."""

    date: date
    reason: str
    number: int | None


@dataclass(frozen=True)
class Point:
    """A reporting point (or the draft) as the Reporting points page lists it: text only, escaped where shown."""

    id: str
    title: str
    date: date
    is_draft: bool = False
    corrections: tuple[PointCorrection, ...] = ()


@dataclass(frozen=True)
class Comparison:
    """What changed in a version since an earlier point: the page changes/since-<point id>."""

    since: Point
    changes: Changes

    @property
    def path(self) -> str:
        return f"changes/since-{self.since.id}.md"


@dataclass(frozen=True)
class VersionEntry:
    """One line of versions.json (mike's format); the title is text, escaped when it is written."""

    version: str
    title: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class ReportingPoints:
    published: tuple[Version, ...]  # oldest first
    draft: Version

    def versions(self, edition: Edition) -> list[Version]:
        """The versions an edition is built in, oldest first (the draft last, where the edition shows it)."""
        return [*self.published, *([self.draft] if edition.shows_draft else [])]

    def latest(self, edition: Edition) -> Version | None:
        """What `latest` names: the newest reporting point, or the draft of an edition that has nothing else."""
        if self.published:
            return self.published[-1]
        return self.draft if edition.shows_draft else None

    def entries(self, edition: Edition) -> list[VersionEntry]:
        """versions.json, newest first: Material's selector lists them in this order."""
        newest_first = list(reversed(self.published))
        out = [VersionEntry(v.id, v.title, (LATEST,) if i == 0 else ()) for i, v in enumerate(newest_first)]
        if edition.shows_draft:
            out.insert(0, VersionEntry(DRAFT, DRAFT_TITLE, ()))
        return out

    def cache_keys(self, edition: Edition, source: str) -> dict[str, str]:
        """A key per published version: the tool (`source`), the edition, and the fingerprints of the version
        and every one before it (its timelines and "What changed" page read them). The draft has none."""
        chain = hashlib.sha256(f"{source}\0{edition.name}".encode())
        keys = {}
        for v in self.published:
            chain.update(hashlib.sha256(v.fingerprint).digest())
            keys[v.id] = chain.hexdigest()
        return keys
