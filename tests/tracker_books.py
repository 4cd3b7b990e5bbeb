"""Trackers built in the tests with openpyxl, as councils keep them: a workbook from rows, with a hook to style
it (fills, merges, notes), and the few things openpyxl cannot write itself (a formula's saved value)."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

HEADINGS = ["Ref", "Action", "Lead officer", "Target date", "RAG", "Progress update", "Date of update"]


def xlsx(tmp_path: Path, rows: Sequence[Sequence[Any]], *, name: str = "tracker.xlsx", title: str = "Plan",
         edit: Callable[[Workbook, Worksheet], None] | None = None) -> Path:
    """A workbook whose first sheet, `title`, holds `rows` from A1 down; `edit` styles it before saving."""
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(list(row))
    if edit:
        edit(wb, ws)
    path = tmp_path / name
    wb.save(path)
    return path


def with_saved_values(path: Path, values: dict[str, str], sheet: str = "xl/worksheets/sheet1.xml") -> None:
    """Give formula cells the values Excel saves beside them (openpyxl writes formulas with none)."""
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    xml = parts[sheet].decode()
    for ref, value in values.items():
        kind = "" if re.fullmatch(r"[\d.]+", value) else ' t="str"'
        xml, n = re.subn(rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v></v></c>',
                         rf'<c r="{ref}"\1{kind}><f>\2</f><v>{value}</v></c>', xml)
        assert n == 1, ref
    parts[sheet] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
