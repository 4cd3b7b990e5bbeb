"""import-tracker's writer: a Reading of the council's RAG tracker (generator/tracker.py) into the plan's files.

Items are inserted as text, as `new` inserts them (generator/scaffold.py), so every comment and the layout of the
files are kept, and each new item carries YAML comments saying where in the tracker it came from. Nothing in the
plan is ever overwritten: an action already in the plan (by id, or by title within its theme) only gains the
tracker's newer updates; every other difference is reported at the tracker's cell and the plan is kept. All the
changed files are written or none: each is replaced atomically, the result is validated, and if it is invalid every
file is put back.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from .characters import BAD_IN_VALUE, UNPRINTABLE_HINT, describe_char, shown
from .diagnostics import Diagnostic, has_errors
from .errors import GeneratorError, UsageError, writing
from .files import atomic_write
from .locations import LocMap
from .model import ID_PATTERN, Action, Audience, Plan, Status, Terms
from .project import project
from .scaffold import _TRAILING_NUMBER, _placement, item_yaml, next_id, yaml_string
from .tracker import AUDIENCE_WORDS, Column, Problem, Reading, TrackerRow, TrackerUpdate, Where

MAPPING_SUFFIX = ".mapping.yaml"
# Words of a post's title: a lead written without any of them, as two or three capitalised words, looks like a
# person's name (the plan names posts, never people).
POST_WORDS = frozenset("""head director manager chair chairman chairperson officer lead leader chief executive
principal service services team board coordinator co-ordinator assistant deputy senior member councillor cabinet
portfolio holder commissioner designated named nurse doctor adviser advisor partnership consultant practitioner
worker social safeguarding children adult adults education health care police group panel unit office council
interim acting strategic operational business quality performance programme project partner partners hr finance
legal governance improvement workforce development early help family families youth school schools""".split())
TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr", "mx", "prof", "cllr"})


class TrackerImportError(GeneratorError):
    """The tracker could not be imported at all; nothing was written."""


def norm(text: str) -> str:
    """Titles match whatever their case and spacing."""
    return " ".join(text.split()).casefold()


def looks_like_a_person(title: str) -> bool:
    words = title.replace(".", " ").split()
    if words and words[0].lower() in TITLES:
        return True
    return 2 <= len(words) <= 3 and all(re.fullmatch(r"[A-Z][a-z'’-]+", w) for w in words) and \
        not any(w.lower() in POST_WORDS for w in words)


@dataclass
class _New:
    """An item the import creates: its fields, the comments above it, and (actions) its updates."""

    section: str
    fields: dict
    comments: list[str] = field(default_factory=list)
    updates: list[TrackerUpdate] = field(default_factory=list)


@dataclass
class _Theme:
    id: str
    leads: Counter = field(default_factory=Counter)
    item: _New | None = None  # None: already in the plan


@dataclass
class Outcome:
    """What an import does (or, in a dry run, would do): the files it changes and what it reports."""

    texts: dict[Path, tuple[str, str]] = field(default_factory=dict)  # file -> (as it was, as it will be)
    blocks: dict[Path, list[str]] = field(default_factory=dict)  # file -> the YAML it inserts, in file order
    actions_added: int = 0
    updates_added: int = 0
    unchanged: int = 0
    themes_added: int = 0
    commitments_added: int = 0
    roles_added: int = 0
    problems: list[Problem] = field(default_factory=list)  # cells not used, and clashes with the plan
    warnings: list[Problem] = field(default_factory=list)  # used, but worth a look (a lead that names a person)

    def summary(self, terms: Terms) -> str:
        def n(count: int, word: str, plural: str | None = None) -> str:
            return f"{count} {word if count == 1 else plural or word + 's'}"

        return (f"{n(self.actions_added, 'action')} added, {n(self.updates_added, 'update')} added, "
                f"{self.unchanged} unchanged, {n(self.themes_added, terms.theme, terms.theme_plural)}, "
                f"{n(self.commitments_added, terms.commitment, terms.commitment_plural)} and "
                f"{n(self.roles_added, 'role')} added, {n(len(self.problems), 'cell')} not used")


def _end(locs: LocMap, path: tuple, lines: list[str]) -> int:
    """The index of the line after the item at `path` (before trailing blank and comment lines)."""
    start = locs.positions[path][0]
    later = [line for p, (line, _c) in [*locs.positions.items(), *locs.keys.items()]
             if line > start and p[:len(path)] != path]
    end = (min(later) - 1) if later else len(lines)
    while end > start and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    return end


def _comment(pad: str, text: str) -> str:
    """`text` as YAML comment lines, any unprintable character written as its code point (as messages do)."""
    return "".join(f"{pad}# {shown(line)}".rstrip() + "\n" for line in text.splitlines() or [""])


def _updates_yaml(updates: list[TrackerUpdate], pad: str) -> str:
    out = []
    for u in updates:
        out.append(f"{pad}- date: {u.day.isoformat()}\n{pad}  status: {u.status.value}\n")
        if u.narrative:
            out.append(f"{pad}  narrative: {yaml_string(u.narrative)}\n")
    return "".join(out)


def _block(item: _New, indent: int) -> str:
    pad = " " * indent
    text = "".join(_comment(pad, c) for c in item.comments) + item_yaml(item.fields, indent)
    if item.updates:
        text += f"{pad}  updates:\n" + _updates_yaml(item.updates, pad + "    ")
    return text


class _Importer:
    """One import: decides, row by row, what the plan gains and what is reported."""

    def __init__(self, root: Path, plan: Plan, reading: Reading, source: str):
        assert plan.info is not None
        self.root, self.plan, self.reading, self.source = root, plan, reading, source
        self.as_at = plan.info.as_at
        self.terms = plan.info.terms
        self.out = Outcome(problems=list(reading.problems))
        self.taken = set(plan.index()) | set(plan.broken)
        self.roles = {norm(r.title): r.id for r in plan.roles}
        self.themes = {norm(t.title): _Theme(t.id) for t in plan.themes}
        self.commitments = {(c.theme, norm(c.statement)): c.id for c in plan.commitments}
        self.theme_of_commitment = {c.id: c.theme for c in plan.commitments}
        self.actions = {a.id: a for a in plan.actions}
        self.action_keys = {(self.theme_of_commitment.get(a.commitment), norm(a.title)): a.id for a in plan.actions}
        self.new: list[_New] = []
        self.new_actions: dict[str, str] = {}  # id -> the row it came from
        self.appends: list[tuple[Action, list[TrackerUpdate], date | None]] = []
        self.public = {a.id for a in project(plan, "public").actions}  # what the public edition shows now
        self.public_rows: set[str] = set()  # new themes and commitments that a public row uses

    def problem(self, where: Where, message: str, hint: str = "") -> None:
        self.out.problems.append(Problem(where, message, hint))

    # --- ids and the items a row needs -----------------------------------------------------

    def _id(self, iid: str) -> str:
        self.taken.add(iid)
        return iid

    def role(self, row: TrackerRow) -> str:
        key = norm(row.lead)
        if key not in self.roles:
            slug = ""
            for word in re.findall(r"[A-Z0-9]+", row.lead.upper()):  # whole words, up to 40 characters
                if slug and len(slug) + len(word) + 1 > 40:
                    break
                slug = f"{slug}-{word}" if slug else word[:40]
            slug = slug or "LEAD"
            iid, n = f"ROLE-{slug}", 2
            while iid in self.taken:
                iid, n = f"ROLE-{slug}-{n}", n + 1
            self.roles[key] = self._id(iid)
            cell = row.cells.get(Column.lead, row.where)
            comments = [f"import-tracker: lead '{' '.join(row.lead.split())}' in {cell}"]
            if looks_like_a_person(row.lead):  # said once, where the role is made
                comments.append("this looks like a person's name: the plan names posts; give the post's title")
                self.out.warnings.append(Problem(cell, f"the lead '{row.lead}' looks like a person's name; it was "
                                                       f"imported as role {iid}", "the plan names posts: change the "
                                                 "role's title to the post (e.g. Head of Safeguarding)"))
            self.new.append(_New("roles", {"id": iid, "title": " ".join(row.lead.split())}, comments))
            self.out.roles_added += 1
        return self.roles[key]

    def theme(self, row: TrackerRow, lead: str) -> str:
        title = " ".join((row.theme or f"Actions from {Path(self.source).name}").split())
        key = norm(title)
        if key not in self.themes:
            iid = self._id(next_id([t.id for t in self.plan.themes] + [t.id for t in self.themes.values()],
                                   self.taken, "T"))
            comments = [f"import-tracker: from {row.cells.get(Column.theme, row.where)}" if row.theme else
                        f"import-tracker: the tracker has no {self.terms.theme} column, so its actions are put "
                        f"under this one {self.terms.theme}: rename it, or map a {self.terms.theme} column",
                        "import-tracker set sponsor and operational_lead to the lead of most of its actions: "
                        "check them"]
            item = _New("themes", {"id": iid, "title": title, "sponsor": None, "operational_lead": None}, comments)
            self.themes[key] = _Theme(iid, item=item)
            self.new.append(item)
            self.out.themes_added += 1
        theme = self.themes[key]
        theme.leads[lead] += 1
        return theme.id

    def commitment(self, row: TrackerRow, theme_id: str, theme_title: str) -> str:
        statement = " ".join((row.commitment or theme_title).split())
        key = (theme_id, norm(statement))
        if key not in self.commitments:
            digits = _TRAILING_NUMBER.match(theme_id)
            siblings = [c for c, t in self.theme_of_commitment.items() if t == theme_id]
            iid = self._id(next_id(siblings, self.taken, f"C{digits[2]}." if digits else "C"))
            comment = (f"import-tracker: from {row.cells.get(Column.commitment, row.where)}" if row.commitment else
                       f"import-tracker: the tracker has no {self.terms.commitment} column, so each "
                       f"{self.terms.theme} has one {self.terms.commitment}, named after it: rewrite the statement")
            self.new.append(_New("commitments", {"id": iid, "theme": theme_id, "statement": statement}, [comment]))
            self.commitments[key] = iid
            self.theme_of_commitment[iid] = theme_id
            self.out.commitments_added += 1
        return self.commitments[key]

    # --- updates -------------------------------------------------------------------------------

    def usable(self, updates: list[TrackerUpdate], label: str) -> list[TrackerUpdate]:
        """The updates the plan can take, oldest first, each once; the others are reported."""
        seen, out = set(), []
        for u in sorted(updates, key=lambda u: u.day):
            if (u.day, u.status, u.narrative) in seen:
                continue
            seen.add((u.day, u.status, u.narrative))
            if self.unprintable(u.where, u.narrative, f"{label}'s update of {u.day.isoformat()}"):
                continue
            if u.day > self.as_at:
                self.problem(u.where, f"{label}'s update of {u.day.isoformat()} is after the plan's as-at date "
                                      f"{self.as_at.isoformat()}: not used", "move the plan's as_at first, or "
                                                                              "import it later")
            elif u.status in (Status.red, Status.amber) and not u.narrative.strip():
                self.problem(u.where, f"{label}'s update of {u.day.isoformat()} is {u.status.label} but has no "
                                      "narrative: not used", "say why, and what is being done, in the update")
            else:
                out.append(u)
        return out

    def history(self, row: TrackerRow) -> list[TrackerUpdate]:
        ups = [u for u in self.reading.updates if row.reference and u.reference == row.reference]
        return ups + ([row.update] if row.update and row.update.dated else [])  # undated: see add() and existing()

    # --- rows ----------------------------------------------------------------------------------

    def unprintable(self, where: Where, text: str | None, what: str) -> bool:
        """Reported (and the value not used) when it holds a character the plan refuses (validate's L011)."""
        bad = BAD_IN_VALUE.search(text or "")
        if bad:
            self.problem(where, f"{what} holds the character {describe_char(bad[0])}: not used", UNPRINTABLE_HINT)
        return bad is not None

    def row(self, row: TrackerRow) -> None:
        fields = [(Column.action, row.action), (Column.lead, row.lead), (Column.theme, row.theme),
                  (Column.commitment, row.commitment), (Column.reference, row.reference)]
        if any([self.unprintable(row.cells.get(c, row.where), v, f"the {c.value}") for c, v in fields]):
            return
        title = " ".join(row.action.split())
        theme_title = " ".join((row.theme or f"Actions from {Path(self.source).name}").split())
        existing = self.actions.get(row.reference or "")
        if existing is None and norm(theme_title) in self.themes:
            existing = self.actions.get(self.action_keys.get((self.themes[norm(theme_title)].id, norm(title)), ""))
        if existing is None and row.theme is None:  # no theme to tell them apart: the one action of that title
            same = [a for a in self.plan.actions if norm(a.title) == norm(title)]
            existing = same[0] if len(same) == 1 else None
        if existing is not None:
            self.existing(row, existing)
            return
        theme_id = self.themes[norm(theme_title)].id if norm(theme_title) in self.themes else None
        first = self.new_actions.get(row.reference or "") or self.new_actions.get(
            self.action_keys.get((theme_id, norm(title)), ""))
        if first is not None:
            self.problem(row.where, f"this row repeats the action of {first}: not used",
                         "keep one row per action; put earlier updates on the Updates sheet")
            return
        lead = self.role(row)
        theme_id = self.theme(row, lead)
        commitment = self.commitment(row, theme_id, theme_title)
        if row.audience is not Audience.staff:
            self.public_rows |= {theme_id, commitment}
        self.add(row, lead, commitment, theme_id, title)

    def add(self, row: TrackerRow, lead: str, commitment: str, theme_id: str, title: str) -> None:
        w = row.where
        comments = [f"import-tracker: from {w.file}" + (f", sheet {w.sheet}, row {w.row}" if w.sheet else
                                                        f", line {w.row}")]
        ref = row.reference
        if ref and re.match(ID_PATTERN, ref) and ref not in self.taken:
            iid = self._id(ref)
        else:
            digits = _TRAILING_NUMBER.match(theme_id)
            in_theme = {c for c, t in self.theme_of_commitment.items() if t == theme_id}
            siblings = [a.id for a in self.plan.actions if a.commitment in in_theme] + \
                [n.fields["id"] for n in self.new if n.section == "actions" and n.fields["commitment"] in in_theme]
            iid = self._id(next_id(siblings, self.taken, f"A{digits[2]}." if digits else "A"))
            if ref:
                comments.append(f"tracker reference {ref}" + (" (already used in the plan)" if ref in self.taken
                                                              else " (not a plan id)"))
        comments += list(row.notes)
        if row.original_due and row.original_due != row.due:
            comments.append(f"the tracker's original due date is {row.original_due.isoformat()}: record the move "
                            "under target_date_changes (on, from, reason)")
        label = iid
        history = self.history(row)
        if not history and (row.update is not None or row.status not in (None, Status.not_started)):
            # A RAG (and its words) with no update date: the status as at the plan's as-at date, said in a comment.
            undated = row.update or TrackerUpdate(self.as_at, row.status, "", row.cells.get(Column.status, row.where))
            history = [replace(undated, day=self.as_at, dated=True)]
            comments.append(f"the tracker gives no update date for its RAG ({undated.status.label}): dated the "
                            f"plan's as-at date, {self.as_at.isoformat()}")
        updates = self.usable(history, label)
        completed = row.completed
        if completed and completed > self.as_at:
            self.problem(row.cells.get(Column.completed, row.where), f"{label} completed on "
                         f"{completed.isoformat()}, after the plan's as-at date {self.as_at.isoformat()}: not used")
            completed = None
        if completed and (not updates or updates[-1].status is not Status.complete):
            if updates and updates[-1].day > completed:
                self.problem(row.cells.get(Column.completed, row.where), f"{label} completed on "
                             f"{completed.isoformat()}, before its update of {updates[-1].day.isoformat()}: not used")
                completed = None
            else:
                updates.append(TrackerUpdate(completed, Status.complete, "Completed.",
                                             row.cells.get(Column.completed, row.where)))
        if not completed and updates and updates[-1].status is Status.complete:
            completed = updates[-1].day
        answers = []
        for ref_id in row.answers:
            item = self.plan.index().get(ref_id)
            if item is None or item.kind not in ("recommendation", "finding"):
                self.problem(row.cells.get(Column.answers, row.where), f"{label} answers '{ref_id}', which is "
                             "not a recommendation or finding of the plan: not used",
                             "add the recommendation first (improvement-plan new recommendation), then list it "
                             "under the action's answers")
            elif not item.is_public and row.audience is not Audience.staff:
                self.problem(row.cells.get(Column.answers, row.where), f"{label} answers '{ref_id}', which is "
                             "staff-only, and the new action is public: not used",
                             "list it under the action's answers, and mark the action 'audience: staff'")
            else:
                answers.append(ref_id)
        fields = {"id": iid, "commitment": commitment,
                  "audience": "staff" if row.audience is Audience.staff else None, "title": title, "lead": lead,
                  "target_date": row.due, "completed_on": completed, "answers": answers}
        self.new.append(_New("actions", fields, comments, updates))
        self.new_actions[iid] = str(row.where)
        self.action_keys[(theme_id, norm(title))] = iid
        self.out.actions_added += 1
        self.out.updates_added += len(updates)

    def existing(self, row: TrackerRow, action: Action) -> None:
        """An action the plan has: only newer updates are taken; every other difference is reported."""
        before = len(self.out.problems)
        keep = "the plan is kept"
        title = " ".join(row.action.split())
        if norm(title) != norm(action.title):
            self.problem(row.cells.get(Column.action, row.where), f"{action.id}'s title differs here from the "
                         f"plan's ('{action.title}'); {keep}", "change the title in the plan if it should change")
        if norm(row.lead) != norm(self._role_title(action.lead)):
            self.problem(row.cells.get(Column.lead, row.where), f"{action.id}'s lead is {row.lead} here but "
                         f"{self._role_title(action.lead)} ({action.lead}) in the plan; {keep}",
                         "change lead in the plan if it moved")
        shown = Audience.public if action.id in self.public else Audience.staff
        if row.audience is not None and row.audience is not shown:
            self.problem(row.cells.get(Column.audience, row.where), f"{action.id} is {AUDIENCE_WORDS[row.audience]} "
                         f"here but {AUDIENCE_WORDS[shown]} in the plan; {keep}",
                         "change the audience of the action (or its commitment or theme) in the plan if it should "
                         "change")
        if row.due != action.target_date:
            self.problem(row.cells.get(Column.due, row.where), f"{action.id}'s due date is "
                         f"{row.due.strftime('%d/%m/%Y')} here but {action.target_date.isoformat()} in the plan; "
                         f"{keep}", "change target_date in the plan, with a target_date_changes entry, if it moved")
        if row.completed and action.completed_on and row.completed != action.completed_on:
            self.problem(row.cells.get(Column.completed, row.where), f"{action.id} was completed on "
                         f"{row.completed.strftime('%d/%m/%Y')} here but {action.completed_on.isoformat()} in the "
                         f"plan; {keep}")
        known = {(u.date, u.status, u.narrative) for u in action.updates}
        known_norm = {(u.date, u.status, norm(u.narrative)) for u in action.updates}
        latest = action.latest.date if action.latest else None
        fresh: list[TrackerUpdate] = []
        history = self.history(row)
        undated = row.update is None or not row.update.dated
        if row.status is not None and undated and not history and row.status is not action.status:
            self.problem(row.cells.get(Column.status, row.where), f"{action.id}'s RAG is {row.status.label} here "
                         f"but {action.status.label} in the plan, and the tracker gives no update date; {keep}",
                         "give the update's date (and narrative) to add it as an update")
        if row.completed and not action.completed_on and not any(u.status is Status.complete for u in history):
            history.append(TrackerUpdate(row.completed, Status.complete, "Completed.",
                                         row.cells.get(Column.completed, row.where)))
        for u in history:
            if (u.day, u.status, u.narrative) in known or (u.day, u.status, norm(u.narrative)) in known_norm:
                continue
            if latest is not None and u.day <= latest:
                self.problem(u.where, f"{action.id}'s update of {u.day.strftime('%d/%m/%Y')} ({u.status.label}) "
                             f"is not in the plan, whose latest update is of {latest.isoformat()}; {keep}",
                             "updates already in the plan are read-only: add this one by hand if it belongs there")
            elif action.completed_on is not None:
                self.problem(u.where, f"{action.id} is complete in the plan; the update of "
                             f"{u.day.strftime('%d/%m/%Y')} is not used")
            else:
                fresh.append(u)
        fresh = self.usable(fresh, action.id)
        if fresh:
            done = fresh[-1].day if fresh[-1].status is Status.complete else None
            self.appends.append((action, fresh, done))
            self.out.updates_added += len(fresh)
        elif len(self.out.problems) == before:
            self.out.unchanged += 1

    def _role_title(self, role_id: str) -> str:
        return next((r.title for r in self.plan.roles if r.id == role_id), role_id)

    def orphan_updates(self) -> None:
        """Updates sheet rows whose reference is on no row of the actions sheet: kept only for a plan action."""
        refs = {r.reference for r in self.reading.rows if r.reference}
        for u in self.reading.updates:
            if u.reference in refs:
                continue
            self.problem(u.where, f"no action of the tracker has the reference '{u.reference}': not used",
                         "give the action's reference as it is on the actions sheet")

    # --- text ----------------------------------------------------------------------------------

    def edit(self) -> None:
        """Every insertion as text, into the files as they are: new items at the end of their sections, new
        updates at the end of their actions' histories."""
        for t in self.themes.values():
            if t.item is not None:
                lead = t.leads.most_common(1)[0][0]
                t.item.fields["sponsor"] = t.item.fields["operational_lead"] = lead
        for n in self.new:  # a theme or commitment made for staff-only actions alone is staff-only too
            if n.section in ("themes", "commitments") and n.fields["id"] not in self.public_rows:
                n.fields = {"id": n.fields.pop("id"), "audience": "staff", **n.fields}
        inserts: dict[Path, list[tuple[int, str, bool]]] = {}  # line, text, new items
        for section in ("roles", "themes", "commitments", "actions"):
            items = [n for n in self.new if n.section == section]
            if not items:
                continue
            place = _placement(self.root, section)
            sep = "\n" if section == "actions" else ""
            text = "".join(sep + _block(n, place.indent) for n in items)
            if place.new_section:
                text = f"\n{section}:\n" + text.lstrip("\n")
            inserts.setdefault(place.file, []).append((place.line, text, True))
        for action, updates, done in self.appends:
            locs = action.src.locs
            assert locs is not None
            path = self.root / locs.file
            lines = self._lines(path)
            item = action.src.path
            pad = " " * (locs.positions[item][1] - 1)
            ups = item + ("updates",)
            if action.updates and ups + (len(action.updates) - 1,) in locs.positions and \
                    locs.positions[ups + (len(action.updates) - 1,)][0] != locs.keys[ups][0]:
                last = ups + (len(action.updates) - 1,)
                text = _updates_yaml(updates, " " * (locs.positions[last][1] - 3))
                inserts.setdefault(path, []).append((_end(locs, last, lines), text, False))
                at = locs.keys[ups][0] - 1  # completed_on goes before `updates:`
            elif not action.updates and ups not in locs.keys:
                at = _end(locs, item, lines)
                text = f"{pad}updates:\n" + _updates_yaml(updates, pad + "  ")
                inserts.setdefault(path, []).append((at, text, False))
            else:
                for u in updates:
                    self.problem(u.where, f"{action.id}'s updates are not written as a block list in "
                                          f"{locs.file}, so the update of {u.day.isoformat()} was not added",
                                 "add it by hand")
                self.out.updates_added -= len(updates)
                continue
            if done and action.completed_on is None:
                inserts.setdefault(path, []).append((at, f"{pad}completed_on: {done.isoformat()}\n", False))
        for path, edits in inserts.items():
            original = path.read_text(encoding="utf-8")
            lines = original.splitlines(keepends=True)
            if lines and not lines[-1].endswith("\n"):
                lines[-1] += "\n"
            at_line: dict[int, str] = {}
            items_at: set[int] = set()
            # At one line, an action's appended updates (which end the item above) before new items.
            for at, text, items in sorted(edits, key=lambda e: e[2]):
                at_line[at] = at_line.get(at, "") + text
                items_at |= {at} if items else set()
            for at in sorted(at_line, reverse=True):
                text = at_line[at]
                if at in items_at and at < len(lines) and lines[at].strip() and not lines[at].startswith((" ", "#")):
                    text += "\n"  # a blank line before the next top-level key
                lines[at:at] = [text]
            self.out.texts[path] = (original, "".join(lines))
            self.out.blocks[path] = [at_line[at] for at in sorted(at_line)]

    def _lines(self, path: Path) -> list[str]:
        return path.read_text(encoding="utf-8").splitlines(keepends=True)


def plan_import(root: Path, plan: Plan, reading: Reading, source: str) -> Outcome:
    """What importing `reading` into the (valid) plan at `root` would change and report; writes nothing."""
    imp = _Importer(root, plan, reading, source)
    for row in reading.rows:
        imp.row(row)
    imp.orphan_updates()
    imp.edit()
    return imp.out


def write_outcome(root: Path, outcome: Outcome) -> None:
    """All the changed files or none: each replaced atomically; if the plan is then invalid, every file is put back
    and the error says why."""
    from .validate import validate_all

    written: list[Path] = []
    try:
        for path, (_old, new) in outcome.texts.items():
            with writing(path):
                atomic_write(path, new)
            written.append(path)
        _, diags, _ = validate_all(root)  # with the published points: reported history stays read-only
    except BaseException:
        for path in written:
            atomic_write(path, outcome.texts[path][0])
        raise
    if has_errors(diags):
        for path in written:
            atomic_write(path, outcome.texts[path][0])
        errors = [d for d in diags if d.severity.value == "error"]
        raise TrackerImportError("the imported items would make the plan invalid, so nothing was written (every "
                                 "file is as it was)", errors)


def checked_plan(root: Path) -> Plan:
    """The plan, which must be valid before anything is imported into it."""
    from .validate import validate_all

    plan, diags, _ = validate_all(root)
    if has_errors(diags):
        errors: list[Diagnostic] = [d for d in diags if d.severity.value == "error"]
        raise TrackerImportError(f"the plan has {len(errors)} error{'s' * (len(errors) != 1)}: fix "
                                 f"{'it' if len(errors) == 1 else 'them'} first (improvement-plan validate)", errors)
    return plan


@dataclass(frozen=True)
class MappingChoice:
    """Which mapping file an import uses, and whether it proposes one (saved there, never over a file)."""

    path: Path
    propose: bool
    said: str  # one line for the user


def choose_mapping(tracker: Path, given: Path | None) -> MappingChoice:
    if given is not None:
        if given.exists():
            return MappingChoice(given, False, f"using the mapping in {given}")
        return MappingChoice(given, True, f"proposed a column mapping and saved it to {given}: check it, edit "
                                          "it if a column is wrong, and run the import again with it")
    beside = tracker.with_name(tracker.stem + MAPPING_SUFFIX)
    if beside.exists():
        return MappingChoice(beside, False, f"using the mapping in {beside} (beside the tracker)")
    return MappingChoice(beside, True, f"proposed a column mapping and saved it to {beside}: check it, edit it if "
                                       "a column is wrong, and run the import again (it is used from then on)")


def save_mapping(path: Path, text: str) -> None:
    """A mapping file is never overwritten: it may hold the council's edits."""
    with writing(path):
        with path.open("x", encoding="utf-8") as f:
            f.write(text)


def check_tracker_path(tracker: Path, sheet: str | None) -> None:
    if not tracker.is_file():
        raise UsageError(f"there is no file {tracker}")
    if tracker.suffix.lower() not in (".xlsx", ".xlsm", ".csv"):
        raise UsageError(f"{tracker} is not an Excel workbook (.xlsx) or a CSV file (.csv)")
    if sheet is not None and tracker.suffix.lower() == ".csv":
        raise UsageError("--sheet is for Excel workbooks: a CSV file has no sheets")

