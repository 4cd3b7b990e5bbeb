"""Defects found by the fresh-eyes review of issue 12's papers (the report, the tracker out and in), each pinned by a
test that failed before its fix."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

from openpyxl import load_workbook

from conftest import REPO, fresh_plan
from generator.build import site_data
from generator.cli import main
from generator.model import Audience
from generator.project import project
from generator.render import csv_cell
from generator.tracker_export import tracker_xlsx
from generator.tracker_sheets import _unguarded
from generator.validate import validate
from tracker_books import xlsx


def staff_only(root: Path) -> dict[str, list[str]]:
    """The ids the plan at `root` marks `audience: staff`, and the actions its public edition shows."""
    plan, diags = validate(root)
    assert [d.text() for d in diags if d.severity.value == "error"] == []
    marked = [i.id for i in plan.items() if i.audience is Audience.staff and i.kind != "risk"]
    return {"marked": marked, "public actions": [a.id for a in project(plan, "public").actions]}


def test_a_staff_only_action_stays_staff_only_through_the_staff_tracker(tmp_path, capsys):
    """The staff edition's tracker had no column saying which actions are staff-only, and import-tracker writes
    items public: exporting the sample's staff tracker and importing it into a new plan published A2.8 (staff-only:
    HR follow-up of individual staff's performance) on the new plan's public site."""
    tracker = tmp_path / "staff.xlsx"
    tracker.write_bytes(tracker_xlsx(site_data(REPO, "staff", "draft")))
    ws = load_workbook(tracker)["Actions"]
    assert ws.cell(row=1, column=ws.max_column).value == "Audience"
    assert [r[0].value for r in ws.iter_rows(min_row=2) if r[-1].value == "Staff only"] == ["A2.8"]
    assert {r[-1].value for r in ws.iter_rows(min_row=2)} == {"Staff only", "Public"}
    public = load_workbook(io.BytesIO(tracker_xlsx(site_data(REPO, "public", None))))["Actions"]
    assert "Audience" not in [c.value for c in public[1]]  # the public edition holds public actions only

    root = fresh_plan(tmp_path / "council")
    assert main(["import-tracker", str(tracker), "--root", str(root)]) == 1
    err = capsys.readouterr().err.splitlines()  # exit 1: the new plan has none of the recommendations answered
    assert [line for line in err if "which is not a recommendation or finding of the plan" not in line] == []
    got = staff_only(root)
    assert got["marked"] == ["A2.8"]
    assert "A2.8" not in got["public actions"] and len(got["public actions"]) == len(ws["A"]) - 2


def test_a_councils_own_audience_column_marks_what_it_alone_uses_and_never_guesses_public(tmp_path, capsys):
    """A theme (and its commitment) made for staff-only rows alone is staff-only too, or its title would show on
    the public site; one that a public row shares stays public. A word the import cannot tell as an audience keeps
    the row out (guessing public could publish it), and a difference from the plan is reported, never written."""
    rows = [["Ref", "Workstream", "Action", "Lead", "Due date", "Audience"],
            ["X1", "Disciplinary cases", "Conclude the three open capability cases.", "Head of HR",
             datetime(2015, 9, 30), "Confidential"],
            ["X2", "Disciplinary cases", "Review the agency workers' conduct reports.", "Head of HR",
             datetime(2015, 9, 30), "staff only"],
            ["X3", "Workforce", "Recruit four team managers.", "Head of HR", datetime(2015, 9, 30), "Public"],
            ["X4", "Workforce", "Agree the retention payments with the unions.", "Head of HR",
             datetime(2015, 9, 30), "Internal"],
            ["X5", "Workforce", "Publish the workforce strategy.", "Head of HR", datetime(2015, 9, 30), None],
            ["X6", "Workforce", "Brief the Lead Member.", "Head of HR", datetime(2015, 9, 30), "Members only"]]
    root = fresh_plan(tmp_path / "council")
    tracker = xlsx(tmp_path, rows)
    assert main(["import-tracker", str(tracker), "--root", str(root)]) == 1
    out, err = capsys.readouterr()
    assert err.splitlines() == [f"{tracker}:Plan!F7: 'Members only' is not an audience, so the row was not imported "
                                "(write Staff only for an action the public edition leaves out, or Public)"]
    assert out.splitlines()[-1] == ("5 actions added, 0 updates added, 0 unchanged, 2 themes, 2 commitments and 1 "
                                    "role added, 1 cell not used")
    got = staff_only(root)
    assert got == {"marked": ["T1", "C1.1", "X1", "X2", "X4"], "public actions": ["X3", "X5"]}

    again = xlsx(tmp_path, [rows[0], [*rows[3][:5], "Staff only"], [*rows[1][:5], "Public"]], name="again.xlsx")
    assert main(["import-tracker", str(again), "--root", str(root)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{again}:Plan!F2: X3 is Staff only here but Public in the plan; the plan is kept (change the audience of the "
        "action (or its commitment or theme) in the plan if it should change)",
        f"{again}:Plan!F3: X1 is Public here but Staff only in the plan; the plan is kept (change the audience of the "
        "action (or its commitment or theme) in the plan if it should change)"]
    assert staff_only(root) == got


def test_a_csv_trackers_formula_guard_is_not_imported_as_part_of_the_text(tmp_path, capsys):
    """export-tracker --format csv puts an apostrophe before text a spreadsheet would run ('- Recruit ...' became
    "'- Recruit ..."), and import-tracker kept it: a CSV round trip changed every such title and narrative, and
    importing the CSV back into the same plan reported each as a difference."""
    for text in ["=1+1", "- Recruit", "+44 1234", "@SUM(A1)", "'=x", "''-x", "'quoted", "plain", "'"]:
        assert _unguarded(str(csv_cell(text))) == text, text
    buf = io.StringIO()
    csv.writer(buf).writerows([["Reference", "Action", "Lead", "Due date", "RAG", "Latest update", "Update date"],
                               [csv_cell(v) for v in ["A1.1", "- Recruit four team managers.", "Head of HR",
                                                      "2013-09-30", "Amber", "=2 of 4 appointed.", "2013-07-01"]]])
    tracker = tmp_path / "tracker.csv"
    tracker.write_text(buf.getvalue(), encoding="utf-8")
    assert "'- Recruit" in buf.getvalue() and "'=2 of 4" in buf.getvalue()
    root = fresh_plan(tmp_path / "council")
    assert main(["import-tracker", str(tracker), "--root", str(root)]) == 0
    capsys.readouterr()
    (action,) = validate(root)[0].actions
    assert (action.title, action.updates[-1].narrative) == ("- Recruit four team managers.", "=2 of 4 appointed.")


def test_a_revised_target_date_and_the_latest_periods_rag_are_the_ones_imported(tmp_path, capsys):
    """'Target date' and 'Revised target date' both name the due date, as 'RAG Jun' and 'RAG Sep' name the RAG;
    the proposal kept the first of each, so an action imported with its first target date (overdue on the site)
    and June's status and words as its latest update. Now the newest column is read, the first due date is the
    original one, and an empty revised date means the date never moved."""
    from generator.model import Status

    rows = [["Ref", "Action", "Lead", "Target date", "Revised target date", "RAG Jun", "Update Jun", "RAG Sep",
             "Update Sep", "Date of update"],
            ["1", "Recruit four team managers.", "Head of HR", datetime(2013, 6, 30), datetime(2013, 9, 30), "Green",
             "Advertised.", "Amber", "Two appointed; advertising again.", datetime(2013, 9, 1)],
            ["2", "Publish the strategy.", "Head of HR", datetime(2013, 6, 30), None, "Green", "Drafted.",
             "Complete", "Published.", datetime(2013, 9, 1)]]
    root = fresh_plan(tmp_path / "council")
    tracker = xlsx(tmp_path, rows)
    assert main(["import-tracker", str(tracker), "--root", str(root)]) == 0
    capsys.readouterr()
    mapping = (tmp_path / "tracker.mapping.yaml").read_text(encoding="utf-8")
    assert "  original_due: D\n  due: E\n  status: H\n  update: I\n  update_date: J\n" in mapping
    plan, _ = validate(root)
    assert [(a.title, a.target_date.isoformat(), [(u.status, u.narrative) for u in a.updates]) for a in plan.actions] \
        == [("Recruit four team managers.", "2013-09-30", [(Status.amber, "Two appointed; advertising again.")]),
            ("Publish the strategy.", "2013-06-30", [(Status.complete, "Published.")])]
    assert "  # the tracker's original due date is 2013-06-30: record the move under target_date_changes (on, " \
           "from, reason)\n  - id: A1.1\n" in (root / "plan.yaml").read_text(encoding="utf-8")


def test_a_long_unbroken_word_in_the_pdf_report_wraps_inside_the_page(tmp_path):
    """Only table cells could break a long word: an action's title of one long word (or a long web address) in the
    summary's list of overdue actions ran past the right margin and off the page, cut short for the reader."""
    from importlib.resources import files

    from weasyprint import CSS, HTML

    from generator.report import build_report
    from generator.report_pdf import report_html

    data = site_data(REPO, "public", None)
    overdue = data.overdue_actions[0]
    overdue.title = "Recruit " + "Y" * 200
    overdue.latest.narrative = "See https://www.example.gov.uk/" + "segment" * 60
    css = CSS(string=files("generator").joinpath("templates/report/report.css").read_text(encoding="utf-8"))
    document = HTML(string=report_html(build_report(data))).render(stylesheets=[css])

    def right_edges(box):
        if getattr(box, "text", None):
            yield box.position_x + box.width, box.text
        for child in getattr(box, "children", ()):
            yield from right_edges(child)

    page = document.pages[0]._page_box
    margin_right = page.margin_width() - page.margin_right - page.padding_right  # from the page's left edge
    beyond = [(round(x), text[:30]) for p in document.pages for x, text in right_edges(p._page_box)
              if x > margin_right + 0.5]
    assert beyond == []


def test_a_paper_is_never_written_where_the_build_publishes_or_the_ledger_checks(tmp_path, capsys):
    """`report --edition staff --out docs_theme/board.pdf` wrote the staff report into the plan's theme folder,
    whose every file the build copies into both sites: the next build published it at public/<point>/board.pdf.
    And a paper could be written among the reporting points' records in content/versions/."""
    from conftest import copy_sample

    root = copy_sample(tmp_path / "plan")
    for argv, out, folder, why in [
            (["report", "--edition", "staff"], root / "docs_theme" / "assets" / "board.pdf", "docs_theme",
             "whose every file the build copies into both editions of the site (a staff paper there would be "
             "published)"),
            (["export-tracker", "--edition", "public"], root / "content" / "versions" / "tracker.csv",
             "content/versions", "which holds the reporting points' records, checked against git")]:
        assert main([*argv, "--out", str(out), "--root", str(root)]) == 2
        assert capsys.readouterr().err == (f"nothing written: --out '{out}' is inside the plan's {folder}/, {why}: "
                                           f"write the paper elsewhere, such as {out.name}\n")
        assert not out.exists()
