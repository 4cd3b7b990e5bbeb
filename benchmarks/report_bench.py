"""How long the progress report takes (generator/report.py report_file), in both formats.

Prints one table: wall time of report_file by time.perf_counter (the SiteData made beforehand, as the CLI makes it
once), the pages (pypdf for the PDF; Word counts its own, so "–" for .docx) and the bytes, for

  the repository's own sample plan: the staff draft and the public edition's latest reporting point
  a 1,000-action synthetic plan (benchmarks/synthetic.py), published once: the staff draft and the public point

Runs in one process, one report after another. Takes about a minute on 2 cores.
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
sys.path[:0] = [str(REPO), str(HERE)]

from synthetic import make_plan  # noqa: E402

from generator.build import site_data  # noqa: E402
from generator.diagnostics import has_errors  # noqa: E402
from generator.report import REPORT_FORMATS, report_file  # noqa: E402
from generator.validate import validate  # noqa: E402
from generator.versions import publish  # noqa: E402

SAMPLE_PARTS = ("plan.yaml", "plan", "content", "mkdocs.yml", "docs_theme")


def pages(raw: bytes, fmt: str) -> str:
    if fmt != "pdf":
        return "–"
    import pypdf

    return str(len(pypdf.PdfReader(io.BytesIO(raw)).pages))


def main() -> None:
    rows = []
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
    print(f"{'plan':<14} {'report':<26} {'format':<6} {'seconds':>8} {'pages':>6} {'bytes':>11}")
    for label, which, fmt, seconds, n, size in rows:
        print(f"{label:<14} {which:<26} {fmt:<6} {seconds:>8.2f} {n:>6} {size:>11,}")


if __name__ == "__main__":
    main()
