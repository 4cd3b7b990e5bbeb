"""About this plan: intervention, oversight and partners, key dates; their rules, pages in both editions,
the home page's summary and the timeline download."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

from conftest import FIXTURES, build, copy_plan, publish_as
from generator.model import KeyDate, KeyDateKind, OversightKind, Phase, PlanInfo
from generator.project import project
from generator.validate import validate_all
from plan_edits import PLAN, Replace, Write, edited
from test_rules import E, rows
from test_site import page, text_of

GOV = "      chair: ROLE-CHAIR\n"
NOTICE = "    improvement_notice:\n      issued: 2012-11-01\n"
STAFF_DOC = Write("content/documents/staff.md", "---\nid: DOC-STAFF\ntitle: Board papers\ndate: 2013-06-01\n"
                  "type: board_report\n---\nPapers.\n")


def about(text: str) -> Replace:
    """Add `text` to the plan: block, after its governance bodies."""
    return Replace(GOV, GOV + text)


RULE_CASES = [
    pytest.param([about("  intervention: improvement_notice\n"), Replace(NOTICE, "")],
                 [E(PLAN, "improvement_notice\n", "error", "D400",
                    "plan intervention is improvement_notice but the trigger has no improvement_notice")], id="D400"),
    pytest.param([about("  intervention: notice\n")],
                 [E(PLAN, "notice\n", "error", "S104", "plan intervention 'notice' is not one of: minimum_intervention, "
                    "improvement_notice, statutory_direction or commissioner")], id="S104-intervention"),
    pytest.param([about("  oversight:\n    - {kind: partner, name: Essex County Council, does: Partner.}\n")],
                 [E(PLAN, "partner,", "error", "S104", "plan oversight[1].kind 'partner' is not one of: "
                    "independent_chair, improvement_adviser, dfe_adviser, commissioner, improvement_partner, "
                    "sector_led_partner or other")], id="S104-oversight-kind"),
    pytest.param([about("  oversight:\n    - {kind: independent_chair, name: Independent chair, does: Chairs., "
                        "role: ROLE-CHAIRS}\n")],
                 [E(PLAN, "ROLE-CHAIRS", "error", "R202",
                    "plan oversight[1].role: there is no role 'ROLE-CHAIRS'; roles: ROLE-CHAIR, ROLE-DCS")],
                 id="R202-oversight-role"),
    pytest.param([about("  timeline:\n    - {date: 2012-07-06, event: Report published., kind: report_published, "
                        "source: DOC1}\n")],
                 [E(PLAN, "DOC1}", "error", "R203", "plan timeline[1].source 'DOC1' is a document, not a source")],
                 id="R203-timeline-source"),
    pytest.param([STAFF_DOC, about("  timeline:\n    - {date: 2013-06-01, event: Board meets., kind: board_meeting, "
                                   "document: DOC-STAFF}\n")],
                 [E(PLAN, "DOC-STAFF", "error", "D307",
                    "public plan timeline[1].document refers to staff-only document 'DOC-STAFF'")],
                 id="D307-timeline-document"),
    pytest.param([STAFF_DOC, about("  timeline:\n    - {date: 2013-06-01, event: Board meets., kind: board_meeting, "
                                   "document: DOC-STAFF, audience: staff}\n")], [], id="staff-entry-may-name-staff-doc"),
    pytest.param([about("  timeline:\n    - {date: 2012-07-06, event: Report published.}\n")],
                 [E(PLAN, "{date: 2012-07-06", "error", "S101", "plan is missing required field 'timeline[1].kind'")],
                 id="S101-timeline-kind"),
    pytest.param([about("  timeline:\n    - {date: 2012-07-36, event: Report published., kind: report_published}\n")],
                 [E(PLAN, "2012-07-36", "error", "S105",
                    "plan timeline[1].date '2012-07-36' is not a date (use YYYY-MM-DD)")], id="S105-timeline-date"),
    pytest.param([about("  timeline:\n    - {date: 2013-01-01, event: Later., kind: other}\n"
                        "    - {date: 2012-01-01, event: Earlier., kind: other}\n")], [], id="any-order-is-valid"),
]


@pytest.mark.parametrize("edits, want", RULE_CASES)
def test_rule(tmp_path, edits, want):
    root = edited(tmp_path, *edits)
    assert rows(validate_all(root)[1]) == [e.row(root) for e in want]


def test_d307_hint_names_the_entry(tmp_path):
    root = edited(tmp_path, STAFF_DOC, about("  timeline:\n    - {date: 2013-06-01, event: Board meets., "
                                             "kind: board_meeting, document: DOC-STAFF}\n"))
    [diag] = validate_all(root)[1]
    assert diag.hint == "mark this timeline entry 'audience: staff', or make document 'DOC-STAFF' public"


def _info(**changes) -> PlanInfo:
    base = {"organisation": "X", "title": "Plan", "as_at": "2013-07-01",
            "trigger": {"inspection": {"title": "I", "start": "2012-05-14", "end": "2012-05-25",
                                       "published": "2012-07-06", "judgement": "inadequate"}}}
    return PlanInfo.model_validate(base | changes)


def test_current_phase_is_the_one_whose_dates_hold_as_at():
    phases = [{"id": "P1", "title": "One", "start": "2012-11-01", "end": "2013-06-30"},
              {"id": "P2", "title": "Two", "start": "2013-07-01"}]
    assert _info(phases=phases).current_phase().id == "P2"
    assert _info(phases=phases, as_at="2013-06-30").current_phase().id == "P1"
    assert _info(phases=phases, as_at="2012-10-31").current_phase() is None


def test_key_dates_are_in_date_order_ties_as_written():
    info = _info(timeline=[{"date": "2013-01-01", "event": "B", "kind": "other"},
                           {"date": "2012-01-01", "event": "A", "kind": "other"},
                           {"date": "2013-01-01", "event": "C", "kind": "other"}])
    assert [k.event for k in info.key_dates()] == ["A", "B", "C"]


def test_new_fields_are_left_out_of_dumps_while_empty():
    data = _info().model_dump(mode="json", exclude_none=True)
    assert {"oversight", "timeline", "intervention"} & set(data) == set()
    data = _info(timeline=[{"date": "2013-01-01", "event": "B", "kind": "other"}]).model_dump(mode="json")
    assert data["timeline"] == [{"date": "2013-01-01", "event": "B", "kind": "other", "source": None,
                                 "document": None, "audience": None}]


ABOUT = """  intervention: improvement_notice
  oversight:
    - kind: independent_chair
      name: Independent Chair of the Improvement Board
      role: ROLE-CHAIR
      does: Chairs the board and reports to the minister.
    - kind: improvement_partner
      name: Essex County Council
      does: Coaches our team managers.
    - kind: dfe_adviser
      name: DfE adviser
      does: Advises the Director on the next review.
      audience: staff
  timeline:
    - {date: 2012-11-01, event: The DfE issues the notice., kind: notice_issued}
    - {date: 2012-05-14, event: Ofsted inspects., kind: inspection, source: SRC-OF}
    - {date: 2013-06-20, event: Board papers sent out., kind: board_meeting, audience: staff}
    - {date: 2013-09-01, event: Monitoring visit., kind: monitoring_visit, document: DOC1}
  phases:
    - {id: PH1, title: Phase one, start: 2012-11-01, end: 2013-06-30}
    - {id: PH2, title: Phase two, start: 2013-07-01, summary: Embed the changes.}
"""
V = "2013-07-board"


@pytest.fixture(scope="module")
def about_site(tmp_path_factory) -> Path:
    root = copy_plan(FIXTURES / "minimal", tmp_path_factory.mktemp("about") / "plan")
    plan = root / "plan.yaml"
    plan.write_text(plan.read_text().replace(GOV, GOV + ABOUT))
    publish_as(root, V, "Improvement Board, July 2013", date(2013, 7, 1))
    return build(root)


def test_about_page_in_both_editions(about_site):
    for edition in ("public", "staff"):
        html = page(about_site, edition, "about")
        text = text_of(html)
        assert "<h1>About this plan</h1>" in html
        assert "Overall judgement: Inadequate" in text
        assert "Issued 1 November 2012" in text
        assert ("Level of intervention: Improvement notice : the DfE has issued an improvement notice "
                "(non-statutory).") in text
        assert ('<th scope="row">Essex County Council </th><td>Improvement partner</td>'
                '<td>Coaches our team managers.</td>') in html
        assert ('<th scope="row">Phase two <span class="ip-tag ip-current">Current phase</span></th>'
                '<td class="ip-nowrap">1 July 2013</td><td class="ip-nowrap">–</td><td>Embed the changes.</td>') in html
        assert ('<th scope="row">Improvement Board</th><td>Oversees the plan and holds partners to account.</td>'
                '<td>monthly</td><td>Independent Chair of the Improvement Board</td>') in html
        assert 'href="../gradings/#G1"' in html  # the inspection's judgements, with a link to the gradings page
        assert 'href="../recommendations/#SRC-OF"' in html
    staff, public = (text_of(page(about_site, e, "about")) for e in ("staff", "public"))
    assert "DfE adviser Staff only DfE adviser Advises the Director on the next review." in staff
    assert "Board papers sent out. Staff only" in staff
    assert "DfE adviser" not in public and "Board papers" not in public
    dates = [d for d in ("14 May 2012", "1 November 2012", "20 June 2013", "1 September 2013") if d in staff]
    assert [staff.index(d) for d in dates] == sorted(staff.index(d) for d in dates)  # date order, not file order
    assert "1 September 2013 Planned Monitoring visit." in public


def test_judgements_of_the_inspection_are_on_the_about_page(about_site):
    html = page(about_site, "public", "about")
    assert '<caption>2012 inspection judgements: 1 judgement</caption>' in html
    assert "<th scope=\"row\">Overall effectiveness (safeguarding)</th><td><span class=\"ip-tag ip-grade ip-grade--inadequate\">Inadequate</span></td>" in html


def test_about_is_in_the_nav_after_home(about_site):
    for edition in ("public", "staff"):
        html = page(about_site, edition, "")
        assert html.index('href="about/"') < html.index('href="themes/"')


def test_home_page_summarises_judgement_and_phase(about_site):
    for edition in ("public", "staff"):
        text = text_of(page(about_site, edition, ""))
        assert ("Is it improving? Ofsted judgement Inadequate ( Inspection of safeguarding and looked after "
                "children services , published 6 July 2012) Phase Phase two (from 1 July 2013)") in text


def test_timeline_csv_and_plan_json(about_site):
    for edition, rows_ in (("staff", 4), ("public", 3)):
        text = (about_site / edition / V / "downloads" / "timeline.csv").read_text(encoding="utf-8")
        got = list(csv.reader(io.StringIO(text)))
        point = ["2013-07-board", "Improvement Board, July 2013", "2013-07-01"]
        want = [["date", "event", "kind", "source", "source_title", "document", "document_title", "reporting_point",
                 "reporting_point_title", "reporting_point_date"],
                ["2012-05-14", "Ofsted inspects.", "inspection", "SRC-OF", "Ofsted inspection report", "", "", *point],
                ["2012-11-01", "The DfE issues the notice.", "notice_issued", "", "", "", "", *point],
                ["2013-06-20", "Board papers sent out.", "board_meeting", "", "", "", "", *point],
                ["2013-09-01", "Monitoring visit.", "monitoring_visit", "", "", "DOC1", "Staff briefing, June 2013",
                 *point]]
        assert got == (want if edition == "staff" else want[:3] + want[4:]), edition
        assert len(got) == rows_ + 1
        data = json.loads((about_site / edition / V / "downloads" / "plan.json").read_text(encoding="utf-8"))
        assert data["plan"]["intervention"] == "improvement_notice"
        assert [o["name"] for o in data["plan"]["oversight"]] == (
            ["Independent Chair of the Improvement Board", "Essex County Council", "DfE adviser"]
            if edition == "staff" else ["Independent Chair of the Improvement Board", "Essex County Council"])


def test_public_projection_drops_staff_entries():
    info = _info(oversight=[{"kind": "other", "name": "A", "does": "x"},
                            {"kind": "other", "name": "B", "does": "y", "audience": "staff"}],
                 timeline=[{"date": "2013-01-01", "event": "E", "kind": "other", "audience": "staff"}])
    from generator.model import Plan
    public = project(Plan(info=info), "public").info
    assert [o.name for o in public.oversight] == ["A"] and public.timeline == []
    assert len(info.oversight) == 2  # the staff plan is untouched


def test_key_date_kinds_have_labels():
    assert KeyDateKind.dcs_in_post.label == "Director in post"
    assert OversightKind.sector_led_partner.label == "Sector-led partner"
    assert KeyDate(date="2013-01-01", event="x", kind="report_published").kind.label == "Report published"
    assert Phase(id="P", title="t", start="2013-01-01").end is None
