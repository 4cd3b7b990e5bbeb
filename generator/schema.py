"""The JSON Schemas of plan.yaml, of the files it includes and of a document's front matter, generated from the model so editors' tools
autocomplete and check them."""

from __future__ import annotations

import json

from pydantic import BaseModel

from .model import Document, IncludedFile, PlanFile

SCHEMA_PATH = "schema/plan.schema.json"
DOCUMENT_SCHEMA_PATH = "schema/document.schema.json"
INCLUDED_SCHEMA_PATH = "schema/included.schema.json"
_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _schema(model: type[BaseModel], title: str) -> dict:
    doc = model.model_json_schema(by_alias=True)
    doc["$schema"] = _DIALECT
    doc["title"] = title
    return doc


def schema() -> dict:
    return _schema(PlanFile, "Improvement plan (plan.yaml)")


def document_schema() -> dict:
    return _schema(Document, "Document front matter (content/documents/*.md)")


def included_schema() -> dict:
    return _schema(IncludedFile, "Improvement plan, a file named under include: (item lists only)")


def _text(doc: dict) -> str:
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def schema_text() -> str:
    return _text(schema())


def schema_files() -> dict[str, str]:
    """Every schema the `schema` command writes: path in the plan folder -> text."""
    return {SCHEMA_PATH: schema_text(), DOCUMENT_SCHEMA_PATH: _text(document_schema()),
            INCLUDED_SCHEMA_PATH: _text(included_schema())}
