"""Issue 11, items 8 and 9: the accessibility statement on the GDS model (its sections in both editions, the contact
from the working plan on every version, the claims from generator/accessibility.py) and the data downloads (named
by reporting point, the old short names kept, sizes on the page, no staff-only text in a public file)."""

from __future__ import annotations

import html as html_lib
import re
from datetime import date
from pathlib import Path

import pytest

from conftest import build, publish_as
from generator.accessibility import AUTOMATED_CHECKS, LIMITATIONS
from generator.render import Download
from plan_edits import Replace, apply, edited

V = "2013-07-board"
GOV_CHAIR = "      chair: ROLE-CHAIR\n"
A1_TITLE = "    title: Audit all priority cases at the front door.\n"
CANARY_NOTE = "    internal_note: canary-statement-download\n"
CONTACT = ("  accessibility:\n    team: the Improvement Team\n    email: access@council.example\n"
           "    url: https://council.example/access\n    phone: 01632 960000\n    reply_days: 5\n"
           "    prepared: 2013-06-01\n    reviewed: 2013-07-20\n")
SECTIONS = ["How accessible this website is", "Feedback and contact information",
            "Reporting accessibility problems with this website", "Enforcement procedure",
            "Technical information about this website\u2019s accessibility", "Non-accessible content",
            "What we\u2019re doing to improve accessibility", "Preparation of this accessibility statement"]
H3 = ["Compliance status", "Non-compliance with the accessibility regulations", "Disproportionate burden",
      "Content that\u2019s not within the scope of the accessibility regulations"]


@pytest.fixture(scope="module")
def statement_site(tmp_path_factory) -> Path:
    """The minimal fixture (action A1 with a staff-only note) published without a contact, then given one in the
    working plan only, then built: every version's statement shows the working plan's contact."""
    root = edited(tmp_path_factory.mktemp("statement"), Replace(A1_TITLE, A1_TITLE + CANARY_NOTE))
    publish_as(root, V, "Improvement Board, July 2013", date(2013, 7, 1))
    apply(root, Replace(GOV_CHAIR, GOV_CHAIR + CONTACT))
    return build(root)


def text_of(site: Path, edition: str, version: str, path: str) -> str:
    raw = (site / edition / version / path / "index.html").read_text(encoding="utf-8")
    body = raw.split('<div class="ip-page">', 1)[1].split('<p class="ip-record"', 1)[0]
    return html_lib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


@pytest.mark.parametrize("edition, version", [("public", V), ("staff", V), ("staff", "draft")])
def test_statement_has_the_model_sections_and_the_working_plans_contact(statement_site, edition, version):
    raw = (statement_site / edition / version / "accessibility" / "index.html").read_text(encoding="utf-8")
    assert re.findall(r"<h2 id=\"[a-z-]+\">([^<]+)</h2>", html_lib.unescape(raw).replace("&#8217;", "\u2019")) \
        == SECTIONS
    assert re.findall(r"<h3 id=\"[a-z-]+\">([^<]+)</h3>", html_lib.unescape(raw)) == H3
    text = text_of(statement_site, edition, version, "accessibility")
    assert text.count("email access@council.example use the form at https://council.example/access call "
                      "01632 960000") == 2  # feedback, and reporting problems
    assert '<a href="mailto:access@council.example">access@council.example</a>' in raw
    assert "get back to you in 5 working days." in text
    assert ("This website is partially compliant with the Web Content Accessibility Guidelines (WCAG) version 2.2 AA "
            "standard, due to the non-compliances listed below.") in text
    assert "This statement was prepared on 1 June 2013. It was last reviewed on 20 July 2013." in text
    assert "Equality and Human Rights Commission (EHRC)" in text and "Equality Advisory and Support Service" in text
    for check in AUTOMATED_CHECKS:
        assert check.claim in text
    for item in LIMITATIONS:
        assert item.summary in text and (item.text in text) == (item.heading != "alternative")
    label = {"public": "public edition", "staff": "staff edition"}[edition]
    point = "Draft: not yet reported" if version == "draft" else "Improvement Board, July 2013"
    assert f"this page is part of its {label}, at the reporting point {point}." in text


def test_statement_without_a_contact_sends_readers_to_the_council(minimal_site):
    text = text_of(minimal_site, "public", V, "accessibility")
    assert text.count("contact Example Borough Council through its main website, and ask for the team that runs "
                      "its children\u2019s services improvement plan.") == 2
    assert "get back to you in 10 working days." in text and "This statement was prepared" not in text


# --- downloads ---------------------------------------------------------------------------------

NAMES = ["plan", "actions", "recommendations", "measures", "timeline", "gradings"]


@pytest.mark.parametrize("edition, version", [("public", V), ("staff", V), ("staff", "draft")])
def test_downloads_are_named_by_reporting_point_and_keep_their_short_names(minimal_site, edition, version):
    folder = minimal_site / edition / version / "downloads"
    ext = {"plan": "json"}
    named = {f"{n}-{version}.{ext.get(n, 'csv')}" for n in NAMES}
    short = {f"{n}.{ext.get(n, 'csv')}" for n in NAMES}
    papers = set() if version == "draft" else {  # no short names; the draft has no papers (build.py)
        f"report-{version}.docx", f"report-{version}.pdf", f"tracker-{version}.xlsx"}
    assert {p.name for p in folder.iterdir()} == named | short | papers | {"index.html"}
    for n in NAMES:
        e = ext.get(n, "csv")
        assert (folder / f"{n}-{version}.{e}").read_bytes() == (folder / f"{n}.{e}").read_bytes()
    html = (folder / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<li><a href="([^"]+)">([^<]+)</a> \((CSV|JSON), ([\d,]+ KB)\): ', html)
    assert [name for _, name, _, _ in links] == [f"{n}-{version}.{ext.get(n, 'csv')}" for n in NAMES]
    for href, name, kind, size in links:
        target = folder / href
        assert target.is_file() and href == name and kind == name.rsplit(".", 1)[1].upper()
        assert size == Download("", "", kind, "", target.read_text(encoding="utf-8")).size
    assert "Dates are written YYYY-MM-DD" in html and "2013-03 (month)" in html


def test_every_csv_row_says_which_reporting_point_it_is(minimal_site):
    for n in NAMES[1:]:
        lines = (minimal_site / "public" / V / "downloads" / f"{n}.csv").read_text(encoding="utf-8").splitlines()
        assert lines[0].endswith(",reporting_point,reporting_point_title,reporting_point_date")
        assert all(line.endswith(',2013-07-board,"Improvement Board, July 2013",2013-07-01') for line in lines[1:])


def test_download_sizes_round_up_to_whole_kilobytes():
    assert [Download("", "", "CSV", "", "x" * n).size for n in (0, 1, 1024, 1025, 2_000_000)] == \
        ["1 KB", "1 KB", "1 KB", "2 KB", "1,954 KB"]


def test_no_public_download_holds_staff_only_text(statement_site):
    def every_download(edition: str) -> bytes:
        return b"".join(p.read_bytes() for v in (V, "latest") for p in
                        sorted((statement_site / edition / v / "downloads").iterdir()))

    assert b"canary-statement-download" in every_download("staff")
    assert b"canary-statement-download" not in every_download("public")


def test_a_new_contact_reaches_every_published_version_on_the_next_build(tmp_path):
    root = edited(tmp_path, Replace(GOV_CHAIR, GOV_CHAIR + CONTACT))
    publish_as(root, V, "Improvement Board, July 2013", date(2013, 7, 1))
    site = build(root)
    assert "access@council.example" in text_of(site, "public", V, "accessibility")
    apply(root, Replace("access@council.example", "statement@council.example"))
    build(root)  # the same output: the published version is rebuilt, not kept from the cache
    text = text_of(site, "public", V, "accessibility")
    assert "statement@council.example" in text and "access@council.example" not in text
