"""The progress report (issue 12, part 1): each .docx opened with python-docx and each PDF with pypdf, asserting
their structure (heading order, tables with repeating header rows and captions, charts with alternative text,
tags, title, language) and content (the point's title and date, every exception with its narrative); staff-only
canaries in no public report; editors' hostile text printed as text, and nothing fetched."""

from __future__ import annotations

import http.server
import io
import re
import threading
import zipfile
from datetime import date
from pathlib import Path

import docx
import pypdf
import pytest
from docx.oxml.ns import qn

from conftest import FIXTURES, copy_plan, copy_sample, publish_as, commit_and_correct
from generator import charts
from generator.build import site_data
from generator.report import REPORT_FORMATS, Figure, Heading, Paragraph, build_report, line, report_file
from generator.report_pdf import html_pdf

SAMPLE_EXCEPTIONS = ["A1.3", "A3.11", "A1.7", "A1.5", "A2.2", "A2.3", "A3.5", "A3.7", "A3.9"]
CANARY = re.compile(r"canary-[a-z0-9-]+", re.I)
# The staff-only content the report shows: each is in the staff report and in no public one.
REPORTED_CANARIES = {"canary-staff-action-title", "canary-staff-action-narrative", "canary-update-internal-note",
                     "canary-action-under-staff-commitment", "canary-staff-commitment-statement",
                     "canary-staff-theme-title", "canary-commitment-under-staff-theme", "canary-risk-title",
                     "canary-risk-description", "canary-risk-mitigation", "canary-staff-recommendation-text",
                     "canary-staff-source-title", "canary-staff-measure-name", "canary-staff-measure-note",
                     "canary-staff-document-title", "canary-staff-role-title"}


VISIT = """\
  timeline:
    - date: 2013-06-15
      event: Ofsted monitoring visit.
      kind: monitoring_visit
      document: DOC-STAFF
      audience: staff
"""


# --- reading the files back ----------------------------------------------------------------------------------


def docx_parts(data: bytes) -> str:
    """Every XML part of a .docx (body, headers, footers, core properties, alt text) as one text."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "\n".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xml", ".rels")))


def pdf_everything(reader: pypdf.PdfReader) -> str:
    """A PDF's page text, metadata and every decoded object (structure tree, /Alt, XMP) as one text."""
    out = [p.extract_text().replace("-\n", "-") for p in reader.pages] + [str(reader.metadata)]
    for num in range(1, int(reader.trailer["/Size"])):
        try:
            obj = reader.get_object(num)
        except Exception:  # a free entry of the xref table
            continue
        out.append(obj.get_data().decode("latin-1") if isinstance(obj, pypdf.generic.StreamObject) else str(obj))
    return "\n".join(out)


def pdf_text(reader: pypdf.PdfReader) -> str:
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def struct(reader: pypdf.PdfReader) -> list[tuple[str, str | None]]:
    """The structure tree in reading order: (type, alt text) of every element."""
    out: list[tuple[str, str | None]] = []

    def walk(node) -> None:
        node = node.get_object()
        if isinstance(node, pypdf.generic.ArrayObject):
            for kid in node:
                walk(kid)
        elif isinstance(node, pypdf.generic.DictionaryObject):
            if "/S" in node:
                out.append((str(node["/S"]), str(node["/Alt"]) if "/Alt" in node else None))
            if "/K" in node:
                walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return out


def docx_headings(d: docx.Document) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in d.paragraphs
            if p.style.name == "Title" or p.style.name.startswith("Heading")]


def row_text(row) -> str:
    return " ".join(" ".join(c.text.split()) for c in row.cells)


# --- the reports, made once per module ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    return copy_sample(tmp_path_factory.mktemp("report") / "plan")


@pytest.fixture(scope="module")
def made(sample):
    """(edition) -> (SiteData, Report, docx bytes, pdf bytes) for the sample: the staff draft, the public latest."""
    out = {}
    for edition, version in (("staff", "draft"), ("public", None)):
        data = site_data(sample, edition, version)
        out[edition] = (data, build_report(data), report_file(data, "docx"), report_file(data, "pdf"))
    return out


def test_report_formats():
    assert REPORT_FORMATS == ("docx", "pdf")


@pytest.mark.parametrize("edition", ["staff", "public"])
def test_word_structure(made, edition):
    data, report, raw, _ = made[edition]
    d = docx.Document(io.BytesIO(raw))
    heads = docx_headings(d)
    assert heads[0] == ("Title", "Children's Services Strategic Improvement Plan")
    levels = [0 if s == "Title" else int(s.split()[-1]) for s, _ in heads]
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), "a heading level is skipped"
    top = [t for s, t in heads if s == "Heading 1"]
    staff_only = ["Risk register (staff only)", "Evidence gaps (staff only)"] if edition == "staff" else []
    since = {"staff": "Scrutiny panel, July 2013", "public": "DfE six-month review, June 2013"}[edition]
    assert top == ["Summary", "Exceptions", "Recommendations by source", "Headline measures",
                   f"What changed since {since}", *staff_only, "Appendix: actions by theme"]
    for table in d.tables:
        assert table.style.name == "Table Grid"
        tr_pr = table.rows[0]._tr.trPr
        assert tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None
        before = table._tbl.getprevious()
        assert before.tag == qn("w:p") and before.find(qn("w:pPr")).find(qn("w:pStyle")).get(qn("w:val")) == "Caption"
    alts = [s._inline.docPr.get("descr") for s in d.inline_shapes]
    figures = [b for b in report.blocks if isinstance(b, Figure)]
    assert alts == [f.alt for f in figures] and len(alts) == 5
    first = next(m for m in data.plan.measures if m.headline)
    assert alts[0] == f"{first.name}. {charts.description(first)}."
    assert alts[0] == ("Time from contact to referral. From 32 days in March 2013 to 6.2 days in April 2013, over 2 "
                       "readings; lower is better; target 1 day.")
    props = d.core_properties
    assert (props.title, props.author, props.language) == (report.title, "Walsall Council", "en-GB")
    lang = d.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang"))
    assert lang.get(qn("w:val")) == "en-GB"
    section = d.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert section.header.paragraphs[0].text == report.header
    footer = section.footer.paragraphs[0]._p.xml
    assert 'w:instr="PAGE"' in footer and 'w:instr="NUMPAGES"' in footer
    assert not [p for p in d.paragraphs if not p.text.strip() and not p._p.xpath(".//w:drawing")], "empty paragraph"


def test_word_content(made):
    _, report, raw, _ = made["public"]
    d = docx.Document(io.BytesIO(raw))
    cover = [p.text for p in d.paragraphs[:8]]
    assert cover[:5] == ["Walsall Council", "Children's Services Strategic Improvement Plan", "Progress report",
                         "Scrutiny panel, July 2013, 17 July 2013", "Public edition"]
    assert report.header == "Walsall Council · Public edition"
    assert "Draft" not in docx_parts(raw)
    table = next(t for t in d.tables if t.rows[0].cells[-1].text == "Latest update")
    assert [r.cells[0].text.split("\n")[0] for r in table.rows[1:]] == SAMPLE_EXCEPTIONS
    assert row_text(table.rows[1]) == (
        "A1.3 Recruit a permanent Safeguarding Children Board manager. T1: Improving the quality of partnerships and "
        "governance Independent Chair of the Walsall Safeguarding Children Board 30 June 2013 Red Overdue 28 June "
        "2013: There is still no permanent appointment and the end of June target will be missed. Interim cover is "
        "being arranged for when the current manager leaves, and the post will be advertised again.")


def test_word_draft_says_so(made):
    _, report, raw, _ = made["staff"]
    d = docx.Document(io.BytesIO(raw))
    texts = [p.text for p in d.paragraphs[:9]]
    assert texts[3] == "Working draft, as at 26 July 2013"
    assert "Draft: not yet reported. This is the working plan as editors are changing it. It has not been reported " \
           "to any board or panel." in texts
    assert d.sections[0].header.paragraphs[0].text == "Walsall Council · Staff edition · Draft: not yet reported"


@pytest.mark.parametrize("edition", ["staff", "public"])
def test_pdf_is_tagged_with_the_same_structure(made, edition):
    data, report, _, raw = made[edition]
    reader = pypdf.PdfReader(io.BytesIO(raw))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"] == pypdf.generic.BooleanObject(True)
    assert root["/Lang"] == "en-GB"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == pypdf.generic.BooleanObject(True)
    assert (reader.metadata.title, reader.metadata.author) == (report.title, "Walsall Council")
    tags = struct(reader)
    kinds = [k for k, _ in tags]
    assert kinds.count("/H1") == 1 and kinds.index("/H1") < kinds.index("/H2")
    heads = [k for k in kinds if re.fullmatch(r"/H\d", k)]
    assert all(int(b[2]) <= int(a[2]) + 1 for a, b in zip(heads, heads[1:])), "a heading level is skipped"
    assert {"/Table", "/THead", "/TH", "/TD", "/Caption", "/L", "/LI"} <= set(kinds)
    assert [alt for k, alt in tags if k == "/Figure"] == [b.alt for b in report.blocks if isinstance(b, Figure)]
    text = pdf_text(reader)
    point = "Working draft, as at 26 July 2013" if edition == "staff" else "Scrutiny panel, July 2013, 17 July 2013"
    assert point in text and f"Page 1 of {len(reader.pages)}" in text
    for a in SAMPLE_EXCEPTIONS:
        action = data.index[a]
        assert f"{a} {action.title}" in text and action.latest.narrative in text
    assert ("Draft: not yet reported." in text) is (edition == "staff")


def test_files_are_the_same_for_the_same_point(made):
    data, _, word, pdf = made["public"]
    assert report_file(data, "docx") == word and report_file(data, "pdf") == pdf


def test_unknown_format_is_refused(made):
    with pytest.raises(ValueError, match="unknown report format 'odt' \\(use docx or pdf\\)"):
        report_file(made["public"][0], "odt")


# --- staff-only canaries ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def leak(tmp_path_factory):
    """The leak fixture with a staff-only monitoring visit whose document is staff-only too (the summary's latest
    outside view names it), published: (edition, format) -> every text of the report."""
    root = copy_plan(FIXTURES / "leak", tmp_path_factory.mktemp("report-leak") / "plan")
    plan = root / "plan.yaml"
    plan.write_text(plan.read_text().replace("  update_cadence: monthly\n", "  update_cadence: monthly\n" + VISIT, 1))
    publish_as(root, "2013-07-board", "Improvement Board, July 2013", date(2013, 7, 1))
    out = {}
    for edition in ("staff", "public"):
        data = site_data(root, edition, "2013-07-board")
        out[edition, "docx"] = docx_parts(report_file(data, "docx"))
        out[edition, "pdf"] = pdf_everything(pypdf.PdfReader(io.BytesIO(report_file(data, "pdf"))))
    return out


@pytest.mark.parametrize("fmt", REPORT_FORMATS)
def test_no_staff_canary_in_a_public_report(leak, fmt):
    assert {m.lower() for m in CANARY.findall(leak["public", fmt])} == set()


@pytest.mark.parametrize("fmt", REPORT_FORMATS)
def test_every_reported_canary_is_in_the_staff_report(leak, fmt):
    assert {m.lower() for m in CANARY.findall(leak["staff", fmt])} >= REPORTED_CANARIES


# --- hostile text -----------------------------------------------------------------------------------------------


class _Counting(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:
        _Counting.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def host():
    """A local server that counts the requests it gets: the report must make none."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_hostile_text_is_printed_and_nothing_is_fetched(tmp_path, host):
    root = copy_plan(FIXTURES / "minimal", tmp_path / "plan")
    narrative = "Halfway <script>alert(1)</script> {{ x }} </style> done."
    title = f'Audit <img src="{host}/title.png"> cases.'
    plan = root / "plan.yaml"
    plan.write_text(plan.read_text().replace("narrative: Audit half done.", f"narrative: '{narrative}'")
                    .replace("title: Audit all priority cases at the front door.", f"title: '{title}'"))
    publish_as(root, "2013-07-board", "Board <b>July</b>", date(2013, 7, 1))
    data = site_data(root, "public", None)
    text = pdf_text(pypdf.PdfReader(io.BytesIO(report_file(data, "pdf"))))
    squeezed = "".join(text.split())  # a table cell wraps "http://" and "</script>" after their slash

    def has(words: str) -> bool:
        return "".join(words.split()) in squeezed

    assert has(f"A1 {title}") and has(narrative) and "Board <b>July</b>, 1 July 2013" in text
    d = docx.Document(io.BytesIO(report_file(data, "docx")))
    assert any(row_text(r).startswith(f"A1 {title}") and narrative in row_text(r) for t in d.tables for r in t.rows)
    assert _Counting.hits == []


def test_the_pdf_writer_fetches_no_url_and_reads_no_file(host, tmp_path):
    secret = tmp_path / "secret.css"
    secret.write_text("body { color: red }")
    html = (f'<html lang="en-GB"><head><title>t</title><link rel="stylesheet" href="file://{secret}">'
            f'<link rel="stylesheet" href="{host}/style.css"></head><body><p>x</p>'
            f'<img src="{host}/a.png" alt="a"><img src="file://{secret}" alt="b"></body></html>')
    assert html_pdf(html).startswith(b"%PDF")
    assert _Counting.hits == []


# --- a corrected point ------------------------------------------------------------------------------------------


def test_a_corrected_point_says_so_on_the_cover(tmp_path):
    root = copy_plan(FIXTURES / "minimal", tmp_path / "plan")
    publish_as(root, "2013-07-board", "Improvement Board, July 2013", date(2013, 7, 1))
    commit_and_correct(root, "2013-07-board", "A figure was misreported.")
    data = site_data(root, "public", None)
    cover = build_report(data).cover
    assert [(n.heading, n.text) for n in cover.notices] == [
        ("Corrected after publication.", "2013-07-20: A figure was misreported.")]
    d = docx.Document(io.BytesIO(report_file(data, "docx")))
    assert "Corrected after publication. 2013-07-20: A figure was misreported." in [p.text for p in d.paragraphs]


# --- the plan's own words, and a draft with nothing published -----------------------------------------------


def test_the_plan_s_words_and_a_first_draft(tmp_path):
    root = copy_plan(FIXTURES / "minimal", tmp_path / "plan")
    plan = root / "plan.yaml"
    plan.write_text(plan.read_text().replace("  update_cadence: monthly\n", "  update_cadence: monthly\n  terms:\n"
                                             "    theme: workstream\n    commitment: objective\n", 1))
    report = build_report(site_data(root, "staff", "draft"))
    heads = [(b.level, b.text) for b in report.blocks if isinstance(b, Heading)]
    assert heads[-3:] == [(1, "Appendix: actions by workstream"), (2, "Workstream T1: Safeguarding practice"),
                          (3, "Objective C1: Every child gets a timely assessment.")]
    since = report.blocks.index(Heading(2, "Since the last reporting point"))
    assert report.blocks[since + 1] == Paragraph(line(
        "No reporting point has been published yet, so there is nothing to compare the working draft with."))
    assert (1, "What changed") in heads
    assert report.cover.point == "Working draft, as at 1 July 2013" and report.cover.date == ""
