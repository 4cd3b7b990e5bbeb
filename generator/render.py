"""Rendering a projected plan into the pages and data files of one site edition.

Pages are written as Markdown files whose body is HTML produced by autoescaped Jinja templates,
so editors' words can never become markup or a template. Editors' Markdown documents are the one
place Markdown is converted, and that output is sanitised with nh3 against an allowlist.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import posixpath
import threading
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property

import markdown
import nh3
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from . import accessibility, charts, home, present, registers
from .model import (
    AccessibilityContact,
    Action,
    Audience,
    Commitment,
    Document,
    DocumentKind,
    Finding,
    DueState,
    Grade,
    Intervention,
    Grading,
    Item,
    MEANINGS,
    MeasureValue,
    Plan,
    Recommendation,
    Status,
    Terms,
    Theme,
    Timescale,
    period_bounds,
)
from .glossary import glossary
from .markdown_safety import remote_address
from .guide import PAGES as GUIDE_PAGES
from .guide import GuidePage
from .history import SECTION_ORDER, Changes
from .project import Edition
from .reporting import Comparison, Point, Version
from .slips import slip_text
from .snapshot_format import plan_to_data

ALLOWED_TAGS = {"p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "a", "strong", "em", "code", "pre", "blockquote",
                "table", "thead", "tbody", "tr", "th", "td", "hr", "br", "div", "span", "img", "dl", "dt", "dd",
                "abbr", "sup", "sub", "details", "summary"}
ALLOWED_ATTRS = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "div": {"class"}, "p": {"class"},
                 "span": {"class"}, "th": {"align"}, "td": {"align"}, "abbr": {"title"},
                 **{f"h{n}": {"id"} for n in range(2, 7)}}


def _no_remote_images(tag: str, attribute: str, value: str) -> str | None:
    """nh3's attribute filter: an image from another host is dropped (its alt text stays), so that no page makes
    its readers' browsers call a third party, even if validation was skipped. Links to other sites stay."""
    return None if tag == "img" and attribute == "src" and remote_address(value) else value


_CONVERTERS = threading.local()  # one Markdown converter per thread: making one costs more than most conversions


@functools.lru_cache(maxsize=4096)
def sanitise_markdown(text: str) -> str:
    """Editors' Markdown as safe HTML: allowlisted tags and attributes, http(s)/mailto or relative links only, and
    images only from the site itself. A pure function of the text, remembered: the preview renders the same
    documents and guide pages on every save."""
    md = getattr(_CONVERTERS, "md", None)
    if md is None:
        md = _CONVERTERS.md = markdown.Markdown(extensions=["tables", "admonition", "sane_lists", "toc", "def_list",
                                                            "abbr", "fenced_code"], output_format="html")
    try:
        html = md.reset().convert(text)  # reset: nothing of one document (abbreviations, ids) reaches the next
    except BaseException:  # a conversion cut short (RecursionError) leaves the converter half-way: start afresh
        del _CONVERTERS.md
        raise
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRS, url_schemes={"http", "https", "mailto"},
                     link_rel="noopener noreferrer", attribute_filter=_no_remote_images)


# --- where things live ----------------------------------------------------------------------


def page_url(path: str) -> str:
    """The directory URL MkDocs gives a page (use_directory_urls), or a file's own path."""
    if not path.endswith(".md"):
        return path
    if path == "index.md":
        return ""
    if path.endswith("/index.md"):
        return path[: -len("index.md")]
    return path[:-3] + "/"


def relative(target: str, current: str) -> str:
    """A link from the page `current` to `target` (a page path, a file path, possibly with #anchor)."""
    target, _, anchor = target.partition("#")
    here = page_url(current).rstrip("/") or "."
    there = page_url(target)
    is_dir = there == "" or there.endswith("/")
    rel = _relpath(there.rstrip("/") or ".", here)
    if is_dir:
        rel = "./" if rel == "." else rel + "/"
    return rel + (f"#{anchor}" if anchor else "")


def _relpath(path: str, start: str) -> str:
    """posixpath.relpath for the site's relative paths, without asking the OS for the working directory on every
    link (a page of a big plan has thousands)."""
    there = [p for p in path.split("/") if p not in ("", ".")]
    here = [p for p in start.split("/") if p not in ("", ".")]
    if ".." in there or ".." in here or path.startswith("/") or start.startswith("/"):
        return posixpath.relpath(path, start)
    common = 0
    while common < min(len(there), len(here)) and there[common] == here[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + there[common:]) or "."


def in_version(version_id: str, target: str, current: str) -> str:
    """A link from the page `current` to `target` in another version of the same edition. Versions are sibling
    folders (<edition>/<version id>/), so the link is relative and works at any depth, on any host, without
    JavaScript."""
    here = page_url(current).rstrip("/")
    up = "../" * (len(here.split("/")) if here else 0)
    return f"{up}../{version_id}/{relative(target, 'index.md')}".replace("/./", "/")


ITEM_PAGES = {"action": "actions/{id}.md", "recommendation": "recommendations/{id}.md", "measure": "measures/{id}.md",
              "document": "documents/{id}.md", "theme": "themes/{id}.md", "risk": "risks.md#{id}",
              "grading": "gradings.md#{id}", "source": "recommendations/index.md#{id}",
              "finding": "findings/{id}.md"}


@dataclass(frozen=True)
class Page:
    """A page of the site: its title and body are given to the staging step, which escapes the title."""

    path: str
    title: str
    body: str  # HTML from an autoescaped template, or sanitised Markdown
    in_latest: str | None = None  # its counterpart in the latest version, where that is not at the same path


@dataclass(frozen=True)
class NavEntry:
    """A navigation entry: a page, or a section of entries. Titles are text (escaped when staged)."""

    title: str
    path: str | None = None
    children: tuple["NavEntry", ...] = ()


@dataclass
class SiteData:
    """The projected plan with the lookups every page needs, computed once."""

    plan: Plan
    edition: Edition
    version: Version
    timelines: dict[str, list] = field(default_factory=dict)
    changes: Changes | None = None
    points: tuple[Point, ...] = ()  # the reporting points this version may list: up to itself, oldest first
    comparisons: tuple[Comparison, ...] = ()  # since each earlier point but the one before (that is `changes`)
    # The accessibility statement's contact: the working plan's on every version (the statement is the site's
    # current one); None for this plan's own.
    accessibility: AccessibilityContact | None = None

    @property
    def statement_contact(self) -> AccessibilityContact | None:
        assert self.plan.info is not None
        return self.accessibility or self.plan.info.accessibility

    @property
    def terms(self) -> Terms:
        """What this version of the plan calls its levels."""
        assert self.plan.info is not None
        return self.plan.info.terms

    @cached_property
    def index(self) -> dict[str, Item]:
        return self.plan.index()

    @cached_property
    def record(self) -> str:
        """The line at the foot of every page with the point's record hashes (rendered once, not per page)."""
        return ENV.get_template("_record.html.j2").render(version=self.version)

    @cached_property
    def document_html(self) -> dict[str, str]:
        """Each document's body as its page shows it (plan.json has the same), converted once."""
        return {d.id: sanitise_markdown(d.body) for d in self.plan.documents}

    @cached_property
    def as_at(self) -> date:
        return self.version.date

    @cached_property
    def commitment_actions(self) -> dict[str, list[Action]]:
        out: dict[str, list[Action]] = defaultdict(list)
        for a in self.plan.actions:
            out[a.commitment].append(a)
        return out

    @cached_property
    def theme_commitments(self) -> dict[str, list[Commitment]]:
        out: dict[str, list[Commitment]] = defaultdict(list)
        for c in self.plan.commitments:
            out[c.theme].append(c)
        return out

    @cached_property
    def rec_commitments(self) -> dict[str, list[Commitment]]:
        out: dict[str, list[Commitment]] = defaultdict(list)
        for c in self.plan.commitments:
            for r in c.recommendations:
                out[r].append(c)
        return out

    @cached_property
    def mentions(self) -> dict[str, list[Document]]:
        out: dict[str, list[Document]] = defaultdict(list)
        for d in sorted(self.plan.documents, key=lambda d: (d.date, d.id), reverse=True):
            for ref in d.about:
                out[ref].append(d)
        return out

    @cached_property
    def measure_criteria(self) -> dict[str, list[tuple[Commitment, str]]]:
        out: dict[str, list] = defaultdict(list)
        for c in self.plan.commitments:
            for sc in c.success_criteria:
                if sc.measure:
                    out[sc.measure].append((c, sc.text))
        return out

    @cached_property
    def finding_actions(self) -> dict[str, list[Action]]:
        """The actions answering each finding (`answers:`), in plan order: a finding's only progress."""
        findings = {f.id for f in self.plan.findings}
        out: dict[str, list[Action]] = defaultdict(list)
        for a in self.plan.actions:
            for ref in dict.fromkeys(a.answers):
                if ref in findings:
                    out[ref].append(a)
        return out

    def answered(self, finding: Finding) -> str:
        """"Answered by 2 actions (1 green, 1 amber)", or plainly that no action answers it."""
        acts = self.finding_actions.get(finding.id, [])
        if not acts:
            return "No action answers this finding"
        counts = Counter(a.status for a in acts)
        statuses = ", ".join(f"{counts[s]} {s.label.lower()}" for s in Status if counts[s])
        return f"Answered by {len(acts)} action{'s' if len(acts) != 1 else ''} ({statuses})"

    def source_findings(self, source_id: str) -> list[Finding]:
        return [f for f in self.plan.findings if f.source == source_id]

    def theme_of(self, action: Action) -> Theme | None:
        c = self.index.get(action.commitment)
        return self.index.get(c.theme) if c else None

    def theme_action_count(self, theme_id: str) -> int:
        return sum(len(self.commitment_actions.get(c.id, [])) for c in self.theme_commitments.get(theme_id, []))

    def delivering(self, rec: Recommendation) -> list[Action]:
        """The actions that answer it explicitly (`answers:`), in plan order."""
        return self.plan.answering_actions(rec)

    def rec_status(self, rec: Recommendation) -> Status:
        return self.plan.recommendation_status(rec)

    def due_state(self, rec: Recommendation) -> DueState:
        return self.plan.due_state(rec, self.as_at)

    def disagreement(self, rec: Recommendation) -> str | None:
        return self.plan.status_disagreement(rec)

    def role(self, role_id: str) -> str:
        role = self.index.get(role_id)
        return role.title if role else "–"

    def overdue(self, action: Action) -> bool:
        return action.is_overdue(self.as_at)

    def rec_overdue(self, rec: Recommendation) -> bool:
        return self.plan.recommendation_overdue(rec, self.as_at)

    @cached_property
    def overdue_actions(self) -> list[Action]:
        return sorted((a for a in self.plan.actions if self.overdue(a)), key=lambda a: (a.target_date, a.id))

    @cached_property
    def slipped_actions(self) -> list[Action]:
        """Actions whose target date is later than their first one, furthest slipped first."""
        return sorted((a for a in self.plan.actions if a.slipped_days > 0), key=lambda a: (-a.slipped_days, a.id))

    @cached_property
    def summary(self) -> home.Summary:
        """The home page's counts."""
        return home.summary(self.plan, self.as_at, self.changes)


# --- rendering ------------------------------------------------------------------------------


def _by_timescale(recs: list[Recommendation]) -> list[tuple[str, list[Recommendation]]]:
    groups = [(ts.label, [r for r in recs if r.timescale is ts]) for ts in Timescale]
    groups.append(("By a set date", [r for r in recs if r.timescale is None and r.due is not None]))
    groups.append(("No timescale", [r for r in recs if r.timescale is None and r.due is None]))
    return [(label, group) for label, group in groups if group]


def _env() -> Environment:
    # auto_reload off: the templates are the package's own, and checking each one's file on every page cost a stat()
    env = Environment(loader=PackageLoader("generator", "templates"), autoescape=select_autoescape(default=True),
                      auto_reload=False, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.filters["date"] = present.fmt_date
    env.filters["num"] = present.number
    env.filters["groupby_timescale"] = _by_timescale
    env.filters["slip"] = slip_text
    env.filters["natural"] = registers.natural
    env.filters["brief"] = registers.brief
    env.globals.update(fmt_value=present.fmt_value, fmt_reading=present.fmt_reading, fmt_period=present.fmt_period,
                       age_text=present.age_text, Status=Status, Grade=Grade, Timescale=Timescale, DueState=DueState,
                       DocumentKind=DocumentKind, Audience=Audience, id_key=registers.id_key,
                       number_key=registers.number_key, status_key=registers.status_key, due_key=registers.due_key,
                       slip_note=registers.slip_note, item_name=registers.item_name,
                       months_text=registers.months_text)
    env.globals.update(trend_text=present.trend_text, period_name=present.period_name, latest_text=charts.latest_text,
                       report_marked=charts.report_marked)
    return env


ENV = _env()


def _page(template: str, path: str, title: str, data: SiteData, **context) -> Page:
    def url(target: str) -> str:
        return relative(target, path)

    def version_url(version_id: str, target: str) -> str:
        """`target` in the version `version_id`: within this folder for this version (so a reader of the `latest`
        alias stays in it), else in the sibling version folder."""
        return url(target) if version_id == data.version.id else in_version(version_id, target, path)

    def item_url(item_id: str) -> str | None:
        item = data.index.get(item_id)
        if item is not None and item.kind == "commitment":
            return url(f"themes/{item.theme}.md#{item.id}")
        if item is None or item.kind not in ITEM_PAGES:
            return None
        if item.kind == "source" and data.source_findings(item.id) and not any(
                r.source == item.id for r in data.plan.recommendations):
            return url(f"findings/index.md#{item.id}")  # a source of findings only
        return url(ITEM_PAGES[item.kind].format(id=item.id))

    body = ENV.get_template(template).render(d=data, plan=data.plan, info=data.plan.info, url=url,
                                             item_url=item_url, title=title, version=data.version,
                                             version_url=version_url,
                                             terms=data.terms, **context)
    return Page(path, title, f"<div class=\"ip-page\">\n{body}{data.record}</div>\n")


@dataclass
class Rendered:
    """One edition's site before staging: pages, navigation and data files (path -> text)."""

    pages: list[Page]
    nav: list[NavEntry]
    files: dict[str, str | bytes]


def render_site(data: SiteData, guide: Sequence[GuidePage] = (), papers: Sequence[Download] | None = None) -> Rendered:
    """Every page, the navigation and the data downloads of one (edition, version) site; `guide` is the editor
    guide's pages (sanitised already) for an edition that shows it; `papers` the report and tracker files
    (generator/papers.py), listed first on the downloads page, or None when this build makes none."""
    plan, pages = data.plan, []
    info = plan.info
    assert info is not None

    def page(path: str, template: str, title: str, **ctx) -> None:
        pages.append(_page(template, path, title, data, **ctx))

    readings = {m.id: present.reading(m, info.as_at) for m in plan.measures}
    ins = info.trigger.inspection
    page("about.md", "about.html.j2", "About this plan",
         judgements=[g for g in plan.gradings if ins.source and g.source == ins.source],
         intervention_meaning=MEANINGS[Intervention][info.intervention.value] if info.intervention else "")
    words = data.terms
    page("themes/index.md", "themes_index.html.j2", words.Themes)
    for t in plan.themes:
        page(f"themes/{t.id}.md", "theme.html.j2", f"{words.Theme} {t.id}: {t.title}", theme=t)
    page("actions/index.md", "actions_index.html.j2", "Actions register")
    for a in plan.actions:
        page(f"actions/{a.id}.md", "action.html.j2", f"{a.id}: {a.title}", action=a)
    page("recommendations/index.md", "recommendations_index.html.j2", "Recommendations",
         counts=registers.source_counts(plan, data.as_at))
    page("recommendations/overdue.md", "overdue.html.j2", "Overdue recommendations",
         groups=registers.overdue_recommendations(plan, data.as_at))
    for r in plan.recommendations:
        page(f"recommendations/{r.id}.md", "recommendation.html.j2", f"Recommendation {r.id}", rec=r)
    if plan.findings:
        page("findings/index.md", "findings_index.html.j2", "Findings")
        for f in plan.findings:
            page(f"findings/{f.id}.md", "finding.html.j2", f"Finding {f.id}", finding=f)
    page("measures/index.md", "measures_index.html.j2", "Measures scorecard", readings=readings)
    for m in plan.measures:
        page(f"measures/{m.id}.md", "measure.html.j2", m.name, m=m, r=readings[m.id],
             chart=Markup(charts.measure_chart(m, f"chart-{m.id}".replace(".", "-"), info.as_at)))
    page("gradings.md", "gradings.html.j2", "Gradings", counts={g.id: Counter(j.grade for j in g.judgements)
                                                                for g in plan.gradings},
         comparisons=comparisons(plan))
    page("documents/index.md", "documents_index.html.j2", "Documents",
         docs=sorted(plan.documents, key=lambda d: (d.date, d.id), reverse=True))
    for doc in plan.documents:
        page(f"documents/{doc.id}.md", "document.html.j2", doc.title, doc=doc,
             body=Markup(data.document_html[doc.id]))
    if data.edition.shows_risks:
        page("risks.md", "risks.html.j2", "Risk register",
             risks=sorted(plan.risks, key=lambda r: (-r.score, r.id)))
    if data.changes is not None:
        page("changes.md", "changes.html.j2", "What changed", ch=data.changes, order=SECTION_ORDER, here=None)
    # The draft's comparison with the point before latest is, in latest, its "What changed" page.
    latest_previous = data.points[-3] if data.version.is_draft and len(data.points) > 2 else None
    for c in data.comparisons:
        page(c.path, "changes.html.j2", f"What changed since {c.since.title}", ch=c.changes, order=SECTION_ORDER,
             here=c)
        if c.since == latest_previous:
            pages[-1] = replace(pages[-1], in_latest="changes.md")
    if data.points:
        page("points.md", "points.html.j2", "Reporting points", newest=data.points[::-1], pair=pair_page)
    if data.version.log:
        page("corrections.md", "corrections.html.j2", "Corrections", log=data.version.log)
    files = download_files(data)
    page("downloads/index.md", "downloads.html.j2", "Data downloads", files=files, papers=papers)
    page("glossary.md", "glossary.html.j2", "Glossary", entries=glossary(plan))
    if data.edition.shows_evidence:
        page("evidence.md", "evidence.html.j2", "Evidence", actions=registers.unevidenced_actions(plan),
             recs=registers.unevidenced_recommendations(plan))
    page("accessibility.md", "accessibility.html.j2", "Accessibility statement", contact=data.statement_contact,
         checks=accessibility.AUTOMATED_CHECKS, limitations=accessibility.LIMITATIONS,
         compliance=accessibility.COMPLIANCE, standard=accessibility.STANDARD,
         regulations=accessibility.REGULATIONS)
    # The home page comes first but is rendered last: it links the pages (made by other parts) that exist.
    made = frozenset(p.path for p in pages)
    pages.insert(0, _page("home.html.j2", "index.md", info.title, data, readings=readings, summary=data.summary,
                          has_page=made.__contains__, span_words=home.span_words,
                          sparks={m.id: Markup(charts.sparkline(m, home.trend_words(m))) for m in plan.measures
                                  if m.headline}))
    guide = list(guide) if data.edition.shows_guide else []
    pages += [Page(g.path, g.title, f'<div class="ip-page">\n{g.html}</div>\n') for g in guide]
    return Rendered(pages, nav(data, guide), downloads(data, [*(papers or ()), *files]))


def pair_page(points: Sequence[Point], before: Point, after: Point) -> str:
    """The page of version `after` saying what changed since `before`: its "What changed" page when `before` is the
    point just before it, else changes/since-<id>."""
    previous = points[points.index(after) - 1]
    return "changes.md" if previous == before else f"changes/since-{before.id}.md"


def comparisons(plan: Plan) -> dict[str, Grading]:
    """Each grading with a grid and a `compare_with` -> the earlier grading it is shown beside, where that one is
    in this edition and its grid has the same services and domains (D423 reports the rest)."""
    index = {g.id: g for g in plan.gradings}
    out = {}
    for g in plan.gradings:
        before = index.get(g.compare_with or "")
        if g.grid and before and before.grid and before.date < g.date and g.grid.same_shape(before.grid):
            out[g.id] = before
    return out


def _guide_nav(guide: Sequence[GuidePage]) -> tuple[NavEntry, ...]:
    """The guide's pages in reading order (the product's order for the pages it knows, then the rest by name),
    with the short names the product gives them; only pages that exist."""
    order = {f"guide/{name}": (i, title) for i, (name, title) in enumerate(GUIDE_PAGES)}
    ranked = sorted(guide, key=lambda g: (order.get(g.path, (len(order), ""))[0], g.path))
    return tuple(NavEntry(order[g.path][1] if g.path in order else g.title, g.path) for g in ranked)


def nav(data: SiteData, guide: Sequence[GuidePage] = ()) -> list[NavEntry]:
    """The site's navigation: registers, not one entry per item (Material renders the whole nav into every page)."""
    n = NavEntry
    about = [*([n("Corrections", "corrections.md")] if data.version.log else []),
             *([n("Evidence", "evidence.md")] if data.edition.shows_evidence else []),
             n("Data downloads", "downloads/index.md"), n("Glossary", "glossary.md"),
             n("Accessibility", "accessibility.md")]
    if guide:
        about.append(n("Editor guide", children=_guide_nav(guide)))
    return [n("Home", "index.md"), n("About this plan", "about.md"),
            n(data.terms.Themes, children=(n(f"All {data.terms.theme_plural}", "themes/index.md"),
                                  *(n(f"{t.id}: {t.title}", f"themes/{t.id}.md") for t in data.plan.themes))),
            n("Actions", "actions/index.md"),
            n("Recommendations", children=(n("All recommendations", "recommendations/index.md"),
                                           n("Overdue recommendations", "recommendations/overdue.md"))),
            *([n("Findings", "findings/index.md")] if data.plan.findings else []),
            n("Measures", "measures/index.md"), n("Gradings", "gradings.md"), n("Documents", "documents/index.md"),
            *([n("Risks", "risks.md")] if data.edition.shows_risks else []),
            *([n("What changed", "changes.md")] if data.changes is not None else []),
            *([n("Reporting points", "points.md")] if data.points else []),
            n("About", children=tuple(about))]


# --- data downloads -------------------------------------------------------------------------


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # spreadsheets run a cell beginning so as a formula


def csv_cell(value: str | int | float) -> str | int | float:
    """A cell as a spreadsheet will read it: numbers as numbers, and text that would start a formula
    behind an apostrophe (OWASP's advice), so that opening a download never runs an editor's text."""
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, str) and value.lstrip("'").startswith(FORMULA_START):  # also "'=x", so a reader can
        # drop one apostrophe (tracker_sheets._unguarded) and have the text back
        return "'" + value
    return value


def _csv(header: list[str], rows: list[list]) -> str:
    """The one CSV writer of the downloads: every cell goes through csv_cell."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows([csv_cell(v) for v in row] for row in rows)
    return buf.getvalue()


def _documents_as_shown(entries: list[dict], plan: Plan, shown: dict[str, str] | None = None) -> list[dict]:
    """Publish what a document's page shows, never its Markdown source: comments and unused definitions in the
    source are not on the page. (Snapshots keep the source; they are not served.) `shown`: the pages' HTML by
    document id, when `plan` is the one the pages show."""
    return [{**{k: v for k, v in entry.items() if k != "body"},
             "body_html": shown[d.id] if shown is not None else sanitise_markdown(d.body)}
            for entry, d in zip(entries, plan.documents)]


def _column(word: str) -> str:
    """A council's word as a CSV column name, written like the others (lower case, '_' for spaces)."""
    return word.lower().replace(" ", "_")


def grading_rows(plan: Plan) -> list[list]:
    """gradings.csv: one row per judgement (service: its group; domain: its area) and per grid cell, a row's
    overall marked `overall: yes`; `grade` is the cell as the page says it, then the teams at each grade."""
    rows = []
    for g in plan.gradings:
        head = [g.id, g.title, g.date.isoformat(), g.grading_kind.value]
        for j in g.judgements:
            rows.append([*head, j.group, j.area, "no", "grade", j.grade.label, *[""] * len(Grade)])
        for row in g.grid.rows if g.grid else []:
            for domain, cell in [*zip(g.grid.domains, row.cells), ("", row.overall)]:
                teams = dict(cell.counts)
                rows.append([*head, row.service, domain, "no" if domain else "yes", cell.form, cell.text,
                             *(teams.get(grade, "") for grade in Grade)])
    return rows


PERIOD_KINDS = {"/": "financial year", 4: "calendar year", 7: "month", 10: "day"}


def period_text(v: MeasureValue) -> str:
    """A reading's period as text every spreadsheet keeps as written: the period and its kind in words
    ('2013-03 (month)', '2011/12 (financial year)'), since Excel reads a bare '2013-03' or '2011/12' as a date
    and '2013' as a number. It still sorts in date order within a kind."""
    if v.ytd:
        return present.fmt_period(v)  # '2013/14 year to date (to August 2013)'
    return f"{v.period} ({PERIOD_KINDS['/' if '/' in v.period else len(v.period)]})"


def file_size(n: int) -> str:
    """A file's size as a file manager shows it: whole kilobytes (1,024 bytes), rounded up."""
    return f"{max(1, -(-n // 1024)):,} KB"


@dataclass(frozen=True)
class Download:
    """A data file of one (edition, version) site as the downloads page lists it: `path` is named by the
    reporting point (`downloads/actions-2013-03-board.csv`); the same text is also at `short_path`
    (`downloads/actions.csv`), the name every version had before, so that readers' links keep working."""

    path: str
    short_path: str | None  # None: a file that had no earlier name (the reports and the tracker)
    kind: str  # "CSV", "JSON"; for the papers, "Word", "PDF", "Excel"
    holds: str
    text: str | bytes  # bytes: a binary file (the reports and the tracker), staged as it is
    title: str = ""  # the link's words where not the file's name ("Progress report for Improvement Board, ...")

    @property
    def name(self) -> str:
        return posixpath.basename(self.path)

    @property
    def size(self) -> str:
        return file_size(len(self.text.encode("utf-8") if isinstance(self.text, str) else self.text))


def download_files(data: SiteData) -> list[Download]:
    """The data files of one (edition, version) site, in the order the downloads page lists them. Every CSV ends
    with the reporting point it is for (id, title, date) on each row, so rows from several points can be put in
    one sheet; every column holding an id has the item's title or name beside it."""
    plan, vid = data.plan, data.version.id
    point = [vid, data.version.title, data.version.date.isoformat()]
    point_columns = ["reporting_point", "reporting_point_title", "reporting_point_date"]

    def name(item_id: str | None) -> str:
        """An item's title (a commitment's statement) as this edition shows it; '' for none."""
        item = data.index.get(item_id or "")
        return str(getattr(item, "title", None) or getattr(item, "statement", "")) if item else ""

    def names(items: list[Action]) -> str:
        return "; ".join(f"{a.id}: {a.title}" for a in items)

    def table(header: list[str], rows: list[list]) -> str:
        return _csv(header + point_columns, [row + point for row in rows])

    doc = {"edition": data.edition.name, "version": {"id": data.version.id, "title": data.version.title,
                                                "date": data.version.date.isoformat()},
           **plan_to_data(plan)}
    actions = []
    for a in plan.actions:
        theme = getattr(data.theme_of(a), "id", "")
        actions.append([a.id, a.title, theme, name(theme), a.commitment, name(a.commitment), a.lead,
                        data.role(a.lead), a.target_date.isoformat(), a.status.value,
                        "yes" if data.overdue(a) else "no", a.latest.date.isoformat() if a.latest else "",
                        a.latest.narrative if a.latest else "", a.completed_on.isoformat() if a.completed_on else "",
                        a.original_target_date.isoformat(), a.slipped_days, a.times_slipped])
    recs = []
    for r in plan.recommendations:
        due = plan.due_date(r)
        recs.append([r.id, r.source, name(r.source), r.reference, r.text, r.service_area,
                     r.timescale.value if r.timescale else "", due.isoformat() if due else "",
                     r.priority.value if r.priority else "", data.rec_status(r).value,
                     "yes" if data.rec_overdue(r) else "no", r.report_back.isoformat() if r.report_back else "",
                     " ".join(a.id for a in data.delivering(r)), names(data.delivering(r)), data.due_state(r).value,
                     r.status.value, plan.derived_status(r).value, data.disagreement(r) or ""])
    findings = [[f.id, f.source, name(f.source), f.finding_kind.value, f.area, f.found.isoformat() if f.found else "",
                 f.text, " ".join(a.id for a in data.finding_actions.get(f.id, [])),
                 names(data.finding_actions.get(f.id, [])),
                 " ".join(a.status.value for a in data.finding_actions.get(f.id, []))] for f in plan.findings]
    values = []
    for m in plan.measures:
        for v in m.values:
            first, last = period_bounds(v.period)
            if v.ytd:
                first = date(last.year if last.month >= 4 else last.year - 1, 4, 1)
            values.append([m.id, m.name, m.unit.value, m.better.value, period_text(v), first.isoformat(),
                           last.isoformat(), "" if v.value is None else float(v.value),
                           float(m.target.value) if m.target else "", m.source, "yes" if v.ytd else "no",
                           present.fmt_value(v.value, m.unit) if v.value is not None else "", v.note])
    assert plan.info is not None
    timeline = [[k.date.isoformat(), k.event, k.kind.value, k.source or "", name(k.source), k.document or "",
                 name(k.document)] for k in plan.info.key_dates()]
    doc["documents"] = _documents_as_shown(doc["documents"], plan, data.document_html)
    grades = [g.value for g in Grade]
    words = data.terms
    files = [
        ("plan.json", "the whole plan as this edition shows it, with the reporting point it is for",
         json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=True) + "\n"),
        ("actions.csv", "one row per action, with its latest status",
         table(["id", "action", _column(words.theme), f"{_column(words.theme)}_title", _column(words.commitment),
                f"{_column(words.commitment)}_statement", "lead_role", "lead", "target_date", "status", "overdue",
                "last_update", "last_narrative", "completed_on", "original_target_date", "slipped_days",
                "times_slipped"], actions)),
        ("recommendations.csv", "one row per recommendation, with due date and status",
         table(["id", "source", "source_title", "reference", "recommendation", "service_area", "timescale", "due",
                "priority", "status", "overdue", "report_back", "delivering_actions", "delivering_action_titles",
                "due_state", "entered_status", "derived_status", "status_disagrees"], recs)),
        *([("findings.csv", "one row per finding, with the actions that answer it and their statuses",
            table(["id", "source", "source_title", "type", "area", "found", "finding", "answering_actions",
                   "answering_action_titles", "answering_statuses"], findings))] if plan.findings else []),
        ("measures.csv", "one row per measure reading",
         table(["id", "measure", "unit", "better", "period", "period_start", "period_end", "value", "target",
                "source", "ytd", "value_shown", "note"], values)),
        ("timeline.csv", "the plan\u2019s key dates, oldest first",
         table(["date", "event", "kind", "source", "source_title", "document", "document_title"], timeline)),
        ("gradings.csv", "one row per judgement and per cell of a diagnostic grid, with the number of teams at "
                         "each grade",
         table(["grading", "title", "date", "type", "service", "domain", "overall", "form", "grade", *grades],
               grading_rows(plan))),
    ]
    if data.version.original is not None:
        original = data.version.original
        first = {**doc, **plan_to_data(original), "as_first_published": True}
        first["documents"] = _documents_as_shown(first["documents"], original)
        files.append(("plan-as-first-published.json", "this reporting point as first published, before its "
                      "corrections", json.dumps(first, indent=2, ensure_ascii=False, sort_keys=True) + "\n"))
    out = []
    for short, holds, text in files:
        stem, ext = short.rsplit(".", 1)
        out.append(Download(f"downloads/{stem}-{vid}.{ext}", f"downloads/{short}", ext.upper(), holds, text))
    return out


def downloads(data: SiteData, files: list[Download] | None = None) -> dict[str, str | bytes]:
    """The data files (path -> text, or bytes for a binary file): each under its name with the reporting point, and
    under its short name. A name the downloads page lists wins over a short name: in a version with the id
    'as-first-published', plan.json's name is plan-as-first-published.json, the short name of the plan as first
    published."""
    files = download_files(data) if files is None else files
    return {**{f.short_path: f.text for f in files if f.short_path}, **{f.path: f.text for f in files}}
