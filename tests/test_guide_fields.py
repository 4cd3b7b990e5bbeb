"""The guide's "Every field" page: made from the model, so every field, nested type and allowed value of the
model is on it with a note, and a field added to the model without a description fails here."""

from __future__ import annotations

import re

import pytest

from generator.guide import enum_name, fields_markdown, guide_pages, model_name, walk_model
from generator.model import MEANINGS, Document, PlanFile, PlanInfo

PAGE = fields_markdown()
MODELS, ENUMS = walk_model()


def section(heading: str) -> list[str]:
    """The table rows under `## heading` (up to the next heading)."""
    lines = PAGE.split("\n")
    start = lines.index(f"## {heading}")
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("#"))
    return [line for line in lines[start:end] if line.startswith("| `")]


@pytest.mark.parametrize("heading, row", [
    ("action", "| `target_date` | yes | date (YYYY-MM-DD) | – | when it should be done: an open action past it "
               "at `as_at` is overdue (D305) |"),
    ("action", "| `updates` | no | list of [update](#update) | empty list | the status history, oldest first: "
               "add one at the end each month |"),
    ("risk", "| `likelihood` | yes | whole number 1 to 5 | – | 1 (rare) to 5 (almost certain) |"),
    ("risk", "| `audience` | no | one of `public`, `staff` ([meanings](#audience-values)) | `staff` | who may see it; "
             "left out, the kind's default |"),
    ("plan", "| `update_cadence` | no | one of `weekly`, `fortnightly`, `monthly`, `quarterly` "
             "([meanings](#cadence-values)) | `monthly` | how often actions are updated: an open one whose last "
             "update is older at `as_at` is stale (D306) |"),
    ("trigger", "| `inspection` | yes | [inspection](#inspection) | – | the inspection that led to the plan |"),
    ("grading", "| `judgements` | no | list of [judgement](#judgement) | empty list | one for each area judged; give "
                "this, a `grid`, or both |"),
    ("grid row", "| `cells` | yes | list of a grade, a split `[good, requires_improvement]`, counts "
                 "`{requires_improvement: 5, good: 1}` or `not_graded` | – | one cell for each domain, in the domains' "
                 "order (D420); counts are shown most teams first |"),
    ("measure", "| `breakdowns` | no | list of [breakdown](#breakdown) | empty list | small tables shown below the "
                "chart |"),
    ("breakdown", "| `rows` | yes | list of [breakdown row](#breakdown-row) | – | the table's rows |"),
    ("breakdown row", "| `values` | yes | list of number | – | one number for each column (D314) |"),
    ("measure value", "| `period` | yes | [period](#dates-and-periods) | – | the period the figure is for; with "
                      "`ytd: true`, the month the year to date runs to |"),
    ("source", "| `type` | yes | one of `ofsted_inspection`, `improvement_notice`, `scrutiny_working_group`, "
               "`peer_review`, `diagnostic`, `deep_dive`, `audit`, `monitoring_visit`, `other` "
               "([meanings](#source-kind-values)) | – | what kind of report it is |"),
    ("evidence", "| `url` | no | link (`https://`, `mailto:` or a path in the site) | none | an https:// address; "
                 "give this or `document`, not both (D312) |"),
    ("document front matter", "| `about` | no | list of [id](#ids) | empty list | ids of the items it speaks of "
                              "(any kind of item; not a phase or a governance body) |"),
    ("plan.yaml (top level)", "| `plan` | yes | [plan](#plan) | – | the plan itself: only in plan.yaml |"),
])
def test_exact_rows(heading, row):
    assert row in section(heading)


def test_every_field_of_every_model_has_a_row_with_a_note():
    for model in MODELS:
        rows = section(model_name(model))
        fields = [f"`{f.alias or name}`" for name, f in model.model_fields.items()]
        assert sorted(row.split(" | ")[0][2:] for row in rows) == sorted(fields), model.__name__
        undocumented = [name for name, f in model.model_fields.items() if not (f.description or "").strip()]
        assert undocumented == [], f"{model.__name__}: give these fields a description in model.py"


def test_every_nested_model_is_reached_and_linked_from_its_parent():
    nested = {model_name(m) for m in MODELS} - {model_name(m) for m in (PlanFile, PlanInfo, Document)}
    assert {"phase", "trigger", "inspection", "improvement notice", "governance body", "update", "evidence",
            "contact", "success criterion", "measure value", "baseline", "target", "breakdown", "breakdown row",
            "judgement", "role", "theme", "action", "grading", "overseer", "key date"} <= nested
    for name in nested - {"role", "theme", "commitment", "action", "source", "recommendation", "measure", "risk",
                          "grading"}:
        anchor = name.replace(" ", "-")
        assert f"[{name}](#{anchor})" in PAGE, name


def test_every_allowed_value_has_its_meaning():
    assert {enum_name(e) for e in ENUMS} == {
        "audience", "status", "cadence", "timescale", "priority", "source kind", "unit", "better", "grade",
        "grading kind", "document kind", "trend", "finding kind", "recommendation status rule",
        "intervention", "oversight kind", "key date kind"}  # about this plan
    for enum in ENUMS:
        assert sorted(MEANINGS[enum]) == sorted(m.value for m in enum), enum.__name__
        rows = PAGE.split(f"### {enum_name(enum)} values\n")[1].split("\n\n")[0].strip().split("\n")[2:]
        assert rows == [f"| `{m.value}` | {MEANINGS[enum][m.value]} |" for m in enum]


def test_about_periods_and_ids_are_explained():
    assert ("A document's `about:` lists the ids of the items it speaks of, of any of these kinds: role, theme, "
            "commitment, action, source, recommendation, measure, risk, grading, finding, document. Not a phase or a "
            "governance body.") in PAGE
    assert "| `2012/13` | a financial year, 1 April 2012 to 31 March 2013 (the second part is the next year) " \
           "| 31 March (2013) |" in PAGE
    assert "but `2013-02` after `2012/13` is out of order (D304)" in PAGE
    assert "An id starts with a letter, then up to 63 letters, digits, `.`, `-` or `_` (no spaces)" in PAGE


def test_every_link_on_the_page_lands_on_a_heading(tmp_path):
    [page] = [p for p in guide_pages(tmp_path) if p.path == "guide/fields.md"]
    ids = set(re.findall(r' id="([^"]+)"', page.html))
    targets = set(re.findall(r'href="#([^"]+)"', page.html))
    assert targets and targets <= ids, sorted(targets - ids)
    assert '<h3 id="status-values">status values</h3>' in page.html


@pytest.mark.parametrize("heading, where", [
    ("update", "Part of [action](#action), [recommendation](#recommendation)."),
    ("breakdown row", "Part of [breakdown](#breakdown)."),
    ("inspection", "Part of [trigger](#trigger)."),
    ("risk", "Each item of `risks:`, in `plan.yaml` or a file it includes."),
    ("document front matter", "The front matter of each Markdown file in `content/documents/`, between two `---` "
                              "lines."),
])
def test_each_table_says_where_its_fields_are_written(heading, where):
    assert PAGE.split(f"\n## {heading}\n\n")[1].split("\n")[0] == where


def test_notes_speak_the_councils_words_but_keys_stay():
    from generator.guide import field_row
    from generator.model import Commitment, PlanInfo, Terms, Theme

    words = Terms(theme="workstream", commitment="objective")
    assert field_row(Theme, "title", words) == "| `title` | yes | text | – | the workstream's title |"
    assert field_row(Commitment, "theme", words) == (
        "| `theme` | yes | [id](#ids) | – | the id of the workstream it belongs to |")
    assert field_row(PlanInfo, "terms", words) == (
        "| `terms` | no | [terms](#terms) | each field's default | what the council calls its themes and commitments |")
    assert field_row(Theme, "title") == "| `title` | yes | text | – | the theme's title |"
