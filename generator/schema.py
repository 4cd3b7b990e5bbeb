"""The JSON Schema of plan.yaml, generated from the model so editors' tools autocomplete and check it."""

from __future__ import annotations

import json

from .model import PlanFile

SCHEMA_PATH = "schema/plan.schema.json"


def schema() -> dict:
    doc = PlanFile.model_json_schema(by_alias=True)
    doc["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    doc["title"] = "Improvement plan (plan.yaml)"
    return doc


def schema_text() -> str:
    return json.dumps(schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
