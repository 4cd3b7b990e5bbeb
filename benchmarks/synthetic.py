"""Synthetic improvement plans of any size, for the benchmarks.

    make_plan(root, actions, seed=0, documents=None, files=0)  writes a valid plan into root
    advance(root, months=1)                                   one more month of editing

A plan has 3-5 themes, ~actions/5 commitments, ~actions/10 recommendations, ~actions/50 measures (a
value each month), risks, a grading and ~actions/50 Markdown documents; every action has 3-6 monthly
status updates (red and amber ones say why; complete ones carry completed_on). With files=N the
actions are split over N included files (plan/actions-01.yaml ...). YAML is written with f-strings and
everything is a pure function of (actions, seed, documents, files, months), recorded in a comment on
plan.yaml's first line, so `advance` regenerates with months+1: every open action gains one update
(some of them completing), every measure one value, and as_at moves a month; unchanged files are
not rewritten.

    python benchmarks/synthetic.py --check    200 actions in a temp dir: 0 errors, before and after advance
"""

from __future__ import annotations

import calendar
import random
import re
import sys
import tempfile
from datetime import date
from pathlib import Path

BASE_MONTH = 2013 * 12 + 6  # July 2013 (months counted from year 0); as_at is the 28th of the current month
START_MONTH = 2012 * 12 + 10  # November 2012: the improvement notice, and the first measure value
HEADER = re.compile(r"^# synthetic: actions=(\d+) seed=(\d+) documents=(\d+) files=(\d+) months=(\d+)$", re.M)

STATUSES = ["red", "amber", "green"]
VERBS = ["Review", "Audit", "Introduce", "Embed", "Train staff on", "Report monthly on", "Strengthen",
         "Recommission", "Publish guidance on", "Track weekly"]
OBJECTS = ["front door thresholds", "core assessments", "child protection plans", "supervision records",
           "return home interviews", "care leaver pathway plans", "multi-agency referrals", "caseload allocation",
           "placement sufficiency", "private fostering notifications", "strategy discussions", "LADO referrals"]
PHRASES = ["Work is on track and the lead reports good engagement from partners.",
           "Progress slipped because two posts are vacant; interim cover agreed with the service manager.",
           "Audit findings were shared with team managers and an action log is kept.",
           "The board asked for a revised timetable, which is now agreed.",
           "Performance clinics show steady improvement over the last quarter.",
           "Agency staff turnover is delaying this; a recruitment campaign has started.",
           "Partner agencies have signed the protocol and training is booked.",
           "Case file sampling found practice is improving but not yet consistently good."]
AREAS = ["Safeguarding services", "Looked after children", "Early help", "Adoption", "Leaving care", "Workforce"]
UNITS = [("percent", "higher"), ("days", "lower"), ("count", "lower"), ("rate_per_10000", "lower"),
         ("per_month", "higher")]
DOC_TYPES = ["briefing", "board_report", "scrutiny_report", "minutes", "presentation", "letter"]


def month_date(m: int, day: int) -> date:
    year, month = divmod(m, 12)
    return date(year, month + 1, min(day, calendar.monthrange(year, month + 1)[1]))


def month_end(m: int) -> date:
    return month_date(m, 31)


def period(m: int) -> str:
    return f"{m // 12}-{m % 12 + 1:02d}"


def pick(seq: list[str], *n: int) -> str:
    h = 0
    for x in n:
        h = (h * 1_000_003 + x * 2_654_435_761) & 0xFFFFFFFF
    return seq[(h >> 7) % len(seq)]


# --- the plan's parts ---------------------------------------------------------------------------------


class Sizes:
    def __init__(self, actions: int, seed: int, documents: int | None, files: int, months: int):
        self.actions, self.seed, self.files, self.months = actions, seed, files, months
        self.documents = max(1, actions // 50) if documents is None else documents
        self.themes = 3 + seed % 3
        self.commitments = max(self.themes, actions // 5)
        self.recommendations = max(1, actions // 10)
        self.measures = max(2, actions // 50)
        self.roles = max(5, actions // 40)
        self.risks = max(3, actions // 100)
        self.as_at_month = BASE_MONTH + months
        self.as_at = month_date(self.as_at_month, 28)
        self.public_docs = [f"DOC{d:05d}" for d in range(0, self.documents, 2)]  # even documents are public


def _update(lines: list[str], day: date, status: str, narrative: str, evidence: tuple[str, str] | None) -> None:
    lines += [f"      - date: {day}", f"        status: {status}"]
    if narrative:
        lines.append(f"        narrative: {narrative}")
    if evidence:
        field, target = evidence
        lines += ["        evidence:", f"          - title: Evidence pack {target}", f"            {field}: {target}"]


def action_yaml(s: Sizes, i: int) -> tuple[list[str], bool]:
    """One action's lines, and whether it is public."""
    rng = random.Random(s.seed * 1_000_003 + i)
    base = rng.randint(3, 6)
    total = base if rng.random() < 0.25 else base + rng.randint(1, 24)  # the update that completes it
    day, staff, lead = rng.randint(1, 28), rng.random() < 0.1, rng.randrange(s.roles)
    k = rng.randrange(3)  # a walk over red, amber, green ending in complete
    statuses = ["not_started" if rng.random() < 0.2 else STATUSES[k]]
    for _ in range(total - 2):
        k = max(0, min(2, k + rng.choice((-1, 0, 0, 0, 1, 1))))
        statuses.append(STATUSES[k])
    statuses.append("complete")
    first = BASE_MONTH - base + 1
    target = month_end(first + total - 1 + rng.randint(-2, 3))
    shown = min(base + s.months, total)
    commitment = i * s.commitments // s.actions
    lines = [f"  - id: A{i:05d}", f"    commitment: C{commitment:04d}",
             f"    title: {pick(VERBS, i)} {pick(OBJECTS, i, 1)} (workstream {i % 97 + 1})",
             f"    lead: ROLE{lead:03d}", f"    target_date: {target}"]
    if staff:
        lines.append("    audience: staff")
    if shown == total:
        lines.append(f"    completed_on: {month_date(first + total - 1, day)}")
    lines.append("    updates:")
    for j in range(shown):
        status = statuses[j]
        narrative = "" if status == "not_started" else pick(PHRASES, i, j)
        h = (i * 31 + j * 17) % 23
        evidence = ("url", f"https://example.gov.uk/evidence/{i}/{j}") if h == 0 else \
            ("document", pick(s.public_docs, i, j)) if h == 1 and not staff and s.public_docs else None
        _update(lines, month_date(first + j, day), status, narrative, evidence)
    return lines, not staff


def plan_yaml(s: Sizes, includes: list[str]) -> list[str]:
    L = [f"# synthetic: actions={s.actions} seed={s.seed} documents={s.documents} files={s.files} months={s.months}", "format: 2"]
    if includes:
        L += ["include:", *[f"  - {p}" for p in includes]]
    L += ["plan:", f"  organisation: Synthetic Borough Council {s.seed}",
          "  title: Children's Services Improvement Plan",
          "  vision: Children are safe, and their families get the right help at the right time.",
          f"  as_at: {s.as_at}", "  update_cadence: monthly",
          "  illustrative_note: Every item of this plan is synthetic, generated for benchmarks.",
          "  phases:",
          "    - {id: PH1, title: Phase 1, start: 2012-11-01, end: 2013-10-31}",
          "    - {id: PH2, title: Phase 2, start: 2013-11-01}",
          "  trigger:", "    inspection:",
          "      title: Inspection of safeguarding and looked after children services",
          "      start: 2012-05-14", "      end: 2012-05-25", "      published: 2012-07-06",
          "      judgement: inadequate", "      source: SRC-OF",
          "    improvement_notice:", "      issued: 2012-11-01", "      source: SRC-IN",
          "  governance:",
          "    - {id: GOV-BOARD, name: Improvement Board, role: Oversees the plan., meets: monthly, chair: ROLE000}",
          "roles:"]
    for r in range(s.roles):
        L += [f"  - id: ROLE{r:03d}", f"    title: Head of service {r + 1}"]
        if r % 4 == 0:
            L += ["    contact:", f"      email: role{r}@example.gov.uk"]
    L.append("themes:")
    for t in range(s.themes):
        L += [f"  - id: T{t + 1}", f"    title: Theme {t + 1}, {AREAS[t]}", f"    sponsor: ROLE{t % s.roles:03d}",
              f"    operational_lead: ROLE{(t + 1) % s.roles:03d}", f"    summary: Improving {AREAS[t].lower()}."]
    recs_of: dict[int, list[int]] = {}
    for r in range(s.recommendations):
        recs_of.setdefault(r * s.commitments // s.recommendations, []).append(r)
    public_measures = [m for m in range(s.measures) if m % 10 != 9]
    L.append("commitments:")
    for c in range(s.commitments):
        L += [f"  - id: C{c:04d}", f"    theme: T{c % s.themes + 1}",
              f"    statement: Children get timely help with {pick(OBJECTS, c, 2)} (commitment {c + 1})."]
        if c in recs_of:
            L.append(f"    recommendations: [{', '.join(f'R{r:04d}' for r in recs_of[c])}]")
        if c % 3 == 0:
            m = public_measures[c % len(public_measures)]
            L += ["    success_criteria:", f"      - text: Measure {m} reaches its target.", f"        measure: M{m:03d}"]
    L += ["sources:",
          "  - {id: SRC-OF, type: ofsted_inspection, title: Ofsted inspection report, published: 2012-07-06}",
          "  - {id: SRC-IN, type: improvement_notice, title: Improvement notice, published: 2012-11-01}",
          "  - {id: SRC-SWG, type: scrutiny_working_group, title: Scrutiny working group report, published: 2011-11-15}",
          "  - {id: SRC-PR, type: peer_review, title: Peer review, published: 2013-02-20}",
          "recommendations:"]
    for r in range(s.recommendations):
        rng = random.Random(s.seed * 7_000_003 + r)
        n = rng.randint(1, 3)
        done = rng.random() < 0.4
        L += [f"  - id: R{r:04d}", f"    source: {['SRC-OF', 'SRC-IN', 'SRC-SWG', 'SRC-PR'][r % 4]}",
              f'    reference: "{r + 1}"', f"    text: Ensure that {pick(OBJECTS, r, 3)} are consistently good.",
              f"    service_area: {AREAS[r % len(AREAS)]}"]
        L.append(f"    timescale: within_{(3, 6, 12)[r % 3]}_months" if done else f"    due: {month_end(BASE_MONTH + 30 + r % 12)}")
        if r % 5 == 0:
            L.append("    priority: priority_and_immediate")
        L.append("    progress:")
        for j in range(n):
            status = "complete" if done and j == n - 1 else rng.choice(STATUSES)
            _update(L, month_date(BASE_MONTH - 2 * (n - j), 10), status, pick(PHRASES, r, j, 5), None)
    L.append("measures:")
    for m in range(s.measures):
        rng = random.Random(s.seed * 9_000_011 + m)
        unit, better = UNITS[m % len(UNITS)]
        value = rng.uniform(20, 60)
        L += [f"  - id: M{m:03d}", f"    name: Measure {m + 1} ({unit.replace('_', ' ')})",
              f"    definition: Synthetic indicator number {m + 1}.", f"    unit: {unit}", f"    better: {better}",
              f"    baseline: {{period: {period(START_MONTH)}, value: {value:.1f}}}",
              f"    target: {{value: {80 if better == 'higher' else 15}, by: 2014-03-31}}",
              f"    headline: {'true' if m < 4 else 'false'}"]
        if m % 10 == 9:
            L.append("    audience: staff")
        L.append("    values:")
        for mm in range(START_MONTH, s.as_at_month + 1):
            value = min(100.0, max(0.0, value + rng.uniform(-4, 6) * (1 if better == "higher" else -0.5)))
            L.append(f"      - {{period: {period(mm)}, value: {value:.1f}}}")
        if m == 0:
            L += ["    breakdowns:", "      - title: By team", f"        period: {period(BASE_MONTH)}",
                  "        columns: [Q1, Q2]", "        rows:",
                  "          - {label: North, values: [40.5, 55.0]}", "          - {label: South, values: [38.0, 61.2]}"]
    L.append("risks:")
    for k in range(s.risks):
        L += [f"  - id: RISK{k:03d}", f"    title: Risk {k + 1}, {pick(OBJECTS, k, 4)}",
              "    description: Capacity may not keep pace with demand.", f"    owner: ROLE{k % s.roles:03d}",
              f"    likelihood: {k % 5 + 1}", f"    impact: {(k * 3) % 5 + 1}",
              "    mitigation: Recruitment campaign and weekly performance clinics.",
              f"    trend: {('rising', 'steady', 'falling')[k % 3]}", f"    review_date: {month_end(s.as_at_month + 1)}"]
    L += ["gradings:", "  - id: G1", "    title: 2012 inspection judgements", "    date: 2012-07-06",
          "    type: inspection", "    source: SRC-OF", "    judgements:"]
    for a, area in enumerate(AREAS):
        L.append(f"      - {{area: {area}, grade: {('inadequate', 'adequate', 'good')[a % 3]}}}")
    return L


def document_md(s: Sizes, d: int, public_actions: list[int]) -> tuple[str, str]:
    """A document's file name and text."""
    day = month_date(START_MONTH + d % (BASE_MONTH - START_MONTH + 1), 5 + d % 20)
    kind = DOC_TYPES[d % len(DOC_TYPES)]
    about = [f"A{public_actions[(d * 37 + k * 11) % len(public_actions)]:05d}" for k in range(1 + d % 3)] \
        if public_actions else []
    about.append(f"T{d % s.themes + 1}")
    fm = ["---", f"id: DOC{d:05d}", f"title: {kind.replace('_', ' ').capitalize()} {d + 1}", f"date: {day}",
          f"type: {kind}", f"summary: Synthetic {kind.replace('_', ' ')} number {d + 1}.",
          f"about: [{', '.join(about)}]"]
    if d % 2 == 0:
        fm.append("audience: public")
    body = [f"# {kind.replace('_', ' ').capitalize()} {d + 1}", ""]
    for p in range(3):
        body += [f"## Section {p + 1}", "", " ".join(pick(PHRASES, d, p, q) for q in range(4)), "",
                 f"- {pick(OBJECTS, d, p)}", f"- {pick(OBJECTS, d, p, 1)}", ""]
    body += ["| Team | Cases | In timescale |", "| --- | --- | --- |"]
    body += [f"| Team {t + 1} | {(d * 7 + t * 13) % 90 + 10} | {(d + t * 29) % 60 + 40}% |" for t in range(4)]
    body += ["", f"See the [council's page](https://example.gov.uk/plan/{d}) for more.", ""]
    return f"{day}-doc-{d:05d}.md", "\n".join(fm + ["---", *body])


# --- writing ------------------------------------------------------------------------------------------


def _write(path: Path, text: str) -> None:
    """Write only when the text changed, as an editor's save would."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def _generate(root: Path, s: Sizes) -> None:
    action_lines: list[list[str]] = []
    public_actions = []
    for i in range(s.actions):
        lines, public = action_yaml(s, i)
        action_lines.append(lines)
        if public:
            public_actions.append(i)
    includes = []
    if s.files:
        for f in range(s.files):
            chunk = action_lines[f * s.actions // s.files:(f + 1) * s.actions // s.files]
            rel = f"plan/actions-{f + 1:02d}.yaml"
            includes.append(rel)
            _write(root / rel, "\n".join(["actions:", *(x for lines in chunk for x in lines)]) + "\n")
    main = plan_yaml(s, includes)
    if not s.files:
        main += ["actions:", *(x for lines in action_lines for x in lines)]
    _write(root / "plan.yaml", "\n".join(main) + "\n")
    for d in range(s.documents):
        name, text = document_md(s, d, public_actions)
        _write(root / "content" / "documents" / name, text)


def make_plan(root: Path, actions: int, seed: int = 0, documents: int | None = None, files: int = 0) -> Path:
    """Write a valid synthetic plan of `actions` actions into root (created if need be); returns root."""
    root = Path(root)
    _generate(root, Sizes(actions, seed, documents, files, 0))
    return root


def advance(root: Path, months: int = 1) -> date:
    """An editor's month: one more update on every open action, one more value per measure, as_at a month on.
    Returns the new as_at."""
    root = Path(root)
    m = HEADER.search((root / "plan.yaml").read_text(encoding="utf-8"))
    if not m:
        raise ValueError(f"{root / 'plan.yaml'} was not written by make_plan")
    actions, seed, documents, files, done = map(int, m.groups())
    s = Sizes(actions, seed, documents, files, done + months)
    _generate(root, s)
    return s.as_at


def plan_bytes(root: Path) -> int:
    """Total size of the files validate reads."""
    return sum(p.stat().st_size for p in [root / "plan.yaml", *root.glob("plan/*.yaml"),
                                          *root.glob("content/documents/*.md")])


def _check() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from generator.diagnostics import Severity
    from generator.validate import validate

    with tempfile.TemporaryDirectory() as tmp:
        for files in (0, 2):
            root = make_plan(Path(tmp) / f"files{files}", 200, seed=1, files=files)
            for step in ("fresh", "advanced"):
                plan, diags = validate(root)
                errors = [d for d in diags if d.severity is Severity.error]
                warnings = len(diags) - len(errors)
                print(f"files={files} {step:8}: {len(plan.actions)} actions, {len(plan.commitments)} commitments, "
                      f"{len(plan.recommendations)} recommendations, {len(plan.measures)} measures, "
                      f"{len(plan.documents)} documents, as_at {plan.info.as_at}: "
                      f"{len(errors)} errors, {warnings} warnings")
                for d in errors[:10]:
                    print("   ", d.text())
                assert not errors, "the synthetic plan should validate without errors"
                assert len(plan.actions) == 200 and plan.documents
                advance(root)
        a, b = make_plan(Path(tmp) / "a", 50, seed=3), make_plan(Path(tmp) / "b", 50, seed=3)
        assert (a / "plan.yaml").read_bytes() == (b / "plan.yaml").read_bytes(), "not deterministic"
    print("ok")


if __name__ == "__main__":
    if sys.argv[1:] == ["--check"]:
        _check()
    else:
        sys.exit(__doc__)
