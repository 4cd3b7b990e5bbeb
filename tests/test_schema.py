"""The JSON Schemas for plan.yaml and document front matter: generated from the model, committed, valid JSON Schema
2020-12, referenced by plan.yaml, and the sample (plan and documents) validates against them with jsonschema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

import pytest

from generator.loader import load_yaml, read_text, split_front_matter
from generator.schema import (DOCUMENT_SCHEMA_PATH, INCLUDED_SCHEMA_PATH, SCHEMA_PATH, document_schema,
                              included_schema, schema, schema_files, schema_text)

REPO = Path(__file__).parent.parent


def test_committed_schemas_are_in_step_with_the_model():
    assert list(schema_files()) == [SCHEMA_PATH, DOCUMENT_SCHEMA_PATH, INCLUDED_SCHEMA_PATH]
    assert schema_files()[SCHEMA_PATH] == schema_text()
    for rel, text in schema_files().items():
        assert (REPO / rel).read_text(encoding="utf-8") == text, f"run 'python -m generator schema' and commit {rel}"


@pytest.mark.parametrize("rel", [SCHEMA_PATH, DOCUMENT_SCHEMA_PATH, INCLUDED_SCHEMA_PATH])
def test_each_schema_is_valid_json_schema_2020_12(rel):
    doc = json.loads(schema_files()[rel])
    assert doc["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(doc)


def _keywords(node, out: set[str]) -> set[str]:
    """Every key used as a schema keyword (not the names under properties or $defs)."""
    if isinstance(node, dict):
        for key, value in node.items():
            out.add(key)
            for child in (value.values() if key in ("properties", "$defs") else [value]):
                _keywords(child, out)
    elif isinstance(node, list):
        for child in node:
            _keywords(child, out)
    return out


@pytest.mark.parametrize("rel", [SCHEMA_PATH, DOCUMENT_SCHEMA_PATH, INCLUDED_SCHEMA_PATH])
def test_each_schema_uses_only_json_schema_keywords(rel):
    """check_schema allows unknown keywords, so pydantic's own (`ge`, `le`) would pass it and mean nothing."""
    known = set(jsonschema.Draft202012Validator.VALIDATORS) | {
        "$schema", "$defs", "title", "description", "default", "format", "examples"}
    assert _keywords(json.loads(schema_files()[rel]), set()) - known == set()


def test_plan_yaml_points_editors_at_the_schema():
    first = (REPO / "plan.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema={SCHEMA_PATH}"


def _sample_document() -> dict:
    """plan.yaml with its included files' sections merged in, values as written (dates stay text)."""
    doc = load_yaml(read_text(REPO / "plan.yaml", "plan.yaml"), "plan.yaml").data
    for rel in doc.get("include", []):
        part = load_yaml(read_text(REPO / rel, rel), rel).data
        for section, items in part.items():
            doc.setdefault(section, []).extend(items)
    return doc


def test_the_sample_validates_against_the_schema():
    validator = jsonschema.Draft202012Validator(schema(), format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(_sample_document()), key=lambda e: list(e.path))
    assert [f"{list(e.path)}: {e.message}" for e in errors] == []


def test_the_schema_refuses_a_risk_likelihood_of_7():
    validator = jsonschema.Draft202012Validator(schema())
    doc = _sample_document()
    doc["risks"][0]["likelihood"] = 7
    assert [(list(e.path), e.message) for e in validator.iter_errors(doc)] == [
        (["risks", 0, "likelihood"], "7 is greater than the maximum of 5")]


DOCUMENTS = sorted((REPO / "content" / "documents").rglob("*.md"))


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_every_sample_document_validates_against_the_document_schema(path):
    rel = path.relative_to(REPO).as_posix()
    front, offset, _body = split_front_matter(read_text(path, rel), rel)
    data = load_yaml(front, rel, line_offset=offset).data
    validator = jsonschema.Draft202012Validator(document_schema(), format_checker=jsonschema.FormatChecker())
    assert [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(data)] == []


def test_the_document_schema_catches_a_wrong_type_and_an_unknown_field():
    validator = jsonschema.Draft202012Validator(document_schema(), format_checker=jsonschema.FormatChecker())
    data = {"id": "DOC1", "title": "Briefing", "date": "2013-06-10", "type": "memo", "author": "Jane"}
    assert sorted(e.message for e in validator.iter_errors(data)) == [
        "'memo' is not one of ['briefing', 'board_report', 'scrutiny_report', 'minutes', 'presentation', "
        "'dfe_report', 'letter', 'page']",
        "Additional properties are not allowed ('author' was unexpected)"]


def test_the_schema_catches_what_editors_get_wrong():
    validator = jsonschema.Draft202012Validator(schema(), format_checker=jsonschema.FormatChecker())
    doc = _sample_document()
    doc["actions"][0]["status"] = "amber"  # a misplaced field
    doc["actions"][1]["target_date"] = "31/03/2013"
    doc["actions"][2]["updates"][0]["status"] = "orange"
    messages = [e.message for e in validator.iter_errors(doc)]
    assert any("'status' was unexpected" in m for m in messages)
    assert any("'31/03/2013' does not match" in m for m in messages)
    assert any("'orange' is not one of" in m for m in messages)


def test_each_included_file_of_the_sample_validates_against_the_included_schema():
    validator = jsonschema.Draft202012Validator(included_schema(), format_checker=jsonschema.FormatChecker())
    included = load_yaml(read_text(REPO / "plan.yaml", "plan.yaml"), "plan.yaml").data["include"]
    assert included == ["plan/actions.yaml", "plan/recommendations.yaml", "plan/measures.yaml", "plan/risks.yaml"]
    for rel in included:
        part = load_yaml(read_text(REPO / rel, rel), rel).data
        assert [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(part)] == [], rel


def test_the_included_schema_refuses_the_plan_block_and_format():
    validator = jsonschema.Draft202012Validator(included_schema())
    messages = sorted(e.message for e in validator.iter_errors({"format": 2, "plan": {}, "risks": []}))
    assert messages == ["Additional properties are not allowed ('format', 'plan' were unexpected)"]


def test_the_samples_included_files_point_editors_at_the_included_schema():
    for rel in load_yaml(read_text(REPO / "plan.yaml", "plan.yaml"), "plan.yaml").data["include"]:
        first = (REPO / rel).read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schema/included.schema.json", rel
