"""The council's RAG tracker, as import-tracker reads it and export-tracker writes it: the fields a tracker row
can hold, the headings export-tracker gives them (which import-tracker's proposed mapping recognises, so an
exported tracker imports with no mapping file), and what a reading of a tracker gives: rows whose every value
says which cell it came from, and every cell that could not be used, located as `FILE.xlsx:SHEET!C12`.

The reader (generator/tracker_read.py) knows spreadsheets and nothing of the plan's files; the writer
(generator/tracker_import.py) knows the plan and nothing of spreadsheets. This module is all they share.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from .model import Audience, Status, Terms


class Column(str, Enum):
    """A column a tracker may have. Values are the mapping file's keys."""

    reference = "reference"  # the action's id in the plan (A1.2); made up by the import when there is none
    theme = "theme"  # or workstream, priority: a column, or merged heading rows above the actions
    commitment = "commitment"  # or objective: the level under the theme
    action = "action"  # what will be done (required)
    lead = "lead"  # the lead's post, matched to a role by its title (required)
    due = "due"  # the target date (required)
    original_due = "original_due"  # the first target date, when it has moved
    status = "status"  # RAG: as text, or only as the cell's fill colour
    update = "update"  # the latest update's narrative (commentary, progress, comments)
    update_date = "update_date"  # the latest update's day
    completed = "completed"  # the day it was completed
    answers = "answers"  # ids of the recommendations it answers, separated by spaces, commas or semicolons
    # 'Staff only' or 'Public': the staff edition's tracker says which actions the public edition leaves out, so
    # that importing it does not make a staff-only action public (headings() leaves it out: see AUDIENCE_HEADING)
    audience = "audience"


REQUIRED = (Column.action, Column.lead, Column.due)


def headings(terms: Terms) -> dict[Column, str]:
    """The heading export-tracker writes for each field, in column order, in the plan's own words."""
    return {Column.reference: "Reference", Column.theme: terms.Theme, Column.commitment: terms.Commitment,
            Column.action: "Action", Column.lead: "Lead", Column.due: "Due date",
            Column.original_due: "Original due date", Column.status: "RAG", Column.update: "Latest update",
            Column.update_date: "Update date", Column.completed: "Completed on", Column.answers: "Recommendations"}


# The column export-tracker adds after headings()' in the staff edition only (the public one holds only public
# actions), and the words it writes there.
AUDIENCE_HEADING = "Audience"
AUDIENCE_WORDS = {Audience.staff: "Staff only", Audience.public: "Public"}


# The second sheet export-tracker writes: every update of every action, oldest first, so that a round trip
# (export, then import into an empty plan) gives back each action's whole status history.
UPDATES_SHEET = "Updates"
UPDATE_HEADINGS = ("Reference", "Date", "RAG", "Update")


@dataclass(frozen=True)
class Where:
    """A cell: `tracker.xlsx:Plan!C12`, or for a CSV file `tracker.csv:12:3` (line and column, as every other
    message of the tool names a place)."""

    file: str  # as the user gave it
    sheet: str | None  # None for CSV
    row: int  # 1-based, as the spreadsheet shows it
    column: int  # 1-based

    @property
    def cell(self) -> str:
        """'C12' (A1 notation)."""
        n, letters = self.column, ""
        while n:
            n, r = divmod(n - 1, 26)
            letters = chr(65 + r) + letters
        return f"{letters}{self.row}"

    def __str__(self) -> str:
        if self.sheet is None:
            return f"{self.file}:{self.row}:{self.column}"
        return f"{self.file}:{self.sheet}!{self.cell}"


@dataclass(frozen=True)
class Problem:
    """A cell that could not be used (or a whole row, at its first cell): what it held and why, and how to fix
    it. `text` is the one line the command prints."""

    where: Where
    message: str  # what and why, e.g. "'Q5 2015' is not a date: a quarter is Q1 to Q4"
    hint: str = ""  # how to fix it, e.g. "write a date such as 30/09/2015, or map the column in the mapping file"

    @property
    def text(self) -> str:
        return f"{self.where}: {self.message}" + (f" ({self.hint})" if self.hint else "")


@dataclass(frozen=True)
class TrackerUpdate:
    """One status update, from the latest-update columns of a row or a row of the Updates sheet."""

    day: date
    status: Status
    narrative: str
    where: Where
    reference: str | None = None  # on the Updates sheet: the action it belongs to
    # False when the tracker gave no date for it: `day` is then the tracker's own date ("as at ..." in its title
    # rows), else the newest update date in it, else the day it was read; the writer may date it otherwise
    dated: bool = True


@dataclass(frozen=True)
class TrackerRow:
    """One action as the tracker gives it, every value parsed; `cells` says where each field was read, for the
    writer's own messages (a clash with the plan is reported at the tracker's cell)."""

    where: Where  # the row's first used cell
    action: str
    lead: str
    due: date
    reference: str | None = None
    theme: str | None = None
    commitment: str | None = None
    original_due: date | None = None
    status: Status | None = None
    update: TrackerUpdate | None = None  # the latest update, when the row has a status (and a date or not)
    completed: date | None = None
    answers: tuple[str, ...] = ()
    audience: Audience | None = None  # None: the tracker does not say (no audience column, or an empty cell)
    # What a person wrote that has no field: cell notes (Excel comments), and how a date was read when it was
    # not a plain date ("'Q2 2015/16' read as 2015-09-30, the end of that quarter"). The writer keeps them as
    # YAML comments above the item.
    notes: tuple[str, ...] = ()
    cells: dict[Column, Where] = field(default_factory=dict)


@dataclass(frozen=True)
class Reading:
    """What import-tracker read from one tracker: the rows it could use, in tracker order, the extra updates of
    an Updates sheet (oldest first), and every cell it could not use."""

    rows: tuple[TrackerRow, ...]
    updates: tuple[TrackerUpdate, ...] = ()  # each with its reference
    problems: tuple[Problem, ...] = ()
