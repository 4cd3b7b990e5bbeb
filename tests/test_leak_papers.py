"""Security property, for the papers (issue 12): no staff-only text reaches a public report or tracker.

tests/test_leak.py reads every public file's bytes; a .docx or .xlsx is a zip and a PDF keeps its text in compressed
streams and often as UTF-16, where a plain byte search finds nothing. So here every public paper is opened: every
part of the zip (document, headers, footers, core.xml, alt text, shared strings), and for a PDF the text of every
page, every string of every object (metadata, alt text, the structure tree) and every stream decompressed. Through
the real report_file and tracker_xlsx, in the built sites and from the command line; and the staff papers do hold
the canaries, so that the test can fail.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from datetime import date
from pathlib import Path

import pytest

from conftest import FIXTURES, build, copy_plan, publish_as
from generator.cli import main
from test_leak import CANARY

POINTS = [("2013-07-board", "Improvement Board, July 2013", date(2013, 7, 1))]
STAFF_CANARY = "canary-staff-action-title"  # a staff-only action: every report and tracker lists the actions


def pdf_texts(data: bytes) -> list[bytes]:
    """Everything a PDF holds as text: each page's text, each string of each object reachable from the trailer, each
    stream decompressed, and the raw bytes with every Flate stream inflated (for anything not reachable)."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject, TextStringObject

    reader = PdfReader(io.BytesIO(data))
    out = [(page.extract_text() or "").encode("utf-8") for page in reader.pages]
    seen: set[tuple[int, int]] = set()

    def walk(obj) -> None:
        if isinstance(obj, IndirectObject):
            if (obj.idnum, obj.generation) in seen:
                return
            seen.add((obj.idnum, obj.generation))
            obj = obj.get_object()
        if isinstance(obj, TextStringObject):
            out.append(str(obj).encode("utf-8"))
        elif isinstance(obj, StreamObject):
            out.append(obj.get_data())
            for value in obj.values():
                walk(value)
        elif isinstance(obj, DictionaryObject):
            for value in obj.values():
                walk(value)
        elif isinstance(obj, ArrayObject):
            for value in obj:
                walk(value)

    walk(reader.trailer)
    out.append(data)
    for m in re.finditer(rb"stream\r?\n", data):
        try:
            out.append(zlib.decompressobj().decompress(data[m.end():]))
        except zlib.error:
            pass
    return out


def zip_texts(data: bytes) -> list[bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [z.read(name) for name in z.namelist()]


def paper_canaries(name: str, data: bytes) -> set[str]:
    """The canaries in one paper, read as its kind holds text; any other file's bytes as they are."""
    suffix = name.rsplit(".", 1)[-1].lower()
    texts = pdf_texts(data) if suffix == "pdf" else zip_texts(data) if suffix in ("docx", "xlsx") else [data]
    return {m.decode().lower() for t in texts for m in CANARY.findall(t)}


@pytest.fixture(scope="module")
def leak_root(tmp_path_factory) -> Path:
    root = copy_plan(FIXTURES / "leak", tmp_path_factory.mktemp("leak-papers") / "plan")
    for vid, title, day in POINTS:
        publish_as(root, vid, title, day)
    return root


@pytest.fixture(scope="module")
def leak_site(leak_root) -> Path:
    return build(leak_root, workers=2, reports=True)


def papers_in(tree: Path) -> dict[str, bytes]:
    found = {p.relative_to(tree).as_posix(): p.read_bytes() for p in tree.rglob("*")
             if p.is_file() and p.suffix in (".docx", ".pdf", ".xlsx")}
    return found


def test_the_pdf_reader_finds_text_a_byte_search_does_not():
    """The PDF reading is real: WeasyPrint compresses its text, so the raw bytes do not hold a canary it shows."""
    from weasyprint import HTML

    pdf = HTML(string='<html lang="en"><title>canary-in-title</title><p>canary-in-text</p>'
                      '<img alt="canary-in-alt" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">').write_pdf(
        pdf_variant="pdf/ua-1")
    assert not CANARY.search(pdf)
    assert paper_canaries("x.pdf", pdf) >= {"canary-in-title", "canary-in-text", "canary-in-alt"}


def test_every_public_site_has_its_papers(leak_site):
    names = sorted(papers_in(leak_site / "public"))
    assert names == sorted(f"{v}/downloads/{p}" for v in ("2013-07-board", "latest")
                           for p in ("report-2013-07-board.docx", "report-2013-07-board.pdf",
                                     "tracker-2013-07-board.xlsx"))


def test_no_canary_in_any_public_paper(leak_site):
    leaked = {name: found for name, data in papers_in(leak_site / "public").items()
              if (found := paper_canaries(name, data))}
    assert leaked == {}, leaked


def test_every_staff_paper_holds_the_staff_canary(leak_site):
    papers = papers_in(leak_site / "staff")
    assert len(papers) == 6  # 2013-07-board and latest (the draft has none): report in Word and PDF, tracker
    missing = [name for name, data in papers.items() if STAFF_CANARY not in paper_canaries(name, data)]
    assert missing == []


@pytest.mark.parametrize("argv,out", [(["report", "--format", "docx"], "report.docx"),
                                      (["report", "--format", "pdf"], "report.pdf"),
                                      (["export-tracker", "--format", "xlsx"], "tracker.xlsx"),
                                      (["export-tracker", "--format", "csv"], "tracker.csv")])
def test_the_command_line_papers_of_the_public_edition_hold_no_canary(leak_root, tmp_path, capsys, argv, out):
    for vid, _, _ in POINTS:
        for edition in ("public", "staff"):
            target = tmp_path / f"{edition}-{vid}-{out}"
            assert main([*argv, vid, "--edition", edition, "--out", str(target), "--root", str(leak_root)]) == 0
            found = paper_canaries(out, target.read_bytes())
            if edition == "public":
                assert found == set(), (vid, out, found)
            else:
                assert STAFF_CANARY in found, (vid, out, found)
    capsys.readouterr()
