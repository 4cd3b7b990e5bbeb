"""Staging: one (edition, version) site as a plain MkDocs project (docs/, mkdocs.yml), from typed inputs only.

This is the one place where strings are handed to MkDocs and Material, and both treat them as HTML: page
titles (printed raw in <title>, the header and search results), navigation titles, the site name, the
footer, banners and version titles (Material's version selector inserts versions.json with innerHTML).
MkDocs' Jinja environment does not autoescape, so every such string is escaped here, once, by `html_text`.
A plain project (no plugin of ours) also builds unchanged on ProperDocs and Zensical.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import escape

from .project import Edition, banners
from .render import NavEntry, Page, page_url
from .reporting import Version, VersionEntry

# Pages the generator makes per item (and per earlier point compared); they are reached from the registers (and
# the Reporting points page), not the nav.
NOT_IN_NAV = "/changes/*\n/actions/*\n/recommendations/*\n/findings/*\n/measures/*\n/documents/*\n/themes/*\n"
DEFAULT_FEATURES = ["navigation.top", "search.highlight", "content.code.copy"]


def html_text(text: str) -> str:
    """Text as HTML that shows exactly that text, wherever MkDocs or Material prints it raw."""
    return str(escape(text))


def _escaped(value: Any) -> Any:
    """Every string in a settings value (an editor's `extra`), escaped; structure and other types kept."""
    if isinstance(value, str):
        return html_text(value)
    if isinstance(value, Mapping):
        return {k: _escaped(v) for k, v in value.items()}
    if isinstance(value, Sequence):
        return [_escaped(v) for v in value]
    return value


def _extra(extra: Mapping[str, Any]) -> dict[str, Any]:
    """The editors' `extra`, escaped for how Material prints each part: it escapes a social link's name itself
    (`title="{{ title | e }}"`), and prints everything else raw."""
    out = _escaped({k: v for k, v in extra.items() if k != "social"})
    if "social" in extra:
        out["social"] = [{k: (v if k == "name" else _escaped(v)) for k, v in link.items()} for link in extra["social"]]
    return out


@dataclass(frozen=True)
class EditorSettings:
    """The part of the staged mkdocs.yml that editors choose in their mkdocs.yml (already validated)."""

    theme: Mapping[str, Any]  # palette, features, language, logo, favicon
    extra: Mapping[str, Any]  # homepage, social
    copyright: str | None = None
    description: str | None = None
    site_url: str | None = None  # the address the site is served from, without the edition and version


@dataclass(frozen=True)
class Staged:
    files: dict[str, str]  # path under docs/ -> text
    config: dict[str, Any]  # mkdocs.yml


def page_text(page: Page) -> str:
    # JSON is valid YAML; ensure_ascii keeps every character an escape, so no character can break the front matter.
    latest = f"latest_url: {json.dumps(page_url(page.in_latest))}\n" if page.in_latest else ""  # main.html's link
    return f"---\ntitle: {json.dumps(html_text(page.title))}\nhide: [toc]\n{latest}---\n\n{page.body}"


def _nav(entries: Sequence[NavEntry]) -> list:
    return [{html_text(e.title): e.path if e.path is not None else _nav(e.children)} for e in entries]


def versions_json(entries: Sequence[VersionEntry]) -> str:
    """versions.json as mike writes it (mike reads ours); titles escaped, since Material inserts them as HTML."""
    return json.dumps([{"version": e.version, "title": html_text(e.title), "aliases": list(e.aliases)}
                       for e in entries], indent=1) + "\n"


def stage(*, site_name: str, vision: str, edition: Edition, version: Version, pages: Sequence[Page],
          nav: Sequence[NavEntry], files: Mapping[str, str], settings: EditorSettings, theme_dir: Path) -> Staged:
    """The docs and the mkdocs.yml of one site. Pure: the same inputs give the same project."""
    theme = {**settings.theme, "name": "material", "custom_dir": str(theme_dir), "font": False}
    theme.setdefault("language", "en")
    theme.setdefault("features", DEFAULT_FEATURES)
    extra = {**_extra(settings.extra),
             "generator": False,
             "version": {"provider": "mike", "default": "latest", "alias": True},
             "edition_label": html_text(edition.label),
             "draft": version.is_draft,
             "version_title": html_text(version.title),
             "banners": [{"kind": b.kind, "heading": html_text(b.heading), "text": html_text(b.text)}
                         for b in banners(edition, version.is_draft, version.correction)]}
    config: dict[str, Any] = {
        "site_name": html_text(site_name),
        "site_description": html_text(settings.description or vision[:150]),
        # Relative to the staged mkdocs.yml: Zensical requires site_dir within the project.
        "docs_dir": "docs", "site_dir": "site", "use_directory_urls": True,
        "theme": theme, "nav": _nav(nav), "not_in_nav": NOT_IN_NAV,
        "markdown_extensions": ["tables", "admonition", "pymdownx.superfences", {"toc": {"permalink": True}}],
        "plugins": ["search"],
        "extra": extra,
        "extra_css": ["assets/ip.css"],
        "extra_javascript": ["assets/ip.js"],
        "copyright": html_text(settings.copyright if settings.copyright is not None else site_name),
        "strict": True,
    }
    if settings.site_url:
        config["site_url"] = f"{settings.site_url.rstrip('/')}/{edition.name}/{version.id}/"
    docs = {page.path: page_text(page) for page in pages}
    docs.update(files)
    return Staged(docs, config)


def write_stage(staged: Staged, folder: Path) -> Path:
    """Write the project into `folder` (docs/ and mkdocs.yml); returns the mkdocs.yml path."""
    docs = folder / "docs"
    for rel, text in staged.files.items():
        target = docs / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    config = folder / "mkdocs.yml"
    config.write_text(json.dumps(staged.config, indent=1), encoding="utf-8")
    return config
