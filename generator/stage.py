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
from urllib.parse import urlsplit

from markupsafe import escape

from .present import fmt_date
from .project import Edition, banners
from .render import NavEntry, Page, page_url
from .reporting import Version, VersionEntry

# Pages the generator makes per item (and per earlier point compared); they are reached from the registers (and
# the Reporting points page), not the nav.
NOT_IN_NAV = "/changes/*\n/actions/*\n/recommendations/*\n/findings/*\n/measures/*\n/documents/*\n/themes/*\n"
PRINT_CSS = "assets/ip-print-id.css"  # the running header and footer of printed pages (print_styles)
DEFAULT_FEATURES = ["navigation.top", "search.highlight", "content.code.copy"]


def html_text(text: str) -> str:
    """Text as HTML that shows exactly that text, wherever MkDocs or Material prints it raw."""
    return str(escape(text))


def css_string(text: str) -> str:
    """Text as a quoted CSS string that shows exactly that text: every character but ASCII letters and digits as a
    hex escape, so no quote, backslash, newline or `</style>` can end it. Each escape ends with the one space CSS
    takes as its terminator, so a space after it is kept."""
    return '"' + "".join(c if c.isascii() and c.isalnum() else f"\\{ord(c):x} " for c in text) + '"'


def edition_root(site_url: str | None, edition: Edition) -> str:
    """The path an edition's folder is served from, for links that must work at any depth (the 404 pages).
    The public edition is served at site_url (the publish workflow puts site/public on GitHub Pages); otherwise
    both editions are where `make view` serves them, under the output's root."""
    if site_url and edition.name == "public":
        path = urlsplit(site_url).path
        return path if path.endswith("/") else path + "/"
    return f"/{edition.name}/"


def print_edition(edition: Edition) -> str:
    """How a printed page names its edition: an edition with a staff notice is not for publication."""
    return f"{edition.label}: not for publication" if edition.banner else edition.label


def page_address(site_url: str | None, edition: Edition, version: Version) -> str:
    """The address a printed page of this site shows before its own path: only the public edition has one
    (site_url); the staff edition's host is not known to the generator."""
    if not site_url or edition.name != "public":
        return ""
    parts = urlsplit(site_url)
    return f"{parts.scheme}://{parts.netloc}{edition_root(site_url, edition)}{version.id}/"


def print_styles(site_name: str, edition: Edition, version: Version) -> str:
    """The running header and footer of every printed page, as @page margin boxes (Chromium prints them on each
    sheet, in the margin, so they never cover the content); the page's first lines carry the notices in full."""
    notices = " · ".join(print_edition(edition) if b.kind == "staff" else b.heading.rstrip(".")
                         for b in banners(edition, version.is_draft, version.correction))
    # The date's spaces do not break, so a narrow margin never splits it over two lines.
    point = f"{print_edition(edition)} · {version.title} · {fmt_date(version.date).replace(' ', chr(0xA0))}"
    box = "font: 8pt system-ui, sans-serif; color: #000;"
    boxes = [f"@top-left {{ content: {css_string(site_name)}; {box} padding-right: 6mm; }}",
             f"@top-right {{ content: {css_string(point)}; {box} text-align: right; padding-left: 6mm; }}",
             f'@bottom-right {{ content: "Page " counter(page) " of " counter(pages); {box} }}']
    if notices:
        boxes.append(f"@bottom-left {{ content: {css_string(notices)}; {box} font-weight: 700; }}")
    return ("/* Generated for one (edition, version) site: the running header and footer of printed pages. */\n"
            "@page {\n  margin: 18mm 14mm 16mm;\n" + "".join(f"  {b}\n" for b in boxes) + "}\n")


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
    files: dict[str, str | bytes]  # path under docs/ -> text, or bytes for a binary file (a report)
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
          nav: Sequence[NavEntry], files: Mapping[str, str | bytes], settings: EditorSettings, theme_dir: Path) -> Staged:
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
                         for b in banners(edition, version.is_draft, version.correction)],
             # What every page says it is, in the browser tab and on paper (issue 11 part 1); escaped here once.
             "identity": {"edition": html_text(print_edition(edition)), "date": html_text(fmt_date(version.date)),
                       "tab_edition": html_text(edition.label) if edition.banner else "",
                       "address": html_text(page_address(settings.site_url, edition, version))},
             "not_found": {"home": html_text(f"{edition_root(settings.site_url, edition)}{version.id}/"),
                           "latest": html_text(f"{edition_root(settings.site_url, edition)}latest/")}}
    config: dict[str, Any] = {
        "site_name": html_text(site_name),
        "site_description": html_text(settings.description or vision[:150]),
        # Relative to the staged mkdocs.yml: Zensical requires site_dir within the project.
        "docs_dir": "docs", "site_dir": "site", "use_directory_urls": True,
        "theme": theme, "nav": _nav(nav), "not_in_nav": NOT_IN_NAV,
        "markdown_extensions": ["tables", "admonition", "pymdownx.superfences", {"toc": {"permalink": True}}],
        "plugins": ["search"],
        "extra": extra,
        "extra_css": ["assets/ip.css", PRINT_CSS],
        "extra_javascript": ["assets/ip.js"],
        "copyright": html_text(settings.copyright if settings.copyright is not None else site_name),
        "strict": True,
    }
    # site_url is where the public edition is served (the publish workflow puts site/public there), so its pages'
    # canonical and sitemap addresses are site_url/<version>/; the staff edition's host is not known here.
    if settings.site_url and edition.name == "public":
        config["site_url"] = f"{settings.site_url.rstrip('/')}/{version.id}/"
    docs = {page.path: page_text(page) for page in pages}
    docs.update(files)
    docs[PRINT_CSS] = print_styles(site_name, edition, version)
    return Staged(docs, config)


def write_stage(staged: Staged, folder: Path) -> Path:
    """Write the project into `folder` (docs/ and mkdocs.yml); returns the mkdocs.yml path."""
    docs = folder / "docs"
    for rel, text in staged.files.items():
        target = docs / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            target.write_bytes(text)
        else:
            target.write_text(text, encoding="utf-8")
    config = folder / "mkdocs.yml"
    config.write_text(json.dumps(staged.config, indent=1), encoding="utf-8")
    return config
