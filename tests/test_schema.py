"""The JSON Schema for plan.yaml: generated from the model, committed, referenced by plan.yaml, and the sample
validates against it with the jsonschema library."""

from __future__ import annotations

from pathlib import Path

import jsonschema

from generator.loader import load_yaml, read_text
from generator.schema import SCHEMA_PATH, schema, schema_text

REPO = Path(__file__).parent.parent


def test_committed_schema_is_in_step_with_the_model():
    committed = (REPO / SCHEMA_PATH).read_text(encoding="utf-8")
    assert committed == schema_text(), "run 'python -m generator schema' and commit schema/plan.schema.json"


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
