"""Building the sites: for every (edition, version) stage a plain MkDocs project and build it through MkDocs'
Python API, in parallel. A published version whose inputs have not changed is not rendered again: it stays
in the output, or is linked from the cache. Everything is built in a temporary folder first; only when all
of it succeeded are the new version folders renamed into the output, one atomic rename each.

Staging plain projects (rather than running as an MkDocs plugin) keeps the generator portable to
Zensical. The generator owns the nav: registers are in it, per-item pages are not.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from markupsafe import escape

from . import history
from .diagnostics import Diagnostic, has_errors
from .errors import GeneratorError, writing
from .guide import PAGES, guide_source, write_guide
from .loader import LoadError, load_yaml, read_text
from .project import EDITIONS, project
from .model import Plan
from .render import SiteData, Version, render_site
from .versions import Frozen

PACKAGE = Path(__file__).parent
GUIDE_NAV = [(f"guide/{name}", title) for name, title in PAGES]
THEME_DIR = "docs_theme"
DEFAULT_THEME = PACKAGE.parent / THEME_DIR  # the product's theme, used when a plan folder has none of its own
CACHE_DIR = ".cache/site"
DRAFT = "draft"
PLACEHOLDER_SITE = "https://site.invalid/"  # sitemap addresses when mkdocs.yml sets no site_url


@dataclass(frozen=True)
class Job:
    root: Path
    edition: str
    version: Version
    dest: Path
    timelines: dict
    changes: history.Changes | None
    cache_key: str | None
    mode: str  # "keep" (already in the output), "cache" (copy from the cache) or "build"
    plan: Plan | None = None  # the plan as read and validated by the main process (built jobs only)


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


def site_config(root: Path) -> dict:
    """The editors' mkdocs.yml (theme colours, features, copyright, site_url), read safely."""
    path = root / "mkdocs.yml"
    if not path.exists():
        return {}
    loaded = load_yaml(read_text(path, "mkdocs.yml"), "mkdocs.yml")
    if loaded.diags:
        raise LoadError(loaded.diags[0])
    return loaded.data if isinstance(loaded.data, dict) else {}


def _nav(data: SiteData) -> list:
    plan = data.plan
    t = lambda s: str(escape(s))  # noqa: E731  MkDocs does not escape nav titles
    nav: list = [{"Home": "index.md"},
                 {"Themes": [{"All themes": "themes/index.md"},
                             *[{t(f"{th.id}: {th.title}"): f"themes/{th.id}.md"} for th in plan.themes]]},
                 {"Actions": "actions/index.md"},
                 {"Recommendations": "recommendations/index.md"},
                 {"Measures": "measures/index.md"},
                 {"Gradings": "gradings.md"},
                 {"Documents": "documents/index.md"}]
    if data.edition == "staff":
        nav.append({"Risks": "risks.md"})
    if data.changes is not None:
        nav.append({"What changed": "changes.md"})
    about = [{"Data downloads": "downloads/index.md"}, {"Glossary": "glossary.md"},
             {"Accessibility": "accessibility.md"}]
    if data.edition == "staff":
        about.append({"Editor guide": [{title: path} for path, title in GUIDE_NAV]})
    nav.append({"About": about})
    return nav


def mkdocs_config(root: Path, data: SiteData) -> dict:
    user = site_config(root)
    info = data.plan.info
    theme = dict(user.get("theme") or {})
    theme.update({"name": "material", "custom_dir": str(theme_dir(root).resolve()), "font": False,
                  "language": theme.get("language", "en")})
    theme.setdefault("features", ["navigation.top", "search.highlight", "content.code.copy"])
    edition_label = "Staff edition" if data.edition == "staff" else "Public edition"
    extra = dict(user.get("extra") or {})
    extra.update({"generator": False, "version": {"provider": "mike", "default": "latest", "alias": True},
                  "edition": data.edition, "edition_label": edition_label,
                  "draft": data.version.is_draft, "correction": data.version.correction,
                  "version_title": data.version.title})
    cfg = {
        "site_name": str(escape(f"{info.organisation}: {info.title}")),
        "site_description": str(escape(info.vision[:150])),
        # Relative to the staged mkdocs.yml, inside the stage: Zensical requires site_dir within the project.
        "docs_dir": "docs", "site_dir": "site", "use_directory_urls": True,
        "theme": theme, "nav": _nav(data),
        "not_in_nav": "/actions/*\n/recommendations/*\n/measures/*\n/documents/*\n/themes/*\n",
        "markdown_extensions": ["tables", "admonition", "pymdownx.superfences", {"toc": {"permalink": True}}],
        "plugins": ["search"],
        "extra": extra,
        "extra_css": ["assets/ip.css"],
        "extra_javascript": ["assets/ip.js"],
        "copyright": str(escape(user.get("copyright", info.organisation))),
        "strict": False,
    }
    if user.get("site_url"):
        cfg["site_url"] = f"{str(user['site_url']).rstrip('/')}/{data.edition}/{data.version.id}/"
    return cfg


def _epoch(day: date) -> str:
    return str(int(datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp()))


def _engine_failure(exc: Exception, root: Path) -> GeneratorError:
    """MkDocs' own errors, and Jinja's while MkDocs renders our theme, said as the file and line to fix."""
    import traceback

    import jinja2

    theme = theme_dir(root).resolve()
    if isinstance(exc, jinja2.TemplateSyntaxError):
        name, line = exc.filename, exc.lineno
    elif isinstance(exc, jinja2.TemplateError):
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".html")]
        name, line = (frames[-1].filename, frames[-1].lineno) if frames else (None, 0)
    else:
        return GeneratorError(f"MkDocs stopped: {exc}; the output was not changed")
    what = exc.message or type(exc).__name__
    path = Path(name or "?")
    if path.is_relative_to(theme):
        return GeneratorError(f"the theme cannot be rendered: {path.relative_to(theme.parent).as_posix()}:{line}: "
                              f"{what}; fix the template in {theme.name}/ (the output was not changed)")
    return GeneratorError(f"MkDocs cannot render its template {path.name}:{line}: {what}; check the theme settings "
                          "in mkdocs.yml (the output was not changed)")


def run_job(job: Job) -> None:
    """Build one (edition, version) site into job.dest, and keep a copy in the cache if it is a published one."""
    import jinja2
    from mkdocs.exceptions import MkDocsException

    try:
        _run_job(job)
    except (MkDocsException, jinja2.TemplateError) as exc:
        raise _engine_failure(exc, job.root) from None


def _run_job(job: Job) -> None:
    cache = job.root / CACHE_DIR / job.cache_key if job.cache_key else None
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    os.environ["SOURCE_DATE_EPOCH"] = _epoch(job.version.date)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    for name in ("mkdocs", "material"):
        logging.getLogger(name).setLevel(logging.ERROR)
    plan = project(job.plan, job.edition)
    data = SiteData(plan, job.edition, job.version, timelines=job.timelines, changes=job.changes)
    # A self-contained MkDocs project (docs/, site/, mkdocs.yml) that Zensical builds unchanged too.
    with tempfile.TemporaryDirectory(prefix=".stage-", dir=job.dest.parent) as stage:
        stage_dir = Path(stage)
        docs = stage_dir / "docs"
        config_path = stage_dir / "mkdocs.yml"
        with writing(stage_dir):  # staging only: MkDocs' own errors (TemplateNotFound is an OSError) go below
            for rel, text in render_site(data).items():
                target = docs / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
            if job.edition == "staff":
                write_guide(docs, job.root)
            config_path.write_text(json.dumps(mkdocs_config(job.root, data), indent=1), "utf-8")
        config = load_config(config_file=str(config_path))
        mkdocs_build(config)
        os.replace(stage_dir / "site", job.dest)
    if not config.get("site_url"):
        write_placeholder_sitemap(job.dest, f"{PLACEHOLDER_SITE}{job.edition}/{job.version.id}/")
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


def _version_keys(source: str, edition: str, frozen: list[Frozen]) -> list[str]:
    """A cache key per published version: everything its pages depend on (itself and the versions before it,
    for its timelines and its changes page), the templates, theme and generator, and the edition."""
    chain = hashlib.sha256(f"{source}{edition}".encode())
    keys = []
    for f in frozen:
        correction = "; ".join(f"{c.date.isoformat()}: {c.reason}" for c in f.meta.corrections)
        chain.update(f.raw + json.dumps([f.meta.id, f.meta.title, correction]).encode())
        keys.append(chain.hexdigest())
    return keys


def plan_jobs(root: Path, tmp: Path, frozen: list[Frozen], draft_plan, kept: dict[str, str]) -> list[Job]:
    """Every (edition, version) site, and how to get it: keep the one already in the output, copy it from the
    cache, or build it (only then are its timelines and changes worked out)."""
    source = _source_hash(root)
    jobs = []
    for edition in EDITIONS:
        keys = _version_keys(source, edition, frozen)
        metas: list = [f.meta for f in frozen] + ([None] if edition == "staff" else [])
        points: list = []

        def point(i: int):
            while len(points) <= i:  # project versions only when a build needs their history
                j = len(points)
                points.append((metas[j], project(frozen[j].plan, edition) if metas[j] else draft_plan))
            return points[i]

        for i, meta in enumerate(metas):
            if meta is None:
                version, key = Version(DRAFT, "Draft: not yet reported", draft_plan.info.as_at, is_draft=True), None
            else:
                correction = "; ".join(f"{c.date.isoformat()}: {c.reason}" for c in meta.corrections)
                version, key = Version(meta.id, meta.title, meta.date, correction=correction), keys[i]
            dest = tmp / edition / version.id
            if key and kept.get(f"{edition}/{version.id}") == key:
                jobs.append(Job(root, edition, version, dest, {}, None, key, "keep"))
                continue
            if key and (root / CACHE_DIR / key / "index.html").exists():
                jobs.append(Job(root, edition, version, dest, {}, None, key, "cache"))
                continue
            prior = [point(j) for j in range(i + 1)]
            timelines = history.timelines([(m.title if m else "Draft (not yet reported)",
                                            m.date if m else p.info.as_at, p) for m, p in prior])
            changes = history.changes_data(prior[-2] if i else None, prior[-1])
            plan = frozen[i].plan if meta else draft_plan
            jobs.append(Job(root, edition, version, dest, timelines, changes, key, "build", plan))
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
    """The output folder cannot take the build."""


def _check_output(out: Path) -> None:
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / KEYS_FILE).exists())):
        raise OutputError(f"{out} holds files this tool did not build; choose an empty or new folder for --out")


def assemble(out: Path, tmp: Path, jobs: list[Job], published: list) -> dict[str, str]:
    """Move the new version folders into the output, one rename each, then the aliases and indexes.
    Everything was built before this runs, so a failed build never touches the output."""
    trash = tmp / ".replaced"
    trash.mkdir()
    old_keys = _read_keys(out)
    keys: dict[str, str] = {}
    for n, job in enumerate(jobs):
        rel = f"{job.edition}/{job.version.id}"
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
        base = out / edition
        base.mkdir(parents=True, exist_ok=True)
        ids = [j.version.id for j in jobs if j.edition == edition]
        newest_first = [v for v in reversed(published)]
        entries = [{"version": v.id, "title": v.title, "aliases": ["latest"] if i == 0 else []}
                   for i, v in enumerate(newest_first)]
        if DRAFT in ids:
            entries.insert(0, {"version": DRAFT, "title": "Draft: not yet reported", "aliases": []})
        for stale in base.iterdir():
            if stale.name not in {*ids, "latest", "versions.json", "index.html"}:
                os.replace(stale, trash / f"{edition}-{stale.name}")
        _write(base / "versions.json", json.dumps(entries, indent=1) + "\n")
        target = newest_first[0].id if newest_first else (DRAFT if DRAFT in ids else None)
        latest_key = keys.get(f"{edition}/{target}")
        if target is None:
            if (base / "latest").exists():
                os.replace(base / "latest", trash / f"{edition}-latest")
        elif not latest_key or old_keys.get(f"{edition}/latest") != latest_key:
            link_tree(base / target, tmp / f"{edition}-latest")
            if (base / "latest").exists():
                os.replace(base / "latest", trash / f"{edition}-old-latest")
            os.replace(tmp / f"{edition}-latest", base / "latest")
        if latest_key:
            keys[f"{edition}/latest"] = latest_key
        _write(base / "index.html", _redirect("latest/") if target else _NOT_PUBLISHED)
    _write(out / "index.html", _redirect("public/"))
    _write(out / KEYS_FILE, json.dumps({"format": 1, "dirs": keys}, indent=1, sort_keys=True) + "\n")
    return keys


def _worker_start() -> None:
    """Ctrl+C reaches every process of the terminal's group: the main process alone answers it, so the
    workers do not each print a traceback."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def prune_cache(root: Path, keep: set[str]) -> None:
    """Drop cached sites no current version uses (old templates, corrected snapshots)."""
    cache = root / CACHE_DIR
    for entry in cache.iterdir() if cache.is_dir() else []:
        if entry.name not in keep:
            shutil.rmtree(entry, ignore_errors=True)


def build_sites(root: Path, out: Path, workers: int | None = None) -> tuple[list[Diagnostic], dict]:
    """Validate, then build both editions of every version. The output changes only if everything succeeds."""
    from .validate import validate_all

    plan, diags, frozen = validate_all(root)
    if has_errors(diags):
        return diags, {}
    out = out.resolve()
    _check_output(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    try:
        jobs = plan_jobs(root, tmp, frozen, plan, _read_keys(out))
        for job in jobs:
            job.dest.parent.mkdir(parents=True, exist_ok=True)
            if job.mode == "cache":
                link_tree(root / CACHE_DIR / job.cache_key, job.dest)
        to_build = [job for job in jobs if job.mode == "build"]
        workers = min(workers or os.cpu_count() or 1, len(to_build))
        if workers > 1:
            with ProcessPoolExecutor(max_workers=workers, initializer=_worker_start) as pool:
                list(pool.map(run_job, to_build))
        else:
            for job in to_build:
                run_job(job)
        out.mkdir(exist_ok=True)
        keys = assemble(out, tmp, jobs, [f.meta for f in frozen])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    prune_cache(root, {k for k in keys.values()})
    modes = [job.mode for job in jobs]
    stats = {"built": modes.count("build"), "cached": modes.count("cache"), "kept": modes.count("keep"),
             "jobs": len(jobs)}
    return diags, stats
