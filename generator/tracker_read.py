"""Reading a council's RAG tracker (.xlsx or .csv) into tracker.Reading: the mapping of its columns to the
tracker's fields (proposed from the headings, saved as YAML the council can edit, loaded back with every problem
located), and the rows themselves, every cell that cannot be used reported as `FILE.xlsx:SHEET!C12: what and why
(how to fix)`.

Decisions, so a council can predict what happens:
- A row with no action and no reference (a blank row, a totals row, a key) is skipped silently; a row with a
  reference but no action is a Problem. A row missing an action, lead or due date is not returned.
- The RAG status is the cell's text when the mapping knows the word; otherwise its fill colour. Text and colour
  that disagree are a Problem, and the text is used.
- A month with no year ("end of September") takes the year that puts it nearest the row's update date, else the
  tracker's own date ("as at 30/09/2015" in its title rows); with neither it is a Problem.
- An update with no update date is dated by the tracker's own date, else the newest update date in it, else
  today, and marked `dated=False` so the writer may choose another day. 'Not started' with no date and no
  words is no update at all (the row's `status` still says it).
- The proposal learns what a fill colour means from the cells whose text says it (the tracker's own key), and
  guesses by hue only for colours never labelled; a row holding one text cell (merged across, or two or more
  words alone in the first column) is a theme heading when theme_rows is on.
- A field headed twice is read from its first column, but a due date, RAG, update and update date from their
  rightmost (trackers add 'Revised target date' and each period's RAG to the right); a due date's earlier column
  is then its original due date, and the due date where the later one is empty.
- Places: `FILE.xlsx:SHEET!C12`; in a CSV file the line and the field's number (`FILE.csv:12:3`, column C when
  Excel opens it). Rows are numbered as a spreadsheet shows them (for a CSV file, its records).
"""

from __future__ import annotations

import colorsys
import difflib
import json
import re
import textwrap
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator
from openpyxl.utils.cell import column_index_from_string
from pydantic_core import PydanticCustomError

from .characters import BAD_IN_VALUE, UNPRINTABLE_HINT, describe_char, shown
from .diagnostics import Diagnostic
from .loader import LoadError, load_yaml, read_text
from .locations import field_path
from .model import Audience, Status, Terms
from .tracker import (REQUIRED, UPDATE_HEADINGS, UPDATES_SHEET, Column, Problem, Reading, TrackerRow,
                      TrackerUpdate, Where, headings)
from .tracker_dates import NotADate, Read, from_serial, long, month_end, number_text, parse_date
from .tracker_sheets import (UNREADABLE, Book, Sheet, TrackerError, TrackerUsageError, is_csv, letter, open_book,
                             open_csv)

__all__ = ["Mapping", "TrackerError", "TrackerUsageError", "load_mapping", "mapping_text", "propose_mapping",
           "read_tracker"]
HEADER_SEARCH = 20  # the header row is looked for in this many rows from the top


def words(text: str) -> str:
    """Text compared as words: lower case, '&' as 'and', punctuation and spacing as single spaces."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower().replace("&", " and ")).split())


# --- the mapping file ----------------------------------------------------------------------------------


def _column_ref(value: str) -> str:
    value = " ".join(value.split())
    if not value:
        raise PydanticCustomError("S106", "a column is given as nothing", {"hint": "write its letter, such as C"})
    if re.fullmatch(r"[A-Za-z]{1,3}\d+", value):
        hint = "write the column's letter alone, " + value.rstrip("0123456789")
        raise PydanticCustomError("S106", "'{v}' is a cell, not a column", {"v": value, "hint": hint})
    if value.isdigit():
        raise PydanticCustomError("S106", "'{v}' is not a column",
                                  {"v": value, "hint": "write the column's letter (C) or its heading"})
    return value


def _fill_colour(value: str) -> str:
    colour = value.strip().lstrip("#").upper()
    if re.fullmatch(r"[0-9A-F]{8}", colour):
        colour = colour[2:]  # ARGB, as openpyxl and Excel's XML write it
    if not re.fullmatch(r"[0-9A-F]{6}", colour):
        raise PydanticCustomError("S106", "'{v}' is not a colour",
                                  {"v": value, "hint": "write six hexadecimal digits, RRGGBB, such as FF0000 for red"})
    return colour


def _status_word(value: str) -> str:
    if not words(value):
        raise PydanticCustomError("S106", "'{v}' has no letter or digit to match",
                                  {"v": value, "hint": "write the word as the tracker shows it, such as Red"})
    return value


ColumnRef = Annotated[str, AfterValidator(_column_ref)]
FillColour = Annotated[str, AfterValidator(_fill_colour)]
StatusWord = Annotated[str, AfterValidator(_status_word)]


class Mapping(BaseModel):
    """How import-tracker reads one council's tracker. Proposed from the tracker's headings, saved as YAML
    beside it for the council to check and edit (mapping_text), and read back with load_mapping."""

    model_config = ConfigDict(extra="forbid")

    sheet: str | None = Field(None, description="the sheet the actions are on, as named on its tab "
                                                "(null for a CSV file)")
    header_row: int = Field(strict=True, ge=1, description="the row holding the column headings (1 is the top row)")
    first_row: int | None = Field(None, strict=True, ge=1,
                                  description="the first row of actions (null: the row below the headings)")
    last_row: int | None = Field(None, strict=True, ge=1,
                                 description="the last row of actions (null: to the end); set it to leave out a "
                                             "totals or key row at the bottom")
    columns: dict[Column, ColumnRef] = Field(
        description="the column holding each field: its letter (C), or its heading as written in the header row "
                    "(a heading is looked for first); action, lead and due are required")
    theme_rows: bool = Field(False, strict=True,
                             description="true when a row holding only a heading (such as 'Priority 1: "
                                         "Safeguarding', often merged across the row) names the theme of the "
                                         "rows below it")
    statuses: dict[StatusWord, Status] = Field(
        default_factory=dict,
        description="what each word in the RAG column means: not_started, red, amber, green or complete "
                    "(capitals, spaces and punctuation are ignored when matching)")
    fills: dict[FillColour, Status] = Field(
        default_factory=dict,
        description="what each fill colour of a RAG cell means, as RRGGBB, used when the cell has no text")
    day_first: bool = Field(True, strict=True,
                            description="true when 03/04/2015 means 3 April (as in the UK); false for 4 March")
    updates_sheet: str | None = Field(None, description="a sheet of earlier updates with the headings Reference, "
                                                        "Date, RAG and Update, as export-tracker writes it "
                                                        "(null if there is none)")
    headings: dict[str, str] = Field(default_factory=dict,
                                     description="the headings in the header row when this mapping was proposed, "
                                                 "by column: for reference only, not used when reading")

    @model_validator(mode="after")
    def _whole(self) -> "Mapping":
        first = self.first_row or self.header_row + 1
        if first <= self.header_row or (self.last_row is not None and self.last_row < first):
            raise PydanticCustomError("S106", "rows {f} to {l} are not below the headings in row {h}", {
                "f": first, "l": self.last_row or "the end", "h": self.header_row,
                "path": ("first_row",) if first <= self.header_row else ("last_row",),
                "hint": "first_row is below header_row, and last_row is not above first_row"})
        missing = [c.value for c in REQUIRED if c not in self.columns]
        if missing:
            raise PydanticCustomError("S101", "there is no column for {m}", {
                "m": " and ".join(missing), "path": ("columns",),
                "hint": "add the column of each, as 'lead: D' (the action, its lead and its due date are required)"})
        seen: dict[str, Column] = {}
        for col, ref in self.columns.items():
            if words(ref) in seen:
                raise PydanticCustomError("S106", "{c} is in column '{r}', which {o} is in already", {
                    "c": col.value, "r": ref, "o": seen[words(ref)].value, "path": ("columns", col.value),
                    "hint": "each field has a column of its own; remove one of them"})
            seen[words(ref)] = col
        meant: dict[str, tuple[str, Status]] = {}
        for word, status in self.statuses.items():
            first = meant.setdefault(words(word), (word, status))
            if first[1] is not status:
                raise PydanticCustomError("S106", "'{w}' means {s} here but '{f}' ({fs}) is the same word", {
                    "w": word, "s": status.value, "f": first[0], "fs": first[1].value, "path": ("statuses", word),
                    "hint": "capitals, spaces and punctuation are ignored: keep one of them"})
        return self

    def status_of(self, text: str) -> Status | None:
        wanted = words(text)
        return next((s for w, s in self.statuses.items() if words(w) == wanted), None)


_TYPES = {"int_type": "a whole number", "bool_type": "true or false", "string_type": "text", "dict_type":
          "a mapping (name: value)", "model_type": "a mapping of settings (name: value)"}


def _diagnostics(exc: ValidationError, loaded) -> list[Diagnostic]:
    fields = list(Mapping.model_fields)
    diags = []
    for err in exc.errors():
        loc, ctx, kind = tuple(err["loc"]), err.get("ctx") or {}, err["type"]
        on_key = loc[-1:] == ("[key]",)
        path = tuple(ctx.get("path", loc[:-1] if on_key else loc))
        at = loaded.locs.at(path, key=on_key or kind == "extra_forbidden")
        name = field_path(path) or "the mapping"
        if kind == "extra_forbidden":
            near = difflib.get_close_matches(str(path[-1]), fields, n=1)
            diags.append(Diagnostic.at(at, "S102", f"unknown field '{path[-1]}'", hint=(
                f"did you mean '{near[0]}'? " if near else "") + f"the fields are {', '.join(fields)}"))
        elif kind == "enum" and path[:1] == ("columns",):
            names = [c.value for c in Column]
            near = difflib.get_close_matches(str(path[-1]), names, n=1)
            diags.append(Diagnostic.at(at, "S102", f"columns: '{path[-1]}' is not a field of a tracker", hint=(
                f"did you mean '{near[0]}'? " if near else "") + f"the fields are {', '.join(names)}"))
        elif kind == "enum":
            diags.append(Diagnostic.at(at, "S104", f"{name}: '{err['input']}' is not a status",
                                       hint="write one of " + ", ".join(s.value for s in Status)))
        elif kind == "missing":
            diags.append(Diagnostic.at(loaded.locs.at(path[:-1]), "S101", f"the mapping needs '{path[-1]}'",
                                       hint=f"add '{path[-1]}: ...'; "
                                            + (Mapping.model_fields[path[-1]].description or "")))
        elif re.fullmatch(r"S1\d\d", kind):
            diags.append(Diagnostic.at(at, kind, f"{name}: {err['msg']}", hint=ctx.get("hint", "")))
        elif kind == "greater_than_equal":
            diags.append(Diagnostic.at(at, "S106", f"{name} must be 1 or more", hint="rows are numbered from 1"))
        else:
            diags.append(Diagnostic.at(at, "S103", f"{name} must be {_TYPES.get(kind, 'another kind of value')}",
                                       hint="see the comment above it for what it holds"))
    return diags


def load_mapping(path: Path, shown_as: str) -> Mapping:
    """The mapping file, checked: every problem located (FILE:LINE:COL) with a hint, raised together."""
    loaded = load_yaml(read_text(path, shown_as), shown_as)
    data = loaded.data
    if not isinstance(data, dict):
        raise TrackerError(f"{shown_as} must be fixed first", [
            *loaded.diags, Diagnostic.at(loaded.locs.at(()), "L008", "a mapping file is a mapping of settings "
                                         "(name: value)", hint="start again from the file import-tracker proposes")])
    try:
        mapping = Mapping.model_validate(data)
    except ValidationError as exc:
        raise TrackerError(f"{shown_as} must be fixed first",
                           sorted(set(loaded.diags + _diagnostics(exc, loaded)))) from None
    if loaded.diags:
        raise TrackerError(f"{shown_as} must be fixed first", loaded.diags)
    return mapping


def _scalar(value: Any) -> str:
    """A YAML scalar that reads back as exactly `value`: plain when it can be, else double-quoted."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    try:
        plain = load_yaml(f"k: {text}\n", "-")
        if not plain.diags and plain.data == {"k": text} and "\n" not in text and text == text.strip():
            return text
    except LoadError:
        pass
    return json.dumps(text, ensure_ascii=False)


def mapping_text(mapping: Mapping) -> str:
    """The mapping as the YAML a council edits: what it is, how to run it again, each setting's meaning."""
    fields = Mapping.model_fields
    out = ["# How `improvement-plan import-tracker` reads this council's tracker: which sheet and rows, which",
           "# column holds each field, and what its status words and colours mean. It was proposed from the",
           "# tracker's headings: check it, correct it, and run the import again with",
           "#   improvement-plan import-tracker TRACKER-FILE --mapping THIS-FILE",
           "# Rows are numbered and columns lettered as Excel shows them. Text after '#' is a comment.", ""]

    def item(name: str, value: Any) -> None:
        out.extend(textwrap.wrap(fields[name].description or "", 110, initial_indent="# ", subsequent_indent="# "))
        if isinstance(value, dict):
            out.append(f"{name}:" + (" {}" if not value else ""))
            for key, val in value.items():
                key = key.value if hasattr(key, "value") else key
                val = val.value if hasattr(val, "value") else val
                out.append(f"  {_scalar(key)}: {_scalar(val)}")
        else:
            out.append(f"{name}: {_scalar(value)}")
        out.append("")

    for name in fields:
        item(name, getattr(mapping, name))
    return "\n".join(out).rstrip("\n") + "\n"


# --- proposing a mapping ----------------------------------------------------------------------------------

SYNONYMS: dict[Column, tuple[str, ...]] = {
    Column.reference: ("reference", "ref", "ref no", "reference number", "no", "id", "action ref", "action no",
                       "action number", "action id", "action reference"),
    Column.theme: ("theme", "themes", "workstream", "work stream", "priority", "priority area", "area", "strand"),
    Column.commitment: ("commitment", "objective", "objectives", "outcome", "outcomes", "aim", "desired outcome"),
    Column.action: ("action", "actions", "description", "action description", "what we will do",
                    "what will we do", "task", "tasks", "activity", "key action", "key actions", "action required",
                    "actions required", "improvement action"),
    Column.lead: ("lead", "lead officer", "owner", "action owner", "action lead", "responsible officer",
                  "responsible", "accountable", "accountable officer", "named lead", "lead manager", "who",
                  "by whom"),
    Column.due: ("due", "due date", "target date", "deadline", "by when", "timescale", "timescales",
                 "completion date", "target completion date", "date due", "revised target date", "revised due date",
                 "when"),
    Column.original_due: ("original due", "original due date", "original target date", "original target",
                          "baseline date", "original timescale", "original deadline"),
    Column.status: ("rag", "status", "rag rating", "rag status", "brag", "brag rating", "brag status",
                    "progress rating", "rating", "current rag"),
    Column.update: ("latest update", "update", "commentary", "progress", "comments", "comment", "narrative",
                    "progress update", "progress to date", "status update", "latest position", "current position",
                    "update on progress", "progress commentary"),
    Column.update_date: ("update date", "date of update", "last updated", "as at", "date updated", "updated",
                         "updated on", "last update"),
    Column.completed: ("completed", "completed on", "date completed", "actual completion",
                       "actual completion date", "completion", "date closed", "closed on"),
    Column.answers: ("recommendations", "recommendation", "recs", "rec", "answers", "inspection recommendation",
                     "inspection recommendations", "rec ref", "recommendation ref"),
    Column.audience: ("audience", "staff only", "visibility", "publication"),
}
# What an audience cell says (compared as words); an empty cell says nothing (the action is public)
AUDIENCES: dict[str, Audience] = {
    **{w: Audience.staff for w in ("staff", "staff only", "internal", "internal only", "not for publication",
                                   "confidential", "restricted", "private")},
    **{w: Audience.public for w in ("public", "published", "for publication")}}
STATUS_WORDS: dict[Status, tuple[str, ...]] = {
    Status.red: ("r", "red", "off track", "not on track", "significantly off track", "behind", "behind schedule"),
    Status.amber: ("a", "amber", "at risk", "some concerns", "slipping", "slippage", "some slippage", "delayed",
                   "minor delays", "partially on track"),
    Status.green: ("g", "green", "on track", "on target", "on schedule", "good progress"),
    Status.complete: ("c", "b", "blue", "complete", "completed", "done", "closed", "achieved", "delivered",
                      "finished", "complete and embedded", "completed and embedded"),
    Status.not_started: ("not started", "not yet started", "ns", "not begun", "not commenced", "not yet due"),
}
_COLOUR_WORDS = {"red": Status.red, "amber": Status.amber, "green": Status.green, "blue": Status.complete}


def _vocabulary(terms: Terms) -> dict[str, Column]:
    """Heading words -> field: the synonyms, overridden by the plan's own words and export-tracker's headings
    (so an exported tracker maps with no edits)."""
    vocab = {w: col for col, names in SYNONYMS.items() for w in names}
    for col, names in ((Column.theme, (terms.theme, terms.theme_plural)),
                       (Column.commitment, (terms.commitment, terms.commitment_plural))):
        vocab.update({words(n): col for n in names})
    vocab.update({words(h): col for col, h in headings(terms).items()})
    return vocab


def _field_of(heading: str, vocab: dict[str, Column]) -> Column | None:
    """The field a heading names: the whole heading, else its longest known beginning ('RAG status (Sept)')."""
    text = words(heading)
    if text in vocab:
        return vocab[text]
    starts = [w for w in vocab if text.startswith(w + " ")]
    return vocab[max(starts, key=len)] if starts else None


# Fields a tracker gains a column for as time goes on, to the right of the last: 'Target date', 'Revised target
# date'; 'RAG Jun', 'RAG Sep'; 'Update Q1', 'Update Q2'. Named twice, such a field is read from its rightmost
# column (the newest); any other field from its first.
NEWEST_RIGHT = (Column.due, Column.status, Column.update, Column.update_date)


def _heading_columns(sheet: Sheet, row: int, vocab: dict[str, Column]) -> dict[Column, int]:
    """The field each heading of the row names; a field named twice keeps its first column, or the newest of
    NEWEST_RIGHT. A due date's first column, when a later one names it too, is the original due date (if no
    column is headed so): the revised date is the target, and the plan learns that it moved."""
    named: dict[Column, list[int]] = {}
    for col, value in sheet.row(row).items():
        if isinstance(value, str) and (field := _field_of(value, vocab)) is not None:
            named.setdefault(field, []).append(col)
    found = {field: cols[-1] if field in NEWEST_RIGHT else cols[0] for field, cols in named.items()}
    if len(named.get(Column.due, ())) > 1:
        found.setdefault(Column.original_due, named[Column.due][0])
    return found


def _header_row(sheet: Sheet, vocab: dict[str, Column]) -> int | None:
    """The first of the top rows whose headings name an action, a lead and a due date; else (for the error)
    the first where most text cells are known headings; else None."""
    candidates = []
    for row in range(1, min(sheet.nrows, HEADER_SEARCH) + 1):
        if all(c in _heading_columns(sheet, row, vocab) for c in REQUIRED):
            return row
        texts = [v for v in sheet.row(row).values() if isinstance(v, str)]
        known = sum(1 for v in texts if _field_of(v, vocab) is not None)
        if known >= 2 and 2 * known >= len(texts):
            candidates.append(row)
    return candidates[0] if candidates else None


def guess_status(text: str) -> Status | None:
    """The status a tracker's word most likely means: 'R', 'RED ', 'Green - on track', 'BRAG: G', 'On track
    (green)'; None when it cannot be told."""
    vocab = {w: s for s, ws in STATUS_WORDS.items() for w in ws}
    text = words(text)
    bare = re.sub(r"^(?:b?rag|status|rating)(?: (?:status|rating))? ", "", text)
    for candidate in (text, bare, bare.split(" ")[0] if bare else ""):
        if candidate in vocab:
            return vocab[candidate]
    colours = {_COLOUR_WORDS[w] for w in bare.split() if w in _COLOUR_WORDS}
    return colours.pop() if len(colours) == 1 else None


def colour_status(rgb: str) -> Status | None:
    """The status a fill colour most likely means, by hue: red, amber (orange to yellow), green, blue (or purple,
    or grey) for complete; white and the palest greys mean no status."""
    r, g, b = (int(rgb[i:i + 2], 16) / 255 for i in (0, 2, 4))
    hue, saturation, value = colorsys.rgb_to_hsv(r, g, b)
    if saturation < 0.15:
        return None if value > 0.9 else Status.complete
    degrees = hue * 360
    for upto, status in ((20, Status.red), (80, Status.amber), (170, Status.green), (290, Status.complete)):
        if degrees < upto:
            return status
    return Status.red


def _open(path: Path, shown_as: str) -> Book | Sheet:
    return open_csv(path, shown_as) if is_csv(path) else open_book(path, shown_as)


def _seen(sheet: Sheet, row: int) -> str:
    texts = [f"'{' '.join(str(v).split())}'" for v in sheet.row(row).values()]
    return ", ".join(texts) if texts else "nothing"


def _updates_sheet(book: Book, main: str) -> str | None:
    if UPDATES_SHEET not in book.names or UPDATES_SHEET == main:
        return None
    sheet = book.sheet(UPDATES_SHEET)
    return UPDATES_SHEET if _updates_header(sheet) is not None else None


def _updates_header(sheet: Sheet) -> dict[str, int] | None:
    wanted = [words(h) for h in UPDATE_HEADINGS]
    for row in range(1, min(sheet.nrows, HEADER_SEARCH) + 1):
        cols = {words(v): c for c, v in sheet.row(row).items() if isinstance(v, str)}
        if all(w in cols for w in wanted):
            return {"row": row, **{h: cols[w] for h, w in zip(UPDATE_HEADINGS, wanted)}}
    return None


def propose_mapping(path: Path, shown_as: str, sheet: str | None, terms: Terms) -> Mapping:
    """A mapping read off the tracker's headings: the header row (the first of the top rows where most cells
    are known headings), each field's column, the status words and fill colours seen in the RAG column. The
    named sheet, else the first sheet whose headings name an action, a lead and a due date."""
    opened = _open(path, shown_as)
    vocab = _vocabulary(terms)
    if isinstance(opened, Sheet):
        if sheet is not None:
            raise TrackerUsageError(f"'{shown_as}' is a CSV file, which has no sheets (leave out --sheet)")
        chosen, row = opened, _header_row(opened, vocab)
    elif sheet is not None:
        chosen = opened.sheet(sheet, usage=True)
        row = _header_row(chosen, vocab)
    elif not opened.names:
        raise TrackerError(f"'{shown_as}' has no sheets with cells")
    else:
        found = []  # each sheet in turn until one has the required headings; else the first with any headings
        for name in opened.names:
            found.append((candidate := opened.sheet(name), _header_row(candidate, vocab)))
            if found[-1][1] is not None and all(c in _heading_columns(candidate, found[-1][1], vocab)
                                                for c in REQUIRED):
                break
        chosen, row = next(((s, r) for s, r in reversed(found) if r is not None
                            and all(c in _heading_columns(s, r, vocab) for c in REQUIRED)),
                           next(((s, r) for s, r in found if r is not None), found[0]))
    where = f"'{shown_as}'" + (f" (sheet '{chosen.name}')" if chosen.name else "")
    if not chosen.values:
        raise TrackerError(f"{where} is empty")
    if row is None:
        busiest = max(range(1, min(chosen.nrows, HEADER_SEARCH) + 1),
                      key=lambda r: sum(1 for (rr, _c) in chosen.values if rr == r))
        raise TrackerError(f"no row of column headings was recognised in the first {HEADER_SEARCH} rows of {where}; "
                           f"row {busiest} holds {_seen(chosen, busiest)} (write a mapping file saying which "
                           "row holds the headings and which column holds each field, and give it with --mapping)")
    found_cols = _heading_columns(chosen, row, vocab)
    missing = [c.value for c in REQUIRED if c not in found_cols]
    if missing:
        raise TrackerError(f"no column for {' and '.join(missing)} was recognised in row {row} of {where}, whose "
                           f"headings are {_seen(chosen, row)} (write a mapping file saying which column holds "
                           "each field, and give it with --mapping)")
    statuses: dict[str, Status] = {}
    fills: dict[str, Status] = {}
    status_col = found_cols.get(Column.status)
    update_sheet = None if isinstance(opened, Sheet) else _updates_sheet(opened, chosen.name)
    sources = [(chosen, row, status_col)]
    if update_sheet:
        upd = opened.sheet(update_sheet)
        sources.append((upd, _updates_header(upd)["row"], _updates_header(upd)["RAG"]))
    known = {""}
    by_text: dict[str, Counter[Status]] = {}  # the statuses each colour carries where the cell has text too
    for sheet_, top, col in sources:
        for r in range(top + 1, sheet_.nrows + 1) if col else ():
            text = sheet_.value(r, col)
            said = statuses.get(" ".join(text.split())) if isinstance(text, str) else None
            if said is None and isinstance(text, str) and words(text) not in known and not BAD_IN_VALUE.search(text) \
                    and (said := guess_status(text)) is not None:
                statuses[" ".join(text.split())] = said  # as first written: 'Red', not a later 'RED '
                known.add(words(text))
            colour = sheet_.fill(r, col)
            if colour and colour != UNREADABLE and said is not None:
                by_text.setdefault(colour, Counter())[said] += 1
            elif colour and colour != UNREADABLE and (status := colour_status(colour)) is not None:
                fills.setdefault(colour, status)
    # A colour the tracker also labels in words means what the words say (its own key), not what its hue suggests
    fills.update({colour: counts.most_common(1)[0][0] for colour, counts in by_text.items()})
    action_col = found_cols[Column.action]
    heading_rows = [r for r in range(row + 1, chosen.nrows + 1) if _heading_text(chosen, r, action_col)]
    theme_rows = bool(heading_rows) and any(chosen.value(r, action_col) is not None
                                            for r in range(heading_rows[0] + 1, chosen.nrows + 1))
    order = list(Status)  # the file lists words and colours by what they mean: not started, red ... complete
    statuses = dict(sorted(statuses.items(), key=lambda kv: order.index(kv[1])))
    fills = dict(sorted(fills.items(), key=lambda kv: (order.index(kv[1]), kv[0])))
    return Mapping(sheet=chosen.name, header_row=row, columns={c: letter(n) for c, n in sorted(
        found_cols.items(), key=lambda kv: kv[1])}, theme_rows=theme_rows, statuses=statuses, fills=fills,
        updates_sheet=update_sheet,
        headings={letter(c): shown(" ".join(str(v).split())) for c, v in chosen.row(row).items()})


def _heading_text(sheet: Sheet, row: int, action_col: int) -> str | None:
    """A row holding only a heading: one text cell, merged across the row, or of two or more words alone in the
    sheet's first column when that is not the action's (a lone '1.3' there is a reference with no action)."""
    cells = list(sheet.row(row).items())
    if len(cells) != 1 or not isinstance(cells[0][1], str):
        return None
    col, text = cells[0]
    text = " ".join(text.split())
    if (row, col) in sheet.across or (col == sheet.first_col and col != action_col and " " in text):
        return text
    return None


# --- reading the rows ------------------------------------------------------------------------------------

_AS_AT = re.compile(r"\b(?:as at|as of|position at|position as at|updated)\b:?\s*(.*)", re.IGNORECASE)


def _tracker_date(sheet: Sheet, header_row: int) -> date | None:
    """The tracker's own date, from its title rows: 'Position as at 30 September 2015' (or 'As at:' and a date
    in the next cell)."""
    for row, col, value in ((r, c, v) for r in range(1, header_row) for c, v in sheet.row(r).items()):
        if isinstance(value, str) and (m := _AS_AT.search(value)):
            rest = m[1].strip() or sheet.value(row, col + 1)
            if isinstance(rest, datetime):
                return rest.date()
            try:
                return parse_date(str(rest)).day if rest else None
            except NotADate:
                continue
    return None


class _Row:
    """One row being read: its values so far and what could not be used."""

    def __init__(self, reader: "_Reader", row: int):
        self.reader, self.row = reader, row
        self.values: dict[Column, Any] = {}
        self.cells: dict[Column, Where] = {}
        self.notes: list[str] = []
        self.problems: list[Problem] = []
        self.flagged: set[Column] = set()  # fields already reported
        self.missing = False  # a required field could not be had: the row is not returned

    def problem(self, col: Column, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.reader.sheet.where(self.row, self.reader.cols[col]), message, hint))
        self.flagged.add(col)
        self.missing = self.missing or col in REQUIRED

    def require(self, col: Column, value: Any, message: str, hint: str) -> None:
        """A Problem for a field with no value, unless its cell was reported already."""
        if value is None and col not in self.flagged:
            self.problem(col, message, hint)


class _Reader:
    """Reads one sheet's cells as the mapping says: text, dates and statuses, each problem on its row."""

    def __init__(self, sheet: Sheet, mapping: Mapping, cols: dict[Column, int]):
        self.sheet, self.mapping, self.cols = sheet, mapping, cols

    def raw(self, r: _Row, col: Column) -> Any:
        """The cell's value as the file holds it, or None; an error or uncalculated formula is a Problem."""
        number = self.cols.get(col)
        if number is None:
            return None
        key = self.sheet.down.get((r.row, number), (r.row, number))
        if key in self.sheet.uncached:
            r.problem(col, "the formula here has no saved value",
                      "open the file in Excel or LibreOffice, save it, and run again")
            return None
        value = self.sheet.value(r.row, number)
        if value is not None and self.sheet.is_error(r.row, number):
            r.problem(col, f"the cell shows the error {value}", "correct its formula, or write the value")
            return None
        if value is None or isinstance(value, str) and not value.strip():
            return None
        r.cells[col] = self.sheet.where(r.row, number)
        return value

    def text(self, r: _Row, col: Column, narrative: bool = False) -> str | None:
        value = self.raw(r, col)
        if value is None:
            return None
        if isinstance(value, datetime):
            text = long(value.date())
        elif isinstance(value, float) and value.is_integer():
            text = str(int(value))
        else:
            text = str(value)
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\u202f", " ")
        text = re.sub("[\u200b\u200c\u200d\ufeff]", "", text)
        if bad := BAD_IN_VALUE.search(text):
            r.problem(col, f"the text holds the character {describe_char(bad[0])}, which the plan cannot hold",
                      UNPRINTABLE_HINT)
            return None
        if not narrative:
            return " ".join(text.split()) or None
        lines = [" ".join(line.split()) for line in text.split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() or None

    def day(self, r: _Row, col: Column, near: tuple[date, str] | None = None) -> date | None:
        value = self.raw(r, col)
        if value is None:
            return None
        cell = r.cells[col].cell if self.sheet.name else f"{letter(self.cols[col])}{r.row}"
        try:
            if isinstance(value, datetime):
                got = Read(value.date()) if self.sheet.shows_day(r.row, self.cols[col]) else Read(
                    month_end(value.year, value.month), "the end of that month (the cell shows a month)")
                written = f"{value:%b-%y}" if got.how else ""
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                got, written = from_serial(value, self.sheet.epoch or datetime(1899, 12, 30)), number_text(value)
            else:
                written = " ".join(str(value).split())
                got = parse_date(written, self.mapping.day_first, near)
        except NotADate as exc:
            shown = number_text(value) if isinstance(value, (int, float)) else " ".join(str(value).split())
            if exc.placeholder and col not in REQUIRED:
                return None
            why = "an action needs a target date" if exc.placeholder else exc.reason
            r.problem(col, f"'{shown}' is not a date" + (f": {why}" if why else ""),
                      "write the date by which it will be done, such as 31/03/2016" if col is Column.due
                      else "write a date such as 30/09/2015")
            return None
        if got.how:
            r.notes.append(f"{cell}: '{written}' read as {long(got.day)}, {got.how}")
        return got.day

    def audience(self, r: _Row) -> Audience | None:
        """Staff only or Public; a word it cannot tell keeps the row out, since guessing public could publish a
        staff-only action."""
        text = self.text(r, Column.audience)
        if text is not None and words(text) in AUDIENCES:
            return AUDIENCES[words(text)]
        if text is not None:
            r.problem(Column.audience, f"'{text}' is not an audience, so the row was not imported",
                      "write Staff only for an action the public edition leaves out, or Public")
        r.missing = r.missing or Column.audience in r.flagged  # a cell that could not be read: not guessed public
        return None

    def status(self, r: _Row, col: Column = Column.status) -> Status | None:
        text = self.text(r, col)
        number = self.cols.get(col)
        colour = self.sheet.fill(r.row, number) if number else None
        by_text = self.mapping.status_of(text) if text else None
        by_fill = self.mapping.fills.get(colour) if colour and colour != UNREADABLE else None
        if colour and colour != UNREADABLE and number:
            r.cells.setdefault(col, self.sheet.where(r.row, number))
        if text and by_text is None:
            used = f"; its fill colour ({colour}, {by_fill.value}) was used" if by_fill else ""
            r.problem(col, f"'{text}' is not a RAG status the mapping knows{used}",
                      "add it under statuses: in the mapping file, with the status it means: not_started, red, "
                      "amber, green or complete")
            return by_fill
        if by_text is not None:
            if by_fill is not None and by_fill is not by_text:
                r.problem(col, f"the text says '{text}' ({by_text.value}) but the fill colour {colour} means "
                               f"{by_fill.value}; the text was used", "make the cell's text and colour agree")
            return by_text
        if colour == UNREADABLE:
            r.problem(col, "the cell's fill colour could not be read (a gradient, or a theme colour the file "
                           "does not define)", "write the status as text, such as Green")
        elif colour and by_fill is None and colour_status(colour) is not None:
            r.problem(col, f"the fill colour {colour} is not one the mapping knows",
                      f"add it under fills: in the mapping file ({colour}: red, for example), or write the status "
                      "as text")
        return by_fill


def _resolve(sheet: Sheet, mapping: Mapping) -> dict[Column, int]:
    """Each field's column number: a heading in the header row first, else a column letter."""
    by_heading: dict[str, int] = {}
    for c, v in sheet.row(mapping.header_row).items():
        if isinstance(v, str):
            by_heading.setdefault(words(v), c)
    cols, unknown = {}, []
    for col, ref in mapping.columns.items():
        if words(ref) in by_heading:
            cols[col] = by_heading[words(ref)]
        elif re.fullmatch(r"[A-Za-z]{1,3}", ref) and column_index_from_string(ref.upper()) <= 16384:
            cols[col] = column_index_from_string(ref.upper())
        else:
            unknown.append(f"{col.value} ('{ref}')")
    if unknown:
        raise TrackerError(f"{sheet.where(mapping.header_row, 1)}: no column is headed as the mapping says for "
                           f"{', '.join(unknown)}; the headings in row {mapping.header_row} are "
                           f"{_seen(sheet, mapping.header_row)} (correct columns: in the mapping file)")
    return cols


def _split_ids(text: str | None) -> tuple[str, ...]:
    return tuple(p for p in re.split(r"[\s,;]+", text or "") if p)


def read_tracker(path: Path, shown_as: str, mapping: Mapping, terms: Terms) -> Reading:
    """Every row of the tracker that can be used, and every cell that cannot, as the mapping says to read it.
    (`terms` is the plan's words; the reader needs none of them yet, but the interface keeps them.)"""
    opened = _open(path, shown_as)
    sheet = opened if isinstance(opened, Sheet) else opened.sheet(mapping.sheet or opened.names[0], setting="sheet")
    cols = _resolve(sheet, mapping)
    as_at = _tracker_date(sheet, mapping.header_row)
    reader = _Reader(sheet, mapping, cols)
    theme: str | None = None
    done: list[_Row] = []
    heading_problems: list[Problem] = []
    last = min(mapping.last_row or sheet.nrows, sheet.nrows)
    for number in range(mapping.first_row or mapping.header_row + 1, last + 1):
        if mapping.theme_rows and (heading := _heading_text(sheet, number, cols[Column.action])) is not None:
            theme = heading
            if bad := BAD_IN_VALUE.search(heading):
                heading_problems.append(Problem(sheet.where(number, next(iter(sheet.row(number)))),
                                                f"the heading holds the character {describe_char(bad[0])}, which "
                                                "the plan cannot hold", UNPRINTABLE_HINT))
                theme = None
            continue
        r = _Row(reader, number)
        action = reader.text(r, Column.action)
        reference = reader.text(r, Column.reference)
        if action is None and reference is None and not r.problems:
            continue  # a blank row, a totals row, a key: nothing that names an action
        r.require(Column.action, action, f"the row has the reference '{reference}' but no action",
                  "write the action; if the row is not an action, such as a key or a note, delete it or set "
                  "last_row in the mapping file")
        updated = reader.day(r, Column.update_date)
        near = (updated, "the row's update date") if updated else (as_at, "the tracker's date") if as_at else None
        r.values.update(action=action, reference=reference, lead=reader.text(r, Column.lead),
                        theme=reader.text(r, Column.theme) or theme, commitment=reader.text(r, Column.commitment),
                        update_date=updated, due=reader.day(r, Column.due, near),
                        original_due=reader.day(r, Column.original_due, near),
                        completed=reader.day(r, Column.completed, near), status=reader.status(r),
                        narrative=reader.text(r, Column.update, narrative=True),
                        answers=_split_ids(reader.text(r, Column.answers)),
                        audience=reader.audience(r))
        if r.values["due"] is None and r.values["original_due"] and Column.due not in r.flagged:
            r.values["due"] = r.values["original_due"]  # an empty 'Revised target date': the date has not moved
            r.cells[Column.due] = r.cells[Column.original_due]
        if action is not None and reference is None and r.values["lead"] is None and r.values["due"] is None \
                and not r.flagged - {Column.status}:
            r.problem(Column.action, f"'{action}' has no lead and no due date, so it was not read as an action",
                      "fill them in; if the row is not an action, such as a total or a key, delete it or set "
                      "last_row in the mapping file")
        elif action is not None:
            r.require(Column.lead, r.values["lead"], "no lead: every action needs the post responsible for it",
                      "write the lead's post, such as Head of Safeguarding")
            r.require(Column.due, r.values["due"], "no due date: every action needs a target date",
                      "write the date by which it will be done, such as 31/03/2016")
        if r.values["narrative"] and r.values["status"] is None:
            r.require(Column.status if Column.status in cols else Column.update, None,
                      "the update has no RAG status, so it was not used", "give the row a status, such as Green")
        for c in sheet.noted.get(number, ()):
            if note := sheet.note(number, c):
                r.notes.append(f"Note on {letter(c)}{number}: {note}")
        done.append(r)
    dated = [r.values["update_date"] for r in done if r.values["update_date"]]
    undated_day = as_at or (max(dated) if dated else date.today())
    rows = tuple(_tracker_row(r, undated_day) for r in done if not r.missing)
    updates, update_problems = _updates(opened, mapping) if not isinstance(opened, Sheet) else ((), [])
    problems = sorted(heading_problems + [p for r in done for p in r.problems],
                      key=lambda p: (p.where.row, p.where.column))
    return Reading(rows, updates, tuple(problems) + tuple(update_problems))


def _tracker_row(r: _Row, undated_day: date) -> TrackerRow:
    v = r.values
    first = min(r.cells.values(), key=lambda w: (w.row, w.column))
    update = None
    # 'Not started' with no date and no words is what every action is before its first update: not an update
    if v["status"] is not None and (v["status"] is not Status.not_started or v["update_date"] or v["narrative"]):
        update = TrackerUpdate(day=v["update_date"] or undated_day, status=v["status"],
                               narrative=v["narrative"] or "", where=r.cells.get(Column.status, first),
                               dated=v["update_date"] is not None)
    return TrackerRow(where=first, action=v["action"], lead=v["lead"], due=v["due"], reference=v["reference"],
                      theme=v["theme"], commitment=v["commitment"], original_due=v["original_due"],
                      status=v["status"], update=update, completed=v["completed"], answers=v["answers"],
                      audience=v["audience"], notes=tuple(r.notes), cells=dict(r.cells))


def _updates(book: Book, mapping: Mapping) -> tuple[tuple[TrackerUpdate, ...], list[Problem]]:
    """The earlier updates of an Updates sheet, as export-tracker writes it."""
    if not mapping.updates_sheet:
        return (), []
    sheet = book.sheet(mapping.updates_sheet, setting="updates_sheet")
    header = _updates_header(sheet)
    if header is None:
        raise TrackerError(f"sheet '{mapping.updates_sheet}' of '{book.shown_as}' has no row headed "
                           f"{', '.join(UPDATE_HEADINGS)} (correct updates_sheet: in the mapping file, or set it "
                           "to null)")
    cols = {Column.reference: header["Reference"], Column.update_date: header["Date"],
            Column.status: header["RAG"], Column.update: header["Update"]}
    reader = _Reader(sheet, mapping, cols)
    out, problems = [], []
    for number in range(header["row"] + 1, sheet.nrows + 1):
        if not any((number, c) in sheet.values for c in cols.values()):
            continue
        r = _Row(reader, number)
        reference = reader.text(r, Column.reference)
        day = reader.day(r, Column.update_date)
        status = reader.status(r)
        narrative = reader.text(r, Column.update, narrative=True) or ""
        for col, value, what in ((Column.reference, reference, "no reference: which action is this update of?"),
                                 (Column.update_date, day, "no date: every update needs its day"),
                                 (Column.status, status, "no RAG status: every update needs one")):
            r.require(col, value, what, "fill it in, or delete the row")
        problems.extend(r.problems)
        if reference and day and status:
            out.append(TrackerUpdate(day, status, narrative, sheet.where(number, cols[Column.reference]),
                                     reference))
    return tuple(out), problems
