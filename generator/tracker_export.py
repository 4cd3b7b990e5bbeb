"""export-tracker: the plan of one (edition, version) as the RAG tracker councils keep, so that a board that wants
a spreadsheet gets one made from the same projection as the site and cannot drift from it.

The workbook has three sheets: "Actions" (one row per action, headed by tracker.headings, which import-tracker
recognises, so an exported tracker imports with no mapping file), tracker.UPDATES_SHEET (every update, oldest
first: the whole history travels) and "About" (what the file is and what each column means). Every text cell is
stored as a string, never a formula, whatever an editor wrote; the bytes depend only on the input (the workbook's
times and the zip entries' times are the reporting point's date), so a cached site stays byte-stable.
"""

from __future__ import annotations

import csv
import io
import math
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from .files import dated_zip
from .model import Action, Audience, Status
from .render import SiteData, csv_cell
from .project import project
from .tracker import AUDIENCE_HEADING, AUDIENCE_WORDS, UPDATE_HEADINGS, UPDATES_SHEET, Column, headings

ACTIONS_SHEET = "Actions"
ABOUT_SHEET = "About"
DATE_FORMAT = "dd/mm/yyyy"
# Light fills with dark text (contrast above 7:1): the RAG word is always in the cell too, never colour alone.
FILLS = {Status.red: "F4C7C3", Status.amber: "FCE8B2", Status.green: "B7E1CD", Status.complete: "C9DAF8",
         Status.not_started: "E7E6E6"}
WIDTHS = {Column.reference: 11, Column.theme: 30, Column.commitment: 40, Column.action: 60, Column.lead: 28,
          Column.due: 12, Column.original_due: 12, Column.status: 12, Column.update: 70, Column.update_date: 12,
          Column.completed: 12, Column.answers: 18, Column.audience: 12}
MEANINGS = {
    Column.reference: "the action's id in the plan",
    Column.theme: "the %s the action belongs to",
    Column.commitment: "the %s it delivers",
    Column.action: "what will be done",
    Column.lead: "the post that leads it",
    Column.due: "its target date",
    Column.original_due: "its first target date, only when the target date has moved",
    Column.status: "its status at this reporting point: Red, Amber, Green, Complete or Not started",
    Column.update: "the narrative of its latest update",
    Column.update_date: "the day of its latest update",
    Column.completed: "the day it was completed",
    Column.answers: "the ids of the recommendations and findings it answers",
    Column.audience: "Staff only for an action the public edition leaves out (its own audience, or its "
                     "commitment's or theme's); import-tracker marks such an action 'audience: staff'",
}


@dataclass(frozen=True)
class ActionRow:
    """One action as the tracker shows it: the values of tracker.headings' columns, in that order."""

    values: dict[Column, str | date | None]
    status: Status


def tracker_columns(data: SiteData) -> dict[Column, str]:
    """The Actions sheet's headings: tracker.headings, and in the staff edition the audience column."""
    heads = headings(data.terms)
    return heads if data.edition.name == "public" else {**heads, Column.audience: AUDIENCE_HEADING}


def action_rows(data: SiteData) -> list[ActionRow]:
    """The Actions sheet's rows, in plan order, from the projected plan (nothing the edition does not show)."""
    public = {a.id for a in project(data.plan, "public").actions}
    rows = []
    for a in data.plan.actions:
        theme = data.theme_of(a)
        commitment = data.index.get(a.commitment)
        latest = a.latest
        rows.append(ActionRow({
            Column.reference: a.id, Column.theme: theme.title if theme else "",
            Column.commitment: getattr(commitment, "statement", ""), Column.action: a.title,
            Column.lead: data.role(a.lead), Column.due: a.target_date,
            Column.original_due: a.original_target_date if a.target_date_changes else None,
            Column.status: a.status.label, Column.update: latest.narrative if latest else "",
            Column.update_date: latest.date if latest else None, Column.completed: a.completed_on,
            Column.answers: " ".join(a.answers),
            Column.audience: AUDIENCE_WORDS[Audience.public if a.id in public else Audience.staff]}, a.status))
    return rows


def update_rows(actions: list[Action]) -> list[tuple[str, date, Status, str]]:
    """Every update of every action, oldest first (plan order within a day)."""
    rows = [(a.id, u.date, u.status, u.narrative) for a in actions for u in a.updates]
    return sorted(rows, key=lambda r: r[1])  # sorted() is stable: plan order within a day


def _put(ws: Worksheet, row: int, col: int, value: str | date | None) -> Cell:
    """One cell: a date as a real date, text always as a string (openpyxl would make '=...' a formula)."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    elif value not in (None, ""):
        cell.value = str(value)
        cell.data_type = "s"  # written as an inline string, never <f>
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def _heights(ws: Worksheet, widths: list[int], first: int = 1) -> None:
    """Row heights for the wrapped text: Excel and LibreOffice keep a row's default height on opening a file."""
    for row in ws.iter_rows(min_row=first):
        lines = max((math.ceil(len(c.value) / (widths[c.column - 1] * 1.2)) if isinstance(c.value, str)
                     else 1) for c in row)
        if lines > 1:
            ws.row_dimensions[row[0].row].height = 15 * lines


def _header(ws: Worksheet, titles: list[str], widths: list[int]) -> None:
    """Bold headings that stay in view and print on every page; a filter; widths; landscape, one page wide."""
    for col, (title, width) in enumerate(zip(titles, widths), start=1):
        _put(ws, 1, col, title).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(col)].width = width
    _heights(ws, widths)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(titles))}{max(ws.max_row, 1)}"
    ws.print_title_rows = "1:1"
    _one_page_wide(ws)


def _one_page_wide(ws: Worksheet) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0


def _rag_list(ws: Worksheet, col: int) -> None:
    """A drop-down of the five statuses on the RAG column, as an editor of the tracker would expect."""
    letter = get_column_letter(col)
    dv = DataValidation(type="list", formula1='"' + ",".join(s.label for s in Status) + '"', allow_blank=True,
                        showErrorMessage=True, errorTitle="RAG", error="Choose Red, Amber, Green, Complete or "
                                                                         "Not started")
    dv.add(f"{letter}2:{letter}{max(ws.max_row, 2)}")
    ws.add_data_validation(dv)


def _fill(cell: Cell, status: Status) -> None:
    cell.fill = PatternFill("solid", start_color=FILLS[status], end_color=FILLS[status])


def workbook(data: SiteData) -> Workbook:
    """The tracker as an openpyxl workbook (tracker_xlsx saves it)."""
    heads = tracker_columns(data)
    columns = list(heads)
    status_col = columns.index(Column.status) + 1
    wb = Workbook()
    ws = wb.active
    ws.title = ACTIONS_SHEET
    for r, row in enumerate(action_rows(data), start=2):
        for c, column in enumerate(columns, start=1):
            _put(ws, r, c, row.values[column])
        _fill(ws.cell(row=r, column=status_col), row.status)
    _header(ws, list(heads.values()), [WIDTHS[c] for c in columns])
    _rag_list(ws, status_col)

    up = wb.create_sheet(UPDATES_SHEET)
    for r, (ref, day, status, narrative) in enumerate(update_rows(data.plan.actions), start=2):
        for c, value in enumerate((ref, day, status.label, narrative), start=1):
            _put(up, r, c, value)
        _fill(up.cell(row=r, column=3), status)
    _header(up, list(UPDATE_HEADINGS), [11, 12, 12, 90])
    _rag_list(up, 3)

    about = wb.create_sheet(ABOUT_SHEET)
    for r, (label, value) in enumerate(about_rows(data), start=1):
        _put(about, r, 1, label).font = Font(bold=True)
        _put(about, r, 2, value).alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
    about.column_dimensions["A"].width = 26
    about.column_dimensions["B"].width = 100
    _heights(about, [26, 100])
    _one_page_wide(about)
    when = datetime.combine(data.version.date, datetime.min.time())
    wb.properties.created = wb.properties.modified = when
    wb.properties.creator = wb.properties.lastModifiedBy = "improvement-plan export-tracker"
    info = data.plan.info
    assert info is not None
    wb.properties.title = f"{info.organisation}: {info.title}: tracker, {data.version.title}"
    wb.properties.language = "en-GB"
    return wb


def about_rows(data: SiteData) -> list[tuple[str, str | date]]:
    """The About sheet: what this file is, for whom, as at when, and what each column means."""
    info = data.plan.info
    assert info is not None
    v = data.version
    heads = tracker_columns(data)
    words = {Column.theme: data.terms.theme, Column.commitment: data.terms.commitment}
    rows: list[tuple[str, str | date]] = [
        ("Council", info.organisation), ("Plan", info.title),
        ("Reporting point", v.title), ("Reporting point id", v.id),
        ("Date", v.date), ("Edition", f"{data.edition.name.capitalize()} edition"
                                       + ("" if data.edition.name == "public" else ": not for publication")),
        ("Exported as at", v.date),
        ("About this file", "This tracker is exported from the improvement plan, which is the record. Do not edit "
                            "it to change the plan: edit the plan, or send your changes back with "
                            "improvement-plan import-tracker, which adds new actions and updates and reports "
                            "every difference instead of overwriting."),
        (ACTIONS_SHEET, "one row per action, in plan order"),
        (UPDATES_SHEET, "every update of every action, oldest first"),
    ]
    if v.is_draft:
        rows.insert(3, ("Draft", "Draft: the working plan, not a published reporting point"))
    for column, title in heads.items():
        meaning = MEANINGS[column]
        rows.append((f"Column: {title}", meaning % words[column] if column in words else meaning))
    return rows



def tracker_xlsx(data: SiteData) -> bytes:
    """The tracker workbook of one (edition, version): the same bytes for the same input."""
    buf = io.BytesIO()
    archive = zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED)
    ExcelWriter(workbook(data), archive).save()  # not save_workbook: it stamps the time of saving
    return dated_zip(buf.getvalue(), data.version.date)


def tracker_csv(data: SiteData) -> str:
    """The Actions sheet as CSV (dates as YYYY-MM-DD), every cell through render.csv_cell (no formulas)."""
    heads = tracker_columns(data)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(list(heads.values()))
    for row in action_rows(data):
        w.writerow([csv_cell(v.isoformat() if isinstance(v, date) else (v or "")) for v in
                    (row.values[c] for c in heads)])
    return buf.getvalue()
