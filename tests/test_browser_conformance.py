"""The whole-site conformance check (issue 11): one page of every page kind, in both editions, on the sample plan
with a published point that was corrected (so the findings and corrections pages exist) and the staff draft. Each
page: no sideways scroll at 320px (WCAG 1.4.10), the first Tab stop is a visible skip link to the main content
(2.4.1), axe-core finds nothing under WCAG 2.2 AA or its best-practice rules at 320 and 1280px, and the Nu HTML checker reports
nothing but Material's known `autocomplete` error. One test per (site, page kind), so a failure names the page."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import copy_sample, REPO, build, publish_as
from generator import versions
from generator.accessibility import AUTOMATED_CHECKS
from test_browser import WCAG, axe_problems, page  # noqa: F401  (page: a fixture)

pytestmark = pytest.mark.browser

POINT = "2013-07-board"  # published in the copy, then corrected
# Page kinds (address under a version -> name in the test's id), tested in the public edition at the published point
# and in the staff edition's draft.
KINDS = {
    "": "home", "about/": "about", "themes/": "themes index", "themes/T1/": "a theme", "actions/": "actions register",
    "actions/A1.1/": "an action", "recommendations/": "recommendations", "recommendations/AD13-1/": "a recommendation",
    "findings/": "findings", "findings/F1/": "a finding", "measures/": "measures", "measures/M-CASELOAD/": "a measure",
    "gradings/": "gradings", "documents/": "documents", "documents/DOC-IB-2013-06/": "a document",
    "changes/": "what changed", "corrections/": "corrections", "downloads/": "downloads", "glossary/": "glossary",
    "accessibility/": "accessibility", "points/": "reporting points",
    "changes/since-2013-03-board/": "a comparison", "recommendations/overdue/": "overdue recommendations",
    "404.html": "404",
}
STAFF_ONLY = {"risks/": "risks", "evidence/": "evidence", "guide/update-status/": "a guide page"}
# What a printed page of each site must name: the edition and the reporting point (and the draft, "Draft").
PRINTED = {"public": ("Public edition", "Improvement Board, end of July 2013"),
           "staff": ("Staff edition", "Draft: not yet reported")}
SITES = {"public": f"public/{POINT}", "staff": "staff/draft"}
PAGES = [(edition, kind) for edition in SITES for kind in (*KINDS, *(STAFF_ONLY if edition == "staff" else ()))]


def folder(edition: str, kind: str) -> str:
    """The site a page kind is tested in: the draft has no corrections page (a point's corrections show on its own
    pages), so the staff edition's is the corrected point's."""
    return f"staff/{POINT}" if (edition, kind) == ("staff", "corrections/") else SITES[edition]


def page_file(edition: str, kind: str) -> str:
    return f"{folder(edition, kind)}/{kind if kind.endswith('.html') else kind + 'index.html'}"


# The one error the Nu checker finds in stock Material: `autocomplete` on its drawer and search checkboxes.
MATERIAL_KNOWN = ("Attribute “autocomplete” is only allowed when the input type is “color”, “date”, “datetime-local”, "
                  "“email”, “hidden”, “month”, “number”, “password”, “range”, “search”, “tel”, “text”, “time”, “url”, "
                  "or “week”.")


def settle(pg) -> None:
    """Wait for Material's transitions to end (menus, the drawer, the search panel move when focus or the viewport
    changes): a check in the middle of one measures a state no reader sees for long."""
    pg.wait_for_timeout(50)
    pg.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")


def _git(root: Path, *args: str) -> None:
    env = {**os.environ, **{f"GIT_{who}_{what}": value for who in ("AUTHOR", "COMMITTER")
                            for what, value in (("NAME", "Editor"), ("EMAIL", "editor@example.org"))}}
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory) -> Path:
    """The sample plan in a git repository, its working plan published as a further point and that point corrected."""
    root = tmp_path_factory.mktemp("conformance") / "plan"
    copy_sample(root)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "sample")
    publish_as(root, POINT, "Improvement Board, end of July 2013", date(2013, 7, 31))
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "publish")
    snapshot = root / "content" / "versions" / f"{POINT}.json"
    data = json.loads(snapshot.read_text())
    data["plan"]["actions"][0]["title"] += " (corrected)"
    snapshot.write_text(json.dumps(data, indent=1))
    versions.correct(root, POINT, "The action's title was misquoted.", date(2013, 8, 2))
    return build(root)


@pytest.fixture(scope="module")
def site_url(sample_site, serve) -> str:
    return serve(sample_site)


@pytest.fixture(scope="module")
def nu_errors(sample_site) -> dict[str, list[str]]:
    """The Nu HTML checker's errors per page file (relative to the output), run once over every page tested."""
    jar = os.environ.get("VNU_JAR") or next(iter(sorted(REPO.glob(".venv/vnu-*/node_modules/vnu-jar/build/dist/vnu.jar"),
                                                       reverse=True)), "")
    if not jar or not Path(jar).is_file() or not shutil.which("java"):
        pytest.fail("the Nu HTML checker is not installed: run 'make browser' (it installs Java and vnu.jar and sets "
                    "VNU_JAR)")
    files = [sample_site / page_file(edition, kind) for edition, kind in PAGES]
    run = subprocess.run(["java", "-jar", jar, "--format", "json", "--errors-only", *map(str, files)],
                         capture_output=True, text=True, timeout=300)
    errors: dict[str, list[str]] = {}
    for message in json.loads(run.stderr or "{}").get("messages", []):
        path = Path(message["url"].removeprefix("file:")).relative_to(sample_site).as_posix()
        if message["message"] != MATERIAL_KNOWN:
            errors.setdefault(path, []).append(f"line {message.get('lastLine')}: {message['message']}")
    return errors


@pytest.mark.parametrize("edition, kind", PAGES, ids=[f"{e}-{(KINDS | STAFF_ONLY)[k]}" for e, k in PAGES])
def test_page_kind_conforms(browser, site_url, nu_errors, edition, kind):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    pg = context.new_page()
    problems: list[str] = []
    # No script error, and nothing fetched from another host (a reader's browser talks to the site only).
    pg.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    pg.on("pageerror", lambda e: problems.append(f"console: {e}"))
    pg.on("request", lambda r: urlparse(r.url).hostname not in ("127.0.0.1", "localhost", None)
          and problems.append(f"foreign request: {r.url}"))
    try:
        pg.goto(f"{site_url}/{folder(edition, kind)}/{kind}")
        pg.wait_for_load_state("networkidle")
        settle(pg)
        wide = pg.evaluate("document.documentElement.scrollWidth - innerWidth")
        if wide > 0:
            problems.append(f"reflow: scrolls sideways by {wide}px at 320px")
        pg.keyboard.press("Tab")
        first = pg.evaluate("""() => { const a = document.activeElement, r = a.getBoundingClientRect();
            return {href: a.getAttribute('href'), text: a.textContent.trim(),
                    shown: r.width > 1 && r.height > 1 && r.bottom > 0 && r.top < innerHeight,
                    target: !!document.querySelector('#ip-main h1')}; }""")
        if first != {"href": "#ip-main", "text": "Skip to main content", "shown": True, "target": True}:
            problems.append(f"skip-link: first Tab stop is not a visible skip link to the main content: {first}")
        pg.evaluate("document.activeElement.blur()")
        axe = axe_problems(pg, "axe", tags=[*WCAG, "best-practice"], impacts=None)
        pg.set_viewport_size({"width": 1280, "height": 900})  # the desktop layout: header search, sidebars
        settle(pg)
        axe += axe_problems(pg, "axe", tags=[*WCAG, "best-practice"], impacts=None)
        problems += dict.fromkeys(axe)
        pg.emulate_media(media="print")
        printed = pg.locator("body").inner_text()
        edition_words, point = PRINTED[edition] if folder(edition, kind) == SITES[edition] else \
            ("Staff edition", "Improvement Board, end of July 2013")
        problems += [f"print: the printed page does not say {words!r}" for words in (edition_words, point)
                     if words not in printed]
    finally:
        context.close()
    problems += [f"html: {m}" for m in nu_errors.get(page_file(edition, kind), [])]
    assert problems == [], "\n".join(problems)


def test_the_accessibility_statement_claims_exactly_the_checks_run_here():
    """The statement (generator/accessibility.py) lists what the tests check; test_page_kind_conforms runs each one,
    naming its problems by the check's key, on every page kind of both editions."""
    assert [c.key for c in AUTOMATED_CHECKS] == ["axe", "reflow", "skip-link", "print", "html"]


TAB_STOP = """() => { const e = document.activeElement, r = e.getBoundingClientRect(), s = getComputedStyle(e);
    let faded = false;
    for (let a = e; a; a = a.parentElement) { const c = getComputedStyle(a); faded ||= c.opacity === '0' || c.visibility !== 'visible'; }
    const dark = s.boxShadow.includes('rgb(11, 12, 12)'), f = e.getClientRects()[0] || r;  // a link's first line
    return {name: e.tagName.toLowerCase() + ' ' + (e.getAttribute('aria-label') || e.textContent).trim().replace(/\\s+/g, ' ').slice(0, 40),
            main: !!e.closest('#ip-main'), region: e.matches('[role=region]'),
            shown: e !== document.body && r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight && !faded &&
                   e.contains(document.elementFromPoint(Math.min(Math.max(f.x + f.width / 2, 0), innerWidth - 1), Math.min(Math.max(f.y + f.height / 2, 0), innerHeight - 1))),
            marked: dark && (s.backgroundColor === 'rgb(255, 221, 0)' || s.outlineColor === 'rgb(255, 221, 0)')}; }"""


@pytest.mark.parametrize("width, path, until", [(1280, "about/", "region"), (375, "about/", "region"),
                                                (375, "guide/update-status/", "main")])
def test_every_tab_stop_is_shown_with_a_yellow_and_dark_focus(browser, site_url, width, path, until):
    """From the top of a draft page (its skip link, banners, version menu, search, navigation drawer, on a guide page
    with the guide's section open in it) into the content, as far as its first scrolling table or its first Tab stop:
    each Tab stop is on screen, not faded out or covered (the closed search results box was one, the drawer's links
    another), and marked GOV.UK's way, yellow with a dark edge (the version menu was colour only)."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    pg = context.new_page()
    problems: list[str] = []
    try:
        pg.goto(f"{site_url}/staff/draft/{path}")
        pg.wait_for_load_state("networkidle")
        for _ in range(60):
            pg.keyboard.press("Tab")
            settle(pg)
            stop = pg.evaluate(TAB_STOP)
            if not (stop["shown"] and stop["marked"]):
                problems.append(f"{stop['name']}: {'marked' if stop['marked'] else 'not marked'}, "
                                f"{'shown' if stop['shown'] else 'not shown'}")
            if stop[until]:
                break
        else:
            problems.append("no scrolling table reached in 60 Tab stops")
        assert stop["main"], stop
    finally:
        context.close()
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("width", [1280, 320])
def test_search_open_with_results_passes_axe(browser, site_url, width):
    """Material's search panel, open and listing results: its matches were in the accent colour (4.25:1 on white),
    its count grey on grey (4.41:1), its dialog unnamed."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    pg = context.new_page()
    try:
        pg.goto(f"{site_url}/public/{POINT}/about/")
        pg.wait_for_load_state("networkidle")
        pg.keyboard.press("/")
        pg.keyboard.type("safeguarding")
        pg.locator(".md-search-result__item").first.wait_for(timeout=10_000)
        settle(pg)
        assert pg.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0
        assert axe_problems(pg, "search", tags=[*WCAG, "best-practice"], impacts=None) == []
    finally:
        context.close()
