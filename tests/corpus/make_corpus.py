"""Build the corpus of broken plans: tests/corpus/NNN-short-name/ with plan files and expected.txt.

Each case is the minimal fixture (tests/fixtures/minimal) with a few text edits. Its
expected.txt holds the diagnostics the validator printed when this script ran, one per line
(`PATH:LINE:COL: severity CODE: message`, hints left out), and every one of them was then read
by a person. Where the validator is wrong the case carries `bug=...` and its expected.txt is
written here by hand, saying what the validator *should* print; tests/test_corpus.py marks
such a case as an expected failure until the validator is fixed.

Run from anywhere:  python tests/corpus/make_corpus.py   (rewrites every NNN-* folder)

Edits are chosen so that the broken item is one nothing else refers to (action A2, risk RISK1,
grading G1, document DOC1, ...): an item that fails its schema is left out of the plan, and a
reference to it would add a second, unrelated diagnostic.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent
REPO = TESTS.parent
for _p in (str(TESTS), str(REPO)):
    if _p not in sys.path:
        sys.path.insert(0, _p)

from plan_edits import (BRIEFING, MINIMAL, PLAN, UNREF_M1, Append, Link, Remove, Replace, Write, body,  # noqa: E402
                         edited, evidence, include, locate)

CASE_DIR = re.compile(r"^\d{3}-[a-z0-9-]+$")
MANIFEST = "content/versions/manifest.json"


G1_LAST = "grade: inadequate}\n"  # the minimal fixture's last line
GRID_G2 = ("  - id: G2\n    title: Team diagnostic\n    date: 2013-05-01\n    type: diagnostic\n    grid:\n"
           "      domains: [Leadership, Practice]\n      rows:\n"
           "        - {service: Front door, cells: [adequate, {adequate: 5, inadequate: 3, good: 1}], overall: adequate}\n")


@dataclass(frozen=True)
class Case:
    name: str
    intent: tuple[str, ...]  # the codes this case exists to trigger
    edits: tuple
    bug: str = ""  # the validator is wrong here: `expected` says what it should print
    expected: Callable[[Path], list[str]] | None = None
    number: int = 0  # a fixed folder number (each part of the work has its own range); else its place in CASES


def line(root: Path, file: str, needle: str | None, sev: str, code: str, msg: str, nth: int = 0) -> str:
    ln, col = locate(root, file, needle, nth) if needle else (1, 1)
    return f"{file}:{ln}:{col}: {sev} {code}: {msg}"


# --- pieces of the minimal plan that edits refer to -----------------------------------------

A2_TITLE = "    title: Put in place weekly performance clinics.\n"
CADENCE = "  update_cadence: monthly\n"
ANSWERS_R1 = Replace("    commitment: C1\n    title: Audit", "    commitment: C1\n    answers: [R1]\n    title: Audit")
GUIDE = "content/guide/index.md"
A2_UPDATE = """      - date: 2013-03-15
        status: complete
        narrative: Clinics running weekly."""
A2_STATUS = "status: complete\n        narrative: Clinics"
A1_STATUS = "status: amber\n        narrative: Audit half done."
A2_LEAD = "    lead: ROLE-DCS\n    target_date: 2013-03-31"
A2_COMMITMENT = "    commitment: C1\n    title: Put"
RISK_OWNER = "    owner: ROLE-DCS\n"
LAST_VALUE = "{period: 2013-04, value: 85.4}"
DEPTH = 70
GOV_CHAIR = "      chair: ROLE-CHAIR\n"
ABOUT_OK = """  intervention: improvement_notice
  oversight:
    - {kind: improvement_partner, name: Essex County Council, does: Coaches our team managers.}
    - {kind: dfe_adviser, name: DfE adviser, does: Advises the Director., audience: staff}
  timeline:
    - {date: 2012-11-01, event: The notice is issued., kind: notice_issued}
    - {date: 2012-05-14, event: Ofsted inspects., kind: inspection, source: SRC-OF}
"""
A1_TARGET = "    target_date: 2013-09-30\n"
SLIPPED_TWICE = ("    target_date_changes:\n"
                 "      - {on: 2013-03-01, from: 2013-05-31, reason: The audit tool was not ready.}\n"
                 "      - {on: 2013-05-01, from: 2013-07-31, reason: Two auditors left.}\n")





def billion_laughs() -> str:
    text = "lol0: &a0 [lol]\n"
    for i in range(1, 10):
        text += f"lol{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n"
    return text


def manifest(sha: str, vid: str = "2013-06-board", title: str = "Improvement Board, June 2013") -> Write:
    data = {"format": 1, "versions": [{"id": vid, "title": title, "date": "2013-06-03", "sha256": sha,
                                       "items": {}, "corrections": []}]}
    return Write(MANIFEST, json.dumps(data, indent=1) + "\n")


UNKNOWN_FORMAT = b'{"format": 99, "plan": {}, "version": {"id": "2013-06-board"}}\n'


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def published_minimal(*edits) -> tuple[Write, Write]:
    """The minimal plan published as 2013-07-board (snapshot and manifest), as `publish` writes them; `edits` change
    the plan before it is published (the working plan of the case stays as it was)."""
    import tempfile
    from datetime import date

    from generator.validate import validate
    from generator.versions import MANIFEST as M, publish

    with tempfile.TemporaryDirectory() as tmp:
        root = edited(Path(tmp), *edits)
        snap = publish(root, validate(root)[0], "2013-07-board", "Improvement Board, July 2013", date(2013, 7, 1))
        return (Write("content/versions/2013-07-board.json", snap.read_bytes()),
                Write(M, (root / M).read_bytes()))


CASES: list[Case] = [
    # --- reading files: L001-L010 ----------------------------------------------------------
    Case("missing-plan-yaml", ("L001",), (Remove(PLAN),)),
    Case("empty-plan-yaml", ("L002",), (Write(PLAN, ""),)),
    Case("whitespace-only-plan-yaml", ("L002",), (Write(PLAN, "  \n\n\t\n   \n"),)),
    Case("binary-plan-yaml", ("L003",), (Write(PLAN, b"plan:\x00\x01\x02\x03 binary\n"),)),
    Case("not-utf8", ("L001",), (Write(PLAN, MINIMAL.joinpath(PLAN).read_bytes().replace(
        b"title: Workforce", b"title: Work\xffforce")),)),
    Case("yaml-syntax-colon", ("L004",), (Replace("description: Agency staff leave.",
                                                   "description: Agency staff: leave."),)),
    Case("tab-indentation", ("L004",), (Replace("    title: Workforce", "\ttitle: Workforce"),)),
    Case("two-yaml-documents", ("L004",), (Append("---\nactions: []\n"),)),
    Case("duplicate-key", ("L005",), (Replace("    title: Workforce\n",
                                              "    title: Workforce\n    title: Staffing\n"),)),
    Case("python-object-tag", ("L006",), (Replace(
        "    mitigation: Recruitment campaign.\n",
        "    mitigation: Recruitment campaign.\n"
        "    internal_note: !!python/object/apply:os.system ['touch PWNED']\n"),)),
    Case("python-name-tag", ("L006",), (Replace(
        "    mitigation: Recruitment campaign.\n",
        "    mitigation: Recruitment campaign.\n    internal_note: !!python/name:os.system\n"),)),
    Case("custom-tag", ("L006",), (Replace("description: Agency staff leave.",
                                           "description: !secret Agency staff leave."),)),
    Case("merge-key", ("L006",), (Replace("  - id: ROLE-CHAIR\n",
                                          "  - id: ROLE-CHAIR\n    <<: {contact: {email: chair@example.gov.uk}}\n"),)),
    Case("billion-laughs", ("L007",), (Append(billion_laughs()),)),
    Case("undefined-alias", ("L007",), (Replace("description: Agency staff leave.", "description: *text"),)),
    Case("self-referencing-alias", ("L007",), (Append("loop: &loop [*loop]\n"),)),
    Case("nested-too-deep", ("L008",), (Replace("    title: Workforce\n", "    title: Workforce\n    internal_note: "
                                                + "[" * DEPTH + "]" * DEPTH + "\n"),)),
    Case("top-level-list", ("L008",), (Write(PLAN, "- plan: {}\n- actions: []\n"),)),
    Case("front-matter-is-a-list", ("L008",), (Write(BRIEFING, "---\n- id: DOC1\n- title: Briefing\n---\nText.\n"),)),
    Case("front-matter-missing", ("L009",), (Write(BRIEFING, "# Staff briefing\n\nThe audit is half done.\n"),)),
    Case("front-matter-unclosed", ("L009",), (Write(BRIEFING, "---\nid: DOC1\ntitle: Briefing\n\nThe audit.\n"),)),
    Case("include-outside-root", ("L010",), (include("../shared/roles.yaml"),)),
    Case("include-listed-twice", ("L010",), (include("more.yaml", "more.yaml"),
                                             Write("more.yaml", "roles:\n  - id: ROLE-HOS\n    title: Head of Service\n"))),
    Case("include-holds-plan", ("L010",), (include("more.yaml"),
                                           Write("more.yaml", "plan:\n  title: Another plan\n"))),
    Case("include-not-yaml", ("L010",), (include("notes.txt"), Write("notes.txt", "roles: []\n"))),
    # --- schema: S101-S106 ----------------------------------------------------------------
    Case("missing-required-field", ("S101",), (Replace(A2_TITLE, ""),)),
    Case("missing-nested-field", ("S101",), (Replace("      published: 2012-07-06\n      judgement", "      judgement"),)),
    Case("missing-plan-section", ("S101",), (Replace("plan:\n  organisation", "plans:\n  organisation"),)),
    Case("unknown-field", ("S102",), (Replace("    impact: 4\n", "    impact: 4\n    likelyhood: 2\n"),)),
    Case("unknown-field-nested", ("S102",), (Replace("narrative: Clinics running weekly.",
                                                      "narative: Clinics running weekly."),)),
    Case("unknown-section", ("S102",), (Replace("gradings:\n", "grading:\n"),)),
    Case("text-where-list-expected", ("S103",), (Replace("    updates:\n" + A2_UPDATE, "    updates: soon"),)),
    Case("list-where-text-expected", ("S103",), (Replace("title: Workforce", "title: [Workforce, Recruitment]"),)),
    Case("word-where-number-expected", ("S103",), (Replace("likelihood: 3", "likelihood: high"),)),
    Case("fraction-where-whole-number-expected", ("S103",), (Replace("impact: 4", "impact: 3.5"),)),
    Case("section-not-a-list", ("S103",), (Replace("gradings:\n  - id: G1", "gradings: G1\nold_gradings:\n  - id: G1"),)),
    Case("bad-status", ("S104",), (Replace(A2_STATUS, A2_STATUS.replace("complete", "done")),)),
    Case("bad-document-audience", ("S104",), (Replace("audience: public", "audience: everyone", BRIEFING),)),
    Case("bad-grade", ("S104",), (Replace("grade: inadequate", "grade: poor"),)),
    Case("bad-trend", ("S104",), (Replace("trend: steady", "trend: worse"),)),
    Case("impossible-date", ("S105",), (Replace("target_date: 2013-03-31", "target_date: 2013-02-30"),)),
    Case("date-in-wrong-form", ("S105",), (Replace("review_date: 2013-08-01", "review_date: 01/08/2013"),)),
    Case("impossible-as-at", ("S105",), (Replace("as_at: 2013-07-01", "as_at: 2013-06-31"),)),
    Case("document-impossible-date", ("S105",), (Replace("date: 2013-06-10", "date: 2013-13-10", BRIEFING),)),
    Case("bad-month-period", ("S106",), (UNREF_M1, Replace(LAST_VALUE, "{period: 2013-13, value: 85.4}"))),
    Case("bad-financial-year", ("S106",), (UNREF_M1, Replace(LAST_VALUE, "{period: 2013/15, value: 85.4}"))),
    Case("bad-id", ("S106",), (Replace("id: A2", "id: 2A"),)),
    Case("likelihood-out-of-range", ("S106",), (Replace("likelihood: 3", "likelihood: 7"),)),
    Case("impact-zero", ("S106",), (Replace("impact: 4", "impact: 0"),)),
    Case("empty-title", ("S106",), (Replace("title: Workforce", "title: ''"),)),
    Case("javascript-evidence-url", ("S106",), (evidence("{title: Minutes, url: 'javascript:alert(1)'}"),)),
    # --- references: R201-R203 ------------------------------------------------------------
    Case("duplicate-id", ("R201",), (Replace("id: A2", "id: A1"),)),
    Case("document-reuses-action-id", ("R201",), (Replace("id: DOC1", "id: A2", BRIEFING),)),
    Case("unknown-lead", ("R202",), (Replace(A2_LEAD, A2_LEAD.replace("ROLE-DCS", "ROLE-DSC")),)),
    Case("unknown-governance-chair", ("R202",), (Replace("chair: ROLE-CHAIR", "chair: ROLE-CHAIRMAN"),)),
    Case("document-about-unknown-id", ("R202",), (Replace("about: [A1]", "about: [A1, A9]", BRIEFING),)),
    Case("commitment-points-at-theme", ("R203",), (Replace(A2_COMMITMENT, A2_COMMITMENT.replace("C1", "T1")),)),
    # --- domain rules: D301-D314 ----------------------------------------------------------
    Case("complete-without-completed-on", ("D301",), (Replace("    completed_on: 2013-03-15\n", ""),)),
    Case("completed-on-but-green", ("D302",), (Replace(A2_STATUS, A2_STATUS.replace("complete", "green")),)),
    Case("red-without-narrative", ("D303",), (Replace(A1_STATUS, "status: red"),)),
    Case("amber-with-blank-narrative", ("D303",), (Replace(A1_STATUS, "status: amber\n        narrative: '   '"),)),
    Case("updates-out-of-order", ("D304",), (Replace(A2_UPDATE, "      - {date: 2013-03-20, status: green, narrative: On track.}\n"
                                                     + A2_UPDATE),)),
    Case("measure-values-out-of-order", ("D304",), (Replace("{period: 2012-11, value: 21.6}\n      - {period: 2013-04",
                                                            "{period: 2013-05, value: 21.6}\n      - {period: 2013-04"),)),
    Case("overdue-and-stale-action", ("D305", "D306"), (Replace("as_at: 2013-07-01", "as_at: 2013-10-15"),)),
    Case("overdue-recommendation", ("D305",), (Replace("status: complete\n        narrative: All",
                                                       "status: green\n        narrative: All"),)),
    Case("stale-weekly-cadence", ("D306",), (Replace("update_cadence: monthly", "update_cadence: weekly"),)),
    Case("public-document-about-risk", ("D307",), (Replace("about: [A1]", "about: [RISK1]", BRIEFING),)),
    Case("public-actions-staff-commitment", ("D307",), (Replace("  - id: C1\n", "  - id: C1\n    audience: staff\n"),)),
    Case("percentage-over-100", ("D308",), (Replace(LAST_VALUE, "{period: 2013-04, value: 120}"),)),
    Case("negative-count", ("D308",), (Replace("unit: percent", "unit: count"),
                                       Replace(LAST_VALUE, "{period: 2013-04, value: -3}"))),
    Case("public-risk", ("D309",), (Replace(RISK_OWNER, RISK_OWNER + "    audience: public\n"),)),
    Case("update-after-as-at", ("D310",), (Replace("date: 2013-06-20", "date: 2013-07-05"),)),
    Case("value-after-as-at", ("D310",), (Replace(LAST_VALUE, "{period: 2013-08, value: 85.4}"),)),
    # valid since issue 10: a recommendation may have no timescale (shown "No timescale", never overdue)
    Case("recommendation-without-timescale", (), (Replace("    timescale: within_6_months\n", ""),)),
    Case("recommendation-timescale-and-due", ("D311",), (Replace("    timescale: within_6_months\n",
                                                                 "    timescale: within_6_months\n    due: 2013-01-31\n"),)),
    Case("evidence-without-target", ("D312",), (evidence("{title: Minutes of the board}"),)),
    Case("evidence-with-two-targets", ("D312",), (evidence("{title: Minutes, url: 'https://example.gov.uk/m', document: DOC1}"),)),
    Case("adequate-after-2013", ("D313",), (Replace("date: 2012-07-06\n    type: inspection", "date: 2014-02-06\n    type: inspection"),
                                            Replace("grade: inadequate", "grade: adequate"))),
    Case("requires-improvement-before-2013", ("D313",), (Replace("grade: inadequate", "grade: requires_improvement"),)),
    Case("breakdown-row-too-long", ("D314",), (Replace(LAST_VALUE + "\n", LAST_VALUE + "\n    breakdowns:\n"
                                                       "      - title: By team\n        period: 2013-04\n"
                                                       "        columns: [North, South]\n        rows:\n"
                                                       "          - {label: Assessments, values: [10, 12, 14]}\n"),)),
    # --- unsafe Markdown: M401 ------------------------------------------------------------
    Case("markdown-script", ("M401",), (body("Half done.\n\n<script>alert('x')</script>\n"),)),
    Case("markdown-onerror", ("M401",), (body("Chart: <img src=\"chart.png\" onerror=\"alert(1)\">\n"),)),
    Case("markdown-javascript-link", ("M401",), (body("See [the audit](javascript:alert) for detail.\n"),)),
    Case("markdown-reference-javascript-link", ("M401",), (body("See [the audit][a].\n\n[a]: javascript:alert\n"),)),
    Case("markdown-a-href-javascript", ("M401",), (body('See <a href="javascript:alert(1)">the audit</a>.\n'),)),
    Case("markdown-data-image", ("M401",), (body("![chart](data:image/png;base64,iVBORw0KGgo=)\n"),)),
    Case("markdown-iframe", ("M401",), (body('<iframe src="https://example.com/"></iframe>\n'),)),
    Case("markdown-object", ("M401",), (body('<object data="movie.swf"></object>\n'),)),
    Case("markdown-style-block", ("M401",), (body("<style>body { display: none }</style>\n"),)),
    Case("markdown-style-attribute", ("M401",), (body('<p style="color: red">Half done.</p>\n'),)),
    Case("markdown-several-problems", ("M401",), (body("Half done.\n<svg onload=\"alert(1)\"></svg>\n"
                                                       "[a](vbscript:msgbox) and <form action=\"/x\"></form>\n"),)),
    # --- published versions: T501-T503 ----------------------------------------------------
    Case("manifest-damaged", ("T502",), (Write(MANIFEST, '{"format": 1, "versions": [\n'),)),
    Case("snapshot-missing", ("T501",), (manifest("0" * 64),)),
    Case("snapshot-changed", ("T501",), (manifest("0" * 64), Write("content/versions/2013-06-board.json", "{}\n"))),
    Case("snapshot-unknown-format", ("T503",), (manifest(sha(UNKNOWN_FORMAT)),
                                                Write("content/versions/2013-06-board.json", UNKNOWN_FORMAT))),
    # --- text and Markdown inputs (issue 8): L011, L012, M402 (numbers 100-129) ----------------
    *[Case(name, intent, edits, number=100 + i) for i, (name, intent, edits) in enumerate([
        ("control-character-escape-in-title", ("L011",), (Replace(A2_TITLE, '    title: "Weekly\\x7f clinics."\n'),)),
        ("c1-control-escape-in-plan-title", ("L011",), (Replace("title: Children's Services Improvement Plan",
                                                                'title: "Children\\x85s plan"'),)),
        ("bidi-control-raw-in-narrative", ("L011",), (Replace("narrative: Audit half done.",
                                                              "narrative: Audit \u202edone."),)),
        ("bidi-isolate-escape-in-a-key", ("L011",), (Replace("    title: Workforce\n",
                                                             '    title: Workforce\n    "note\\u2066": x\n'),)),
        ("line-separator-in-front-matter", ("L011",), (Replace("title: Staff briefing, June 2013",
                                                               'title: "Staff\\u2028briefing"', BRIEFING),)),
        ("bidi-control-in-document-body", ("L011",), (body("The cost was \u202e000,01£ approved.\n"),)),
        ("noncharacter-in-included-file", ("L011",), (include("more.yaml"), Write(
            "more.yaml", 'roles:\n  - id: ROLE-HOS\n    title: "Head of Service\\uffff"\n'))),
        ("guide-page-script", ("M401",), (Write(GUIDE, "---\ntitle: Guide\n---\n\n# Guide\n\nSave often.\n\n"
                                                       "<script>alert(document.cookie)</script>\n"),)),
        ("guide-page-onerror-and-control-character", ("M401", "L011"), (Write(
            GUIDE, "# Guide\n\n<img src=\"x.png\" onerror=\"alert(1)\">\n\nSave\x7f often.\n"),)),
        ("document-links-outside-the-folder", ("L012",), (Link("content/documents/leak.md", "../../../make_corpus.py"),)),
        ("guide-page-links-outside-the-folder", ("L012",), (Write(GUIDE, "# Guide\n\nSave often.\n"),
                                                            Link("content/guide/leak.md", "../../../make_corpus.py"))),
        ("theme-file-links-outside-the-theme", ("L012",), (Link("docs_theme/main.html", "../plan.yaml"),)),
        ("markdown-16000-image-brackets", ("M402",), (body("![" * 16_000 + "\n"),)),
        ("markdown-blockquotes-too-deep", ("M402",), (body("> " * 9 + "Deep.\n"),)),
        ("markdown-too-many-lines", ("M402",), (body("x\n" * 5_001),)),
        ("markdown-unclosed-code-fences", ("M402",), (body("```x\n" * 11),)),
        ("markdown-too-many-headings", ("M402",), (body("## Heading\n" * 301),)),
        ("markdown-unclosed-tags", ("M402",), (body("<http://example.org \n" * 11),)),
    ])],
    # --- published history (T504-T511, 160-189); git-only codes are in tests/test_tamper.py ---
    *[Case(f"manifest-id-{name}", ("T504",), (manifest("0" * 64, vid=vid),), number=n)
      for n, name, vid in ((160, "escapes-output", "../../x"), (161, "versions-json", "versions.json"),
                           (162, "draft", "draft"), (163, "upper-case", "Latest"), (164, "empty", ""))],
    Case("manifest-id-twice", ("T504",), (Write(MANIFEST, json.dumps({"format": 2, "versions": [
        {"id": "2013-06-board", "title": "June", "date": "2013-06-03", "sha256": "0" * 64, "items": {}}] * 2},
        indent=1) + "\n"),), number=165),
    Case("manifest-chain-broken", ("T505",), (
        Write("content/versions/2013-06-board.json", b"{}\n"), Write("content/versions/2013-07-board.json", b"{}\n"),
        Write(MANIFEST, json.dumps({"format": 2, "versions": [
            {"id": vid, "title": title, "date": day, "sha256": sha(b"{}\n"), "items": {}, "previous": "1" * 64}
            for vid, title, day in (("2013-06-board", "June", "2013-06-03"), ("2013-07-board", "July", "2013-07-01"))]},
            indent=1) + "\n")), number=166),
    Case("manifest-correction-file-outside", ("T502",), (Write(MANIFEST, json.dumps({"format": 2, "versions": [
        {"id": "2013-06-board", "title": "June", "date": "2013-06-03", "sha256": "0" * 64, "items": {},
         "corrections": [{"date": "2013-06-10", "reason": "r", "sha256": "0" * 64, "items": {},
                          "file": "../../plan.yaml"}]}]}, indent=1) + "\n"),), number=167),
    Case("manifest-not-utf8", ("T502",), (Write(MANIFEST, b"\xff\xfe{}"),), number=168),
    Case("reported-update-rewritten", ("T511",), (*published_minimal(),
                                                  Replace("narrative: Audit half done.", "narrative: Audit done.")),
         number=169),
    Case("reported-update-backdated", ("T511",), (*published_minimal(), Replace(
        "        narrative: Clinics running weekly.\n",
        "        narrative: Clinics running weekly.\n      - date: 2013-06-30\n        status: complete\n"
        "        narrative: Still weekly.\n")), number=170),
    Case("published-snapshot-names-a-staff-only-role", ("T520",), published_minimal(
        Replace("  - id: ROLE-DCS\n", "  - id: ROLE-DCS\n    audience: staff\n")), number=171),
    Case("reported-measure-value-rewritten", ("T511",), (*published_minimal(),
                                                         Replace(LAST_VALUE, "{period: 2013-04, value: 99.9}")),
         number=240),
    Case("reported-grading-rewritten", ("T511",), (*published_minimal(), Replace(
        "grade: inadequate}", "grade: adequate}")), number=241),
    Case("reported-baseline-rewritten", ("T511",), (*published_minimal(), Replace(
        "baseline: {period: 2012-11, value: 21.6}", "baseline: {period: 2012-11, value: 50}")), number=242),
    # --- several problems at once ---------------------------------------------------------
    Case("five-problems-in-five-items", ("S105", "S106", "D308", "D311", "M401"), (
        Replace("target_date: 2013-03-31", "target_date: 2013-02-30"),
        Replace("likelihood: 3", "likelihood: 9"),
        Replace(LAST_VALUE, "{period: 2013-04, value: 185.4}"),
        Replace("    timescale: within_6_months\n", "    timescale: within_6_months\n    due: 2013-01-31\n"),
        body("<script>alert(1)</script>\n"))),
    # --- limits and identifiers (190-219): values that would overflow, ids shared across kinds ------
    *[Case(name, intent, edits, number=n) for n, (name, intent, edits) in enumerate([
        ("measure-value-too-large", ("S107",), (Replace(LAST_VALUE, "{period: 2013-04, value: 1.6e308}"),)),
        ("measure-target-too-large", ("S107",), (Replace("target: {value: 80}", "target: {value: 1e13}"),)),
        ("measure-baseline-too-small", ("S107",), (Replace("baseline: {period: 2012-11, value: 21.6}",
                                                           "baseline: {period: 2012-11, value: -2e12}"),)),
        ("source-published-year-9999", ("S107",), (Replace("published: 2012-07-06\nrecommendations",
                                                           "published: 9999-07-06\nrecommendations"),)),
        ("date-before-1970", ("S107",), (Replace("review_date: 2013-08-01", "review_date: 1969-12-31"),)),
        ("date-after-2099", ("S107",), (Replace("review_date: 2013-08-01", "review_date: 2106-02-08"),)),
        ("period-year-9999", ("S107",), (Replace(LAST_VALUE, "{period: 9999-04, value: 85.4}"),)),
        ("financial-year-before-1970", ("S107",), (Replace("{period: 2012-11, value: 21.6}\n      - ",
                                                           "{period: 1969/70, value: 21.6}\n      - "),)),
        ("governance-body-reuses-theme-id", ("R201",), (Replace(
            "      chair: ROLE-CHAIR\n", "      chair: ROLE-CHAIR\n    - id: T1\n      name: Scrutiny panel\n"
            "      role: Scrutinises the plan.\n      meets: quarterly\n"),)),
        ("two-governance-bodies-one-id", ("R201",), (Replace(
            "      chair: ROLE-CHAIR\n", "      chair: ROLE-CHAIR\n    - id: GOV-BOARD\n      name: Scrutiny panel\n"
            "      role: Scrutinises the plan.\n      meets: quarterly\n"),)),
        ("phase-reuses-governance-id", ("R201",), (Replace(
            "  governance:\n", "  phases:\n    - id: GOV-BOARD\n      title: Stabilise\n      start: 2012-08-01\n"
            "  governance:\n"),)),
        ("phase-reuses-action-id", ("R201",), (Replace(
            "  governance:\n", "  phases:\n    - id: A1\n      title: Stabilise\n      start: 2012-08-01\n"
            "  governance:\n"),)),
        ("update-dated-1960", ("S107",), (Replace("      - date: 2013-06-20", "      - date: 1960-06-20"),)),
        ("grading-dated-2100", ("S107",), (Replace("    date: 2012-07-06", "    date: 2100-07-06"),)),
        ("document-dated-1900", ("S107",), (Replace("date: 2013-06-10", "date: 1900-06-10", BRIEFING),)),
        ("breakdown-value-too-large", ("S107",), (Replace(LAST_VALUE + "\n", LAST_VALUE + "\n    breakdowns:\n"
                                                          "      - title: Training\n        period: 2013/14\n"
                                                          "        columns: [North]\n        rows:\n"
                                                          "          - {label: Social workers, values: [1e300]}\n"),)),
        ("document-reuses-governance-id", ("R201",), (Replace("id: DOC1", "id: GOV-BOARD", BRIEFING),)),
    ], start=190)],
    # --- images from another site: M403 (numbers 250-259) -------------------------------------
    *[Case(name, intent, edits, number=n) for n, (name, intent, edits) in enumerate([
        ("markdown-remote-images", ("M403",), (body("Chart: ![t](https://tracker.example/p.png)\n\n"
                                                     "<img src=\"https://tracker.example/q.png\">\n"),)),
        ("markdown-remote-image-by-reference", ("M403",), (body("Chart: ![the chart][c]\n\n"
                                                                 "[c]: HTTPS://tracker.example/p.png\n"),)),
        ("markdown-remote-image-srcset-and-entity", ("M403",), (body(
            '<img src="chart.png" srcset="chart.png 1x, //tracker.example/p.png 2x">\n\n'
            '<img src="https&#58;//tracker.example/q.png">\n'),)),
        ("guide-page-remote-image", ("M403",), (Write(GUIDE, "# Guide\n\nSave often.\n\n"
                                                            "![screen](https://tracker.example/s.png)\n"),)),
        ("markdown-remote-link-and-local-image-allowed", (), (body(
            "See [the chart](https://example.org/chart.png) and ![chart](chart.png).\n"),)),
        ("guide-page-named-like-a-generated-page", ("L013",), (Write("content/guide/codes.md",
                                                                      "# Our codes\n\nAsk the team.\n"),)),
    ], start=250)],
    # --- messages that misled (300-339): each says what happened and how to fix it ----------------
    *[Case(name, intent, edits, number=n) for n, (name, intent, edits) in enumerate([
        ("comma-in-inline-mapping", ("S102",), (Replace(
            "{area: Overall effectiveness (safeguarding), grade: inadequate}",
            "{area: Referral, and assessment, grade: inadequate}"),)),
        ("comma-in-inline-number", ("S102",), (Replace(LAST_VALUE, "{period: 2013-04, value: 1,234}"),)),
        ("comma-in-included-inline-mapping", ("S102",), (include("more.yaml"), Write("more.yaml", (
            "gradings:\n  - id: G2\n    title: 2014 diagnostic\n    date: 2014-01-10\n    type: diagnostic\n"
            "    judgements:\n      - {area: Children in need, and child protection, grade: good}\n")))),
        ("comma-in-inline-front-matter", ("S102",), (Write(BRIEFING, (
            "---\n{id: DOC1, title: Staff briefing, June 2013, date: 2013-06-10, type: briefing}\n---\n"
            "The audit is half done.\n")),)),
        ("grading-under-risks", ("S102",), (Replace("risks:\n", (
            "risks:\n  - id: G2\n    title: 2014 diagnostic\n    date: 2014-01-10\n    type: diagnostic\n"
            "    judgements:\n      - {area: Front door, grade: good}\n")),)),
        ("status-in-capitals", ("S104",), (Replace(A1_STATUS, A1_STATUS.replace("amber", "Amber")),)),
        ("role-title-as-lead", ("R202",), (Replace(A2_LEAD, A2_LEAD.replace("ROLE-DCS", "Head of Safeguarding")),)),
        ("person-as-risk-owner", ("R202",), (Replace(RISK_OWNER, "    owner: Jane Smith\n"),)),
        ("financial-year-before-month", ("D304",), (
            Replace("{period: 2012-11, value: 21.6}\n      - {period: 2013-04",
                    "{period: 2013/14, value: 21.6}\n      - {period: 2013-04"),)),
    ], start=300)],
    # --- plan format (360-379): plan.yaml's `format`, which `migrate` rewrites ----------------------
    *[Case(name, intent, edits, number=n) for n, (name, intent, edits) in enumerate([
        ("plan-without-format", ("S120",), (Replace("format: 2\n", ""),)),
        ("plan-format-1", ("S120",), (Replace("format: 2\n", "format: 1\n"),)),
        ("plan-format-1-below-comments", ("S120",), (Replace("format: 2\n", "# Our plan.\n\nformat: 1\n"),)),
        ("plan-format-from-a-newer-tool", ("S121",), (Replace("format: 2\n", "format: 3\n"),)),
        ("plan-format-as-text", ("S122",), (Replace("format: 2\n", "format: two\n"),)),
        ("plan-format-as-list", ("S122",), (Replace("format: 2\n", "format: [2]\n"),)),
        ("plan-format-true", ("S122",), (Replace("format: 2\n", "format: true\n"),)),
        ("format-in-included-file", ("L010",), (include("more.yaml"), Write("more.yaml", "format: 2\nrisks: []\n"))),
        ("old-format-hides-other-problems", ("S120",), (Replace("format: 2\n", ""),
                                                        Replace("likelihood: 3", "likelihood: high"))),
        ("format-below-comments-and-include", (), (Replace("format: 2\n", "# Our plan.\n\nformat: 2\n"),
                                                   include("more.yaml"), Write("more.yaml", "risks: []\n"))),
    ], start=360)],
    # --- council words: terms and glossary in plan: (numbers 340-359) ---------------------------
    *[Case(name, intent, (Replace(CADENCE, CADENCE + edit),), number=n) for n, (name, intent, edit) in enumerate([
        ("terms-and-glossary-allowed", (), "  terms: {theme: priority, commitment: objective, commitments: "
                                           "objectives}\n  glossary:\n    - {term: LADO, meaning: Our designated "
                                           "officer.}\n    - {term: Children's Trust, meaning: Our partnership.}\n"),
        ("terms-word-with-digit", ("S106",), "  terms: {theme: workstream2}\n"),
        ("terms-word-too-long", ("S106",), "  terms:\n    commitment: a very long name for the second level\n"),
        ("terms-word-not-text", ("S103",), "  terms:\n    theme: [workstream]\n"),
        ("terms-unknown-level", ("S102",), "  terms: {theme: workstream, action: task}\n"),
        ("terms-same-for-both-levels", ("S140",), "  terms: {theme: priority, commitment: Priority}\n"),
        ("glossary-term-twice", ("S140",), "  glossary:\n    - {term: Front door, meaning: Where contacts arrive.}"
                                           "\n    - {term: front door, meaning: The MASH.}\n"),
        ("glossary-entry-without-meaning", ("S101",), "  glossary:\n    - term: Front door\n"),
        ("glossary-term-with-its-meaning", ("S106",), "  glossary:\n    - term: Front door, where every contact "
                                                      "about a child arrives first of all\n      meaning: The MASH.\n"),
    ], start=340)],
    # --- about this plan: intervention, oversight, timeline (numbers 400-419) ----------------------
    *[Case(name, intent, edits, number=n) for n, (name, intent, edits) in enumerate([
        ("about-allowed", (), (Replace(GOV_CHAIR, GOV_CHAIR + ABOUT_OK),)),
        ("intervention-without-notice", ("D400",), (Replace(GOV_CHAIR, GOV_CHAIR + "  intervention: improvement_notice\n"),
                                                    Replace("    improvement_notice:\n      issued: 2012-11-01\n", ""))),
        ("intervention-unknown", ("S104",), (Replace(GOV_CHAIR, GOV_CHAIR + "  intervention: notice to improve\n"),)),
        ("oversight-unknown-kind", ("S104",), (Replace(GOV_CHAIR, GOV_CHAIR + "  oversight:\n    - {kind: partner, "
                                                       "name: Essex County Council, does: Coaches managers.}\n"),)),
        ("oversight-without-what-they-do", ("S101",), (Replace(GOV_CHAIR, GOV_CHAIR + "  oversight:\n    - {kind: "
                                                               "improvement_partner, name: Essex County Council}\n"),)),
        ("oversight-role-unknown", ("R202",), (Replace(GOV_CHAIR, GOV_CHAIR + "  oversight:\n    - {kind: "
                                                       "independent_chair, name: Chair, does: Chairs., role: Jane Smith}\n"),)),
        ("timeline-source-is-a-document", ("R203",), (Replace(GOV_CHAIR, GOV_CHAIR + "  timeline:\n    - {date: "
                                                              "2012-07-06, event: Published., kind: report_published, "
                                                              "source: DOC1}\n"),)),
        ("timeline-public-entry-names-staff-document", ("D307",), (
            Write("content/documents/staff.md", "---\nid: DOC-STAFF\ntitle: Board papers\ndate: 2013-06-01\n"
                  "type: board_report\n---\nPapers.\n"),
            Replace(GOV_CHAIR, GOV_CHAIR + "  timeline:\n    - {date: 2013-06-01, event: Board meets., "
                    "kind: board_meeting, document: DOC-STAFF}\n"))),
        ("timeline-bad-date", ("S105",), (Replace(GOV_CHAIR, GOV_CHAIR + "  timeline:\n    - {date: 2012-13-01, "
                                                  "event: Published., kind: report_published}\n"),)),
        ("timeline-unknown-kind", ("S104",), (Replace(GOV_CHAIR, GOV_CHAIR + "  timeline:\n    - {date: 2012-07-06, "
                                                      "event: Published., kind: publication}\n"),)),
    ], start=400)],
    # --- diagnostic grids (420-439): a grading's grid of services by quality domains, D420-D424 -----------
    *[Case(name, intent, (Replace(G1_LAST, G1_LAST + GRID_G2.replace(old, new)), *more), number=n)
      for n, (name, intent, old, new, more) in enumerate([
        ("grid-row-with-too-few-cells", ("D420",), "cells: [adequate, {adequate: 5", "cells: [{adequate: 5", ()),
        ("grid-cell-grade-in-capitals", ("D421",), "[adequate, {", "[Adequate, {", ()),
        ("grid-counts-of-zero-teams", ("D421",), "good: 1}", "good: 0}", ()),
        ("grid-counts-of-half-a-team", ("D421",), "inadequate: 3,", "inadequate: 2.5,", ()),
        ("grid-split-of-one-grade", ("D421",), "overall: adequate", "overall: [adequate]", ()),
        ("grid-overall-as-counts", ("D422",), "overall: adequate", "overall: {adequate: 2}", ()),
        ("grid-compared-with-a-list-of-judgements", ("D423",), "    grid:", "    compare_with: G1\n    grid:", ()),
        ("grid-compared-with-other-services", ("D423",), "service: Front door", "service: Duty team",
         (Replace("gradings:\n", "gradings:\n" + GRID_G2.replace("id: G2", "id: G0").replace("2013-05-01", "2013-01-10")),
          Replace("    grid:\n      domains: [Leadership, Practice]\n      rows:\n        - {service: Duty",
                  "    compare_with: G0\n    grid:\n      domains: [Leadership, Practice]\n      rows:\n"
                  "        - {service: Duty"))),
        ("grid-domain-twice", ("D424",), "[Leadership, Practice]", "[Practice, Practice]", ()),
        ("grid-compared-with-unknown-grading", ("R202",), "    grid:", "    compare_with: G9\n    grid:", ()),
    ], start=420)],
    # --- slips: target-date history (numbers 500-519) ---------------------------------------------
    *[Case(name, intent, edits, number=n) for n, (name, intent, edits) in enumerate([
        ("action-slipped-twice", (), (Replace(A1_TARGET, A1_TARGET + SLIPPED_TWICE),)),
        ("target-date-changes-out-of-order", ("D350",), (Replace(A1_TARGET, A1_TARGET + (
            "    target_date_changes:\n      - {on: 2013-05-01, from: 2013-06-30, reason: First.}\n"
            "      - {on: 2013-03-01, from: 2013-08-31, reason: Second.}\n")),)),
        ("target-date-change-to-the-same-date", ("D351",), (Replace(A1_TARGET, A1_TARGET + (
            "    target_date_changes:\n      - {on: 2013-05-01, from: 2013-09-30, reason: No move.}\n")),)),
        ("target-date-change-without-reason", ("S101",), (Replace(A1_TARGET, A1_TARGET + (
            "    target_date_changes:\n      - {on: 2013-05-01, from: 2013-06-30}\n")),)),
        ("target-date-moved-since-reporting-point-unrecorded", ("T530",), (
            *published_minimal(), Replace(A1_TARGET, "    target_date: 2013-10-31\n"))),
        ("target-date-moved-since-reporting-point-recorded", (), (
            *published_minimal(), Replace(A1_TARGET, "    target_date: 2013-10-31\n    target_date_changes:\n"
                                          "      - {on: 2013-07-01, from: 2013-09-30, reason: Auditors left.}\n"))),
        ("reported-target-date-change-rewritten", ("T511",), (
            *published_minimal(Replace(A1_TARGET, A1_TARGET + SLIPPED_TWICE)),
            Replace(A1_TARGET, A1_TARGET + SLIPPED_TWICE.replace("Two auditors left.", "Auditors left.")))),
    ], start=500)],
    # --- measures (460-479): readings without a figure, money, year to date, age of the latest reading ------
    *[Case(name, intent, edits, number=n) for n, name, intent, edits in [
        (460, "reading-with-neither-value-nor-note", ("D460",), (Replace(LAST_VALUE, "{period: 2013-04}"),)),
        (461, "reading-with-blank-note-only", ("D460",), (Replace(LAST_VALUE, "{period: 2013-04, note: ' '}"),)),
        (462, "year-to-date-on-a-financial-year", ("D461",),
         (Replace(LAST_VALUE, "{period: 2012/13, value: 85.4, ytd: true}"),)),
        (463, "year-to-date-on-a-day", ("D461", "D304"), (Replace(LAST_VALUE, "{period: 2013-04-30, value: 85.4, ytd: true}"),
                                                    Replace("- {period: 2012-11, value: 21.6}\n",
                                                            "- {period: 2012-11, value: 21.6}\n      - {period: 2013-05, "
                                                            "note: improving}\n"))),
        (464, "headline-reading-older-than-the-limit", ("D462",),
         (Replace(CADENCE, CADENCE + "  measure_age_limit_months: 1\n"),
          Replace("    better: higher\n", "    better: higher\n    headline: true\n"))),
        (465, "better-not-a-direction", ("S104",), (Replace("better: higher", "better: sideways"),)),
        (466, "age-limit-zero", ("S106",), (Replace(CADENCE, CADENCE + "  measure_age_limit_months: 0\n"),)),
    ]],
    # --- recommendations: due states, status entered or derived (numbers 480-499) ------------------
    *[Case(name, intent, edits, number=n) for n, (name, intent, edits) in enumerate([
        ("recommendation-status-disagrees-with-its-actions", ("D340",), (ANSWERS_R1,)),
        ("recommendation-red-past-due-is-overdue-with-no-progress", ("D305",), (Replace(
            "status: complete\n        narrative: All", "status: red\n        narrative: All"),)),
        ("recommendation-immediately-past-its-days-in-progress", ("D305",), (
            Replace("    timescale: within_6_months\n", "    timescale: immediately\n"),
            Replace("status: complete\n        narrative: All", "status: green\n        narrative: All"),
            Replace(CADENCE, CADENCE + "  immediately_due_after_days: 14\n"))),
        ("recommendation-status-derived-from-its-actions", ("D305",), (
            ANSWERS_R1, Replace(CADENCE, CADENCE + "  recommendation_status: derived\n"))),
        ("recommendation-due-and-no-timescale-fine", (), (
            Replace("    timescale: within_6_months\n", "    due: 2013-09-30\n"),
            Replace("status: complete\n        narrative: All", "status: green\n        narrative: All"))),
    ], start=480)],
]

# --- site configuration, mkdocs.yml: C601-C605, numbered 130-159 -------------------------------

def site(text: str) -> Write:
    return Write("mkdocs.yml", text)


LOGO = Write("docs_theme/images/logo.png", b"\x89PNG\r\n\x1a\n")
SITE_CASES: list[Case] = [
    Case("site-palette-primary-markup", ("C603",), (site("theme:\n  palette:\n    primary: 'indigo\"><script>alert(1)</script>'\n"),)),
    Case("site-url-with-markup", ("C604",), (site("site_url: 'https://plan.example.gov.uk/\"><script>alert(1)</script>'\n"),)),
    Case("site-homepage-javascript", ("C604",), (site("extra:\n  homepage: 'JavaScript:alert(document.domain)'\n"),)),
    Case("site-social-link-javascript", ("C604",), (site("extra:\n  social:\n    - icon: fontawesome/brands/x-twitter\n"
                                                         "      link: 'javascript:alert(1)'\n"),)),
    Case("site-analytics", ("C601",), (site("extra:\n  analytics:\n    provider: google\n    property: G-XXXX\n"),)),
    Case("site-remote-logo", ("C605",), (site("theme:\n  logo: https://evil.example/logo.png\n"),)),
    Case("site-remote-favicon", ("C605",), (site("theme:\n  favicon: //evil.example/favicon.ico\n"),)),
    Case("site-plugins-and-hooks", ("C601",), (site("plugins:\n  - search\nhooks:\n  - hooks/run.py\n"),)),
    Case("site-theme-not-a-mapping", ("C602",), (site("theme: material\n"),)),
    Case("site-extra-a-list", ("C602",), (site("extra:\n  - homepage\n"),)),
    Case("site-duplicate-key", ("L005",), (site("copyright: Council\ncopyright: Another council\n"),)),
    Case("site-unknown-language", ("C603",), (site("theme:\n  language: xx\n"),)),
    Case("site-unknown-feature", ("C603",), (site("theme:\n  features:\n    - navigation.top\n    - navigation.instant\n"),)),
    Case("site-social-icon-path", ("C603",), (site("extra:\n  social:\n    - icon: ../../x\n      link: https://example.gov.uk/\n"),)),
    Case("site-logo-leaves-docs-theme", ("C605",), (LOGO, site("theme:\n  logo: ../plan.yaml\n"))),
    Case("site-web-font-and-theme-name", ("C601",), (site("theme:\n  name: readthedocs\n  font:\n    text: Roboto\n"),)),
    Case("site-url-with-user", ("C604",), (site("site_url: https://council.gov.uk@evil.example/\n"),)),
    Case("site-missing-social-link", ("C602",), (site("extra:\n  social:\n    - icon: fontawesome/brands/github\n"),)),
    Case("site-four-problems", ("C601", "C603", "C604", "C605"), (site(
        "copyright: Council\nextra_javascript: [https://evil.example/x.js]\ntheme:\n  palette:\n    - scheme: dark\n"
        "  logo: /etc/passwd\nextra:\n  homepage: data:text/html,<script>alert(1)</script>\n"),)),
    Case("site-everything-allowed", (), (LOGO, site(
        "copyright: Example Council\nsite_url: https://plan.example.gov.uk/improvement\n"
        "site_description: Our improvement plan\ntheme:\n  language: cy\n  logo: images/logo.png\n"
        "  favicon: images/logo.png\n  features: [navigation.top, navigation.footer]\n  palette:\n"
        "    - media: '(prefers-color-scheme: light)'\n      scheme: default\n      primary: teal\n      accent: amber\n"
        "      toggle: {icon: material/brightness-7, name: Dark mode}\n"
        "    - media: '(prefers-color-scheme: dark)'\n      scheme: slate\n      primary: black\n"
        "      toggle: {icon: material/brightness-4, name: Light mode}\n"
        "extra:\n  homepage: https://www.example.gov.uk/\n  social:\n    - icon: fontawesome/solid/envelope\n"
        "      link: mailto:improvement@example.gov.uk\n      name: Write to us\n"))),
]
CASES += [replace(c, number=130 + i) for i, c in enumerate(SITE_CASES)]

# --- findings: a `findings:` section and actions answering them (numbers 440-459) --------------------------


def finding(extra: str = "", source: str = "SRC-OF", kind: str = "concern") -> Replace:
    """A finding F1 before `measures:`; `extra` adds lines (each indented four spaces)."""
    return Replace("measures:\n", f"findings:\n  - id: F1\n    source: {source}\n    type: {kind}\n"
                                  f"    text: Chronologies are hard to find.\n{extra}measures:\n")


STAFF_AUDIT = Replace("sources:\n", "sources:\n  - id: SRC-AUDIT\n    type: audit\n    audience: staff\n"
                                   "    title: Case file audit, May 2013\n    published: 2013-05-31\n")
A1_ANSWERS_F1 = Replace("    title: Audit all priority cases at the front door.\n",
                        "    title: Audit all priority cases at the front door.\n    answers: [F1]\n")
CASES += [Case(name, intent, edits, number=440 + i) for i, (name, intent, edits) in enumerate([
    ("finding-answered-allowed", (), (finding("    area: Safeguarding services\n    found: 2013-05-17\n"),
                                      A1_ANSWERS_F1)),
    ("finding-unknown-source", ("R202",), (finding(source="SRC-AUDIT"),)),
    ("finding-source-is-a-recommendation", ("R203",), (finding(source="R1"),)),
    ("public-action-answers-staff-finding", ("D307",), (finding("    audience: staff\n"), A1_ANSWERS_F1)),
    ("public-finding-from-staff-source", ("D307",), (finding(source="SRC-AUDIT"), STAFF_AUDIT)),
    ("finding-found-after-as-at", ("D310",), (finding("    found: 2013-08-01\n"),)),
    ("finding-unknown-type", ("S104",), (finding(kind="weakness"),)),
    ("finding-without-text", ("S101",), (Replace("measures:\n", "findings:\n  - {id: F1, source: SRC-OF, type: "
                                                               "strength}\nmeasures:\n"),)),
])]


# --- the accessibility statement's contact (numbers 660-669) -----------------------------------
CASES += [Case(name, intent, (Replace(GOV_CHAIR, GOV_CHAIR + "  accessibility:\n" + lines),), number=660 + i)
          for i, (name, intent, lines) in enumerate([
    ("accessibility-contact-allowed", (), "    email: access@council.example\n    prepared: 2013-07-01\n"),
    ("accessibility-phone-only", ("D470",), "    team: Improvement Team\n    phone: 01632 960000\n"),
    ("accessibility-bad-email", ("S106",), "    email: improvement team\n"),
    ("accessibility-url-not-https", ("S106",), "    url: /contact\n"),
    ("accessibility-bad-review-date", ("S105",), "    email: access@council.example\n    reviewed: 2013-02-30\n"),
])]
# --- registers (issue 11 part 4): R204, numbered 620-629 -------------------------------------------
CASES += [Case("recommendation-named-overdue", ("R204",), (
    Replace("  - id: R1\n", "  - id: overdue\n"), Replace("recommendations: [R1]", "recommendations: [overdue]")),
    number=620)]


def case_dirs() -> list[tuple[str, Case]]:
    """(folder name, case) in corpus order."""
    names = [c.name for c in CASES]
    assert len(names) == len(set(names)), "case names must be distinct"
    unnumbered = iter(range(1, len(CASES) + 1))
    dirs = [(f"{c.number or next(unnumbered):03d}-{c.name}", c) for c in CASES]
    numbers = [d[:3] for d, _ in dirs]
    assert len(numbers) == len(set(numbers)), "case numbers must be distinct"
    return dirs


def diagnostic_lines(root: Path) -> list[str]:
    from generator.validate import validate_all

    _plan, diags, _frozen = validate_all(root)
    out = []
    for d in diags:
        assert "\n" not in d.message, d
        out.append(f"{d.file}:{d.line}:{d.col}: {d.severity.value} {d.code}: {d.message}")
    return out


def main() -> int:
    for old in HERE.iterdir():
        if old.is_dir() and CASE_DIR.match(old.name):
            shutil.rmtree(old)
    problems = 0
    for dirname, case in case_dirs():
        root = edited(HERE, *case.edits, name=dirname)
        lines = case.expected(root) if case.bug else diagnostic_lines(root)
        (root / "expected.txt").write_text("".join(f"{ln}\n" for ln in lines), encoding="utf-8")
        codes = {ln.split(": ")[1].split()[1] for ln in lines}
        missing = [c for c in case.intent if c not in codes]
        flag = " BUG" if case.bug else ""
        print(f"{dirname}{flag}: {len(lines)} diagnostic(s)" + (f"  MISSING {missing}" if missing else ""))
        problems += bool(missing)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
