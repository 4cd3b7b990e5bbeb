"""Findings: what diagnostics, deep dives, audits and visits found, answered by actions (`answers:`). Their rules
(exact message and place), their register and pages in both editions, findings.csv, snapshots and `new finding`."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from conftest import FIXTURES, build, copy_plan, publish_as
from generator.render import Download
from generator.validate import validate, validate_all
from generator.snapshot_format import plan_to_data
from plan_edits import Replace, edited, locate

V = "2013-07-board"
F1 = ("findings:\n  - id: F1\n    source: {source}\n    type: concern\n    text: Chronologies are hard to find.\n"
      "{extra}measures:\n")
A1_TITLE = "    title: Audit all priority cases at the front door.\n"


def finding(extra: str = "", source: str = "SRC-OF") -> Replace:
    return Replace("measures:\n", F1.format(source=source, extra=extra))


def answers(*ids: str) -> Replace:
    return Replace(A1_TITLE, A1_TITLE + f"    answers: [{', '.join(ids)}]\n")


def rows(root: Path) -> list[tuple]:
    return [(d.file, d.line, d.col, d.severity.value, d.code, d.message) for d in validate_all(root)[1]]


def at(root: Path, needle: str, nth: int = 0) -> tuple[str, int, int]:
    return ("plan.yaml", *locate(root, "plan.yaml", needle, nth))


# --- rules ----------------------------------------------------------------------------------


def test_an_action_answers_a_finding_and_a_recommendation_together(tmp_path):
    root = edited(tmp_path, finding("    area: Safeguarding services\n    found: 2013-05-17\n"), answers("R1", "F1"))
    plan, diags = validate(root)
    # R1 is complete while A1, which now answers it, is amber: the recommendations' check says so; the finding
    # adds nothing of its own
    assert [(d.code, d.message) for d in diags] == [("D340", "recommendation R1 disagrees with its actions: its "
                                                      "status is complete but the actions that answer it say amber "
                                                      "(A1 amber)")]
    f = plan.findings[0]
    assert (f.id, f.source, f.finding_kind.value, f.area, f.found) == ("F1", "SRC-OF", "concern",
                                                                       "Safeguarding services", date(2013, 5, 17))
    assert f.effective_audience.value == "public"  # like every plan item, public unless marked staff


def test_a_public_action_may_not_answer_a_staff_only_finding(tmp_path):
    root = edited(tmp_path, finding("    audience: staff\n"), answers("F1"))
    assert rows(root) == [(*at(root, "F1]"), "error", "D307", "public action A1 refers to staff-only finding 'F1'")]


def test_a_staff_action_may_answer_a_staff_only_finding(tmp_path):
    a2_title = "    title: Put in place weekly performance clinics.\n"
    root = edited(tmp_path, finding("    audience: staff\n"),
                  Replace(a2_title, a2_title + "    audience: staff\n    answers: [F1]\n"))
    assert rows(root) == []


def test_answers_naming_a_measure_is_the_wrong_kind(tmp_path):
    root = edited(tmp_path, answers("M1"))
    assert rows(root) == [(*at(root, "M1]"), "error", "R203",
                           "action A1 answers[1] 'M1' is a measure, not a finding or recommendation")]



def test_answers_naming_an_action_says_an_action(tmp_path):
    root = edited(tmp_path, answers("A2"))
    assert rows(root) == [(*at(root, "A2]"), "error", "R203",
                           "action A1 answers[1] 'A2' is an action, not a finding or recommendation")]

def test_answers_naming_no_item_lists_findings_and_recommendations(tmp_path):
    root = edited(tmp_path, finding(), answers("F2"))
    assert rows(root) == [(*at(root, "F2]"), "error", "R202",
                           "action A1 answers[1]: there is no finding or recommendation 'F2'; "
                           "findings or recommendations: F1, R1")]


def test_a_finding_names_its_source(tmp_path):
    root = edited(tmp_path, finding(source="SRC-AUDIT"))
    assert rows(root) == [(*at(root, "SRC-AUDIT"), "error", "R202",
                           "finding F1 source: there is no source 'SRC-AUDIT'; sources: SRC-OF")]
    root = edited(tmp_path / "b", finding(source="R1"))
    assert rows(root) == [(*at(root, "R1\n    type: concern"), "error", "R203",
                           "finding F1 source 'R1' is a recommendation, not a source")]


def test_a_public_finding_may_not_come_from_a_staff_only_source(tmp_path):
    root = edited(tmp_path, finding(source="SRC-QA"),
                  Replace("sources:\n", "sources:\n  - id: SRC-QA\n    type: audit\n    audience: staff\n"
                                        "    title: Case file audit\n    published: 2013-05-31\n"))
    assert rows(root) == [(*at(root, "SRC-QA\n    type: concern"), "error", "D307",
                           "public finding F1 refers to staff-only source 'SRC-QA'")]


def test_a_finding_found_after_as_at_is_a_warning(tmp_path):
    root = edited(tmp_path, finding("    found: 2013-08-01\n"))
    assert rows(root) == [(*at(root, "2013-08-01"), "warning", "D310",
                           "finding F1 was found on 2013-08-01, after the plan's as-at date 2013-07-01")]


def test_a_finding_has_no_due_date_or_status(tmp_path):
    root = edited(tmp_path, finding("    due: 2013-09-30\n"))
    assert rows(root) == [(*at(root, "due"), "error", "S102",
                           "finding F1 has unknown field 'due'")]


# --- snapshots ------------------------------------------------------------------------------


def test_findings_are_left_out_of_plan_data_while_there_are_none():
    minimal, _ = validate(FIXTURES / "minimal")
    assert "findings" not in plan_to_data(minimal)
    plan, _ = validate(FIXTURES / "findings")
    assert [f["id"] for f in plan_to_data(plan)["findings"]] == ["F1", "F2", "F3", "F4", "F5", "F6"]
    assert plan_to_data(plan)["findings"][4] == {
        "id": "F5", "source": "SRC-AD", "type": "strength", "area": "Adoption", "found": "2013-05-17",
        "text": "Outcomes for children, according to the Adoption Scorecard, are already mostly good."}


# --- the site -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def findings_site(tmp_path_factory) -> Path:
    root = copy_plan(FIXTURES / "findings", tmp_path_factory.mktemp("findings") / "plan")
    publish_as(root, V, "Improvement Board, July 2013", date(2013, 7, 1))
    return build(root)


def page(site: Path, edition: str, rel: str) -> str:
    return (site / edition / V / rel / "index.html").read_text(encoding="utf-8")


def text_of(html: str) -> str:
    body = html.split('<div class="ip-page">', 1)[1].split('<p class="ip-record">', 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).replace(" .", ".").strip()


def test_the_register_groups_findings_by_source_with_their_answering_actions(findings_site):
    staff = page(findings_site, "staff", "findings")
    assert '<h2 id="SRC-PM">Investigation of performance management</h2>' in staff
    assert '<h2 id="SRC-AD">Adoption diagnostic</h2>' in staff
    assert staff.count("data-sortable") == 2
    text = text_of(staff)
    assert "6 findings, as at 1 July 2013; 1 with no action answering it." in text
    assert ("F3 There was insufficient prioritisation and drill-down of performance issue areas. "
            "Area for development – A4 Complete A5 Amber") in text
    assert ("F4 There was too little interrogation of information or challenge of the causes of performance "
            "issues. Concern – No action answers this finding") in text
    assert ("F6 Chronologies are hard to find in the case management system. Staff only Concern "
            "Safeguarding services A6 Not started") in text
    assert '<a href="../actions/A5/">A5</a>' in staff


def test_the_public_register_leaves_out_staff_findings_and_actions(findings_site):
    public = page(findings_site, "public", "findings")
    text = text_of(public)
    assert "5 findings, as at 1 July 2013; 1 with no action answering it." in text
    assert "F6" not in text and "Chronologies" not in public and "A6" not in text
    assert "Staff only" not in text and "findings/F6/" not in public
    assert not (findings_site / "public" / V / "findings" / "F6").exists()
    assert (findings_site / "staff" / V / "findings" / "F6" / "index.html").exists()


@pytest.mark.parametrize("edition", ["public", "staff"])
def test_a_finding_page_says_how_it_is_answered(findings_site, edition):
    text = text_of(page(findings_site, edition, "findings/F3"))
    assert text.startswith("Finding F3 There was insufficient prioritisation and drill-down of performance issue "
                           "areas. Answered by 2 actions (1 amber, 1 complete). Source Investigation of performance "
                           "management (15 January 2013) Type Area for development Answered by A4: Agree a quality "
                           "assurance framework. Complete A5: Review the fostering and adoption teams&#39; waiting "
                           "list. Amber Mentioned in")
    f4 = text_of(page(findings_site, edition, "findings/F4"))
    assert "No action answers this finding." in f4
    assert "No action in this edition answers this finding." in f4
    assert ("Raised again at the May board." in f4) is (edition == "staff")
    html = page(findings_site, edition, "findings/F5")
    assert '<dt>Source</dt><dd><a href="../#SRC-AD">Adoption diagnostic</a> (17 May 2013)</dd>' in html
    assert "<dt>Found</dt><dd>17 May 2013</dd>" in html


@pytest.mark.parametrize("edition", ["public", "staff"])
def test_findings_are_in_the_nav_and_linked_from_actions_and_sources(findings_site, edition):
    home = page(findings_site, edition, "")
    assert re.search(r'<a href="findings/" class="md-nav__link">\s*<span class="md-ellipsis">\s*Findings', home)
    action = page(findings_site, edition, "actions/A5")
    found = action[action.index("<dt>Answers findings</dt>"):]
    assert re.findall(r'<li><a href="([^"]+)">(F\d): ', found[:found.index("</dd>")]) == [
        ("../../findings/F3/", "F3"), ("../../findings/F5/", "F5")]  # each with the start of its text
    downloads = page(findings_site, edition, "downloads")
    size = Download("", "", "CSV", "", (findings_site / edition / V / "downloads" / "findings.csv").read_text()).size
    assert f'<a href="findings-2013-07-board.csv">findings-2013-07-board.csv</a> (CSV, {size}): ' in downloads


def test_a_plan_without_findings_has_no_findings_register(minimal_site):
    for edition in ("public", "staff"):
        assert not (minimal_site / edition / V / "findings").exists()
        assert not (minimal_site / edition / V / "downloads" / "findings.csv").exists()
        assert "findings" not in page(minimal_site, edition, "").split('class="md-nav')[1]


def test_findings_csv_in_both_editions(findings_site):
    point = ',2013-07-board,"Improvement Board, July 2013",2013-07-01\n'
    header = ("id,source,source_title,type,area,found,finding,answering_actions,answering_action_titles,"
              "answering_statuses,reporting_point,reporting_point_title,reporting_point_date\n")
    pm, ad = "SRC-PM,Investigation of performance management", "SRC-AD,Adoption diagnostic"
    a4, a5 = "A4: Agree a quality assurance framework.", "A5: Review the fostering and adoption teams' waiting list."
    rows = [
        f"F1,{pm},concern,Performance,,Data in the case management system was less robust than previously "
        "thought.,A3,A3: Rebuild the case management system's reports.,green" + point,
        f"F2,{pm},area_for_development,Quality assurance,,The elements of the quality assurance framework did not "
        f"form a cohesive whole.,A4,{a4},complete" + point,
        f"F3,{pm},area_for_development,,,There was insufficient prioritisation and drill-down of performance issue "
        f"areas.,A4 A5,{a4}; {a5},complete amber" + point,
        f"F4,{pm},concern,,,There was too little interrogation of information or challenge of the causes of "
        "performance issues.,,," + point,
        f"F5,{ad},strength,Adoption,2013-05-17,\"Outcomes for children, according to the Adoption Scorecard, are "
        f"already mostly good.\",A5,{a5},amber" + point,
    ]
    staff_only = (f"F6,{ad},concern,Safeguarding services,,Chronologies are hard to find in the case management "
                  "system.,A6,A6: Check every open case's chronology.,not_started" + point)
    csv = lambda edition: (findings_site / edition / V / "downloads" / "findings.csv").read_text()  # noqa: E731
    assert csv("staff") == header + "".join(rows) + staff_only
    assert csv("public") == header + "".join(rows)


# --- new finding ----------------------------------------------------------------------------


def gen(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=root, capture_output=True, text=True)


def test_new_finding_takes_the_next_free_id(tmp_path):
    root = copy_plan(FIXTURES / "findings", tmp_path / "plan")
    before = (root / "plan.yaml").read_text()
    r = gen(root, "new", "finding", "--source", "SRC-AD", "--type", "area_for_development", "--text",
            "Fostering and adoption teams work apart.", "--area", "Adoption", "--found", "2013-05-17")
    assert (r.returncode, r.stderr) == (0, "")
    assert r.stdout == ("added finding F7 to plan.yaml at line 159\nnext: list its id under 'answers:' of each "
                        "action that answers it; then run 'improvement-plan validate'\n")
    added = ("  - id: F7\n    source: SRC-AD\n    type: area_for_development\n"
             "    text: \"Fostering and adoption teams work apart.\"\n    area: Adoption\n    found: 2013-05-17\n")
    assert (root / "plan.yaml").read_text() == before.replace("measures:\n", added + "\nmeasures:\n")
    assert validate(root)[1] == []


def test_new_finding_starts_the_section_and_refuses_an_unknown_source(tmp_path):
    root = copy_plan(FIXTURES / "minimal", tmp_path / "plan")
    r = gen(root, "new", "finding", "--source", "SRC-X", "--type", "strength", "--text", "Children feel safe.")
    assert (r.returncode, r.stderr) == (1, "nothing added: there is no source 'SRC-X'; sources: SRC-OF\n")
    r = gen(root, "new", "finding", "--source", "SRC-OF", "--type", "strength", "--text", "Children feel safe.")
    assert r.stdout.startswith("added finding F1 to plan.yaml at line 112\n")
    plan, diags = validate(root)
    assert diags == [] and [(f.id, f.finding_kind.value) for f in plan.findings] == [("F1", "strength")]
    r = gen(root, "new", "finding", "--source", "SRC-OF", "--type", "weakness", "--text", "x")
    assert r.returncode == 2 and "invalid choice: 'weakness'" in r.stderr


def test_the_sample_has_the_findings_its_seeds_state():
    from conftest import REPO

    plan, _ = validate(REPO)
    assert [(f.id, f.source, f.finding_kind.value) for f in plan.findings] == [
        ("F1", "SRC-PM-2013", "concern"), ("F2", "SRC-PM-2013", "area_for_development"),
        ("F3", "SRC-PM-2013", "area_for_development"), ("F4", "SRC-PM-2013", "area_for_development"),
        ("F5", "SRC-ADOPT-2013", "strength")]
    findings = {f.id for f in plan.findings}
    assert {a.id: [x for x in a.answers if x in findings] for a in plan.actions if findings.intersection(a.answers)} \
        == {"A2.4": ["F2"], "A2.5": ["F1", "F3", "F4"]}
    assert "The findings are quoted from the July 2013" in plan.info.illustrative_note
