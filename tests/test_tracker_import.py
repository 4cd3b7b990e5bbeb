"""import-tracker's writer and command: Readings built here (not read from files), written into the minimal plan.

Each test asserts the exact YAML inserted (with its comments), the exact summary and every problem line, and that
nothing else in the files changed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from conftest import FIXTURES, copy_plan
from generator.cli import main
from generator.model import Status
from generator.tracker import Column, Reading, TrackerRow, TrackerUpdate, Where
from generator.tracker_import import TrackerImportError, Outcome, looks_like_a_person, plan_import, write_outcome
from generator.validate import validate, validate_all


@pytest.fixture
def root(tmp_path) -> Path:
    return copy_plan(FIXTURES / "minimal", tmp_path / "plan")


def W(row: int, col: int) -> Where:
    return Where("tracker.xlsx", "Plan", row, col)


def trow(row: int = 2, **kw) -> TrackerRow:
    """A row of the exported layout: each field in its column (Column's order is the export's)."""
    cells = {c: W(row, i) for i, c in enumerate(Column, start=1)}
    fields = {"action": "Open a family hub in each locality.", "lead": "Head of Early Help",
              "due": date(2013, 12, 31), **kw}
    return TrackerRow(where=W(row, 1), cells=cells, **fields)


def up(day: date, status: Status, narrative: str, where: Where | None = None, ref: str | None = None):
    return TrackerUpdate(day, status, narrative, where or W(2, 8), reference=ref)


def run(root: Path, *rows: TrackerRow, updates=(), problems=()) -> Outcome:
    plan, diags = validate(root)
    return plan_import(root, plan, Reading(tuple(rows), tuple(updates), tuple(problems)), "tracker.xlsx")


def inserted(root: Path, outcome: Outcome) -> str:
    """The one file changed (plan.yaml), written; returns its new text after checking the plan is valid."""
    assert list(outcome.texts) == [root / "plan.yaml"]
    write_outcome(root, outcome)
    _, diags, _ = validate_all(root)
    assert [d.text() for d in diags if d.severity.value == "error"] == []
    return (root / "plan.yaml").read_text(encoding="utf-8")


def without(text: str, *blocks: str) -> str:
    for b in blocks:
        assert text.count(b) == 1, b
        text = text.replace(b, "")
    return text


def test_a_new_action_brings_its_theme_commitment_and_role_with_comments_saying_where_each_came_from(root):
    before = (root / "plan.yaml").read_text(encoding="utf-8")
    out = run(root, trow(reference="1.2a", theme="Early help", commitment="Families get help early.",
                         status=Status.amber, update=up(date(2013, 6, 28), Status.amber, "Two sites are agreed."),
                         notes=("Cell note on D2: ask the chair",)))
    assert out.summary(validate(root)[0].info.terms) == (
        "1 action added, 1 update added, 0 unchanged, 1 theme, 1 commitment and 1 role added, 0 cells not used")
    assert out.problems == [] and out.warnings == []
    role = ("  # import-tracker: lead 'Head of Early Help' in tracker.xlsx:Plan!E2\n"
            "  - id: ROLE-HEAD-OF-EARLY-HELP\n"
            '    title: "Head of Early Help"\n\n')
    theme = ("  # import-tracker: from tracker.xlsx:Plan!B2\n"
             "  # import-tracker set sponsor and operational_lead to the lead of most of its actions: check them\n"
             "  - id: T2\n"
             '    title: "Early help"\n'
             "    sponsor: ROLE-HEAD-OF-EARLY-HELP\n"
             "    operational_lead: ROLE-HEAD-OF-EARLY-HELP\n\n")
    commitment = ("  # import-tracker: from tracker.xlsx:Plan!C2\n"
                  "  - id: C2.1\n"
                  "    theme: T2\n"
                  '    statement: "Families get help early."\n\n')
    action = ("\n  # import-tracker: from tracker.xlsx, sheet Plan, row 2\n"
              "  # tracker reference 1.2a (not a plan id)\n"
              "  # Cell note on D2: ask the chair\n"
              "  - id: A2.1\n"
              "    commitment: C2.1\n"
              '    title: "Open a family hub in each locality."\n'
              "    lead: ROLE-HEAD-OF-EARLY-HELP\n"
              "    target_date: 2013-12-31\n"
              "    updates:\n"
              "      - date: 2013-06-28\n"
              "        status: amber\n"
              '        narrative: "Two sites are agreed."\n\n')
    after = inserted(root, out)
    assert without(after, role, theme, commitment, action) == before
    assert after.index(role) < after.index("\nthemes:") < after.index(theme) < after.index("\ncommitments:") \
        < after.index(commitment) < after.index("\nactions:") < after.index(action) < after.index("\nsources:")


def test_an_action_in_the_plan_gains_only_newer_updates_and_every_other_difference_is_reported_at_its_cell(root):
    before = (root / "plan.yaml").read_text(encoding="utf-8")
    row = trow(reference="A1", action="Audit all priority cases at the front door.",
               lead="director of children's  services", due=date(2013, 10, 31), status=Status.amber,
               update=up(date(2013, 6, 27), Status.amber, "Audit three quarters done."))
    older = up(date(2013, 6, 1), Status.green, "Audit started.", Where("tracker.xlsx", "Updates", 3, 1), "A1")
    out = run(root, row, updates=[older])
    assert [p.text for p in out.problems] == [
        "tracker.xlsx:Plan!F2: A1's due date is 31/10/2013 here but 2013-09-30 in the plan; the plan is kept "
        "(change target_date in the plan, with a target_date_changes entry, if it moved)",
        "tracker.xlsx:Updates!A3: A1's update of 01/06/2013 (Green) is not in the plan, whose latest update is of "
        "2013-06-20; the plan is kept (updates already in the plan are read-only: add this one by hand if it "
        "belongs there)"]
    assert (out.actions_added, out.updates_added, out.unchanged) == (0, 1, 0)
    appended = ("      - date: 2013-06-27\n"
                "        status: amber\n"
                '        narrative: "Audit three quarters done."\n')
    after = inserted(root, out)
    assert without(after, appended) == before
    assert after.index("narrative: Audit half done.\n") + len("narrative: Audit half done.\n") == after.index(appended)


def test_a_row_the_plan_already_holds_is_unchanged_and_no_file_is_touched(root):
    row = trow(reference="A2", action="Put in place  weekly performance clinics.",
               lead="Director of Children's Services",
               due=date(2013, 3, 31), status=Status.complete, completed=date(2013, 3, 15),
               update=up(date(2013, 3, 15), Status.complete, "Clinics running weekly."))
    by_title = trow(row=3, theme="safeguarding PRACTICE", action="audit all priority cases at the front door.",
                    lead="Director of Children's Services", due=date(2013, 9, 30))
    out = run(root, row, by_title)
    assert (out.unchanged, out.texts, out.problems) == (2, {}, [])


def test_a_completion_appends_the_complete_update_and_sets_completed_on(root):
    before = (root / "plan.yaml").read_text(encoding="utf-8")
    row = trow(reference="A1", action="Audit all priority cases at the front door.",
               lead="Director of Children's Services", due=date(2013, 9, 30), status=Status.complete,
               update=up(date(2013, 6, 30), Status.complete, "All priority cases audited."),
               completed=date(2013, 6, 30))
    after = inserted(root, run(root, row))
    assert without(after, "    completed_on: 2013-06-30\n",
                   '      - date: 2013-06-30\n        status: complete\n        narrative: "All priority cases '
                   'audited."\n') == before
    assert "    target_date: 2013-09-30\n    completed_on: 2013-06-30\n    updates:\n" in after


def test_an_action_without_updates_gets_an_updates_list(root):
    text = (root / "plan.yaml").read_text(encoding="utf-8")
    three = ("  - id: A3\n    commitment: C1\n    title: Train every team manager.\n    lead: ROLE-CHAIR\n"
             "    target_date: 2013-12-31\n")
    (root / "plan.yaml").write_text(text.replace("sources:\n", three + "sources:\n"), encoding="utf-8")
    before = (root / "plan.yaml").read_text(encoding="utf-8")
    row = trow(reference="A3", action="Train every team manager.", lead="Independent Chair of the Improvement Board",
               status=Status.green, update=up(date(2013, 6, 3), Status.green, "First cohort booked."))
    after = inserted(root, run(root, row))
    assert after == before.replace(three, three + "    updates:\n      - date: 2013-06-03\n        status: green\n"
                                                  '        narrative: "First cohort booked."\n')


def test_without_theme_or_commitment_columns_one_of_each_is_made_and_a_persons_name_is_a_warning(root):
    out = run(root, trow(lead="Jane Smith", reference="A1.7"))
    assert [p.text for p in out.warnings] == [
        "tracker.xlsx:Plan!E2: the lead 'Jane Smith' looks like a person's name; it was imported as role "
        "ROLE-JANE-SMITH (the plan names posts: change the role's title to the post (e.g. Head of Safeguarding))"]
    after = inserted(root, out)
    assert ("  # import-tracker: lead 'Jane Smith' in tracker.xlsx:Plan!E2\n"
            "  # this looks like a person's name: the plan names posts; give the post's title\n"
            "  - id: ROLE-JANE-SMITH\n") in after
    assert ("  # import-tracker: the tracker has no theme column, so its actions are put under this one theme: "
            "rename it, or map a theme column\n") in after
    assert '  - id: T2\n    title: "Actions from tracker.xlsx"\n' in after
    assert ("  # import-tracker: the tracker has no commitment column, so each theme has one commitment, named after "
            "it: rewrite the statement\n  - id: C2.1\n    theme: T2\n    statement: \"Actions from tracker.xlsx\"\n"
            ) in after
    assert "  - id: A1.7\n    commitment: C2.1\n" in after  # a valid, free reference is the id


def test_a_person_is_told_from_a_post():
    assert [looks_like_a_person(t) for t in ("Jane Smith", "Dr Amir Khan", "Head of Early Help", "Chief Executive",
                                            "Principal Social Worker", "Cllr Brown")] == \
        [True, True, False, False, False, True]


def test_cells_the_plan_cannot_take_are_reported_and_the_rest_is_imported(root):
    rows = [trow(reference="N1", theme="Safeguarding practice", commitment="Every child gets a timely assessment.",
                 status=Status.red, update=up(date(2013, 6, 2), Status.red, " "), answers=("R1", "OF-9", "T1")),
            trow(row=3, reference="N2", action="Review every open plan.", theme="Safeguarding practice",
                 commitment="Every child gets a timely assessment.", status=Status.green,
                 update=up(date(2013, 7, 9), Status.green, "Half reviewed.", W(3, 8)), completed=date(2013, 8, 1)),
            trow(row=4, reference="N1", action="Something else."),
            trow(row=5, action="open a family hub in each  locality.", theme="Safeguarding practice")]
    orphan = up(date(2013, 5, 1), Status.green, "Started.", Where("tracker.xlsx", "Updates", 2, 1), "X9")
    read = W(6, 6)
    from generator.tracker import Problem
    out = run(root, *rows, updates=[orphan], problems=[Problem(read, "'Q5 2015' is not a date")])
    assert [p.text for p in out.problems] == [
        "tracker.xlsx:Plan!F6: 'Q5 2015' is not a date",
        "tracker.xlsx:Plan!H2: N1's update of 2013-06-02 is Red but has no narrative: not used (say why, and what "
        "is being done, in the update)",
        "tracker.xlsx:Plan!L2: N1 answers 'OF-9', which is not a recommendation or finding of the plan: not used "
        "(add the recommendation first (improvement-plan new recommendation), then list it under the action's "
        "answers)",
        "tracker.xlsx:Plan!L2: N1 answers 'T1', which is not a recommendation or finding of the plan: not used (add "
        "the recommendation first (improvement-plan new recommendation), then list it under the action's answers)",
        "tracker.xlsx:Plan!H3: N2's update of 2013-07-09 is after the plan's as-at date 2013-07-01: not used (move "
        "the plan's as_at first, or import it later)",
        "tracker.xlsx:Plan!K3: N2 completed on 2013-08-01, after the plan's as-at date 2013-07-01: not used",
        "tracker.xlsx:Plan!A4: this row repeats the action of tracker.xlsx:Plan!A2: not used (keep one row per "
        "action; put earlier updates on the Updates sheet)",
        "tracker.xlsx:Plan!A5: this row repeats the action of tracker.xlsx:Plan!A2: not used (keep one row per "
        "action; put earlier updates on the Updates sheet)",
        "tracker.xlsx:Updates!A2: no action of the tracker has the reference 'X9': not used (give the action's "
        "reference as it is on the actions sheet)"]
    after = inserted(root, out)
    assert ("  - id: N1\n    commitment: C1\n    title: \"Open a family hub in each locality.\"\n"
            "    lead: ROLE-HEAD-OF-EARLY-HELP\n    target_date: 2013-12-31\n    answers: [R1]\n\n") in after
    assert "  - id: N2\n" in after and "2013-07-09" not in after


def test_write_outcome_puts_every_file_back_when_the_result_is_invalid(tmp_path, root):
    extra = root / "plan" / "more.yaml"
    extra.parent.mkdir()
    extra.write_text("actions: []\n", encoding="utf-8")
    plan_text = (root / "plan.yaml").read_text(encoding="utf-8")
    (root / "plan.yaml").write_text(plan_text.replace("plan:\n", "include:\n  - plan/more.yaml\nplan:\n", 1),
                                    encoding="utf-8")
    files = {p: p.read_bytes() for p in (root / "plan.yaml", extra)}
    bad = Outcome(texts={root / "plan.yaml": (files[root / "plan.yaml"].decode(), files[root / "plan.yaml"].decode()
                                              + "# fine\n"),
                         extra: (files[extra].decode(), "actions:\n  - id: A1\n")})
    with pytest.raises(TrackerImportError) as caught:
        write_outcome(root, bad)
    assert caught.value.message == ("the imported items would make the plan invalid, so nothing was written (every "
                                    "file is as it was)")
    assert {p: p.read_bytes() for p in files} == files


# --- the command -----------------------------------------------------------------------------------

CSV_HEAD = ("Reference,Theme,Commitment,Action,Lead,Due date,Original due date,RAG,Latest update,Update date,"
            "Completed on,Recommendations\n")


def plan_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_dry_run_writes_nothing_to_the_plan_but_saves_the_proposed_mapping(root, tmp_path, capsys):
    tracker = tmp_path / "tracker.csv"
    tracker.write_text(CSV_HEAD + "X1,Safeguarding practice,Every child gets a timely assessment.,Train staff,"
                       "Independent Chair of the Improvement Board,2013-12-31,,Green,On track,2013-06-30,,\n",
                       encoding="utf-8")
    before = plan_bytes(root)
    assert main(["import-tracker", str(tracker), "--dry-run", "--root", str(root)]) == 0
    assert plan_bytes(root) == before
    mapping = tmp_path / "tracker.mapping.yaml"
    assert mapping.is_file()
    out = capsys.readouterr().out
    assert out == (
        f"proposed a column mapping and saved it to {mapping}: check it, edit it if a column is wrong, and run the "
        "import again (it is used from then on)\n"
        "--- would add to plan.yaml:\n"
        f"\n  # import-tracker: from {tracker}, line 2\n"
        "  - id: X1\n    commitment: C1\n    title: \"Train staff\"\n    lead: ROLE-CHAIR\n"
        "    target_date: 2013-12-31\n    updates:\n      - date: 2013-06-30\n        status: green\n"
        "        narrative: \"On track\"\n"
        "dry run: nothing was written to the plan; the proposed mapping was saved. 1 action added, 1 update added, "
        "0 unchanged, 0 themes, 0 commitments and 0 roles added, 0 cells not used\n")
    mapping.write_text(mapping.read_text(encoding="utf-8") + "# the council's edit\n", encoding="utf-8")
    edited = mapping.read_bytes()
    assert main(["import-tracker", str(tracker), "--root", str(root)]) == 0
    assert mapping.read_bytes() == edited  # never overwritten
    assert capsys.readouterr().out.splitlines()[:2] == [f"using the mapping in {mapping} (beside the tracker)",
                                                       "wrote plan.yaml"]
    assert "  - id: X1\n" in (root / "plan.yaml").read_text(encoding="utf-8")
    assert main(["import-tracker", str(tracker), "--root", str(root)]) == 0  # again: nothing new
    assert capsys.readouterr().out.splitlines()[-1] == (
        "0 actions added, 0 updates added, 1 unchanged, 0 themes, 0 commitments and 0 roles added, 0 cells not used")


def test_conflicts_exit_1_after_writing_what_could_be_used(root, tmp_path, capsys):
    tracker = tmp_path / "t.csv"
    tracker.write_text(CSV_HEAD + "A1,Safeguarding practice,Every child gets a timely assessment.,Audit all priority "
                       "cases at the front door.,Director of Children's Services,2013-10-31,,Green,Nearly done,"
                       "2013-06-30,,\n", encoding="utf-8")
    given = tmp_path / "my-mapping.yaml"
    assert main(["import-tracker", str(tracker), "--mapping", str(given), "--root", str(root)]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines()[0] == (f"proposed a column mapping and saved it to {given}: check it, edit it if a column "
                                   "is wrong, and run the import again with it")
    assert err == (f"{tracker}:2:6: A1's due date is 31/10/2013 here but 2013-09-30 in the plan; the plan is kept "
                   "(change target_date in the plan, with a target_date_changes entry, if it moved)\n")
    assert "      - date: 2013-06-30\n        status: green\n" in (root / "plan.yaml").read_text(encoding="utf-8")


def test_usage_errors_and_an_invalid_plan(root, tmp_path, capsys):
    tracker = tmp_path / "t.csv"
    tracker.write_text(CSV_HEAD, encoding="utf-8")
    assert main(["import-tracker", str(tracker), "--sheet", "Plan", "--root", str(root)]) == 2
    assert capsys.readouterr().err == "not imported: --sheet is for Excel workbooks: a CSV file has no sheets\n"
    assert main(["import-tracker", str(tmp_path / "none.xlsx"), "--root", str(root)]) == 2
    assert capsys.readouterr().err == f"not imported: there is no file {tmp_path / 'none.xlsx'}\n"
    (root / "plan.yaml").write_text((root / "plan.yaml").read_text(encoding="utf-8").replace(
        "lead: ROLE-DCS\n    target_date: 2013-09-30", "lead: ROLE-NOBODY\n    target_date: 2013-09-30"),
        encoding="utf-8")
    before = plan_bytes(root)
    assert main(["import-tracker", str(tracker), "--root", str(root)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[-1] == "not imported: the plan has 1 error: fix it first (improvement-plan validate)"
    assert plan_bytes(root) == before and not (tmp_path / "t.mapping.yaml").exists()


def test_into_a_split_plan_items_go_to_the_file_holding_their_section_and_every_comment_is_kept(tmp_path, capsys):
    from conftest import copy_sample

    root = copy_sample(tmp_path / "sample")
    actions = root / "plan" / "actions.yaml"
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    tracker = tmp_path / "board.csv"
    tracker.write_text(
        CSV_HEAD +
        ",,,\"Agree a work plan with parents and carers of disabled children that acts on the findings of the peer "
        "challenge.\",\"Head of Service, Children with Disabilities\",2013-09-30,,Green,The plan is agreed.,"
        "2013-07-22,,\n"
        "A3.14,,,Publish the short breaks statement.,\"Head of Service, Children with Disabilities\",2013-10-31,,"
        "Not started,,,,\n", encoding="utf-8")
    assert main(["import-tracker", str(tracker), "--root", str(root)]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == [
        "wrote plan.yaml", "wrote plan/actions.yaml",
        "1 action added, 1 update added, 0 unchanged, 1 theme, 1 commitment and 0 roles added, 0 cells not used"]
    text = actions.read_text(encoding="utf-8")
    old = before[actions].decode("utf-8")
    appended = "      - date: 2013-07-22\n        status: green\n        narrative: \"The plan is agreed.\"\n"
    new = (f"\n  # import-tracker: from {tracker}, line 3\n  - id: A3.14\n    commitment: C4.1\n"
           "    title: \"Publish the short breaks statement.\"\n    lead: ROLE-HOCWD\n    target_date: 2013-10-31\n")
    assert text == old + appended + new
    changed = {p for p in before if p.read_bytes() != before[p]}
    assert changed == {actions, root / "plan.yaml"}


def test_an_interrupted_write_puts_back_the_files_already_written(root, monkeypatch):
    from generator import tracker_import

    second = root / "other.yaml"
    second.write_text("x: 1\n", encoding="utf-8")
    files = {p: p.read_bytes() for p in (root / "plan.yaml", second)}
    calls = []
    real = tracker_import.atomic_write

    def killed_on_the_second(path, data):
        calls.append(path)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real(path, data)

    monkeypatch.setattr(tracker_import, "atomic_write", killed_on_the_second)
    outcome = Outcome(texts={p: (b.decode(), b.decode() + "# more\n") for p, b in files.items()})
    with pytest.raises(KeyboardInterrupt):
        write_outcome(root, outcome)
    assert {p: p.read_bytes() for p in files} == files


def test_a_rag_without_an_update_date(root):
    """A new action's RAG is dated the plan's as-at date, and says so; a differing RAG of an action in the plan is
    reported (the plan's status changes only by a dated update)."""
    new = trow(reference="N1", theme="Safeguarding practice", commitment="Every child gets a timely assessment.",
               status=Status.green)
    known = trow(row=3, reference="A1", action="Audit all priority cases at the front door.",
                 lead="Director of Children's Services", due=date(2013, 9, 30), status=Status.red)
    same = trow(row=4, reference="A2", action="Put in place weekly performance clinics.",
                lead="Director of Children's Services", due=date(2013, 3, 31), status=Status.complete)
    out = run(root, new, known, same)
    assert [p.text for p in out.problems] == [
        "tracker.xlsx:Plan!H3: A1's RAG is Red here but Amber in the plan, and the tracker gives no update date; "
        "the plan is kept (give the update's date (and narrative) to add it as an update)"]
    assert (out.actions_added, out.updates_added, out.unchanged) == (1, 1, 1)
    assert ("  # the tracker gives no update date for its RAG (Green): dated the plan's as-at date, 2013-07-01\n"
            "  - id: N1\n") in (after := inserted(root, out))
    assert "    updates:\n      - date: 2013-07-01\n        status: green\n\n" in after


def test_unprintable_characters_are_reported_at_their_cell_and_kept_out_of_the_plan(root):
    out = run(root, trow(action="Open a hub\u202e today", theme="Safeguarding practice"),
              trow(row=3, reference="N2", theme="Safeguarding practice", status=Status.green,
                   update=up(date(2013, 6, 3), Status.green, "Bad\x07bell", W(3, 8)), notes=("note\x1bhere",)))
    assert [p.text for p in out.problems] == [
        "tracker.xlsx:Plan!D2: the action holds the character U+202E (a bidirectional control): not used (delete it "
        "(it is invisible, or changes how the text around it reads) and retype the text there)",
        "tracker.xlsx:Plan!H3: N2's update of 2013-06-03 holds the character U+0007 (a control character): not used "
        "(delete it (it is invisible, or changes how the text around it reads) and retype the text there)"]
    after = inserted(root, out)
    assert "  # note<U+001B>here\n  - id: N2\n" in after and "Bad" not in after


def test_an_undated_update_keeps_its_words_and_is_dated_the_plans_as_at(root):
    """The reader gives an update with no date as dated=False (its day is the tracker's own date): a new action's
    update keeps its narrative, dated the plan's as-at date and said so; an action in the plan whose status
    differs is reported, never given an update dated by guesswork."""
    undated = TrackerUpdate(date(2013, 6, 20), Status.amber, "Recruitment is behind plan.", W(2, 9), dated=False)
    new = trow(reference="N1", theme="Safeguarding practice", commitment="Every child gets a timely assessment.",
               status=Status.amber, update=undated)
    known = trow(row=3, reference="A1", action="Audit all priority cases at the front door.",
                 lead="Director of Children's Services", due=date(2013, 9, 30), status=Status.red,
                 update=TrackerUpdate(date(2013, 6, 20), Status.red, "Worse.", W(3, 9), dated=False))
    out = run(root, new, known)
    assert [p.text for p in out.problems] == [
        "tracker.xlsx:Plan!H3: A1's RAG is Red here but Amber in the plan, and the tracker gives no update date; "
        "the plan is kept (give the update's date (and narrative) to add it as an update)"]
    after = inserted(root, out)
    assert ("  # the tracker gives no update date for its RAG (Amber): dated the plan's as-at date, 2013-07-01\n"
            "  - id: N1\n") in after
    assert ("    updates:\n      - date: 2013-07-01\n        status: amber\n"
            "        narrative: \"Recruitment is behind plan.\"\n") in after
