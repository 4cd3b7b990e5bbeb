"""STAND-IN for the wiring (branch `wire`): the export helper's generator/tracker_export.py replaces this file at
merge. A real .xlsx (openpyxl) and CSV text with the tracker's headings and one row per action."""

from __future__ import annotations

import csv
import io

from .render import SiteData
from .tracker import headings


def _rows(data: SiteData) -> list[list[str]]:
    head = list(headings(data.terms).values())
    rows = [[a.id, "", a.commitment, a.title, a.lead, a.target_date.isoformat(), "", a.status.value,
             a.latest.narrative if a.latest else "", "", "", ""] for a in data.plan.actions]
    return [head, *rows]


def tracker_xlsx(data: SiteData) -> bytes:
    """The tracker of one (edition, version) as an Excel workbook's bytes."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Plan"
    sheet.append([f"Tracker: {data.version.title}"])
    for row in _rows(data):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def tracker_csv(data: SiteData) -> str:
    """The tracker of one (edition, version) as CSV text."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(_rows(data))
    return out.getvalue()
