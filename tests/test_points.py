"""The Reporting points page and "compare any two points" (issue 11, part 2), on whole sites of both editions.

The scene: the minimal plan published at three points, the middle one with a hostile title, the first corrected
after the second was published, and a staff-only action (a canary) added at the third."""

from __future__ import annotations

import html
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest

from conftest import FIXTURES, build, copy_plan, publish_as
from generator.build import build_sites
from generator.render import in_version
from generator.versions import correct

JUNE, JULY, AUGUST = "2013-06-board", "2013-07-board", "2013-08-board"
JULY_TITLE = "July <img src=x onerror=alert(1)> board"
CANARY = "Canary staff-only supervision audit"
REASON = "The clinics figure was misreported at the board"


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Editor", "-c", "user.email=editor@example.org", "-C", str(root), *args],
                   check=True, capture_output=True)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new))


def three_points(root: Path) -> Path:
    """Publish the scene's three points into a copy of the minimal plan (a git repository); returns the root."""
    git(root, "init", "-q")
    publish_as(root, JUNE, "Improvement Board, June 2013", date(2013, 6, 25))
    git(root, "add", "-A")
    git(root, "commit", "-qm", "June")
    plan = root / "plan.yaml"
    edit(plan, "        narrative: Audit half done.\n", "        narrative: Audit half done.\n"
         "      - date: 2013-07-01\n        status: green\n        narrative: Audit complete for all but ten cases.\n")
    publish_as(root, JULY, JULY_TITLE, date(2013, 7, 1))
    git(root, "add", "-A")
    git(root, "commit", "-qm", "July")
    edit(root / f"content/versions/{JUNE}.json", "Clinics running weekly.", "Clinics running twice a week.")
    correct(root, JUNE, REASON, date(2013, 7, 20))
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Correct June")
    edit(plan, "actions:\n", "actions:\n  - id: A9\n    commitment: C1\n    title: " + CANARY + ".\n"
         "    lead: ROLE-DCS\n    target_date: 2013-12-31\n    audience: staff\n"
         "  - id: A3\n    commitment: C1\n    title: Train managers in supervision.\n    lead: ROLE-DCS\n"
         "    target_date: 2013-12-31\n")
    publish_as(root, AUGUST, "Improvement Board, August 2013", date(2013, 8, 1))
    git(root, "add", "-A")
    git(root, "commit", "-qm", "August")
    return root


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build(three_points(copy_plan(FIXTURES / "minimal", tmp_path_factory.mktemp("points") / "plan")))


def body(path: Path) -> str:
    """The generator's part of a page (not Material's header, nav and footer)."""
    text = path.read_text()
    return text[text.index('<div class="ip-page">'):text.index("</article>")]


def hrefs(path: Path) -> list[str]:
    return re.findall(r'href="([^"]*)"', body(path))


def h1(path: Path) -> str:
    return re.search(r"<h1[^>]*>(.*?)</h1>", path.read_text(), re.S).group(1)


def resolve(page: Path, href: str) -> Path:
    """The file a relative link on `page` (a folder's index.html) opens, and that its #anchor exists there."""
    target, _, anchor = href.partition("#")
    path = (page.parent / target / "index.html" if target else page).resolve()
    assert path.is_file(), href
    if anchor:
        assert f'id="{anchor}"' in path.read_text(), href
    return path


VERSIONS = {"public": [JUNE, JULY, AUGUST], "staff": [JUNE, JULY, AUGUST, "draft"]}


@pytest.mark.parametrize("edition", ["public", "staff"])
def test_each_version_has_exactly_its_points_and_comparison_pages(site, edition):
    pages = {}
    for vid in VERSIONS[edition]:
        folder = site / edition / vid
        pages[vid] = sorted(p.parent.relative_to(folder).as_posix() for p in folder.glob("*/**/index.html")
                            if p.parent.relative_to(folder).parts[0] in ("changes", "points"))
    expected = {JUNE: ["changes", "points"], JULY: ["changes", "points"],
                AUGUST: ["changes", f"changes/since-{JUNE}", "points"]}
    if edition == "staff":
        expected["draft"] = ["changes", f"changes/since-{JUNE}", f"changes/since-{JULY}", "points"]
    assert pages == expected


def test_the_latest_points_page_links_every_point_in_plain_relative_links(site):
    page = site / "public/latest/points/index.html"
    assert h1(page) == "Reporting points"
    assert hrefs(page) == [
        "../../latest/points/",
        "../", "../changes/",  # August, the one being read (within `latest`)
        f"../../{JULY}/", f"../../{JULY}/changes/",
        f"../../{JUNE}/", f"../../{JUNE}/changes/", f"../../{JUNE}/corrections/#{JUNE}-correction-1",
        "../changes/", f"../changes/since-{JUNE}/",  # compare: August since July, since June
        f"../../{JULY}/changes/",  # July since June
    ]
    text = body(page)
    assert '<li id="point-2013-08-board" aria-current="true">' in text
    assert text.count("aria-current") == 1
    assert "You are reading this one" in text
    assert f"Corrected on 20 July 2013</a>: {REASON}</li>" in text
    assert "What changed since July &lt;img src=x onerror=alert(1)&gt; board</a>" in text
    assert "working draft" not in text  # the public edition has none


def test_a_staff_points_page_names_the_draft_and_the_drafts_lists_it(site):
    assert f'<a href="../../draft/">working draft</a>' in body(site / f"staff/{JULY}/points/index.html")
    draft = body(site / "staff/draft/points/index.html")
    assert '<li id="point-draft" aria-current="true">' in draft
    assert "The draft lists every reporting point published so far." in draft
    assert "latest list of reporting points" not in draft
    assert "Working draft, as at 1 July 2013: not yet reported" in draft
    assert re.findall(r'<li id="point-([^"]+)"', draft) == ["draft", AUGUST, JULY, JUNE]


@pytest.mark.parametrize("edition", ["public", "staff"])
def test_an_earlier_version_lists_only_the_points_up_to_itself(site, edition):
    page = site / edition / JULY / "points/index.html"
    text = body(page)
    assert re.findall(r'<li id="point-([^"]+)"', text) == [JULY, JUNE]
    assert AUGUST not in text and "August" not in text and "draft/changes" not in text
    assert ("This list is as it stood at July &lt;img src=x onerror=alert(1)&gt; board (1 July 2013): it shows the "
            "points up to and including this one. Any later points are in "
            '<a href="../../latest/points/">the latest list of reporting points</a>.') in text
    assert re.findall(r'<li id="point-([^"]+)"', body(site / edition / JUNE / "points/index.html")) == [JUNE]


@pytest.mark.parametrize("edition", ["public", "staff"])
def test_every_link_of_every_points_and_changes_page_resolves(site, edition):
    top = (site / edition).resolve()
    seen = set()
    for vid in VERSIONS[edition]:
        folder = site / edition / vid
        for page in [folder / "points/index.html", *folder.glob("changes/**/index.html")]:
            seen |= {resolve(page, href).parent.relative_to(top).as_posix() for href in hrefs(page)}
    pages = {s for s in seen if s.partition("/")[2] in ("", "points", "changes", "corrections")
             or "/changes/" in s}
    # (a version's own points page is reached from its nav, and from its comparisons where it has any)
    expected = {f"{v}/{p}" for v in VERSIONS[edition] for p in ("", "changes")} | {
        "latest/points", f"{AUGUST}/points", f"{AUGUST}/changes/since-{JUNE}", f"{JUNE}/corrections"}
    if edition == "staff":
        expected |= {"draft/points", f"draft/changes/since-{JUNE}", f"draft/changes/since-{JULY}"}
    assert pages == {e.rstrip("/") for e in expected}


def test_a_comparison_page_says_what_changed_since_the_earlier_point(site):
    page = site / f"public/{AUGUST}/changes/since-{JUNE}/index.html"
    assert h1(page) == "What changed since Improvement Board, June 2013"
    assert "<title>What changed since Improvement Board, June 2013 · Improvement Board, August 2013 · Example Borough Council" in page.read_text()
    text = body(page)
    assert '<p class="ip-lede">From Improvement Board, June 2013 to Improvement Board, August 2013.</p>' in text
    assert "Audit all priority cases at the front door: amber to green" in text
    assert "Train managers in supervision: new action, status not started" in text
    compare = text[text.index('id="compare"'):]
    assert re.findall(r'href="([^"]*)"', compare) == ["../", "../../points/#compare"]
    assert ("Since July &lt;img src=x onerror=alert(1)&gt; board</a>, the point before (1 July 2013)") in compare
    latest = body(site / f"public/{AUGUST}/changes/index.html")
    assert re.findall(r'href="([^"]*)"', latest[latest.index('id="compare"'):]) == [f"since-{JUNE}/",
                                                                                    "../points/#compare"]


def test_a_staff_only_item_reaches_the_staff_comparisons_only(site):
    for edition, shown in (("public", False), ("staff", True)):
        for page in (f"{AUGUST}/changes/since-{JUNE}", f"{AUGUST}/changes", f"{AUGUST}/points"):
            assert (CANARY in (site / edition / page / "index.html").read_text()) is (shown and "points" not in page)
    assert CANARY in (site / f"staff/draft/changes/since-{JUNE}/index.html").read_text()
    public = [p for p in (site / "public").rglob("*") if p.is_file() and CANARY.encode() in p.read_bytes()]
    assert public == []


def test_reporting_points_is_in_every_versions_navigation_after_what_changed(site):
    for edition, versions in VERSIONS.items():
        for vid in versions:
            for page in ("", "actions/A1/", f"changes/since-{JUNE}/" if vid in (AUGUST, "draft") else "points/"):
                text = (site / edition / vid / page / "index.html").read_text()
                nav = re.findall(r'class="md-nav__link[^"]*"[^>]*>\s*<span class="md-ellipsis">\s*([^<]*?)\s*</span>',
                                 text)
                assert nav[nav.index("What changed") + 1] == "Reporting points", (edition, vid, page)


def test_a_hostile_version_title_is_escaped_in_titles_and_nav_and_never_markup(site):
    page = (site / f"public/{AUGUST}/points/index.html").read_text()
    assert html.escape(JULY_TITLE, quote=False) in page
    for path in (site / "public").rglob("*.html"):
        assert "<img src=x" not in path.read_text(), path
    since = (site / f"staff/draft/changes/since-{JULY}/index.html").read_text()
    assert "<title>What changed since July &lt;img src=x onerror=alert(1)&gt; board · Draft: not yet reported · Staff edition · " in since


def test_in_version_links_to_a_sibling_version_from_any_depth():
    assert in_version("v1", "index.md", "index.md") == "../v1/"
    assert in_version("v1", "points.md", "points.md") == "../../v1/points/"
    assert in_version("v1", "changes/since-v0.md", "changes/since-v2.md") == "../../../v1/changes/since-v0/"
    assert in_version("v1", "corrections.md#v1-correction-1", "actions/A1.md") == \
        "../../../v1/corrections/#v1-correction-1"


def test_publishing_a_point_rebuilds_no_earlier_version(tmp_path):
    root = copy_plan(FIXTURES / "minimal", tmp_path / "plan")
    publish_as(root, JUNE, "Improvement Board, June 2013", date(2013, 6, 25))
    out = tmp_path / "site"
    assert build_sites(root, out, workers=1)[1] == {"built": 3, "cached": 0, "kept": 0, "jobs": 3}
    before = (out / f"public/{JUNE}/points/index.html").read_bytes()
    edit(root / "plan.yaml", "        narrative: Audit half done.\n", "        narrative: Audit half done.\n"
         "      - date: 2013-07-01\n        status: green\n        narrative: Audit complete.\n")
    publish_as(root, JULY, "Improvement Board, July 2013", date(2013, 7, 1))
    assert build_sites(root, out, workers=1)[1] == {"built": 3, "cached": 0, "kept": 2, "jobs": 5}
    assert (out / f"public/{JUNE}/points/index.html").read_bytes() == before
    latest = body(out / "public/latest/points/index.html")
    assert re.findall(r'<li id="point-([^"]+)"', latest) == [JULY, JUNE]


@pytest.mark.parametrize("edition", ["public", "staff"])
def test_the_notice_of_an_older_versions_comparison_leads_to_a_page_of_latest(site, edition):
    """Material's notice on versions other than latest links to the same page there; the draft's comparison with
    the point before latest is, in latest, its What changed page."""
    found = {}
    for vid in VERSIONS[edition]:
        for page in sorted((site / edition / vid).glob("changes/since-*/index.html")):
            href = re.search(r'data-md-component="outdated".*?<a href="([^"]*)"', page.read_text(), re.S).group(1)
            target = resolve(page, href).parent.relative_to((site / edition).resolve()).as_posix()
            found[page.parent.relative_to(site / edition).as_posix()] = target
    expected = {f"{AUGUST}/changes/since-{JUNE}": f"latest/changes/since-{JUNE}"}
    if edition == "staff":
        expected |= {f"draft/changes/since-{JUNE}": f"latest/changes/since-{JUNE}",
                     f"draft/changes/since-{JULY}": "latest/changes"}
    assert found == expected
