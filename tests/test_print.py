"""Pages that name themselves (issue 11 part 1): the browser tab, the printed page (its first lines and every
sheet's margins) and the 404 pages, staged once (generator/stage.py) and checked across a whole built output."""

from __future__ import annotations

import re
from datetime import date
from html import unescape
from pathlib import Path

import pytest

from conftest import FIXTURES, build, copy_plan, publish_as, site_files, commit_and_correct
from generator.project import PUBLIC, STAFF
from generator.reporting import Version
from generator.stage import css_string, edition_root, page_address, print_styles

HOSTILE = "Board </title><script>alert(1)</script> & June"
SITE = "Example Borough Council: Children&#39;s Services Improvement Plan"
CORRECTION = "2013-07-20: The audit figure was misreported at the board."


@pytest.fixture(scope="module")
def site(tmp_path_factory, monkeypatch_module) -> Path:
    """The minimal plan published twice (the first point's title hostile), the second corrected; site_url set."""
    root = copy_plan(FIXTURES / "minimal", tmp_path_factory.mktemp("print") / "plan")
    (root / "mkdocs.yml").write_text("site_url: https://example.org/plan/\n")
    publish_as(root, "2013-06-board", HOSTILE, date(2013, 6, 25))
    publish_as(root, "2013-07-board", "Improvement Board, July 2013", date(2013, 7, 1))
    commit_and_correct(root, "2013-07-board", "The audit figure was misreported at the board.")
    return build(root)


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    for who in ("AUTHOR", "COMMITTER"):
        mp.setenv(f"GIT_{who}_NAME", "Editor")
        mp.setenv(f"GIT_{who}_EMAIL", "editor@example.org")
    yield mp
    mp.undo()


def _title(html: str) -> str:
    found = re.findall(r"<title>(.*?)</title>", html, re.S)
    assert len(found) == 1, found
    return found[0]


def _print_lines(html: str) -> list[str]:
    """The print-only first lines of a page, as text (each <p> one line)."""
    block = re.search(r'<div class="ip-print-id">(.*?)</div>', html, re.S)
    assert block, "no print header"
    return [unescape(re.sub(r"<[^>]+>", "", p)).strip() for p in re.findall(r"<p[^>]*>(.*?)</p>", block.group(1), re.S)]


def test_css_string_shows_exactly_the_text_and_cannot_end_the_rule():
    assert css_string("A1: ok") == '"A1\\3a \\20 ok"'
    hostile = css_string('x";} body { display: none } </style>\\\n')
    assert hostile.count('"') == 2 and not re.search(r"[;{}<>\n]", hostile)


def test_the_public_edition_is_served_at_site_url_and_the_staff_edition_where_make_view_serves_it():
    assert edition_root("https://example.org/plan/", PUBLIC) == "/plan/"
    assert edition_root("https://example.org", PUBLIC) == "/"
    assert edition_root(None, PUBLIC) == "/public/"
    assert edition_root("https://example.org/plan/", STAFF) == "/staff/"
    v = Version("2013-07-board", "T", date(2013, 7, 1))
    assert page_address("https://example.org/plan/", PUBLIC, v) == "https://example.org/plan/2013-07-board/"
    assert page_address("https://example.org/plan/", STAFF, v) == ""
    assert page_address(None, PUBLIC, v) == ""


def test_print_margins_name_site_edition_point_date_and_notices():
    DAY = "1\u00a0July\u00a02013"  # noqa: N806  (a date never splits over two lines of the margin)
    POINT = f"Staff edition: not for publication · Draft: not yet reported · {DAY}"  # noqa: N806
    draft = Version("draft", "Draft: not yet reported", date(2013, 7, 1), is_draft=True)
    assert print_styles("Council: Plan", STAFF, draft) == (
        "/* Generated for one (edition, version) site: the running header and footer of printed pages. */\n"
        "@page {\n  margin: 18mm 14mm 16mm;\n"
        '  @top-left { content: "Council\\3a \\20 Plan"; font: 8pt system-ui, sans-serif; color: #000; '
        "padding-right: 6mm; }\n"
        f'  @top-right {{ content: {css_string(POINT)}; '
        "font: 8pt system-ui, sans-serif; color: #000; text-align: right; padding-left: 6mm; }\n"
        '  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt system-ui, sans-serif; '
        "color: #000; }\n"
        f'  @bottom-left {{ content: {css_string("Draft: not yet reported · Staff edition: not for publication")}; '
        "font: 8pt system-ui, sans-serif; color: #000; font-weight: 700; }\n}\n")
    plain = print_styles("C", PUBLIC, Version("v", "T", date(2013, 7, 1)))
    assert "@bottom-left" not in plain and css_string(f"Public edition · T · {DAY}") in plain
    corrected = print_styles("C", PUBLIC, Version("v", "T", date(2013, 7, 1), correction="x"))
    assert f"@bottom-left {{ content: {css_string('Corrected after publication')};" in corrected


def test_every_page_title_is_unique_across_the_output_and_names_page_point_edition_and_site(site):
    titles: dict[str, str] = {}
    for rel, raw in site_files(site).items():
        parts = rel.split("/")
        if not rel.endswith(".html") or len(parts) < 3 or parts[1] == "latest" or not rel.endswith("index.html"):
            continue
        title = _title(raw.decode())
        assert title not in titles, f"{rel} and {titles.get(title)}: {title}"
        titles[title] = rel
    assert len(titles) > 40
    pub = (site / "public/2013-07-board/actions/index.html").read_text()
    assert _title(pub) == f"Actions register · Improvement Board, July 2013 · {SITE}"
    staff = (site / "staff/draft/actions/index.html").read_text()
    assert _title(staff) == f"Actions register · Draft: not yet reported · Staff edition · {SITE}"
    home = (site / "staff/2013-07-board/index.html").read_text()
    assert _title(home) == f"Improvement Board, July 2013 · Staff edition · {SITE}"


def test_a_version_title_is_escaped_once_in_the_tab_the_print_header_and_the_404(site):
    escaped = "Board &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; June"
    for rel in ("public/2013-06-board/actions/index.html", "public/2013-06-board/404.html"):
        html = (site / rel).read_text()
        assert "<script>alert(1)" not in html and "&amp;lt;" not in html
        assert escaped in _title(html)
    lines = _print_lines((site / "public/2013-06-board/actions/index.html").read_text())
    assert lines == ["Example Borough Council: Children's Services Improvement Plan",
                     f"Public edition · {HOSTILE} · 25 June 2013",
                     "This page: https://example.org/plan/2013-06-board/actions/"]


def test_printed_pages_carry_edition_point_date_and_every_notice(site):
    org = "Example Borough Council: Children's Services Improvement Plan"
    corrected = _print_lines((site / "public/2013-07-board/actions/A1/index.html").read_text())
    assert corrected == [org, "Public edition · Improvement Board, July 2013 · 1 July 2013",
                         f"Corrected after publication. {CORRECTION}",
                         "This page: https://example.org/plan/2013-07-board/actions/A1/"]
    staff = _print_lines((site / "staff/2013-07-board/index.html").read_text())
    assert staff == [org, "Staff edition: not for publication · Improvement Board, July 2013 · 1 July 2013",
                     f"Corrected after publication. {CORRECTION}",
                     "Staff edition. Includes staff-only content such as the risk register and internal notes. "
                     "Do not share outside the council and its partners."]
    draft = _print_lines((site / "staff/draft/measures/index.html").read_text())
    assert draft[:3] == [org, "Staff edition: not for publication · Draft: not yet reported · 1 July 2013",
                         "Draft: not yet reported. This is the working plan as editors are changing it. It has not "
                         "been reported to any board or panel."]
    assert len(draft) == 4 and draft[3].startswith("Staff edition. ")
    margins = (site / "public/2013-07-board/assets/ip-print-id.css").read_text()
    assert margins == print_styles("Example Borough Council: Children's Services Improvement Plan", PUBLIC,
                                   Version("2013-07-board", "Improvement Board, July 2013", date(2013, 7, 1),
                                           correction=CORRECTION))
    assert '<link rel="stylesheet" href="../assets/ip-print-id.css">' in \
        (site / "public/2013-07-board/actions/index.html").read_text()


def _links(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="([^"]*)"', html)


def test_every_404_is_self_contained_with_links_from_the_servers_root(site):
    files = site_files(site)
    for edition, versions in (("public", ["2013-06-board", "2013-07-board"]),
                              ("staff", ["2013-06-board", "2013-07-board", "draft"])):
        root = "/plan/" if edition == "public" else "/staff/"
        for vid in versions:
            html = files[f"{edition}/{vid}/404.html"].decode()
            # data: is the icon, so that no favicon is asked for from a missing folder
            assert _links(html) == ["data:,", "#ip-main", f"{root}{vid}/", f"{root}latest/"], (edition, vid)
            assert "<style>" in html and "<script" not in html and "<h1>Page not found</h1>" in html
        assert files[f"{edition}/404.html"] == files[f"{edition}/latest/404.html"]
    assert files["404.html"] == files["public/404.html"]
    assert "Public edition</strong> · Improvement Board, July 2013 · 1 July 2013" in files["404.html"].decode()
    assert "Staff" not in files["404.html"].decode()


def test_canonical_addresses_follow_where_the_public_edition_is_served(site):
    """site_url is where the publish workflow serves site/public: a public page's canonical address and its sitemap
    have no /public/ in them; the staff edition, whose host the generator does not know, claims no address there."""
    about = (site / "public" / "2013-07-board" / "about" / "index.html").read_text("utf-8")
    assert '<link rel="canonical" href="https://example.org/plan/2013-07-board/about/">' in about
    staff = (site / "staff" / "2013-07-board" / "about" / "index.html").read_text("utf-8")
    assert "example.org" not in staff
    sitemap = (site / "public" / "2013-07-board" / "sitemap.xml").read_text("utf-8")
    assert "<loc>https://example.org/plan/2013-07-board/about/</loc>" in sitemap
