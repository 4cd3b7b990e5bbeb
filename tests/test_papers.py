"""The papers (issue 12) wired into the tool: `report` and `export-tracker` on the command line, the reports and the
tracker in each built site's downloads/, `build --no-reports` and the preview without them, the cache, and a missing
Pango said in words. What the papers hold is the report's and the export's own tests; these test the wiring, through
the real report_file / tracker_xlsx / tracker_csv."""

from __future__ import annotations

import builtins
import errno
import io
import os
import re
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest

from conftest import FIXTURES, build, copy_plan, publish_as, run_cli, usage_cli
from generator import build as build_module
from generator.cli import parser
from generator.papers import NO_PANGO, TRACKER_FORMATS
from generator.render import Download
from generator.report import REPORT_FORMATS
from generator.serve import Preview

V, TITLE = "2013-07-board", "Improvement Board, July 2013"
PAPERS = [f"report-{V}.docx", f"report-{V}.pdf", f"tracker-{V}.xlsx"]
DRAFT_NOTE = ('<p class="ip-papers-note">Each reporting point has its progress report and tracker here, made when it '
              "is published. For the working draft&#8217;s, to check before a meeting, run <code>improvement-plan "
              "report draft --edition staff</code> (and <code>export-tracker draft --edition staff</code>).</p>")
NOTE = '<p class="ip-papers-note">Reports are made by the full build (improvement-plan build).</p>'


def published(path: Path) -> Path:
    root = copy_plan(FIXTURES / "minimal", path)
    publish_as(root, V, TITLE, date(2013, 7, 1))
    return root


@pytest.fixture(scope="module")
def plan_root(tmp_path_factory) -> Path:
    return published(tmp_path_factory.mktemp("papers") / "plan")


@pytest.fixture(scope="module")
def site(plan_root) -> Path:
    return build(plan_root, workers=2, reports=True)


run, usage = run_cli, usage_cli


def is_docx(data: bytes) -> bool:
    from docx import Document

    return zipfile.is_zipfile(io.BytesIO(data)) and Document(io.BytesIO(data)).paragraphs is not None


def is_pdf(data: bytes) -> bool:
    from pypdf import PdfReader

    return data.startswith(b"%PDF-") and len(PdfReader(io.BytesIO(data)).pages) >= 1


def is_xlsx(data: bytes) -> bool:
    from openpyxl import load_workbook

    return len(load_workbook(io.BytesIO(data)).sheetnames) >= 1


KIND = {"docx": is_docx, "pdf": is_pdf, "xlsx": is_xlsx}


def kb(path: Path) -> str:
    return f"{max(1, -(-path.stat().st_size // 1024)):,} KB"


# --- the build -------------------------------------------------------------------------------------


@pytest.mark.parametrize("edition,vid", [("public", V), ("staff", V)])
def test_each_built_site_has_its_reports_and_tracker_of_the_right_type(site, edition, vid):
    folder = site / edition / vid / "downloads"
    papers = sorted(p.name for p in folder.iterdir() if p.name.startswith(("report-", "tracker-")))
    assert papers == [f"report-{vid}.docx", f"report-{vid}.pdf", f"tracker-{vid}.xlsx"]
    for name in papers:
        assert KIND[name.rsplit(".", 1)[1]]((folder / name).read_bytes()), name
    assert not (folder / f"tracker-{vid}.csv").exists()  # actions.csv is the CSV


def test_the_draft_has_no_papers_and_says_how_to_make_them(site):
    """The draft is rebuilt on every build and preview, and its PDF is the slowest thing a build could make."""
    folder = site / "staff" / "draft" / "downloads"
    assert [p.name for p in folder.iterdir() if p.name.startswith(("report-", "tracker-"))] == []
    html = (folder / "index.html").read_text(encoding="utf-8")
    assert DRAFT_NOTE in html and NOTE not in html and 'class="ip-papers"' not in html


def test_the_latest_alias_has_the_papers_of_its_point(site):
    for name in PAPERS:
        assert (site / "public/latest/downloads" / name).read_bytes() == (site / "public" / V / "downloads" / name).read_bytes()


@pytest.mark.parametrize("edition", ["public", "staff"])
def test_the_downloads_page_lists_the_papers_first_with_type_and_size(site, edition):
    folder = site / edition / V / "downloads"
    html = (folder / "index.html").read_text(encoding="utf-8")
    items = [f'<li><a href="report-{V}.docx">Progress report for {TITLE} (Word)</a>, {kb(folder / PAPERS[0])}: to add '
             "to or restyle before filing</li>",
             f'<li><a href="report-{V}.pdf">Progress report for {TITLE} (PDF)</a>, {kb(folder / PAPERS[1])}: ready to '
             "file with a meeting\u2019s papers</li>",
             f'<li><a href="tracker-{V}.xlsx">Tracker (Excel)</a>, {kb(folder / PAPERS[2])}: one row per action, with '
             "its status and latest update</li>"]
    assert f'<ul class="ip-papers">\n{items[0]}\n{items[1]}\n{items[2]}\n</ul>' in html
    assert html.index('class="ip-papers"') < html.index('<h2 id="data">Data files</h2>') < html.index('class="ip-downloads"')
    staff_note = ("<p>These are the staff edition&#8217;s report and tracker: they include staff-only content. The public "
                  "edition has its own, to file with a public agenda.</p>")
    assert (staff_note in html) == (edition == "staff")
    assert NOTE not in html


def test_a_download_size_counts_the_bytes_of_a_binary_file():
    assert Download("a.pdf", None, "PDF", "", b"x" * 1025).size == "2 KB"
    assert Download("a.csv", "b.csv", "CSV", "", "\u00e9" * 512).size == "1 KB"  # UTF-8: 1,024 bytes


def test_no_reports_builds_without_them_and_says_where_they_come_from(plan_root, tmp_path, capsys):
    out = tmp_path / "quick"
    assert run(capsys, "build", "--root", str(plan_root), "--out", str(out), "--no-reports", "--jobs", "1")[0] == 0
    for edition, vid in (("public", V), ("staff", V), ("staff", "draft")):
        folder = out / edition / vid / "downloads"
        assert [p.name for p in folder.iterdir() if p.name.startswith(("report-", "tracker-"))] == []
        html = (folder / "index.html").read_text(encoding="utf-8")
        assert (DRAFT_NOTE if vid == "draft" else NOTE) in html and 'class="ip-papers"' not in html


def test_a_site_built_without_reports_is_never_reused_by_a_full_build(plan_root, tmp_path):
    out = tmp_path / "site"
    _, quick = build_module.build_sites(plan_root, out, workers=1, reports=False)
    assert (quick["built"], quick["kept"], quick["cached"]) == (3, 0, 0)
    _, full = build_module.build_sites(plan_root, out, workers=1)
    assert (full["built"], full["kept"], full["cached"]) == (3, 0, 0)
    assert (out / "public" / V / "downloads" / PAPERS[1]).is_file()
    _, again = build_module.build_sites(plan_root, out, workers=1)
    assert (again["built"], again["kept"], again["cached"]) == (1, 2, 0)  # the draft is always built
    assert (out / "public" / V / "downloads" / PAPERS[1]).is_file()  # the reports are part of the kept site
    _, back = build_module.build_sites(plan_root, out, workers=1, reports=False)
    assert (back["built"], back["kept"], back["cached"]) == (3, 0, 0)  # nor the other way round
    assert not (out / "public" / V / "downloads" / PAPERS[1]).exists()


def test_the_report_code_and_its_templates_key_the_cache(tmp_path, monkeypatch):
    package = tmp_path / "generator"
    shutil.copytree(build_module.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(build_module, "PACKAGE", package)
    before = build_module._source_hash(tmp_path)
    for changed in (package / "report.py", package / "tracker_export.py", package / "templates/report/new.css"):
        changed.parent.mkdir(parents=True, exist_ok=True)
        with changed.open("a", encoding="utf-8") as f:
            f.write("\n/* changed */\n")
        after = build_module._source_hash(tmp_path)
        assert after != before, changed
        before = after


def test_the_libraries_that_write_the_papers_key_the_cache():
    assert {"python-docx", "weasyprint", "cairosvg", "openpyxl"} <= set(build_module.ENGINE)


def test_the_preview_makes_no_reports(plan_root, tmp_path):
    preview = Preview(plan_root, tmp_path / "preview")
    preview.rebuild()
    folder = preview.live.site / "downloads"  # where the preview keeps the draft built
    assert DRAFT_NOTE in (folder / "index.html").read_text(encoding="utf-8")
    assert not (folder / "report-draft.pdf").exists()


# --- a missing Pango -------------------------------------------------------------------------------


@pytest.fixture
def no_pango(monkeypatch):
    """WeasyPrint's import as it fails on a machine without Pango: cffi cannot load the library (OSError)."""
    real = builtins.__import__

    def fake(name, *args, **kwargs):
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise OSError("cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object file: No "
                          "such file or directory")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake)


def test_a_pdf_report_without_pango_says_what_to_install(plan_root, tmp_path, capsys, monkeypatch, no_pango):
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "report", "--root", str(plan_root), "--format", "pdf") == (1, "", f"nothing written: {NO_PANGO}\n")
    assert list(tmp_path.iterdir()) == []
    assert NO_PANGO == ("the PDF report needs the Pango library (Debian/Ubuntu: apt install libpango-1.0-0 "
                        "libpangoft2-1.0-0); build with --no-reports to skip reports")


def test_a_build_without_pango_stops_with_the_same_words_and_no_reports_still_builds(plan_root, tmp_path, capsys,
                                                                                       no_pango):
    out = tmp_path / "site"
    code, stdout, err = run(capsys, "build", "--root", str(plan_root), "--out", str(out), "--jobs", "1")
    assert (code, stdout, err) == (1, "", f"build stopped: {NO_PANGO}\n")
    assert not (out / "current").exists()
    assert run(capsys, "build", "--root", str(plan_root), "--out", str(out), "--jobs", "1", "--no-reports")[0] == 0


def test_a_word_report_needs_no_pango(plan_root, tmp_path, capsys, monkeypatch, no_pango):
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "report", "--root", str(plan_root), "--format", "docx")[0] == 0


# --- the command line ------------------------------------------------------------------------------


def test_the_formats_offered_are_the_papers_own():
    commands = parser()._subparsers._group_actions[0].choices
    formats = {name: next(a.choices for a in commands[name]._actions if a.dest == "format")
               for name in ("report", "export-tracker")}
    assert formats == {"report": list(REPORT_FORMATS), "export-tracker": list(TRACKER_FORMATS)}


@pytest.mark.parametrize("argv,name,what,edition,vid,kind", [
    (["report", "--format", "docx"], f"report-{V}-public.docx", "the progress report", "public", V, "docx"),
    (["report", "latest", "--format", "pdf", "--edition", "staff"], f"report-{V}-staff.pdf", "the progress report",
     "staff", V, "pdf"),
    (["report", "draft", "--edition", "staff", "--out", "board.PDF"], "board.PDF", "the progress report", "staff",
     "draft", "pdf"),
    (["export-tracker", V, "--format", "xlsx"], f"tracker-{V}-public.xlsx", "the tracker", "public", V, "xlsx"),
    (["export-tracker", "--out", "t.csv", "--edition", "staff"], "t.csv", "the tracker", "staff", V, "csv"),
])
def test_a_paper_is_written_and_said_in_one_line(plan_root, tmp_path, capsys, monkeypatch, argv, name, what, edition,
                                                  vid, kind):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, *argv, "--root", str(plan_root))
    written = tmp_path / name
    title = TITLE if vid == V else "Draft: not yet reported"
    assert (code, out, err) == (0, f"wrote {name} ({kb(written)}): {what} for {title} ({vid}), {edition} edition\n", "")
    assert [p.name for p in tmp_path.iterdir()] == [name]  # no temporary file left beside it
    data = written.read_bytes()
    if kind == "csv":
        assert data.decode("utf-8").startswith("Reference,")
    else:
        assert KIND[kind](data)
    assert written.stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.mark.parametrize("argv,message", [
    (["report"], "nothing written: no --out file is given: give --format docx|pdf"),
    (["report", "--out", "board.txt"], "nothing written: --out 'board.txt' does not end in .docx or .pdf: give "
                                       "--format docx|pdf"),
    (["report", "--out", "board.docx", "--format", "pdf"], "nothing written: --out 'board.docx' ends in .docx but "
                                                           "--format is pdf: make them agree"),
    (["export-tracker", "--out", "t.csv", "--format", "xlsx"], "nothing written: --out 't.csv' ends in .csv but "
                                                               "--format is xlsx: make them agree"),
    (["report", "draft", "--format", "pdf"], "nothing written: the public edition has no draft: give a published "
                                             f"point ({V}), or --edition staff for the draft"),
    (["report", "--out", ".", "--format", "pdf"], "nothing written: --out '.' is a folder: give a file's name, such as "
                                                  "report.pdf"),
])
def test_usage_errors_exit_2_and_write_nothing(plan_root, tmp_path, capsys, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    assert run(capsys, *argv, "--root", str(plan_root)) == (2, "", message + "\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("argv,message", [
    (["report", "--format", "docs"], "improvement-plan report: error: argument --format: invalid choice: 'docs' "
                                     "(choose from 'docx', 'pdf')"),
    (["export-tracker", "--edition", "board"], "improvement-plan export-tracker: error: argument --edition: invalid "
                                               "choice: 'board' (choose from 'public', 'staff')"),
])
def test_argparse_refusals_exit_2(plan_root, capsys, argv, message):
    assert usage(capsys, *argv, "--root", str(plan_root)) == (2, message)


def test_an_unknown_point_exits_1(plan_root, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "report", "2099-board", "--format", "pdf", "--edition", "staff", "--root", str(plan_root)) == (
        1, "", f"nothing written: there is no reporting point '2099-board' (published: {V}; or draft)\n")


def test_a_plan_with_errors_exits_1(tmp_path, capsys, monkeypatch):
    root = copy_plan(FIXTURES / "minimal", tmp_path / "plan")
    (root / "plan.yaml").write_text((root / "plan.yaml").read_text().replace("target_date: 2013-09-30",
                                                                             "target_date: 2013-09-31"))
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "export-tracker", "draft", "--edition", "staff", "--format", "csv", "--root", str(root))
    assert (code, out) == (1, "")
    assert err.splitlines()[-1] == "nothing written: the plan has 1 error: fix it first (improvement-plan validate)"
    assert re.match(r"plan\.yaml:\d+:\d+: error S105: ", err)


def test_a_failed_write_leaves_no_half_file_and_keeps_the_old_one(plan_root, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "board.pdf").write_bytes(b"the paper filed last month")

    def full(_fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    assert run(capsys, "report", "--out", "board.pdf", "--root", str(plan_root)) == (
        1, "", "nothing written: cannot write board.pdf: No space left on device\n")
    assert [p.name for p in tmp_path.iterdir()] == ["board.pdf"]
    assert (tmp_path / "board.pdf").read_bytes() == b"the paper filed last month"


def test_a_run_killed_while_writing_leaves_no_file(plan_root, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)

    def killed(_fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", killed)
    assert run(capsys, "export-tracker", "--out", "t.xlsx", "--root", str(plan_root)) == (130, "", "stopped (Ctrl+C)\n")
    assert list(tmp_path.iterdir()) == []


def test_an_out_in_a_folder_that_does_not_exist_is_said_in_words(plan_root, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "report", "--out", "papers/board.docx", "--root", str(plan_root)) == (
        1, "", "nothing written: cannot write papers/board.docx: No such file or directory\n")


def test_a_zip_paper_is_dated_by_its_point_whenever_it_is_made():
    """python-docx and openpyxl date each zip member with the time of writing; two builds must be byte-identical."""
    from datetime import date

    from generator.files import dated_zip

    def steady_zip(raw: bytes) -> bytes:
        return dated_zip(raw, date(2013, 7, 26))

    def made(when: tuple) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for name, body in (("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w:document/>")):
                z.writestr(zipfile.ZipInfo(name, date_time=when), body)
        return out.getvalue()

    early, late = made((2013, 7, 1, 9, 0, 0)), made((2026, 11, 23, 10, 0, 2))
    assert early != late and steady_zip(early) == steady_zip(late)
    with zipfile.ZipFile(io.BytesIO(steady_zip(late))) as z:
        assert [(i.filename, i.date_time, z.read(i)) for i in z.infolist()] == [
            ("[Content_Types].xml", (2013, 7, 26, 0, 0, 0), b"<Types/>"),
            ("word/document.xml", (2013, 7, 26, 0, 0, 0), b"<w:document/>")]
