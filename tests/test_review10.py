"""Review of issue 10's merged work: defects found by attacking it, each pinned by a test."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import typing
from datetime import date
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from conftest import FIXTURES, REPO, build, publish_as
from generator import model as M
from generator.snapshot_format import LEFT_OUT_WHILE_EMPTY

CANARY = re.compile(rb"canary-[a-z0-9-]+", re.I)
NEW_CANARIES = {"canary-staff-overseer-name", "canary-staff-overseer-does", "canary-staff-keydate-event",
                "canary-staff-slip-reason", "canary-slip-under-staff-commitment", "canary-staff-finding-text",
                "canary-staff-finding-area", "canary-finding-of-staff-source", "canary-staff-grid-title",
                "canary-staff-grid-domain", "canary-staff-grid-service"}


def _leak_plan_with_issue10_content(dest: Path) -> Path:
    """The leak fixture plus a canary in every kind of staff-only content issue 10 added; the only `answers:` that
    name a recommendation are on a staff-only action, and recommendations' status is derived."""
    shutil.copytree(FIXTURES / "leak", dest, ignore=shutil.ignore_patterns("site", ".cache"))
    data = yaml.safe_load((dest / "plan.yaml").read_text())
    info = data["plan"]
    info["recommendation_status"] = "derived"
    info["oversight"] = [{"kind": "improvement_partner", "name": "CANARY-staff-overseer-name",
                          "does": "CANARY-staff-overseer-does", "audience": "staff"}]
    info["timeline"] = [{"date": "2013-02-01", "event": "CANARY-staff-keydate-event", "kind": "other",
                         "audience": "staff"}]
    actions = {a["id"]: a for a in data["actions"]}
    actions["A-STAFF"]["answers"] = ["R1", "F-PUB"]
    actions["A-STAFF"]["target_date_changes"] = [
        {"on": "2013-05-01", "from": "2013-09-30", "reason": "CANARY-staff-slip-reason"}]
    actions["A-UNDER-STAFF-COMMITMENT"]["answers"] = ["F-STAFF"]
    actions["A-UNDER-STAFF-COMMITMENT"]["target_date_changes"] = [
        {"on": "2013-05-01", "from": "2013-10-30", "reason": "CANARY-slip-under-staff-commitment"}]
    data["findings"] = [
        {"id": "F-PUB", "source": "SRC-OF", "type": "concern", "text": "Public finding text."},
        {"id": "F-STAFF", "source": "SRC-OF", "type": "concern", "text": "CANARY-staff-finding-text",
         "area": "CANARY-staff-finding-area", "audience": "staff"},
        {"id": "F-STAFFSRC", "source": "SRC-STAFF", "type": "concern", "text": "CANARY-finding-of-staff-source",
         "audience": "staff"}]
    data["gradings"].append({
        "id": "G-STAFFGRID", "title": "CANARY-staff-grid-title", "date": "2013-03-01", "type": "diagnostic",
        "audience": "staff", "grid": {"domains": ["CANARY-staff-grid-domain"], "rows": [
            {"service": "CANARY-staff-grid-service", "cells": ["good"], "overall": "good"}]}})
    (dest / "plan.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    return dest


@pytest.fixture(scope="module")
def leak10_site(tmp_path_factory) -> Path:
    root = _leak_plan_with_issue10_content(tmp_path_factory.mktemp("leak10") / "plan")
    publish_as(root, "2013-07-board", "Improvement Board, July 2013", date(2013, 7, 1))
    return build(root)


def _canaries(tree: Path) -> set[str]:
    return {m.decode().lower() for f in tree.rglob("*") if f.is_file() and f.suffix != ".gz"
            for m in CANARY.findall(f.read_bytes())}


def test_issue10_staff_only_content_reaches_staff_and_no_public_file(leak10_site):
    assert NEW_CANARIES <= _canaries(leak10_site / "staff")
    assert _canaries(leak10_site / "public") == set()


def _recommendations_csv(site: Path, edition: str) -> dict[str, dict[str, str]]:
    text = (site / edition / "2013-07-board" / "downloads" / "recommendations.csv").read_text()
    return {row["id"]: row for row in csv.DictReader(io.StringIO(text))}


def test_public_edition_keeps_explicit_answers_when_only_staff_actions_give_them(leak10_site):
    # The only action naming R1 is staff-only: the public edition must not fall back to the actions of R1's
    # commitment (A1, A2 do not answer it) and derive R1's status from them. R1's status is a fact about R1, so
    # both editions state the same one; the public edition only leaves out the staff-only action behind it.
    staff, public = _recommendations_csv(leak10_site, "staff"), _recommendations_csv(leak10_site, "public")
    assert (staff["R1"]["delivering_actions"], staff["R1"]["derived_status"]) == ("A-STAFF", "red")
    assert (public["R1"]["delivering_actions"], public["R1"]["derived_status"], public["R1"]["status"]) == (
        "", "red", staff["R1"]["status"])


def test_a_disagreement_reads_the_same_in_both_editions_and_names_no_hidden_action(tmp_path):
    """R1 is entered complete; staff-only A1 (amber) and public A2 (complete) answer it. Worked out from A2 alone the
    public edition would show no disagreement and, under `derived`, call R1 complete: a different story from the staff
    edition's. Both editions now state the same derived status and the same flag; the public one names no action,
    since naming A2 alone would misstate why."""
    from generator.project import project
    from generator.validate import validate
    from plan_edits import Replace, edited

    a1 = "    title: Audit all priority cases at the front door.\n"
    a2 = "    title: Put in place weekly performance clinics.\n"
    root = edited(tmp_path, Replace(a1, a1 + "    audience: staff\n    answers: [R1]\n"),
                  Replace(a2, a2 + "    answers: [R1]\n"))
    plan, _ = validate(root)
    public = project(plan, "public")
    [r1], [p1] = ([r for r in p.recommendations if r.id == "R1"] for p in (plan, public))
    assert [a.id for a in public.answering_actions(p1)] == ["A2"]
    assert (plan.derived_status(r1).value, public.derived_status(p1).value) == ("amber", "amber")
    assert plan.status_disagreement(r1) == ("its status is complete but the actions that answer it say amber "
                                            "(A1 amber, A2 complete)")
    assert public.status_disagreement(p1) == "its status is complete but the actions that answer it say amber"


def _model_in(annotation) -> type[BaseModel] | None:
    """The Model class a field holds (directly, in a list or optional), or None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        if (found := _model_in(arg)) is not None:
            return found
    return None


def _keys_seen(cls: type[BaseModel], data, seen: dict[type, set[str]]) -> None:
    items = data if isinstance(data, list) else [data]
    for obj in items:
        if not isinstance(obj, dict):
            continue
        seen.setdefault(cls, set()).update(obj)
        for name, field in cls.model_fields.items():
            sub = _model_in(field.annotation)
            if sub is not None and (field.alias or name) in obj:
                _keys_seen(sub, obj[field.alias or name], seen)


def test_every_defaulted_field_is_in_the_oldest_snapshot_or_listed_as_added_later():
    """A field with a non-None default that the first published snapshot never holds was added later: unless it is
    in its model's `added_later`, dumping that old snapshot again writes it out and changes its bytes and hashes.
    (This also catches a second `added_later =` in one class body replacing the first.)"""
    oldest = json.loads((REPO / "content" / "versions" / "2012-11-plan-agreed.json").read_text())["plan"]
    seen: dict[type, set[str]] = {}
    _keys_seen(M.PlanInfo, oldest["plan"], seen)
    for section, cls in M.SECTIONS.items():
        _keys_seen(cls, oldest.get(section, []), seen)
    _keys_seen(M.Document, oldest["documents"], seen)
    unlisted = []
    for cls in seen:
        for name, field in cls.model_fields.items():
            default = field.get_default(call_default_factory=True)
            if default is None or default is PydanticUndefined:
                continue
            if (field.alias or name) not in seen[cls] and name not in cls.added_later:
                unlisted.append(f"{cls.__name__}.{name}")
    # every later field is in added_later; empty later sections are left out by LEFT_OUT_WHILE_EMPTY
    assert unlisted == []
    assert LEFT_OUT_WHILE_EMPTY == {"findings"}
    assert "findings" not in oldest



def test_what_changed_lists_findings_added_and_removed():
    from generator.history import diff
    from generator.project import project
    from generator.validate import validate

    plan, _ = validate(FIXTURES / "findings")
    before = plan.model_copy(update={"findings": [f for f in plan.findings if f.id != "F1"]})
    after = plan.model_copy(update={"findings": [f for f in plan.findings if f.id != "F2"]})
    changes = diff(before, after, "May", "June")
    assert [(c.kind, c.id, c.what) for c in changes.sections["Added"]] == [("finding", "F1", "new finding, concern")]
    assert changes.sections["Added"][0].title == "Data in the case management system was less robust than " \
                                                 "previously thought"
    assert [(c.id, c.what) for c in changes.sections["Removed"]] == [("F2", "no longer in the plan")]
    # A staff-only finding added is not in the public edition's "What changed".
    staff_only = [f.id for f in plan.findings if not f.is_public]
    assert staff_only
    public = diff(project(before.model_copy(update={"findings": []}), "public"), project(plan, "public"), "May", "June")
    assert {c.id for c in public.sections["Added"]} == {f.id for f in plan.findings if f.is_public}
