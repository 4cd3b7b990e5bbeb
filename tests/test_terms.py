"""The council's own words: `plan: terms:` names the levels everywhere a reader sees them, and the glossary
keeps the sector's terms only where the edition's content uses them, with the council's own entries."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, build, copy_plan, publish_as

from generator.glossary import DEFAULT_TERMS, content_text, glossary, used
from generator.guide import apply_terms, fields_markdown, guide_pages
from generator.model import Plan, PlanInfo, Terms, capital, plural
from generator.scaffold import init
from generator.snapshot_format import plan_from_data, plan_to_data
from generator.validate import validate

V = "2013-07-board"
CADENCE = "  update_cadence: monthly\n"
WORDS = ("  terms: {theme: workstream, commitment: objective}\n"
         "  glossary:\n"
         "    - {term: Front door, meaning: Where every contact about a child arrives.}\n"
         "    - {term: DfE, meaning: 'The Department for Education, which issued our notice.'}\n")
CANARY = "---\nid: DOC2\ntitle: Staff note\ndate: 2013-06-12\ntype: briefing\n---\nThe LADO has two open cases.\n"


def with_words(dest: Path) -> Path:
    root = copy_plan(FIXTURES / "minimal", dest)
    plan = root / "plan.yaml"
    plan.write_text(plan.read_text("utf-8").replace(CADENCE, CADENCE + WORDS, 1), "utf-8")
    (root / "content/documents/staff-note.md").write_text(CANARY, "utf-8")  # staff-only: no audience
    return root


@pytest.fixture(scope="module")
def words_site(tmp_path_factory) -> Path:
    root = with_words(tmp_path_factory.mktemp("words") / "plan")
    publish_as(root, V, "Improvement Board, July 2013", date(2013, 7, 1))
    return build(root)


def page(site: Path, edition: str, rel: str) -> str:
    return (site / edition / V / rel / "index.html").read_text("utf-8")


def nav_titles(html: str) -> list[str]:
    return [re.sub(r"\s+", " ", t).strip() for t in re.findall(r'<span class="md-ellipsis">(.*?)</span>', html, re.S)]


def glossary_terms(html: str) -> dict[str, str]:
    return dict(re.findall(r'<dt id="[^"]*">(.*?)</dt><dd>(.*?)</dd>', html))


# --- the model ------------------------------------------------------------------------------


def test_plurals_and_capitals_are_derived():
    assert [plural(w) for w in ("workstream", "priority", "day", "box", "church", "improvement area")] == \
        ["workstreams", "priorities", "days", "boxes", "churches", "improvement areas"]
    assert capital("workstream") == "Workstream"
    t = Terms.model_validate({"theme": "priority", "commitment": "outcome", "commitments": "outcomes we seek"})
    assert t.tokens() == {"%theme%": "priority", "%themes%": "priorities", "%Theme%": "Priority",
                          "%Themes%": "Priorities", "%commitment%": "outcome", "%commitments%": "outcomes we seek",
                          "%Commitment%": "Outcome", "%Commitments%": "Outcomes we seek"}
    assert Terms().tokens()["%Themes%"] == "Themes" and Terms().is_default()


@pytest.mark.parametrize("edit, where, message", [
    ("  terms:\n    commitment: a very long name for the second level\n", "a very long",
     "plan terms.commitment 'a very long name for the second level' should be 1 to 30 characters long, not 37"),
    ("  terms: {theme: \"work  stream\"}\n", '"work', "plan terms.theme 'work  stream' is not a plain word (use "
     "letters, with single spaces, hyphens or apostrophes between them)"),
    ("  terms: {themes: 'streams-'}\n", "'streams", "plan terms.themes 'streams-' is not a plain word (use letters, "
     "with single spaces, hyphens or apostrophes between them)"),
    ("  glossary:\n    - {term: '', meaning: Nothing.}\n", "''", "plan glossary[1].term must not be empty"),
    ("  glossary:\n    - term: |\n        LADO\n        CP\n      meaning: Two.\n", "|",
     "plan glossary[1].term 'LADO ...' should be on one line"),
])
def test_bad_words_are_located_errors(tmp_path, edit, where, message):
    root = copy_plan(FIXTURES / "minimal", tmp_path / "plan")
    text = (root / "plan.yaml").read_text("utf-8").replace(CADENCE, CADENCE + edit, 1)
    (root / "plan.yaml").write_text(text, "utf-8")
    [diag] = validate(root)[1]
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if where in ln)
    col = text.splitlines()[line - 1].index(where) + 1
    assert (diag.file, diag.line, diag.col, diag.code, diag.message) == ("plan.yaml", line, col, "S106", message)


# --- pages, navigation and downloads ----------------------------------------------------------


def test_navigation_and_headings_use_the_councils_words(words_site):
    for edition in ("public", "staff"):
        home = page(words_site, edition, "")
        titles = nav_titles(home)
        assert "Workstreams" in titles and "All workstreams" in titles and "Themes" not in titles
        assert '<h2 id="themes">Workstreams</h2>' in home
        index = page(words_site, edition, "themes")
        assert "<h1>Workstreams</h1>" in index
        assert "The plan is organised in 1 workstreams. Each has improvement objectives, and each objective has " \
               "actions." in index
        assert '<th scope="col">Workstream</th>' in index and '<th scope="col">Objectives</th>' in index
        theme = page(words_site, edition, "themes/T1")
        assert "<h1>Workstream T1: Safeguarding practice" in theme
        assert "<title>Workstream T1: Safeguarding practice" in theme
        assert "<caption>Actions for objective C1</caption>" in theme
        action = page(words_site, edition, "actions/A1")
        assert "<dt>Workstream</dt>" in action and "<dt>Objective</dt>" in action
        measure = page(words_site, edition, "measures/M1")
        assert '<a href="../../themes/T1/#C1">Objective C1</a>: Core assessments in timescale reach 80%.' in measure
        register = page(words_site, edition, "actions")
        assert re.findall(r'<th scope="col"[^>]*>(.*?)</th>', register)[-8:] == \
            ["Id", "Action", "Workstream", "Lead", "Target date", "Slipped", "Status", "Last update"]
        assert '<td data-label="Workstream" data-sort="t000001">' in register  # the card's label too
        assert ">Theme<" not in theme + index + action + register


def test_downloads_use_the_words_in_csv_headers_and_keep_json_keys(words_site):
    for edition in ("public", "staff"):
        csv = (words_site / edition / V / "downloads/actions.csv").read_text("utf-8")
        assert csv.splitlines()[0] == ("id,action,workstream,workstream_title,objective,objective_statement,lead_role,"
                                       "lead,target_date,status,overdue,last_update,last_narrative,completed_on,"
                                       "original_target_date,slipped_days,times_slipped,reporting_point,"
                                       "reporting_point_title,reporting_point_date")
        data = json.loads((words_site / edition / V / "downloads/plan.json").read_text("utf-8"))
        assert data["plan"]["terms"] == {"theme": "workstream", "commitment": "objective"}
        assert {"themes", "commitments", "actions"} <= set(data)  # keys stay the model's


def test_default_plan_keeps_the_words_and_the_snapshot_bytes(minimal_site):
    titles = nav_titles(page(minimal_site, "public", ""))
    assert "Themes" in titles and "All themes" in titles
    assert "<h1>Theme T1: Safeguarding practice" in page(minimal_site, "public", "themes/T1")
    csv = (minimal_site / "public" / V / "downloads/actions.csv").read_text("utf-8")
    assert csv.splitlines()[0].startswith("id,action,theme,theme_title,commitment,commitment_statement,lead_role,lead,")
    plan = json.loads((minimal_site / "public" / V / "downloads/plan.json").read_text("utf-8"))["plan"]
    assert "terms" not in plan and "glossary" not in plan


def test_published_snapshots_of_the_sample_read_back_byte_for_byte():
    """PlanInfo gained defaulted fields: an old snapshot must serialise exactly as stored, or it would read as
    changed (and its item hashes would move)."""
    snapshots = sorted((REPO / "content/versions").glob("20*.json"))
    assert snapshots
    for path in snapshots:
        data = json.loads(path.read_text("utf-8"))
        assert plan_to_data(plan_from_data(data["plan"], data["format"])) == data["plan"], path.name


# --- the glossary -----------------------------------------------------------------------------


def test_glossary_levels_own_entries_and_the_staff_canary(words_site):
    public = glossary_terms(page(words_site, "public", "glossary"))
    staff = glossary_terms(page(words_site, "staff", "glossary"))
    for entries in (public, staff):
        assert entries["Workstream"] == ("One of the areas the plan is organised in. Each workstream has objectives, "
                                         "and each objective has actions.")
        assert entries["Objective"] == ("A statement of what the plan will achieve under a workstream, with how we "
                                        "will know it is done.")
        assert "Theme" not in entries and "Commitment" not in entries
        assert entries["Front door"] == "Where every contact about a child arrives."
        assert entries["DfE"] == "The Department for Education, which issued our notice."  # replaces the default
        assert entries["Improvement Board"].startswith("The board, with an independent chair")  # governance name
        assert "PLO" not in entries and "SMART" not in entries  # no content uses them
        assert "DCS" not in entries  # only an id (ROLE-DCS) has it, and ids are not text a reader sees
        assert "Overdue" in entries and "RAG" in entries  # the site's own words
    assert "LADO" in staff and "LADO" not in public  # only a staff-only document uses it


def test_glossary_is_sorted_ignoring_case(words_site):
    terms = list(glossary_terms(page(words_site, "public", "glossary")))
    assert terms == sorted(terms, key=str.casefold)


@pytest.mark.parametrize("term, text, found", [
    ("LADO", "The LADO met.", True),
    ("LADO", "The lado met.", False),  # an abbreviation matches only as written
    ("LADO", "LADOS", False),  # whole words
    ("CP", "CP-IS and CP plans", True),
    ("Scrutiny panel", "the scrutiny\npanel met", True),  # a word matches in any case, across a line break
    ("LAC / CiC", "children in care (CiC)", True),  # either side of the term
    ("LAC / CiC", "lack of care", False),
    ("S47", "s47 enquiries", False),
    ("SMART", "smart targets", False),
])
def test_a_term_counts_as_used(term, text, found):
    assert used(term, text) is found


def test_every_default_term_matches_itself():
    for term, _ in DEFAULT_TERMS:
        assert used(term, f"({term.split(' / ')[0]})"), term


def test_content_text_holds_texts_and_bodies_not_ids_or_references(tmp_path):
    plan, _ = validate(copy_plan(FIXTURES / "minimal", tmp_path / "plan"))
    text = content_text(plan).splitlines()
    assert "Audit all priority cases at the front door." in text and "The audit is half done." in text
    assert "Independent Chair of the Improvement Board" in text
    assert not {"ROLE-DCS", "ROLE-CHAIR", "A1", "C1", "T1", "DOC1", "SRC-OF"} & set(text)


def test_glossary_of_a_plan_without_content_has_no_sector_terms():
    info = PlanInfo.model_validate({"organisation": "C", "title": "P", "as_at": "2013-07-01", "trigger": {
        "inspection": {"title": "I", "start": "2012-05-14", "end": "2012-05-25", "published": "2012-07-06",
                       "judgement": "inadequate"}}})
    terms = [e.term for e in glossary(Plan(info=info))]
    assert terms == ["Amber", "Commitment", "Complete", "Green", "Measure", "Not started", "Overdue", "RAG",
                     "Red", "Reporting point", "Theme"]


# --- the guide --------------------------------------------------------------------------------


def test_guide_tokens_take_the_plans_words(tmp_path):
    root = with_words(tmp_path / "plan")
    guide = root / "content/guide"
    guide.mkdir(parents=True)
    (guide / "index.md").write_text("# %Themes% and %commitments%\n\nEach %theme% has %Commitments%; "
                                    "a %Commitment% belongs to one %Theme% of the %themes%.\n", "utf-8")
    plan, diags = validate(root)
    assert not diags
    pages = {p.path: p for p in guide_pages(root, plan.info.terms)}
    assert pages["guide/index.md"].title == "Workstreams and objectives"
    assert "<p>Each workstream has Objectives; a Objective belongs to one Workstream of the workstreams.</p>" \
        in pages["guide/index.md"].html
    assert "<p><code>themes:</code> holds your workstreams" in pages["guide/fields.md"].html
    assert "<p><code>commitments:</code> holds your objectives" in pages["guide/fields.md"].html


def test_guide_tokens_default_to_the_products_words():
    assert apply_terms("%Themes%: every %commitment%", Terms()) == "Themes: every commitment"
    assert "`themes:` holds your themes (what the plan calls them is set in `plan:` under `terms:`)." \
        in fields_markdown()


def test_staff_guide_in_the_built_site_says_workstreams(words_site):
    fields = page(words_site, "staff", "guide/fields")
    assert "holds your workstreams" in fields and "holds your objectives" in fields


# --- the starter --------------------------------------------------------------------------------


def test_starter_plan_shows_terms_and_glossary_as_a_commented_example(tmp_path):
    init(tmp_path / "council", "Northshire County Council", date(2026, 11, 2))
    plan_file = tmp_path / "council/plan.yaml"
    text = plan_file.read_text("utf-8")
    assert "  # terms:\n  #   theme: workstream\n  #   commitment: objective\n" in text
    plan_file.write_text(re.sub(r"(?m)^  # (terms:|glossary:|intervention:|oversight:|timeline:|accessibility:|  )", r"  \1", text),
                         "utf-8")
    plan, diags = validate(tmp_path / "council")
    assert [d.text() for d in diags] == []
    assert (plan.info.intervention.value, [o.kind.value for o in plan.info.oversight],
            [(k.date, k.kind.value) for k in plan.info.key_dates()]) == (
        "improvement_notice", ["independent_chair", "improvement_partner"],
        [(date(2026, 5, 6), "report_published"), (date(2026, 6, 5), "notice_issued")])
    assert plan.info.terms == Terms(theme="workstream", commitment="objective")
    assert (plan.info.accessibility.email, plan.info.accessibility.prepared) == ("improvement.team@example.gov.uk",
                                                                          date(2026, 11, 2))
    assert [(g.term, g.meaning) for g in plan.info.glossary] == [("Front door", "Where every contact about a child "
                                                                 "arrives.")]


def test_the_schema_and_the_validator_take_the_same_words_and_terms():
    """Editors' schema and the validator agree on every level word and glossary term, edge cases included."""
    import jsonschema
    from pydantic import ValidationError

    from generator.model import GlossaryEntry, Terms
    from generator.schema import schema

    defs = schema()["$defs"]
    word_schema = defs["Terms"]["properties"]["theme"]
    term_schema = defs["GlossaryEntry"]["properties"]["term"]

    def by_schema(sub, value):
        return jsonschema.Draft202012Validator(sub).is_valid(value)

    def by_model(make):
        try:
            make()
            return True
        except ValidationError:
            return False

    words = ["workstream", "priority area", "children's trust", "work-stream", "Ŵork", "café", "×", "a÷b",
             "work2", "Δelta", " lead", "lead ", "a  b", "ÆSIR", "x" * 30, "x" * 31, ""]
    taken = [w for w in words if by_model(lambda w=w: Terms(theme=w))]
    assert taken == ["workstream", "priority area", "children's trust", "work-stream", "Ŵork", "café", "ÆSIR",
                     "x" * 30]
    assert [w for w in words if by_schema(word_schema, w)] == taken
    terms = ["LADO", "Front door", "   ", "", "two\nlines", "x" * 60, "x" * 61, " padded "]
    kept = [t for t in terms if by_model(lambda t=t: GlossaryEntry(term=t, meaning="m"))]
    assert kept == ["LADO", "Front door", "x" * 60, " padded "]
    assert [t for t in terms if by_schema(term_schema, t)] == kept
