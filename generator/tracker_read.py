"""STAND-IN for the read helper's tracker reader: reads only the layout export-tracker writes (header row 1 holding
tracker.headings(terms), RAG as text, real or ISO dates), so that import-tracker and its round-trip tests can run
before the merge. Replaced by the read helper's file at merge; the API is the agreed one."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

from pydantic import BaseModel, Field

from .errors import GeneratorError
from .model import Status, Terms
from .tracker import UPDATES_SHEET, Column, Reading, TrackerRow, TrackerUpdate, Where, headings


class TrackerError(GeneratorError):
    """The tracker cannot be read at all."""


class Mapping(BaseModel):
    sheet: str | None = Field(default=None, description="the sheet of actions")
    header_row: int = Field(default=1, description="the row of headings")
    columns: dict[Column, str] = Field(default_factory=dict, description="each field's heading")


def _rows(path: Path, shown_as: str, sheet: str | None) -> tuple[str | None, list[list]]:
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as f:
            return None, list(csv.reader(f))
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the user's, not a bug
        raise TrackerError(f"{shown_as} cannot be read as an Excel workbook: {exc}") from None
    ws = wb[sheet] if sheet in wb.sheetnames else wb.worksheets[0]
    return ws.title, [list(r) for r in ws.iter_rows(values_only=True)]


def propose_mapping(path: Path, shown_as: str, sheet: str | None, terms: Terms) -> Mapping:
    name, rows = _rows(path, shown_as, sheet)
    heads = {str(v).strip(): v for v in (rows[0] if rows else []) if v is not None}
    return Mapping(sheet=name, columns={c: h for c, h in headings(terms).items() if h in heads})


def load_mapping(path: Path, shown_as: str) -> Mapping:
    import yaml

    try:
        return Mapping.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    except Exception as exc:  # noqa: BLE001
        raise TrackerError(f"{shown_as} is not a mapping file: {exc}") from None


def mapping_text(mapping: Mapping) -> str:
    cols = "".join(f"  {c.value}: {h!r}\n" for c, h in mapping.columns.items())
    return (f"# The tracker's columns (stand-in reader)\nsheet: {mapping.sheet!r}\nheader_row: {mapping.header_row}\n"
            f"columns:\n{cols}")


def _day(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if value in (None, ""):
        return None
    return date.fromisoformat(str(value).strip())


_STATUS = {s.label.lower(): s for s in Status}


def read_tracker(path: Path, shown_as: str, mapping: Mapping, terms: Terms) -> Reading:
    name, rows = _rows(path, shown_as, mapping.sheet)
    head = [str(v).strip() if v is not None else "" for v in (rows[0] if rows else [])]
    col = {c: head.index(h) for c, h in mapping.columns.items() if h in head}

    def where(r: int, c: int) -> Where:
        return Where(shown_as, name, r, c + 1) if name is not None else Where(shown_as, None, r, c + 1)

    out, problems = [], []
    for r, row in enumerate(rows[1:], start=2):
        val = {c: (row[i] if i < len(row) else None) for c, i in col.items()}
        if all(v in (None, "") for v in val.values()):
            continue
        status = _STATUS.get(str(val.get(Column.status) or "").strip().lower())
        day = _day(val.get(Column.update_date))
        text = lambda c: str(val[c]).strip() if val.get(c) not in (None, "") else None  # noqa: E731
        update = None
        if status is not None and day is not None:
            update = TrackerUpdate(day, status, text(Column.update) or "", where(r, col[Column.status]))
        out.append(TrackerRow(
            where=where(r, 0), action=text(Column.action) or "", lead=text(Column.lead) or "",
            due=_day(val.get(Column.due)), reference=text(Column.reference), theme=text(Column.theme),
            commitment=text(Column.commitment), original_due=_day(val.get(Column.original_due)), status=status,
            update=update, completed=_day(val.get(Column.completed)),
            answers=tuple((text(Column.answers) or "").replace(",", " ").replace(";", " ").split()),
            cells={c: where(r, i) for c, i in col.items()}))
    updates = []
    if name is not None:
        from openpyxl import load_workbook

        wb = load_workbook(path, data_only=True)
        if UPDATES_SHEET in wb.sheetnames:
            for r, (ref, day, rag, narrative, *_) in enumerate(wb[UPDATES_SHEET].iter_rows(min_row=2, values_only=True),
                                                               start=2):
                if ref is None:
                    continue
                updates.append(TrackerUpdate(_day(day), _STATUS[str(rag).lower()], narrative or "",
                                             Where(shown_as, UPDATES_SHEET, r, 1), reference=str(ref)))
    return Reading(tuple(out), tuple(updates), tuple(problems))
