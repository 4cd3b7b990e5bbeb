"""Diagnostics: what is wrong, where, and how to fix it; and the ways of printing them."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from enum import Enum

from .characters import shown
from .locations import Loc


class Severity(str, Enum):
    error = "error"
    warning = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    file: str
    line: int
    col: int
    code: str
    message: str
    severity: Severity = Severity.error
    hint: str = ""

    @classmethod
    def at(cls, loc: Loc, code: str, message: str, *, hint: str = "",
           severity: Severity | None = None) -> "Diagnostic":
        sev = severity or CODES[code].severity
        return cls(shown(loc.file), loc.line, loc.col, code, shown(message), sev, shown(hint))

    def text(self) -> str:
        out = f"{self.file}:{self.line}:{self.col}: {self.severity.value} {self.code}: {self.message}"
        return out + (f"\n    hint: {self.hint}" if self.hint else "")

    def github(self) -> str:
        level = "error" if self.severity is Severity.error else "warning"
        msg = self.message + (f" (hint: {self.hint})" if self.hint else "")
        msg = msg.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        path = self.file.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").replace(":", "%3A") \
            .replace(",", "%2C")
        return f"::{level} file={path},line={self.line},col={self.col}::{self.code} {msg}"

    def as_dict(self) -> dict:
        d = asdict(self)
        d["severity"] = self.severity.value
        return d


@dataclass(frozen=True)
class Code:
    code: str
    severity: Severity
    title: str
    explanation: str


def _codes(*rows: tuple[str, str, str, str]) -> dict[str, Code]:
    return {c: Code(c, Severity(s), t, e) for c, s, t, e in rows}


# The one list of validation codes; the editor guide's table is generated from it.
CODES: dict[str, Code] = _codes(
    ("L001", "error", "File cannot be read",
     "The file is missing, unreadable, or not UTF-8 text. Save it as UTF-8 (any modern editor can)."),
    ("L002", "error", "Empty file", "The file has no content. plan.yaml needs at least a `plan:` section."),
    ("L003", "error", "Binary file", "The file holds binary data, not YAML or Markdown text."),
    ("L004", "error", "YAML syntax error",
     "The YAML cannot be read: often a missing space after a colon, a tab for indentation, or an unclosed quote."),
    ("L005", "error", "Duplicate key",
     "The same key appears twice in one mapping; the second would silently replace the first. Remove one."),
    ("L006", "error", "Unsupported YAML tag",
     "Tags such as `!!python/object` are refused for safety; write plain values."),
    ("L007", "error", "Aliases expand too far",
     "YAML anchors and aliases (`&x`, `*x`) expand beyond the allowed size or refer to themselves."),
    ("L008", "error", "Wrong top-level shape",
     "The file must be a mapping of sections (plan, actions, ...); front matter must be a mapping too."),
    ("L009", "error", "Missing or unclosed front matter",
     "A document must start with a `---` line, its fields, and a closing `---` line."),
    ("L010", "error", "Include problem",
     "An `include:` entry must name a YAML file inside the plan's folder, included once, holding item sections only."),
    ("S101", "error", "Required field missing", "Every item of this kind needs this field."),
    ("S102", "error", "Unknown field",
     "The field is not part of this kind of item; it is probably misspelt (the hint names the nearest field). Inside "
     "`{ }` a comma ends a value, so `{area: Referral, and assessment}` reads as a field 'and assessment': quote the "
     "value. An item whose fields are another kind's (a grading under `risks:`) is said once: move it."),
    ("S103", "error", "Wrong type of value", "The value is the wrong type, for example text where a list is expected."),
    ("S104", "error", "Value not allowed",
     "The value must be one of the listed choices, written exactly (`amber`, not `Amber`: the hint says how)."),
    ("S105", "error", "Not a date", "Dates are written YYYY-MM-DD and must exist in the calendar."),
    ("S106", "error", "Invalid value", "The value breaks a rule of its field (an id's form, a number's range, a period's form)."),
    ("R201", "error", "Duplicate id", "Ids must be unique across the whole plan, documents included."),
    ("R202", "error", "Unknown reference",
     "No item of the kind the field points at has this id; the message lists the ids there are, nearest first. A "
     "field such as `lead` or `owner` takes a role's id (`ROLE-DCS`), not its title or a person's name."),
    ("R203", "error", "Reference to the wrong kind of item",
     "The id exists but names another kind of item, e.g. an action's commitment pointing at a theme."),
    ("R204", "error", "Id that names a register's page",
     "An item's page lives in its register's folder, beside the register's own pages (`index`, and the "
     "recommendations' `overdue`): an item with such an id would replace that page. Give it another id."),
    ("D301", "error", "Complete without a completion date",
     "An action whose latest status is complete needs `completed_on`."),
    ("D302", "error", "Completion date but not complete",
     "`completed_on` is set but the latest status is not complete: add a complete update or remove the date."),
    ("D303", "error", "Red or amber without a narrative",
     "A red or amber status must say why, and what is being done, in its `narrative`."),
    ("D304", "error", "History out of date order",
     "Status updates, progress entries and measure values must be listed oldest first. Measure values are ordered "
     "by the day their period ends: 2015-08 ends on 31 August 2015, the financial year 2015/16 (April to March) on "
     "31 March 2016, so 2015-08 comes before 2015/16."),
    ("D305", "warning", "Overdue",
     "An open action is past its target date at the plan's as-at date, whatever its colour; an open recommendation "
     "is past its due date, said as \"past due but in progress\" (amber or green, or not started with an answering "
     "action under way) or \"overdue with no progress\". Errors under --strict."),
    ("D306", "warning", "Stale",
     "An open action's latest update is older than the plan's update cadence at its as-at date. Errors under --strict."),
    ("D307", "error", "Public item points at a staff-only item",
     "A public item may not reference a staff-only one: mark the referring item staff, or the referenced one public."),
    ("D308", "error", "Value does not match unit",
     "A percentage must be between 0 and 100; counts, days and rates cannot be negative."),
    ("D309", "error", "Risk marked public", "The risk register is staff-only; remove `audience: public` from the risk."),
    ("D310", "warning", "Dated after the as-at date",
     "An update, value, finding or target date move is dated after the plan's as-at date; check the date, or move `as_at` forward."),
    ("D311", "error", "Both a timescale and a due date",
     "A recommendation has a `timescale` or, when its timescale is not a standard one, a `due` date: not both. Give "
     "neither when the report sets no timescale (it is then shown as \"No timescale\" and is never overdue)."),
    ("D312", "error", "Evidence needs one target", "Evidence links need exactly one of `url` or `document`."),
    ("D313", "warning", "Grade from another framework",
     "`adequate` was replaced by `requires_improvement` in November 2013; check the grade against the grading's date."),
    ("D314", "error", "Breakdown row does not match columns", "Each breakdown row needs one value per column."),
    ("T501", "error", "Published version changed",
     "A frozen snapshot no longer matches the hash recorded when it was published. Undo the edit, or record a "
     "correction with `improvement-plan correct`, which the site then shows as a notice."),
    ("T502", "error", "Versions manifest unreadable", "content/versions/manifest.json is damaged; restore it from git."),
    ("T503", "error", "Snapshot unreadable",
     "A snapshot's format is unknown to this generator, or the file no longer matches its format."),
    ("M401", "error", "Unsafe HTML in Markdown",
     "Scripts, event handlers, javascript: and data: links, iframes, objects and style blocks are not allowed in documents."),
    # --- Markdown and content paths (M402+, L011+): unsafe or unbounded input ------------------
    ("L011", "error", "Character that is not printable text",
     "The text holds an invisible character: a control character (such as DEL or one of U+0080-U+009F), a "
     "bidirectional control (U+202A-U+202E, U+2066-U+2069) that makes text read differently from what it is, a "
     "line or paragraph separator (U+2028, U+2029), a noncharacter or a lone surrogate. Written raw or as an "
     "escape such as \"\\u202e\", it is refused: delete it and retype the text around it."),
    ("L012", "error", "File outside the plan folder",
     "A content file (a document, a guide page, a theme file) is a symbolic link to a file outside the plan's "
     "folder (or outside docs_theme/). It is not read and never published: copy the file into the folder instead."),
    ("L013", "error", "Guide page with a reserved name",
     "content/guide/fields.md and content/guide/codes.md are the names of the guide pages the tool makes from its "
     "model (Every field, Validation codes), so a page of the plan's own with either name would never be shown. "
     "Rename it."),
    ("M402", "error", "Markdown too large or too deeply nested",
     "A Markdown page is beyond a limit that keeps every page quick to build: its size, the length of one line, "
     "how many brackets or emphasis marks one paragraph leaves open, or how deeply quotes and lists nest. "
     "Split the page, or simplify the structure the message names."),
    ("M403", "error", "Image from another site",
     "A page shows only images that are part of the site. An image whose address names another site (https://, "
     "http://, any other scheme, or //host) would make every reader's browser ask that site for it, telling it "
     "who reads the page and when. A document cannot carry image files of its own, so link to the image instead "
     "(`[the chart](https://...)`): a link loads nothing until a reader follows it. Building the site also "
     "removes any such image."),
    # (end of Markdown and content paths)

    # --- site configuration, mkdocs.yml (C6xx) ---------------------------------------------
    ("C601", "error", "Setting not allowed in mkdocs.yml",
     "mkdocs.yml may set only copyright, site_url, site_description, theme (palette, features, language, logo, "
     "favicon, icon.logo) and extra (homepage, social). The generator supplies everything else; plugins, hooks, "
     "scripts, analytics and web fonts are refused because they run code or show another host every reader."),
    ("C602", "error", "Site setting of the wrong type or shape",
     "A setting holds the wrong kind of value (text, a list, or a mapping of settings), misses a part it needs, "
     "or mkdocs.yml is too large."),
    ("C603", "error", "Site setting value not allowed",
     "Colours, schemes, feature flags, languages and icons must be ones Material provides and the generator "
     "allows; text may not hold control characters."),
    ("C604", "error", "Unsafe or invalid address",
     "Links are whole https:// or http:// addresses with a host (social links may also be mailto:), without "
     "quotes, spaces, angle brackets, backslashes or a user name; javascript:, data: and addresses starting "
     "with // are refused."),
    ("C605", "error", "Logo or favicon not in docs_theme",
     "A logo or favicon is an image file inside the plan's own docs_theme/ folder, given by its path there. "
     "Remote images are refused: the host serving them would see every reader of every page."),
    # (end of site configuration)

    # --- published history and its anchor in git (T504+) -------------------------------------
    ("T504", "error", "Version id not allowed",
     "A version id in content/versions/manifest.json names a folder of the built site: lower-case letters, digits "
     "and '-', not a reserved name (latest, draft, versions, index), and each id once."),
    ("T505", "error", "Chain of versions broken",
     "Each version records the hash of the version before it (`previous`) and its own record hash (`record`). "
     "A mismatch means a version's title, date or hashes were edited, or a version was removed or inserted."),
    ("T506", "error", "Differs from what was first committed",
     "A reporting point is what was first committed to git. A snapshot, correction file, or manifest field (title, "
     "date, hashes) now differs from its first commit. Restore it from git; to correct a published version, edit "
     "its snapshot and run `improvement-plan correct`, which keeps the original beside the correction."),
    ("T507", "error", "Published version or correction removed",
     "A version or a correction that was committed to git is no longer in the manifest. Published history is never "
     "removed: restore it from git."),
    ("T508", "warning", "Not checked against git",
     "Reporting points are anchored in the repository's git history, which is not available here (no git, the "
     "plan folder is not the top of a repository, or a shallow clone). Check from a full clone."),
    ("T509", "error", "Reporting-point tag moved or missing",
     "Each reporting point has an annotated tag `reporting-point/<id>` at the commit that first added it, holding "
     "its record. A tag that points elsewhere, holds another record, or is missing before a tagged version is an "
     "error: tags are never moved or deleted."),
    ("T510", "warning", "Reporting point not yet anchored",
     "The newest published versions have no `reporting-point/<id>` tag yet. The Publish workflow runs "
     "`improvement-plan anchor` on main and pushes the tags; fetch them with `git fetch --tags`."),
    ("T511", "error", "Reported history rewritten",
     "An action update or target date change, or a recommendation progress entry, dated on or before the latest "
     "reporting point, a measure "
     "value for a period that ended on or before it, a measure's reported baseline, or a grading dated on or before "
     "it differs from what that point reported, is missing, or was added afterwards. Reported history is read-only "
     "in the working plan: put it back, and record a correction to the published version with "
     "`improvement-plan correct` if it was wrong. Items new since the point, or removed from the plan entirely, "
     "are not checked here (`diff` lists a removal)."),
    ("T512", "error", "Published twice, differently",
     "A reporting point is first committed once. Two commits in the history each added the same version's "
     "snapshot, correction or manifest record with different content (a branch published the same id again and "
     "was merged, even if the merge kept the other side; or a version was removed and published again), so which "
     "one was reported cannot be told, and `anchor` refuses to tag it. Keep the genuine one (the commit its "
     "reporting-point tag points at, or what the published site shows): reset main to before the other was added."),
    ("T520", "error", "Published content breaks a safety rule",
     "A snapshot or correction file holds what the working plan may not: a public item naming a staff-only one, an "
     "invisible control character, unsafe HTML, or Markdown past the limits. Such content reaches the site without "
     "passing through plan.yaml, so it is checked here too. Fix the correction, or restore the snapshot from git."),
    # (end of published history)

    # --- limits and identifiers (S107+, R204+) -------------------------------------------------
    ("S107", "error", "Outside the supported range",
     "Dates must fall between 1970-01-01 and 2099-12-31, and numbers between -1e12 and 1e12 (a million "
     "million): outside them, date arithmetic, file timestamps and chart scales would overflow."),
    # (end of limits and identifiers)

    # --- plan format (S120-S129): plan.yaml's `format`, and `migrate` -------------------------
    ("S120", "error", "Plan written in an older format",
     "plan.yaml's `format` (none means format 1) is older than the format this version of the tool reads. Run "
     "`improvement-plan migrate`: it rewrites plan.yaml in the current format, keeping its comments, order and "
     "layout, and checks the result. Published versions are not touched."),
    ("S121", "error", "Plan written for a newer tool",
     "plan.yaml's `format` is newer than this version of the tool reads: the plan was migrated by a newer "
     "version. Upgrade the tool: change the version in requirements.txt (and in your own virtual environment)."),
    ("S122", "error", "Format is not a format number",
     "`format` at the top of plan.yaml is a whole number (the current one is written by `init` and `migrate`). "
     "Only plan.yaml carries it: an included file may not."),
    # (end of plan format)
    # --- recommendations (D340+): status entered or derived --------------------------------------
    ("D340", "warning", "Recommendation status disagrees with its actions",
     "The plan's recommendation statuses are entered, and a recommendation's latest progress contradicts the "
     "actions that answer it: one side is complete and the other is not, or one side is not started and the other "
     "is under way. Its page and the register show a flag. Add a progress entry, or let the status be derived "
     "(`recommendation_status: derived` in the plan block). Errors under --strict."),
    # (end of recommendations)
    # --- council words (S140+): terms and glossary in plan.yaml's plan: block ------------------
    ("S140", "error", "A council word given twice",
     "Each glossary entry's term must be different from every other (ignoring capitals), and the plan's two "
     "levels (`terms: theme` and `terms: commitment`, and their plurals) need different names, from each other "
     "and from the site's other registers (actions, recommendations, measures, gradings, documents, risks, "
     "findings), or readers could not tell them apart. Remove or rename one."),
    # (end of council words)
    # --- about this plan ---------------------------------------------------------------------
    ("D400", "error", "Intervention without its notice",
     "`intervention: improvement_notice` says the DfE issued an improvement notice, so the plan's `trigger` needs "
     "its `improvement_notice` (the day it was issued and what it requires). Add it, or set `intervention` to the "
     "level that applies."),
    ("D470", "warning", "Accessibility statement without a written contact",
     "The accessibility statement must say how to report an accessibility problem or ask for another format. "
     "`plan.accessibility` gives no `email` or `url`, so the statement cannot name one that everyone can use "
     "(not everyone can phone). Add an `email` or a contact form's `url`. Errors under --strict."),
    # (end of about this plan)
    # --- diagnostic grids (D420-D429): a grading's grid of services by quality domains ---------
    ("D420", "error", "Grid row does not match the domains",
     "Each row of a grading's `grid` needs one cell for each of its `domains`, in the same order; write "
     "`not_graded` for a domain the service was not graded on."),
    ("D421", "error", "Grid cell not understood",
     "A cell is one grade (`good`), a split of two or more different grades (`[good, requires_improvement]`), "
     "counts of teams per grade (`{requires_improvement: 5, good: 1}`, each a whole number of 1 or more) or "
     "`not_graded`. Grades are written in lower case with `_`, as in `requires_improvement`."),
    ("D422", "error", "Overall grade given as counts",
     "A row's `overall` is the service's own grade: one grade, a split or `not_graded`. Counts of teams belong in "
     "the domain cells."),
    ("D423", "error", "Grids cannot be compared",
     "`compare_with` names an earlier grading whose grid has the same services and domains (in any order), so "
     "each cell can be shown before and after; this grading needs a grid too."),
    ("D424", "error", "Service or domain given twice",
     "Each service (row) and each domain (column) of a grid is named once, so that every cell has one place "
     "in the table, the comparison and the download."),
    # (end of diagnostic grids)
    # --- slips (D350+, T530): an action's target-date history -----------------------------------
    ("D350", "error", "Target date changes out of date order",
     "An action's `target_date_changes` are listed oldest first, by the day each move was made (`on`)."),
    ("D351", "error", "Target date change that does not move the date",
     "Each entry of `target_date_changes` records a move: `from` is the target date before it, and it moved to the "
     "next entry's `from` (the last entry to `target_date`). An entry whose `from` is the date it moved to records "
     "no move: correct `from`, or remove the entry."),
    ("T530", "warning", "Target date moved without a record",
     "An action's `target_date` differs from the one the latest reporting point reported, and no entry of "
     "`target_date_changes` added since records a move from the reported date. Add one, with the day and the "
     "reason, so the site can show that the action slipped, by how much and why. Errors under --strict."),
    # (end of slips)
    # --- measures ---------------------------------------------------------------------------
    ("D460", "error", "Reading with neither a figure nor a note",
     "A measure's reading needs its figure as `value:`, or, when there is no figure, a `note:` saying what is "
     "known (\"improving since April\"). A reading without a figure is shown in the table but never plotted, "
     "compared or judged against the target."),
    ("D461", "error", "Year to date on a period that is not a month",
     "`ytd: true` says the figure covers the financial year from April to the end of the month in `period`, so "
     "the period must be a month (YYYY-MM). For a whole financial year write the year, such as 2013/14, without "
     "`ytd`."),
    ("D462", "warning", "Headline measure's latest reading is old",
     "A headline measure's latest reading ended more months before the plan's as-at date than "
     "`plan.measure_age_limit_months` allows (6 unless set). Add a recent reading, raise the limit, or take the "
     "measure off the headline scorecard (`headline: false`)."),
    # (end of measures)
)


def has_errors(diags: list[Diagnostic]) -> bool:
    return any(d.severity is Severity.error for d in diags)


def strictly(diags: list[Diagnostic]) -> list[Diagnostic]:
    """Under --strict every warning counts as an error."""
    return [replace(d, severity=Severity.error) for d in diags]


def render(diags: list[Diagnostic], fmt: str) -> str:
    diags = sorted(diags)
    if fmt == "json":
        return json.dumps([d.as_dict() for d in diags], indent=2)
    if fmt == "github":
        return "\n".join(d.github() for d in diags)
    return "\n".join(d.text() for d in diags)
