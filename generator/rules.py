"""Reference and domain rules over a typed Plan. Each rule yields located diagnostics; all run every time."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from itertools import chain
from datetime import date

from .diagnostics import Diagnostic
from .locations import Loc, field_path
from .locations import Src
from .model import (
    Action,
    Audience,
    Commitment,
    Document,
    Finding,
    DueState,
    Grade,
    Grading,
    Intervention,
    Item,
    Measure,
    Plan,
    Recommendation,
    Risk,
    Status,
    Theme,
    Unit,
    Update,
    period_bounds,
)
from .model import ID_PATTERN
from .present import months_before

_ID_SHAPE = re.compile(ID_PATTERN)
SIF_START = date(2013, 11, 1)  # Ofsted's single inspection framework: 'requires improvement' replaces 'adequate'
ANY = frozenset({"role", "theme", "commitment", "action", "source", "recommendation", "measure", "risk",
                 "grading", "finding", "document"})
ANSWERABLE = frozenset({"recommendation", "finding"})  # what an action's `answers:` may name


def _label(item: Item) -> str:
    return f"{item.kind} {item.id}"


# --- references -----------------------------------------------------------------------------

Ref = tuple[Src, tuple, str, frozenset[str]]  # where, field path, id, allowed kinds


def _evidence_refs(src: Src, field: str, updates: list[Update]) -> Iterator[Ref]:
    for i, up in enumerate(updates):
        for j, ev in enumerate(up.evidence):
            if ev.document:
                yield src, (field, i, "evidence", j, "document"), ev.document, frozenset({"document"})


def references(item: Item) -> Iterator[Ref]:
    """Every id an item points at, with the kinds it may point at."""
    s = item.src
    one = lambda *kinds: frozenset(kinds)  # noqa: E731
    if isinstance(item, Theme):
        yield s, ("sponsor",), item.sponsor, one("role")
        yield s, ("operational_lead",), item.operational_lead, one("role")
    elif isinstance(item, Commitment):
        yield s, ("theme",), item.theme, one("theme")
        for i, rid in enumerate(item.recommendations):
            yield s, ("recommendations", i), rid, one("recommendation")
        for i, sc in enumerate(item.success_criteria):
            if sc.measure:
                yield s, ("success_criteria", i, "measure"), sc.measure, one("measure")
    elif isinstance(item, Action):
        yield s, ("commitment",), item.commitment, one("commitment")
        yield s, ("lead",), item.lead, one("role")
        for i, ref in enumerate(item.answers):
            yield s, ("answers", i), ref, ANSWERABLE
        yield from _evidence_refs(s, "updates", item.updates)
    elif isinstance(item, Recommendation):
        yield s, ("source",), item.source, one("source")
        yield from _evidence_refs(s, "progress", item.progress)
    elif isinstance(item, Risk):
        yield s, ("owner",), item.owner, one("role")
    elif isinstance(item, Finding):
        yield s, ("source",), item.source, one("source")
    elif isinstance(item, Grading):
        if item.source:
            yield s, ("source",), item.source, one("source")
        if item.compare_with:
            yield s, ("compare_with",), item.compare_with, one("grading")
    elif isinstance(item, Document):
        for i, ref in enumerate(item.about):
            yield s, ("about", i), ref, ANY


def _plan_refs(plan: Plan) -> Iterator[Ref]:
    info, s = plan.info, plan.info_src
    if info is None:
        return
    if info.trigger.inspection.source:
        yield s, ("trigger", "inspection", "source"), info.trigger.inspection.source, frozenset({"source"})
    notice = info.trigger.improvement_notice
    if notice and notice.source:
        yield s, ("trigger", "improvement_notice", "source"), notice.source, frozenset({"source"})
    for i, body in enumerate(info.governance):
        if body.chair:
            yield s, ("governance", i, "chair"), body.chair, frozenset({"role"})


def _about_refs(plan: Plan) -> Iterator[tuple[bool, Ref]]:
    """The ids the plan's oversight and timeline point at, each with whether its entry is public."""
    info, s = plan.info, plan.info_src
    if info is None:
        return
    for i, who in enumerate(info.oversight):
        if who.role:
            yield who.is_public, (s, ("oversight", i, "role"), who.role, frozenset({"role"}))
    for i, key in enumerate(info.timeline):
        for field, kind in (("source", "source"), ("document", "document")):
            if getattr(key, field):
                yield key.is_public, (s, ("timeline", i, field), getattr(key, field), frozenset({kind}))


def _all_ids(plan: Plan) -> Iterator[tuple[str, str, Src]]:
    """(id, kind, where its id is written) of everything that has an id: the plan's phases and governance bodies,
    then the items. Located only when a diagnostic needs it: most ids are unique."""
    if plan.info is not None:
        for section, kind, entries in (("phases", "phase", plan.info.phases),
                                       ("governance", "governance body", plan.info.governance)):
            for i, entry in enumerate(entries):
                yield entry.id, kind, plan.info_src.child(section, i, "id")
    for item in plan.items():
        yield item.id, item.kind, item.src.child("id")


def check_ids(plan: Plan) -> Iterator[Diagnostic]:
    first: dict[str, tuple[str, Src]] = {}
    for ident, kind, src in _all_ids(plan):
        if ident in first:
            other, where = first[ident][0], first[ident][1].at()
            yield Diagnostic.at(src.at(), "R201", f"duplicate id '{ident}': the {other} at {where.file}:{where.line} "
                                f"already uses it", hint="give this one a new id")
        else:
            first[ident] = (kind, src)

# The pages each item page's folder has of its own (render.py writes them): an item with one of these ids would
# take its page's place. Compared without case, so a plan also builds on a case-insensitive disk.
FOLDER_PAGES = {"action": ("actions", ("index",)), "recommendation": ("recommendations", ("index", "overdue")),
                "measure": ("measures", ("index",)), "document": ("documents", ("index",)),
                "theme": ("themes", ("index",)), "finding": ("findings", ("index",))}


def check_page_ids(plan: Plan) -> Iterator[Diagnostic]:
    """R204: an item whose page would replace a register's own page (a recommendation named 'overdue')."""
    for item in plan.items():
        folder, names = FOLDER_PAGES.get(item.kind, ("", ()))
        if item.id.casefold() in names:
            yield Diagnostic.at(item.src.at("id"), "R204",
                                f"{item.kind} id '{item.id}' is the name of a page of the site's {folder} "
                                f"({folder}/{item.id.casefold()}/), which its own page would replace",
                                hint="give it another id")


MAX_IDS_SHOWN = 8


def _no_such(ref: str, kinds: frozenset[str], index: dict[str, Item]) -> str:
    """"there is no role 'Head of Safeguarding'; roles: ROLE-DCS, ROLE-CHAIR": the ids it could be, nearest first."""
    kind = " or ".join(sorted(kinds)) if kinds != ANY else "item"
    pool = sorted(i for i, it in index.items() if it.kind in kinds)
    if not pool:
        return f"there is no {kind} '{ref}'; the plan has no {kind} yet"
    near = difflib.get_close_matches(ref, pool, n=MAX_IDS_SHOWN, cutoff=0.5)
    ordered = near + [i for i in pool if i not in near]
    shown = ", ".join(ordered[:MAX_IDS_SHOWN]) + (
        f" and {len(ordered) - MAX_IDS_SHOWN} more" if len(ordered) > MAX_IDS_SHOWN else "")
    plural = " or ".join(f"{k}s" for k in sorted(kinds)) if kinds != ANY else "items"
    return f"there is no {kind} '{ref}'; {plural}: {shown}"


def _id_hint(ref: str, kinds: frozenset[str], index: dict[str, Item]) -> str:
    """Points at an item whose title is what was written (a title where its id belongs), else says what an id is."""
    by_title = [i for i, it in index.items() if it.kind in kinds and str(getattr(it, "title", "")).casefold()
                == ref.strip().casefold()]
    if by_title:
        return f"'{ref}' is the title of {by_title[0]}: write its id, {by_title[0]}"
    if not _ID_SHAPE.fullmatch(ref):
        what = "role (a post, not a person's name)" if kinds == {"role"} else "item"
        return f"write the id of the {what}, as its 'id:' line gives it"
    return ""


def _a(noun: str) -> str:
    """The noun with its article: 'an action', 'a finding'."""
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def check_references(plan: Plan) -> Iterator[Diagnostic]:
    index = plan.index()
    about = list(_about_refs(plan))
    # one reference at a time, not a list of them all (a plan of 20,000 actions has over 80,000)
    owners = chain(((item, ref) for item in plan.items() for ref in references(item)),
                   ((None, ref) for ref in _plan_refs(plan)), ((None, ref) for _, ref in about))
    staff_entries = {ref[1] for public, ref in about if not public}  # a staff-only entry may name staff-only items
    for owner, (src, path, ref, kinds) in owners:
        target = index.get(ref)
        if target is None and ref in plan.broken:
            continue  # its own schema problem is already reported
        public = owner.is_public if owner else path not in staff_entries
        if target is not None and target.kind in kinds and (target.is_public or not public):
            continue  # a good reference (nearly all are): nothing to word
        label = _label(owner) if owner else "plan"
        field = field_path(path)
        if target is None:
            yield Diagnostic.at(src.at(*path), "R202", f"{label} {field}: {_no_such(ref, kinds, index)}",
                                hint=_id_hint(ref, kinds, index))
        elif target.kind not in kinds:
            yield Diagnostic.at(src.at(*path), "R203",
                                f"{label} {field} '{ref}' is {_a(target.kind)}, not {_a(' or '.join(sorted(kinds)))}")
        else:  # a public owner naming a staff-only item
            fix = f"make {target.kind} '{ref}' public"
            if owner:
                hint = f"mark {label} 'audience: staff', or {fix}"
            elif path[0] in ("oversight", "timeline"):
                hint = f"mark this {path[0]} entry 'audience: staff', or {fix}"
            else:
                hint = fix
            yield Diagnostic.at(src.at(*path), "D307",
                                f"public {label}{'' if owner else ' ' + field} refers to staff-only {target.kind} '{ref}'",
                                hint=hint)


# --- status histories -----------------------------------------------------------------------


def _history(label: str, src: Src, field: str, updates: list[Update], as_at: date | None) -> Iterator[Diagnostic]:
    for i, up in enumerate(updates):
        if up.status in (Status.red, Status.amber) and not up.narrative.strip():
            yield Diagnostic.at(src.at(field, i, "status"), "D303",
                                f"{label} update of {up.date} is {up.status.value} but has no narrative",
                                hint="say why, and what is being done about it, in 'narrative'")
        if i and up.date < updates[i - 1].date:
            yield Diagnostic.at(src.at(field, i, "date"), "D304",
                                f"{label} {field} are not in date order: {up.date} is listed after "
                                f"{updates[i - 1].date}, which is later",
                                hint="list updates oldest first")
        if as_at and up.date > as_at:
            yield Diagnostic.at(src.at(field, i, "date"), "D310",
                                f"{label} update of {up.date} is dated after the plan's as-at date {as_at}")
        for j, ev in enumerate(up.evidence):
            if (ev.url is None) == (ev.document is None):
                yield Diagnostic.at(src.at(field, i, "evidence", j), "D312",
                                    f"{label} evidence '{ev.title}' needs exactly one of 'url' or 'document'")


def check_actions(plan: Plan) -> Iterator[Diagnostic]:
    as_at = plan.info.as_at if plan.info else None
    cadence = plan.info.update_cadence if plan.info else None
    for a in plan.actions:
        label, s = _label(a), a.src
        yield from _history(label, s, "updates", a.updates, as_at)
        if a.status is Status.complete and a.completed_on is None:
            yield Diagnostic.at(s.at("updates", len(a.updates) - 1, "status"), "D301",
                                f"{label} is complete but has no completed_on date",
                                hint="add 'completed_on: YYYY-MM-DD' to the action")
        if a.completed_on is not None and a.status is not Status.complete:
            yield Diagnostic.at(s.at("completed_on"), "D302",
                                f"{label} has completed_on {a.completed_on} but its latest status is "
                                f"{a.status.label.lower()}",
                                hint="add an update with status 'complete', or remove completed_on")
        if as_at is None:
            continue
        if a.is_overdue(as_at):
            yield Diagnostic.at(s.at("target_date"), "D305",
                                f"{label} is overdue: target date {a.target_date} is before the as-at date "
                                f"{as_at} and its status is {a.status.label.lower()}",
                                hint="complete it, or record a revised plan in an update and move target_date")
        if cadence and a.is_stale(as_at, cadence):
            yield Diagnostic.at(s.at("updates", len(a.updates) - 1, "date"), "D306",
                                f"{label} was last updated on {a.latest.date}, more than {cadence.days} days "
                                f"({cadence.value}) before the as-at date {as_at}",
                                hint="add this period's update")


def check_recommendations(plan: Plan) -> Iterator[Diagnostic]:
    as_at = plan.info.as_at if plan.info else None
    for r in plan.recommendations:
        label = _label(r)
        yield from _history(label, r.src, "progress", r.progress, as_at)
        if r.timescale is not None and r.due is not None:
            yield Diagnostic.at(r.src.at("timescale"), "D311", f"{label} has both a timescale and a due date",
                                hint="keep one: a standard timescale (immediately, within_3_months, ...) or "
                                     "due: YYYY-MM-DD; leave both out when the report sets no timescale")
        state = plan.due_state(r, as_at) if as_at else None
        if state in (DueState.past_due_in_progress, DueState.overdue_no_progress):
            status = plan.recommendation_status(r).label.lower()
            what = "past due but in progress" if state is DueState.past_due_in_progress else \
                "overdue with no progress"
            yield Diagnostic.at(r.src.at("timescale" if r.timescale else "due"), "D305",
                                f"{label} is {what}: it was due on {plan.due_date(r)} and its status is {status}",
                                hint="record progress, or complete it")
        why = plan.status_disagreement(r)
        if why:
            where = r.src.at("progress", len(r.progress) - 1, "status") if r.progress else r.src.at("id")
            yield Diagnostic.at(where, "D340", f"{label} disagrees with its actions: {why}",
                                hint="add a progress entry that matches the actions, or set the plan's "
                                     "recommendation_status: derived")


# --- measures, risks, gradings --------------------------------------------------------------


def _unit_problem(unit: Unit, value: float) -> str | None:
    if unit is Unit.percent and not 0 <= value <= 100:
        return "is not a percentage (0 to 100)"
    if value < 0 and unit is not Unit.pounds:  # money may be negative: an overspend, a deficit, a variance
        return f"cannot be negative for a measure in {unit.value.replace('_', ' ')}"
    return None


def _period_order(period: str, before: str) -> str:
    """Why `period` may not follow `before`: periods are ordered by the day they end, and a financial year such as
    2015/16 runs from April 2015 to March 2016, so it ends after 2015-08 and sorts after it."""
    ends, end_before = period_bounds(period)[1], period_bounds(before)[1]
    years = [p for p in dict.fromkeys((before, period)) if "/" in p]
    why = "".join(f"; the financial year {p} runs from April {p[:4]} to March {int(p[:4]) + 1}" for p in years)
    return (f"{period} (ending {ends}) is listed after {before} (ending {end_before}), and periods are ordered by "
            f"the day they end{why}")


def _measure_readings(m: Measure, label: str) -> Iterator[Diagnostic]:
    """A reading needs a figure or a note saying what is known; a year to date runs to the end of a month."""
    for i, v in enumerate(m.values):
        if v.value is None and not v.note.strip():
            yield Diagnostic.at(m.src.at("values", i), "D460",
                                f"{_label(m)} reading for {v.period} has neither a value nor a note",
                                hint="give its figure as 'value:', or say what is known in 'note:'")
        if v.ytd and not re.fullmatch(r"\d{4}-\d{2}", v.period):
            yield Diagnostic.at(m.src.at("values", i, "period"), "D461",
                                f"{_label(m)} reading for {v.period} is marked 'ytd: true' but its period is not a "
                                "month", hint="give the month the year to date runs to, such as 2013-08")


def check_measures(plan: Plan) -> Iterator[Diagnostic]:
    as_at = plan.info.as_at if plan.info else None
    for m in plan.measures:
        label, s = _label(m), m.src
        points = [(("values", i, "value"), v.value, v.period) for i, v in enumerate(m.values) if v.value is not None]
        if m.baseline:
            points.append((("baseline", "value"), m.baseline.value, m.baseline.period))
        if m.target:
            points.append((("target", "value"), m.target.value, "target"))
        for path, value, period in points:
            problem = _unit_problem(m.unit, value)
            if problem:
                yield Diagnostic.at(s.at(*path), "D308", f"{label} value {value:g} for {period} {problem}")
        for i, v in enumerate(m.values):
            start, end = period_bounds(v.period)
            before = m.values[i - 1].period if i else ""
            if i and end < period_bounds(before)[1]:
                yield Diagnostic.at(s.at("values", i, "period"), "D304",
                                    f"{label} values are not in period order: {_period_order(v.period, before)}",
                                    hint="list values oldest first")
            if as_at and start > as_at:
                yield Diagnostic.at(s.at("values", i, "period"), "D310",
                                    f"{label} value for {v.period} is dated after the plan's as-at date {as_at}")
        yield from _measure_readings(m, label)
        if m.headline and m.values and as_at and plan.info:
            age, limit = months_before(m.values[-1], as_at), plan.info.measure_age_limit_months
            if age > limit:
                yield Diagnostic.at(s.at("values", len(m.values) - 1, "period"), "D462",
                                    f"{label} is a headline measure whose latest reading ({m.values[-1].period}) "
                                    f"ended {age} months before the as-at date {as_at}, more than the limit of "
                                    f"{limit} month{'s' * (limit != 1)}",
                                    hint="add a recent reading, raise plan.measure_age_limit_months, or take it off "
                                         "the headline scorecard")
        for b, bd in enumerate(m.breakdowns):
            for r, row in enumerate(bd.rows):
                if len(row.values) != len(bd.columns):
                    yield Diagnostic.at(s.at("breakdowns", b, "rows", r, "values"), "D314",
                                        f"{label} breakdown '{bd.title}' row '{row.label}' has {len(row.values)} "
                                        f"values for {len(bd.columns)} columns")


def check_risks(plan: Plan) -> Iterator[Diagnostic]:
    for r in plan.risks:
        if r.audience is Audience.public:
            yield Diagnostic.at(r.src.at("audience"), "D309", f"{_label(r)} is marked public but risks are staff-only",
                                hint="remove 'audience: public'")


def _framework(g: Grading, loc: Loc, what: str, grades: tuple[Grade, ...]) -> Iterator[Diagnostic]:
    if Grade.adequate in grades and g.date >= SIF_START:
        yield Diagnostic.at(loc, "D313", f"{_label(g)} grades {what} adequate, a grade Ofsted replaced with "
                            f"requires_improvement in November 2013 (grading dated {g.date})")
    elif Grade.requires_improvement in grades and g.date < SIF_START:
        yield Diagnostic.at(loc, "D313", f"{_label(g)} grades {what} requires_improvement, a grade Ofsted used "
                            f"only from November 2013 (grading dated {g.date}; use adequate)")


def _twice(g: Grading, names: list[str], path: tuple, what: str) -> Iterator[Diagnostic]:
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        key = name.strip().casefold()
        if key in seen:
            yield Diagnostic.at(g.src.at(*path(i)), "D424", f"{_label(g)} grid names the {what} '{name}' twice "
                                f"({what} {seen[key] + 1} and {i + 1})", hint=f"give each {what} once")
        else:
            seen[key] = i


def _grid_shape(g: Grading) -> tuple[frozenset[str], frozenset[str]]:
    assert g.grid is not None
    return frozenset(g.grid.domains), frozenset(r.service for r in g.grid.rows)


def _comparison(g: Grading, plan: Plan) -> Iterator[Diagnostic]:
    other = next((o for o in plan.gradings if o.id == g.compare_with), None)
    if other is None:
        return  # an unknown id or another kind is R202/R203
    where, label = g.src.at("compare_with"), _label(g)
    problem = ""
    if g.grid is None or other.grid is None:
        problem = f"{'this grading' if g.grid is None else f'grading {other.id}'} has no grid"
    elif other.date >= g.date:
        problem = f"grading {other.id} is dated {other.date}, not before this grading's {g.date}"
    elif _grid_shape(g) != _grid_shape(other):
        (mine_d, mine_s), (theirs_d, theirs_s) = _grid_shape(g), _grid_shape(other)
        differ = sorted(mine_d ^ theirs_d) + sorted(mine_s ^ theirs_s)
        problem = f"the grids differ in {', '.join(repr(x) for x in differ)}"
    if problem:
        yield Diagnostic.at(where, "D423", f"{label} cannot be compared with grading {other.id}: {problem}",
                            hint="compare two grids of the same services and domains, the earlier one named "
                                 "on the later")


def check_gradings(plan: Plan) -> Iterator[Diagnostic]:
    for g in plan.gradings:
        for i, j in enumerate(g.judgements):
            yield from _framework(g, g.src.at("judgements", i, "grade"), f"'{j.area}'", (j.grade,))
        if not g.judgements and g.grid is None:
            yield Diagnostic.at(g.src.at(), "S101", f"{_label(g)} is missing required field 'judgements' "
                                "(or a 'grid')", hint="list the judgements, or give the grid of a team diagnostic")
        if g.grid is None:
            if g.compare_with:
                yield from _comparison(g, plan)
            continue
        domains = g.grid.domains
        yield from _twice(g, domains, lambda i: ("grid", "domains", i), "domain")
        yield from _twice(g, [r.service for r in g.grid.rows], lambda i: ("grid", "rows", i, "service"), "service")
        for r, row in enumerate(g.grid.rows):
            if len(row.cells) != len(domains):
                yield Diagnostic.at(g.src.at("grid", "rows", r, "cells"), "D420",
                                    f"{_label(g)} grid row '{row.service}' has {len(row.cells)} cell{'s' * (len(row.cells) != 1)} for "
                                    f"{len(domains)} domains ({', '.join(domains)})",
                                    hint="give one cell for each domain, in order; write not_graded for a domain "
                                         "not graded")
            for c, cell in enumerate(row.cells):
                what = f"'{row.service}' on '{domains[c]}'" if c < len(domains) else f"'{row.service}'"
                yield from _framework(g, g.src.at("grid", "rows", r, "cells", c), what, cell.all_grades())
            yield from _framework(g, g.src.at("grid", "rows", r, "overall"), f"'{row.service}' overall",
                                  row.overall.all_grades())
        if g.compare_with:
            yield from _comparison(g, plan)


def check_about(plan: Plan) -> Iterator[Diagnostic]:
    """The level of intervention agrees with the trigger: an improvement notice needs the notice itself; the
    accessibility statement names a written contact."""
    info = plan.info
    if info is not None and info.intervention is Intervention.improvement_notice \
            and info.trigger.improvement_notice is None:
        yield Diagnostic.at(plan.info_src.at("intervention"), "D400",
                            "plan intervention is improvement_notice but the trigger has no improvement_notice",
                            hint="add trigger: improvement_notice: (issued:, summary:, source:), or set "
                                 "intervention to the level that applies")
    contact = info.accessibility if info is not None else None
    if contact is not None and not (contact.email or contact.url):
        yield Diagnostic.at(plan.info_src.at("accessibility", key=True), "D470",
                            "plan accessibility gives no email or url, so the accessibility statement names no "
                            "written way to report a problem",
                            hint="add email: (a team's address) or url: (a contact form's https:// address)")


def check_findings(plan: Plan) -> Iterator[Diagnostic]:
    as_at = plan.info.as_at if plan.info else None
    for f in plan.findings:
        if as_at and f.found and f.found > as_at:
            yield Diagnostic.at(f.src.at("found"), "D310",
                                f"{_label(f)} was found on {f.found}, after the plan's as-at date {as_at}")


# The site's other registers (navigation and glossary): no level may take one of their names.
_SITE_LISTS = {w for kind in ("action", "recommendation", "measure", "grading", "document", "risk", "finding")
               for w in (kind, kind + "s")}


def check_council_words(plan: Plan) -> Iterator[Diagnostic]:
    """The level names differ from each other and from the site's other registers, and no glossary term is given
    twice (ignoring case)."""
    info, s = plan.info, plan.info_src
    if info is None:
        return
    t = info.terms
    if {t.theme.lower(), t.theme_plural.lower()} & {t.commitment.lower(), t.commitment_plural.lower()}:
        yield Diagnostic.at(s.at("terms", "commitment"), "S140",
                            f"plan terms: commitment '{t.commitment}' has the same name as theme '{t.theme}'",
                            hint="give the two levels different names, e.g. theme: workstream, commitment: objective")
    for field in ("theme", "themes", "commitment", "commitments"):
        word = getattr(t, field)
        if word and word.lower() in _SITE_LISTS:  # two "Actions" in the navigation, two "Measure" glossary entries
            yield Diagnostic.at(s.at("terms", field), "S140",
                                f"plan terms.{field} '{word}' is the name of the site's "
                                f"{word.lower().removesuffix('s')} register, so readers could not tell the two apart",
                                hint="give the level another name, e.g. workstream, priority, objective or outcome")
    first: dict[str, int] = {}
    for i, entry in enumerate(info.glossary):
        key = entry.term.casefold()
        if key in first:
            where = s.at("glossary", first[key], "term")
            yield Diagnostic.at(s.at("glossary", i, "term"), "S140",
                                f"plan glossary term '{entry.term}' is given twice (first at line {where.line})",
                                hint="keep one entry for each term; merge the two meanings")
        else:
            first[key] = i


from .slips import check_target_date_changes  # noqa: E402

RULES = [check_ids, check_page_ids, check_references, check_actions, check_recommendations, check_measures, check_risks,
         check_gradings, check_findings, check_council_words, check_about, check_target_date_changes]


def run_rules(plan: Plan) -> list[Diagnostic]:
    return [d for rule in RULES for d in rule(plan)]
