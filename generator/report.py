"""The progress report for a meeting: one reporting point of one edition as a paper for the agenda.

The report's content is decided here, once, as a small typed model (a cover and a list of blocks); the Word
writer (report_docx.py) and the PDF writer (report_pdf.py) only walk it. It is made from the same SiteData as the
site, so the public report holds only what the public projection holds, and the paper cannot say other than the
site. Every sentence uses the site's words and the plan's own terms; dates as the site writes them, "–" for none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from . import charts, present, registers
from .model import Action, Measure, Recommendation, Status
from .project import banners
from .render import SiteData
from .slips import slip_text

REPORT_FORMATS = ("docx", "pdf")
NONE = "–"


# --- the model both writers walk -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """A run of text; `tone` names a status colour that accompanies the words (never replaces them)."""

    text: str
    strong: bool = False
    tone: str = ""  # "", a Status value, or "overdue"
    muted: bool = False


Line = tuple[Text, ...]
Cell = tuple[Line, ...]  # a table cell: one or more lines


@dataclass(frozen=True)
class Heading:
    level: int  # 1 to 3 under the report's title (Word: Heading 1-3; PDF: h2-h4)
    text: str
    new_page: bool = False  # starts a new page (no empty paragraphs for spacing)
    kind: ClassVar[str] = "heading"


@dataclass(frozen=True)
class Paragraph:
    runs: Line
    kind: ClassVar[str] = "paragraph"


@dataclass(frozen=True)
class BulletList:
    items: tuple[Line, ...]
    kind: ClassVar[str] = "list"


@dataclass(frozen=True)
class Table:
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[int, ...]  # each column's share of the text width, in per cent (they add up to 100)
    kind: ClassVar[str] = "table"


@dataclass(frozen=True)
class Figure:
    svg: str  # a standalone SVG (styled within itself)
    alt: str  # the same words the site's chart gives: its title and description
    caption: str
    width: int  # the SVG's own width and height, in its units
    height: int
    kind: ClassVar[str] = "figure"


Block = Heading | Paragraph | BulletList | Table | Figure


@dataclass(frozen=True)
class Notice:
    heading: str
    text: str


@dataclass(frozen=True)
class Cover:
    council: str
    plan: str
    point: str  # the reporting point's title, or the working draft
    date: str  # the reporting point's date; "" for the draft (its title says its as-at date)
    edition: str  # "Public edition" / "Staff edition"
    notices: tuple[Notice, ...]  # draft, correction, staff: the site's banners, in its words
    as_at: str
    how_to_read: str


@dataclass(frozen=True)
class Report:
    title: str  # the document's title (Word's and the PDF's metadata)
    subject: str
    author: str  # the council
    language: str
    header: str  # at the top of every page
    footer: str  # at the foot of every page, before "Page N of M"
    cover: Cover
    blocks: tuple[Block, ...]


# --- helpers --------------------------------------------------------------------------------------------------


def line(*parts: str | Text) -> Line:
    return tuple(p if isinstance(p, Text) else Text(p) for p in parts)


def cell(*lines: str | Text | Line) -> Cell:
    return tuple(x if isinstance(x, tuple) else line(x) for x in lines if x != "")


def para(*parts: str | Text) -> Paragraph:
    return Paragraph(line(*parts))


def status_text(status: Status) -> Text:
    return Text(status.label, strong=True, tone=status.value)


def plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


JUDGED = {"met": "Meets target", "missed": "Short of target", "neutral": "Not judged: neither direction is better",
          "no_reading": "Not judged: no readings yet", "no_figure": "Not judged: latest reading has no figure",
          "no_target": "No target"}  # the site's words (_macros.html.j2 judged)


# --- the content ------------------------------------------------------------------------------------------------


def _cover(data: SiteData) -> Cover:
    info, v = data.plan.info, data.version
    assert info is not None
    point = f"Working draft, as at {present.fmt_date(data.as_at)}" if v.is_draft else v.title
    notices = tuple(Notice(b.heading, b.text) for b in banners(data.edition, v.is_draft, v.correction))
    how = ("Statuses are given in words: red (off track), amber (at risk), green (on track), complete and not "
           "started. An action is overdue when its target date has passed and it is not complete, and has slipped "
           "when its target date was moved later than first set. Every figure here is the length of a list in this "
           "report or on the plan's website.")
    return Cover(info.organisation, info.title, point, "" if v.is_draft else present.fmt_date(v.date),
                 data.edition.label, notices,
                 f"The plan as at {present.fmt_date(data.as_at)}.", how)


def _theme_name(data: SiteData, action: Action) -> str:
    t = data.theme_of(action)
    return f"{t.id}: {t.title}" if t else NONE


def _latest(action: Action | Recommendation) -> Cell:
    """The latest update: its date and narrative, and its internal note where the edition holds one."""
    up = action.latest
    if up is None:
        return cell("No updates yet.")
    lines: list[Line] = [line(Text(present.fmt_date(up.date), strong=True), f": {up.narrative or NONE}")]
    if up.internal_note:
        lines.append(line(Text("Internal note (staff only): ", strong=True), up.internal_note))
    return tuple(lines)


def _action_status(data: SiteData, a: Action) -> Cell:
    lines = [line(status_text(a.status))]
    if data.overdue(a):
        lines.append(line(Text("Overdue", strong=True, tone="overdue")))
    if a.slipped_days > 0:
        lines.append(line("Slipped"))
    return tuple(lines)


def _target(a: Action) -> Cell:
    slip = slip_text(a)
    if not slip:
        return cell(present.fmt_date(a.target_date))
    return cell(present.fmt_date(a.target_date), Text(f"First set for {present.fmt_date(a.original_target_date)}; "
                                                      f"{slip}", muted=True))


def _summary(data: SiteData) -> list[Block]:
    info, s = data.plan.info, data.summary
    assert info is not None
    ins = info.trigger.inspection
    out: list[Block] = [Heading(1, "Summary", new_page=True)]
    facts = [line(Text("Ofsted judgement: ", strong=True),
                  f"{ins.judgement.label} ({ins.title}, published {present.fmt_date(ins.published)})")]
    if s.view is not None:
        doc = data.index.get(s.view.document or "")
        facts.append(line(Text("Latest outside view: ", strong=True),
                          f"{s.view.kind.label}, {present.fmt_date(s.view.date)}: {s.view.event}"
                          + (f" ({doc.title})" if doc is not None and hasattr(doc, "title") else "")))
    phase = info.current_phase()
    facts.append(line(Text("Phase: ", strong=True),
                      f"{phase.title} (from {present.fmt_date(phase.start)}"
                      f"{f' to {present.fmt_date(phase.end)}' if phase.end else ''})" if phase
                      else f"No phase runs on {present.fmt_date(data.as_at)}"))
    out.append(BulletList(tuple(facts)))
    plan = data.plan
    rows = [(cell(status_text(st)), cell(str(s.actions_by_status[st])), cell(str(s.recommendations_by_status[st])))
            for st in registers.SEVERITY]
    rows.append((cell(Text("Total", strong=True)), cell(Text(str(len(plan.actions)), strong=True)),
                 cell(Text(str(len(plan.recommendations)), strong=True))))
    out += [Heading(2, "Status"),
            Table("Actions and recommendations by status", ("Status", "Actions", "Recommendations"), tuple(rows),
                  (40, 30, 30))]
    out += _movement(data)
    out.append(Heading(2, "Overdue and slipped"))
    overdue, slipped, due = data.overdue_actions, data.slipped_actions, s.recommendations_due
    out.append(para(Text(plural(len(overdue), "action is", "actions are") + " overdue", strong=True),
                    ": target date passed, not complete."))
    if overdue:
        out.append(BulletList(tuple(line(Text(a.id, strong=True), f": {a.title} (target "
                                         f"{present.fmt_date(a.target_date)}, {a.status.label.lower()})")
                                    for a in overdue)))
    out.append(para(Text(plural(len(slipped), "action", "actions") + " slipped", strong=True),
                    ": target dates moved later than first set."))
    if slipped:
        out.append(BulletList(tuple(line(Text(a.id, strong=True), f": {a.title}: {slip_text(a)}, from "
                                         f"{present.fmt_date(a.original_target_date)} to "
                                         f"{present.fmt_date(a.target_date)}") for a in slipped)))
    if due.past_due:
        out.append(para(Text(f"{due.past_due} of {plural(due.total, 'recommendation', 'recommendations')}",
                             strong=True), f" {'is' if due.past_due == 1 else 'are'} past "
                        f"{'its' if due.past_due == 1 else 'their'} due date: {due.no_progress} with no progress."))
    elif due.total:
        out.append(para("No recommendation is past its due date."))
    return out


def _movement(data: SiteData) -> list[Block]:
    ch, draft = data.changes, data.version.is_draft
    if ch is None or ch.first:
        return [Heading(2, "Since the last reporting point"),
                para("No reporting point has been published yet, so there is nothing to compare the working draft "
                     "with." if draft else "This is the plan's first reporting point: there is no earlier one to "
                     "compare it with.")]
    intro = (f"The working draft compared with the last reporting point, {ch.before}:" if draft
             else "Compared with the reporting point before this one:")
    return [Heading(2, f"Since {ch.before}"), para(intro),
            BulletList(tuple(line(Text(str(f.count), strong=True), f" {f.words}") for f in data.summary.moved))]


def _exceptions(data: SiteData) -> list[Block]:
    acts = [a for a in data.plan.actions
            if a.status in (Status.red, Status.amber) or data.overdue(a) or a.slipped_days > 0]
    acts.sort(key=lambda a: (registers.status_key(a.status, data.overdue(a)), registers.id_key(a.id)))
    out: list[Block] = [Heading(1, "Exceptions", new_page=True),
                        para(f"Every action that is red, amber, overdue or slipped ({len(acts)}), most pressing "
                             "first, with its latest update.")]
    if not acts:
        return [*out, para("No action is red, amber, overdue or slipped.")]
    rows = tuple((cell(Text(a.id, strong=True), a.title, Text(_theme_name(data, a), muted=True)),
                  cell(data.role(a.lead)), _target(a), _action_status(data, a), _latest(a)) for a in acts)
    return [*out, Table("Red, amber, overdue and slipped actions", ("Action", "Lead", "Target date", "Status",
                                                                     "Latest update"), rows, (25, 14, 13, 12, 36))]


def _recommendations(data: SiteData) -> list[Block]:
    plan = data.plan
    out: list[Block] = [Heading(1, "Recommendations by source", new_page=True)]
    sources = [src for src in plan.sources if any(r.source == src.id for r in plan.recommendations)]
    if not sources:
        return [*out, para("No recommendations.")]
    for src in sources:
        recs = [r for r in plan.recommendations if r.source == src.id]
        out += [Heading(2, src.title), para(f"{src.source_kind.label}, published {present.fmt_date(src.published)}; "
                                            f"{plural(len(recs), 'recommendation', 'recommendations')}.")]
        rows = []
        for r in recs:
            due, state = plan.due_date(r), data.due_state(r)
            acts = data.delivering(r)
            rows.append((cell(Text(r.reference, strong=True)), cell(r.text), cell(status_text(data.rec_status(r))),
                         cell(present.fmt_date(due), Text(state.label, muted=True)),
                         tuple(line(Text(a.id, strong=True), f": {registers.brief(a.title, 6)}") for a in acts)
                         or cell(NONE)))
        out.append(Table(f"Recommendations of {src.title}", ("Ref", "Recommendation", "Status", "Due",
                                                              "Delivered by"), tuple(rows), (6, 40, 12, 14, 28)))
    return out


REPORT_CHART = charts.WIDE
CHART_STYLE = ("<style>text{font-family:Arial,'Liberation Sans','DejaVu Sans',sans-serif}.grid{stroke:#d8d8d8;"
               "stroke-width:1}.baseline,.tick{stroke:#505a5f;stroke-width:1}.zero{stroke:#505a5f;stroke-width:1.5}"
               ".axis,.report-label{fill:#0b0c0c}.series{fill:none;stroke:#1d5aa6;stroke-width:3}"
               ".point{fill:#1d5aa6}.target{stroke:#a4161a;stroke-width:2;stroke-dasharray:6 4}"
               ".target-label{fill:#a4161a;font-weight:700}.report{stroke:#505a5f;stroke-width:1.5;"
               "stroke-dasharray:2 3}</style>")


def chart_figure(data: SiteData, m: Measure) -> Figure | None:
    """The measure's chart as the site draws it (wide layout), styled within itself for print; None when no
    reading has a figure."""
    lay = charts.layout(m, *REPORT_CHART, as_at=data.as_at)
    if lay is None:
        return None
    svg = charts.draw(m, lay, f"chart-{m.id}".replace(".", "-"), "chart--wide")
    svg = svg.replace(" role=\"img\"", f' width="{lay.width:g}" height="{lay.height:g}" role="img"', 1)
    svg = svg.replace("</desc>", "</desc>" + CHART_STYLE, 1)
    caption = charts.latest_text(m, data.as_at) + "."
    if charts.report_marked(m, data.as_at):
        caption += f" The dotted line marks this reporting point, {present.fmt_date(data.as_at)}."
    if m.target and m.better.value != "neutral":
        caption += f" The dashed line is the target, {present.fmt_value(m.target.value, m.unit)}."
    caption += " The same figures are in the table below."
    return Figure(svg, f"{m.name}. {charts.description(m)}.", caption, int(lay.width), int(lay.height))


def _measures(data: SiteData) -> list[Block]:
    out: list[Block] = [Heading(1, "Headline measures", new_page=True)]
    headline = [m for m in data.plan.measures if m.headline]
    if not headline:
        return [*out, para("No headline measures.")]
    for m in headline:
        r = present.reading(m, data.as_at)
        latest = (f"{present.fmt_reading(r.latest, m.unit)} ({present.period_name(r.latest)})"
                  + (f"; {present.age_text(r.age_months)}" if r.age_months else "")) if r.latest else NONE
        target = (present.fmt_value(m.target.value, m.unit)
                  + (f" by {present.fmt_date(m.target.by)}" if m.target.by else "")) if m.target else NONE
        out += [Heading(2, m.name), para(m.definition),
                BulletList((line(Text("Latest: ", strong=True), latest), line(Text("Target: ", strong=True), target),
                            line(Text("Against target: ", strong=True), JUDGED[r.judged]),
                            line(Text("Trend: ", strong=True), present.trend_text(r))))]
        fig = chart_figure(data, m)
        if fig is not None:
            out.append(fig)
        rows = tuple((cell(present.period_name(v)), cell(present.fmt_value(v.value, m.unit) if v.value is not None
                                                         else "No figure"), cell(v.note or NONE)) for v in m.values)
        out.append(Table(f"{m.name}: every reading", ("Period", "Value", "Note"),
                         rows or ((cell("No readings yet."), cell(NONE), cell(NONE)),), (30, 20, 50)))
    return out


def _changes(data: SiteData) -> list[Block]:
    from .history import SECTION_ORDER

    ch = data.changes
    if ch is None or ch.first:
        return [Heading(1, "What changed", new_page=True), para("This is the first reporting point: there is no "
                                                                 "earlier one to compare it with.")]
    out: list[Block] = [Heading(1, f"What changed since {ch.before}", new_page=True),
                        para(f"From {ch.before} to {ch.after}.")]
    if ch.empty:
        out.append(para("No change to actions, recommendations, findings, measures or documents."))
    for section in SECTION_ORDER:
        items = ch.sections.get(section)
        if items:
            out += [Heading(2, f"{section} ({len(items)})"),
                    BulletList(tuple(line(Text(c.id, strong=True), f" {c.title}: {c.what}{c.said_direction(section)}")
                                     for c in items))]
    return out


def _risks(data: SiteData) -> list[Block]:
    risks = sorted(data.plan.risks, key=lambda r: (-r.score, r.id))
    out: list[Block] = [Heading(1, "Risk register (staff only)", new_page=True),
                        para("The risks to delivering the plan, highest score first. Score is likelihood times "
                             "impact, each from 1 to 5.")]
    if not risks:
        return [*out, para("No risks recorded.")]
    rows = tuple((cell(Text(f"{r.id}: {r.title}", strong=True), r.description), cell(data.role(r.owner)),
                  cell(f"{r.score} ({r.likelihood} × {r.impact})"), cell(r.trend.label), cell(r.mitigation),
                  cell(present.fmt_date(r.review_date))) for r in risks)
    return [*out, Table("Risk register", ("Risk", "Owner", "Score", "Trend", "Mitigation", "Review"), rows,
                        (28, 14, 10, 11, 24, 13))]


def _evidence(data: SiteData) -> list[Block]:
    out: list[Block] = [Heading(1, "Evidence gaps (staff only)"),
                        para("What was closed without evidence: completed actions, and recommendations whose "
                             "progress says complete, where the update that completed them links to no evidence.")]
    for kind, gaps, second in (("Actions", registers.unevidenced_actions(data.plan), "Lead"),
                               ("Recommendations", registers.unevidenced_recommendations(data.plan), "Source")):
        out.append(Heading(2, f"{kind} completed without evidence ({len(gaps)})"))
        if not gaps:
            out.append(para(f"Every completed {kind[:-1].lower()} gives evidence on the update that completed it."))
            continue
        rows = []
        for g in gaps:
            it = g.item
            who = data.role(it.lead) if isinstance(it, Action) else getattr(data.index.get(it.source), "title", NONE)
            rows.append((cell(Text(it.id, strong=True), registers.item_name(it)), cell(who),
                         cell(present.fmt_date(g.completed.date)), cell(g.completed.narrative or "No narrative")))
        out.append(Table(f"{kind} completed without evidence", (kind[:-1], second, "Completed", "Completing update"),
                         tuple(rows), (30, 20, 15, 35)))
    return out


def _appendix(data: SiteData) -> list[Block]:
    terms = data.terms
    out: list[Block] = [Heading(1, f"Appendix: actions by {terms.theme}", new_page=True),
                        para(f"Every action in the plan, by {terms.theme} and {terms.commitment}, with its lead, "
                             "target date, status and latest update.")]
    for t in data.plan.themes:
        out.append(Heading(2, f"{terms.Theme} {t.id}: {t.title}"))
        commitments = data.theme_commitments.get(t.id, [])
        if not commitments:
            out.append(para(f"No {terms.commitment_plural}."))
        for c in commitments:
            out.append(Heading(3, f"{terms.Commitment} {c.id}: {c.statement}"))
            acts = data.commitment_actions.get(c.id, [])
            if not acts:
                out.append(para("No actions."))
                continue
            rows = tuple((cell(Text(a.id, strong=True), a.title), cell(data.role(a.lead)), _target(a),
                          _action_status(data, a), _latest(a)) for a in acts)
            out.append(Table(f"Actions of {terms.commitment} {c.id}", ("Action", "Lead", "Target date", "Status",
                                                                       "Latest update"), rows, (25, 14, 13, 12, 36)))
    return out


def build_report(data: SiteData) -> Report:
    """The progress report of one (edition, version): cover, summary, exceptions, recommendations, headline
    measures, what changed, the staff edition's risk register and evidence gaps, and the appendix."""
    info, v = data.plan.info, data.version
    assert info is not None
    cover = _cover(data)
    blocks = [*_summary(data), *_exceptions(data), *_recommendations(data), *_measures(data), *_changes(data)]
    if data.edition.shows_risks:
        blocks += _risks(data)
    if data.edition.shows_evidence:
        blocks += _evidence(data)
    blocks += _appendix(data)
    header = f"{info.organisation} · {data.edition.label}" + (" · Draft: not yet reported" if v.is_draft else "")
    return Report(title=f"{info.title}: progress report, {cover.point}",
                  subject=f"Progress report: {', '.join(filter(None, (cover.point, cover.date)))} "
                          f"({data.edition.label.lower()})",
                  author=info.organisation, language="en-GB", header=header,
                  footer=", ".join(filter(None, (cover.point, cover.date))), cover=cover, blocks=tuple(blocks))


def report_file(data: SiteData, fmt: str) -> bytes:
    """The report as a .docx or a tagged PDF (fmt in REPORT_FORMATS)."""
    report = build_report(data)
    if fmt == "docx":
        from .report_docx import docx_bytes

        return docx_bytes(report, data.version.date)
    if fmt == "pdf":
        from .report_pdf import pdf_bytes

        return pdf_bytes(report)
    raise ValueError(f"unknown report format {fmt!r} (use {' or '.join(REPORT_FORMATS)})")
