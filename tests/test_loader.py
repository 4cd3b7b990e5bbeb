"""The loader's safety: no tag is ever executed, duplicate keys and runaway aliases are caught,
every unreadable file gets one located diagnostic, and nothing raises a traceback."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml

from generator.diagnostics import Diagnostic
from generator.loader import MAX_ALIAS_EXPANSION, MAX_DEPTH, LoadError, load_yaml, read_text, split_front_matter
from generator.validate import validate_all
from plan_edits import BRIEFING, MINIMAL, PLAN, Append, Remove, Replace, Write, edited, locate


def diagnostics(root: Path) -> list[Diagnostic]:
    return validate_all(root)[1]


def only(root: Path) -> Diagnostic:
    diags = diagnostics(root)
    assert len(diags) == 1, [d.text() for d in diags]
    return diags[0]


def load_error(text: str) -> Diagnostic:
    with pytest.raises(LoadError) as info:
        load_yaml(text, "x.yaml")
    return info.value.diag


def billion_laughs() -> str:
    text = "lol0: &a0 [lol]\n"
    for i in range(1, 10):
        text += f"lol{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n"
    return text


# --- tags: never turned into Python objects -------------------------------------------------


def test_python_object_apply_is_refused_and_never_run(tmp_path):
    marker = tmp_path / "PWNED"
    payload = f"!!python/object/apply:os.system ['touch {marker}']"
    # The payload is live: PyYAML's unsafe loader would run it.
    control = tmp_path / "CONTROL"
    yaml.unsafe_load(f"x: !!python/object/apply:os.system ['touch {control}']")
    assert control.exists()

    root = edited(tmp_path, Replace("    mitigation: Recruitment campaign.\n",
                                    f"    mitigation: Recruitment campaign.\n    internal_note: {payload}\n"))
    diags = diagnostics(root)
    line, col = locate(root, PLAN, "!!python/object/apply")
    assert ("plan.yaml", line, col, "L006", "the tag '!!python/object/apply:os.system' is not allowed") in {
        (d.file, d.line, d.col, d.code, d.message) for d in diags}
    assert not marker.exists()


def test_python_tag_in_front_matter_is_refused_and_never_run(tmp_path):
    marker = tmp_path / "PWNED"
    root = edited(tmp_path, Replace("type: briefing", f"type: briefing\nsummary: !!python/object/apply:os.system "
                                                      f"['touch {marker}']", BRIEFING))
    diags = diagnostics(root)
    line, col = locate(root, BRIEFING, "!!python")
    assert (BRIEFING, line, col, "L006") in {(d.file, d.line, d.col, d.code) for d in diags}
    assert not marker.exists()


@pytest.mark.parametrize("tagged, shown", [
    ("!!python/name:os.system", "!!python/name:os.system"),
    ("!!python/object/new:os.system [echo]", "!!python/object/new:os.system"),
    ("!!python/module:os", "!!python/module:os"),
    ("!foo bar", "!foo"),
    ("!!binary aGVsbG8=", "!!binary"),
    ("!<tag:example.com,2000:x> y", "tag:example.com,2000:x"),
])
def test_every_other_tag_is_refused(tagged, shown):
    loaded = load_yaml(f"a: 1\nb: {tagged}\n", "x.yaml")
    assert [(d.line, d.col, d.code, d.message) for d in loaded.diags] == [
        (2, 4, "L006", f"the tag '{shown}' is not allowed")]
    assert loaded.data["a"] == 1
    assert not callable(loaded.data["b"])


@pytest.mark.parametrize("text", ["a: !!set {x: null}\n", "a: !!omap [x: 1]\n", "a: !foo {x: 1}\n"])
def test_tags_on_mappings_and_lists_are_refused(text):
    loaded = load_yaml(text, "x.yaml")
    assert [d.code for d in loaded.diags] == ["L006"]
    assert isinstance(loaded.data["a"], (dict, list))


def test_plain_tags_are_allowed():
    loaded = load_yaml("a: !!str 12\nb: !!int '7'\nc: ! text\nd: !!map {x: 1}\ne: !!seq [1]\n", "x.yaml")
    assert loaded.diags == []
    assert loaded.data == {"a": "12", "b": 7, "c": "text", "d": {"x": 1}, "e": [1]}


# --- plain values ---------------------------------------------------------------------------


def test_yes_no_on_off_stay_text():
    data = load_yaml("a: yes\nb: no\nc: on\nd: off\ne: Yes\nf: NO\ng: y\nh: n\n", "x.yaml").data
    assert data == {"a": "yes", "b": "no", "c": "on", "d": "off", "e": "Yes", "f": "NO", "g": "y", "h": "n"}


def test_true_false_numbers_null_and_dates():
    data = load_yaml("a: true\nb: False\nc: 12\nd: 1.5\ne: ~\nf: null\ng: 2013-07-01\nh: 1_000\n", "x.yaml").data
    assert data == {"a": True, "b": False, "c": 12, "d": 1.5, "e": None, "f": None, "g": "2013-07-01", "h": 1000}


def test_norway_in_a_plan_stays_text(tmp_path):
    root = edited(tmp_path, Replace('reference: "1"', "reference: no"))
    plan, diags, _ = validate_all(root)
    assert diags == []
    assert plan.recommendations[0].reference == "no"


# --- duplicate keys -------------------------------------------------------------------------


def test_duplicate_key_names_both_lines(tmp_path):
    root = edited(tmp_path, Replace("    title: Workforce\n", "    title: Workforce\n    title: Staffing\n"))
    first = locate(root, PLAN, "title: Workforce")[0]
    line, col = locate(root, PLAN, "title: Staffing")
    d = only(root)
    assert (d.file, d.line, d.col, d.code, d.severity.value) == ("plan.yaml", line, col, "L005", "error")
    assert d.message == f"duplicate key 'title' (first written at line {first})"
    assert first != line


def test_duplicate_key_in_front_matter_counts_file_lines(tmp_path):
    root = edited(tmp_path, Replace("type: briefing", "type: briefing\ntitle: Again", BRIEFING))
    first = locate(root, BRIEFING, "title: Staff")[0]
    line, col = locate(root, BRIEFING, "title: Again")
    d = only(root)
    assert (d.file, d.line, d.col, d.code) == (BRIEFING, line, col, "L005")
    assert d.message == f"duplicate key 'title' (first written at line {first})"


def test_duplicate_top_level_section(tmp_path):
    root = edited(tmp_path, Append("risks: []\n"))
    line, col = locate(root, PLAN, "risks: []")
    first = locate(root, PLAN, "risks:\n")[0]
    assert (line, col, "L005", f"duplicate key 'risks' (first written at line {first})") in {
        (d.line, d.col, d.code, d.message) for d in diagnostics(root)}


# --- aliases --------------------------------------------------------------------------------


def test_billion_laughs_fails_fast(tmp_path):
    root = edited(tmp_path, Write(PLAN, billion_laughs()))
    started = time.perf_counter()
    d = only(root)
    assert time.perf_counter() - started < 5
    assert (d.code, d.message) == ("L007", f"aliases expand to more than {MAX_ALIAS_EXPANSION:,} values")
    assert d.file == "plan.yaml" and d.line <= 10


def test_billion_laughs_in_front_matter_fails_fast(tmp_path):
    root = edited(tmp_path, Replace("type: briefing\n", "type: briefing\n" + billion_laughs(), BRIEFING))
    started = time.perf_counter()
    d = only(root)
    assert time.perf_counter() - started < 5
    assert (d.file, d.code) == (BRIEFING, "L007")


def test_small_aliases_are_fine():
    data = load_yaml("a: &x [1, 2]\nb: *x\n", "x.yaml")
    assert data.diags == [] and data.data == {"a": [1, 2], "b": [1, 2]}


def test_self_referencing_alias():
    d = load_error("a: &x [1, *x]\n")
    assert (d.line, d.col, d.code) == (1, 11, "L007")
    assert d.message == "alias '*x' refers to an anchor that is not defined before it, or to itself"


def test_undefined_alias(tmp_path):
    root = edited(tmp_path, Replace("description: Agency staff leave.", "description: *nowhere"))
    line, col = locate(root, PLAN, "*nowhere")
    d = only(root)
    assert (d.file, d.line, d.col, d.code) == ("plan.yaml", line, col, "L007")
    assert d.message == "alias '*nowhere' refers to an anchor that is not defined before it, or to itself"


def test_alias_used_before_its_anchor():
    assert load_error("a: *x\nb: &x 1\n").code == "L007"


# --- files that cannot be read ----------------------------------------------------------------


def test_missing_plan_yaml(tmp_path):
    d = only(edited(tmp_path, Remove(PLAN)))
    assert (d.file, d.line, d.col, d.code, d.message) == ("plan.yaml", 1, 1, "L001", "file 'plan.yaml' does not exist")


@pytest.mark.parametrize("content", ["", "\n", "   \n\n\t\n", "\ufeff"])
def test_empty_or_blank_file(tmp_path, content):
    d = only(edited(tmp_path, Write(PLAN, content)))
    assert (d.file, d.line, d.col, d.code, d.message) == ("plan.yaml", 1, 1, "L002", "the file is empty")


def test_binary_file(tmp_path):
    d = only(edited(tmp_path, Write(PLAN, b"plan:\n  title: \x00\x01\x02\xff\n")))
    assert (d.file, d.line, d.col, d.code, d.message) == ("plan.yaml", 1, 1, "L003", "this is a binary file, not text")


def test_binary_document(tmp_path):
    d = only(edited(tmp_path, Write(BRIEFING, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")))
    assert (d.file, d.code) == (BRIEFING, "L003")


def test_non_utf8_byte_is_located(tmp_path):
    latin1 = MINIMAL.joinpath(PLAN).read_bytes().replace(b"Agency staff leave.", b"Agency staff leave \xa3 money.")
    root = edited(tmp_path, Write(PLAN, latin1))
    line = latin1[: latin1.index(b"\xa3")].count(b"\n") + 1
    col = len(latin1.split(b"\n")[line - 1].split(b"\xa3")[0]) + 1
    d = only(root)
    assert (d.file, d.line, d.col, d.code, d.message) == ("plan.yaml", line, col, "L001", "byte 0xa3 is not UTF-8 text")
    assert d.hint == "save the file as UTF-8"


def test_non_utf8_column_counts_characters(tmp_path):
    raw = MINIMAL.joinpath(PLAN).read_bytes().replace(b"title: Workforce", b"title: Caf\xc3\xa9 \xff")
    root = edited(tmp_path, Write(PLAN, raw))
    line = raw[: raw.index(b"\xff")].count(b"\n") + 1
    col = len(raw.split(b"\n")[line - 1].split(b"\xff")[0].decode("utf-8")) + 1  # 'Café ' is 5 characters
    d = only(root)
    assert (d.line, d.col, d.code) == (line, col, "L001")


def test_bom_is_ignored(tmp_path):
    root = edited(tmp_path, Write(PLAN, b"\xef\xbb\xbf" + MINIMAL.joinpath(PLAN).read_bytes()))
    assert diagnostics(root) == []


def test_crlf_line_endings_are_fine(tmp_path):
    root = edited(tmp_path, Write(PLAN, MINIMAL.joinpath(PLAN).read_bytes().replace(b"\n", b"\r\n")),
                  Write(BRIEFING, MINIMAL.joinpath(BRIEFING).read_bytes().replace(b"\n", b"\r\n")))
    assert diagnostics(root) == []


def test_read_text_never_raises_anything_but_load_error(tmp_path):
    (tmp_path / "dir.yaml").mkdir()
    with pytest.raises(LoadError) as info:
        read_text(tmp_path / "dir.yaml", "dir.yaml")
    assert info.value.diag.code == "L001"


# --- syntax ---------------------------------------------------------------------------------


def test_yaml_syntax_error_has_its_line(tmp_path):
    root = edited(tmp_path, Replace("description: Agency staff leave.", "description: Agency staff: leave."))
    line, col = locate(root, PLAN, ": leave.")
    d = only(root)
    assert (d.file, d.line, d.col, d.code, d.severity.value) == ("plan.yaml", line, col, "L004", "error")
    assert d.message == "YAML syntax error: mapping values are not allowed in this context"
    assert d.hint == "put a space after each ':' and quote text that itself contains ': '"


def test_tab_indentation(tmp_path):
    root = edited(tmp_path, Replace("    title: Workforce", "\ttitle: Workforce"))
    line = locate(root, PLAN, "\ttitle")[0]
    d = only(root)
    assert (d.line, d.col, d.code) == (line, 1, "L004")
    assert "tab" in d.message
    assert d.hint == "indent with spaces, not tabs"


@pytest.mark.parametrize("old", ["  organisation: Example", "  - id: RISK1"])
def test_tab_indenting_a_key_or_item_says_tab(tmp_path, old):
    root = edited(tmp_path, Replace(old, "\t" + old.lstrip()))
    line = locate(root, PLAN, "\t")[0]
    d = only(root)
    assert (d.line, d.col, d.code) == (line, 1, "L004")
    assert "tab" in d.message or d.hint == "indent with spaces, not tabs"


def test_missing_colon_points_near_the_line():
    d = load_error("a: 1\nb\nc: 2\n")
    assert d.code == "L004" and d.line in (2, 3)


def test_unclosed_quote_points_at_the_quote(tmp_path):
    root = edited(tmp_path, Replace("title: Workforce", 'title: "Workforce'))
    line = locate(root, PLAN, '"Workforce')[0]
    d = only(root)
    assert d.code == "L004"
    assert d.line == line or f"line {line}" in d.message


def test_multiple_documents(tmp_path):
    root = edited(tmp_path, Append("---\nactions: []\n"))
    line = locate(root, PLAN, "---")[0]
    d = only(root)
    assert (d.file, d.line, d.col, d.code) == ("plan.yaml", line, 1, "L004")
    assert d.message == "the file holds more than one YAML document ('---')"


def test_explicit_single_document_is_fine(tmp_path):
    root = edited(tmp_path, Write(PLAN, "---\n" + MINIMAL.joinpath(PLAN).read_text() + "...\n"))
    assert diagnostics(root) == []


# --- shape ----------------------------------------------------------------------------------


def test_nesting_limit_is_exact():
    assert load_yaml("[" * MAX_DEPTH + "]" * MAX_DEPTH, "x.yaml").diags == []
    d = load_error("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))
    assert (d.line, d.col, d.code) == (1, MAX_DEPTH + 1, "L008")
    assert d.message == f"values are nested more than {MAX_DEPTH} levels deep"


def test_very_deep_nesting_is_quick_and_has_no_recursion_error(tmp_path):
    root = edited(tmp_path, Write(PLAN, "a: " + "[" * 100_000 + "]" * 100_000 + "\n"))
    started = time.perf_counter()
    d = only(root)
    assert time.perf_counter() - started < 5
    assert (d.code, d.message) == ("L008", f"values are nested more than {MAX_DEPTH} levels deep")


def test_deep_mappings_too():
    text = "".join(f"{'  ' * i}k{i}:\n" for i in range(MAX_DEPTH + 5)) + f"{'  ' * (MAX_DEPTH + 5)}v\n"
    assert load_error(text).code == "L008"


@pytest.mark.parametrize("content, what", [("- plan: {}\n- actions: []\n", "a list"), ("just words\n", "'just words'")])
def test_plan_yaml_must_be_a_mapping(tmp_path, content, what):
    d = only(edited(tmp_path, Write(PLAN, content)))
    assert (d.file, d.line, d.col, d.code) == ("plan.yaml", 1, 1, "L008")
    assert d.message == f"'plan.yaml' should be a mapping of sections (plan, themes, actions, ...), not {what}"


def test_plan_yaml_with_only_comments_is_empty(tmp_path):
    d = only(edited(tmp_path, Write(PLAN, "# only a comment\n")))
    assert (d.file, d.line, d.col, d.code, d.message) == ("plan.yaml", 1, 1, "L002", "'plan.yaml' holds only comments")


def test_front_matter_must_be_a_mapping(tmp_path):
    d = only(edited(tmp_path, Write(BRIEFING, "---\n- id: DOC1\n---\nText.\n")))
    assert (d.file, d.line, d.col, d.code, d.message) == (BRIEFING, 2, 1, "L008", "front matter should be a mapping of fields")


def test_mapping_as_key_is_refused():
    loaded = load_yaml("? [a, b]\n: 1\n", "x.yaml")
    assert [(d.code, d.message) for d in loaded.diags] == [("L008", "a mapping key must be plain text")]


# --- merge keys -----------------------------------------------------------------------------


def test_merge_key_is_refused_by_the_loader():
    loaded = load_yaml("base: &b {x: 1}\nitem:\n  <<: *b\n  y: 2\n", "x.yaml")
    assert [(d.line, d.col, d.code, d.message) for d in loaded.diags] == [
        (3, 3, "L006", "merge keys ('<<') are not supported")]


def test_merge_key_in_plan_is_one_located_error(tmp_path):
    root = edited(tmp_path, Replace("  - id: ROLE-CHAIR\n", "  - id: ROLE-CHAIR\n    <<: {contact: {email: c@example.gov.uk}}\n"))
    line, col = locate(root, PLAN, "<<")
    d = only(root)
    assert (d.file, d.line, d.col, d.code, d.message) == ("plan.yaml", line, col, "L006",
                                                          "merge keys ('<<') are not supported")


def test_quoted_merge_key_is_refused_too(tmp_path):
    root = edited(tmp_path, Replace("  - id: ROLE-CHAIR\n", "  - id: ROLE-CHAIR\n    '<<': x\n"))
    codes = {d.code for d in diagnostics(root)}
    assert "L006" in codes  # written as '<<' it is still refused: it would be a merge to a reader


# --- front matter ---------------------------------------------------------------------------


def test_front_matter_missing(tmp_path):
    d = only(edited(tmp_path, Write(BRIEFING, "# Briefing\n\nText.\n")))
    assert (d.file, d.line, d.col, d.code, d.message) == (BRIEFING, 1, 1, "L009",
                                                          "the document does not start with front matter")


def test_front_matter_unclosed(tmp_path):
    d = only(edited(tmp_path, Write(BRIEFING, "---\nid: DOC1\ntitle: Briefing\n\nText.\n")))
    assert (d.file, d.line, d.col, d.code, d.message) == (BRIEFING, 1, 1, "L009", "the front matter is not closed")


def test_front_matter_lines_are_file_lines(tmp_path):
    root = edited(tmp_path, Replace("type: briefing", "type: briefing: x", BRIEFING))
    line, col = locate(root, BRIEFING, ": x")
    d = only(root)
    assert (d.file, d.line, d.col, d.code) == (BRIEFING, line, col, "L004")


def test_split_front_matter_accepts_dots_and_crlf():
    fm, offset, body = split_front_matter("---\r\nid: X\r\n...\r\nBody\r\n", "d.md")
    assert (fm, offset, body) == ("id: X\r\n", 1, "Body\r\n")


def test_one_bad_document_does_not_hide_the_plan(tmp_path):
    root = edited(tmp_path, Write("content/documents/broken.md", "no front matter\n"),
                  Replace("likelihood: 3", "likelihood: 9"))
    assert sorted(d.code for d in diagnostics(root)) == ["L009", "S106"]


# --- includes -------------------------------------------------------------------------------


def include(*files: str) -> Replace:
    return Replace("plan:\n", f"include: [{', '.join(files)}]\nplan:\n")


ROLES = "roles:\n  - id: ROLE-HOS\n    title: Head of Service\n"


def test_include_adds_items(tmp_path):
    root = edited(tmp_path, include("more/roles.yaml"), Write("more/roles.yaml", ROLES))
    plan, diags, _ = validate_all(root)
    assert diags == []
    assert "ROLE-HOS" in plan.index()


@pytest.mark.parametrize("target", ["../outside.yaml", "../plan/../../outside.yaml", "/etc/passwd.yaml", "notes.txt"])
def test_include_outside_the_root_or_not_yaml(tmp_path, target):
    (tmp_path / "outside.yaml").write_text(ROLES)
    root = edited(tmp_path, include(f"'{target}'"), Write("notes.txt", ROLES))
    line, col = locate(root, PLAN, f"'{target}'")
    d = only(root)
    assert (d.file, d.line, d.col, d.code) == ("plan.yaml", line, col, "L010")
    assert d.message == f"include '{target}' must be a .yaml file inside the plan folder"


def test_include_through_a_symlink_leaving_the_root(tmp_path):
    (tmp_path / "outside.yaml").write_text(ROLES)
    root = edited(tmp_path, include("link.yaml"))
    (root / "link.yaml").symlink_to(tmp_path / "outside.yaml")
    assert [d.code for d in diagnostics(root)] == ["L010"]


def test_include_listed_twice(tmp_path):
    root = edited(tmp_path, include("more.yaml", "./more.yaml"), Write("more.yaml", ROLES))
    line, col = locate(root, PLAN, "./more.yaml")
    d = only(root)
    assert (d.file, d.line, d.col, d.code) == ("plan.yaml", line, col, "L010")
    assert d.message == "include './more.yaml' is listed twice or includes plan.yaml"


def test_include_of_plan_yaml_itself(tmp_path):
    root = edited(tmp_path, include("plan.yaml"))
    d = only(root)
    assert (d.code, d.message) == ("L010", "include 'plan.yaml' is listed twice or includes plan.yaml")


@pytest.mark.parametrize("section", ["plan", "include"])
def test_included_file_may_hold_item_sections_only(tmp_path, section):
    root = edited(tmp_path, include("more.yaml"), Write("more.yaml", ROLES + f"{section}:\n  title: x\n"))
    line, col = locate(root, "more.yaml", f"{section}:")
    d = only(root)
    assert (d.file, d.line, d.col, d.code) == ("more.yaml", line, col, "L010")
    assert d.message == f"section '{section}' belongs in plan.yaml, not in an included file"


def test_include_must_be_a_list(tmp_path):
    root = edited(tmp_path, Replace("plan:\n", "include: more.yaml\nplan:\n"))
    d = only(root)
    assert (d.line, d.col, d.code, d.message) == (2, 10, "S103", "include should be a list of file paths")


def test_included_file_problems_are_located_in_it(tmp_path):
    root = edited(tmp_path, include("more.yaml"), Write("more.yaml", "roles:\n  - id: ROLE-HOS\n    title: [x]\n"))
    line, col = locate(root, "more.yaml", "[x]")
    d = only(root)
    assert (d.file, d.line, d.col, d.code) == ("more.yaml", line, col, "S103")


def test_missing_include_is_located_at_the_include_entry(tmp_path):
    root = edited(tmp_path, include("more.yaml"))
    line, col = locate(root, PLAN, "more.yaml")
    d = only(root)
    assert (d.file, d.line, d.col) == ("plan.yaml", line, col)
    assert "more.yaml" in d.message
