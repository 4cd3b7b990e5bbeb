"""Registers that answer at a glance (issue 11 part 4): natural sort keys written by the server, slips beside
statuses, names beside codes, enum labels with their acronyms, the overdue recommendations page, the staff
edition's evidence page, and the card markup narrow screens stack. Keys, cells and lists are asserted exactly, on
the sample plan (both editions) and on the minimal fixture."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO, build, copy_plan
from generator.model import DocumentKind, KeyDateKind, OversightKind, Priority, SourceKind, Status, Trend, humanise
from generator.registers import (id_key, item_name, months_text, natural, number_key, slip_note, status_key,
                                 unevidenced_actions, unevidenced_recommendations)
from generator.validate import validate

LATEST = "2013-07-scrutiny"


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


# --- keys and labels -------------------------------------------------------------------------------


def test_ids_sort_by_number_as_text():
    assert id_key("A3.2") == "a000003.000002"
    assert id_key("OF-S15") == "of-s000015"
    ids = ["A3.10", "A3.2", "A10.1", "A1.1", "SWG11-3"]
    assert sorted(ids, key=id_key) == ["A1.1", "A3.2", "A3.10", "A10.1", "SWG11-3"]
    assert [i.id for i in natural([type("I", (), {"id": i})() for i in ids])] == ["A1.1", "A3.2", "A3.10", "A10.1",
                                                                                 "SWG11-3"]


def test_numbers_are_zero_padded_so_negatives_sort_first_as_text():
    keys = [number_key(n) for n in (122, -14, 9, 0, -2)]
    assert keys == ["1000122", "0999986", "1000009", "1000000", "0999998"]
    assert sorted(keys) == [number_key(n) for n in (-14, -2, 0, 9, 122)]


def test_status_sorts_by_severity_overdue_first():
    cases = [(s, o) for s in Status for o in (False, True)]
    ordered = sorted(cases, key=lambda c: status_key(*c))
    assert [(s.value, o) for s, o in ordered] == [
        ("red", True), ("amber", True), ("not_started", True), ("green", True), ("complete", True),
        ("red", False), ("amber", False), ("not_started", False), ("green", False), ("complete", False)]
    assert status_key(Status.amber, True) == "01" and status_key(Status.complete) == "14"


def test_enum_labels_keep_acronyms():
    assert DocumentKind.dfe_report.label == "DfE report"
    assert DocumentKind.board_report.label == "Board report"
    assert SourceKind.ofsted_inspection.label == "Ofsted inspection"
    assert Priority.priority_and_immediate.label == "Priority and immediate"
    assert Trend.steady.label == "Steady"
    assert KeyDateKind.dfe_review.label == "DfE review" and OversightKind.dfe_adviser.label == "DfE adviser"
    assert humanise("dcs_in_post") == "DCS in post"


def test_no_template_makes_a_label_by_capitalising_an_enum_value_with_words():
    """Labels of values of several words come from the enum's `label` (humanise), which keeps DfE as DfE."""
    templates = sorted((REPO / "generator" / "templates").glob("*.j2"))
    assert [t.name for t in templates if 'replace("_", " ")|capitalize' in t.read_text()] == []


def test_slip_note_in_months_and_moves():
    assert [months_text(n) for n in (1, 9, 44, 45, 122, 365)] == ["1 day", "9 days", "44 days", "1 month",
                                                                 "4 months", "12 months"]
    plan = validate(REPO)[0]
    a22 = next(a for a in plan.actions if a.id == "A2.2")
    assert slip_note(a22) == "slipped 4 months (1 move)"
    assert slip_note(next(a for a in plan.actions if a.id == "A1.1")) == ""


def test_item_names_beside_codes():
    plan = validate(REPO)[0]
    index = plan.index()
    assert item_name(index["T1"]) == "Improving the quality of partnerships and governance"
    assert item_name(index["OF-S8"]) == "The Safeguarding Children Board should raise its standards of challenge " \
                                        "and quality…"


# --- the sample, both editions ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    return build(REPO, tmp_path_factory.mktemp("registers") / "site", workers=2)


def page(site: Path, edition: str, version: str, rel: str) -> str:
    return (site / edition / version / rel / "index.html").read_text("utf-8")


def rows_of(html: str, after: str) -> list[str]:
    tbody = html[html.index(after):]
    tbody = tbody[tbody.index("<tbody>"):tbody.index("</tbody>")]
    return re.findall(r"<tr[^>]*>(.*?)</tr>", tbody, re.S)


NATURAL = ["A1.1", "A1.2", "A1.3", "A1.4", "A1.5", "A1.6", "A1.7", "A1.8", "A2.1", "A2.2", "A2.3", "A2.4", "A2.5",
           "A2.6", "A2.7", "A2.8", "A2.9", "A3.1", "A3.2", "A3.3", "A3.4", "A3.5", "A3.6", "A3.7", "A3.8", "A3.9",
           "A3.10", "A3.11", "A3.12", "A3.13"]


def test_the_register_starts_in_natural_order_with_a_key_in_every_cell(sample):
    html = page(sample, "staff", "draft", "actions")
    rows = rows_of(html, 'id="all"')
    assert [re.search(r">([A-Z0-9.]+)</a>", r).group(1) for r in rows] == NATURAL
    a22 = next(r for r in rows if 'href="A2.2/"' in r)
    assert re.findall(r'data-sort="([^"]*)"', a22) == [
        "a000002.000002", "appoint a permanent principal social worker.", "t000002",
        "interim director of children&#39;s services", "2013-10-31", "1000123", "11", "2013-06-28"]
    assert ('<td data-label="Status" data-sort="11"><span class="ip-tag ip-status ip-status--amber">Amber</span> '
            '<span class="ip-slip">· slipped 4 months (1 move)</span></td>') in a22
    assert '<td data-label="Theme" data-sort="t000002"><a href="../themes/T2/">T2: Capacity, capability and ' \
           'culture</a></td>' in a22
    overdue = next(r for r in rows if 'href="A1.3/"' in r)
    assert 'data-label="Status" data-sort="00"' in overdue


@pytest.mark.parametrize("edition", ["public", "staff"])
def test_theme_pages_show_the_slip_and_names_of_recommendations(sample, edition):
    html = page(sample, edition, "draft" if edition == "staff" else LATEST, "themes/T2")
    if edition == "staff":
        assert '<td data-label="Status"><span class="ip-tag ip-status ip-status--amber">Amber</span> ' \
               '<span class="ip-slip">· slipped 4 months (1 move)</span></td>' in html
    answers = html[html.index("<strong>Answers recommendations:</strong>"):]
    first = re.search(r'<li><a href="[^"]+">([^<]+)</a></li>', answers).group(1)
    assert re.fullmatch(r"[A-Z0-9-]+: .+", first), first


@pytest.mark.parametrize("edition", ["public", "staff"])
def test_document_pages_list_about_items_with_their_names(sample, edition):
    html = page(sample, edition, LATEST, "documents/DOC-IB-2013-06")
    about = html[html.index("<strong>About:</strong>"):html.index('<div class="ip-doc">')]
    assert re.findall(r">([^<]+)</a></li>", about)[:3] == [
        "T1: Improving the quality of partnerships and governance",
        "A1.2: Publish a new Safeguarding Children Board business plan and agree work plans for its two committees "
        "(policy, procedures and training; quality assurance and performance).",
        "A1.3: Recruit a permanent Safeguarding Children Board manager."]


@pytest.mark.parametrize("edition", ["public", "staff"])
def test_documents_say_dfe_report_never_dfe(sample, edition):
    for f in (sample / edition / LATEST).rglob("*.html"):
        assert "Dfe report" not in f.read_text("utf-8"), f
    assert "<h3 id=\"dfe_report\">DfE report</h3>" in page(sample, edition, LATEST, "documents")


@pytest.mark.parametrize("edition", ["public", "staff"])
def test_overdue_page_groups_the_seventeen_past_due(sample, edition):
    html = page(sample, edition, LATEST, "recommendations/overdue")
    assert "<h1>Overdue recommendations</h1>" in html
    assert text_of(html[html.index("<h1>"):html.index("<ul", html.index("<h1>"))]).startswith(
        "Overdue recommendations 17 of 35 recommendations are open and past their due date, as at 17 July 2013")
    assert '<h2 id="overdue_no_progress">Overdue with no progress (1)</h2>' in html
    assert '<h2 id="past_due_in_progress">Past due, in progress (16)</h2>' in html
    none = rows_of(html, 'id="overdue_no_progress"')
    assert [re.search(r'data-sort="([^"]+)">', c).group(1) for c in none] == ["of-s000015"]
    assert text_of(re.findall(r"<td[^>]*>(.*?)</td>", none[0], re.S)[1]) == "31 October 2012"
    assert text_of(re.findall(r"<td[^>]*>(.*?)</td>", none[0], re.S)[2]) == "9 months"
    progress = rows_of(html, 'id="past_due_in_progress"')
    assert [re.search(r">([A-Z0-9-]+)</a>:", r).group(1) for r in progress][:4] == [
        "SWG11-2", "SWG11-3", "SWG11-4", "OF-L3"]
    nav = html[html.index('class="md-nav md-nav--primary"'):]
    assert re.search(r'<a href="\./" class="md-nav__link md-nav__link--active">\s*<span class="md-ellipsis">\s*'
                     r'Overdue recommendations', nav)


@pytest.mark.parametrize("edition", ["public", "staff"])
def test_recommendations_page_opens_with_a_summary_by_source(sample, edition):
    html = page(sample, edition, LATEST, "recommendations")
    summary = html[html.index('<h2 id="summary">'):]
    summary = summary[:summary.index("</table>")]
    assert text_of(summary).startswith("At a glance 35 recommendations as at 17 July 2013; 17 past their due date .")
    assert '<a href="overdue/">17 past their due date</a>' in summary
    assert [text_of(r) for r in rows_of(summary, "<tbody>")] == [
        "Ofsted: Inspection of safeguarding and looked after children services, Walsall (2012) 24 0 1 6 7 10 14",
        "Review of safeguarding services for vulnerable children (scrutiny working group report) 5 0 0 1 2 2 3",
        "Adoption diagnostic (draft report, Core Assets Consultancy and Resourcing) 6 5 0 0 1 0 0"]
    assert html.count('<p class="ip-top"><a href="#summary">Back to the summary</a></p>') == 3


EIGHT = ["A1.1", "A1.6", "A2.4", "A2.8", "A2.9", "A3.4", "A3.8", "A3.10"]


@pytest.mark.parametrize("version, ids, completed", [
    ("2013-06-dfe-review", EIGHT, 10),
    (LATEST, ["A1.1", "A1.6", "A2.4", "A2.8", "A2.9", "A3.2", "A3.4", "A3.8", "A3.10"], 11),
    ("draft", ["A1.1", "A1.6", "A1.8", "A2.4", "A2.8", "A2.9", "A3.2", "A3.4", "A3.8", "A3.10"], 12)])
def test_evidence_page_lists_the_completed_actions_without_evidence(sample, version, ids, completed):
    html = page(sample, "staff", version, "evidence")
    assert f'<h2 id="actions">Actions completed without evidence ({len(ids)} of {completed})</h2>' in html
    rows = rows_of(html, '<h2 id="actions">')
    assert [re.search(r">([A-Z0-9.]+)</a>:", r).group(1) for r in rows] == ids
    if version == "draft":
        a18 = next(r for r in rows if ">A1.8<" in r)
        assert '<td data-label="Earlier evidence" data-sort="1000001">1 link on earlier updates</td>' in a18
        assert '<h2 id="recommendations">Recommendations completed without evidence (9 of 12)</h2>' in html
        recs = rows_of(html, '<h2 id="recommendations">')
        assert [re.search(r">([A-Z0-9-]+)</a>:", r).group(1) for r in recs] == [
            "OF-L1", "OF-L2", "OF-L6", "OF-L7", "OF-S4", "OF-S6", "OF-S10", "OF-S13", "OF-S14"]


def test_the_public_edition_has_no_evidence_page_nor_link(sample):
    assert not list((sample / "public").rglob("evidence"))
    for f in (sample / "public").rglob("*.html"):
        assert not re.search(r'href="[^"]*evidence/"', f.read_text("utf-8")), f
    assert 'href="../evidence/"' in page(sample, "staff", LATEST, "actions")


class Cells(HTMLParser):
    """Every body cell of every table marked ip-stack: (tag, attributes)."""

    def __init__(self) -> None:
        super().__init__()
        self.depth, self.in_body, self.cells = 0, False, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.depth += "ip-stack" in (a.get("class") or "").split() or bool(self.depth)
        elif tag == "tbody" and self.depth:
            self.in_body = True
        elif tag in ("td", "th") and self.in_body:
            self.cells.append((tag, a))

    def handle_endtag(self, tag):
        if tag == "tbody":
            self.in_body = False
        elif tag == "table" and self.depth:
            self.depth -= 1


@pytest.mark.parametrize("edition, rel, count", [
    ("staff", "actions", 2 * 5 + 30 * 8), ("public", "recommendations", 3 * 8 + 35 * 7),
    ("public", "recommendations/overdue", 17 * 5), ("staff", "risks", 8 * 9), ("staff", "evidence", (9 + 9) * 5),
    ("staff", "themes/T1", 8 * 5)])
def test_every_cell_of_a_stacking_table_is_labelled_with_its_column(sample, edition, rel, count):
    parser = Cells()
    parser.feed(page(sample, edition, LATEST, rel))
    assert len(parser.cells) == count
    assert [a for _, a in parser.cells if not a.get("data-label")] == []


# --- evidence on the minimal fixture -------------------------------------------------------------------


def test_an_update_that_completes_with_evidence_is_not_listed(tmp_path):
    root = copy_plan(FIXTURES / "minimal", tmp_path / "plan")
    plan = validate(root)[0]
    assert [(u.item.id, u.completed.date, u.earlier) for u in unevidenced_actions(plan)] == [
        ("A2", date(2013, 3, 15), 0)]
    assert [u.item.id for u in unevidenced_recommendations(plan)] == ["R1"]
    plan_file = root / "plan.yaml"
    plan_file.write_text(plan_file.read_text("utf-8").replace(
        "        narrative: Clinics running weekly.\n",
        "        narrative: Clinics running weekly.\n        evidence:\n"
        "          - {title: Clinic notes, url: \"https://example.gov.uk/clinics\"}\n"), "utf-8")
    assert unevidenced_actions(validate(root)[0]) == []
    site = build(root)
    html = (site / "staff" / "draft" / "evidence" / "index.html").read_text("utf-8")
    assert '<h2 id="actions">Actions completed without evidence (0 of 1)</h2>\n<p>Every completed action gives ' \
           'evidence on the update that completed it.</p>' in html
    assert [text_of(r) for r in rows_of(html, '<h2 id="recommendations">')] == [
        "R1 : Ensure all assessments are completed in timescale. Ofsted inspection report 6 January 2013 All "
        "assessments now tracked weekly; timescale met since December. None"]
    assert not (site / "public" / "draft").exists() and not list((site / "public").rglob("evidence"))
