"""The tracker round trip, through the reader: export a reporting point of the sample, import it into a fresh plan,
and the plan's themes, commitments, actions and every update come back equal (compared as data); import it into
the same plan and nothing changes; export, import, export gives the same Actions sheet.

The fresh plan is `init`'s, with its starter themes, commitments and actions (and the starter document about
them) removed, so that the sample's ids are free. Its recommendations are not the sample's: answers are compared
where the recommendation exists (in the fresh plan: none), and fully in the export-import-export test, which
imports into the sample with its actions removed."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import REPO, copy_sample, fresh_plan
from generator.build import site_data
from generator.cli import main
from generator.model import Plan
from generator.tracker_export import tracker_xlsx
from generator.validate import validate




def as_data(plan: Plan) -> dict:
    """What the tracker carries, keyed by what survives a round trip (titles, not made-up ids)."""
    index = plan.index()
    role = {r.id: r.title for r in plan.roles}
    theme = {t.id: t.title for t in plan.themes}
    return {
        "themes": sorted({theme[index[a.commitment].theme] for a in plan.actions}),
        "commitments": sorted({(theme[index[a.commitment].theme], index[a.commitment].statement)
                               for a in plan.actions}),
        "actions": [{"id": a.id, "commitment": index[a.commitment].statement, "title": a.title,
                     "lead": role[a.lead], "target_date": a.target_date, "completed_on": a.completed_on,
                     "answers": [r for r in a.answers if r in index],
                     "updates": [(u.date, u.status, u.narrative) for u in a.updates]} for a in plan.actions]}


def export(root: Path, edition: str, version: str | None, to: Path) -> Path:
    to.write_bytes(tracker_xlsx(site_data(root, edition, version)))
    return to


@pytest.mark.parametrize("edition,version", [("staff", "draft"), ("public", None)])
def test_export_then_import_into_a_fresh_plan_gives_the_same_plan(tmp_path, capsys, edition, version):
    original = site_data(REPO, edition, version).plan
    tracker = export(REPO, edition, version, tmp_path / "tracker.xlsx")
    root = fresh_plan(tmp_path / "council")
    code = main(["import-tracker", str(tracker), "--root", str(root)])
    out, err = capsys.readouterr()
    # Only the sample's recommendation ids are not used (exit 1): the fresh plan has none of them.
    unused = [line for line in err.splitlines() if "which is not a recommendation or finding of the plan" in line]
    answers = sum(len(a.answers) for a in original.actions)
    assert (code, err.splitlines(), len(unused)) == (1 if answers else 0, unused, answers)
    imported, diags = validate(root)
    assert [d.text() for d in diags if d.severity.value == "error"] == []
    got, want = as_data(imported), as_data(original)
    assert got == {**want, "actions": [{**a, "answers": []} for a in want["actions"]]}
    assert f"{len(original.actions)} actions added, {sum(len(a.updates) for a in original.actions)} updates added, " \
           f"0 unchanged, {len(want['themes'])} themes, {len(want['commitments'])} commitments" in out


def test_export_then_import_into_the_same_plan_changes_nothing(tmp_path, capsys):
    root = copy_sample(tmp_path / "sample")
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    for version in ("draft", "2013-06-dfe-review"):
        tracker = export(root, "staff", version, tmp_path / f"{version}.xlsx")
        assert main(["import-tracker", str(tracker), "--root", str(root)]) == 0
        n = len(site_data(root, "staff", version).plan.actions)
        assert capsys.readouterr().out.splitlines()[-1] == (
            f"0 actions added, 0 updates added, {n} unchanged, 0 themes, 0 commitments and 0 roles added, "
            "0 cells not used")
    after = {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and p.suffix != ".xlsx"
             and not p.name.endswith(".mapping.yaml")}
    assert after == before


def actions_sheet(xlsx: bytes) -> list[tuple]:
    """Every column but the original due date: a target date's moves (when, from, why) are not in the tracker."""
    return [tuple(c.value for i, c in enumerate(row) if i != 6)
            for row in load_workbook(io.BytesIO(xlsx))["Actions"].iter_rows()]


def test_export_import_export_gives_the_same_actions_sheet(tmp_path, capsys):
    """Into the sample with its actions (and published points, whose reported updates hold evidence the tracker
    does not carry) removed: its themes, commitments, roles and recommendations are matched, so every column
    comes back, recommendations too, but the original due date (see actions_sheet)."""
    root = copy_sample(tmp_path / "sample")
    first = tracker_xlsx(site_data(root, "staff", "draft"))
    (root / "plan" / "actions.yaml").unlink()
    plan = root / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("  - plan/actions.yaml\n", ""), encoding="utf-8")
    shutil.rmtree(root / "content" / "versions")
    for doc in (root / "content" / "documents").glob("*.md"):
        text = re.sub(r"(?m)^  - A\d+\.\d+\n", "", doc.read_text(encoding="utf-8"))
        doc.write_text(re.sub(r"(?m)^about:\n(?=\S)", "", text), encoding="utf-8")
    (tmp_path / "tracker.xlsx").write_bytes(first)
    assert main(["import-tracker", str(tmp_path / "tracker.xlsx"), "--root", str(root)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "30 actions added, 86 updates added, 0 unchanged, 0 themes, 0 commitments and 0 roles added, "
        "0 cells not used")
    assert actions_sheet(tracker_xlsx(site_data(root, "staff", "draft"))) == actions_sheet(first)
