"""Recommendations that tell the truth about progress: no timescale, the rule for "immediately", past due in
progress apart from overdue with no progress, status entered or derived from the actions that answer it (with a
flag when they disagree), and "Delivered by" from `answers:`. Rules, the derive table, pages and CSV, exactly."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import build, publish_as
from generator.model import Action, DueState, Plan, PlanInfo, Recommendation, Status
from generator.validate import validate_all
from plan_edits import PLAN, Replace, edited, locate
from test_site import page, text_of

V = "2013-07-board"
CADENCE = "  update_cadence: monthly\n"
ANSWERS_R1 = Replace("    commitment: C1\n    title: Audit", "    commitment: C1\n    answers: [R1]\n    title: Audit")
R1_DONE = "status: complete\n        narrative: All"
MORE_RECS = """        narrative: All assessments now tracked weekly; timescale met since December.
  - id: R2
    source: SRC-OF
    reference: "2"
    text: Improve the quality of supervision.
    service_area: Safeguarding services
    priority: area_for_improvement
  - id: R3
    audience: staff
    source: SRC-OF
    reference: "3"
    text: Review every child protection plan.
    service_area: Safeguarding services
    timescale: immediately
"""
ADD_R2_R3 = Replace("        narrative: All assessments now tracked weekly; timescale met since December.\n", MORE_RECS)


def check(root):
    plan, diags, _ = validate_all(root)
    return plan, [(d.line, d.col, d.severity.value, d.code, d.message) for d in diags]


def at(root, needle: str, nth: int = 0) -> tuple[int, int]:
    return locate(root, PLAN, needle, nth)


# --- rules ----------------------------------------------------------------------------------


def test_no_timescale_and_no_due_is_valid_never_due_and_never_overdue(tmp_path):
    root = edited(tmp_path, Replace("    timescale: within_6_months\n", ""), Replace(R1_DONE, "status: red\n"
                  "        narrative: All"), Replace("as_at: 2013-07-01", "as_at: 2019-07-01"))
    plan, got = check(root)
    rec = plan.recommendations[0]
    assert [g for g in got if g[3] in ("D305", "D311") and g[4].startswith("recommendation")] == []
    assert plan.due_date(rec) is None and plan.due_state(rec, date(2019, 7, 1)) is DueState.no_timescale
    assert not plan.recommendation_overdue(rec, date(2019, 7, 1))


def test_immediately_is_due_the_plans_days_after_publication(tmp_path):
    immediately = Replace("    timescale: within_6_months\n", "    timescale: immediately\n")
    reopen = Replace(R1_DONE, "status: green\n        narrative: All")
    default = edited(tmp_path, immediately, reopen, name="default")
    plan, _ = check(default)
    assert plan.due_date(plan.recommendations[0]) == date(2012, 8, 5)  # published 6 July 2012, plus 30 days
    for as_at, codes in (("2012-08-05", []), ("2012-08-06", ["D305"])):
        root = edited(tmp_path, immediately, reopen, Replace("as_at: 2013-07-01", f"as_at: {as_at}"),
                      Replace("date: 2013-06-20", "date: 2012-07-20"), Replace("date: 2013-01-06", "date: 2012-07-20"),
                      Replace("completed_on: 2013-03-15", "completed_on: 2012-07-20"),
                      Replace("date: 2013-03-15", "date: 2012-07-20"), name=as_at)
        assert [g[3] for g in check(root)[1] if g[3] == "D305"] == codes, as_at
    short = edited(tmp_path, immediately, reopen, Replace(CADENCE, CADENCE + "  immediately_due_after_days: 0\n"),
                   name="same-day")
    plan, got = check(short)
    assert plan.due_date(plan.recommendations[0]) == date(2012, 7, 6)
    assert (*at(short, "immediately\n"), "warning", "D305", "recommendation R1 is past due but in progress: it was "
            "due on 2012-07-06 and its status is green") in got


def test_immediately_due_after_days_is_a_located_error_past_a_year(tmp_path):
    root = edited(tmp_path, Replace(CADENCE, CADENCE + "  immediately_due_after_days: 400\n"))
    assert check(root)[1] == [(*at(root, "400"), "error", "S106",
                               "plan immediately_due_after_days '400': input should be less than or equal to 366")]


@pytest.mark.parametrize("status, answers, word", [
    ("red", False, "overdue with no progress"),
    ("amber", False, "past due but in progress"),
    ("green", False, "past due but in progress"),
])
def test_past_due_wording_follows_the_status(tmp_path, status, word, answers):
    root = edited(tmp_path, Replace(R1_DONE, f"status: {status}\n        narrative: All"))
    assert check(root)[1] == [(*at(root, "within_6_months"), "warning", "D305",
                               f"recommendation R1 is {word}: it was due on 2013-01-06 and its status is {status}")]


def test_not_started_is_past_due_in_progress_only_when_an_answering_action_is_under_way(tmp_path):
    no_progress = Replace("    progress:\n      - date: 2013-01-06\n        status: complete\n        narrative: All "
                          "assessments now tracked weekly; timescale met since December.\n", "")
    elsewhere = Replace("    commitment: C1\n    title: Audit", "    commitment: C1\n    answers: [R2]\n    title: Audit")
    alone = edited(tmp_path, ADD_R2_R3, no_progress, elsewhere, name="alone")
    assert [g for g in check(alone)[1] if "R1" in g[4]] == [(*at(alone, "within_6_months"), "warning", "D305", "recommendation R1 is overdue "
                                "with no progress: it was due on 2013-01-06 and its status is not started")]
    answered = edited(tmp_path, no_progress, ANSWERS_R1, name="answered")
    assert check(answered)[1] == [
        (*at(answered, "R1\n    source"), "warning", "D340", "recommendation R1 disagrees with its actions: its "
         "status is not started but the actions that answer it say amber (A1 amber)"),
        (*at(answered, "within_6_months"), "warning", "D305", "recommendation R1 is past due but in progress: it was "
         "due on 2013-01-06 and its status is not started")]


def test_derived_status_replaces_the_entered_one_and_never_disagrees(tmp_path):
    root = edited(tmp_path, ANSWERS_R1, Replace(CADENCE, CADENCE + "  recommendation_status: derived\n"))
    plan, got = check(root)
    rec = plan.recommendations[0]
    assert (rec.status, plan.recommendation_status(rec), plan.status_disagreement(rec)) == (
        Status.complete, Status.amber, None)
    assert got == [(*at(root, "within_6_months"), "warning", "D305", "recommendation R1 is past due but in progress: "
                    "it was due on 2013-01-06 and its status is amber")]


def test_a_plan_without_answers_falls_back_to_its_commitments_and_flags_nothing(tmp_path):
    plan, got = check(edited(tmp_path))
    rec = plan.recommendations[0]
    assert [a.id for a in plan.answering_actions(rec)] == ["A1", "A2"]
    assert plan.status_disagreement(rec) is None and got == []


# --- the derive table -----------------------------------------------------------------------


def _plan(statuses: list[str], entered: str | None = None, rule: str = "entered") -> Plan:
    actions = [Action.model_validate({
        "id": f"A{i}", "commitment": "C1", "title": "x", "lead": "ROLE", "target_date": "2013-09-30",
        "answers": ["R1"], "updates": [{"date": "2013-06-01", "status": s, "narrative": "n"}]})
        for i, s in enumerate(statuses)]
    rec = Recommendation.model_validate({
        "id": "R1", "source": "S", "reference": "1", "text": "t", "service_area": "s", "due": "2013-01-01",
        "progress": [{"date": "2013-06-01", "status": entered, "narrative": "n"}] if entered else []})
    info = PlanInfo.model_validate({"organisation": "o", "title": "t", "as_at": "2013-07-01",
                                    "recommendation_status": rule, "trigger": {"inspection": {
                                        "title": "i", "start": "2012-05-14", "end": "2012-05-25",
                                        "published": "2012-07-06", "judgement": "inadequate"}}})
    return Plan(info=info, actions=actions, recommendations=[rec])


@pytest.mark.parametrize("statuses, derived", [
    ([], "not_started"),
    (["not_started", "not_started"], "not_started"),
    (["complete", "complete"], "complete"),
    (["complete", "red", "amber"], "red"),
    (["green", "amber", "not_started"], "amber"),
    (["complete", "not_started"], "green"),
    (["green", "complete"], "green"),
    (["not_started", "green"], "green"),
])
def test_derive_table(statuses, derived):
    plan = _plan(statuses, rule="derived")
    rec = plan.recommendations[0]
    assert plan.derived_status(rec).value == derived == plan.recommendation_status(rec).value


@pytest.mark.parametrize("entered, statuses, why", [
    ("not_started", ["green"], "its status is not started but the actions that answer it say green (A0 green)"),
    ("green", ["complete", "complete"], "its status is green but the actions that answer it say complete "
                                        "(A0 complete, A1 complete)"),
    ("complete", ["amber"], "its status is complete but the actions that answer it say amber (A0 amber)"),
    ("amber", ["not_started"], "its status is amber but the actions that answer it say not started (A0 not started)"),
    ("amber", ["green"], None),  # a judgement, not a contradiction
    ("complete", ["complete"], None),
    ("not_started", [], None),  # nothing answers it: nothing to disagree with
])
def test_disagreement_table(entered, statuses, why):
    plan = _plan(statuses, entered)
    assert plan.status_disagreement(plan.recommendations[0]) == why
    assert _plan(statuses, entered, rule="derived").status_disagreement(plan.recommendations[0]) is None


@pytest.mark.parametrize("entered, statuses, state", [
    ("complete", [], DueState.complete),
    ("green", [], DueState.past_due_in_progress),
    ("red", ["green"], DueState.overdue_no_progress),
    (None, ["amber"], DueState.past_due_in_progress),
    (None, ["complete"], DueState.past_due_in_progress),
    (None, ["not_started"], DueState.overdue_no_progress),
    (None, [], DueState.overdue_no_progress),
])
def test_due_state_table(entered, statuses, state):
    plan = _plan(statuses, entered)
    assert plan.due_state(plan.recommendations[0], date(2013, 7, 1)) is state
    assert plan.due_state(plan.recommendations[0], date(2013, 1, 1)) in (DueState.not_yet_due, DueState.complete)


# --- pages and downloads, both editions -----------------------------------------------------


@pytest.fixture(scope="module")
def recs_site(tmp_path_factory):
    root = edited(tmp_path_factory.mktemp("recs"), ANSWERS_R1, ADD_R2_R3)
    publish_as(root, V, "Improvement Board, July 2013", date(2013, 7, 1))
    return build(root)


def test_register_shows_due_states_and_the_flag_in_both_editions(recs_site):
    for edition in ("public", "staff"):
        html = page(recs_site, edition, "recommendations")
        text = text_of(html)
        assert "Complete Disagrees with its actions Its status is complete but the actions that answer it say amber " \
               "(A1 amber)" in text
        assert "\">No timescale</h3>" in html
        assert "Improve the quality of supervision. Area for improvement Safeguarding services No timescale " \
               "Not started –" in text
    staff = text_of(page(recs_site, "staff", "recommendations"))
    assert "Review every child protection plan. Staff only Safeguarding services 5 August 2012 Not started " \
           "Overdue: no progress" in staff
    assert "Review every child protection plan" not in page(recs_site, "public", "recommendations")


def test_recommendation_page_flags_the_disagreement_and_lists_only_the_answering_actions(recs_site):
    for edition in ("public", "staff"):
        html = page(recs_site, edition, "recommendations/R1")
        assert '<span class="ip-tag ip-disagree">Disagrees with its actions</span>' in html
        assert ('<p class="ip-note" id="disagreement"><strong>Status and actions disagree:</strong> its status is '
                'complete but the actions that answer it say amber (A1 amber).</p>') in html
        delivered = html.split('id="delivered-by"')[1].split('id="progress"')[0]
        assert 'href="../../actions/A1/"' in delivered and "actions/A2" not in delivered
        r2 = text_of(page(recs_site, edition, "recommendations/R2"))
        assert "Timescale No timescale Due No due date" in r2
        assert "No action in this edition answers it yet." in r2


def test_home_counts_past_due_apart_from_statuses(recs_site):
    """Past due is a figure of its own beside the statuses, never a column that reads as a sixth status."""
    staff = text_of(page(recs_site, "staff", ""))
    assert ("Recommendations 3 recommendations Not started 2 Red 0 Amber 0 Green 0 Complete 1 1 of 3 recommendations "
            "is past its due date : 1 with no progress") in staff
    assert ("Recommendations 2 recommendations Not started 1 Red 0 Amber 0 Green 0 Complete 1 No recommendation is "
            "past its due date.") in text_of(page(recs_site, "public", ""))


def test_recommendations_csv_has_due_state_and_status_columns(recs_site):
    csv = (recs_site / "public" / V / "downloads" / "recommendations.csv").read_text(encoding="utf-8")
    point = ',2013-07-board,"Improvement Board, July 2013",2013-07-01\n'
    assert csv == (
        "id,source,source_title,reference,recommendation,service_area,timescale,due,priority,status,overdue,"
        "report_back,delivering_actions,delivering_action_titles,due_state,entered_status,derived_status,"
        "status_disagrees,reporting_point,reporting_point_title,reporting_point_date\n"
        "R1,SRC-OF,Ofsted inspection report,1,Ensure all assessments are completed in timescale.,Safeguarding "
        "services,within_6_months,2013-01-06,,complete,no,,A1,A1: Audit all priority cases at the front door.,"
        "complete,complete,amber,its status is complete but the actions that answer it say amber (A1 amber)" + point
        + "R2,SRC-OF,Ofsted inspection report,2,Improve the quality of supervision.,Safeguarding services,,,"
        "area_for_improvement,not_started,no,,,,no_timescale,not_started,not_started," + point)
    staff = (recs_site / "staff" / V / "downloads" / "recommendations.csv").read_text(encoding="utf-8")
    assert staff.endswith("R3,SRC-OF,Ofsted inspection report,3,Review every child protection plan.,Safeguarding "
                          "services,immediately,2012-08-05,,not_started,yes,,,,overdue_no_progress,not_started,"
                          "not_started," + point)


def test_timelines_and_what_changed_use_the_derived_status():
    from generator.history import diff, timelines

    before, after = _plan(["green"], "not_started", rule="derived"), _plan(["complete"], "not_started", rule="derived")
    rows = timelines([("June", date(2013, 6, 1), before), ("July", date(2013, 7, 1), after)])["R1"]
    assert [r.status for r in rows] == [Status.green, Status.complete]
    done = diff(before, after, "June", "July").sections["Completed"]
    assert [(c.id, c.what) for c in done if c.kind == "recommendation"] == [("R1", "green to complete")]


def test_action_page_names_the_recommendations_it_answers(recs_site):
    for edition in ("public", "staff"):
        a1 = text_of(page(recs_site, edition, "actions/A1"))
        assert "Answers recommendations R1" in a1
        assert "Answers recommendations" not in text_of(page(recs_site, edition, "actions/A2"))
