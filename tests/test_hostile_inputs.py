"""Hostile text and Markdown inputs (issue 8, sections 1 and 4): each case asserts its exact outcome.

Characters that are not printable text in every kind of field and file (L011); editor guide pages
checked and sanitised like documents (M401); links to files outside the plan folder or the theme
(L012); downloads that cannot run as spreadsheet formulas and publish what pages show; Markdown that
would be slow to render refused before rendering (M402).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from datetime import date
from pathlib import Path

import pytest

from generator.guide import guide_pages
from generator.loader import load_yaml
from generator.markdown_safety import check_markdown, code_lines
from generator.project import PUBLIC, STAFF, project
from generator.render import SiteData, csv_cell, downloads, sanitise_markdown
from generator.reporting import Version
from generator.site_config import read_site_config
from generator.validate import validate, validate_all
from generator.versions import publish
from plan_edits import BRIEFING, PLAN, Replace, Write, body, edited, locate

GUIDE = "content/guide/index.md"
UNPRINTABLE_HINT = "delete it (it is invisible, or changes how the text around it reads) and retype the text there"


def rows(root: Path) -> list[tuple]:
    return [(d.file, d.line, d.col, d.code, d.message) for d in validate_all(root)[1]]


def at(root: Path, file: str, needle: str, code: str, message: str, nth: int = 0) -> tuple:
    return (file, *locate(root, file, needle, nth), code, message)


def held(field: str, char: str) -> str:
    return f"'{field}' holds the character {char}, which is not allowed in text"


def raw(char: str) -> str:
    return f"the character {char} is not allowed in text"


# --- characters that are not printable text (L011) -------------------------------------------

DEL, NEL, C1, RLO, LRI, LS, NONCHAR = ("U+007F (a control character)", "U+0085 (a control character)",
                                       "U+009B (a control character)", "U+202E (a bidirectional control)",
                                       "U+2066 (a bidirectional control)", "U+2028 (a line or paragraph separator)",
                                       "U+FFFF (a noncharacter)")
A2_TITLE = "title: Put in place weekly performance clinics."


@pytest.mark.parametrize("edit, needle, message", [
    # escapes in double quotes get through YAML's own check; the value is refused where it is written
    (Replace(A2_TITLE, 'title: "Put in place\\x7f clinics."'), '"Put in place', held("actions[2].title", DEL)),
    (Replace("title: Children's Services Improvement Plan", 'title: "Children\\x85s plan"'), '"Children',
     held("plan.title", NEL)),
    (Replace("narrative: Audit half done.", 'narrative: "Audit \\u202edone."'), '"Audit', held("actions[1].updates[1]"
                                                                                              ".narrative", RLO)),
    (Replace("description: Agency staff leave.", 'description: "Agency\\uffff staff"'), '"Agency',
     held("risks[1].description", NONCHAR)),
    (Replace("mitigation: Recruitment campaign.", 'mitigation: "Recruit\\u2028ment"'), '"Recruit',
     held("risks[1].mitigation", LS)),
    (Replace("    title: Workforce\n", '    title: Workforce\n    "note\\u2066": x\n'), '"note',
     "a key in 'risks[1]' holds the character U+2066 (a bidirectional control), which is not allowed in text"),
], ids=["DEL-in-action-title", "NEL-in-plan-title", "RLO-in-narrative", "nonchar-in-risk", "LS-in-mitigation",
        "LRI-in-a-key"])
def test_escaped_unprintable_character_in_plan_yaml(tmp_path, edit, needle, message):
    root = edited(tmp_path, edit)
    found = [r for r in rows(root) if r[3] == "L011"]
    assert found == [at(root, PLAN, needle, "L011", message)]


@pytest.mark.parametrize("text, char", [
    ("title: Put in\x7f place", DEL), ("title: Put in\x9b place", C1), ("title: Put in\u202e place", RLO),
    ("title: Put in\u2028 place", LS),
], ids=["raw-DEL", "raw-C1", "raw-RLO", "raw-LS"])
def test_raw_unprintable_character_in_plan_yaml_is_located_exactly(tmp_path, text, char):
    root = edited(tmp_path, Replace(A2_TITLE, text))
    assert rows(root) == [at(root, PLAN, text[text.index(" place") - 1], "L011", raw(char))]


def test_raw_unprintable_character_in_a_comment(tmp_path):
    root = edited(tmp_path, Replace("actions:\n", "actions:  # reviewed \u202e by the board\n"))
    assert rows(root) == [at(root, PLAN, "\u202e", "L011", raw(RLO))]


def test_unprintable_character_in_an_included_file(tmp_path):
    root = edited(tmp_path, Replace("plan:\n", "include: [more.yaml]\nplan:\n"),
                  Write("more.yaml", 'roles:\n  - id: ROLE-HOS\n    title: "Head\\x7f of Service"\n'))
    assert rows(root) == [at(root, "more.yaml", '"Head', "L011", held("roles[1].title", DEL))]


def test_unprintable_character_in_document_front_matter(tmp_path):
    root = edited(tmp_path, Replace("title: Staff briefing, June 2013", 'title: "Staff \\u202ebriefing"', BRIEFING))
    assert rows(root) == [at(root, BRIEFING, '"Staff', "L011", held("title", RLO))]


@pytest.mark.parametrize("text, needle, char", [
    ("Half done.\n\nThe \u202ecost was approved.\n", "\u202e", RLO),
    ("Half\x7f done.\n", "\x7f", DEL),
    ("Half done\u0085.\n", "\u0085", NEL),
    ("Line\u2029two.\n", "\u2029", "U+2029 (a line or paragraph separator)"),
], ids=["RLO", "DEL", "NEL", "PS"])
def test_unprintable_character_in_a_document_body(tmp_path, text, needle, char):
    root = edited(tmp_path, body(text))
    assert rows(root) == [at(root, BRIEFING, needle, "L011", raw(char))]


def test_every_unprintable_character_of_a_body_is_reported(tmp_path):
    root = edited(tmp_path, body("One\x7f.\n\nTwo \u202e and \u2066.\n"))
    assert rows(root) == [at(root, BRIEFING, "\x7f", "L011", raw(DEL)), at(root, BRIEFING, "\u202e", "L011", raw(RLO)),
                          at(root, BRIEFING, "\u2066", "L011", raw(LRI))]


def test_a_body_full_of_control_characters_gives_twenty_reports(tmp_path):
    root = edited(tmp_path, body("a\x7f\n" * 30_000 + "\x7f" * 30_000))
    assert rows(root) == [(BRIEFING, 9, 1, "M402", "the page holds 120,000 characters (at most 50,000)")] + [
        (BRIEFING, 9 + i, 2, "L011", raw(DEL)) for i in range(19)] + [
        (BRIEFING, 28, 2, "L011", raw(DEL) + " (and 59980 more such characters after it)")]


def test_unprintable_character_in_a_guide_page(tmp_path):
    root = edited(tmp_path, Write(GUIDE, "---\ntitle: Guide\n---\n\n# Guide\n\nSave, then \u202ecommit.\n"))
    assert rows(root) == [at(root, GUIDE, "\u202e", "L011", raw(RLO))]


def test_unprintable_character_in_guide_front_matter(tmp_path):
    root = edited(tmp_path, Write(GUIDE, '---\ntitle: "Guide\\x9b"\n---\n\nText.\n'))
    assert rows(root) == [at(root, GUIDE, '"Guide', "L011", held("title", C1))]


def test_unprintable_character_in_mkdocs_yml(tmp_path):
    root = edited(tmp_path, Write("mkdocs.yml", 'copyright: "Council\\x7f"\n'))
    _, [d] = read_site_config(root)
    assert (d.file, d.line, d.col, d.code, d.message, d.hint) == ("mkdocs.yml", 1, 12, "L011", held("copyright", DEL),
                                                                  UNPRINTABLE_HINT)


def test_carriage_return_escape_in_a_value_is_refused_but_crlf_files_are_fine(tmp_path):
    loaded = load_yaml('a: "x\\ry"\r\nb: fine\r\n', "p.yaml")
    assert [(d.line, d.col, d.message) for d in loaded.diags] == [(1, 4, held("a", "U+000D (a control character)"))]
    assert load_yaml("a: 1\r\nb: two\r\n", "p.yaml").diags == []


def test_tab_and_newline_in_values_are_text():
    assert load_yaml('a: "x\\ty\\nz"\n', "p.yaml").diags == []


# --- guide pages: checked and sanitised like documents (M401) --------------------------------

HINT_M401 = "use ordinary Markdown: links to https:// addresses, images from the site, tables and lists"


@pytest.mark.parametrize("markup, needle, message", [
    ("<script>alert(1)</script>", "<script", "<script> is not allowed"),
    ('<img src="x.png" onerror="alert(1)">', "<img", "the event-handler attribute 'onerror' on <img> is not allowed"),
    ("[Open](javascript:alert(1))", "javascript:", "the link 'javascript:alert(1)' is not allowed"),
], ids=["script", "onerror", "javascript-link"])
def test_unsafe_guide_page_is_reported_and_sanitised(tmp_path, markup, needle, message):
    root = edited(tmp_path, Write(GUIDE, f"---\ntitle: Guide\n---\n\n# Guide\n\nIntro.\n\n{markup}\n"))
    assert rows(root) == [at(root, GUIDE, needle, "M401", message)]
    [page] = [p for p in guide_pages(root) if p.path == "guide/index.md"]
    assert "<script" not in page.html and "onerror" not in page.html and "javascript:" not in page.html


def test_guide_page_keeps_code_tables_and_links_between_pages(tmp_path):
    text = ("---\ntitle: Guide <b>one</b>\n---\n\n# Guide\n\nSee [publishing](publish.md#steps).\n\n"
            "```sh\npython -m generator validate\n```\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n")
    root = edited(tmp_path, Write(GUIDE, text))
    assert rows(root) == []
    [page] = [p for p in guide_pages(root) if p.path == "guide/index.md"]
    assert page.title == "Guide <b>one</b>"  # text: the stager escapes it with every other title
    assert page.html == ('<p>See <a href="publish/#steps" rel="noopener noreferrer">publishing</a>.</p>\n'
                         "<pre><code>python -m generator validate\n</code></pre>\n"
                         "<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>1</td>\n"
                         "<td>2</td>\n</tr>\n</tbody>\n</table>")


def test_generated_guide_pages_are_sanitised_too(tmp_path):
    pages = {p.path: p for p in guide_pages(edited(tmp_path))}
    assert [p for p in pages if p in ("guide/fields.md", "guide/codes.md")] == ["guide/fields.md", "guide/codes.md"]
    assert pages["guide/codes.md"].title == "Validation codes"
    assert "<td>L011</td>" in pages["guide/codes.md"].html and "<span" not in pages["guide/codes.md"].html


def test_guide_page_title_from_its_first_heading(tmp_path):
    root = edited(tmp_path, Write(GUIDE, "# Start <here>\n\nText.\n"))
    [page] = [p for p in guide_pages(root) if p.path == "guide/index.md"]
    assert (page.title, page.html) == ("Start <here>", "<p>Text.</p>")


# --- files outside the plan folder or the theme (L012) ---------------------------------------


def outside_file(tmp_path: Path, text: str = "---\nid: LEAK\ntitle: Leak\ndate: 2013-06-10\ntype: briefing\n---\n"
                 "Secret.\n") -> Path:
    secret = tmp_path / "elsewhere" / "secret.md"
    secret.parent.mkdir()
    secret.write_text(text)
    return secret


def test_document_linked_outside_the_plan_folder_is_not_read(tmp_path):
    root = edited(tmp_path)
    (root / "content/documents/leak.md").symlink_to(outside_file(tmp_path))
    assert rows(root) == [("content/documents/leak.md", 1, 1, "L012", "'content/documents/leak.md' is a link to a "
                           "file outside the plan folder, so it is not read")]
    assert [d.id for d in validate(root)[0].documents] == ["DOC1"]


def test_guide_page_linked_outside_the_plan_folder_is_not_read(tmp_path):
    root = edited(tmp_path, Write(GUIDE, "# Guide\n\nText.\n"))
    (root / "content/guide/leak.md").symlink_to(outside_file(tmp_path, "# Secret\n\nSecret text.\n"))
    assert rows(root) == [("content/guide/leak.md", 1, 1, "L012", "'content/guide/leak.md' is a link to a file "
                           "outside the plan folder, so it is not read")]
    assert "guide/leak.md" not in [p.path for p in guide_pages(root)]


def test_theme_file_linked_outside_the_theme_is_refused(tmp_path):
    root = edited(tmp_path)
    (root / "docs_theme" / "partials").mkdir(parents=True)
    (root / "docs_theme/partials/footer.html").symlink_to(outside_file(tmp_path, "secret"))
    (root / "docs_theme/main.html").symlink_to(root / "plan.yaml")  # inside the plan, outside the theme
    assert rows(root) == [
        ("docs_theme/main.html", 1, 1, "L012", "'docs_theme/main.html' is a link to a file outside docs_theme/, "
         "so it is not read"),
        ("docs_theme/partials/footer.html", 1, 1, "L012", "'docs_theme/partials/footer.html' is a link to a file "
         "outside docs_theme/, so it is not read")]


def test_documents_folder_linked_outside_is_not_read(tmp_path):
    root = edited(tmp_path)
    (root / "content/documents/briefing.md").unlink()
    (root / "content/documents").rmdir()
    (root / "content/documents").symlink_to(outside_file(tmp_path).parent)
    assert rows(root) == [("content/documents/secret.md", 1, 1, "L012", "'content/documents/secret.md' is a link to "
                           "a file outside the plan folder, so it is not read")]


def test_plan_yaml_and_mkdocs_yml_linked_outside_are_not_read(tmp_path):
    root = edited(tmp_path)
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    (root / "mkdocs.yml").symlink_to(tmp_path / "mkdocs.yml")
    _, [diag] = read_site_config(root)
    assert diag.text() == ("mkdocs.yml:1:1: error L012: 'mkdocs.yml' is a link to a file outside the plan "
                                     "folder, so it is not read\n    hint: copy the file into the folder instead of "
                                     "linking to it")
    (root / "plan.yaml").rename(tmp_path / "plan.yaml")
    (root / "plan.yaml").symlink_to(tmp_path / "plan.yaml")
    assert rows(root) == [("mkdocs.yml", 1, 1, "L012", "'mkdocs.yml' is a link to a file outside the plan folder, "
                           "so it is not read"),
                          ("plan.yaml", 1, 1, "L012", "'plan.yaml' is a link to a file outside the plan folder, so "
                           "it is not read")]


def test_theme_folder_or_dangling_link_outside_the_theme_is_refused(tmp_path):
    root = edited(tmp_path)
    (root / "docs_theme").mkdir()
    (root / "docs_theme/partials").symlink_to(outside_file(tmp_path).parent)
    (root / "docs_theme/extra.css").symlink_to("../../nowhere.css")
    assert rows(root) == [
        ("docs_theme/extra.css", 1, 1, "L012", "'docs_theme/extra.css' is a link to a file outside docs_theme/, "
         "so it is not read"),
        ("docs_theme/partials", 1, 1, "L012", "'docs_theme/partials' is a link to a file outside docs_theme/, "
         "so it is not read")]


def test_links_inside_the_plan_folder_are_fine(tmp_path):
    root = edited(tmp_path, Write("notes/guide.md", "# Guide\n\nShared text.\n"))
    (root / "content/guide").mkdir(parents=True)
    (root / GUIDE).symlink_to(root / "notes/guide.md")
    assert rows(root) == []
    assert {p.path: p.html for p in guide_pages(root)}["guide/index.md"] == "<p>Shared text.</p>"


def test_include_linked_outside_the_plan_folder_is_refused(tmp_path):
    root = edited(tmp_path, Replace("plan:\n", "include: [more.yaml]\nplan:\n"))
    outside = tmp_path / "roles.yaml"
    outside.write_text("roles:\n  - id: ROLE-X\n    title: X\n")
    os.symlink(outside, root / "more.yaml")
    assert rows(root) == [at(root, PLAN, "more.yaml", "L010", "include 'more.yaml' must be a .yaml file inside the "
                             "plan folder")]


# --- downloads: no formulas, and what the pages show -----------------------------------------


def site_downloads(root: Path, edition: str = "public") -> dict[str, str]:
    plan, diags = validate(root)
    assert [d for d in diags if d.severity.value == "error"] == []
    ed = {"public": PUBLIC, "staff": STAFF}[edition]
    return downloads(SiteData(project(plan, ed), ed, Version("draft", "Draft", date(2013, 7, 1), True)))


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


TRIGGERS = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\tthen", "=HYPERLINK(\"https://evil.example/\",\"x\")"]


@pytest.mark.parametrize("title", TRIGGERS, ids=["equals", "plus", "minus", "at", "tab", "hyperlink"])
def test_formula_in_a_title_is_text_in_the_csv(tmp_path, title):
    root = edited(tmp_path, Replace(A2_TITLE, f"title: {json.dumps(title)}"))
    [a2] = [r for r in csv_rows(site_downloads(root)["downloads/actions.csv"]) if r[0] == "A2"]
    assert a2[1] == "'" + title


@pytest.mark.parametrize("narrative", TRIGGERS[:5], ids=["equals", "plus", "minus", "at", "tab"])
def test_formula_in_a_narrative_is_text_in_the_csv(tmp_path, narrative):
    root = edited(tmp_path, Replace("narrative: Clinics running weekly.", f"narrative: {json.dumps(narrative)}"))
    [a2] = [r for r in csv_rows(site_downloads(root)["downloads/actions.csv"]) if r[0] == "A2"]
    assert a2[12] == "'" + narrative  # last_narrative


def test_carriage_return_at_the_start_of_a_title_is_refused_and_neutralised(tmp_path):
    root = edited(tmp_path, Replace(A2_TITLE, 'title: "\\r=1+1"'))
    assert rows(root) == [at(root, PLAN, '"\\r', "L011", held("actions[2].title", "U+000D (a control character)"))]
    assert csv_cell("\r=1+1") == "'\r=1+1"


def test_numbers_stay_numbers_in_the_csv(tmp_path):
    root = edited(tmp_path)
    plan, _ = validate(root)
    plan.measures[0].values[0].value = -3.5
    data = SiteData(plan, PUBLIC, Version("draft", "Draft", date(2013, 7, 1), True))
    lines = downloads(data)["downloads/measures.csv"].splitlines()
    assert lines[1:] == ["M1,Core assessments in timescale,percent,higher,2012-11 (month),2012-11-01,2012-11-30,"
                         "-3.5,80,,no,'-3.5%,,draft,Draft,2013-07-01",
                         "M1,Core assessments in timescale,percent,higher,2013-04 (month),2013-04-01,2013-04-30,"
                         "85.4,80,,no,85.4%,,draft,Draft,2013-07-01"]
    assert [csv_cell(v) for v in (-3.5, -3.0, 1234.0, "-3.5")] == [-3.5, -3, 1234, "'-3.5"]


def test_plan_json_publishes_what_the_page_shows_and_the_snapshot_keeps_the_source(tmp_path):
    source = ("The audit is half done.\n\n<!-- staff: the auditor resigned -->\n\n[unused]: https://secret.example/\n"
              "*[HR]: Human Resources secret\n\nSee [the plan][p].\n\n[p]: https://example.gov.uk/plan\n")
    root = edited(tmp_path, body(source))
    published = json.loads(site_downloads(root)["downloads/plan.json"])
    [doc] = published["documents"]
    assert "body" not in doc
    assert doc["body_html"] == ('<p>The audit is half done.</p>\n\n\n<p>See <a href="https://example.gov.uk/plan" '
                                'rel="noopener noreferrer">the plan</a>.</p>')
    text = json.dumps(published)
    assert "auditor resigned" not in text and "secret.example" not in text and "Human Resources" not in text
    plan, _ = validate(root)
    publish(root, plan, "2013-07-board", "Board, July 2013", date(2013, 7, 1))
    snapshot = json.loads((root / "content/versions/2013-07-board.json").read_text())
    assert snapshot["plan"]["documents"][0]["body"] == source


# --- Markdown that would be slow to render (M402) --------------------------------------------

LIMIT_HINT = "split the page, or write a literal bracket as '\\[' and a literal '<' as '&lt;'"


def m402(root: Path, needle: str, message: str, file: str = BRIEFING, nth: int = 0) -> tuple:
    return at(root, file, needle, "M402", message, nth)


@pytest.mark.parametrize("text, needle, message", [
    ("![" * 16_000 + "\n", "[![", "this paragraph leaves 16000 '[' unclosed (at most 10)"),
    ("Intro [a](" * 11 + "\n", "(", "this paragraph leaves 11 '(' unclosed (at most 10)"),
    ("_[ " * 4_000 + "\n", "[ _[", "this paragraph leaves 4000 '[' unclosed (at most 10)"),
    ("[" * 6 + "x" + "]" * 6 + "\n", "[x", "brackets '[' nest more than 5 deep here"),
    ("<http://a " * 4_000 + "\n", "<http", "the page leaves 4000 tags '<' unclosed on their line (at most 10)"),
    ("<a@b\n" * 11, "<a@b", "the page leaves 11 tags '<' unclosed on their line (at most 10)"),
    (">" * 5_000 + " x\n", ">", "quotes and lists nest 5000 levels deep here (at most 8)"),
    ("".join("    " * i + "- x\n" for i in range(10)), "                                    - x",
     "quotes and lists nest 9 levels deep here (at most 8)"),
    ("".join(f"*[A{i}]: thing\n" for i in range(51)), "*[A50]", "the page defines more than 50 abbreviations"),
    ("## x\n" * 301, "## x\n", "the page has more than 300 headings"),
    ("```x\n" * 11, "```x", "the page opens 11 code fences that are never closed (at most 10)"),
], ids=["16000-image-brackets", "unclosed-parens", "emphasis-and-brackets", "nested-brackets", "autolinks",
        "automail", "blockquotes-5000-deep", "lists-9-deep", "51-abbreviations", "301-headings", "unclosed-fences"])
def test_markdown_beyond_a_limit_is_refused_where_it_starts(tmp_path, text, needle, message):
    root = edited(tmp_path, body(text))
    nth = 300 if needle == "## x\n" else 0
    assert rows(root) == [m402(root, needle, message, nth=nth)]


def test_lists_nested_past_the_recursion_limit_are_a_diagnostic_not_a_crash(tmp_path):
    text = "".join("\t" * i + "- x\n" for i in range(300))
    with pytest.raises(RecursionError):
        sanitise_markdown(text)
    root = edited(tmp_path, body(text))
    found = rows(root)
    assert len(found) == 291 and {r[3] for r in found} == {"M402"}
    assert found[0] == m402(root, "\t" * 9 + "- x", "quotes and lists nest 9 levels deep here (at most 8)")


def test_page_too_large_is_refused_at_its_first_line(tmp_path):
    root = edited(tmp_path, body("word " * 10_001 + "\n"))
    assert rows(root) == [m402(root, "word", "the page holds 50,006 characters (at most 50,000)")]


def test_page_with_too_many_lines_is_refused(tmp_path):
    root = edited(tmp_path, body("x\n" * 5_001))
    assert rows(root) == [(BRIEFING, 9 + 5_000, 1, "M402", "the page has 5,001 lines (at most 5,000)")]


def test_guide_page_beyond_a_limit_is_refused(tmp_path):
    root = edited(tmp_path, Write(GUIDE, "# Guide\n\n" + "![" * 20 + "\n"))
    assert rows(root) == [m402(root, "[", "this paragraph leaves 20 '[' unclosed (at most 10)", file=GUIDE)]


def test_a_page_within_every_limit_is_accepted(tmp_path):
    text = ("[" * 10 + " and [a](" * 10 + "\n\n" + "[" * 5 + "x" + "]" * 5 + "\n\n"
            + "".join("    " * i + "- x\n" for i in range(9)) + "\n" + "## x\n" * 300 + "```x\n" * 10
            + "".join(f"*[A{i}]: thing\n" for i in range(50)))
    root = edited(tmp_path, body(text))
    assert rows(root) == []


def test_fences_found_in_one_pass_match_python_markdown():
    lines = ["```", "<script>", "```", "~~~x", "a", "~~~", "````", "b", "```", "````", "```y"]
    assert code_lines(lines) == set(range(10))  # a closing line is exactly the opening fence
    unclosed = "```x\n<script>alert(1)</script>\n"  # never closed: Markdown renders it, so it is checked
    assert [d.message for d in check_markdown(unclosed, "p.md", 1)] == ["<script> is not allowed"]
    assert "<script" not in sanitise_markdown(unclosed)


def test_unsafe_html_after_a_page_beyond_a_limit_is_not_scanned():
    found = check_markdown("![" * 16_000 + "\n\n<script>alert(1)</script>\n", "p.md", 1)
    assert [d.code for d in found] == ["M402"]


@pytest.mark.parametrize("text, messages", [
    ("Never write `<script>` in a page.\n", []),
    ("Or ``a ` <img src=x onerror=go()>`` either.\n", []),
    ("Code `[x](javascript:go)` shows as text.\n", []),
    ("After `code` comes <script>go()</script>.\n", ["<script> is not allowed"]),
    ("An unclosed ` tick <script>go()</script>.\n", ["<script> is not allowed"]),
    ("A span `cannot\n\ncross <script>go()</script> a paragraph` break.\n", ["<script> is not allowed"]),
    ("Escaped \\` ticks <script>go()</script> \\` open nothing.\n", ["<script> is not allowed"]),
])
def test_html_inside_a_code_span_is_text_not_a_finding(text, messages):
    """A code span shows its content as text (Python-Markdown escapes it), so M401 does not flag it; HTML outside
    any span is still found. (The sanitiser removes HTML either way.)"""
    assert [d.message for d in check_markdown(text, "d.md", 1)] == messages
    if not messages:  # and the page shows it as code: no tag, no link
        html = sanitise_markdown(text)
        assert "<code>" in html and re.search(r"<(script|img)|href=", html) is None, html
