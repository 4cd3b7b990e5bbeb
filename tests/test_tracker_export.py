"""export-tracker's workbook and CSV: layout, real dates, RAG fill with its word, text never a formula, byte-stable
output, and nothing staff-only in the public edition's tracker."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from conftest import FIXTURES, REPO, copy_plan, publish_as
from generator.build import site_data
from generator.tracker import UPDATE_HEADINGS, UPDATES_SHEET, headings
from generator.tracker_export import FILLS, tracker_csv, tracker_xlsx
from generator.model import Status


def xml_of(xlsx: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist()}


@pytest.fixture(scope="module")
def sample_draft():
    return site_data(REPO, "staff", "draft")


def test_the_actions_sheet_holds_one_row_per_action_in_plan_order_with_real_dates(sample_draft):
    wb = load_workbook(io.BytesIO(tracker_xlsx(sample_draft)))
    assert wb.sheetnames == ["Actions", UPDATES_SHEET, "About"]
    ws = wb["Actions"]
    assert [c.value for c in ws[1]] == [*headings(sample_draft.terms).values(), "Audience"]  # the staff edition's
    assert [ws.cell(row=r, column=1).value for r in range(2, ws.max_row + 1)] == \
        [a.id for a in sample_draft.plan.actions]
    first = [c.value for c in ws[2]]
    assert first == [
        "A1.1", "Improving the quality of partnerships and governance",
        "The Walsall Safeguarding Children Board will lead and check the quality of safeguarding across all agencies, "
        "so that it can take over from the Improvement Board.",
        "Appoint a new independent chair of the Safeguarding Children Board through a multi-agency selection process, "
        "and refocus the Board's sub-groups and their terms of reference.",
        "Chief Executive", datetime(2013, 4, 30), None, "Complete",
        "The new chair is in post and the sub-groups now work to revised terms of reference. A learning and "
        "development framework has gone out for consultation.", datetime(2013, 4, 15), datetime(2013, 4, 15), "OF-S8",
        "Public"]
    assert ws["F2"].number_format == "dd/mm/yyyy" and ws["F2"].is_date
    assert ws["H2"].fill.start_color.rgb == "00" + FILLS[Status.complete]
    assert (ws.freeze_panes, ws.auto_filter.ref) == ("A2", f"A1:M{ws.max_row}")
    (rag,) = ws.data_validations.dataValidation
    assert (rag.type, rag.formula1, str(rag.sqref)) == ("list", '"Not started,Red,Amber,Green,Complete"',
                                                         f"H2:H{ws.max_row}")
    moved = next(a for a in sample_draft.plan.actions if a.target_date_changes)
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == moved.id)
    assert (row[5].value.date(), row[6].value.date()) == (moved.target_date, moved.original_target_date)
    assert ws["A2"].alignment.wrap_text is True


def test_the_updates_sheet_holds_every_update_oldest_first(sample_draft):
    ws = load_workbook(io.BytesIO(tracker_xlsx(sample_draft)))[UPDATES_SHEET]
    assert tuple(c.value for c in ws[1]) == UPDATE_HEADINGS
    rows = [(r[0].value, r[1].value.date(), r[2].value, r[3].value) for r in ws.iter_rows(min_row=2)]
    expected = sorted(((a.id, u.date, u.status.label, u.narrative) for a in sample_draft.plan.actions
                       for u in a.updates), key=lambda r: r[1])
    assert rows == expected and len(rows) == 86


def test_the_about_sheet_says_what_the_file_is(sample_draft):
    about = {r[0].value: r[1].value for r in load_workbook(io.BytesIO(tracker_xlsx(sample_draft)))["About"].iter_rows()}
    assert about["Council"] == "Walsall Council"
    assert about["Draft"] == "Draft: the working plan, not a published reporting point"
    assert about["Edition"] == "Staff edition: not for publication"
    assert about["Column: Original due date"] == "its first target date, only when the target date has moved"
    assert about["About this file"].startswith("This tracker is exported from the improvement plan, which is the "
                                               "record. Do not edit it to change the plan")
    public = site_data(REPO, "public", None)
    about = {r[0].value: r[1].value for r in load_workbook(io.BytesIO(tracker_xlsx(public)))["About"].iter_rows()}
    assert "Draft" not in about
    assert (about["Reporting point id"], about["Edition"], about["Date"].date()) == (
        public.version.id, "Public edition", public.version.date)


def test_the_same_input_gives_the_same_bytes_dated_by_the_point(sample_draft):
    one = tracker_xlsx(sample_draft)
    assert tracker_xlsx(site_data(REPO, "staff", "draft")) == one
    core = xml_of(one)["docProps/core.xml"]
    day = sample_draft.version.date.isoformat()
    assert f">{day}T00:00:00Z</dcterms:created>" in core and f">{day}T00:00:00Z</dcterms:modified>" in core
    with zipfile.ZipFile(io.BytesIO(one)) as z:
        assert {i.date_time for i in z.infolist()} == {(*sample_draft.version.date.timetuple()[:3], 0, 0, 0)}


HOSTILE = ['=HYPERLINK("http://x.invalid","Click")', "+1", "-1", "@SUM(1)"]


def test_text_that_looks_like_a_formula_is_stored_as_text(tmp_path):
    root = copy_plan(FIXTURES / "minimal", tmp_path / "plan")
    text = (root / "plan.yaml").read_text(encoding="utf-8")
    for old, new in zip(["title: Audit all priority cases at the front door.", "narrative: Audit half done.",
                         "title: Safeguarding practice", "statement: Every child gets a timely assessment."], HOSTILE):
        key = old.split(":")[0]
        text = text.replace(old, f"{key}: '{new}'")
    (root / "plan.yaml").write_text(text, encoding="utf-8")
    data = site_data(root, "staff", "draft")
    sheets = {n: x for n, x in xml_of(tracker_xlsx(data)).items() if n.startswith("xl/worksheets/")}
    assert all("<f>" not in x and "<f " not in x for x in sheets.values())
    actions = sheets["xl/worksheets/sheet1.xml"]
    for value, cell in zip(HOSTILE, ["D2", "I2", "B2", "C2"]):
        assert f'<c r="{cell}" s="2" t="inlineStr"><is><t>{value}</t></is></c>' in actions
    assert f'<c r="D3" s="2" t="inlineStr"><is><t>{HOSTILE[1]}</t></is></c>' in sheets["xl/worksheets/sheet2.xml"]
    assert tracker_csv(data).splitlines()[1] == (
        "A1,'-1,'@SUM(1),\"'=HYPERLINK(\"\"http://x.invalid\"\",\"\"Click\"\")\",Director of Children's Services,"
        "2013-09-30,,Amber,'+1,2013-06-20,,,Public")


def test_the_csv_is_the_actions_sheet(sample_draft):
    rows = tracker_csv(sample_draft).splitlines()
    assert rows[0] == ",".join([*headings(sample_draft.terms).values(), "Audience"])
    assert len(rows) == 1 + len(sample_draft.plan.actions)
    assert rows[1].startswith("A1.1,Improving the quality of partnerships and governance,")
    assert rows[1].endswith(",Chief Executive,2013-04-30,,Complete,The new chair is in post and the sub-groups now "
                            "work to revised terms of reference. A learning and development framework has gone out "
                            "for consultation.,2013-04-15,2013-04-15,OF-S8,Public")


CANARY = re.compile(r"canary-[a-z0-9-]+", re.I)


def test_the_public_tracker_holds_nothing_staff_only(tmp_path):
    root = copy_plan(FIXTURES / "leak", tmp_path / "plan")
    publish_as(root, "2013-07-board", "Improvement Board, July 2013", date(2013, 7, 1))

    def canaries(edition: str) -> set[str]:
        data = site_data(root, edition, "2013-07-board")
        text = "".join(xml_of(tracker_xlsx(data)).values()) + tracker_csv(data)
        return {m.lower() for m in CANARY.findall(text)}

    assert canaries("public") == set()
    # The staff tracker carries every staff-only thing an action row or update shows (so the test can fail).
    assert canaries("staff") == {"canary-action-under-staff-commitment", "canary-staff-action-narrative",
                                 "canary-staff-action-title", "canary-staff-commitment-statement",
                                 "canary-staff-role-title"}
