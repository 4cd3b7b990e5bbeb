"""The papers made from one (edition, version): the progress report (Word, PDF) and the tracker (Excel), for the
downloads page and the command line (`report`, `export-tracker`). Both go through here, from the same SiteData
the site is rendered from, so a paper cannot say other than the site, nor the public one hold staff content.

WeasyPrint needs Debian's Pango at import: a machine without it gets one line saying what to install, not a
traceback (`pdf_engine`)."""

from __future__ import annotations

from .errors import GeneratorError
from .render import Download, SiteData

REPORT_KINDS = {"docx": "Word", "pdf": "PDF"}
REPORT_HOLDS = {"docx": "to add to or restyle before filing", "pdf": "ready to file with a meeting\u2019s papers"}
TRACKER_FORMATS = ("xlsx", "csv")
NO_PANGO = ("the PDF report needs the Pango library (Debian/Ubuntu: apt install libpango-1.0-0 libpangoft2-1.0-0); "
            "build with --no-reports to skip reports")


def pdf_engine() -> None:
    """Import WeasyPrint here first: without Pango its import raises OSError (cffi cannot load the library)."""
    try:
        import weasyprint  # noqa: F401
    except OSError:
        raise GeneratorError(NO_PANGO) from None



def report_bytes(data: SiteData, fmt: str) -> bytes:
    """The progress report of one (edition, version) as a .docx or PDF file."""
    if fmt == "pdf":
        pdf_engine()
    from .report import report_file

    return report_file(data, fmt)


def tracker_bytes(data: SiteData, fmt: str) -> bytes:
    """The tracker of one (edition, version) as an .xlsx file, or CSV (UTF-8)."""
    from .tracker_export import tracker_csv, tracker_xlsx

    return tracker_xlsx(data) if fmt == "xlsx" else tracker_csv(data).encode("utf-8")


def paper_files(data: SiteData) -> list[Download]:
    """The downloads page's papers, in its order: the report in Word and PDF, then the tracker in Excel."""
    from .report import REPORT_FORMATS

    vid = data.version.id
    title = f"Progress report for {data.version.title}"
    # The type is in the link's words, so that the two reports' links differ in a screen reader's list of links.
    out = [Download(f"downloads/report-{vid}.{fmt}", None, REPORT_KINDS[fmt], REPORT_HOLDS[fmt],
                    report_bytes(data, fmt), f"{title} ({REPORT_KINDS[fmt]})") for fmt in REPORT_FORMATS]
    out.append(Download(f"downloads/tracker-{vid}.xlsx", None, "Excel",
                        "one row per action, with its status and latest update", tracker_bytes(data, "xlsx"),
                        "Tracker (Excel)"))
    return out
