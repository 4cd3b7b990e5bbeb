"""Building the sites, as the pipeline runs: validate plan and site settings (main process), work out the
reporting points and which (edition, version) sites need building, render and stage each as a plain MkDocs
project and build it through the engine in parallel workers, then put the output live in one step.

A published version whose inputs have not changed is not rendered again: it is hard-linked from the live
tree or the cache. Everything is built into a new complete tree inside the output (generator/output.py),
which goes live in one atomic step only when all of it succeeded. Staging plain projects (rather than running as an MkDocs plugin) keeps the generator
portable to Zensical. The generator owns the nav: registers are in it, per-item pages are not.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from . import history
from .corrections import version_view
from .diagnostics import Diagnostic, Severity, has_errors
from .engine import DEFAULT_ENGINE, build_project
from .errors import GeneratorError, UsageError, writing
from .guide import guide_pages, plan_guide
from .model import AccessibilityContact, Plan
from .output import Output, OutputError, atomic_write, fault, io_error, link_tree, remove, store_in_cache
from .papers import paper_files
from .project import EDITIONS, Edition, project
from .render import SiteData, render_site
from .reporting import DRAFT, DRAFT_TITLE, LATEST, Comparison, Point, PointCorrection, ReportingPoints, Version
from .site_config import PACKAGED_THEME, THEME_DIR, SiteConfig
from .stage import EditorSettings, Staged, stage, versions_json, write_stage
from .versions import Frozen

if TYPE_CHECKING:
    from .validate import Checked

__all__ = ["OutputError", "build_sites"]  # OutputError is re-exported: the CLI catches it from here

PACKAGE = Path(__file__).parent
OLD_CACHE_DIR = ".cache/site"  # where builds before generator/output.py kept the cache (staff data outside --out)
# Their versions key the cache: the engine of the pages, and the libraries that write the reports and the tracker.
ENGINE = ("mkdocs", "properdocs", "zensical", "mkdocs-material", "pymdown-extensions", "Markdown", "nh3",
          "python-docx", "weasyprint", "cairosvg", "openpyxl")
PLACEHOLDER_SITE = "https://site.invalid/"  # sitemap addresses when mkdocs.yml sets no site_url


@dataclass(frozen=True)
class Job:
    """One (edition, version) site, and how to get it."""

    root: Path
    edition: Edition
    version: Version
    dest: Path
    cache_key: str | None
    mode: str  # "keep" (linked from the live tree), "cache" (linked from the cache) or "build"
    plan: Plan | None = None  # the plan as read and validated by the main process (built jobs only)
    timelines: dict | None = None
    changes: history.Changes | None = None
    settings: EditorSettings | None = None
    cache_dir: Path | None = None  # where a built published site is kept for later builds (None: not kept)
    points: tuple[Point, ...] = ()  # the points its Reporting points page lists (up to itself), oldest first
    comparisons: tuple[Comparison, ...] = ()  # what changed since each earlier point but the one before
    accessibility: AccessibilityContact | None = None  # the working plan's: every version's statement shows it
    reports: bool = True  # make the progress report and the tracker into downloads/ (build --no-reports: not)
    engine: str = DEFAULT_ENGINE  # which engine builds the staged project (engine.ENGINES)


def theme_dir(root: Path) -> Path:
    """The staged custom_dir: the plan's own docs_theme/ (layered over the packaged theme), or the packaged theme."""
    own = root / THEME_DIR
    return own if own.is_dir() else PACKAGED_THEME


def _hash_tree(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for n, base in enumerate(paths):
        h.update(f"\0{n}\0".encode())  # each tree apart, so a file cannot move between them unseen
        files = sorted(p for p in base.rglob("*") if p.is_file() and "__pycache__" not in p.parts) \
            if base.is_dir() else ([base] if base.exists() else [])
        for f in files:
            h.update(f.as_posix().encode() if not base.is_dir() else f.relative_to(base).as_posix().encode())
            h.update(f.read_bytes())
    return h.hexdigest()


def editor_settings(site: SiteConfig) -> EditorSettings:
    """The editors' mkdocs.yml, as checked by the main process, in the terms staging takes."""
    part = site.mkdocs_part()
    return EditorSettings(theme=part["theme"], extra=part["extra"], copyright=part["copyright"],
                          description=part["site_description"], site_url=part["site_url"])


def build_epoch(day: date) -> int:
    """The time every file of a version's site is dated (SOURCE_DATE_EPOCH): its reporting point's day."""
    return int(datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp())


def run_job(job: Job) -> None:
    """Render, stage and build one (edition, version) site into job.dest; keep a copy in the cache if published."""
    # The validated plan (and then the rendered pages) stay alive to the end, so the cyclic GC is told to leave them
    # out of its scans (gc.freeze): else it scans them again and again while the engine builds. Measured at 4,000
    # actions: the engine took 29.2 s of CPU with the plan alive, 25.1 s with it frozen, 25.2 s in a bare process.
    outer = gc.get_freeze_count() > 0  # a caller froze its own objects: leave them so
    gc.freeze()
    try:
        # A self-contained MkDocs project (docs/, site/, mkdocs.yml) that ProperDocs and Zensical build unchanged too.
        with tempfile.TemporaryDirectory(prefix=".stage-", dir=job.dest.parent) as folder:
            config, staged = stage_job(job, Path(folder))
            gc.freeze()
            build_project(config, theme_dir(job.root).resolve(), build_epoch(job.version.date), job.engine)
            os.replace(Path(folder) / "site", job.dest)
    finally:
        if not outer:
            gc.unfreeze()
    if not staged.config.get("site_url"):
        write_placeholder_sitemap(job.dest, f"{PLACEHOLDER_SITE}{job.edition.name}/{job.version.id}/")
    fault("after-site-built")
    if job.cache_dir and job.cache_key:
        store_in_cache(job.cache_dir, job.cache_key, job.dest)


def stage_job(job: Job, folder: Path) -> tuple[Path, Staged]:
    """Render one (edition, version) site and write it into `folder` as a plain project (docs/, mkdocs.yml) for an
    engine to build into folder/site. Returns the mkdocs.yml path and what was staged."""
    staged = staged_site(job)
    with writing(folder):  # staging only: MkDocs reports its own errors (TemplateNotFound is an OSError)
        return write_stage(staged, folder), staged


def staged_site(job: Job) -> Staged:
    """One (edition, version) site rendered and staged, in memory: its docs and its mkdocs.yml."""
    assert job.plan is not None and job.settings is not None
    data = job_data(job)
    plan = data.plan
    # A reporting point's papers, from the same SiteData as its pages; made once, as the point's site is cached.
    # Not the draft's: it is rebuilt on every build and every preview, and its PDF is the slowest thing a build
    # could make (18 s at 1,000 actions on an idle machine); `report draft --edition staff` makes it when it is wanted.
    papers = paper_files(data) if job.reports and not job.version.is_draft else None
    rendered = render_site(data, guide_pages(job.root, data.terms) if job.edition.shows_guide else (), papers)
    info = plan.info
    assert info is not None
    themes = theme_dir(job.root).resolve()
    return stage(site_name=f"{info.organisation}: {info.title}", vision=info.vision, edition=job.edition,
                 version=job.version, pages=rendered.pages, nav=rendered.nav, files=rendered.files,
                 settings=job.settings, theme_dir=themes)


def job_data(job: Job) -> SiteData:
    """What one built (edition, version) site shows: the projected plan with its history and reporting points."""
    assert job.plan is not None
    return SiteData(project(job.plan, job.edition), job.edition, job.version, timelines=job.timelines or {},
                    changes=job.changes, points=job.points, comparisons=job.comparisons,
                    accessibility=job.accessibility)


def site_data(root: Path, edition: str, version: str | None = None) -> SiteData:
    """One (edition, version) exactly as its site shows it, for the papers made from it (the progress report, the
    exported tracker): the same validation, projection, history and reporting points as `build`, so that a paper
    cannot say other than the site. `version` None or 'latest' is the latest published point; 'draft' the working
    draft, which only the staff edition has."""
    return job_data(one_job(root, edition, version))


def stage_site(root: Path, folder: Path, edition: str, version: str | None = None, reports: bool = False) -> Path:
    """Stage one (edition, version) site into `folder` as the build does, without building it: the plain project an
    engine builds (the benchmark times the engines on it; the tests compare what each engine makes of it).
    Returns its mkdocs.yml."""
    job = one_job(root, edition, version, reports)
    return stage_job(job, folder)[0]


def one_job(root: Path, edition: str, version: str | None = None, reports: bool = False) -> Job:
    """The build's job for one (edition, version), checked as site_data says."""
    from .validate import check_all

    chosen = next((e for e in EDITIONS if e.name == edition), None)
    if chosen is None:
        raise UsageError(f"there is no '{edition}' edition (use {' or '.join(e.name for e in EDITIONS)})")
    checked = check_all(root)
    if has_errors(checked.diagnostics):
        errors = [d for d in checked.diagnostics if d.severity is Severity.error]
        raise GeneratorError(f"the plan has {len(errors)} error{'s' * (len(errors) != 1)}: fix "
                             f"{'it' if len(errors) == 1 else 'them'} first (improvement-plan validate)", errors)
    points = reporting_points(checked.frozen, checked.plan)
    published = [v.id for v in points.published]
    if version in (None, LATEST):
        latest = points.latest(chosen)
        if latest is None:
            raise GeneratorError("no reporting point has been published yet, and the public edition has only "
                                 "published points: publish one first, or give 'draft' with --edition staff")
        version = latest.id
    if version == DRAFT and not chosen.shows_draft:
        raise UsageError("the public edition has no draft: give a published point "
                         f"({', '.join(published) or 'none yet'}), or --edition staff for the draft")
    if version != DRAFT and version not in published:
        raise GeneratorError(f"there is no reporting point '{version}' (published: {', '.join(published) or 'none'}"
                             f"{'; or draft' if chosen.shows_draft else ''})")
    jobs = plan_jobs(root, Path(tempfile.gettempdir()), checked.frozen, checked.plan, points, {},
                     editor_settings(checked.site), None, reports)
    return next(j for j in jobs if j.edition is chosen and j.version.id == version)


def draft_job(root: Path, checked: Checked, engine: str = DEFAULT_ENGINE) -> Job:
    """The staff edition's draft, as the build would make it without its papers, from a plan already checked (and
    valid): the site the preview rebuilds on every save."""
    points = reporting_points(checked.frozen, checked.plan)
    staff = next(e for e in EDITIONS if e.shows_draft)
    jobs = plan_jobs(root, Path(tempfile.gettempdir()), checked.frozen, checked.plan, points, {},
                     editor_settings(checked.site), None, False, engine)
    return next(j for j in jobs if j.edition is staff and j.version.is_draft)


def write_placeholder_sitemap(site: Path, base: str) -> None:
    """Without a site_url MkDocs writes an empty sitemap, and Material's version selector then cannot keep
    the reader on the same page. Its matching uses only the paths, so placeholder addresses serve; set
    site_url in mkdocs.yml for real ones."""
    import gzip

    # os.walk, not rglob: a big plan's site has thousands of folders, and rglob took longer than the rest of this.
    pages = sorted(Path(folder).relative_to(site).as_posix() for folder, _, names in os.walk(site)
                   if "index.html" in names)
    urls = "".join(f"<url><loc>{base}{'' if p == '.' else p + '/'}</loc></url>\n" for p in pages)
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
           f"{urls}</urlset>\n").encode()
    (site / "sitemap.xml").write_bytes(xml)
    (site / "sitemap.xml.gz").write_bytes(gzip.compress(xml, mtime=0))


def _redirect(target: str) -> str:
    return (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Redirecting</title>\n'
            f'<meta http-equiv="refresh" content="0; url={target}">\n<link rel="canonical" href="{target}">\n'
            f'</head><body><p><a href="{target}">Go to the latest version</a></p></body></html>\n')


def engine_versions() -> str:
    """The installed versions of the engine that renders the pages: an upgrade changes every page."""
    from importlib.metadata import PackageNotFoundError, version

    def one(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "absent"

    return ";".join(f"{name}={one(name)}" for name in ENGINE)


def _source_hash(root: Path) -> str:
    # The package holds the packaged theme and guide; the plan's own theme and guide pages are layered over them.
    tree = _hash_tree([PACKAGE, root / THEME_DIR, plan_guide(root)])
    return hashlib.sha256(f"{tree};{engine_versions()}".encode()).hexdigest()


def source_key(root: Path, settings: EditorSettings, contact: AccessibilityContact | None, reports: bool,
               engine: str) -> str:
    """What every version's site depends on besides its own reporting point (and the ones before it): the tool and
    the plan's theme and guide, the editors' settings, the working plan's accessibility contact, the papers, the
    engine. Part of every cache key; the preview rebuilds the published versions only when it changes."""
    # The editors' settings key the cache as the checked values staging uses, not as mkdocs.yml's bytes.
    # So does the accessibility statement's contact, which every version shows from the working plan.
    return hashlib.sha256(f"{_source_hash(root)};{settings!r}"
                          f"{'' if contact is None else ';' + contact.model_dump_json()}"
                          f"{'' if reports else ';no-reports'};engine={engine}".encode()).hexdigest()


def reporting_points(frozen: list[Frozen], draft_plan: Plan) -> ReportingPoints:
    published = []
    for f in frozen:
        correction = "; ".join(f"{c.date.isoformat()}: {c.reason}" for c in f.meta.corrections)
        fingerprint = f.raw + json.dumps([f.meta.id, f.meta.title, f.meta.date.isoformat(), correction,
                                          f.meta.record_hash, f.meta.previous]).encode()
        published.append(Version(f.meta.id, f.meta.title, f.meta.date, correction=correction, fingerprint=fingerprint))
    assert draft_plan.info is not None
    return ReportingPoints(tuple(published), Version(DRAFT, DRAFT_TITLE, draft_plan.info.as_at, is_draft=True))


def listed_point(f: Frozen) -> Point:
    """A published point as the Reporting points page lists it, its corrections numbered as its Corrections page
    numbers them (a correction made in place, with no file of its own, is not on that page)."""
    number, fixes = 0, []
    for c in f.meta.corrections:
        number += bool(c.file)
        fixes.append(PointCorrection(c.date, c.reason, number if c.file else None))
    return Point(f.meta.id, f.meta.title, f.meta.date, corrections=tuple(fixes))


def plan_jobs(root: Path, tree: Path, frozen: list[Frozen], draft_plan: Plan, points: ReportingPoints,
              kept: dict[str, str], settings: EditorSettings, cache_dir: Path | None = None,
              reports: bool = True, engine: str = DEFAULT_ENGINE) -> list[Job]:
    """Every (edition, version) site to put in the new `tree`, and how to get it: link the one in the live tree
    (`kept`: its cache keys), link it from `cache_dir`, or build it (only then are its timelines and changes
    worked out). `reports` False: the sites have no reports or tracker (and their own cache keys, so that a full
    build never reuses one)."""
    assert draft_plan.info is not None
    contact = draft_plan.info.accessibility
    source = source_key(root, settings, contact, reports, engine)
    plans = {f.meta.id: f.plan for f in frozen}
    plans[DRAFT] = draft_plan
    order = {f.meta.id: i for i, f in enumerate(frozen)}
    # A version lists the points up to itself only: its cache key covers no later one (reporting.cache_keys).
    listed = [*(listed_point(f) for f in frozen), Point(DRAFT, DRAFT_TITLE, points.draft.date, is_draft=True)]
    jobs = []
    for edition in EDITIONS:
        keys = points.cache_keys(edition, source)
        versions = points.versions(edition)
        projected: list[tuple[Version, Plan]] = []

        def prior(i: int) -> list[tuple[Version, Plan]]:
            while len(projected) <= i:  # project versions only when a build needs their history
                v = versions[len(projected)]
                projected.append((v, project(plans[v.id], edition)))
            return projected[: i + 1]

        for i, version in enumerate(versions):
            key = keys.get(version.id)
            dest = tree / edition.name / version.id
            if key and kept.get(f"{edition.name}/{version.id}") == key:
                jobs.append(Job(root, edition, version, dest, key, "keep"))
                continue
            if key and cache_dir and (cache_dir / key / "index.html").exists():
                jobs.append(Job(root, edition, version, dest, key, "cache"))
                continue
            if not version.is_draft:  # what its pages say of it: record hashes, corrections item by item
                version = version_view(frozen[order[version.id]], edition.name, frozen[: order[version.id]])
            before = prior(i)
            timelines = history.timelines([("Draft (not yet reported)" if v.is_draft else v.title, v.date, p)
                                           for v, p in before])
            changes = history.changes_data(before[-2] if i else None, before[-1])
            since = tuple(Comparison(listed[j], history.changes_data(before[j], before[-1])) for j in range(i - 1))
            jobs.append(Job(root, edition, version, dest, key, "build", plans[version.id], timelines, changes,
                            settings, cache_dir, tuple(listed[: i + 1]), since, contact, reports, engine))
    return jobs


_NOT_PUBLISHED = ('<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Not yet published</title>'
                  "</head><body><main><h1>Not yet published</h1><p>No reporting point of this plan has been "
                  "published yet.</p></main></body></html>\n")


def assemble(tree: Path, live: Path | None, cache_dir: Path, jobs: list[Job], points: ReportingPoints) -> dict[str, str]:
    """Complete the new tree around its built version folders: link the unchanged ones from the live tree or the
    cache, then write each edition's versions.json, `latest` alias, index page and 404 page, and the root redirect
    and 404 page (the public edition's).
    Returns the cache key of every version folder (and `latest`) for the tree's keys file."""
    keys: dict[str, str] = {}
    for job in jobs:
        rel = f"{job.edition.name}/{job.version.id}"
        if job.cache_key:
            keys[rel] = job.cache_key
        if job.mode == "keep" and live is not None:
            link_tree(live / rel, job.dest)
        elif job.mode == "cache":
            link_tree(cache_dir / str(job.cache_key), job.dest)
    for edition in EDITIONS:
        base = tree / edition.name
        base.mkdir(parents=True, exist_ok=True)
        atomic_write(base / "versions.json", versions_json(points.entries(edition)))
        latest, home = points.latest(edition), "latest/"
        if latest is not None and not (base / latest.id).is_dir():  # the draft, which the preview builds apart
            latest, home = None, f"{DRAFT}/"
        if latest is not None:
            link_tree(base / latest.id, base / LATEST)
            if keys.get(f"{edition.name}/{latest.id}"):
                keys[f"{edition.name}/{LATEST}"] = keys[f"{edition.name}/{latest.id}"]
        atomic_write(base / "index.html", _redirect(home) if latest or home != "latest/" else _NOT_PUBLISHED)
        # A server sends one 404.html for any missing address (GitHub Pages: the edition's, as site/public is what
        # it serves). The latest point's is self-contained, with links from the server's root (theme/404.html).
        not_found = base / LATEST / "404.html"
        atomic_write(base / "404.html", not_found.read_bytes() if latest and not_found.is_file() else _NOT_PUBLISHED)
    atomic_write(tree / "index.html", _redirect("public/"))
    atomic_write(tree / "404.html", (tree / "public" / "404.html").read_bytes())
    return keys


def _worker_start() -> None:
    """Ctrl+C reaches every process of the terminal's group: the main process alone answers it, so the
    workers do not each print a traceback."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def build_sites(root: Path, out: Path, workers: int | None = None, reports: bool = True,
                engine: str = DEFAULT_ENGINE, drafts: bool = True) -> tuple[list[Diagnostic], dict]:
    """Validate plan and site settings, then build both editions of every version into a new tree that goes live
    in one step (`reports` False: without the progress reports and trackers, for a quick look; `drafts` False:
    without the draft, which the preview builds itself). The live site changes only if everything succeeds; an
    OSError on the way (disk full, read-only) is an OutputError naming the path and the reason, and leaves the live
    site as it was."""
    from .validate import check_all

    checked = check_all(root)
    plan, diags, frozen = checked.plan, checked.diagnostics, checked.frozen
    if has_errors(diags):
        return diags, {}
    settings = editor_settings(checked.site)
    points = reporting_points(frozen, plan)
    with Output.open(out) as output:
        tree = None
        try:
            tree = output.new_tree()
            jobs = plan_jobs(root, tree, frozen, plan, points, output.live_keys(), settings, output.cache_dir,
                             reports, engine)
            if not drafts:  # the preview builds the draft itself, incrementally (generator/live.py)
                jobs = [job for job in jobs if not job.version.is_draft]
            for job in jobs:
                job.dest.parent.mkdir(parents=True, exist_ok=True)
            to_build = [job for job in jobs if job.mode == "build"]
            workers = min(workers or os.cpu_count() or 1, len(to_build))
            if workers > 1:
                with ProcessPoolExecutor(max_workers=workers, initializer=_worker_start) as pool:
                    list(pool.map(run_job, to_build))
            else:
                for job in to_build:
                    run_job(job)
            fault("after-sites-built")
            keys = assemble(tree, output.live(), output.cache_dir, jobs, points)
            fault("after-tree-assembled")
            output.commit(tree, keys)
        except OSError as exc:
            if tree is not None:
                output.discard(tree)
            raise io_error(exc, output.path) from None
        except BaseException:
            if tree is not None:
                output.discard(tree)
            raise
        output.prune_cache(set(keys.values()))
    remove(root / OLD_CACHE_DIR)  # builds before this layout cached staff sites in the plan folder
    modes = [job.mode for job in jobs]
    stats = {"built": modes.count("build"), "cached": modes.count("cache"), "kept": modes.count("keep"),
             "jobs": len(jobs)}
    return diags, stats
