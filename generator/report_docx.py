"""The progress report as a Word document (python-docx), in the structure Word's accessibility checker looks for:
Title and Heading 1-3 styles in order, tables in "Table Grid" with a caption and a header row that repeats on each
page, charts as images with alternative text, the document's title, author and language set, A4 pages with the
edition in the header and the reporting point with "Page N of M" in the footer. No empty paragraphs for spacing;
a status is always a word, its colour only accompanies it."""

from __future__ import annotations

import io
from datetime import date, datetime, timezone

import cairosvg
import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

from .files import dated_zip
from .report import BulletList, Figure, Heading, Line, Paragraph, Report, Table

TEXT_WIDTH_MM = 174  # A4 (210 mm) less 18 mm margins each side
FONT = "Arial"
INK = RGBColor(0x0B, 0x0C, 0x0C)
MUTED = RGBColor(0x50, 0x5A, 0x5F)
# Light fills behind a status word, dark enough to tell apart, light enough for black text (contrast > 7:1).
TONES = {"red": "F4C7C3", "amber": "FCE4B0", "green": "CCE8D0", "complete": "D5E3F3", "not_started": "E6E6E6",
         "overdue": "F4C7C3"}
TABLE_TEXT, TABLE_TEXT_ID = "Table Text", "TableText"  # cells' paragraphs: smaller than body text, so five
# columns fit A4 portrait
PNG_SCALE = 2
# What may follow w:shd in a run's properties (ECMA-376's order; w:lang is the seventh)
RPR_AFTER_SHD = ("w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish",
                 "w:oMath")  # charts drawn at twice their size, sharp when printed


def _set(el, tag: str, before: tuple[str, ...] = (), **attrs: str):
    """The child `tag` of an OXML element (made when missing, ahead of any of the tags `before`: Word insists on
    the schema's order) with the given w: attributes."""
    child = el.find(qn(tag))
    if child is None:
        child = OxmlElement(tag)
        successor = next((c for c in el if c.tag in {qn(b) for b in before}), None)
        if successor is None:
            el.append(child)
        else:
            successor.addprevious(child)
    for k, v in attrs.items():
        child.set(qn(f"w:{k}"), v)
    return child


def _runs(p: DocxParagraph, runs: Line) -> None:
    for t in runs:
        r = p.add_run(t.text)
        r.bold = t.strong or None
        if t.muted:
            r.font.color.rgb = MUTED
        if t.tone in TONES:
            _set(r._r.get_or_add_rPr(), "w:shd", RPR_AFTER_SHD, val="clear", color="auto", fill=TONES[t.tone])


def _styles(doc, language: str) -> None:
    """Arial throughout in near-black, en-GB as the default language (docDefaults), headings that keep with the
    text after them."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set(rpr, "w:lang", RPR_AFTER_SHD[6:], val=language, eastAsia=language, bidi="ar-SA")
    for name, size in (("Normal", 10), ("Title", 24), ("Subtitle", 14), ("Heading 1", 16), ("Heading 2", 13),
                       ("Heading 3", 11), ("Caption", 9), ("Header", 9), ("Footer", 9), ("List Bullet", 10)):
        st = doc.styles[name]
        st.font.name, st.font.size, st.font.color.rgb = FONT, Pt(size), INK
        rfonts = st.element.get_or_add_rPr().find(qn("w:rFonts"))
        for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            if rfonts is not None and rfonts.get(qn(f"w:{attr}")) is not None:
                del rfonts.attrib[qn(f"w:{attr}")]
    doc.styles["Caption"].font.italic = False
    doc.styles["Caption"].font.bold = True
    doc.styles["Caption"].paragraph_format.keep_with_next = True
    doc.styles["Normal"].paragraph_format.space_after = Pt(6)
    cells = doc.styles.add_style(TABLE_TEXT, WD_STYLE_TYPE.PARAGRAPH)
    cells.base_style = doc.styles["Normal"]
    cells.font.size = Pt(8.5)
    cells.paragraph_format.space_after = Pt(2)


def _field(p: DocxParagraph, instr: str) -> None:
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instr)
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    fld.append(r)
    p._p.append(fld)


def _page(doc, report: Report) -> None:
    s = doc.sections[0]
    s.orientation = WD_ORIENT.PORTRAIT
    s.page_width, s.page_height = Mm(210), Mm(297)
    s.left_margin = s.right_margin = Mm(18)
    s.top_margin = s.bottom_margin = Mm(20)
    s.header_distance = s.footer_distance = Mm(9)
    s.header.paragraphs[0].text = report.header
    foot = s.footer.paragraphs[0]
    foot.text = f"{report.footer} · Page "
    _field(foot, "PAGE")
    foot.add_run(" of ")
    _field(foot, "NUMPAGES")


def _table(doc, t: Table) -> None:
    cap = doc.add_paragraph(t.caption, style="Caption")
    cap.paragraph_format.keep_with_next = True
    table = doc.add_table(rows=1, cols=len(t.header))
    table.style = doc.styles["Table Grid"]
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    _set(tbl_pr, "w:tblCaption", before=("w:tblDescription",), val=t.caption)
    margins = _set(tbl_pr, "w:tblCellMar", before=("w:tblLook", "w:tblCaption", "w:tblDescription"))
    for side in ("left", "right"):  # narrower than Word's 1.9 mm, so a date or a status fits its column
        _set(margins, f"w:{side}", w="74", type="dxa")
    widths = [Mm(TEXT_WIDTH_MM * w / 100) for w in t.widths]
    for col, w in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(int(w.twips)))
    head = table.rows[0]
    _set(head._tr.get_or_add_trPr(), "w:cantSplit", val="true")
    _set(head._tr.get_or_add_trPr(), "w:tblHeader", val="true")  # repeats at the top of each page
    for c, text, w in zip(head.cells, t.header, widths):
        c.width = w
        _set(c._tc.get_or_add_tcPr(), "w:shd", ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign",
                                                 "w:hideMark"), val="clear", color="auto", fill="E6E6E6")
        c.paragraphs[0]._p.style = TABLE_TEXT_ID
        c.paragraphs[0].add_run(text).bold = True
    for row in t.rows:
        tr = table.add_row()
        _set(tr._tr.get_or_add_trPr(), "w:cantSplit", val="true")  # a row stays on one page
        for c, content, w in zip(tr.cells, row, widths):
            c.width = w
            for i, runs in enumerate(content):
                p = c.paragraphs[0] if i == 0 else c.add_paragraph()
                p._p.style = TABLE_TEXT_ID  # by id: python-docx looks a style's name up in all styles each time
                _runs(p, runs)


def _figure(doc, f: Figure, number: int) -> None:
    png = cairosvg.svg2png(bytestring=f.svg.encode(), output_width=f.width * PNG_SCALE,
                           output_height=f.height * PNG_SCALE)
    pic = doc.add_paragraph()
    pic.paragraph_format.keep_with_next = True
    doc_pr = pic.add_run().add_picture(io.BytesIO(png), width=Mm(TEXT_WIDTH_MM))._inline.docPr
    doc_pr.set("descr", f.alt)
    doc_pr.set("title", f.alt.split(". ", 1)[0])
    doc_pr.set("name", f"Chart {number}")
    cap = doc.add_paragraph(style="Caption")
    cap.paragraph_format.keep_with_next = False
    cap.add_run(f.caption).bold = False  # a sentence or three: bold only in tables' short titles


def docx_bytes(report: Report, day: date) -> bytes:
    """The report as .docx bytes; `day` (the reporting point's date) stamps the document, so the same point gives
    the same file."""
    doc = docx.Document()
    _styles(doc, report.language)
    _page(doc, report)
    props = doc.core_properties
    stamp = datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
    props.title, props.subject, props.author, props.language = report.title, report.subject, report.author, \
        report.language
    props.last_modified_by, props.keywords, props.comments, props.revision = report.author, "", "", 1
    props.created = props.modified = props.last_printed = stamp
    c = report.cover
    council = doc.add_paragraph()
    council.paragraph_format.space_before = Pt(90)  # the cover's text a third of the way down, as the PDF's
    council.add_run(c.council).bold = True
    doc.add_paragraph(c.plan, style="Title")
    doc.add_paragraph("Progress report", style="Subtitle")
    point = doc.add_paragraph()
    point.add_run(c.point).bold = True
    if c.date:
        point.add_run(f", {c.date}")
    edition = doc.add_paragraph()
    edition.add_run(c.edition).bold = True
    for r, size in ((point.runs, 14), (edition.runs, 12)):
        for run in r:
            run.font.size = Pt(size)
    for n in c.notices:
        p = doc.add_paragraph()
        p.add_run(n.heading + " ").bold = True
        p.add_run(n.text)
    doc.add_paragraph(c.as_at)
    doc.add_paragraph(c.how_to_read)
    figures = 0
    for i, block in enumerate(report.blocks):
        added: list[DocxParagraph] = []
        if isinstance(block, Heading):
            h = doc.add_heading(block.text, level=block.level)
            h.paragraph_format.page_break_before = block.new_page or None
        elif isinstance(block, Paragraph):
            added.append(doc.add_paragraph())
            _runs(added[-1], block.runs)
        elif isinstance(block, BulletList):
            for item in block.items:
                added.append(doc.add_paragraph())
                added[-1]._p.style = "ListBullet"
                _runs(added[-1], item)
        elif isinstance(block, Table):
            _table(doc, block)
        elif isinstance(block, Figure):
            figures += 1
            _figure(doc, block, figures)
        if any(isinstance(b, Figure) for b in report.blocks[i + 1:i + 3]):
            for p in added:  # what introduces a chart stays on its page (headings keep with next already)
                p.paragraph_format.keep_with_next = True
    buf = io.BytesIO()
    doc.save(buf)
    return dated_zip(buf.getvalue(), day)

