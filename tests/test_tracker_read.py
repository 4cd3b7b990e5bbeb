"""Reading a council's RAG tracker: every shape councils keep one in (built here with openpyxl, or written as
CSV), the mapping proposed from its headings and read back from the YAML a council edits, and every cell that
cannot be used reported as `FILE.xlsx:SHEET!C12: what and why (how to fix)`."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.styles.colors import Color
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from generator import tracker_sheets
from generator.errors import GeneratorError
from generator.model import Status, Terms
from generator.tracker import UPDATE_HEADINGS, UPDATES_SHEET, Column, TrackerUpdate, Where, headings
from generator.tracker_dates import NotADate, Read, parse_date
from generator.tracker_read import (Mapping, TrackerError, guess_status, load_mapping, mapping_text,
                                    propose_mapping, read_tracker)
from tracker_books import HEADINGS, with_saved_values, xlsx

TERMS = Terms()
F = "tracker.xlsx"


def read(path: Path, terms: Terms = TERMS, **changes):
    """The proposal for `path`, changed as a council would edit it, and what reading with it gives."""
    shown = path.name
    mapping = propose_mapping(path, shown, None, terms)
    if changes:
        mapping = mapping.model_copy(update=changes)
    return mapping, read_tracker(path, shown, mapping, terms)


def texts(reading) -> list[str]:
    return [p.text for p in reading.problems]


# --- the exported layout, and the headings councils use ------------------------------------------------------


def test_an_exported_tracker_maps_with_no_edits_and_reads_its_updates_sheet(tmp_path):
    terms = Terms(theme="workstream", commitment="objective")

    def edit(wb, ws):
        ups = wb.create_sheet(UPDATES_SHEET)
        ups.append(list(UPDATE_HEADINGS))
        ups.append(["A1.1", datetime(2015, 6, 30), "Amber", "Started late"])
        ups.append(["A1.1", datetime(2015, 9, 30), "Green", "Caught up"])
        wb.create_sheet("About").append(["Exported from the plan"])

    head = list(headings(terms).values())
    assert head[1:3] == ["Workstream", "Objective"]
    path = xlsx(tmp_path, [head, ["A1.1", "Safer practice", "Every child seen", "Audit every case", "Head of QA",
                                  datetime(2015, 9, 30), datetime(2015, 6, 30), "Green", "Caught up",
                                  datetime(2015, 9, 30), None, "R1 R2"]], title="Actions", edit=edit)
    mapping, reading = read(path, terms)
    assert mapping.sheet == "Actions" and mapping.header_row == 1 and mapping.updates_sheet == UPDATES_SHEET
    assert mapping.columns == {c: "ABCDEFGHIJKL"[i] for i, c in enumerate(headings(terms))}
    assert mapping.statuses == {"Green": Status.green, "Amber": Status.amber}
    assert reading.problems == ()
    (row,) = reading.rows
    assert (row.reference, row.theme, row.commitment, row.action, row.lead, row.due, row.original_due, row.status,
            row.completed, row.answers, row.notes) == (
        "A1.1", "Safer practice", "Every child seen", "Audit every case", "Head of QA", date(2015, 9, 30),
        date(2015, 6, 30), Status.green, None, ("R1", "R2"), ())
    assert row.update == TrackerUpdate(date(2015, 9, 30), Status.green, "Caught up", Where(F, "Actions", 2, 8))
    assert row.where == Where(F, "Actions", 2, 1) and row.cells[Column.lead] == Where(F, "Actions", 2, 5)
    assert reading.updates == (
        TrackerUpdate(date(2015, 6, 30), Status.amber, "Started late", Where(F, UPDATES_SHEET, 2, 1), "A1.1"),
        TrackerUpdate(date(2015, 9, 30), Status.green, "Caught up", Where(F, UPDATES_SHEET, 3, 1), "A1.1"))


def test_headings_councils_write_are_recognised_by_synonym(tmp_path):
    head = ["Action Ref", "Workstream", "Objective", "What we will do", "Responsible Officer", "By when",
            "Original target date", "BRAG rating (Sept 15)", "Commentary", "As at", "Date completed", "Recs", "Notes"]
    mapping = propose_mapping(xlsx(tmp_path, [head, ["1"] * 13]), F, None, TERMS)
    assert mapping.columns == {Column.reference: "A", Column.theme: "B", Column.commitment: "C",
                               Column.action: "D", Column.lead: "E", Column.due: "F", Column.original_due: "G",
                               Column.status: "H", Column.update: "I", Column.update_date: "J",
                               Column.completed: "K", Column.answers: "L"}
    assert mapping.headings["M"] == "Notes" and mapping.theme_rows is False


def test_the_plans_own_words_name_the_theme_and_commitment_columns(tmp_path):
    terms = Terms(theme="priority", commitment="area")  # 'area' would otherwise be a theme
    mapping = propose_mapping(xlsx(tmp_path, [["Priorities", "Area", "Action", "Lead", "Due"]]), F, None, terms)
    assert mapping.columns == {Column.theme: "A", Column.commitment: "B", Column.action: "C", Column.lead: "D",
                               Column.due: "E"}


def test_a_tracker_whose_headings_are_not_recognised_asks_for_a_mapping_file(tmp_path):
    path = xlsx(tmp_path, [["Improvement tracker"], ["Ref", "Activity (what)", "RAG", "Progress"]])
    with pytest.raises(TrackerError) as err:
        propose_mapping(path, F, None, TERMS)
    assert err.value.message == (
        "no column for lead and due was recognised in row 2 of 'tracker.xlsx' (sheet 'Plan'), whose headings are "
        "'Ref', 'Activity (what)', 'RAG', 'Progress' (write a mapping file saying which column holds each field, "
        "and give it with --mapping)")
    with pytest.raises(TrackerError) as err:
        propose_mapping(xlsx(tmp_path, [["Improvement tracker"], ["one", "two"]], name="b.xlsx"), "b.xlsx", None,
                        TERMS)
    assert err.value.message == (
        "no row of column headings was recognised in the first 20 rows of 'b.xlsx' (sheet 'Plan'); row 2 holds "
        "'one', 'two' (write a mapping file saying which row holds the headings and which column holds each "
        "field, and give it with --mapping)")


def test_the_first_sheet_with_a_header_row_is_chosen_unless_one_is_named(tmp_path):
    def edit(wb, ws):
        wb.create_sheet("Tracker").append(HEADINGS)
        wb.create_sheet("Old").append(HEADINGS)

    path = xlsx(tmp_path, [["Contents"], ["Tracker: the actions"]], title="Cover", edit=edit)
    assert propose_mapping(path, F, None, TERMS).sheet == "Tracker"
    assert propose_mapping(path, F, "Old", TERMS).sheet == "Old"
    with pytest.raises(TrackerError) as err:
        propose_mapping(path, F, "Actions", TERMS)
    assert err.value.message == "'tracker.xlsx' has no sheet 'Actions' (its sheets are 'Cover', 'Tracker', 'Old')"
    assert err.value.exit_code == 2


# --- rows: titles, blanks, totals --------------------------------------------------------------------------


def test_title_rows_blank_rows_and_a_totals_row(tmp_path):
    path = xlsx(tmp_path, [["Northshire Children's Services"], ["Improvement plan tracker"], [], HEADINGS, [],
                           ["1.1", "Audit every case", "Head of QA", "30/09/2015"], [], [],
                           ["1.2", "Train every social worker", "Principal Social Worker", "31/12/2015"],
                           [None, None, None, None, 2],
                           [None, "Total: 2 actions"], ["1.3"], ["Key: R = off track, A = at risk"]])
    mapping, reading = read(path)
    assert mapping.header_row == 4
    assert [(r.reference, r.where.row) for r in reading.rows] == [("1.1", 6), ("1.2", 9)]
    assert texts(reading) == [
        "tracker.xlsx:Plan!B11: 'Total: 2 actions' has no lead and no due date, so it was not read as an action "
        "(fill them in; if the row is not an action, such as a total or a key, delete it or set last_row in the "
        "mapping file)",
        "tracker.xlsx:Plan!B12: the row has the reference '1.3' but no action (write the action; if the row is "
        "not an action, such as a key or a note, delete it or set last_row in the mapping file)",
        "tracker.xlsx:Plan!B13: the row has the reference 'Key: R = off track, A = at risk' but no action (write "
        "the action; if the row is not an action, such as a key or a note, delete it or set last_row in the "
        "mapping file)"]
    assert mapping.theme_rows is False  # '1.3' and the key are alone in column A, but no action follows them
    _, kept = read(path, last_row=10)
    assert [r.reference for r in kept.rows] == ["1.1", "1.2"] and kept.problems == ()
    _, later = read(path, first_row=7)
    assert [r.reference for r in later.rows] == ["1.2"]


def test_a_row_missing_its_lead_or_due_date_is_not_returned(tmp_path):
    path = xlsx(tmp_path, [HEADINGS, ["1.1", "Audit every case", None, "30/09/2015"],
                           ["1.2", "Train staff", "Head of QA", None, "Green"],
                           ["1.3", "Recruit", "Head of HR", "soon"]])
    _, reading = read(path)
    assert reading.rows == ()
    assert texts(reading) == [
        "tracker.xlsx:Plan!C2: no lead: every action needs the post responsible for it (write the lead's post, "
        "such as Head of Safeguarding)",
        "tracker.xlsx:Plan!D3: no due date: every action needs a target date (write the date by which it will be "
        "done, such as 31/03/2016)",
        "tracker.xlsx:Plan!D4: 'soon' is not a date (write the date by which it will be done, such as 31/03/2016)"]


# --- RAG as text, as fill colour, or both -------------------------------------------------------------------


def test_rag_words_in_any_case_and_form_are_proposed_and_read(tmp_path):
    words = ["R", "Red", "RED ", "Green - on track", "BRAG: G", "On track (green)", "Complete", "Blue", "amber",
             "Not started", "A/G", "Grey"]
    rows = [HEADINGS] + [[f"1.{i}", f"Action {i}", "Head of QA", "30/09/2015", w] for i, w in enumerate(words, 1)]
    mapping, reading = read(xlsx(tmp_path, rows))
    assert mapping.statuses == {"R": Status.red, "Red": Status.red, "Green - on track": Status.green,
                                "BRAG: G": Status.green, "On track (green)": Status.green,
                                "Complete": Status.complete, "Blue": Status.complete, "amber": Status.amber,
                                "Not started": Status.not_started, "A/G": Status.amber}
    assert [r.status for r in reading.rows] == [Status.red, Status.red, Status.red, Status.green, Status.green,
                                                Status.green, Status.complete, Status.complete, Status.amber,
                                                Status.not_started, Status.amber, None]
    hint = ("(add it under statuses: in the mapping file, with the status it means: not_started, red, amber, green "
            "or complete)")
    assert texts(reading) == [f"tracker.xlsx:Plan!E13: 'Grey' is not a RAG status the mapping knows {hint}"]
    # a split rating is guessed as its first (the worse) colour; two colours written apart, as neither
    assert [guess_status(w) for w in ("  r ", "Rag: Amber", "status - complete", "Red/Green", "see notes: green or red",
                                      "")] == [Status.red, Status.amber, Status.complete, Status.red, None, None]


def solid(colour: str | Color) -> PatternFill:
    return PatternFill("solid", fgColor=colour)


def test_rag_given_only_as_fill_colour(tmp_path):
    fills = {2: solid("FF0000"), 3: solid("FFC7CE"), 4: solid("FFEB9C"), 5: solid("00B050"), 6: solid("C6EFCE"),
             7: solid("0070C0"), 8: solid("A6A6A6"), 9: solid("FFFFFF"), 10: solid(Color(indexed=11)),
             11: solid(Color(theme=9, tint=0.4)), 12: solid(Color(theme=5)), 13: solid("7030A0")}

    def edit(wb, ws):
        for row, fill in fills.items():
            ws.cell(row, 5).fill = fill

    rows = [HEADINGS] + [[f"1.{r}", f"Action {r}", "Head of QA", "30/09/2015"] for r in range(2, 14)]
    mapping, reading = read(xlsx(tmp_path, rows, edit=edit))
    # openpyxl's default theme is Office 2007's: accent 6 (theme 9) is F79646 (orange), accent 2 (5) C0504D (red)
    assert mapping.fills == {"FF0000": Status.red, "FFC7CE": Status.red, "FFEB9C": Status.amber,
                             "00B050": Status.green, "C6EFCE": Status.green, "0070C0": Status.complete,
                             "A6A6A6": Status.complete, "00FF00": Status.green, "FAC090": Status.amber,
                             "C0504D": Status.red,
                             "7030A0": Status.complete}
    assert [r.status for r in reading.rows] == [
        Status.red, Status.red, Status.amber, Status.green, Status.green, Status.complete, Status.complete, None,
        Status.green, Status.amber, Status.red, Status.complete]
    assert reading.problems == ()
    assert reading.rows[0].cells[Column.status] == Where(F, "Plan", 2, 5)


def test_a_fill_the_mapping_does_not_know_or_cannot_read_and_text_that_disagrees(tmp_path):
    def edit(wb, ws):
        ws["E2"].fill = solid("FF0000")
        ws["E3"].fill = solid("FF0000")
        ws["E4"].fill = solid(Color(theme=40))
        ws["E5"].fill = solid("FF0000")

    rows = [HEADINGS, ["1.1", "Audit", "Head of QA", "30/09/2015"], ["1.2", "Train", "Head of QA", "30/09/2015",
                                                                     "Green"],
            ["1.3", "Recruit", "Head of QA", "30/09/2015"], ["1.4", "Review", "Head of QA", "30/09/2015", "Rd"]]
    path = xlsx(tmp_path, rows, edit=edit)
    _, reading = read(path, fills={}, statuses={"Green": Status.green})
    assert [r.status for r in reading.rows] == [None, Status.green, None, None]
    assert texts(reading) == [
        "tracker.xlsx:Plan!E2: the fill colour FF0000 is not one the mapping knows (add it under fills: in the "
        "mapping file (FF0000: red, for example), or write the status as text)",
        "tracker.xlsx:Plan!E4: the cell's fill colour could not be read (a gradient, or a theme colour the file "
        "does not define) (write the status as text, such as Green)",
        "tracker.xlsx:Plan!E5: 'Rd' is not a RAG status the mapping knows (add it under statuses: in the mapping "
        "file, with the status it means: not_started, red, amber, green or complete)"]
    _, both = read(path, fills={"FF0000": Status.red}, statuses={"Green": Status.green})
    assert [r.status for r in both.rows] == [Status.red, Status.green, None, Status.red]
    assert texts(both)[0] == ("tracker.xlsx:Plan!E3: the text says 'Green' (green) but the fill colour FF0000 "
                              "means red; the text was used (make the cell's text and colour agree)")
    assert texts(both)[2] == (
        "tracker.xlsx:Plan!E5: 'Rd' is not a RAG status the mapping knows; its fill colour (FF0000, red) was used "
        "(add it under statuses: in the mapping file, with the status it means: not_started, red, amber, green "
        "or complete)")


# --- dates --------------------------------------------------------------------------------------------------

NEAR = (date(2015, 10, 10), "the row's update date")


@pytest.mark.parametrize("written, day, how", [
    ("30/09/2015", date(2015, 9, 30), ""),
    ("30-09-15", date(2015, 9, 30), ""),
    ("30.9.2015", date(2015, 9, 30), ""),
    ("30 Sept 2015", date(2015, 9, 30), ""),
    ("30th September 2015", date(2015, 9, 30), ""),
    ("Sept 30, 2015", date(2015, 9, 30), ""),
    ("2015-09-30", date(2015, 9, 30), ""),
    ("by 30/09/2015", date(2015, 9, 30), ""),
    ("03/04/2015", date(2015, 4, 3), ""),
    ("09/30/2015", date(2015, 9, 30), "month first, as there is no month 30"),
    ("September 2015", date(2015, 9, 30), "the end of that month"),
    ("Sep-15", date(2015, 9, 30), "the end of that month"),
    ("end of February 2016", date(2016, 2, 29), "the end of that month"),
    ("2015-09", date(2015, 9, 30), "the end of that month"),
    ("Q2 2015/16", date(2015, 9, 30), "the end of that quarter"),
    ("Q4 15/16", date(2016, 3, 31), "the end of that quarter"),
    ("2015/16 Q1", date(2015, 6, 30), "the end of that quarter"),
    ("Quarter 3 2015-16", date(2015, 12, 31), "the end of that quarter"),
    ("Q3 2015", date(2015, 9, 30), "the end of that quarter"),
    ("2015/16", date(2016, 3, 31), "the end of that financial year"),
    ("2015-2016", date(2016, 3, 31), "the end of that financial year"),
    ("Jan-Mar 2016", date(2016, 3, 31), "the end of that range"),
    ("Jan 2016 - Mar 2016", date(2016, 3, 31), "the end of that range"),
    ("Jan–Mar 16", date(2016, 3, 31), "the end of that range"),
    ("April to June 2016", date(2016, 6, 30), "the end of that range"),
    ("Nov 2015 - Feb", date(2016, 2, 29), "the end of that range"),
    ("01/04/2015 - 30/09/2015", date(2015, 9, 30), "the end of that range"),
    ("end of September", date(2015, 9, 30),
     "the end of that month, in the year that puts it nearest the row's update date (10 October 2015)"),
    ("by end Sept", date(2015, 9, 30),
     "the end of that month, in the year that puts it nearest the row's update date (10 October 2015)"),
    ("end of March", date(2016, 3, 31),
     "the end of that month, in the year that puts it nearest the row's update date (10 October 2015)"),
    ("30/09/2015 00:00", date(2015, 9, 30), ""),
    ("2015-09-30T00:00:00", date(2015, 9, 30), ""),
    ("March 2016 (revised from Dec 2015)", date(2016, 3, 31),
     "the end of that month, leaving out '(revised from Dec 2015)'"),
    ("30/09/2015 (agreed at board)", date(2015, 9, 30), "leaving out '(agreed at board)'"),
    ("14 January", date(2016, 1, 14),
     "that day, in the year that puts it nearest the row's update date (10 October 2015)"),
])
def test_dates_as_councils_write_them(written, day, how):
    assert parse_date(written, True, NEAR) == Read(day, how)


@pytest.mark.parametrize("written, reason, placeholder", [
    ("ongoing", "", True), ("TBC", "", True), ("n/a", "", True), ("On-going", "", True),
    ("Q5 2015", "a quarter is Q1 to Q4", False), ("Q5 2015/16", "a quarter is Q1 to Q4", False),
    ("31/02/2015", "February 2015 has no day 31", False),
    ("2015/17", "2015/17 is not a financial year (write it as 2015/16)", False),
    ("Q2", "it has no year (write Q2 2015/16 for a financial year's quarter)", False),
    ("end of September", "it has no year, and the row has no update date to take one from", False),
    ("30/09/1815", "the year 1815 is outside 1970 to 2099", False),
    ("soon", "", False),
    ("soon (see notes)", "", False),
    ("(31/03/2016)", "", False),
])
def test_what_is_not_a_date_says_why(written, reason, placeholder):
    with pytest.raises(NotADate) as err:
        parse_date(written, True, None)
    assert (err.value.reason, err.value.placeholder) == (reason, placeholder)


def test_day_first_off_reads_american_dates():
    assert parse_date("03/04/2015", False) == Read(date(2015, 3, 4))
    assert parse_date("30/09/2015", False) == Read(date(2015, 9, 30), "day first, as there is no month 30")


def test_dates_in_cells_real_serial_text_and_month_formats_with_notes(tmp_path):
    def edit(wb, ws):
        ws["D4"].number_format = "mmm-yy"

    rows = [HEADINGS,
            ["1", "A", "Lead", datetime(2015, 9, 30, 0, 0)],
            ["2", "B", "Lead", 42277],
            ["3", "C", "Lead", datetime(2015, 9, 1)],
            ["4", "D", "Lead", "Q2 2015/16"],
            ["5", "E", "Lead", "end of March", "Green", "Fine", datetime(2015, 10, 10)],
            ["6", "F", "Lead", "end of March"],
            ["7", "G", "Lead", "ongoing"],
            ["8", "H", "Lead", 2015],
            ["9", "I", "Lead", 42277.75]]
    _, reading = read(xlsx(tmp_path, rows, edit=edit))
    assert [(r.reference, r.due, r.notes) for r in reading.rows] == [
        ("1", date(2015, 9, 30), ()),
        ("2", date(2015, 9, 30), ("D3: '42277' read as 30 September 2015, an Excel date number",)),
        ("3", date(2015, 9, 30), ("D4: 'Sep-15' read as 30 September 2015, the end of that month (the cell shows a "
                                  "month)",)),
        ("4", date(2015, 9, 30), ("D5: 'Q2 2015/16' read as 30 September 2015, the end of that quarter",)),
        ("5", date(2016, 3, 31), ("D6: 'end of March' read as 31 March 2016, the end of that month, in the year that "
                                  "puts it nearest the row's update date (10 October 2015)",)),
        ("9", date(2015, 9, 30), ("D10: '42277.75' read as 30 September 2015, an Excel date number",))]
    assert texts(reading) == [
        "tracker.xlsx:Plan!D7: 'end of March' is not a date: it has no year, and the row has no update date to "
        "take one from (write the date by which it will be done, such as 31/03/2016)",
        "tracker.xlsx:Plan!D8: 'ongoing' is not a date: an action needs a target date (write the date by which it "
        "will be done, such as 31/03/2016)",
        "tracker.xlsx:Plan!D9: '2015' is not a date: the number 2015 is not a date (as an Excel date it would be "
        "7 July 1905) (write the date by which it will be done, such as 31/03/2016)"]


def test_a_1904_workbook_counts_serial_numbers_from_1904(tmp_path):
    def edit(wb, ws):
        wb.epoch = CALENDAR_MAC_1904

    _, reading = read(xlsx(tmp_path, [HEADINGS, ["1", "A", "Lead", 40815]], edit=edit))
    assert reading.rows[0].due == date(2015, 9, 30)


def test_a_month_without_a_year_takes_the_trackers_own_date_and_an_undated_update_is_dated_by_it(tmp_path):
    rows = [["Improvement plan: position as at 30 September 2015"], HEADINGS,
            ["1", "A", "Lead", "end of March", "Amber", "Behind"],
            ["2", "B", "Lead", "30/06/2016", "Green", "", datetime(2015, 9, 2)]]
    _, reading = read(xlsx(tmp_path, rows))
    first, second = reading.rows
    assert first.due == date(2016, 3, 31) and first.notes == (
        "D3: 'end of March' read as 31 March 2016, the end of that month, in the year that puts it nearest the "
        "tracker's date (30 September 2015)",)
    assert first.update == TrackerUpdate(date(2015, 9, 30), Status.amber, "Behind", Where(F, "Plan", 3, 5),
                                         dated=False)
    assert second.update == TrackerUpdate(date(2015, 9, 2), Status.green, "", Where(F, "Plan", 4, 5))
    _, no_title = read(xlsx(tmp_path, rows[1:], name="b.xlsx"))
    assert no_title.rows[0].update.day == date(2015, 9, 2)  # no 'as at': the newest update date in the tracker


def test_optional_dates_that_cannot_be_read_are_problems_and_placeholders_are_nothing(tmp_path):
    head = HEADINGS + ["Original target date", "Date completed"]
    rows = [head, ["1", "A", "Lead", "30/09/2015", "Complete", "Done", "yesterday", "Q1 2015", "n/a"],
            ["2", "B", "Lead", "30/09/2015", None, None, None, "31/13/2015", "30/09/2015"]]
    _, reading = read(xlsx(tmp_path, rows))
    assert [(r.original_due, r.completed, r.update and r.update.dated) for r in reading.rows] == [
        (date(2015, 3, 31), None, False), (None, date(2015, 9, 30), None)]
    assert texts(reading) == [
        "tracker.xlsx:Plan!G2: 'yesterday' is not a date (write a date such as 30/09/2015)",
        "tracker.xlsx:Plan!H3: '31/13/2015' is not a date: there is no month 13 (write a date such as 30/09/2015)"]


# --- merged cells, notes, formulas, text ------------------------------------------------------------------------


def test_merged_theme_headings_and_values_merged_down_a_column(tmp_path):
    def edit(wb, ws):
        ws.merge_cells("A2:G2")
        ws.merge_cells("C3:C4")  # one lead for two actions
        ws.merge_cells("A6:G6")
        ws.merge_cells("D7:D8")

    rows = [HEADINGS, ["Priority 1:  Safeguarding"], ["1.1", "Audit", "Head of QA", "30/09/2015"],
            ["1.2", "Train", None, "31/10/2015"], [], ["Priority 2: Workforce"],
            ["2.1", "Recruit", "Head of HR", "31/12/2015"], ["2.2", "Retain", "Head of HR"]]
    mapping, reading = read(xlsx(tmp_path, rows, edit=edit))
    assert mapping.theme_rows is True
    assert [(r.reference, r.theme, r.lead, r.due) for r in reading.rows] == [
        ("1.1", "Priority 1: Safeguarding", "Head of QA", date(2015, 9, 30)),
        ("1.2", "Priority 1: Safeguarding", "Head of QA", date(2015, 10, 31)),
        ("2.1", "Priority 2: Workforce", "Head of HR", date(2015, 12, 31)),
        ("2.2", "Priority 2: Workforce", "Head of HR", date(2015, 12, 31))]
    assert reading.rows[1].cells[Column.lead] == Where(F, "Plan", 4, 3) and reading.problems == ()
    _, off = read(xlsx(tmp_path, rows, edit=edit, name="b.xlsx"), theme_rows=False)
    assert [r.theme for r in off.rows] == [None] * 4
    assert texts(off) == [
        f"b.xlsx:Plan!B{n}: the row has the reference '{t}' but no action (write the action; if the row is not an "
        "action, such as a key or a note, delete it or set last_row in the mapping file)"
        for n, t in ((2, "Priority 1: Safeguarding"), (6, "Priority 2: Workforce"))]


def test_a_theme_column_wins_over_the_heading_row_above_it(tmp_path):
    def edit(wb, ws):
        ws.merge_cells("A2:E2")
        ws.merge_cells("A3:A4")

    rows = [["Theme", "Action", "Lead", "Due", "Notes"], ["Priority 1: Safeguarding"],
            ["Early help", "Audit", "Head of QA", "30/09/2015"], [None, "Train", "Head of QA", "30/09/2015"],
            [None, "Recruit", "Head of HR", "30/09/2015"]]
    _, reading = read(xlsx(tmp_path, rows, edit=edit))
    assert [r.theme for r in reading.rows] == ["Early help", "Early help", "Priority 1: Safeguarding"]


def test_cell_notes_become_the_rows_notes_without_their_author(tmp_path):
    threaded = ("[Threaded comment]\n\nYour version of Excel allows you to read this threaded comment; however, any "
                "edits to it will get removed if the file is opened in a newer version of Excel. Learn more: "
                "https://go.microsoft.com/fwlink/?linkid=870924\n\nComment:\n    Board asked for a date\nReply:\n"
                "    Agreed")

    def edit(wb, ws):
        ws["D2"].comment = Comment("Jane Smith:\nMoved from June:\n  the audit\nslipped", "Jane Smith")
        ws["B2"].comment = Comment(threaded, "tc={0A1B}")
        ws["H2"].comment = Comment("Checked by the board", "")

    _, reading = read(xlsx(tmp_path, [HEADINGS, ["1", "Audit", "Head of QA", "30/09/2015"]], edit=edit))
    assert reading.rows[0].notes == ("Note on B2: Board asked for a date",
                                     "Note on D2: Moved from June: the audit slipped",
                                     "Note on H2: Checked by the board")


def test_formulas_give_their_saved_values_and_one_with_none_is_a_problem(tmp_path):
    rows = [HEADINGS, ["1", "Audit", '=UPPER("head of qa")', "=DATE(2015,9,30)", '=IF(1,"Green","Red")'],
            ["2", "Train", "=C2", "30/09/2015"], ["3", "Recruit", "Head of HR", "30/09/2015", "=E2"]]
    path = xlsx(tmp_path, rows, edit=lambda wb, ws: setattr(ws["D2"], "number_format", "dd/mm/yyyy"))
    with_saved_values(path, {"C2": "HEAD OF QA", "D2": "42277", "E2": "Green"})
    _, reading = read(path, statuses={"Green": Status.green})
    assert [(r.reference, r.lead, r.due, r.status) for r in reading.rows] == [
        ("1", "HEAD OF QA", date(2015, 9, 30), Status.green), ("3", "Head of HR", date(2015, 9, 30), None)]
    hint = "(open the file in Excel or LibreOffice, save it, and run again)"
    assert texts(reading) == [f"tracker.xlsx:Plan!C3: the formula here has no saved value {hint}",
                              f"tracker.xlsx:Plan!E4: the formula here has no saved value {hint}"]


def test_an_error_value_is_a_problem(tmp_path):
    path = xlsx(tmp_path, [HEADINGS, ["1", "Audit", "=#REF!", "30/09/2015"]])
    with_saved_values(path, {"C2": "#REF!"})
    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode().replace(
        '<c r="C2" t="str">', '<c r="C2" t="e">')
    parts = {i.filename: zipfile.ZipFile(path).read(i) for i in zipfile.ZipFile(path).infolist()}
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    _, reading = read(path)
    assert texts(reading) == ["tracker.xlsx:Plan!C2: the cell shows the error #REF! (correct its formula, or write "
                              "the value)"] and reading.rows == ()


def test_spaces_line_breaks_and_quotes_collapsed_in_titles_kept_in_narratives(tmp_path):
    rows = [HEADINGS, [" 1.1 ", "Audit\u00a0every\n case ", "Head\tof  QA\u200b", "30/09/2015", "Green",
                       "First line  \r\n\r\n\r\n  \u2018Second\u2019 line\u00a0", datetime(2015, 9, 1)],
            ["2", "=HYPERLINK(\"http://x\")", "+Lead", "30/09/2015"]]

    def edit(wb, ws):
        ws["B3"].data_type = "s"  # text that starts with '=', as Excel keeps it: never a formula

    _, reading = read(xlsx(tmp_path, rows, edit=edit))
    first, second = reading.rows
    assert (first.reference, first.action, first.lead) == ("1.1", "Audit every case", "Head of QA")
    assert first.update.narrative == "First line\n\n\u2018Second\u2019 line"
    assert (second.action, second.lead) == ('=HYPERLINK("http://x")', "+Lead")


def test_control_characters_are_problems(tmp_path):
    # Excel writes a control character as _x0007_ (openpyxl refuses to write the character itself)
    rows = [HEADINGS, ["1", "Audit_x0007_", "Head of QA", "30/09/2015", "Green", "Bad \u202e text"],
            ["2", "Line_x000D_\nbreak", "Head of_x005F_x0007_QA", "30/09/2015"]]
    _, reading = read(xlsx(tmp_path, rows))
    hint = "(delete it (it is invisible, or changes how the text around it reads) and retype the text there)"
    assert [(r.action, r.lead) for r in reading.rows] == [("Line break", "Head of_x0007_QA")]
    assert texts(reading) == [
        f"tracker.xlsx:Plan!B2: the text holds the character U+0007 (a control character), which the plan cannot "
        f"hold {hint}",
        f"tracker.xlsx:Plan!F2: the text holds the character U+202E (a bidirectional control), which the plan "
        f"cannot hold {hint}"]


def test_columns_may_be_named_by_heading_and_a_missing_heading_stops_the_reading(tmp_path):
    path = xlsx(tmp_path, [["Owner", "What", "When", "Lead officer"], ["Head of QA", "Audit", "30/09/2015", "x"]])
    mapping = Mapping(header_row=1, sheet="Plan", columns={Column.action: "What", Column.lead: "owner",
                                                           Column.due: "C"})
    (row,) = read_tracker(path, F, mapping, TERMS).rows
    assert (row.action, row.lead, row.due) == ("Audit", "Head of QA", date(2015, 9, 30))
    wrong = mapping.model_copy(update={"columns": {**mapping.columns, Column.lead: "Lead officr",
                                                   Column.status: "RAG status"}})
    with pytest.raises(TrackerError) as err:
        read_tracker(path, F, wrong, TERMS)
    assert err.value.message == (
        "tracker.xlsx:Plan!A1: no column is headed as the mapping says for lead ('Lead officr'), status ('RAG "
        "status'); the headings in row 1 are 'Owner', 'What', 'When', 'Lead officer' (correct columns: in the "
        "mapping file)")


# --- CSV ----------------------------------------------------------------------------------------------------

CSV_TEXT = ('Northshire tracker\r\nRef,Action,Lead officer,Target date,RAG,Progress update\r\n'
            '1.1,"Audit, every case",Head of QA,30/09/2015,Green,"Two\r\nlines"\r\n'
            '1.2,Train \u2018staff\u2019,Head of QA,Q5 2015,Red,\r\n')


@pytest.mark.parametrize("encoding, delimiter", [("utf-8", ","), ("utf-8-sig", ","), ("cp1252", ","),
                                                 ("utf-8", ";"), ("utf-16", "\t")])
def test_csv_in_the_encodings_and_delimiters_excel_saves(tmp_path, encoding, delimiter):
    text = CSV_TEXT.replace(",", delimiter).replace("Audit" + delimiter + " every", "Audit, every")
    path = tmp_path / "tracker.csv"
    path.write_bytes(text.encode(encoding))
    mapping, reading = read(path)
    assert mapping.sheet is None and mapping.header_row == 2 and mapping.updates_sheet is None
    (row,) = reading.rows
    assert (row.action, row.due, row.status, row.update.narrative) == (
        "Audit, every case", date(2015, 9, 30), Status.green, "Two\nlines")
    # a CSV cell's place is its line and its field's number (column C when Excel opens the file)
    assert row.where == Where("tracker.csv", None, 3, 1) and row.cells[Column.lead] == Where("tracker.csv", None, 3, 3)
    assert row.cells[Column.update] == Where("tracker.csv", None, 3, 6)
    assert texts(reading) == ["tracker.csv:5:4: 'Q5 2015' is not a date: a quarter is Q1 to Q4 (write the date by "
                              "which it will be done, such as 31/03/2016)"]


def test_csv_formula_text_is_text_and_sheet_is_refused(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text('Action,Lead,Due\n=1+2,@SUM(A1),30/09/2015\n', encoding="utf-8")
    _, reading = read(path)
    assert (reading.rows[0].action, reading.rows[0].lead) == ("=1+2", "@SUM(A1)")
    with pytest.raises(TrackerError) as err:
        propose_mapping(path, "t.csv", "Plan", TERMS)
    assert (err.value.message, err.value.exit_code) == ("'t.csv' is a CSV file, which has no sheets (leave out "
                                                        "--sheet)", 2)


# --- hostile and broken files ---------------------------------------------------------------------------------


def refused(path: Path, shown: str | None = None) -> str:
    with pytest.raises(TrackerError) as err:
        propose_mapping(path, shown or path.name, None, TERMS)
    return err.value.message


def test_files_that_are_not_workbooks(tmp_path):
    save = "open it in Excel and save it as an Excel Workbook (.xlsx), or as CSV"
    (tmp_path / "text.xlsx").write_text("Ref,Action\n")
    assert refused(tmp_path / "text.xlsx") == f"'text.xlsx' is not an Excel workbook that this tool can read ({save})"
    (tmp_path / "old.xls").write_bytes(tracker_sheets.CFB + b"\x00" * 600)
    assert refused(tmp_path / "old.xls") == ("'old.xls' is an Excel 97-2003 workbook (.xls), which this tool cannot "
                                             f"read ({save})")
    (tmp_path / "web.xls").write_text("<html><table></table></html>")
    assert refused(tmp_path / "web.xls") == ("'web.xls' is not an Excel 97-2003 workbook (.xls) that this tool can "
                                             f"read ({save})")
    (tmp_path / "locked.xlsx").write_bytes(tracker_sheets.CFB + b"\x00" * 100 + "EncryptionInfo".encode("utf-16-le"))
    assert refused(tmp_path / "locked.xlsx") == (
        "'locked.xlsx' is protected by a password, so it cannot be read (open it in Excel, remove the password "
        "under File > Info > Protect Workbook, and save a copy)")
    good = xlsx(tmp_path, [HEADINGS])
    (tmp_path / "cut.xlsx").write_bytes(good.read_bytes()[:2000])
    assert refused(tmp_path / "cut.xlsx") == f"'cut.xlsx' is damaged: it is not a whole Excel workbook ({save})"
    with zipfile.ZipFile(tmp_path / "zip.xlsx", "w") as z:
        z.writestr("hello.txt", "not a workbook")
    assert refused(tmp_path / "zip.xlsx") == ("'zip.xlsx' is damaged or is not an Excel workbook: it could not be "
                                              f"read ({save})")
    assert refused(tmp_path / "none.xlsx") == "file 'none.xlsx' does not exist"
    (tmp_path / "folder.xlsx").mkdir()
    assert refused(tmp_path / "folder.xlsx") == "'folder.xlsx' is not a file"
    (tmp_path / "bin.csv").write_bytes(b"a,b\x00c")
    assert refused(tmp_path / "bin.csv") == ("'bin.csv' is a binary file, not CSV text (save the tracker as .xlsx "
                                             "or CSV)")
    (tmp_path / "odd.csv").write_bytes(b"Action,Lead\n\x81\x8d\n")
    assert refused(tmp_path / "odd.csv") == ("'odd.csv' is neither UTF-8 nor Windows-1252 text (save it from Excel "
                                             "as 'CSV UTF-8')")


def test_an_empty_workbook_and_an_empty_sheet(tmp_path):
    assert refused(xlsx(tmp_path, [])) == "'tracker.xlsx' (sheet 'Plan') is empty"

    def charts_only(wb, ws):
        wb.create_chartsheet("Chart")
        wb.remove(ws)

    assert refused(xlsx(tmp_path, [], edit=charts_only, name="c.xlsx")) == (  # openpyxl cannot read it back
        "'c.xlsx' is damaged or is not an Excel workbook: it could not be read (open it in Excel and save it as an "
        "Excel Workbook (.xlsx), or as CSV)")
    (tmp_path / "empty.csv").write_text("")
    assert refused(tmp_path / "empty.csv") == "'empty.csv' is empty"


def test_limits_on_size_rows_cells_and_unpacked_size(tmp_path, monkeypatch):
    path = xlsx(tmp_path, [HEADINGS] + [["1", "Audit", "Lead", "30/09/2015"]] * 30)
    size = path.stat().st_size
    monkeypatch.setattr(tracker_sheets, "MAX_ROWS", 20)
    assert refused(path) == ("sheet 'Plan' of 'tracker.xlsx' has 31 rows in use; at most 20 can be read (remove the "
                             "rows that are not actions, or split it)")
    (tmp_path / "t.csv").write_text("Action,Lead,Due\n" * 21)
    assert refused(tmp_path / "t.csv") == ("'t.csv' has more than 20 rows; at most 20 can be read (remove the rows "
                                           "that are not actions, or split it)")
    monkeypatch.setattr(tracker_sheets, "MAX_CELLS", 100)
    assert refused(path) == ("'tracker.xlsx' holds 127 cells; at most 100 are read (save only the sheet with the "
                             "actions)")
    monkeypatch.setattr(tracker_sheets, "MAX_UNZIPPED", 5000)
    unzipped = sum(i.file_size for i in zipfile.ZipFile(path).infolist())
    assert refused(path) == (f"'tracker.xlsx' unpacks to {unzipped:,} bytes; at most 5,000 are read (save only the "
                             "sheet with the actions)")
    monkeypatch.setattr(tracker_sheets, "MAX_BYTES", 1000)
    assert refused(path) == (f"'tracker.xlsx' is {size:,} bytes; a tracker may be at most 1,000 (save only the "
                             "sheet with the actions, or split the file)")


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"\x00" * 90_000_000)
    assert path.stat().st_size < 200_000
    assert refused(path) == ("'bomb.xlsx' unpacks to 90,000,000 bytes; at most 80,000,000 are read (save only the "
                             "sheet with the actions)")



# --- the mapping file -------------------------------------------------------------------------------------------


def test_the_saved_mapping_reads_back_equal_and_says_how_to_run_again(tmp_path):
    mapping = Mapping(sheet="Plan: 2015/16", header_row=3, first_row=5, last_row=40,
                      columns={Column.reference: "A", Column.action: "What we will do", Column.lead: "C",
                               Column.due: "D", Column.status: "RAG: now"},
                      theme_rows=True, day_first=False, updates_sheet="Updates",
                      statuses={"Yes": Status.complete, "No": Status.not_started, "null": Status.red,
                                "Green: on track": Status.green, "1": Status.green, "'A'": Status.amber,
                                "#R": Status.red, " B ": Status.complete},
                      fills={"#ff0000": Status.red, "000000": Status.complete, "FF00B050": Status.green},
                      headings={"A": "Ref", "B": "What we will do", "C": 'Lead "officer"', "D": "true"})
    text = mapping_text(mapping)
    assert text.splitlines()[:5] == [
        "# How `improvement-plan import-tracker` reads this council's tracker: which sheet and rows, which",
        "# column holds each field, and what its status words and colours mean. It was proposed from the",
        "# tracker's headings: check it, correct it, and run the import again with",
        "#   improvement-plan import-tracker TRACKER-FILE --mapping THIS-FILE",
        "# Rows are numbered and columns lettered as Excel shows them. Text after '#' is a comment."]
    assert "# the row holding the column headings (1 is the top row)\nheader_row: 3\n" in text
    assert '  "null": red\n' in text and "  Green: on track" not in text and '  "000000": complete\n' in text
    assert "  FF0000: red\n" in text and "  00B050: green\n" in text
    path = tmp_path / "tracker.mapping.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_mapping(path, "tracker.mapping.yaml") == mapping
    proposed = propose_mapping(xlsx(tmp_path, [HEADINGS, ["1", "Audit", "Head of QA", "30/09/2015", "Red"]]), F,
                               None, TERMS)
    path.write_text(mapping_text(proposed), encoding="utf-8")
    assert load_mapping(path, "tracker.mapping.yaml") == proposed


def mapping_problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GeneratorError) as err:
        load_mapping(path, "m.yaml")
    assert err.value.message == "m.yaml must be fixed first"
    return [d.text() for d in err.value.diagnostics]


def test_every_problem_of_a_mapping_file_is_located_with_a_hint(tmp_path):
    text = ("sheet: Plan\nheader_row: 0\nlast_rows: 20\ncolumns:\n  action: B12\n  lead: 3\n  owner: C\n"
            "  due: D\nstatuses:\n  R: redd\n  Done: complete\nfills:\n  FF00000: red\nday_first: yes\n")
    assert mapping_problems(tmp_path, text) == [
        "m.yaml:2:13: error S106: header_row must be 1 or more\n    hint: rows are numbered from 1",
        "m.yaml:3:1: error S102: unknown field 'last_rows'\n    hint: did you mean 'last_row'? the fields are sheet, "
        "header_row, first_row, last_row, columns, theme_rows, statuses, fills, day_first, updates_sheet, headings",
        "m.yaml:5:11: error S106: columns.action: 'B12' is a cell, not a column\n    hint: write the column's letter "
        "alone, B",
        "m.yaml:6:9: error S103: columns.lead must be text\n    hint: see the comment above it for what it holds",
        "m.yaml:7:3: error S102: columns: 'owner' is not a field of a tracker\n    hint: the fields are reference, "
        "theme, commitment, action, lead, due, original_due, status, update, update_date, completed, answers, "
            "audience",
        "m.yaml:10:6: error S104: statuses.R: 'redd' is not a status\n    hint: write one of not_started, red, amber, "
        "green, complete",
        "m.yaml:13:3: error S106: fills.FF00000: 'FF00000' is not a colour\n    hint: write six hexadecimal digits, "
        "RRGGBB, such as FF0000 for red",
        "m.yaml:14:12: error S103: day_first must be true or false\n    hint: see the comment above it for what it "
        "holds"]


def test_a_mapping_without_the_required_columns_or_with_a_column_twice(tmp_path):
    assert mapping_problems(tmp_path, "header_row: 1\ncolumns:\n  action: B\n  update: b\n") == [
        "m.yaml:3:3: error S101: columns: there is no column for lead and due\n    hint: add the column of each, as "
        "'lead: D' "
        "(the action, its lead and its due date are required)"]
    assert mapping_problems(tmp_path, "header_row: 1\ncolumns: {action: B, lead: C, due: D, update: b}\n") == [
        "m.yaml:2:47: error S106: columns.update: update is in column 'b', which action is in already\n    hint: "
        "each field has a column of its own; remove one of them"]
    assert mapping_problems(tmp_path, "columns: {action: B, lead: C, due: D}\n") == [
        "m.yaml:1:1: error S101: the mapping needs 'header_row'\n    hint: add 'header_row: ...'; the row holding "
        "the column headings (1 is the top row)"]
    assert mapping_problems(tmp_path, "header_row: 1\ncolumns: {action: B, lead: C, due: D}\n"
                                      "statuses: {Red: red, RED: amber}\n") == [
        "m.yaml:3:27: error S106: statuses.RED: 'RED' means amber here but 'Red' (red) is the same word\n    "
        "hint: capitals, spaces and punctuation are ignored: keep one of them"]


def test_a_mapping_file_that_is_not_a_mapping_or_not_yaml(tmp_path):
    assert mapping_problems(tmp_path, "- action: B\n") == [
        "m.yaml:1:1: error L008: a mapping file is a mapping of settings (name: value)\n    hint: start again from "
        "the file import-tracker proposes"]
    assert mapping_problems(tmp_path, "header_row: 1\nheader_row: 2\ncolumns: {action: B, lead: C, due: D}\n") == [
        "m.yaml:2:1: error L005: duplicate key 'header_row' (first written at line 1)\n    hint: remove one of them; "
        "the second would replace the first"]
    assert mapping_problems(tmp_path, "columns: {action: B\n") == [
        "m.yaml:1:10: error L004: YAML syntax error: did not find expected ',' or '}' (while parsing a flow mapping)"
        "\n    hint: check indentation, colons and quotes around this place"]


def test_a_colour_the_tracker_labels_in_words_means_what_the_words_say(tmp_path):
    def edit(wb, ws):
        for row, colour in ((2, "D9D9D9"), (3, "D9D9D9"), (4, "92D050"), (5, "D9D9D9")):
            ws.cell(row, 5).fill = solid(colour)

    rows = [HEADINGS] + [[str(n), f"Action {n}", "Head of QA", "30/09/2015", word]
                         for n, word in enumerate(["Not started", "Not started", "Green", None], 1)]
    mapping, reading = read(xlsx(tmp_path, rows, edit=edit))
    assert mapping.fills == {"D9D9D9": Status.not_started, "92D050": Status.green}  # grey's hue would say complete
    assert [r.status for r in reading.rows] == [Status.not_started, Status.not_started, Status.green,
                                                Status.not_started]
    assert reading.problems == ()


def test_rows_to_read_must_lie_below_the_headings(tmp_path):
    base = "header_row: 3\ncolumns: {action: B, lead: C, due: D}\n"
    assert mapping_problems(tmp_path, base + "first_row: 2\n") == [
        "m.yaml:3:12: error S106: first_row: rows 2 to the end are not below the headings in row 3\n    hint: "
        "first_row is below header_row, and last_row is not above first_row"]
    assert mapping_problems(tmp_path, base + "last_row: 3\n") == [
        "m.yaml:3:11: error S106: last_row: rows 4 to 3 are not below the headings in row 3\n    hint: "
        "first_row is below header_row, and last_row is not above first_row"]


def test_problems_on_the_updates_sheet(tmp_path):
    def edit(wb, ws):
        ups = wb.create_sheet(UPDATES_SHEET)
        ups.append(list(UPDATE_HEADINGS))
        ups.append(["A1", "30/06/2015", "Amber", "Late"])
        ups.append([None, "30/07/2015", "Green", "Orphan"])
        ups.append(["A1", "someday", "Purple", ""])
        ups.append([])
        ups.append(["A1", "31/08/2015", "Green"])

    mapping, reading = read(xlsx(tmp_path, [HEADINGS, ["A1", "Audit", "Head of QA", "30/09/2015"]], edit=edit))
    assert mapping.updates_sheet == UPDATES_SHEET
    assert [(u.reference, u.day, u.status, u.narrative, u.where.row) for u in reading.updates] == [
        ("A1", date(2015, 6, 30), Status.amber, "Late", 2), ("A1", date(2015, 8, 31), Status.green, "", 6)]
    assert texts(reading) == [
        "tracker.xlsx:Updates!A3: no reference: which action is this update of? (fill it in, or delete the row)",
        "tracker.xlsx:Updates!B4: 'someday' is not a date (write a date such as 30/09/2015)",
        "tracker.xlsx:Updates!C4: 'Purple' is not a RAG status the mapping knows (add it under statuses: in the "
        "mapping file, with the status it means: not_started, red, amber, green or complete)"]
    with pytest.raises(TrackerError) as err:
        read_tracker(tmp_path / F, F, mapping.model_copy(update={"updates_sheet": "History"}), TERMS)
    assert err.value.message == ("'tracker.xlsx' has no sheet 'History' (its sheets are 'Plan', 'Updates'; correct "
                                 "updates_sheet: in the mapping file)")
    with pytest.raises(TrackerError) as err:
        read_tracker(tmp_path / F, F, mapping.model_copy(update={"sheet": "Actions"}), TERMS)
    assert (err.value.message, err.value.exit_code) == (
        "'tracker.xlsx' has no sheet 'Actions' (its sheets are 'Plan', 'Updates'; correct sheet: in the mapping "
        "file)", 1)


def test_a_semicolon_csv_whose_narratives_hold_commas_and_excels_sep_line(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("Ref;Action;Lead;Due;RAG;Update\n1;Audit, review, report;Head of QA;30/09/2015;Green;Done, mostly,"
                    " well, on the whole\n2;Train;Head of QA;30/09/2015;Amber;Late\n", encoding="utf-8")
    _, reading = read(path)
    assert [(r.action, r.update.narrative) for r in reading.rows] == [
        ("Audit, review, report", "Done, mostly, well, on the whole"), ("Train", "Late")]
    path.write_text("sep=,\nAction,Lead,Due\nAudit;a,Head of QA,30/09/2015\n", encoding="utf-8")
    mapping, reading = read(path)
    assert mapping.header_row == 2 and reading.rows[0].action == "Audit;a"


def test_a_wide_tracker_with_many_columns_of_its_own_is_still_found(tmp_path):
    head = ["Ref", "Action", "Lead", "Due", "RAG Jun", "RAG Sep", "Evidence", "Impact", "Risks", "Dependencies",
            "Resources", "Milestones", "Sign-off"]
    mapping = propose_mapping(xlsx(tmp_path, [["Tracker"], head]), F, None, TERMS)
    assert mapping.header_row == 2 and mapping.columns[Column.status] == "F"  # the newest: see NEWEST_RIGHT


def test_control_characters_in_headings_notes_and_status_words_never_reach_the_plan_or_the_mapping(tmp_path):
    def edit(wb, ws):
        ws.merge_cells("A2:G2")
        ws["B3"].comment = Comment("Ring_x0007_ me", "")

    rows = [HEADINGS, ["Priority_x0007_ 1"], ["1", "Audit", "Head of QA", "30/09/2015", "Red_x001B_"]]
    mapping, reading = read(xlsx(tmp_path, rows, edit=edit))
    assert mapping.statuses == {} and mapping.theme_rows is True
    (row,) = reading.rows
    assert (row.theme, row.status, row.notes) == (None, None, ("Note on B3: Ring<U+0007> me",))
    hint = "(delete it (it is invisible, or changes how the text around it reads) and retype the text there)"
    assert texts(reading) == [
        f"tracker.xlsx:Plan!A2: the heading holds the character U+0007 (a control character), which the plan cannot "
        f"hold {hint}",
        f"tracker.xlsx:Plan!E3: the text holds the character U+001B (a control character), which the plan cannot "
        f"hold {hint}"]


def test_a_csv_cell_after_a_line_break_inside_a_quoted_cell_is_placed_on_its_own_line(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text('Action,Lead,Due\n"Audit\nevery\ncase",Head of QA,soon\n', encoding="utf-8")
    _, reading = read(path)
    assert texts(reading) == ["t.csv:4:3: 'soon' is not a date (write the date by which it will be done, such as "
                              "31/03/2016)"]
