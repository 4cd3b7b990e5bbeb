"""Building the sites: for every (edition, version) stage a plain MkDocs project and build it through MkDocs'
Python API, in parallel, reusing unchanged versions from a cache; then swap the output in atomically.

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
from .guide import PAGES, guide_source, write_guide
from .loader import LoadError, load_yaml, read_text
from .project import EDITIONS, project
from .render import SiteData, Version, render_site
from .versions import Frozen, load_published, read_manifest

PACKAGE = Path(__file__).parent
GUIDE_NAV = [(f"guide/{name}", title) for name, title in PAGES]
THEME_DIR = "docs_theme"
DEFAULT_THEME = PACKAGE.parent / THEME_DIR  # the product's theme, used when a plan folder has none of its own
CACHE_DIR = ".cache/site"
DRAFT = "draft"


@dataclass(frozen=True)
class Job:
    root: Path
    edition: str
    version: Version
    dest: Path
    timelines: dict
    changes: history.Changes | None
    versions_ids: tuple[str, ...]
    cache_key: str | None


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


def mkdocs_config(root: Path, data: SiteData, docs: Path, site: Path) -> dict:
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
        "docs_dir": str(docs), "site_dir": str(site), "use_directory_urls": True,
        "theme": theme, "nav": _nav(data),
        "not_in_nav": "/actions/*\n/recommendations/*\n/measures/*\n/documents/*\n/themes/*\n",
        "markdown_extensions": ["tables", "admonition", "attr_list", "md_in_html", {"toc": {"permalink": True}}],
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


def _load_plan(job: Job):
    from .validate import validate

    if job.version.is_draft:
        plan, _ = validate(job.root)
        plan.info = plan.info.model_copy()
        return plan
    meta = next(v for v in read_manifest(job.root) if v.id == job.version.id)
    return load_published(job.root, meta).plan


def run_job(job: Job) -> str:
    """Build one (edition, version) site into job.dest; returns 'built' or 'cached'."""
    cache = job.root / CACHE_DIR / job.cache_key if job.cache_key else None
    if cache and (cache / "index.html").exists():
        shutil.copytree(cache, job.dest)
        return "cached"
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    os.environ["SOURCE_DATE_EPOCH"] = _epoch(job.version.date)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    for name in ("mkdocs", "material"):
        logging.getLogger(name).setLevel(logging.ERROR)
    plan = project(_load_plan(job), job.edition)
    data = SiteData(plan, job.edition, job.version, timelines=job.timelines, changes=job.changes)
    with tempfile.TemporaryDirectory(prefix="ip-stage-") as stage:
        stage_dir = Path(stage)
        docs = stage_dir / "docs"
        for rel, text in render_site(data).items():
            target = docs / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        if job.edition == "staff":
            write_guide(docs, job.root)
        config_path = stage_dir / "mkdocs.yml"
        config_path.write_text(json.dumps(mkdocs_config(job.root, data, docs, job.dest), indent=1), "utf-8")
        config = load_config(config_file=str(config_path))
        mkdocs_build(config)
    if not config.get("site_url"):
        write_placeholder_sitemap(job.dest, f"{PLACEHOLDER_SITE}{job.edition}/{job.version.id}/")
    if cache:
        tmp = cache.with_name(cache.name + f".tmp{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.copytree(job.dest, tmp)
        os.replace(tmp, cache) if not cache.exists() else shutil.rmtree(tmp)
    return "built"


PLACEHOLDER_SITE = "https://site.invalid/"


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


def plan_jobs(root: Path, out: Path, frozen: list[Frozen], draft_plan) -> tuple[list[Job], dict]:
    """Every (edition, version) to build, with the history data each needs and its cache key."""
    source = _source_hash(root)
    jobs, listing = [], {}
    for edition in EDITIONS:
        points = [(f.meta, project(f.plan, edition)) for f in frozen]
        if edition == "staff":
            points.append((None, draft_plan))
        listing[edition] = [f.meta for f in frozen]
        key_chain = hashlib.sha256(f"{source}{edition}".encode())
        for i, (meta, plan) in enumerate(points):
            prior = points[: i + 1]
            timelines = history.timelines([(m.title if m else "Draft (not yet reported)",
                                            m.date if m else plan.info.as_at, p) for m, p in prior])
            previous = points[i - 1] if i else None
            changes = history.changes_data(previous, (meta, plan))
            if meta is None:
                version = Version(DRAFT, "Draft: not yet reported", plan.info.as_at, is_draft=True)
                key = None
            else:
                correction = "; ".join(f"{c.date.isoformat()}: {c.reason}" for c in meta.corrections)
                version = Version(meta.id, meta.title, meta.date, correction=correction)
                key_chain.update(frozen[i].raw + json.dumps([meta.id, meta.title, correction]).encode())
                key = key_chain.hexdigest()
            jobs.append(Job(root, edition, version, out / edition / version.id, timelines, changes,
                            tuple(m.id for m in listing[edition]), key))
    return jobs, listing


def write_version_index(out: Path, edition: str, published: list, has_draft: bool) -> None:
    """versions.json in mike's format, a `latest` alias, and a root page that redirects to latest."""
    newest_first = list(reversed(published))
    entries = [{"version": v.id, "title": v.title, "aliases": ["latest"] if i == 0 else []}
               for i, v in enumerate(newest_first)]
    if has_draft:
        entries.insert(0, {"version": DRAFT, "title": "Draft: not yet reported", "aliases": []})
    base = out / edition
    base.mkdir(parents=True, exist_ok=True)
    (base / "versions.json").write_text(json.dumps(entries, indent=1) + "\n", encoding="utf-8")
    target = newest_first[0].id if newest_first else (DRAFT if has_draft else None)
    if target:
        shutil.copytree(base / target, base / "latest")
        (base / "index.html").write_text(_redirect("latest/"), encoding="utf-8")
    else:
        (base / "index.html").write_text(
            '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Not yet published</title></head>'
            "<body><main><h1>Not yet published</h1><p>No reporting point of this plan has been published yet."
            "</p></main></body></html>\n", encoding="utf-8")


def swap_in(tmp: Path, out: Path) -> None:
    """Replace `out` with the finished build in one rename, keeping the old one until it succeeds."""
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    if out.exists():
        os.replace(out, old)
    os.replace(tmp, out)
    shutil.rmtree(old, ignore_errors=True)


def build_sites(root: Path, out: Path, workers: int | None = None) -> tuple[list[Diagnostic], dict]:
    """Validate, then build both editions of every version. Output appears only if everything succeeds."""
    from .validate import validate_all

    plan, diags, frozen = validate_all(root)
    if has_errors(diags):
        return diags, {}
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    try:
        jobs, listing = plan_jobs(root, tmp, frozen, plan)
        for job in jobs:
            job.dest.parent.mkdir(parents=True, exist_ok=True)
        workers = workers or min(len(jobs), os.cpu_count() or 1)
        if workers > 1:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                results = list(pool.map(run_job, jobs))
        else:
            results = [run_job(job) for job in jobs]
        for edition in EDITIONS:
            write_version_index(tmp, edition, listing[edition], has_draft=edition == "staff")
        (tmp / "index.html").write_text(_redirect("public/"), encoding="utf-8")
        swap_in(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    stats = {"built": results.count("built"), "cached": results.count("cached"), "jobs": len(jobs)}
    return diags, stats
