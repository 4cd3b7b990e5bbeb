"""Building the sites, as the pipeline runs: validate plan and site settings (main process), work out the
reporting points and which (edition, version) sites need building, render and stage each as a plain MkDocs
project and build it through the engine in parallel workers, then put the output live in one step.

A published version whose inputs have not changed is not rendered again: it stays in the output, or is
linked from the cache. Staging plain projects (rather than running as an MkDocs plugin) keeps the generator
portable to Zensical. The generator owns the nav: registers are in it, per-item pages are not.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from . import history
from .diagnostics import Diagnostic, has_errors
from .engine import build_project
from .errors import GeneratorError
from .guide import guide_pages, guide_source
from .model import Plan
from .project import EDITIONS, Edition, project
from .render import SiteData, render_site
from .reporting import DRAFT, DRAFT_TITLE, LATEST, ReportingPoints, Version
from .site_config import SiteConfig
from .stage import EditorSettings, stage, versions_json, write_stage
from .versions import Frozen

PACKAGE = Path(__file__).parent
THEME_DIR = "docs_theme"
DEFAULT_THEME = PACKAGE.parent / THEME_DIR  # the product's theme, used when a plan folder has none of its own
CACHE_DIR = ".cache/site"
PLACEHOLDER_SITE = "https://site.invalid/"  # sitemap addresses when mkdocs.yml sets no site_url


@dataclass(frozen=True)
class Job:
    """One (edition, version) site, and how to get it."""

    root: Path
    edition: Edition
    version: Version
    dest: Path
    cache_key: str | None
    mode: str  # "keep" (already in the output), "cache" (copy from the cache) or "build"
    plan: Plan | None = None  # the plan as read and validated by the main process (built jobs only)
    timelines: dict | None = None
    changes: history.Changes | None = None
    settings: EditorSettings | None = None


def theme_dir(root: Path) -> Path:
    own = root / THEME_DIR
    return own if own.is_dir() else DEFAULT_THEME


def _hash_tree(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for base in paths:
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


def _epoch(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp())


def run_job(job: Job) -> None:
    """Render, stage and build one (edition, version) site into job.dest; keep a copy in the cache if published."""
    assert job.plan is not None and job.settings is not None
    cache = job.root / CACHE_DIR / job.cache_key if job.cache_key else None
    plan = project(job.plan, job.edition)
    data = SiteData(plan, job.edition, job.version, timelines=job.timelines or {}, changes=job.changes)
    rendered = render_site(data)
    pages = rendered.pages + (guide_pages(job.root) if job.edition.shows_guide else [])
    info = plan.info
    assert info is not None
    themes = theme_dir(job.root).resolve()
    staged = stage(site_name=f"{info.organisation}: {info.title}", vision=info.vision, edition=job.edition,
                   version=job.version, pages=pages, nav=rendered.nav, files=rendered.files,
                   settings=job.settings, theme_dir=themes)
    # A self-contained MkDocs project (docs/, site/, mkdocs.yml) that Zensical builds unchanged too.
    with tempfile.TemporaryDirectory(prefix=".stage-", dir=job.dest.parent) as folder:
        build_project(write_stage(staged, Path(folder)), themes, _epoch(job.version.date))
        os.replace(Path(folder) / "site", job.dest)
    if not staged.config.get("site_url"):
        write_placeholder_sitemap(job.dest, f"{PLACEHOLDER_SITE}{job.edition.name}/{job.version.id}/")
    if cache and not cache.exists():
        part = cache.with_name(cache.name + f".part{os.getpid()}")
        shutil.rmtree(part, ignore_errors=True)
        link_tree(job.dest, part)
        os.replace(part, cache)


def write_placeholder_sitemap(site: Path, base: str) -> None:
    """Without a site_url MkDocs writes an empty sitemap, and Material's version selector then cannot keep
    the reader on the same page. Its matching uses only the paths, so placeholder addresses serve; set
    site_url in mkdocs.yml for real ones."""
    import gzip

    pages = sorted(p.parent.relative_to(site).as_posix() for p in site.rglob("index.html"))
    urls = "".join(f"<url><loc>{base}{'' if p == '.' else p + '/'}</loc></url>\n" for p in pages)
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
           f"{urls}</urlset>\n").encode()
    (site / "sitemap.xml").write_bytes(xml)
    (site / "sitemap.xml.gz").write_bytes(gzip.compress(xml, mtime=0))


def _redirect(target: str) -> str:
    return (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Redirecting</title>\n'
            f'<meta http-equiv="refresh" content="0; url={target}">\n<link rel="canonical" href="{target}">\n'
            f'</head><body><p><a href="{target}">Go to the latest version</a></p></body></html>\n')


def _source_hash(root: Path) -> str:
    return _hash_tree([PACKAGE, theme_dir(root), root / "mkdocs.yml", guide_source(root)])


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)  # cached sites never change, so sharing their files is safe and fast
    except OSError:
        shutil.copy2(src, dst)


def link_tree(src: Path, dest: Path) -> None:
    shutil.copytree(src, dest, copy_function=_link_or_copy)


def reporting_points(frozen: list[Frozen], draft_plan: Plan) -> ReportingPoints:
    published = []
    for f in frozen:
        correction = "; ".join(f"{c.date.isoformat()}: {c.reason}" for c in f.meta.corrections)
        fingerprint = f.raw + json.dumps([f.meta.id, f.meta.title, f.meta.date.isoformat(), correction]).encode()
        published.append(Version(f.meta.id, f.meta.title, f.meta.date, correction=correction, fingerprint=fingerprint))
    assert draft_plan.info is not None
    return ReportingPoints(tuple(published), Version(DRAFT, DRAFT_TITLE, draft_plan.info.as_at, is_draft=True))


def plan_jobs(root: Path, tmp: Path, frozen: list[Frozen], draft_plan: Plan, points: ReportingPoints,
              kept: dict[str, str], settings: EditorSettings) -> list[Job]:
    """Every (edition, version) site, and how to get it: keep the one already in the output, copy it from the
    cache, or build it (only then are its timelines and changes worked out)."""
    source = _source_hash(root)
    plans = {f.meta.id: f.plan for f in frozen}
    plans[DRAFT] = draft_plan
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
            dest = tmp / edition.name / version.id
            if key and kept.get(f"{edition.name}/{version.id}") == key:
                jobs.append(Job(root, edition, version, dest, key, "keep"))
                continue
            if key and (root / CACHE_DIR / key / "index.html").exists():
                jobs.append(Job(root, edition, version, dest, key, "cache"))
                continue
            before = prior(i)
            timelines = history.timelines([("Draft (not yet reported)" if v.is_draft else v.title, v.date, p)
                                           for v, p in before])
            changes = history.changes_data(before[-2] if i else None, before[-1])
            jobs.append(Job(root, edition, version, dest, key, "build", plans[version.id], timelines, changes,
                            settings))
    return jobs


KEYS_FILE = ".build-keys.json"  # in the output: the cache key each version folder was built from
_NOT_PUBLISHED = ('<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Not yet published</title>'
                  "</head><body><main><h1>Not yet published</h1><p>No reporting point of this plan has been "
                  "published yet.</p></main></body></html>\n")


def _write(path: Path, text: str) -> None:
    """Write a file by renaming a finished copy over it, so readers never see half of it."""
    part = path.with_name(path.name + ".part")
    part.write_text(text, encoding="utf-8")
    os.replace(part, path)


def _read_keys(out: Path) -> dict[str, str]:
    try:
        data = json.loads((out / KEYS_FILE).read_text(encoding="utf-8"))
        return {k: v for k, v in data.get("dirs", {}).items() if (out / k).is_dir()}
    except (OSError, ValueError, AttributeError):
        return {}


class OutputError(GeneratorError):
    pass


def _check_output(out: Path) -> None:
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / KEYS_FILE).exists())):
        raise OutputError(f"{out} holds files this tool did not build; choose an empty or new folder for --out")


def assemble(out: Path, tmp: Path, jobs: list[Job], points: ReportingPoints) -> dict[str, str]:
    """Move the new version folders into the output, one rename each, then the aliases and indexes.
    Everything was built before this runs, so a failed build never touches the output."""
    trash = tmp / ".replaced"
    trash.mkdir()
    old_keys = _read_keys(out)
    keys: dict[str, str] = {}
    for n, job in enumerate(jobs):
        rel = f"{job.edition.name}/{job.version.id}"
        if job.cache_key:
            keys[rel] = job.cache_key
        if job.mode == "keep":
            continue
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            os.replace(target, trash / str(n))
        os.replace(job.dest, target)
    for edition in EDITIONS:
        base = out / edition.name
        base.mkdir(parents=True, exist_ok=True)
        ids = [v.id for v in points.versions(edition)]
        for stale in base.iterdir():
            if stale.name not in {*ids, LATEST, "versions.json", "index.html"}:
                os.replace(stale, trash / f"{edition.name}-{stale.name}")
        _write(base / "versions.json", versions_json(points.entries(edition)))
        latest = points.latest(edition)
        target = latest.id if latest else None
        latest_key = keys.get(f"{edition.name}/{target}")
        if target is None:
            if (base / "latest").exists():
                os.replace(base / "latest", trash / f"{edition.name}-latest")
        elif not latest_key or old_keys.get(f"{edition.name}/latest") != latest_key:
            link_tree(base / target, tmp / f"{edition.name}-latest")
            if (base / "latest").exists():
                os.replace(base / "latest", trash / f"{edition.name}-old-latest")
            os.replace(tmp / f"{edition.name}-latest", base / "latest")
        if latest_key:
            keys[f"{edition.name}/latest"] = latest_key
        _write(base / "index.html", _redirect("latest/") if target else _NOT_PUBLISHED)
    _write(out / "index.html", _redirect("public/"))
    _write(out / KEYS_FILE, json.dumps({"format": 1, "dirs": keys}, indent=1, sort_keys=True) + "\n")
    return keys


def prune_cache(root: Path, keep: set[str]) -> None:
    """Drop cached sites no current version uses (old templates, corrected snapshots)."""
    cache = root / CACHE_DIR
    for entry in cache.iterdir() if cache.is_dir() else []:
        if entry.name not in keep:
            shutil.rmtree(entry, ignore_errors=True)


def build_sites(root: Path, out: Path, workers: int | None = None) -> tuple[list[Diagnostic], dict]:
    """Validate, then build both editions of every version. The output changes only if everything succeeds."""
    from .validate import check_all

    checked = check_all(root)
    plan, diags, frozen = checked.plan, checked.diagnostics, checked.frozen
    if has_errors(diags):
        return diags, {}
    out = out.resolve()
    _check_output(out)
    settings = editor_settings(checked.site)
    points = reporting_points(frozen, plan)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    try:
        jobs = plan_jobs(root, tmp, frozen, plan, points, _read_keys(out), settings)
        for job in jobs:
            job.dest.parent.mkdir(parents=True, exist_ok=True)
            if job.mode == "cache":
                link_tree(root / CACHE_DIR / job.cache_key, job.dest)
        to_build = [job for job in jobs if job.mode == "build"]
        workers = min(workers or os.cpu_count() or 1, len(to_build))
        if workers > 1:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                list(pool.map(run_job, to_build))
        else:
            for job in to_build:
                run_job(job)
        out.mkdir(exist_ok=True)
        keys = assemble(out, tmp, jobs, points)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    prune_cache(root, {k for k in keys.values()})
    modes = [job.mode for job in jobs]
    stats = {"built": modes.count("build"), "cached": modes.count("cache"), "kept": modes.count("keep"),
             "jobs": len(jobs)}
    return diags, stats
