"""Target-date history: the moves' rules (exact messages and places), the warning against a published reporting
point, and how a slip shows on the action page, the register, the home page and actions.csv in both editions."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from conftest import FIXTURES, build, copy_plan, publish_as
from generator.slips import slip_text
from generator.validate import validate_all
from plan_edits import Replace, edited, locate
from test_corpus import make_corpus

A1_TARGET = "    target_date: 2013-09-30\n"
TWICE = ("    target_date_changes:\n"
         "      - {on: 2013-03-01, from: 2013-05-31, reason: The audit tool was not ready.}\n"
         "      - {on: 2013-05-01, from: 2013-07-31, reason: Two auditors left.}\n")


def rows(root: Path) -> list[tuple]:
    """Every diagnostic but T508 (the cases' plan folders are not git repositories)."""
    return [(d.file, d.line, d.col, d.severity.value, d.code, d.message) for d in validate_all(root)[1]
            if d.code != "T508"]


def at(root: Path, needle: str, nth: int = 0) -> tuple[str, int, int]:
    return ("plan.yaml", *locate(root, "plan.yaml", needle, nth))


def test_an_action_that_slipped_twice_is_valid_and_counted(tmp_path):
    root = edited(tmp_path, Replace(A1_TARGET, A1_TARGET + TWICE))
    plan, diags, _ = validate_all(root)
    assert [d.code for d in diags] == []
    a1 = plan.actions[0]
    assert (a1.original_target_date, a1.slipped_days, a1.times_slipped) == (date(2013, 5, 31), 122, 2)
    assert [(c.on, c.from_, to) for c, to in a1.moves] == [
        (date(2013, 3, 1), date(2013, 5, 31), date(2013, 7, 31)),
        (date(2013, 5, 1), date(2013, 7, 31), date(2013, 9, 30))]
    assert slip_text(a1) == "slipped 122 days (2 times)"
    assert slip_text(plan.actions[1]) == ""


@pytest.mark.parametrize("changes, text", [
    ("      - {on: 2013-03-01, from: 2013-10-31, reason: Done sooner.}\n", "brought forward 31 days"),
    ("      - {on: 2013-03-01, from: 2013-08-31, reason: Later.}\n", "slipped 30 days (1 time)"),
    ("      - {on: 2013-03-01, from: 2013-09-30, reason: Later.}\n"
     "      - {on: 2013-04-01, from: 2013-12-31, reason: Sooner.}\n",
     "moved 2 times, back to its first target date 30 September 2013"),
])
def test_slip_text_says_which_way_the_date_moved(tmp_path, changes, text):
    root = edited(tmp_path, Replace(A1_TARGET, A1_TARGET + "    target_date_changes:\n" + changes))
    assert slip_text(validate_all(root)[0].actions[0]) == text


def test_moves_out_of_order_and_a_move_that_does_not_move(tmp_path):
    root = edited(tmp_path, Replace(A1_TARGET, A1_TARGET + (
        "    target_date_changes:\n"
        "      - {on: 2013-05-01, from: 2013-05-31, reason: First.}\n"
        "      - {on: 2013-03-01, from: 2013-05-31, reason: Second.}\n"
        "      - {on: 2013-06-01, from: 2013-09-30, reason: Third.}\n")))
    assert rows(root) == [
        (*at(root, "2013-05-31", 0), "error", "D351", "action A1 target date change of 2013-05-01 moves the target "
         "from 2013-05-31 to 2013-05-31 (the next move's 'from'), which is the same date"),
        (*at(root, "2013-03-01"), "error", "D350", "action A1 target_date_changes are not in date order: the move of "
         "2013-03-01 is listed after the move of 2013-05-01, which is later"),
        (*at(root, "2013-09-30", 1), "error", "D351", "action A1 target date change of 2013-06-01 moves the target "
         "from 2013-09-30 to 2013-09-30 (target_date), which is the same date"),
    ]


def test_a_move_needs_a_reason(tmp_path):
    root = edited(tmp_path, Replace(A1_TARGET, A1_TARGET + (
        "    target_date_changes:\n      - on: 2013-05-01\n        from: 2013-05-31\n")))
    assert rows(root) == [(*at(root, "on: 2013-05-01"), "error", "S101",
                           "action A1 is missing required field 'target_date_changes[1].reason'")]


# --- against the latest reporting point -------------------------------------------------------

MOVED = "    target_date: 2013-10-31\n"


def published(tmp_path: Path, *edits) -> Path:
    return edited(tmp_path, *make_corpus.published_minimal(), *edits)


def test_a_move_since_the_reporting_point_without_a_record_warns(tmp_path):
    root = published(tmp_path, Replace(A1_TARGET, MOVED))
    assert rows(root) == [(*at(root, "2013-10-31"), "warning", "T530",
                           "action A1 target date 2013-10-31 differs from 2013-09-30, which reporting point "
                           "'2013-07-board' (Improvement Board, July 2013, 2013-07-01) reported, and no "
                           "target_date_changes entry records the move")]
    assert validate_all(root)[1][-1].hint == ("add '- {on: YYYY-MM-DD, from: 2013-09-30, reason: \"...\"}' to the "
                                             "action's target_date_changes")


def test_a_recorded_move_since_the_reporting_point_is_quiet(tmp_path):
    root = published(tmp_path, Replace(A1_TARGET, MOVED + (
        "    target_date_changes:\n      - {on: 2013-07-01, from: 2013-09-30, reason: Auditors left.}\n")))
    assert rows(root) == []


def test_a_move_recorded_from_another_date_still_warns(tmp_path):
    root = published(tmp_path, Replace(A1_TARGET, MOVED + (
        "    target_date_changes:\n      - {on: 2013-07-01, from: 2013-08-31, reason: Auditors left.}\n")))
    assert [r[4] for r in rows(root)] == ["T530"]


def test_a_move_already_reported_is_not_recorded_again(tmp_path):
    """An entry the point itself reported does not record a later move from the reported date."""
    history = "    target_date_changes:\n      - {on: 2013-06-01, from: 2013-09-30, reason: First.}\n"
    reported = make_corpus.published_minimal(Replace(A1_TARGET, "    target_date: 2013-08-31\n" + history))
    root = edited(tmp_path, *reported, Replace(A1_TARGET, MOVED + history))
    assert [r[4] for r in rows(root)] == ["T530"]


# --- pages and downloads, both editions --------------------------------------------------------

V = "2013-07-board"


@pytest.fixture(scope="module")
def slipped_site(tmp_path_factory) -> Path:
    root = copy_plan(FIXTURES / "minimal", tmp_path_factory.mktemp("slips") / "plan")
    text = (root / "plan.yaml").read_text("utf-8").replace(A1_TARGET, A1_TARGET + TWICE)
    (root / "plan.yaml").write_text(text, "utf-8")
    publish_as(root, V, "Improvement Board, July 2013", date(2013, 7, 1))
    return build(root)


def page(site: Path, edition: str, rel: str) -> str:
    return (site / edition / V / rel / "index.html").read_text("utf-8")


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


@pytest.mark.parametrize("edition", ["public", "staff"])
def test_the_action_page_shows_the_slip_and_each_move_with_its_reason(slipped_site, edition):
    html = page(slipped_site, edition, "actions/A1")
    assert "<dt>Target date</dt><dd>30 September 2013 <span class=\"ip-muted\">(slipped 122 days (2 times); first " \
           "target 31 May 2013)</span></dd>" in html
    table = html[html.index('<h2 id="target-date-changes">'):html.index('<h2 id="history">')]
    assert [text_of(r) for r in re.findall(r"<tr>(.*?)</tr>", table, re.S)] == [
        "Moved on From To Days Reason",
        "1 March 2013 31 May 2013 31 July 2013 +61 The audit tool was not ready.",
        "1 May 2013 31 July 2013 30 September 2013 +61 Two auditors left."]
    assert 'id="target-date-changes"' not in page(slipped_site, edition, "actions/A2")


@pytest.mark.parametrize("edition", ["public", "staff"])
def test_the_register_and_home_page_show_what_slipped(slipped_site, edition):
    register = page(slipped_site, edition, "actions")
    assert '<h2 id="slipped">Slipped actions (1)</h2>' in register
    slipped = register[register.index('id="slipped"'):register.index('id="all"')]
    assert text_of(re.findall(r"<tbody>(.*?)</tbody>", slipped, re.S)[0]) == \
        "A1 Audit all priority cases at the front door. 31 May 2013 30 September 2013 slipped 122 days (2 times)"
    assert '<td class="ip-wide-only" data-label="Slipped" data-sort="1000122">slipped 122 days (2 times)</td>' \
        in register
    assert '<span class="ip-slip">· slipped 4 months (2 moves)</span>' in register  # beside A1's status
    assert '<td class="ip-wide-only" data-label="Slipped" data-sort="1000000">–</td>' in register  # A2 never moved
    home = page(slipped_site, edition, "")
    assert ('<li><a href="actions/#slipped"><strong>1</strong> action slipped: target date moved later</a> than first '
            'set</li>') in home


@pytest.mark.parametrize("edition", ["public", "staff"])
def test_actions_csv_has_the_first_target_and_the_slip(slipped_site, edition):
    csv = (slipped_site / edition / V / "downloads/actions.csv").read_text("utf-8").splitlines()
    point = ',2013-07-board,"Improvement Board, July 2013",2013-07-01'
    assert csv[0].endswith(",completed_on,original_target_date,slipped_days,times_slipped,reporting_point,"
                           "reporting_point_title,reporting_point_date")
    assert csv[1].endswith(",2013-05-31,122,2" + point) and csv[1].startswith("A1,")
    assert csv[2].endswith(",2013-03-15,2013-03-31,0,0" + point) and csv[2].startswith("A2,")


def test_a_register_with_no_slip_says_so(tmp_path):
    site = build(copy_plan(FIXTURES / "minimal", tmp_path / "plan"))
    register = (site / "staff" / "draft" / "actions" / "index.html").read_text("utf-8")
    assert '<h2 id="slipped">Slipped actions (0)</h2>\n<p>No action\'s target date has slipped.</p>' in register


def test_what_changed_gives_the_recorded_reason_for_a_move(tmp_path):
    from generator.history import diff

    before = validate_all(edited(tmp_path / "a"))[0]
    after = validate_all(edited(tmp_path / "b", Replace(A1_TARGET, MOVED + (
        "    target_date_changes:\n      - {on: 2013-07-10, from: 2013-09-30, reason: Two auditors left.}\n"))))[0]
    assert [c.what for c in diff(before, after, "June", "July").sections["Target dates moved"]] == [
        "slipped by 31 days, from 30 September 2013 to 31 October 2013 (Two auditors left)"]


def test_a_reported_move_is_read_only(tmp_path):
    """A target date change dated on or before the reporting point is reported history (T511), like an update."""
    history = "    target_date_changes:\n      - {on: 2013-06-01, from: 2013-08-31, reason: First.}\n"
    reported = make_corpus.published_minimal(Replace(A1_TARGET, A1_TARGET + history))
    root = edited(tmp_path, *reported, Replace(A1_TARGET, A1_TARGET + history.replace("First.", "Second.")))
    assert rows(root) == [(*at(root, "2013-06-01"), "error", "T511",
                           "action A1 target date change of 2013-06-01 differs from what reporting point "
                           "'2013-07-board' (Improvement Board, July 2013, 2013-07-01) reported (reason: reported "
                           "'First.')")]
    later = "      - {on: 2013-06-15, from: 2013-09-15, reason: Backdated.}\n"
    root = edited(tmp_path / "added", *reported, Replace(A1_TARGET, A1_TARGET + history + later))
    assert rows(root) == [(*at(root, "2013-06-15"), "error", "T511",
                           "action A1 target date change of 2013-06-15 is dated on or before reporting point "
                           "'2013-07-board' (Improvement Board, July 2013, 2013-07-01) but was not reported in it")]


def test_moves_made_before_a_point_that_reported_none_may_still_be_recorded(tmp_path):
    """A plan published before it kept target date changes can record the moves afterwards (the sample does)."""
    root = edited(tmp_path, *make_corpus.published_minimal(), Replace(A1_TARGET, A1_TARGET + TWICE))
    assert rows(root) == []


def test_a_move_dated_after_the_as_at_date_warns(tmp_path):
    """As for an update: a move recorded on a day the plan has not reached yet is most likely a typing slip."""
    root = edited(tmp_path, Replace(A1_TARGET, A1_TARGET + (
        "    target_date_changes:\n"
        "      - {on: 2099-05-01, from: 2013-07-31, reason: Typed the wrong year.}\n")))
    assert rows(root) == [(*at(root, "2099-05-01"), "warning", "D310", "action A1 target date change of 2099-05-01 "
                           "is dated after the plan's as-at date 2013-07-01")]
