"""Messages that misled (issue 9): each now says what happened and how to fix it, at the place it happened.

Each test asserts the whole diagnostic (file, line, column, code, message and hint), or the command's whole output.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from generator.validate import validate_all
from plan_edits import BRIEFING, PLAN, Replace, Write, edited, include, locate

REPO = Path(__file__).parent.parent
JUDGEMENT = "{area: Overall effectiveness (safeguarding), grade: inadequate}"


def found(root: Path) -> list[tuple]:
    return [(d.file, d.line, d.col, d.code, d.message, d.hint) for d in validate_all(root)[1]]


def at(root: Path, file: str, needle: str, *rest) -> tuple:
    return (file, *locate(root, file, needle), *rest)


# --- 1. an unquoted comma inside { } ---------------------------------------------------------


def test_comma_in_an_inline_mapping_says_to_quote_the_value(tmp_path):
    root = edited(tmp_path, Replace(JUDGEMENT, "{area: Referral, and assessment, grade: good}"))
    assert found(root) == [at(root, PLAN, "and assessment", "S102",
                              "grading G1 judgements[1].area 'Referral' is cut short by a comma: inside { } a comma "
                              "ends a value, so 'and assessment' was read as a field of its own",
                              'put the whole value in quotes: area: "Referral, and assessment"')]


def test_two_commas_are_one_message_with_the_whole_value(tmp_path):
    root = edited(tmp_path, Replace(JUDGEMENT, "{area: Help, protection, and care, grade: good}"))
    assert found(root) == [at(root, PLAN, "protection", "S102",
                              "grading G1 judgements[1].area 'Help' is cut short by a comma: inside { } a comma ends a "
                              "value, so 'protection, and care' was read as a field of its own",
                              'put the whole value in quotes: area: "Help, protection, and care"')]


def test_comma_in_a_number_says_to_drop_it(tmp_path):
    root = edited(tmp_path, Replace("{period: 2013-04, value: 85.4}", "{period: 2013-04, value: 1,234}"))
    assert found(root) == [at(root, PLAN, "234}", "S102",
                              "measure M1 values[2].value '1' is cut short by a comma: inside { } a comma ends a "
                              "value, so '234' was read as a field of its own",
                              "write the number without commas: value: 1234")]


def test_comma_before_thousands_keeps_the_digits_as_written(tmp_path):
    # The key '000' read as the number 0 made the hint "value: 10": a tenth of what the editor meant.
    root = edited(tmp_path, Replace("{period: 2013-04, value: 85.4}", "{period: 2013-04, value: 1,000}"))
    assert found(root) == [at(root, PLAN, "000}", "S102",
                              "measure M1 values[2].value '1' is cut short by a comma: inside { } a comma ends a "
                              "value, so '000' was read as a field of its own",
                              "write the number without commas: value: 1000")]


def test_a_cut_off_word_that_yaml_reads_as_true_is_quoted_as_written(tmp_path):
    root = edited(tmp_path, Replace(JUDGEMENT, "{area: Help, true, grade: good}"))
    assert found(root) == [at(root, PLAN, "true,", "S102",
                              "grading G1 judgements[1].area 'Help' is cut short by a comma: inside { } a comma ends a "
                              "value, so 'true' was read as a field of its own",
                              'put the whole value in quotes: area: "Help, true"')]


def test_comma_in_an_included_file(tmp_path):
    root = edited(tmp_path, include("more.yaml"), Write("more.yaml", (
        "gradings:\n  - id: G2\n    title: 2014 diagnostic\n    date: 2014-01-10\n    type: diagnostic\n"
        "    judgements:\n      - {area: Children in need, and child protection, grade: good}\n")))
    assert found(root) == [at(root, "more.yaml", "and child", "S102",
                              "grading G2 judgements[1].area 'Children in need' is cut short by a comma: inside { } a "
                              "comma ends a value, so 'and child protection' was read as a field of its own",
                              'put the whole value in quotes: area: "Children in need, and child protection"')]


def test_comma_in_front_matter_written_inline(tmp_path):
    root = edited(tmp_path, Write(BRIEFING, "---\n{id: DOC1, title: Staff briefing, June 2013, date: 2013-06-10, "
                                            "type: briefing}\n---\nThe audit is half done.\n"))
    assert found(root) == [at(root, BRIEFING, "June 2013", "S102",
                              "document DOC1 title 'Staff briefing' is cut short by a comma: inside { } a comma ends a "
                              "value, so 'June 2013' was read as a field of its own",
                              'put the whole value in quotes: title: "Staff briefing, June 2013"')]


def test_a_misspelt_field_in_an_inline_mapping_is_still_a_misspelt_field(tmp_path):
    root = edited(tmp_path, Replace(JUDGEMENT, "{area: Referral, grade: good, grup: Front door}"))
    assert found(root) == [at(root, PLAN, "grup", "S102", "grading G1 has unknown field 'judgements[1].grup'",
                              "did you mean 'group'?")]


# --- 2. D304 says how periods are ordered ------------------------------------------------------


def test_period_order_explains_financial_years(tmp_path):
    root = edited(tmp_path, Replace("      - {period: 2012-11, value: 21.6}\n      - {period: 2013-04, value: 85.4}",
                                    "      - {period: 2015/16, value: 21.6}\n      - {period: 2015-08, value: 85.4}"),
                  Replace("as_at: 2013-07-01", "as_at: 2016-07-01"))
    d = [row for row in found(root) if row[3] == "D304"]
    assert d == [at(root, PLAN, "2015-08", "D304",
                    "measure M1 values are not in period order: 2015-08 (ending 2015-08-31) is listed after 2015/16 "
                    "(ending 2016-03-31), and periods are ordered by the day they end; the financial year 2015/16 runs "
                    "from April 2015 to March 2016", "list values oldest first")]


# --- 3 and 7. publish and the summary lines --------------------------------------------------


def run(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args, "--root", str(root)], capture_output=True,
                          text=True, cwd=REPO, timeout=120)


PUBLISH = ("publish", "--id", "2013-07-board", "--date", "2013-07-01", "--title", "July")


def test_publish_with_warnings_says_so_after_publishing(tmp_path):
    root = edited(tmp_path, Replace("as_at: 2013-07-01", "as_at: 2013-10-01"))  # A1 overdue and stale
    r = run(root, *PUBLISH)
    assert (r.returncode, r.stdout, r.stderr) == (0, (
        "published version '2013-07-board' (July, 2013-07-01) of Example Borough Council's plan to "
        "content/versions/2013-07-board.json\n"
        "commit content/versions/ with it; the next build shows it in the version selector\n"),
        "it was published with 2 warnings as they stand ('improvement-plan validate' lists them)\n")


def test_publish_refused_after_warnings_says_only_why(tmp_path):
    root = edited(tmp_path, Replace("as_at: 2013-07-01", "as_at: 2013-10-01"))
    assert run(root, *PUBLISH).returncode == 0
    r = run(root, *PUBLISH)
    assert (r.returncode, r.stdout) == (1, "")
    assert r.stderr == ("not published: version '2013-07-board' is already published; published versions are never "
                        "replaced (use a new id, or 'correct' to record a correction)\n")


def test_publish_refused_for_errors(tmp_path):
    root = edited(tmp_path, Replace("trend: steady", "trend: worse"))
    r = run(root, *PUBLISH)
    assert (r.returncode, r.stdout) == (1, "")
    assert r.stderr.splitlines()[-1] == "not published: Example Borough Council's plan is invalid (1 error, 0 warnings)"


def test_validate_summary_names_the_council(tmp_path, capsys):
    root = edited(tmp_path)
    assert main(["validate", "--root", str(root)]) == 0
    assert capsys.readouterr().err == "Example Borough Council's plan is valid (0 errors, 0 warnings)\n"


def test_validate_summary_names_the_folder_when_the_plan_cannot_be_read(tmp_path, capsys):
    root = edited(tmp_path, Write(PLAN, "plan: [\n"))
    assert main(["validate", "--root", str(root)]) == 1
    assert capsys.readouterr().err == "the plan in 'plan' is invalid (1 error, 0 warnings)\n"


def test_build_stopped_names_the_council(tmp_path, capsys):
    root = edited(tmp_path, Replace("trend: steady", "trend: worse"))
    assert main(["build", "--root", str(root)]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"build stopped: Example Borough Council's plan is invalid (1 error, 0 warnings); {root / 'site'} was not "
        "changed")


# --- 4. a name where a role id belongs ------------------------------------------------------


@pytest.mark.parametrize("written, hint", [
    ("Head of Safeguarding", "write the id of the role (a post, not a person's name), as its 'id:' line gives it"),
    ("Jane Smith", "write the id of the role (a post, not a person's name), as its 'id:' line gives it"),
    ("Director of Children's Services", "'Director of Children's Services' is the title of ROLE-DCS: write its id, "
                                        "ROLE-DCS"),
])
def test_a_name_where_a_role_id_belongs(tmp_path, written, hint):
    root = edited(tmp_path, Replace("    owner: ROLE-DCS\n", f"    owner: \"{written}\"\n"))
    assert found(root) == [at(root, PLAN, f'"{written}"', "R202",
                              f"risk RISK1 owner: there is no role '{written}'; roles: ROLE-CHAIR, ROLE-DCS", hint)]


def test_many_ids_nearest_first_then_a_count(tmp_path):
    posts = ["ADOPTION", "AUDIT", "EARLY-HELP", "FINANCE", "FOSTERING", "HR", "IRO", "LADO", "MASH", "YOT"]
    roles = "".join(f"  - id: {p}\n    title: Head of {p}\n" for p in posts)
    root = edited(tmp_path, Replace("themes:\n", roles + "themes:\n"),
                  Replace("    owner: ROLE-DCS\n", "    owner: ROLE-DSC\n"))
    assert found(root) == [at(root, PLAN, "ROLE-DSC\n", "R202",
                              "risk RISK1 owner: there is no role 'ROLE-DSC'; roles: ROLE-DCS, ROLE-CHAIR, ADOPTION, "
                              "AUDIT, EARLY-HELP, FINANCE, FOSTERING, HR and 4 more", "")]


# --- 5. an item under the wrong section -------------------------------------------------------


def test_a_grading_pasted_under_risks(tmp_path):
    grading = ("  - id: G2\n    title: 2014 diagnostic\n    date: 2014-01-10\n    type: diagnostic\n"
               "    judgements:\n      - {area: Front door, grade: good}\n")
    root = edited(tmp_path, Replace("risks:\n", "risks:\n" + grading))
    assert found(root) == [at(root, PLAN, "id: G2", "S102",
                              "risk G2 looks like a grading (it has date, judgements, type); gradings go under "
                              "'gradings:', not 'risks:'", "move it to the 'gradings:' list, or give it a risk's fields")]


def test_an_action_pasted_under_commitments(tmp_path):
    action = ("  - id: A9\n    commitment: C1\n    title: Train the front door.\n    lead: ROLE-DCS\n"
              "    target_date: 2013-09-30\n")
    root = edited(tmp_path, Replace("actions:\n", action + "actions:\n"))
    assert found(root) == [at(root, PLAN, "id: A9", "S102",
                              "commitment A9 looks like an action (it has commitment, lead, target_date, title); "
                              "actions go under 'actions:', not 'commitments:'",
                              "move it to the 'actions:' list, or give it a commitment's fields")]


def test_a_risk_missing_two_fields_is_still_a_risk(tmp_path):
    root = edited(tmp_path, Replace("    mitigation: Recruitment campaign.\n    trend: steady\n", ""))
    assert [row[3:5] for row in found(root)] == [("S101", "risk RISK1 is missing required field 'mitigation'"),
                                                 ("S101", "risk RISK1 is missing required field 'trend'")]


# --- 6. a choice written in another case ----------------------------------------------------


@pytest.mark.parametrize("written, choice", [("Amber", "amber"), ("AMBER", "amber"), ("Not Started", "not_started"),
                                             ("not-started", "not_started")])
def test_a_choice_in_another_case_names_the_exact_choice(tmp_path, written, choice):
    root = edited(tmp_path, Replace("status: amber\n", f"status: {written}\n"))
    assert found(root) == [at(root, PLAN, f"{written}\n", "S104",
                              f"action A1 updates[1].status '{written}' is not one of: not_started, red, amber, green "
                              "or complete", f"write it as '{choice}'")]


def test_a_choice_that_is_not_a_case_slip_gets_no_such_hint(tmp_path):
    root = edited(tmp_path, Replace("status: amber\n", "status: orange\n"))
    assert found(root)[0][5] == ""
