"""The preview's draft site, kept built and brought up to date on every save by rebuilding only what changed.

The draft is staged into a folder that lasts as long as the preview (docs/, mkdocs.yml, site/). On each save the
generator renders and stages the whole draft in memory (fast), writes only the staged files whose text changed,
and asks the engine for a dirty build: MkDocs rebuilds just the pages whose source is newer than their output.
That is only right while everything shared by all pages is unchanged: the navigation and settings (the staged
mkdocs.yml) and the tool and theme (`source`). When either changes, the next build is a full one. The search index
of a dirty build holds only the pages it rebuilt, so it is merged into the last full one.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .build import PLACEHOLDER_SITE, Job, build_epoch, staged_site, write_placeholder_sitemap
from .engine import INCREMENTAL, build_project
from .errors import writing
from .output import atomic_write
from .stage import Staged

SEARCH_INDEX = "search/search_index.json"


@dataclass(frozen=True)
class Update:
    """What one build changed: the site-relative URLs of the pages rebuilt ("" is the home page) and of the pages
    removed, or `everything` after a full build."""

    everything: bool
    pages: frozenset[str] = frozenset()

    @property
    def nothing(self) -> bool:
        return not self.everything and not self.pages


def page_url(rel: str) -> str | None:
    """The URL (relative to the site) of a staged Markdown file, with folder addresses; None for other files."""
    if not rel.endswith(".md"):
        return None
    stem = rel[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


@dataclass
class LiveSite:
    """One (edition, version) site kept built under `folder`: the project of the last good build (docs/, mkdocs.yml,
    and site/, which the preview serves) is in a numbered folder; a full build makes the next one beside it and
    takes its place only when it succeeded, so a failed build leaves the last good pages served."""

    folder: Path
    generation: int = 0  # the numbered folder of the last good full build
    docs: dict[str, bytes] = field(default_factory=dict)  # what its docs/ holds, as last staged
    config: str | None = None  # the staged mkdocs.yml of the last good build; None: the next build is a full one
    source: str | None = None  # the tool and theme the last good build was made with (build.source_key)
    search: list[dict] = field(default_factory=list)  # the full search index's entries

    @property
    def project(self) -> Path:
        return self.folder / str(self.generation)

    @property
    def site(self) -> Path:
        return self.project / "site"

    def update(self, job: Job, source: str) -> Update:
        """Bring the site up to date with `job` (the draft, from the plan just checked); `source` as
        build.source_key gives it. Raises what the engine raises (an EngineError); the next build is then full."""
        staged = staged_site(job)
        config = json.dumps(staged.config, indent=1)
        full = config != self.config or source != self.source or job.engine not in INCREMENTAL
        self.config = None  # until this build succeeds
        project = self.folder / str(self.generation + 1) if full else self.project
        try:
            with writing(project):
                changed = self._stage(staged, config, project, full)
            if not full and not changed:
                self.config = config
                return Update(False)
            build_project(project / "mkdocs.yml", Path(staged.config["theme"]["custom_dir"]),
                          build_epoch(job.version.date), job.engine, dirty=not full)
            with writing(project / "site"):
                self._merge_search(project / "site", full, changed)
                if not staged.config.get("site_url"):  # as the build does (the version selector keeps the page)
                    write_placeholder_sitemap(project / "site",
                                              f"{PLACEHOLDER_SITE}{job.edition.name}/{job.version.id}/")
        except BaseException:
            if full:
                shutil.rmtree(project, ignore_errors=True)
            raise
        if full:  # the new pages take the old ones' place in one step; then the old folder goes
            old, self.generation = self.project, self.generation + 1
            shutil.rmtree(old, ignore_errors=True)
        self.config, self.source = config, source
        return Update(True) if full else Update(False, frozenset(u for u in map(page_url, changed) if u is not None))

    def _stage(self, staged: Staged, config: str, project: Path, full: bool) -> set[str]:
        """Write the staged files that differ from docs/ (every file for a full build, into a new project folder),
        and remove the ones no longer staged with their built pages. Returns the relative paths written or removed."""
        files = {rel: text if isinstance(text, bytes) else text.encode() for rel, text in staged.files.items()}
        docs, site = project / "docs", project / "site"
        if full:
            shutil.rmtree(project, ignore_errors=True)  # a failed build's leftovers
            self.docs = {}
        changed = {rel for rel, data in files.items() if self.docs.get(rel) != data}
        removed = set(self.docs) - set(files)
        for rel in sorted(changed):
            target = docs / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(files[rel])
        for rel in sorted(removed):
            (docs / rel).unlink(missing_ok=True)
            url = page_url(rel)
            (site / (f"{url}index.html" if url is not None else rel)).unlink(missing_ok=True)
        if full:
            (project / "mkdocs.yml").write_text(config, encoding="utf-8")
        self.docs = files
        return changed | removed

    def _merge_search(self, site: Path, full: bool, changed: set[str]) -> None:
        """After a dirty build the engine's search index holds only the rebuilt pages: put back every other page's
        entries from the last full index, so that search in the preview still finds the whole site."""
        path = site / SEARCH_INDEX
        if not path.is_file():  # an engine or theme without this search index
            self.search = []
            return
        index = json.loads(path.read_text(encoding="utf-8"))
        if full:
            self.search = index["docs"]
            return
        rebuilt = {u for u in map(page_url, changed) if u is not None}
        kept = [d for d in self.search if d["location"].split("#", 1)[0] not in rebuilt]
        self.search = kept + index["docs"]
        index["docs"] = self.search
        atomic_write(path, json.dumps(index, ensure_ascii=False, separators=(",", ":")))


def live_folder(preview_dir: Path, job: Job) -> Path:
    """Where the preview keeps one site's staged project and built pages between saves."""
    return preview_dir / "live" / f"{job.edition.name}-{job.version.id}"


def clear(folder: Path) -> None:
    """Start a preview without the last one's files: their state is not known."""
    if folder.exists():
        shutil.rmtree(folder)
    os.makedirs(folder, exist_ok=True)
