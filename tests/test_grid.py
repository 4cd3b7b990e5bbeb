"""Team diagnostics as a grid of services by quality domains: the rules (exact message and place), the gradings
page in both editions, the before/after comparison and gradings.csv, on the grid fixture (4 services x 4 domains)."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from pathlib import Path

import pytest

from conftest import FIXTURES, build, copy_plan, publish_as
from generator.render import Download
from generator.model import Grading, GridCell
from generator.validate import validate_all
from plan_edits import locate

GRID = FIXTURES / "grid"
PLAN = "plan.yaml"
V = "2013-07-board"
FRONT_DOOR = "cells: [{adequate: 5, inadequate: 3, good: 1}, inadequate, [adequate, inadequate], not_graded]"


def grid_plan(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    root = copy_plan(GRID, tmp_path / "plan")
    text = (root / PLAN).read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    (root / PLAN).write_text(text, encoding="utf-8")
    return root


def found(root: Path) -> list[tuple]:
    return [(d.line, d.col, d.severity.value, d.code, d.message, d.hint) for d in validate_all(root)[1]]


def at(root: Path, needle: str, *rest: str, nth: int = 0) -> tuple:
    return (*locate(root, PLAN, needle, nth), *rest)


# --- the model: each written form of a cell, read and said ----------------------------------------


@pytest.mark.parametrize("written, form, text", [
    ("good", "grade", "Good"),
    ("not_graded", "not_graded", "Not graded"),
    (["good", "requires_improvement"], "split", "Split: good and requires improvement"),
    ({"requires_improvement": 5, "inadequate": 3, "good": 1}, "counts", "5 requires improvement, 3 inadequate, 1 good"),
])
def test_a_cell_reads_back_as_written_and_says_its_grades_in_words(written, form, text):
    cell = GridCell.parse(written)
    assert (cell.form, cell.text, cell.as_written()) == (form, text, written)


def test_counts_are_said_most_teams_first_then_down_the_scale_however_written():
    cell = GridCell.parse({"good": 1, "inadequate": 3, "outstanding": 3, "requires_improvement": 5})
    assert cell.text == "5 requires improvement, 3 outstanding, 3 inadequate, 1 good"


def test_the_fixture_is_valid_and_its_grids_round_trip_through_plan_json(tmp_path):
    plan, diags, _ = validate_all(grid_plan(tmp_path))
    assert diags == []
    g = next(g for g in plan.gradings if g.id == "G-D1")
    data = json.loads(json.dumps(g.model_dump(mode="json", by_alias=True, exclude_none=True)))
    assert data["grid"]["rows"][0]["cells"] == [{"adequate": 5, "inadequate": 3, "good": 1}, "inadequate",
                                                ["adequate", "inadequate"], "not_graded"]
    assert Grading.model_validate(data).grid == g.grid
    assert (len(g.grid.domains), len(g.grid.rows)) == (4, 4)


# --- rules ------------------------------------------------------------------------------------------


def test_a_row_with_the_wrong_number_of_cells(tmp_path):
    root = grid_plan(tmp_path, ("cells: [good, {good: 3, adequate: 2}, adequate, adequate]",
                                "cells: [good, {good: 3, adequate: 2}, adequate]"))
    assert found(root) == [at(root, "[good, {good: 3, adequate: 2}, adequate]", "error", "D420",
                              "grading G-D1 grid row 'Children in care' has 3 cells for 4 domains (Leadership, "
                              "Practice, Quality assurance, Partnerships)",
                              "give one cell for each domain, in order; write not_graded for a domain not graded")]


def test_an_unknown_grade_with_a_case_hint(tmp_path):
    root = grid_plan(tmp_path, ("cells: [adequate, {adequate: 3}, adequate, good]",
                                "cells: [Adequate, {adequate: 3}, adequate, good]"))
    assert found(root) == [at(root, "Adequate, {adequate: 3}", "error", "D421",
                              "grading G-D2 grid.rows[4].cells[1] 'Adequate' is not a grade (use outstanding, good, "
                              "adequate, requires_improvement, inadequate or not_graded)", "write it as 'adequate'")]


def test_not_graded_written_in_words_has_a_hint(tmp_path):
    root = grid_plan(tmp_path, ("[adequate, inadequate], not_graded]", "[adequate, inadequate], Not graded]"))
    assert found(root) == [at(root, "Not graded]", "error", "D421",
                              "grading G-D1 grid.rows[1].cells[4] 'Not graded' is not a grade (use outstanding, "
                              "good, adequate, requires_improvement, inadequate or not_graded)",
                              "write it as 'not_graded'")]


@pytest.mark.parametrize("counts, message, hint", [
    ("{adequate: 0}", "counts: adequate 0 is not a positive whole number of teams", "leave out a grade no team has"),
    ("{adequate: 2.5}", "counts: adequate 2.5 is not a positive whole number of teams", ""),
    ("{adequate: -1}", "counts: adequate -1 is not a positive whole number of teams", ""),
    ("{adequate: many}", "counts: adequate 'many' is not a positive whole number of teams", ""),
    ("{poor: 2}", "counts: 'poor' is not a grade (use outstanding, good, adequate, requires_improvement, "
                  "inadequate)", ""),
    ("{}", "counts need at least one grade with a number of teams", ""),
])
def test_counts_that_are_not_positive_whole_numbers_of_known_grades(tmp_path, counts, message, hint):
    root = grid_plan(tmp_path, ("cells: [adequate, {adequate: 3}, adequate, good]",
                                f"cells: [adequate, {counts}, adequate, good]"))
    assert found(root) == [at(root, counts + ", adequate, good]", "error", "D421",
                              f"grading G-D2 grid.rows[4].cells[2] {message}", hint)]


@pytest.mark.parametrize("split, message, hint", [
    ("[good]", "a split needs two or more different grades, not 1 (good)", "write a single grade without brackets"),
    ("[good, good]", "a split needs two or more different grades, not 2 (good, good)",
     "write a single grade without brackets"),
])
def test_a_split_needs_two_different_grades(tmp_path, split, message, hint):
    root = grid_plan(tmp_path, ("cells: [adequate, {adequate: 3}, adequate, good]",
                                f"cells: [adequate, {{adequate: 3}}, {split}, good]"))
    assert found(root) == [at(root, split + ", good]", "error", "D421",
                              f"grading G-D2 grid.rows[4].cells[3] {message}", hint)]


def test_an_overall_that_is_counts(tmp_path):
    root = grid_plan(tmp_path, ("          overall: [adequate, inadequate]\n",
                                "          overall: {adequate: 2, inadequate: 1}\n"))
    assert found(root) == [at(root, "{adequate: 2, inadequate: 1}\n", "error", "D422",
                              "grading G-D1 grid.rows[4].overall is counts of teams, but an overall grade is one "
                              "grade, a split or not_graded",
                              "give the service's overall grade, such as requires_improvement")]


def test_a_service_or_domain_given_twice(tmp_path):
    root = grid_plan(tmp_path, ("domains: [Leadership, Practice]", "domains: [Leadership, leadership]"))
    assert found(root) == [at(root, "leadership]", "error", "D424",
                              "grading G-D3 grid names the domain 'leadership' twice (domain 1 and 2)",
                              "give each domain once")]


def test_a_grading_with_neither_judgements_nor_grid(tmp_path):
    root = grid_plan(tmp_path, ("    judgements:\n      - {area: Overall effectiveness (safeguarding), grade: "
                                "inadequate}\n", ""))
    assert found(root) == [at(root, "id: G1", "error", "S101",
                              "grading G1 is missing required field 'judgements' (or a 'grid')",
                              "list the judgements, or give the grid of a team diagnostic")]


@pytest.mark.parametrize("edits, message", [
    ((("        - service: Care leavers\n          cells: [adequate, {adequate: 3}",
       "        - service: Leaving care\n          cells: [adequate, {adequate: 3}"),),
     "the grids differ in 'Care leavers', 'Leaving care'"),
    ((("    date: 2013-06-10\n", "    date: 2013-01-01\n"),),
     "grading G-D1 is dated 2013-01-15, not before this grading's 2013-01-01"),
    ((("compare_with: G-D1", "compare_with: G1"),), "grading G1 has no grid"),
])
def test_compare_with_needs_an_earlier_grid_of_the_same_shape(tmp_path, edits, message):
    root = grid_plan(tmp_path, *edits)
    other = "G1" if "G1 has" in message else "G-D1"
    line, col = locate(root, PLAN, f"compare_with: {other}")
    assert found(root) == [(line, col + len("compare_with: "), "error", "D423",
                              f"grading G-D2 cannot be compared with grading {other}: {message}",
                              "compare two grids of the same services and domains, the earlier one named on the "
                              "later")]


def test_compare_with_on_a_grading_without_a_grid(tmp_path):
    root = grid_plan(tmp_path, ("    type: inspection\n", "    type: inspection\n    compare_with: G-D1\n"))
    line, col = locate(root, PLAN, "compare_with: G-D1")
    assert found(root) == [(line, col + len("compare_with: "), "error", "D423",
                            "grading G1 cannot be compared with grading G-D1: this grading has no grid",
                            "compare two grids of the same services and domains, the earlier one named on the later")]


def test_a_public_grid_compared_with_a_staff_only_one_is_d307(tmp_path):
    root = grid_plan(tmp_path, ("    type: diagnostic\n    compare_with: G-D1\n",
                                "    type: diagnostic\n    compare_with: G-D3\n"))
    assert [d[3:5] for d in found(root)] == [
        ("D307", "public grading G-D2 refers to staff-only grading 'G-D3'"),
        ("D423", "grading G-D2 cannot be compared with grading G-D3: the grids differ in 'Partnerships', "
                 "'Quality assurance', 'Assessment', 'Care leavers', 'Children in care', 'Duty team', 'Front door'")]


def test_compare_with_an_unknown_grading_is_an_unknown_reference(tmp_path):
    root = grid_plan(tmp_path, ("compare_with: G-D1", "compare_with: G-D9"))
    assert [d[3] for d in found(root)] == ["R202"]


def test_a_grid_cell_from_the_other_framework_is_d313(tmp_path):
    root = grid_plan(tmp_path, ("cells: [adequate, {adequate: 3}, adequate, good]",
                                "cells: [adequate, {requires_improvement: 3}, adequate, good]"))
    assert found(root) == [at(root, "{requires_improvement: 3}", "warning", "D313",
                              "grading G-D2 grades 'Care leavers' on 'Practice' requires_improvement, a grade Ofsted "
                              "used only from November 2013 (grading dated 2013-06-10; use adequate)", "")]


# --- pages and downloads ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def grid_site(tmp_path_factory) -> Path:
    root = copy_plan(GRID, tmp_path_factory.mktemp("grid") / "plan")
    publish_as(root, V, "Improvement Board, July 2013", date(2013, 7, 1))
    return build(root)


def gradings_page(site: Path, edition: str) -> str:
    return (site / edition / V / "gradings" / "index.html").read_text(encoding="utf-8")


def table(html: str, caption: str) -> list[list[str]]:
    """A table's rows as the text of each cell (tags dropped), found by its caption."""
    start = html.index(f"<caption>{caption}</caption>")
    body = html[start:html.index("</table>", start)]
    return [[re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", body)]


@pytest.mark.parametrize("edition", ["public", "staff"])
def test_the_grid_is_a_table_with_row_and_column_headers(grid_site, edition):
    html = gradings_page(grid_site, edition)
    assert ('<thead><tr><th scope="col">Service</th><th scope="col">Leadership</th><th scope="col">Practice</th>'
            '<th scope="col">Quality assurance</th><th scope="col">Partnerships</th><th scope="col">Overall</th>'
            '</tr></thead>') in html
    assert '<tr><th scope="row">Front door</th>' in html
    assert table(html, "Team diagnostic, January 2013: services by domain") == [
        ["Service", "Leadership", "Practice", "Quality assurance", "Partnerships", "Overall"],
        ["Front door", "5 adequate, 3 inadequate, 1 good", "Inadequate", "Split: adequate and inadequate",
         "Not graded", "Inadequate"],
        ["Assessment", "4 adequate, 2 inadequate", "6 inadequate", "Adequate", "Good", "Adequate"],
        ["Children in care", "Good", "3 good, 2 adequate", "Adequate", "Adequate", "Adequate"],
        ["Care leavers", "Adequate", "2 adequate, 1 inadequate", "Not graded", "Good",
         "Split: adequate and inadequate"]]
    assert "4 services graded on 4 domains; each row ends with the service's overall grade, which is not counted " \
           "as a judgement." in html
    assert "1 judgements: 1 inadequate." in html  # the list of judgements is shown as before


@pytest.mark.parametrize("edition", ["public", "staff"])
def test_two_diagnostics_side_by_side(grid_site, edition):
    html = gradings_page(grid_site, edition)
    assert '<h3 id="G-D2-compared">Compared with Team diagnostic, January 2013</h3>' in html
    assert "Each cell reads as the grade at 15 January 2013 → the grade at 10 June 2013." in html
    rows = table(html, "Team diagnostic, January 2013 → Team diagnostic, June 2013")
    assert rows[1] == ["Front door", "5 adequate, 3 inadequate, 1 good → 6 good, 3 adequate", "Inadequate → Adequate",
                       "Split: adequate and inadequate → Adequate", "Not graded → Good", "Inadequate → Adequate"]
    assert rows[4][-1] == "Split: adequate and inadequate → Adequate"


def test_a_staff_only_grid_is_on_the_staff_edition_only(grid_site):
    assert "Self-assessment of the duty team" in gradings_page(grid_site, "staff")
    assert "Self-assessment of the duty team" not in gradings_page(grid_site, "public")
    assert "Duty team" not in (grid_site / "public" / V / "downloads" / "gradings.csv").read_text(encoding="utf-8")


def test_gradings_csv_has_one_row_per_cell(grid_site):
    text = (grid_site / "staff" / V / "downloads" / "gradings.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["grading", "title", "date", "type", "service", "domain", "overall", "form", "grade",
                       "outstanding", "good", "adequate", "requires_improvement", "inadequate", "reporting_point",
                       "reporting_point_title", "reporting_point_date"]
    point = ["2013-07-board", "Improvement Board, July 2013", "2013-07-01"]
    assert rows[1] == ["G1", "2012 inspection judgements", "2012-07-06", "inspection", "",
                       "Overall effectiveness (safeguarding)", "no", "grade", "Inadequate", "", "", "", "", "", *point]
    head = ["G-D1", "Team diagnostic, January 2013", "2013-01-15", "diagnostic", "Front door"]
    assert rows[2:7] == [
        [*head, "Leadership", "no", "counts", "5 adequate, 3 inadequate, 1 good", "", "1", "5", "", "3", *point],
        [*head, "Practice", "no", "grade", "Inadequate", "", "", "", "", "", *point],
        [*head, "Quality assurance", "no", "split", "Split: adequate and inadequate", "", "", "", "", "", *point],
        [*head, "Partnerships", "no", "not_graded", "Not graded", "", "", "", "", "", *point],
        [*head, "", "yes", "grade", "Inadequate", "", "", "", "", "", *point]]
    assert len(rows) == 1 + 1 + 2 * 4 * 5 + 3
    public = (grid_site / "public" / V / "downloads" / "gradings.csv").read_text(encoding="utf-8")
    assert public == "\n".join(text.split("\n")[:-4]) + "\n"  # the same, less the staff-only grading's 3 rows


@pytest.mark.parametrize("edition", ["public", "staff"])
def test_downloads_page_lists_gradings_csv(grid_site, edition):
    html = (grid_site / edition / V / "downloads" / "index.html").read_text(encoding="utf-8")
    size = Download("", "", "CSV", "", (grid_site / edition / V / "downloads" / "gradings.csv").read_text("utf-8")).size
    assert (f'<li><a href="gradings-2013-07-board.csv">gradings-2013-07-board.csv</a> (CSV, {size}): one row per '
            'judgement and per cell of a diagnostic grid') in html


def test_the_guides_example_is_a_valid_grading(tmp_path):
    """What a council copies from "A team diagnostic" in the editor guide validates as it stands."""
    guide = (Path(__file__).parent.parent / "generator" / "editor_guide" / "add-items.md").read_text(encoding="utf-8")
    example = guide.split("```yaml\ngradings:\n", 1)[1].split("```", 1)[0]
    root = grid_plan(tmp_path)
    with (root / PLAN).open("a", encoding="utf-8") as f:
        f.write(example)
    plan, diags, _ = validate_all(root)
    assert diags == []
    assert [c.text for c in next(g for g in plan.gradings if g.id == "G-TD1").grid
            .rows[0].cells] == ["5 requires improvement, 3 inadequate, 1 good", "Inadequate",
                                "Split: good and requires improvement", "Not graded"]
