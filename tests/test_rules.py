"""Every validation code, each with the exact message, severity and place; and the validator's promises:
all problems in one run, --strict, dates judged at plan.as_at, the output formats, and the hints.

Expected places are found by searching the edited file for the text the diagnostic points at, so
they follow the fixture rather than hard-coded line numbers.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from generator.cli import main
from generator.diagnostics import CODES, Diagnostic
from generator.validate import validate_all
from generator.versions import publish
from test_corpus import make_corpus  # the corpus' helpers: a published snapshot made as `publish` makes it
from plan_edits import (BRIEFING, PLAN, UNREF_M1, Link, Remove, Replace, Write, body, edited, evidence, include,
                         line_of, locate)

MANIFEST = "content/versions/manifest.json"
SNAPSHOT = "content/versions/2013-06-board.json"


@dataclass(frozen=True)
class E:
    """One expected diagnostic: where (the text it points at, or None for 1:1), and what."""

    file: str
    needle: str | None
    severity: str
    code: str
    message: str | Callable[[Path], str]
    nth: int = 0

    def row(self, root: Path) -> tuple:
        line, col = locate(root, self.file, self.needle, self.nth) if self.needle else (1, 1)
        message = self.message(root) if callable(self.message) else self.message
        return (self.file, line, col, self.severity, self.code, message)


def rows(diags: list[Diagnostic]) -> list[tuple]:
    return [(d.file, d.line, d.col, d.severity.value, d.code, d.message) for d in diags]


def diagnostics(root: Path, strict: bool = False) -> list[Diagnostic]:
    return validate_all(root, strict=strict)[1]


def only(root: Path) -> Diagnostic:
    diags = diagnostics(root)
    assert len(diags) == 1, [d.text() for d in diags]
    return diags[0]


# --- edits used by several cases ------------------------------------------------------------

A2_TITLE = "    title: Put in place weekly performance clinics.\n"
A2_STATUS = "status: complete\n        narrative: Clinics"
A2_UPDATE = "      - date: 2013-03-15\n        status: complete\n        narrative: Clinics running weekly."
A1_STATUS = "status: amber\n        narrative: Audit half done."
LAST_VALUE = "{period: 2013-04, value: 85.4}"
CADENCE = "  update_cadence: monthly\n"
A1_TARGET = "    target_date: 2013-09-30\n"





def grid(old: str, new: str) -> Replace:
    """Add grading G2, a team diagnostic of one service on two domains, with `old` in it replaced by `new`."""
    g2 = ("  - id: G2\n    title: Team diagnostic\n    date: 2013-05-01\n    type: diagnostic\n    grid:\n"
          "      domains: [Leadership, Practice]\n      rows:\n        - {service: Front door, "
          "cells: [adequate, {adequate: 5, inadequate: 3}], overall: inadequate}\n")
    assert old in g2
    return Replace("grade: inadequate}\n", "grade: inadequate}\n" + g2.replace(old, new))


def manifest(sha: str) -> Write:
    data = {"format": 1, "versions": [{"id": "2013-06-board", "title": "Improvement Board, June 2013",
                                       "date": "2013-06-03", "sha256": sha, "items": {}, "corrections": []}]}
    return Write(MANIFEST, json.dumps(data))


UNKNOWN_FORMAT = b'{"format": 99, "plan": {}}\n'
NO_GIT = E(MANIFEST, None, "warning", "T508", "reporting points could not be checked against git: the plan folder is "
           "not the top folder of a git repository")
NOT_A_FORMAT = "plan.yaml format should be a whole number from 1 up, not "
MD_HINT = "use ordinary Markdown: links to https:// addresses, images from the site, tables and lists"


# --- one case (at least) for every code -----------------------------------------------------

CASES = [
    # reading files
    pytest.param([Remove(PLAN)], [E(PLAN, None, "error", "L001", "file 'plan.yaml' does not exist")], id="L001-missing"),
    pytest.param([Write(PLAN, "")], [E(PLAN, None, "error", "L002", "the file is empty")], id="L002-empty"),
    pytest.param([Write(PLAN, b"\x00\x00plan")], [E(PLAN, None, "error", "L003", "this is a binary file, not text")],
                 id="L003-binary"),
    pytest.param([Replace("description: Agency staff leave.", "description: Agency staff: leave.")],
                 [E(PLAN, ": leave", "error", "L004", "YAML syntax error: mapping values are not allowed in this context")],
                 id="L004-colon"),
    pytest.param([Replace("    title: Workforce\n", "    title: Workforce\n    title: Staff\n")],
                 [E(PLAN, "title: Staff", "error", "L005",
                    lambda r: f"duplicate key 'title' (first written at line {line_of(r, PLAN, 'title: Workforce')})")],
                 id="L005-duplicate-key"),
    pytest.param([Replace("    trend: steady\n", "    trend: steady\n    internal_note: !!python/name:os.system\n")],
                 [E(PLAN, "!!python", "error", "L006", "the tag '!!python/name:os.system' is not allowed")], id="L006-tag"),
    pytest.param([Replace("description: Agency staff leave.", "description: *story")],
                 [E(PLAN, "*story", "error", "L007",
                    "alias '*story' refers to an anchor that is not defined before it, or to itself")], id="L007-alias"),
    pytest.param([Write(PLAN, "- plan\n")],
                 [E(PLAN, None, "error", "L008",
                    "'plan.yaml' should be a mapping of sections (plan, themes, actions, ...), not a list")], id="L008-list"),
    pytest.param([Write(BRIEFING, "Text only.\n")],
                 [E(BRIEFING, None, "error", "L009", "the document does not start with front matter")], id="L009-missing"),
    pytest.param([include("../elsewhere.yaml")],
                 [E(PLAN, "../elsewhere.yaml", "error", "L010",
                    "include '../elsewhere.yaml' must be a .yaml file inside the plan folder")], id="L010-outside"),
    # schema
    pytest.param([Replace(A2_TITLE, "")], [E(PLAN, "id: A2", "error", "S101", "action A2 is missing required field 'title'")],
                 id="S101-missing-field"),
    pytest.param([Replace("  organisation: Example Borough Council\n", "")],
                 [E(PLAN, "title: Children's", "error", "S101", "plan is missing required field 'organisation'")],
                 id="S101-plan-field"),
    pytest.param([Replace("    impact: 4\n", "    impact: 4\n    likelyhood: 2\n")],
                 [E(PLAN, "likelyhood", "error", "S102", "risk RISK1 has unknown field 'likelyhood'")], id="S102-unknown-field"),
    pytest.param([Replace("likelihood: 3", "likelihood: high")],
                 [E(PLAN, "high\n", "error", "S103", "risk RISK1 likelihood should be a whole number, not 'high'")],
                 id="S103-not-a-number"),
    pytest.param([Replace("title: Workforce", "title:")],
                 [E(PLAN, "\n    description", "error", "S103", "risk RISK1 title should be text, not nothing")],
                 id="S103-nothing"),
    pytest.param([Replace("trend: steady", "trend: worse")],
                 [E(PLAN, "worse", "error", "S104", "risk RISK1 trend 'worse' is not one of: rising, steady or falling")],
                 id="S104-enum"),
    pytest.param([Replace("type: inspection", "type: ofsted")],
                 [E(PLAN, "ofsted\n", "error", "S104",
                    "grading G1 type 'ofsted' is not one of: inspection, diagnostic or peer_review")], id="S104-alias-field"),
    pytest.param([Replace("target_date: 2013-03-31", "target_date: 2013-02-30")],
                 [E(PLAN, "2013-02-30", "error", "S105", "action A2 target_date '2013-02-30' is not a date (use YYYY-MM-DD)")],
                 id="S105-impossible-date"),
    pytest.param([Replace("review_date: 2013-08-01", "review_date: 2013-8-1")],
                 [E(PLAN, "2013-8-1", "error", "S105", "risk RISK1 review_date '2013-8-1' is not a date (use YYYY-MM-DD)")],
                 id="S105-short-date"),
    pytest.param([Replace("review_date: 2013-08-01", "review_date: 2013-08-01 09:30")],
                 [E(PLAN, "2013-08-01 09:30", "error", "S105",
                    "risk RISK1 review_date '2013-08-01 09:30' is not a date (use YYYY-MM-DD)")], id="S105-datetime"),
    pytest.param([UNREF_M1, Replace(LAST_VALUE, "{period: 2013/15, value: 85.4}")],
                 [E(PLAN, "2013/15", "error", "S106", "measure M1 values[2].period '2013/15' is not a period "
                    "(use YYYY-MM-DD, YYYY-MM, YYYY or a financial year such as 2012/13)")], id="S106-period"),
    pytest.param([UNREF_M1, Replace("baseline: {period: 2012-11,", "baseline: {period: 2012-02-30,")],
                 [E(PLAN, "2012-02-30", "error", "S106", "measure M1 baseline.period '2012-02-30' is not a period "
                    "(use YYYY-MM-DD, YYYY-MM, YYYY or a financial year such as 2012/13)")], id="S106-period-day"),
    pytest.param([Replace("id: A2", "id: A2!")],
                 [E(PLAN, "A2!", "error", "S106", "action A2! id 'A2!' is not a valid id "
                    "(start with a letter; then letters, digits, '.', '-' or '_')")], id="S106-id"),
    pytest.param([Replace("likelihood: 3", "likelihood: 6")],
                 [E(PLAN, "6\n    impact", "error", "S106", "risk RISK1 likelihood '6': input should be less than or equal to 5")],
                 id="S106-range"),
    pytest.param([Replace("title: Workforce", "title: ''")],
                 [E(PLAN, "''", "error", "S106", "risk RISK1 title must not be empty")], id="S106-empty"),
    pytest.param([evidence("{title: Minutes, url: 'data:text/html,hi'}")],
                 [E(PLAN, "'data:", "error", "S106", "action A2 updates[1].evidence[1].url 'data:text/html,hi' is not an "
                    "allowed link (use an https:// address or a path in the site, with no spaces)")], id="S106-url"),
    # references
    pytest.param([Replace("id: A2", "id: A1")],
                 [E(PLAN, "A1\n    commitment: C1\n    title: Put", "error", "R201",
                    lambda r: f"duplicate id 'A1': the action at plan.yaml:{line_of(r, PLAN, 'id: A1')} already uses it")],
                 id="R201-duplicate-id"),
    pytest.param([Replace("id: DOC1", "id: RISK1", BRIEFING)],
                 [E(BRIEFING, "RISK1", "error", "R201",
                    lambda r: f"duplicate id 'RISK1': the risk at plan.yaml:{line_of(r, PLAN, 'id: RISK1')} already uses it")],
                 id="R201-document"),
    pytest.param([Replace("      chair: ROLE-CHAIR\n", "      chair: ROLE-CHAIR\n    - id: T1\n      name: Scrutiny panel\n"
                          "      role: Scrutinises.\n      meets: quarterly\n")],
                 [E(PLAN, "T1\n    title: Safeguarding", "error", "R201",
                    lambda r: f"duplicate id 'T1': the governance body at plan.yaml:{line_of(r, PLAN, 'id: T1')} "
                    "already uses it")], id="R201-governance-body"),
    pytest.param([Replace("  - id: R1\n", "  - id: overdue\n"),
                  Replace("recommendations: [R1]", "recommendations: [overdue]")],
                 [E(PLAN, "overdue\n    source", "error", "R204",
                    "recommendation id 'overdue' is the name of a page of the site's recommendations "
                    "(recommendations/overdue/), which its own page would replace")], id="R204-overdue"),
    pytest.param([Replace("  - id: A2\n", "  - id: Index\n")],
                 [E(PLAN, "Index\n", "error", "R204",
                    "action id 'Index' is the name of a page of the site's actions (actions/index/), which its own "
                    "page would replace")], id="R204-index"),
    # limits
    pytest.param([Replace("target: {value: 80}", "target: {value: 1.6e308}")],
                 [E(PLAN, "1.6e308", "error", "S107",
                    "measure M1 target.value '1.6e+308' is outside the supported numbers -1e12 to 1e12")], id="S107-number"),
    pytest.param([Replace("published: 2012-07-06\nrecommendations", "published: 9999-07-06\nrecommendations")],
                 [E(PLAN, "9999-07-06", "error", "S107",
                    "source SRC-OF published '9999-07-06' is outside the supported dates 1970-01-01 to 2099-12-31")],
                 id="S107-date"),
    pytest.param([Replace("    owner: ROLE-DCS", "    owner: ROLE-DC")],
                 [E(PLAN, "ROLE-DC\n", "error", "R202", "risk RISK1 owner: there is no role 'ROLE-DC'; roles: ROLE-DCS, ROLE-CHAIR")], id="R202-unknown"),
    pytest.param([Replace("recommendations: [R1]", "recommendations: [R1, R2]")],
                 [E(PLAN, "R2]", "error", "R202", "commitment C1 recommendations[2]: there is no recommendation 'R2'; "
                    "recommendations: R1")], id="R202-list"),
    pytest.param([evidence("{title: Minutes, document: DOC2}")],
                 [E(PLAN, "DOC2", "error", "R202", "action A2 updates[1].evidence[1].document: there is no "
                    "document 'DOC2'; documents: DOC1")],
                 id="R202-evidence"),
    pytest.param([Replace("    owner: ROLE-DCS", "    owner: T1")],
                 [E(PLAN, "T1\n    likelihood", "error", "R203", "risk RISK1 owner 'T1' is a theme, not a role")],
                 id="R203-wrong-kind"),
    pytest.param([evidence("{title: Minutes, document: RISK1}")],
                 [E(PLAN, "RISK1}", "error", "R203", "action A2 updates[1].evidence[1].document 'RISK1' is a risk, "
                    "not a document")], id="R203-evidence"),
    # domain rules
    pytest.param([Replace("    completed_on: 2013-03-15\n", "")],
                 [E(PLAN, "complete\n        narrative: Clinics", "error", "D301",
                    "action A2 is complete but has no completed_on date")], id="D301"),
    pytest.param([Replace("    target_date: 2013-09-30\n", "    target_date: 2013-09-30\n    completed_on: 2013-06-20\n")],
                 [E(PLAN, "2013-06-20\n    updates", "error", "D302",
                    "action A1 has completed_on 2013-06-20 but its latest status is amber")], id="D302"),
    pytest.param([Replace(A1_STATUS, "status: red\n        narrative: ''")],
                 [E(PLAN, "red", "error", "D303", "action A1 update of 2013-06-20 is red but has no narrative")], id="D303"),
    pytest.param([Replace("status: complete\n        narrative: All assessments now tracked weekly; timescale met since December.",
                          "status: amber")],
                 [E(PLAN, "amber\nmeasures", "error", "D303", "recommendation R1 update of 2013-01-06 is amber but has no narrative"),
                  E(PLAN, "within_6_months", "warning", "D305",
                    "recommendation R1 is past due but in progress: it was due on 2013-01-06 and its status is amber")], id="D303-progress"),
    pytest.param([Replace(A2_UPDATE, "      - {date: 2013-04-01, status: green, narrative: Running.}\n" + A2_UPDATE)],
                 [E(PLAN, "2013-03-15\n        status", "error", "D304",
                    "action A2 updates are not in date order: 2013-03-15 is listed after 2013-04-01, "
                    "which is later")], id="D304-updates"),
    pytest.param([Replace("      - {period: 2012-11, value: 21.6}\n", "      - {period: 2013/14, value: 21.6}\n")],
                 [E(PLAN, "2013-04, value: 85.4", "error", "D304",
                    "measure M1 values are not in period order: 2013-04 (ending 2013-04-30) is listed after "
                    "2013/14 (ending 2014-03-31), and periods are ordered by the day they end; the financial year "
                    "2013/14 runs from April 2013 to March 2014")], id="D304-values"),
    pytest.param([Replace("as_at: 2013-07-01", "as_at: 2013-10-01")],
                 [E(PLAN, "2013-09-30", "warning", "D305", "action A1 is overdue: target date 2013-09-30 is before the "
                    "as-at date 2013-10-01 and its status is amber"),
                  E(PLAN, "2013-06-20", "warning", "D306", "action A1 was last updated on 2013-06-20, more than 31 days "
                    "(monthly) before the as-at date 2013-10-01")], id="D305-D306"),
    pytest.param([Replace("update_cadence: monthly", "update_cadence: fortnightly"),
                  Replace("as_at: 2013-07-01", "as_at: 2013-07-05")],
                 [E(PLAN, "2013-06-20", "warning", "D306", "action A1 was last updated on 2013-06-20, more than 14 days "
                    "(fortnightly) before the as-at date 2013-07-05")], id="D306"),
    pytest.param([Replace("about: [A1]", "about: [A1, RISK1]", BRIEFING)],
                 [E(BRIEFING, "RISK1", "error", "D307", "public document DOC1 refers to staff-only risk 'RISK1'")],
                 id="D307-document-about-risk"),
    pytest.param([Replace("  - id: ROLE-DCS\n", "  - id: ROLE-DCS\n    audience: staff\n")],
                 [E(PLAN, "ROLE-DCS", "error", "D307", "public theme T1 refers to staff-only role 'ROLE-DCS'", nth=1),
                  E(PLAN, "ROLE-DCS", "error", "D307", "public theme T1 refers to staff-only role 'ROLE-DCS'", nth=2),
                  E(PLAN, "ROLE-DCS", "error", "D307", "public action A1 refers to staff-only role 'ROLE-DCS'", nth=3),
                  E(PLAN, "ROLE-DCS", "error", "D307", "public action A2 refers to staff-only role 'ROLE-DCS'", nth=4)],
                 id="D307-staff-role"),
    pytest.param([Replace("target: {value: 80}", "target: {value: 101}")],
                 [E(PLAN, "101", "error", "D308", "measure M1 value 101 for target is not a percentage (0 to 100)")],
                 id="D308-target"),
    pytest.param([Replace("unit: percent", "unit: days"), Replace("baseline: {period: 2012-11, value: 21.6}",
                                                                 "baseline: {period: 2012-11, value: -0.5}")],
                 [E(PLAN, "-0.5", "error", "D308", "measure M1 value -0.5 for 2012-11 cannot be negative for a measure in days")],
                 id="D308-negative"),
    pytest.param([Replace("    trend: steady\n", "    trend: steady\n    audience: public\n")],
                 [E(PLAN, "public", "error", "D309", "risk RISK1 is marked public but risks are staff-only")], id="D309"),
    pytest.param([Replace("      - date: 2013-01-06", "      - date: 2013-07-02")],
                 [E(PLAN, "2013-07-02", "warning", "D310",
                    "recommendation R1 update of 2013-07-02 is dated after the plan's as-at date 2013-07-01")], id="D310"),
    pytest.param([Replace("    timescale: within_6_months\n", "    due: 2013-06-30\n    timescale: within_6_months\n")],
                 [E(PLAN, "within_6_months", "error", "D311", "recommendation R1 has both a timescale and a due date")],
                 id="D311"),
    pytest.param([Replace("    commitment: C1\n    title: Audit", "    commitment: C1\n    answers: [R1]\n    title: Audit")],
                 [E(PLAN, "complete\n        narrative: All", "warning", "D340",
                    "recommendation R1 disagrees with its actions: its status is complete but the actions that answer "
                    "it say amber (A1 amber)")], id="D340"),
    pytest.param([evidence("{title: Board minutes}")],
                 [E(PLAN, "{title: Board minutes}", "error", "D312",
                    "action A2 evidence 'Board minutes' needs exactly one of 'url' or 'document'")], id="D312"),
    pytest.param([Replace("date: 2012-07-06\n    type: inspection", "date: 2013-11-01\n    type: inspection"),
                  Replace("grade: inadequate", "grade: adequate")],
                 [E(PLAN, "adequate}", "warning", "D313", "grading G1 grades 'Overall effectiveness (safeguarding)' "
                    "adequate, a grade Ofsted replaced with requires_improvement in November 2013 (grading dated 2013-11-01)")],
                 id="D313"),
    pytest.param([Replace(LAST_VALUE + "\n", LAST_VALUE + "\n    breakdowns:\n      - title: Training\n"
                          "        period: 2013/14\n        columns: [North, South, East]\n        rows:\n"
                          "          - {label: Social workers, values: [80, 90]}\n")],
                 [E(PLAN, "[80, 90]", "error", "D314",
                    "measure M1 breakdown 'Training' row 'Social workers' has 2 values for 3 columns")], id="D314"),
    # diagnostic grids (a grading G2 with a grid added after G1)
    pytest.param([grid("[adequate, {adequate: 5, inadequate: 3}]", "[adequate]")],
                 [E(PLAN, "[adequate]", "error", "D420",
                    "grading G2 grid row 'Front door' has 1 cell for 2 domains (Leadership, Practice)")], id="D420"),
    pytest.param([grid("[adequate, {adequate: 5, inadequate: 3}]", "[adequate, {adequate: 5, Inadequate: 3}]")],
                 [E(PLAN, "{adequate: 5, Inadequate", "error", "D421",
                    "grading G2 grid.rows[1].cells[2] counts: 'Inadequate' is not a grade (use outstanding, good, "
                    "adequate, requires_improvement, inadequate)")], id="D421"),
    pytest.param([grid("overall: inadequate", "overall: {inadequate: 2}")],
                 [E(PLAN, "{inadequate: 2}", "error", "D422", "grading G2 grid.rows[1].overall is counts of teams, "
                    "but an overall grade is one grade, a split or not_graded")], id="D422"),
    pytest.param([grid("    grid:", "    compare_with: G1\n    grid:")],
                 [E(PLAN, "G1\n    grid", "error", "D423",
                    "grading G2 cannot be compared with grading G1: grading G1 has no grid")], id="D423"),
    pytest.param([grid("}], overall: inadequate}", "}], overall: inadequate}\n        - {service: Front door, "
                       "cells: [good, good], overall: good}")],
                 [E(PLAN, "Front door", "error", "D424", "grading G2 grid names the service 'Front door' twice "
                    "(service 1 and 2)", nth=1)], id="D424"),
    # measures: readings without a figure, year to date, the age of a headline measure's latest reading
    pytest.param([Replace(LAST_VALUE, "{period: 2013-04, note: ''}")],
                 [E(PLAN, "{period: 2013-04, note", "error", "D460",
                    "measure M1 reading for 2013-04 has neither a value nor a note")], id="D460"),
    pytest.param([Replace(LAST_VALUE, "{period: 2013, value: 85.4, ytd: true}")],
                 [E(PLAN, "2013, value: 85.4", "error", "D461",
                    "measure M1 reading for 2013 is marked 'ytd: true' but its period is not a month")], id="D461"),
    pytest.param([Replace(CADENCE, CADENCE + "  measure_age_limit_months: 1\n"),
                  Replace("    better: higher\n", "    better: higher\n    headline: true\n")],
                 [E(PLAN, "2013-04, value: 85.4", "warning", "D462",
                    "measure M1 is a headline measure whose latest reading (2013-04) ended 2 months before the as-at "
                    "date 2013-07-01, more than the limit of 1 month")], id="D462"),
    # published versions
    pytest.param([manifest("0" * 64)],
                 [E(SNAPSHOT, None, "error", "T501", "published version '2013-06-board' (Improvement Board, June 2013) "
                    "is missing its snapshot file")], id="T501-missing"),
    pytest.param([Write(MANIFEST, "not json")],
                 [E(MANIFEST, None, "error", "T502", "the versions manifest cannot be read: it is not valid JSON "
                    "(Expecting value: line 1 column 1 (char 0))")], id="T502"),
    pytest.param([manifest(hashlib.sha256(UNKNOWN_FORMAT).hexdigest()), Write(SNAPSHOT, UNKNOWN_FORMAT)],
                 [E(SNAPSHOT, None, "error", "T503", "snapshot format 99 is not known to this generator "
                    "(it reads formats 1); update the generator"), NO_GIT], id="T503"),
    pytest.param([Write(MANIFEST, '{"format": 2, "versions": [\n {"id": "../../x", "title": "t", "date": "2013-06-03", '
                                  '"sha256": "' + "0" * 64 + '", "items": {}}]}')],
                 [E(MANIFEST, '"../../x"', "error", "T504", "the versions manifest cannot be read: \"../../x\" cannot be a "
                    "version id: use lower-case letters, digits and '-' (for example 2013-07-board), and not draft, "
                    "index, latest, versions")], id="T504"),
    # unsafe Markdown
    pytest.param([body("Done.\n\n<SCRIPT src=x.js></SCRIPT>\n")],
                 [E(BRIEFING, "<SCRIPT", "error", "M401", "<script> is not allowed")], id="M401-script"),
    pytest.param([body("Done <b onclick=\"go()\">now</b>.\n")],
                 [E(BRIEFING, "<b", "error", "M401", "the event-handler attribute 'onclick' on <b> is not allowed")],
                 id="M401-onclick"),
    pytest.param([body("See <a href=\"&#106;avascript:alert(1)\">this</a>.\n")],
                 [E(BRIEFING, "<a", "error", "M401", "the javascript: link in <a href> is not allowed")],
                 id="M401-entity-href"),
    pytest.param([body("<img src=\"data:image/svg+xml;base64,PHN2Zz4=\">\n")],
                 [E(BRIEFING, "<img", "error", "M401", "the data: link in <img src> is not allowed")], id="M401-img-data"),
    pytest.param([body("Read [this]( JavaScript:go) now.\n")],
                 [E(BRIEFING, "JavaScript:go", "error", "M401", "the link 'JavaScript:go' is not allowed")], id="M401-md-link"),
    pytest.param([body("<embed src=\"x.swf\">\n")], [E(BRIEFING, "<embed", "error", "M401", "<embed> is not allowed")],
                 id="M401-embed"),
    # published content keeps the working plan's safety rules (the git-history cases are in tests/test_tamper.py)
    pytest.param(list(make_corpus.published_minimal(Replace("  - id: ROLE-DCS\n", "  - id: ROLE-DCS\n    audience: staff\n"))),
                 [E(SNAPSHOT.replace("2013-06-board", "2013-07-board"), None, "error", "T520",
                    f"content/versions/2013-07-board.json holds what the working plan may not: public {what} refers to "
                    "staff-only role 'ROLE-DCS'") for what in ("action A1", "action A2", "theme T1")] + [NO_GIT],
                 id="T520"),
    # site configuration (mkdocs.yml); the hostile cases are in tests/test_site_config.py
    pytest.param([Write("mkdocs.yml", "copyright: Council\nplugins: [search]\n")],
                 [E("mkdocs.yml", "plugins", "error", "C601", "'plugins' is not allowed: plugins run code during the "
                    "build; the generator supplies it")], id="C601"),
    pytest.param([Write("mkdocs.yml", "theme: material\n")],
                 [E("mkdocs.yml", "material", "error", "C602", "theme must be a mapping of settings (name: value)")],
                 id="C602"),
    pytest.param([Write("mkdocs.yml", "theme:\n  palette: {primary: crimson}\n")],
                 [E("mkdocs.yml", "crimson", "error", "C603",
                    "theme.palette.primary: 'crimson' is not one of Material's primary colours")], id="C603"),
    pytest.param([Write("mkdocs.yml", "extra:\n  homepage: 'javascript:alert(1)'\n")],
                 [E("mkdocs.yml", "'javascript", "error", "C604",
                    "extra.homepage: 'javascript:alert(1)' is not an https:// or http:// address")], id="C604"),
    pytest.param([Write("mkdocs.yml", "theme:\n  favicon: https://cdn.example/icon.png\n")],
                 [E("mkdocs.yml", "https:", "error", "C605",
                    "theme.favicon: 'https://cdn.example/icon.png' is not a path inside docs_theme/; remote or "
                    "absolute images are refused, since a third-party host would then see every reader")], id="C605"),
    # text and Markdown inputs
    pytest.param([Replace("title: Workforce", 'title: "Work\\u202eforce"')],
                 [E(PLAN, '"Work', "error", "L011", "'risks[1].title' holds the character U+202E (a bidirectional "
                    "control), which is not allowed in text")], id="L011-escape"),
    pytest.param([body("Half\x7f done.\n")],
                 [E(BRIEFING, "\x7f", "error", "L011", "the character U+007F (a control character) is not allowed in text")],
                 id="L011-body"),
    pytest.param([Link("content/documents/leak.md", "../../../secret.md")],
                 [E("content/documents/leak.md", None, "error", "L012", "'content/documents/leak.md' is a link to a "
                    "file outside the plan folder, so it is not read")], id="L012"),
    pytest.param([Write("content/guide/fields.md", "# Our fields\n\nMeaning of each.\n")],
                 [E("content/guide/fields.md", None, "error", "L013", "'content/guide/fields.md' has the name of a page "
                    "the tool makes from its model, so it would never be shown")], id="L013"),
    pytest.param([body("Deep:\n\n" + "> " * 9 + "quote\n")],
                 [E(BRIEFING, "> > >", "error", "M402", "quotes and lists nest 9 levels deep here (at most 8)")],
                 id="M402"),
    pytest.param([body("Chart: ![t](https://tracker.example/p.png) and [a link](https://example.org/).\n")],
                 [E(BRIEFING, "https://tracker", "error", "M403",
                    "the image 'https://tracker.example/p.png' loads from another site")], id="M403"),
    # plan format
    pytest.param([Replace("format: 2\n", "")],
                 [E(PLAN, None, "error", "S120", "plan.yaml is written in format 1; this tool reads format 2: run "
                    "`improvement-plan migrate`")], id="S120-no-format"),
    pytest.param([Replace("format: 2\n", "format: 1\n")],
                 [E(PLAN, "format:", "error", "S120", "plan.yaml is written in format 1; this tool reads format 2: run "
                    "`improvement-plan migrate`")], id="S120-format-1"),
    pytest.param([Replace("format: 2\n", "format: 3\n")],
                 [E(PLAN, "format:", "error", "S121", "plan.yaml is written for a newer version of the tool (format 3); "
                    "upgrade the tool: change the version in requirements.txt")], id="S121"),
    pytest.param([Replace("format: 2\n", "format: '2'\n")],
                 [E(PLAN, "format:", "error", "S122", NOT_A_FORMAT + "'2'")], id="S122-text"),
    pytest.param([Replace("format: 2\n", "format: 2.5\n")],
                 [E(PLAN, "format:", "error", "S122", NOT_A_FORMAT + "'2.5'")], id="S122-float"),
    pytest.param([Replace("format: 2\n", "format: 0\n")],
                 [E(PLAN, "format:", "error", "S122", NOT_A_FORMAT + "'0'")], id="S122-zero"),
    pytest.param([Replace("format: 2\n", "format:\n")],
                 [E(PLAN, "format:", "error", "S122", NOT_A_FORMAT + "nothing")], id="S122-nothing"),
    pytest.param([include("more.yaml"), Write("more.yaml", "format: 2\nrisks: []\n")],
                 [E("more.yaml", None, "error", "L010", "'format' is written once, at the top of plan.yaml, not in an "
                    "included file")], id="L010-format-in-include"),
    # council words
    pytest.param([Replace(CADENCE, CADENCE + "  terms: {theme: priority, commitment: Priority}\n")],
                 [E(PLAN, "Priority}", "error", "S140",
                    "plan terms: commitment 'Priority' has the same name as theme 'priority'")], id="S140-levels"),
    pytest.param([Replace(CADENCE, CADENCE + "  glossary:\n    - {term: Front door, meaning: Where contacts arrive.}\n"
                          "    - {term: front door, meaning: The MASH.}\n")],
                 [E(PLAN, "front door,", "error", "S140",
                    lambda r: f"plan glossary term 'front door' is given twice (first at line "
                              f"{line_of(r, PLAN, 'Front door,')})")], id="S140-glossary"),
    pytest.param([Replace(CADENCE, CADENCE + "  terms: {theme: work-stream-2}\n")],
                 [E(PLAN, "work-stream-2", "error", "S106", "plan terms.theme 'work-stream-2' is not a plain word "
                    "(use letters, with single spaces, hyphens or apostrophes between them)")], id="S106-terms"),
    # about this plan
    pytest.param([Replace("      chair: ROLE-CHAIR\n", "      chair: ROLE-CHAIR\n  intervention: improvement_notice\n"),
                  Replace("    improvement_notice:\n      issued: 2012-11-01\n", "")],
                 [E(PLAN, "improvement_notice\n", "error", "D400",
                    "plan intervention is improvement_notice but the trigger has no improvement_notice")], id="D400"),
    pytest.param([Replace("      chair: ROLE-CHAIR\n", "      chair: ROLE-CHAIR\n  accessibility:\n    phone: 01632 960000\n")],
                 [E(PLAN, "accessibility:", "warning", "D470", "plan accessibility gives no email or url, so the "
                    "accessibility statement names no written way to report a problem")], id="D470"),
    # slips: target-date history (more in tests/test_slips.py)
    pytest.param([Replace(A1_TARGET, A1_TARGET + "    target_date_changes:\n"
                          "      - {on: 2013-05-01, from: 2013-06-30, reason: First.}\n"
                          "      - {on: 2013-03-01, from: 2013-08-31, reason: Second.}\n")],
                 [E(PLAN, "2013-03-01", "error", "D350", "action A1 target_date_changes are not in date order: the "
                    "move of 2013-03-01 is listed after the move of 2013-05-01, which is later")], id="D350"),
    pytest.param([Replace(A1_TARGET, A1_TARGET + "    target_date_changes:\n"
                          "      - {on: 2013-05-01, from: 2013-09-30, reason: None.}\n")],
                 [E(PLAN, "2013-09-30, reason", "error", "D351", "action A1 target date change of 2013-05-01 moves the "
                    "target from 2013-09-30 to 2013-09-30 (target_date), which is the same date")], id="D351"),
    pytest.param([*make_corpus.published_minimal(), Replace(A1_TARGET, "    target_date: 2013-10-31\n")],
                 [E(PLAN, "2013-10-31", "warning", "T530", "action A1 target date 2013-10-31 differs from 2013-09-30, "
                    "which reporting point '2013-07-board' (Improvement Board, July 2013, 2013-07-01) reported, and "
                    "no target_date_changes entry records the move"), NO_GIT], id="T530"),
]


@pytest.mark.parametrize("edits, want", CASES)
def test_code(tmp_path, edits, want):
    root = edited(tmp_path, *edits)
    got = rows(diagnostics(root))
    assert got == sorted(e.row(root) for e in want)


def test_every_code_has_a_case():
    from test_tamper import GIT_CODES  # codes only a git repository can show, each tested there

    covered = {e.code for case in CASES for e in case.values[1]} | GIT_CODES
    assert covered == set(CODES), f"no case for {sorted(set(CODES) - covered)}"


def test_every_code_has_a_severity_and_title():
    for code, info in CODES.items():
        assert re.fullmatch(r"[LSRDTMC]\d{3}", code) and info.code == code
        assert info.title and info.explanation
    assert {c for c, i in CODES.items() if i.severity.value == "warning"} == {
        "D305", "D306", "D310", "D313", "D340", "D462", "D470", "T508", "T510", "T530"}


# --- hints ----------------------------------------------------------------------------------


def test_unknown_id_names_the_nearest_ids_first(tmp_path):
    root = edited(tmp_path, Replace("    lead: ROLE-DCS\n    target_date: 2013-03-31", "    lead: ROLE-CHIAR\n    target_date: 2013-03-31"))
    d = only(root)
    assert (d.code, d.message) == ("R202", "action A2 lead: there is no role 'ROLE-CHIAR'; roles: ROLE-CHAIR, ROLE-DCS")
    assert d.hint == ""


def test_unknown_id_hint_only_names_ids_of_the_right_kind(tmp_path):
    root = edited(tmp_path, Replace("    lead: ROLE-DCS\n    target_date: 2013-03-31", "    lead: A3\n    target_date: 2013-03-31"))
    d = only(root)
    assert (d.code, d.message, d.hint) == ("R202", "action A2 lead: there is no role 'A3'; roles: ROLE-CHAIR, ROLE-DCS", "")


def test_unknown_field_hint_suggests_the_nearest_field(tmp_path):
    root = edited(tmp_path, Replace("    review_date: 2013-08-01", "    reveiw_date: 2013-08-01"))
    diags = {d.code: d for d in diagnostics(root)}
    assert diags["S102"].message == "risk RISK1 has unknown field 'reveiw_date'"
    assert diags["S102"].hint == "did you mean 'review_date'?"
    assert diags["S101"].message == "risk RISK1 is missing required field 'review_date'"


def test_unknown_nested_field_hint(tmp_path):
    root = edited(tmp_path, Replace("narrative: Clinics running weekly.", "narative: Clinics running weekly."))
    d = only(root)
    assert (d.code, d.message, d.hint) == ("S102", "action A2 has unknown field 'updates[1].narative'",
                                           "did you mean 'narrative'?")


def test_unknown_section_hint(tmp_path):
    root = edited(tmp_path, Replace("gradings:\n", "gradeings:\n"))
    d = only(root)
    assert (d.code, d.message, d.hint) == ("S102", "unknown section 'gradeings'", "did you mean 'gradings'?")


def test_every_diagnostic_in_the_table_has_a_person_readable_message(tmp_path):
    root = edited(tmp_path, Replace("likelihood: 3", "likelihood: high"))
    text = only(root).text()
    assert text.startswith(f"plan.yaml:{line_of(root, PLAN, 'likelihood')}:")
    assert "Traceback" not in text and "pydantic" not in text and "errors.pydantic.dev" not in text


# --- all problems in one run ----------------------------------------------------------------


def test_five_problems_in_five_items_are_all_reported(tmp_path):
    root = edited(tmp_path,
                  Replace("target_date: 2013-03-31", "target_date: 2013-02-30"),      # action A2
                  Replace("likelihood: 3", "likelihood: 9"),                          # risk RISK1
                  Replace(LAST_VALUE, "{period: 2013-04, value: 185.4}"),            # measure M1
                  Replace("    timescale: within_6_months\n",
                          "    timescale: within_6_months\n    due: 2013-01-31\n"),              # recommendation R1
                  body("<iframe src=x></iframe>\n"))                                  # document DOC1
    got = rows(diagnostics(root))
    assert got == sorted([
        E(PLAN, "2013-02-30", "error", "S105", "action A2 target_date '2013-02-30' is not a date (use YYYY-MM-DD)").row(root),
        E(PLAN, "9\n    impact", "error", "S106", "risk RISK1 likelihood '9': input should be less than or equal to 5").row(root),
        E(PLAN, "185.4", "error", "D308", "measure M1 value 185.4 for 2013-04 is not a percentage (0 to 100)").row(root),
        E(PLAN, "within_6_months", "error", "D311", "recommendation R1 has both a timescale and a due date").row(root),
        E(BRIEFING, "<iframe", "error", "M401", "<iframe> is not allowed").row(root),
    ])


def test_several_problems_in_one_item_are_all_reported(tmp_path):
    root = edited(tmp_path, Replace("likelihood: 3\n    impact: 4\n    mitigation: Recruitment campaign.\n    trend: steady",
                                    "likelihood: 0\n    impact: lots\n    mitigation: ''\n    trend: up"))
    assert [d.code for d in diagnostics(root)] == ["S106", "S103", "S106", "S104"]


# --- --strict, exit codes and formats ------------------------------------------------------


def overdue(tmp_path) -> Path:
    return edited(tmp_path, Replace("as_at: 2013-07-01", "as_at: 2013-10-01"))


def test_warnings_alone_exit_0_and_strict_makes_them_errors(tmp_path, capsys):
    root = overdue(tmp_path)
    assert main(["validate", "--root", str(root)]) == 0
    out = capsys.readouterr()
    assert "warning D305" in out.out and "warning D306" in out.out
    assert out.err.strip() == "Example Borough Council's plan is valid (0 errors, 2 warnings)"

    assert main(["validate", "--root", str(root), "--strict"]) == 1
    out = capsys.readouterr()
    assert "error D305" in out.out and "error D306" in out.out and "warning" not in out.out
    assert out.err.strip() == "Example Borough Council's plan is invalid (2 errors, 0 warnings)"
    assert {(d.code, d.severity.value) for d in diagnostics(root, strict=True)} == {("D305", "error"), ("D306", "error")}


def test_valid_plan_exits_0_invalid_1_usage_2(tmp_path, capsys):
    assert main(["validate", "--root", str(edited(tmp_path, name="ok"))]) == 0
    assert main(["validate", "--root", str(edited(tmp_path, Write(PLAN, ""), name="bad"))]) == 1
    with pytest.raises(SystemExit) as info:
        main(["validate", "--root", str(tmp_path / "nowhere")])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        main(["validate", "--root", str(tmp_path / "ok"), "--format", "xml"])
    assert info.value.code == 2
    capsys.readouterr()


def test_github_format(tmp_path, capsys):
    root = edited(tmp_path, Replace("as_at: 2013-07-01", "as_at: 2013-10-01"), Replace(LAST_VALUE, "{period: 2013-04, value: 120}"))
    assert main(["validate", "--root", str(root), "--format", "github"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    for ln in lines:
        assert re.fullmatch(r"::(error|warning) file=[^,]+,line=\d+,col=\d+::[A-Z]\d{3} .+", ln), ln
    line, col = locate(root, PLAN, "120")
    assert f"::error file=plan.yaml,line={line},col={col}::D308 measure M1 value 120 for 2013-04 is not a percentage " \
           "(0 to 100)" in lines
    line, col = locate(root, PLAN, "2013-09-30")
    assert lines[0] == (f"::warning file=plan.yaml,line={line},col={col}::D305 action A1 is overdue: target date "
                        "2013-09-30 is before the as-at date 2013-10-01 and its status is amber (hint: complete it, "
                        "or record a revised plan in an update and move target_date)")


def test_github_format_escapes_newlines_and_percent():
    d = Diagnostic("plan.yaml", 3, 4, "S106", "100% wrong\nsecond line")
    assert d.github() == "::error file=plan.yaml,line=3,col=4::S106 100%25 wrong%0Asecond line"


def test_json_format(tmp_path, capsys):
    root = overdue(tmp_path)
    assert main(["validate", "--root", str(root), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert isinstance(data, list) and len(data) == 2
    assert all(set(d) == {"file", "line", "col", "code", "message", "severity", "hint"} for d in data)
    line, col = locate(root, PLAN, "2013-09-30")
    assert data[0] == {"file": "plan.yaml", "line": line, "col": col, "code": "D305", "severity": "warning",
                       "message": "action A1 is overdue: target date 2013-09-30 is before the as-at date 2013-10-01 "
                                  "and its status is amber",
                       "hint": "complete it, or record a revised plan in an update and move target_date"}


def test_json_format_of_a_valid_plan_is_an_empty_list(tmp_path, capsys):
    assert main(["validate", "--root", str(edited(tmp_path)), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


# --- dates are judged at plan.as_at ---------------------------------------------------------


@pytest.mark.parametrize("as_at, codes", [
    ("2013-07-01", set()),            # the fixture's own as-at date: A1 is due 2013-09-30, updated 2013-06-20
    ("2013-07-22", {"D306"}),         # 32 days after the last update, A1 is stale (monthly)
    ("2013-09-30", {"D306"}),         # due that day: not yet overdue
    ("2013-10-01", {"D305", "D306"}), # a day late: overdue
])
def test_overdue_and_stale_are_judged_at_as_at(tmp_path, as_at, codes):
    root = edited(tmp_path, Replace("as_at: 2013-07-01", f"as_at: {as_at}"))
    assert {d.code for d in diagnostics(root)} == codes


def test_today_is_not_used(tmp_path):
    """Every target date in the fixture is long past today, yet the fixture is valid: as_at decides."""
    assert date.today() > date(2013, 9, 30)
    assert diagnostics(edited(tmp_path)) == []


def test_recommendation_overdue_is_judged_at_as_at(tmp_path):
    reopen = Replace("status: complete\n        narrative: All", "status: green\n        narrative: All")
    early = edited(tmp_path, reopen, Replace("as_at: 2013-07-01", "as_at: 2013-01-06"), name="early")
    late = edited(tmp_path, reopen, Replace("as_at: 2013-07-01", "as_at: 2013-01-07"), name="late")
    assert [d.message for d in diagnostics(early) if d.code == "D305"] == []
    assert [d.message for d in diagnostics(late) if d.code == "D305"] == [
        "recommendation R1 is past due but in progress: it was due on 2013-01-06 and its status is green"]


def test_update_after_as_at_moves_with_as_at(tmp_path):
    moved = Replace("date: 2013-06-20", "date: 2013-07-10")
    assert [d.code for d in diagnostics(edited(tmp_path, moved, name="before"))] == ["D310"]
    later = Replace("as_at: 2013-07-01", "as_at: 2013-07-10")
    assert [d.code for d in diagnostics(edited(tmp_path, moved, later, name="after"))] == []


# --- audiences ------------------------------------------------------------------------------


@pytest.mark.parametrize("target, kind, edits", [
    ("RISK1", "risk", []),
    ("A2", "action", [Replace("    commitment: C1\n    title: Put", "    audience: staff\n    commitment: C1\n    title: Put")]),
    ("DOC2", "document", [Write("content/documents/notes.md", "---\nid: DOC2\ntitle: Notes\ndate: 2013-06-01\n"
                                                               "type: minutes\n---\nStaff only.\n")]),
])
def test_public_document_about_a_staff_only_item(tmp_path, target, kind, edits):
    root = edited(tmp_path, *edits, Replace("about: [A1]", f"about: [{target}]", BRIEFING))
    line, col = locate(root, BRIEFING, target)
    d = only(root)
    assert (d.file, d.line, d.col, d.severity.value, d.code) == (BRIEFING, line, col, "error", "D307")
    assert d.message == f"public document DOC1 refers to staff-only {kind} '{target}'"
    assert d.hint == f"mark document DOC1 'audience: staff', or make {kind} '{target}' public"


def test_staff_document_may_be_about_staff_only_items(tmp_path):
    root = edited(tmp_path, Replace("audience: public", "audience: staff", BRIEFING),
                  Replace("about: [A1]", "about: [RISK1]", BRIEFING))
    assert diagnostics(root) == []


def test_documents_default_to_staff(tmp_path):
    root = edited(tmp_path, Replace("audience: public\n", "", BRIEFING), Replace("about: [A1]", "about: [RISK1]", BRIEFING))
    assert diagnostics(root) == []


CONTACTS = Replace("  - id: ROLE-CHAIR\n    title: Independent Chair of the Improvement Board\n",
                   "  - id: ROLE-CHAIR\n    title: Independent Chair of the Improvement Board\n"
                   "    contact: {email: not-an-address, phone: call the office}\n    internal_note: Vacant until May.\n")
NOTES = [
    CONTACTS,
    Replace("      email: dcs@example.gov.uk", "      email: dcs@example.gov.uk\n      phone: '020 7946 0000'\n"
                                               "    internal_note: Interim post holder."),
    Replace("    operational_lead: ROLE-DCS\n", "    operational_lead: ROLE-DCS\n    internal_note: Lead changing.\n"),
    Replace("  - id: C1\n", "  - id: C1\n    internal_note: Board asked for more detail.\n"),
    Replace("narrative: Audit half done.", "narrative: Audit half done.\n        internal_note: Two teams behind."),
    Replace("    lead: ROLE-DCS\n    target_date: 2013-09-30\n", "    lead: ROLE-DCS\n    target_date: 2013-09-30\n"
                                                                 "    internal_note: Named worker off sick.\n"),
    Replace("    published: 2012-07-06\nrec", "    published: 2012-07-06\n    internal_note: Embargoed draft seen.\nrec"),
    Replace("    service_area: Safeguarding services\n", "    service_area: Safeguarding services\n"
                                                        "    internal_note: Contested finding.\n"),
    Replace("    better: higher\n", "    better: higher\n    internal_note: Data quality poor.\n"),
    Replace("    trend: steady\n", "    trend: steady\n    internal_note: Union dispute.\n"),
    Replace("    type: inspection\n", "    type: inspection\n    internal_note: Appeal lodged.\n"),
    Replace("about: [A1]\n", "about: [A1]\ninternal_note: Do not share.\n", BRIEFING),
]


def test_contacts_and_internal_notes_have_no_validation_side_effects(tmp_path):
    assert diagnostics(edited(tmp_path, *NOTES, name="valid")) == []
    broken = [Replace("as_at: 2013-07-01", "as_at: 2013-10-01"), Replace("likelihood: 3", "likelihood: 8")]
    plain = [row[3:] for row in rows(diagnostics(edited(tmp_path, *broken, name="plain")))]
    noted = [row[3:] for row in rows(diagnostics(edited(tmp_path, *NOTES, *broken, name="noted")))]
    assert plain == noted and len(plain) == 3


def test_internal_notes_and_contacts_are_kept_on_the_items(tmp_path):
    plan, diags, _ = validate_all(edited(tmp_path, *NOTES))
    assert not diags
    index = plan.index()
    assert index["ROLE-CHAIR"].contact.email == "not-an-address"
    assert index["RISK1"].internal_note == "Union dispute."
    assert index["DOC1"].internal_note == "Do not share."


# --- published versions ---------------------------------------------------------------------


def test_snapshot_edited_after_publication_names_the_item(tmp_path):
    root = edited(tmp_path)
    plan, diags, _ = validate_all(root)
    path = publish(root, plan, "2013-07-board", "Improvement Board, July 2013", date(2013, 7, 1))
    assert rows(diagnostics(root)) == [NO_GIT.row(root)]
    path.write_text(path.read_text(encoding="utf-8").replace("Audit half done.", "Audit nearly done."), encoding="utf-8")
    d = only(root)
    assert (d.file, d.line, d.col, d.severity.value, d.code) == ("content/versions/2013-07-board.json", 1, 1, "error", "T501")
    assert d.message == ("published version '2013-07-board' (Improvement Board, July 2013) has changed since it was "
                         "published: actions/A1")


# --- bugs found while writing these tests (strict expected failures) ------------------------


def test_schema_error_in_a_referenced_item_is_not_also_an_unknown_reference(tmp_path):
    root = edited(tmp_path, Replace(A1_STATUS, A1_STATUS.replace("amber", "orange")))
    assert [d.code for d in diagnostics(root)] == ["S104"]


@pytest.mark.parametrize("url, codes", [(" javascript:alert(1)", ["S106"]), ("\\tjavascript:alert(1)", ["S106"]),
                                        ("java\\tscript:alert(1)", ["S106"]), ("java\\nscript:alert(1)", ["S106"]),
                                        ("\\x01javascript:alert(1)", ["L011", "S106"])])
def test_url_check_is_not_fooled_by_whitespace(tmp_path, url, codes):
    root = edited(tmp_path, Replace("    published: 2012-07-06\nrec", f'    published: 2012-07-06\n    url: "{url}"\nrec'))
    assert [d.code for d in diagnostics(root)] == codes


def test_id_with_a_trailing_newline_is_refused(tmp_path):
    root = edited(tmp_path, Replace("id: A2", 'id: "A2\\n"'))
    assert [d.code for d in diagnostics(root)] == ["S106"]


@pytest.mark.parametrize("value", ["inf", "nan", "true"])
def test_measure_value_must_be_a_finite_number(tmp_path, value):
    root = edited(tmp_path, UNREF_M1, Replace("unit: percent", "unit: count"),
                  Replace(LAST_VALUE, f"{{period: 2013-04, value: {value}}}"))
    assert {d.code for d in diagnostics(root)} & {"S103", "S106"}


def test_likelihood_true_is_not_a_number(tmp_path):
    root = edited(tmp_path, Replace("likelihood: 3", "likelihood: true"))
    assert [d.code for d in diagnostics(root)] == ["S103"]


def test_d307_from_the_plan_header_gives_a_possible_hint(tmp_path):
    root = edited(tmp_path, Replace("    type: ofsted_inspection\n", "    type: ofsted_inspection\n    audience: staff\n"))
    header = [d for d in diagnostics(root) if d.code == "D307" and d.message.startswith("public plan ")]
    assert header and "mark plan" not in header[0].hint


def test_null_key_is_one_diagnostic(tmp_path):
    root = edited(tmp_path, Replace("    title: Workforce\n", "    title: Workforce\n    ~: x\n"))
    assert [d.code for d in diagnostics(root)] == ["L008"]


def test_markdown_link_with_parentheses_is_quoted_whole(tmp_path):
    d = only(edited(tmp_path, body("See [this](javascript:alert(1)) now.\n")))
    assert d.message == "the link 'javascript:alert(1)' is not allowed"


@pytest.mark.parametrize("text", ["[x](javascript&#58;alert&#40;1&#41;)\n", '<a href="java&#x09;script:alert(1)">x</a>\n',
                                  '<a href="java\tscript:alert(1)">x</a>\n'])
def test_markdown_obfuscated_javascript_is_found(tmp_path, text):
    assert [d.code for d in diagnostics(edited(tmp_path, body(text)))] == ["M401"]


def test_manifest_with_a_string_entry_is_t502(tmp_path):
    root = edited(tmp_path, Write(MANIFEST, '{"format": 1, "versions": ["2013-06-board"]}'))
    d = only(root)
    assert (d.file, d.line, d.col, d.code) == (MANIFEST, 1, 1, "T502")


def test_manifest_missing_field_message_names_the_field(tmp_path):
    root = edited(tmp_path, Write(MANIFEST, '{"format": 1, "versions": [{"id": "2013-06-board"}]}'))
    d = only(root)
    assert d.code == "T502" and "title" in d.message and not d.message.endswith("'title'")


def test_snapshot_that_is_a_list_is_t503(tmp_path):
    root = edited(tmp_path, manifest(hashlib.sha256(b"[]").hexdigest()), Write(SNAPSHOT, b"[]"))
    assert [(d.file, d.code) for d in diagnostics(root)] == [(SNAPSHOT, "T503"), (MANIFEST, "T508")]
