"""How long the papers take: the progress report (generator/report.py report_file) in both formats, and the
tracker out (tracker_export.tracker_xlsx) and back in (import-tracker into a fresh plan, as a council adopting the
tool would: propose a mapping, read, work out and write the items, validate).

Prints one table: wall time of report_file by time.perf_counter (the SiteData made beforehand, as the CLI makes it
once), the pages (pypdf for the PDF; Word counts its own, so "–" for .docx) and the bytes, for

  the repository's own sample plan: the staff draft and the public edition's latest reporting point
  a 1,000-action synthetic plan (benchmarks/synthetic.py), published once: the staff draft and the public point

Runs in one process, one paper after another. Takes a few minutes on 2 cores.
"""

from __future__ import annotations

import io
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(REPO), str(HERE), str(REPO / "tests")]

from conftest import fresh_plan  # noqa: E402  (init's plan without its starter items)
from synthetic import make_plan  # noqa: E402

from generator.build import site_data  # noqa: E402
from generator.diagnostics import has_errors  # noqa: E402
from generator.report import REPORT_FORMATS, report_file  # noqa: E402
from generator.validate import validate  # noqa: E402
from generator.versions import publish  # noqa: E402
from generator.tracker_export import tracker_xlsx  # noqa: E402
from generator.tracker_import import plan_import, write_outcome  # noqa: E402
from generator.tracker_read import propose_mapping, read_tracker  # noqa: E402

SAMPLE_PARTS = ("plan.yaml", "plan", "content", "mkdocs.yml", "docs_theme")


def pages(raw: bytes, fmt: str) -> str:
    if fmt != "pdf":
        return "–"
    import pypdf

    return str(len(pypdf.PdfReader(io.BytesIO(raw)).pages))




def tracker_round(data, tmp: Path, label: str) -> list[tuple]:
    """Export the tracker, then import it into a fresh plan: (label, step, seconds, rows, bytes) each."""
    t = time.perf_counter()
    raw = tracker_xlsx(data)
    out = [(label, "export-tracker xlsx", time.perf_counter() - t, len(data.plan.actions), len(raw))]
    book = tmp / f"tracker-{label.replace(',', '').replace(' ', '-')}.xlsx"
    book.write_bytes(raw)
    root = fresh_plan(tmp / f"fresh-{book.stem}")
    t = time.perf_counter()
    plan, diags = validate(root)
    assert plan.info is not None and not has_errors(diags)
    mapping = propose_mapping(book, book.name, None, plan.info.terms)
    reading = read_tracker(book, book.name, mapping, plan.info.terms)
    outcome = plan_import(root, plan, reading, book.name)
    write_outcome(root, outcome)
    out.append((label, "import-tracker (fresh plan)", time.perf_counter() - t, len(reading.rows),
                sum(len(new.encode()) for _, new in outcome.texts.values())))
    return out


def main() -> None:
    rows, trackers = [], []
    with tempfile.TemporaryDirectory(prefix="report-bench-") as tmp_name:
        tmp = Path(tmp_name)
        sample = tmp / "sample"
        sample.mkdir()
        for name in SAMPLE_PARTS:
            src = REPO / name
            (shutil.copytree if src.is_dir() else shutil.copy2)(src, sample / name)
        big = make_plan(tmp / "synthetic", 1000)
        plan, diags = validate(big)
        assert not has_errors(diags)
        publish(big, plan, f"{plan.info.as_at:%Y-%m}-board", f"Improvement Board, {plan.info.as_at:%B %Y}",
                plan.info.as_at)
        for label, root in (("sample", sample), ("1,000 actions", big)):
            for edition, version in (("staff", "draft"), ("public", None)):
                data = site_data(root, edition, version)
                for fmt in REPORT_FORMATS:
                    t = time.perf_counter()
                    raw = report_file(data, fmt)
                    rows.append((label, f"{edition} {data.version.id}", fmt, time.perf_counter() - t,
                                 pages(raw, fmt), len(raw)))
            trackers += tracker_round(site_data(root, "staff", "draft"), tmp, label)
    print(f"{'plan':<14} {'report':<26} {'format':<6} {'seconds':>8} {'pages':>6} {'bytes':>11}")
    for label, which, fmt, seconds, n, size in rows:
        print(f"{label:<14} {which:<26} {fmt:<6} {seconds:>8.2f} {n:>6} {size:>11,}")
    print()
    print(f"{'plan':<14} {'tracker (staff draft)':<33} {'seconds':>8} {'rows':>6} {'bytes':>11}")
    for label, step, seconds, n, size in trackers:
        print(f"{label:<14} {step:<33} {seconds:>8.2f} {n:>6} {size:>11,}")


if __name__ == "__main__":
    main()
