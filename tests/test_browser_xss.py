"""Nothing an editor writes runs as script (issue 8, "Done when", second bullet), proved in Debian's Chromium.

A fixture plan carries a distinct payload in every kind of title, in narratives, in a reporting point's
title (so the version selector lists it), in a guide page, a public document and mkdocs.yml's copyright.
Both editions of every version are visited, the version selector opened and each payload's word searched
for, so Material inserts titles and results into the page; then `window.__pwned` must still be empty and
no dialog may have opened. A static pass over every built file checks that no payload reaches an HTML
context unescaped (pages, and the JSON Material inserts as HTML: versions.json and the search index).

Payloads that validation must refuse (raw HTML in guide pages and documents, control characters,
script-bearing mkdocs.yml values) are in a separate table, asserting the exact located refusal.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, build, copy_plan, publish_as

pytestmark = pytest.mark.browser


# --- payload shapes: each carries its id as a searchable word and pushes it to window.__pwned if it runs.
# "Re " before the id keeps it a word of its own where Material's search index joins table cells. ---

def img(pid: str) -> str:
    return f"Re {pid} <img src=x onerror=\"window.__pwned.push('{pid}')\">"


def script(pid: str) -> str:
    return f"Re {pid} <script>window.__pwned.push('{pid}')</script>"


def svg(pid: str) -> str:
    return f"Re {pid} \"><svg onload=window.__pwned.push('{pid}')>"


def title_break(pid: str) -> str:
    return f"Re {pid} </title><script>window.__pwned.push('{pid}')</script>"


def attr_break(pid: str) -> str:
    return f"Re {pid} ' onmouseover='window.__pwned.push(\"{pid}\")' x='"


def template(pid: str) -> str:
    return f"Re {pid} {{{{ 7*7 }}}} {{% raw %}} {{{{ config }}}}"


def md_link(pid: str) -> str:
    """Markdown that would be a javascript: link if a title were rendered as Markdown."""
    return f"Re {pid} [click](javascript:window.__pwned.push('{pid}'))"


def entity(pid: str) -> str:
    """Entity-encoded markup: harmless unless something decodes it and inserts the result as HTML."""
    return f"Re {pid} &lt;img src=x onerror=window.__pwned.push('{pid}')&gt;"


# Markers that never appear in a safe page: the dangerous part of each shape, as it would stand unescaped.
UNSAFE = [re.compile(p, re.I) for p in (
    r"<img src=x onerror", r"<script>window\.__pwned", r"<svg onload", r"</title><script",
    r"' onmouseover='window", r"<a[^>]+href=\"?javascript:")]
# JSON strings Material inserts as HTML element content (never into an attribute): no markup may start in
# them, and entity-encoded payloads must not have been decoded into markup.
UNSAFE_DECODED = [*UNSAFE[:4], UNSAFE[5], re.compile(r"<img src=x onerror=window", re.I)]


@dataclass(frozen=True)
class Planted:
    pid: str
    where: str  # the field, for failure messages
    searchable: bool = True  # its word is in a page's text, so a search finds it
    staff_only: bool = False
    shown: bool = True  # False: no page shows this field today; planted so a page that starts to is covered


PLANTED: list[Planted] = []
UNSHOWN = {"searchable": False, "shown": False}


def plant(pid: str, shape, where: str, **kw) -> str:
    if pid not in {p.pid for p in PLANTED}:  # once, however often the plan is made
        PLANTED.append(Planted(pid, where, **kw))
    return shape(pid)


def hostile_plan(root: Path) -> None:
    """Plant a payload in every title kind and narrative of the minimal plan (valid YAML, valid plan)."""
    data = yaml.safe_load((root / "plan.yaml").read_text(encoding="utf-8"))
    p = data["plan"]
    p["organisation"] = plant("xqorg", img, "plan.organisation")
    p["title"] = plant("xqplantitle", title_break, "plan.title")
    p["vision"] = plant("xqvision", script, "plan.vision")
    p["illustrative_note"] = plant("xqillus", md_link, "plan.illustrative_note")
    p["trigger"]["inspection"]["title"] = plant("xqinsp", svg, "trigger.inspection.title", **UNSHOWN)
    p["trigger"]["improvement_notice"]["summary"] = plant("xqnotice", img, "notice.summary", **UNSHOWN)
    p["phases"] = [{"id": "PH1", "title": plant("xqphase", script, "phases[].title", **UNSHOWN),
                    "start": date(2012, 11, 1), "summary": plant("xqphasesum", entity, "phases[].summary", **UNSHOWN)}]
    gov = p["governance"][0]
    gov["name"] = plant("xqgovname", svg, "governance[].name", **UNSHOWN)
    gov["role"] = plant("xqgovrole", attr_break, "governance[].role", **UNSHOWN)
    gov["meets"] = plant("xqgovmeets", template, "governance[].meets", **UNSHOWN)
    data["roles"][0]["title"] = plant("xqrole", img, "roles[].title")
    data["roles"][1]["title"] = plant("xqrolechair", title_break, "roles[].title (chair)", **UNSHOWN)
    theme = data["themes"][0]
    theme["title"] = plant("xqtheme", script, "themes[].title")
    theme["summary"] = plant("xqthemesum", md_link, "themes[].summary")
    com = data["commitments"][0]
    com["statement"] = plant("xqcommit", img, "commitments[].statement")
    com["success_criteria"][0]["text"] = plant("xqcriterion", svg, "success_criteria[].text")
    a1, a2 = data["actions"]
    a1["title"] = plant("xqaction", img, "actions[].title")
    a1["internal_note"] = plant("xqnote", img, "actions[].internal_note", staff_only=True)
    a1["updates"][0]["narrative"] = plant("xqnarr", img, "actions[].updates[].narrative")
    a1["updates"][0]["evidence"] = [{"title": plant("xqevid", title_break, "evidence[].title"),
                                     "url": "https://example.org/evidence"}]
    a2["title"] = plant("xqaction2", template, "actions[].title (template)")
    a2["updates"][0]["narrative"] = plant("xqnarr2", entity, "actions[].updates[].narrative (entity)")
    src = data["sources"][0]
    src["title"] = plant("xqsource", svg, "sources[].title")
    rec = data["recommendations"][0]
    rec["text"] = plant("xqrectext", img, "recommendations[].text")
    rec["reference"] = plant("xqrecref", script, "recommendations[].reference")
    rec["service_area"] = plant("xqrecarea", attr_break, "recommendations[].service_area")
    rec["progress"][0]["narrative"] = plant("xqrecnarr", md_link, "recommendations[].progress[].narrative")
    m1 = data["measures"][0]
    m1["name"] = plant("xqmeasure", title_break, "measures[].name")
    m1["definition"] = plant("xqmeasdef", img, "measures[].definition")
    m1["values"][1]["note"] = plant("xqmeasnote", script, "measures[].values[].note")
    m1["breakdowns"] = [{"title": plant("xqbdtitle", svg, "breakdowns[].title"), "period": "2013-04",
                         "columns": [plant("xqbdcol", img, "breakdowns[].columns"), "Plain"],
                         "rows": [{"label": plant("xqbdrow", script, "breakdowns[].rows[].label"),
                                   "values": [1, 2]}]}]
    risk = data["risks"][0]
    risk["title"] = plant("xqrisk", script, "risks[].title", staff_only=True)
    risk["description"] = plant("xqriskdesc", img, "risks[].description", staff_only=True)
    risk["mitigation"] = plant("xqriskmit", svg, "risks[].mitigation", staff_only=True)
    grading = data["gradings"][0]
    grading["title"] = plant("xqgrading", img, "gradings[].title")
    grading["judgements"][0]["area"] = plant("xqjudge", img, "gradings[].judgements[].area")
    grading["judgements"][0]["group"] = plant("xqjgroup", svg, "gradings[].judgements[].group")
    (root / "plan.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")

    doc_title = plant("xqdoctitle", img, "document title")
    doc_summary = plant("xqdocsum", script, "document summary")
    body_id = "xqdocbody"
    plant(body_id, str, "public document body (entity-encoded and code)")
    (root / "content/documents/briefing.md").write_text(
        "---\n" + yaml.safe_dump({"id": "DOC1", "title": doc_title, "date": date(2013, 6, 10), "type": "briefing",
                                  "audience": "public", "summary": doc_summary, "about": ["A1"]}, sort_keys=False)
        + "---\n"
        f"The audit is half done. {entity(body_id)}\n\n"
        f"```html\n<img src=x onerror=\"window.__pwned.push('{body_id}')\">\n```\n", encoding="utf-8")

    guide_id = "xqguidebody"
    plant(guide_id, str, "guide page body (entity-encoded and code)", staff_only=True)
    guide = root / "content/guide"
    guide.mkdir(parents=True)
    (guide / "index.md").write_text(
        "---\n" + yaml.safe_dump({"title": plant("xqguidetitle", title_break, "guide page title (not in the index)",
                                                   searchable=False, staff_only=True)})
        + "---\n\n# Editor guide\n\n"
        f"Text {entity(guide_id)}\n\n"
        f"```\n<script>window.__pwned.push('{guide_id}')</script>\n```\n", encoding="utf-8")

    copyright_ = plant("xqcopy", img, "mkdocs.yml copyright", searchable=False)
    social_name = plant("xqsocial", svg, "mkdocs.yml extra.social[].name", searchable=False)
    (root / "mkdocs.yml").write_text(yaml.safe_dump({"copyright": copyright_, "extra": {"social": [
        {"icon": "fontawesome/brands/github", "link": "https://example.org/council", "name": social_name}]}}),
        encoding="utf-8")


VERSION_TITLE = plant("xqversion", img, "reporting point title (versions.json)", searchable=False)
VERSION_TITLE_2 = plant("xqversion2", script, "reporting point title, older (versions.json)", searchable=False)


def make_hostile_site(tmp: Path) -> Path:
    """The hostile plan published at two reporting points (both titles hostile) and built: both editions."""
    root = copy_plan(FIXTURES / "minimal", tmp / "plan")
    hostile_plan(root)
    publish_as(root, "2013-06-board", VERSION_TITLE_2, date(2013, 6, 25))
    publish_as(root, "2013-07-board", VERSION_TITLE, date(2013, 7, 1))
    return build(root)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    return make_hostile_site(tmp_path_factory.mktemp("xss"))


EDITIONS = ("public", "staff")


def walk(base: Path) -> list[Path]:
    """Every file under base, following links (the output may be links into a tree)."""
    return [Path(d) / f for d, _, files in os.walk(base, followlinks=True) for f in files]


def edition_pages(site: Path, edition: str) -> list[str]:
    """Every page of every version folder of an edition, and the home page of its `latest` alias (a copy or
    link of the newest version), as paths under site/<edition>/. Always read through site/<edition>,
    whether that is a folder or a link into a tree. Every version versions.json lists must be there."""
    base = site / edition
    pages = sorted(p.relative_to(base).parent.as_posix() + "/" for p in walk(base)
                   if p.name == "index.html" and p.parent != base and p.relative_to(base).parts[0] != "latest")
    listed = [v["version"] for v in json.loads((base / "versions.json").read_text(encoding="utf-8"))]
    assert [v for v in listed if f"{v}/actions/A1/" not in pages] == []
    return pages + ["latest/"]


def built_files(site: Path) -> list[tuple[str, Path]]:
    files = []
    for edition in EDITIONS:
        base = site / edition
        files += [(f"{edition}/{p.relative_to(base).as_posix()}", p) for p in walk(base)]
    return sorted(files)


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def unsafe_spots(site: Path) -> list[str]:
    """Every place a payload stands unescaped in an HTML context: any .html/.xml file, and the JSON strings
    Material inserts as HTML (versions.json titles, the search index's titles and texts)."""
    found = []
    for rel, path in built_files(site):
        if path.suffix in (".html", ".xml"):
            texts = [path.read_text(encoding="utf-8")]
            patterns = UNSAFE
        elif path.name in ("versions.json", "search_index.json"):
            texts = _strings(json.loads(path.read_text(encoding="utf-8")))
            patterns = UNSAFE_DECODED
        else:
            continue  # downloads (CSV, plan.json) are data, never inserted as HTML
        for text in texts:
            for pattern in patterns:
                for m in pattern.finditer(text):
                    near = re.findall(r"xq[a-z0-9]+", text[max(0, m.start() - 120):m.end()])  # "Re ID <payload>"
                    found.append(f"{rel}: {m[0]!r} ({near[-1] if near else '?'})")
            for m in re.finditer(r"(xq[a-z0-9]+) 49\b", text):
                found.append(f"{rel}: template evaluated ({m[1]})")
    return sorted(set(found))


def test_no_payload_stands_unescaped_in_any_built_file(hostile_site):
    spots = unsafe_spots(hostile_site)
    assert spots == [], "\n".join(spots)


def test_every_planted_payload_reaches_the_site_as_text(hostile_site):
    """The payloads are shown, escaped, not dropped: otherwise the browser test would prove nothing."""
    pages = {rel: p.read_text(encoding="utf-8") for rel, p in built_files(hostile_site) if p.suffix == ".html"}
    missing = []
    for planted in (p for p in PLANTED if p.shown):
        editions = ["staff"] if planted.staff_only else list(EDITIONS)
        for edition in editions:
            if not any(rel.startswith(f"{edition}/") and re.search(rf"\b{planted.pid}\b", text)
                       for rel, text in pages.items()):
                missing.append(f"{edition}: {planted.pid} ({planted.where})")
    assert missing == [], "\n".join(missing)


def _new_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script("window.__pwned = [];")
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(f"{d.type}: {d.message}"), d.dismiss()))
    return context, page


def _pwned(page) -> list[str]:
    return page.evaluate("window.__pwned || []")


@pytest.mark.parametrize("edition", EDITIONS)
def test_no_payload_runs_on_any_page_or_in_the_version_selector(browser, serve, hostile_site, edition):
    url = serve(hostile_site)
    context, page = _new_page(browser)
    ran = []
    for rel in edition_pages(hostile_site, edition):
        page.goto(f"{url}/{edition}/{rel}", wait_until="domcontentloaded")
        page.locator(".md-version__current").wait_for(timeout=10_000)  # versions.json fetched and inserted
        page.locator(".md-version").hover()  # open the selector
        if hits := _pwned(page):
            ran.append(f"{edition}/{rel}: {sorted(set(hits))}")
    context.close()
    assert page.dialogs == []
    assert ran == [], "\n".join(ran)


# Material's search inserts result titles and texts as HTML. The index is the same in every version of an
# edition here (the plan did not change between the points), so one version per edition is searched.
SEARCH_START = {"public": "latest/", "staff": "draft/"}
IDLE = "Type to start searching"


@pytest.mark.parametrize("edition", EDITIONS)
def test_no_payload_runs_in_search_results(browser, serve, hostile_site, edition):
    url = serve(hostile_site)
    context, page = _new_page(browser)
    words = [p.pid for p in PLANTED if p.searchable and (edition == "staff" or not p.staff_only)]
    page.goto(f"{url}/{edition}/{SEARCH_START[edition]}")
    page.wait_for_load_state("networkidle")
    before = len(_pwned(page))  # the page itself is checked by the test above
    meta = page.locator(".md-search-result__meta")
    ran, counts = [], {}
    for word in words:
        page.keyboard.press("/")
        page.fill(".md-search__input", "")
        page.keyboard.press("End")  # Material searches on key events; one query per word, so hits name it
        page.wait_for_function(f"document.querySelector('.md-search-result__meta').textContent.trim() === {IDLE!r}")
        page.fill(".md-search__input", word)
        page.keyboard.press("End")
        page.wait_for_function(f"document.querySelector('.md-search-result__meta').textContent.trim() !== {IDLE!r}")
        counts[word] = meta.inner_text()
        if hits := _pwned(page)[before:]:
            ran.append(f"search {word}: {sorted(set(hits))}")
        before += len(hits)
        page.keyboard.press("Escape")
    context.close()
    assert [w for w, c in counts.items() if "No matching" in c] == []  # each search showed results
    assert page.dialogs == []
    assert ran == [], "\n".join(ran)


# --- payloads validation must refuse: the exact located error, and no build ------------------------------
# Each case writes whole files into a copy of the minimal plan (or replaces one line of plan.yaml) and lists
# the errors exactly as (file, line, col, code): mkdocs.yml settings (C6xx), control characters (L011),
# unsafe HTML in guide pages and documents (M401).

GUIDE = "content/guide/index.md"
DOC = "content/documents/briefing.md"
DOC_HEAD = ("---\nid: DOC1\ntitle: Staff briefing, June 2013\ndate: 2013-06-10\ntype: briefing\naudience: public\n"
            "about: [A1]\n---\n")  # 8 lines: the body starts on line 9
GUIDE_HEAD = "---\ntitle: Editor guide\n---\n\n# Editor guide\n\n"  # the body's own lines start on line 7
A1_TITLE = "    title: Audit all priority cases at the front door.\n"  # plan.yaml line 45; its value at col 12


@dataclass(frozen=True)
class Refusal:
    files: dict[str, str]  # path -> whole new content
    expected: list[tuple[str, int, int, str]]
    plan_line: tuple[str, str] | None = None  # (old line, new line) of plan.yaml


REFUSED: dict[str, Refusal] = {
    # guide pages (today written into the staff edition unsanitised: each of these ran)
    "guide-raw-script": Refusal({GUIDE: GUIDE_HEAD + "<script>window.__pwned.push('g1')</script>\n"},
                                [(GUIDE, 7, 1, "M401")]),
    "guide-img-onerror": Refusal({GUIDE: GUIDE_HEAD + "Text <img src=x onerror=\"window.__pwned.push('g2')\">\n"},
                                 [(GUIDE, 7, 6, "M401")]),
    "guide-javascript-link": Refusal({GUIDE: GUIDE_HEAD + "See [the guide](javascript:window.__pwned.push('g3')).\n"},
                                     [(GUIDE, 7, 17, "M401")]),
    "guide-svg-onload": Refusal({GUIDE: GUIDE_HEAD + "<svg onload=\"window.__pwned.push('g4')\"></svg>\n"},
                                [(GUIDE, 7, 1, "M401"), (GUIDE, 7, 1, "M401")]),
    "guide-iframe-javascript": Refusal({GUIDE: GUIDE_HEAD + "<iframe src=\"javascript:window.__pwned.push('g5')\">"
                                        "</iframe>\n"}, [(GUIDE, 7, 1, "M401"), (GUIDE, 7, 1, "M401")]),
    # public documents (refused already today)
    "document-raw-script": Refusal({DOC: DOC_HEAD + "Body.\n\n<script>window.__pwned.push('d1')</script>\n"},
                                   [(DOC, 11, 1, "M401")]),
    "document-img-onerror": Refusal({DOC: DOC_HEAD + "Body <img src=x onerror=\"window.__pwned.push('d2')\">\n"},
                                    [(DOC, 9, 6, "M401")]),
    "document-javascript-link": Refusal({DOC: DOC_HEAD + "[minutes](javascript:window.__pwned.push('d3'))\n"},
                                        [(DOC, 9, 11, "M401")]),
    "document-entity-javascript-link": Refusal({DOC: DOC_HEAD + "[minutes](&#106;avascript:alert(1))\n"},
                                               [(DOC, 9, 11, "M401")]),
    "document-a-href-javascript": Refusal({DOC: DOC_HEAD + "<a href=\"JaVaScRiPt:window.__pwned.push('d4')\">x</a>\n"},
                                          [(DOC, 9, 1, "M401")]),
    # control characters that break a staged page's front matter (YAML escapes let them through today)
    "title-with-del": Refusal({}, [("plan.yaml", 48, 12, "L011")],
                              (A1_TITLE, '    title: "Audit\\x7f\\n---\\n<script>window.__pwned.push(1)</script>"\n')),
    "title-with-c1-next-line": Refusal({}, [("plan.yaml", 48, 12, "L011")],
                                       (A1_TITLE, '    title: "Audit\\u0085<img src=x onerror=alert(1)>"\n')),
    "title-with-bidi-override": Refusal({}, [("plan.yaml", 48, 12, "L011")],
                                        (A1_TITLE, '    title: "Audit \\u202egnp.exe"\n')),
    "document-body-with-del": Refusal({DOC: DOC_HEAD + "Body \x7f here.\n"}, [(DOC, 9, 6, "L011")]),
    # a javascript: evidence link (refused already today)
    "evidence-javascript-url": Refusal({}, [("plan.yaml", 56, 35, "S106")], (
        "        narrative: Audit half done.\n",
        "        narrative: Audit half done.\n        evidence:\n"
        "          - {title: Minutes, url: 'javascript:window.__pwned.push(1)'}\n")),
    # mkdocs.yml values that reach every page raw or load third-party code
    "mkdocs-palette-primary-markup": Refusal(
        {"mkdocs.yml": "theme:\n  palette:\n    primary: 'indigo\"><script>window.__pwned.push(1)</script>'\n"},
        [("mkdocs.yml", 3, 14, "C603")]),
    "mkdocs-site-url-markup": Refusal(
        {"mkdocs.yml": "site_url: 'https://example.org/\"><script>window.__pwned.push(1)</script>'\n"},
        [("mkdocs.yml", 1, 11, "C604")]),
    "mkdocs-homepage-javascript": Refusal(
        {"mkdocs.yml": "extra:\n  homepage: 'javascript:window.__pwned.push(1)'\n"}, [("mkdocs.yml", 2, 13, "C604")]),
    "mkdocs-social-link-javascript": Refusal(
        {"mkdocs.yml": "extra:\n  social:\n    - icon: fontawesome/brands/github\n"
                       "      link: 'javascript:window.__pwned.push(1)'\n"}, [("mkdocs.yml", 4, 13, "C604")]),
    "mkdocs-social-link-quote": Refusal(
        {"mkdocs.yml": "extra:\n  social:\n    - icon: fontawesome/brands/github\n"
                       "      link: 'https://example.org/?q=\"><svg onload=window.__pwned.push(1)>'\n"},
        [("mkdocs.yml", 4, 13, "C604")]),
    "mkdocs-homepage-quote": Refusal(
        {"mkdocs.yml": "extra:\n  homepage: 'https://example.org/\"><svg onload=window.__pwned.push(1)>'\n"},
        [("mkdocs.yml", 2, 13, "C604")]),
    "mkdocs-analytics": Refusal(
        {"mkdocs.yml": "extra:\n  analytics:\n    provider: google\n    property: G-XXXXXXXXXX\n"},
        [("mkdocs.yml", 2, 3, "C601")]),
    "mkdocs-remote-logo": Refusal(
        {"mkdocs.yml": "theme:\n  logo: https://evil.example/logo.png\n"}, [("mkdocs.yml", 2, 9, "C605")]),
    "mkdocs-remote-favicon": Refusal(
        {"mkdocs.yml": "theme:\n  favicon: https://evil.example/favicon.png\n"}, [("mkdocs.yml", 2, 12, "C605")]),
    "mkdocs-extra-javascript": Refusal(
        {"mkdocs.yml": "extra_javascript:\n  - https://evil.example/x.js\n"}, [("mkdocs.yml", 1, 1, "C601")]),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_unsafe_payloads_are_refused_with_a_located_error(tmp_path, name):
    from generator.build import build_sites
    from generator.validate import validate_all

    case = REFUSED[name]
    root = copy_plan(FIXTURES / "minimal", tmp_path / "plan")
    for rel, text in case.files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    if case.plan_line:
        old, new = case.plan_line
        text = (root / "plan.yaml").read_text(encoding="utf-8")
        assert text.count(old) == 1
        (root / "plan.yaml").write_text(text.replace(old, new), encoding="utf-8")
    _, diags, _ = validate_all(root)
    errors = [(d.file, d.line, d.col, d.code) for d in diags if d.severity.value == "error"]
    assert len(errors) == len(case.expected), [d.text() for d in diags]
    assert errors == case.expected, [d.text() for d in diags]
    diags, _ = build_sites(root, tmp_path / "site")
    assert [d.code for d in diags if d.severity.value == "error"] == [a[3] for a in errors]
    assert not (tmp_path / "site").exists()
