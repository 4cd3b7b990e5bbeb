"""STAND-IN for the wiring (branch `wire`): the report helper's generator/report.py replaces this file at merge.

A real .docx (python-docx) and a real tagged PDF (WeasyPrint) holding the reporting point's title and its actions,
so that the build, the CLI and the leak tests run through real files of the right type."""

from __future__ import annotations

import io
from datetime import datetime

from markupsafe import escape

from .render import SiteData

REPORT_FORMATS = ("docx", "pdf")


def _lines(data: SiteData) -> list[str]:
    out = []
    for a in data.plan.actions:
        latest = a.latest.narrative if a.latest else ""
        out.append(f"{a.id}: {a.title} ({a.status.value}) {latest}".strip())
    return out


def report_file(data: SiteData, fmt: str) -> bytes:
    """The progress report for one (edition, version) as a .docx or PDF file's bytes."""
    title = f"Progress report: {data.version.title}"
    if fmt == "docx":
        from docx import Document

        doc = Document()
        doc.core_properties.title = title
        made = datetime(data.version.date.year, data.version.date.month, data.version.date.day)
        doc.core_properties.created = doc.core_properties.modified = made
        doc.core_properties.last_printed = made
        doc.add_heading(title, level=1)
        doc.add_paragraph(data.edition.label)
        for line in _lines(data):
            doc.add_paragraph(line)
        buffer = io.BytesIO()
        doc.save(buffer)
        return buffer.getvalue()
    if fmt == "pdf":
        from weasyprint import HTML  # lazily: WeasyPrint needs Pango (generator/papers.py says so if it is missing)

        body = "".join(f"<p>{escape(line)}</p>" for line in _lines(data))
        html = (f'<!doctype html><html lang="en"><head><title>{escape(title)}</title></head><body>'
                f"<h1>{escape(title)}</h1><p>{escape(data.edition.label)}</p>{body}</body></html>")
        return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
    raise ValueError(f"no report format {fmt!r}")
