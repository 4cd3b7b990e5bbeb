"""A tracker file opened as sheets of cells: an Excel workbook (openpyxl) or a CSV file, each cell's value, fill
colour, note and place (`FILE.xlsx:SHEET!C12` or `FILE.csv:LINE:COL`), with merged cells spread over the rows
they cover. Everything a hostile or broken file could do stops here with a TrackerError in the user's words.

The workbook is loaded whole (not openpyxl's read-only mode), since merged cells, fills and notes are only
there; the size checks before loading keep that bounded.
"""

from __future__ import annotations

import codecs
import colorsys
import csv
import io
import re
import stat
import warnings
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.colors import COLOR_INDEX
from openpyxl.utils.cell import coordinate_to_tuple, get_column_letter

from .characters import shown
from .errors import GeneratorError, UsageError
from .render import FORMULA_START
from .tracker import Where

MAX_BYTES = 50_000_000  # the file as stored
MAX_UNZIPPED = 80_000_000  # a workbook's parts unpacked: a 20,000-row tracker is well under half of it
MAX_CELLS = 1_500_000  # cells written in the workbook's sheets, counted before openpyxl builds them
MAX_ROWS = 20_000  # rows holding anything, on the sheet read
CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE file: an old .xls workbook, or an encrypted .xlsx
_XSTRING = re.compile(r"_x([0-9A-Fa-f]{4})_")  # ECMA-376's escape of a character XML cannot hold
UNREADABLE = "?"  # a fill whose colour cannot be told (a theme colour the file does not define, a gradient)
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_DRAWING = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
# The standard Office theme (2013 onwards), by Excel's theme index: background 1, text 1, background 2, text 2,
# accents 1 to 6, hyperlink, followed hyperlink. Used when a workbook carries no theme of its own.
OFFICE_THEME = ("FFFFFF", "000000", "E7E6E6", "44546A", "4472C4", "ED7D31", "A5A5A5", "FFC000", "5B9BD5", "70AD47",
                "0563C1", "954F72")


class TrackerError(GeneratorError):
    """A tracker or mapping file that cannot be read at all; the message says why and what to do."""


class TrackerUsageError(TrackerError, UsageError):
    """The command named something the file does not have (a sheet; a sheet of a CSV file): exit 2."""

    exit_code = 2


@dataclass
class Sheet:
    """One sheet's cells, 1-based (row, column), whatever the file. `values` holds non-empty values only; a
    cell covered by a merge spanning rows reads its first row's value (a lead merged down over its actions)."""

    file: str
    name: str | None  # None for CSV
    values: dict[tuple[int, int], Any]
    nrows: int
    ncols: int
    epoch: datetime | None = None  # the workbook's date system (1900 or 1904); None for CSV
    down: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)  # covered cell -> merge's first
    across: set[tuple[int, int]] = field(default_factory=set)  # first cells of merges two or more columns wide
    uncached: set[tuple[int, int]] = field(default_factory=set)  # formulas with no saved value
    # CSV: record -> its first line and the line each of its fields starts on. A CSV cell's place is its line and
    # its field's number (3 for the third, column C when Excel opens the file)
    places: dict[int, tuple[int, list[int]]] = field(default_factory=dict)
    cells: dict[tuple[int, int], Any] = field(default_factory=dict)  # openpyxl's cells: fills, notes, formats
    theme: tuple[str, ...] = OFFICE_THEME
    noted: dict[int, list[int]] = field(default_factory=dict)  # row -> the columns of its cells with a note

    @cached_property
    def first_col(self) -> int:
        """The leftmost column holding anything."""
        return min((c for (_r, c) in self.values), default=1)

    @cached_property
    def _rows(self) -> dict[int, dict[int, Any]]:
        rows: dict[int, dict[int, Any]] = {}
        for (r, c), v in sorted(self.values.items()):
            rows.setdefault(r, {})[c] = v
        return rows

    def row(self, row: int) -> dict[int, Any]:
        """The row's non-empty values by column, left to right (merged values not spread)."""
        return self._rows.get(row, {})

    def value(self, row: int, col: int) -> Any:
        return self.values.get(self.down.get((row, col), (row, col)))

    def where(self, row: int, col: int) -> Where:
        if self.name is not None:
            return Where(self.file, self.name, row, col)
        start, lines = self.places.get(row, (row, []))
        return Where(self.file, None, lines[col - 1] if col <= len(lines) else start, col)

    def is_error(self, row: int, col: int) -> bool:
        cell = self.cells.get(self.down.get((row, col), (row, col)))
        return cell is not None and cell.data_type == "e"

    def shows_day(self, row: int, col: int) -> bool:
        """False for a date cell formatted as a month ('Sep-15', 'mmm-yy'), which stands for the whole month."""
        cell = self.cells.get(self.down.get((row, col), (row, col)))
        fmt = re.sub(r'"[^"]*"|\[[^\]]*\]', "", getattr(cell, "number_format", "") or "").lower()
        return cell is None or "d" in fmt or "general" in fmt

    def fill(self, row: int, col: int) -> str | None:
        """The cell's fill as RRGGBB, None for no fill, UNREADABLE when its colour cannot be told."""
        cell = self.cells.get(self.down.get((row, col), (row, col)))
        if cell is None or not cell.has_style:
            return None
        pattern = cell.fill
        if getattr(pattern, "tagname", "") == "gradientFill":
            return UNREADABLE
        if pattern.fill_type in (None, "none"):
            return None
        return _colour(pattern.fgColor, self.theme)

    def note(self, row: int, col: int) -> str | None:
        """The cell's note (an Excel comment), without its author: the plan names posts, not people."""
        cell = self.cells.get((row, col))
        comment = getattr(cell, "comment", None)
        if comment is None or not comment.text:
            return None
        text = _XSTRING.sub(lambda m: chr(int(m[1], 16)), comment.text).replace("\r\n", "\n")
        if text.startswith("[Threaded comment]") and "\nComment:\n" in text:  # modern comments' fallback text
            text = text.split("\nComment:\n", 1)[1].split("\nReply:\n")[0]
        author = (comment.author or "").strip()
        if author and text.startswith(author + ":"):  # Excel starts a note with its author's name
            text = text[len(author) + 1:]
        return shown(" ".join(text.split())) or None  # a control character as <U+0007>: notes become comments


def _colour(colour, theme: tuple[str, ...]) -> str | None:
    if colour is None:
        return None
    if colour.type == "rgb":
        value = colour.rgb
        return value[-6:].upper() if isinstance(value, str) and re.fullmatch(r"[0-9A-Fa-f]{6,8}", value) \
            else UNREADABLE
    if colour.type == "indexed":
        if colour.indexed in (64, 65):  # the system's own foreground and background: no colour of the cell's
            return None
        return COLOR_INDEX[colour.indexed][-6:] if 0 <= colour.indexed < len(COLOR_INDEX) else UNREADABLE
    if colour.type == "theme" and 0 <= colour.theme < len(theme):
        return _tinted(theme[colour.theme], colour.tint or 0.0)
    return UNREADABLE


def _tinted(rgb: str, tint: float) -> str:
    """Excel's tint: lighten (tint > 0) or darken (tint < 0) the colour's lightness."""
    h, lightness, s = colorsys.rgb_to_hls(*(int(rgb[i:i + 2], 16) / 255 for i in (0, 2, 4)))
    lightness = lightness * (1 + tint) if tint < 0 else lightness * (1 - tint) + tint
    return "".join(f"{round(v * 255):02X}" for v in colorsys.hls_to_rgb(h, lightness, s))


def _theme(xml: bytes | None) -> tuple[str, ...]:
    """The workbook's own theme colours, in Excel's theme-index order; the Office theme's when it has none."""
    if not xml:
        return OFFICE_THEME
    try:
        scheme = ElementTree.fromstring(xml).find(f".//{_DRAWING}clrScheme")
    except ElementTree.ParseError:
        return OFFICE_THEME
    if scheme is None:
        return OFFICE_THEME
    colours = []
    for slot in scheme:
        child = next(iter(slot), None)
        value = None if child is None else (child.get("val") if child.tag == f"{_DRAWING}srgbClr"
                                            else child.get("lastClr"))
        colours.append(value.upper() if value and re.fullmatch(r"[0-9A-Fa-f]{6}", value) else "000000")
    if len(colours) < 4:
        return OFFICE_THEME
    return (colours[1], colours[0], colours[3], colours[2], *colours[4:])  # Excel swaps dark and light


# --- opening files ------------------------------------------------------------------------------------


def read_bytes(path: Path, shown_as: str) -> bytes:
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise TrackerError(f"'{shown_as}' is not a file")
        if info.st_size > MAX_BYTES:
            raise TrackerError(f"'{shown_as}' is {info.st_size:,} bytes; a tracker may be at most {MAX_BYTES:,} "
                               "(save only the sheet with the actions, or split the file)")
        return path.read_bytes()
    except FileNotFoundError:
        raise TrackerError(f"file '{shown_as}' does not exist") from None
    except OSError as exc:
        raise TrackerError(f"cannot read '{shown_as}': {exc.strerror or exc}") from None


def is_csv(path: Path) -> bool:
    return path.suffix.lower() in (".csv", ".txt")


@dataclass
class Book:
    """An opened workbook: its sheets by name, and what is needed to read each one."""

    shown_as: str
    wb: Any
    raw: bytes
    parts: dict[str, str]  # sheet name -> its part in the zip

    @property
    def names(self) -> list[str]:
        return [ws.title for ws in self.wb.worksheets]

    def listed(self) -> str:
        return ", ".join(f"'{n}'" for n in self.names)

    def sheet(self, name: str, usage: bool = False, setting: str = "") -> Sheet:
        """The named sheet; a name it does not have is a usage error (--sheet) or a mapping's `setting`."""
        if name not in self.names:
            kind = TrackerUsageError if usage else TrackerError
            fix = f"; correct {setting}: in the mapping file" if setting else ""
            raise kind(f"'{self.shown_as}' has no sheet '{name}' (its sheets are {self.listed()}{fix})")
        ws = self.wb[name]
        cells, values, rows, noted = {}, {}, set(), {}
        for key, cell in ws._cells.items():  # only the cells the file holds; iter_rows would create the rest
            cells[key] = cell
            value = cell.value
            if isinstance(value, str) and "_x" in value:  # Excel writes a control character as _x0007_
                value = _XSTRING.sub(lambda m: chr(int(m[1], 16)), value)
            if value is not None and not (isinstance(value, str) and not value.strip()):
                values[key] = value
                rows.add(key[0])
            if getattr(cell, "comment", None) is not None:
                noted.setdefault(key[0], []).append(key[1])
        if len(rows) > MAX_ROWS:
            raise TrackerError(f"sheet '{name}' of '{self.shown_as}' has {len(rows):,} rows in use; at most "
                               f"{MAX_ROWS:,} can be read (remove the rows that are not actions, or split it)")
        sheet = Sheet(self.shown_as, name, values, max((r for r, _ in values), default=0),
                      max((c for _, c in values), default=0), epoch=self.wb.epoch, cells=cells,
                      theme=_theme(self.wb.loaded_theme), noted={r: sorted(cs) for r, cs in noted.items()})
        for merged in ws.merged_cells.ranges:
            top, left = merged.min_row, merged.min_col
            if merged.max_col > left:
                sheet.across.add((top, left))
            for row in range(top + 1, min(merged.max_row, max(sheet.nrows, top)) + 1):
                sheet.down[(row, left)] = (top, left)
        sheet.uncached = self._uncached(name)
        return sheet

    def _uncached(self, name: str) -> set[tuple[int, int]]:
        """Cells holding a formula with no saved value (openpyxl's data_only mode shows them as empty)."""
        with zipfile.ZipFile(io.BytesIO(self.raw)) as z:
            data = z.read(self.parts[name]) if name in self.parts else b""
        if b"<f" not in data and b":f>" not in data:
            return set()
        found = set()
        for _event, el in ElementTree.iterparse(io.BytesIO(data)):
            if el.tag == f"{_MAIN}c":
                value = el.find(f"{_MAIN}v")
                if el.find(f"{_MAIN}f") is not None and (value is None or not value.text) and el.get("r"):
                    found.add(coordinate_to_tuple(el.get("r")))
                el.clear()
        return found


def open_book(path: Path, shown_as: str) -> Book:
    raw = read_bytes(path, shown_as)
    save_as = "open it in Excel and save it as an Excel Workbook (.xlsx), or as CSV"
    if raw.startswith(CFB):
        if "EncryptionInfo".encode("utf-16-le") in raw:
            raise TrackerError(f"'{shown_as}' is protected by a password, so it cannot be read (open it in Excel, "
                               "remove the password under File > Info > Protect Workbook, and save a copy)")
        raise TrackerError(f"'{shown_as}' is an Excel 97-2003 workbook (.xls), which this tool cannot read "
                           f"({save_as})")
    if not raw.startswith(b"PK"):
        kind = "an Excel 97-2003 workbook (.xls)" if path.suffix.lower() == ".xls" else "an Excel workbook"
        raise TrackerError(f"'{shown_as}' is not {kind} that this tool can read ({save_as})")
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            unzipped = sum(i.file_size for i in z.infolist())
            if unzipped > MAX_UNZIPPED:
                raise TrackerError(f"'{shown_as}' unpacks to {unzipped:,} bytes; at most {MAX_UNZIPPED:,} are read "
                                   "(save only the sheet with the actions)")
            cells = sum(z.read(i).count(b"<c ") for i in z.infolist()
                        if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml"))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError, RuntimeError):
        raise TrackerError(f"'{shown_as}' is damaged: it is not a whole Excel workbook ({save_as})") from None
    if cells > MAX_CELLS:
        raise TrackerError(f"'{shown_as}' holds {cells:,} cells; at most {MAX_CELLS:,} are read "
                           "(save only the sheet with the actions)")
    reader = ExcelReader(io.BytesIO(raw), read_only=False, data_only=True, keep_links=False)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns of features it drops (data validation, slicers)
            reader.read()
        parts = {sheet.name: rel.target for sheet, rel in reader.parser.find_sheets()}
    except Exception:  # noqa: BLE001 - any failure inside a hostile workbook is the file's, said in one line
        raise TrackerError(f"'{shown_as}' is damaged or is not an Excel workbook: it could not be read "
                           f"({save_as})") from None
    return Book(shown_as, reader.wb, raw, parts)


def _decode(raw: bytes, shown_as: str) -> str:
    """UTF-8 (with or without a byte order mark), UTF-16 with one, or Windows-1252 (Excel's plain 'CSV')."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = raw.decode("utf-16", errors="replace")
    elif b"\x00" in raw[:8192]:
        raise TrackerError(f"'{shown_as}' is a binary file, not CSV text (save the tracker as .xlsx or CSV)")
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = raw.decode("cp1252")
            except UnicodeDecodeError:
                raise TrackerError(f"'{shown_as}' is neither UTF-8 nor Windows-1252 text (save it from Excel as "
                                   "'CSV UTF-8')") from None
    return text


def _field_lines(record: str, delimiter: str) -> list[int]:
    """The line each field of one raw record starts on (0 for the record's first; a quoted cell can hold line
    breaks, so a later field may start lines further down)."""
    lines, line, quoted = [0], 0, False
    for ch in record:
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            lines.append(line)
        elif ch == "\n":
            line += 1
    return lines


def _delimiter(text: str) -> str:
    """Excel's 'sep=;' line if there is one; else the delimiter that splits the first lines most evenly into
    the most fields (a ';' file whose narratives hold commas still splits evenly only on ';')."""
    first = text[:6].lower()
    if first.startswith("sep=") and first[4:5] in ",;\t|":
        return first[4]
    head = list(io.StringIO(text[:50_000], newline=""))[:30]

    def evenness(delimiter: str) -> tuple[int, int]:
        try:
            counts = Counter(len(r) for r in csv.reader(head, delimiter=delimiter) if any(f.strip() for f in r))
        except csv.Error:
            return (0, 0)
        fields, times = max(counts.items(), key=lambda kv: (kv[1], kv[0]), default=(1, 0))
        return (times if fields > 1 else 0, fields)

    return max((",", ";", "\t"), key=evenness)


def _unguarded(value: str) -> str:
    """A CSV cell without the apostrophe render.csv_cell puts before text a spreadsheet would run as a formula
    ("'=x", "'- done"): it is no part of the text (Excel hides it, and saves CSV without it)."""
    return value[1:] if value.startswith("'") and value.lstrip("'").startswith(FORMULA_START) else value


def open_csv(path: Path, shown_as: str) -> Sheet:
    text = _decode(read_bytes(path, shown_as), shown_as)
    delimiter = _delimiter(text)
    lines = list(io.StringIO(text, newline=""))  # lines end at CR, LF or CRLF only, as csv reads them
    values: dict[tuple[int, int], Any] = {}
    places: dict[int, tuple[int, list[int]]] = {}
    reader = csv.reader(iter(lines), delimiter=delimiter)
    start, row, ncols = 1, 0, 0
    try:
        for record in reader:
            row += 1
            if row > MAX_ROWS:
                raise TrackerError(f"'{shown_as}' has more than {MAX_ROWS:,} rows; at most {MAX_ROWS:,} can be "
                                   "read (remove the rows that are not actions, or split it)")
            places[row] = (start, [start + off for off in _field_lines("".join(lines[start - 1:reader.line_num]),
                                                                        delimiter)])
            for col, value in enumerate(record, 1):
                if value.strip():
                    values[(row, col)] = _unguarded(value)
                    ncols = max(ncols, col)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise TrackerError(f"{shown_as}:{reader.line_num}:1: this line cannot be read as CSV ({exc}; save the "
                           "tracker from Excel again)") from None
    return Sheet(shown_as, None, values, row, ncols, places=places)


def letter(col: int) -> str:
    return get_column_letter(col)
