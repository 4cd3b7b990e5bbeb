"""Whole-site builds of the minimal fixture, asserted on their HTML."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import FIXTURES, build, copy_plan, site_files

V = "2013-07-board"


def page(site: Path, edition: str, rel: str, version: str = V) -> str:
    return (site / edition / version / rel / "index.html").read_text(encoding="utf-8")


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_both_editions_have_every_page_kind(minimal_site):
    for edition in ("public", "staff"):
        for rel in ["", "themes", "themes/T1", "actions", "actions/A1", "recommendations", "recommendations/R1",
                    "measures", "measures/M1", "gradings", "documents", "documents/DOC1", "glossary",
                    "accessibility", "downloads", "changes"]:
            assert (minimal_site / edition / V / rel / "index.html").exists(), (edition, rel)
    assert (minimal_site / "staff" / V / "risks" / "index.html").exists()
    assert not (minimal_site / "public" / V / "risks").exists()


def test_home_page_shows_the_plan_in_one_screen(minimal_site):
    home = text_of(page(minimal_site, "public", ""))
    assert "as reported on 1 July 2013" in home
    assert "2 actions" in home and "0 actions are overdue" in home
    assert "1 recommendation" in home
    assert "Staff briefing, June 2013" in home  # latest documents


def test_action_page_has_status_history_links_and_mentions(minimal_site):
    html = page(minimal_site, "public", "actions/A1")
    assert 'ip-status--amber">Amber</span>' in html
    assert "Audit half done." in html
    assert 'href="../../themes/T1/"' in html
    assert 'href="../../themes/T1/#C1"' in html
    assert 'href="../../recommendations/R1/"' in html
    assert 'href="../../documents/DOC1/"' in html  # mentioned in


def test_links_go_both_ways(minimal_site):
    theme = page(minimal_site, "public", "themes/T1")
    assert 'href="../../actions/A1/"' in theme
    rec = page(minimal_site, "public", "recommendations/R1")
    assert 'href="../../actions/A1/"' in rec  # delivered by
    doc = page(minimal_site, "public", "documents/DOC1")
    assert 'href="../../actions/A1/"' in doc  # about


def test_every_internal_link_resolves(minimal_site):
    for edition in ("public", "staff"):
        base = minimal_site / edition / V
        for html_file in (f for f in base.rglob("*.html") if f.name != "404.html"):  # 404 uses root URLs
            for href in re.findall(r'href="([^"#:?]+)(?:#[^"]*)?"', html_file.read_text(encoding="utf-8")):
                if href.startswith(("http", "mailto", "//")) or href.startswith("../latest") or "/latest/" in href:
                    continue
                target = (html_file.parent / href).resolve()
                if not target.suffix:
                    target = target / "index.html"
                elif target.is_dir():
                    target = target / "index.html"
                assert target.exists() or (target.parent.name == "versions.json"), (edition, html_file, href)


def test_overdue_action_stands_out_with_its_last_update(tmp_path):
    root = copy_plan(FIXTURES / "minimal", tmp_path / "plan")
    plan = root / "plan.yaml"
    plan.write_text(plan.read_text().replace("target_date: 2013-09-30", "target_date: 2013-06-30"))
    site = build(root)
    register = page(site, "staff", "actions", "draft")
    overdue = register.split('id="overdue"')[1].split('id="all"')[0]
    assert "A1" in overdue and "Audit half done." in overdue
    assert "1 action is overdue" in text_of(page(site, "staff", "", "draft"))


def test_measure_page_has_an_accessible_svg_chart_and_table(minimal_site):
    html = page(minimal_site, "public", "measures/M1")
    svg = re.search(r'<svg class="chart chart--wide".*?</svg>', html, re.S).group(0)
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert "From 21.6% in November 2012 to 85.4% in April 2013" in svg
    assert "Target 80%" in svg
    assert "<td>85.4%</td>" in html


def test_scorecard_judges_against_target(minimal_site):
    html = page(minimal_site, "public", "measures")
    assert "Meets target" in html and "Up 63.8 points since November 2012 \u2014 better (higher is better)" in html


def test_downloads_hold_the_edition_data(minimal_site):
    base = minimal_site / "public" / V / "downloads"
    data = json.loads((base / "plan.json").read_text())
    assert data["edition"] == "public" and [a["id"] for a in data["actions"]] == ["A1", "A2"]
    assert data["risks"] == []
    assert (base / "actions.csv").read_text().splitlines()[0].startswith("id,action,theme")
    assert "R1," in (base / "recommendations.csv").read_text()
    assert ("M1,Core assessments in timescale,percent,higher,2013-04 (month),2013-04-01,2013-04-30,85.4,"
            in (base / "measures.csv").read_text())


def test_nav_lists_registers_not_item_pages(minimal_site):
    html = page(minimal_site, "staff", "")
    nav = html.split('class="md-nav md-nav--primary"')[1].split('class="md-sidebar md-sidebar--secondary"')[0]
    assert "Actions" in nav and "Risks" in nav
    assert "actions/A1/" not in nav


def test_no_request_to_another_host_in_markup(minimal_site):
    for html_file in (minimal_site / "public" / V).rglob("*.html"):
        html = html_file.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html
        for src in re.findall(r'(?:src|href)="(https?://[^"]+)"', html):
            assert False, f"{html_file}: external resource {src}"


def test_version_layout_and_versions_json(minimal_site):
    public = json.loads((minimal_site / "public" / "versions.json").read_text())
    assert public == [{"version": V, "title": "Improvement Board, July 2013", "aliases": ["latest"]}]
    staff = json.loads((minimal_site / "staff" / "versions.json").read_text())
    assert staff == [{"version": "draft", "title": "Draft: not yet reported", "aliases": []},
                     {"version": V, "title": "Improvement Board, July 2013", "aliases": ["latest"]}]
    for edition in ("public", "staff"):
        versions = json.loads((minimal_site / edition / "versions.json").read_text())
        ids = [v["version"] for v in versions]
        assert V in ids and (minimal_site / edition / "latest" / "index.html").exists()
        assert "latest/" in (minimal_site / edition / "index.html").read_text()
        assert ("draft" in ids) == (edition == "staff")
    assert (minimal_site / "staff" / "draft" / "index.html").exists()
    assert not (minimal_site / "public" / "draft").exists()
    assert "Draft: not yet reported" in page(minimal_site, "staff", "", "draft")


def test_editors_markdown_is_sanitised_but_ordinary_markdown_works():
    from generator.render import sanitise_markdown

    html = sanitise_markdown("## Head\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- item\n\n[ok](https://example.org)\n\n"
                             "!!! note \"Title\"\n    Body\n\n<script>alert(1)</script>\n"
                             "<img src=x onerror=alert(1)>\n[bad](javascript:alert(1))\n<iframe src=x></iframe>"
                             "<object data=x></object><style>p{}</style>")
    assert "<table>" in html and "<li>item</li>" in html and 'href="https://example.org"' in html
    assert 'class="admonition note"' in html and "<h2" in html
    for bad in ("<script", "onerror", "javascript:", "<iframe", "<object", "<style"):
        assert bad not in html, bad


def test_invalid_content_leaves_existing_output_untouched(tmp_path):
    root = copy_plan(FIXTURES / "minimal", tmp_path / "plan")
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("old site")
    (root / "plan.yaml").write_text((root / "plan.yaml").read_text().replace("target_date: 2013-09-30",
                                                                             "target_date: 2013-02-30"))
    from generator.build import build_sites

    diags, _ = build_sites(root, out)
    assert any(d.code == "S105" for d in diags)
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "plan"]


def test_build_cli_exit_codes(tmp_path):
    import subprocess
    import sys

    root = copy_plan(FIXTURES / "minimal", tmp_path / "plan")
    ok = subprocess.run([sys.executable, "-m", "generator", "build", "--root", str(root), "--out", "out"],
                        capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert (root / "out" / "staff" / "draft" / "index.html").exists()
    (root / "plan.yaml").write_text("plan: [")
    bad = subprocess.run([sys.executable, "-m", "generator", "build", "--root", str(root), "--out", "out"],
                         capture_output=True, text=True)
    assert bad.returncode == 1 and "L004" in bad.stderr and "Traceback" not in bad.stderr
    usage = subprocess.run([sys.executable, "-m", "generator", "build", "--nope"], capture_output=True, text=True)
    assert usage.returncode == 2


def test_two_builds_are_byte_identical(tmp_path):
    from datetime import date

    from conftest import publish_as

    root = copy_plan(FIXTURES / "minimal", tmp_path / "plan")
    publish_as(root, "2013-07-board", "Improvement Board, July 2013", date(2013, 7, 1))
    a = site_files(build(root, tmp_path / "a", reports=True))  # the reports and tracker too
    b = site_files(build(root, tmp_path / "b", workers=2, reports=True))  # its own cache (.cache/ is inside the output)
    assert sorted(a) == sorted(b) and len(a) > 100
    assert [name for name in a if a[name] != b[name]] == []


def test_a_document_about_a_commitment_links_to_it_on_its_theme_page(tmp_path):
    root = copy_plan(FIXTURES / "minimal", tmp_path / "plan")
    doc = root / "content/documents/briefing.md"
    doc.write_text(doc.read_text().replace("about: [A1]", "about: [A1, C1]"))
    site = build(root)
    assert 'href="../../themes/T1/#C1">C1: Every child gets a timely assessment.</a>' in page(
        site, "staff", "documents/DOC1", "draft")
