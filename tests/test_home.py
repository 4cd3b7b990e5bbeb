"""The home page answers "is it improving?": the judgement, what moved since the point before (each figure a link to
its list on What changed), overdue actions and recommendations past due as figures apart from the statuses, and the
headline measures with a trend chart whose text says what the figures did."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from conftest import copy_sample, FIXTURES, build, copy_plan, publish_as
from generator import home, render
from generator.history import Change, Changes, diff
from generator.model import Better, KeyDate, KeyDateKind, Measure, MeasureValue, Status, Unit
from generator.project import PUBLIC, STAFF, project
from generator.reporting import Version
from generator.validate import validate

pytestmark = pytest.mark.filterwarnings("ignore")


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def home_of(site: Path, edition: str, version: str) -> str:
    """The home page's own content (from its title to the latest documents), as HTML."""
    html = (site / edition / version / "index.html").read_text("utf-8")
    return html.split('<div class="ip-home">')[1].split('<h2 id="documents">')[0]


# --- the sample: four published points and the draft -------------------------------------------


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("home-sample") / "plan"
    copy_sample(root)
    return build(root)


SINCE_JUNE = ("Since DfE six-month review, June 2013 Compared with the reporting point before this one: "
              "0 actions moved better 0 actions moved worse 1 action completed 2 actions became overdue "
              "0 actions slipped: target dates moved later What changed since DfE six-month review, June 2013: the "
              "full comparison")
RECS = ("Recommendations 35 recommendations Not started 5 Red 1 Amber 7 Green 10 Complete 12 17 of 35 recommendations "
        "are past their due date : 1 with no progress")


@pytest.mark.parametrize("edition, actions", [
    ("public", "Actions 29 actions Not started 1 Red 3 Amber 6 Green 9 Complete 10 2 actions are overdue : target "
               "date passed, not complete 0 actions slipped: target dates moved later than first set"),
    ("staff", "Actions 30 actions Not started 1 Red 3 Amber 6 Green 9 Complete 11 2 actions are overdue : target "
              "date passed, not complete 0 actions slipped: target dates moved later than first set")])
def test_sample_latest_home_gives_the_verdict_then_the_figures(sample, edition, actions):
    html = home_of(sample, edition, "2013-07-scrutiny")
    text = text_of(html)
    assert text.index("Is it improving? Ofsted judgement Inadequate ( Inspection of safeguarding and looked after "
                      "children services , published 31 July 2012) Phase Strategic Improvement Plan, phase 2 (from 1 "
                      "July 2013) " + SINCE_JUNE) < text.index(actions) < text.index(RECS)
    assert '<a href="changes/#completed"><strong>1</strong> action completed</a>' in html
    assert '<a href="changes/#newly-overdue"><strong>2</strong> actions became overdue</a>' in html
    assert "<li><strong>0</strong> actions moved better</li>" in html  # nothing to list: no link
    assert '<a href="changes/">What changed since DfE six-month review, June 2013: the full comparison</a>' in html
    assert '<a href="actions/#overdue"><strong>2</strong> actions are overdue</a>' in html
    assert ('<svg class="ip-spark" viewBox="0 0 120 32" width="120" height="32" role="img" aria-label="Core '
            'assessments completed in timescale: from 21.6% in November 2012 to 85.4% in April 2013, better"') in html
    assert ('<span class="ip-muted" aria-hidden="true">From 21.6% in November 2012 to 85.4% in April 2013, better</span>'
            in html)  # the same words, seen beside the chart
    assert "Past due, in progress" not in text  # no longer a column beside the statuses


def test_sample_draft_home_compares_with_the_last_point_and_names_the_latest_outside_view(sample):
    html = home_of(sample, "staff", "draft")
    text = text_of(html)
    assert ("Latest outside view DfE review, 28 June 2013: The DfE&#39;s six-monthly review of progress against the "
            "Improvement Notice. Six-month review of the Improvement Notice, June 2013 Phase") in text
    assert ("Since Scrutiny panel, July 2013 The working draft compared with the last reporting point, Scrutiny panel, "
            "July 2013: 0 actions moved better 0 actions moved worse 1 action completed 0 actions became overdue "
            "0 actions slipped: target dates moved later") in text
    assert ("2 actions are overdue : target date passed, not complete 2 actions slipped: target dates moved later "
            "than first set") in text
    assert RECS in text


@pytest.mark.parametrize("edition, recs", [
    ("public", "29 recommendations Not started 23 Red 1 Amber 4 Green 0 Complete 1 26 of 29 recommendations are past "
               "their due date : 9 with no progress"),
    ("staff", "29 recommendations Not started 23 Red 1 Amber 4 Green 0 Complete 1 26 of 29 recommendations are past "
              "their due date : 7 with no progress")])
def test_sample_first_point_says_there_is_nothing_before_it(sample, edition, recs):
    """The staff edition sees the staff-only actions that have begun work on two recommendations."""
    html = home_of(sample, edition, "2012-11-plan-agreed")
    assert ("Phase Strategic Improvement Plan, phase 1 (2012-13) (from 1 November 2012 to 30 June 2013) This is the "
            "plan's first reporting point: there is no earlier one to compare it with.") in text_of(html)
    assert recs in text_of(html)
    assert "changes/" not in html and "Since " not in html


# --- a plan that moved both ways between two points ----------------------------------------------

A1_UPDATE = "        narrative: Audit half done.\n"
MORE_ACTIONS = """  - id: A3
    commitment: C1
    title: Recruit permanent team managers.
    lead: ROLE-DCS
    target_date: 2013-12-31
    updates:
      - date: 2013-06-20
        status: red
        narrative: No applicants yet.
  - id: A4
    commitment: C1
    title: Publish the threshold document.
    lead: ROLE-DCS
    target_date: 2013-06-28
"""


@pytest.fixture(scope="module")
def moved(tmp_path_factory) -> Path:
    """June: A1 amber, A3 red, A4 not started (due 28 June). July: A1 red and its target a month later, A3 amber,
    A4 now overdue."""
    root = copy_plan(FIXTURES / "minimal", tmp_path_factory.mktemp("home-moved") / "plan")
    plan = root / "plan.yaml"

    def edit(old: str, new: str) -> None:
        text = plan.read_text("utf-8")
        assert text.count(old) == 1, old
        plan.write_text(text.replace(old, new), "utf-8")

    edit("sources:\n", MORE_ACTIONS + "sources:\n")
    publish_as(root, "2013-06-board", "Improvement Board, June 2013", date(2013, 6, 25))
    edit(A1_UPDATE, A1_UPDATE + "      - date: 2013-07-01\n        status: red\n        narrative: Auditors left.\n")
    edit("    target_date: 2013-09-30\n", "    target_date: 2013-10-31\n    target_date_changes:\n"
         "      - {on: 2013-07-01, from: 2013-09-30, reason: Auditors left.}\n")
    edit("        narrative: No applicants yet.\n", "        narrative: No applicants yet.\n      - date: 2013-07-01\n"
         "        status: amber\n        narrative: Two managers appointed.\n")
    publish_as(root, "2013-07-board", "Improvement Board, July 2013", date(2013, 7, 1))
    return build(root)


@pytest.mark.parametrize("edition", ["public", "staff"])
def test_each_figure_links_to_its_list_on_what_changed(moved, edition):
    html = home_of(moved, edition, "2013-07-board")
    assert [(href, text_of(words)) for href, words in re.findall(
        r'<li><a href="(changes/[^"]*)">(.*?)</a></li>', html)] == [
        ("changes/#status-moves", "1 action moved better"), ("changes/#status-moves", "1 action moved worse"),
        ("changes/#newly-overdue", "1 action became overdue"),
        ("changes/#target-dates-moved", "1 action slipped: its target date moved later")]
    assert "<li><strong>0</strong> actions completed</li>" in html
    changes = (moved / edition / "2013-07-board" / "changes" / "index.html").read_text("utf-8")
    assert "Audit all priority cases at the front door: amber to red (worse)</li>" in changes
    assert "Recruit permanent team managers: red to amber (better)</li>" in changes
    assert "slipped by 31 days, from 30 September 2013 to 31 October 2013 (Auditors left)</li>" in changes


# --- the draft of a plan with no reporting point yet ----------------------------------------------


def test_a_draft_with_no_point_before_it_says_so(tmp_path):
    site = build(copy_plan(FIXTURES / "minimal", tmp_path / "plan"))
    text = text_of(home_of(site, "staff", "draft"))
    assert ("Phase No phase runs on 1 July 2013 No reporting point has been published yet, so there is nothing to "
            "compare the working draft with. Reporting points: every one, and how to compare any two About this plan") in text


# --- the pieces ---------------------------------------------------------------------------------


def _data(edition=PUBLIC, changes: Changes | None = None) -> render.SiteData:
    plan, diags = validate(FIXTURES / "minimal")
    assert [d for d in diags if d.severity.value == "error"] == []
    return render.SiteData(project(plan, edition), edition, Version("draft", "Draft", date(2013, 7, 1), True),
                           changes=changes)


def _home_body(data: render.SiteData, pages: set[str]) -> str:
    return render._page("home.html.j2", "index.md", "Home", data, readings={}, summary=data.summary,
                        has_page=pages.__contains__, sparks={}).body


def test_recommendations_past_due_link_the_overdue_page_where_it_exists(monkeypatch):
    data = _data(STAFF)
    # R1 open and past due (6 months from July 2012); amber A1 answers it, so it is in progress
    monkeypatch.setattr(data.plan.recommendations[0], "progress", [])
    assert ('<li><a href="recommendations/overdue/"><strong>1 of 1</strong> recommendation is past its due date</a>: '
            '0 with no progress</li>') in _home_body(data, {"recommendations/overdue.md"})
    assert '<li><a href="recommendations/"><strong>1 of 1</strong>' in _home_body(data, set())


def test_the_reporting_points_page_is_linked_where_it_exists():
    data = _data()
    assert ('<p><a href="points/">Reporting points: every one, and how to compare any two</a></p>'
            in _home_body(data, {"points.md"}))
    assert "points/" not in _home_body(data, set())


def test_home_page_is_first_and_rendered_from_the_same_data():
    pages = render.render_site(_data()).pages
    assert pages[0].path == "index.md" and [p.path for p in pages].count("index.md") == 1


def test_a_status_move_is_better_or_worse_by_severity():
    before, _ = validate(FIXTURES / "minimal")
    after = before.model_copy(deep=True)
    a1 = after.actions[0]
    a1.updates.append(a1.updates[0].model_copy(update={"date": date(2013, 7, 1), "status": Status.red}))
    ch = diff(before, after, "June", "July")
    assert ch.sections["Status moves"] == [Change("action", "A1", "Audit all priority cases at the front door",
                                                  "amber to red", "worse")]
    assert ch.count("Status moves", direction="worse") == 1 and ch.count("Status moves", direction="better") == 0
    assert "- **A1** Audit all priority cases at the front door: amber to red (worse)" in ch.markdown()
    assert not ch.first and diff(None, after, "nothing", "July").first


def _measure(better: Better, *values: float | None) -> Measure:
    return Measure(id="M1", name="Referrals", definition="d", unit=Unit.percent, better=better,
                   values=[MeasureValue(period=f"2013-0{i + 1}", value=v) for i, v in enumerate(values)])


@pytest.mark.parametrize("better, values, words", [
    (Better.higher, (62, 70, 71), "Referrals: from 62% in January 2013 to 71% in March 2013, better"),
    (Better.lower, (62, None, 71), "Referrals: from 62% in January 2013 to 71% in March 2013, worse"),
    (Better.neutral, (71, 62), "Referrals: from 71% in January 2013 to 62% in February 2013, down"),
    (Better.higher, (62, 80, 62), "Referrals: from 62% in January 2013 to 62% in March 2013, no change"),
    (Better.higher, (62, None), "")])
def test_trend_words_say_what_the_chart_shows(better, values, words):
    assert home.trend_words(_measure(better, *values)) == words


def test_the_latest_outside_view_is_the_last_review_on_or_before_the_point():
    info = _data().plan.info.model_copy(update={"timeline": [
        KeyDate(date=date(2013, 1, 10), event="Monitoring visit.", kind=KeyDateKind.monitoring_visit),
        KeyDate(date=date(2013, 6, 28), event="DfE review.", kind=KeyDateKind.dfe_review),
        KeyDate(date=date(2013, 6, 30), event="Board meets.", kind=KeyDateKind.board_meeting),
        KeyDate(date=date(2013, 9, 1), event="Next visit.", kind=KeyDateKind.monitoring_visit)]})
    assert home.latest_view(info, date(2013, 7, 1)).event == "DfE review."
    assert home.latest_view(info, date(2013, 1, 9)) is None


@pytest.mark.parametrize("was, now, direction", [
    (Status.red, Status.amber, "better"), (Status.green, Status.amber, "worse"), (Status.amber, Status.complete, "better"),
    (Status.not_started, Status.red, ""), (Status.not_started, Status.amber, ""),
    (Status.not_started, Status.green, "better"), (Status.red, Status.not_started, ""),
])
def test_a_status_move_is_better_or_worse_by_rag_and_a_start_only_when_on_track(was, now, direction):
    from generator.history import _direction

    assert _direction(was, now) == direction
