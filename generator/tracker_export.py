"""STAND-IN for the wiring (branch `wire`): the export helper's generator/tracker_export.py replaces this file at
merge. A real .xlsx (openpyxl) and CSV text with the tracker's headings and one row per action."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import datetime

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
    made = datetime(data.version.date.year, data.version.date.month, data.version.date.day)
    book.properties.created = book.properties.modified = made
    sheet = book.active
    sheet.title = "Plan"
    sheet.append([f"Tracker: {data.version.title}"])
    for row in _rows(data):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    # openpyxl stamps `modified` with the time of saving: the point's date instead, so two builds are identical.
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dest:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + made.strftime("%Y-%m-%dT%H:%M:%SZ").encode(),
                              body)
            dest.writestr(info, body)
    return out.getvalue()


def tracker_csv(data: SiteData) -> str:
    """The tracker of one (edition, version) as CSV text."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(_rows(data))
    return out.getvalue()
